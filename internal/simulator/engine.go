package simulator

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// Engine is one simulated device: it owns the shared device state (running and saved
// configuration) and creates a CLI session per SSH session channel. Implementations must be
// safe for concurrent use by several sessions and by the control API.
type Engine interface {
	// ServerVersion is the SSH identification string the device sends.
	ServerVersion() string
	// NewSession creates the CLI state of one SSH session channel (shell or exec).
	NewSession(info SessionInfo) CLISession
	// RunningConfig prints the active configuration the way the device reads it back.
	RunningConfig() string
	// SavedConfig prints the saved (boot) configuration in the same format.
	SavedConfig() string
	// Apply changes the running and the saved configuration directly.
	Apply(lines ...string) error
	// Close stops the engine's timers. It is called once when the server closes.
	Close()
}

// SessionInfo describes the SSH session a CLISession serves.
type SessionInfo struct {
	User        string
	RemoteAddr  string
	Interactive bool // a shell with a pty; false for exec channels
	Rows        int  // terminal height from pty-req, 0 when unknown
}

// CLISession is the per-SSH-session command interpreter. It is used by one goroutine.
type CLISession interface {
	// Banner is printed once when an interactive shell starts.
	Banner() string
	// Prompt is printed after the banner and after each command's output.
	Prompt() string
	// Exec runs one input line and returns its output ("\n" line ends) and whether the
	// session must be closed afterwards.
	Exec(line string) (output string, closeSession bool)
}

// Pager is implemented by sessions whose long output is paged on interactive shells.
type Pager interface {
	// PageLength is the number of lines per page for the output of the last Exec, 0 for none.
	PageLength() int
	// PagerPrompt is shown while the pager waits for a key.
	PagerPrompt() string
}

// Segment is a piece of the output of one Exec. Page > 0 makes an interactive shell page it:
// Page lines, then Prompt while waiting for a key (space: next page, Enter: next line, q:
// quit); the pager returns by itself after the last line.
type Segment struct {
	Text   string
	Page   int
	Prompt string
}

// Segmenter is implemented by sessions whose output of one Exec is made of parts paged
// separately (`show configuration commands; echo END` pages the configuration, then prints
// END). It takes precedence over Pager.
type Segmenter interface {
	// Segments is the output of the last Exec, in order; their texts joined are what Exec
	// returned.
	Segments() []Segment
}

// LineEditor is implemented by sessions that shape how the interactive shell reads a line.
type LineEditor interface {
	// Echo reports whether typed characters are echoed (`stty -echo` turns it off).
	Echo() bool
	// Incomplete reports whether the shell waits for more input after text (an open quote,
	// a trailing backslash or pipe); the next line is then joined with "\n".
	Incomplete(text string) bool
	// ContinuationPrompt is printed while waiting for the rest of an incomplete command.
	ContinuationPrompt() string
	// HelpKey reports whether r is bound to completion help instead of being inserted, and
	// Help returns the help text printed for the line typed so far; the shell then prints the
	// prompt and the line again.
	HelpKey(r rune) bool
	Help(line string) string
}

// Asker is implemented by sessions whose commands ask for a line of input, such as a
// password (RTX `administrator` then `Password:`) or a confirmation ("Save new configuration ?
// (Y/N)"). After each Exec or Answer the shell calls Question; while one is pending it prints
// the question's prompt instead of Prompt, reads the next line and passes it to Answer instead
// of Exec. A hidden answer is not echoed (a line end is printed after it, as getpass does),
// is not written to the command log and is never matched by FailCommand rules; Ctrl-C asks
// the same question again. On exec channels the next line of the command is the answer.
type Asker interface {
	// Question returns the pending question: the prompt to print and whether the answer is
	// hidden; ok is false when none is pending.
	Question() (prompt string, hidden, ok bool)
	// Answer receives the line typed at the question and returns its output and whether the
	// session must be closed, as Exec does.
	Answer(line string) (output string, closeSession bool)
}

// EndOfInputer is implemented by sessions that give Ctrl-D on an empty line a meaning of their
// own (Junos ends `load set terminal` input with it). When handled is false the shell treats
// Ctrl-D as `exit`, as it does for other sessions; otherwise it prints output and the prompt.
type EndOfInputer interface {
	EndOfInput() (output string, handled bool)
}

// SessionCloser is implemented by sessions that hold device state beyond their own, such as
// a configuration lock; the core calls CloseSession once when the SSH session ends.
type SessionCloser interface {
	CloseSession()
}

// Failer is implemented by sessions that can tell whether the last Exec failed; exec
// channels then exit with status 1.
type Failer interface {
	LastFailed() bool
}

// EngineConfig is what an engine factory receives.
type EngineConfig struct {
	Hostname      string
	InitialConfig string
	Controls      *Controls
	// Options are the platform's own options (Options.EngineOptions, `simulate --option
	// NAME=VALUE`); nil when none were given.
	Options map[string]string
}

// EngineFactory creates an engine for one server.
type EngineFactory func(cfg EngineConfig) (Engine, error)

