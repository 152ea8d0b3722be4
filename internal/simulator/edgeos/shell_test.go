package edgeos

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

// The provider ends every command with `; echo <marker>` to find the end of the output.
func TestCommandListMarker(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: baseVPN})
	s := cli(t, srv)
	cfg := srv.RunningConfig()
	if got := run1(s, "show configuration commands; echo MARKER-1"); got != cfg+"MARKER-1\n" {
		t.Fatalf("op mode:\n%q", got)
	}
	run1(s, "configure")
	if got := run1(s, "run show configuration commands; echo MARKER-2"); got != cfg+"MARKER-2\n" {
		t.Fatalf("config mode run:\n%q", got)
	}
	if got := run1(s, "set vpn ipsec ike-group IKE0 lifetime 3600; echo MARKER-3"); got != "MARKER-3\n" {
		t.Fatalf("config mode set: %q", got)
	}
	if got := run1(s, "set vpn bogus; echo MARKER-4"); got != "\n  Configuration path: vpn [bogus] is not valid\n  Set failed\n\nMARKER-4\n" {
		t.Fatalf("failed set: %q", got)
	}
	if got := run1(s, "show vpn ipsec ike-group IKE0 lifetime; echo MARKER-5"); got != "+lifetime 3600\nMARKER-5\n" {
		t.Fatalf("config show: %q", got)
	}
	// The exit status is the last command's.
	run1(s, "bogus; true")
	if s.(simulator.Failer).LastFailed() {
		t.Fatal("status of `bogus; true`")
	}
	run1(s, "true; bogus")
	if !s.(simulator.Failer).LastFailed() {
		t.Fatal("status of `true; bogus`")
	}
	if got := run1(s, "false && echo no || echo yes; echo $?"); got != "yes\n0\n" {
		t.Fatalf("&& ||: %q", got)
	}
}

func TestPipes(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: baseVPN})
	s := cli(t, srv)
	esp := "set vpn ipsec esp-group ESP0 proposal 1 encryption aes256\nset vpn ipsec esp-group ESP0 proposal 1 hash sha256\n" +
		"set vpn ipsec site-to-site peer 198.51.100.1 vti esp-group ESP0\n"
	for _, line := range []string{
		"show configuration commands | grep esp-group",
		"show configuration commands |grep 'esp-group'",
		"show configuration commands | match esp-group",
		"show configuration commands | match 'esp-gr(o|u)up' | cat",
		"show configuration commands|cat|match esp-group|no-more",
		"show configuration commands | egrep 'esp-group ESP[0-9]'",
		"show configuration commands | grep 'esp-group ESP\\(0\\|1\\)'",
		"show configuration commands | more | grep esp-group",
	} {
		if got := run1(s, line); got != esp {
			t.Errorf("%s:\n%q", line, got)
		}
	}
	if got := run1(s, "show configuration commands | no-match esp-group | count"); got != fmt.Sprint(strings.Count(srv.RunningConfig(), "\n")-3)+"\n" {
		t.Errorf("no-match | count: %q", got)
	}
	if got := run1(s, "show configuration commands | grep -c vti"); got != "3\n" {
		t.Errorf("grep -c: %q", got)
	}
	// Errors go to standard error: a filter does not hide them.
	if got := run1(s, "show bogus | match x"); got != "Invalid command: show [bogus]\n" {
		t.Errorf("error through a pipe: %q", got)
	}
	if got := run1(s, "echo a b | cat"); got != "a b\n" {
		t.Errorf("echo | cat: %q", got)
	}
}

