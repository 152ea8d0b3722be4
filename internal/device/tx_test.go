package device_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/sshcli"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// The SSH session answers questions and is what the device layer dials in production.
var _ device.PromptConn = (*sshcli.Session)(nil)

// txReadConfig is the EdgeOS dialect's read from inside configuration mode; the fake answers
// it like readConfig.
const txReadConfig = "run show configuration commands"

// adminPassword is the answer to the fake's "Password:" question.
const adminPassword = "Adm1n-Secret-pw"

// testDialect is the EdgeOS dialect (for parsing and rendering) with another transaction
// spec, and output checking by convention: output "ERR <msg>" is a refusal, "LOCKED <who>" a
// configuration lock held by <who>.
type testDialect struct {
	platform.Platform
	tx platform.TxSpec
}

func (p *testDialect) Session() platform.SessionSpec {
	s := p.Platform.Session()
	s.Tx = p.tx
	return s
}

func (p *testDialect) CheckOutput(cmd, out string) error {
	if cmd == readConfig || cmd == txReadConfig {
		return p.Platform.CheckOutput(cmd, out)
	}
	for _, l := range strings.Split(out, "\n") {
		if who, ok := strings.CutPrefix(l, "LOCKED "); ok {
			return &platform.DeviceError{Command: cmd, Message: "error: configuration database locked by: " + who, Scope: platform.ScopeLock, Holder: who}
		}
		if msg, ok := strings.CutPrefix(l, "ERR "); ok {
			return &platform.DeviceError{Command: cmd, Message: msg}
		}
	}
	return nil
}

// stepDialect is testDialect with undo steps: `set X` is undone by `delete X`.
type stepDialect struct{ testDialect }

func (p *stepDialect) RenderSteps(cur platform.Snapshot, desired *vpn.Config) ([]platform.Step, error) {
	lines, err := p.Render(cur, desired)
	if err != nil {
		return nil, err
	}
	steps := make([]platform.Step, len(lines))
	for i, l := range lines {
		steps[i].Do = platform.Command{Line: l}
		if rest, ok := strings.CutPrefix(l, "set "); ok {
			steps[i].Undo = platform.Lines("delete " + rest)
		}
	}
	return steps, nil
}

// candidateTx is a candidate spec with an exclusive lock, a check and a confirmed commit.
func candidateTx() platform.TxSpec {
	return platform.TxSpec{
		Strategy: platform.Candidate,
		Enter:    platform.Lines("configure exclusive"),
		Check:    platform.Lines("commit check"),
		Commit:   platform.Lines("commit confirmed 5"),
		Confirm:  platform.Lines("commit"),
		Abort:    platform.Lines("rollback 0", "exit"),
		Exit:     platform.Lines("exit"),
	}
}

// immediateTx is an immediate spec with a password-protected mode and a question on leaving
// it with unsaved changes.
func immediateTx() platform.TxSpec {
	return platform.TxSpec{
		Strategy: platform.Immediate,
		Enter:    []platform.Command{{Line: "administrator", Expect: `Password: ?$`, Answer: adminPassword, Hidden: true}},
		Save:     platform.Lines("save"),
		Abort:    []platform.Command{{Line: "exit", Expect: `Save new configuration \? \(Y/N\) ?$`, Answer: "N"}},
		Exit:     platform.Lines("exit"),
	}
}

// askImmediate is the immediate device's questions.
func askImmediate(_ int, cmd string) string {
	switch cmd {
	case "administrator":
		return "Password: "
	case "exit":
		return "Save new configuration ? (Y/N) "
	}
	return ""
}

func newTxDevice(t *testing.T, f *fakeDevice, p platform.Platform, opts ...func(*device.Options)) (*device.Device, *logSink) {
	t.Helper()
	logs := &logSink{}
	o := device.Options{Name: deviceName, Address: "192.0.2.1:22", Platform: p, Dial: f.dial, Logger: logs.logger, BatchWindow: 20 * time.Millisecond}
	for _, fn := range opts {
		fn(&o)
	}
	return device.New(o), logs
}

func candidate(t *testing.T, tune func(*platform.TxSpec)) platform.Platform {
	tx := candidateTx()
	if tune != nil {
		tune(&tx)
	}
	return &testDialect{Platform: edgeos(t), tx: tx}
}

