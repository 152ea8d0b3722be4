// Package platform is the contract between the device layer and the per-vendor dialects, and
// the registry of dialects. A dialect is pure text in, text out: it renders model changes to CLI
// lines and parses configuration text back into the model. It never opens a connection.
//
// Beyond the Platform interface, a dialect may declare how its devices print secrets back
// (SecretReader, secrets.go) and take per-device options and facts (Binder, bind.go).
//
// How a device applies a batch (a candidate configuration and a commit, or lines that take
// effect at once with an undo for each step), how commands answer the device's questions and
// what a failure concerns (ErrorScope) are declared in SessionSpec.Tx; TxStrategy documents
// the contract the device layer keeps for each.
package platform

import (
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Snapshot is one read of a device's configuration: the text the device printed for
// Session().ReadConfig and the model parsed from it.
type Snapshot struct {
	Text   string
	Config *vpn.Config
}

// Platform is one vendor CLI dialect.
type Platform interface {
	// Name is the value of the provider's `platform` attribute, e.g. "edgeos".
	Name() string

	// Session describes how to drive the CLI: prompts, paging, reading the configuration
	// and the transaction commands.
	Session() SessionSpec

	// Normalize fills platform defaults into an object the user left unset (for example the
	// EdgeOS firewall ruleset of a source route). It mutates o and is idempotent.
	Normalize(o vpn.Object)

	// Validate checks what the platform can express, beyond vpn.Object.Validate: name
	// lengths, algorithms, attributes the platform has no command for. Every problem names the
	// attribute.
	Validate(o vpn.Object) vpn.Errors

	// Parse reads the text printed by Session().ReadConfig into the model. Objects the model
	// cannot represent are ignored, never an error; malformed text is an error naming the line.
	Parse(text string) (*vpn.Config, error)

	// ParseFacts reads the output of Session().Facts.
	ParseFacts(output string) vpn.Facts

	// Render returns the configuration lines that turn the device from current into desired.
	// desired is current.Config with the requested changes applied, so objects that nothing
	// changes render to no lines. The lines are pushed inside one transaction. Render is the
	// last check before the device: it rejects new or changed objects that fail
	// vpn.Object.Validate or Validate, and inconsistencies between objects, naming them.
	Render(current Snapshot, desired *vpn.Config) ([]string, error)

	// CheckOutput inspects what the device printed for one command and returns a *DeviceError
	// when it reports a failure, nil otherwise (warnings the platform treats as success, such
	// as EdgeOS "Nothing to delete", are nil).
	CheckOutput(command, output string) error

	// Redact masks secrets (pre-shared keys, passwords) in configuration text, for the
	// running_config data source and for logs.
	Redact(text string) string
}

// Deferrer is implemented by platforms on which an object of the model cannot stand on the
// device alone and is committed together with the objects that use it: an EdgeOS
// site-to-site peer is refused without a tunnel, so an IKE gateway reaches the device with its
// first vpn_tunnel. The device layer keeps such objects until they can be rendered.
type Deferrer interface {
	// Deferred returns why o, an object of desired, renders to nothing yet, or "" when it is
	// rendered.
	Deferred(o vpn.Object, desired *vpn.Config) string
}

// SessionSpec is how to drive one platform's CLI over an interactive SSH shell.
type SessionSpec struct {
	// PromptPattern is a Go regexp matching every prompt of the platform (operational and
	// configuration mode) at the end of the output. It is used with (?m).
	PromptPattern string
	// ReturnChar ends each command, "\n" for most platforms.
	ReturnChar string
	// OnOpen are sent once after login: paging off, terminal width.
	OnOpen []string
	// ReadConfig prints the whole configuration in the form Parse reads. Its output is judged
	// by CheckOutput with this command, by the rules of a read (configuration text is data:
	// words in it are never taken for a failure).
	ReadConfig string
	// EndMarker, when set, returns a command line that runs command and then prints marker
	// on a line of its own (EdgeOS: `command; echo marker`). The device layer uses it for
	// reads, with a random marker, so that the end of a long output is known for certain
	// and never guessed from a prompt-like line inside the configuration.
	EndMarker func(command, marker string) string
	// Facts prints model, version and hostname for ParseFacts.
	Facts string
	// SSH algorithms the platform's devices need beyond the SSH library's defaults (legacy
	// ones for old firmware): they are offered after the defaults, unless the device block
	// lists its own, which are used as given. Names as in golang.org/x/crypto/ssh.
	KeyExchanges, Ciphers, MACs []string
	// HostKeyAlgorithms are the host-key types the platform's devices present beyond the
	// defaults (e.g. "ssh-dss"), under the same rule.
	HostKeyAlgorithms []string
	// ExecUsable is true when the device runs a command given on the SSH exec channel (one
	// channel per command, no prompt to wait for) the way its interactive shell does. When
	// false, only the interactive shell is used.
	ExecUsable bool
	// Login is a dialog the device layer runs once at the start of each session, after the
	// first prompt and OnOpen (for example entering the administrator level with its password
	// before configuring). Empty when the CLI asks nothing.
	Login []Command
	// Tx is the transaction protocol.
	Tx TxSpec
}

// TxSpec is how a batch of changes is applied: the strategy and its commands. TxStrategy
// documents the contract the device layer keeps.
type TxSpec struct {
	// Strategy is Candidate (the zero value) or Immediate.
	Strategy TxStrategy
	// Enter puts the session in configuration mode, with the platform's lock mode where it
	// has one (EdgeOS "configure"; Junos "configure private" or "configure exclusive"; RTX
	// "administrator", which asks for a password). Empty where every mode can configure.
	Enter []Command
	// Paste, when set, sends a Candidate transaction's lines as one paste (Junos `load set
	// terminal`) instead of one command each. The session must support pasting.
	Paste *PasteSpec
	// Check validates the candidate without activating it (Junos "commit check"); its output
	// is checked with CheckOutput. Candidate only; optional.
	Check []Command
	// Commit makes the candidate configuration active (e.g. "commit", or Junos "commit
	// confirmed 5"); its output is checked with CheckOutput. Candidate only.
	Commit []Command
	// Confirm, when set, makes Commit a confirmed commit: after it the device layer reads
	// the configuration back over the same session (ReadConfig, else SessionSpec.ReadConfig)
	// and then sends Confirm (Junos "commit"). A session lost before Confirm leaves the
	// device to roll the commit back by itself. Candidate only.
	Confirm []Command
	// SafetyNet, Immediate only: commands sent after Enter and before the first step that
	// make the device revert the batch by itself unless Confirm follows (RTX `rollback timer
	// 600`). When set, after the last step the device layer reads the configuration back
	// over the same session (ReadConfig, else SessionSpec.ReadConfig) and sends Confirm
	// (RTX `confirm`) before Save; a session lost in between leaves the device to revert.
	// See safetynet.go.
	SafetyNet []Command
	// RevertWindow, with SafetyNet: how long after a session is lost before Confirm the
	// device may still revert that batch by itself (the timer's length). Until it has passed,
	// the device layer types no batch of its own there (the revert would take it along), and
	// its advisory mark (Mark) stays on the device for other runs to see.
	RevertWindow time.Duration
	// Save persists the active configuration (e.g. "save"). Empty where the commit persists.
	Save []Command
	// CommitTimeout bounds each Check, Commit, Confirm and Save command instead of the
	// session's command timeout when it is longer: a commit that restarts daemons can take
	// minutes, and one cut short leaves the device's outcome unknown (and a retry would
	// commit again). Commands that expect a question use the session's timeout.
	CommitTimeout time.Duration
	// Abort leaves configuration mode without activating or saving anything: Candidate
	// discards the candidate (EdgeOS "discard", "exit discard"; Junos "rollback 0", "exit");
	// Immediate leaves the mode without saving (RTX "exit", answering N). Output is not
	// checked.
	Abort []Command
	// Exit leaves configuration mode after a successful commit and save (e.g. "exit").
	Exit []Command
	// ReadConfig prints the active configuration from inside configuration mode, in the form
	// Parse reads (EdgeOS: "run show configuration commands"). When set, the device layer
	// reads the configuration after Enter and renders the change from that read, so that a
	// decision such as "nothing else uses this shared object" is taken on what the device
	// holds now, not on an older snapshot that another session may have changed since.
	ReadConfig string
	// LockWait is how long a configuration lock held by another user (a ScopeLock error), or
	// another session's advisory mark (Mark), is waited for, with backoff, before it is
	// reported naming the holder; 0 reports it at once.
	LockWait time.Duration
	// Mark, Immediate only: the advisory lock each batch writes into the configuration on a
	// device that locks nothing (see mark.go); nil when the platform has none or the device
	// block turned it off.
	Mark *MarkSpec
}

// DeviceError is a failure the device itself reported for one command.
type DeviceError struct {
	Command string // the command as sent (secrets masked by the device layer before display)
	Message string // the device's own text, trimmed
	// Scope says what the failure concerns (see ErrorScope); ScopeUnknown lets the device
	// layer take the scope of the command's place in the transaction.
	Scope ErrorScope
	// Holder names who holds the configuration lock, for ScopeLock (e.g. "user Z"), as the
	// device printed it; "" when the device does not say.
	Holder string
}

func (e *DeviceError) Error() string {
	return fmt.Sprintf("command %q failed: %s", e.Command, e.Message)
}

var (
	mu       sync.RWMutex
	registry = map[string]Platform{}
)

// Register adds a dialect; dialect packages call it from init. Registering a name twice panics.
func Register(p Platform) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[p.Name()]; dup {
		panic("platform: duplicate registration of " + p.Name())
	}
	registry[p.Name()] = p
}

// Get returns the dialect of the given name.
func Get(name string) (Platform, bool) {
	mu.RLock()
	defer mu.RUnlock()
	p, ok := registry[name]
	return p, ok
}

// Names lists the registered dialects, sorted.
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
