package main

import (
	"os"
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

// With no TF_LOG* setting the CLI throws the provider's logs away, so the provider turns the
// plugin SDK's and its own logging off; with any TF_LOG* set (TF_LOG=info for progress,
// TF_LOG=trace to debug) it leaves logging as the user asked.
func TestQuietUnlessShown(t *testing.T) {
	clear := func() {
		for _, kv := range os.Environ() {
			if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") {
				t.Setenv(name, "")
			}
		}
		t.Setenv("TF_LOG_SDK", "")
		t.Setenv("TF_LOG_PROVIDER", "")
	}
	clear()
	quietUnlessShown()
	if os.Getenv("TF_LOG_SDK") != "off" || os.Getenv("TF_LOG_PROVIDER") != "off" {
		t.Errorf("no TF_LOG*: TF_LOG_SDK=%q TF_LOG_PROVIDER=%q, want both off", os.Getenv("TF_LOG_SDK"), os.Getenv("TF_LOG_PROVIDER"))
	}
	for _, name := range []string{"TF_LOG", "TF_LOG_PROVIDER_ONPREMVPN"} {
		clear()
		t.Setenv(name, "info")
		quietUnlessShown()
		if os.Getenv("TF_LOG_SDK") != "" || os.Getenv("TF_LOG_PROVIDER") != "" {
			t.Errorf("%s=info: TF_LOG_SDK=%q TF_LOG_PROVIDER=%q, want both left unset", name, os.Getenv("TF_LOG_SDK"), os.Getenv("TF_LOG_PROVIDER"))
		}
	}
}