func immediate(t *testing.T) platform.Platform {
	return &stepDialect{testDialect{Platform: edgeos(t), tx: immediateTx()}}
}

func assertCommands(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("commands:\n  got  %q\n  want %q", got, want)
	}
}

func undoOf(line string) string { return "delete " + strings.TrimPrefix(line, "set ") }

func cat(parts ...[]string) []string { return slices.Concat(parts...) }

func TestCandidateChecksCommitsConfirmedAndConfirms(t *testing.T) {
	f := &fakeDevice{config: baseConfig}
	d, _ := newTxDevice(t, f, candidate(t, nil))
	if err := d.Apply(context.Background(), create(prefixList("PL-1"))); err != nil {
		t.Fatal(err)
	}
	lines := renderCreate(t, baseConfig, prefixList("PL-1"))
	assertCommands(t, commandsOf(f.log(), 1), cat(
		[]string{readConfig, "configure exclusive"}, lines,
		// the confirmed commit is read back over the same session before it is confirmed
		[]string{"commit check", "commit confirmed 5", readConfig, "commit", "exit"}))
}

func TestCandidatePastesItsLines(t *testing.T) {
	f := &fakeDevice{config: baseConfig}
	d, _ := newTxDevice(t, f, candidate(t, func(tx *platform.TxSpec) {
		tx.Paste = &platform.PasteSpec{Start: platform.Command{Line: "load set terminal"}, End: "\x04"}
	}))
	if err := d.Apply(context.Background(), create(prefixList("PL-1"))); err != nil {
		t.Fatal(err)
	}
	lines := renderCreate(t, baseConfig, prefixList("PL-1"))
	assertCommands(t, commandsOf(f.log(), 1), []string{readConfig, "configure exclusive", "load set terminal",
		"paste: " + strings.Join(lines, "|"), "\x04", "commit check", "commit confirmed 5", readConfig, "commit", "exit"})
}

func TestCandidateAbortsOnARefusedLine(t *testing.T) {
	lines := renderCreate(t, baseConfig, prefixList("PL-1"))
	f := &fakeDevice{config: baseConfig, reply: func(_ int, cmd string) (string, error) {
		if cmd == lines[2] {
			return "ERR syntax error.", nil
		}
		return "", nil
	}}
	d, _ := newTxDevice(t, f, candidate(t, nil))
	err := d.Apply(context.Background(), create(prefixList("PL-1")))
	var e *device.Error
	if !errors.As(err, &e) || e.Scope != platform.ScopeLine || e.Message != "syntax error." || e.Command != lines[2] {
		t.Fatalf("Apply = %v, want a line-scoped *device.Error with the device's message", err)
	}
	assertCommands(t, commandsOf(f.log(), 1), cat([]string{readConfig, "configure exclusive"}, lines[:3], []string{"rollback 0", "exit"}))
}

func TestCandidateAbortsOnAFailedCheck(t *testing.T) {
	f := &fakeDevice{config: baseConfig, reply: func(_ int, cmd string) (string, error) {
		if cmd == "commit check" {
			return "ERR error: configuration check-out failed", nil
		}
		return "", nil
	}}
	d, _ := newTxDevice(t, f, candidate(t, nil))
	err := d.Apply(context.Background(), create(prefixList("PL-1")))
	var e *device.Error
	if !errors.As(err, &e) || e.Scope != platform.ScopeCommit || !strings.Contains(err.Error(), "check-out failed") {
		t.Fatalf("Apply = %v, want a commit-scoped *device.Error with the device's message", err)
	}
	lines := renderCreate(t, baseConfig, prefixList("PL-1"))
	assertCommands(t, commandsOf(f.log(), 1), cat([]string{readConfig, "configure exclusive"}, lines, []string{"commit check", "rollback 0", "exit"}))
}

