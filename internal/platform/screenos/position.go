package screenos

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/flatconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Policy positions. ScreenOS evaluates the policies of a zone pair top down in the order
// `get config` lists them; a new policy goes to the bottom, and `set policy move N before|after
// M` moves one. Parse gives each policy its neighbours within its zone pair ("top,before:3",
// "after:2,bottom"); the provider compares a wanted position with that form
// (vpn.PositionHolds: "before:N" and "after:N" mean directly above and below policy N), and
// moveSteps moves a policy that does not stand exactly where its position says.

// order is the policies in evaluation order, by id, with their zone pairs.
type order []policyRef

func (o order) index(id int) int {
	for i, r := range o {
		if r.id == id {
			return i
		}
	}
	return -1
}

// holds reports whether policy id stands where position says in o.
func (o order) holds(id int, position string) bool {
	i := o.index(id)
	if i < 0 {
		return false
	}
	me := o[i]
	samePair := func(r policyRef) bool { return r.from == me.from && r.to == me.to }
	switch {
	case position == "top":
		for _, r := range o[:i] {
			if samePair(r) {
				return false
			}
		}
		return true
	case position == "" || position == "bottom":
		for _, r := range o[i+1:] {
			if samePair(r) {
				return false
			}
		}
		return true
	case strings.HasPrefix(position, "before:"):
		n, _ := strconv.Atoi(strings.TrimPrefix(position, "before:"))
		j := o.index(n)
		return j >= 0 && i < j
	case strings.HasPrefix(position, "after:"):
		n, _ := strconv.Atoi(strings.TrimPrefix(position, "after:"))
		j := o.index(n)
		return j >= 0 && i > j
	}
	return false
}

// move returns o with id moved before (or after) target.
func (o order) move(id, target int, after bool) order {
	i := o.index(id)
	me := o[i]
	rest := append(append(order(nil), o[:i]...), o[i+1:]...)
	j := rest.index(target)
	if after {
		j++
	}
	out := append(append(append(order(nil), rest[:j]...), me), rest[j:]...)
	return out
}

// orderOf rebuilds the evaluation order of cfg's policies from the positions Parse gave them
// (their side above: top, after:N), zone pair by zone pair; pairs are kept apart, which is all holds needs for
// top and bottom, and before/after compare ids within what is known.
func orderOf(cfg *vpn.Config) order {
	next := map[int]*vpn.SecurityPolicy{}
	var tops []*vpn.SecurityPolicy
	for _, o := range cfg.OfKind(vpn.KindSecurityPolicy) {
		p := o.(*vpn.SecurityPolicy)
		above, _, _ := strings.Cut(p.Position, ",")
		if above == "top" {
			tops = append(tops, p)
		} else if n, err := strconv.Atoi(strings.TrimPrefix(above, "after:")); err == nil {
			next[n] = p
		}
	}
	// A policy placed after one that is not in cfg heads its own chain, after the tops.
	ids := map[int]bool{}
	for _, o := range cfg.OfKind(vpn.KindSecurityPolicy) {
		ids[o.(*vpn.SecurityPolicy).Number] = true
	}
	var orphans []int
	for n := range next {
		if !ids[n] {
			orphans = append(orphans, n)
		}
	}
	sort.Ints(orphans)
	for _, n := range orphans {
		tops = append(tops, next[n])
	}
	var out order
	seen := map[int]bool{}
	for _, t := range tops {
		for p := t; p != nil && !seen[p.Number]; p = next[p.Number] {
			seen[p.Number] = true
			out = append(out, policyRef{id: p.Number, from: p.FromZone, to: p.ToZone})
		}
	}
	return out
}

