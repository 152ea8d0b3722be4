package simulator

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// A fleet file starts each device on its own address, writes a known_hosts file that
// verifies every one of them, keeps host keys across runs, and refuses bad files.
func TestFleet(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.conf"), []byte("set a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fleet := `{
  "username": "` + coreUser + `", "password": "` + corePass + `",
  "known_hosts": "known_hosts", "host_key_dir": "keys",
  "devices": [
    {"name": "a", "platform": "coretest", "listen": "127.0.0.1:0", "config": "a.conf"},
    {"name": "b", "platform": "hooktest", "listen": "127.0.0.1:0", "latency": "1ms"}
  ]
}`
	path := filepath.Join(dir, "fleet.json")
	if err := os.WriteFile(path, []byte(fleet), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func() []*Server {
		ctx, cancel := context.WithCancel(context.Background())
		started := make(chan []*Server, 1)
		done := make(chan int, 1)
		var out, errOut bytes.Buffer
		go func() { done <- RunFleet(ctx, path, &out, &errOut, started) }()
		var servers []*Server
		select {
		case servers = <-started:
		case code := <-done:
			t.Fatalf("fleet exited %d: %s", code, errOut.String())
		case <-time.After(10 * time.Second):
			t.Fatal("the fleet did not start")
		}
		t.Cleanup(func() {
			cancel()
			if code := <-done; code != 0 {
				t.Errorf("fleet exit %d: %s", code, errOut.String())
			}
		})
		cb, err := knownhosts.New(filepath.Join(dir, "known_hosts"))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range servers {
			c, err := ssh.Dial("tcp", s.Addr(), &ssh.ClientConfig{
				User: coreUser, Auth: []ssh.AuthMethod{ssh.Password(corePass)},
				HostKeyCallback: cb, Timeout: 5 * time.Second,
			})
			if err != nil {
				t.Fatalf("%s: %v", s.Addr(), err)
			}
			c.Close()
		}
		if !strings.Contains(out.String(), "a: coretest listening on ") || !strings.Contains(out.String(), "b: hooktest listening on ") {
			t.Errorf("output:\n%s", out.String())
		}
		return servers
	}
	first := run()
	if got := first[0].RunningConfig(); got != "set a" {
		t.Errorf("device a's configuration %q, want the file's", got)
	}
	keyA := ssh.FingerprintSHA256(first[0].HostKey())
	second := run()
	if ssh.FingerprintSHA256(second[0].HostKey()) != keyA {
		t.Error("host_key_dir did not keep device a's key")
	}
	if ssh.FingerprintSHA256(second[1].HostKey()) == keyA {
		t.Error("two devices share a host key")
	}

	for name, bad := range map[string]string{
		"no devices":    `{"username": "u", "password": "p", "devices": []}`,
		"unknown field": `{"username": "u", "password": "p", "devices": [{"name": "a", "platform": "coretest", "listen": "127.0.0.1:0", "colour": "red"}]}`,
		"platform":      `{"username": "u", "password": "p", "devices": [{"name": "a", "platform": "nosuch", "listen": "127.0.0.1:0"}]}`,
		"twice":         `{"username": "u", "password": "p", "devices": [{"name": "a", "platform": "coretest", "listen": "127.0.0.1:1"}, {"name": "a", "platform": "coretest", "listen": "127.0.0.1:2"}]}`,
		"no listen":     `{"username": "u", "password": "p", "devices": [{"name": "a", "platform": "coretest"}]}`,
	} {
		p := filepath.Join(dir, "bad.json")
		if err := os.WriteFile(p, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadFleet(p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
