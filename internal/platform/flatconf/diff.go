package flatconf

import (
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"

	"sort"
	"strings"
)

// Step is one change that takes effect on the device at once, with the lines that take it
// back. An immediate transaction runs the steps' Do lines in order and, on the first error,
// runs the Undo lines of the steps already applied in reverse order. Each step's lines open
// and leave the contexts they need (or use the one-line form where every context folds).
type Step struct {
	Do   []string
	Undo []string
	// Leave returns the session to the top level when Do fails part way (the Close lines of
	// the contexts Do opens, innermost first); empty when Do opens none. Undo lines open and
	// leave their own contexts.
	Leave []string
}

// change is one step before it is written.
type change struct {
	op       byte    // 'd'elete, 'u'pdate, 'c'reate
	old, new Entry   // old: the device's line (delete, update); new: the model's (update, create)
	restore  []Entry // delete: the device lines the delete removes, to put back on undo
}

// Diff returns the steps that turn the device into after:
//
//   - a create for every line of after the device lacks (by identity: context and key words);
//   - an update for every line of after whose identity the device has with other words:
//     the line is typed again, and undone by typing the device's line again;
//   - a delete for every line of before that after lacks (by identity) and the device has
//     (in the same form: a line the device lists negated is not typed back), written in
//     negated form with the key words only; a line that a deleted Owns line
//     removes with it gets no delete of its own, and the undo of a delete types again every
//     device line it removes;
//   - the opener of a Create context, on its own, before the first line that needs the
//     context when no line of the device is in it.
//
// Steps are ordered by the objects lines define and use: a line comes after the creates and
// updates of what it uses, and a delete comes after the deletes and updates of the lines that
// use what it deletes (the route goes before the tunnel interface it points at; the gateway is
// created before the VPN). Otherwise deletes come first in listing order, then updates and
// creates in the order of after; a dependency cycle keeps that order. device is every entry
// of the listing (Parse); before and after are the model rendered before and after the
// change. The output is deterministic.
func (s *Syntax) Diff(device, before, after []Entry) []Step {
	devByID := map[string]Entry{}
	devExact := map[string]bool{}
	for _, e := range device {
		id := s.identity(e)
		if _, dup := devByID[id]; !dup {
			devByID[id] = e
		}
		devExact[s.exact(e)] = true
	}
	afterIDs := map[string]bool{}
	for _, e := range after {
		afterIDs[s.identity(e)] = true
	}

	var changes []change
	seen := map[string]bool{}
	// Deletes, in listing order.
	var dels []Entry
	for _, b := range before {
		id := s.identity(b)
		if afterIDs[id] || seen[id] {
			continue
		}
		seen[id] = true
		if d, ok := devByID[id]; ok && d.Negated == b.Negated {
			dels = append(dels, d)
		}
	}
	sort.SliceStable(dels, func(i, j int) bool { return dels[i].Line < dels[j].Line })
	for i, d := range dels {
		if s.coveredBy(d, dels, i) {
			continue
		}
		c := change{op: 'd', old: d}
		if cmd := s.command(d); cmd != nil && cmd.Owns {
			key := s.key(d)
			for _, e := range device {
				if ctxID(e.Context) == ctxID(d.Context) && setconf.HasPrefix(e.Words, key) {
					c.restore = append(c.restore, e)
				}
			}
		} else {
			c.restore = []Entry{d}
		}
		changes = append(changes, c)
	}
	// Updates and creates, in the order of after.
	done := map[string]bool{}
	for _, a := range after {
		x := s.exact(a)
		if devExact[x] || done[x] {
			continue
		}
		done[x] = true
		if d, ok := devByID[s.identity(a)]; ok {
			changes = append(changes, change{op: 'u', old: d, new: a})
		} else {
			changes = append(changes, change{op: 'c', new: a})
		}
	}

	// Openers of Create contexts that lines to be typed need and the device lacks.
	hasCtx := map[string]bool{}
	for _, e := range device {
		for i := range e.Context {
			hasCtx[ctxID(e.Context[:i+1])] = true
		}
	}
	var withOpeners []change
	for _, c := range changes {
		if c.op != 'd' {
			for _, i := range s.created(c.new.Context) {
				if id := ctxID(c.new.Context[:i+1]); !hasCtx[id] {
					hasCtx[id] = true
					outer := c.new.Context[:i:i]
					if len(outer) == 0 {
						outer = nil
					}
					withOpeners = append(withOpeners, change{op: 'c', new: Entry{Context: outer, Words: c.new.Context[i], opener: true}})
				}
			}
		}
		withOpeners = append(withOpeners, c)
	}
	changes = withOpeners

	var out []Step
	for _, i := range s.order(changes) {
		out = append(out, s.step(changes[i]))
	}
	return out
}

// exact is e's context, negation and all of its words.
func (s *Syntax) exact(e Entry) string {
	neg := "+"
	if e.Negated {
		neg = "-"
	}
	return ctxID(e.Context) + "\x01" + neg + strings.Join(e.Words, "\x00")
}

