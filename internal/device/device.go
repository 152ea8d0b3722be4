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
	// BatchWindow is how long a batch waits, after the last write that joined it, for more
	// writes to join: a batch starts once no write arrived for BatchWindow, or at the latest
	// BatchWindowCap after its first write (or after the batch before it, for writes that
	// queued while that one ran). Terraform starts the operations of one wave within a few
	// milliseconds of each other, and answers each one before starting the next: the window
	// lets a wave, and the writes that waited for the batch before, meet in one transaction.
	// 0 means DefaultBatchWindow; a negative value does not wait (a batch takes what is
	// queued).
	BatchWindow time.Duration
	// OpTimeout bounds one batch (read, render, transaction), beside the time it waits for a
	// lock (TxSpec.LockWait); 0 means DefaultOpTimeout.
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
	DefaultBatchWindow = 50 * time.Millisecond
	// BatchWindowCap is how many BatchWindows a batch waits at most for writes that keep
	// arriving.
	BatchWindowCap     = 10
	DefaultOpTimeout   = 10 * time.Minute
	DefaultSlowCommand = 5 * time.Second
)

// Device is one managed device. All methods are safe for concurrent use.
type Device struct {
	opts Options

	mu   sync.Mutex // serializes use of conn, snap and held
	conn Conn
	// snap is the configuration as last known: a read, or, after the provider's own commit,
	// the configuration it committed (derived, see afterCommitLocked). A derived snapshot's
	// Text is that of the read it was rendered from, so Snapshot reads again for callers of
	// the text; model readers (Config, Get) use it as it is.
	snap    *platform.Snapshot
	derived bool
	// view is what model readers (Config, Get) use without waiting for mu: the snapshot's
	// model and the held objects, published when a read sets the snapshot and when a batch
	// ends (before its callers are answered), dropped with the snapshot by Invalidate and
	// NewRun. While a batch runs, readers see the configuration as it was before the batch,
	// as if they had come a moment earlier, instead of waiting for its commit: the operations
	// Terraform starts meanwhile plan against it and queue their writes for the next batch.
	view atomic.Pointer[modelView]
	// unverified are the objects committed since the device was last read, by kind/key (nil:
	// deleted); the next read checks that the device shows them as committed (verifyLocked).
	unverified map[string]committedObject
	// verifyEach is set once a read showed a committed object otherwise than committed:
	// from then on every batch is read back before its callers are answered.
	verifyEach bool
	facts      *vpn.Facts
	stats      Stats
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
	// txRead is the read taken inside the running transaction, postRead one taken after its
	// commit; afterCommitLocked makes one of them, or the committed configuration, the
	// snapshot.
	txRead, postRead *platform.Snapshot
	// confirmPending: the last confirmed commit (TxSpec.Confirm) has not been confirmed, so the
	// device rolls it back by itself when its timer runs out.
	confirmPending bool
	// netArmed: this session armed the device's rollback for an Immediate batch
	// (TxSpec.SafetyNet) and has not confirmed it. The timer belongs to the session: a lost
	// session is not retried, since the device may revert the batch under a retry.
	netArmed bool
	// The advisory mark (platform.MarkSpec, mark.go): markToken makes this device's key;
	// markHeld is set while its mark may be on the device, written at markAt; marksSeen are
	// other sessions' marks as first seen; entered is set once a batch's acquire has run
	// Enter.
	markToken uint64
	procMark  string // processMark (tests give a Device another, to play another process)
	markHeld  bool
	markAt    time.Time
	marksSeen map[string]markSeen
	entered   bool
	// lastText is the text of the last read of the whole configuration.
	lastText string
	// revertUntil: a batch of this session was cut off under the device's rollback timer,
	// which may revert it until then (noteRevertLocked).
	revertUntil time.Time

	qmu      sync.Mutex // guards queue, flushing, lastArrival, batchEnd and window
	queue    []*pending
	flushing bool
	// lastArrival is when the last write was queued; batchEnd when the last batch ended.
	lastArrival, batchEnd time.Time
	window                time.Duration
	// inflight counts the writes queued or in the running batch; maxInflight the most seen
	// at once while a batch ran or as one started, the writers' parallelism as far as this
	// device sees it (writes gathering for a batch do not count until it starts: the window
	// decides how many they are).
	inflight, maxInflight int
	running               bool
	// turnaround is a moving average of how long after a batch ended its writers' next
	// writes arrived (Terraform's own work between operations, which grows with the size of
	// its state): the window stretches to cover it (see nextBatch).
	turnaround time.Duration

	secrets secretSet

	// base is the dialect as registered; opts.Platform is base bound to the options and,
	// after the first session, to the facts (bind.go). dialect holds opts.Platform for
	// readers that do not hold mu.
	base    platform.Platform
	dialect atomic.Pointer[platform.Platform]
	bindErr error
}

