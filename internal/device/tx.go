package device

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// The two transaction strategies of platform.TxSpec (see "Transactions" in the platform
// package). Nothing here names a vendor: what differs is declared by the dialect's spec,
// its StepRenderer and the scopes its CheckOutput gives to errors.

// PromptConn is a session that can answer a question the device asks (platform.Command's
// Expect and Answer). sshcli.Session implements it. A dialect whose commands ask questions
// needs a session that does.
type PromptConn interface {
	Conn
	// SendExpect is Send that also stops when the output ends with a match of expect (a Go
	// regexp); with hidden set, command is not waited for as an echo and never quoted.
	SendExpect(ctx context.Context, command, expect string, hidden bool) (string, error)
	// Prompt returns what ended the last exchange: the prompt, or the text matching expect.
	Prompt() string
}

// Paster is a session that can send lines as one paste, without waiting for a prompt
// after each, and then end (a terminal load ended by Ctrl-D); platform.TxSpec.Paste
// needs it. It returns what the device printed up to its prompt after end. sshcli does not
// implement it yet.
type Paster interface {
	Paste(ctx context.Context, lines []string, end string) (string, error)
}

// LockError is a configuration lock held by another user that did not go away within the
// platform's TxSpec.LockWait. It names the holder as the device did.
type LockError struct {
	Device  string
	Address string
	Command string
	Holder  string // "" when the device did not say
	Message string
	Waited  time.Duration
}

func (e *LockError) Error() string {
	who := "another user"
	if e.Holder != "" {
		who = e.Holder
	}
	return fmt.Sprintf("device %q (%s): the configuration is locked by %s (waited %s): command %q: %s", e.Device, e.Address, who, e.Waited.Round(time.Millisecond), e.Command, e.Message)
}

// UndoError is a failed batch on an Immediate platform whose undo also failed: the device
// holds neither the configuration before the batch nor the one it asked for. Remaining are
// the commands of the applied steps that are still in effect, first applied first (their
// undo was not run, or failed); nothing was saved.
type UndoError struct {
	Device    string
	Address   string
	Cause     error  // why the batch was being undone
	Command   string // the undo command that failed
	Message   string // what the device or the session said
	Remaining []string
}

func (e *UndoError) Error() string {
	return fmt.Sprintf("device %q (%s): %v; undoing the applied steps then failed at %q: %s; the device is left with neither the old nor the new configuration (not saved): these applied steps remain in effect: %s",
		e.Device, e.Address, e.Cause, e.Command, e.Message, strings.Join(e.Remaining, "; "))
}

// Unwrap returns the failure that started the undo.
func (e *UndoError) Unwrap() error { return e.Cause }

func (d *Device) tx() platform.TxSpec { return d.opts.Platform.Session().Tx }

// scoped gives err scope when it is a device-layer *Error whose scope the dialect left open.
func (d *Device) scoped(err error, scope platform.ErrorScope) error {
	var e *Error
	if errors.As(err, &e) && e.Scope == platform.ScopeUnknown {
		e.Scope = scope
	}
	return err
}

// transactWaitLocked is transactLocked, repeated while the configuration is locked by another
// user, with backoff, for up to TxSpec.LockWait. Each attempt reads and renders again: the
// holder may have changed the configuration.
func (d *Device) transactWaitLocked(ctx context.Context, changes []vpn.Change, res *resume) (*vpn.Config, error) {
	start := time.Now()
	wait := d.tx().LockWait
	backoff := platform.DefaultLockBackoff
	for waited := false; ; waited = true {
		base, err := d.transactLocked(ctx, changes, res)
		var le *LockError
		if !errors.As(err, &le) {
			if waited {
				d.log(ctx, "info", "the configuration lock was released; going on", map[string]any{"waited": time.Since(start).Round(time.Millisecond).String()})
			}
			return base, err
		}
		le.Waited = time.Since(start)
		left := wait - le.Waited
		if left <= 0 {
			return base, err
		}
		// Random within the second half of the backoff: two sessions that saw each other's
		// advisory mark and both stepped back (platform.MarkSpec) try again apart.
		pause := min(backoff/2+rand.N(backoff/2+1), left)
		d.log(ctx, "info", "the configuration is locked by another user; waiting", map[string]any{"holder": le.Holder, "retry_in": pause.String()})
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return base, err
		case <-t.C:
		}
		backoff = min(2*backoff, platform.MaxLockBackoff)
	}
}

