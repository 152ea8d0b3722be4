package junos

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

func stripComments(text string) string {
	var out []string
	for _, l := range lines(text) {
		if strings.HasPrefix(l, "#") || strings.TrimSpace(l) == "" {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n") + "\n"
}

func sortedLines(s string) []string {
	l := lines(s)
	sort.Strings(l)
	return l
}

// The display-set sample of the reference (section 4.3) typed through load set terminal,
// committed and printed back line for line, in both op-mode forms.
func TestReferenceSampleRoundTrip(t *testing.T) {
	sample := readFile(t, "testdata/reference-4.3-srx.set")
	srv := newServer(t, "")
	tm := open(t, srv, "admin")
	if p := tm.s.Prompt(); p != "admin@srx> " {
		t.Fatalf("op prompt %q", p)
	}
	tm.want("configure", "Entering configuration mode\n")
	if p := tm.s.Prompt(); p != "\n[edit]\nadmin@srx# " {
		t.Fatalf("config prompt %q", p)
	}
	if out := tm.load("set", sample); out != "load complete\n" {
		t.Fatal(out)
	}
	tm.want("commit check", "configuration check succeeds\n")
	tm.want("commit", "commit complete\n")
	tm.want("exit", "Exiting configuration mode\n")
	if got := tm.do("show configuration | display set | no-more"); got != sample {
		t.Fatalf("display set differs:\n%s\nwant:\n%s", got, sample)
	}
	if srv.RunningConfig() != sample {
		t.Fatal("RunningConfig differs from display set")
	}
	// the braces form loads back into the same configuration
	curlyText := tm.do("show configuration | no-more")
	if !strings.HasPrefix(curlyText, "## Last commit: ") || !strings.Contains(curlyText, " UTC by admin\nversion 12.1X46-D40.2;\nsystem {\n") {
		t.Fatalf("braces form header:\n%s", curlyText[:min(len(curlyText), 200)])
	}
	for _, want := range []string{
		"interfaces {\n    ge-0/0/0 {\n        unit 0 {\n            family inet {\n                address 203.0.113.2/24;",
		"            pre-shared-key ascii-text \"$9$AbCdEfGhIjKlMnOpQrStUv\"; ## SECRET-DATA\n",
		"        import-rib [ inet.0 VPN-VR.inet.0 ];\n",
		"        route 10.0.0.0/16 next-hop st0.0;\n",
	} {
		if !strings.Contains(curlyText, want) {
			t.Fatalf("braces form lacks %q:\n%s", want, curlyText)
		}
	}
	srv2 := newServer(t, curlyText)
	if srv2.RunningConfig() != sample {
		t.Fatalf("braces form did not load back:\n%s", srv2.RunningConfig())
	}
	tm.want("show configuration security ike gateway GW1 | display set", strings.Join(filter(lines(sample), "set security ike gateway GW1 "), "\n")+"\n")
}

func filter(ls []string, prefix string) []string {
	var out []string
	for _, l := range ls {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

// Every set/delete/deactivate line of the reference's section 4.2 (placeholders replaced
// by values, each alternative on a line of its own) is accepted at the [edit] prompt.
func TestReferenceStatementsAccepted(t *testing.T) {
	srv := newServer(t, "")
	tm := open(t, srv, "admin")
	tm.want("configure", "Entering configuration mode\n")
	for _, l := range lines(readFile(t, "testdata/reference-4.2.set")) {
		tm.ok(l)
	}
	got := tm.do("show protocols bgp | display set")
	if !strings.Contains(got, "set protocols bgp group AWS neighbor 192.0.2.1 peer-as 64512\ndeactivate protocols bgp group AWS neighbor 192.0.2.1\n") {
		t.Fatalf("deactivated neighbor:\n%s", got)
	}
	if got := tm.do("show protocols bgp"); !strings.Contains(got, "    inactive: neighbor 192.0.2.1 {\n        peer-as 64512;\n") {
		t.Fatalf("braces form of an inactive neighbor:\n%s", got)
	}
}

func commitScenario(t *testing.T, file string) (*simulator.Server, string) {
	t.Helper()
	text := stripComments(readFile(t, file))
	srv := newServer(t, "")
	tm := open(t, srv, "admin")
	tm.want("configure private", "warning: uncommitted changes will be discarded on exit\nEntering configuration mode\n")
	if out := tm.load("set", text); out != "load complete\n" {
		t.Fatal(out)
	}
	tm.want("commit check", "configuration check succeeds\n")
	tm.want("commit and-quit", "commit complete\nExiting configuration mode\n")
	got := tm.do("show configuration | display set | no-more")
	// every line typed is printed back (secrets encoded), and nothing else
	want := lines(text)
	for i, l := range want {
		if j := strings.Index(l, "ascii-text "); j > 0 {
			want[i] = l[:j] + "ascii-text " + shownSecret(t, l[j+len("ascii-text "):])
		} else if j := strings.Index(l, "authentication-key "); j > 0 {
			want[i] = l[:j] + "authentication-key " + shownSecret(t, l[j+len("authentication-key "):])
		}
	}
	gotSorted, wantSorted := sortedLines(got), sortedLines(expandSets(strings.Join(want, "\n")))
	if strings.Join(gotSorted, "\n") != strings.Join(wantSorted, "\n") {
		t.Fatalf("display set:\n%s\nwant (any order):\n%s", got, strings.Join(wantSorted, "\n"))
	}
	// printed back and loaded into another device, it reads the same
	srv2 := newServer(t, got)
	if srv2.RunningConfig() != got {
		t.Fatalf("display set does not load back:\n%s", srv2.RunningConfig())
	}
	return srv, got
}

// shownSecret is how a quoted plain-text secret reads back: `$9$`-encoded, decoding to it.
func shownSecret(t *testing.T, quoted string) string {
	t.Helper()
	ws, _, ok := lex(quoted)
	if !ok || len(ws) == 0 {
		t.Fatalf("bad secret %s", quoted)
	}
	enc := encode9(ws[0].text)
	if dec, ok := decode9(enc); !ok || dec != ws[0].text {
		t.Fatalf("$9$ round trip of %q: %q", ws[0].text, dec)
	}
	rest := ""
	if len(ws) > 1 {
		rest = " " + strings.Join(texts(ws[1:]), " ")
	}
	return `"` + enc + `"` + rest
}

// expandSets splits the multi-statement lines of the test files the way the device stores
// them (one leaf per display-set line).
func expandSets(text string) string {
	var out []string
	root := schema()
	for _, l := range lines(text) {
		ws, _, _ := lex(l)
		paths, err := split(root, texts(ws[1:]), true)
		if err != nil {
			out = append(out, "BAD "+l)
			continue
		}
		for _, p := range paths {
			out = append(out, "set "+joinPath(root, p))
		}
	}
	return strings.Join(out, "\n")
}

func TestSeed003MXConfiguration(t *testing.T) {
	_, got := commitScenario(t, "testdata/mx-seed003.set")
	for _, want := range []string{
		"set services service-set SS-VPN next-hop-service inside-service-interface ms-1/0/0.1\n",
		"set services ipsec-vpn rule VPN-RULE term T1 from ipsec-inside-interface ms-1/0/0.1\n",
		"set services service-set SS-DYN ipsec-vpn-options local-gateway 198.51.100.6 routing-instance VRF-A\n",
		"set services service-set SS-VPN ipsec-vpn-options passive-mode-tunneling\n",
		"set services ipsec-vpn ike policy IKE-POL pre-shared-key ascii-text \"$9$",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q", want)
		}
	}
}

func TestSeed002SRXConfiguration(t *testing.T) {
	srv, got := commitScenario(t, "testdata/srx-seed002.set")
	if !strings.Contains(got, "set protocols bgp group CLOUD neighbor 169.254.21.2 authentication-key \"$9$") {
		t.Fatalf("bgp key not encoded:\n%s", got)
	}
	if strings.Contains(got, "bgp key 0") || strings.Contains(got, "psk-instance") {
		t.Fatal("a secret is printed in clear")
	}
	tm := open(t, srv, "admin")
	tm.want("show configuration protocols bgp group CLOUD | match hold-time", "hold-time 180;\n")
	tm.want("show configuration protocols bgp group CLOUD hold-time", "hold-time 180;\n")
	tm.want("show configuration security ike policy CLOUD-IKE-0 proposals", "proposals CLOUD-IKE;\n")
	tm.want("show configuration protocols bgp group CLOUD neighbor 169.254.21.6", "local-address 169.254.21.5;\nmultihop {\n    ttl 2;\n}\nauthentication-key \""+encode9("bgp key 1")+"\"; ## SECRET-DATA\n")
	tm.want("show configuration | display set | match neighbor | except multihop | count", "Count: 4 lines\n")
}

func TestSyntaxAndValueErrors(t *testing.T) {
	srv := newServer(t, "")
	tm := open(t, srv, "admin")
	tm.do("configure")
	pad := strings.Repeat(" ", len("admin@srx# "))
	tm.want("set security ike gatway GW1", pad+strings.Repeat(" ", len("set security ike "))+"^\nsyntax error.\n")
	tm.want("set security ike gateway", pad+strings.Repeat(" ", len("set security ike gateway "))+"^\nsyntax error, expecting <data>.\n")
	tm.want("set security ike proposal P lifetime-seconds 99", pad+strings.Repeat(" ", len("set security ike proposal P lifetime-seconds "))+"^\nValue 99 is not within range (180..86400) at '99'\n")
	tm.want("set security ike gateway G address 1.2.3", pad+strings.Repeat(" ", len("set security ike gateway G address "))+"^\ninvalid ip address or hostname: 1.2.3 at '1.2.3'\n")
	tm.want("set security ike gateway G version v3-only", pad+strings.Repeat(" ", len("set security ike gateway G version "))+"^\nsyntax error.\n")
	tm.want("set security ipsec vpn V bind-interface ge-0/0/0.0", pad+strings.Repeat(" ", len("set security ipsec vpn V bind-interface "))+"^\ninvalid interface: bind-interface must be a logical interface of st0: ge-0/0/0.0 at 'ge-0/0/0.0'\n")
	tm.want("set security i", pad+strings.Repeat(" ", len("set security "))+"^\n'i' is ambiguous.\nPossible completions:\n  ike\n  ipsec\n")
	tm.want("delete security ike gateway NOPE", "warning: statement not found\n")
	tm.want("deactivate security ike gateway NOPE", "warning: statement not found\n")
	tm.want("frobnicate", pad+"^\nunknown command.\n")
	// abbreviations
	tm.ok("set sec ike prop P dh-g group14")
	tm.want("show security ike | display set", "set security ike proposal P dh-group group14\n")
	// a hostile value: quotes, #, ;, braces, non-ASCII, text that looks like a prompt
	tm.ok(`set interfaces ge-0/0/0 description "a \"b\" # c; {d} \\ é admin@srx# [edit]"`)
	tm.want("show interfaces ge-0/0/0 | display set", `set interfaces ge-0/0/0 description "a \"b\" # c; {d} \\ é admin@srx# [edit]"`+"\n")
	tm.want(`show interfaces ge-0/0/0`, `description "a \"b\" # c; {d} \\ é admin@srx# [edit]";`+"\n")
	// op-mode errors
	tm.want("exit configuration-mode", "The configuration has been changed but not committed\n")
	if q, _, ok := tm.s.Question(); !ok || q != "Exit with uncommitted changes? [yes,no] (yes) " {
		t.Fatalf("question %q %v", q, ok)
	}
	if out, _ := tm.s.Answer("no"); out != "" || !tm.s.config {
		t.Fatal("no must stay in configuration mode")
	}
	tm.do("exit")
	if out, _ := tm.s.Answer(""); out != "Exiting configuration mode\n" {
		t.Fatalf("answer: %q", out)
	}
	tm.want("show bogus", strings.Repeat(" ", len("admin@srx> show "))+"^\nunknown command.\n")
	tm.want("s", strings.Repeat(" ", len("admin@srx> "))+"^\n's' is ambiguous.\nPossible completions:\n  set\n  show\n")
}

func TestCommitChecks(t *testing.T) {
	srv := newServer(t, "")
	tm := open(t, srv, "admin")
	tm.do("configure")
	tm.ok("set security ike gateway GW1 address 198.51.100.1")
	tm.want("commit check", "[edit security ike gateway GW1]\n  'ike-policy'\n    Missing mandatory statement: 'ike-policy'\n"+
		"[edit security ike gateway GW1]\n  'external-interface'\n    Missing mandatory statement: 'external-interface'\n"+
		"error: configuration check-out failed: (missing mandatory statements)\n")
	tm.ok("set security ike gateway GW1 ike-policy NOPE external-interface ge-0/0/0.0")
	tm.want("commit", "[edit security ike gateway GW1]\n  'ike-policy'\n    ike-policy 'NOPE' is not defined\nerror: configuration check-out failed\n")
	if !tm.s.LastFailed() || srv.RunningConfig() != "" {
		t.Fatal("a refused commit must change nothing")
	}
	tm.ok("delete security")
	tm.ok("set security ipsec vpn V bind-interface st0.3 ike gateway G ipsec-policy P")
	out := tm.do("commit check")
	for _, want := range []string{"gateway 'G' is not defined", "ipsec-policy 'P' is not defined", "Interface st0.3 is not configured"} {
		if !strings.Contains(out, want) {
			t.Fatalf("commit check lacks %q:\n%s", want, out)
		}
	}
	tm.ok("delete security")
	tm.ok("set protocols bgp group G type external neighbor 169.254.21.2 export NOPE")
	out = tm.do("commit check")
	for _, want := range []string{"Error in neighbor 169.254.21.2 of group G:\npeer AS number must be configured for an external peer\n", "Policy error: Policy NOPE referenced but not defined\n", "autonomous-system must be configured"} {
		if !strings.Contains(out, want) {
			t.Fatalf("commit check lacks %q:\n%s", want, out)
		}
	}
	tm.ok("delete protocols")
	tm.ok("set services service-set SS next-hop-service inside-service-interface ms-1/0/0.1 outside-service-interface ms-1/0/0.2")
	tm.ok("set services service-set SS ipsec-vpn-rules R")
	out = tm.do("commit check")
	for _, want := range []string{"Missing mandatory statement: 'local-gateway'", "Referenced rule 'R' is not defined", "Interface ms-1/0/0.1 is not configured"} {
		if !strings.Contains(out, want) {
			t.Fatalf("commit check lacks %q:\n%s", want, out)
		}
	}
	// deactivated statements are not checked
	tm.ok("deactivate services")
	tm.want("commit check", "configuration check succeeds\n")
}

func TestSecretsEncoded(t *testing.T) {
	srv := newServer(t, "")
	tm := open(t, srv, "admin")
	tm.do("configure")
	tm.ok(`set security ike policy P pre-shared-key ascii-text "s3cr\"et é"`)
	out := tm.do("show security ike policy P | display set")
	enc := strings.TrimSuffix(strings.TrimPrefix(out, `set security ike policy P pre-shared-key ascii-text "`), "\"\n")
	if dec, ok := decode9(enc); !ok || dec != `s3cr"et é` {
		t.Fatalf("%q decodes to %q", out, dec)
	}
	if tm.do("show security ike policy P | display set") != out {
		t.Fatal("the encoded form must be stable")
	}
	tm.ok(`set security ike policy P pre-shared-key ascii-text "$9$AbCdEf"`)
	tm.want("show security ike policy P | display set", `set security ike policy P pre-shared-key ascii-text "$9$AbCdEf"`+"\n")
	for _, s := range []string{"", "a", "pre shared; key # 1", "\\\"'$9$", "日本語のキー", strings.Repeat("x", 300)} {
		if d, ok := decode9(encode9(s)); !ok || d != s {
			t.Fatalf("round trip %q -> %q", s, d)
		}
	}
	if _, ok := decode9("$9$!!"); ok {
		t.Fatal("garbage decoded")
	}
}

func TestLocks(t *testing.T) {
	srv := newServer(t, "set system host-name srx")
	a, b := open(t, srv, "alice"), open(t, srv, "bob")
	a.want("configure exclusive", "warning: uncommitted changes will be discarded on exit\nEntering configuration mode\n")
	out := b.do("configure exclusive")
	if !strings.HasPrefix(out, "error: configuration database locked by:\n  alice terminal p") || !strings.HasSuffix(out, "      exclusive [edit]\n") {
		t.Fatalf("locked: %q", out)
	}
	if !strings.HasPrefix(b.do("configure private"), "error: configuration database locked by:\n") {
		t.Fatal("private while locked")
	}
	out = b.do("configure")
	if !strings.HasPrefix(out, "Entering configuration mode\nUsers currently editing the configuration:\n  alice terminal") || !strings.HasSuffix(out, "      exclusive [edit]\n") {
		t.Fatalf("configure while locked: %q", out)
	}
	if !strings.HasPrefix(b.do("set system domain-name example.net"), "error: configuration database locked by:\n  alice") {
		t.Fatal("set while locked")
	}
	b.want("exit", "Exiting configuration mode\n")
	a.ok("set system domain-name example.net")
	a.want("exit", "The configuration has been changed but not committed\n")
	a.s.Answer("yes")
	if strings.Contains(srv.RunningConfig(), "domain-name") {
		t.Fatal("exclusive changes must be discarded on exit")
	}
	// the lock goes with the session
	a.do("configure exclusive")
	a.s.CloseSession()
	b.want("configure exclusive", "warning: uncommitted changes will be discarded on exit\nEntering configuration mode\n")
	b.do("exit")

	// another user holding the lock (Server.HoldLock)
	srv.HoldLock("carol")
	out = b.do("configure private")
	if !strings.HasPrefix(out, "error: configuration database locked by:\n  carol terminal") {
		t.Fatalf("HoldLock: %q", out)
	}
	b.do("configure")
	if !strings.HasPrefix(b.do("commit"), "error: configuration database locked by:\n  carol") {
		t.Fatal("commit while held")
	}
	srv.ReleaseLock()
	b.ok("set system domain-name example.net")
	// a private session is refused while the shared candidate is modified
	c := open(t, srv, "dave")
	c.want("configure private", "error: shared configuration database modified\n")
	b.want("commit", "commit complete\n")
	if out := c.do("configure private"); !strings.HasPrefix(out, "warning: uncommitted changes will be discarded on exit\nEntering configuration mode\nUsers currently editing the configuration:\n  bob terminal ") {
		t.Fatalf("configure private: %q", out)
	}
	// private changes merge into what others committed meanwhile
	c.ok("set system location building-1")
	b.ok("set system ntp server 192.0.2.123")
	b.want("commit", "commit complete\n")
	c.want("commit", "commit complete\n")
	run := srv.RunningConfig()
	for _, want := range []string{"set system location building-1", "set system ntp server 192.0.2.123", "set system domain-name example.net"} {
		if !strings.Contains(run, want) {
			t.Fatalf("merge lost %q:\n%s", want, run)
		}
	}
}

func TestCommitConfirmedRollsBack(t *testing.T) {
	srv := newServer(t, "set system host-name srx")
	SetMinute(srv.Engine(), 40*time.Millisecond)
	tm := open(t, srv, "admin")
	tm.do("configure")
	tm.ok("set system domain-name example.net")
	tm.want("commit confirmed 2", "commit confirmed will be automatically rolled back in 2 minutes unless confirmed\ncommit complete\n")
	if !strings.Contains(tm.s.Prompt(), "# commit confirmed will be rolled back in 2 minutes\n[edit]\n") {
		t.Fatalf("prompt %q", tm.s.Prompt())
	}
	deadline := time.Now().Add(3 * time.Second)
	for ConfirmPending(srv.Engine()) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if strings.Contains(srv.RunningConfig(), "domain-name") {
		t.Fatal("not rolled back")
	}
	// confirmed in time: kept
	tm.ok("set system domain-name example.net")
	tm.want("commit confirmed 5", "commit confirmed will be automatically rolled back in 5 minutes unless confirmed\ncommit complete\n")
	tm.want("commit", "commit complete\n")
	time.Sleep(300 * time.Millisecond)
	if !strings.Contains(srv.RunningConfig(), "domain-name") || ConfirmPending(srv.Engine()) {
		t.Fatal("confirmed commit rolled back")
	}
}

func TestRollbackCompareAndLoad(t *testing.T) {
	srv := newServer(t, "set protocols bgp group AWS hold-time 90\nset routing-options autonomous-system 65000\nset security ike proposal P dh-group group14")
	tm := open(t, srv, "admin")
	tm.do("configure")
	tm.ok("set protocols bgp group AWS hold-time 30")
	tm.ok("set security ike gateway GW1 ike-policy IKE-POL")
	tm.want("show | compare", "[edit security ike]\n+   gateway GW1 {\n+       ike-policy IKE-POL;\n+   }\n"+
		"[edit protocols bgp group AWS]\n-   hold-time 90;\n+   hold-time 30;\n")
	tm.want("rollback 0", "load complete\n")
	tm.want("show | compare", "")
	tm.ok("deactivate protocols bgp group AWS")
	tm.want("show | compare", "[edit protocols bgp]\n!   inactive: group AWS {\n!       hold-time 90;\n!   }\n")
	tm.ok("activate protocols bgp group AWS")
	tm.want("show | compare", "")
	tm.want("rollback 7", "error: rollback 7 does not exist\n")
	tm.ok("set protocols bgp group AWS hold-time 30")
	tm.do("commit")
	tm.want("rollback 1", "load complete\n")
	tm.want("show protocols bgp group AWS hold-time | display set", "set protocols bgp group AWS hold-time 90\n")
	tm.want("rollback", "load complete\n")

	// edit levels
	tm.ok("edit protocols bgp group AWS")
	if !strings.HasPrefix(tm.s.Prompt(), "\n[edit protocols bgp group AWS]\n") {
		t.Fatalf("prompt %q", tm.s.Prompt())
	}
	tm.ok("set neighbor 169.254.21.2 peer-as 65515")
	tm.want("show", "hold-time 30;\nneighbor 169.254.21.2 {\n    peer-as 65515;\n}\n")
	tm.ok("up")
	if !strings.HasPrefix(tm.s.Prompt(), "\n[edit protocols bgp]\n") {
		t.Fatalf("prompt after up %q", tm.s.Prompt())
	}
	tm.ok("top")
	tm.want("rollback 0", "load complete\n")

	// load set with a bad line: the good lines are loaded, the bad one reported
	out := tm.load("set", "set system domain-name example.net\nset security ike gatway X\nset protocols bgp group AWS hold-time 99999")
	if out != "terminal:2:(18) syntax error: gatway\nterminal:3:(39) Value 99999 is not within range (0..65535)\nload complete (2 errors)\n" {
		t.Fatalf("load errors: %q", out)
	}
	tm.want("show system | display set", "set system domain-name example.net\n")
	if out := tm.load("set", "delete security ike gateway NOPE\nset system time-zone UTC"); out != "warning: statement not found\nload complete\n" {
		t.Fatalf("load with a delete of an absent statement: %q", out)
	}
	tm.ok("delete system time-zone")
	// load merge / replace in the braces form
	out = tm.load("merge", "system {\n    location \"rack 1\";\n}\n")
	if out != "load complete\n" {
		t.Fatal(out)
	}
	out = tm.load("replace", "protocols {\n    bgp {\n        replace: group AWS {\n            hold-time 60;\n        }\n    }\n}\n")
	if out != "load complete\n" {
		t.Fatal(out)
	}
	tm.want("show protocols | display set", "set protocols bgp group AWS hold-time 60\n")
	tm.want("show system | display set", "set system domain-name example.net\nset system location \"rack 1\"\n")
	out = tm.load("override", "routing-options {\n    autonomous-system 65001;\n}\n")
	if out != "load complete\n" {
		t.Fatal(out)
	}
	tm.want("show | display set", "set routing-options autonomous-system 65001\n")
	// `delete` alone asks before deleting everything under the level
	tm.ok("edit routing-options")
	tm.ok("delete")
	if q, _, ok := tm.s.Question(); !ok || q != "Delete everything under this level? [yes,no] (no) " {
		t.Fatalf("question %q", q)
	}
	tm.s.Answer("")
	tm.want("top show | display set", "set routing-options autonomous-system 65001\n")
	tm.ok("delete")
	tm.s.Answer("yes")
	tm.want("top show | display set", "")
}

func TestOperationalCommands(t *testing.T) {
	srv := newServer(t, "set system host-name edge-1\nset security ike proposal P dh-group group14")
	tm := open(t, srv, "admin")
	tm.want("set cli screen-length 0", "Screen length set to 0\n")
	tm.want("set cli screen-width 511", "Screen width set to 511\n")
	tm.want("set cli complete-on-space off", "Disabling complete-on-space\n")
	tm.want("show version", "Hostname: edge-1\nModel: srx240h2\nJunos: 12.1X46-D40.2\nJUNOS Software Release [12.1X46-D40.2]\n")
	SetModel(srv.Engine(), "mx480", "17.3R3.10")
	tm.want("show version | match Model", "Model: mx480\n")
	tm.want("show version | find ^Junos", "Junos: 17.3R3.10\nJUNOS Software Release [17.3R3.10]\n")
	tm.want("show version | last 1", "JUNOS Software Release [17.3R3.10]\n")
	tm.want("sh conf | display set | except host-name", "set security ike proposal P dh-group group14\n")
	if tm.s.PageLength() != 0 {
		t.Fatal("screen-length 0 must not page")
	}
	tm.want("set cli screen-length 10", "Screen length set to 10\n")
	tm.do("show configuration")
	if tm.s.PageLength() != 9 || tm.s.PagerPrompt() != "---(more)---" {
		t.Fatalf("page length %d", tm.s.PageLength())
	}
	tm.do("show configuration | no-more")
	if tm.s.PageLength() != 0 {
		t.Fatal("| no-more must not page")
	}
	if _, closed := tm.s.Exec("exit"); !closed {
		t.Fatal("op-mode exit must close the session")
	}
	// exec channels never page
	ex := srv.Engine().NewSession(simulator.SessionInfo{User: "admin"}).(*session)
	ex.Exec("show configuration")
	if ex.PageLength() != 0 {
		t.Fatal("exec channel paged")
	}
}

// The command lines of the reference's sections 4.1 and 4.3 are understood.
func TestReferenceCommandLines(t *testing.T) {
	srv := newServer(t, "set system host-name srx\nset interfaces ge-0/0/0 unit 0 family inet address 203.0.113.2/24\nset routing-options autonomous-system 65000")
	tm := open(t, srv, "admin")
	tm.want("set cli screen-length 0", "Screen length set to 0\n")
	tm.want("set cli screen-width 511", "Screen width set to 511\n")
	tm.want("set cli complete-on-space off", "Disabling complete-on-space\n")
	tm.want("configure", "Entering configuration mode\n")
	tm.ok("edit security ike")
	tm.ok("set gateway GW1 address 198.51.100.1")
	tm.ok("up")
	tm.ok("top")
	tm.ok("delete security")
	tm.ok("set interfaces st0 unit 0 family inet address 169.254.255.2/30")
	tm.want("show | compare", "[edit interfaces]\n+   st0 {\n+       unit 0 {\n+           family inet {\n+               address 169.254.255.2/30;\n+           }\n+       }\n+   }\n")
	tm.want("commit check", "configuration check succeeds\n")
	tm.want(`commit comment "first st0 unit"`, "commit complete\n")
	tm.want("commit confirmed 5", "commit confirmed will be automatically rolled back in 5 minutes unless confirmed\ncommit complete\n")
	tm.want("commit synchronize", "commit complete\n")
	tm.want("show | compare rollback 1", "")
	tm.want("rollback 1", "load complete\n")
	tm.want("show | display set", "set system host-name srx\nset interfaces ge-0/0/0 unit 0 family inet address 203.0.113.2/24\nset interfaces st0 unit 0 family inet address 169.254.255.2/30\nset routing-options autonomous-system 65000\n")
	tm.want("rollback 0", "load complete\n")
	tm.want("run show configuration interfaces st0 | display set", "set interfaces st0 unit 0 family inet address 169.254.255.2/30\n")
	tm.want("commit and-quit", "commit complete\nExiting configuration mode\n")
	tm.want("show configuration | compare rollback 4", "[edit interfaces]\n+   st0 {\n+       unit 0 {\n+           family inet {\n+               address 169.254.255.2/30;\n+           }\n+       }\n+   }\n")
	tm.want("show configuration security ike | display set", "")
	if !strings.Contains(tm.do("show configuration | display omit"), "    st0 {\n        unit 0 {\n") {
		t.Fatal("display omit")
	}
	if !strings.HasPrefix(tm.do("show system commit"), "0   ") {
		t.Fatal("show system commit")
	}
	tm.want("configure private", "warning: uncommitted changes will be discarded on exit\nEntering configuration mode\n")
	tm.want("exit configuration-mode", "Exiting configuration mode\n")
	tm.want("configure exclusive", "warning: uncommitted changes will be discarded on exit\nEntering configuration mode\n")
	tm.want("exit", "Exiting configuration mode\n")
}

func TestOutputPadding(t *testing.T) {
	srv := newServer(t, "set system host-name srx")
	tm := open(t, srv, "admin")
	srv.SetOutputPadding(5000)
	out := tm.do("show configuration | display set")
	if len(out) < 5000 || !strings.HasPrefix(out, "set system host-name srx\nset system static-host-mapping pad-0000001.invalid inet 192.0.2.2\n") {
		t.Fatalf("padding: %d bytes, %q", len(out), out[:min(len(out), 200)])
	}
	if srv.RunningConfig() != "set system host-name srx\n" {
		t.Fatal("padding must not change the configuration")
	}
}

// A secret set without its value is asked for twice with echo off, as on the device, so
// that it never appears in the command line.
func TestSecretAskedHidden(t *testing.T) {
	srv := newServer(t, "")
	tm := open(t, srv, "admin")
	tm.do("configure")
	tm.ok("set security ike policy P pre-shared-key ascii-text")
	if q, hidden, ok := tm.s.Question(); !ok || !hidden || q != "New ascii-text (secret):" {
		t.Fatalf("question %q hidden=%v", q, hidden)
	}
	tm.s.Answer(`a "quoted" # key`)
	if q, hidden, ok := tm.s.Question(); !ok || !hidden || q != "Retype new ascii-text (secret):" {
		t.Fatalf("question %q hidden=%v", q, hidden)
	}
	if out, _ := tm.s.Answer("different"); out != "error: entries do not match\n" {
		t.Fatalf("mismatch: %q", out)
	}
	tm.want("show security | display set", "")
	tm.ok("set protocols bgp group G neighbor 192.0.2.1 authentication-key")
	tm.s.Answer("k1")
	tm.s.Answer("k1")
	got := tm.do("show protocols | display set")
	enc := strings.TrimSuffix(strings.TrimPrefix(got, `set protocols bgp group G neighbor 192.0.2.1 authentication-key "`), "\"\n")
	if dec, ok := decode9(enc); !ok || dec != "k1" {
		t.Fatalf("%q", got)
	}
}
