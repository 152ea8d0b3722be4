package junos

import (
	"os"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

// newServer is a Junos simulator (not listening) for driving sessions in-process.
func newServer(t *testing.T, initial string) *simulator.Server {
	t.Helper()
	srv, err := simulator.New(simulator.Options{Platform: "junos", Hostname: "srx", Username: "admin", Password: "pw", InitialConfig: initial})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

type term struct {
	t *testing.T
	s *session
}

func open(t *testing.T, srv *simulator.Server, user string) *term {
	t.Helper()
	s := srv.Engine().NewSession(simulator.SessionInfo{User: user, Interactive: true, Rows: 24}).(*session)
	t.Cleanup(s.CloseSession)
	return &term{t: t, s: s}
}

// do types one line and returns its output.
func (tm *term) do(line string) string {
	tm.t.Helper()
	out, _ := tm.s.Exec(line)
	return out
}

// ok types a line that must print nothing.
func (tm *term) ok(line string) {
	tm.t.Helper()
	if out := tm.do(line); out != "" {
		tm.t.Fatalf("%q printed:\n%s", line, out)
	}
}

// want types a line whose output must equal want.
func (tm *term) want(line, want string) {
	tm.t.Helper()
	if out := tm.do(line); out != want {
		tm.t.Fatalf("%q printed:\n%s\nwant:\n%s", line, out, want)
	}
}

// load pastes text through `load <kind> terminal` and Ctrl-D.
func (tm *term) load(kind, text string) string {
	tm.t.Helper()
	tm.want("load "+kind+" terminal", "[Type ^D at a new line to end input]\n")
	if p := tm.s.Prompt(); p != "" {
		tm.t.Fatalf("prompt while loading: %q", p)
	}
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		tm.ok(l)
	}
	out, handled := tm.s.EndOfInput()
	if !handled {
		tm.t.Fatal("Ctrl-D not handled while loading")
	}
	return out
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
