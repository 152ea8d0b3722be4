package vpn

import "strings"

// Where a security policy stands (SecurityPolicy.Position).
//
// A dialect's Parse says where a policy stands among the policies of its zone pair as one or
// more comma-separated positions of the attribute's own form, each naming a neighbour: "top"
// or "after:N" the one above (none, or policy N), "bottom" or "before:N" the one below. The
// full form names both, e.g. "after:3,before:7", "top,before:4", "after:9,bottom", and
// "top,bottom" for the only policy of its zone pair; a dialect that can tell only one side
// gives that one, and "" when it cannot tell at all. A wanted position (one of the four forms)
// holds when placed names the same neighbour on its side.

// PositionHolds reports whether a policy placed as placed (the parsed form above) stands at
// want ("top", "bottom", "before:N" or "after:N"), and whether placed tells at all: known is
// false when placed says nothing about want's side (or want is not a position), and then
// holds is false too. A position that is not known to be broken should be left alone.
func PositionHolds(want, placed string) (holds, known bool) {
	ws := positionSide(want)
	if ws == "" {
		return false, false
	}
	for _, fact := range strings.Split(placed, ",") {
		fact = strings.TrimSpace(fact)
		if positionSide(fact) != ws {
			continue
		}
		if fact == want {
			return true, true
		}
		known = true
	}
	return false, known
}

// positionSide is "above" for a position naming the neighbour above, "below" for one naming
// the neighbour below, "" for anything else.
func positionSide(pos string) string {
	switch {
	case pos == "top" || strings.HasPrefix(pos, "after:"):
		return "above"
	case pos == "bottom" || strings.HasPrefix(pos, "before:"):
		return "below"
	}
	return ""
}
