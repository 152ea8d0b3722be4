package setconf

import "strings"

// Pattern matches a path prefix token by token. It is written as space-separated tokens where
// "*" matches any token and "a|b" matches either alternative, e.g. "vpn ipsec ike-group *".
type Pattern [][]string

// ParsePattern compiles a pattern.
func ParsePattern(s string) Pattern {
	var p Pattern
	for _, t := range strings.Fields(s) {
		if t == "*" {
			p = append(p, nil)
		} else {
			p = append(p, strings.Split(t, "|"))
		}
	}
	return p
}

// Match reports whether the pattern matches the first len(p) tokens of path.
func (p Pattern) Match(path []string) bool {
	if len(path) < len(p) {
		return false
	}
	for i, alts := range p {
		if alts == nil {
			continue
		}
		ok := false
		for _, a := range alts {
			if a == path[i] {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// RootKind says what Diff may assume about everything on the device under a root.
type RootKind int

const (
	// Object is the node of one modelled object (an IKE group, a peer, a route): everything
	// under it belongs to the object, so when the object goes, the node is deleted whole,
	// including children the model does not know about.
	Object RootKind = iota
	// Container is a node shared by several objects or holding shared leaves (the BGP process,
	// the mss-clamp block, a firewall ruleset): it is deleted whole only when every device path
	// under it is one the model is removing.
	Container
)

// Root is one node where Diff may delete.
type Root struct {
	Pattern string
	Kind    RootKind
	// Ordered marks the entries of a list whose order matters to the device (Junos policy
	// terms, firewall filter terms): Pattern names one entry, its last token the entry's key,
	// e.g. "policy-options policy-statement * term *". Diff then moves entries into the order
	// of the after paths with `insert <list> <key> before|after <keyword> <key>`.
	Ordered bool
}

// Schema tells Diff where objects begin and which leaves hold a single value. Build it with
// NewSchema.
type Schema struct {
	roots   []root
	leaves  []Pattern
	ordered []Pattern
}

type root struct {
	pat  Pattern
	kind RootKind
}

// NewSchema compiles roots and single-value leaf patterns (each naming the leaf without its
// value, e.g. "vpn ipsec ike-group * lifetime").
func NewSchema(roots []Root, valueLeaves []string) *Schema {
	s := &Schema{}
	for _, r := range roots {
		s.roots = append(s.roots, root{ParsePattern(r.Pattern), r.Kind})
		if r.Ordered {
			s.ordered = append(s.ordered, ParsePattern(r.Pattern))
		}
	}
	for _, l := range valueLeaves {
		s.leaves = append(s.leaves, ParsePattern(l))
	}
	return s
}

// candidate is a prefix length Diff may delete at and whether unmodelled device paths under it
// may go with it.
type candidate struct {
	depth int
	owned bool
}

// candidates returns, shortest first, the prefix lengths of path at which Diff may delete: the
// depth of every matching root, then every depth below the deepest matching root.
func (s *Schema) candidates(path []string) []candidate {
	byDepth := map[int]bool{}
	deepest := 0
	for _, r := range s.roots {
		if len(r.pat) > len(path) || !r.pat.Match(path) {
			continue
		}
		d := len(r.pat)
		byDepth[d] = byDepth[d] || r.kind == Object
		if d > deepest {
			deepest = d
		}
	}
	if deepest == 0 {
		return nil
	}
	var out []candidate
	for d := 1; d <= len(path); d++ {
		owned, isRoot := byDepth[d]
		if isRoot || d > deepest {
			out = append(out, candidate{d, owned})
		}
	}
	return out
}

// MinDeleteDepth returns the length of the shortest prefix of path that Diff may delete, or
// len(path)+1 when path lies under no root (Diff never deletes it).
func (s *Schema) MinDeleteDepth(path []string) int {
	if c := s.candidates(path); len(c) > 0 {
		return c[0].depth
	}
	return len(path) + 1
}

// IsValueLeaf reports whether parent is a single-value leaf: setting a new value replaces the
// old one, so Diff does not delete the old value.
func (s *Schema) IsValueLeaf(parent []string) bool {
	for _, l := range s.leaves {
		if len(l) == len(parent) && l.Match(parent) {
			return true
		}
	}
	return false
}
