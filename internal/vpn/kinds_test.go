package vpn

import (
	"reflect"
	"strings"
	"testing"
)

func boolp(b bool) *bool { return &b }

// Every kind is registered, in dependency order, with a constructor, a clone that shares no
// memory with its original, and its secrets.
func TestRegistryCoversEveryKind(t *testing.T) {
	want := []Kind{KindIKEGateway, KindPrefixList, KindTunnel, KindStaticRoute, KindSourceRoute, KindBGPNeighbor, KindSecurityPolicy}
	if !reflect.DeepEqual(Kinds, want) {
		t.Fatalf("Kinds = %v, want %v", Kinds, want)
	}
	for _, k := range Kinds {
		s, ok := SpecOf(k)
		if !ok || s.JSONName == "" || len(s.KeyAttrs) == 0 || s.New().Kind() != k {
			t.Errorf("kind %s: incomplete registration %+v", k, s)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("registering a kind twice did not panic")
		}
	}()
	RegisterKind(KindTunnel, KindDef[*Tunnel]{KeyAttrs: []string{"name"}, New: func() *Tunnel { return &Tunnel{} }, Clone: func(t *Tunnel) *Tunnel { return t }})
}

func TestCloneIsDeep(t *testing.T) {
	g := &IKEGateway{Name: "G", Proposals: []IKEProposal{{Encryption: "aes128"}}, DPD: &DPD{Interval: 30},
		Liveness: &Liveness{Interval: 10, RetryCount: 3}, NATTraversal: boolp(true)}
	c := CloneObject(g).(*IKEGateway)
	c.Proposals[0].Encryption, c.DPD.Interval, c.Liveness.RetryCount, *c.NATTraversal = "x", 1, 9, false
	if g.Proposals[0].Encryption != "aes128" || g.DPD.Interval != 30 || g.Liveness.RetryCount != 3 || !*g.NATTraversal {
		t.Errorf("clone shares memory with the original: %+v", g)
	}
	tu := &Tunnel{Name: "T", Selectors: []TrafficSelector{{Local: "10.0.0.0/8"}}, AntiReplay: boolp(true), Monitor: &TunnelMonitor{Interval: 5}}
	ct := CloneObject(tu).(*Tunnel)
	ct.Selectors[0].Local, *ct.AntiReplay, ct.Monitor.Interval = "x", false, 1
	if tu.Selectors[0].Local != "10.0.0.0/8" || !*tu.AntiReplay || tu.Monitor.Interval != 5 {
		t.Errorf("tunnel clone shares memory: %+v", tu)
	}
	n := &BGPNeighbor{Address: "10.0.0.1", Networks: []string{"10.1.0.0/16"}}
	CloneObject(n).(*BGPNeighbor).Networks[0] = "x"
	if n.Networks[0] != "10.1.0.0/16" {
		t.Error("neighbor clone shares networks")
	}
}

func TestSecretsFromRegistry(t *testing.T) {
	if got := Secrets(&IKEGateway{PreSharedKey: "psk-1"}); !reflect.DeepEqual(got, []string{"psk-1"}) {
		t.Errorf("gateway secrets = %v", got)
	}
	if got := Secrets(&BGPNeighbor{Password: "pw"}); !reflect.DeepEqual(got, []string{"pw"}) {
		t.Errorf("neighbor secrets = %v", got)
	}
	if got := Secrets(&BGPNeighbor{}); got != nil {
		t.Errorf("empty secret listed: %v", got)
	}
	if got := Secrets(&StaticRoute{Destination: "10.0.0.0/8"}); got != nil {
		t.Errorf("route secrets = %v", got)
	}
}

// The typed accessors are live views of the generic store.
func TestConfigTypedAccessorsAreLive(t *testing.T) {
	c := NewConfig()
	c.Put(&StaticRoute{Destination: "10.0.0.0/8", NextHop: "1.1.1.1"})
	c.StaticRoutes()["10.0.0.0/8"].Distance = 5
	if got := c.Get(KindStaticRoute, "10.0.0.0/8").(*StaticRoute).Distance; got != 5 {
		t.Errorf("edit through the accessor not seen by Get: %d", got)
	}
	c.Tunnels()["T"] = &Tunnel{Name: "T"}
	if c.Get(KindTunnel, "T") == nil || c.Len() != 2 {
		t.Errorf("insert through the accessor not seen: len %d", c.Len())
	}
	delete(c.Tunnels(), "T")
	if c.Get(KindTunnel, "T") != nil {
		t.Error("delete through the accessor not seen")
	}
	c.Put(&StaticRoute{Destination: "10.0.0.0/8", NextHop: "2.2.2.2", RoutingInstance: "trust-vr"})
	if len(c.OfKind(KindStaticRoute)) != 2 {
		t.Errorf("two routes to one prefix in different instances collapsed: %v", c.StaticRoutes())
	}
	cl := c.Clone()
	cl.StaticRoutes()["10.0.0.0/8"].Distance = 9
	if c.StaticRoutes()["10.0.0.0/8"].Distance != 5 {
		t.Error("Clone shares objects")
	}
}