var (
	enginesMu sync.RWMutex
	engines   = map[string]EngineFactory{}
	// defaultHostnames are the factory default host names per platform.
	defaultHostnames = map[string]string{}
)

// RegisterEngine makes a platform available to New and Main. defaultHostname is used when
// Options.Hostname is empty.
func RegisterEngine(platform, defaultHostname string, f EngineFactory) {
	enginesMu.Lock()
	defer enginesMu.Unlock()
	if _, dup := engines[platform]; dup {
		panic("simulator: duplicate engine " + platform)
	}
	engines[platform] = f
	defaultHostnames[platform] = defaultHostname
}

// Platforms lists the registered platform names, sorted.
func Platforms() []string {
	enginesMu.RLock()
	defer enginesMu.RUnlock()
	out := make([]string, 0, len(engines))
	for n := range engines {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func lookupEngine(platform string) (EngineFactory, string, error) {
	enginesMu.RLock()
	defer enginesMu.RUnlock()
	f, ok := engines[platform]
	if !ok {
		return nil, "", fmt.Errorf("simulator: unknown platform %q (known: %s)", platform, strings.Join(platformsLocked(), ", "))
	}
	return f, defaultHostnames[platform], nil
}

func platformsLocked() []string {
	out := make([]string, 0, len(engines))
	for n := range engines {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Controls holds the runtime-adjustable faults, delays and counters shared by the server and
// its engine. All methods are goroutine-safe.
type Controls struct {
	mu           sync.Mutex
	latency      time.Duration
	commitDelay  time.Duration
	commitFail   *string
	dropLeft     int    // commands left before the connection is dropped; 0 = disabled
	partitionAt  string // command line that cuts the device off (PartitionAt); "" = none
	partitionRan bool   // PartitionAt cuts off after the line ran
	partitioned  bool   // cut off: new connections are closed before the handshake
	dropAt       string // command line at which the connection drops once (DropAt)
	dropAtRan    bool   // DropAt drops after the line ran
	failRules    []failRule
	lockHolder   string // user holding the configuration lock (HoldLock); "" = none
	maxSessions  int
	padding      int // bytes of extra configuration lines in configuration listings
	commits      int
	saves        int
	done         chan struct{}
	// commitSlot is held for the time of a commit or save: a device writes its configuration
	// database and its flash one commit at a time.
	commitSlot sync.Mutex
}

type failRule struct {
	substr, message string
	once            bool // the rule is removed after its first match
}

func newControls() *Controls { return &Controls{done: make(chan struct{})} }

// CommitDelay is the time a commit takes before it answers.
func (c *Controls) CommitDelay() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.commitDelay
}

// OutputPadding is the number of extra bytes of valid configuration lines the device adds to
// its configuration listing (SetOutputPadding); 0 for none.
func (c *Controls) OutputPadding() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.padding
}

// TakeCommitFailure returns and clears the message of a FailNextCommit.
func (c *Controls) TakeCommitFailure() (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.commitFail == nil {
		return "", false
	}
	m := *c.commitFail
	c.commitFail = nil
	return m, true
}

// CountCommit records a successful commit.
func (c *Controls) CountCommit() { c.mu.Lock(); c.commits++; c.mu.Unlock() }

// CountSave records a save.
func (c *Controls) CountSave() { c.mu.Lock(); c.saves++; c.mu.Unlock() }

// CommitWait takes the time of one commit or save (CommitDelay). A device runs them one at a
// time, so a commit or save of another session waits for the one in progress. It reports
// whether the full time elapsed (false: the server closed).
func (c *Controls) CommitWait() bool {
	d := c.CommitDelay()
	if d <= 0 {
		return true
	}
	c.commitSlot.Lock()
	defer c.commitSlot.Unlock()
	return c.Sleep(d)
}

// Sleep waits for d or until the server closes; it reports whether the full time elapsed.
func (c *Controls) Sleep(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-c.done:
		return false
	}
}

// Done is closed when the server closes.
func (c *Controls) Done() <-chan struct{} { return c.done }

func (c *Controls) getLatency() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.latency
}

// tickDrop counts one executed command and reports whether the connection must be dropped
// after it.
func (c *Controls) tickDrop() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dropLeft <= 0 {
		return false
	}
	c.dropLeft--
	return c.dropLeft == 0
}

// matchFailure returns the message of the first rule whose substring line contains,
// removing it when it is a once-only rule.
func (c *Controls) matchFailure(line string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, r := range c.failRules {
		if strings.Contains(line, r.substr) {
			if r.once {
				c.failRules = append(c.failRules[:i:i], c.failRules[i+1:]...)
			}
			return r.message, true
		}
	}
	return "", false
}

// LockHolder is the user another session holds the configuration lock as (Server.HoldLock);
// ok is false when no such lock is injected. Engines that model a configuration lock (Junos
// `configure exclusive`, a ScreenOS or RTX administrator session) refuse to lock, or to
// change the configuration, while it is held, with the device's message naming the user.
// Engines without a lock (EdgeOS) ignore it.
func (c *Controls) LockHolder() (user string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lockHolder, c.lockHolder != ""
}
