package screenos

import (
	"strconv"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// FuzzRenderParse builds objects of every kind from fuzzed names, identities, keys, zones and
// services, drops those that fail validation, renders them onto the SSG5 of seed 000, applies
// the lines and reads the device back: it must hold exactly the seed's objects and the new
// ones (so no valid value can inject a command or alter another object), rendering again must
// give nothing, and removing the new objects must give the seed back.
func FuzzRenderParse(f *testing.F) {
	f.Add("GW1", "VPN1", "PL1", "policy one", "Untrust", "peer@example.com", "s3cr3t", "HTTP", 3)
	f.Add("a.b-c_d", "e", "f", `quote " inside`, "Trust", `id"x`, `p#w$d`, "ANY", 9)
	f.Add("X", "Y", "Z", "name? help", "DMZ", "a?b", "k?y", "ICMP-ANY", 12)
	f.Add("gateway", "vpn", "policy", "exit", "set", "unset", "save", "permit", 1)
	f.Add("X", "Y", "Z", "line\nset admin password x", "Zone\nX", "id\r\n", "pw\nset x", "SVC\n", 2)
	f.Add("X", "Y", "Z", "ünïcødé", "Ünt", "é@x", "ké", "HTTPS", 4)
	f.Add("X", "Y", "Z", "ssg5-> ", "Untrust", "^-----unknown keyword", "Configuration modified, save? [y]/n", "FTP", 5)
	f.Add("-lead", "Y", "Z", "", "", "", "", "", 0)
	f.Fuzz(func(t *testing.T, name, vpnName, plName, polName, zone, localID, secret, service string, n int) {
		p := bound(t, map[string]string{OptOutgoingInterface: "ethernet0/0"})
		text := readFile(t, "seed000_ssg5.txt")
		cur := mustParse(t, p, text)
		desired := cur.Clone()
		valid := func(o vpn.Object) bool {
			p.Normalize(o)
			if len(o.Validate()) != 0 || len(p.Validate(o)) != 0 {
				return false
			}
			if desired.Get(o.Kind(), o.Key()) != nil {
				return false
			}
			errs, _ := p.PlanCheck(o, desired)
			return len(errs) == 0
		}
		put := func(o vpn.Object) bool {
			if valid(o) {
				desired.Put(o)
				return true
			}
			return false
		}
		iface := "tunnel." + strconv.Itoa(5+abs(n)%50)
		gw := &vpn.IKEGateway{Name: name, PeerAddress: "198.51.100.9", IKEVersion: 1 + abs(n)%2, PreSharedKey: secret, Lifetime: 28800,
			LocalID: localID, Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}},
			Liveness: &vpn.Liveness{Interval: 10, RetryCount: 3}, NATTraversal: ptr(true)}
		if !valid(gw) {
			gw.LocalID = ""
		}
		if put(gw) {
			put(&vpn.Tunnel{Name: vpnName, Gateway: name, Lifetime: 3600, PFSGroup: 14, Interface: iface, Zone: zone,
				Proposals: []vpn.IPsecProposal{{Encryption: "aes256", Integrity: "sha256"}}, MTU: 1400,
				Selectors: []vpn.TrafficSelector{{Local: "192.168.77.0/24", Remote: "10.0.0.0/16"}}})
		}
		put(&vpn.SourceRoute{Source: "192.168.77.0/24", Interface: iface, Preference: 15})
		put(&vpn.StaticRoute{Destination: "10.77.0.0/16", Interface: iface})
		if put(&vpn.PrefixList{Name: plName, Number: 1 + abs(n)%99, Rules: []vpn.PrefixRule{{Sequence: 10, Action: "permit", Prefix: "10.0.0.0/16"}}}) {
			put(&vpn.BGPNeighbor{Address: "169.254.21.1", LocalAS: 65010, RemoteAS: 65515, Password: secret, PrefixListIn: plName, UpdateSource: iface})
		}
		put(&vpn.SecurityPolicy{Name: polName, FromZone: "Trust", ToZone: zone, Sources: []string{"192.168.77.0/24"},
			Services: []string{service}, Action: "permit", Log: true, Number: 10 + abs(n)%100, Position: "top"})

		steps, err := p.RenderSteps(platform.Snapshot{Text: text, Config: cur}, desired)
		if err != nil {
			t.Fatalf("render: %v", err)
		}
		t.Logf("%d new objects, %d steps", desired.Len()-cur.Len(), len(steps))
		dev := newFake(t, text)
		for _, st := range steps {
			line := st.Do.Line
			if strings.ContainsAny(line, "\r\n") || strings.Count(line, `"`)%2 != 0 {
				t.Fatalf("line %q breaks out of its tokens", line)
			}
			if err := dev.apply(line); err != nil {
				t.Fatalf("apply %q: %v", line, err)
			}
		}
		got := mustParse(t, p, dev.listing())
		want := desired.Clone()
		for _, c := range []*vpn.Config{got, want} {
			for _, o := range c.Objects() {
				p.Normalize(o)
				if sp, ok := o.(*vpn.SecurityPolicy); ok {
					sp.Position = ""
				}
			}
		}
		if a, b := jsonOf(t, got), jsonOf(t, want); a != b {
			t.Fatalf("the device reads back differently:\n--- got\n%s\n--- want\n%s", a, b)
		}
		readBack := mustParse(t, p, dev.listing())
		again, err := p.RenderSteps(platform.Snapshot{Text: dev.listing(), Config: readBack}, readBack.Clone())
		if err != nil || len(again) != 0 {
			t.Fatalf("a second render: %v %s", err, stepsText(again))
		}
		back, err := p.RenderSteps(platform.Snapshot{Text: dev.listing(), Config: readBack}, cur)
		if err != nil {
			t.Fatalf("removing: %v", err)
		}
		if err := dev.applySteps(back); err != nil {
			t.Fatalf("removing: %v\n%s", err, stepsText(back))
		}
		if a, b := jsonOf(t, mustParse(t, p, dev.listing())), jsonOf(t, cur); a != b {
			t.Fatalf("removing the objects does not give the seed back:\n%s", a)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if n == -n { // the lowest int
			return 0
		}
		return -n
	}
	return n
}
