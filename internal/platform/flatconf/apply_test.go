package flatconf

import (
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"

	"fmt"
	"sort"
	"strings"
	"testing"
)

// fakeDevice applies typed lines the way a flat CLI does: each line at once, a line with a
// known key replacing the old value, a negated line removing its line (and, for an Owns
// command, the lines under its key). It refuses a line that uses an object no line defines,
// and a delete that leaves a line using an object nothing defines any more, so that steps in
// the wrong order fail like they would on the device.
type fakeDevice struct {
	s     *Syntax
	state []Entry
	ctx   [][]string
}

func (d *fakeDevice) apply(line string) error {
	s := d.s
	if s.isClose(line) {
		if len(d.ctx) > 0 {
			d.ctx = d.ctx[:len(d.ctx)-1]
		}
		return nil
	}
	toks, err := s.Quoter.Split(line)
	if err != nil {
		return err
	}
	negated := false
	switch {
	case s.Verb != "" && toks[0] == s.Verb:
		toks = toks[1:]
	case s.Verb != "" && toks[0] == s.NoVerb, s.Verb == "" && toks[0] == s.NoVerb:
		toks, negated = toks[1:], true
	}
	if c := s.context(toks); c != nil && !negated {
		if c.Indented && len(d.ctx) > 0 { // `tunnel select 2` switches tunnels
			d.ctx = d.ctx[:0]
		}
		d.ctx = append(d.ctx, toks)
		return nil
	}
	ctx := append([][]string(nil), d.ctx...)
	// One-line forms: the folded context words come first.
	for again := true; again; {
		again = false
		for _, c := range s.Contexts {
			if c.Fold > 0 && c.Fold == len(pattern(c.Open)) && len(toks) > c.Fold && pattern(c.Open).Match(toks[:c.Fold]) {
				ctx = append(ctx, toks[:c.Fold])
				toks = toks[c.Fold:]
				again = true
			}
		}
	}
	if len(ctx) == 0 {
		ctx = nil
	}
	e := Entry{Context: ctx, Words: toks}
	if negated {
		return d.remove(e)
	}
	for _, u := range s.uses(e) {
		if !d.defined(u, nil) && !containsObj(s.defines(e), u) {
			return fmt.Errorf("%q uses %v, which does not exist", line, u)
		}
	}
	id := s.identity(e)
	for i, x := range d.state {
		if s.identity(x) == id && !x.Negated {
			d.state[i] = e
			return nil
		}
	}
	d.state = append(d.state, e)
	return nil
}

func (d *fakeDevice) remove(key Entry) error {
	s := d.s
	var gone, kept []Entry
	owner := false
	for _, x := range d.state {
		if ctxID(x.Context) == ctxID(key.Context) && strings.Join(s.key(x), "\x00") == strings.Join(key.Words, "\x00") {
			if c := s.command(x); c != nil && c.Owns {
				owner = true
			}
		}
	}
	for _, x := range d.state {
		same := ctxID(x.Context) == ctxID(key.Context)
		if same && (owner && setconf.HasPrefix(x.Words, key.Words) || strings.Join(s.key(x), "\x00") == strings.Join(key.Words, "\x00")) {
			gone = append(gone, x)
		} else {
			kept = append(kept, x)
		}
	}
	if len(gone) == 0 {
		return fmt.Errorf("nothing to delete for %s", key)
	}
	for _, x := range kept {
		for _, u := range s.uses(x) {
			if !d.definedIn(u, kept) {
				return fmt.Errorf("cannot delete %s: %s uses %v", key, x, u)
			}
		}
	}
	d.state = kept
	return nil
}

func (d *fakeDevice) defined(o object, _ []Entry) bool { return d.definedIn(o, d.state) }

func (d *fakeDevice) definedIn(o object, es []Entry) bool {
	for _, x := range es {
		if containsObj(d.s.defines(x), o) {
			return true
		}
	}
	// Objects that no line of the table defines (a physical interface) always exist.
	for _, c := range d.s.Commands {
		if c.Defines != nil && c.Defines.Kind == o.kind {
			return false
		}
	}
	for _, c := range d.s.Contexts {
		if c.Kind == o.kind {
			return false
		}
	}
	return true
}

func containsObj(list []object, o object) bool {
	for _, x := range list {
		if x == o {
			return true
		}
	}
	return false
}

func (d *fakeDevice) run(lines []string) error {
	for _, l := range lines {
		if err := d.apply(l); err != nil {
			return err
		}
	}
	return nil
}