// runLocked sends one command of a transaction (answering its question), judges its output
// and returns a scoped *Error, a *LockError or a *TransportError. scope is the scope of the
// command's place, used when the dialect gives none.
func (d *Device) runLocked(ctx context.Context, c platform.Command, timeout time.Duration, scope platform.ErrorScope) error {
	out, err := d.sendCmdLocked(ctx, c, timeout)
	if err != nil {
		return err
	}
	err = d.opts.Platform.CheckOutput(c.Line, out)
	if err == nil {
		return nil
	}
	var de *platform.DeviceError
	if errors.As(err, &de) && de.Scope == platform.ScopeLock {
		return &LockError{Device: d.opts.Name, Address: d.opts.Address, Command: d.Redact(c.Line), Holder: d.Redact(de.Holder), Message: d.Redact(de.Message)}
	}
	return d.scoped(d.deviceError(err, c.Line), scope)
}

// sendCmdLocked sends c and, when the device asks c's question, the answer. The output is
// the command's and the answer's together. The answer is registered as a secret first when
// it is hidden, and never appears in an error.
func (d *Device) sendCmdLocked(ctx context.Context, c platform.Command, timeout time.Duration) (string, error) {
	if c.Expect == "" {
		return d.sendTimeoutLocked(ctx, c.Line, timeout)
	}
	conn, err := d.connLocked(ctx)
	if err != nil {
		return "", err
	}
	return d.sendCmdOnLocked(ctx, conn, c, timeout)
}

// sendCmdOnLocked is sendCmdLocked on a given session (the login dialog runs on a session
// before it becomes the device's).
func (d *Device) sendCmdOnLocked(ctx context.Context, conn Conn, c platform.Command, timeout time.Duration) (string, error) {
	defer d.noteSlow(ctx, c.Line, time.Now())
	if c.Hidden {
		d.secrets.add(c.Answer)
	}
	if c.Expect == "" {
		d.stats.Commands++
		out, err := conn.SendTimeout(ctx, c.Line, timeout)
		d.stats.BytesRead += len(out)
		return out, d.transportLocked(conn, c.Line, err)
	}
	question, err := regexp.Compile("(?m)" + c.Expect)
	if err != nil {
		return "", d.errorf("command %q: the platform's question pattern does not compile: %v", d.Redact(c.Line), err)
	}
	pc, ok := conn.(PromptConn)
	if !ok {
		return "", d.errorf("command %q: the session cannot answer the device's questions", d.Redact(c.Line))
	}
	d.stats.Commands++
	out, err := pc.SendExpect(ctx, c.Line, c.Expect, false)
	d.stats.BytesRead += len(out)
	if err = d.transportLocked(conn, c.Line, err); err != nil {
		return "", err
	}
	if !question.MatchString(pc.Prompt()) {
		return out, nil // not asked
	}
	d.stats.Commands++
	ans, err := pc.SendExpect(ctx, c.Answer, "", c.Hidden)
	d.stats.BytesRead += len(ans)
	shown := c.Line + " (answering the device's question)"
	if err = d.transportLocked(conn, shown, err); err != nil {
		return "", err
	}
	if c.Hidden {
		// The device does not echo a password; whatever it printed is its own text, but
		// mask the answer in case it did.
		ans = d.Redact(ans)
	}
	return strings.Trim(out+"\n"+ans, "\n"), nil
}

// abortLocked sends the platform's Abort commands on a live session, ignoring their output,
// and returns cause. A lost session has already dropped its candidate configuration on the
// device; a new one is not opened for it.
func (d *Device) abortLocked(ctx context.Context, cause error) error {
	d.releaseLocked(ctx)
	// Abort stops the device's rollback timer (the dialect puts Confirm there); a lost
	// session's timer is the device's to run out.
	d.netArmed = false
	for _, c := range d.tx().Abort {
		if d.conn == nil {
			break
		}
		if _, err := d.sendCmdLocked(ctx, c, 0); err != nil {
			break
		}
	}
	return cause
}