// Stats counts what the device layer did, for tests, benchmarks and the info log written
// after each batch and at Close.
type Stats struct {
	Sessions     int // sessions opened
	Reads        int // configuration reads for snapshots
	TxReads      int // configuration reads inside a transaction (see platform.TxSpec.ReadConfig) and after a confirmed commit
	Transactions int // transactions started (a split batch counts each part)
	Commands     int // commands sent
	BytesRead    int // bytes of output the device printed
	Commits      int // transactions that changed the device: a Candidate commit, or an Immediate batch applied
	Saves        int // saves of the running configuration
	Batches      int // batches of writes taken from the queue
	Changes      int // changes in those batches
	MaxBatch     int // changes in the largest batch
	// Derived counts commits after which the snapshot was taken from what was committed
	// instead of being read again; Mismatches the committed objects a later read showed
	// otherwise.
	Derived    int
	Mismatches int
}

// ConfigReads is every read of the whole configuration, in a transaction or not.
func (s Stats) ConfigReads() int { return s.Reads + s.TxReads }

// fields returns the counters as log fields.
func (s Stats) fields() map[string]any {
	return map[string]any{
		"sessions": s.Sessions, "commands": s.Commands, "bytes_read": s.BytesRead,
		"config_reads": s.ConfigReads(), "commits": s.Commits, "saves": s.Saves,
		"transactions": s.Transactions, "batches": s.Batches, "changes": s.Changes, "max_batch": s.MaxBatch,
		"derived_snapshots": s.Derived, "mismatches": s.Mismatches,
	}
}

// modelView is a published snapshot model and the held objects (read only).
type modelView struct {
	cfg  *vpn.Config
	held map[string]vpn.Object
}

// publishLocked makes the current snapshot (or none) what lock-free readers see.
func (d *Device) publishLocked() {
	if d.snap == nil {
		d.view.Store(nil)
		return
	}
	held := make(map[string]vpn.Object, len(d.held))
	for k, o := range d.held {
		held[k] = o
	}
	d.view.Store(&modelView{cfg: d.snap.Config, held: held})
}

