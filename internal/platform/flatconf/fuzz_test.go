package flatconf

import (
	"reflect"
	"strings"
	"testing"
)

// FuzzFormatParse: entries of any words, at the top level and inside contexts, formatted as a
// listing, parse back into the same entries, for both made-up tables (ScreenOS's blocks closed
// by `exit`, RTX's indented blocks). Words the flat CLIs cannot write (a double quote, a line
// break) and lines the listing would read as something else (an opener, a Close line, an RTX
// line starting with `no`) are left out, as a dialect's validation leaves them out.
func FuzzFormatParse(f *testing.F) {
	f.Add("trust-vr", "route", "10.0.0.0/16", "tunnel.1", "1", false)
	f.Add("two words", "", "#c", "é", "100", true)
	f.Add("a\tb", "exit", "*", "=x", "none", false)
	f.Fuzz(func(t *testing.T, a, b, c, d, n string, neg bool) {
		for _, w := range []string{a, b, c, d, n} {
			if strings.ContainsAny(w, "\"\n") {
				return
			}
		}
		for name, s := range map[string]*Syntax{"screenos": screenOS(), "rtx": rtx()} {
			var ctx []string
			if name == "screenos" {
				ctx = []string{"vrouter", n}
			} else {
				ctx = []string{"tunnel", "select", n}
			}
			es := []Entry{
				{Words: []string{a, b}},
				{Context: [][]string{ctx}, Words: []string{c, d}, Negated: neg},
				{Context: [][]string{ctx}, Words: []string{b}},
				{Words: []string{d, a, c}, Negated: !neg},
				{Context: [][]string{ctx}, Words: []string{a}},
			}
			if !formattable(s, es) || s.context(ctx) == nil || s.isClose(s.line(ctx, false)) {
				continue
			}
			text := s.Format(es)
			back, err := s.Parse(text)
			if err != nil {
				t.Fatalf("%s: %v\n%s", name, err, text)
			}
			if !reflect.DeepEqual(stripLines(back), es) {
				t.Fatalf("%s: Parse(Format) =\n%s\nwant\n%s\nlisting:\n%s", name, dumpEntries(back), dumpEntries(es), text)
			}
		}
	})
}

func formattable(s *Syntax, es []Entry) bool {
	for _, e := range es {
		line := s.line(e.Words, e.Negated)
		if s.context(e.Words) != nil || s.isClose(line) || s.Ignore != nil && s.Ignore(line) {
			return false
		}
		if s.Verb == "" && !e.Negated && len(e.Words) > 1 && e.Words[0] == s.NoVerb {
			return false
		}
	}
	return true
}

// FuzzDoubleQuotes: Split(Join) for the flat CLIs' quoting, for every token without a double
// quote or a line break.
func FuzzDoubleQuotes(f *testing.F) {
	for _, s := range []string{"a", "two words", "", "it's", `\`, "\t", "é", "[RTX1210] ", "*"} {
		f.Add(s, "x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if strings.ContainsAny(a+b, "\"\r\n") {
			return
		}
		toks := []string{"set", a, b}
		line := DoubleQuotes.Quote(toks[0]) + " " + DoubleQuotes.Quote(a) + " " + DoubleQuotes.Quote(b)
		got, err := DoubleQuotes.Split(line)
		if err != nil || !reflect.DeepEqual(got, toks) {
			t.Fatalf("Split(%q) = %q, %v; want %q", line, got, err, toks)
		}
	})
}
