package edgeos

import (
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

func TestForwarding(t *testing.T) {
	target := newServer(t, simulator.Options{Platform: "edgeos"})
	dial := func(bastion *simulator.Server) *ssh.Client {
		c, err := ssh.Dial("tcp", bastion.Addr(), &ssh.ClientConfig{
			User: testUser, Auth: []ssh.AuthMethod{ssh.Password(testPass)},
			HostKeyCallback: ssh.FixedHostKey(bastion.HostKey()),
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}

	off := dial(newServer(t, simulator.Options{Platform: "edgeos"}))
	if _, err := off.Dial("tcp", target.Addr()); err == nil {
		t.Fatal("forwarding works although AllowForwarding is off")
	}

	on := dial(newServer(t, simulator.Options{Platform: "edgeos", AllowForwarding: true}))
	// 192.0.2.1 is TEST-NET-1; the simulator refuses it before dialling anything.
	if _, err := on.Dial("tcp", "192.0.2.1:22"); err == nil || !strings.Contains(err.Error(), "loopback addresses only") {
		t.Fatalf("forwarding to a non-loopback address: %v", err)
	}
	conn, err := on.Dial("tcp", target.Addr())
	if err != nil {
		t.Fatalf("forwarding to the target: %v", err)
	}
	defer conn.Close()
	banner := make([]byte, 7)
	if _, err := conn.Read(banner); err != nil || string(banner) != "SSH-2.0" {
		t.Fatalf("the forwarded stream does not reach the target's SSH server: %q %v", banner, err)
	}
}