// modelView returns the published view, reading the device when there is none.
func (d *Device) modelView(ctx context.Context) (*modelView, error) {
	if v := d.view.Load(); v != nil {
		return v, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.snapshotLocked(ctx); err != nil {
		return nil, err
	}
	d.publishLocked()
	return d.view.Load(), nil
}

// committedObject is an object as committed, awaiting the read that shows it (nil: deleted).
type committedObject struct {
	kind vpn.Kind
	key  string
	obj  vpn.Object
}

type pending struct {
	ctx    context.Context // the caller's, for its logger; never cancelled here
	change vpn.Change
	done   chan error
	at     time.Time // when it was queued
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
	d := &Device{opts: opts, window: opts.BatchWindow, markToken: randomToken(), procMark: processMark}
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

// SetBatchWindow changes Options.BatchWindow (the provider's batch_window, which can differ
// between runs that share the Device). 0 means DefaultBatchWindow.
func (d *Device) SetBatchWindow(w time.Duration) {
	if w == 0 {
		w = DefaultBatchWindow
	}
	d.qmu.Lock()
	d.window = w
	d.qmu.Unlock()
}

// Invalidate drops the cached snapshot, so that the next read fetches the configuration
// again. The provider calls it when a new plan or apply starts.
func (d *Device) Invalidate() {
	d.mu.Lock()
	d.snap, d.derived = nil, false
	d.publishLocked()
	d.mu.Unlock()
}

// NewRun starts a new plan or apply walk: the snapshot is dropped, and so are the objects held
// for a platform (platform.Deferrer), which belong to the walk that applied them. Terraform
// runs each walk in a new provider process, where nothing is held; a process that serves
// several walks (the acceptance tests) must behave the same. The session stays open.
// Committed objects not yet seen by a read are forgotten: what the device shows in the new
// walk is that walk's to judge (it may have been changed behind Terraform's back since).
func (d *Device) NewRun() {
	d.mu.Lock()
	d.snap, d.derived = nil, false
	d.held = nil
	d.dialErr = nil
	d.unverified = nil
	d.publishLocked()
	d.mu.Unlock()
}

// Close ends the session, if any, and logs the device's counters at info level.
func (d *Device) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.snap, d.derived = nil, false
	d.publishLocked()
	if d.stats != (Stats{}) {
		d.log(context.Background(), "info", "device statistics", d.stats.fields())
	}
	if d.conn == nil {
		return nil
	}
	d.releaseLocked(context.Background())
	err := d.conn.Close()
	d.conn = nil
	return err
}

// Snapshot returns the device's configuration as read: text and model, read once and cached
// until a write. After the provider's own commit it reads the device again, since only the
// model of what was committed is known then (see Config).
func (d *Device) Snapshot(ctx context.Context) (platform.Snapshot, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.derived {
		d.snap, d.derived = nil, false
	}
	s, err := d.snapshotLocked(ctx)
	if err != nil {
		return platform.Snapshot{}, err
	}
	return *s, nil
}

// Config returns the configuration the device holds, as a model: the cached read, or after
// the provider's own commit what it committed (see afterCommitLocked). One read serves every
// caller until a write; while a batch runs, the configuration before it (see Device.view). The
// returned configuration is shared and must not be modified.
func (d *Device) Config(ctx context.Context) (*vpn.Config, error) {
	v, err := d.modelView(ctx)
	if err != nil {
		return nil, err
	}
	return v.cfg, nil
}

// Get returns one object as the device has it (or holds it for the platform, see Deferred),
// or nil when it does not exist. It is a copy of that object alone, taken from the shared
// configuration (Config).
func (d *Device) Get(ctx context.Context, kind vpn.Kind, key string) (vpn.Object, error) {
	v, err := d.modelView(ctx)
	if err != nil {
		return nil, err
	}
	o := v.cfg.Get(kind, key)
	if o == nil {
		o = v.held[heldKey(kind, key)]
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
	cur, err := d.Config(ctx)
	if err != nil {
		return ""
	}
	// A shallow copy: Deferred only reads, and a deep copy of the whole configuration for
	// each absent object would make a plan's reads quadratic.
	cfg := cur.ShallowClone()
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
	d.snap, d.derived = snap, false
	d.publishLocked()
	d.log(ctx, "info", "read the configuration", d.stats.fields())
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
	d.log(ctx, "debug", "read configuration", map[string]any{"command": cmd, "bytes": len(text), "objects": cfg.Len()})
	snap := &platform.Snapshot{Text: text, Config: cfg}
	d.lastText = text
	d.verifyLocked(ctx, snap)
	return snap, nil
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
	d.stats.BytesRead += len(out)
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
	d.stats.BytesRead += len(out)
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
	d.stats.BytesRead += len(out)
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
	d.snap, d.derived = nil, false
	return &TransportError{Device: d.opts.Name, Address: d.opts.Address, Command: d.Redact(cmd), Err: errors.New(d.Redact(err.Error()))}
}

// Apply makes one change on the device. Changes that arrive while another batch is being
// applied, or within the batch window of each other (Options.BatchWindow), are applied
// together in one transaction. When a batch fails, its changes are retried one by one so that
// each caller learns whether its own change was the one the device refused.
func (d *Device) Apply(ctx context.Context, ch vpn.Change) error {
	if ch.Object != nil {
		d.secrets.add(objectSecrets(ch.Object)...)
	}
	now := time.Now()
	p := &pending{ctx: context.WithoutCancel(ctx), change: ch, done: make(chan error, 1), at: now}
	d.qmu.Lock()
	d.queue = append(d.queue, p)
	d.lastArrival = now
	if !d.batchEnd.IsZero() && d.window > 0 {
		if rt := now.Sub(d.batchEnd); rt > 0 && rt < BatchWindowCap*d.window {
			d.turnaround = (4*d.turnaround + rt) / 5
		}
	}
	d.inflight++
	if d.running {
		d.maxInflight = max(d.maxInflight, d.inflight)
	}
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
		batch := d.nextBatch()
		if batch == nil {
			return
		}
		// The batch runs with its own deadline, in the first caller's context so that its
		// logs reach Terraform's log sink; waiting for another user's lock or mark comes on
		// top of the work.
		ctx, cancel := context.WithTimeout(batch[0].ctx, d.opts.OpTimeout+d.Platform().Session().Tx.LockWait)
		d.runBatch(ctx, batch)
		cancel()
		d.qmu.Lock()
		d.batchEnd = time.Now()
		d.inflight -= len(batch)
		d.running = false
		d.qmu.Unlock()
	}
}

// nextBatch waits until the queued writes make a batch and takes them, or returns nil (and
// ends the flush loop) when nothing is queued. A batch starts once no write arrived for the
// batch window, counted from the last arrival or the end of the batch before (whichever is
// later: the callers that batch answered start the next writes of their wave), and at the
// latest BatchWindowCap windows after the first write or that end. The window is at least
// one and a half times the writers' turnaround (how long after a batch ends their next writes
// arrive, see Device.turnaround), so that the callers a batch answered meet the writes that
// queued meanwhile even when Terraform takes longer than the window between operations. It
// starts at once when it is full: as many writes are queued as were ever in flight together
// (at least two), so that no writer is left to wait for.
func (d *Device) nextBatch() []*pending {
	for {
		d.qmu.Lock()
		if len(d.queue) == 0 {
			d.flushing = false
			d.qmu.Unlock()
			return nil
		}
		w := d.window
		if w <= 0 {
			return d.takeLocked()
		}
		if full := d.maxInflight; full >= 2 && len(d.queue) >= full {
			return d.takeLocked()
		}
		first := d.queue[0].at
		if d.batchEnd.After(first) {
			first = d.batchEnd
		}
		last := d.lastArrival
		if d.batchEnd.After(last) {
			last = d.batchEnd
		}
		quiet := max(w, d.turnaround*3/2)
		start := last.Add(quiet)
		if limit := first.Add(BatchWindowCap * w); limit.Before(start) {
			start = limit
		}
		wait := time.Until(start)
		if wait <= 0 {
			return d.takeLocked()
		}
		d.qmu.Unlock()
		time.Sleep(wait)
	}
}

// takeLocked takes the queue as the next batch and unlocks qmu.
func (d *Device) takeLocked() []*pending {
	batch := d.queue
	d.queue = nil
	d.running = true
	d.maxInflight = max(d.maxInflight, d.inflight)
	d.qmu.Unlock()
	return batch
}

// runBatch applies a batch and answers every pending change.
func (d *Device) runBatch(ctx context.Context, batch []*pending) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stats.Batches++
	d.stats.Changes += len(batch)
	d.stats.MaxBatch = max(d.stats.MaxBatch, len(batch))
	if tx := d.tx(); tx.Strategy == platform.Immediate && tx.ReadConfig == "" {
		// Nothing locks the configuration between a read taken before the batch (a plan's,
		// or the one its callers chose numbers from) and the lines, and each line is active
		// when typed: the batch renders from a read of its own, so that what another session
		// wrote meanwhile (an object, a number, a line of a shared block) decides what this
		// batch types (see settleNumbersLocked). Readers keep the published view meanwhile.
		d.snap, d.derived = nil, false
	}
	errs := d.applyLocked(ctx, batch, true, nil)
	d.publishLocked()
	d.log(ctx, "info", "batch done", d.stats.fields())
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
		d.noteRevertLocked()
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
	var (
		snap   *platform.Snapshot
		err    error
		marked = d.tx().Mark != nil
	)
	if marked {
		// The batch begins by marking the configuration as in use and renders from the
		// read that follows (platform.MarkSpec).
		defer d.endBatchLocked()
		snap, err = d.acquireLocked(ctx)
	} else {
		snap, err = d.snapshotLocked(ctx)
	}
	if err != nil {
		return nil, err
	}
	base := d.withHeldLocked(snap.Config)
	desired, steps, err := d.renderLocked(ctx, snap, changes, res)
	if err != nil {
		if marked {
			err = d.abortLocked(ctx, err)
		}
		return base, err
	}
	nothing := len(steps) == 0
	if d.derived {
		nothing = d.modelUnchanged(changes, base, desired)
	}
	if nothing && res == nil && !d.unsaved {
		d.log(ctx, "debug", "nothing to change", map[string]any{"changes": describe(changes)})
		d.holdDeferredLocked(desired)
		if marked {
			return base, d.abortLocked(ctx, nil)
		}
		return base, nil
	}
	d.stats.Transactions++
	rendered := snap
	if d.derived {
		// The text is older than the model: the transaction's own read always renders
		// again.
		rendered = &platform.Snapshot{Config: snap.Config}
	}
	// Whatever happens next, the device may have changed.
	d.snap, d.derived = nil, false
	d.txRead, d.postRead = nil, nil
	commits := d.stats.Commits
	desired, err = d.pushLocked(ctx, rendered, changes, desired, steps, res)
	if err != nil {
		if ce := (*CommittedError)(nil); errors.As(err, &ce) {
			d.holdDeferredLocked(desired) // desired is active on the device
		}
		return base, err
	}
	d.holdDeferredLocked(desired)
	d.afterCommitLocked(ctx, changes, desired, res, d.stats.Commits > commits)
	return base, nil
}