func TestComments(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: baseVPN})
	s := cli(t, srv)
	for line, want := range map[string]string{
		"# a comment":                     "",
		"   # indented comment":           "",
		"echo a # b":                      "a\n",
		"echo a#b":                        "a#b\n",
		"echo 'a # b' \"#c\" \\#d":        "a # b #c #d\n",
		"show host name # the host name":  "ubnt\n",
		"show host name #; echo not-run":  "ubnt\n",
		"echo x; # comment; echo not-run": "x\n",
		"show configuration commands | match vti # only vti": "set interfaces vti vti0 address 169.254.255.2/30\nset vpn ipsec site-to-site peer 198.51.100.1 vti bind vti0\nset vpn ipsec site-to-site peer 198.51.100.1 vti esp-group ESP0\n",
	} {
		if got := run1(s, line); got != want {
			t.Errorf("%s:\n got %q\nwant %q", line, got, want)
		}
	}
	run1(s, "configure")
	for _, l := range []string{
		"set interfaces ethernet eth1 description a#b",
		"set interfaces ethernet eth2 description 'a # b' # the rest is a comment",
		"set interfaces ethernet eth3 description x #y",
		"# set interfaces ethernet eth4 description never",
	} {
		if out := run1(s, l); out != "" {
			t.Fatalf("%s: %q", l, out)
		}
	}
	run1(s, "commit")
	mustContain(t, srv.RunningConfig(),
		"set interfaces ethernet eth1 description 'a#b'\n",
		"set interfaces ethernet eth2 description 'a # b'\n",
		"set interfaces ethernet eth3 description x\n")
	mustNotContain(t, srv.RunningConfig(), "eth4")
}

// `set` gets its words from bash: quotes are removed, $ expands.
func TestSetWordsAsVbash(t *testing.T) {
	srv := newServer(t, simulator.Options{})
	s := cli(t, srv)
	run1(s, "configure")
	cases := []struct{ line, stored string }{
		{`set interfaces ethernet eth0 description "Azure gateway"`, "'Azure gateway'"},
		{`set interfaces ethernet eth0 description 'Azure gateway'`, "'Azure gateway'"},
		{`set interfaces ethernet eth0 description Azure\ gateway`, "'Azure gateway'"},
		{`set interfaces ethernet eth0 description 'Azure'" gate"way`, "'Azure gateway'"},
		{`set interfaces ethernet eth0 description "back\\slash \$5 \x"`, `'back\slash $5 \x'`},
		{`set interfaces ethernet eth0 description $'\x41\102C\u00e9'`, "ABCé"},
		{`set interfaces ethernet eth0 description "$HOME"`, "/home/admin"},
		{`set interfaces ethernet eth0 description 'lit $HOME'`, "'lit $HOME'"},
		{`set interfaces ethernet eth0 description pre$UNSET`, "pre"},
		{`set interfaces ethernet eth0 description "$(echo sub)"`, "sub"},
		{`set interfaces ethernet eth0 description a>/dev/null`, "a"},
		{`set interfaces ethernet eth0 description a\;b`, "'a;b'"},
		{`set interfaces ethernet eth0 description "a?b*c[d]"`, "'a?b*c[d]'"},
		{`set interfaces ethernet eth0 description ünï€`, "ünï€"},
	}
	for _, c := range cases {
		if out := run1(s, c.line); out != "" && !strings.Contains(out, "already exists") {
			t.Errorf("%s: %q", c.line, out)
			continue
		}
		run1(s, "commit")
		want := "set interfaces ethernet eth0 description " + c.stored + "\n"
		if got := srv.RunningConfig(); got != want {
			t.Errorf("%s:\n got %q\nwant %q", c.line, got, want)
		}
	}
	// An apostrophe reaches `set` either way, and is refused.
	for _, l := range []string{
		`set interfaces ethernet eth1 description "Azure's gateway"`,
		`set interfaces ethernet eth1 description 'Azure'\''s gateway'`,
		`set interfaces ethernet eth1 description Azure\'s\ gateway`,
		`set interfaces ethernet eth1 description $'Azure\'s gateway'`,
	} {
		if out := run1(s, l); !strings.Contains(out, "Cannot use the single quote (') character in a value string") {
			t.Errorf("%s: %q", l, out)
		}
	}
	if out := run1(s, "set interfaces ethernet eth1 description $'a\\nb'"); !strings.Contains(out, "Cannot use the newline character in a value string") {
		t.Errorf("newline: %q", out)
	}
	// Syntax errors are bash's.
	for line, want := range map[string]string{
		"set interfaces ethernet eth1 description f(x)": "-vbash: syntax error near unexpected token `('\n",
		"echo a ;; echo b": "-vbash: syntax error near unexpected token `;;'\n",
		"| echo":           "-vbash: syntax error near unexpected token `|'\n",
		"echo 'open":       "-vbash: unexpected EOF while looking for matching `''\n-vbash: syntax error: unexpected end of file\n",
	} {
		if got := run1(s, line); got != want {
			t.Errorf("%s:\n got %q\nwant %q", line, got, want)
		}
	}
}