// moveSteps returns the `set policy move` steps that put every new or changed policy of
// desired where its position says, after the lines of after are applied (a new policy is
// listed last).
func (s *ScreenOS) moveSteps(dev *device, cur, desired *vpn.Config, changed func(vpn.Object) bool, after []flatconf.Entry) ([]flatconf.Step, error) {
	// The order once the lines are applied: the device's, without deleted policies, then the
	// new ones in the order they are created.
	kept := map[int]bool{}
	var o order
	ids := map[int]*vpn.SecurityPolicy{}
	for _, x := range desired.OfKind(vpn.KindSecurityPolicy) {
		p := x.(*vpn.SecurityPolicy)
		if p.Number != 0 {
			ids[p.Number] = p
		}
	}
	for _, r := range dev.policyOrder {
		if p, ok := ids[r.id]; ok {
			kept[r.id] = true
			o = append(o, policyRef{id: r.id, from: p.FromZone, to: p.ToZone})
		} else if cur.Get(vpn.KindSecurityPolicy, unnamedPolicy(r.id)) == nil && !policyInModel(cur, r.id) {
			o = append(o, r) // a policy the model does not describe stays
		}
	}
	for _, e := range after {
		if len(e.Context) == 0 && len(e.Words) > 3 && e.Words[0] == "policy" && e.Words[1] == "id" {
			id, _ := strconv.Atoi(e.Words[2])
			if p, ok := ids[id]; ok && !kept[id] {
				kept[id] = true
				o = append(o, policyRef{id: id, from: p.FromZone, to: p.ToZone})
			}
		}
	}
	var steps []flatconf.Step
	moved := map[int]bool{}
	for _, x := range desired.OfKind(vpn.KindSecurityPolicy) {
		p := x.(*vpn.SecurityPolicy)
		if !changed(p) || p.Number == 0 {
			continue
		}
		// A policy already on the device is moved when its position no longer holds; a new
		// one is put exactly where its position says (next to the policy it names).
		// A policy stands exactly where its position says or is moved there: the provider's
		// drift check (vpn.PositionHolds on Parse's neighbours) asks no less.
		if o.exactly(p.Number, p.Position) {
			continue
		}
		var target int
		var isAfter bool
		i := o.index(p.Number)
		if i < 0 {
			continue
		}
		// Parse's two-sided form places the policy by its neighbour above.
		position, _, _ := strings.Cut(p.Position, ",")
		switch {
		case position == "top":
			for _, r := range o {
				if r.from == p.FromZone && r.to == p.ToZone && r.id != p.Number {
					target = r.id
					break
				}
			}
		case position == "" || position == "bottom":
			for _, r := range o {
				if r.from == p.FromZone && r.to == p.ToZone && r.id != p.Number {
					target, isAfter = r.id, true
				}
			}
		default:
			where, n, _ := strings.Cut(position, ":")
			target, _ = strconv.Atoi(n)
			isAfter = where == "after"
			if o.index(target) < 0 {
				return nil, fmt.Errorf("security_policy %q: position %q: the device has no policy %d", p.Name, p.Position, target)
			}
		}
		if target == 0 {
			continue
		}
		// The undo puts the policy back next to its neighbour of now.
		var undo string
		if i > 0 {
			undo = fmt.Sprintf("set policy move %d after %d", p.Number, o[i-1].id)
		} else if i+1 < len(o) {
			undo = fmt.Sprintf("set policy move %d before %d", p.Number, o[i+1].id)
		}
		rel := "before"
		if isAfter {
			rel = "after"
		}
		st := flatconf.Step{Do: []string{fmt.Sprintf("set policy move %d %s %d", p.Number, rel, target)}}
		if undo != "" {
			st.Undo = []string{undo}
		}
		steps = append(steps, st)
		o = o.move(p.Number, target, isAfter)
		moved[p.Number] = true
	}
	// A policy that stood directly below a policy moved here goes with it: the unchanged
	// policies of desired hold where Parse found them, and a position "after:N" the
	// provider keeps for them must still hold once N moved. Followers of followers too.
	for again := true; again; {
		again = false
		for _, x := range desired.OfKind(vpn.KindSecurityPolicy) {
			p := x.(*vpn.SecurityPolicy)
			if changed(p) || p.Number == 0 || moved[p.Number] {
				continue
			}
			above, _, _ := strings.Cut(p.Position, ",")
			n, err := strconv.Atoi(strings.TrimPrefix(above, "after:"))
			if err != nil || !moved[n] || o.exactly(p.Number, above) {
				continue
			}
			i := o.index(p.Number)
			if i < 0 || !keepsChanged(o.move(p.Number, n, true), desired, changed) {
				continue // not at the cost of a position the plan asks for
			}
			st := flatconf.Step{Do: []string{fmt.Sprintf("set policy move %d after %d", p.Number, n)}}
			if i > 0 {
				st.Undo = []string{fmt.Sprintf("set policy move %d after %d", p.Number, o[i-1].id)}
			} else if i+1 < len(o) {
				st.Undo = []string{fmt.Sprintf("set policy move %d before %d", p.Number, o[i+1].id)}
			}
			steps = append(steps, st)
			o = o.move(p.Number, n, true)
			moved[p.Number], again = true, true
		}
	}
	return steps, nil
}

// keepsChanged reports whether every new or changed policy of desired stands exactly where
// its position says in o.
func keepsChanged(o order, desired *vpn.Config, changed func(vpn.Object) bool) bool {
	for _, x := range desired.OfKind(vpn.KindSecurityPolicy) {
		p := x.(*vpn.SecurityPolicy)
		if changed(p) && p.Number != 0 && p.Position != "" && !o.exactly(p.Number, p.Position) {
			return false
		}
	}
	return true
}

func policyInModel(cfg *vpn.Config, id int) bool {
	for _, x := range cfg.OfKind(vpn.KindSecurityPolicy) {
		if x.(*vpn.SecurityPolicy).Number == id {
			return true
		}
	}
	return false
}

func (d *device) policyIDs() map[int]bool {
	out := map[int]bool{}
	for _, r := range d.policyOrder {
		out[r.id] = true
	}
	return out
}

// exactly reports whether policy id stands exactly where position says among the policies
// of its zone pair: first or last, or directly below or above the policy it names.
func (o order) exactly(id int, position string) bool {
	i := o.index(id)
	if i < 0 {
		return false
	}
	me := o[i]
	var pair order
	for _, r := range o {
		if r.from == me.from && r.to == me.to {
			pair = append(pair, r)
		}
	}
	if above, below, two := strings.Cut(position, ","); two {
		// Parse's form, both neighbours (vpn.PositionHolds).
		return o.exactly(id, above) && o.exactly(id, below)
	}
	j := pair.index(id)
	switch {
	case strings.HasPrefix(position, "before:"):
		n, _ := strconv.Atoi(strings.TrimPrefix(position, "before:"))
		return j+1 < len(pair) && pair[j+1].id == n
	case strings.HasPrefix(position, "after:"):
		n, _ := strconv.Atoi(strings.TrimPrefix(position, "after:"))
		return j > 0 && pair[j-1].id == n
	}
	return o.holds(id, position)
}
