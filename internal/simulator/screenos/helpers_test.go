package screenos

import (
	"os"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

const testUser, testPass = "netscreen", "netscreen"

// local is an engine driven in-process, one session typing lines.
type local struct {
	t   *testing.T
	eng simulator.Engine
	s   simulator.CLISession
}

func newLocal(t *testing.T, model, initial string) *local {
	t.Helper()
	srv, err := simulator.New(simulator.Options{Platform: "screenos", Username: testUser, Password: testPass, InitialConfig: initial})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	eng := srv.Engine()
	if model != "" && !SetModel(eng, model) {
		t.Fatalf("SetModel(%q)", model)
	}
	return &local{t: t, eng: eng, s: eng.NewSession(simulator.SessionInfo{User: "netscreen"})}
}

// run types a line and returns its output.
func (l *local) run(line string) string {
	out, _ := l.s.Exec(line)
	return out
}

// ok types lines that must succeed (print nothing).
func (l *local) ok(lines ...string) {
	l.t.Helper()
	for _, line := range lines {
		if out := l.run(line); out != "" {
			l.t.Fatalf("%s -> %q (prompt %q)", line, out, l.s.Prompt())
		}
	}
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func mustContain(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
}
