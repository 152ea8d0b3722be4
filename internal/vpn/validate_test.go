package vpn

import (
	"strings"
	"testing"
)

func validGateway() *IKEGateway {
	return &IKEGateway{
		Name: "AZURE", PeerAddress: "192.0.2.1", LocalAddress: "203.0.113.1", IKEVersion: 2,
		PreSharedKey: "s3cret-PSK", Lifetime: 28800,
		Proposals: []IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}},
	}
}

// Each case breaks one attribute; the error must name that attribute and only that one.
func TestValidateNamesTheAttribute(t *testing.T) {
	cases := []struct {
		name  string
		obj   Object
		field string
		msg   string
	}{
		{"name with a quote", mod(validGateway(), func(g *IKEGateway) { g.Name = `A"B` }), "name", "may contain only"},
		{"name with a newline", mod(validGateway(), func(g *IKEGateway) { g.Name = "A\nset system" }), "name", "may contain only"},
		{"name too long", mod(validGateway(), func(g *IKEGateway) { g.Name = strings.Repeat("a", 64) }), "name", "at most 63"},
		{"peer not an address", mod(validGateway(), func(g *IKEGateway) { g.PeerAddress = "192.0.2.1; reboot" }), "peer_address", "neither"},
		{"psk with space", mod(validGateway(), func(g *IKEGateway) { g.PreSharedKey = "two words" }), "pre_shared_key", "without spaces"},
		{"psk with quote", mod(validGateway(), func(g *IKEGateway) { g.PreSharedKey = "ab'cd" }), "pre_shared_key", "quotes"},
		{"psk with newline", mod(validGateway(), func(g *IKEGateway) { g.PreSharedKey = "ab\ncommit" }), "pre_shared_key", "printable"},
		{"dh group", mod(validGateway(), func(g *IKEGateway) { g.Proposals[0].DHGroup = 3 }), "proposals[0].dh_group", "not a supported"},
		{"lifetime", mod(validGateway(), func(g *IKEGateway) { g.Lifetime = 10 }), "lifetime", "between 30 and 86400"},
		{"description control char", mod(validGateway(), func(g *IKEGateway) { g.Description = "a\x1bb" }), "description", "control character"},
		{"description newline", mod(validGateway(), func(g *IKEGateway) { g.Description = "a\r\nb" }), "description", "line break"},
		{"static route host bits", &StaticRoute{Destination: "10.0.0.1/8", Interface: "vti0"}, "destination", "host bits"},
		{"static route both targets, bad gateway", &StaticRoute{Destination: "10.0.0.0/8", Interface: "vti0", NextHop: "192.0.2"}, "next_hop", ""},
		{"static route no target", &StaticRoute{Destination: "10.0.0.0/8"}, "tunnel_interface", "one of"},
		{"interface injection", &StaticRoute{Destination: "10.0.0.0/8", Interface: "vti0 distance 1"}, "tunnel_interface", "not an interface"},
		{"prefix rule order", &PrefixList{Name: "P", Rules: []PrefixRule{{Sequence: 20, Action: "permit", Prefix: "10.0.0.0/8"}, {Sequence: 10, Action: "deny", Prefix: "10.0.0.0/8"}}}, "rules", "increasing"},
		{"prefix le below length", &PrefixList{Name: "P", Rules: []PrefixRule{{Sequence: 1, Action: "permit", Prefix: "10.0.0.0/16", LE: 8}}}, `rules["1"].le`, "at least the prefix length"},
		{"prefix rule description", &PrefixList{Name: "P", Rules: []PrefixRule{{Sequence: 10, Action: "permit", Prefix: "10.0.0.0/16"}, {Sequence: 20, Action: "deny", Prefix: "10.1.0.0/16", Description: "a`b"}}}, `rules["20"].description`, "character"},
		{"prefix rule sequence", &PrefixList{Name: "P", Rules: []PrefixRule{{Sequence: 70000, Action: "permit", Prefix: "10.0.0.0/16"}}}, `rules["70000"]`, "between 1 and 65535"},
		{"prefix rule duplicate", &PrefixList{Name: "P", Rules: []PrefixRule{{Sequence: 5, Action: "permit", Prefix: "10.0.0.0/16"}, {Sequence: 5, Action: "permit", Prefix: "10.1.0.0/16"}}}, `rules["5"]`, "duplicate"},
		{"bgp network", &BGPNeighbor{Address: "172.16.0.254", LocalAS: 65510, RemoteAS: 65515, Networks: []string{"192.168.1.0/24", "10.0.0.1/8"}}, `networks["10.0.0.1/8"]`, "host bits"},
		{"ike proposal encryption", mod(validGateway(), func(g *IKEGateway) {
			g.Proposals = append(g.Proposals, IKEProposal{Encryption: "rot13", Integrity: "sha1", DHGroup: 14})
		}), "proposals[1].encryption", "not one of"},
		{"dpd", mod(validGateway(), func(g *IKEGateway) { g.DPD = &DPD{Interval: 30, Timeout: 120, Action: "panic"} }), "dpd.action", "not one of"},
		{"bgp hold below 3x keepalive", &BGPNeighbor{Address: "172.16.0.254", LocalAS: 65510, RemoteAS: 65515, Keepalive: 60, HoldTime: 100}, "hold_time", "three times"},
		{"bgp asn 0", &BGPNeighbor{Address: "172.16.0.254", LocalAS: 0, RemoteAS: 65515}, "local_as", "between 1"},
		{"tunnel without interface or selectors", &Tunnel{Name: "T", Gateway: "G", Lifetime: 3600, Proposals: []IPsecProposal{{"aes256", "sha1"}}}, "traffic_selectors", "route-based"},
		{"selector same prefixes", &Tunnel{Name: "T", Gateway: "G", Lifetime: 3600, Proposals: []IPsecProposal{{"aes256", "sha1"}},
			Selectors: []TrafficSelector{{Local: "10.0.0.0/8", Remote: "10.0.0.0/8"}}}, "traffic_selectors[0]", "must differ"},
		{"source route table range", &SourceRoute{Source: "192.168.50.0/24", Interface: "vti0", Table: 201}, "table", "between 1 and 200"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			es := c.obj.Validate()
			if len(es) != 1 {
				t.Fatalf("want exactly one error on %s, got %v", c.field, es)
			}
			if es[0].Field != c.field || !strings.Contains(es[0].Message, c.msg) {
				t.Fatalf("want %s: ...%s..., got %s", c.field, c.msg, es[0])
			}
		})
	}
}

