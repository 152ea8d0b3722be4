// Package device drives one network device: it owns the SSH session (opened on first use,
// reused, reopened after a failure), serializes access with a per-device lock, caches one
// configuration snapshot until something writes, batches concurrent writes into one
// transaction and reports failures with the device's own words. It knows nothing about
// Terraform: the provider hands it vpn.Changes, a platform dialect turns them into CLI lines.
//
// Transactions follow one of two generic strategies that the dialect chooses in its
// platform.TxSpec (tx.go; the contract is platform.TxStrategy's): a candidate configuration
// committed at once (optionally checked, and confirmed after a read-back), or steps that take
// effect immediately and are undone in reverse order when one is refused. Device code never
// branches on the vendor.
package device

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Conn is an open CLI session to a device. sshcli.Session implements it.
type Conn interface {
	// Send runs one command and returns what the device printed, without the echo and the
	// trailing prompt.
	Send(ctx context.Context, command string) (string, error)
	// SendMarked runs a command line that prints marker on a line of its own after its
	// output (see platform.SessionSpec.EndMarker) and returns the output before that line.
	SendMarked(ctx context.Context, command, marker string) (string, error)
	// SendTimeout is Send bounded by timeout or the session's own command timeout, whichever
	// is longer (for commits and saves, see platform.TxSpec.CommitTimeout).
	SendTimeout(ctx context.Context, command string, timeout time.Duration) (string, error)
	// Alive reports whether the session can still be used.
	Alive() bool
	// Close ends the session.
	Close() error
}

// Dialer opens a new session to the device.
type Dialer func(ctx context.Context) (Conn, error)

// Logger receives the device layer's log records. Every message and field has been through
// the device's redactor, so it holds no secret.
type Logger func(ctx context.Context, level, msg string, fields map[string]any)

// Options configure a Device.
type Options struct {
	Name     string            // the device's name in the provider configuration
	Address  string            // host:port, for messages
	Platform platform.Platform // the dialect
	Dial     Dialer
	// BatchWindow is how long the first write of a batch waits for concurrent writes to join
	// it. Terraform starts independent operations together, so a few milliseconds gather
	// them; 0 means DefaultBatchWindow.
	BatchWindow time.Duration
	// OpTimeout bounds one batch (read, render, transaction); 0 means DefaultOpTimeout.
	OpTimeout time.Duration
	Logger    Logger
	// SlowCommand is how long a command may take before its answer is logged at info level
	// as slow (progress for TF_LOG=info); 0 means DefaultSlowCommand.
	SlowCommand time.Duration
	// DialectOptions are the options of the device block, checked with
	// platform.CheckOptions; the dialect is bound to them and to the device's facts.
	DialectOptions map[string]string
}

// DialRetryAfter is how long a failure to open a session is reported again without a new
// attempt (see Device.NewRun, which forgets it).
const DialRetryAfter = 30 * time.Second

// Defaults for Options.
const (
	DefaultBatchWindow = 30 * time.Millisecond
	DefaultOpTimeout   = 10 * time.Minute
	DefaultSlowCommand = 5 * time.Second
)