// A batch refused by the check is split: each change is tried alone, and only the one the
// check refuses fails.
func TestARefusedCheckIsSplit(t *testing.T) {
	var mu sync.Mutex
	bad := map[int]bool{} // sessions whose candidate holds PL-B
	f := &fakeDevice{config: baseConfig}
	f.reply = func(s int, cmd string) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case strings.Contains(cmd, "prefix-list PL-B "):
			bad[s] = true
		case cmd == "rollback 0" || cmd == "commit confirmed 5":
			bad[s] = false
		case cmd == "commit check" && bad[s]:
			return "ERR error: configuration check-out failed", nil
		}
		return "", nil
	}
	d, logs := newTxDevice(t, f, candidate(t, nil), func(o *device.Options) { o.BatchWindow = 100 * time.Millisecond })
	errs := applyConcurrently(d, []vpn.Change{create(prefixList("PL-A")), create(prefixList("PL-B"))})
	if errs[0] != nil {
		t.Errorf("Apply(PL-A) = %v, want success once the batch is split", errs[0])
	}
	var e *device.Error
	if !errors.As(errs[1], &e) || e.Scope != platform.ScopeCommit {
		t.Errorf("Apply(PL-B) = %v, want the check's refusal", errs[1])
	}
	if !strings.Contains(logs.text(), "one by one") {
		t.Errorf("the batch was not split; logs:\n%s", logs.text())
	}
}

func TestImmediateAppliesStepsThenSaves(t *testing.T) {
	f := &fakeDevice{config: baseConfig, stateful: true, ask: askImmediate}
	d, _ := newTxDevice(t, f, immediate(t))
	if err := d.Apply(context.Background(), create(prefixList("PL-1"))); err != nil {
		t.Fatal(err)
	}
	lines := renderCreate(t, baseConfig, prefixList("PL-1"))
	assertCommands(t, commandsOf(f.log(), 1), cat([]string{readConfig, "administrator", adminPassword}, lines, []string{"save", "exit"}))
	if want := baseConfig + strings.Join(lines, "\n") + "\n"; f.configText() != want {
		t.Errorf("device configuration:\n%s\nwant:\n%s", f.configText(), want)
	}
}

// A failure at step k of n undoes steps k-1..1 in reverse order, reports the device's
// message, saves nothing and leaves the mode answering the question with N.
func TestImmediateFailureUndoesAppliedStepsInReverse(t *testing.T) {
	lines := renderCreate(t, baseConfig, prefixList("PL-1"))
	const k = 4 // 1-based: steps 1..3 applied, step 4 refused, of 7
	f := &fakeDevice{config: baseConfig, stateful: true, ask: askImmediate, reply: func(_ int, cmd string) (string, error) {
		if cmd == lines[k-1] {
			return "ERR Error: Parameter out of range", nil
		}
		return "", nil
	}}
	d, _ := newTxDevice(t, f, immediate(t))
	err := d.Apply(context.Background(), create(prefixList("PL-1")))
	var e *device.Error
	if !errors.As(err, &e) || e.Scope != platform.ScopeLine || e.Message != "Error: Parameter out of range" || e.Command != lines[k-1] {
		t.Fatalf("Apply = %v, want the refused step with the device's message", err)
	}
	assertCommands(t, commandsOf(f.log(), 1), cat(
		[]string{readConfig, "administrator", adminPassword},
		lines[:k],
		[]string{undoOf(lines[2]), undoOf(lines[1]), undoOf(lines[0]), "exit", "N"}))
	if got := f.configText(); got != baseConfig {
		t.Errorf("the device was not restored:\n%s", got)
	}
	// The device is as before: a later batch with nothing to do does not enter or save.
	n := len(f.log())
	if err := d.Apply(context.Background(), remove(vpn.KindPrefixList, "PL-9")); err != nil {
		t.Fatal(err)
	}
	for _, c := range f.log()[n:] {
		if !strings.HasSuffix(c, ": "+readConfig) {
			t.Errorf("a batch with nothing to do after a complete undo sent %q", c)
		}
	}
}