// What netmiko, Ansible and scrapli send after login.
func TestAutomationClientSetup(t *testing.T) {
	var cfg strings.Builder
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&cfg, "set policy prefix-list PL rule %d action permit\n", i)
	}
	srv := newServer(t, simulator.Options{InitialConfig: cfg.String()})
	sh := openShell(t, dial(t, srv))
	sh.login()
	for _, l := range []string{"export VYATTA_PAGER=cat", "stty rows 10000", "terminal width 512", "true", ":", "builtin true"} {
		if out := sh.cmd(l); out != "" {
			t.Errorf("%s: %q", l, out)
		}
	}
	if n := strings.Count(sh.cmd("show configuration commands"), "set policy"); n != 30 {
		t.Fatalf("VYATTA_PAGER=cat: %d lines", n)
	}
	// The configuration shell inherits the variables; what it sets is gone after exit.
	sh.cmd("configure")
	if n := strings.Count(sh.cmd("show policy"), "rule"); n != 30 {
		t.Fatalf("config-mode show with VYATTA_PAGER=cat: %d rules", n)
	}
	sh.cmd("export VYATTA_PAGER=less")
	sh.cmd("exit")
	if out := sh.cmd("echo $VYATTA_PAGER"); out != "cat\n" {
		t.Fatalf("VYATTA_PAGER after exit: %q", out)
	}
	if out := sh.cmd("stty size"); out != "10000 512\n" {
		t.Fatalf("stty size: %q", out)
	}
	if out := sh.cmd("set terminal length 0"); out != "Invalid command: set terminal [length]\n" {
		t.Fatalf("set terminal length 0: %q", out)
	}
	if out := sh.cmd("stty bogus"); !strings.HasPrefix(out, "stty: invalid argument `bogus'") {
		t.Fatalf("stty bogus: %q", out)
	}
	// terminal pager brings the pager back; the rows are the pty's again after stty rows.
	sh.cmd("terminal pager")
	sh.cmd("stty rows 24")
	sh.send("show configuration commands; echo END-MARK\n")
	first := norm(sh.readUntil(regexp.MustCompile(`:\z`)))
	if n := strings.Count(first, "set policy"); n != 23 || strings.Contains(first, "\nEND-MARK\n") {
		t.Fatalf("first page:\n%s", first)
	}
	sh.send(" ")
	rest := norm(sh.readUntil(promptRe))
	if !strings.Contains(rest, "rule 30 action permit\nEND-MARK\nadmin@ubnt:~$ ") {
		t.Fatalf("after the pager: %q", rest)
	}
	// A pipe after show means the pager does not page; more pages by itself.
	if n := strings.Count(sh.cmd("show configuration commands | cat"), "set policy"); n != 30 {
		t.Fatalf("| cat: %d", n)
	}
	sh.cmd("terminal length 0")
	sh.send("show configuration commands | more\n")
	first = norm(sh.readUntil(regexp.MustCompile(`--More--\z`)))
	if n := strings.Count(first, "set policy"); n != 23 {
		t.Fatalf("| more: %d lines on the first page", n)
	}
	sh.send("q")
	sh.readUntil(promptRe)
}

func TestExecChannelShellLanguage(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: baseVPN})
	c := dial(t, srv)
	sess, _ := c.NewSession()
	out, err := sess.CombinedOutput("show configuration commands | match vti; echo MARKER # done")
	if err != nil {
		t.Fatal(err)
	}
	want := "set interfaces vti vti0 address 169.254.255.2/30\r\nset vpn ipsec site-to-site peer 198.51.100.1 vti bind vti0\r\nset vpn ipsec site-to-site peer 198.51.100.1 vti esp-group ESP0\r\nMARKER\r\n"
	if string(out) != want {
		t.Fatalf("exec: %q", out)
	}
	sess, _ = c.NewSession()
	if out, err := sess.CombinedOutput("stty -echo"); err == nil || !strings.Contains(string(out), "Inappropriate ioctl for device") {
		t.Fatalf("stty on exec: %v %q", err, out)
	}
}
