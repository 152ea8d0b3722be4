package setconf

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
//   - `delete <prefix>` for every before path that after lacks and the device has, where the
//     prefix is the shortest one the schema allows (see Schema) such that no after path lies
//     under it and every device path under it is a before path, or the prefix is an Object root
//     (whose unmodelled children go with the object). A removed value of a single-value leaf
//     that after sets to another value is not deleted: the set replaces it. A removed path
//     that no prefix qualifies for is left alone. Deletes covered by a shorter delete are
//     dropped.
//
// Deletes come first, in the order of before. device is every path the device printed,
// including ones the model ignores; before and after are the model rendered before and after
// the change. The output is deterministic.
func Diff(device, before, after [][]string, schema *Schema) []string {
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
			if j != i && hasPrefix(d, e) && (len(e) < len(d) || j < i) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, "delete "+Join(d))
		}
	}
	seen := map[string]bool{}
	for _, a := range after {
		line := "set " + Join(a)
		if t.get(a).nDev > 0 || seen[line] {
			continue
		}
		seen[line] = true
		out = append(out, line)
	}
	return out
}

func hasPrefix(p, prefix []string) bool {
	if len(prefix) > len(p) {
		return false
	}
	for i := range prefix {
		if p[i] != prefix[i] {
			return false
		}
	}
	return true
}
