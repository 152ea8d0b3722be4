package rtx

import (
	"reflect"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// TestSteps changes the seed 002 device (golden steps with their undo), runs the steps on a
// line store and checks that the device then holds the desired model, and that undoing every
// step in reverse gives the device back.
func TestSteps(t *testing.T) {
	text := read(t, "seed002_vwan.txt")
	cases := []struct {
		name   string
		change func(c *vpn.Config)
		check  func(t *testing.T, steps []platform.Step)
	}{
		{"update_psk", func(c *vpn.Config) {
			c.IKEGateways()["vwan-instance0"].PreSharedKey = "n3w-K3y#1$x"
		}, func(t *testing.T, steps []platform.Step) {
			if len(steps) != 1 || steps[0].Do.Line != `ipsec ike pre-shared-key 1 text "n3w-K3y#1$x"` {
				t.Errorf("a key change is one line typed again, got\n%s", stepsText(steps))
			}
		}},
		{"update_tunnel_mss", func(c *vpn.Config) {
			c.Tunnels()["vwan-link1"].TCPMSS = 1300
		}, func(t *testing.T, steps []platform.Step) {
			// Inside the tunnel's context; the undo selects the same tunnel first.
			want := []string{"tunnel select 2", "ip tunnel tcp mss limit 1300", "tunnel select none"}
			if len(steps) != 3 {
				t.Fatalf("steps:\n%s", stepsText(steps))
			}
			for i, s := range steps {
				if s.Do.Line != want[i] {
					t.Errorf("step %d: %q, want %q", i, s.Do.Line, want[i])
				}
			}
			undo := []string{"tunnel select 2", "ip tunnel tcp mss limit 1350", "tunnel select none"}
			if got := lines(steps[1].Undo); !reflect.DeepEqual(got, undo) {
				t.Errorf("undo %q, want %q", got, undo)
			}
			if got := lines(steps[1].Leave); !reflect.DeepEqual(got, []string{"tunnel select none"}) {
				t.Errorf("leave %q", got)
			}
			if len(steps[0].Undo) != 0 || len(steps[0].Leave) != 0 {
				t.Errorf("selecting the tunnel changes nothing: %+v", steps[0])
			}
		}},
		{"update_pfs_and_lifetime", func(c *vpn.Config) {
			tu := c.Tunnels()["vwan-link0"]
			tu.PFSGroup, tu.Lifetime = 14, 27000
		}, nil},
		{"delete_second_link", func(c *vpn.Config) {
			c.Remove(vpn.KindTunnel, "vwan-link1")
			c.Remove(vpn.KindIKEGateway, "vwan-instance1")
			c.Remove(vpn.KindBGPNeighbor, "169.254.21.6")
			c.Remove(vpn.KindStaticRoute, "169.254.21.6/32")
		}, func(t *testing.T, steps []platform.Step) {
			all := stepsText(steps)
			// The route goes before the tunnel it points into, the tunnel's policy line
			// before the policy, the policy before the gateway, and BGP is refreshed.
			order := []string{"no ip route 169.254.21.6/32", "no ipsec tunnel\n", "no ipsec sa policy 2\n", "no ipsec ike version 2\n", "bgp configure refresh"}
			last := -1
			for _, o := range order {
				i := strings.Index(all, o)
				if i < 0 || i < last {
					t.Errorf("%q missing or out of order in\n%s", o, all)
				}
				last = i
			}
			if strings.Contains(all, "ipsec auto refresh on") || strings.Contains(all, "no bgp use") {
				t.Errorf("the shared lines stay while the first link uses them:\n%s", all)
			}
		}},
		{"create_source_route", func(c *vpn.Config) {
			c.Put(&vpn.SourceRoute{Source: "10.0.5.0/24", Interface: "tunnel1", Rule: 9000})
		}, func(t *testing.T, steps []platform.Step) {
			all := stepsText(steps)
			if !strings.Contains(all, "ip filter 9000 pass 10.0.5.0/24 * * * *\n") ||
				!strings.Contains(all, "ip route default gateway tunnel 1 filter 9000 gateway 203.0.113.1\n    undo: ip route default gateway 203.0.113.1\n") {
				t.Errorf("the filter, then the default route with the filtered gateway before the fallback:\n%s", all)
			}
		}},
		{"create_third_link_bgp", func(c *vpn.Config) {
			c.Put(&vpn.IKEGateway{Name: "branch", Number: 3, PeerAddress: "branch.example.net", IKEVersion: 1, PreSharedKey: "k3y",
				Proposals: []vpn.IKEProposal{{Encryption: "aes128", Integrity: "sha256", DHGroup: 14}}, Lifetime: 28800,
				Liveness: &vpn.Liveness{Interval: 30, RetryCount: 5}, LocalID: "rtx@example.net", Mode: vpn.IKEModeAggressive, ConnectionType: "respond"})
			c.Put(&vpn.Tunnel{Name: "branch-link", Number: 3, Gateway: "branch", Proposals: []vpn.IPsecProposal{{Encryption: "aes256", Integrity: "sha1"}},
				PFSGroup: 5, Lifetime: 3600, Interface: "tunnel3", Address: "169.254.30.1/30", MTU: 1400, DFBit: vpn.DFBitCopy, TCPMSS: 1360})
			c.Put(&vpn.BGPNeighbor{Address: "169.254.30.2", Number: 3, LocalAS: 64512, RemoteAS: 65001, HoldTime: 90, Keepalive: 30,
				UpdateSource: "169.254.30.1", Password: "md5-S3cret", RouterID: "10.0.0.1"})
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			current := parse(t, text)
			desired := current.Clone()
			tc.change(desired)
			steps, err := p.RenderSteps(platform.Snapshot{Text: text, Config: current}, desired)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "steps_"+tc.name+".golden.txt", stepsText(steps))
			if tc.check != nil {
				tc.check(t, steps)
			}
			s := newStore(t, text)
			applySteps(t, s, steps, false)
			if got := parse(t, s.listing()); !reflect.DeepEqual(got, desired) || secrets(got) != secrets(desired) {
				t.Errorf("after the steps:\n%s\nwant:\n%s", marshal(t, got), marshal(t, desired))
			}
			s = newStore(t, text)
			applySteps(t, s, steps, true)
			if got := parse(t, s.listing()); !reflect.DeepEqual(got, current) || secrets(got) != secrets(current) {
				t.Errorf("after the undo:\n%s\nwant:\n%s", marshal(t, got), marshal(t, current))
			}
			// The device refuses step k: the steps before it went through, Leave takes the
			// session out of the contexts the refused step's group opened, and the undo of
			// the applied steps in reverse gives the device back, whichever step fails.
			orig := canon(t, newStore(t, text).listing())
			for k := range steps {
				s := newStore(t, text)
				for _, st := range steps[:k] {
					s.apply(t, st.Do.Line)
				}
				for _, l := range steps[k].Leave {
					s.apply(t, l.Line)
				}
				if s.ctx != nil {
					t.Fatalf("refused step %d (%q): Leave leaves the session in %v", k, steps[k].Do.Line, s.ctx)
				}
				for i := k - 1; i >= 0; i-- {
					for _, u := range steps[i].Undo {
						s.apply(t, u.Line)
					}
				}
				if got := canon(t, s.listing()); got != orig {
					t.Fatalf("refused step %d (%q): after the undo\n%s\nwant\n%s", k, steps[k].Do.Line, got, orig)
				}
			}
		})
	}
}

