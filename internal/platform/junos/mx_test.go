package junos

import (
	"strconv"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func mxDialect(t testing.TB) *Junos {
	t.Helper()
	b, err := platform.Bind(p, vpn.Facts{}, map[string]string{OptFlavor: FlavorMX})
	if err != nil {
		t.Fatal(err)
	}
	return b.(*Junos)
}

func mxSnapshot(t testing.TB, mx *Junos, text string) platform.Snapshot {
	t.Helper()
	c, err := mx.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return platform.Snapshot{Text: text, Config: decoded(t, c)}
}

// A next-hop style service set configured by hand after seed 003 (Router 1 to Router 2 over
// ms-1/2/0 units 1 and 2) parses to a gateway and a tunnel, and rendering it back changes
// nothing; the SRX flavor reads none of it.
func TestMXParseSeed003(t *testing.T) {
	mx := mxDialect(t)
	text := readFile(t, "mx-seed003.set.txt")
	snap := mxSnapshot(t, mx, text)
	golden(t, "mx-seed003.golden.json", marshal(t, snap.Config))
	if g := snap.Config.IKEGateways()["IKE-ROUTER2"]; g == nil || g.PreSharedKey != "aliazu12345" || g.PeerAddress != "198.51.100.2" || g.LocalAddress != "203.0.113.2" {
		t.Fatalf("gateway: %s", dump(snap.Config))
	}
	lines, err := mx.Render(snap, snap.Config)
	if err != nil || len(lines) != 0 {
		t.Errorf("re-render: %v\n%s", err, strings.Join(lines, "\n"))
	}
	srx, _ := p.Parse(text)
	if len(srx.Tunnels()) != 0 || len(srx.IKEGateways()) != 0 {
		t.Errorf("the SRX flavor read MX statements")
	}
}

// Gateways and tunnels created on an MX from the model round-trip; a gateway waits for its
// first tunnel; removing them restores the device.
func TestMXRoundTrip(t *testing.T) {
	mx := mxDialect(t)
	base := readFile(t, "mx-base.set.txt")
	snap := mxSnapshot(t, mx, base)
	desired := snap.Config.Clone()
	g := &vpn.IKEGateway{Name: "TO-R2", PeerAddress: "198.51.100.2", LocalAddress: "203.0.113.2", IKEVersion: 2, PreSharedKey: "k#y;{x}",
		Proposals: []vpn.IKEProposal{{Encryption: "aes128", Integrity: "sha256", DHGroup: 14}}, Lifetime: 3600, LocalID: "203.0.113.2", RemoteID: "r2.example.net"}
	tu := &vpn.Tunnel{Name: "R2", Gateway: "TO-R2", Interface: "ms-1/2/0.1", Lifetime: 3600, PFSGroup: 14,
		Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}, DFBit: "clear", MTU: 1400, AntiReplay: ptr(false)}
	desired.Put(g)
	if d := mx.Deferred(g, desired); !strings.Contains(d, "first vpn_tunnel") {
		t.Errorf("deferred: %q", d)
	}
	if lines, err := mx.Render(snap, desired); err != nil || len(lines) != 0 {
		t.Errorf("a gateway alone rendered %q %v", lines, err)
	}
	desired.Put(tu)
	desired.Put(&vpn.StaticRoute{Destination: "192.168.0.0/16", Interface: "ms-1/2/0.1"})
	desired.Put(&vpn.PrefixList{Name: "R2-NETS", Rules: []vpn.PrefixRule{{Sequence: 1, Action: "permit", Prefix: "192.168.0.0/16"}}})
	desired.Put(&vpn.BGPNeighbor{Address: "10.0.1.2", LocalAS: 65001, RemoteAS: 65002, PrefixListIn: "R2-NETS", HoldTime: 90, Keepalive: 30})
	if d := mx.Deferred(g, desired); d != "" {
		t.Errorf("deferred with its tunnel: %q", d)
	}
	lines, err := mx.Render(snap, desired)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "mx_create.golden.txt", strings.Join(lines, "\n")+"\n")
	dev := apply(t, base, lines)
	after := mxSnapshot(t, mx, dev)
	mustEqualConfig(t, after.Config, decoded(t, mx.normalizedConfig(desired)))
	if again, err := mx.Render(after, after.Config); err != nil || len(again) != 0 {
		t.Errorf("re-render: %v %q", err, again)
	}
	lines, err = mx.Render(after, snap.Config)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "mx_delete.golden.txt", strings.Join(lines, "\n")+"\n")
	if back := apply(t, dev, lines); !sameLines(dropAS(back), base) {
		t.Errorf("removing everything does not restore the device:\n%s", back)
	}
}