func TestValidObjectsPass(t *testing.T) {
	for _, o := range []Object{
		validGateway(),
		&Tunnel{Name: "T", Gateway: "G", Lifetime: 27000, Interface: "vti0", Address: "169.254.21.2/30", MTU: 1436, TCPMSS: 1350, Proposals: []IPsecProposal{{"aes256", "sha1"}}},
		&StaticRoute{Destination: "172.16.0.254/32", Interface: "vti0"},
		&SourceRoute{Source: "192.168.50.0/24", Destination: "172.16.0.0/22", Interface: "vti0", Table: 1, IngressInterface: "eth1.10"},
		&PrefixList{Name: "BGP", Rules: []PrefixRule{{Sequence: 10, Action: "deny", Prefix: "203.0.113.1/32", Description: "Deny Local Gateway Address"}, {Sequence: 100, Action: "permit", Prefix: "172.16.0.0/22", LE: 24}}},
		&BGPNeighbor{Address: "172.16.0.254", LocalAS: 65510, RemoteAS: 65515, EBGPMultihop: 2, UpdateSource: "192.168.1.1", Keepalive: 60, HoldTime: 180, Networks: []string{"192.168.1.0/24"}},
	} {
		if es := o.Validate(); len(es) > 0 {
			t.Errorf("%s %q: %v", o.Kind(), o.Key(), es)
		}
	}
}

// A secret never appears in a validation message, whatever is wrong with it.
func TestSecretNotInMessages(t *testing.T) {
	for _, s := range []string{"has space", "quo'te", strings.Repeat("x", 200), "tab\there", "nl\nhere"} {
		g := validGateway()
		g.PreSharedKey = s
		for _, e := range g.Validate() {
			if strings.Contains(e.Error(), s) {
				t.Fatalf("message %q contains the secret", e)
			}
		}
	}
}

func TestApplyChanges(t *testing.T) {
	cfg := NewConfig()
	g := validGateway()
	out, err := Apply(cfg, Change{Op: OpCreate, Kind: KindIKEGateway, Key: g.Name, Object: g})
	if err != nil || out.Get(KindIKEGateway, "AZURE") == nil {
		t.Fatalf("create: %v", err)
	}
	if cfg.Get(KindIKEGateway, "AZURE") != nil {
		t.Fatal("Apply changed its input")
	}
	if _, err := Apply(out, Change{Op: OpCreate, Kind: KindIKEGateway, Key: g.Name, Object: g}); err == nil || !strings.Contains(err.Error(), "import") {
		t.Fatalf("create of an existing object: %v", err)
	}
	if _, err := Apply(cfg, Change{Op: OpUpdate, Kind: KindIKEGateway, Key: g.Name, Object: g}); err == nil {
		t.Fatal("update of a missing object succeeded")
	}
	if _, err := Apply(cfg, Change{Op: OpDelete, Kind: KindIKEGateway, Key: "nope"}); err != nil {
		t.Fatalf("delete of a missing object: %v", err)
	}
	c := out.Clone()
	c.IKEGateways()["AZURE"].Proposals[0].DHGroup = 24
	if out.IKEGateways()["AZURE"].Proposals[0].DHGroup != 14 {
		t.Fatal("Clone shares proposals")
	}
}

func TestCheckSequence(t *testing.T) {
	for _, ok := range []string{"1", "10", "65535"} {
		if msg := CheckSequence(ok); msg != "" {
			t.Errorf("%q: %s", ok, msg)
		}
	}
	for _, bad := range []string{"", "0", "65536", "010", "+5", "-1", "1.5", "ten", " 10"} {
		if CheckSequence(bad) == "" {
			t.Errorf("%q accepted", bad)
		}
	}
}

func mod[T any](v T, f func(T)) T { f(v); return v }

// Quotes are the platforms' to judge: the neutral model lets "Azure's gateway" through, and
// every dialect renders it safely or refuses it with its device's reason.
func TestCheckTextLeavesQuotesToThePlatforms(t *testing.T) {
	for _, s := range []string{"Azure's gateway", `say "hi"`} {
		if msg := CheckText(s, 255); msg != "" {
			t.Errorf("CheckText(%q) = %q", s, msg)
		}
	}
	if msg := CheckText("a`b", 255); !strings.Contains(msg, "character `") {
		t.Errorf("CheckText(a`b) = %q, want the character shown as it is", msg)
	}
}
