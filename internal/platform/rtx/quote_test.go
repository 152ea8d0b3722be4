package rtx

import (
	"reflect"
	"testing"
)

// TestConsoleQuoting pins the console's escapes of command reference 1.5: `?`, `#`, `|`, `>`
// and blanks are typed inside double quotes, a double quote as `\"`, a backslash as `\\`, and a
// backslash escapes inside double quotes too (flatconf.DoubleQuotes, which has no escapes, would
// type `"a\b"` and the RTX would store `ab`).
func TestConsoleQuoting(t *testing.T) {
	for _, c := range []struct{ token, typed string }{
		{"plain-1.2/3", "plain-1.2/3"},
		{"", `""`},
		{"a b", `"a b"`},
		{"why?", `"why?"`},
		{"#1", `"#1"`},
		{"a|b>c", `"a|b>c"`},
		{`say "hi"`, `"say \"hi\""`},
		{`a\b`, `"a\\b"`},
		{"it's", `"it's"`},
	} {
		if got := Console.Quote(c.token); got != c.typed {
			t.Errorf("Quote(%q) = %s, want %s", c.token, got, c.typed)
		}
		got, err := Console.Split("description 1 " + c.typed)
		if want := []string{"description", "1", c.token}; err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Split(%s) = %q, %v; want %q", c.typed, got, err, want)
		}
	}
	// The other input forms of 1.5 read the same.
	for typed, want := range map[string]string{`\?`: "?", `'#'`: "#", `\ `: " ", `\'`: "'", `'"'`: `"`, `a\\b`: `a\b`, `"x"'y'z`: "xyz"} {
		got, err := Console.Split(typed)
		if err != nil || len(got) != 1 || got[0] != want {
			t.Errorf("Split(%s) = %q, %v; want %q", typed, got, err, want)
		}
	}
	// An unescaped # starts a comment; an unquoted ? | > never reaches a command.
	if got, _ := Console.Split("ip route default # note"); !reflect.DeepEqual(got, []string{"ip", "route", "default"}) {
		t.Errorf("comment: %q", got)
	}
	for _, l := range []string{"show config ?", "show config | grep x", "show config > usb1:x"} {
		if _, err := Console.Split(l); err == nil {
			t.Errorf("Split(%q) accepted", l)
		}
	}
}
