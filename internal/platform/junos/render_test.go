package junos

import (
	"sort"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func ptr[T any](v T) *T { return &v }

// seed002 is the seed-002 pattern as a user writes it: two gateways to Azure vWAN's two
// instances, one route-based tunnel each, BGP over both on 169.254.21.x with hold time 180
// (keepalive 60), prefix lists in and out; plus a static route in a routing instance and a
// source route, so that every kind is covered.
func seed002() []vpn.Object {
	gw := func(name, peer string) *vpn.IKEGateway {
		return &vpn.IKEGateway{Name: name, PeerAddress: peer, LocalAddress: "203.0.113.2", IKEVersion: 2, PreSharedKey: "aliazu12345",
			Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 2}}, Lifetime: 28800,
			Liveness: &vpn.Liveness{Interval: 10, RetryCount: 5}}
	}
	tun := func(name, gw, unit, addr string) *vpn.Tunnel {
		return &vpn.Tunnel{Name: name, Gateway: gw, Proposals: []vpn.IPsecProposal{{Encryption: "aes256", Integrity: "sha256"}}, Lifetime: 3600,
			Interface: unit, Address: addr, MTU: 1436, Zone: "vpn", EstablishImmediately: true, Description: "Azure \"vWAN\" " + name}
	}
	nb := func(addr, src string) *vpn.BGPNeighbor {
		return &vpn.BGPNeighbor{Address: addr, LocalAS: 64512, RemoteAS: 65515, UpdateSource: src, Keepalive: 60, HoldTime: 180,
			PrefixListIn: "AZURE-PREFIXES", PrefixListOut: "ONPREM-PREFIXES", Password: "bgp-key#1"}
	}
	return []vpn.Object{
		gw("AZURE-GW-0", "198.51.100.10"), gw("AZURE-GW-1", "198.51.100.20"),
		tun("AZURE-VPN-0", "AZURE-GW-0", "st0.0", "169.254.21.1/30"), tun("AZURE-VPN-1", "AZURE-GW-1", "st0.1", "169.254.21.5/30"),
		&vpn.PrefixList{Name: "AZURE-PREFIXES", Rules: []vpn.PrefixRule{{Sequence: 1, Action: "permit", Prefix: "172.16.1.0/24"}, {Sequence: 2, Action: "permit", Prefix: "172.16.200.0/24"}}},
		&vpn.PrefixList{Name: "ONPREM-PREFIXES", Rules: []vpn.PrefixRule{{Sequence: 1, Action: "permit", Prefix: "10.0.0.0/16"}}},
		nb("169.254.21.2", "169.254.21.1"), nb("169.254.21.6", "169.254.21.5"),
		&vpn.StaticRoute{Destination: "172.16.1.0/24", Interface: "st0.0"},
		&vpn.StaticRoute{Destination: "172.16.1.0/24", Interface: "st0.1", Distance: 10, RoutingInstance: "BACKUP"},
		&vpn.SourceRoute{Source: "192.168.50.0/24", Destination: "172.16.0.0/12", Interface: "st0.1", IngressInterface: "ge-0/0/1.0"},
	}
}

// roundTrip renders cfg onto the base device, applies the lines, and checks that the device
// then parses to cfg, that re-rendering is empty, and that removing everything again leaves
// the base device exactly as it was. It returns the lines and the device text.
func roundTrip(t testing.TB, cfg *vpn.Config) ([]string, string) {
	t.Helper()
	base := readFile(t, "base.set.txt")
	snap := snapshot(t, base)
	desired := snap.Config.Clone()
	for _, o := range cfg.Objects() {
		desired.Put(o)
	}
	lines, err := p.Render(snap, desired)
	if err != nil {
		t.Fatal(err)
	}
	dev := apply(t, base, lines)
	after := snapshot(t, dev)
	// The device prints every key as $9$, read back as plaintext; a key given as $9$ reads
	// back as the plaintext it stands for.
	want := decoded(t, p.normalizedConfig(desired))
	mustEqualConfig(t, after.Config, want)
	if again, err := p.Render(after, after.Config); err != nil || len(again) != 0 {
		t.Fatalf("re-render after the round trip: %v\n%s", err, strings.Join(again, "\n"))
	}
	rest := after.Config.Clone()
	for _, o := range cfg.Objects() {
		rest.Remove(o.Kind(), o.Key())
	}
	gone, err := p.Render(after, rest)
	if err != nil {
		t.Fatal(err)
	}
	// The instance's autonomous-system stays: other protocols may use it.
	if back := apply(t, dev, gone); !sameLines(dropAS(back), base) {
		t.Fatalf("removing everything does not restore the device:\n%s\nlines:\n%s", back, strings.Join(gone, "\n"))
	}
	return lines, dev
}

