package edgeos

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// tnode is one node of an EdgeOS configuration tree. Node names, tag values and leaf values
// are all children keyed by their token: `lifetime 3600` is node "lifetime" with one child
// "3600". The schema (snode) gives each token its meaning.
type tnode struct {
	kids  map[string]*tnode
	order []string // insertion order of kids (used for multi-value leaves)
}

func newTree() *tnode { return &tnode{kids: map[string]*tnode{}} }

func (t *tnode) get(k string) *tnode {
	if t == nil {
		return nil
	}
	return t.kids[k]
}

// path follows tokens from t; nil when absent.
func (t *tnode) path(tokens ...string) *tnode {
	for _, k := range tokens {
		t = t.get(k)
		if t == nil {
			return nil
		}
	}
	return t
}

// keys lists the children in insertion order.
func (t *tnode) keys() []string {
	if t == nil {
		return nil
	}
	return append([]string(nil), t.order...)
}

// value is the single value of a leaf node at tokens ("" when absent).
func (t *tnode) value(tokens ...string) string {
	n := t.path(tokens...)
	if n == nil || len(n.order) == 0 {
		return ""
	}
	return n.order[0]
}

func (t *tnode) ensure(k string) *tnode {
	if n := t.kids[k]; n != nil {
		return n
	}
	n := newTree()
	t.kids[k] = n
	t.order = append(t.order, k)
	return n
}

func (t *tnode) remove(k string) {
	if _, ok := t.kids[k]; !ok {
		return
	}
	delete(t.kids, k)
	for i, x := range t.order {
		if x == k {
			t.order = append(t.order[:i:i], t.order[i+1:]...)
			break
		}
	}
}

func (t *tnode) clone() *tnode {
	n := &tnode{kids: make(map[string]*tnode, len(t.kids)), order: append([]string(nil), t.order...)}
	for k, v := range t.kids {
		n.kids[k] = v.clone()
	}
	return n
}

// treeEqual compares two trees by content (the order of multi-value leaves is ignored).
func treeEqual(a, b *tnode) bool {
	if len(a.kids) != len(b.kids) {
		return false
	}
	for k, av := range a.kids {
		bv, ok := b.kids[k]
		if !ok || !treeEqual(av, bv) {
			return false
		}
	}
	return true
}

// --- schema positions ---

// spos is a position in the schema: the schema node of a tree node and whether the tree node
// is a value (tag value or leaf value) rather than a node name.
type spos struct {
	sn      *snode
	atValue bool
}

// childPos returns the schema position of child key below p.
func childPos(p spos, key string) (spos, bool) {
	sn := p.sn
	switch sn.kind {
	case kTag:
		if !p.atValue {
			return spos{sn, true}, true
		}
		fallthrough
	case kContainer:
		if c := sn.kids[key]; c != nil {
			return spos{c, false}, true
		}
		if sn.loose {
			return spos{looseNode, false}, true
		}
	case kLeaf, kMulti:
		if !p.atValue {
			return spos{sn, true}, true
		}
	case kLoose:
		return spos{looseNode, false}, true
	}
	return spos{}, false
}

// valuesBelow reports whether the children of a node at p are values.
func valuesBelow(p spos) bool {
	return !p.atValue && (p.sn.kind == kTag || p.sn.kind == kLeaf || p.sn.kind == kMulti)
}

// pathError is a rejected set/delete path: the device's message lines.
type pathError struct {
	lines []string
	kind  string // "path", "value", "novalue"
}

func (e *pathError) Error() string { return strings.Join(e.lines, "\n") }

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

// disallowedChar is the message of vyatta-cfg's validate_value (cli_new.c) for a value holding
// a character no value may hold: the first single quote, newline or double quote.
func disallowedChar(v string) string {
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\'':
			return "Cannot use the single quote (') character in a value string"
		case '\n':
			return "Cannot use the newline character in a value string"
		case '"':
			return `Cannot use the double quote (") character in a value string`
		}
	}
	return ""
}

