package edgeos

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

// sendBytes writes s one byte per write, so that multi-byte characters arrive split.
func (sh *shell) sendBytes(s string) {
	for i := 0; i < len(s); i++ {
		sh.send(s[i : i+1])
		if i%7 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
}

func TestUTF8LineEditing(t *testing.T) {
	srv := newServer(t, simulator.Options{})
	sh := openShell(t, dial(t, srv))
	sh.login()
	// Each character is echoed whole, even when its bytes arrive one by one.
	for _, text := range []string{"日本語の説明", "ünïcødé € ok", "😀 emoji", "ＦＵＬＬ－ＷＩＤＴＨ", "e\u0301 combining", "Ελληνικά"} {
		sh.sendBytes("echo '" + text + "'\n")
		want := "echo '" + text + "'\n" + text + "\nadmin@ubnt:~$ "
		if got := norm(sh.readUntil(promptRe)); got != want {
			t.Errorf("%s:\n got %q\nwant %q", text, got, want)
		}
	}
	// Backspace removes a character: two columns for a wide one, the base character with
	// its combining marks.
	sh.send("echo 日X\x7f\x7f本e\u0301\x7fé\n")
	if got := norm(sh.readUntil(promptRe)); got != "echo 日X\b \b\b\b  \b\b本e\u0301\b \bé\n本é\nadmin@ubnt:~$ " {
		t.Errorf("backspace: %q", got)
	}
	// Ctrl-U erases the whole line (its width in columns), Ctrl-W the last word.
	sh.send("echo x日\x15echo one two\x17three\n")
	if got := norm(sh.readUntil(promptRe)); got != "echo x日"+strings.Repeat("\b", 8)+strings.Repeat(" ", 8)+strings.Repeat("\b", 8)+
		"echo one two\b\b\b   \b\b\bthree\none three\nadmin@ubnt:~$ " {
		t.Errorf("Ctrl-U / Ctrl-W: %q", got)
	}
	// Backspace on an empty line rings the bell.
	sh.send("\x7fecho b\n")
	if got := norm(sh.readUntil(promptRe)); got != "\aecho b\nb\nadmin@ubnt:~$ " {
		t.Errorf("bell: %q", got)
	}
	// A byte that is not UTF-8 is kept as is.
	sh.send("echo a\xffb\n")
	if got := norm(sh.readUntil(promptRe)); got != "echo a\xffb\na\xffb\nadmin@ubnt:~$ " {
		t.Errorf("invalid byte: %q", got)
	}
	// The bytes of a value are stored and printed unchanged.
	sh.cmd("configure")
	for i, d := range []string{"日本語の説明", "Zürich – Genève", "😀", "e\u0301"} {
		line := "set interfaces ethernet eth" + string(rune('0'+i)) + " description '" + d + "'"
		sh.sendBytes(line + "\n")
		if got := norm(sh.readUntil(promptRe)); got != line+"\n[edit]\nadmin@ubnt# " {
			t.Fatalf("%s: %q", line, got)
		}
	}
	sh.cmd("commit")
	mustContain(t, srv.RunningConfig(),
		"set interfaces ethernet eth0 description 日本語の説明\n",
		"set interfaces ethernet eth1 description 'Zürich – Genève'\n",
		"set interfaces ethernet eth2 description 😀\n",
		"set interfaces ethernet eth3 description e\u0301\n")
	mustContain(t, sh.cmd("run show configuration commands | match eth0"), "description 日本語の説明\n")
	// stty -echo: the shell stops echoing what is typed (readline follows the tty's ECHO).
	sh.cmd("exit")
	sh.cmd("stty -echo")
	sh.send("echo hidden\n")
	if out := norm(sh.readUntil(promptRe)); out != "hidden\nadmin@ubnt:~$ " {
		t.Fatalf("stty -echo: %q", out)
	}
	sh.send("stty echo\n")
	sh.readUntil(promptRe)
	if out := sh.cmd("echo shown"); out != "shown\n" {
		t.Fatalf("stty echo: %q", out)
	}
}

// ? is bound to completion help in the interactive shell, inside quotes too.
func TestQuestionMarkHelp(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: baseVPN})
	sh := openShell(t, dial(t, srv))
	sh.login()
	sh.cmd("configure")
	peer := "set vpn ipsec site-to-site peer 198.51.100.1 authentication pre-shared-secret "
	sh.send(peer + "'ab?cd'\n")
	got := norm(sh.readUntil(regexp.MustCompile(`\r\n\[edit\]\r\nadmin@ubnt# \z`)))
	want := peer + "'ab\nPossible completions:\n  <text>\n[edit]\nadmin@ubnt# " + peer + "'abcd'\n[edit]\nadmin@ubnt# "
	if got != want {
		t.Fatalf("? in a value:\n got %q\nwant %q", got, want)
	}
	sh.cmd("commit")
	mustContain(t, srv.RunningConfig(), "pre-shared-secret abcd\n")
	// Inside double quotes, in a description: the same.
	sh.send("set vpn ipsec site-to-site peer 198.51.100.1 description \"why?\"\n")
	sh.readUntil(regexp.MustCompile(`description "why\r\n(?s:.*)admin@ubnt# set vpn ipsec site-to-site peer 198.51.100.1 description "why"\r\n\[edit\]\r\nadmin@ubnt# \z`))
	// The help for a path lists what may follow.
	sh.send("set vpn ipsec esp-group X ?")
	mustContain(t, norm(sh.readUntil(regexp.MustCompile(`admin@ubnt# set vpn ipsec esp-group X \z`))),
		"Possible completions:\n  compression\n  lifetime\n  mode\n  pfs\n  proposal\n")
	sh.send("\x15")
	// Ctrl-V ? inserts a literal ?, and so does $'\077' (the shell makes it, readline never sees it).
	sh.send(peer + "'ab\x16?cd'\n")
	if got := norm(sh.readUntil(promptRe)); !strings.HasSuffix(got, "\b"+peer+"'ab?cd'\n[edit]\nadmin@ubnt# ") {
		t.Fatalf("Ctrl-V ?: %q", got)
	}
	sh.cmd("commit")
	mustContain(t, srv.RunningConfig(), "pre-shared-secret 'ab?cd'\n")
	sh.cmd(peer + "'x'$'\\077''y'")
	sh.cmd("commit")
	mustContain(t, srv.RunningConfig(), "pre-shared-secret 'x?y'\n")
	sh.cmd("exit")
	// `terminal key query-help disable` makes ? an ordinary key, for this user's later
	// sessions too (it is written to ~/.bashrc); enable restores the help.
	if out := sh.cmd("terminal key query-help disable"); out != "" {
		t.Fatalf("query-help disable: %q", out)
	}
	if out := sh.cmd("echo a?b"); out != "a?b\n" {
		t.Fatalf("? after query-help disable: %q", out)
	}
	sh2 := openShell(t, dial(t, srv))
	sh2.login()
	if out := sh2.cmd("echo 'c?d'"); out != "c?d\n" {
		t.Fatalf("? in a later session: %q", out)
	}
	sh2.cmd("terminal key query-help enable")
	sh2.send("echo e?f\n")
	mustContain(t, norm(sh2.readUntil(regexp.MustCompile(`echo ef\r\nef\r\nadmin@ubnt:~\$ \z`))), "echo e\n\n  No help text available\nadmin@ubnt:~$ echo ef\n")
	// Exec channels have no line editor: ? is an ordinary character.
	sess, _ := dial(t, srv).NewSession()
	if out, err := sess.CombinedOutput("echo 'a?b'"); err != nil || string(out) != "a?b\r\n" {
		t.Fatalf("exec: %v %q", err, out)
	}
}

// An unterminated quote makes the shell wait for the rest with the "> " prompt.
func TestContinuationLines(t *testing.T) {
	srv := newServer(t, simulator.Options{})
	sh := openShell(t, dial(t, srv))
	sh.login()
	sh.send("echo 'one\n")
	if got := norm(sh.readUntil(regexp.MustCompile(`> \z`))); got != "echo 'one\n> " {
		t.Fatalf("first line: %q", got)
	}
	sh.send("two' | \n")
	sh.readUntil(regexp.MustCompile(`\r\n> \z`))
	sh.send("cat\n")
	if got := norm(sh.readUntil(promptRe)); got != "cat\none\ntwo\nadmin@ubnt:~$ " {
		t.Fatalf("joined: %q", got)
	}
	// Ctrl-C abandons the whole command.
	sh.send("echo \"never\n")
	sh.readUntil(regexp.MustCompile(`> \z`))
	sh.send("\x03")
	sh.readUntil(promptRe)
	if out := sh.cmd("echo after"); out != "after\n" {
		t.Fatalf("after Ctrl-C: %q", out)
	}
}