func dropAS(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "set routing-options autonomous-system ") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func sameLines(a, b string) bool {
	norm := func(s string) string {
		var ls []string
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				ls = append(ls, l)
			}
		}
		sort.Strings(ls)
		return strings.Join(ls, "\n")
	}
	return norm(a) == norm(b)
}

func TestRenderSeed002Golden(t *testing.T) {
	lines, dev := roundTrip(t, configOf(seed002()...))
	golden(t, "create_seed002.golden.txt", strings.Join(lines, "\n")+"\n")
	golden(t, "seed002-rendered.set.txt", dev)
}

func TestRoundTripEachKind(t *testing.T) {
	for _, o := range seed002() {
		objs := []vpn.Object{o}
		// what the object needs
		switch v := o.(type) {
		case *vpn.Tunnel:
			for _, x := range seed002() {
				if g, ok := x.(*vpn.IKEGateway); ok && g.Name == v.Gateway {
					objs = append(objs, g)
				}
			}
		}
		t.Run(string(o.Kind())+" "+o.Key(), func(t *testing.T) { roundTrip(t, configOf(objs...)) })
	}
}

// change edits the seed-002 configuration on the device rendered from it; the lines are
// golden, and applying them gives exactly the edited configuration.
func TestRenderChangesGolden(t *testing.T) {
	cases := []struct {
		name string
		edit func(c *vpn.Config)
	}{
		{"delete_gateway_and_tunnel_1", func(c *vpn.Config) {
			c.Remove(vpn.KindTunnel, "AZURE-VPN-1")
			c.Remove(vpn.KindIKEGateway, "AZURE-GW-1")
			c.Remove(vpn.KindSourceRoute, "192.168.50.0/24")
			c.Remove(vpn.KindStaticRoute, vpn.KeyOf(vpn.KindStaticRoute, "172.16.1.0/24", "BACKUP"))
			c.Remove(vpn.KindBGPNeighbor, "169.254.21.6")
		}},
		{"update_gateway_proposal_and_key", func(c *vpn.Config) {
			g := c.IKEGateways()["AZURE-GW-0"]
			g.Proposals = []vpn.IKEProposal{{Encryption: "aes128", Integrity: "sha1", DHGroup: 14}}
			g.PreSharedKey = "n3w#k;y{$9}!?"
		}},
		{"update_tunnel", func(c *vpn.Config) {
			tu := c.Tunnels()["AZURE-VPN-0"]
			tu.PFSGroup = 14
			tu.MTU = 1400
			tu.DFBit = "clear"
			tu.AntiReplay = ptr(false)
			tu.Selectors = []vpn.TrafficSelector{{Local: "10.0.0.0/16", Remote: "172.16.0.0/12"}, {Local: "10.1.0.0/16", Remote: "172.16.0.0/12"}}
		}},
		{"update_prefix_list", func(c *vpn.Config) {
			pl := c.PrefixLists()["AZURE-PREFIXES"]
			pl.Rules = []vpn.PrefixRule{{Sequence: 1, Action: "permit", Prefix: "172.16.1.0/24"}, {Sequence: 2, Action: "permit", Prefix: "172.16.2.0/24"}}
		}},
		{"update_bgp_neighbor", func(c *vpn.Config) {
			n := c.BGPNeighbors()["169.254.21.2"]
			n.HoldTime, n.Keepalive = 90, 30
			n.PrefixListIn = ""
			n.Password = ""
			n.Description = "instance 0 # not a comment"
		}},
		{"delete_one_neighbor", func(c *vpn.Config) { c.Remove(vpn.KindBGPNeighbor, "169.254.21.2") }},
		{"delete_source_route", func(c *vpn.Config) { c.Remove(vpn.KindSourceRoute, "192.168.50.0/24") }},
		{"update_static_route", func(c *vpn.Config) {
			c.StaticRoutes()["172.16.1.0/24"].Interface = "st0.1"
		}},
	}
	_, dev := roundTrip(t, configOf(seed002()...))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			snap := snapshot(t, dev)
			want := snap.Config.Clone()
			tc.edit(want)
			lines, err := p.Render(snap, want)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name+".golden.txt", strings.Join(lines, "\n")+"\n")
			after := snapshot(t, apply(t, dev, lines))
			mustEqualConfig(t, after.Config, p.normalizedConfig(want))
			if again, _ := p.Render(after, after.Config); len(again) != 0 {
				t.Errorf("re-render: %q", again)
			}
		})
	}
}

