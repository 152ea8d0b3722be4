package edgeos

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func TestParseSeed004(t *testing.T) {
	c, err := p.Parse(readFile(t, "seed004.commands.txt"))
	if err != nil {
		t.Fatal(err)
	}
	j, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "seed004.golden.json", string(j)+"\n")

	if n := len(c.IKEGateways()) + len(c.Tunnels()) + len(c.StaticRoutes()) + len(c.SourceRoutes()) + len(c.PrefixLists()) + len(c.BGPNeighbors()); n != 5 {
		t.Errorf("parsed %d objects, want 5:%s", n, dump(c))
	}
	g := c.IKEGateways()["FOO0"]
	if g == nil {
		t.Fatal("no ike gateway FOO0")
	}
	if g.PeerAddress != "192.0.2.1" || g.LocalAddress != "203.0.113.1" || g.IKEVersion != 2 || g.Lifetime != 28800 ||
		g.ConnectionType != "respond" || g.Description != "IPsecAzure" || g.PreSharedKey != "Az#ure$ecret!2017" {
		t.Errorf("gateway: %+v", g)
	}
	if len(g.Proposals) != 1 || g.Proposals[0] != (vpn.IKEProposal{Encryption: "aes256", Integrity: "sha1", DHGroup: 2}) {
		t.Errorf("gateway proposals: %+v", g.Proposals)
	}
	if g.DPD == nil || *g.DPD != (vpn.DPD{Interval: 15, Timeout: 30, Action: "restart"}) {
		t.Errorf("gateway dpd: %+v", g.DPD)
	}
	tu := c.Tunnels()["FOO0"]
	if tu == nil {
		t.Fatal("no tunnel FOO0")
	}
	if tu.Gateway != "FOO0" || tu.Lifetime != 27000 || tu.PFSGroup != 0 || tu.Interface != "vti0" || tu.TCPMSS != 1350 ||
		len(tu.Selectors) != 0 || len(tu.Proposals) != 1 || tu.Proposals[0] != (vpn.IPsecProposal{Encryption: "aes256", Integrity: "sha1"}) {
		t.Errorf("tunnel: %+v", tu)
	}
	if r := c.StaticRoutes()["172.16.0.254/32"]; r == nil || r.Interface != "vti0" || r.NextHop != "" || r.Distance != 0 {
		t.Errorf("static route: %+v", r)
	}
	pl := c.PrefixLists()["BGP"]
	if pl == nil || len(pl.Rules) != 6 {
		t.Fatalf("prefix list: %+v", pl)
	}
	var seqs []int
	for _, r := range pl.Rules {
		seqs = append(seqs, r.Sequence)
	}
	if got := seqs; len(got) != 6 || got[0] != 10 || got[3] != 40 || got[4] != 100 || got[5] != 110 {
		t.Errorf("rule order %v, want 10 20 30 40 100 110", got)
	}
	if r := pl.Rules[0]; r.Action != "deny" || r.Prefix != "203.0.113.1/32" || r.Description != "Deny Local Gateway Address" {
		t.Errorf("rule 10: %+v", r)
	}
	if r := pl.Rules[5]; r.Action != "permit" || r.Prefix != "172.16.0.0/22" || r.Description != "Azure Subnets" {
		t.Errorf("rule 110: %+v", r)
	}
	n := c.BGPNeighbors()["172.16.0.254"]
	if n == nil {
		t.Fatal("no bgp neighbor")
	}
	if n.LocalAS != 65510 || n.RemoteAS != 65515 || n.EBGPMultihop != 2 || n.UpdateSource != "192.168.1.1" ||
		n.PrefixListIn != "BGP" || n.PrefixListOut != "BGP" || !n.SoftReconfigIn ||
		len(n.Networks) != 1 || n.Networks[0] != "192.168.1.0/24" {
		t.Errorf("bgp neighbor: %+v", n)
	}
	// The seed sets `protocols bgp 65510 timers`: the process's, not the neighbor's.
	if n.Keepalive != 0 || n.HoldTime != 0 {
		t.Errorf("the process's timers were read into the neighbor: keepalive %d, hold time %d", n.Keepalive, n.HoldTime)
	}
}