// runAllLocked runs cmds in order and stops at the first failure.
func (d *Device) runAllLocked(ctx context.Context, cmds []platform.Command, timeout time.Duration, scope platform.ErrorScope) error {
	for _, c := range cmds {
		if err := d.runLocked(ctx, c, timeout, scope); err != nil {
			return err
		}
	}
	return nil
}

// enterLocked enters configuration mode and, where the platform reads its configuration
// inside the transaction (TxSpec.ReadConfig), renders the change again from that read when it
// differs from snap: another session committed since the snapshot, and what it changed (a
// shared ruleset now used by one more rule, an object that now exists) must decide what this
// change does. It returns the configuration to reach and the steps to reach it.
//
// A refused first Enter command (a held lock, a wrong password) leaves the session outside
// configuration mode: nothing is aborted then, since Abort's "exit" would end a session that
// is not in configuration mode. Failures after it are aborted.
func (d *Device) enterLocked(ctx context.Context, snap *platform.Snapshot, changes []vpn.Change, desired *vpn.Config, steps []platform.Step, res *resume) (*vpn.Config, []platform.Step, error) {
	tx := d.tx()
	if !d.entered { // acquireLocked enters before marking the configuration
		if err := d.runEnterLocked(ctx); err != nil {
			return desired, steps, err
		}
	}
	if tx.ReadConfig == "" {
		return desired, steps, nil
	}
	now, err := d.readLocked(ctx, tx.ReadConfig)
	if err != nil {
		return desired, steps, d.abortLocked(ctx, d.scoped(err, platform.ScopeSession))
	}
	d.stats.TxReads++
	d.txRead = now
	if now.Text != snap.Text {
		level := "info"
		if snap.Text == "" {
			// Rendered from the model of the last commit (see afterCommitLocked), whose
			// text is not known: rendering from the device's text is the rule, no news.
			level = "debug"
		}
		d.log(ctx, level, "the configuration changed since it was read; rendering the change again from the device's current configuration", map[string]any{"changes": describe(changes)})
		desired, steps, err = d.renderLocked(ctx, now, changes, res)
		if err != nil {
			return desired, steps, d.abortLocked(ctx, err)
		}
	}
	return desired, steps, nil
}

// runEnterLocked puts the session in configuration mode (TxSpec.Enter). A refused first
// command leaves the session outside it, so nothing is aborted then; a later one is aborted.
func (d *Device) runEnterLocked(ctx context.Context) error {
	for i, c := range d.tx().Enter {
		if err := d.runLocked(ctx, c, 0, platform.ScopeSession); err != nil {
			if i > 0 {
				err = d.abortLocked(ctx, err)
			}
			return err
		}
	}
	return nil
}

// pushLocked runs the platform's transaction strategy for steps, rendered from snap. It
// returns the configuration the device holds when it succeeds (desired, or desired rendered
// again from a fresher read).
func (d *Device) pushLocked(ctx context.Context, snap *platform.Snapshot, changes []vpn.Change, desired *vpn.Config, steps []platform.Step, res *resume) (*vpn.Config, error) {
	desired, steps, err := d.enterLocked(ctx, snap, changes, desired, steps, res)
	if err != nil {
		return desired, err
	}
	if len(steps) == 0 && res == nil && !d.unsaved {
		d.log(ctx, "debug", "nothing to change", map[string]any{"changes": describe(changes)})
		return desired, d.abortLocked(ctx, nil)
	}
	lines := make([]string, len(steps))
	for i, s := range steps {
		lines[i] = s.Do.Line
	}
	d.log(ctx, "info", "applying changes", map[string]any{"changes": describe(changes), "lines": len(lines)})
	d.log(ctx, "debug", "applying configuration", map[string]any{"changes": describe(changes), "commands": d.Redact(strings.Join(lines, "\n"))})
	if d.tx().Strategy == platform.Immediate {
		if err = d.applyStepsLocked(ctx, steps); err == nil && len(steps) > 0 {
			d.stats.Commits++
		}
	} else {
		err = d.candidateLocked(ctx, steps, res)
	}
	if err != nil {
		return desired, err
	}
	return desired, d.saveLocked(ctx)
}

