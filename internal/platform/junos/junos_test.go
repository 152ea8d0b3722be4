package junos

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func TestRegistersItself(t *testing.T) {
	if got, ok := platform.Get(Name); !ok || got.Name() != Name {
		t.Fatal("junos does not register itself when imported")
	}
}

func TestPromptPattern(t *testing.T) {
	re := regexp.MustCompile("(?m)" + p.Session().PromptPattern)
	for _, out := range []string{"--- JUNOS 12.1X46-D40.2 built 2015-09-25\nuser@srx> ", "[edit]\nuser@srx# ", "[edit security ike]\nadmin@srx-1.lab# ", "{primary:node0}\nuser@srx-a> "} {
		if !re.MatchString(out) {
			t.Errorf("prompt not matched in %q", out)
		}
	}
	for _, out := range []string{
		`set system login message "user@srx> "`,
		`set interfaces st0 unit 0 description "x user@srx#"`,
		"root@srx% ", "---(more)---",
	} {
		if re.MatchString(out) {
			t.Errorf("prompt matched in %q", out)
		}
	}
}

func bind(t *testing.T, opts map[string]string) *Junos {
	t.Helper()
	checked, err := platform.CheckOptions(p, "srx1", opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := platform.Bind(p, vpn.Facts{}, checked)
	if err != nil {
		t.Fatal(err)
	}
	return b.(*Junos)
}

func TestSessionAndOptions(t *testing.T) {
	s := bind(t, nil).Session()
	if s.ReadConfig != "show configuration | display set | no-more" || s.EndMarker != nil || s.ExecUsable {
		t.Errorf("read: %+v", s)
	}
	want := []string{"set cli screen-length 0", "set cli screen-width 1024", "set cli complete-on-space off"}
	if strings.Join(s.OnOpen, "|") != strings.Join(want, "|") {
		t.Errorf("OnOpen %q", s.OnOpen)
	}
	tx := s.Tx
	line := func(cs []platform.Command) string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Line)
		}
		return strings.Join(out, "|")
	}
	if tx.Strategy != platform.Candidate || line(tx.Enter) != "configure private" || line(tx.Check) != "commit check" ||
		line(tx.Commit) != "commit" || tx.Confirm != nil || line(tx.Abort) != "rollback 0|exit configuration-mode" ||
		line(tx.Exit) != "exit configuration-mode" || tx.ReadConfig != "run show configuration | display set | no-more" || tx.LockWait == 0 {
		t.Errorf("default tx: %+v", tx)
	}
	if q := regexp.MustCompile("(?m)" + tx.Exit[0].Expect); !q.MatchString("The configuration has been changed but not committed\nExit with uncommitted changes? [yes,no] (yes) ") || tx.Exit[0].Answer != "yes" {
		t.Errorf("exit question: %+v", tx.Exit[0])
	}
	if tx.Paste == nil || tx.Paste.Start.Line != "load set terminal" || tx.Paste.End != "\x04" ||
		!regexp.MustCompile("(?m)"+tx.Paste.Start.Expect).MatchString("load set terminal\n[Type ^D at a new line to end input]\n") {
		t.Errorf("paste: %+v", tx.Paste)
	}
	tx = bind(t, map[string]string{"configure_mode": "exclusive", "commit_confirmed_minutes": "5", "load": "lines"}).Session().Tx
	if line(tx.Enter) != "configure exclusive" || line(tx.Commit) != "commit confirmed 5" || line(tx.Confirm) != "commit" || tx.Paste != nil {
		t.Errorf("options tx: %+v", tx)
	}
	for _, bad := range []map[string]string{
		{"commit_confirmed_minutes": "0"}, {"commit_confirmed_minutes": "five"}, {"configure_mode": "shared"},
		{"external_interface": "ge-0/0/0; rollback"}, {"flavor": "ex"},
	} {
		if _, err := platform.CheckOptions(p, "srx1", bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	mx := bind(t, map[string]string{"flavor": "mx"})
	if platform.Supports(mx, vpn.KindSourceRoute) || !platform.Supports(mx, vpn.KindTunnel) || !platform.Supports(p, vpn.KindSourceRoute) {
		t.Errorf("kinds: mx %v, srx %v", mx.Kinds(), p.Kinds())
	}
	if err := platform.CheckKind(mx, "mx1", vpn.KindSourceRoute); err == nil || !strings.Contains(err.Error(), "source_route") || !strings.Contains(err.Error(), `flavor = "mx"`) {
		t.Errorf("source route on mx: %v", err)
	}
	if j := bind(t, map[string]string{"external_interface": "reth0.0"}); j.externalInterface != "reth0.0" {
		t.Errorf("external interface not bound")
	}
}

// The external_interface option names the gateway's interface when the device has no
// interface with its local address.
func TestExternalInterfaceOption(t *testing.T) {
	j := bind(t, map[string]string{"external_interface": "ge-0/0/0.0"})
	base := snapshot(t, readFile(t, "base.set.txt"))
	g := &vpn.IKEGateway{Name: "G", PeerAddress: "198.51.100.1", IKEVersion: 2, PreSharedKey: "k", Lifetime: 28800,
		Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}}}
	desired := base.Config.Clone()
	desired.Put(g)
	lines, err := j.Render(base, desired)
	if err != nil || !contains(lines, "set security ike gateway G external-interface ge-0/0/0.0") {
		t.Fatalf("%v\n%s", err, strings.Join(lines, "\n"))
	}
	if _, err := p.Render(base, desired); err == nil || !strings.Contains(err.Error(), `option "external_interface"`) {
		t.Errorf("without the option: %v", err)
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

func TestCheckOutput(t *testing.T) {
	fails := map[string]string{
		"syntax":    "set security ike gatway GW1\n                           ^\nsyntax error.\n\n[edit]\nuser@srx# ",
		"expecting": "                          ^\nsyntax error, expecting <data>.\n",
		"ambiguous": "'g' is ambiguous.\nPossible completions:\n  gateway\n  global\n",
		"unknown":   "                 ^\nunknown command.\n",
		"check-out": "[edit security ipsec vpn VPN1]\n  'bind-interface'\n    Interface st0.0 must be in a security zone\nerror: configuration check-out failed\n",
		"mandatory": "[edit security ike gateway GW1]\n  'external-interface'\n    Missing mandatory statement: 'external-interface'\nerror: configuration check-out failed: (missing mandatory statements)\n",
		"load":      "[Type ^D at a new line to end input]\nset security ike gatway G\nterminal:1:(14) syntax error: gatway\n  [edit security ike]\n    'gatway G'\n      syntax error\nload complete (1 errors)\n",
		"value":     "error: invalid ip address or hostname: 1.2.3\n",
		"range":     "Value 99 is not within range (180..86400)\n",
	}
	for name, out := range fails {
		err := p.CheckOutput("cmd", out)
		var de *platform.DeviceError
		if !errors.As(err, &de) || de.Command != "cmd" || de.Message == "" || strings.Contains(de.Message, "[edit") || de.Scope == platform.ScopeLock {
			t.Errorf("%s: %#v", name, err)
		}
	}
	err := p.CheckOutput("commit", fails["check-out"])
	if want := "'bind-interface'; Interface st0.0 must be in a security zone; error: configuration check-out failed"; err == nil || err.(*platform.DeviceError).Message != want {
		t.Errorf("message %v, want %q", err, want)
	}
	for _, ok := range []struct{ cmd, out string }{
		{"set x", ""}, {"set x", "\n[edit]\nuser@srx# "},
		{"delete security ike gateway G", "warning: statement not found\n\n[edit]\n"},
		{"configure private", "warning: uncommitted changes will be discarded on exit\nEntering configuration mode\n\n[edit]\n"},
		{"commit check", "configuration check succeeds\n"},
		{"commit", "commit complete\n"},
		{"commit confirmed 5", "commit confirmed will be automatically rolled back in 5 minutes unless confirmed\ncommit complete\n\n# commit confirmed will be rolled back in 5 minutes\n[edit]\n"},
		{"commit", "node0:\nconfiguration check succeeds\nnode1:\ncommit complete\nnode0:\ncommit complete\n"},
		{"\x04", "[Type ^D at a new line to end input]\nset interfaces st0 unit 0 description \"error: configuration check-out failed\"\nset x \"syntax error.\"\nload complete\n"},
		{"rollback 0", "load complete\n"},
		{"set cli screen-length 0", "Screen length set to 0\n"},
	} {
		if err := p.CheckOutput(ok.cmd, ok.out); err != nil {
			t.Errorf("%q %q: %v", ok.cmd, ok.out, err)
		}
	}
	for _, c := range []struct{ cmd, out string }{{"commit", ""}, {"commit check", "\n[edit]\n"}, {"commit", "warning: something\n"}} {
		if err := p.CheckOutput(c.cmd, c.out); err == nil {
			t.Errorf("%q without its success line passed", c.cmd)
		}
	}
}

func TestCheckOutputLock(t *testing.T) {
	for out, holder := range map[string]string{
		"error: configuration database locked by:\n  admin terminal p1 (pid 4242) on since 2026-11-30 10:00:00 UTC, idle 00:01:00\n      exclusive [edit]\n": "admin terminal p1 (pid 4242) on since 2026-11-30 10:00:00 UTC, idle 00:01:00",
		"error: configuration database locked by: bob": "bob",
		"Users currently editing the configuration:\n  carol terminal p2 (pid 77) on since 2026-11-30 09:00:00 UTC\nerror: shared configuration database modified\n": "carol terminal p2 (pid 77) on since 2026-11-30 09:00:00 UTC",
	} {
		err := p.CheckOutput("configure exclusive", out)
		var de *platform.DeviceError
		if !errors.As(err, &de) || de.Scope != platform.ScopeLock || de.Holder != holder {
			t.Errorf("%q: %#v", out, err)
		}
	}
}

// A read is data: error words inside configuration are not failures; anything that is not
// a set line is, and its text is not quoted.
func TestCheckRead(t *testing.T) {
	good := "set system host-name srx\nset interfaces st0 unit 0 description \"error: configuration check-out failed\"\ndeactivate protocols bgp\n\n[edit]\n"
	for _, cmd := range []string{ReadConfig, "run " + ReadConfig} {
		if err := p.CheckOutput(cmd, good); err != nil {
			t.Errorf("%s: %v", cmd, err)
		}
	}
	// while a commit confirmed waits, the banner above the prompt comes with every output
	pending := "set system host-name srx\n\n# commit confirmed will be rolled back in 1 minute\n[edit]\n"
	if err := p.CheckOutput("run "+ReadConfig, pending); err != nil {
		t.Errorf("read during commit confirmed: %v", err)
	}
	if err := p.CheckOutput("commit", "commit complete\n\n# commit confirmed will be rolled back in 10 minutes\n[edit]\n"); err != nil {
		t.Errorf("commit during commit confirmed: %v", err)
	}
	err := p.CheckOutput(ReadConfig, "set a b\nsecret stuff pre-shared-key\n")
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("stray line: %v", err)
	}
	err = p.CheckOutput(ReadConfig, "                              ^\nunknown command.\n")
	if err == nil || !strings.Contains(err.Error(), "unknown command.") {
		t.Errorf("refused read: %v", err)
	}
}

