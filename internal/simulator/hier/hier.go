// Package hier is a hierarchical configuration store for simulator engines of set-style
// CLIs (EdgeOS/Vyatta, Junos): a tree of tokens checked against a schema.
//
// A configuration is a tree of Nodes in which node names, tag values and leaf values are all
// children keyed by their token: `lifetime 3600` is node "lifetime" with one child "3600".
// The Schema says what each token is: a container of named children, a tag node (`peer
// <value> { ... }`), a single- or multi-value leaf, a valueless flag, or a loose node below
// which anything is accepted. A Pos is a token's place in the schema; Resolve checks a path
// and returns the Pos of each token, SetPath and DeletePath change the tree, SortedKeys gives
// the order a device lists children in.
//
// The package holds no device's messages or output formats: a rejected path is a PathError
// saying which token failed and why, and the engine prints it as its device does.
package hier

import (
	"sort"
	"strconv"
)

// Kind is what a schema node is.
type Kind int

const (
	Container Kind = iota // named children: `ipsec { ... }`
	Tag                   // a node with a value and children below it: `peer <value> { ... }`
	Leaf                  // one value: `lifetime 3600`
	Multi                 // repeated values, kept in the order set: `address ...`
	Flag                  // no value: `disable`
	Loose                 // free-form, below a loose node (no validation)
)

// Check validates one value.
type Check struct {
	// Fn returns the device's message for an invalid value, "" when v is valid. Nil accepts
	// anything.
	Fn func(v string) string
	// Numeric values sort numerically.
	Numeric bool
}

// Schema is one node of a schema.
type Schema struct {
	Name   string
	Kind   Kind
	Kids   map[string]*Schema
	Check  Check // for the values of tag nodes and leaves
	Loose  bool  // unknown children are accepted free-form
	Secret bool  // the values are secrets (an engine may mask them)
}

// New makes a schema node of kind k with the given children.
func New(name string, k Kind, c Check, kids ...*Schema) *Schema {
	n := &Schema{Name: name, Kind: k, Check: c, Kids: map[string]*Schema{}}
	for _, kid := range kids {
		n.Kids[kid.Name] = kid
	}
	return n
}

// Cont is a container with named children.
func Cont(name string, kids ...*Schema) *Schema { return New(name, Container, Check{}, kids...) }

// TagNode is a tag node whose values c checks.
func TagNode(name string, c Check, kids ...*Schema) *Schema { return New(name, Tag, c, kids...) }

// LeafNode is a single-value leaf.
func LeafNode(name string, c Check) *Schema { return New(name, Leaf, c) }

// MultiNode is a multi-value leaf.
func MultiNode(name string, c Check) *Schema { return New(name, Multi, c) }

// FlagNode is a valueless leaf.
func FlagNode(name string) *Schema { return New(name, Flag, Check{}) }

// LooseCont is a container that accepts anything below it besides its declared children.
func LooseCont(name string, kids ...*Schema) *Schema { return Cont(name, kids...).WithLoose() }

// WithLoose makes n accept unknown children free-form and returns it.
func (n *Schema) WithLoose() *Schema { n.Loose = true; return n }

// Walk calls fn for n and every schema node below it (each once).
func (n *Schema) Walk(fn func(*Schema)) {
	seen := map[*Schema]bool{}
	var walk func(*Schema)
	walk = func(s *Schema) {
		if seen[s] {
			return
		}
		seen[s] = true
		fn(s)
		for _, k := range s.Kids {
			walk(k)
		}
	}
	walk(n)
}

// LooseNode is the schema position of anything below a loose node.
var LooseNode = &Schema{Name: "*", Kind: Loose, Kids: map[string]*Schema{}}

// --- positions ---

// Pos is a position in the schema: the schema node of a tree node and whether the tree node
// is a value (tag value or leaf value) rather than a node name.
type Pos struct {
	S       *Schema
	AtValue bool
}

// Root is the position of the top of a configuration.
func Root(s *Schema) Pos { return Pos{S: s} }

