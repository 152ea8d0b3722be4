package platform

import (
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// TxStrategy is how a device applies a batch of configuration lines. The dialect chooses it
// in SessionSpec.Tx; the device layer runs the strategy's generic protocol and never branches
// on the vendor:
//
//   - Candidate (the zero value): the lines edit a candidate configuration that a commit
//     makes active. Enter (with the dialect's lock mode: a plain `configure`, a private or an
//     exclusive candidate); read the configuration again when TxSpec.ReadConfig is set and
//     render again if it changed; send the lines (one by one, or as one paste when
//     TxSpec.Paste is set); Check when set; Commit. When Confirm is set, Commit is a
//     confirmed commit that the device rolls back by itself unless confirmed: the device
//     layer reads the configuration back over the same session and only then sends Confirm.
//     Then Save and Exit. Any failure before the commit took effect is followed by Abort
//     (discard or rollback, then leave configuration mode), so that the session is clean.
//   - Immediate: every line takes effect when it is sent. The dialect implements
//     StepRenderer and returns each step with the commands that undo it. Enter (optional,
//     e.g. an administrator mode), the steps in order; on the first refused step, the steps
//     already applied are undone in reverse order (the refused step is taken as not
//     applied), the device's message is reported, nothing is saved and Abort leaves the mode
//     without saving. An undo that fails is reported with the steps still in effect. After
//     a good batch, Save then Exit. Nothing locks the configuration between a read and the
//     lines, so unless TxSpec.ReadConfig reads inside the transaction, each batch renders
//     from a read taken when it starts, never from a snapshot read before it.
//
// Whatever the strategy, a create whose device number (Numberer) another object on the
// device holds in the read the batch renders from was taken by another session since the
// number was chosen: a number the provider chose (vpn.Change.NumberChosen) is replaced by a
// free one; a number the user gave fails the change, naming the object that holds it.
//
// A refused first Enter command (a held lock, a wrong password) leaves the session outside
// configuration mode, so it is not followed by Abort.
//
// Any command may answer one question the device asks (Command.Expect and Answer); a Hidden
// answer (a password) is masked in every log record and error. Such commands need a session
// that answers questions, and run within the session's command timeout.
//
// The dialect's CheckOutput may give a failure a scope (DeviceError.Scope). Only ScopeLine
// and ScopeCommit failures of a batch are split to find the refused change. A ScopeLock
// failure (the configuration locked by another user) is waited for with backoff up to
// TxSpec.LockWait, reading and rendering again at each attempt, then reported naming the
// holder. ScopeSession fails the whole batch, and so does a failure between a confirmed
// commit and its confirmation. ScopeUnknown takes the scope of the command's place: Enter,
// reads, Save and Exit are session, lines are line, Check and Commit are commit.
//
// A lost session is retried once on a new one, which reads the device and decides from what
// it holds. Candidate: an object created exactly as requested is the committed work of the
// cut-off attempt (the device dropped its uncommitted candidate with the session), and a
// pending confirmed commit is confirmed. Immediate: nothing is dropped with the session; an
// object that was absent before the cut-off attempt and is there now, in any form, is that
// attempt's partial work, which the retry completes. Either way the retry saves.
type TxStrategy int

const (
	// Candidate: lines edit a candidate configuration that a commit makes active.
	Candidate TxStrategy = iota
	// Immediate: each line is active when sent; each rendered step carries its undo.
	Immediate
)

func (s TxStrategy) String() string {
	switch s {
	case Candidate:
		return "candidate"
	case Immediate:
		return "immediate"
	}
	return "unknown"
}

// Command is one command of a transaction. When Expect is set, the device may answer Line
// with a question matching Expect (a Go regexp, multi-line mode, matched at the end of the
// output like a prompt) instead of its prompt; the device layer then sends Answer. A question
// that is not asked (the prompt comes back) is no error: RTX asks "Save new configuration ?
// (Y/N)" only when something is unsaved.
type Command struct {
	Line   string
	Expect string
	Answer string
	// Hidden marks Answer as a secret (a password): it is sent without waiting for its echo
	// and the device layer masks it in every log record and error.
	Hidden bool
}

// Lines returns one Command per line, without questions.
func Lines(lines ...string) []Command {
	out := make([]Command, len(lines))
	for i, l := range lines {
		out[i] = Command{Line: l}
	}
	return out
}

// Step is one rendered change for the Immediate strategy: Do applies it, Undo (sent in order)
// reverses it on a device where Do succeeded. A context switch is a step too (RTX `tunnel
// select 1`, undone by `tunnel select none`; ScreenOS `set vrouter "trust-vr"`, undone by
// `exit`), so that undoing in reverse order passes through the same contexts.
//
// Leave is sent when Do itself is refused, before the steps already applied are undone: it
// takes the session out of the contexts the refused step's earlier steps opened (RTX `tunnel
// select none`), so that the undo starts where it expects to. Steps rendered by flatconf carry
// it (flatconf.Step.Leave).
type Step struct {
	Do    Command
	Undo  []Command
	Leave []Command
}

// StepRenderer is implemented by dialects whose transactions are Immediate (and may be by
// others, for commands that answer questions). When a dialect implements it, the device layer
// calls RenderSteps instead of Render; its contract is Render's.
type StepRenderer interface {
	RenderSteps(current Snapshot, desired *vpn.Config) ([]Step, error)
}

// ErrorScope says what a device error concerns, and so what the device layer does with it.
type ErrorScope int

const (
	// ScopeUnknown: the scope of the command's place in the transaction.
	ScopeUnknown ErrorScope = iota
	// ScopeSession: the session or its mode (entering configuration mode, a read); the whole
	// batch fails, it is not split.
	ScopeSession
	// ScopeLock: the configuration is locked by another user (DeviceError.Holder names
	// them); the device layer waits up to TxSpec.LockWait, then reports it. Not split.
	ScopeLock
	// ScopeLine: the device refused one line; the batch is split to find its change.
	ScopeLine
	// ScopeCommit: the check or commit refused the candidate; the batch is split.
	ScopeCommit
)

func (s ErrorScope) String() string {
	switch s {
	case ScopeSession:
		return "session"
	case ScopeLock:
		return "lock"
	case ScopeLine:
		return "line"
	case ScopeCommit:
		return "commit"
	}
	return "unknown"
}

// Splittable reports whether a batch that failed with this scope is split to find the
// change the device refused.
func (s ErrorScope) Splittable() bool { return s == ScopeLine || s == ScopeCommit }

// PasteSpec sends the lines of a Candidate transaction as one paste instead of one command
// each (Junos `load set terminal`, ended by Ctrl-D): Start is sent, then the lines, then End,
// and only End's output is judged by CheckOutput. When Start.Expect is set, Start ends at the
// device's invitation to type the block (Junos "[Type ^D at a new line to end input]")
// instead of its prompt; the session (sshcli.Session.Paste) then writes the lines and End in
// one go and waits for the prompt.
type PasteSpec struct {
	Start Command
	End   string
}

// DefaultLockBackoff is the first wait after a ScopeLock error; each next wait doubles, up
// to MaxLockBackoff, within TxSpec.LockWait.
const (
	DefaultLockBackoff = 200 * time.Millisecond
	MaxLockBackoff     = 5 * time.Second
)
