package flat

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

func prefixCheck(v string) string {
	if _, err := netip.ParsePrefix(v); err != nil {
		return "invalid prefix " + v
	}
	return ""
}

func numCheck(v string) string {
	if _, err := strconv.ParseUint(v, 10, 32); err != nil {
		return "Parameter must be an integer"
	}
	return ""
}

// screenosSpec mirrors a few facts of device-cli.md section 1: `set`/`unset`, keywords in
// any case, vrouter and BGP contexts closed by `exit`, the one-line form, routes keyed by
// prefix and interface, `unset ike gateway "X"` removing every line of the gateway.
func screenosSpec() *Spec {
	return &Spec{
		Set: "set", Negate: "unset", Exit: []string{"exit"}, FoldCase: true,
		Params: map[string]func(string) string{"prefix": prefixCheck, "as": numCheck, "n": numCheck},
		Commands: []*Command{
			{Pattern: "hostname <name>", Key: 1},
			{Pattern: "ike gateway <name> address <ip> ...", Key: 3},
			{Pattern: "ike gateway <name> dpd-liveness interval <n>", Key: 4},
			{Pattern: "vrouter <vr>", Enters: "vrouter", Keep: true},
			{Pattern: "route <prefix> interface <if> ...", Key: 4, Context: "vrouter"},
			{Pattern: "route source <prefix> interface <if> ...", Key: 5, Context: "vrouter"},
			{Pattern: "source-routing enable", Context: "vrouter"},
			{Pattern: "protocol bgp <as>", Enters: "bgp", MinNegate: 2, Context: "vrouter"},
			{Pattern: "neighbor <ip> remote-as <as>", Key: 3, Context: "bgp"},
			{Pattern: "neighbor <ip> enable", Context: "bgp"},
			{Pattern: "hold-time <n>", Key: 1, Context: "bgp"},
		},
	}
}

// rtxSpec mirrors device-cli.md section 2: `no` forms that ignore what follows the
// identity, `tunnel select N` contexts left by `tunnel select none`, global commands valid
// inside a tunnel, a command set again replacing the old one.
func rtxSpec() *Spec {
	return &Spec{
		Negate: "no", Top: []string{"tunnel select none", "no tunnel select"}, GlobalEverywhere: true,
		Params: map[string]func(string) string{"n": numCheck, "gw": numCheck, "id": numCheck, "net": func(v string) string {
			if v == "default" {
				return ""
			}
			return prefixCheck(v)
		}},
		Commands: []*Command{
			{Pattern: "tunnel select <n>", Enters: "tunnel"},
			{Pattern: "ipsec ike encryption <gw> <alg>", Key: 4},
			{Pattern: "ipsec ike remote address <gw> <addr>", Key: 5},
			{Pattern: "ip route <net> gateway ...", Key: 3},
			{Pattern: "bgp neighbor <id> <as> <ip> ...", Key: 3},
			{Pattern: "bgp neighbor pre-shared-key <id> text <key>", Key: 4},
			{Pattern: "ipsec tunnel <policy>", Key: 2, Context: "tunnel"},
			{Pattern: "ip tunnel address <cidr>", Key: 3, Context: "tunnel"},
			{Pattern: "tunnel enable <n>", Key: 2, Context: "tunnel"},
		},
	}
}

// run applies lines (split on spaces; the tests use no quoting) from ctx and fails the test
// on an error.
func run(t *testing.T, s *Store, ctx Context, lines ...string) Context {
	t.Helper()
	for _, l := range lines {
		var err error
		if ctx, err = s.Exec(ctx, strings.Fields(l)); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
	}
	return ctx
}

func wantErr(t *testing.T, s *Store, ctx Context, line string, kind ErrKind, index int) {
	t.Helper()
	_, err := s.Exec(ctx, strings.Fields(line))
	var fe *Error
	if !errors.As(err, &fe) || fe.Kind != kind || fe.Index != index {
		t.Errorf("%q: %#v, want kind %d at %d", line, err, kind, index)
	}
}

