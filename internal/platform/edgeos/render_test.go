package edgeos

import (
	"slices"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func gateway() *vpn.IKEGateway {
	return &vpn.IKEGateway{
		Name: "AZ-1", PeerAddress: "198.51.100.7", LocalAddress: "203.0.113.1", IKEVersion: 2,
		PreSharedKey: "s3cr3t;$(reboot)", Lifetime: 28800,
		Proposals: []vpn.IKEProposal{{Encryption: "aes256gcm", Integrity: "sha256", DHGroup: 14}, {Encryption: "aes128", Integrity: "sha1", DHGroup: 2}},
		DPD:       &vpn.DPD{Interval: 30, Timeout: 120, Action: "restart"},
		LocalID:   "203.0.113.1", RemoteID: "@azure.example", ConnectionType: "initiate",
		Description: "tunnel to DC; set system host-name pwned",
	}
}

func vtiTunnel() *vpn.Tunnel {
	return &vpn.Tunnel{
		Name: "ESP-AZ", Gateway: "AZ-1", PFSGroup: 14, Lifetime: 3600,
		Proposals: []vpn.IPsecProposal{{Encryption: "aes256", Integrity: "sha256"}},
		Interface: "vti1", Address: "169.254.21.2/30", MTU: 1436, TCPMSS: 1350, Description: "Azure VTI",
	}
}

func policyBasedTunnel() *vpn.Tunnel {
	return &vpn.Tunnel{
		Name: "ESP-DC", Gateway: "AZ-1", Lifetime: 3600,
		Proposals: []vpn.IPsecProposal{{Encryption: "3des", Integrity: "md5"}},
		Selectors: []vpn.TrafficSelector{{Local: "192.168.1.0/24", Remote: "10.1.0.0/16"}, {Local: "192.168.2.0/24", Remote: "10.2.0.0/16"}},
	}
}

func objects() []vpn.Object {
	return []vpn.Object{
		&vpn.StaticRoute{Destination: "10.0.0.0/16", Interface: "vti1", Distance: 10},
		&vpn.StaticRoute{Destination: "10.9.0.0/16", NextHop: "169.254.21.1"},
		&vpn.SourceRoute{Source: "192.168.50.0/24", Destination: "10.0.0.0/8", Interface: "vti1", Table: 5, IngressInterface: "eth1.10", Description: "to Azure"},
		&vpn.SourceRoute{Source: "192.168.60.0/24", NextHop: "169.254.21.1", Table: 6, Rule: 60, Ruleset: "PBR", IngressInterface: "switch0"},
		&vpn.PrefixList{Name: "PL-OUT", Description: "local nets", Rules: []vpn.PrefixRule{
			{Sequence: 10, Action: "permit", Prefix: "192.168.0.0/16", GE: 24, LE: 28, Description: "LAN & stuff #1"},
			{Sequence: 20, Action: "deny", Prefix: "0.0.0.0/0", LE: 32},
		}},
		&vpn.BGPNeighbor{Address: "169.254.21.1", LocalAS: 65000, RemoteAS: 65515, UpdateSource: "169.254.21.2",
			EBGPMultihop: 2, Keepalive: 10, HoldTime: 30, PrefixListIn: "PL-OUT", PrefixListOut: "PL-OUT",
			SoftReconfigIn: true, Password: "md5#pass", Description: "Azure BGP", Networks: []string{"192.168.1.0/24", "192.168.50.0/24"}},
	}
}

func configOf(objs ...vpn.Object) *vpn.Config {
	c := vpn.NewConfig()
	for _, o := range objs {
		c.Put(vpn.CloneObject(o))
	}
	return c
}

// roundTrip renders cfg onto an empty device, checks every line is a set, parses the lines
// back and compares with the normalized cfg less the objects EdgeOS defers (a gateway without
// a tunnel is only its ike-group, which parses as no gateway).
func roundTrip(t testing.TB, cfg *vpn.Config) []string {
	t.Helper()
	lines, err := p.Render(platform.Snapshot{Config: vpn.NewConfig()}, cfg)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "set ") {
			t.Fatalf("unexpected line on an empty device: %q", l)
		}
	}
	// The lines are shell input; what the device prints is another format (EdgeOS quotes
	// without escapes): they go through the independent simulator and its listing is parsed.
	got, err := p.Parse(apply(t, "", lines))
	if err != nil {
		t.Fatal(err)
	}
	want := normalizedCopy(cfg)
	for _, o := range cfg.Objects() {
		if p.Deferred(o, cfg) != "" {
			want.Remove(o.Kind(), o.Key())
		}
	}
	mustEqualConfig(t, got, want)
	return lines
}