// Device is one managed device. All methods are safe for concurrent use.
type Device struct {
	opts Options

	mu    sync.Mutex // serializes use of conn, snap and held
	conn  Conn
	snap  *platform.Snapshot
	facts *vpn.Facts
	stats Stats
	// held are objects applied but deferred by the platform (platform.Deferrer): in the
	// model, not yet on the device. They take part in every later render, so that they reach
	// the device with the first object that lets them, and Get returns them meanwhile.
	held map[string]vpn.Object
	// dialErr is the last failure to open a session, answered again without dialling until
	// DialRetryAfter has passed or a new run starts: N resources on an unreachable device
	// would otherwise each wait for the connect timeout.
	dialErr *DialError
	dialAt  time.Time
	// unsaved is set when a commit succeeded but the save after it did not: the next
	// transaction saves even when it has nothing else to do.
	unsaved bool
	// confirmPending: the last confirmed commit (TxSpec.Confirm) has not been confirmed, so the
	// device rolls it back by itself when its timer runs out.
	confirmPending bool
	// netArmed: this session armed the device's rollback for an Immediate batch
	// (TxSpec.SafetyNet) and has not confirmed it. The timer belongs to the session: a lost
	// session is not retried, since the device may revert the batch under a retry.
	netArmed bool

	qmu      sync.Mutex // guards queue and flushing
	queue    []*pending
	flushing bool

	secrets secretSet

	// base is the dialect as registered; opts.Platform is base bound to the options and,
	// after the first session, to the facts (bind.go). dialect holds opts.Platform for
	// readers that do not hold mu.
	base    platform.Platform
	dialect atomic.Pointer[platform.Platform]
	bindErr error
}

// Stats counts what the device layer did, for tests and benchmarks.
type Stats struct {
	Sessions     int // sessions opened
	Reads        int // configuration reads for snapshots
	TxReads      int // configuration reads inside a transaction (see platform.TxSpec.ReadConfig)
	Transactions int // transactions started (a split batch counts each part)
	Commands     int // commands sent
}

type pending struct {
	ctx    context.Context // the caller's, for its logger; never cancelled here
	change vpn.Change
	done   chan error
}

// New returns a Device; nothing is dialled until first use.
func New(opts Options) *Device {
	if opts.BatchWindow == 0 {
		opts.BatchWindow = DefaultBatchWindow
	}
	if opts.OpTimeout == 0 {
		opts.OpTimeout = DefaultOpTimeout
	}
	if opts.Logger == nil {
		opts.Logger = func(context.Context, string, string, map[string]any) {}
	}
	if opts.SlowCommand == 0 {
		opts.SlowCommand = DefaultSlowCommand
	}
	d := &Device{opts: opts}
	d.initDialect()
	if opts.Platform != nil {
		d.secrets.add(hiddenAnswers(opts.Platform.Session().Tx)...)
	}
	return d
}

// Name returns the device's name.
func (d *Device) Name() string { return d.opts.Name }

// Platform returns the device's dialect, bound to the options of its device block and, once
// a session has been opened, to its facts (see platform.Binder).
func (d *Device) Platform() platform.Platform { return *d.dialect.Load() }

// Stats returns counters of the work done so far.
func (d *Device) Stats() Stats {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stats
}

// AddSecrets registers values that must never appear in logs or errors.
func (d *Device) AddSecrets(values ...string) { d.secrets.add(values...) }

// Redact masks every registered secret and every secret the dialect recognises in s.
func (d *Device) Redact(s string) string {
	return d.secrets.redact(d.Platform().Redact(s))
}

// Invalidate drops the cached snapshot, so that the next read fetches the configuration
// again. The provider calls it when a new plan or apply starts.
func (d *Device) Invalidate() {
	d.mu.Lock()
	d.snap = nil
	d.mu.Unlock()
}

// NewRun starts a new plan or apply walk: the snapshot is dropped, and so are the objects held
// for a platform (platform.Deferrer), which belong to the walk that applied them. Terraform
// runs each walk in a new provider process, where nothing is held; a process that serves
// several walks (the acceptance tests) must behave the same. The session stays open.
func (d *Device) NewRun() {
	d.mu.Lock()
	d.snap = nil
	d.held = nil
	d.dialErr = nil
	d.mu.Unlock()
}

// Close ends the session, if any.
func (d *Device) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.snap = nil
	if d.conn == nil {
		return nil
	}
	err := d.conn.Close()
	d.conn = nil
	return err
}

// Snapshot returns the device's configuration, read once and cached until a write.
func (d *Device) Snapshot(ctx context.Context) (platform.Snapshot, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.snapshotLocked(ctx)
	if err != nil {
		return platform.Snapshot{}, err
	}
	return *s, nil
}