// afterCommitLocked sets the snapshot after a successful transaction, so that an apply does not
// read the whole configuration after every batch:
//
//   - A read taken after the commit (a confirmed commit is read back before it is confirmed)
//     is the snapshot.
//   - A transaction that pushed nothing leaves the device as its in-transaction read showed
//     it: that read is the snapshot.
//   - A Candidate commit whose lines were rendered from a read taken inside the transaction
//     (TxSpec.ReadConfig) leaves the device holding exactly desired: the configuration of
//     that read with the changes applied. The read was taken inside the configuration
//     session, the device accepted every line and the commit, each judged by the dialect's
//     CheckOutput, and a commit is all or nothing. desired, without the objects the platform
//     defers, becomes the snapshot (derived, Stats.Derived) and the batch's callers are
//     answered from it. What a derived snapshot does not prove is that the device stores each
//     value in the form the dialect parses back (the dialect's render/parse round trip,
//     pinned by its golden and fuzz tests): the committed objects are kept (unverified) and
//     the next read of the device checks them, whether the next batch's in-transaction read,
//     a plan's read or a read for the configuration's text (verifyLocked). A device found to
//     differ is read back after every later batch before its callers are answered.
//   - Otherwise (a platform whose lines take effect one by one, no in-transaction read, a
//     retry after a lost session, an object whose secret the device keeps in a one-way form
//     that only a read shows, or a device found to differ) the snapshot is dropped and the
//     next read, the callers' own read-back, shows what the device holds.
func (d *Device) afterCommitLocked(ctx context.Context, changes []vpn.Change, desired *vpn.Config, res *resume, committed bool) {
	switch {
	case d.postRead != nil:
		d.snap, d.derived = d.postRead, false
	case !committed && d.txRead != nil:
		d.snap, d.derived = d.txRead, false
	case committed && d.derivable(changes, res):
		cfg := desired.ShallowClone()
		for _, o := range d.held {
			if have := cfg.Get(o.Kind(), o.Key()); have != nil {
				cfg.Remove(o.Kind(), o.Key())
			}
		}
		if d.unverified == nil {
			d.unverified = map[string]committedObject{}
		}
		for _, ch := range changes {
			d.unverified[heldKey(ch.Kind, ch.Key)] = committedObject{kind: ch.Kind, key: ch.Key, obj: cfg.Get(ch.Kind, ch.Key)}
		}
		d.snap, d.derived = &platform.Snapshot{Text: d.txRead.Text, Config: cfg}, true
		d.stats.Derived++
		d.log(ctx, "debug", "the snapshot is now the configuration just written", map[string]any{"changes": describe(changes)})
	}
	d.txRead, d.postRead = nil, nil
}

