package device_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// fakeDevice scripts the sessions of a Device without SSH. Every session answers the
// configuration read with config and everything else with ""; reply overrides that per
// session number (1-based) and command.
type fakeDevice struct {
	config string
	reply  func(session int, cmd string) (string, error)
	// ask, when set, returns the question the device prints after cmd instead of its
	// prompt ("" for none), for SendExpect.
	ask func(session int, cmd string) string
	// stateful makes the fake apply what it is sent to config: `set X` adds the line,
	// `delete X` removes the lines that start with `set X` (an Immediate device).
	stateful bool

	mu      sync.Mutex
	dials   int
	dialErr error
	sent    []string // "<session>: <command>"
}

type fakeConn struct {
	f      *fakeDevice
	n      int
	dead   bool
	prompt string // what ended the last exchange
}

// fakePrompt is the fake's configuration prompt.
const fakePrompt = "admin@edge1# "

func (f *fakeDevice) dial(context.Context) (device.Conn, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dials++
	if f.dialErr != nil {
		return nil, f.dialErr
	}
	return &fakeConn{f: f, n: f.dials}, nil
}

func (c *fakeConn) Send(_ context.Context, cmd string) (string, error) {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	if c.dead {
		return "", errors.New("send on a dead session")
	}
	c.f.sent = append(c.f.sent, fmt.Sprintf("%d: %s", c.n, cmd))
	c.prompt = fakePrompt
	if c.f.reply != nil {
		out, err := c.f.reply(c.n, cmd)
		if err != nil {
			c.dead = true
			return "", err
		}
		if out != "" {
			return out, nil // a stateful fake applies nothing that printed something
		}
	}
	if c.f.stateful {
		c.f.apply(cmd)
	}
	if cmd == readConfig || cmd == txReadConfig {
		return c.f.config, nil
	}
	return "", nil
}

// SendMarked answers like Send for the command before "; echo <marker>": the fake prints
// the marker line, and the caller gets what came before it.
func (c *fakeConn) SendMarked(ctx context.Context, cmd, marker string) (string, error) {
	base, ok := strings.CutSuffix(cmd, "; echo "+marker)
	if !ok {
		return "", fmt.Errorf("fake: %q does not end with the marker %q", cmd, marker)
	}
	return c.Send(ctx, base)
}

func (c *fakeConn) SendTimeout(ctx context.Context, cmd string, _ time.Duration) (string, error) {
	return c.Send(ctx, cmd)
}

// SendExpect answers like Send; when the fake's ask returns a question for cmd, the
// exchange ends with it (Prompt returns it). A hidden command is recorded as sent.
func (c *fakeConn) SendExpect(ctx context.Context, cmd, expect string, hidden bool) (string, error) {
	out, err := c.Send(ctx, cmd)
	if err != nil {
		return "", err
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	if c.f.ask != nil && expect != "" {
		if q := c.f.ask(c.n, cmd); q != "" {
			c.prompt = q
		}
	}
	return out, nil
}

func (c *fakeConn) Prompt() string {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	return c.prompt
}

// Paste records the lines as one command "paste: <lines joined by |>" and answers like Send
// does for end.
func (c *fakeConn) Paste(ctx context.Context, lines []string, end string) (string, error) {
	c.f.mu.Lock()
	c.f.sent = append(c.f.sent, fmt.Sprintf("%d: paste: %s", c.n, strings.Join(lines, "|")))
	c.f.mu.Unlock()
	return c.Send(ctx, end)
}

// apply changes the stateful fake's configuration; f.mu is held.
func (f *fakeDevice) apply(cmd string) {
	switch {
	case strings.HasPrefix(cmd, "set "):
		f.config += cmd + "\n"
	case strings.HasPrefix(cmd, "delete "):
		path := "set " + strings.TrimPrefix(cmd, "delete ")
		var keep []string
		for _, l := range strings.Split(f.config, "\n") {
			if l != "" && l != path && !strings.HasPrefix(l, path+" ") {
				keep = append(keep, l)
			}
		}
		f.config = strings.Join(keep, "\n") + "\n"
	}
}

func (f *fakeDevice) configText() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.config
}

func (c *fakeConn) Alive() bool {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	return !c.dead
}

func (c *fakeConn) Close() error {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	c.dead = true
	return nil
}

func (f *fakeDevice) log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.sent...)
}

func (f *fakeDevice) dialCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dials
}

func (f *fakeDevice) newDevice(t *testing.T) *device.Device {
	t.Helper()
	return device.New(device.Options{Name: deviceName, Address: "192.0.2.1:22", Platform: edgeos(t), Dial: f.dial})
}

// commandsOf returns the commands sent on one session, in order.
func commandsOf(log []string, session int) []string {
	var out []string
	prefix := fmt.Sprintf("%d: ", session)
	for _, l := range log {
		if c, ok := strings.CutPrefix(l, prefix); ok {
			out = append(out, c)
		}
	}
	return out
}

