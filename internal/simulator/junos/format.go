package junos

import (
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/hier"
)

// quote prints a token the way the device does: bare when it is a plain word, else in
// double quotes with " and \ escaped by a backslash.
func quote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\"'\\;{}[]#()&|<>!*?$`=,\x7f") && !hasCtl(s) {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

func hasCtl(s string) bool {
	for _, r := range s {
		if r < 0x20 {
			return true
		}
	}
	return false
}

// shownValue is a leaf value as printed: secrets are `$9$`-encoded (a value entered in that
// form is kept as entered) and always quoted.
func shownValue(p hier.Pos, v string) string {
	if p.S.Secret {
		if !strings.HasPrefix(v, "$9$") {
			v = encode9(v)
		}
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
	}
	return quote(v)
}

func joinPath(root *hier.Schema, path []string) string {
	ps := resolve(root, path)
	parts := make([]string, len(path))
	for i, t := range path {
		if ps[i].AtValue {
			parts[i] = shownValue(ps[i], t)
		} else {
			parts[i] = quote(t)
		}
	}
	return strings.Join(parts, " ")
}

// displaySet prints `set` lines for the subtree at base (a path from the top), then the
// `deactivate` lines of its inactive statements.
func displaySet(root *hier.Schema, c *conf, base []string) string {
	var b strings.Builder
	node := c.t.Path(base...)
	if node == nil {
		return ""
	}
	p := hier.Root(root)
	for _, k := range base {
		p = childPos(p, k)
	}
	var deact []string
	var walk func(p hier.Pos, n *hier.Node, path []string)
	walk = func(p hier.Pos, n *hier.Node, path []string) {
		if c.inactive[pathKey(path)] && len(path) > 0 {
			deact = append(deact, "deactivate "+joinPath(root, path))
		}
		keys := orderedKeys(p, n)
		if len(keys) == 0 && len(path) > 0 {
			b.WriteString("set " + joinPath(root, path) + "\n")
			return
		}
		for _, k := range keys {
			walk(childPos(p, k), n.Kids[k], append(append([]string(nil), path...), k))
		}
	}
	walk(p, node, append([]string(nil), base...))
	for _, d := range deact {
		b.WriteString(d + "\n")
	}
	return b.String()
}

// curly prints the subtree at node (position p, full path path) in the device's braces
// form, each line starting with marker and indented four spaces per level.
func curly(root *hier.Schema, c *conf, p hier.Pos, n *hier.Node, path []string, depth int, marker string, b *strings.Builder) {
	curlyP(root, c, p, n, path, depth, marker, "", b)
}

// Braces-form shapes that differ from the plain nesting of the schema [INFERRED from common
// dumps]: keyless tags list their values as blocks of their own (`interfaces { ge-0/0/0 {`),
// flat containers put their only statement on their line (`family inet {`, `pre-shared-key
// ascii-text "..."`, `local-identity inet 192.0.2.1;`), block tags list keyword values one
// per line (`system-services { ike; }`).
var (
	keylessTags    = map[*hier.Schema]bool{}
	flatContainers = map[string]bool{"family": true, "pre-shared-key": true, "local-identity": true, "remote-identity": true, "rib-group": true, "local-id": true, "remote-id": true}
	blockTags      = map[string]bool{"system-services": true, "protocols": true}
)

func curlyP(root *hier.Schema, c *conf, p hier.Pos, n *hier.Node, path []string, depth int, marker, prefix string, b *strings.Builder) {
	ind := func(d int) string {
		if marker == "" {
			return strings.Repeat("    ", d)
		}
		return marker + strings.Repeat(" ", 3+4*d)
	}
	keys := orderedKeys(p, n)
	for i := 0; i < len(keys); i++ {
		k := keys[i]
		cp := childPos(p, k)
		kid := n.Kids[k]
		kpath := append(append([]string(nil), path...), k)
		inact := ""
		if c != nil && c.inactive[pathKey(kpath)] {
			inact = "inactive: "
		}
		inact += prefix
		if !cp.AtValue && cp.S.Kind == hier.Container && flatContainers[k] && len(kid.Kids) == 1 && (c == nil || !c.inactive[pathKey(append(append([]string(nil), kpath...), kid.Order[0]))]) {
			curlyP(root, c, cp, kid, kpath, depth, marker, inact+quote(k)+" ", b)
			continue
		}
		if !cp.AtValue && cp.S.Kind == hier.Tag && (keylessTags[cp.S] || blockTags[k] && cp.S.Kids["except"] != nil) {
			b.WriteString(ind(depth) + inact + quote(k) + " {\n")
			vp := hier.Pos{S: cp.S, AtValue: true}
			for _, v := range orderedKeys(hier.Pos{S: cp.S}, kid) {
				vpath := append(append([]string(nil), kpath...), v)
				vin := ""
				if c != nil && c.inactive[pathKey(vpath)] {
					vin = "inactive: "
				}
				if vnode := kid.Kids[v]; len(vnode.Kids) > 0 {
					b.WriteString(ind(depth+1) + vin + quote(v) + " {\n")
					curlyP(root, c, vp, vnode, vpath, depth+2, marker, "", b)
					b.WriteString(ind(depth+1) + "}\n")
				} else {
					b.WriteString(ind(depth+1) + vin + quote(v) + ";\n")
				}
			}
			b.WriteString(ind(depth) + "}\n")
			continue
		}
		switch {
		case !cp.AtValue && (cp.S.Kind == hier.Leaf || cp.S.Kind == hier.Multi || cp.S.Kind == hier.Tag):
			vals := orderedKeys(hier.Pos{S: cp.S}, kid)
			if cp.S.Kind == hier.Multi && len(vals) > 1 {
				shown := make([]string, len(vals))
				for j, v := range vals {
					shown[j] = shownValue(hier.Pos{S: cp.S, AtValue: true}, v)
				}
				b.WriteString(ind(depth) + inact + quote(k) + " [ " + strings.Join(shown, " ") + " ];\n")
				continue
			}
			for _, v := range vals {
				vp := hier.Pos{S: cp.S, AtValue: true}
				vnode := kid.Kids[v]
				vpath := append(append([]string(nil), kpath...), v)
				vin := inact
				if c != nil && c.inactive[pathKey(vpath)] {
					vin = "inactive: "
				}
				line := ind(depth) + vin + quote(k) + " " + shownValue(vp, v)
				if cp.S.Kind == hier.Tag && k == "route" && len(vnode.Kids) == 1 && len(vnode.Kids[vnode.Order[0]].Kids) <= 1 {
					// `route 10.0.0.0/16 next-hop st0.0;`
					curlyP(root, c, vp, vnode, vpath, depth, marker, vin+quote(k)+" "+shownValue(vp, v)+" ", b)
					continue
				}
				if cp.S.Kind == hier.Tag && len(vnode.Kids) > 0 {
					b.WriteString(line + " {\n")
					curlyP(root, c, vp, vnode, vpath, depth+1, marker, "", b)
					b.WriteString(ind(depth) + "}\n")
					continue
				}
				if cp.S.Secret {
					line += "; ## SECRET-DATA\n"
				} else {
					line += ";\n"
				}
				b.WriteString(line)
			}
		case len(kid.Kids) == 0:
			b.WriteString(ind(depth) + inact + quote(k) + ";\n")
		case cp.S.Kind == hier.Loose && len(kid.Kids) == 1 && len(kid.Kids[kid.Order[0]].Kids) == 0:
			b.WriteString(ind(depth) + inact + quote(k) + " " + quote(kid.Order[0]) + ";\n")
		default:
			b.WriteString(ind(depth) + inact + quote(k) + " {\n")
			curlyP(root, c, cp, kid, kpath, depth+1, marker, "", b)
			b.WriteString(ind(depth) + "}\n")
		}
	}
}

// showCurly prints the subtree at base.
func showCurly(root *hier.Schema, c *conf, base []string) string {
	n := c.t.Path(base...)
	if n == nil {
		return ""
	}
	p := hier.Root(root)
	for _, k := range base {
		p = childPos(p, k)
	}
	var b strings.Builder
	if len(base) > 0 && (p.ValuesBelow() || p.AtValue && p.S.Kind != hier.Tag || p.S.Kind == hier.Flag) {
		// a leaf (or a leaf's value): its statement as the enclosing level prints it
		cut := len(base) - 1
		if p.AtValue {
			cut = len(base) - 2
		}
		pp := hier.Root(root)
		for _, k := range base[:cut] {
			pp = childPos(pp, k)
		}
		parent := c.t.Path(base[:cut]...)
		one := hier.NewTree()
		one.Kids[base[cut]] = parent.Kids[base[cut]]
		one.Order = []string{base[cut]}
		if p.AtValue {
			one.Kids[base[cut]] = &hier.Node{Kids: map[string]*hier.Node{base[cut+1]: n}, Order: []string{base[cut+1]}}
		}
		curly(root, c, pp, one, base[:cut], 0, "", &b)
		return b.String()
	}
	if len(base) > 0 && len(n.Kids) == 0 {
		return ""
	}
	curly(root, c, p, n, base, 0, "", &b)
	return b.String()
}

// compare prints the differences between a (old) and b (new) as `show | compare` does:
// `[edit <path>]` headers, then the removed and added statements marked - and +.
func compare(root *hier.Schema, a, b *conf) string {
	var out strings.Builder
	var walk func(p hier.Pos, an, bn *hier.Node, path []string)
	walk = func(p hier.Pos, an, bn *hier.Node, path []string) {
		header := false
		emit := func(s string) {
			if !header {
				header = true
				if len(path) == 0 {
					out.WriteString("[edit]\n")
				} else {
					out.WriteString("[edit " + joinPath(root, path) + "]\n")
				}
			}
			out.WriteString(s)
		}
		keys := orderedKeys(p, mergedKeys(an, bn))
		var deeper, keyless []string
		for _, k := range keys {
			cp := childPos(p, k)
			ak, bk := an.Get(k), bn.Get(k)
			kpath := append(append([]string(nil), path...), k)
			one := func(side *hier.Node, c *conf, marker string) {
				t := hier.NewTree()
				t.Kids[k] = side
				t.Order = []string{k}
				var sb strings.Builder
				curly(root, c, p, t, path, 0, marker, &sb)
				emit(sb.String())
			}
			switch {
			case ak == nil:
				one(bk, b, "+")
			case bk == nil:
				one(ak, a, "-")
			case !cp.AtValue && (cp.S.Kind == hier.Leaf || cp.S.Kind == hier.Multi || cp.S.Kind == hier.Tag):
				vp := hier.Pos{S: cp.S, AtValue: true}
				for _, v := range orderedKeys(vp, mergedKeys(ak, bk)) {
					av, bv := ak.Get(v), bk.Get(v)
					vpath := append(append([]string(nil), kpath...), v)
					mk := func(side *hier.Node, c *conf, marker string) {
						if keylessTags[cp.S] {
							// `[edit interfaces]` then `+   st0 { ... }`
							var sb strings.Builder
							sb.WriteString(marker + "   " + quote(v))
							if len(side.Kids) == 0 {
								sb.WriteString(";\n")
							} else {
								sb.WriteString(" {\n")
								curlyP(root, c, vp, side, vpath, 1, marker, "", &sb)
								sb.WriteString(marker + "   }\n")
							}
							header := "[edit " + joinPath(root, kpath) + "]\n"
							if n := len(keyless); n > 0 && strings.HasPrefix(keyless[n-1], header) {
								keyless[n-1] += sb.String()
							} else {
								keyless = append(keyless, header+sb.String())
							}
							return
						}
						t := hier.NewTree()
						t.Kids[k] = &hier.Node{Kids: map[string]*hier.Node{v: side}, Order: []string{v}}
						t.Order = []string{k}
						var sb strings.Builder
						curly(root, c, p, t, path, 0, marker, &sb)
						emit(sb.String())
					}
					switch {
					case av == nil:
						mk(bv, b, "+")
					case bv == nil:
						mk(av, a, "-")
					case a.inactive[pathKey(vpath)] != b.inactive[pathKey(vpath)]:
						// (de)activated: the statement as it is now, marked !
						mk(bv, b, "!")
					case cp.S.Kind == hier.Tag && (!hier.Equal(av, bv) || inactiveDiffers(a, b, vpath)):
						deeper = append(deeper, k+"\x00"+v)
					}
				}
			case a.inactive[pathKey(kpath)] != b.inactive[pathKey(kpath)]:
				one(bk, b, "!")
			default:
				if !hier.Equal(ak, bk) || inactiveDiffers(a, b, kpath) {
					deeper = append(deeper, k)
				}
			}
		}
		for _, k := range keyless {
			out.WriteString(k)
		}
		for _, d := range deeper {
			parts := strings.Split(d, "\x00")
			cp := p
			an2, bn2 := an, bn
			for _, t := range parts {
				cp = childPos(cp, t)
				an2, bn2 = an2.Get(t), bn2.Get(t)
			}
			walk(cp, an2, bn2, append(append([]string(nil), path...), parts...))
		}
	}
	walk(hier.Root(root), a.t, b.t, nil)
	return out.String()
}

func inactiveDiffers(a, b *conf, path []string) bool {
	pre := pathKey(path)
	for _, pair := range [][2]*conf{{a, b}, {b, a}} {
		for k := range pair[0].inactive {
			if (k == pre || strings.HasPrefix(k, pre+"\x00")) && !pair[1].inactive[k] {
				return true
			}
		}
	}
	return false
}

func mergedKeys(a, b *hier.Node) *hier.Node {
	m := hier.NewTree()
	for _, n := range []*hier.Node{a, b} {
		for _, k := range n.Keys() {
			m.Ensure(k)
		}
	}
	return m
}
