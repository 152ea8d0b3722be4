package device

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
)

// The advisory mark of platform.MarkSpec (see the protocol there): written at the start of
// each batch of a platform whose devices lock nothing, read back with the configuration the
// batch renders from, removed before the save or the abort.

// processMark identifies this process in the notes of its marks, so that a mark this process
// left in an earlier session (a lost connection, a device that stopped answering) is known
// as its own and taken over at once.
var processMark = randomHex(3)

// markHolders are the marks of this process's devices that are live, by key: inside a batch
// (the zero time), or left on the device by a batch whose session was lost under the device's
// rollback timer, until the device can no longer revert it (that time). Among the marks
// carrying processMark, only these are live. Keys are random per Device, so two device blocks
// that name one router differently still find each other here.
var markHolders sync.Map // key -> time.Time

// markStaleOverride, when set, replaces every MarkSpec.Stale (tests).
var markStaleOverride time.Duration

// staleOf is how long a mark of ms seen unchanged is taken for abandoned.
func staleOf(ms *platform.MarkSpec) time.Duration {
	if markStaleOverride > 0 {
		return markStaleOverride
	}
	return ms.Stale
}

// markSeen is when a session first saw another session's mark with a given note.
type markSeen struct {
	note  string
	since time.Time
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return hex.EncodeToString(b)
}

func randomToken() uint64 {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return binary.BigEndian.Uint64(b)
}

// markWho is who runs this process, for people reading a mark on the device: user@host:pid,
// letters, digits and ".-_" only.
var markWho = func() string {
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	host, _ := os.Hostname()
	host, _, _ = strings.Cut(host, ".")
	clean := func(s string, n int) string {
		var b strings.Builder
		for _, r := range s {
			if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-", r)) {
				b.WriteRune(r)
			}
		}
		out := b.String()
		if len(out) > n {
			out = out[:n]
		}
		if out == "" {
			out = "unknown"
		}
		return out
	}
	return clean(name, 10) + "@" + clean(host, 10) + ":" + strconv.Itoa(os.Getpid())
}()

// markNote is the note of this session's mark: the process, the time it was written (Unix
// milliseconds in base 36: each renewal changes the note) and who runs the process, within
// platform.MaxMarkNote.
func (d *Device) markNote(at time.Time) string {
	note := d.procMark + " " + strconv.FormatInt(at.UnixMilli(), 36) + " " + markWho
	if len(note) > platform.MaxMarkNote {
		note = note[:platform.MaxMarkNote]
	}
	return note
}

// printable is s with anything but printable ASCII replaced, at most 64 bytes: a note is the
// device's text, which anyone could have written.
func printable(s string) string {
	b := []byte(s)
	if len(b) > 64 {
		b = b[:64]
	}
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}