func TestKeys(t *testing.T) {
	r := &StaticRoute{Destination: "10.0.0.0/16"}
	if r.Key() != "10.0.0.0/16" {
		t.Errorf("unqualified key changed: %q", r.Key())
	}
	r.RoutingInstance = "trust-vr"
	if r.Key() != "10.0.0.0/16,routing_instance=trust-vr" {
		t.Errorf("qualified key = %q", r.Key())
	}
	for key, want := range map[string][]string{
		"10.0.0.0/16":                           {"10.0.0.0/16", ""},
		"10.0.0.0/16,routing_instance=trust-vr": {"10.0.0.0/16", "trust-vr"},
	} {
		got, err := ParseKey(KindStaticRoute, key)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseKey(%q) = %v, %v; want %v", key, got, err, want)
		}
		if KeyOf(KindStaticRoute, got...) != key {
			t.Errorf("KeyOf(ParseKey(%q)) = %q", key, KeyOf(KindStaticRoute, got...))
		}
	}
	for key, msg := range map[string]string{
		"":                              "empty",
		",routing_instance=x":           "empty",
		"10.0.0.0/16,vrf=x":             "vrf is not part of a static_route key",
		"10.0.0.0/16,routing_instance":  "not <attribute>=<value>",
		"10.0.0.0/16,routing_instance=": "not <attribute>=<value>",
		"10.0.0.0/16,routing_instance=a,routing_instance=b": "repeated",
		"10.0.0.0/16,destination=x":                         "not part of",
	} {
		if _, err := ParseKey(KindStaticRoute, key); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParseKey(%q) error = %v, want %q", key, err, msg)
		}
	}
	if got := KeyForm(KindBGPNeighbor); got != "<neighbor_address>[,routing_instance=<routing_instance>]" {
		t.Errorf("KeyForm = %q", got)
	}
	if parts, err := ParseKey(KindIKEGateway, "GW1"); err != nil || !reflect.DeepEqual(parts, []string{"GW1"}) {
		t.Errorf("name key: %v %v", parts, err)
	}
}

func TestAllocateNumber(t *testing.T) {
	c := NewConfig()
	for _, n := range []int{1, 2, 4} {
		c.Put(&Tunnel{Name: string(rune('A' + n)), Number: n})
	}
	r := NumberRange{Min: 1, Max: 5}
	if n, err := AllocateNumber(c, KindTunnel, "new", r); n != 3 || err != nil {
		t.Errorf("lowest free = %d, %v; want 3", n, err)
	}
	if n, _ := AllocateNumber(c, KindTunnel, "new", r, 3); n != 5 {
		t.Errorf("with 3 reserved = %d; want 5", n)
	}
	// The object being numbered does not block its own number.
	if n, _ := AllocateNumber(c, KindTunnel, "B", r); n != 1 {
		t.Errorf("except = %d; want 1", n)
	}
	if n, _ := AllocateNumber(c, KindTunnel, "new", NumberRange{Min: 2, Max: 9}); n != 3 {
		t.Errorf("range from 2 = %d", n)
	}
	if _, err := AllocateNumber(c, KindTunnel, "new", r, 3, 5); err == nil || !strings.Contains(err.Error(), "from 1 to 5 is in use") {
		t.Errorf("full range: %v", err)
	}
	if _, err := AllocateNumber(c, KindTunnel, "new", NumberRange{Min: 0, Max: 5}); err == nil {
		t.Error("range from 0 accepted")
	}
	// Pure: the same configuration gives the same number, and the input is not changed.
	a, _ := AllocateNumber(c, KindTunnel, "x", r)
	b, _ := AllocateNumber(c, KindTunnel, "x", r)
	if a != b || len(c.Tunnels()) != 3 {
		t.Error("AllocateNumber is not pure")
	}
}