// An undo that fails is reported as such, naming the steps still in effect; the batch is
// not split and nothing is saved.
func TestImmediateFailedUndoIsReported(t *testing.T) {
	lines := renderCreate(t, baseConfig, prefixList("PL-1"))
	f := &fakeDevice{config: baseConfig, stateful: true, ask: askImmediate, reply: func(_ int, cmd string) (string, error) {
		switch cmd {
		case lines[3]:
			return "ERR Error: Parameter out of range", nil
		case undoOf(lines[1]):
			return "ERR Error: Illegal keyword", nil
		}
		return "", nil
	}}
	d, _ := newTxDevice(t, f, immediate(t))
	err := d.Apply(context.Background(), create(prefixList("PL-1")))
	var ue *device.UndoError
	if !errors.As(err, &ue) {
		t.Fatalf("Apply = %v (%T), want a *device.UndoError", err, err)
	}
	if !slices.Equal(ue.Remaining, lines[:2]) || ue.Command != undoOf(lines[1]) || ue.Message != "Error: Illegal keyword" {
		t.Errorf("UndoError = %+v, want steps 1-2 remaining after the undo of step 2 failed", ue)
	}
	var cause *device.Error
	if !errors.As(err, &cause) || cause.Command != lines[3] {
		t.Errorf("the UndoError does not carry the refused step: %v", err)
	}
	for _, s := range []string{"neither the old nor the new", "Parameter out of range", "Illegal keyword", lines[0], lines[1]} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q lacks %q", err, s)
		}
	}
	assertCommands(t, commandsOf(f.log(), 1), cat(
		[]string{readConfig, "administrator", adminPassword},
		lines[:4],
		[]string{undoOf(lines[2]), undoOf(lines[1]), "exit", "N"}))
}

// A confirmation that fails leaves the commit to the device's own rollback: the batch is
// not split (each part would commit again over the pending commit) and the error says so.
func TestFailedConfirmationIsNotSplit(t *testing.T) {
	f := &fakeDevice{config: baseConfig, reply: func(_ int, cmd string) (string, error) {
		if cmd == "commit" {
			return "ERR error: commit failed: (statements constraint check failed)", nil
		}
		return "", nil
	}}
	d, logs := newTxDevice(t, f, candidate(t, nil), func(o *device.Options) { o.BatchWindow = 100 * time.Millisecond })
	changes := []vpn.Change{create(prefixList("PL-1")), create(prefixList("PL-2"))}
	for i, err := range applyConcurrently(d, changes) {
		var e *device.Error
		if !errors.As(err, &e) || e.Scope != platform.ScopeSession || !strings.Contains(err.Error(), "not confirmed") {
			t.Errorf("Apply(%s) = %v, want the unconfirmed commit reported for the whole batch", changes[i], err)
		}
	}
	if strings.Contains(logs.text(), "one by one") {
		t.Errorf("a failed confirmation split the batch:\n%s", logs.text())
	}
	cmds := commandsOf(f.log(), 1)
	if got := cmds[len(cmds)-3:]; !slices.Equal(got, []string{"commit", "rollback 0", "exit"}) {
		t.Errorf("commands end with %q, want the confirmation then the abort", got)
	}
}

func TestHeldLockIsWaitedFor(t *testing.T) {
	tries := 0
	f := &fakeDevice{config: baseConfig, reply: func(_ int, cmd string) (string, error) {
		if cmd == "configure exclusive" {
			if tries++; tries <= 2 {
				return "LOCKED user Z (pid 4242) on since 2026-11-30 11:00:00 UTC, idle 00:01:00", nil
			}
		}
		return "", nil
	}}
	d, logs := newTxDevice(t, f, candidate(t, func(tx *platform.TxSpec) { tx.LockWait = 10 * time.Second }))
	start := time.Now()
	if err := d.Apply(context.Background(), create(prefixList("PL-1"))); err != nil {
		t.Fatal(err)
	}
	// Backoff 200 ms then 400 ms, each paused for a random time in its second half.
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Errorf("acquired after %s, want the backoff waits (at least 300ms)", took)
	}
	lines := renderCreate(t, baseConfig, prefixList("PL-1"))
	// A refused Enter leaves the session outside configuration mode: nothing to abort.
	// Each attempt reads again: the holder of the lock may have changed the configuration.
	assertCommands(t, commandsOf(f.log(), 1), cat(
		[]string{readConfig, "configure exclusive", readConfig, "configure exclusive", readConfig, "configure exclusive"}, lines,
		[]string{"commit check", "commit confirmed 5", readConfig, "commit", "exit"}))
	if !strings.Contains(logs.text(), "user Z") {
		t.Errorf("the wait was not logged with the holder:\n%s", logs.text())
	}
}

