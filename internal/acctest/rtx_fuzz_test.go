package acctest

import (
	"context"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/rtx" // registers "rtx"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/sshcli"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// FuzzRTXThroughSimulator: any objects that pass validation, rendered by the RTX dialect (an
// RTX1210 Rev.14.01.42) and TYPED into the (independently written) RTX simulator, read back as
// exactly those objects, so no accepted input (quotes, backslashes, `?` help, `#` comments,
// `|` pipes, `>` redirections, text that looks like a prompt or an error) can make the router
// configure anything else.
//
// The lines go the way the provider sends them: the provider's SSH transport (sshcli: a pty
// and the console, `\r` line ends) and the dialect's session protocol (`administrator` and
// its password, console lines/columns/character, each step typed and judged with
// CheckOutput, `save`), then `show config` is read back and parsed. The simulator is reached
// only over SSH.
//
//	go test -run '^$' -fuzz '^FuzzRTXThroughSimulator$' -fuzztime 15s ./internal/acctest
func FuzzRTXThroughSimulator(f *testing.F) {
	f.Add("AZURE", "Azure vWAN", "s3cr3t-PSK", "BGP", 1)
	f.Add("a.b-c_d", `tunnel; no ip route default`, "a#b!c*d?e{f}", "X", 7)
	f.Add("Z", `say "hi" it's ok`, "~user$(reboot)", "PL-1", 12)
	f.Add("n", "x | grep y > usb1:z", "p|q>r", "delete", 100)
	f.Add("jp", "why? [RTX1210] tunnel1# ", "`reboot`", "PL", 3)
	f.Add("c", "Error: Invalid command name", "k#y?1", "P", 2)
	f.Fuzz(fuzzRTXOne)
}

func fuzzRTXOne(t *testing.T, name, desc, secret, plName string, num int) {
	{
		base, ok := platform.Get("rtx")
		if !ok {
			t.Fatal("rtx not registered")
		}
		pb, ok := base.(platform.Binder)
		if !ok {
			t.Fatal("rtx is not a Binder")
		}
		p, err := pb.Bind(vpn.Facts{Platform: "rtx", Model: "RTX1210", Version: "Rev.14.01.42"}, map[string]string{"administrator_password": "fuzz-Adm1n"})
		if err != nil {
			t.Fatal(err)
		}
		if num < 1 || num > 100 {
			return
		}
		var objs []vpn.Object
		keep := func(o vpn.Object) bool {
			p.Normalize(o)
			return len(o.Validate()) == 0 && len(p.Validate(o)) == 0
		}
		gw := &vpn.IKEGateway{Name: name, Number: num, PeerAddress: "198.51.100.1", LocalAddress: "203.0.113.2", IKEVersion: 2,
			PreSharedKey: secret, Lifetime: 28800, Description: desc,
			Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}}}
		tu := &vpn.Tunnel{Name: name, Number: num, Gateway: name, Lifetime: 3600, Description: desc,
			Address: "169.254.21.1/30", Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}}
		if keep(gw) && keep(tu) {
			objs = append(objs, gw, tu)
		}
		pl := &vpn.PrefixList{Name: plName, Number: 1, Description: desc, Rules: []vpn.PrefixRule{{Sequence: 10, Action: "permit", Prefix: "10.0.0.0/8"}}}
		if keep(pl) {
			objs = append(objs, pl)
		}
		n := &vpn.BGPNeighbor{Address: "169.254.21.2", Number: 1, LocalAS: 64512, RemoteAS: 65515, Password: secret}
		if keep(pl) {
			n.PrefixListOut = plName
		}
		if keep(n) {
			objs = append(objs, n)
		}
		if len(objs) == 0 {
			return
		}
		want := vpn.NewConfig()
		for _, o := range objs {
			want.Put(o)
		}
		sr, ok := p.(platform.StepRenderer)
		if !ok {
			t.Fatal("rtx is not a StepRenderer")
		}
		steps, err := sr.RenderSteps(platform.Snapshot{Config: vpn.NewConfig()}, want)
		if err != nil {
			t.Fatalf("render of valid objects failed: %v", err)
		}
		var lines []string
		for _, s := range steps {
			lines = append(lines, s.Do.Line)
		}
		got, device, err := typeIntoRTX(t, p, lines)
		if err != nil {
			t.Fatalf("%v\nlines:\n%s", err, strings.Join(lines, "\n"))
		}
		if !reflect.DeepEqual(got, want) {
			g, _ := json.MarshalIndent(got, "", " ")
			w, _ := json.MarshalIndent(want, "", " ")
			t.Fatalf("the device holds other objects than intended\nlines:\n%s\ndevice:\n%s\nread back:\n%s\nwanted:\n%s", strings.Join(lines, "\n"), device, g, w)
		}
	}
}