// resolve validates tokens (an absolute path) against the schema and returns the schema
// position of each token. needValue requires the path to end with a value where the node
// takes one (set); delete passes false.
func resolve(root *snode, tokens []string, needValue bool) ([]spos, error) {
	p := spos{root, false}
	out := make([]spos, 0, len(tokens))
	for i, tok := range tokens {
		cp, ok := childPos(p, tok)
		if !ok || (hasControl(tok) && disallowedChar(tok) == "") || tok == "" && !cp.atValue {
			prefix := ""
			if i > 0 {
				prefix = strings.Join(tokens[:i], " ") + " "
			}
			return nil, &pathError{kind: "path", lines: []string{fmt.Sprintf("Configuration path: %s[%s] is not valid", prefix, tok)}}
		}
		if cp.atValue || cp.sn.kind == kLoose {
			if msg := disallowedChar(tok); msg != "" {
				return nil, &pathError{kind: "value", lines: []string{msg, "Value validation failed"}}
			}
		}
		if cp.atValue && cp.sn.check.fn != nil {
			if msg := cp.sn.check.fn(tok); msg != "" {
				return nil, &pathError{kind: "value", lines: append(strings.Split(msg, "\n"), "Value validation failed")}
			}
		}
		out = append(out, cp)
		p = cp
	}
	if needValue && len(tokens) > 0 && valuesBelow(p) {
		return nil, &pathError{kind: "novalue", lines: []string{fmt.Sprintf("Configuration path: [%s] requires a value", strings.Join(tokens, " "))}}
	}
	return out, nil
}

// setPath adds tokens (already resolved) to t; it reports whether the path already existed.
func (t *tnode) setPath(tokens []string, ps []spos) bool {
	cur := t
	for i, tok := range tokens {
		last := i == len(tokens)-1
		if last && ps[i].atValue && ps[i].sn.kind == kLeaf {
			if len(cur.kids) == 1 && cur.kids[tok] != nil {
				return true
			}
			cur.kids, cur.order = map[string]*tnode{}, nil
			cur.ensure(tok)
			return false
		}
		next := cur.kids[tok]
		if next == nil {
			next = cur.ensure(tok)
			if last {
				return false
			}
		} else if last {
			return true
		}
		cur = next
	}
	return true
}

// deletePath removes the node at tokens and prunes ancestors left empty (except tag values,
// which exist on their own). It returns "node" or "value" when nothing matched.
func (t *tnode) deletePath(tokens []string, ps []spos) (missing string) {
	if len(tokens) == 0 {
		return "node"
	}
	chain := []*tnode{t}
	cur := t
	for i, tok := range tokens {
		next := cur.kids[tok]
		if next == nil {
			if i == len(tokens)-1 && ps[i].atValue && (ps[i].sn.kind == kLeaf || ps[i].sn.kind == kMulti) {
				return "value"
			}
			return "node"
		}
		chain = append(chain, next)
		cur = next
	}
	n := len(tokens)
	chain[n-1].remove(tokens[n-1])
	for j := n - 1; j >= 1; j-- {
		node, p := chain[j], ps[j-1]
		if len(node.kids) > 0 || (p.atValue && p.sn.kind == kTag) {
			break
		}
		chain[j-1].remove(tokens[j-1])
	}
	return ""
}

// --- rendering ---