func TestLockHeldPastTheWaitIsReportedNotSplit(t *testing.T) {
	f := &fakeDevice{config: baseConfig, reply: func(_ int, cmd string) (string, error) {
		if cmd == "configure exclusive" {
			return "LOCKED user Z", nil
		}
		return "", nil
	}}
	d, logs := newTxDevice(t, f, candidate(t, func(tx *platform.TxSpec) { tx.LockWait = 300 * time.Millisecond }),
		func(o *device.Options) { o.BatchWindow = 100 * time.Millisecond })
	changes := []vpn.Change{create(prefixList("PL-1")), create(prefixList("PL-2")), create(prefixList("PL-3"))}
	for i, err := range applyConcurrently(d, changes) {
		var le *device.LockError
		if !errors.As(err, &le) || le.Holder != "user Z" || le.Waited < 300*time.Millisecond || !strings.Contains(err.Error(), "locked by user Z") {
			t.Errorf("Apply(%s) = %v, want a *device.LockError naming user Z after the wait", changes[i], err)
		}
	}
	n := 0
	for _, c := range commandsOf(f.log(), 1) {
		if c == "configure exclusive" {
			n++
		}
	}
	// One batch: attempts at 0, 200 and 300 ms; a split would try each change again.
	if n < 2 || n > 4 {
		t.Errorf("configure exclusive sent %d times, want 2-4 (one batch, not split)", n)
	}
	if strings.Contains(logs.text(), "one by one") {
		t.Errorf("a held lock split the batch:\n%s", logs.text())
	}
}

// A hidden answer is sent to the device but appears in no log record and no error: not on
// success, not when the device's refusal quotes it, not when the session fails on it.
func TestHiddenAnswerNeverLeaks(t *testing.T) {
	cases := map[string]func(int, string) (string, error){
		"accepted": nil,
		"refused": func(_ int, cmd string) (string, error) {
			if cmd == adminPassword {
				return "ERR Incorrect password " + adminPassword, nil
			}
			return "", nil
		},
		"session lost": func(_ int, cmd string) (string, error) {
			if cmd == adminPassword {
				return "", fmt.Errorf("write %q: broken pipe", adminPassword)
			}
			return "", nil
		},
	}
	for name, reply := range cases {
		t.Run(name, func(t *testing.T) {
			f := &fakeDevice{config: baseConfig, stateful: true, ask: askImmediate, reply: reply}
			d, logs := newTxDevice(t, f, immediate(t))
			if got := d.Redact("pw " + adminPassword); strings.Contains(got, adminPassword) {
				t.Fatalf("the platform's hidden answer is not masked before the first transaction: %q", got)
			}
			err := d.Apply(context.Background(), create(prefixList("PL-1")))
			if !slices.Contains(commandsOf(f.log(), 1), adminPassword) {
				t.Fatalf("the password was not sent: %q", f.log())
			}
			if (err == nil) != (reply == nil) {
				t.Fatalf("Apply = %v", err)
			}
			if err != nil && strings.Contains(err.Error(), adminPassword) {
				t.Errorf("the error quotes the password: %v", err)
			}
			if strings.Contains(logs.text(), adminPassword) {
				t.Errorf("the logs quote the password:\n%s", logs.text())
			}
			if err != nil && name == "refused" {
				var e *device.Error
				if !errors.As(err, &e) || e.Scope != platform.ScopeSession || e.Command != "administrator" {
					t.Errorf("Apply = %v, want a session-scoped error on administrator", err)
				}
			}
		})
	}
}

// After a session is lost between a confirmed commit and its confirmation, the retry reads
// the device, finds the change there, and confirms it (an unconfirmed commit would be rolled
// back by the device).
func TestCandidateResumeConfirmsTheCutOffCommit(t *testing.T) {
	lines := renderCreate(t, baseConfig, prefixList("PL-1"))
	committed := baseConfig + strings.Join(lines, "\n") + "\n"
	reads := 0
	f := &fakeDevice{config: baseConfig, reply: func(s int, cmd string) (string, error) {
		if cmd != readConfig {
			return "", nil
		}
		switch reads++; {
		case s == 1 && reads == 2: // the read-back after the confirmed commit
			return "", errors.New("connection reset by peer")
		case s == 2:
			return committed, nil
		}
		return "", nil
	}}
	d, _ := newTxDevice(t, f, candidate(t, nil))
	if err := d.Apply(context.Background(), create(prefixList("PL-1"))); err != nil {
		t.Fatal(err)
	}
	assertCommands(t, commandsOf(f.log(), 1), cat([]string{readConfig, "configure exclusive"}, lines, []string{"commit check", "commit confirmed 5", readConfig}))
	assertCommands(t, commandsOf(f.log(), 2), []string{readConfig, "configure exclusive", "commit", "exit"})
}

