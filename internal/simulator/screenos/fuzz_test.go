package screenos

import (
	"regexp"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

// deviceError is what a refused line prints: a caret line or one of the object errors.
var deviceError = regexp.MustCompile(`^(?: *\^-----[^\n]*|[A-Z][^\n]* doesn't exist(?: in zone [^\n]*)?|Can't delete: [^\n]*|name too long)\n$`)

// FuzzHostileNames types names a user (or a device) could hand over into the places the
// VPN resources put names: address book entries, proposals, gateways, vpns, policy names,
// route descriptions; each quoted and bare. Every line is either refused with a ScreenOS
// error and changes nothing, or accepted, and then `get config` prints the object under
// exactly that name, and the printed configuration typed into a fresh device prints the
// same.
func FuzzHostileNames(f *testing.F) {
	for _, s := range []string{
		`plain`, `with space`, `a"b`, `"`, `trailing\`, `back\slash\"`, `#comment`, `what?`, `$HOME`, `$(reboot)`,
		`semi;colon`, `pipe|include`, `日本語の名前`, `한국어`, "tab\there", "new\nline", "nul\x00", "esc\x1b[2J",
		`ssg5-> `, `ssg5(M)-> set`, `               ^-----unknown keyword x`, `Configuration modified, save? [y]/n`,
		`--- more ---`, `exit`, `unset`, ``, ` `, strings.Repeat("x", 63), strings.Repeat("x", 64), `'single'`, `{brace}`,
		`a/b`, `10.0.0.0/8`, `Any`, `-dash`, "\u00a0nbsp", "zero\u200bwidth",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		forms := []struct {
			line, printed string
		}{
			{`set address "Trust" "%s" 10.1.0.0/16`, `set address "Trust" "%s" 10.1.0.0 255.255.0.0`},
			{`set ike p1-proposal "%s" preshare group14 esp aes256 sha2-256 second 28800`, `set ike p1-proposal "%s" preshare group14 esp aes256 sha2-256 second 28800`},
			{`set ike gateway "%s" address 192.0.2.1 Main outgoing-interface "ethernet0/0" preshare "k" proposal "p1"`, `set ike gateway "%s" address 192.0.2.1 Main outgoing-interface "ethernet0/0" preshare "`},
			{`set vpn "%s" gateway "gw1" no-replay tunnel idletime 0 proposal "p2"`, `set vpn "%s" gateway "gw1" no-replay tunnel idletime 0 proposal "p2"`},
			{`set policy id 7 name "%s" from "Trust" to "Untrust" "Any" "Any" "ANY" permit`, `set policy id 7 name "%s" from "Trust" to "Untrust" "Any" "Any" "ANY" permit`},
			{`set route 10.7.0.0/16 interface tunnel.1 description "%s"`, `set route 10.7.0.0/16 interface tunnel.1 description "%s"`},
			{`set ike gateway "gw1" address 192.0.2.1 Main outgoing-interface "ethernet0/0" preshare "%s" proposal "p1"`, ``},
		}
		for _, quoted := range []bool{true, false} {
			if !quoted && (strings.ContainsAny(name, " \t") || name == "") {
				continue // typed bare, blanks split the name into words: another test
			}
			for _, form := range forms {
				l := newLocal(t, "", base)
				before := l.run("get config")
				line := strings.Replace(form.line, "%s", name, 1)
				if !quoted {
					line = strings.Replace(form.line, `"%s"`, name, 1)
				}
				out := l.run(line)
				after := l.run("get config")
				if out != "" {
					if !deviceError.MatchString(out) {
						t.Fatalf("%q -> not a device error: %q", line, out)
					}
					if after != before {
						t.Fatalf("%q refused (%q) but the configuration changed", line, out)
					}
					continue
				}
				if form.printed != "" && !strings.Contains(after, strings.Replace(form.printed, "%s", name, 1)) {
					t.Fatalf("%q accepted but not printed with the same name:\n%s", line, after)
				}
				if form.printed == "" && strings.Contains(after, `preshare "`+name+`"`) {
					t.Fatalf("preshare %q printed in plaintext:\n%s", name, after)
				}
				fresh := newLocal(t, "", "")
				for _, pl := range lines(after)[1:] {
					if o := fresh.run(pl); o != "" {
						t.Fatalf("printed line %q refused when typed back: %q", pl, o)
					}
				}
				if again := fresh.run("get config"); again != after {
					t.Fatalf("round trip of %q differs:\n%s", line, lineDiff(lines(after), lines(again)))
				}
			}
		}
	})
}

// TestHostileNamesOverSSH types a few hostile names through the interactive shell: UTF-8
// (wide characters), `#`, `$`, backslashes and text that looks like a prompt or an error
// reach the device intact and print back exactly; `?` asks for help unless typed with
// Ctrl-V, after which it is part of the name.
func TestHostileNamesOverSSH(t *testing.T) {
	srv := newServer(t, "", simulator.Options{})
	sh := openShell(t, dial(t, srv))
	sh.login()
	sh.cmd("set console page 0")
	for _, name := range []string{`日本語 #1`, `$(x) \ back\`, `ssg5-> `, `  ^-----unknown keyword x`, `한국어`} {
		line := `set address "Trust" "` + name + `" 10.1.0.0/16`
		if out := sh.cmd(line); out != "" {
			t.Fatalf("%q -> %q", line, out)
		}
		want := `set address "Trust" "` + name + `" 10.1.0.0 255.255.0.0` + "\n"
		if got := sh.cmd(`get config | include "` + name + `"`); got != want {
			t.Fatalf("include %q: %q", name, got)
		}
		// removed again (from another session: the device's state is shared)
		if out, _ := srv.Engine().NewSession(simulator.SessionInfo{}).Exec(`unset address "Trust" "` + name + `"`); out != "" {
			t.Fatalf("unset %q: %q", name, out)
		}
	}
	// `?` with Ctrl-V is inserted; the shell echoes it
	m := sh.mark()
	sh.send(`set address "Trust" "what` + "\x16?" + `" 10.2.0.0/16` + "\n")
	sh.waitFor(m, promptRe)
	mustContain(t, srv.RunningConfig(), `set address "Trust" "what?" 10.2.0.0 255.255.0.0`)
	if out := sh.cmd(`set address "Trust" "a"b" 10.3.0.0/16`); !strings.Contains(out, "^-----parse error") {
		t.Fatalf("quote in a name: %q", out)
	}
}