// A gateway without a tunnel renders to nothing: EdgeOS refuses to commit a peer with neither
// tunnel nor VTI, and an ike-group written ahead of it would stay on the device, outside
// state, if the tunnel never came. The gateway comes with the first tunnel, and goes with the
// last.
func TestGatewayDeferredUntilTunnel(t *testing.T) {
	gw := gateway()
	alone := configOf(gw)
	if p.Deferred(gw, alone) == "" {
		t.Fatal("a gateway without a tunnel is not reported as deferred")
	}
	lines, err := p.Render(snapshot(t, ""), alone)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 0 {
		t.Fatalf("a gateway without a tunnel rendered %q, want nothing", lines)
	}
	with := configOf(gw, vtiTunnel())
	if r := p.Deferred(gw, with); r != "" {
		t.Fatalf("gateway with a tunnel reported deferred: %s", r)
	}
	add, err := p.Render(snapshot(t, ""), with)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(add, "\n")
	if !strings.Contains(joined, "ike-group AZ-1 proposal 1") || !strings.Contains(joined, "site-to-site peer 198.51.100.7 ike-group AZ-1") || !strings.Contains(joined, "vti bind vti1") {
		t.Fatalf("gateway and tunnel not rendered together:\n%s", joined)
	}
	// Removing the last tunnel removes the whole gateway with it.
	full := apply(t, "", add)
	del, err := p.Render(snapshot(t, full), alone)
	if err != nil {
		t.Fatal(err)
	}
	joined = strings.Join(del, "\n")
	if !strings.Contains(joined, "delete vpn ipsec site-to-site peer 198.51.100.7") || !strings.Contains(joined, "delete vpn ipsec ike-group AZ-1") {
		t.Fatalf("gateway not deleted with its last tunnel: %q", del)
	}
}

func TestRoundTripEachKind(t *testing.T) {
	gw := gateway()
	cases := map[string][]vpn.Object{
		"gateway":            {gw},
		"gateway-minimal":    {&vpn.IKEGateway{Name: "G", PeerAddress: "vpn.example.com", LocalAddress: "192.0.2.1", IKEVersion: 1, Lifetime: 3600, Proposals: []vpn.IKEProposal{{Encryption: "3des", Integrity: "md5", DHGroup: 5}}}},
		"route-based":        {gw, vtiTunnel()},
		"route-based-bare":   {gw, &vpn.Tunnel{Name: "T", Gateway: "AZ-1", Lifetime: 3600, PFSGroup: 2, Interface: "vti0", Proposals: []vpn.IPsecProposal{{Encryption: "aes128gcm", Integrity: "sha512"}}}},
		"policy-based":       {gw, policyBasedTunnel()},
		"static-routes":      objects()[0:2],
		"source-routes":      objects()[2:4],
		"prefix-list":        objects()[4:5],
		"bgp":                objects()[5:6],
		"everything-at-once": append([]vpn.Object{gw, vtiTunnel()}, objects()...),
	}
	for name, objs := range cases {
		t.Run(name, func(t *testing.T) { roundTrip(t, configOf(objs...)) })
	}
}

func TestRenderEverythingGolden(t *testing.T) {
	lines := roundTrip(t, configOf(append([]vpn.Object{gateway(), vtiTunnel()}, objects()...)...))
	golden(t, "create_everything.golden.txt", strings.Join(lines, "\n")+"\n")
	for _, l := range lines {
		toks, _ := splitLine(l)
		if schema.MinDeleteDepth(toks[1:]) > len(toks)-1 {
			t.Errorf("no schema root covers %q", l)
		}
	}
}

