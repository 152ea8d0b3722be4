package setconf

import (
	"strings"
	"testing"
)

// A Junos-like schema: policy terms and filter terms are ordered lists.
var orderedSchema = NewSchema([]Root{
	{Pattern: "policy-options policy-statement *", Kind: Object},
	{Pattern: "policy-options policy-statement * term *", Kind: Object, Ordered: true},
	{Pattern: "firewall family inet filter *", Kind: Object},
	{Pattern: "firewall family inet filter * term *", Kind: Object, Ordered: true},
	{Pattern: "security ike policy *", Kind: Object},
}, []string{"security ike policy * pre-shared-key ascii-text"})

func junosPaths(t *testing.T, lines ...string) [][]string {
	t.Helper()
	var out [][]string
	for _, l := range lines {
		p, err := Junos.Split(l)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func TestDiffOrdered(t *testing.T) {
	const ps = "policy-options policy-statement EXPORT "
	const fw = "firewall family inet filter PBR "
	cases := []struct {
		name                  string
		device, before, after []string
		want                  []string
	}{
		{
			name:   "a new term goes before the catch-all",
			device: []string{ps + "term 1 then accept", ps + "term 2 then reject"},
			before: []string{ps + "term 1 then accept", ps + "term 2 then reject"},
			after:  []string{ps + "term 1 then accept", ps + "term NEW from prefix-list PL", ps + "term NEW then accept", ps + "term 2 then reject"},
			want: []string{
				"set " + ps + "term NEW from prefix-list PL",
				"set " + ps + "term NEW then accept",
				"insert " + ps + "term NEW after term 1",
			},
		},
		{
			name:   "a new first term",
			device: []string{fw + "term DEFAULT then accept"},
			before: []string{fw + "term DEFAULT then accept"},
			after:  []string{fw + "term SRC-VPN from source-address 192.168.50.0/24", fw + "term DEFAULT then accept"},
			want: []string{
				"set " + fw + "term SRC-VPN from source-address 192.168.50.0/24",
				"insert " + fw + "term SRC-VPN before term DEFAULT",
			},
		},
		{
			name:   "terms already in order: nothing to move",
			device: []string{ps + "term 1 then accept", ps + "term X then next", ps + "term 2 then reject"},
			before: []string{ps + "term 1 then accept", ps + "term 2 then reject"},
			after:  []string{ps + "term 1 then accept", ps + "term 2 then reject"},
		},
		{
			name:   "reordered: the fewest moves keep the longest run",
			device: []string{ps + "term a then accept", ps + "term b then accept", ps + "term c then accept", ps + "term d then reject"},
			before: []string{ps + "term a then accept", ps + "term b then accept", ps + "term c then accept", ps + "term d then reject"},
			after:  []string{ps + "term b then accept", ps + "term c then accept", ps + "term d then reject", ps + "term a then accept"},
			want:   []string{"insert " + ps + "term a after term d"},
		},
		{
			name:   "a deleted term does not count",
			device: []string{ps + "term 1 then accept", ps + "term old then accept", ps + "term 2 then reject"},
			before: []string{ps + "term 1 then accept", ps + "term old then accept", ps + "term 2 then reject"},
			after:  []string{ps + "term 1 then accept", ps + "term 2 then reject"},
			want:   []string{"delete " + ps + "term old"},
		},
		{
			name:  "Junos quoting",
			after: []string{`security ike policy P pre-shared-key ascii-text "$9$a b"`},
			want:  []string{`set security ike policy P pre-shared-key ascii-text "$9$a b"`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Diff(Junos, junosPaths(t, c.device...), junosPaths(t, c.before...), junosPaths(t, c.after...), orderedSchema)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// FuzzOrderLines: whatever the device's order, applying the insert lines to it gives after's
// order.
func FuzzOrderLines(f *testing.F) {
	f.Add("abcd", "dcba")
	f.Add("ab", "ba")
	f.Add("xabyc", "cba")
	f.Fuzz(func(t *testing.T, dev, want string) {
		if len(dev) > 12 || len(want) > 12 || !alnum(dev+want) {
			return // keys are single plain characters, so the lines split on spaces
		}
		var device, after [][]string
		seen := map[byte]bool{}
		for i := 0; i < len(dev); i++ {
			if !seen[dev[i]] {
				seen[dev[i]] = true
				device = append(device, []string{"f", "term", string(dev[i]), "x"})
			}
		}
		var wantKeys []string
		seenW := map[byte]bool{}
		for i := 0; i < len(want); i++ {
			if !seenW[want[i]] {
				seenW[want[i]] = true
				after = append(after, []string{"f", "term", string(want[i]), "x"})
				wantKeys = append(wantKeys, string(want[i]))
			}
		}
		schema := NewSchema([]Root{{Pattern: "f term *", Kind: Object, Ordered: true}}, nil)
		lines := Diff(Junos, device, device, after, schema)
		// Simulate: deletes, appends, inserts.
		var cur []string
		for _, p := range device {
			cur = append(cur, p[2])
		}
		for _, l := range lines {
			w := strings.Fields(l)
			switch w[0] {
			case "delete":
				cur = remove(cur, w[3])
			case "set":
				if !contains(cur, w[3]) {
					cur = append(cur, w[3])
				}
			case "insert":
				k, where, other := w[3], w[4], w[6]
				cur = remove(cur, k)
				for i, x := range cur {
					if x == other {
						if where == "after" {
							i++
						}
						cur = append(cur[:i], append([]string{k}, cur[i:]...)...)
						break
					}
				}
			}
		}
		if strings.Join(cur, "") != strings.Join(wantKeys, "") {
			t.Fatalf("device %q want %q: lines %q give %q", dev, want, lines, cur)
		}
	})
}

func remove(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'a' && s[i] <= 'z' || s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return true
}
