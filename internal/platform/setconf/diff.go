package setconf

import (
	"slices"
	"strings"
)

// trie indexes the three path sets Diff compares.
type trie struct {
	kids               map[string]*trie
	dev, before, after bool // a path of that set ends here
	nDev, nAfter       int  // paths of that set ending here or below
}

func (t *trie) insert(p []string, mark func(*trie) *bool, count func(*trie) *int) {
	n := t
	for _, tok := range p {
		if n.kids == nil {
			n.kids = map[string]*trie{}
		}
		c := n.kids[tok]
		if c == nil {
			c = &trie{}
			n.kids[tok] = c
		}
		n = c
	}
	if *mark(n) {
		return
	}
	*mark(n) = true
	if count == nil {
		return
	}
	n = t
	*count(n)++
	for _, tok := range p {
		n = n.kids[tok]
		*count(n)++
	}
}

func (t *trie) get(p []string) *trie {
	n := t
	for _, tok := range p {
		if n = n.kids[tok]; n == nil {
			return nil
		}
	}
	return n
}

// onlyRemoved reports whether every device path at or below n is a path of before (and, the
// caller having checked that no after path lies below n, therefore one being removed).
func (n *trie) onlyRemoved() bool {
	if n.dev && !n.before {
		return false
	}
	for _, c := range n.kids {
		if c.nDev > 0 && !c.onlyRemoved() {
			return false
		}
	}
	return true
}

// Diff returns the lines that turn the device into the after state:
//
//   - `set <path>` for every after path the device does not have (neither the path nor anything
//     below it), in the order of after;
//
//   - `delete <prefix>` for every before path that after lacks and the device has, where the
//     prefix is the shortest one the schema allows (see Schema) such that no after path lies
//     under it and every device path under it is a before path, or the prefix is an Object root
//     (whose unmodelled children go with the object). A removed value of a single-value leaf
//     that after sets to another value is not deleted: the set replaces it. A removed path
//     that no prefix qualifies for is left alone. Deletes covered by a shorter delete are
//     dropped.
//
//   - for every list the schema declares Ordered, `insert <list> <key> before|after <keyword>
//     <key>` lines that put the list's entries of after into the order of after (see
//     orderLines); entries the device has that after lacks keep their places.
//
// Deletes come first, in the order of before, then sets, then inserts. Every token is
// written with q. device is every path the device printed, in the device's order, including
// ones the model ignores; before and after are the model rendered before and after the
// change. The output is deterministic.
func Diff(q Quoter, device, before, after [][]string, schema *Schema) []string {
	t := &trie{}
	for _, p := range device {
		t.insert(p, func(n *trie) *bool { return &n.dev }, func(n *trie) *int { return &n.nDev })
	}
	for _, p := range before {
		t.insert(p, func(n *trie) *bool { return &n.before }, nil)
	}
	for _, p := range after {
		t.insert(p, func(n *trie) *bool { return &n.after }, func(n *trie) *int { return &n.nAfter })
	}

	var deletes [][]string
	for _, b := range before {
		n := t.get(b)
		if n.after || n.nDev == 0 {
			continue // kept, or not on the device
		}
		if len(b) >= 2 && schema.IsValueLeaf(b[:len(b)-1]) {
			replaced := false
			for _, sib := range t.get(b[:len(b)-1]).kids {
				replaced = replaced || sib.after
			}
			if replaced {
				continue
			}
		}
		for _, c := range schema.candidates(b) {
			p := t.get(b[:c.depth])
			if p.nAfter > 0 || !c.owned && !p.onlyRemoved() {
				continue
			}
			deletes = append(deletes, b[:c.depth])
			break
		}
	}

	var out []string
	for i, d := range deletes {
		covered := false
		for j, e := range deletes {
			if j != i && HasPrefix(d, e) && (len(e) < len(d) || j < i) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, "delete "+JoinWith(q, d))
		}
	}
	seen := map[string]bool{}
	for _, a := range after {
		line := "set " + JoinWith(q, a)
		if t.get(a).nDev > 0 || seen[line] {
			continue
		}
		seen[line] = true
		out = append(out, line)
	}
	return append(out, orderLines(q, device, after, deletes, schema)...)
}