// change is one step of a render scenario: edit the model of the current device state.
type change func(c *vpn.Config)

// renderScenario renders edit against device, compares with the golden file, applies the
// lines to a simulated device and checks that the device then parses to the desired model.
func renderScenario(t *testing.T, device, goldenName string, edit change) (lines []string, after string) {
	t.Helper()
	snap := snapshot(t, device)
	desired := snap.Config.Clone()
	edit(desired)
	lines, err := p.Render(snap, desired)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	golden(t, goldenName, strings.Join(lines, "\n")+"\n")
	after = apply(t, device, lines)
	got, err := p.Parse(after)
	if err != nil {
		t.Fatal(err)
	}
	mustEqualConfig(t, got, normalizedCopy(desired))
	// Rendering again against the new device state is a no-op.
	again, err := p.Render(snapshot(t, after), desired)
	if err != nil || len(again) != 0 {
		t.Fatalf("second render: %v %q", again, err)
	}
	return lines, after
}

func TestRenderSeed004(t *testing.T) {
	seed := readFile(t, "seed004.commands.txt")

	t.Run("esp-lifetime", func(t *testing.T) {
		lines, _ := renderScenario(t, seed, "esp_lifetime.golden.txt", func(c *vpn.Config) { c.Tunnels()["FOO0"].Lifetime = 3600 })
		if len(lines) != 1 || lines[0] != "set vpn ipsec esp-group FOO0 lifetime 3600" {
			t.Errorf("got %q", lines)
		}
	})
	t.Run("pfs-and-mss", func(t *testing.T) {
		renderScenario(t, seed, "pfs_mss.golden.txt", func(c *vpn.Config) {
			c.Tunnels()["FOO0"].PFSGroup = 14
			c.Tunnels()["FOO0"].TCPMSS = 1300
		})
	})
	t.Run("delete-bgp-neighbor", func(t *testing.T) {
		lines, _ := renderScenario(t, seed, "delete_bgp_neighbor.golden.txt", func(c *vpn.Config) { delete(c.BGPNeighbors(), "172.16.0.254") })
		want := []string{"delete protocols bgp 65510 neighbor 172.16.0.254", "delete protocols bgp 65510 network 192.168.1.0/24"}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("got %q want %q", lines, want)
		}
	})
	t.Run("second-neighbor-then-delete-first", func(t *testing.T) {
		_, dev := renderScenario(t, seed, "create_bgp_neighbor.golden.txt", func(c *vpn.Config) {
			n := *c.BGPNeighbors()["172.16.0.254"]
			n.Address, n.Description, n.Password = "172.16.0.253", "second Azure instance", "pw"
			n.Networks = []string{"192.168.1.0/24"}
			c.Put(&n)
		})
		lines, _ := renderScenario(t, dev, "delete_one_of_two_neighbors.golden.txt", func(c *vpn.Config) { delete(c.BGPNeighbors(), "172.16.0.254") })
		if len(lines) != 1 || lines[0] != "delete protocols bgp 65510 neighbor 172.16.0.254" {
			t.Errorf("the network must stay while a neighbor remains: %q", lines)
		}
	})
	t.Run("delete-gateway-and-tunnel", func(t *testing.T) {
		lines, after := renderScenario(t, seed, "delete_gateway_tunnel.golden.txt", func(c *vpn.Config) {
			delete(c.Tunnels(), "FOO0")
			delete(c.IKEGateways(), "FOO0")
		})
		for _, want := range []string{
			"delete vpn ipsec site-to-site peer 192.0.2.1", "delete vpn ipsec ike-group FOO0",
			"delete vpn ipsec esp-group FOO0", "delete interfaces vti vti0", "delete firewall options mss-clamp",
		} {
			if !contains(lines, want) {
				t.Errorf("missing %q in %q", want, lines)
			}
		}
		for _, keep := range []string{"set vpn ipsec auto-firewall-nat-exclude enable", "set system offload ipsec enable", "set interfaces ethernet eth0 address 203.0.113.1/24"} {
			if !strings.Contains(after, keep+"\n") {
				t.Errorf("%q was removed", keep)
			}
		}
	})
	t.Run("update-prefix-list", func(t *testing.T) {
		renderScenario(t, seed, "update_prefix_list.golden.txt", func(c *vpn.Config) {
			pl := c.PrefixLists()["BGP"]
			pl.Rules[1].Prefix = "192.0.2.2/32"
			pl.Rules[1].Description = "Deny new Azure Gateway Address"
			pl.Rules = append(pl.Rules[:2], pl.Rules[3:]...) // drop rule 30
			pl.Rules[3].LE = 32                              // rule 100
		})
	})
	t.Run("static-route-to-next-hop", func(t *testing.T) {
		renderScenario(t, seed, "static_route_next_hop.golden.txt", func(c *vpn.Config) {
			c.StaticRoutes()["172.16.0.254/32"] = &vpn.StaticRoute{Destination: "172.16.0.254/32", NextHop: "169.254.0.1", Distance: 5}
		})
	})
	t.Run("bgp-timers", func(t *testing.T) {
		// The seed's timers are the process's: the neighbor's own go on the neighbor, even when
		// one equals the process's, and the process's stay.
		lines, dev := renderScenario(t, seed, "bgp_timers.golden.txt", func(c *vpn.Config) {
			c.BGPNeighbors()["172.16.0.254"].HoldTime = 240
			c.BGPNeighbors()["172.16.0.254"].Keepalive = 60
		})
		want := []string{"set protocols bgp 65510 neighbor 172.16.0.254 timers holdtime 240", "set protocols bgp 65510 neighbor 172.16.0.254 timers keepalive 60"}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("got %q want %q", lines, want)
		}
		// Deleting the neighbor takes its timers; the process's stay.
		lines, dev = renderScenario(t, dev, "delete_bgp_neighbor_with_timers.golden.txt", func(c *vpn.Config) { delete(c.BGPNeighbors(), "172.16.0.254") })
		for _, l := range lines {
			if strings.Contains(l, "timers") {
				t.Errorf("%q touches timers", l)
			}
		}
		for _, keep := range []string{"set protocols bgp 65510 timers holdtime 180", "set protocols bgp 65510 timers keepalive 60"} {
			if !strings.Contains(dev, keep+"\n") {
				t.Errorf("%q was removed:\n%s", keep, dev)
			}
		}
	})
	t.Run("create-policy-vpn-with-routes", func(t *testing.T) {
		_, dev := renderScenario(t, seed, "create_policy_vpn.golden.txt", func(c *vpn.Config) {
			c.Put(gateway())
			c.Put(policyBasedTunnel())
			c.Put(&vpn.SourceRoute{Source: "192.168.50.0/24", Interface: "vti0", Table: 1, IngressInterface: "eth1"})
			c.Put(&vpn.SourceRoute{Source: "192.168.51.0/24", Interface: "vti0", Table: 1, Rule: 2, IngressInterface: "eth1"})
		})
		// A new selector takes the lowest free number, the old ones keep theirs.
		_, dev = renderScenario(t, dev, "policy_replace_selector.golden.txt", func(c *vpn.Config) {
			c.Tunnels()["ESP-DC"].Selectors = []vpn.TrafficSelector{{Local: "192.168.2.0/24", Remote: "10.2.0.0/16"}, {Local: "192.168.3.0/24", Remote: "10.3.0.0/16"}}
		})
		if !strings.Contains(dev, "peer 198.51.100.7 tunnel 2 remote prefix 10.2.0.0/16") || !strings.Contains(dev, "peer 198.51.100.7 tunnel 3 remote prefix 10.3.0.0/16") {
			t.Errorf("selector numbering:\n%s", dev)
		}
		// A selector's protocol is `tunnel N protocol`; changing it makes a new selector on the
		// lowest free number, and `protocol all` on the device reads as any.
		_, dev = renderScenario(t, dev, "policy_selector_protocol.golden.txt", func(c *vpn.Config) {
			c.Tunnels()["ESP-DC"].Selectors[0].Protocol = "tcp"
		})
		if !strings.Contains(dev, "peer 198.51.100.7 tunnel 1 protocol tcp") {
			t.Errorf("protocol not on the device:\n%s", dev)
		}
		if got, _ := p.Parse(strings.ReplaceAll(dev, "protocol tcp", "protocol all")); got.Tunnels()["ESP-DC"].Selectors[0].Protocol != "" {
			t.Errorf("protocol all parsed as %q", got.Tunnels()["ESP-DC"].Selectors[0].Protocol)
		}
		// Ports: `tunnel N local port` and `remote port`.
		_, dev = renderScenario(t, dev, "policy_selector_ports.golden.txt", func(c *vpn.Config) {
			c.Tunnels()["ESP-DC"].Selectors[1].Protocol = "udp"
			c.Tunnels()["ESP-DC"].Selectors[1].LocalPort = 500
			c.Tunnels()["ESP-DC"].Selectors[1].RemotePort = 4500
		})
		if !strings.Contains(dev, "tunnel 2 local port 500") || !strings.Contains(dev, "tunnel 2 remote port 4500") {
			t.Errorf("ports not on the device:\n%s", dev)
		}
		_, dev = renderScenario(t, dev, "policy_selector_protocol_removed.golden.txt", func(c *vpn.Config) {
			c.Tunnels()["ESP-DC"].Selectors[0].Protocol = ""
			c.Tunnels()["ESP-DC"].Selectors[1] = vpn.TrafficSelector{Local: "192.168.3.0/24", Remote: "10.3.0.0/16"}
		})
		// Removing one source route keeps the shared ruleset and binding; removing both removes them.
		_, dev = renderScenario(t, dev, "delete_one_source_route.golden.txt", func(c *vpn.Config) { delete(c.SourceRoutes(), "192.168.51.0/24") })
		renderScenario(t, dev, "delete_last_source_route.golden.txt", func(c *vpn.Config) { delete(c.SourceRoutes(), "192.168.50.0/24") })
	})
}

