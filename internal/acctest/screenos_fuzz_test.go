package acctest

import (
	"context"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/screenos" // registers "screenos"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/sshcli"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// FuzzScreenOSThroughSimulator: any objects that pass validation, rendered by the ScreenOS
// dialect and TYPED into the (independently written) ScreenOS simulator, read back as exactly
// those objects: no accepted name, policy name or key (quotes, `?` the CLI acts on as it is
// typed, prompt-like text `host-> `, caret lines, unicode) can make the device configure
// anything else.
//
// The lines go the way the provider sends them: the provider's SSH transport (sshcli with the
// dialect's legacy algorithms and the device's ssh-dss host key pinned, a pty, each line
// typed and its echo awaited) and the dialect's session protocol (`set console page 0`, each
// step's line judged with CheckOutput, an `exit` answering the save question, `save`), then
// `get config` is read back and parsed. Keys print one-way and policies read back with the
// neighbours they stand between, so those two are compared by presence. The simulator is
// reached only over SSH.
//
//	go test -run '^$' -fuzz '^FuzzScreenOSThroughSimulator$' -fuzztime 15s ./internal/acctest
//
// Each input takes a fresh simulator and an SSH session (about a second with the legacy
// algorithms), so the fuzzer pauses for up to -fuzzminimizetime (60s) whenever it minimizes a
// new input: that is not a hang.
func FuzzScreenOSThroughSimulator(f *testing.F) {
	f.Add("azure-gateway-ike", "Go Azure", "s3cr3t-PSK-value", "AZURE-PREFIXES", 1)
	f.Add("Azure-VPN_A", "ssg5-> set admin name x", "a#b!c*d{f}", "X", 7)
	f.Add("n", "^-----unknown keyword policy", "p;save", "exit", 12)
	f.Add("gw 1", "policy move 1 before 2", "key with spaces", "PL 1", 3)
	f.Add("ünïcødé", "日本語", "`reboot`", "PL", 0)
	f.Add("x", "Configuration modified, save? [y]/n", "$HOME", "P", 4095)
	f.Fuzz(func(t *testing.T, name, polName, secret, plName string, unit int) {
		p, ok := platform.Get("screenos")
		if !ok {
			t.Fatal("screenos not registered")
		}
		if unit < 1 || unit > 9999 {
			return
		}
		keep := func(o vpn.Object) bool {
			p.Normalize(o)
			return len(o.Validate()) == 0 && len(p.Validate(o)) == 0
		}
		tun := "tunnel." + itoa(unit)
		var objs []vpn.Object
		gw := &vpn.IKEGateway{Name: name, PeerAddress: "198.51.100.20", LocalAddress: "203.0.113.10", IKEVersion: 1,
			PreSharedKey: secret, Lifetime: 28800, Proposals: []vpn.IKEProposal{{Encryption: "aes128", Integrity: "sha1", DHGroup: 2}}}
		tu := &vpn.Tunnel{Name: name, Gateway: name, Lifetime: 3600, Interface: tun,
			Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}},
			Selectors: []vpn.TrafficSelector{{Local: "192.168.1.0/24", Remote: "10.0.0.0/24"}}}
		sr := &vpn.SourceRoute{Source: "192.168.1.0/24", Interface: tun, Preference: 15}
		if keep(gw) && keep(tu) && keep(sr) {
			objs = append(objs, gw, tu, sr)
		}
		pol := &vpn.SecurityPolicy{Name: polName, FromZone: "Trust", ToZone: "Untrust", Destinations: []string{"10.0.0.0/24"}, Action: "permit", Number: 7}
		if keep(pol) {
			objs = append(objs, pol)
		}
		pl := &vpn.PrefixList{Name: plName, Number: 3, Rules: []vpn.PrefixRule{{Sequence: 1, Action: "permit", Prefix: "10.0.0.0/24"}}}
		n := &vpn.BGPNeighbor{Address: "169.254.21.2", LocalAS: 64512, RemoteAS: 65515, Password: secret}
		if keep(pl) {
			objs = append(objs, pl)
			n.PrefixListIn = plName
		}
		if keep(n) {
			objs = append(objs, n)
		}
		if len(objs) == 0 {
			return
		}
		base, err := p.Parse(ScreenOSBase("ssg5"))
		if err != nil {
			t.Fatal(err)
		}
		want := base.Clone()
		for _, o := range objs {
			want.Put(o)
		}
		steps, err := p.(platform.StepRenderer).RenderSteps(platform.Snapshot{Text: ScreenOSBase("ssg5"), Config: base}, want)
		if err != nil {
			t.Fatalf("render of valid objects failed: %v", err)
		}
		got, device, err := typeIntoScreenOS(t, p, steps)
		if err != nil {
			t.Fatalf("%v\ndevice:\n%s", err, device)
		}
		// One-way keys: present on both sides or on neither. Policies: where they stand.
		for _, c := range []*vpn.Config{got, want} {
			for _, g := range c.IKEGateways() {
				g.PreSharedKey = map[bool]string{true: "<key>"}[g.PreSharedKey != ""]
			}
			for _, o := range c.OfKind(vpn.KindBGPNeighbor) {
				n := o.(*vpn.BGPNeighbor)
				n.Password = map[bool]string{true: "<key>"}[n.Password != ""]
			}
			for _, o := range c.OfKind(vpn.KindSecurityPolicy) {
				o.(*vpn.SecurityPolicy).Position = ""
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("the device holds other objects than intended\ngot:  %s\nwant: %s\ndevice:\n%s", dumpConfig(got), dumpConfig(want), device)
		}
	})
}