// Get returns one object as the device has it, or nil when it does not exist.
func (d *Device) Get(ctx context.Context, kind vpn.Kind, key string) (vpn.Object, error) {
	s, err := d.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	o := s.Config.Get(kind, key)
	if o == nil {
		d.mu.Lock()
		o = d.held[heldKey(kind, key)]
		d.mu.Unlock()
		if o == nil {
			return nil, nil
		}
	}
	return vpn.CloneObject(o), nil
}

// Deferred returns why the object is not on the device yet although it was applied, or ""
// when it is on the device (or unknown).
func (d *Device) Deferred(kind vpn.Kind, key string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	o := d.held[heldKey(kind, key)]
	df, ok := d.opts.Platform.(platform.Deferrer)
	if o == nil || !ok {
		return ""
	}
	return df.Deferred(o, d.withHeldLocked(vpn.NewConfig()))
}

// WhyAbsent returns why o, an object the device does not hold, cannot be on it alone (the
// platform defers it until another object uses it, see platform.Deferrer), or "" when
// nothing keeps it off the device.
func (d *Device) WhyAbsent(ctx context.Context, o vpn.Object) string {
	df, ok := d.Platform().(platform.Deferrer)
	if !ok || o == nil {
		return ""
	}
	s, err := d.Snapshot(ctx)
	if err != nil {
		return ""
	}
	cfg := s.Config.Clone()
	cfg.Put(vpn.CloneObject(o))
	return df.Deferred(o, cfg)
}

func heldKey(k vpn.Kind, key string) string { return string(k) + "/" + key }

// withHeldLocked returns cfg plus the held objects it lacks.
func (d *Device) withHeldLocked(cfg *vpn.Config) *vpn.Config {
	if len(d.held) == 0 {
		return cfg
	}
	out := cfg.Clone()
	for _, o := range d.held {
		if out.Get(o.Kind(), o.Key()) == nil {
			out.Put(vpn.CloneObject(o))
		}
	}
	return out
}

// holdDeferredLocked records which objects of desired the platform defers.
func (d *Device) holdDeferredLocked(desired *vpn.Config) {
	df, ok := d.opts.Platform.(platform.Deferrer)
	if !ok {
		return
	}
	d.held = map[string]vpn.Object{}
	for _, o := range desired.Objects() {
		if df.Deferred(o, desired) != "" {
			d.held[heldKey(o.Kind(), o.Key())] = vpn.CloneObject(o)
		}
	}
}

// Facts returns the device's model, version and hostname, read once per Device.
func (d *Device) Facts(ctx context.Context) (vpn.Facts, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.facts != nil {
		return *d.facts, nil
	}
	spec := d.opts.Platform.Session()
	out, err := d.sendLocked(ctx, spec.Facts)
	if err != nil {
		return vpn.Facts{}, err
	}
	f := d.opts.Platform.ParseFacts(out)
	f.Platform = d.opts.Platform.Name()
	d.facts = &f
	return f, nil
}

func (d *Device) snapshotLocked(ctx context.Context) (*platform.Snapshot, error) {
	if d.snap != nil {
		return d.snap, nil
	}
	snap, err := d.readLocked(ctx, d.opts.Platform.Session().ReadConfig)
	if err != nil {
		return nil, err
	}
	d.stats.Reads++
	d.snap = snap
	return d.snap, nil
}