func TestRedact(t *testing.T) {
	in := strings.Join([]string{
		`set security ike policy P pre-shared-key ascii-text "$9$ikqftpBIEyk.clKM-dHq.fFnCtuIhSpu"`,
		`set security ike policy P pre-shared-key ascii-text plain-key`,
		`set security ike policy P pre-shared-key hexadecimal 0a0b0c`,
		`set protocols bgp group G neighbor 10.0.0.1 authentication-key "with \" quote"`,
		`set system root-authentication encrypted-password "$6$abc$def"`,
		`set snmp community public authorization read-only`,
		`user@srx# set security ike policy P pre-shared-key ascii-text "unterminated`,
		`            pre-shared-key ascii-text "$9$ikqftpBIEyk.clKM-dHq.fFnCtuIhSpu"; ## SECRET-DATA`,
		`set protocols ospf area 0 interface st0.0 authentication md5 1 key k3y`,
		`error: the ssh host key changed`,
		`a $9$ikqftpBIEyk.clKM-dHq.fFnCtuIhSpu inside prose`,
	}, "\n")
	out := p.Redact(in)
	for _, secret := range []string{"ikqftp", "plain-key", "0a0b0c", "quote", "$6$abc", "public", "unterminated", "k3y"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q not masked:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "ssh host key changed") || !strings.Contains(out, "authorization read-only") || !strings.Contains(out, "inside prose") {
		t.Errorf("over-masked:\n%s", out)
	}
}

func TestParseFacts(t *testing.T) {
	out := "Hostname: srx-tokyo\nModel: srx300\nJunos: 15.1X49-D170.4\nJUNOS Software Release [15.1X49-D170.4]\n"
	if f := p.ParseFacts(out); f != (vpn.Facts{Platform: "junos", Hostname: "srx-tokyo", Model: "srx300", Version: "15.1X49-D170.4"}) {
		t.Errorf("%+v", f)
	}
	old := "Hostname: j2320\nModel: j2320\nJUNOS Software Release [10.4R6.5]\n"
	if f := p.ParseFacts(old); f.Version != "10.4R6.5" || f.Model != "j2320" {
		t.Errorf("%+v", f)
	}
}
