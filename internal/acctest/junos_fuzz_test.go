package acctest

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/junos" // registers "junos"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/junos9"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/sshcli"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// FuzzJunosThroughSimulator: any objects that pass validation, rendered by the Junos dialect
// (SRX flavor) and TYPED into the (independently written) Junos simulator, read back as
// exactly those objects, so no accepted input (quotes, backslashes, semicolons, braces, #,
// unicode, text that looks like a prompt or an error) can make the device configure anything
// else.
//
// The lines go the way the provider sends them: the provider's SSH transport (sshcli: a pty
// and the interactive CLI) and the dialect's session protocol (screen-length 0, configure
// private, the batch as one `load set terminal` paste ended by Ctrl-D and judged with
// CheckOutput, commit check, commit, exit), then the dialect's ReadConfig is read back and
// parsed. The simulator is reached only over SSH.
//
//	go test -run '^$' -fuzz '^FuzzJunosThroughSimulator$' -fuzztime 15s ./internal/acctest
func FuzzJunosThroughSimulator(f *testing.F) {
	f.Add("AZURE", "Azure vWAN", "s3cr3t-PSK", "BGP", 0)
	f.Add("a.b-c_d", `tunnel; set system host-name pwned`, "a#b!c*d?e{f}", "X", 7)
	f.Add("Z", "ünïcødé € \"quoted\" \\ back", "~user$(reboot)", "PL-1", 12)
	f.Add("n", "x | display set } {", "p;commit", "delete", 0)
	f.Add("jp", "日本語の説明 😀 admin@srx# ", "`reboot`", "PL", 3)
	f.Add("c", "error: configuration check-out failed", "$9$HOME", "P", 1)
	f.Fuzz(func(t *testing.T, name, desc, secret, plName string, unit int) {
		p, ok := platform.Get("junos")
		if !ok {
			t.Fatal("junos not registered")
		}
		if unit < 0 || unit > 4094 {
			return
		}
		var objs []vpn.Object
		keep := func(o vpn.Object) bool {
			p.Normalize(o)
			return len(o.Validate()) == 0 && len(p.Validate(o)) == 0
		}
		st0 := "st0." + itoa(unit)
		gw := &vpn.IKEGateway{Name: name, PeerAddress: "198.51.100.1", LocalAddress: "203.0.113.2", IKEVersion: 2,
			PreSharedKey: secret, Lifetime: 28800,
			Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}}}
		tu := &vpn.Tunnel{Name: name, Gateway: name, Lifetime: 3600, Interface: st0, Description: desc, Zone: "vpn",
			Address: "169.254.21.1/30", Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}}
		if keep(gw) && keep(tu) {
			objs = append(objs, gw, tu)
		}
		pl := &vpn.PrefixList{Name: plName, Rules: []vpn.PrefixRule{{Sequence: 1, Action: "permit", Prefix: "10.0.0.0/8"}}}
		if keep(pl) {
			objs = append(objs, pl)
		}
		n := &vpn.BGPNeighbor{Address: "169.254.21.2", LocalAS: 64512, RemoteAS: 65515, Password: secret, Description: desc}
		if keep(pl) {
			n.PrefixListIn = plName
		}
		if keep(n) {
			objs = append(objs, n)
		}
		if len(objs) == 0 {
			return
		}
		base, err := p.Parse(JunosSRXBase)
		if err != nil {
			t.Fatal(err)
		}
		// the base's own objects (its default route) stay as they are
		want := base.Clone()
		for _, o := range objs {
			want.Put(o)
		}
		lines, err := p.Render(platform.Snapshot{Text: JunosSRXBase, Config: base}, want)
		if err != nil {
			t.Fatalf("render of valid objects failed: %v", err)
		}
		got, device, err := pasteIntoJunos(t, p, lines)
		if err != nil {
			t.Fatalf("%v\nlines:\n%s", err, strings.Join(lines, "\n"))
		}
		// secrets print as $9$ (the device layer decodes them after Parse; so does this
		// test); a secret typed as $9$ is taken as already encoded, so it compares decoded
		plain := func(v string) string {
			if junos9.Is(v) {
				if d, err := junos9.Decode(v); err == nil {
					return d
				}
			}
			return v
		}
		for _, c := range []*vpn.Config{got, want} {
			for _, g := range c.IKEGateways() {
				g.PreSharedKey = plain(g.PreSharedKey)
			}
			for _, o := range c.OfKind(vpn.KindBGPNeighbor) {
				n := o.(*vpn.BGPNeighbor)
				n.Password = plain(n.Password)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("the device holds other objects than intended\ngot:  %s\nwant: %s\nlines:\n%s\ndevice:\n%s", dumpConfig(got), dumpConfig(want), strings.Join(lines, "\n"), device)
		}
	})
}

// dumpConfig prints a model with its secrets, for a failing fuzz case only.
func dumpConfig(c *vpn.Config) string {
	var b strings.Builder
	for _, o := range c.Objects() {
		fmt.Fprintf(&b, "\n  %s %q: %+v", o.Kind(), o.Key(), o)
	}
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// pasteIntoJunos pastes lines into a fresh Junos simulator (JunosSRXBase) over SSH with the
// provider's transport and the dialect's session protocol, commits, and parses what the
// device reads back.
func pasteIntoJunos(t *testing.T, p platform.Platform, lines []string) (*vpn.Config, string, error) {
	t.Helper()
	srv, err := simulator.New(simulator.Options{Platform: "junos", Username: Username, Password: Password, InitialConfig: JunosSRXBase})
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
		HostKey:        srv.Fingerprint(),
		PromptPattern:  spec.PromptPattern,
		ReturnChar:     spec.ReturnChar,
		OnOpen:         spec.OnOpen,
		ConnectTimeout: 10 * time.Second,
		CommandTimeout: 2 * time.Second,
	})
	if err != nil {
		t.Fatalf("ssh to the simulator: %v", err)
	}
	defer sess.Close()
	run := func(c platform.Command) error {
		var out string
		var err error
		if c.Expect != "" {
			out, err = sess.SendExpect(ctx, c.Line, c.Expect, false)
		} else {
			out, err = sess.Send(ctx, c.Line)
		}
		if err != nil {
			return err
		}
		return p.CheckOutput(c.Line, out)
	}
	steps := func(cmds []platform.Command) error {
		for _, c := range cmds {
			if err := run(c); err != nil {
				return err
			}
		}
		return nil
	}
	tx := spec.Tx
	if tx.Paste == nil {
		t.Fatal("the Junos dialect does not paste by default")
	}
	if err := steps(tx.Enter); err != nil {
		return nil, "", err
	}
	if err := run(tx.Paste.Start); err != nil {
		return nil, "", err
	}
	out, err := sess.Paste(ctx, lines, tx.Paste.End)
	if err != nil {
		return nil, "", err
	}
	if err := p.CheckOutput(tx.Paste.End, out); err != nil {
		return nil, "", &refusedError{err}
	}
	if err := steps(tx.Check); err != nil {
		return nil, "", &refusedError{err}
	}
	if err := steps(tx.Commit); err != nil {
		return nil, "", err
	}
	for _, c := range tx.Exit {
		// exit configuration-mode asks only when something is uncommitted: nothing is
		if _, err := sess.SendExpect(ctx, c.Line, c.Expect, false); err != nil {
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
	return got, listing, nil
}
