package rtx

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzQuoteLex: every value without control characters that show config prints (quote) is
// read back by the console (lex) as exactly that value, one word.
func FuzzQuoteLex(f *testing.F) {
	for _, s := range []string{"", "a", "a b", `a"b`, `a\b`, `\`, `"`, "'", "#", "?", "|", ">", "a#b?c|d>e", "東京 拠点", `\"'`, " lead", "trail ", "Error: Invalid command name", "[RTX1210] # "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == utf8.RuneError }) {
			t.Skip()
		}
		lx := lex("description 1 " + quote(s))
		if len(lx.toks) != 3 || lx.toks[2] != s || lx.hasPip || lx.redir || lx.ctrl {
			t.Fatalf("%q printed as %q reads back as %q (pipe %v, redirect %v)", s, quote(s), lx.toks, lx.hasPip, lx.redir)
		}
	})
}

// TestLex: the console's escapes (command reference 1.5).
func TestLex(t *testing.T) {
	for _, c := range []struct {
		in   string
		toks []string
		pipe []string
	}{
		{`a b  c`, []string{"a", "b", "c"}, nil},
		{`\? \# \| \> \\ \' \" a\ b`, []string{"?", "#", "|", ">", `\`, "'", `"`, "a b"}, nil},
		{`'?' '#' '|' '>' "'" '"' ' '`, []string{"?", "#", "|", ">", "'", `"`, " "}, nil},
		{`"?" "#" "|" ">" " "`, []string{"?", "#", "|", ">", " "}, nil},
		{`x"y z"w`, []string{"xy zw"}, nil},
		{`show config | grep ipsec`, []string{"show", "config"}, []string{"grep", "ipsec"}},
		{`a # comment "x`, []string{"a"}, nil},
		{`he?lp`, []string{"help"}, nil},
		{`""`, []string{""}, nil},
	} {
		lx := lex(c.in)
		if strings.Join(lx.toks, "\x00") != strings.Join(c.toks, "\x00") || strings.Join(lx.pipe, "\x00") != strings.Join(c.pipe, "\x00") {
			t.Errorf("lex(%q) = %q | %q, want %q | %q", c.in, lx.toks, lx.pipe, c.toks, c.pipe)
		}
	}
}