// readLocked reads and parses the configuration with cmd (the platform's ReadConfig, or its
// TxSpec.ReadConfig inside a transaction). Where the platform declares an end marker, the
// end of the output is the marker line, never a prompt-like line inside the configuration.
func (d *Device) readLocked(ctx context.Context, cmd string) (*platform.Snapshot, error) {
	p := d.opts.Platform
	var (
		text string
		err  error
	)
	if mark := p.Session().EndMarker; mark != nil {
		marker, merr := newMarker()
		if merr != nil {
			return nil, d.errorf("cannot read the configuration: %v", merr)
		}
		text, err = d.sendMarkedLocked(ctx, mark(cmd, marker), marker)
	} else {
		text, err = d.sendLocked(ctx, cmd)
	}
	if err != nil {
		return nil, err
	}
	if err := p.CheckOutput(cmd, text); err != nil {
		return nil, d.deviceError(err, cmd)
	}
	cfg, err := p.Parse(text)
	if err != nil {
		return nil, d.errorf("cannot parse the configuration it printed for %q: %v", cmd, err)
	}
	d.decodeSecrets(ctx, cfg)
	for _, o := range cfg.Objects() {
		d.secrets.add(objectSecrets(o)...)
	}
	d.log(ctx, "debug", "read configuration", map[string]any{"command": cmd, "bytes": len(text), "objects": len(cfg.Objects())})
	return &platform.Snapshot{Text: text, Config: cfg}, nil
}

// newMarker returns a random end marker that no configuration holds by chance.
func newMarker() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "onpremvpn-end-" + hex.EncodeToString(b), nil
}

// connLocked returns the open session, dialling a new one when there is none or the old one
// died.
func (d *Device) connLocked(ctx context.Context) (Conn, error) {
	if d.conn != nil && d.conn.Alive() {
		return d.conn, nil
	}
	if d.conn != nil {
		_ = d.conn.Close()
		d.conn = nil
	}
	if d.dialErr != nil && time.Since(d.dialAt) < DialRetryAfter {
		return nil, d.dialErr
	}
	d.log(ctx, "info", "opening an SSH session", map[string]any{"address": d.opts.Address})
	c, err := d.opts.Dial(ctx)
	if err != nil {
		d.dialErr = &DialError{msg: d.errorf("cannot open an SSH session: %s", d.Redact(err.Error())), cause: err}
		d.dialAt = time.Now()
		return nil, d.dialErr
	}
	d.dialErr = nil
	d.stats.Sessions++
	if err := d.openedLocked(ctx, c); err != nil {
		_ = c.Close()
		return nil, err
	}
	d.conn = c
	d.log(ctx, "debug", "opened SSH session", nil)
	return c, nil
}

// sendLocked sends one command, opening the session if needed. A transport failure closes
// the session so that the next use reopens it.
func (d *Device) sendLocked(ctx context.Context, cmd string) (string, error) {
	c, err := d.connLocked(ctx)
	if err != nil {
		return "", err
	}
	d.stats.Commands++
	defer d.noteSlow(ctx, cmd, time.Now())
	out, err := c.Send(ctx, cmd)
	return out, d.transportLocked(c, cmd, err)
}

// sendTimeoutLocked is sendLocked bounded by at least timeout.
func (d *Device) sendTimeoutLocked(ctx context.Context, cmd string, timeout time.Duration) (string, error) {
	c, err := d.connLocked(ctx)
	if err != nil {
		return "", err
	}
	d.stats.Commands++
	defer d.noteSlow(ctx, cmd, time.Now())
	out, err := c.SendTimeout(ctx, cmd, timeout)
	return out, d.transportLocked(c, cmd, err)
}

// sendMarkedLocked is sendLocked for a command line that ends its output with marker.
func (d *Device) sendMarkedLocked(ctx context.Context, cmd, marker string) (string, error) {
	c, err := d.connLocked(ctx)
	if err != nil {
		return "", err
	}
	d.stats.Commands++
	defer d.noteSlow(ctx, cmd, time.Now())
	out, err := c.SendMarked(ctx, cmd, marker)
	return out, d.transportLocked(c, cmd, err)
}

// noteSlow logs at info level a command the device took SlowCommand or more to answer, so
// that TF_LOG=info shows why a run waits.
func (d *Device) noteSlow(ctx context.Context, cmd string, start time.Time) {
	if took := time.Since(start); took >= d.opts.SlowCommand {
		d.log(ctx, "info", "the device was slow to answer", map[string]any{"command": cmd, "took": took.Round(time.Millisecond).String()})
	}
}

