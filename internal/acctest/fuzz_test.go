package acctest

import (
	"reflect"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/edgeos" // registers "edgeos"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// FuzzEdgeOSThroughSimulator: any objects that pass validation, rendered by the EdgeOS
// dialect and typed into the (independently written) EdgeOS simulator, read back as exactly
// those objects. So no accepted input — quotes, separators, unicode, look-alike keywords —
// can make the device configure anything else.
func FuzzEdgeOSThroughSimulator(f *testing.F) {
	f.Add("AZURE", "Deny Local Gateway Address", "s3cr3t-PSK", "BGP", "vti0")
	f.Add("a.b-c_d", "tunnel to DC; set system host-name pwned", "a#b!c*d?e{f}", "X", "vti7")
	f.Add("Z", "ünïcødé € description", "~user$(reboot)", "PL-1", "vti12")
	f.Add("n", "x | delete vpn", "p;commit", "delete", "vti0")
	f.Fuzz(func(t *testing.T, name, desc, secret, plName, vti string) {
		p, ok := platform.Get("edgeos")
		if !ok {
			t.Fatal("edgeos not registered")
		}
		var objs []vpn.Object
		keep := func(o vpn.Object) bool {
			p.Normalize(o)
			return len(o.Validate()) == 0 && len(p.Validate(o)) == 0
		}
		gw := &vpn.IKEGateway{Name: name, PeerAddress: "198.51.100.1", LocalAddress: "203.0.113.1", IKEVersion: 2,
			PreSharedKey: secret, Lifetime: 28800, Description: desc,
			Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}}}
		tu := &vpn.Tunnel{Name: name, Gateway: name, Lifetime: 3600, Interface: vti, Description: desc,
			Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}}
		if keep(gw) && keep(tu) {
			objs = append(objs, gw, tu)
		}
		pl := &vpn.PrefixList{Name: plName, Description: desc, Rules: []vpn.PrefixRule{{Sequence: 5, Action: "permit", Prefix: "10.0.0.0/8", Description: desc}}}
		if keep(pl) {
			objs = append(objs, pl)
		}
		n := &vpn.BGPNeighbor{Address: "169.254.21.1", LocalAS: 65510, RemoteAS: 65515, Password: secret, Description: desc, Networks: []string{"192.168.1.0/24"}}
		if keep(pl) {
			n.PrefixListIn = plName
		}
		if keep(n) {
			objs = append(objs, n)
		}
		sr := &vpn.SourceRoute{Source: "192.168.9.0/24", Interface: vti, Table: 9, Description: desc, IngressInterface: "eth1"}
		if keep(sr) {
			objs = append(objs, sr)
		}
		if len(objs) == 0 {
			return
		}
		want := vpn.NewConfig()
		for _, o := range objs {
			want.Put(o)
		}
		lines, err := p.Render(platform.Snapshot{Config: vpn.NewConfig()}, want)
		if err != nil {
			t.Fatalf("render of valid objects failed: %v", err)
		}
		srv, err := simulator.New(simulator.Options{Platform: "edgeos", Username: "u", Password: "p"})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		if err := srv.Apply(lines...); err != nil {
			t.Fatalf("the simulator refused rendered lines: %v\n%s", err, strings.Join(lines, "\n"))
		}
		got, err := p.Parse(srv.RunningConfig())
		if err != nil {
			t.Fatalf("parse of the simulator's configuration: %v", err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("the device holds other objects than intended\nlines:\n%s\ndevice:\n%s", strings.Join(lines, "\n"), srv.RunningConfig())
		}
	})
}