// typeIntoRTX types lines into a fresh RTX simulator (RTXBase, administrator password
// fuzz-Adm1n) over SSH with the provider's transport and the dialect's session protocol,
// saves, and parses what the router reads back.
func typeIntoRTX(t *testing.T, p platform.Platform, lines []string) (*vpn.Config, string, error) {
	t.Helper()
	srv, err := simulator.New(simulator.Options{Platform: "rtx", Username: Username, Password: Password, InitialConfig: RTXBase,
		EngineOptions: map[string]string{"admin-password": "fuzz-Adm1n"}, HostKey: fuzzHostKey(t, "rtx")})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	spec := p.Session()
	host, port := splitHostPort(t, srv.Addr())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sess, err := sshcli.Open(ctx, sshcli.Config{
		Host: host, Port: port, Username: Username, Password: Password,
		HostKey:           srv.Fingerprint(),
		PromptPattern:     spec.PromptPattern,
		ReturnChar:        spec.ReturnChar,
		OnOpen:            spec.OnOpen,
		KeyExchanges:      spec.KeyExchanges,
		Ciphers:           spec.Ciphers,
		HostKeyAlgorithms: spec.HostKeyAlgorithms,
		ConnectTimeout:    10 * time.Second,
		CommandTimeout:    2 * time.Second,
	})
	if err != nil {
		t.Fatalf("ssh to the simulator: %v", err)
	}
	defer sess.Close()
	run := func(c platform.Command) error {
		if c.Expect == "" {
			out, err := sess.Send(ctx, c.Line)
			if err != nil {
				return err
			}
			return p.CheckOutput(c.Line, out)
		}
		out, err := sess.SendExpect(ctx, c.Line, c.Expect, false)
		if err != nil {
			return err
		}
		if regexp.MustCompile("(?m)" + c.Expect).MatchString(sess.Prompt()) {
			ans, err := sess.SendExpect(ctx, c.Answer, "", c.Hidden)
			if err != nil {
				return err
			}
			out += "\n" + ans
		}
		return p.CheckOutput(c.Line, out)
	}
	for _, c := range spec.Login {
		if err := run(c); err != nil {
			return nil, "", err
		}
	}
	// What the base configuration holds (its default route) is not part of the comparison.
	first, err := sess.Send(ctx, spec.ReadConfig)
	if err != nil {
		return nil, "", err
	}
	base, err := p.Parse(first)
	if err != nil {
		return nil, first, &parseError{err}
	}
	for _, l := range lines {
		if err := run(platform.Command{Line: l}); err != nil {
			return nil, "", &refusedError{err}
		}
	}
	for _, c := range spec.Tx.Save {
		if err := run(c); err != nil {
			return nil, "", err
		}
	}
	listing, err := sess.Send(ctx, spec.ReadConfig)
	if err != nil {
		return nil, "", err
	}
	if err := p.CheckOutput(spec.ReadConfig, listing); err != nil {
		return nil, listing, err
	}
	got, err := p.Parse(listing)
	if err != nil {
		return nil, listing, &parseError{err}
	}
	for _, o := range base.Objects() {
		got.Remove(o.Kind(), o.Key())
	}
	return got, listing, nil
}