// candidateLocked loads the lines into the candidate, checks and commits it (confirming a
// confirmed commit after reading the configuration back); on a failure before the commit
// took effect it aborts.
func (d *Device) candidateLocked(ctx context.Context, steps []platform.Step, res *resume) error {
	tx := d.tx()
	if len(steps) == 0 {
		// The lines of a cut-off attempt (res) or an earlier commit whose save failed
		// (unsaved) are active already; they only need saving. A confirmed commit of the
		// cut-off attempt is confirmed now: the read that rendered nothing shows that the
		// device holds the change and answers.
		if res != nil && len(tx.Confirm) > 0 {
			if err := d.runAllLocked(ctx, tx.Confirm, tx.CommitTimeout, platform.ScopeCommit); err != nil {
				return d.abortLocked(ctx, err)
			}
			d.confirmPending = false
		}
		return nil
	}
	if tx.Paste != nil {
		if err := d.pasteLocked(ctx, tx.Paste, steps); err != nil {
			return d.abortLocked(ctx, err)
		}
	} else {
		for _, s := range steps {
			if err := d.runLocked(ctx, s.Do, 0, platform.ScopeLine); err != nil {
				return d.abortLocked(ctx, err)
			}
		}
	}
	if err := d.runAllLocked(ctx, tx.Check, tx.CommitTimeout, platform.ScopeCommit); err != nil {
		return d.abortLocked(ctx, err)
	}
	start := time.Now()
	d.log(ctx, "info", "committing", map[string]any{"lines": len(steps)})
	if err := d.runAllLocked(ctx, tx.Commit, tx.CommitTimeout, platform.ScopeCommit); err != nil {
		return d.abortLocked(ctx, err)
	}
	d.stats.Commits++
	d.log(ctx, "info", "committed", map[string]any{"took": time.Since(start).Round(time.Millisecond).String()})
	d.unsaved = len(tx.Save) > 0
	if len(tx.Confirm) > 0 {
		d.confirmPending = true
		rc := tx.ReadConfig
		if rc == "" {
			rc = d.opts.Platform.Session().ReadConfig
		}
		// The device rolls the commit back by itself unless it is confirmed; confirm only
		// once the session has proved that it still reaches the device and reads its
		// configuration.
		after, err := d.readLocked(ctx, rc)
		if err != nil {
			return d.abortLocked(ctx, d.unconfirmed(err))
		}
		d.stats.TxReads++
		d.postRead = after
		if err := d.runAllLocked(ctx, tx.Confirm, tx.CommitTimeout, platform.ScopeCommit); err != nil {
			return d.abortLocked(ctx, d.unconfirmed(err))
		}
		d.confirmPending = false
	}
	return nil
}

// unconfirmed marks a failure between a confirmed commit and its confirmation: the change
// is active until the device rolls it back by itself, so the batch is not split (each part
// would commit again over the pending one). A lost session stays a *TransportError: the retry
// reads the device and confirms what it finds there (see candidateLocked).
func (d *Device) unconfirmed(err error) error {
	var e *Error
	if errors.As(err, &e) {
		e.Scope = platform.ScopeSession
		e.Message += " (the commit was not confirmed: the device rolls it back by itself)"
	}
	return err
}

