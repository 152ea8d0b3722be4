package screenos

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func gw() *vpn.IKEGateway {
	return &vpn.IKEGateway{Name: "gw", PeerAddress: "198.51.100.1", IKEVersion: 1, PreSharedKey: "k3y", Lifetime: 28800,
		Proposals: []vpn.IKEProposal{{Encryption: "aes128", Integrity: "sha1", DHGroup: 2}}}
}

func tun() *vpn.Tunnel {
	return &vpn.Tunnel{Name: "t", Gateway: "gw", Lifetime: 3600, Interface: "tunnel.1",
		Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}},
		Selectors: []vpn.TrafficSelector{{Local: "192.168.1.0/24", Remote: "10.0.0.0/16"}}}
}

// fieldsOf lists the attributes named by es.
func fieldsOf(es vpn.Errors) string {
	var f []string
	for _, e := range es {
		f = append(f, e.Field)
	}
	return strings.Join(f, ",")
}

// TestValidate refuses what ScreenOS cannot take, naming the attribute and the reason.
func TestValidate(t *testing.T) {
	p := bound(t, nil)
	cases := []struct {
		name  string
		obj   vpn.Object
		field string
		why   string
	}{
		{"keyword name", func() vpn.Object { g := gw(); g.Name = "gateway"; return g }(), "name", "keyword"},
		{"quote in key", func() vpn.Object { g := gw(); g.PreSharedKey = `a"b`; return g }(), "pre_shared_key", "double quote"},
		{"help key in key", func() vpn.Object { g := gw(); g.PreSharedKey = "a?b"; return g }(), "pre_shared_key", "help"},
		{"non-ASCII id", func() vpn.Object { g := gw(); g.LocalID = "é@x"; return g }(), "local_id", "ASCII"},
		{"gcm", func() vpn.Object { g := gw(); g.Proposals[0].Encryption = "aes256gcm"; return g }(), "proposals[0].encryption", "not available"},
		{"group 19", func() vpn.Object { g := gw(); g.Proposals[0].DHGroup = 19; return g }(), "proposals[0].dh_group", "1, 2, 5 or 14"},
		{"sha384", func() vpn.Object { g := gw(); g.Proposals[0].Integrity = "sha384"; return g }(), "proposals[0].integrity", "not available"},
		{"dpd", func() vpn.Object { g := gw(); g.DPD = &vpn.DPD{Interval: 10, Timeout: 30, Action: "clear"}; return g }(), "dpd", "liveness"},
		{"nat-t false", func() vpn.Object { g := gw(); g.NATTraversal = ptr(false); return g }(), "nat_traversal", "default"},
		{"gateway description", func() vpn.Object { g := gw(); g.Description = "x"; return g }(), "description", "no description"},
		{"not a tunnel interface", func() vpn.Object { x := tun(); x.Interface = "st0.1"; return x }(), "tunnel_interface", "tunnel.N"},
		{"two proxy-ids", func() vpn.Object {
			x := tun()
			x.Selectors = append(x.Selectors, vpn.TrafficSelector{Local: "172.16.0.0/24", Remote: "10.0.0.0/16"})
			return x
		}(), "traffic_selectors", "one proxy-id per VPN"},
		{"ports", func() vpn.Object { x := tun(); x.Selectors[0].Protocol, x.Selectors[0].LocalPort = "tcp", 80; return x }(), "traffic_selectors[0]", "ports"},
		{"tcp mss", func() vpn.Object { x := tun(); x.TCPMSS = 1350; return x }(), "tcp_mss", "vpn-tcp-mss"},
		{"mtu", func() vpn.Object { x := tun(); x.MTU = 9000; return x }(), "mtu", "1500"},
		{"pfs 24", func() vpn.Object { x := tun(); x.PFSGroup = 24; return x }(), "pfs_group", "not available"},
		{"address and unnumbered", func() vpn.Object {
			x := tun()
			x.Address, x.UnnumberedInterface = "169.254.0.2/30", "ethernet0/0"
			return x
		}(), "unnumbered_interface", "only one"},
		{"source route destination", &vpn.SourceRoute{Source: "192.168.1.0/24", Destination: "10.0.0.0/8", Interface: "tunnel.1", Preference: 15}, "destination", "source only"},
		{"source route table", &vpn.SourceRoute{Source: "192.168.1.0/24", Interface: "tunnel.1", Preference: 15, Table: 5}, "table", "no table"},
		{"prefix list ge", &vpn.PrefixList{Name: "pl", Rules: []vpn.PrefixRule{{Sequence: 1, Action: "permit", Prefix: "10.0.0.0/8", LE: 24}}}, `rules["1"]`, "exactly"},
		{"acl number", &vpn.PrefixList{Name: "pl", Number: 100, Rules: []vpn.PrefixRule{{Sequence: 1, Action: "permit", Prefix: "10.0.0.0/8"}}}, "number", "1 to 99"},
		{"bgp update source address", &vpn.BGPNeighbor{Address: "169.254.0.1", LocalAS: 65000, RemoteAS: 65001, UpdateSource: "169.254.0.2"}, "update_source", "interface name"},
		{"bgp soft reconfiguration", &vpn.BGPNeighbor{Address: "169.254.0.1", LocalAS: 65000, RemoteAS: 65001, SoftReconfigIn: true}, "soft_reconfiguration_inbound", "not available"},
		{"bgp key quote", &vpn.BGPNeighbor{Address: "169.254.0.1", LocalAS: 65000, RemoteAS: 65001, Password: `x"y`}, "password", "double quote"},
		{"policy keyword zone", &vpn.SecurityPolicy{Name: "p", FromZone: "policy", ToZone: "Untrust", Action: "permit"}, "from_zone", "keyword"},
		{"policy description", &vpn.SecurityPolicy{Name: "p", FromZone: "Trust", ToZone: "Untrust", Action: "permit", Description: "d"}, "description", "name"},
	}
	for _, c := range cases {
		es := p.Validate(c.obj)
		found := false
		for _, e := range es {
			if e.Field == c.field && strings.Contains(e.Message, c.why) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: got %v, want %s mentioning %q", c.name, es, c.field, c.why)
		}
	}
	// What ScreenOS takes passes.
	for _, o := range []vpn.Object{gw(), tun(), &vpn.SourceRoute{Source: "192.168.1.0/24", Interface: "tunnel.1", Preference: 15},
		&vpn.StaticRoute{Destination: "10.0.0.0/16", Interface: "tunnel.1"},
		&vpn.BGPNeighbor{Address: "169.254.0.1", LocalAS: 65000, RemoteAS: 65001, UpdateSource: "tunnel.1", Password: "s3cr3t#$"},
		&vpn.SecurityPolicy{Name: "p", FromZone: "Trust", ToZone: "Untrust", Action: "tunnel", Tunnel: "t", Services: []string{"HTTP"}}} {
		if es := p.Validate(o); len(es) != 0 {
			t.Errorf("%s %s: %v", o.Kind(), o.Key(), es)
		}
	}
}