func TestAbortFollowsARefusedLine(t *testing.T) {
	f := &fakeDevice{config: baseConfig, reply: func(_ int, cmd string) (string, error) {
		if strings.Contains(cmd, "rule 20 action") {
			return "\n  Configuration path: policy prefix-list PL-1 rule 20 action [deny] is not valid\n  Set failed\n", nil
		}
		return "", nil
	}}
	d := f.newDevice(t)
	err := d.Apply(context.Background(), create(prefixList("PL-1")))
	var de *device.Error
	if !errors.As(err, &de) || !strings.Contains(de.Command, "rule 20 action") {
		t.Fatalf("Apply = %v, want a *device.Error naming the refused line", err)
	}
	cmds := commandsOf(f.log(), 1)
	last := cmds[len(cmds)-3:]
	if !strings.Contains(last[0], "rule 20 action") || last[1] != "discard" || last[2] != "exit discard" {
		t.Errorf("commands end with %q, want the refused line then discard, exit discard", last)
	}
	for _, c := range cmds {
		if c == "commit" || c == "save" {
			t.Errorf("%q sent after a refused line", c)
		}
	}
	if got := f.dialCount(); got != 1 {
		t.Errorf("dials = %d, want 1", got)
	}
}

func TestNoSessionIsOpenedToAbortAfterATransportError(t *testing.T) {
	lost := errors.New("connection reset by peer")
	f := &fakeDevice{config: baseConfig, reply: func(_ int, cmd string) (string, error) {
		if strings.Contains(cmd, "rule 10 action") {
			return "", lost // on every session
		}
		return "", nil
	}}
	d := f.newDevice(t)
	err := d.Apply(context.Background(), create(prefixList("PL-1")))
	var te *device.TransportError
	if !errors.As(err, &te) || te.Device != deviceName || !strings.Contains(te.Command, "rule 10 action") {
		t.Fatalf("Apply = %v (%T), want a *device.TransportError naming the device and the command", err, err)
	}
	if !strings.Contains(err.Error(), lost.Error()) {
		t.Errorf("error %q lacks the transport's message", err)
	}
	// One session for the first attempt, one for the retry; none for aborting.
	if got := f.dialCount(); got != 2 {
		t.Errorf("dials = %d, want 2 (the attempt and its retry)", got)
	}
	log := f.log()
	for s := 1; s <= 2; s++ {
		cmds := commandsOf(log, s)
		if last := cmds[len(cmds)-1]; !strings.Contains(last, "rule 10 action") {
			t.Errorf("session %d: commands after the lost one: %q", s, cmds)
		}
	}
	// The retry read the configuration again: the lost session may have changed it.
	if cmds := commandsOf(log, 2); cmds[0] != readConfig {
		t.Errorf("the retry started with %q, want %q", cmds[0], readConfig)
	}
}

func TestUnreachableDeviceIsDialledOncePerBatch(t *testing.T) {
	f := &fakeDevice{config: baseConfig, dialErr: errors.New("dial tcp 192.0.2.1:22: connect: connection refused")}
	d := f.newDevice(t)
	changes := make([]vpn.Change, 5)
	for i := range changes {
		changes[i] = create(prefixList(fmt.Sprintf("PL-%d", i)))
	}
	for i, err := range applyConcurrently(d, changes) {
		if err == nil || !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), deviceName) {
			t.Errorf("Apply(%s) = %v, want the dial failure naming the device", changes[i], err)
		}
	}
	// Splitting a batch is for finding the change a device refuses; a device that cannot
	// be reached refuses nothing, and each dial may take the whole connect timeout.
	if got := f.dialCount(); got > 2 {
		t.Errorf("dials = %d for %d concurrent changes, want at most 2", got, len(changes))
	}
}

func TestLostBatchIsNotSplit(t *testing.T) {
	f := &fakeDevice{config: baseConfig, reply: func(_ int, cmd string) (string, error) {
		if cmd == "commit" {
			return "", errors.New("connection reset by peer") // on every session
		}
		return "", nil
	}}
	d := f.newDevice(t)
	changes := make([]vpn.Change, 5)
	for i := range changes {
		changes[i] = create(prefixList(fmt.Sprintf("PL-%d", i)))
	}
	for i, err := range applyConcurrently(d, changes) {
		var te *device.TransportError
		if !errors.As(err, &te) {
			t.Errorf("Apply(%s) = %v, want a *device.TransportError", changes[i], err)
		}
	}
	// Per batch (the changes are released together, so one, rarely two): the attempt and
	// its retry, each a session that got as far as the commit; no session per change.
	commits := 0
	for _, l := range f.log() {
		if strings.HasSuffix(l, ": commit") {
			commits++
		}
	}
	if got := f.dialCount(); got > 4 || got != commits {
		t.Errorf("dials = %d (%d reached the commit) for %d concurrent changes, want 2 per batch", got, commits, len(changes))
	}
}

// An unreachable device is dialled once per run, not once per resource: later reads get the
// same error at once, and a new run tries again.
func TestDialFailureIsNotRepeatedWithinARun(t *testing.T) {
	f := &fakeDevice{config: baseConfig, dialErr: errors.New("dial tcp 192.0.2.1:22: connect: connection timed out")}
	d := f.newDevice(t)
	for i := 0; i < 5; i++ {
		_, err := d.Snapshot(context.Background())
		var de *device.DialError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), "connection timed out") {
			t.Fatalf("Snapshot %d = %v, want the dial failure", i, err)
		}
	}
	if n := f.dialCount(); n != 1 {
		t.Errorf("dialled %d times, want 1", n)
	}
	d.NewRun()
	f.mu.Lock()
	f.dialErr = nil
	f.mu.Unlock()
	if _, err := d.Snapshot(context.Background()); err != nil {
		t.Fatalf("Snapshot in a new run = %v", err)
	}
	if n := f.dialCount(); n != 2 {
		t.Errorf("dialled %d times after a new run, want 2", n)
	}
}