// pasteLocked sends the lines as one paste (TxSpec.Paste).
func (d *Device) pasteLocked(ctx context.Context, ps *platform.PasteSpec, steps []platform.Step) error {
	conn, err := d.connLocked(ctx)
	if err != nil {
		return err
	}
	if ps.Start.Expect == "" {
		if err := d.runLocked(ctx, ps.Start, 0, platform.ScopeSession); err != nil {
			return err
		}
	} else {
		// The device answers Start with the invitation to type the block (Junos "[Type ^D at
		// a new line to end input]"), not with its prompt.
		pc, ok := conn.(PromptConn)
		if !ok {
			return d.scoped(d.errorf("the session cannot wait for %q", d.Redact(ps.Start.Line)), platform.ScopeSession)
		}
		d.stats.Commands++
		out, err := pc.SendExpect(ctx, ps.Start.Line, ps.Start.Expect, false)
		if err = d.transportLocked(conn, ps.Start.Line, err); err != nil {
			return err
		}
		if err := d.opts.Platform.CheckOutput(ps.Start.Line, out); err != nil {
			return d.scoped(d.deviceError(err, ps.Start.Line), platform.ScopeSession)
		}
	}
	p, ok := conn.(Paster)
	if !ok {
		return d.scoped(d.errorf("the session cannot paste lines (%q)", d.Redact(ps.Start.Line)), platform.ScopeSession)
	}
	lines := make([]string, len(steps))
	for i, s := range steps {
		lines[i] = s.Do.Line
	}
	d.stats.Commands++
	out, err := p.Paste(ctx, lines, ps.End)
	d.stats.BytesRead += len(out)
	if err = d.transportLocked(conn, ps.Start.Line, err); err != nil {
		return err
	}
	if err := d.opts.Platform.CheckOutput(ps.End, out); err != nil {
		return d.scoped(d.deviceError(err, ps.Start.Line), platform.ScopeLine)
	}
	return nil
}

// applyStepsLocked runs the steps of an Immediate transaction. On the first refused step the
// steps already applied are undone in reverse order and the refusal is returned; nothing is
// saved. A lost session cannot undo: the retry on a new session reads what the device holds.
func (d *Device) applyStepsLocked(ctx context.Context, steps []platform.Step) error {
	tx := d.tx()
	unsaved := d.unsaved
	if len(tx.SafetyNet) > 0 && len(steps) > 0 && !d.netArmed {
		// Arm the device's own rollback (RTX `rollback timer`) for this session's batch.
		if err := d.runAllLocked(ctx, tx.SafetyNet, 0, platform.ScopeSession); err != nil {
			var te *TransportError
			if errors.As(err, &te) {
				return err
			}
			return d.abortLocked(ctx, err)
		}
		d.netArmed = true
	}
	for i, s := range steps {
		err := d.renewMarkLocked(ctx)
		if err == nil {
			err = d.runLocked(ctx, s.Do, 0, platform.ScopeLine)
		}
		if err == nil {
			d.unsaved = d.unsaved || len(tx.Save) > 0
			continue
		}
		var te *TransportError
		if errors.As(err, &te) {
			return err
		}
		d.log(ctx, "info", "a step was refused; undoing the steps already applied", map[string]any{"applied": i, "error": err.Error()})
		if lerr := d.runAllLocked(ctx, s.Leave, 0, platform.ScopeLine); lerr != nil {
			remaining := make([]string, i)
			for k := range remaining {
				remaining[k] = d.Redact(steps[k].Do.Line)
			}
			return d.abortLocked(ctx, &UndoError{Device: d.opts.Name, Address: d.opts.Address, Cause: err, Command: "(leaving the refused step's context)", Message: d.Redact(lerr.Error()), Remaining: remaining})
		}
		if uerr := d.undoLocked(ctx, steps[:i], err); uerr != nil {
			return d.abortLocked(ctx, uerr)
		}
		d.unsaved = unsaved // the device is as before the batch
		return d.abortLocked(ctx, err)
	}
	if d.netArmed {
		if err := d.renewMarkLocked(ctx); err != nil {
			return d.abandonNetLocked(err)
		}
		rc := tx.ReadConfig
		if rc == "" {
			rc = d.opts.Platform.Session().ReadConfig
		}
		// Confirm only once the session has proved that it still reaches the device and
		// reads its configuration; otherwise the device reverts the batch by itself.
		if _, err := d.readLocked(ctx, rc); err != nil {
			return d.abandonNetLocked(err)
		}
		d.stats.TxReads++
		if err := d.runAllLocked(ctx, tx.Confirm, tx.CommitTimeout, platform.ScopeSession); err != nil {
			return d.abandonNetLocked(err)
		}
		d.netArmed = false
	}
	return nil
}