// After a session is lost in the middle of an immediate batch, the steps already applied
// stay on the device: the retry reads it and sends only what is missing, then saves.
func TestImmediateResumeCompletesTheCutOffBatch(t *testing.T) {
	lines := renderCreate(t, baseConfig, prefixList("PL-1"))
	f := &fakeDevice{config: baseConfig, stateful: true, ask: askImmediate, reply: func(s int, cmd string) (string, error) {
		if s == 1 && cmd == lines[3] {
			return "", errors.New("connection reset by peer")
		}
		return "", nil
	}}
	d, _ := newTxDevice(t, f, immediate(t))
	if err := d.Apply(context.Background(), create(prefixList("PL-1"))); err != nil {
		t.Fatal(err)
	}
	assertCommands(t, commandsOf(f.log(), 1), cat([]string{readConfig, "administrator", adminPassword}, lines[:4]))
	assertCommands(t, commandsOf(f.log(), 2), cat([]string{readConfig, "administrator", adminPassword}, lines[3:], []string{"save", "exit"}))
	o, err := d.Get(context.Background(), vpn.KindPrefixList, "PL-1")
	if err != nil || o == nil {
		t.Fatalf("Get(PL-1) = %v, %v", o, err)
	}
	want := prefixList("PL-1")
	edgeos(t).Normalize(want)
	if fmt.Sprint(o) != fmt.Sprint(want) {
		t.Errorf("device holds %v, want %v", o, want)
	}
}

// EdgeOS in the new spec sends what it always sent: a candidate transaction with the read
// inside configuration mode, commit, save, exit.
func TestEdgeOSTransactionIsUnchanged(t *testing.T) {
	f := &fakeDevice{config: baseConfig, reply: func(_ int, cmd string) (string, error) {
		if cmd == "save" {
			return "Saving configuration to '/config/config.boot'...\nDone", nil
		}
		return "", nil
	}}
	d := f.newDevice(t)
	if err := d.Apply(context.Background(), create(prefixList("PL-1"))); err != nil {
		t.Fatal(err)
	}
	lines := renderCreate(t, baseConfig, prefixList("PL-1"))
	assertCommands(t, commandsOf(f.log(), 1), cat([]string{readConfig, "configure", txReadConfig}, lines, []string{"commit", "save", "exit"}))
	if tx := edgeos(t).Session().Tx; tx.Strategy != platform.Candidate || tx.LockWait != 0 || tx.Confirm != nil || tx.Check != nil || tx.Paste != nil {
		t.Errorf("EdgeOS declares %+v, want a plain candidate transaction", tx)
	}
}

// A lock met after configuration mode was entered (at the check) is aborted cleanly, then
// waited for like one met on entering.
func TestLockAtTheCheckIsAbortedThenWaitedFor(t *testing.T) {
	tries := 0
	f := &fakeDevice{config: baseConfig, reply: func(_ int, cmd string) (string, error) {
		if cmd == "commit check" {
			if tries++; tries == 1 {
				return "LOCKED user Z", nil
			}
		}
		return "", nil
	}}
	d, _ := newTxDevice(t, f, candidate(t, func(tx *platform.TxSpec) { tx.LockWait = 10 * time.Second }))
	if err := d.Apply(context.Background(), create(prefixList("PL-1"))); err != nil {
		t.Fatal(err)
	}
	lines := renderCreate(t, baseConfig, prefixList("PL-1"))
	assertCommands(t, commandsOf(f.log(), 1), cat(
		[]string{readConfig, "configure exclusive"}, lines, []string{"commit check", "rollback 0", "exit"},
		[]string{readConfig, "configure exclusive"}, lines, []string{"commit check", "commit confirmed 5", readConfig, "commit", "exit"}))
}

// leaveDialect gives every step a Leave command, as a flat CLI's steps inside a context
// have (RTX `tunnel select none`).
type leaveDialect struct{ stepDialect }