// Networks belong to the process: every neighbor gets all of them. Timers are each neighbor's
// own; the process's are nobody's.
func TestParseBGPProcessAndNeighbors(t *testing.T) {
	c, err := p.Parse(`set protocols bgp 65000 neighbor 10.0.0.1 remote-as 65001
set protocols bgp 65000 neighbor 10.0.0.1 timers holdtime 90
set protocols bgp 65000 neighbor 10.0.0.1 timers keepalive 30
set protocols bgp 65000 neighbor 10.0.0.2 remote-as 65002
set protocols bgp 65000 network 192.168.1.0/24
set protocols bgp 65000 network 192.168.2.0/24
set protocols bgp 65000 timers holdtime 180
set protocols bgp 65000 timers keepalive 60
`)
	if err != nil {
		t.Fatal(err)
	}
	a, b := c.BGPNeighbors()["10.0.0.1"], c.BGPNeighbors()["10.0.0.2"]
	if a == nil || b == nil {
		t.Fatalf("neighbors: %s", dump(c))
	}
	if a.Keepalive != 30 || a.HoldTime != 90 {
		t.Errorf("10.0.0.1 timers %d/%d, want its own 30/90", a.Keepalive, a.HoldTime)
	}
	if b.Keepalive != 0 || b.HoldTime != 0 {
		t.Errorf("10.0.0.2 has no timers of its own, got %d/%d", b.Keepalive, b.HoldTime)
	}
	for _, n := range []*vpn.BGPNeighbor{a, b} {
		if strings.Join(n.Networks, " ") != "192.168.1.0/24 192.168.2.0/24" {
			t.Errorf("%s networks %v, want the process's two", n.Address, n.Networks)
		}
	}
}

// VyOS 1.1 quotes every value; double quotes are accepted too. Both parse like EdgeOS output.
func TestParseQuotedValues(t *testing.T) {
	text := readFile(t, "seed004.commands.txt")
	want, err := p.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	// VyOS 1.1 puts every value in single quotes; neither prints double quotes in set form.
	for _, q := range []string{"'"} {
		var b strings.Builder
		for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
			toks, err := setconf.Split(l)
			if err != nil {
				t.Fatal(err)
			}
			last := toks[len(toks)-1]
			if q == `"` {
				last = strings.ReplaceAll(last, "$", `\$`)
			}
			b.WriteString(strings.Join(toks[:len(toks)-1], " ") + " " + q + last + q + "\n")
		}
		got, err := p.Parse(b.String())
		if err != nil {
			t.Fatal(err)
		}
		mustEqualConfig(t, got, want)
	}
}

func TestParseIgnoresNoise(t *testing.T) {
	text := "ubnt@ER-X:~$ show configuration commands\r\n" +
		"Welcome to EdgeOS, it's unterminated\n" +
		"set vpn ipsec ike-group IKE lifetime 3600\r\n" +
		"set vpn ipsec site-to-site peer 198.51.100.1 ike-group IKE\n" +
		"set vpn ipsec site-to-site peer 198.51.100.1 some-future-node value\n" +
		"set totally unknown tree\n" +
		"ubnt@ER-X:~$ "
	c, err := p.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	g := c.IKEGateways()["IKE"]
	if g == nil || g.PeerAddress != "198.51.100.1" || g.Lifetime != 3600 || g.IKEVersion != 1 {
		t.Fatalf("gateway %+v", g)
	}
}

func TestParseMalformedLine(t *testing.T) {
	text := "set system host-name x\nset vpn ipsec site-to-site peer 1.2.3.4 authentication pre-shared-secret 'topsecret\n"
	_, err := p.Parse(text)
	if err == nil {
		t.Fatal("no error for an unterminated quote")
	}
	msg := err.Error()
	if !strings.Contains(msg, "line 2") || strings.Contains(msg, "topsecret") || strings.Contains(msg, "site-to-site") {
		t.Errorf("error %q should name line 2 and quote none of the configuration", msg)
	}
}