// abandonNetLocked handles a failure between the last step of a batch under the device's
// rollback timer and its confirmation: nothing more is sent in that session (a later save
// or confirm in it would keep the batch), so it is closed, and the device reverts the batch
// by itself when the timer runs out.
func (d *Device) abandonNetLocked(err error) error {
	var te *TransportError
	if errors.As(err, &te) {
		return err // applyLocked reports it, without a retry
	}
	d.netArmed = false
	d.noteRevertLocked()
	if d.conn != nil {
		_ = d.conn.Close()
		d.conn = nil
		d.snap = nil
	}
	return &UnconfirmedError{err: d.unconfirmed(err)}
}

// undoLocked runs the undo of applied, last first. When an undo fails it returns an
// *UndoError listing the steps still in effect.
func (d *Device) undoLocked(ctx context.Context, applied []platform.Step, cause error) error {
	for j := len(applied) - 1; j >= 0; j-- {
		for _, c := range applied[j].Undo {
			err := d.renewMarkLocked(ctx)
			if err == nil {
				err = d.runLocked(ctx, c, 0, platform.ScopeLine)
			}
			if err == nil {
				continue
			}
			remaining := make([]string, j+1)
			for k := range remaining {
				remaining[k] = d.Redact(applied[k].Do.Line)
			}
			msg := err.Error()
			var e *Error
			if errors.As(err, &e) {
				msg = e.Message
			}
			return &UndoError{Device: d.opts.Name, Address: d.opts.Address, Cause: cause, Command: d.Redact(c.Line), Message: d.Redact(msg), Remaining: remaining}
		}
	}
	return nil
}

// saveLocked persists what the transaction made active and leaves configuration mode. A
// failed save is a *CommittedError: the change is active, and the next transaction saves.
func (d *Device) saveLocked(ctx context.Context) error {
	tx := d.tx()
	// The batch's lines are in place: other sessions may go on. The mark is never saved: a
	// mark that could not be removed leaves the change active and unsaved (the next batch
	// saves), as a refused save would.
	if err := d.releaseLocked(ctx); err != nil {
		d.unsaved = d.unsaved || len(tx.Save) > 0
		err = fmt.Errorf("not saved: removing this run's advisory mark before the save failed: %w", err)
		var te *TransportError
		if errors.As(err, &te) {
			return &CommittedError{err}
		}
		return d.abortLocked(ctx, &CommittedError{err})
	}
	start := time.Now()
	if len(tx.Save) > 0 {
		d.log(ctx, "info", "saving the configuration", nil)
	}
	for _, c := range tx.Save {
		if err := d.runLocked(ctx, c, tx.CommitTimeout, platform.ScopeSession); err != nil {
			var te *TransportError
			if errors.As(err, &te) {
				return &CommittedError{err}
			}
			return d.abortLocked(ctx, &CommittedError{err})
		}
	}
	if len(tx.Save) > 0 {
		d.stats.Saves++
		d.log(ctx, "info", "saved", map[string]any{"took": time.Since(start).Round(time.Millisecond).String()})
	}
	d.unsaved = false
	for _, c := range tx.Exit {
		if err := d.runLocked(ctx, c, 0, platform.ScopeSession); err != nil {
			// Saved and active: leaving configuration mode failed, which the next
			// session does not inherit.
			d.log(ctx, "warn", "leaving configuration mode failed after a saved commit", map[string]any{"error": err.Error()})
			return d.abortLocked(ctx, nil)
		}
	}
	return nil
}

// hiddenAnswers returns the secret answers of the transaction commands, to be masked.
func hiddenAnswers(tx platform.TxSpec) []string {
	var out []string
	for _, cmds := range [][]platform.Command{tx.Enter, tx.Check, tx.Commit, tx.Confirm, tx.Save, tx.Abort, tx.Exit} {
		for _, c := range cmds {
			if c.Hidden {
				out = append(out, c.Answer)
			}
		}
	}
	if tx.Paste != nil && tx.Paste.Start.Hidden {
		out = append(out, tx.Paste.Start.Answer)
	}
	return out
}
