package screenos_test

import (
	"context"
	"io"
	"os"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/screenos"
)

// `simulate --platform screenos --host-key FILE` creates a missing key as ssh-dss, the only
// host key type ScreenOS offers (device-cli.md 1.5), so that clients set up for the device
// (HostKeyAlgorithms ssh-dss) reach the simulator; the file reads back as that key.
func TestSimulateCreatesDSAHostKey(t *testing.T) {
	path := t.TempDir() + "/host_key"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan *simulator.Server, 1)
	done := make(chan int, 1)
	go func() {
		done <- simulator.Run(ctx, []string{"--platform", "screenos", "--listen", "127.0.0.1:0", "--host-key", path}, io.Discard, io.Discard, started)
	}()
	var served ssh.PublicKey
	select {
	case srv := <-started:
		served = srv.HostKey()
		cancel()
		<-done
	case code := <-done:
		t.Fatalf("simulate exited %d", code)
	}
	if served.Type() != ssh.KeyAlgoDSA { //nolint:staticcheck // ScreenOS's key type
		t.Fatalf("served host key %s, want ssh-dss", served.Type())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.ParsePrivateKey(b)
	if err != nil || string(k.PublicKey().Marshal()) != string(served.Marshal()) {
		t.Fatalf("the file does not hold the served key: %v", err)
	}
}
