package edgeos

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/hier"
)

// The configuration is a hier tree checked against the EdgeOS schema (schema.go); this file
// holds what is EdgeOS's own: its messages for rejected paths, its quoting, the
// `show configuration commands` and curly formats, `compare`, and the reading of
// config.boot-style trees.

// pathError is a rejected set/delete path: the device's message lines.
type pathError struct {
	lines []string
}

func (e *pathError) Error() string { return strings.Join(e.lines, "\n") }

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
// position of each token, or a *pathError with the messages vyatta-cfg prints. needValue
// requires the path to end with a value where the node takes one (set); delete passes false.
func resolve(root *hier.Schema, tokens []string, needValue bool) ([]hier.Pos, error) {
	ps, err := hier.Resolver{Root: root, Forbidden: disallowedChar}.Resolve(tokens, needValue)
	if err == nil {
		return ps, nil
	}
	pe := err.(*hier.PathError)
	switch pe.Kind {
	case hier.BadPath:
		prefix := ""
		if pe.Index > 0 {
			prefix = strings.Join(tokens[:pe.Index], " ") + " "
		}
		return nil, &pathError{lines: []string{fmt.Sprintf("Configuration path: %s[%s] is not valid", prefix, tokens[pe.Index])}}
	case hier.BadValue:
		return nil, &pathError{lines: append(strings.Split(pe.Msg, "\n"), "Value validation failed")}
	}
	return nil, &pathError{lines: []string{fmt.Sprintf("Configuration path: [%s] requires a value", strings.Join(tokens, " "))}}
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
func renderCommands(t *hier.Node, root *hier.Schema) string {
	var b strings.Builder
	var walk func(n *hier.Node, p hier.Pos, path []string)
	walk = func(n *hier.Node, p hier.Pos, path []string) {
		for _, k := range hier.SortedKeys(p, n) {
			cp, _ := p.Child(k)
			child := n.Kids[k]
			sub := append(path[:len(path):len(path)], quoteSet(k))
			if len(child.Kids) == 0 {
				b.WriteString("set " + strings.Join(sub, " ") + "\n")
				continue
			}
			walk(child, cp, sub)
		}
	}
	walk(t, hier.Pos{S: root}, nil)
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

func mark(a, o *hier.Node) byte {
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

func (r *curly) val(sn *hier.Schema, v string) string {
	if r.mask && sn.Secret {
		return secretMask
	}
	return quoteCurly(v)
}

// children renders every child of a/o at position p.
func (r *curly) children(a, o *hier.Node, p hier.Pos, depth int) {
	for _, k := range hier.SortedKeys(p, a, o) {
		r.key(k, a.Get(k), o.Get(k), p, depth)
	}
}

// key renders the child named k (present in a and/or o) of a node at position p.
func (r *curly) key(k string, ak, ok *hier.Node, p hier.Pos, depth int) {
	cp, _ := p.Child(k)
	m := mark(ak, ok)
	switch cp.S.Kind {
	case hier.Flag:
		r.line(m, depth, k)
	case hier.Leaf, hier.Multi:
		if cp.S.Kind == hier.Leaf && ak != nil && ok != nil && ak != ok && !hier.Equal(ak, ok) {
			for _, v := range ak.Keys() {
				r.line('>', depth, k+" "+r.val(cp.S, v))
			}
			return
		}
		vp := hier.Pos{S: cp.S}
		for _, v := range hier.SortedKeys(vp, ak, ok) {
			r.line(mark(ak.Get(v), ok.Get(v)), depth, k+" "+r.val(cp.S, v))
		}
	case hier.Tag:
		vp := hier.Pos{S: cp.S}
		for _, v := range hier.SortedKeys(vp, ak, ok) {
			r.tagValue(k, v, ak.Get(v), ok.Get(v), cp.S, depth)
		}
	case hier.Loose:
		n := ak
		if n == nil {
			n = ok
		}
		flat := true
		for _, t := range []*hier.Node{ak, ok} {
			for _, c := range t.Keys() {
				if len(t.Kids[c].Kids) > 0 {
					flat = false
				}
			}
		}
		switch {
		case len(n.Kids) == 0:
			r.line(m, depth, k)
		case flat:
			for _, v := range hier.SortedKeys(hier.Pos{S: hier.LooseNode}, ak, ok) {
				val := quoteCurly(v)
				if r.mask && isSecretName(k) {
					val = secretMask
				}
				r.line(mark(ak.Get(v), ok.Get(v)), depth, k+" "+val)
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

func (r *curly) tagValue(k, v string, va, vo *hier.Node, sn *hier.Schema, depth int) {
	m := mark(va, vo)
	r.line(m, depth, k+" "+v+" {") // tag values are printed bare
	r.children(va, vo, hier.Pos{S: sn, AtValue: true}, depth+1)
	r.line(m, depth, "}")
}

// diffSections renders the differences between a (candidate) and o (active) as
// `[edit <path>]` headers followed by +/- lines, for `compare`.
func diffSections(a, o *hier.Node, root *hier.Schema) string {
	var b strings.Builder
	var walk func(a, o *hier.Node, p hier.Pos, path []string)
	walk = func(a, o *hier.Node, p hier.Pos, path []string) {
		r := &curly{mask: true}
		type deferred struct {
			a, o *hier.Node
			p    hier.Pos
			path []string
		}
		var later []deferred
		sub := func(x ...string) []string { return append(path[:len(path):len(path)], x...) }
		for _, k := range hier.SortedKeys(p, a, o) {
			ak, ok := a.Get(k), o.Get(k)
			cp, _ := p.Child(k)
			if ak == nil || ok == nil {
				r.key(k, ak, ok, p, 0)
				continue
			}
			if hier.Equal(ak, ok) {
				continue
			}
			switch cp.S.Kind {
			case hier.Container:
				later = append(later, deferred{ak, ok, cp, sub(k)})
			case hier.Tag:
				for _, v := range hier.SortedKeys(hier.Pos{S: cp.S}, ak, ok) {
					va, vo := ak.Get(v), ok.Get(v)
					switch {
					case va == nil || vo == nil:
						r.tagValue(k, v, va, vo, cp.S, 0)
					case !hier.Equal(va, vo):
						later = append(later, deferred{va, vo, hier.Pos{S: cp.S, AtValue: true}, sub(k, v)})
					}
				}
			case hier.Leaf, hier.Multi:
				for _, v := range hier.SortedKeys(hier.Pos{S: cp.S}, ak, ok) {
					va, vo := ak.Get(v), ok.Get(v)
					if va == nil || vo == nil {
						r.line(mark(va, vo), 0, k+" "+r.val(cp.S, v))
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
	walk(a, o, hier.Pos{S: root}, nil)
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
