package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The version stamped with -ldflags, as goreleaser and `make build` do, is what --version shows.
func TestVersionFlag(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider")
	}
	bin := filepath.Join(t.TempDir(), "terraform-provider-onpremvpn")
	if out, err := exec.Command("go", "build", "-ldflags", "-X main.version=1.2.3-test", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("--version: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "terraform-provider-onpremvpn 1.2.3-test" {
		t.Errorf("--version printed %q", got)
	}
}