// TestIKEv2NeedsScreenOS63: ScreenOS 5.x devices take no IKEv2 gateway; 6.3 renders the
// ikev2 form.
func TestIKEv2NeedsScreenOS63(t *testing.T) {
	g := gw()
	g.IKEVersion, g.Mode = 2, ""
	old, err := (&ScreenOS{}).Bind(vpn.Facts{Platform: Name, Version: "5.4.0r23.0"}, map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	if es := old.Validate(g); fieldsOf(es) != "ike_version" {
		t.Errorf("5.4: %v", es)
	}
	forced, _ := (&ScreenOS{}).Bind(vpn.Facts{Platform: Name}, map[string]string{OptVersion: "5.4"})
	if es := forced.Validate(g); fieldsOf(es) != "ike_version" {
		t.Errorf("option 5.4: %v", es)
	}
	p := bound(t, map[string]string{OptOutgoingInterface: "ethernet0/0"})
	if es := p.Validate(g); len(es) != 0 {
		t.Fatalf("6.3: %v", es)
	}
	cfg := vpn.NewConfig()
	cfg.Put(g)
	lines, err := p.Render(platform.Snapshot{Config: vpn.NewConfig()}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := `set ike gateway ikev2 "gw" address 198.51.100.1 outgoing-interface ethernet0/0 preshare "k3y" proposal "ovpn-p1-g2-aes128-sha1-28800"`
	if len(lines) != 2 || lines[1] != want {
		t.Errorf("%q", lines)
	}
	back := mustParse(t, p, "set ike p1-proposal \"ovpn-p1-g2-aes128-sha1-28800\" preshare group2 esp aes128 sha-1 second 28800\n"+want+"\n")
	if got := back.IKEGateways()["gw"]; got == nil || got.IKEVersion != 2 || got.Mode != "" {
		t.Errorf("read back %+v", got)
	}
}

// TestPlanCheck: the pitfalls of seed 000.
func TestPlanCheck(t *testing.T) {
	p := bound(t, nil)
	cfg := mustParse(t, p, readFile(t, "seed000_ns25.txt"))

	// A source route's preference must be below the default 20.
	for _, pref := range []int{0, 20, 30} {
		r := &vpn.SourceRoute{Source: "192.168.9.0/24", Interface: "tunnel.1", Preference: pref}
		errs, _ := p.PlanCheck(r, cfg)
		if fieldsOf(errs) != "preference" || !strings.Contains(errs[0].Message, "20") {
			t.Errorf("preference %d: %v", pref, errs)
		}
	}
	if errs, ws := p.PlanCheck(&vpn.SourceRoute{Source: "192.168.9.0/24", Interface: "tunnel.1", Preference: 15}, cfg); len(errs)+len(ws) != 0 {
		t.Errorf("preference 15: %v %v", errs, ws)
	}

	// A second tunnel on tunnel.1 is an error; a proxy-id nothing routes into is a warning.
	x := tun()
	x.Name, x.Selectors[0].Local = "Azure-VPN_C", "192.168.9.0/24"
	errs, ws := p.PlanCheck(x, cfg)
	if fieldsOf(errs) != "tunnel_interface" || !strings.Contains(errs[0].Message, "Azure-VPN_A") {
		t.Errorf("shared interface: %v", errs)
	}
	if fieldsOf(ws) != "traffic_selectors[0]" {
		t.Errorf("unrouted proxy-id: %v", ws)
	}
	// The seed's own tunnels are routed by their source routes.
	if errs, ws := p.PlanCheck(cfg.Tunnels()["Azure-VPN_A"], cfg); len(errs)+len(ws) != 0 {
		t.Errorf("seed tunnel: %v %v", errs, ws)
	}
	// Render refuses the errors too.
	desired := cfg.Clone()
	desired.Put(&vpn.SourceRoute{Source: "192.168.9.0/24", Interface: "tunnel.1", Preference: 20})
	if _, err := p.Render(platform.Snapshot{Text: readFile(t, "seed000_ns25.txt"), Config: cfg}, desired); err == nil || !strings.Contains(err.Error(), "preference") {
		t.Errorf("render: %v", err)
	}

	// A policy below a broader one of the same zone pair can never match.
	pol := &vpn.SecurityPolicy{Name: "narrow", FromZone: "Untrust", ToZone: "Trust", Sources: []string{"10.0.0.0/24"},
		Destinations: []string{"192.168.1.0/24"}, Services: []string{"HTTP"}, Action: "deny", Number: 9}
	c := cfg.Clone()
	c.Put(pol)
	_, ws = p.PlanCheck(pol, c)
	if len(ws) != 1 || !strings.Contains(ws[0].Message, `"policy-2"`) {
		t.Errorf("shadowed: %v", ws)
	}
	// At the top it is fine, and it shadows nothing below it.
	pol.Position = "top"
	if _, ws := p.PlanCheck(pol, c); len(ws) != 0 {
		t.Errorf("at top: %v", ws)
	}
	// A broad policy at the top makes the seed's policies 2 and 3 unmatchable.
	broad := &vpn.SecurityPolicy{Name: "all", FromZone: "Untrust", ToZone: "Trust", Action: "deny", Number: 10, Position: "top"}
	c.Put(broad)
	if _, ws := p.PlanCheck(broad, c); len(ws) != 3 {
		t.Errorf("broad: %v", ws)
	}
}

// TestRenderRefusesInconsistencies names the objects.
func TestRenderRefusesInconsistencies(t *testing.T) {
	p := bound(t, nil)
	cfg := vpn.NewConfig()
	g := gw()
	cfg.Put(g)
	if _, err := p.Render(platform.Snapshot{Config: vpn.NewConfig()}, cfg); err == nil || !strings.Contains(err.Error(), "outgoing") {
		t.Errorf("no outgoing interface: %v", err)
	}
	// The interface holding local_address is the outgoing one.
	g.LocalAddress = "203.0.113.2"
	lines, err := p.Render(platform.Snapshot{Text: "set interface ethernet0/0 ip 203.0.113.2/24\n", Config: vpn.NewConfig()}, cfg)
	if err != nil || !strings.Contains(strings.Join(lines, "\n"), "outgoing-interface ethernet0/0 local-address 203.0.113.2") {
		t.Errorf("%q %v", lines, err)
	}
	// Two BGP neighbors of one vrouter with different local AS.
	c := vpn.NewConfig()
	c.Put(&vpn.BGPNeighbor{Address: "169.254.0.1", LocalAS: 65000, RemoteAS: 65001})
	c.Put(&vpn.BGPNeighbor{Address: "169.254.0.5", LocalAS: 65010, RemoteAS: 65001})
	if _, err := p.Render(platform.Snapshot{Config: vpn.NewConfig()}, c); err == nil || !strings.Contains(err.Error(), "local_as") {
		t.Errorf("two AS: %v", err)
	}
}

// TestNormalize fills what the device prints when the user leaves it out, so that a read-back
// object compares equal.
func TestNormalize(t *testing.T) {
	p := bound(t, nil)
	g := gw()
	g.Mode = ""
	p.Normalize(g)
	x := tun()
	p.Normalize(x)
	pol := &vpn.SecurityPolicy{Name: "p", Sources: []string{"any"}, Destinations: []string{"Any"}, Services: []string{"ANY"}}
	p.Normalize(pol)
	if g.Mode != "main" || x.AntiReplay == nil || *x.AntiReplay || x.Zone != "Untrust" || pol.Sources != nil || pol.Destinations != nil || pol.Services != nil {
		t.Errorf("%+v %+v %+v", g, x, pol)
	}
	v2 := gw()
	v2.IKEVersion, v2.Mode = 2, ""
	p.Normalize(v2)
	if v2.Mode != "" {
		t.Errorf("IKEv2 mode %q", v2.Mode)
	}
}

// tunnel.N beyond 1024 is refused at plan, where the simulator refuses it on the device
// (found by FuzzScreenOSThroughSimulator; the reference gives no maximum).
func TestTunnelInterfaceNumberRange(t *testing.T) {
	p := bound(t, nil)
	mk := func(iface string) *vpn.Tunnel {
		return &vpn.Tunnel{Name: "T", Gateway: "G", Lifetime: 3600, Interface: iface,
			Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}}
	}
	if es := p.Validate(mk("tunnel.1024")); len(es) != 0 {
		t.Errorf("tunnel.1024: %v", es)
	}
	if es := p.Validate(mk("tunnel.1025")); len(es) != 1 || es[0].Field != "tunnel_interface" {
		t.Errorf("tunnel.1025: %v", es)
	}
}