func (p *leaveDialect) RenderSteps(cur platform.Snapshot, desired *vpn.Config) ([]platform.Step, error) {
	steps, err := p.stepDialect.RenderSteps(cur, desired)
	for i := range steps {
		steps[i].Leave = platform.Lines("leave-context")
	}
	return steps, err
}

// A refused step first leaves the context it was typed in, then the applied steps are
// undone in reverse.
func TestImmediateRefusedStepLeavesItsContextBeforeTheUndo(t *testing.T) {
	lines := renderCreate(t, baseConfig, prefixList("PL-1"))
	f := &fakeDevice{config: baseConfig, stateful: true, ask: askImmediate, reply: func(_ int, cmd string) (string, error) {
		if cmd == lines[2] {
			return "ERR Error: Parameter out of range", nil
		}
		return "", nil
	}}
	d, _ := newTxDevice(t, f, &leaveDialect{stepDialect{testDialect{Platform: edgeos(t), tx: immediateTx()}}})
	if err := d.Apply(context.Background(), create(prefixList("PL-1"))); err == nil {
		t.Fatal("Apply succeeded")
	}
	assertCommands(t, commandsOf(f.log(), 1), cat(
		[]string{readConfig, "administrator", adminPassword},
		lines[:3],
		[]string{"leave-context", undoOf(lines[1]), undoOf(lines[0]), "exit", "N"}))
}

// immediateNet is the immediate device with a rollback timer (TxSpec.SafetyNet) confirmed
// after the read-back; Abort stops the timer too.
func immediateNet(t *testing.T) platform.Platform {
	tx := immediateTx()
	tx.SafetyNet = platform.Lines("rollback timer 600")
	tx.Confirm = platform.Lines("confirm")
	tx.Abort = append(platform.Lines("confirm"), tx.Abort...)
	return &stepDialect{testDialect{Platform: edgeos(t), tx: tx}}
}

// A batch under the device's rollback timer: armed after entering, the steps, the
// configuration read back over the same session, confirmed, then saved.
func TestImmediateSafetyNetIsArmedReadBackAndConfirmed(t *testing.T) {
	f := &fakeDevice{config: baseConfig, stateful: true, ask: askImmediate}
	d, _ := newTxDevice(t, f, immediateNet(t))
	if err := d.Apply(context.Background(), create(prefixList("PL-1"))); err != nil {
		t.Fatal(err)
	}
	lines := renderCreate(t, baseConfig, prefixList("PL-1"))
	assertCommands(t, commandsOf(f.log(), 1), cat([]string{readConfig, "administrator", adminPassword, "rollback timer 600"}, lines,
		[]string{readConfig, "confirm", "save", "exit"}))
}

// A refused step under the timer is undone, and Abort stops the timer; nothing is saved.
func TestImmediateSafetyNetRefusedStepIsUndoneAndTheTimerStopped(t *testing.T) {
	lines := renderCreate(t, baseConfig, prefixList("PL-1"))
	f := &fakeDevice{config: baseConfig, stateful: true, ask: askImmediate, reply: func(_ int, cmd string) (string, error) {
		if cmd == lines[1] {
			return "ERR Error: Parameter out of range", nil
		}
		return "", nil
	}}
	d, _ := newTxDevice(t, f, immediateNet(t))
	if err := d.Apply(context.Background(), create(prefixList("PL-1"))); err == nil {
		t.Fatal("a refused step was not reported")
	}
	assertCommands(t, commandsOf(f.log(), 1), cat([]string{readConfig, "administrator", adminPassword, "rollback timer 600"}, lines[:2],
		[]string{undoOf(lines[0]), "confirm", "exit", "N"}))
	if got := f.configText(); got != baseConfig {
		t.Errorf("the device was not restored:\n%s", got)
	}
}

