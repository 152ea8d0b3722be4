package hier

// Node is one node of a configuration tree; see the package documentation.
type Node struct {
	Kids  map[string]*Node
	Order []string // insertion order of Kids (the order of multi-value leaves)
}

// NewTree is an empty configuration.
func NewTree() *Node { return &Node{Kids: map[string]*Node{}} }

// Get is child k, nil when absent (also on a nil node).
func (t *Node) Get(k string) *Node {
	if t == nil {
		return nil
	}
	return t.Kids[k]
}

// Path follows tokens from t; nil when absent.
func (t *Node) Path(tokens ...string) *Node {
	for _, k := range tokens {
		t = t.Get(k)
		if t == nil {
			return nil
		}
	}
	return t
}

// Keys lists the children in insertion order.
func (t *Node) Keys() []string {
	if t == nil {
		return nil
	}
	return append([]string(nil), t.Order...)
}

// Value is the (first) value of the leaf at tokens, "" when absent.
func (t *Node) Value(tokens ...string) string {
	n := t.Path(tokens...)
	if n == nil || len(n.Order) == 0 {
		return ""
	}
	return n.Order[0]
}

// Ensure returns child k, adding it when absent.
func (t *Node) Ensure(k string) *Node {
	if n := t.Kids[k]; n != nil {
		return n
	}
	n := NewTree()
	t.Kids[k] = n
	t.Order = append(t.Order, k)
	return n
}

// Remove deletes child k.
func (t *Node) Remove(k string) {
	if _, ok := t.Kids[k]; !ok {
		return
	}
	delete(t.Kids, k)
	for i, x := range t.Order {
		if x == k {
			t.Order = append(t.Order[:i:i], t.Order[i+1:]...)
			break
		}
	}
}

// Clone is a deep copy of t.
func (t *Node) Clone() *Node {
	n := &Node{Kids: make(map[string]*Node, len(t.Kids)), Order: append([]string(nil), t.Order...)}
	for k, v := range t.Kids {
		n.Kids[k] = v.Clone()
	}
	return n
}

// Equal compares two trees by content (the order of multi-value leaves is ignored).
func Equal(a, b *Node) bool {
	if len(a.Kids) != len(b.Kids) {
		return false
	}
	for k, av := range a.Kids {
		bv, ok := b.Kids[k]
		if !ok || !Equal(av, bv) {
			return false
		}
	}
	return true
}

// SetPath adds tokens (resolved to ps) to t and reports whether the path already existed. A
// single-value leaf takes the new value in place of the old one.
func (t *Node) SetPath(tokens []string, ps []Pos) bool {
	cur := t
	for i, tok := range tokens {
		last := i == len(tokens)-1
		if last && ps[i].AtValue && ps[i].S.Kind == Leaf {
			if len(cur.Kids) == 1 && cur.Kids[tok] != nil {
				return true
			}
			cur.Kids, cur.Order = map[string]*Node{}, nil
			cur.Ensure(tok)
			return false
		}
		next := cur.Kids[tok]
		if next == nil {
			next = cur.Ensure(tok)
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

// Missing says what a DeletePath did not find.
type Missing int

const (
	Found        Missing = iota // the path was deleted
	MissingNode                 // a node of the path is absent
	MissingValue                // the leaf exists but not with that value
)

// DeletePath removes the node at tokens (resolved to ps) and prunes the ancestors it leaves
// empty, except tag values, which exist on their own.
func (t *Node) DeletePath(tokens []string, ps []Pos) Missing {
	if len(tokens) == 0 {
		return MissingNode
	}
	chain := []*Node{t}
	cur := t
	for i, tok := range tokens {
		next := cur.Kids[tok]
		if next == nil {
			if i == len(tokens)-1 && ps[i].AtValue && (ps[i].S.Kind == Leaf || ps[i].S.Kind == Multi) {
				return MissingValue
			}
			return MissingNode
		}
		chain = append(chain, next)
		cur = next
	}
	n := len(tokens)
	chain[n-1].Remove(tokens[n-1])
	for j := n - 1; j >= 1; j-- {
		node, p := chain[j], ps[j-1]
		if len(node.Kids) > 0 || (p.AtValue && p.S.Kind == Tag) {
			break
		}
		chain[j-1].Remove(tokens[j-1])
	}
	return Found
}