// TestStepsDeleteSeed001 deletes the seed 001 gateway and tunnel: every line of both goes,
// including the lines the model does not hold (keepalive log), and the undo restores them.
func TestStepsDeleteSeed001(t *testing.T) {
	text := read(t, "seed001_durations.txt")
	current := parse(t, text)
	desired := current.Clone()
	desired.Remove(vpn.KindTunnel, "tunnel100")
	desired.Remove(vpn.KindIKEGateway, "gateway100")
	steps, err := p.RenderSteps(platform.Snapshot{Text: text, Config: current}, desired)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "steps_delete_seed001.golden.txt", stepsText(steps))
	s := newStore(t, text)
	applySteps(t, s, steps, false)
	if got := s.listing(); got != "" {
		t.Errorf("left on the device:\n%s", got)
	}
	s = newStore(t, text)
	applySteps(t, s, steps, true)
	if got, want := canon(t, s.listing()), canon(t, newStore(t, text).listing()); got != want {
		t.Errorf("after the undo:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(stepsText(steps), "no ipsec ike keepalive log 100\n    undo: ipsec ike keepalive log 100 off\n") {
		t.Errorf("the keepalive log line goes with its gateway:\n%s", stepsText(steps))
	}
}

// TestRenderRefusesPolicyInUse: a new tunnel whose IPsec policy id the device uses for
// something else (an L2TP transport policy) is refused.
func TestRenderRefusesPolicyInUse(t *testing.T) {
	text := "ipsec sa policy 1 9 esp aes-cbc sha-hmac\nipsec ike pre-shared-key 9 text x\n"
	current := parse(t, text)
	desired := current.Clone()
	g := validGateway()
	g.Number = 2
	desired.Put(g)
	desired.Put(validTunnel())
	if _, err := p.RenderSteps(platform.Snapshot{Text: text, Config: current}, desired); err == nil || !strings.Contains(err.Error(), "ipsec sa policy 1") {
		t.Fatalf("error %v", err)
	}
}