// Shared ike-groups and esp-groups: the first peer in address order (10.0.0.9 before
// 10.0.0.10) is the gateway and owns the tunnel.
func TestParseSharedGroups(t *testing.T) {
	text := `set vpn ipsec esp-group E lifetime 3600
set vpn ipsec esp-group E pfs enable
set vpn ipsec ike-group I proposal 1 dh-group 14
set vpn ipsec site-to-site peer 10.0.0.9 ike-group I
set vpn ipsec site-to-site peer 10.0.0.10 tunnel 1 esp-group E
set vpn ipsec site-to-site peer 10.0.0.10 tunnel 1 local prefix 192.168.9.0/24
set vpn ipsec site-to-site peer 10.0.0.10 tunnel 1 remote prefix 10.9.0.0/16
set vpn ipsec site-to-site peer 10.0.0.10 ike-group I
set vpn ipsec site-to-site peer 10.0.0.9 tunnel 2 esp-group E
set vpn ipsec site-to-site peer 10.0.0.9 tunnel 2 local prefix 192.168.1.0/24
set vpn ipsec site-to-site peer 10.0.0.9 tunnel 2 remote prefix 10.1.0.0/16
set vpn ipsec site-to-site peer 10.0.0.9 tunnel 5 esp-group E
set vpn ipsec site-to-site peer 10.0.0.9 tunnel 5 local prefix 192.168.1.0/24
set vpn ipsec site-to-site peer 10.0.0.9 tunnel 5 remote prefix 10.2.0.0/16
`
	c, err := p.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.IKEGateways()) != 1 || c.IKEGateways()["I"].PeerAddress != "10.0.0.9" {
		t.Fatalf("gateways:%s", dump(c))
	}
	tu := c.Tunnels()["E"]
	if len(c.Tunnels()) != 1 || tu.Gateway != "I" || tu.PFSGroup != 14 || len(tu.Selectors) != 2 ||
		tu.Selectors[0].Remote != "10.1.0.0/16" || tu.Selectors[1].Remote != "10.2.0.0/16" {
		t.Fatalf("tunnels:%s", dump(c))
	}
}

func TestParseSourceRoute(t *testing.T) {
	text := `set firewall modify PBR rule 10 action modify
set firewall modify PBR rule 10 description 'src 192.168.50.0/24 via vti0'
set firewall modify PBR rule 10 modify table 1
set firewall modify PBR rule 10 source address 192.168.50.0/24
set firewall modify PBR rule 20 action modify
set firewall modify PBR rule 20 modify table 2
set firewall modify PBR rule 20 source address 192.168.60.0/24
set firewall modify PBR rule 20 destination address 10.0.0.0/8
set firewall modify PBR rule 30 action accept
set firewall modify PBR rule 30 source address 192.168.70.0/24
set interfaces switch switch0 firewall in modify PBR
set interfaces ethernet eth1 vif 10 firewall in modify PBR
set protocols static table 1 interface-route 0.0.0.0/0 next-hop-interface vti0
set protocols static table 2 route 10.0.0.0/8 next-hop 169.254.255.1
`
	c, err := p.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]vpn.SourceRoute{
		"192.168.50.0/24": {Source: "192.168.50.0/24", Interface: "vti0", Table: 1, Rule: 10, Ruleset: "PBR", IngressInterface: "eth1.10", Description: "src 192.168.50.0/24 via vti0"},
		"192.168.60.0/24": {Source: "192.168.60.0/24", Destination: "10.0.0.0/8", NextHop: "169.254.255.1", Table: 2, Rule: 20, Ruleset: "PBR", IngressInterface: "eth1.10"},
	}
	if len(c.SourceRoutes()) != len(want) {
		t.Fatalf("source routes:%s", dump(c))
	}
	for k, w := range want {
		if got := c.SourceRoutes()[k]; got == nil || *got != w {
			t.Errorf("%s: got %+v want %+v", k, got, w)
		}
	}
}