// A service unit the device uses for something else is neither taken nor removed.
func TestMXUnitInUse(t *testing.T) {
	mx := mxDialect(t)
	snap := mxSnapshot(t, mx, readFile(t, "mx-base.set.txt"))
	desired := snap.Config.Clone()
	desired.Put(&vpn.IKEGateway{Name: "G", PeerAddress: "198.51.100.2", LocalAddress: "203.0.113.2", IKEVersion: 2, PreSharedKey: "k",
		Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}}, Lifetime: 28800})
	desired.Put(&vpn.Tunnel{Name: "T", Gateway: "G", Interface: "ms-1/2/0.0", Lifetime: 3600, Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}})
	if _, err := mx.Render(snap, desired); err == nil || !strings.Contains(err.Error(), "already uses ms-1/2/0.0") {
		t.Errorf("%v", err)
	}
}

func TestMXValidate(t *testing.T) {
	mx := mxDialect(t)
	cases := []struct {
		o     vpn.Object
		field string
	}{
		{&vpn.Tunnel{Name: "T", Gateway: "G", Interface: "st0.0", Lifetime: 3600, Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}}, "tunnel_interface"},
		{&vpn.Tunnel{Name: "T", Gateway: "G", Interface: "ms-1/2/0.1", Zone: "vpn", Lifetime: 3600, Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}}, "tunnel_zone"},
		{&vpn.Tunnel{Name: "T", Gateway: "G", Interface: "ms-1/2/0.1", DFBit: "copy", Lifetime: 3600, Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}}, "df_bit"},
		{&vpn.IKEGateway{Name: "G", PeerAddress: "198.51.100.1", IKEVersion: 2, Lifetime: 3600, Proposals: []vpn.IKEProposal{{Encryption: "aes128", Integrity: "sha1", DHGroup: 14}}}, "local_address"},
		{&vpn.IKEGateway{Name: "G", PeerAddress: "198.51.100.1", LocalAddress: "203.0.113.2", IKEVersion: 2, Lifetime: 3600, Description: "d", Proposals: []vpn.IKEProposal{{Encryption: "aes128", Integrity: "sha1", DHGroup: 14}}}, "description"},
		{&vpn.Tunnel{Name: "T", Gateway: "G", Interface: "ms-1/2/0.1", Number: 2, Lifetime: 3600, Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}}, "tunnel_number"},
	}
	for _, c := range cases {
		found := false
		for _, e := range mx.Validate(c.o) {
			found = found || e.Field == c.field && strings.Contains(e.Message, "MX")
		}
		if !found {
			t.Errorf("%s: want %s refused on MX, got %v", c.o.Key(), c.field, mx.Validate(c.o))
		}
	}
	ok := &vpn.Tunnel{Name: "T", Gateway: "G", Interface: "ms-1/2/0.1", Lifetime: 3600, Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}}
	if es := mx.Validate(ok); len(es) != 0 {
		t.Errorf("a plain MX tunnel: %v", es)
	}
}

// FuzzMXRenderParse: fuzzed names, identities and keys on MX round-trip exactly, so no valid
// value injects a statement.
func FuzzMXRenderParse(f *testing.F) {
	f.Add("TO-R2", "R2", "k#y;{x}", "r2.example.net", 1)
	f.Add("a.b", "c_d", `"quoted" \ key`, "203.0.113.9", 3)
	f.Add("X", "Y", "$9$ikqftpBIEyk.clKM-dHq.fFnCtuIhSpu", "set services", 0)
	f.Fuzz(func(t *testing.T, gwName, name, secret, remoteID string, unit int) {
		mx := mxDialect(t)
		valid := func(o vpn.Object) bool { return len(o.Validate()) == 0 && len(mx.Validate(o)) == 0 }
		g := &vpn.IKEGateway{Name: gwName, PeerAddress: "198.51.100.2", LocalAddress: "203.0.113.2", IKEVersion: 2, PreSharedKey: secret,
			Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}}, Lifetime: 28800, RemoteID: remoteID}
		if !valid(g) {
			g.RemoteID = ""
		}
		tu := &vpn.Tunnel{Name: name, Gateway: gwName, Interface: "ms-1/2/0." + strconv.Itoa((unit%100+100)%100+1), Lifetime: 3600, // units 1-100: the base uses .0
			Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}}
		if !valid(g) || !valid(tu) {
			return
		}
		base := readFile(t, "mx-base.set.txt")
		snap := mxSnapshot(t, mx, base)
		desired := snap.Config.Clone()
		desired.Put(g)
		desired.Put(tu)
		lines, err := mx.Render(snap, desired)
		if err != nil {
			t.Fatal(err)
		}
		dev := apply(t, base, lines)
		mustEqualConfig(t, mxSnapshot(t, mx, dev).Config, decoded(t, mx.normalizedConfig(desired)))
	})
}
