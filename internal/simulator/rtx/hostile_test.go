package rtx

import (
	"strings"
	"testing"
)

// TestHostileStrings: values holding quotes, #, ?, backslashes, blanks, non-ASCII,
// prompt-like and error-like text are either refused with an RTX error or stored exactly
// and printed so that typing the printed line back gives the same value.
func TestHostileStrings(t *testing.T) {
	cases := []struct {
		typed   string // the value as typed (escaped/quoted the console's way)
		value   string // what the device stores
		printed string // how show config prints it
	}{
		{`plain`, `plain`, `plain`},
		{`"with blanks"`, `with blanks`, `"with blanks"`},
		{`'single quoted'`, `single quoted`, `"single quoted"`},
		{`"a\"b"`, `a"b`, `"a\"b"`},
		{`'a"b'`, `a"b`, `"a\"b"`},
		{`a\"b`, `a"b`, `"a\"b"`},
		{`"it's"`, `it's`, `"it's"`},
		{`a\#b`, `a#b`, `"a#b"`},
		{`"#hash"`, `#hash`, `"#hash"`},
		{`"what?"`, `what?`, `"what?"`},
		{`a\?b`, `a?b`, `"a?b"`},
		{`what?`, `what`, `what`}, // an unescaped ? is the help key
		{`"back\\slash"`, `back\slash`, `"back\\slash"`},
		{`a\\b`, `a\b`, `"a\\b"`},
		{`"pipe | and > redirect"`, `pipe | and > redirect`, `"pipe | and > redirect"`},
		{`"RTX1210# "`, `RTX1210# `, `"RTX1210# "`},
		{`"tunnel1# "`, `tunnel1# `, `"tunnel1# "`},
		{`"Error: Invalid command name"`, `Error: Invalid command name`, `"Error: Invalid command name"`},
		{`"Password: "`, `Password: `, `"Password: "`},
		{`東京拠点`, `東京拠点`, `東京拠点`},
		{`"大阪 拠点"`, `大阪 拠点`, `"大阪 拠点"`},
		{`"$HOME ${x} $(id)"`, `$HOME ${x} $(id)`, `"$HOME ${x} $(id)"`},
		{`""`, ``, `""`},
	}
	fields := []struct {
		before []string
		line   string // %s is the value
		max    int
	}{
		{[]string{"tunnel select 1"}, "description tunnel %s", 64},
		{nil, "description 1 %s", 64},
		{nil, "ipsec ike remote name 1 %s", 32},
		{nil, "ipsec ike pre-shared-key 1 text %s", 128},
		{nil, "ipsec ike local name 1 %s", 32},
		{[]string{"pp select 1"}, "description pp %s", 64},
		{nil, "console prompt %s", 64},
	}
	for _, f := range fields {
		for _, c := range cases {
			if c.value == "" && (strings.Contains(f.line, "pre-shared-key")) {
				continue // an empty key is refused (below)
			}
			srv := newServer(t, "", nil)
			tm := open(t, srv)
			tm.ok("console character ja.utf8")
			tm.ok("console columns 200")
			tm.ok("console lines infinity")
			tm.ok("administrator")
			tm.ok(testAdmin)
			for _, b := range f.before {
				tm.ok(b)
			}
			line := strings.Replace(f.line, "%s", c.typed, 1)
			if out := tm.do(line); out != "" {
				t.Errorf("%q refused: %q", line, out)
				continue
			}
			tm.ok("tunnel select none")
			tm.ok("pp select none")
			printed := strings.Replace(f.line, "%s", c.printed, 1)
			cfg := tm.do("show config")
			if !strings.Contains(cfg, "\n"+printed+"\n") && !strings.Contains(cfg, "\n "+printed+"\n") {
				t.Errorf("%q: want the line %q in:\n%s", line, printed, cfg)
				continue
			}
			// the stored value is exactly the intended one
			lx := lex(printed)
			idx := len(strings.Fields(strings.Split(f.line, "%s")[0]))
			if len(lx.toks) <= idx || lx.toks[idx] != c.value {
				t.Errorf("%q: printed line reads back as %q, want value %q", line, lx.toks, c.value)
			}
			// typed back into a fresh engine, the configuration prints the same
			srv2 := newServer(t, "", nil)
			tm2 := open(t, srv2)
			tm2.ok("console character ja.utf8")
			tm2.ok("administrator")
			tm2.ok(testAdmin)
			tm2.typeLines(strings.ReplaceAll(srv.RunningConfig(), "administrator password *\n", ""))
			if srv2.RunningConfig() != srv.RunningConfig() {
				t.Errorf("%q: retyped:\n%s\nwant:\n%s", line, srv2.RunningConfig(), srv.RunningConfig())
			}
		}
	}

	// refused: control characters, characters Shift-JIS lacks, half-width katakana, too
	// long, an empty key; nothing changes
	srv := newServer(t, "", nil)
	tm := open(t, srv)
	tm.ok("console character ja.utf8")
	tm.ok("administrator")
	tm.ok(testAdmin)
	tm.ok("console character en.ascii")
	before := srv.RunningConfig()
	for _, c := range []struct{ line, want string }{
		{"description 1 \"bell\x07\"", "Error: Illegal keyword\n"},
		{"description 1 smile\U0001F600", "Error: Illegal keyword\n"},
		{"description 1 ｶﾀｶﾅ", "Error: Illegal keyword\n"},
		{"description 1 " + strings.Repeat("x", 65), "Error: Parameter out of range\n"},
		{"description 1 " + strings.Repeat("漢", 33), "Error: Parameter out of range\n"},
		{"ipsec ike pre-shared-key 1 text " + strings.Repeat("k", 129), "Error: Parameter out of range\n"},
		{`ipsec ike pre-shared-key 1 text ""`, "Error: Insufficient or too many parameters\n"},
		{"ipsec ike remote name 1 " + strings.Repeat("n", 33), "Error: Parameter out of range\n"},
		{"description 1 a|b", "Error: Illegal keyword\n"},
		{"description 1 a>b", "Error: Illegal keyword\n"},
	} {
		tm.want(c.line, c.want)
	}
	tm.ok("description 1 " + strings.Repeat("x", 64))
	tm.ok("description 2 " + strings.Repeat("漢", 32))
	tm.ok("no description 1")
	tm.ok("no description 2")
	if after := srv.RunningConfig(); after != before {
		t.Fatalf("refused lines changed the configuration:\n%s", after)
	}
	// a comment after an unescaped # is not part of the value
	tm.ok("description 3 kept # dropped")
	if !strings.Contains(srv.RunningConfig(), "\ndescription 3 kept\n") {
		t.Fatalf("comment:\n%s", srv.RunningConfig())
	}
}

// TestShiftJISInput: in a Shift-JIS console, Japanese typed in Shift-JIS is stored as the
// characters and printed back in Shift-JIS (and in UTF-8 to a ja.utf8 console).
func TestShiftJISInput(t *testing.T) {
	srv := newServer(t, "", nil)
	tm := open(t, srv)
	tm.ok("administrator")
	tm.ok(testAdmin)
	sj := charsetOf("ja.sjis")
	tm.ok(sj.encode("description 1 ソフト表示")) // ソ and 表 end in a 0x5c byte in Shift-JIS
	if !strings.Contains(srv.RunningConfig(), "\ndescription 1 ソフト表示\n") {
		t.Fatalf("stored:\n%s", srv.RunningConfig())
	}
	tm.ok("console lines infinity")
	if out := sjis(t, tm.do("show config")); !strings.Contains(out, "\ndescription 1 ソフト表示\n") {
		t.Fatalf("printed:\n%s", out)
	}
}
