package junos

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/junos9"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Each attribute SRX cannot express is refused by name, saying Junos SRX.
func TestValidate(t *testing.T) {
	objs := seed002()
	for _, o := range objs {
		if es := p.Validate(o); len(es) > 0 {
			t.Errorf("%s %s: %v", o.Kind(), o.Key(), es)
		}
	}
	gw := func(edit func(*vpn.IKEGateway)) vpn.Object {
		g := *objs[0].(*vpn.IKEGateway)
		edit(&g)
		return &g
	}
	tun := func(edit func(*vpn.Tunnel)) vpn.Object {
		x := *objs[2].(*vpn.Tunnel)
		edit(&x)
		return &x
	}
	nb := func(edit func(*vpn.BGPNeighbor)) vpn.Object {
		x := *objs[6].(*vpn.BGPNeighbor)
		edit(&x)
		return &x
	}
	sr := func(edit func(*vpn.SourceRoute)) vpn.Object {
		x := *objs[10].(*vpn.SourceRoute)
		edit(&x)
		return &x
	}
	cases := []struct {
		o     vpn.Object
		field string
	}{
		{gw(func(g *vpn.IKEGateway) { g.DPD = &vpn.DPD{Interval: 30, Timeout: 120, Action: "hold"} }), "dpd"},
		{gw(func(g *vpn.IKEGateway) { g.ConnectionType = "respond" }), "connection_type"},
		{gw(func(g *vpn.IKEGateway) { g.Description = "x" }), "description"},
		{gw(func(g *vpn.IKEGateway) { g.NATTraversal = ptr(true) }), "nat_traversal"},
		{gw(func(g *vpn.IKEGateway) { g.Proposals[0].Integrity = "sha512" }), "proposals[0].integrity"},
		{gw(func(g *vpn.IKEGateway) {
			g.Proposals = []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 21}}
		}), "proposals[0].dh_group"},
		{gw(func(g *vpn.IKEGateway) { g.PreSharedKey = "$9$AbCdEfGhIjKlMnOpQrStUv" }), "pre_shared_key"},
		{gw(func(g *vpn.IKEGateway) { g.Liveness = &vpn.Liveness{Interval: 100, RetryCount: 3} }), "liveness.interval"},
		{tun(func(x *vpn.Tunnel) { x.Interface = "" }), "tunnel_interface"},
		{tun(func(x *vpn.Tunnel) { x.Interface = "vti0" }), "tunnel_interface"},
		{tun(func(x *vpn.Tunnel) { x.Zone = "" }), "tunnel_zone"},
		{tun(func(x *vpn.Tunnel) { x.UnnumberedInterface = "lo0.0" }), "unnumbered_interface"},
		{tun(func(x *vpn.Tunnel) { x.AntiReplay = ptr(true) }), "anti_replay"},
		{tun(func(x *vpn.Tunnel) { x.Monitor = &vpn.TunnelMonitor{Interval: 10} }), "monitor"},
		{tun(func(x *vpn.Tunnel) { x.Proposals = []vpn.IPsecProposal{{Encryption: "aes256gcm", Integrity: "sha256"}} }), "proposals[0].encryption"},
		{tun(func(x *vpn.Tunnel) {
			x.Selectors = []vpn.TrafficSelector{{Local: "10.0.0.0/8", Remote: "172.16.0.0/12", Protocol: "tcp"}}
		}), "traffic_selectors[0]"},
		{tun(func(x *vpn.Tunnel) { x.Number = 3 }), "tunnel_number"},
		{nb(func(x *vpn.BGPNeighbor) { x.Networks = []string{"10.0.0.0/8"} }), "networks"},
		{nb(func(x *vpn.BGPNeighbor) { x.Keepalive = 30 }), "keepalive"},
		{nb(func(x *vpn.BGPNeighbor) { x.UpdateSource = "st0.0" }), "update_source"},
		{sr(func(x *vpn.SourceRoute) { x.IngressInterface = "" }), "ingress_interface"},
		{sr(func(x *vpn.SourceRoute) { x.RoutingInstance = "VR" }), "routing_instance"},
		{sr(func(x *vpn.SourceRoute) { x.Table = 5 }), "table"},
		{sr(func(x *vpn.SourceRoute) { x.Description = "d" }), "description"},
		{&vpn.PrefixList{Name: "P", Rules: []vpn.PrefixRule{{Sequence: 1, Action: "permit", Prefix: "10.0.0.0/8", LE: 24}}}, `rules["1"].ge`},
		{&vpn.PrefixList{Name: "P", Rules: []vpn.PrefixRule{{Sequence: 5, Action: "permit", Prefix: "10.0.0.0/8"}}}, `rules["5"]`},
		{&vpn.PrefixList{Name: "P", Rules: []vpn.PrefixRule{{Sequence: 1, Action: "permit", Prefix: "10.0.0.0/8"}, {Sequence: 2, Action: "permit", Prefix: "9.0.0.0/8"}}}, `rules["2"].prefix`},
		{&vpn.PrefixList{Name: "P", Description: "d"}, "description"},
	}
	for _, c := range cases {
		es := p.Validate(c.o)
		found := false
		for _, e := range es {
			found = found || e.Field == c.field
		}
		if !found {
			t.Errorf("%s %s: want a problem with %s, got %v", c.o.Kind(), c.o.Key(), c.field, es)
		}
		for _, e := range es {
			if strings.Contains(e.Message, "AbCd") {
				t.Errorf("a message quotes the secret: %v", e)
			}
		}
	}
}