// describeMark says whose a mark is, from its note, for messages.
func describeMark(m platform.Mark) string {
	f := strings.Fields(printable(m.Note))
	if len(f) < 3 || len(f[0]) != 6 {
		return fmt.Sprintf("another session (advisory mark %s: %q)", printable(m.Key), printable(m.Note))
	}
	when := f[1]
	if n, err := strconv.ParseInt(f[1], 36, 64); err == nil {
		when = time.UnixMilli(n).UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("onpremvpn run %s (advisory mark %s, renewed %s)", f[2], m.Key, when)
}

func (d *Device) markKey() string { return d.tx().Mark.Key(d.markToken) }

// revertMargin is how long after a device's revert window a batch cut off under its timer is
// still taken as pending (the device's clock and ours, the time the loss took to notice).
func revertMargin(window time.Duration) time.Duration { return max(2*time.Second, window/10) }

// noteRevertLocked records that this session's batch was cut off under the device's rollback
// timer (TxSpec.SafetyNet): until the device can no longer revert it, this device types no
// batch there, and its mark, which stays on the device, is live for this process's other
// devices.
func (d *Device) noteRevertLocked() {
	tx := d.tx()
	if tx.Mark == nil || tx.RevertWindow <= 0 {
		return
	}
	d.revertUntil = time.Now().Add(tx.RevertWindow + revertMargin(tx.RevertWindow))
	markHolders.Store(d.markKey(), d.revertUntil)
}

// acquireLocked begins a batch on a platform with an advisory mark: Enter, the own mark, and
// the read the batch renders from. Another live mark ends it with a *LockError naming the
// holder (the own mark removed again); marks found abandoned are removed.
func (d *Device) acquireLocked(ctx context.Context) (*platform.Snapshot, error) {
	// The session first: the dialect is bound to the device's facts on it (its timer, the
	// time a mark stays live).
	if _, err := d.connLocked(ctx); err != nil {
		return nil, err
	}
	tx := d.tx()
	ms := tx.Mark
	if until := d.revertUntil; time.Now().Before(until) {
		return nil, &LockError{Device: d.opts.Name, Address: d.opts.Address, Command: d.opts.Platform.Session().ReadConfig,
			Holder: "this run's own earlier batch",
			Message: fmt.Sprintf("that batch was cut off under the device's rollback timer, and the device may still revert it (taking along whatever is typed meanwhile) until %s; nothing is typed before then",
				until.UTC().Format(time.RFC3339))}
	}
	if err := d.runEnterLocked(ctx); err != nil {
		return nil, err
	}
	d.entered = true
	// The SafetyNet is armed later, once this run holds the device (applyStepsLocked): a
	// session that waits arms nothing, so its loss reverts nothing of the holder's; and the
	// mark, written before the timer, outlives a revert of this batch.
	if ms.InUse != nil {
		// The key must not name something of the device's own: the last read shows.
		if d.lastText == "" {
			if _, err := d.snapshotLocked(ctx); err != nil {
				return nil, d.abortLocked(ctx, d.scoped(err, platform.ScopeSession))
			}
		}
		for range 16 {
			if !ms.InUse(d.lastText, d.markKey()) {
				break
			}
			d.markToken = randomToken()
		}
	}
	key := d.markKey()
	markHolders.Store(key, time.Time{})
	now := time.Now()
	if err := d.runLocked(ctx, platform.Command{Line: ms.Set(key, d.markNote(now))}, 0, platform.ScopeSession); err != nil {
		var te *TransportError
		if !errors.As(err, &te) {
			err = fmt.Errorf("writing this run's advisory mark was refused (the device option advisory_lock = \"off\" does without it): %w", err)
		}
		return nil, d.abortLocked(ctx, err)
	}
	d.markHeld, d.markAt = true, now
	d.snap, d.derived = nil, false // the read after the mark is the one the batch renders from
	snap, err := d.snapshotLocked(ctx)
	if err != nil {
		return nil, d.abortLocked(ctx, d.scoped(err, platform.ScopeSession))
	}
	var live, stale []platform.Mark
	seen := map[string]bool{}
	for _, m := range ms.Find(snap.Text) {
		if m.Key == key {
			continue
		}
		seen[m.Key] = true
		if d.abandoned(m, staleOf(ms)) {
			stale = append(stale, m)
		} else {
			live = append(live, m)
		}
	}
	for k := range d.marksSeen {
		if !seen[k] {
			delete(d.marksSeen, k)
		}
	}
	if len(live) > 0 {
		holders := make([]string, len(live))
		for i, m := range live {
			holders[i] = describeMark(m)
		}
		m := live[0]
		return nil, d.abortLocked(ctx, &LockError{
			Device: d.opts.Name, Address: d.opts.Address, Command: d.opts.Platform.Session().ReadConfig, Holder: strings.Join(holders, " and "),
			Message: fmt.Sprintf("the configuration holds the advisory mark of another run of this provider, which is changing it; if that run is gone, remove the mark with %q, or wait: a mark seen unchanged for %s is taken for abandoned",
				ms.Unset(m.Key), staleOf(ms)),
		})
	}
	for _, m := range stale {
		d.log(ctx, "warn", "removing an abandoned advisory mark of another session", map[string]any{"mark": describeMark(m)})
		if err := d.runLocked(ctx, platform.Command{Line: ms.Unset(m.Key)}, 0, platform.ScopeSession); err != nil {
			return nil, d.abortLocked(ctx, err)
		}
		delete(d.marksSeen, m.Key)
	}
	return snap, nil
}

// abandoned reports whether another session's mark is taken for abandoned: this process's
// own from a batch that has ended, or seen with the same note for stale.
func (d *Device) abandoned(m platform.Mark, stale time.Duration) bool {
	if f := strings.Fields(m.Note); len(f) > 0 && f[0] == d.procMark {
		v, ok := markHolders.Load(m.Key)
		if !ok {
			return true // its batch has ended
		}
		if until := v.(time.Time); !until.IsZero() && time.Now().After(until) {
			return true // its cut-off batch can no longer be reverted
		}
		return false
	}
	if d.marksSeen == nil {
		d.marksSeen = map[string]markSeen{}
	}
	s, ok := d.marksSeen[m.Key]
	if !ok || s.note != m.Note {
		d.marksSeen[m.Key] = markSeen{note: m.Note, since: time.Now()}
		return false
	}
	return time.Since(s.since) >= stale
}

// renewMarkLocked rewrites the own mark when it is older than a quarter of MarkSpec.Stale, so
// that sessions waiting for it see it change while a long batch runs.
func (d *Device) renewMarkLocked(ctx context.Context) error {
	ms := d.tx().Mark
	if ms == nil || !d.markHeld || time.Since(d.markAt) < staleOf(ms)/4 {
		return nil
	}
	now := time.Now()
	if err := d.runLocked(ctx, platform.Command{Line: ms.Set(d.markKey(), d.markNote(now))}, 0, platform.ScopeSession); err != nil {
		return err
	}
	d.markAt = now
	return nil
}

// releaseLocked removes the own mark, when this session wrote one and the session is alive.
// A failure is logged: the mark is taken for abandoned by the next session of this process
// at once, by others once it has stayed unchanged for MarkSpec.Stale.
//
// It runs on a context of its own (bounded, not cancelled with the batch's): a batch whose
// deadline ran out still removes its mark.
func (d *Device) releaseLocked(ctx context.Context) error {
	ms := d.tx().Mark
	if ms == nil || !d.markHeld || d.conn == nil {
		return nil
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	if err := d.runLocked(rctx, platform.Command{Line: ms.Unset(d.markKey())}, 0, platform.ScopeSession); err != nil {
		d.log(ctx, "warn", "removing this session's advisory mark failed; it is taken for abandoned later", map[string]any{"error": err.Error()})
		return err
	}
	d.markHeld = false
	return nil
}

// releaseTimeout bounds the removal of a mark.
const releaseTimeout = 30 * time.Second

// endBatchLocked forgets that this process's mark on the device is in a batch; a batch cut off
// under the device's rollback timer stays live until the device can no longer revert it.
func (d *Device) endBatchLocked() {
	if d.tx().Mark != nil {
		if time.Now().Before(d.revertUntil) {
			markHolders.Store(d.markKey(), d.revertUntil)
		} else {
			markHolders.Delete(d.markKey())
		}
	}
	d.entered = false
}