// Networks belong to the BGP process: it announces the union of its neighbors' networks, and
// a network goes only when no remaining neighbor lists it. Parsed back, every neighbor lists
// all of them (the device cannot attribute them), so while another neighbor is on the device a
// network one neighbor drops stays.
func TestRenderBGPNetworks(t *testing.T) {
	seed := readFile(t, "seed004.commands.txt")
	render := func(device string, edit change) (lines []string, after string) {
		t.Helper()
		snap := snapshot(t, device)
		desired := snap.Config.Clone()
		edit(desired)
		lines, err := p.Render(snap, desired)
		if err != nil {
			t.Fatalf("render: %v", err)
		}
		return lines, apply(t, device, lines)
	}
	lines, dev := render(seed, func(c *vpn.Config) {
		c.Put(&vpn.BGPNeighbor{Address: "172.16.0.253", LocalAS: 65510, RemoteAS: 65515, Networks: []string{"192.168.50.0/24"}})
	})
	want := []string{"set protocols bgp 65510 neighbor 172.16.0.253 remote-as 65515", "set protocols bgp 65510 network 192.168.50.0/24"}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("second neighbor with its own network: got %q want %q", lines, want)
	}
	c, err := p.Parse(dev)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range c.BGPNeighbors() {
		if strings.Join(n.Networks, " ") != "192.168.1.0/24 192.168.50.0/24" {
			t.Errorf("%s parses with networks %v, want the process's two", n.Address, n.Networks)
		}
	}

	// The new neighbor drops its network: the other neighbor is on the device and may need it.
	lines, dev = render(dev, func(c *vpn.Config) { c.BGPNeighbors()["172.16.0.253"].Networks = nil })
	if len(lines) != 0 {
		t.Errorf("dropping a network another neighbor may need: %q", lines)
	}
	// Both neighbors drop 192.168.50.0/24 together: it goes.
	lines, dev = render(dev, func(c *vpn.Config) {
		c.BGPNeighbors()["172.16.0.253"].Networks = nil
		c.BGPNeighbors()["172.16.0.254"].Networks = []string{"192.168.1.0/24"}
	})
	if want := []string{"delete protocols bgp 65510 network 192.168.50.0/24"}; strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("dropped by every neighbor: got %q want %q", lines, want)
	}
	// The last neighbor goes: its network goes with it, the process's timers stay.
	_, dev = render(dev, func(c *vpn.Config) { delete(c.BGPNeighbors(), "172.16.0.253") })
	lines, dev = render(dev, func(c *vpn.Config) { delete(c.BGPNeighbors(), "172.16.0.254") })
	want = []string{"delete protocols bgp 65510 neighbor 172.16.0.254", "delete protocols bgp 65510 network 192.168.1.0/24"}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("last neighbor: got %q want %q", lines, want)
	}
	if !strings.Contains(dev, "set protocols bgp 65510 timers holdtime 180\n") {
		t.Errorf("the process's timers went:\n%s", dev)
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

func TestRenderErrors(t *testing.T) {
	seed := snapshot(t, readFile(t, "seed004.commands.txt"))
	cases := []struct {
		name string
		edit change
		want string
	}{
		{"missing gateway", func(c *vpn.Config) { delete(c.IKEGateways(), "FOO0") }, `vpn_tunnel "FOO0" refers to ike_gateway "FOO0"`},
		{"aes192", func(c *vpn.Config) { c.IKEGateways()["FOO0"].Proposals[0].Encryption = "aes192" }, "proposals[0].encryption"},
		{"des esp", func(c *vpn.Config) { c.Tunnels()["FOO0"].Proposals[0].Encryption = "des" }, "proposals[0].encryption"},
		{"no local address", func(c *vpn.Config) { c.IKEGateways()["FOO0"].LocalAddress = "" }, "local_address"},
		{"model validation", func(c *vpn.Config) { c.IKEGateways()["FOO0"].Lifetime = 5 }, "lifetime"},
		{"second AS", func(c *vpn.Config) {
			c.Put(&vpn.BGPNeighbor{Address: "10.0.0.1", LocalAS: 65001, RemoteAS: 65002})
		}, "one BGP process"},
		{"mss disagreement", func(c *vpn.Config) {
			c.Put(&vpn.IKEGateway{Name: "G2", PeerAddress: "198.51.100.9", LocalAddress: "203.0.113.1", IKEVersion: 2, Lifetime: 3600, Proposals: []vpn.IKEProposal{{Encryption: "aes128", Integrity: "sha1", DHGroup: 14}}})
			c.Put(&vpn.Tunnel{Name: "T2", Gateway: "G2", Lifetime: 3600, Interface: "vti2", TCPMSS: 1400, Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}})
		}, "mss-clamp"},
		{"two vtis on one peer", func(c *vpn.Config) {
			c.Put(&vpn.Tunnel{Name: "T2", Gateway: "FOO0", Lifetime: 3600, Interface: "vti2", Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}})
		}, "one VTI per peer"},
		{"duplicate peer", func(c *vpn.Config) {
			g := *c.IKEGateways()["FOO0"]
			g.Name = "OTHER"
			c.Put(&g)
		}, "peer_address 192.0.2.1"},
		{"source route without table", func(c *vpn.Config) {
			c.Put(&vpn.SourceRoute{Source: "10.5.0.0/16", Interface: "vti0", IngressInterface: "eth1"})
		}, "table"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := seed.Config.Clone()
			tc.edit(d)
			_, err := p.Render(seed, d)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		obj   vpn.Object
		field string
	}{
		{&vpn.IKEGateway{Proposals: []vpn.IKEProposal{{Encryption: "aes192", DHGroup: 14}}, LocalAddress: "1.2.3.4"}, "proposals[0].encryption"},
		{&vpn.IKEGateway{Proposals: []vpn.IKEProposal{{Encryption: "aes128", DHGroup: 1}}, LocalAddress: "1.2.3.4"}, "proposals[0].dh_group"},
		{&vpn.IKEGateway{}, "local_address"},
		{&vpn.IKEGateway{LocalAddress: "1.2.3.4", DPD: &vpn.DPD{Interval: 5, Timeout: 60}}, "dpd.interval"},
		{&vpn.Tunnel{Interface: "tun0"}, "tunnel_interface"},
		{&vpn.Tunnel{Interface: "vti0", Selectors: []vpn.TrafficSelector{{}}}, "traffic_selectors"},
		{&vpn.Tunnel{Selectors: []vpn.TrafficSelector{{}}, TCPMSS: 1350}, "tcp_mss"},
		{&vpn.Tunnel{Selectors: []vpn.TrafficSelector{{}}, Description: "x"}, "description"},
		{&vpn.Tunnel{Interface: "vti0", PFSGroup: 1}, "pfs_group"},
		{&vpn.SourceRoute{Table: 1, IngressInterface: "eth0", Preference: 10}, "preference"},
		{&vpn.SourceRoute{Table: 1, IngressInterface: "pppoe0"}, "ingress_interface"},
		{&vpn.SourceRoute{Table: 1}, "ingress_interface"},
	}
	for _, tc := range cases {
		es := p.Validate(tc.obj)
		found := false
		for _, e := range es {
			found = found || e.Field == tc.field
		}
		if !found {
			t.Errorf("%T: errors %v, want one for %s", tc.obj, es, tc.field)
		}
	}
	if es := p.Validate(gateway()); len(es) != 0 {
		t.Errorf("valid gateway: %v", es)
	}
	for _, o := range objects() {
		p.Normalize(o)
		if es := append(o.Validate(), p.Validate(o)...); len(es) != 0 {
			t.Errorf("%s %s: %v", o.Kind(), o.Key(), es)
		}
	}
}