// typeIntoScreenOS types the steps into a fresh ScreenOS simulator (an SSG5 on its factory
// configuration) over SSH with the provider's transport and the dialect's session protocol,
// saves, and parses what `get config` prints.
func typeIntoScreenOS(t *testing.T, p platform.Platform, steps []platform.Step) (*vpn.Config, string, error) {
	t.Helper()
	srv, err := simulator.New(simulator.Options{Platform: "screenos", Username: Username, Password: Password, InitialConfig: ScreenOSBase("ssg5"),
		HostKey: fuzzHostKey(t, "screenos")})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	spec := p.Session()
	host, port := splitHostPort(t, srv.Addr())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sess, err := sshcli.Open(ctx, sshcli.Config{
		Host: host, Port: port, Username: Username, Password: Password,
		HostKey:      srv.Fingerprint(),
		KeyExchanges: spec.KeyExchanges, Ciphers: spec.Ciphers, MACs: spec.MACs, HostKeyAlgorithms: spec.HostKeyAlgorithms,
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
		if c.Line == "" {
			return nil
		}
		out, err := sess.SendExpect(ctx, c.Line, c.Expect, false)
		if err != nil {
			return err
		}
		if c.Expect != "" && regexp.MustCompile(`(?m)`+c.Expect).MatchString(out) {
			_, err = sess.Send(ctx, c.Answer)
			return err
		}
		return p.CheckOutput(c.Line, out)
	}
	for _, st := range steps {
		if err := run(st.Do); err != nil {
			return nil, srv.RunningConfig(), &refusedError{err}
		}
	}
	for _, c := range spec.Tx.Save {
		if err := run(c); err != nil {
			return nil, srv.RunningConfig(), err
		}
	}
	listing, err := sess.Send(ctx, spec.ReadConfig)
	if err != nil {
		return nil, "", err
	}
	if err := p.CheckOutput(spec.ReadConfig, listing); err != nil {
		return nil, listing, err
	}
	if strings.TrimSpace(srv.SavedConfig()) != strings.TrimSpace(srv.RunningConfig()) {
		return nil, listing, &refusedError{errString("the running configuration is not saved")}
	}
	got, err := p.Parse(listing)
	if err != nil {
		return nil, listing, &parseError{err}
	}
	return got, listing, nil
}

type errString string

func (e errString) Error() string { return string(e) }