func lines(cs []platform.Command) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Line)
	}
	return out
}

// TestStepsBGPRefresh: a BGP change ends with `bgp configure refresh`; a change that touches
// no BGP line has none.
func TestStepsBGPRefresh(t *testing.T) {
	text := read(t, "seed002_vwan.txt")
	current := parse(t, text)
	desired := current.Clone()
	desired.BGPNeighbors()["169.254.21.2"].HoldTime = 90
	desired.BGPNeighbors()["169.254.21.2"].Keepalive = 30
	steps, err := p.RenderSteps(platform.Snapshot{Text: text, Config: current}, desired)
	if err != nil || len(steps) != 2 || steps[1].Do.Line != "bgp configure refresh" {
		t.Fatalf("%v\n%s", err, stepsText(steps))
	}
	desired = current.Clone()
	desired.Tunnels()["vwan-link0"].MTU = 1400
	steps, _ = p.RenderSteps(platform.Snapshot{Text: text, Config: current}, desired)
	if strings.Contains(stepsText(steps), "bgp configure refresh") {
		t.Errorf("no BGP change, no refresh:\n%s", stepsText(steps))
	}
}

// TestRenderRefusesCollisions: numbers used twice, tunnel blocks and filters the device uses
// for something else, a tunnel without its gateway, two tunnels on one gateway.
func TestRenderRefusesCollisions(t *testing.T) {
	text := read(t, "seed002_vwan.txt") + "tunnel select 5\n tunnel encapsulation l2tpv3\n tunnel enable 5\nip filter 9000 pass 10.9.0.0/16 * * * *\n"
	current := parse(t, text)
	gw := func(c *vpn.Config) *vpn.IKEGateway { return c.IKEGateways()["vwan-instance0"] }
	cases := []struct {
		name   string
		change func(c *vpn.Config)
		want   string
	}{
		{"gateway number twice", func(c *vpn.Config) {
			g := *gw(c)
			g.Name, g.Number = "other", 2
			c.Put(&g)
		}, "number 2 is also used"},
		{"tunnel block of something else", func(c *vpn.Config) {
			g := *gw(c)
			g.Name, g.Number = "g5", 5
			c.Put(&g)
			c.Put(&vpn.Tunnel{Name: "t5", Number: 5, Gateway: "g5", Interface: "tunnel5", Lifetime: 3600, Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}})
		}, "tunnel 5 is configured on the device for something else"},
		{"filter of something else", func(c *vpn.Config) {
			c.Put(&vpn.SourceRoute{Source: "10.0.5.0/24", Interface: "tunnel1", Rule: 9000})
		}, "ip filter 9000 exists on the device"},
		{"missing gateway", func(c *vpn.Config) {
			c.Tunnels()["vwan-link0"].Gateway = "nowhere"
		}, `names gateway "nowhere"`},
		{"two tunnels on one gateway", func(c *vpn.Config) {
			c.Tunnels()["vwan-link1"].Gateway = "vwan-instance0"
		}, "already carries tunnel"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			desired := current.Clone()
			tc.change(desired)
			_, err := p.RenderSteps(platform.Snapshot{Text: text, Config: current}, desired)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}
