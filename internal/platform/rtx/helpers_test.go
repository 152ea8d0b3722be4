package rtx

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/flatconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

var update = flag.Bool("update", false, "rewrite golden files")

// p is the dialect bound to an RTX1210 on a firmware with rollback timer.
var p = mustBind(vpn.Facts{Model: "RTX1210", Version: "Rev.14.01.42"}, map[string]string{OptionAdministratorPassword: "adm1n-Pw"})

func mustBind(f vpn.Facts, opts map[string]string) *RTX {
	b, err := (&RTX{limits: unknownModel}).Bind(f, opts)
	if err != nil {
		panic(err)
	}
	return b.(*RTX)
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// golden compares got with testdata/name, rewriting it with -update.
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
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file:\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

func marshal(t *testing.T, cfg *vpn.Config) string {
	t.Helper()
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

func parse(t *testing.T, text string) *vpn.Config {
	t.Helper()
	cfg, err := p.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// stepsText prints steps one a line: the command, then `undo:` and `leave:` lines indented.
func stepsText(steps []platform.Step) string {
	var b strings.Builder
	for _, s := range steps {
		b.WriteString(s.Do.Line + "\n")
		for _, u := range s.Undo {
			b.WriteString("    undo: " + u.Line + "\n")
		}
		for _, l := range s.Leave {
			b.WriteString("    leave: " + l.Line + "\n")
		}
	}
	return b.String()
}

// listing renders cfg onto an empty device and prints it the way `show config` lists it.
func listing(t *testing.T, cfg *vpn.Config) string {
	t.Helper()
	es, err := (&renderer{cfg: cfg, dev: newDeviceState(nil)}).entries()
	if err != nil {
		t.Fatal(err)
	}
	return syntax.Format(es)
}

// store is a tiny RTX line store for checking steps: a line whose key (the syntax's Key
// words) is already there replaces it, `no KEY...` removes the line with that key, `tunnel
// select N` / `tunnel select none` switch the context, and the global IPsec lines are kept at
// the top level wherever they are typed. It is no simulator: it checks that steps and their
// undo land where they should.
type store struct {
	es  []flatconf.Entry
	ctx [][]string
}

func newStore(t *testing.T, text string) *store {
	t.Helper()
	es, err := deviceEntries(text)
	if err != nil {
		t.Fatal(err)
	}
	s := &store{}
	for _, e := range es {
		if !e.Negated {
			s.es = append(s.es, flatconf.Entry{Context: e.Context, Words: e.Words})
		}
	}
	return s
}

func sameCtx(a, b [][]string) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func (s *store) apply(t *testing.T, line string) {
	t.Helper()
	w, err := syntax.Quoter.Split(line)
	if err != nil || len(w) == 0 {
		t.Fatalf("cannot split %q: %v", line, err)
	}
	if line == "tunnel select none" {
		s.ctx = nil
		return
	}
	if len(w) == 3 && w[0] == "tunnel" && w[1] == "select" {
		s.ctx = [][]string{w}
		return
	}
	if line == "bgp configure refresh" || line == "save" {
		return
	}
	neg := w[0] == "no"
	if neg {
		w = w[1:]
	}
	e := flatconf.Entry{Context: s.ctx, Words: w}
	if globalInBlock(w) {
		e.Context = nil
	}
	for i, x := range s.es {
		if !sameCtx(x.Context, e.Context) {
			continue
		}
		if strings.Join(keyOf(x), "\x00") == strings.Join(keyOf(e), "\x00") {
			if neg {
				s.es = append(s.es[:i], s.es[i+1:]...)
			} else {
				s.es[i] = e
			}
			return
		}
	}
	if neg {
		return // `no` of an absent line is accepted silently
	}
	s.es = append(s.es, e)
}

func (s *store) listing() string {
	var es []flatconf.Entry
	for _, e := range s.es { // the tunnel blocks' lines together, as the device lists them
		if len(e.Context) == 0 {
			es = append(es, e)
		}
	}
	blocks := map[string]bool{}
	for _, e := range s.es {
		if len(e.Context) > 0 && !blocks[fmt.Sprint(e.Context)] {
			blocks[fmt.Sprint(e.Context)] = true
			for _, x := range s.es {
				if sameCtx(x.Context, e.Context) {
					es = append(es, x)
				}
			}
		}
	}
	return syntax.Format(es)
}

// applySteps runs the steps' Do lines, then, when undo is set, every Undo in reverse.
func applySteps(t *testing.T, s *store, steps []platform.Step, undo bool) {
	t.Helper()
	for _, st := range steps {
		s.apply(t, st.Do.Line)
	}
	if s.ctx != nil {
		t.Fatalf("the steps leave the session in %v", s.ctx)
	}
	if !undo {
		return
	}
	for i := len(steps) - 1; i >= 0; i-- {
		for _, u := range steps[i].Undo {
			s.apply(t, u.Line)
		}
		if s.ctx != nil {
			t.Fatalf("the undo of %q leaves the session in %v", steps[i].Do.Line, s.ctx)
		}
	}
}

// secrets lists every secret of cfg by object, for comparisons (JSON leaves them out).
func secrets(cfg *vpn.Config) string {
	var b strings.Builder
	for _, o := range cfg.Objects() {
		for _, s := range vpn.Secrets(o) {
			fmt.Fprintf(&b, "%s %s: %s\n", o.Kind(), o.Key(), s)
		}
	}
	return b.String()
}

// canon is a listing as a sorted list of lines with their contexts: the device decides the
// order it lists lines in, the store appends.
func canon(t *testing.T, listing string) string {
	t.Helper()
	es, err := deviceEntries(listing)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, fmt.Sprint(e.Context)+" "+strings.Join(e.Words, " "))
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}