func TestScreenOSContexts(t *testing.T) {
	s := New(screenosSpec())
	var top Context
	ctx := run(t, s, top, "set vrouter trust-vr")
	if ctx.Kind() != "vrouter" || ctx.Depth() != 1 {
		t.Fatalf("context %q depth %d", ctx.Kind(), ctx.Depth())
	}
	ctx = run(t, s, ctx, "set route 0.0.0.0/0 interface ethernet0/0 gateway 203.0.113.1",
		"set route 10.0.0.0/16 interface tunnel.1", "set protocol bgp 65000")
	if ctx.Kind() != "bgp" || ctx.Depth() != 2 {
		t.Fatalf("context %q depth %d", ctx.Kind(), ctx.Depth())
	}
	ctx = run(t, s, ctx, "set hold-time 30", "set neighbor 169.254.255.1 remote-as 7224", "set neighbor 169.254.255.1 enable", "exit", "exit")
	if ctx.Depth() != 0 {
		t.Fatal("exit did not leave the contexts")
	}
	// The one-line form goes into the same block and leaves the session at the top level.
	ctx = run(t, s, ctx, "set vrouter trust-vr source-routing enable",
		"set vrouter trust-vr route source 10.1.1.0/24 interface tunnel.1 preference 15",
		"SET HOSTNAME ssg5", "set vrouter untrust-vr", "exit")
	if ctx.Depth() != 0 {
		t.Fatal("the one-line form changed the context")
	}
	want := `set hostname ssg5
set vrouter trust-vr
set route 0.0.0.0/0 interface ethernet0/0 gateway 203.0.113.1
set route 10.0.0.0/16 interface tunnel.1
set source-routing enable
set route source 10.1.1.0/24 interface tunnel.1 preference 15
set protocol bgp 65000
set hold-time 30
set neighbor 169.254.255.1 remote-as 7224
set neighbor 169.254.255.1 enable
exit
exit
set vrouter untrust-vr
exit
`
	if got := s.Render("set", "", "exit"); got != want {
		t.Fatalf("render:\n%s\nwant:\n%s", got, want)
	}

	// Setting a route again with its identity (prefix, interface) replaces it in place.
	run(t, s, top, "set vrouter trust-vr route source 10.1.1.0/24 interface tunnel.1 preference 10")
	vr := Context{}.push([]string{"vrouter", "trust-vr"}, "vrouter")
	if l := s.Lines(vr)[3]; l.Text() != "route source 10.1.1.0/24 interface tunnel.1 preference 10" {
		t.Fatalf("replaced line: %q", l.Text())
	}
	// unset by identity; a second unset finds nothing.
	run(t, s, top, "unset vrouter trust-vr route source 10.1.1.0/24 interface tunnel.1")
	wantErr(t, s, top, "unset vrouter trust-vr route source 10.1.1.0/24 interface tunnel.1", NotFound, 3)
	// A one-line negation that matches nothing in the block leaves the block alone.
	wantErr(t, s, top, "unset vrouter trust-vr route 192.0.2.0/24 interface tunnel.9", NotFound, 3)
	if len(s.Lines(vr)) != 3 {
		t.Fatalf("the vrouter block lost lines: %d", len(s.Lines(vr)))
	}
	// Negating the opener alone removes the block.
	run(t, s, top, "unset vrouter untrust-vr")
	if strings.Contains(s.Render("set", "", "exit"), "untrust-vr") {
		t.Fatal("unset vrouter untrust-vr left the block")
	}
	// `unset protocol bgp` (without the AS) removes the whole instance.
	run(t, s, vr, "unset protocol bgp")
	if strings.Contains(s.Render("set", "", "exit"), "neighbor") {
		t.Fatal("unset protocol bgp left its lines")
	}
}