// Child returns the position of child key below p.
func (p Pos) Child(key string) (Pos, bool) {
	sn := p.S
	switch sn.Kind {
	case Tag:
		if !p.AtValue {
			return Pos{S: sn, AtValue: true}, true
		}
		fallthrough
	case Container:
		if c := sn.Kids[key]; c != nil {
			return Pos{S: c}, true
		}
		if sn.Loose {
			return Pos{S: LooseNode}, true
		}
	case Leaf, Multi:
		if !p.AtValue {
			return Pos{S: sn, AtValue: true}, true
		}
	case Loose:
		return Pos{S: LooseNode}, true
	}
	return Pos{}, false
}

// ValuesBelow reports whether the children of a node at p are values.
func (p Pos) ValuesBelow() bool {
	return !p.AtValue && (p.S.Kind == Tag || p.S.Kind == Leaf || p.S.Kind == Multi)
}

// ErrKind says why a path was rejected.
type ErrKind int

const (
	BadPath    ErrKind = iota // the token at Index is not valid there
	BadValue                  // the value at Index failed its check; Msg is the check's message
	NeedsValue                // the path ends where a value is required
)

// PathError is a rejected path.
type PathError struct {
	Kind  ErrKind
	Index int    // the failing token (BadPath, BadValue)
	Msg   string // the check's message (BadValue)
}

func (e *PathError) Error() string {
	switch e.Kind {
	case BadPath:
		return "token " + strconv.Itoa(e.Index) + " is not valid"
	case BadValue:
		return e.Msg
	}
	return "a value is required"
}

// Resolver checks paths against a schema.
type Resolver struct {
	Root *Schema
	// Forbidden returns the device's message for a value (or loose token) holding a
	// character no value may hold, before any type check; "" when none. Optional.
	Forbidden func(v string) string
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

// Resolve validates tokens (an absolute path) and returns the position of each token.
// needValue requires the path to end with a value where the node takes one (set; delete
// passes false). A token with a control character is a BadPath unless Forbidden has a
// message for it; an empty token is valid only as a value.
func (r Resolver) Resolve(tokens []string, needValue bool) ([]Pos, error) {
	forbidden := r.Forbidden
	if forbidden == nil {
		forbidden = func(string) string { return "" }
	}
	p := Root(r.Root)
	out := make([]Pos, 0, len(tokens))
	for i, tok := range tokens {
		cp, ok := p.Child(tok)
		if !ok || (hasControl(tok) && forbidden(tok) == "") || tok == "" && !cp.AtValue {
			return nil, &PathError{Kind: BadPath, Index: i}
		}
		if cp.AtValue || cp.S.Kind == Loose {
			if msg := forbidden(tok); msg != "" {
				return nil, &PathError{Kind: BadValue, Index: i, Msg: msg}
			}
		}
		if cp.AtValue && cp.S.Check.Fn != nil {
			if msg := cp.S.Check.Fn(tok); msg != "" {
				return nil, &PathError{Kind: BadValue, Index: i, Msg: msg}
			}
		}
		out = append(out, cp)
		p = cp
	}
	if needValue && len(tokens) > 0 && p.ValuesBelow() {
		return nil, &PathError{Kind: NeedsValue, Index: len(tokens) - 1}
	}
	return out, nil
}

// --- sorting ---

// SortedKeys orders the children of trees (merged) at position p: names and tag/leaf values
// alphabetically, values of numeric nodes numerically, multi-value leaves in the order they
// were set.
func SortedKeys(p Pos, trees ...*Node) []string {
	seen := map[string]bool{}
	var keys []string
	for _, t := range trees {
		for _, k := range t.Keys() {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	if p.ValuesBelow() && p.S.Kind == Multi {
		return keys
	}
	if p.ValuesBelow() && p.S.Check.Numeric {
		SortNumeric(keys)
		return keys
	}
	sort.Strings(keys)
	return keys
}

// SortNumeric sorts keys numerically where both are unsigned numbers, as text otherwise.
func SortNumeric(keys []string) {
	sort.SliceStable(keys, func(i, j int) bool {
		a, ea := strconv.ParseUint(keys[i], 10, 64)
		b, eb := strconv.ParseUint(keys[j], 10, 64)
		if ea == nil && eb == nil {
			return a < b
		}
		return keys[i] < keys[j]
	})
}