// The router id belongs to the instance: neighbors read from the device carry it, a change on
// one of them is the instance's new router id, two different changes are refused.
func TestRouterID(t *testing.T) {
	text := body(readFile(t, "seed002-srx.set.txt")) + "\nset routing-options router-id 10.0.1.1\n"
	snap := snapshot(t, text)
	if got := snap.Config.BGPNeighbors()["169.254.21.6"].RouterID; got != "10.0.1.1" {
		t.Fatalf("router id read as %q", got)
	}
	want := snap.Config.Clone()
	want.BGPNeighbors()["169.254.21.2"].RouterID = "10.0.1.9"
	lines, err := p.Render(snap, want)
	if err != nil || strings.Join(lines, "\n") != "set routing-options router-id 10.0.1.9" {
		t.Fatalf("%v %q", err, lines)
	}
	want.BGPNeighbors()["169.254.21.6"].RouterID = "10.0.1.8"
	if _, err := p.Render(snap, want); err == nil || !strings.Contains(err.Error(), "one router id") {
		t.Errorf("two changes: %v", err)
	}
}

// A policy statement that another protocol still applies stays when its last neighbor goes.
func TestPolicyStillReferencedStays(t *testing.T) {
	text := body(readFile(t, "seed002-srx.set.txt")) + "\nset protocols ospf export ONPREM-OUT\n"
	snap := snapshot(t, text)
	want := snap.Config.Clone()
	want.Remove(vpn.KindBGPNeighbor, "169.254.21.2")
	want.Remove(vpn.KindBGPNeighbor, "169.254.21.6")
	lines, err := p.Render(snap, want)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(lines, "\n")
	if strings.Contains(got, "policy-statement ONPREM-OUT") || !strings.Contains(got, "delete policy-options policy-statement AZURE-IN") {
		t.Errorf("lines:\n%s", got)
	}
	mustEqualConfig(t, snapshot(t, apply(t, text, lines)).Config, want)
}

// Changes to the hand-written seed-002 SRX keep its own names for shared objects: a third
// neighbor in the same group inherits nothing it does not want, a new tunnel reuses the
// device's proposals.
func TestRenderOntoHandConfig(t *testing.T) {
	text := readFile(t, "seed002-srx.set.txt")
	snap := snapshot(t, text)
	want := snap.Config.Clone()
	want.Put(&vpn.Tunnel{Name: "AZURE-VPN-2", Gateway: "AZURE-GW-1", Proposals: []vpn.IPsecProposal{{Encryption: "aes256", Integrity: "sha256"}}, Lifetime: 3600,
		Interface: "st0.2", Address: "169.254.21.9/30", Zone: "vpn", TCPMSS: 1350})
	want.Put(&vpn.BGPNeighbor{Address: "169.254.21.10", LocalAS: 64512, RemoteAS: 65515, HoldTime: 180, Keepalive: 60, PrefixListOut: "ONPREM-PREFIXES"})
	lines, err := p.Render(snap, want)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "hand_config_additions.golden.txt", strings.Join(lines, "\n")+"\n")
	after := snapshot(t, apply(t, body(text), lines))
	mustEqualConfig(t, after.Config, want)
}

