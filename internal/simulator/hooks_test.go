package simulator

import (
	"sync/atomic"
	"testing"
	"time"
)

// hookEngine is a minimal engine whose sessions implement EndOfInputer and SessionCloser.
type hookEngine struct{ closed atomic.Int32 }

var lastHookEngine atomic.Pointer[hookEngine]

func init() {
	RegisterEngine("hooktest", "hook", func(EngineConfig) (Engine, error) {
		e := &hookEngine{}
		lastHookEngine.Store(e)
		return e, nil
	})
}

func (e *hookEngine) ServerVersion() string             { return "SSH-2.0-HookTest_1.0" }
func (e *hookEngine) RunningConfig() string             { return "" }
func (e *hookEngine) SavedConfig() string               { return "" }
func (e *hookEngine) Apply(...string) error             { return nil }
func (e *hookEngine) Close()                            {}
func (e *hookEngine) NewSession(SessionInfo) CLISession { return &hookSession{e: e} }

type hookSession struct {
	e       *hookEngine
	reading bool
	lines   int
}

func (s *hookSession) Banner() string { return "" }
func (s *hookSession) Prompt() string {
	if s.reading {
		return ""
	}
	return "hook> "
}
func (s *hookSession) Exec(line string) (string, bool) {
	switch {
	case s.reading:
		s.lines++
		return "", false
	case line == "read":
		s.reading = true
		return "reading until ^D\n", false
	case line == "exit":
		return "", true
	}
	return "?\n", false
}
func (s *hookSession) EndOfInput() (string, bool) {
	if !s.reading {
		return "", false
	}
	s.reading = false
	n := s.lines
	s.lines = 0
	return "got " + string(rune('0'+n)) + " lines\n", true
}
func (s *hookSession) CloseSession() { s.e.closed.Add(1) }

// Ctrl-D on an empty line goes to a session that handles it; otherwise it is `exit`. The
// core reports the end of every SSH session once.
func TestSessionHooks(t *testing.T) {
	srv, err := New(Options{Platform: "hooktest", Username: coreUser, Password: corePass})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	eng := lastHookEngine.Load()
	tm := openTerm(t, dialCore(t, srv))
	tm.until(`hook> $`)
	tm.send("read\r")
	tm.until(`reading until \^D\r\n$`)
	tm.send("a\rb\r\x04")
	tm.until(`got 2 lines\r\nhook> $`)
	tm.send("\x04") // not reading: exit
	tm.waitEOF()
	deadline := time.Now().Add(5 * time.Second)
	for eng.closed.Load() != 1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := eng.closed.Load(); n != 1 {
		t.Fatalf("CloseSession called %d times", n)
	}
}
