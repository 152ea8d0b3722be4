package screenos

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/flatconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustParse(t *testing.T, p *ScreenOS, text string) *vpn.Config {
	t.Helper()
	cfg, err := p.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func jsonOf(t *testing.T, cfg *vpn.Config) string {
	t.Helper()
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

func bound(t testing.TB, opts map[string]string) *ScreenOS {
	t.Helper()
	p, err := (&ScreenOS{}).Bind(vpn.Facts{Platform: Name, Version: "6.3.0r13.0"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p.(*ScreenOS)
}

// fakeDevice applies typed lines the way ScreenOS does, from the facts of the reference: each
// line at once, one-line forms of the vrouter and protocol bgp contexts, the policy context typed as a block (`set policy id N` ... `exit`), a line with a
// known identity replacing the old one, an unset removing its line and, for the lines that
// own others (`unset vpn "X"`), those too. It refuses an unset of what is not there, the way
// the device reports a missing object. It is the test's own reading, not the simulator.
type fakeDevice struct {
	inPolicy []string // the policy context typed lines are in (`set policy id N` ... `exit`)
	entries  []flatconf.Entry
	bgpAS    map[string]string
	lines    []string
}

func newFake(t testing.TB, text string) *fakeDevice {
	es, err := parseEntries(text)
	if err != nil {
		t.Fatal(err)
	}
	d := &fakeDevice{entries: es, bgpAS: map[string]string{}}
	for _, e := range es {
		if len(e.Context) == 2 && e.Context[1][0] == "protocol" {
			d.bgpAS[e.Context[0][1]] = e.Context[1][2]
		}
	}
	return d
}

// unfold reads a typed one-line command into an entry.
func (d *fakeDevice) unfold(line string) (flatconf.Entry, bool, error) {
	toks, err := quoter{}.Split(line)
	if err != nil {
		return flatconf.Entry{}, false, err
	}
	neg := toks[0] == "unset"
	toks = toks[1:]
	var ctx [][]string
	if len(toks) > 2 && toks[0] == "vrouter" {
		vr := toks[1]
		ctx = append(ctx, []string{"vrouter", vr})
		toks = toks[2:]
		if len(toks) >= 2 && toks[0] == "protocol" && toks[1] == "bgp" {
			if len(toks) == 3 && !neg && toks[2] != "enable" {
				d.bgpAS[vr] = toks[2] // the opener
				return flatconf.Entry{Context: ctx, Words: toks}, neg, nil
			}
			ctx = append(ctx, []string{"protocol", "bgp", d.bgpAS[vr]})
			toks = toks[2:]
		}
	}
	if d.inPolicy != nil {
		ctx = append(ctx, d.inPolicy)
	}
	return flatconf.Entry{Context: ctx, Words: syntax.Rewrite(toks)}, neg, nil
}

func ctxKey(ctx [][]string) string {
	var parts []string
	for _, c := range ctx {
		parts = append(parts, strings.Join(c, " "))
	}
	return strings.Join(parts, "/")
}

func (d *fakeDevice) apply(line string) error {
	d.lines = append(d.lines, line)
	if f := strings.Fields(line); len(f) == 6 && f[0] == "set" && f[1] == "policy" && f[2] == "move" {
		return d.move(f[3], f[5], f[4] == "after")
	}
	if line == "exit" {
		d.inPolicy = nil
		return nil
	}
	if f := strings.Fields(line); len(f) == 4 && f[0] == "set" && f[1] == "policy" && f[2] == "id" {
		d.inPolicy = f[1:]
		return nil
	}
	e, neg, err := d.unfold(line)
	if err != nil {
		return err
	}
	if len(e.Words) == 3 && e.Words[0] == "protocol" {
		return nil
	}
	if neg {
		if len(e.Words) == 0 && len(e.Context) == 2 { // unset vrouter X protocol bgp
			var kept []flatconf.Entry
			for _, x := range d.entries {
				if ctxKey(x.Context) != ctxKey(e.Context) {
					kept = append(kept, x)
				}
			}
			d.entries = kept
			return nil
		}
		found := false
		var kept []flatconf.Entry
		for _, x := range d.entries {
			owned := len(e.Context) == 0 && len(e.Words) == 3 && e.Words[0] == "policy" && ctxKey(x.Context) == strings.Join(e.Words, " ")
			if owned || !x.Negated && ctxKey(x.Context) == ctxKey(e.Context) && hasPrefix(x.Words, e.Words) {
				found = true
				continue
			}
			kept = append(kept, x)
		}
		if !found {
			return &platform.DeviceError{Command: line, Message: "entry not found"}
		}
		d.entries = kept
		return nil
	}
	id := syntax.Identity(e)
	for i, x := range d.entries {
		if syntax.Identity(x) == id {
			d.entries[i] = e
			return nil
		}
	}
	d.entries = append(d.entries, e)
	return nil
}

func hasPrefix(w, p []string) bool {
	if len(p) > len(w) {
		return false
	}
	for i := range p {
		if w[i] != p[i] {
			return false
		}
	}
	return true
}

func (d *fakeDevice) listing() string { return syntax.Format(d.entries) }

// applySteps runs platform steps on d the way the device layer does: on the first refused
// step, the applied steps' undo in reverse order.
func (d *fakeDevice) applySteps(steps []platform.Step) error {
	var done []platform.Step
	for _, st := range steps {
		if err := d.apply(st.Do.Line); err != nil {
			for i := len(done) - 1; i >= 0; i-- {
				for _, u := range done[i].Undo {
					if uerr := d.apply(u.Line); uerr != nil {
						return uerr
					}
				}
			}
			return err
		}
		done = append(done, st)
	}
	return nil
}

func (d *fakeDevice) isPolicy(e flatconf.Entry, id string) bool {
	if len(e.Context) == 0 {
		return len(e.Words) > 3 && e.Words[0] == "policy" && e.Words[1] == "id" && e.Words[2] == id
	}
	return len(e.Context) == 1 && ctxKey(e.Context) == "policy id "+id
}

// move moves policy id's lines before (or after) policy target's.
func (d *fakeDevice) move(id, target string, after bool) error {
	var mine, rest []flatconf.Entry
	for _, e := range d.entries {
		if d.isPolicy(e, id) {
			mine = append(mine, e)
		} else {
			rest = append(rest, e)
		}
	}
	at := -1
	for i, e := range rest {
		if d.isPolicy(e, target) {
			if at < 0 || after {
				at = i
			}
		}
	}
	if len(mine) == 0 || at < 0 {
		return &platform.DeviceError{Command: "set policy move " + id, Message: "policy not found"}
	}
	if after {
		at++
	}
	d.entries = append(append(append([]flatconf.Entry(nil), rest[:at]...), mine...), rest[at:]...)
	return nil
}
