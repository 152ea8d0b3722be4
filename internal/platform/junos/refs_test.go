package junos

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// On MX, remote-id fqdn is a list on the device: a gateway whose remote_id changes deletes the
// old value instead of adding the new one next to it.
func TestMXRemoteIDReplaced(t *testing.T) {
	mx := mxDialect(t)
	text := readFile(t, "mx-seed003.set.txt")
	snap := mxSnapshot(t, mx, text)
	desired := snap.Config.Clone()
	var g *vpn.IKEGateway
	for _, x := range desired.IKEGateways() {
		g = x
	}
	if g == nil || g.RemoteID == "" {
		t.Fatalf("no gateway with a remote id: %s", dump(snap.Config))
	}
	g.RemoteID = "r2.example.net"
	lines, err := mx.Render(snap, desired)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(lines, "\n")
	if !strings.Contains(joined, "remote-id fqdn r2.example.net") || !strings.Contains(joined, "delete services ipsec-vpn ike policy "+g.Name+" remote-id") {
		t.Fatalf("remote-id not replaced:\n%s", joined)
	}
}

// A policy and proposal the device still uses outside the model stay when the gateway and
// tunnel that used them go.
func TestKeepNamedReferenced(t *testing.T) {
	device := [][]string{
		{"services", "ipsec-vpn", "ike", "policy", "P", "proposals", "PR"},
		{"services", "ipsec-vpn", "ike", "proposal", "PR", "dh-group", "group14"},
		{"services", "ipsec-vpn", "rule", "R", "term", "1", "then", "dynamic", "ike-policy", "P"},
		{"services", "ipsec-vpn", "rule", "DYN", "term", "1", "then", "dynamic", "ike-policy", "P"},
	}
	before := device[:3]
	after := keepNamedReferenced(device, before, nil)
	if len(after) != 2 {
		t.Fatalf("kept %v", after)
	}
	// nothing else uses it: it goes
	if after := keepNamedReferenced(device[:3], before, nil); len(after) != 0 {
		t.Fatalf("kept %v", after)
	}
}
