package rtx

import (
	"reflect"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// FuzzRenderParse builds a gateway, a tunnel, a prefix list and a BGP neighbor from fuzzed
// names, descriptions and secrets, drops what fails validation, renders the rest onto an empty
// device, lists the result the way the device does and parses it back: the model must be
// exactly what was rendered, so no valid value can inject a command, end a quoted token early
// or change another object.
func FuzzRenderParse(f *testing.F) {
	f.Add("azure", "azure-link", "onprem-out", "Azure VPN Gateway instance 0", "aliazu12345", "md5-S3cret")
	f.Add("a.b-c_d", "e", "f", `quote " and ' inside`, `p"w'd`, "x")
	f.Add("X", "Y", "Z", "# header-like", "k#y", "a#b")
	f.Add("X", "Y", "Z", "Error: Invalid command name", "$(reboot)", "$HOME")
	f.Add("X", "Y", "Z", "[RTX1210] # ", "?", "help?")
	f.Add("X", "Y", "Z", "line\nipsec ike pre-shared-key 1 text pwned", "pw\rno ip route default", "x\ny")
	f.Add("X", "Y", "Z", "東京 ünïcødé", "秘密", "\\")
	f.Add("-lead", "tunnel select none", "Z", "tunnel select none", "tunnel select 1", "*")
	f.Fuzz(func(t *testing.T, name, tname, plname, desc, secret, password string) {
		valid := func(o vpn.Object) bool {
			p.Normalize(o)
			return len(o.Validate()) == 0 && len(p.Validate(o)) == 0
		}
		want := vpn.NewConfig()
		g := validGateway()
		g.Name, g.Description, g.PreSharedKey = name, desc, secret
		if !valid(g) {
			g.Description = ""
		}
		if !valid(g) {
			g.PreSharedKey = "k3y"
		}
		if !valid(g) {
			return
		}
		want.Put(g)
		tu := validTunnel()
		tu.Name, tu.Gateway, tu.Description = tname, name, desc
		if !valid(tu) {
			tu.Description = ""
		}
		if valid(tu) {
			want.Put(tu)
		}
		pl := &vpn.PrefixList{Name: plname, Number: 1, Description: desc, Rules: []vpn.PrefixRule{{Sequence: 10, Action: "permit", Prefix: "10.0.0.0/16", LE: 32}}}
		if !valid(pl) {
			pl.Description = ""
		}
		if valid(pl) && want.Get(vpn.KindPrefixList, pl.Name) == nil {
			want.Put(pl)
			nb := &vpn.BGPNeighbor{Address: "169.254.21.2", Number: 1, LocalAS: 64512, RemoteAS: 65515, HoldTime: 30, Keepalive: 10, Password: password, PrefixListOut: plname}
			if !valid(nb) {
				nb.Password = ""
			}
			if valid(nb) {
				want.Put(nb)
			}
		}
		steps, err := p.RenderSteps(platform.Snapshot{Config: vpn.NewConfig()}, want)
		if err != nil {
			t.Fatalf("valid objects refused: %v", err)
		}
		s := newStore(t, "")
		applySteps(t, s, steps, false)
		got, err := p.Parse(s.listing())
		if err != nil {
			t.Fatalf("listing unreadable: %v", err)
		}
		if !reflect.DeepEqual(got, want) || secrets(got) != secrets(want) {
			t.Fatalf("read back\n%s\nwant\n%s\nlisting:\n%s", marshal(t, got), marshal(t, want), s.listing())
		}
	})
}