func TestNormalize(t *testing.T) {
	s := &vpn.SourceRoute{Table: 7}
	p.Normalize(s)
	p.Normalize(s)
	if s.Ruleset != "SOURCE_ROUTE" || s.Rule != 7 {
		t.Errorf("%+v", s)
	}
}

// The BGP process's router id comes from the neighbors that set it: written once, kept while
// a neighbor sets it, refused when two neighbors disagree.
func TestBGPRouterID(t *testing.T) {
	n1 := &vpn.BGPNeighbor{Address: "169.254.21.1", LocalAS: 65510, RemoteAS: 65515, RouterID: "192.0.2.10"}
	n2 := &vpn.BGPNeighbor{Address: "169.254.22.1", LocalAS: 65510, RemoteAS: 65515}
	lines, err := p.Render(snapshot(t, ""), configOf(n1, n2))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(strings.Join(lines, "\n"), "parameters router-id 192.0.2.10"); n != 1 {
		t.Fatalf("router-id written %d times:\n%s", n, strings.Join(lines, "\n"))
	}
	dev := apply(t, "", lines)
	// A neighbor read from the device carries the process's router id.
	cfg, err := p.Parse(dev)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.BGPNeighbors()["169.254.22.1"].RouterID; got != "192.0.2.10" {
		t.Errorf("neighbor without router_id reads %q, want the process's", got)
	}
	// One neighbor changes it; the other, read from the device, carries the current value.
	changed := vpn.CloneObject(n1).(*vpn.BGPNeighbor)
	changed.RouterID = "192.0.2.11"
	up, err := p.Render(snapshot(t, dev), configOf(changed, cfg.BGPNeighbors()["169.254.22.1"]))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"set protocols bgp 65510 parameters router-id 192.0.2.11"}; !slices.Equal(up, want) {
		t.Errorf("update rendered %q, want %q", up, want)
	}
	// Two neighbors asking for two new values disagree.
	other := vpn.CloneObject(cfg.BGPNeighbors()["169.254.22.1"]).(*vpn.BGPNeighbor)
	other.RouterID = "192.0.2.12"
	if up, err = p.Render(snapshot(t, dev), configOf(changed, other)); err == nil || !strings.Contains(err.Error(), "router_id") {
		t.Fatalf("two neighbors with different new router ids: %q, %v", up, err)
	}
}