// TestParseReferenceSample reads the sample `show configuration commands` of the EdgeOS CLI
// reference (a route-based VPN with DPD and PFS, policy routing of 192.168.50.0/24 into vti0
// from switch0, BGP to 169.254.255.1).
func TestParseReferenceSample(t *testing.T) {
	text := readFile(t, "reference-sample.commands.txt")
	c, err := p.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	j, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "reference-sample.golden.json", string(j)+"\n")

	g := c.IKEGateways()["IKE0"]
	if g == nil || g.PeerAddress != "198.51.100.1" || g.LocalID != "203.0.113.2" || g.RemoteID != "198.51.100.1" ||
		g.ConnectionType != "initiate" || g.Description != "tunnel to DC" || g.PreSharedKey != "s3cr3tPSK" ||
		g.DPD == nil || *g.DPD != (vpn.DPD{Interval: 30, Timeout: 120, Action: "restart"}) {
		t.Errorf("gateway: %+v", g)
	}
	tu := c.Tunnels()["ESP0"]
	if tu == nil || tu.Gateway != "IKE0" || tu.Interface != "vti0" || tu.PFSGroup != 14 || tu.Address != "169.254.255.2/30" ||
		tu.MTU != 1436 || tu.Lifetime != 3600 {
		t.Errorf("tunnel: %+v", tu)
	}
	sr := c.SourceRoutes()["192.168.50.0/24"]
	if sr == nil || sr.Interface != "vti0" || sr.Table != 1 || sr.Rule != 10 || sr.Ruleset != "PBR" ||
		sr.IngressInterface != "switch0" || sr.Description != "src 192.168.50.0/24 via vti0" {
		t.Errorf("source route: %+v", sr)
	}
	n := c.BGPNeighbors()["169.254.255.1"]
	if n == nil || n.LocalAS != 65000 || n.RemoteAS != 7224 || n.Keepalive != 10 || n.HoldTime != 30 ||
		n.PrefixListOut != "PL-LOCAL" || !n.SoftReconfigIn || n.UpdateSource != "169.254.255.2" ||
		len(n.Networks) != 1 || n.Networks[0] != "192.168.1.0/24" {
		t.Errorf("bgp neighbor: %+v", n)
	}
	if r := c.StaticRoutes()["10.0.0.0/16"]; r == nil || r.Interface != "vti0" {
		t.Errorf("static route: %+v", r)
	}

	// Rendering what was parsed onto the same device changes nothing.
	lines, err := p.Render(snapshot(t, text), c)
	if err != nil || len(lines) != 0 {
		t.Errorf("re-rendering the parsed sample gives %q, %v", lines, err)
	}
}

// EdgeOS prints a component in single quotes without escaping anything inside, so a value
// written by hand with an apostrophe (possible through config.boot, refused by `set`) prints
// as 'Azure's gateway', and a quote inside a bare value stays as it is. Such lines must not
// block reading the rest of the configuration.
func TestParseApostrophesAsEdgeOSPrintsThem(t *testing.T) {
	text := strings.Join([]string{
		"set interfaces ethernet eth0 description 'Azure's gateway'",
		"set interfaces ethernet eth1 description Bob's",
		"set interfaces ethernet eth2 description 'say \"hi\" # now'",
		"set policy prefix-list PL rule 10 action permit",
		"set policy prefix-list PL rule 10 description 'it's ops@site#'",
		"set policy prefix-list PL rule 10 prefix 10.0.0.0/8",
	}, "\n")
	cfg, err := p.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	pl := cfg.Get(vpn.KindPrefixList, "PL")
	if pl == nil || pl.(*vpn.PrefixList).Rules[0].Description != "it's ops@site#" {
		t.Fatalf("prefix list = %+v, want rule 10 with its description read whole", pl)
	}
	for _, c := range []struct{ line, want string }{
		{"set a 'Azure's gateway'", "Azure's gateway"},
		{"set a Bob's", "Bob's"},
		{"set a ''", ""},
		{"set a 'x' b", "x"},
	} {
		toks, err := setconf.Vbash.SplitPrinted(c.line)
		if err != nil || toks[2] != c.want {
			t.Errorf("setconf.Vbash.SplitPrinted(%q) = %q, %v; want component %q", c.line, toks, err, c.want)
		}
	}
	if _, err := setconf.Vbash.SplitPrinted("set a 'open"); err == nil {
		t.Error("an unterminated quote was accepted")
	}
}