// transportLocked turns a failed exchange into a *TransportError and drops the session, so
// that the next use reopens it.
func (d *Device) transportLocked(c Conn, cmd string, err error) error {
	if err == nil {
		return nil
	}
	_ = c.Close()
	d.conn = nil
	d.snap = nil
	return &TransportError{Device: d.opts.Name, Address: d.opts.Address, Command: d.Redact(cmd), Err: errors.New(d.Redact(err.Error()))}
}

// Apply makes one change on the device. Changes that arrive while another batch is being
// applied, or within BatchWindow of each other, are applied together in one transaction.
// When a batch fails, its changes are retried one by one so that each caller learns whether
// its own change was the one the device refused.
func (d *Device) Apply(ctx context.Context, ch vpn.Change) error {
	if ch.Object != nil {
		d.secrets.add(objectSecrets(ch.Object)...)
	}
	p := &pending{ctx: context.WithoutCancel(ctx), change: ch, done: make(chan error, 1)}
	d.qmu.Lock()
	d.queue = append(d.queue, p)
	if !d.flushing {
		d.flushing = true
		go d.flushLoop()
	}
	d.qmu.Unlock()
	// The batch runs with its own timeout; a cancelled caller still waits for the outcome so
	// that Terraform's state matches the device.
	return <-p.done
}

func (d *Device) flushLoop() {
	for {
		time.Sleep(d.opts.BatchWindow)
		d.qmu.Lock()
		batch := d.queue
		d.queue = nil
		if len(batch) == 0 {
			d.flushing = false
			d.qmu.Unlock()
			return
		}
		d.qmu.Unlock()
		// The batch runs with its own deadline, in the first caller's context so that its
		// logs reach Terraform's log sink.
		ctx, cancel := context.WithTimeout(batch[0].ctx, d.opts.OpTimeout)
		d.runBatch(ctx, batch)
		cancel()
	}
}

// runBatch applies a batch and answers every pending change.
func (d *Device) runBatch(ctx context.Context, batch []*pending) {
	d.mu.Lock()
	defer d.mu.Unlock()
	errs := d.applyLocked(ctx, batch, true, nil)
	for i, p := range batch {
		p.done <- errs[i]
	}
}