// sortedKeys orders the children of t at position p: names and tag/leaf values sort
// alphabetically, values of numeric nodes numerically, multi-value leaves keep the order
// they were set in.
func sortedKeys(p spos, trees ...*tnode) []string {
	seen := map[string]bool{}
	var keys []string
	for _, t := range trees {
		for _, k := range t.keys() {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	if valuesBelow(p) && p.sn.kind == kMulti {
		return keys
	}
	if valuesBelow(p) && p.sn.check.numeric {
		sort.SliceStable(keys, func(i, j int) bool {
			a, ea := strconv.ParseUint(keys[i], 10, 64)
			b, eb := strconv.ParseUint(keys[j], 10, 64)
			if ea == nil && eb == nil {
				return a < b
			}
			return keys[i] < keys[j]
		})
		return keys
	}
	sort.Strings(keys)
	return keys
}

// cmdSpecial are the characters that make `show configuration commands` put a path component
// in single quotes (vyatta-cfg of EdgeOS, cnode-algorithm.cpp _print_cmds_list).
const cmdSpecial = "*}{\t\n\v\f\r [;&`!$><|]?#\\~():"

// curlySpecial are the characters that make curly output put a leaf value in double quotes
// (cnode-algorithm.cpp _print_value_str).
const curlySpecial = "*}{;\t\n\v\f\r "

// quoteSet prints one path component of a `set` line as EdgeOS does: in single quotes when it
// is empty or has a character of cmdSpecial, bare otherwise. Nothing inside is escaped.
func quoteSet(v string) string {
	if v == "" || strings.ContainsAny(v, cmdSpecial) {
		return "'" + v + "'"
	}
	return v
}

// quoteCurly prints a leaf value in curly output: in double quotes when it is empty or has a
// character of curlySpecial, bare otherwise. Nothing inside is escaped.
func quoteCurly(v string) string {
	if v == "" || strings.ContainsAny(v, curlySpecial) {
		return `"` + v + `"`
	}
	return v
}

// renderCommands prints one `set` line per leaf in tree order (`show configuration commands`).
func renderCommands(t *tnode, root *snode) string {
	var b strings.Builder
	var walk func(n *tnode, p spos, path []string)
	walk = func(n *tnode, p spos, path []string) {
		for _, k := range sortedKeys(p, n) {
			cp, _ := childPos(p, k)
			child := n.kids[k]
			sub := append(path[:len(path):len(path)], quoteSet(k))
			if len(child.kids) == 0 {
				b.WriteString("set " + strings.Join(sub, " ") + "\n")
				continue
			}
			walk(child, cp, sub)
		}
	}
	walk(t, spos{root, false}, nil)
	return b.String()
}

const secretMask = "****************"

// curly renders the curly-brace tree. Each line starts with a one-character marker column
// (' ' unchanged, '+' only in a, '-' only in o, '>' changed leaf value) followed by four
// spaces per level. Rendering one tree passes it as both a and o.
type curly struct {
	b    strings.Builder
	mask bool
}

func mark(a, o *tnode) byte {
	switch {
	case a != nil && o != nil:
		return ' '
	case a != nil:
		return '+'
	default:
		return '-'
	}
}

func (r *curly) line(m byte, depth int, text string) {
	r.b.WriteByte(m)
	r.b.WriteString(strings.Repeat("    ", depth))
	r.b.WriteString(text)
	r.b.WriteByte('\n')
}

func (r *curly) val(sn *snode, v string) string {
	if r.mask && sn.secret {
		return secretMask
	}
	return quoteCurly(v)
}

// children renders every child of a/o at position p.
func (r *curly) children(a, o *tnode, p spos, depth int) {
	for _, k := range sortedKeys(p, a, o) {
		r.key(k, a.get(k), o.get(k), p, depth)
	}
}

// key renders the child named k (present in a and/or o) of a node at position p.
func (r *curly) key(k string, ak, ok *tnode, p spos, depth int) {
	cp, _ := childPos(p, k)
	m := mark(ak, ok)
	switch cp.sn.kind {
	case kFlag:
		r.line(m, depth, k)
	case kLeaf, kMulti:
		if cp.sn.kind == kLeaf && ak != nil && ok != nil && ak != ok && !treeEqual(ak, ok) {
			for _, v := range ak.keys() {
				r.line('>', depth, k+" "+r.val(cp.sn, v))
			}
			return
		}
		vp := spos{cp.sn, false}
		for _, v := range sortedKeys(vp, ak, ok) {
			r.line(mark(ak.get(v), ok.get(v)), depth, k+" "+r.val(cp.sn, v))
		}
	case kTag:
		vp := spos{cp.sn, false}
		for _, v := range sortedKeys(vp, ak, ok) {
			r.tagValue(k, v, ak.get(v), ok.get(v), cp.sn, depth)
		}
	case kLoose:
		n := ak
		if n == nil {
			n = ok
		}
		flat := true
		for _, t := range []*tnode{ak, ok} {
			for _, c := range t.keys() {
				if len(t.kids[c].kids) > 0 {
					flat = false
				}
			}
		}
		switch {
		case len(n.kids) == 0:
			r.line(m, depth, k)
		case flat:
			for _, v := range sortedKeys(spos{looseNode, false}, ak, ok) {
				val := quoteCurly(v)
				if r.mask && isSecretName(k) {
					val = secretMask
				}
				r.line(mark(ak.get(v), ok.get(v)), depth, k+" "+val)
			}
		default:
			r.line(m, depth, k+" {")
			r.children(ak, ok, cp, depth+1)
			r.line(m, depth, "}")
		}
	default: // container
		r.line(m, depth, k+" {")
		r.children(ak, ok, cp, depth+1)
		r.line(m, depth, "}")
	}
}

func (r *curly) tagValue(k, v string, va, vo *tnode, sn *snode, depth int) {
	m := mark(va, vo)
	r.line(m, depth, k+" "+v+" {") // tag values are printed bare
	r.children(va, vo, spos{sn, true}, depth+1)
	r.line(m, depth, "}")
}

// diffSections renders the differences between a (candidate) and o (active) as
// `[edit <path>]` headers followed by +/- lines, for `compare`.
func diffSections(a, o *tnode, root *snode) string {
	var b strings.Builder
	var walk func(a, o *tnode, p spos, path []string)
	walk = func(a, o *tnode, p spos, path []string) {
		r := &curly{mask: true}
		type deferred struct {
			a, o *tnode
			p    spos
			path []string
		}
		var later []deferred
		sub := func(x ...string) []string { return append(path[:len(path):len(path)], x...) }
		for _, k := range sortedKeys(p, a, o) {
			ak, ok := a.get(k), o.get(k)
			cp, _ := childPos(p, k)
			if ak == nil || ok == nil {
				r.key(k, ak, ok, p, 0)
				continue
			}
			if treeEqual(ak, ok) {
				continue
			}
			switch cp.sn.kind {
			case kContainer:
				later = append(later, deferred{ak, ok, cp, sub(k)})
			case kTag:
				for _, v := range sortedKeys(spos{cp.sn, false}, ak, ok) {
					va, vo := ak.get(v), ok.get(v)
					switch {
					case va == nil || vo == nil:
						r.tagValue(k, v, va, vo, cp.sn, 0)
					case !treeEqual(va, vo):
						later = append(later, deferred{va, vo, spos{cp.sn, true}, sub(k, v)})
					}
				}
			case kLeaf, kMulti:
				for _, v := range sortedKeys(spos{cp.sn, false}, ak, ok) {
					va, vo := ak.get(v), ok.get(v)
					if va == nil || vo == nil {
						r.line(mark(va, vo), 0, k+" "+r.val(cp.sn, v))
					}
				}
			default: // loose
				later = append(later, deferred{ak, ok, cp, sub(k)})
			}
		}
		if r.b.Len() > 0 {
			if len(path) == 0 {
				b.WriteString("[edit]\n")
			} else {
				b.WriteString("[edit " + strings.Join(path, " ") + "]\n")
			}
			b.WriteString(r.b.String())
		}
		for _, d := range later {
			walk(d.a, d.o, d.p, d.path)
		}
	}
	walk(a, o, spos{root, false}, nil)
	return b.String()
}

// --- input parsing ---

// tokenize splits a command line into words. '...' and "..." group words (the quotes are
// removed); a backslash escapes the next character inside "...".
func tokenize(line string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inTok := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			if inTok {
				out = append(out, cur.String())
				cur.Reset()
				inTok = false
			}
		case c == '\'' || c == '"':
			inTok = true
			j := i + 1
			for ; j < len(line) && line[j] != c; j++ {
				if c == '"' && line[j] == '\\' && j+1 < len(line) {
					j++
				}
				cur.WriteByte(line[j])
			}
			if j >= len(line) {
				return nil, fmt.Errorf("unexpected EOF while looking for matching `%c'", c)
			}
			i = j
		default:
			inTok = true
			cur.WriteByte(c)
		}
	}
	if inTok {
		out = append(out, cur.String())
	}
	return out, nil
}

