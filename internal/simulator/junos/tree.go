package junos

import (
	"sort"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/hier"
)

// conf is one configuration database: the statement tree and the paths of the statements
// that are deactivated (`inactive:`).
type conf struct {
	t        *hier.Node
	inactive map[string]bool // keyed by pathKey
}

func newConf() *conf { return &conf{t: hier.NewTree(), inactive: map[string]bool{}} }

func (c *conf) clone() *conf {
	n := &conf{t: c.t.Clone(), inactive: make(map[string]bool, len(c.inactive))}
	for k := range c.inactive {
		n.inactive[k] = true
	}
	return n
}

func pathKey(p []string) string { return strings.Join(p, "\x00") }

func equalConf(a, b *conf) bool {
	if !hier.Equal(a.t, b.t) || len(a.inactive) != len(b.inactive) {
		return false
	}
	for k := range a.inactive {
		if !b.inactive[k] {
			return false
		}
	}
	return true
}

// active is the tree without its deactivated statements (what the device runs with).
func (c *conf) active() *hier.Node {
	t := c.t.Clone()
	var walk func(n *hier.Node, path []string)
	walk = func(n *hier.Node, path []string) {
		for _, k := range n.Keys() {
			p := append(append([]string(nil), path...), k)
			if c.inactive[pathKey(p)] {
				n.Remove(k)
				continue
			}
			walk(n.Kids[k], p)
		}
	}
	walk(t, nil)
	return t
}

// stmtError is a statement the schema refuses: the token it fails at (len(tokens) when a
// value is missing) and the device's message ("" for a plain syntax error).
type stmtError struct {
	index     int
	msg       string
	expecting string // "<data>" or "<command>" when the statement ends too early
	ambiguous []string
}

// split checks a statement (the tokens after set/delete/..., relative to the top) and
// returns the full paths it sets: a container's leaves can follow each other on one line
// (`dead-peer-detection interval 10 threshold 3`) and a leaf-list can be given as
// `[ a b ]`. Keywords can be abbreviated when unambiguous. needValue is false for delete.
func split(root *hier.Schema, tokens []string, needValue bool) ([][]string, *stmtError) {
	var out [][]string
	type frame struct {
		pos  hier.Pos
		path []string
	}
	stack := []frame{{pos: hier.Root(root)}}
	cur := stack[0]
	i := 0
	for i < len(tokens) {
		tok := tokens[i]
		p := cur.pos
		// a prefix-list entry
		if chk, ok := prefixEntries[p.S]; ok && p.AtValue && p.S.Kids[tok] == nil {
			if msg := checkValue(chk, tok); msg != "" {
				return nil, &stmtError{index: i, msg: msg}
			}
			out = append(out, append(append([]string(nil), cur.path...), tok))
			i++
			if i < len(tokens) {
				return nil, &stmtError{index: i}
			}
			return out, nil
		}
		valuesBelow := p.ValuesBelow()
		if !valuesBelow && (p.S.Kind == hier.Container || p.S.Kind == hier.Tag && p.AtValue) && p.S.Kids[tok] == nil {
			// keyword completion
			var cands []string
			for name := range p.S.Kids {
				if strings.HasPrefix(name, tok) && tok != "" {
					cands = append(cands, name)
				}
			}
			if len(cands) == 1 {
				tok = cands[0]
			} else if len(cands) > 1 && !p.S.Loose {
				sort.Strings(cands)
				return nil, &stmtError{index: i, ambiguous: cands}
			}
		}
		if hasCtl(tok) || strings.ContainsRune(tok, 0x7f) {
			return nil, &stmtError{index: i}
		}
		cp, ok := p.Child(tok)
		if !ok {
			return nil, &stmtError{index: i}
		}
		if cp.AtValue && cp.S.Kind == hier.Multi && tok == "[" {
			j := i + 1
			var vals []string
			for j < len(tokens) && tokens[j] != "]" {
				if hasCtl(tokens[j]) || strings.ContainsRune(tokens[j], 0x7f) {
					return nil, &stmtError{index: j}
				}
				if msg := checkValue(cp.S.Check, tokens[j]); msg != "" {
					return nil, &stmtError{index: j, msg: msg}
				}
				vals = append(vals, tokens[j])
				j++
			}
			if j >= len(tokens) || len(vals) == 0 {
				return nil, &stmtError{index: j, expecting: "<data>"}
			}
			for _, v := range vals {
				out = append(out, append(append([]string(nil), cur.path...), v))
			}
			i = j + 1
			cur = stack[len(stack)-1]
			if i < len(tokens) {
				continue
			}
			return out, nil
		}
		if cp.AtValue {
			if msg := checkValue(cp.S.Check, tok); msg != "" {
				return nil, &stmtError{index: i, msg: msg}
			}
		}
		path := append(append([]string(nil), cur.path...), tok)
		i++
		switch {
		case cp.AtValue && (cp.S.Kind == hier.Leaf || cp.S.Kind == hier.Multi), !cp.AtValue && cp.S.Kind == hier.Flag:
			// the statement is complete; what follows belongs to the enclosing container
			out = append(out, path)
			cur = stack[len(stack)-1]
			continue
		case cp.AtValue && cp.S.Kind == hier.Tag:
			// following tokens are below the tag value; it is the new enclosing level
			cur = frame{pos: cp, path: path}
			stack = append(stack, cur)
			if i == len(tokens) {
				out = append(out, path)
			}
			continue
		case !cp.AtValue && cp.S.Kind == hier.Container:
			cur = frame{pos: cp, path: path}
			stack = append(stack, cur)
			if i == len(tokens) {
				out = append(out, path)
			}
			continue
		case cp.S.Kind == hier.Loose:
			cur = frame{pos: cp, path: path}
			if i == len(tokens) {
				out = append(out, path)
			}
			continue
		default: // a tag or leaf name: its value follows
			cur = frame{pos: cp, path: path}
			if i == len(tokens) {
				if needValue {
					return nil, &stmtError{index: i, expecting: "<data>"}
				}
				out = append(out, path)
			}
		}
	}
	if len(tokens) == 0 {
		return nil, &stmtError{index: 0, expecting: "<command>"}
	}
	return out, nil
}