// applyLocked applies the batch in one transaction and returns one error per change. A batch
// refused for one line or at the commit (platform.ErrorScope.Splittable) is split to find the
// refused change; a transport error is retried once on a new session (the retry renders from a
// fresh read, so work the device already holds is not repeated, see resumeLocked); a held
// configuration lock is waited for (see transactWaitLocked). res is set when an earlier
// attempt of these changes was cut off.
func (d *Device) applyLocked(ctx context.Context, batch []*pending, retry bool, res *resume) []error {
	errs := make([]error, len(batch))
	changes := make([]vpn.Change, len(batch))
	for i, p := range batch {
		changes[i] = p.change
	}
	base, err := d.transactWaitLocked(ctx, changes, res)
	if err == nil {
		return errs
	}
	var te *TransportError
	if errors.As(err, &te) && d.netArmed {
		// The batch ran under this session's rollback timer, which the lost session can no
		// longer confirm: the device reverts it by itself (RTX: when the timer or the login
		// timer runs out). A retry would build on a configuration about to change.
		d.netArmed = false
		for i := range errs {
			errs[i] = &UnconfirmedError{err: err}
		}
		return errs
	}
	if errors.As(err, &te) && retry {
		d.log(ctx, "warn", "session failed during a transaction; retrying on a new session", map[string]any{"error": err.Error()})
		if res == nil {
			res = &resume{before: base}
		}
		errs := d.applyLocked(ctx, batch, false, res)
		if d.confirmPending {
			// The cut-off attempt's confirmed commit is active, and the retry could not
			// confirm it: the device will roll it back by itself.
			for i, e := range errs {
				if e != nil && !errors.As(e, new(*UnconfirmedError)) {
					errs[i] = &UnconfirmedError{err: e}
				}
			}
		}
		return errs
	}
	if len(batch) == 1 || !splittable(err) {
		// Splitting finds the change the device refuses. A failure after the commit (save,
		// exit) concerns the whole batch, which is active on the device: splitting would
		// re-apply committed creates as conflicts. A lost or unreachable session, a held
		// lock or a failed undo refuse nothing: splitting would only repeat the failure
		// once per change.
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	d.log(ctx, "info", "batch failed; applying its changes one by one to find the failing one", map[string]any{"changes": len(batch), "error": err.Error()})
	for i, p := range batch {
		errs[i] = d.applyLocked(ctx, []*pending{p}, retry, res)[0]
	}
	return errs
}

// resume is what a retry after a lost session knows of the cut-off attempt.
type resume struct {
	// before is the configuration the cut-off attempt rendered from (nil when it was cut off
	// before rendering).
	before *vpn.Config
}

// splittable reports whether a failed batch is split to find the refused change: only for a
// refused line or commit (or a change refused before it reached the device).
func splittable(err error) bool {
	var (
		ce *CommittedError
		te *TransportError
		de *DialError
		le *LockError
		ue *UndoError
		e  *Error
	)
	switch {
	case errors.As(err, &ce), errors.As(err, &te), errors.As(err, &de), errors.As(err, &le), errors.As(err, &ue):
		return false
	case errors.As(err, &e):
		return e.Scope == platform.ScopeUnknown || e.Scope.Splittable()
	}
	return true
}

// transactLocked renders the changes against a snapshot and runs them in one transaction of
// the platform's strategy. It returns the configuration it rendered from. res: see
// applyLocked.
func (d *Device) transactLocked(ctx context.Context, changes []vpn.Change, res *resume) (*vpn.Config, error) {
	snap, err := d.snapshotLocked(ctx)
	if err != nil {
		return nil, err
	}
	base := d.withHeldLocked(snap.Config)
	desired, steps, err := d.renderLocked(snap, changes, res)
	if err != nil {
		return base, err
	}
	if len(steps) == 0 && res == nil && !d.unsaved {
		d.log(ctx, "debug", "nothing to change", map[string]any{"changes": describe(changes)})
		d.holdDeferredLocked(desired)
		return base, nil
	}
	d.stats.Transactions++
	// Whatever happens next, the device may have changed.
	d.snap = nil
	desired, err = d.pushLocked(ctx, snap, changes, desired, steps, res)
	if err != nil {
		if ce := (*CommittedError)(nil); errors.As(err, &ce) {
			d.holdDeferredLocked(desired) // desired is active on the device
		}
		return base, err
	}
	d.holdDeferredLocked(desired)
	return base, nil
}

// renderLocked applies the changes to the configuration of snap (plus the held objects) and
// renders the steps that make the device so: the dialect's platform.StepRenderer where it
// has one, else its lines as steps without undo.
func (d *Device) renderLocked(snap *platform.Snapshot, changes []vpn.Change, res *resume) (*vpn.Config, []platform.Step, error) {
	if res != nil {
		changes = d.resumeLocked(d.withHeldLocked(snap.Config), res.before, changes)
	}
	desired, err := vpn.Apply(d.withHeldLocked(snap.Config), changes...)
	if err != nil {
		return nil, nil, d.scoped(d.wrap(err), platform.ScopeLine)
	}
	// Held objects are partly on the device (an EdgeOS gateway's ike-group): the render
	// starts from them too, so that deleting one removes what it left there.
	current := platform.Snapshot{Text: snap.Text, Config: d.withHeldLocked(snap.Config)}
	var steps []platform.Step
	if sr, ok := d.opts.Platform.(platform.StepRenderer); ok {
		steps, err = sr.RenderSteps(current, desired)
	} else if d.tx().Strategy == platform.Immediate {
		err = fmt.Errorf("platform %q applies lines immediately but renders no undo steps (platform.StepRenderer)", d.opts.Platform.Name())
	} else {
		var lines []string
		lines, err = d.opts.Platform.Render(current, desired)
		for _, l := range lines {
			steps = append(steps, platform.Step{Do: platform.Command{Line: l}})
		}
	}
	if err != nil {
		return nil, nil, d.scoped(d.errorf("cannot render %s: %s", describe(changes), d.Redact(err.Error())), platform.ScopeLine)
	}
	return desired, steps, nil
}

// resumeLocked returns changes adjusted to what the device holds after a lost session, whose
// cut-off attempt rendered from before (nil if unknown).
//
// Every create whose object cfg already holds exactly as requested becomes an update (which
// renders nothing): the device's answer to the commit is unknown, and such an object is the
// committed work of the cut-off attempt, not a conflict. An object that differs still
// conflicts. On a platform whose lines take effect at once (platform.Immediate) nothing is
// discarded with the session: a created object that was absent from before and is there now,
// in any form, is the cut-off attempt's partial work, and becomes an update that completes it.
func (d *Device) resumeLocked(cfg, before *vpn.Config, changes []vpn.Change) []vpn.Change {
	p := d.opts.Platform
	immediate := d.tx().Strategy == platform.Immediate
	norm := func(o vpn.Object) vpn.Object {
		o = vpn.CloneObject(o)
		p.Normalize(o)
		return o
	}
	out := make([]vpn.Change, len(changes))
	for i, ch := range changes {
		out[i] = ch
		if ch.Op != vpn.OpCreate || ch.Object == nil {
			continue
		}
		have := cfg.Get(ch.Kind, ch.Key)
		switch {
		case have == nil:
		case reflect.DeepEqual(norm(have), norm(ch.Object)):
			out[i].Op = vpn.OpUpdate
		case immediate && before != nil && before.Get(ch.Kind, ch.Key) == nil:
			out[i].Op = vpn.OpUpdate
		}
	}
	return out
}

// DialError is a failure to open a session. Its message names the device and is redacted;
// errors.As reaches the transport's own error (for example *sshcli.HostKeyError or
// *sshcli.AuthError) through Unwrap, so that callers can tell a refused identity from an
// unreachable device.
type DialError struct {
	msg   error
	cause error
}

func (e *DialError) Error() string { return e.msg.Error() }

// Unwrap returns the device-layer error and the transport's cause.
func (e *DialError) Unwrap() []error { return []error{e.msg, e.cause} }

// CommittedError is a failure after a successful commit: the change is active on the device
// but not saved, so a reboot would lose it. The next transaction on the device saves again.
type CommittedError struct{ err error }

func (e *CommittedError) Error() string {
	return e.err.Error() + " (the change is active on the device but was NOT saved: it would be lost at the next reboot; the next apply that changes this device saves it)"
}

func (e *CommittedError) Unwrap() error { return e.err }

// UnconfirmedError is a failure after a confirmed commit (TxSpec.Confirm) or an armed
// rollback timer (TxSpec.SafetyNet) that was never confirmed: the change is active on the
// device until the device's own timer rolls it back.
type UnconfirmedError struct{ err error }

func (e *UnconfirmedError) Error() string {
	return e.err.Error() + " (this change reached the device under its automatic rollback (a confirmed commit or a rollback timer) and was not confirmed: the device rolls it back by itself when its timer runs out; plan again after that to see what is missing)"
}

func (e *UnconfirmedError) Unwrap() error { return e.err }

func (d *Device) deviceError(err error, cmd string) error {
	var de *platform.DeviceError
	if errors.As(err, &de) {
		return &Error{Device: d.opts.Name, Address: d.opts.Address, Command: d.Redact(cmd), Message: d.Redact(de.Message), Scope: de.Scope}
	}
	return d.wrap(err)
}

func (d *Device) wrap(err error) error {
	var de *platform.DeviceError
	if errors.As(err, &de) {
		return d.deviceError(err, de.Command)
	}
	return &Error{Device: d.opts.Name, Address: d.opts.Address, Message: d.Redact(err.Error())}
}

func (d *Device) errorf(format string, args ...any) error {
	return &Error{Device: d.opts.Name, Address: d.opts.Address, Message: d.Redact(fmt.Sprintf(format, args...))}
}

func (d *Device) log(ctx context.Context, level, msg string, fields map[string]any) {
	if fields == nil {
		fields = map[string]any{}
	}
	fields["device"] = d.opts.Name
	for k, v := range fields {
		if s, ok := v.(string); ok {
			fields[k] = d.Redact(s)
		}
	}
	d.opts.Logger(ctx, level, d.Redact(msg), fields)
}

func describe(changes []vpn.Change) string {
	parts := make([]string, len(changes))
	for i, c := range changes {
		parts[i] = c.String()
	}
	return strings.Join(parts, ", ")
}

// Error is a failure on one device. It names the device, the command that failed (secrets
// masked) and what the device said.
type Error struct {
	Device  string
	Address string
	Command string
	Message string
	// Scope is what the failure concerns (see platform.ErrorScope): a refused line or
	// commit, or the session.
	Scope platform.ErrorScope
}

func (e *Error) Error() string {
	if e.Command != "" {
		return fmt.Sprintf("device %q (%s): command %q failed: %s", e.Device, e.Address, e.Command, e.Message)
	}
	return fmt.Sprintf("device %q (%s): %s", e.Device, e.Address, e.Message)
}

// TransportError is a lost or broken session.
type TransportError struct {
	Device  string
	Address string
	Command string
	Err     error
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("device %q (%s): session failed while sending %q: %v", e.Device, e.Address, e.Command, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// secretSet holds values to mask; the zero value is ready to use.
type secretSet struct {
	mu   sync.RWMutex
	vals map[string]struct{}
}

// shortSecret is the length below which a secret is masked only where it stands as a whole
// token: masking a two-character key everywhere would mask every word that contains it, and
// the dialect masks secret leaves by position anyway.
const shortSecret = 6

func (s *secretSet) add(values ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.vals == nil {
		s.vals = map[string]struct{}{}
	}
	for _, v := range values {
		if v != "" {
			s.vals[v] = struct{}{}
		}
	}
}

// redact replaces every secret, longest first so that a secret containing another is masked
// whole.
func (s *secretSet) redact(text string) string {
	s.mu.RLock()
	vals := make([]string, 0, len(s.vals))
	for v := range s.vals {
		vals = append(vals, v)
	}
	s.mu.RUnlock()
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) })
	for _, v := range vals {
		if len(v) >= shortSecret {
			text = strings.ReplaceAll(text, v, "****")
			continue
		}
		text = maskToken(text, v)
	}
	return text
}

// maskToken masks v where it stands between token boundaries (start or end of text, white
// space, quotes, brackets, '=' or ':').
func maskToken(text, v string) string {
	boundary := func(b byte) bool { return strings.IndexByte(" \t\r\n'\"[](){}=:;,", b) >= 0 }
	var b strings.Builder
	last := 0
	for i := 0; i+len(v) <= len(text); {
		j := strings.Index(text[i:], v)
		if j < 0 {
			break
		}
		j += i
		end := j + len(v)
		if (j == 0 || boundary(text[j-1])) && (end == len(text) || boundary(text[end])) {
			b.WriteString(text[last:j])
			b.WriteString("****")
			last = end
			i = end
			continue
		}
		i = j + 1
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// objectSecrets returns the secret values of o, as its kind registers them.
func objectSecrets(o vpn.Object) []string { return vpn.Secrets(o) }