func TestValidateAdditions(t *testing.T) {
	gw := func() *IKEGateway {
		return &IKEGateway{Name: "G", PeerAddress: "203.0.113.1", IKEVersion: 1, Lifetime: 28800,
			Proposals: []IKEProposal{{Encryption: "aes128", Integrity: "sha1", DHGroup: 14}}}
	}
	tun := func() *Tunnel {
		return &Tunnel{Name: "T", Gateway: "G", Lifetime: 3600, Interface: "tunnel.1",
			Proposals: []IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}}
	}
	cases := []struct {
		name  string
		obj   Object
		field string
	}{
		{"ike mode", func() Object { g := gw(); g.Mode = "quick"; return g }(), "ike_mode"},
		{"aggressive ikev2", func() Object { g := gw(); g.Mode = "aggressive"; g.IKEVersion = 2; return g }(), "ike_mode"},
		{"liveness interval", func() Object { g := gw(); g.Liveness = &Liveness{Interval: 0, RetryCount: 3}; return g }(), "liveness.interval"},
		{"liveness retries", func() Object { g := gw(); g.Liveness = &Liveness{Interval: 10, RetryCount: 101}; return g }(), "liveness.retry_count"},
		{"liveness and dpd", func() Object {
			g := gw()
			g.Liveness = &Liveness{Interval: 10, RetryCount: 3}
			g.DPD = &DPD{Interval: 30, Timeout: 120, Action: "restart"}
			return g
		}(), "liveness"},
		{"df bit", func() Object { t := tun(); t.DFBit = "keep"; return t }(), "df_bit"},
		{"zone name", func() Object { t := tun(); t.Zone = "bad zone"; return t }(), "tunnel_zone"},
		{"zone without interface", func() Object {
			t := tun()
			t.Interface, t.Zone = "", "vpn"
			t.Selectors = []TrafficSelector{{Local: "10.0.0.0/8", Remote: "10.1.0.0/16"}}
			return t
		}(), "tunnel_zone"},
		{"unnumbered and address", func() Object {
			t := tun()
			t.UnnumberedInterface, t.Address = "ethernet0/0", "169.254.0.1/30"
			return t
		}(), "unnumbered_interface"},
		{"monitor destination", func() Object { t := tun(); t.Monitor = &TunnelMonitor{Destination: "x"}; return t }(), "monitor.destination"},
		{"monitor interval", func() Object { t := tun(); t.Monitor = &TunnelMonitor{Interval: 4000}; return t }(), "monitor.interval"},
		{"tunnel number", func() Object { t := tun(); t.Number = 70000; return t }(), "tunnel_number"},
		{"protocol", func() Object {
			t := tun()
			t.Selectors = []TrafficSelector{{Local: "10.0.0.0/8", Remote: "10.1.0.0/16", Protocol: "sctpx"}}
			return t
		}(), "traffic_selectors[0].protocol"},
		{"port without tcp/udp", func() Object {
			t := tun()
			t.Selectors = []TrafficSelector{{Local: "10.0.0.0/8", Remote: "10.1.0.0/16", Protocol: "icmp", LocalPort: 80}}
			return t
		}(), "traffic_selectors[0].local_port"},
		{"port range", func() Object {
			t := tun()
			t.Selectors = []TrafficSelector{{Local: "10.0.0.0/8", Remote: "10.1.0.0/16", Protocol: "tcp", RemotePort: 70000}}
			return t
		}(), "traffic_selectors[0].remote_port"},
		{"route instance", &StaticRoute{Destination: "10.0.0.0/8", NextHop: "1.1.1.1", RoutingInstance: "a,b"}, "routing_instance"},
		{"source route instance", &SourceRoute{Source: "10.0.0.0/8", NextHop: "1.1.1.1", RoutingInstance: "a=b"}, "routing_instance"},
		{"router id", &BGPNeighbor{Address: "10.0.0.1", LocalAS: 1, RemoteAS: 2, RouterID: "x"}, "router_id"},
		{"neighbor instance", &BGPNeighbor{Address: "10.0.0.1", LocalAS: 1, RemoteAS: 2, RoutingInstance: " "}, "routing_instance"},
		{"prefix list number", &PrefixList{Name: "P", Number: -1, Rules: []PrefixRule{{Sequence: 10, Action: "permit", Prefix: "10.0.0.0/8"}}}, "number"},
	}
	for _, c := range cases {
		es := c.obj.Validate()
		found := false
		for _, e := range es {
			found = found || e.Field == c.field
		}
		if !found {
			t.Errorf("%s: no error on %s, got %v", c.name, c.field, es)
		}
	}
	ok := []Object{
		func() Object {
			g := gw()
			g.Mode, g.NATTraversal, g.Liveness = "aggressive", boolp(true), &Liveness{Interval: 10, RetryCount: 5}
			return g
		}(),
		func() Object {
			t := tun()
			t.Zone, t.UnnumberedInterface, t.AntiReplay, t.DFBit, t.EstablishImmediately, t.Number = "vpn", "ethernet0/0", boolp(false), "copy", true, 3
			t.Monitor = &TunnelMonitor{Destination: "10.1.1.1", Interval: 10, Threshold: 3}
			t.Selectors = []TrafficSelector{{Local: "10.0.0.0/8", Remote: "10.1.0.0/16", Protocol: "tcp", LocalPort: 22, RemotePort: 443}, {Local: "10.0.0.0/8", Remote: "10.2.0.0/16", Protocol: "50"}}
			return t
		}(),
		&StaticRoute{Destination: "10.0.0.0/8", Interface: "tunnel.1", RoutingInstance: "trust-vr"},
		&BGPNeighbor{Address: "10.0.0.1", LocalAS: 1, RemoteAS: 2, RouterID: "10.0.0.254", RoutingInstance: "VPN-A"},
	}
	for _, o := range ok {
		if es := o.Validate(); len(es) != 0 {
			t.Errorf("%s %s: unexpected errors %v", o.Kind(), o.Key(), es)
		}
	}
}
