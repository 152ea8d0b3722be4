package platform

import (
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Transactions
//
// A dialect declares how its device applies a batch of changes in SessionSpec.Tx; the device
// layer runs one of two generic strategies and never branches on the vendor:
//
//   - Candidate (the zero value): the lines edit a candidate configuration that the commit
//     makes active. Enter (with the dialect's lock mode: a plain `configure`, a private or an
//     exclusive candidate), optionally read the configuration again (TxSpec.ReadConfig), send
//     the lines (one by one, or as one paste when TxSpec.Paste is set), optionally Check the
//     candidate, Commit; when Confirm is set the Commit is a confirmed commit that the device
//     rolls back by itself unless confirmed, so the device layer reads the configuration back
//     over the same session and only then sends Confirm; Save; Exit. On any error before the
//     commit took effect the device layer sends Abort (discard or rollback, then leave
//     configuration mode) so that the session is left clean.
//   - Immediate: every line takes effect when it is sent (there is no candidate). The dialect
//     implements StepRenderer and returns each step with the commands that undo it. Enter
//     (optional, e.g. an administrator mode), the steps in order; on the first failure the
//     steps already applied are undone in reverse order (the failing step itself is taken as
//     not applied), the device's message is reported and nothing is saved; then Abort leaves
//     the mode without saving. After a good batch, Save then Exit.
//
// Every command may answer one question the device asks (Command.Expect/Answer), with the
// answer Hidden from echo, logs and errors when it is a secret.
//
// Errors the dialect's CheckOutput reports may carry a Scope (DeviceError.Scope): the device
// layer splits a failed batch to find the refused change only for ScopeLine and ScopeCommit;
// it waits for a ScopeLock error (a configuration database locked by another user) with
// backoff up to TxSpec.LockWait, then reports who holds the lock; ScopeSession fails the whole
// batch. ScopeUnknown takes the scope of the command's place: Enter and reads are session,
// lines are line, Check and Commit are commit.
//
// A dropped session is retried once on a new session. The retry reads the device again and
// decides from what it holds: with Candidate, an object created exactly as requested is the
// committed work of the cut-off attempt (a dropped candidate is discarded by the device); with
// Immediate, an object that was absent before the cut-off attempt and is there now is that
// attempt's partial work, which the retry completes as an update. Either way the retry saves.

// TxStrategy is how a device applies configuration lines; see the package documentation
// above (Transactions).
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
type Step struct {
	Do   Command
	Undo []Command
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
// and only End's output is judged by CheckOutput.
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
