package simulator

import (
	"strings"
	"sync"
)

// The test engine is a tiny line-oriented device for tests of the core. Commands:
//
//	echo WORDS        prints WORDS
//	enable            asks "Password: " (hidden); the password is "s3cret"
//	lock              takes the configuration lock, refused while another user holds it
//	set WORD          adds WORD to the configuration (needs enable)
//	commit            "ok", or the message of FailNextCommit
//	save              asks "Save configuration? (Y/N) " (echoed); Y saves
//	exit              ends the session
//
// It models a configuration lock so that Server.HoldLock can be tested at core level.
func init() { RegisterEngine("coretest", "box", newTestEngine) }

type testEngine struct {
	ctl *Controls

	mu           sync.Mutex
	config       []string
	saved        []string
	lastPassword string // what enable received, to check it arrives intact
}

func newTestEngine(cfg EngineConfig) (Engine, error) {
	e := &testEngine{ctl: cfg.Controls}
	for _, l := range strings.Split(cfg.InitialConfig, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			e.config = append(e.config, l)
		}
	}
	e.saved = append([]string(nil), e.config...)
	return e, nil
}

func (e *testEngine) ServerVersion() string { return "SSH-2.0-CoreTest_1.0" }
func (e *testEngine) RunningConfig() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return strings.Join(e.config, "\n")
}
func (e *testEngine) SavedConfig() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return strings.Join(e.saved, "\n")
}
func (e *testEngine) Apply(lines ...string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.config = append(e.config, lines...)
	e.saved = append(e.saved, lines...)
	return nil
}
func (e *testEngine) Close() {}
func (e *testEngine) NewSession(info SessionInfo) CLISession {
	return &testSession{e: e, user: info.User}
}

type testSession struct {
	e       *testEngine
	user    string
	enabled bool
	locked  bool
	// the pending question
	question string
	hidden   bool
	onAnswer func(string) string
}

func (s *testSession) Banner() string { return "core test device\n" }
func (s *testSession) Prompt() string {
	if s.enabled {
		return "box# "
	}
	return "box> "
}

func (s *testSession) ask(prompt string, hidden bool, then func(string) string) {
	s.question, s.hidden, s.onAnswer = prompt, hidden, then
}

func (s *testSession) Question() (string, bool, bool) {
	return s.question, s.hidden, s.onAnswer != nil
}

func (s *testSession) Answer(line string) (string, bool) {
	f := s.onAnswer
	s.question, s.hidden, s.onAnswer = "", false, nil
	return f(line), false
}

func (s *testSession) Exec(line string) (string, bool) {
	f := strings.Fields(line)
	if len(f) == 0 {
		return "", false
	}
	switch f[0] {
	case "echo":
		return strings.Join(f[1:], " ") + "\n", false
	case "enable":
		s.ask("Password: ", true, func(pw string) string {
			s.e.mu.Lock()
			s.e.lastPassword = pw
			s.e.mu.Unlock()
			if pw != "s3cret" {
				return "Error: wrong password\n"
			}
			s.enabled = true
			return ""
		})
		return "", false
	case "lock":
		if u, held := s.e.ctl.LockHolder(); held && u != s.user {
			return "Error: configuration locked by user " + u + "\n", false
		}
		s.locked = true
		return "", false
	case "set":
		if !s.enabled {
			return "Error: administrator mode required\n", false
		}
		s.e.mu.Lock()
		s.e.config = append(s.e.config, strings.Join(f[1:], " "))
		s.e.mu.Unlock()
		return "", false
	case "commit":
		if m, ok := s.e.ctl.TakeCommitFailure(); ok {
			return m + "\n", false
		}
		s.e.ctl.CountCommit()
		return "ok\n", false
	case "save":
		s.ask("Save configuration? (Y/N) ", false, func(a string) string {
			if a != "Y" && a != "y" {
				return "not saved\n"
			}
			s.e.mu.Lock()
			s.e.saved = append([]string(nil), s.e.config...)
			s.e.mu.Unlock()
			s.e.ctl.CountSave()
			return "saved\n"
		})
		return "", false
	case "exit":
		return "", true
	}
	return "Error: unknown command " + f[0] + "\n", false
}