func TestRenderErrors(t *testing.T) {
	base := snapshot(t, readFile(t, "base.set.txt"))
	objs := seed002()
	cases := map[string]struct {
		objs []vpn.Object
		want string
	}{
		"no external interface": {[]vpn.Object{&vpn.IKEGateway{Name: "G", PeerAddress: "198.51.100.1", LocalAddress: "10.9.9.9", IKEVersion: 2, PreSharedKey: "k", Lifetime: 28800,
			Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}}}}, `external_interface`},
		"unknown gateway": {[]vpn.Object{objs[2]}, `refers to ike_gateway "AZURE-GW-0"`},
		"same unit": {[]vpn.Object{objs[0], objs[1], objs[2], func() vpn.Object {
			t := *objs[3].(*vpn.Tunnel)
			t.Interface = "st0.0"
			return &t
		}()}, "both use tunnel_interface st0.0"},
		"router ids": {[]vpn.Object{
			&vpn.BGPNeighbor{Address: "10.0.0.1", LocalAS: 1, RemoteAS: 2, RouterID: "1.1.1.1"},
			&vpn.BGPNeighbor{Address: "10.0.0.2", LocalAS: 1, RemoteAS: 2, RouterID: "2.2.2.2"}}, "router id"},
		"two filters on one unit": {[]vpn.Object{
			&vpn.SourceRoute{Source: "10.1.0.0/16", Interface: "st0.0", IngressInterface: "ge-0/0/1.0", Ruleset: "A"},
			&vpn.SourceRoute{Source: "10.2.0.0/16", Interface: "st0.0", IngressInterface: "ge-0/0/1.0", Ruleset: "B"}}, "one input filter"},
		"validation": {[]vpn.Object{&vpn.PrefixList{Name: "P", Rules: []vpn.PrefixRule{{Sequence: 10, Action: "deny", Prefix: "10.0.0.0/8"}}}}, `rules["10"].action`},
	}
	hand := snapshot(t, readFile(t, "seed002-srx.set.txt"))
	taken := hand.Config.Clone()
	taken.Put(&vpn.Tunnel{Name: "NEW", Gateway: "AZURE-GW-0", Interface: "st0.1", Zone: "vpn", Lifetime: 3600, Proposals: []vpn.IPsecProposal{{Encryption: "aes256", Integrity: "sha256"}}})
	taken.Remove(vpn.KindTunnel, "AZURE-VPN-1")
	if _, err := p.Render(hand, taken); err != nil {
		t.Errorf("a unit freed in the same change: %v", err)
	}
	// a new tunnel without an address on a unit the device addresses (outside the model)
	addressed := snapshot(t, readFile(t, "base.set.txt")+"set interfaces st0 unit 3 family inet address 169.254.30.1/30\n")
	taken = addressed.Config.Clone()
	taken.Put(&vpn.IKEGateway{Name: "G", PeerAddress: "198.51.100.1", LocalAddress: "203.0.113.2", IKEVersion: 2, PreSharedKey: "k", Lifetime: 28800,
		Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}}})
	taken.Put(&vpn.Tunnel{Name: "NEW", Gateway: "G", Interface: "st0.3", Zone: "vpn", Lifetime: 3600, Proposals: []vpn.IPsecProposal{{Encryption: "aes256", Integrity: "sha256"}}})
	if _, err := p.Render(addressed, taken); err == nil || !strings.Contains(err.Error(), "st0.3 already has the address 169.254.30.1/30") {
		t.Errorf("an addressed unit: %v", err)
	}
	foreign := snapshot(t, readFile(t, "seed002-srx.set.txt")+"set security ipsec vpn OTHER bind-interface st0.5\nset security ipsec vpn OTHER ike gateway NOT-MODELLED\n")
	taken = foreign.Config.Clone()
	taken.Put(&vpn.Tunnel{Name: "NEW", Gateway: "AZURE-GW-0", Interface: "st0.5", Zone: "vpn", Lifetime: 3600, Proposals: []vpn.IPsecProposal{{Encryption: "aes256", Integrity: "sha256"}}})
	if _, err := p.Render(foreign, taken); err == nil || !strings.Contains(err.Error(), "binds st0.5 to another VPN, OTHER") {
		t.Errorf("a unit another VPN holds: %v", err)
	}
	noImport := hand.Config.Clone()
	noImport.BGPNeighbors()["169.254.21.2"].PrefixListIn = ""
	if _, err := p.Render(hand, noImport); err == nil || !strings.Contains(err.Error(), "group AZURE on the device sets import") {
		t.Errorf("group-level import dropped from one neighbor: %v", err)
	}
	for name, c := range cases {
		_, err := p.Render(base, configOf(c.objs...))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A new source route on the reference sample's filter PBR goes before the device's own
// accept-all term DEFAULT (an `insert`), into the existing forwarding instance when it routes
// to the same target, and the rib group keeps its name.
func TestSourceRouteOntoHandFilter(t *testing.T) {
	text := body(readFile(t, "reference-sample.set.txt"))
	snap := snapshot(t, text)
	want := snap.Config.Clone()
	want.Put(&vpn.SourceRoute{Source: "192.168.60.0/24", Interface: "st0.0", Ruleset: "PBR", IngressInterface: "ge-0/0/1.0"})
	want.Put(&vpn.SourceRoute{Source: "192.168.70.0/24", Destination: "10.1.0.0/16", NextHop: "169.254.255.1", Ruleset: "PBR", IngressInterface: "ge-0/0/1.0"})
	lines, err := p.Render(snap, want)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "hand_filter_source_routes.golden.txt", strings.Join(lines, "\n")+"\n")
	dev := apply(t, text, lines)
	after := snapshot(t, dev)
	mustEqualConfig(t, after.Config, want)
	// DEFAULT is the filter's last term on the device.
	var terms []string
	for _, l := range strings.Split(dev, "\n") {
		if strings.HasPrefix(l, "set firewall family inet filter PBR term ") {
			f := strings.Fields(l)
			if len(terms) == 0 || terms[len(terms)-1] != f[7] {
				terms = append(terms, f[7])
			}
		}
	}
	if len(terms) != 4 || terms[3] != "DEFAULT" {
		t.Errorf("terms in device order: %q", terms)
	}
	// Removing the sample's own source route keeps the filter, DEFAULT and the rib group.
	rest := after.Config.Clone()
	rest.Remove(vpn.KindSourceRoute, "192.168.50.0/24")
	lines, err = p.Render(after, rest)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "hand_filter_delete_one.golden.txt", strings.Join(lines, "\n")+"\n")
	mustEqualConfig(t, snapshot(t, apply(t, dev, lines)).Config, rest)
}
