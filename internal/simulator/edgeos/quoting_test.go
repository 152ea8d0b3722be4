package edgeos

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

// The `show configuration commands` quoting of EdgeOS (vyatta-cfg 1.0.x of Ubiquiti,
// cnode-algorithm.cpp _print_cmds_list): a path component is put in single quotes, with no
// escaping inside, when it is empty or contains one of *}{ \t\n\v\f\r [;&`!$><|]?#\~():.
// Everything else, quotes and non-ASCII included, is printed bare.
func TestShowCommandsQuoting(t *testing.T) {
	cases := []struct{ value, want string }{
		{"tunnel to DC", "'tunnel to DC'"},
		{"plain", "plain"},
		{"a#b", "'a#b'"},
		{"$6$salt$hash", "'$6$salt$hash'"},
		{"a?b", "'a?b'"},
		{"a:b", "'a:b'"},
		{"~x", "'~x'"},
		{"f(x)", "'f(x)'"},
		{"[x]", "'[x]'"},
		{`a\b`, `'a\b'`},
		{"a*b", "'a*b'"},
		{"a{b", "'a{b'"},
		{"a;b", "'a;b'"},
		{"a&b", "'a&b'"},
		{"a`b", "'a`b'"},
		{"a!b", "'a!b'"},
		{"a<b>c|d", "'a<b>c|d'"},
		{"10.0.0.0/8", "10.0.0.0/8"},
		{"a=b,c@d^e%f+g_h.i-j/k", "a=b,c@d^e%f+g_h.i-j/k"},
		{"ünïcødé", "ünïcødé"},
		{"ünïcødé € description", "'ünïcødé € description'"},
		{"日本語の説明", "日本語の説明"},
		{"😀", "😀"},
		{"e\u0301", "e\u0301"},
	}
	for _, c := range cases {
		srv := newServer(t, simulator.Options{})
		line := "set interfaces ethernet eth0 description " + shellQuoteForTest(c.value)
		if err := srv.Apply(line); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		want := "set interfaces ethernet eth0 description " + c.want + "\n"
		if got := srv.RunningConfig(); got != want {
			t.Errorf("value %q:\n got %q\nwant %q", c.value, got, want)
		}
	}
	// Node names and tag values follow the same rule.
	srv := newServer(t, simulator.Options{})
	if err := srv.Apply("set system static-host-mapping host-name 'a:b' inet 192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	mustContain(t, srv.RunningConfig(), "set system static-host-mapping host-name 'a:b' inet 192.0.2.1\n")
}

// Curly output (cnode-algorithm.cpp _print_value_str): a leaf value is put in double quotes,
// with no escaping, when it is empty or contains one of *}{; \t\n\v\f\r; tag values are
// printed bare.
func TestCurlyQuoting(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: "set interfaces ethernet eth0 description 'a#b?c'\n" +
		"set interfaces ethernet eth1 description 'x y'\n" +
		"set interfaces ethernet eth2 description 'a;b'\n" +
		"set interfaces ethernet eth3 description ünï€\n" +
		"set firewall modify PBR rule 10 description '$x'\n" +
		"set firewall modify 'P:B' description x\n"})
	s := cli(t, srv)
	out := run1(s, "show configuration")
	mustContain(t, out,
		"     ethernet eth0 {\n         description a#b?c\n",
		"         description \"x y\"\n",
		"         description \"a;b\"\n",
		"         description ünï€\n",
		"             description $x\n",
		"     modify P:B {\n")
}

// Values can never hold a single quote, a double quote or a newline (vyatta-cfg cli_new.c
// validate_value); the message is the device's, then Value validation failed / Set failed.
func TestValueCharacterRestrictions(t *testing.T) {
	srv := newServer(t, simulator.Options{})
	s := cli(t, srv)
	run1(s, "configure")
	cases := []struct{ line, msg string }{
		{`set interfaces ethernet eth0 description "Azure's gateway"`, "Cannot use the single quote (') character in a value string"},
		{`set interfaces ethernet eth0 description 'say "hi"'`, `Cannot use the double quote (") character in a value string`},
		{`set interfaces ethernet eth0 description "a\"b"`, `Cannot use the double quote (") character in a value string`},
		{`set vpn ipsec ike-group "I'KE" lifetime 3600`, "Cannot use the single quote (') character in a value string"},
	}
	for _, c := range cases {
		want := "\n  " + c.msg + "\n  Value validation failed\n  Set failed\n\n"
		if got := run1(s, c.line); got != want {
			t.Errorf("%s:\n got %q\nwant %q", c.line, got, want)
		}
	}
	if err := srv.Apply(`set interfaces ethernet eth0 description "Azure's gateway"`); err == nil ||
		!strings.Contains(err.Error(), "Cannot use the single quote") {
		t.Fatalf("Apply: %v", err)
	}
	if srv.RunningConfig() != "" {
		t.Fatalf("refused values were stored: %q", srv.RunningConfig())
	}
}

// shellQuoteForTest quotes v for vbash: in single quotes (values here never hold one).
func shellQuoteForTest(v string) string { return "'" + v + "'" }
