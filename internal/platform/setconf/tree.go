package setconf

import (
	"net/netip"
	"sort"
	"strconv"
)

// Node is a configuration tree built from paths: every token is a child of the token before it.
// A single-value leaf such as `lifetime 3600` is the node "lifetime" with the one child "3600".
// The zero of *Node (nil) is an empty tree, so lookups chain without checks.
type Node struct {
	kids map[string]*Node
	keys []string // sorted with Compare
}

// NewTree builds a tree from paths.
func NewTree(paths [][]string) *Node {
	root := &Node{}
	for _, p := range paths {
		n := root
		for _, t := range p {
			n = n.add(t)
		}
	}
	root.sort()
	return root
}

func (n *Node) add(t string) *Node {
	if n.kids == nil {
		n.kids = map[string]*Node{}
	}
	c, ok := n.kids[t]
	if !ok {
		c = &Node{}
		n.kids[t] = c
		n.keys = append(n.keys, t)
	}
	return c
}

func (n *Node) sort() {
	sort.SliceStable(n.keys, func(i, j int) bool { return Compare(n.keys[i], n.keys[j]) < 0 })
	for _, c := range n.kids {
		c.sort()
	}
}

// Get returns the node at path below n, or nil.
func (n *Node) Get(path ...string) *Node {
	for _, t := range path {
		if n == nil {
			return nil
		}
		n = n.kids[t]
	}
	return n
}

// Has reports whether the path exists below n.
func (n *Node) Has(path ...string) bool { return n.Get(path...) != nil }

// Keys returns the children of the node at path, sorted with Compare.
func (n *Node) Keys(path ...string) []string {
	if n = n.Get(path...); n == nil {
		return nil
	}
	return n.keys
}

// Value returns the value of the leaf at path (its first child), or "".
func (n *Node) Value(path ...string) string {
	if k := n.Keys(path...); len(k) > 0 {
		return k[0]
	}
	return ""
}

// Compare orders tokens naturally: integers numerically, then IP addresses and prefixes by
// address, then everything else as strings. It is a total order.
func Compare(a, b string) int {
	ra, ia, pa := classify(a)
	rb, ib, pb := classify(b)
	if ra != rb {
		return ra - rb
	}
	switch ra {
	case 0:
		if ia != ib {
			if ia < ib {
				return -1
			}
			return 1
		}
	case 1:
		if c := pa.Addr().Compare(pb.Addr()); c != 0 {
			return c
		}
		if pa.Bits() != pb.Bits() {
			return pa.Bits() - pb.Bits()
		}
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func classify(s string) (rank int, i uint64, p netip.Prefix) {
	if v, err := strconv.ParseUint(s, 10, 64); err == nil {
		return 0, v, p
	}
	if pp, err := netip.ParsePrefix(s); err == nil {
		return 1, 0, pp
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return 1, 0, netip.PrefixFrom(a, a.BitLen())
	}
	return 2, 0, p
}
