package setconf

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"set a b c", []string{"set", "a", "b", "c"}},
		{"  set\ta  b \r", []string{"set", "a", "b"}},
		{"set d 'two words'", []string{"set", "d", "two words"}},
		{`set d "two \"quoted\" words"`, []string{"set", "d", `two "quoted" words`}},
		{`set d 'it'"'"'s'`, []string{"set", "d", "it's"}},
		{"set d ''", []string{"set", "d", ""}},
		{"set lifetime '3600'", []string{"set", "lifetime", "3600"}},
		{`set x 'a\b'`, []string{"set", "x", `a\b`}},
		{`set x $'a\077b\'c\\d\x41\n'`, []string{"set", "x", "a?b'c\\dA\n"}},
		{`set x a\ b\'c`, []string{"set", "x", "a b'c"}},
		{"", nil},
	}
	for _, c := range cases {
		got, err := Split(c.in)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("Split(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"set d 'open", `set d "open`, `set d "esc\"`} {
		if _, err := Split(bad); err == nil {
			t.Errorf("Split(%q): no error", bad)
		}
	}
}

func TestQuote(t *testing.T) {
	cases := map[string]string{
		"vti0": "vti0", "192.168.1.0/24": "192.168.1.0/24", "a-b_c.d": "a-b_c.d", "@id": "@id",
		"two words": "'two words'", "": "''", "$x": "'$x'", "a;b": "'a;b'", "it's": `$'it\'s'`,
		`it's "$x"`: `$'it\'s "$x"'`, "!": `$'\041'`, "#c": "'#c'", "*": "'*'",
		// '?' is never typed: the EdgeOS shell binds it to completion help.
		"why?": `$'why\077'`, `a\b`: `$'a\\b'`, "tab\there": `$'tab\011here'`,
	}
	for in, want := range cases {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}

// FuzzSplitJoin: for both quoters, a line joined from any tokens (without line breaks) reads
// back as the same tokens.
func FuzzSplitJoin(f *testing.F) {
	for _, s := range []string{"a", "two words", "it's", `"q"`, `\`, "$(x)", "", "\t", "é", "a?b!c", "\x01\x7f", `a\"b`, "[", "$9$abc"} {
		f.Add(s, "x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		toks := []string{"set", a, b}
		if strings.ContainsAny(a+b, "\r\n") {
			return // a line break ends a line; callers forbid them in values
		}
		for name, q := range map[string]Quoter{"vbash": Vbash, "junos": Junos} {
			got, err := q.Split(JoinWith(q, toks))
			if err != nil || !reflect.DeepEqual(got, toks) {
				t.Fatalf("%s: Split(Join(%q)) = %q, %v", name, toks, got, err)
			}
		}
		if Join(toks) != JoinWith(Vbash, toks) {
			t.Fatalf("Join and JoinWith(Vbash) differ for %q", toks)
		}
	})
}

func TestJunosQuote(t *testing.T) {
	cases := map[string]string{
		"ge-0/0/0.0": "ge-0/0/0.0", "192.168.1.0/24": "192.168.1.0/24", "": `""`,
		"two words": `"two words"`, "$9$AbC": `"$9$AbC"`, `say "hi"`: `"say \"hi\""`,
		`a\b`: `"a\\b"`, "it's": `"it's"`, "a;b": `"a;b"`, "[": `"["`,
	}
	for in, want := range cases {
		if got := Junos.Quote(in); got != want {
			t.Errorf("Junos.Quote(%q) = %s, want %s", in, got, want)
		}
	}
	// A display-set line as the device prints it.
	got, err := Junos.SplitPrinted(`set security ike policy IKE-POL pre-shared-key ascii-text "$9$Ab\"c d"`)
	want := []string{"set", "security", "ike", "policy", "IKE-POL", "pre-shared-key", "ascii-text", `$9$Ab"c d`}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("SplitPrinted = %q, %v", got, err)
	}
	if _, err := Junos.Split(`set description "open`); err == nil {
		t.Error("an unterminated quote was accepted")
	}
}

// EdgeOS prints quotes without escapes; Vbash reads its listing that way, not as bash would.
func TestVbashSplitPrinted(t *testing.T) {
	for _, c := range []struct{ line, want string }{
		{"set a 'Azure's gateway'", "Azure's gateway"},
		{"set a Bob's", "Bob's"},
		{"set a ''", ""},
		{"set a 'x' b", "x"},
		{`set a 'say "hi" # now'`, `say "hi" # now`},
	} {
		toks, err := Vbash.SplitPrinted(c.line)
		if err != nil || toks[2] != c.want {
			t.Errorf("SplitPrinted(%q) = %q, %v; want component %q", c.line, toks, err, c.want)
		}
	}
	if _, err := Vbash.SplitPrinted("set a 'open"); err == nil {
		t.Error("an unterminated quote was accepted")
	}
	lines, err := ParseListing("user@gw:~$ show configuration commands\nset a 'b's c'\nset d e\n", Vbash)
	if err != nil || len(lines) != 2 || lines[0].Path[1] != "b's c" || lines[1].Number != 3 {
		t.Errorf("ParseListing = %v, %v", lines, err)
	}
}

func TestParseLines(t *testing.T) {
	text := "user@host:~$ show configuration commands\nset a 'b c'\n\nset d e\r\nuser@host:~$ "
	got, err := ParseLines(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{{2, []string{"a", "b c"}}, {4, []string{"d", "e"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v want %v", got, want)
	}
	_, err = ParseLines("set a b\nset c 'd\n")
	if le, ok := err.(*LineError); !ok || le.Number != 2 || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error %v", err)
	}
}

func TestTree(t *testing.T) {
	tr := NewTree(mustPaths(t, "r rule 100 a x", "r rule 20 a y", "r rule 3 a z", "p 10.0.0.10 x", "p 10.0.0.9 x", "p b.example x"))
	if got := tr.Keys("r", "rule"); !reflect.DeepEqual(got, []string{"3", "20", "100"}) {
		t.Errorf("numeric order: %v", got)
	}
	if got := tr.Keys("p"); !reflect.DeepEqual(got, []string{"10.0.0.9", "10.0.0.10", "b.example"}) {
		t.Errorf("address order: %v", got)
	}
	if tr.Value("r", "rule", "20", "a") != "y" || tr.Value("nope", "x") != "" || tr.Has("r", "x") || !tr.Has("r", "rule", "3") {
		t.Error("lookups")
	}
}

func mustPaths(t *testing.T, lines ...string) [][]string {
	t.Helper()
	p, err := paths(lines...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var testSchema = NewSchema([]Root{
	{Pattern: "obj *", Kind: Object},
	{Pattern: "obj * sub *", Kind: Object},
	{Pattern: "shared", Kind: Container},
	{Pattern: "proc *", Kind: Container},
	{Pattern: "proc * nb *", Kind: Object},
	{Pattern: "proc * net *", Kind: Object},
}, []string{"obj * life", "obj * a|b", "shared mss", "proc * nb * ras"})

func TestSchema(t *testing.T) {
	for path, want := range map[string]int{"obj X life 1": 2, "proc 1 nb 2 ras 3": 2, "other x": 3, "shared type vti": 1, "obj X sub 1 k v": 2} {
		if got := testSchema.MinDeleteDepth(strings.Fields(path)); got != want {
			t.Errorf("MinDeleteDepth(%s) = %d, want %d", path, got, want)
		}
	}
	if !testSchema.IsValueLeaf([]string{"obj", "X", "b"}) || testSchema.IsValueLeaf([]string{"obj", "X", "c"}) || testSchema.IsValueLeaf([]string{"obj", "X"}) {
		t.Error("IsValueLeaf")
	}
}

func TestDiff(t *testing.T) {
	cases := []struct {
		name                  string
		device, before, after []string
		want                  []string
	}{
		{
			name:  "create onto empty device",
			after: []string{"obj X life 10", "obj X c d"},
			want:  []string{"set obj X life 10", "set obj X c d"},
		},
		{
			name:   "no change, device has more",
			device: []string{"obj X life 10", "obj X extra 1", "other 1"},
			before: []string{"obj X life 10"},
			after:  []string{"obj X life 10"},
		},
		{
			name:   "single-value leaf: the set replaces",
			device: []string{"obj X life 10", "obj X c d"},
			before: []string{"obj X life 10", "obj X c d"},
			after:  []string{"obj X life 20", "obj X c d"},
			want:   []string{"set obj X life 20"},
		},
		{
			name:   "multi-value leaf: old value deleted",
			device: []string{"obj X c d"},
			before: []string{"obj X c d"},
			after:  []string{"obj X c e"},
			want:   []string{"delete obj X c d", "set obj X c e"},
		},
		{
			name:   "leaf removed: delete the leaf, not the object",
			device: []string{"obj X life 10", "obj X a 1"},
			before: []string{"obj X life 10", "obj X a 1"},
			after:  []string{"obj X life 10"},
			want:   []string{"delete obj X a"},
		},
		{
			name:   "object removed whole, with children the model does not know",
			device: []string{"obj X life 10", "obj X unknown 1", "obj Y life 1", "toplevel on"},
			before: []string{"obj X life 10", "obj Y life 1"},
			after:  []string{"obj Y life 1"},
			want:   []string{"delete obj X"},
		},
		{
			name:   "nested object removed whole",
			device: []string{"obj X life 1", "obj X sub 1 k v", "obj X sub 1 unknown u", "obj X sub 2 k w"},
			before: []string{"obj X life 1", "obj X sub 1 k v", "obj X sub 2 k w"},
			after:  []string{"obj X life 1", "obj X sub 2 k w"},
			want:   []string{"delete obj X sub 1"},
		},
		{
			name:   "container kept while unmodelled paths remain",
			device: []string{"shared type vti", "shared type pppoe", "shared mss 1350"},
			before: []string{"shared type vti", "shared mss 1350"},
			want:   []string{"delete shared type vti", "delete shared mss"},
		},
		{
			name:   "container deleted when everything under it goes",
			device: []string{"shared type vti", "shared mss 1350"},
			before: []string{"shared type vti", "shared mss 1350"},
			want:   []string{"delete shared"},
		},
		{
			name:   "shared leaf stays while an object needs it",
			device: []string{"proc 1 nb A ras 2", "proc 1 nb B ras 3", "proc 1 net N", "proc 1 timers 60"},
			before: []string{"proc 1 nb A ras 2", "proc 1 nb B ras 3", "proc 1 net N"},
			after:  []string{"proc 1 nb B ras 3", "proc 1 net N"},
			want:   []string{"delete proc 1 nb A"},
		},
		{
			name:   "objects under a container deleted one by one when the container holds more",
			device: []string{"proc 1 nb A ras 2", "proc 1 net N", "proc 1 timers 60"},
			before: []string{"proc 1 nb A ras 2", "proc 1 net N"},
			want:   []string{"delete proc 1 nb A", "delete proc 1 net N"},
		},
		{
			name:   "removed path not on the device: nothing to delete",
			device: []string{"obj X life 10"},
			before: []string{"obj X life 10", "obj X a 1"},
			after:  []string{"obj X life 10"},
		},
		{
			name:   "valueless node gains children: no set of the bare node",
			device: []string{"obj X"},
			before: []string{"obj X"},
			after:  []string{"obj X c d"},
			want:   []string{"set obj X c d"},
		},
		{
			name:   "paths outside every root are never deleted",
			device: []string{"other a b"},
			before: []string{"other a b"},
		},
		{
			name:  "quoting",
			after: []string{"obj X c 'two words'"},
			want:  []string{"set obj X c 'two words'"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Diff(Vbash, mustPaths(t, c.device...), mustPaths(t, c.before...), mustPaths(t, c.after...), testSchema)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// paths splits lines (without verbs) into paths.
func paths(lines ...string) ([][]string, error) {
	var out [][]string
	for _, l := range lines {
		p, err := Split(strings.TrimSpace(l))
		if err != nil {
			return nil, err
		}
		if len(p) > 0 {
			out = append(out, p)
		}
	}
	return out, nil
}

// Junos may print a leaf-list on one line in brackets; the listing reads as one path per
// value. A quoted bracket is a value.
func TestJunosListing(t *testing.T) {
	text := strings.Join([]string{
		"user@srx> show configuration | display set | no-more",
		"set routing-options rib-groups RG-VPN import-rib [ inet.0 VPN-VR.inet.0 ]",
		"set routing-options rib-groups RG-VPN import-rib inet.0",
		`set system login message "[ not a list ]"`,
		`set x y "["  a "]"`,
		"",
		"user@srx> ",
	}, "\n")
	lines, err := ParseListing(text, Junos)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines {
		got = append(got, fmt.Sprintf("%d %q", l.Number, l.Path))
	}
	want := []string{
		`2 ["routing-options" "rib-groups" "RG-VPN" "import-rib" "inet.0"]`,
		`2 ["routing-options" "rib-groups" "RG-VPN" "import-rib" "VPN-VR.inet.0"]`,
		`3 ["routing-options" "rib-groups" "RG-VPN" "import-rib" "inet.0"]`,
		`4 ["system" "login" "message" "[ not a list ]"]`,
		`5 ["x" "y" "[" "a" "]"]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := ParseListing("set a \"open\n", Junos); err == nil || strings.Contains(err.Error(), "open") {
		t.Errorf("unterminated quote: %v", err)
	}
}