func checkValue(c hier.Check, v string) string {
	if c.Fn == nil {
		return ""
	}
	return c.Fn(v)
}

// resolve returns the schema positions of a full path (as split made it).
func resolve(root *hier.Schema, path []string) []hier.Pos {
	p := hier.Root(root)
	out := make([]hier.Pos, 0, len(path))
	for i, tok := range path {
		if _, ok := prefixEntries[p.S]; ok && p.AtValue && p.S.Kids[tok] == nil && i == len(path)-1 {
			p = hier.Pos{S: hier.LooseNode}
		} else {
			p, _ = p.Child(tok)
		}
		out = append(out, p)
	}
	return out
}

// setPath adds a statement.
func (c *conf) setPath(root *hier.Schema, path []string) {
	ps := resolve(root, path)
	if ps[len(ps)-1].S == nil {
		return
	}
	n := len(path)
	last := ps[n-1]
	if last.AtValue && last.S.Kind == hier.Leaf {
		// a new value replaces the old one, and keeps its inactive mark off
		parent := c.t.Path(path[:n-1]...)
		if parent != nil {
			for _, old := range parent.Keys() {
				if old != path[n-1] {
					c.dropInactive(append(append([]string(nil), path[:n-1]...), old))
				}
			}
		}
	}
	c.t.SetPath(path, ps)
}

func (c *conf) dropInactive(path []string) {
	pre := pathKey(path)
	for k := range c.inactive {
		if k == pre || strings.HasPrefix(k, pre+"\x00") {
			delete(c.inactive, k)
		}
	}
}

// deletePath removes a statement and everything below it; false when absent.
func (c *conf) deletePath(root *hier.Schema, path []string) bool {
	ps := resolve(root, path)
	if c.t.Path(path...) == nil {
		return false
	}
	// Junos removes a tag value's now-empty container too (unlike Vyatta, a tag value
	// exists on its own only while it is a statement of its own).
	c.t.DeletePath(path, ps)
	c.dropInactive(path)
	return true
}

// statementPath is the path a deactivate/delete of path applies to: for a leaf name without
// its value, the name.
func orderedKeys(p hier.Pos, n *hier.Node) []string {
	keys := n.Keys()
	if p.ValuesBelow() || p.S.Kind == hier.Loose {
		return keys
	}
	if _, ok := prefixEntries[p.S]; ok && p.AtValue {
		// prefix-list entries: named children first, then the prefixes in the order set
		var named, vals []string
		for _, k := range keys {
			if p.S.Kids[k] != nil {
				named = append(named, k)
			} else {
				vals = append(vals, k)
			}
		}
		return append(named, vals...)
	}
	order := kidOrder[p.S]
	rank := map[string]int{}
	for i, k := range order {
		rank[k] = i
	}
	sort.SliceStable(keys, func(i, j int) bool {
		ri, iok := rank[keys[i]]
		rj, jok := rank[keys[j]]
		switch {
		case iok && jok:
			return ri < rj
		case iok != jok:
			return iok
		}
		return false
	})
	return keys
}

func childPos(p hier.Pos, k string) hier.Pos {
	if _, ok := prefixEntries[p.S]; ok && p.AtValue && p.S.Kids[k] == nil {
		return hier.Pos{S: hier.LooseNode}
	}
	cp, ok := p.Child(k)
	if !ok {
		return hier.Pos{S: hier.LooseNode}
	}
	return cp
}

// insertPath moves the list entry at path (`... <keyword> <key>`) before or after its
// sibling `<keyword> <other>` (`insert <path> before|after <keyword> <other>`, the Junos
// configuration-mode command for user-ordered lists such as firewall filter terms). It
// returns the device's message when the statement cannot be moved, "" when done.
func (c *conf) insertPath(root *hier.Schema, toks []string) string {
	n := len(toks)
	if n < 5 || (toks[n-3] != "before" && toks[n-3] != "after") {
		return "syntax error."
	}
	path, where, kw, other := toks[:n-3], toks[n-3], toks[n-2], toks[n-1]
	paths, serr := split(root, path, false)
	if serr != nil || len(paths) != 1 || len(paths[0]) < 2 {
		return "syntax error."
	}
	p := paths[0]
	ps := resolve(root, p)
	last := ps[len(ps)-1]
	if !last.AtValue || last.S.Kind != hier.Tag || p[len(p)-2] != kw {
		return "syntax error."
	}
	parent := c.t.Path(p[:len(p)-1]...)
	key := p[len(p)-1]
	if parent == nil || parent.Kids[key] == nil || parent.Kids[other] == nil {
		return "error: statement not found"
	}
	if key == other {
		return ""
	}
	var order []string
	for _, k := range parent.Order {
		if k != key {
			order = append(order, k)
		}
	}
	out := make([]string, 0, len(order)+1)
	for _, k := range order {
		if k == other && where == "before" {
			out = append(out, key)
		}
		out = append(out, k)
		if k == other && where == "after" {
			out = append(out, key)
		}
	}
	parent.Order = out
	return ""
}