// set is the device's state as a sorted list, order-free.
func set(s *Syntax, es []Entry) string {
	var out []string
	for _, e := range es {
		out = append(out, e.String())
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// The steps, applied in order to a device that checks references, give the second version;
// after steps 1..k, undoing them in reverse leaves the first version, and so does a failure
// at step k+1 part way through its context block, once its Leave lines have run.
func TestStepsApplyAndUndo(t *testing.T) {
	for _, c := range []struct {
		name     string
		s        *Syntax
		from, to string
	}{
		{"screenos", screenOS(), "screenos_seed000.txt", "screenos_v2.txt"},
		{"rtx", rtx(), "rtx_v1.txt", "rtx_v2.txt"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v1, v2 := parse(t, c.s, c.from), parse(t, c.s, c.to)
			steps := c.s.Diff(v1, managed(c.s, v1), managed(c.s, v2))
			for k := 0; k <= len(steps); k++ {
				d := &fakeDevice{s: c.s, state: stripLines(v1)}
				for i := 0; i < k; i++ {
					if err := d.run(steps[i].Do); err != nil {
						t.Fatalf("step %d: %v", i+1, err)
					}
				}
				if k == len(steps) && set(c.s, d.state) != set(c.s, v2) {
					t.Errorf("after every step:\n%s\nwant\n%s", set(c.s, d.state), set(c.s, v2))
				}
				for i := k - 1; i >= 0; i-- {
					if err := d.run(steps[i].Undo); err != nil {
						t.Fatalf("undo of step %d after %d steps: %v", i+1, k, err)
					}
				}
				if set(c.s, d.state) != set(c.s, v1) {
					t.Errorf("undone after %d steps:\n%s\nwant\n%s", k, set(c.s, d.state), set(c.s, v1))
				}
				if k == len(steps) {
					continue
				}
				// Step k+1 fails at its command, after opening its contexts: Leave takes the
				// session back to the top level, and the undo of the steps before restores v1.
				d = &fakeDevice{s: c.s, state: stripLines(v1)}
				for i := 0; i < k; i++ {
					if err := d.run(steps[i].Do); err != nil {
						t.Fatalf("step %d: %v", i+1, err)
					}
				}
				for _, l := range steps[k].Do {
					toks, _ := c.s.Quoter.Split(l)
					if c.s.context(toks) == nil {
						break // the command fails
					}
					if err := d.apply(l); err != nil {
						t.Fatal(err)
					}
				}
				if err := d.run(steps[k].Leave); err != nil || len(d.ctx) != 0 {
					t.Fatalf("step %d failed and Leave %q left the session in %q (%v)", k+1, steps[k].Leave, d.ctx, err)
				}
				for i := k - 1; i >= 0; i-- {
					if err := d.run(steps[i].Undo); err != nil {
						t.Fatalf("undo of step %d after step %d failed: %v", i+1, k+1, err)
					}
				}
				if set(c.s, d.state) != set(c.s, v1) {
					t.Errorf("undone after step %d failed:\n%s", k+1, set(c.s, d.state))
				}
			}
			// In reverse order the device refuses a step: the ordering is what makes the
			// steps go through.
			var rev []Step
			for i := len(steps) - 1; i >= 0; i-- {
				rev = append(rev, steps[i])
			}
			d := &fakeDevice{s: c.s, state: stripLines(v1)}
			failed := false
			for _, st := range rev {
				if d.run(st.Do) != nil {
					failed = true
					break
				}
			}
			if !failed {
				t.Error("the steps in reverse order went through: the fake device checks nothing")
			}
		})
	}
}

// The steps handed to the device layer behave like the steps they come from: applied one
// command at a time by the device layer's Immediate protocol (on a refused command: its
// Leave, then the Undo of the commands already applied, last first), a refusal at any
// command leaves the first version.
func TestPlatformStepsUndoFromAnyRefusal(t *testing.T) {
	for _, c := range []struct {
		name     string
		s        *Syntax
		from, to string
	}{
		{"screenos", screenOS(), "screenos_seed000.txt", "screenos_v2.txt"},
		{"rtx", rtx(), "rtx_v1.txt", "rtx_v2.txt"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v1, v2 := parse(t, c.s, c.from), parse(t, c.s, c.to)
			steps := c.s.PlatformSteps(c.s.Diff(v1, managed(c.s, v1), managed(c.s, v2)))
			undos := 0
			for _, st := range steps {
				if len(st.Undo) > 0 {
					undos++
				}
			}
			if undos == 0 {
				t.Fatal("no step carries an undo")
			}
			for refused := 0; refused <= len(steps); refused++ {
				d := &fakeDevice{s: c.s, state: stripLines(v1)}
				for i := 0; i < refused; i++ {
					if err := d.apply(steps[i].Do.Line); err != nil {
						t.Fatalf("command %d %q: %v", i+1, steps[i].Do.Line, err)
					}
				}
				if refused == len(steps) {
					if set(c.s, d.state) != set(c.s, v2) {
						t.Errorf("after every command:\n%s\nwant\n%s", set(c.s, d.state), set(c.s, v2))
					}
					continue
				}
				for _, l := range steps[refused].Leave {
					if err := d.apply(l.Line); err != nil {
						t.Fatalf("leave %q: %v", l.Line, err)
					}
				}
				for i := refused - 1; i >= 0; i-- {
					for _, u := range steps[i].Undo {
						if err := d.apply(u.Line); err != nil {
							t.Fatalf("undo %q after command %d was refused: %v", u.Line, refused+1, err)
						}
					}
				}
				if len(d.ctx) != 0 || set(c.s, d.state) != set(c.s, v1) {
					t.Errorf("command %d refused: left in %q with\n%s\nwant\n%s", refused+1, d.ctx, set(c.s, d.state), set(c.s, v1))
				}
			}
		})
	}
}