// splitUnquoted splits line on sep outside quotes.
func splitUnquoted(line string, sep byte) []string {
	var parts []string
	start := 0
	var q byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '\'' || c == '"':
			q = c
		case c == sep:
			parts = append(parts, line[start:i])
			start = i + 1
		}
	}
	return append(parts, line[start:])
}

var blockComment = regexp.MustCompile(`(?s)/\*.*?\*/`)

// curlyToPaths converts a config.boot-style tree into set paths.
func curlyToPaths(text string) ([][]string, error) {
	var out [][]string
	type frame struct {
		path    []string
		emitted bool
	}
	stack := []*frame{{}}
	text = blockComment.ReplaceAllStringFunc(text, func(c string) string {
		return strings.Repeat("\n", strings.Count(c, "\n")) // keep line numbers
	})
	for n, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "/*") || strings.HasPrefix(line, "//") || strings.HasPrefix(line, "#") || line == "..." {
			continue
		}
		top := stack[len(stack)-1]
		if line == "}" {
			if len(stack) == 1 {
				return nil, fmt.Errorf("line %d: unbalanced }", n+1)
			}
			if !top.emitted {
				out = append(out, top.path)
			}
			stack = stack[:len(stack)-1]
			stack[len(stack)-1].emitted = true
			continue
		}
		open := strings.HasSuffix(line, "{")
		toks, err := tokenize(strings.TrimSuffix(line, "{"))
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", n+1, err)
		}
		path := append(append([]string(nil), top.path...), toks...)
		if open {
			stack = append(stack, &frame{path: path})
			continue
		}
		out = append(out, path)
		top.emitted = true
	}
	if len(stack) != 1 {
		return nil, errors.New("unbalanced {")
	}
	return out, nil
}