// orderLines returns the `insert` lines that put the entries of every ordered list of after
// into after's order. The device's order is that of device (the listing order) without the
// entries deleted, with new entries appended at the end, as Junos does with a `set` of a new
// entry. The entries that already stand in after's relative order (a longest run of them,
// preferring entries the device has) stay; each other entry moves right after its
// predecessor in after, or, for the first entry, before the first entry that stays.
func orderLines(q Quoter, device, after, deletes [][]string, schema *Schema) []string {
	if len(schema.ordered) == 0 {
		return nil
	}
	type list struct {
		path []string // the list's path, ending with the entries' keyword
		want []string // keys in after's order
	}
	var lists []*list
	byPath := map[string]*list{}
	for _, p := range after {
		for _, pat := range schema.ordered {
			if len(p) < len(pat) || !pat.Match(p) {
				continue
			}
			path, key := p[:len(pat)-1], p[len(pat)-1]
			k := strings.Join(path, "\x00")
			l := byPath[k]
			if l == nil {
				l = &list{path: path}
				byPath[k] = l
				lists = append(lists, l)
			}
			if !contains(l.want, key) {
				l.want = append(l.want, key)
			}
		}
	}
	var out []string
	for _, l := range lists {
		if len(l.want) < 2 {
			continue
		}
		// The order on the device once deletes and sets have run.
		var cur []string
		for _, p := range device {
			if len(p) <= len(l.path) || !HasPrefix(p, l.path) || contains(cur, p[len(l.path)]) {
				continue
			}
			key := p[len(l.path)]
			gone := false
			for _, d := range deletes {
				gone = gone || HasPrefix(append(l.path[:len(l.path):len(l.path)], key), d)
			}
			if !gone {
				cur = append(cur, key)
			}
		}
		existing := map[string]bool{}
		for _, k := range cur {
			existing[k] = true
		}
		for _, k := range l.want {
			if !contains(cur, k) {
				cur = append(cur, k)
			}
		}
		pos := map[string]int{}
		for i, k := range cur {
			pos[k] = i
		}
		keep := longestIncreasing(l.want, pos, existing)
		kw := l.path[len(l.path)-1]
		for i, k := range l.want {
			if keep[k] {
				continue
			}
			where, other := "after", ""
			if i > 0 {
				other = l.want[i-1]
			} else {
				// The first entry goes before the first one that stays; the entries
				// between them follow it one by one.
				where = "before"
				for _, x := range l.want {
					if keep[x] {
						other = x
						break
					}
				}
			}
			out = append(out, "insert "+JoinWith(q, append(l.path[:len(l.path):len(l.path)], k))+" "+where+" "+JoinWith(q, []string{kw, other}))
		}
	}
	return out
}

// longestIncreasing returns the keys of one longest subsequence of keys whose positions
// increase; among the longest, one that keeps the most entries the device already has
// (existing), so that new entries are the ones moved. The result is deterministic.
func longestIncreasing(keys []string, pos map[string]int, existing map[string]bool) map[string]bool {
	n := len(keys)
	type score struct{ length, old int }
	better := func(a, b score) bool { return a.length > b.length || a.length == b.length && a.old > b.old }
	sc, prev := make([]score, n), make([]int, n)
	best := -1
	for i, k := range keys {
		self := score{1, 0}
		if existing[k] {
			self.old = 1
		}
		sc[i], prev[i] = self, -1
		for j := 0; j < i; j++ {
			if c := (score{sc[j].length + 1, sc[j].old + self.old}); pos[keys[j]] < pos[k] && better(c, sc[i]) {
				sc[i], prev[i] = c, j
			}
		}
		if best < 0 || better(sc[i], sc[best]) {
			best = i
		}
	}
	keep := map[string]bool{}
	for i := best; i >= 0; i = prev[i] {
		keep[keys[i]] = true
	}
	return keep
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// HasPrefix reports whether path p starts with prefix (shared with flatconf).
func HasPrefix(p, prefix []string) bool {
	return len(prefix) <= len(p) && slices.Equal(p[:len(prefix)], prefix)
}