// modelUnchanged reports whether no change alters the model of base in desired, or only
// writes an object the platform keeps off the device in desired (platform.Deferrer). A derived
// snapshot's text predates the last commit, so what a render from it finds to do is not
// trusted either way (a delete of an object created by the last commit would find none of its
// lines in that text, and the lines of that commit look missing): on a derived snapshot there
// is nothing to do only when the model does not change; any other change goes into a
// transaction, whose own read decides (and which ends without a commit when there is nothing
// to do).
func (d *Device) modelUnchanged(changes []vpn.Change, base, desired *vpn.Config) bool {
	df, _ := d.opts.Platform.(platform.Deferrer)
	for _, ch := range changes {
		o := desired.Get(ch.Kind, ch.Key)
		switch {
		case reflect.DeepEqual(base.Get(ch.Kind, ch.Key), o):
		case ch.Op != vpn.OpDelete && o != nil && df != nil && df.Deferred(o, desired) != "":
		default:
			return false
		}
	}
	return true
}

// derivable reports whether the configuration committed for changes can stand for a read
// (see afterCommitLocked).
func (d *Device) derivable(changes []vpn.Change, res *resume) bool {
	tx := d.tx()
	if tx.Strategy != platform.Candidate || tx.ReadConfig == "" || d.txRead == nil || res != nil || d.verifyEach {
		return false
	}
	sr, _ := d.opts.Platform.(platform.SecretReader)
	for _, ch := range changes {
		if ch.Object == nil || sr == nil {
			continue
		}
		for field, ref := range secretRefs(ch.Object) {
			if *ref != "" && sr.SecretForm(ch.Kind, field) == platform.SecretOneWay {
				return false
			}
		}
	}
	return true
}

