package junos

import (
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// FuzzRenderParse builds objects from fuzzed names, descriptions and secrets, drops those
// that fail validation, renders them onto the base SRX, applies the lines and parses the
// result: it must be exactly the objects rendered (so no valid value can inject a statement
// or alter another object), re-rendering must be empty and removing them must restore the
// device.
func FuzzRenderParse(f *testing.F) {
	f.Add("GW1", "VPN1", "PL1", "plain description", "s3cr3t", "st0.0")
	f.Add("a.b-c_d", "e", "f", `quote " and \ backslash`, `p#w;d{}`, "st0.9")
	f.Add("X", "Y", "Z", "; set system host-name pwned", "$(reboot)", "st0.1")
	f.Add("X", "Y", "Z", "tab\there { } # ! * ? [ a ]", "a#b!c*d?e{f}", "st0.12")
	f.Add("X", "Y", "Z", "line\nset security ike policy X mode aggressive", "pw\nset x", "st0.0")
	f.Add("X", "Y", "Z", "ünïcødé € description", "$9$ikqftpBIEyk.clKM-dHq.fFnCtuIhSpu", "ge-0/0/0.0")
	f.Add("X", "Y", "Z", "error: configuration check-out failed", "$9$", "st0.3")
	f.Add("-lead", "Y", "Z", "", "", "st0.3")
	f.Fuzz(func(t *testing.T, name, vpnName, plName, desc, secret, iface string) {
		var objs []vpn.Object
		valid := func(o vpn.Object) bool {
			p.Normalize(o)
			return len(o.Validate()) == 0 && len(p.Validate(o)) == 0
		}
		gw := &vpn.IKEGateway{
			Name: name, PeerAddress: "198.51.100.1", LocalAddress: "203.0.113.2", IKEVersion: 1, PreSharedKey: secret, Mode: "main",
			Lifetime: 3600, Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}},
			LocalID: strings.ReplaceAll(desc, " ", "_"), RemoteID: "peer@example.com",
		}
		if !valid(gw) {
			gw.LocalID = ""
		}
		if valid(gw) {
			objs = append(objs, gw)
			tu := &vpn.Tunnel{
				Name: vpnName, Gateway: name, Lifetime: 7200, PFSGroup: 14, Interface: iface, Description: desc, Zone: "vpn",
				Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}, Address: "169.254.0.1/30",
				Selectors: []vpn.TrafficSelector{{Local: "10.0.0.0/8", Remote: "172.16.0.0/12"}},
				Monitor:   &vpn.TunnelMonitor{Destination: "169.254.0.2"},
			}
			if valid(tu) {
				objs = append(objs, tu)
			}
		}
		pl := &vpn.PrefixList{Name: plName, Rules: []vpn.PrefixRule{{Sequence: 1, Action: "permit", Prefix: "10.0.0.0/8"}}}
		if valid(pl) {
			objs = append(objs, pl)
		}
		n := &vpn.BGPNeighbor{Address: "169.254.0.2", LocalAS: 65000, RemoteAS: 65001, Password: secret, Description: desc, PrefixListIn: plName, HoldTime: 30, Keepalive: 10, RoutingInstance: vpnName}
		if !valid(n) || !valid(pl) {
			n.PrefixListIn = ""
			n.RoutingInstance = ""
		}
		if valid(n) {
			objs = append(objs, n)
		}
		sr := &vpn.SourceRoute{Source: "192.168.9.0/24", Interface: iface, Ruleset: plName, IngressInterface: "ge-0/0/1.0"}
		if valid(sr) {
			objs = append(objs, sr)
		}
		st := &vpn.StaticRoute{Destination: "10.9.0.0/16", Interface: iface, RoutingInstance: name}
		if valid(st) {
			objs = append(objs, st)
		}
		roundTrip(t, configOf(objs...))
	})
}

// FuzzParseText feeds arbitrary device output to Parse and Render: they never panic, and
// every line Render writes reads back as one command.
func FuzzParseText(f *testing.F) {
	for _, name := range []string{"reference-sample.set.txt", "seed002-srx.set.txt", "reference-sample.curly.txt"} {
		f.Add(readFile(f, name))
	}
	f.Add("set security ike gateway G address 1.2.3.4\nset security ipsec vpn V ike gateway G\nset security ipsec vpn V bind-interface st0.x\n")
	f.Add("set protocols bgp group G neighbor 10.0.0.1 import \"\"\nset policy-options policy-statement \"\" term 1 from prefix-list [ a b ]\n")
	f.Add("a {\n b [ c ;\n}\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := p.Parse(text)
		if err != nil {
			return
		}
		snap := platform.Snapshot{Text: text, Config: decoded(t, c)}
		lines, err := p.Render(snap, snap.Config)
		if err != nil {
			return
		}
		for _, l := range lines {
			if toks, err := setconf.Junos.Split(l); err != nil || len(toks) < 2 || strings.ContainsAny(l, "\n\r") {
				t.Fatalf("unreadable line %q", l)
			}
		}
		_, _ = p.Render(snap, vpn.NewConfig())
	})
}