func TestScreenOSUnsetAndErrors(t *testing.T) {
	s := New(screenosSpec())
	var top Context
	run(t, s, top, "set ike gateway gw1 address 198.51.100.1 Main preshare x",
		"set ike gateway gw1 dpd-liveness interval 10", "set ike gateway gw2 address 198.51.100.2 Main preshare y")
	run(t, s, top, "unset ike gateway gw1")
	if got := s.Render("set", "", "exit"); got != "set ike gateway gw2 address 198.51.100.2 Main preshare y\n" {
		t.Fatalf("unset ike gateway gw1 left:\n%s", got)
	}
	wantErr(t, s, top, "set ike gatway x", Unknown, 2)
	wantErr(t, s, top, "set hostname", Incomplete, 2)
	wantErr(t, s, top, "set hostname a b", Extra, 3)
	wantErr(t, s, top, "set route 10.0.0.0/16 interface tunnel.1", WrongContext, 1)
	wantErr(t, s, top, "set vrouter trust-vr route 10.0.0.0/33 interface tunnel.1", BadValue, 4)
	wantErr(t, s, top, "get config", Unknown, 0)
	_, err := s.Exec(top, strings.Fields("set vrouter trust-vr route 10.0.0/8 interface tunnel.1"))
	if err == nil || err.Error() != "invalid prefix 10.0.0/8" {
		t.Fatalf("the parameter check's message: %v", err)
	}
}

func TestRTXTunnelSelect(t *testing.T) {
	s := New(rtxSpec())
	var top Context
	ctx := run(t, s, top, "tunnel select 1", "ipsec tunnel 101", "ipsec ike encryption 1 aes-cbc",
		"ip tunnel address 169.254.255.2/30", "tunnel enable 1")
	if ctx.Kind() != "tunnel" || strings.Join(ctx.Openers()[0], " ") != "tunnel select 1" {
		t.Fatalf("context %q %q", ctx.Kind(), ctx.Openers())
	}
	// Selecting another tunnel switches; tunnel select none returns to the top level.
	ctx = run(t, s, ctx, "tunnel select 2")
	if ctx.Depth() != 1 || strings.Join(ctx.Openers()[0], " ") != "tunnel select 2" {
		t.Fatalf("after tunnel select 2: %q", ctx.Openers())
	}
	if ctx = run(t, s, ctx, "tunnel select none"); ctx.Depth() != 0 {
		t.Fatal("tunnel select none")
	}
	run(t, s, top, "ip route 10.0.0.0/16 gateway tunnel 1", "ip route 10.0.0.0/16 gateway tunnel 2",
		"bgp neighbor 1 7224 169.254.255.1 hold-time=30", "bgp neighbor pre-shared-key 1 text s3cr3t")
	// A global command typed in a tunnel is stored at the top; an empty tunnel is not printed;
	// setting an `ip route` again overwrites it.
	want := "ipsec ike encryption 1 aes-cbc\nip route 10.0.0.0/16 gateway tunnel 2\n" +
		"bgp neighbor 1 7224 169.254.255.1 hold-time=30\nbgp neighbor pre-shared-key 1 text s3cr3t\n" +
		"tunnel select 1\n ipsec tunnel 101\n ip tunnel address 169.254.255.2/30\n tunnel enable 1\n"
	if got := s.Render("", " ", ""); got != want {
		t.Fatalf("render:\n%s\nwant:\n%s", got, want)
	}
	saved := s.Clone()
	// `no` ignores what follows the identity.
	run(t, s, top, "no ipsec ike encryption 1 aes-cbc", "no ip route 10.0.0.0/16", "no bgp neighbor pre-shared-key 1")
	run(t, s, top, "tunnel select 1", "no ip tunnel address", "ipsec tunnel 102")
	if got := s.Render("", " ", ""); got != "bgp neighbor 1 7224 169.254.255.1 hold-time=30\ntunnel select 1\n ipsec tunnel 102\n tunnel enable 1\n" {
		t.Fatalf("after no:\n%s", got)
	}
	if saved.Render("", " ", "") != want {
		t.Fatal("the clone changed with the original")
	}
	wantErr(t, s, top, "no ip route 192.0.2.0/24", NotFound, 1)
	wantErr(t, s, top, "ip tunnel address 10.0.0.1/30", WrongContext, 0)
	wantErr(t, s, top, "ipsec ike encryption x aes-cbc", BadValue, 3)
	wantErr(t, s, top, "ipsec ike encryption 1", Incomplete, 4)
	wantErr(t, s, top, "ipsec ike bogus 1", Unknown, 2)
}