// verifyLocked checks the objects committed since the last read against snap, a read of the
// device: each must be there as committed (or absent when deleted), either equal once the
// platform's defaults are filled in or rendering no line when it stands for the device's. A
// difference is logged naming the objects, counted (Stats.Mismatches), and from then on every
// batch is read back before its callers are answered.
func (d *Device) verifyLocked(ctx context.Context, snap *platform.Snapshot) {
	if len(d.unverified) == 0 {
		return
	}
	p := d.opts.Platform
	var differ []string
	for _, c := range d.unverified {
		have := snap.Config.Get(c.kind, c.key)
		switch {
		case have == nil && c.obj == nil:
			continue
		case have != nil && c.obj != nil:
			a, b := vpn.CloneObject(have), vpn.CloneObject(c.obj)
			p.Normalize(a)
			p.Normalize(b)
			if reflect.DeepEqual(a, b) || d.rendersNothing(snap, c.obj) {
				continue
			}
		}
		differ = append(differ, fmt.Sprintf("%s %q", c.kind, c.key))
	}
	d.unverified = nil
	if len(differ) == 0 {
		return
	}
	sort.Strings(differ)
	d.stats.Mismatches += len(differ)
	d.verifyEach = true
	d.log(ctx, "warn", "the device shows objects otherwise than they were committed; the next plan shows the difference, and from now on each batch is read back before it is reported", map[string]any{"objects": strings.Join(differ, ", ")})
}

// rendersNothing reports whether putting o in place of the device's object renders no line:
// the device holds o in the dialect's terms (a value shared between objects, such as a BGP
// process's networks, shows on each of them).
func (d *Device) rendersNothing(snap *platform.Snapshot, o vpn.Object) bool {
	want := snap.Config.ShallowClone()
	want.Put(vpn.CloneObject(o))
	if sr, ok := d.opts.Platform.(platform.StepRenderer); ok {
		steps, err := sr.RenderSteps(*snap, want)
		return err == nil && len(steps) == 0
	}
	lines, err := d.opts.Platform.Render(*snap, want)
	return err == nil && len(lines) == 0
}

// renderLocked applies the changes to the configuration of snap (plus the held objects) and
// renders the steps that make the device so: the dialect's platform.StepRenderer where it
// has one, else its lines as steps without undo.
func (d *Device) renderLocked(ctx context.Context, snap *platform.Snapshot, changes []vpn.Change, res *resume) (*vpn.Config, []platform.Step, error) {
	// Held objects are partly on the device (an EdgeOS gateway's ike-group): the render
	// starts from them too, so that deleting one removes what it left there.
	base := d.withHeldLocked(snap.Config)
	if res != nil {
		changes = d.resumeLocked(base, res.before, changes)
	}
	changes, err := d.settleNumbersLocked(ctx, base, changes)
	if err != nil {
		return nil, nil, err
	}
	desired, err := vpn.Apply(base, changes...)
	if err != nil {
		return nil, nil, d.scoped(d.wrap(err), platform.ScopeLine)
	}
	current := platform.Snapshot{Text: snap.Text, Config: base}
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
