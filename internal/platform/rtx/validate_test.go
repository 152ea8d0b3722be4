package rtx

import (
	"reflect"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func validGateway() *vpn.IKEGateway {
	return &vpn.IKEGateway{Name: "azure", Number: 1, PeerAddress: "198.51.100.10", IKEVersion: 2, PreSharedKey: "k3y",
		Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}}, Lifetime: 28800}
}

func validTunnel() *vpn.Tunnel {
	return &vpn.Tunnel{Name: "azure-link", Number: 1, Gateway: "azure", Lifetime: 27000, Interface: "tunnel1",
		Proposals: []vpn.IPsecProposal{{Encryption: "aes256", Integrity: "sha256"}}}
}

// TestValidateHostile: values a user could write that the RTX cannot take are refused, naming
// the attribute and the RTX's reason.
func TestValidateHostile(t *testing.T) {
	cases := []struct {
		name  string
		obj   vpn.Object
		field string
		msg   string
	}{
		{"description non-ascii", func() vpn.Object { tu := validTunnel(); tu.Description = "東京へ"; return tu }(), "description", "ASCII"},
		{"description too long", func() vpn.Object { tu := validTunnel(); tu.Description = strings.Repeat("x", 60); return tu }(), "description", "64 characters"},
		{"psk star", func() vpn.Object { g := validGateway(); g.PreSharedKey = "*"; return g }(), "pre_shared_key", "hidden secret"},
		{"two ike proposals", func() vpn.Object {
			g := validGateway()
			g.Proposals = append(g.Proposals, g.Proposals[0])
			return g
		}(), "proposals", "one IKE proposal"},
		{"gcm", func() vpn.Object { g := validGateway(); g.Proposals[0].Encryption = "aes128gcm"; return g }(), "proposals[0].encryption", "aes-cbc"[:0] + "RTX ipsec ike encryption takes"},
		{"group 19", func() vpn.Object { g := validGateway(); g.Proposals[0].DHGroup = 19; return g }(), "proposals[0].dh_group", "groups 1, 2, 5, 14"},
		{"short lifetime", func() vpn.Object { g := validGateway(); g.Lifetime = 120; return g }(), "lifetime", "300 seconds"},
		{"dpd", func() vpn.Object {
			g := validGateway()
			g.DPD = &vpn.DPD{Interval: 10, Timeout: 30, Action: "restart"}
			return g
		}(), "dpd", "liveness"},
		{"aggressive without name", func() vpn.Object { g := validGateway(); g.IKEVersion = 1; g.Mode = "aggressive"; return g }(), "ike_mode", "local name"},
		{"local id with space", func() vpn.Object { g := validGateway(); g.LocalID = "a b"; return g }(), "local_id", "local name"},
		{"tunnel interface", func() vpn.Object { tu := validTunnel(); tu.Interface = "tunnel2"; return tu }(), "tunnel_interface", "tunnel1"},
		{"selectors", func() vpn.Object {
			tu := validTunnel()
			tu.Selectors = []vpn.TrafficSelector{{Local: "10.0.0.0/8", Remote: "172.16.0.0/12"}}
			return tu
		}(), "traffic_selectors", "route-based"},
		{"mss", func() vpn.Object { tu := validTunnel(); tu.TCPMSS = 1500; return tu }(), "tcp_mss", "536..1460"},
		{"route interface", &vpn.StaticRoute{Destination: "10.0.0.0/8", Interface: "vti0"}, "tunnel_interface", "tunnelN"},
		{"metric", &vpn.StaticRoute{Destination: "10.0.0.0/8", Interface: "tunnel1", Distance: 20}, "distance", "1 and 15"},
		{"source preference", &vpn.SourceRoute{Source: "10.0.0.0/8", Interface: "tunnel1", Preference: 15}, "preference", "not used"},
		{"keepalive not a third", &vpn.BGPNeighbor{Address: "169.254.21.2", HoldTime: 180, Keepalive: 30}, "keepalive", "hold_time / 3"},
		{"4-byte AS", &vpn.BGPNeighbor{Address: "169.254.21.2", LocalAS: 4200000000}, "local_as", "1..65535"},
		{"networks", &vpn.BGPNeighbor{Address: "169.254.21.2", Networks: []string{"10.0.0.0/16"}}, "networks", "prefix_list_out"},
		{"prefix sequences", &vpn.PrefixList{Name: "p", Rules: []vpn.PrefixRule{{Sequence: 5, Action: "permit", Prefix: "10.0.0.0/8"}}}, `rules["5"]`, "10, 20, 30"},
		{"prefix mixed actions", &vpn.PrefixList{Name: "p", Rules: []vpn.PrefixRule{{Sequence: 10, Action: "permit", Prefix: "10.0.0.0/8"}, {Sequence: 20, Action: "deny", Prefix: "10.1.0.0/16"}}}, "rules", "one action"},
		{"prefix ge le", &vpn.PrefixList{Name: "p", Rules: []vpn.PrefixRule{{Sequence: 10, Action: "permit", Prefix: "10.0.0.0/8", GE: 16, LE: 24}}}, "rules", "ge = length+1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			es := p.Validate(tc.obj)
			if !hasField(es, tc.field, tc.msg) {
				t.Errorf("errors %v, want %s: ...%s...", es, tc.field, tc.msg)
			}
		})
	}
	for _, o := range []vpn.Object{validGateway(), validTunnel()} {
		if es := append(o.Validate(), p.Validate(o)...); len(es) != 0 {
			t.Errorf("valid %s refused: %v", o.Kind(), es)
		}
	}
}

// TestRenderHostileSafely: text the RTX takes but that looks like a prompt, an error, a comment
// or a command renders as one quoted token and reads back as itself, and a key with shell
// and CLI characters reads back unchanged.
func TestRenderHostileSafely(t *testing.T) {
	// Quotes, backslashes and `?` are typed escaped in double quotes (command reference 1.5).
	for _, desc := range []string{`say "hi" to o/`, "it's", "why?", `"`, "'#'", "# not a comment", "Error: Invalid command name", "[RTX1210] #", "tunnel1# ", "x > y", "$HOME; no ip route default", "a  b", "100% & <ok>"} {
		desc := strings.TrimSpace(desc)
		for _, key := range []string{"k#y$1", "why?", "a|b>c#", "p@ss>w0rd!", "a;b|c&d", "**", "0xdeadbeef", "-k", "e=mc2,%"} {
			g := validGateway()
			g.Description, g.PreSharedKey = desc, key
			tu := validTunnel()
			tu.Description = desc
			for _, o := range []vpn.Object{g, tu} {
				if es := append(o.Validate(), p.Validate(o)...); len(es) != 0 {
					t.Fatalf("%q / key: refused: %v", desc, es)
				}
			}
			want := vpn.NewConfig()
			want.Put(g)
			want.Put(tu)
			steps, err := p.RenderSteps(platform.Snapshot{Config: vpn.NewConfig()}, want)
			if err != nil {
				t.Fatal(err)
			}
			s := newStore(t, "")
			applySteps(t, s, steps, false)
			got := parse(t, s.listing())
			if !reflect.DeepEqual(got, want) || secrets(got) != secrets(want) {
				t.Errorf("%q / key: read back\n%s", desc, marshal(t, got))
			}
			for _, st := range steps {
				if strings.Contains(st.Do.Line, "\n") || strings.Contains(st.Do.Line, "\r") {
					t.Errorf("a line break in %q", st.Do.Line)
				}
			}
		}
	}
}
