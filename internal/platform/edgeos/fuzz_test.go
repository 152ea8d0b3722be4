package edgeos

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// FuzzRenderParse builds objects from fuzzed names, descriptions and secrets, drops those
// that fail validation, renders them onto an empty device and parses the lines back: the
// result must be exactly the objects rendered, so no valid value can inject a command or
// alter another object.
func FuzzRenderParse(f *testing.F) {
	f.Add("GW1", "ESP1", "PL1", "plain description", "s3cr3t", "vti0")
	f.Add("a.b-c_d", "e", "f", "quote ' and \" and `", "p'w\"d", "vti9")
	f.Add("X", "Y", "Z", "; set system host-name pwned", "$(reboot)", "vti1")
	f.Add("X", "Y", "Z", "tab\there  two  spaces { } # ! * ?", "a#b!c*d?e{f}", "vti12")
	f.Add("X", "Y", "Z", "line\nset vpn ipsec ike-group X lifetime 30", "pw\nset x", "vti0")
	f.Add("X", "Y", "Z", "ünïcødé € description", "~user", "eth0")
	f.Add("-lead", "Y", "Z", "", "", "vti3")
	f.Fuzz(func(t *testing.T, name, espName, plName, desc, secret, iface string) {
		var objs []vpn.Object
		valid := func(o vpn.Object) bool {
			p.Normalize(o)
			return len(o.Validate()) == 0 && len(p.Validate(o)) == 0
		}
		gw := &vpn.IKEGateway{
			Name: name, PeerAddress: "198.51.100.1", LocalAddress: "203.0.113.1", IKEVersion: 2, PreSharedKey: secret,
			Lifetime: 28800, Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}},
			LocalID: strings.ReplaceAll(desc, " ", "_"), Description: desc,
		}
		if !valid(gw) {
			gw.LocalID, gw.Description = "", ""
		}
		if valid(gw) {
			objs = append(objs, gw)
			tu := &vpn.Tunnel{
				Name: espName, Gateway: name, Lifetime: 3600, PFSGroup: 14, Interface: iface, Description: desc,
				Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}},
			}
			if valid(tu) {
				objs = append(objs, tu)
			}
		}
		pl := &vpn.PrefixList{Name: plName, Description: desc, Rules: []vpn.PrefixRule{{Sequence: 5, Action: "permit", Prefix: "10.0.0.0/8", Description: desc}}}
		if valid(pl) {
			objs = append(objs, pl)
		}
		n := &vpn.BGPNeighbor{Address: "169.254.0.1", LocalAS: 65000, RemoteAS: 65001, Password: secret, Description: desc, PrefixListIn: plName, UpdateSource: iface}
		if valid(n) {
			objs = append(objs, n)
		}
		sr := &vpn.SourceRoute{Source: "192.168.9.0/24", Interface: iface, Table: 9, Ruleset: plName, Description: desc, IngressInterface: "eth1"}
		if valid(sr) {
			objs = append(objs, sr)
		}
		roundTrip(t, configOf(objs...))
	})
}