// A session lost under the timer is not retried on a new session (the device may revert
// the batch under the retry): the error says the device rolls the change back by itself.
func TestImmediateSafetyNetLostSessionIsNotRetried(t *testing.T) {
	lines := renderCreate(t, baseConfig, prefixList("PL-1"))
	f := &fakeDevice{config: baseConfig, stateful: true, ask: askImmediate, reply: func(s int, cmd string) (string, error) {
		if s == 1 && cmd == lines[2] {
			return "", errors.New("connection reset by peer")
		}
		return "", nil
	}}
	d, _ := newTxDevice(t, f, immediateNet(t))
	err := d.Apply(context.Background(), create(prefixList("PL-1")))
	var ue *device.UnconfirmedError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "rolls it back by itself") {
		t.Fatalf("Apply = %v, want an unconfirmed change the device rolls back", err)
	}
	if n := len(commandsOf(f.log(), 2)); n != 0 {
		t.Errorf("a second session sent %d commands", n)
	}
	// A session lost after the confirmation (at the save) is an ordinary loss again: the
	// retry finds the batch on the device and saves it.
	f.mu.Lock()
	f.reply = func(s int, cmd string) (string, error) {
		if s == 2 && cmd == "save" {
			return "", errors.New("connection reset by peer")
		}
		return "", nil
	}
	f.mu.Unlock()
	if err := d.Apply(context.Background(), create(prefixList("PL-2"))); err != nil {
		t.Fatalf("a session lost after the confirmation was not retried: %v", err)
	}
	if got := commandsOf(f.log(), 3); !slices.Contains(got, "save") {
		t.Errorf("the retry did not save: %q", got)
	}
}

// Preview renders one change as the next transaction would, secrets masked, and sends
// nothing but the configuration read.
func TestPreviewRendersWithoutSending(t *testing.T) {
	f := &fakeDevice{config: baseConfig, stateful: true}
	d, _ := newTxDevice(t, f, candidate(t, nil))
	nb := func() *vpn.BGPNeighbor {
		return &vpn.BGPNeighbor{Address: "192.0.2.9", LocalAS: 65000, RemoteAS: 65001, Password: "preview-Secret-1"}
	}
	lines, err := d.Preview(context.Background(), create(nb()))
	if err != nil {
		t.Fatal(err)
	}
	want := renderCreate(t, baseConfig, nb())
	if len(want) == 0 || len(lines) != len(want) {
		t.Fatalf("preview %q, want the lines of %q", lines, want)
	}
	all := strings.Join(lines, "\n")
	if strings.Contains(all, "preview-Secret-1") {
		t.Errorf("the preview shows the key:\n%s", all)
	}
	for _, c := range commandsOf(f.log(), 1) {
		if c != readConfig {
			t.Errorf("the preview sent %q", c)
		}
	}
	if f.configText() != baseConfig {
		t.Error("the preview changed the device")
	}
}

// On a platform whose lines take effect one by one there is no commit to vouch for the batch:
// the snapshot is dropped and the callers' read-back reads the device.
func TestImmediateBatchIsReadBack(t *testing.T) {
	f := &fakeDevice{config: baseConfig, stateful: true, ask: askImmediate}
	d, _ := newTxDevice(t, f, immediate(t))
	ctx := context.Background()
	if err := d.Apply(ctx, create(prefixList("PL-1"))); err != nil {
		t.Fatal(err)
	}
	if o, err := d.Get(ctx, vpn.KindPrefixList, "PL-1"); err != nil || o == nil {
		t.Fatalf("Get(PL-1) = %v, %v", o, err)
	}
	if st := d.Stats(); st.Reads != 2 || st.Derived != 0 || st.Commits != 1 || st.Saves != 1 {
		t.Errorf("Reads = %d, Derived = %d, Commits = %d, Saves = %d; want 2, 0, 1, 1", st.Reads, st.Derived, st.Commits, st.Saves)
	}
}

// A confirmed commit is read back before it is confirmed: that read, taken after the commit,
// is the snapshot, and nothing reads the device again for the callers.
func TestConfirmedCommitReadIsTheSnapshot(t *testing.T) {
	f := &fakeDevice{config: baseConfig, stateful: true}
	d, _ := newTxDevice(t, f, candidate(t, nil))
	ctx := context.Background()
	if err := d.Apply(ctx, create(prefixList("PL-1"))); err != nil {
		t.Fatal(err)
	}
	if o, err := d.Get(ctx, vpn.KindPrefixList, "PL-1"); err != nil || o == nil {
		t.Fatalf("Get(PL-1) = %v, %v", o, err)
	}
	if st := d.Stats(); st.Reads != 1 || st.TxReads != 1 || st.Derived != 0 {
		t.Errorf("Reads = %d, TxReads = %d, Derived = %d; want 1, 1, 0", st.Reads, st.TxReads, st.Derived)
	}
}