// coveredBy reports whether another delete of dels is an Owns line of d's context whose key
// starts d's words (so deleting it removes d).
func (s *Syntax) coveredBy(d Entry, dels []Entry, self int) bool {
	for j, o := range dels {
		if j == self || ctxID(o.Context) != ctxID(d.Context) {
			continue
		}
		if cmd := s.command(o); cmd != nil && cmd.Owns {
			k := s.key(o)
			if setconf.HasPrefix(d.Words, k) && (len(s.key(d)) > len(k) || j < self) {
				return true
			}
		}
	}
	return false
}

// order sorts the changes topologically by what they define and use; among the changes
// free to go, the earliest in the base order goes first.
func (s *Syntax) order(changes []change) []int {
	n := len(changes)
	after := make([][]int, n) // after[i]: changes that must come after i
	indeg := make([]int, n)
	edge := func(first, then int) {
		if first == then {
			return
		}
		after[first] = append(after[first], then)
		indeg[then]++
	}
	defines := func(e Entry, o object) bool {
		for _, d := range s.defines(e) {
			if d == o {
				return true
			}
		}
		return false
	}
	for i, c := range changes {
		if c.op != 'd' { // c needs what its new line uses to be there first
			for _, u := range s.uses(c.new) {
				if defines(c.new, u) {
					continue
				}
				for j, o := range changes {
					if o.op != 'd' && defines(o.new, u) {
						edge(j, i)
					}
				}
			}
		}
		if c.op != 'c' { // what c's old lines used may only go once c has changed
			olds := []Entry{c.old}
			if c.op == 'd' {
				olds = c.restore // an Owns delete removes the lines it owns too
			}
			for _, u := range s.usesAll(olds) {
				if defines(c.old, u) {
					continue
				}
				for j, o := range changes {
					if o.op == 'd' && defines(o.old, u) {
						edge(i, j)
					}
				}
			}
		}
	}
	var out []int
	placed := make([]bool, n)
	for len(out) < n {
		next := -1
		for i := 0; i < n; i++ {
			if !placed[i] && indeg[i] == 0 {
				next = i
				break
			}
		}
		if next < 0 { // a cycle: the rest in base order
			for i := 0; i < n; i++ {
				if !placed[i] {
					out = append(out, i)
					placed[i] = true
				}
			}
			break
		}
		placed[next] = true
		out = append(out, next)
		for _, j := range after[next] {
			indeg[j]--
		}
	}
	return out
}

// step writes one change.
func (s *Syntax) step(c change) Step {
	st := s.steps(c)
	e := c.new
	if c.op == 'd' {
		e = c.old
	}
	if !s.folds(e.Context) {
		for i := len(e.Context) - 1; i >= 0; i-- {
			if ctx := s.context(e.Context[i]); ctx != nil && ctx.Close != "" {
				st.Leave = append(st.Leave, ctx.Close)
			}
		}
	}
	return st
}

func (s *Syntax) steps(c change) Step {
	switch c.op {
	case 'd':
		st := Step{Do: s.typed(c.old.Context, s.key(c.old), !c.old.Negated)}
		for _, e := range c.restore {
			st.Undo = append(st.Undo, s.typed(e.Context, e.Words, e.Negated)...)
		}
		return st
	case 'u':
		return Step{Do: s.typed(c.new.Context, c.new.Words, c.new.Negated), Undo: s.typed(c.old.Context, c.old.Words, c.old.Negated)}
	}
	if c.new.opener {
		fold := len(c.new.Words)
		if ctx := s.context(c.new.Words); ctx != nil && ctx.Fold < fold {
			fold = ctx.Fold
		}
		return Step{Do: s.typed(c.new.Context, c.new.Words, false), Undo: s.typed(c.new.Context, c.new.Words[:fold], true)}
	}
	return Step{Do: s.typed(c.new.Context, c.new.Words, c.new.Negated), Undo: s.typed(c.new.Context, s.key(c.new), !c.new.Negated)}
}

// typed returns the lines that type one line in its context: the one-line form when every
// context folds, else the openers, the line and the Close lines, innermost first.
func (s *Syntax) typed(ctx [][]string, words []string, negated bool) []string {
	if s.folds(ctx) {
		var prefix []string
		for _, w := range ctx {
			prefix = append(prefix, w[:s.context(w).Fold]...)
		}
		return []string{s.line(append(prefix[:len(prefix):len(prefix)], words...), negated)}
	}
	var out []string
	for _, w := range ctx {
		out = append(out, s.line(w, false))
	}
	out = append(out, s.line(words, negated))
	for i := len(ctx) - 1; i >= 0; i-- {
		if c := s.context(ctx[i]); c != nil && c.Close != "" {
			out = append(out, c.Close)
		}
	}
	return out
}

// folds reports whether every context of ctx takes the one-line form.
func (s *Syntax) folds(ctx [][]string) bool {
	for _, w := range ctx {
		if c := s.context(w); c == nil || c.Fold <= 0 || c.Fold > len(w) {
			return false
		}
	}
	return true
}

// usesAll returns the objects any of es uses.
func (s *Syntax) usesAll(es []Entry) []object {
	var out []object
	for _, e := range es {
		out = append(out, s.uses(e)...)
	}
	return out
}