// A `$9$` key in user input is taken as already encoded: it reaches the device as given,
// and a device holding another encoding of the same key is no change.
func TestEncodedSecretInput(t *testing.T) {
	_, dev := roundTrip(t, configOf(seed002()...))
	snap := snapshot(t, dev)
	want := snap.Config.Clone()
	enc, _ := junos9.EncodeWith("aliazu12345", 'Q', "xyz")
	if enc == "" {
		enc = junos9.Encode("aliazu12345")
	}
	want.IKEGateways()["AZURE-GW-0"].PreSharedKey = enc
	if lines, err := p.Render(snap, want); err != nil || len(lines) != 0 {
		t.Errorf("another encoding of the same key changed the device: %v %q", err, lines)
	}
	other := junos9.Encode("another-key")
	want.IKEGateways()["AZURE-GW-0"].PreSharedKey = other
	lines, err := p.Render(snap, want)
	if err != nil || !contains(lines, `set security ike policy AZURE-GW-0-2 pre-shared-key ascii-text "`+other+`"`) {
		t.Errorf("an encoded new key: %v\n%s", err, strings.Join(lines, "\n"))
	}
}

// A key changed on the device is drift: it decodes to another plaintext, and rendering the
// configuration back writes the user's key.
func TestKeyChangedOnDevice(t *testing.T) {
	_, dev := roundTrip(t, configOf(seed002()...))
	snap := snapshot(t, dev)
	changed := strings.Replace(dev, snap.Config.BGPNeighbors()["169.254.21.2"].Password, "x", 1)
	for _, l := range strings.Split(dev, "\n") {
		if strings.Contains(l, "neighbor 169.254.21.2 authentication-key") {
			changed = strings.Replace(dev, l, `set protocols bgp group vpn-169.254.21.2 neighbor 169.254.21.2 authentication-key "`+junos9.Encode("changed")+`"`, 1)
		}
	}
	drift := snapshot(t, changed)
	if got := drift.Config.BGPNeighbors()["169.254.21.2"].Password; got != "changed" {
		t.Fatalf("read back %q", got)
	}
	lines, err := p.Render(drift, snap.Config)
	if err != nil || !contains(lines, `set protocols bgp group vpn-169.254.21.2 neighbor 169.254.21.2 authentication-key "bgp-key#1"`) {
		t.Errorf("%v\n%s", err, strings.Join(lines, "\n"))
	}
}

// A $9$ value that decodes to nothing (just a salt, found by fuzzing) is an empty key.
func TestEncodedEmptySecretRefused(t *testing.T) {
	g := &vpn.IKEGateway{Name: "A", PeerAddress: "198.51.100.1", LocalAddress: "203.0.113.2", IKEVersion: 2, PreSharedKey: "$9$.",
		Lifetime: 28800, Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}}}
	found := false
	for _, e := range p.Validate(g) {
		found = found || e.Field == "pre_shared_key" && strings.Contains(e.Message, "empty key")
	}
	if !found {
		t.Errorf("Validate = %v, want pre_shared_key refused as an empty key", p.Validate(g))
	}
}
