package junos

import (
	"strings"
	"testing"
)

// `insert <entry> before|after <keyword> <key>` moves an entry of a user-ordered list (a
// firewall filter's terms) in the candidate, typed at the prompt and inside `load set
// terminal`, which takes any configuration-mode command; display set prints the new order.
func TestInsertOrdersFilterTerms(t *testing.T) {
	srv := newServer(t, "")
	tm := open(t, srv, "admin")
	tm.want("configure private", "warning: uncommitted changes will be discarded on exit\nEntering configuration mode\n")
	out := tm.load("set", `set firewall family inet filter F term default then accept
set firewall family inet filter F term a from source-address 192.168.1.0/24
set firewall family inet filter F term a then routing-instance R
insert firewall family inet filter F term a before term default`)
	if out != "load complete\n" {
		t.Fatal(out)
	}
	list := tm.do("show firewall | display set")
	if i, j := strings.Index(list, "term a "), strings.Index(list, "term default "); i < 0 || j < 0 || i > j {
		t.Fatalf("term a is not before term default:\n%s", list)
	}
	tm.ok("insert firewall family inet filter F term a after term default")
	list = tm.do("show firewall | display set")
	if i, j := strings.Index(list, "term a "), strings.Index(list, "term default "); i < j {
		t.Fatalf("term a is not after term default:\n%s", list)
	}
	if out := tm.do("insert firewall family inet filter F term a before term nosuch"); !strings.Contains(out, "statement not found") {
		t.Fatalf("insert before a missing term printed %q", out)
	}
	if out := tm.load("set", "insert firewall family inet filter F term a sideways term default"); !strings.Contains(out, "load complete (1 errors)") {
		t.Fatalf("a malformed insert loaded: %q", out)
	}
}
