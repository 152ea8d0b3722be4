package device_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/sshcli"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func TestSnapshotIsCachedUntilAWrite(t *testing.T) {
	ctx := context.Background()
	d, sim := newDevice(t, baseConfig)
	reads := func(wantDevice, wantSim int, when string) {
		t.Helper()
		if got := d.Stats().Reads; got != wantDevice {
			t.Errorf("%s: device Stats().Reads = %d, want %d", when, got, wantDevice)
		}
		if got := count(sim, readConfig); got != wantSim {
			t.Errorf("%s: simulator saw %q %d times, want %d", when, readConfig, got, wantSim)
		}
	}

	if _, err := d.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if o, err := d.Get(ctx, vpn.KindPrefixList, "PL-1"); err != nil || o != nil {
		t.Fatalf("Get of an absent prefix list = %v, %v; want nil, nil", o, err)
	}
	reads(1, 1, "Snapshot then Get")

	mustApply(t, d, create(prefixList("PL-1")))
	// The transaction rendered against the cached snapshot: still one read.
	reads(1, 1, "after Apply")
	o, err := d.Get(ctx, vpn.KindPrefixList, "PL-1")
	if err != nil {
		t.Fatal(err)
	}
	if o == nil {
		t.Fatal("Get after Apply: PL-1 not found")
	}
	// The snapshot is what the transaction committed, rendered from its own read: no read.
	reads(1, 1, "Get after Apply")
	if st := d.Stats(); st.TxReads != 1 || st.Derived != 1 {
		t.Errorf("after Apply: TxReads = %d, Derived = %d, want 1 and 1", st.TxReads, st.Derived)
	}
	// The configuration's text is read again: the snapshot only knows the model.
	if _, err := d.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	reads(2, 2, "Snapshot after Apply")
	if _, err := d.Get(ctx, vpn.KindPrefixList, "PL-1"); err != nil {
		t.Fatal(err)
	}
	reads(2, 2, "Get after Snapshot")

	d.Invalidate()
	if _, err := d.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	reads(3, 3, "Snapshot after Invalidate")

	// Pool hands out the same Device for the same key and drops its snapshot.
	var pool device.Pool
	made := 0
	mk := func() *device.Device { made++; return d }
	if got := pool.Get("k", mk); got != d {
		t.Fatal("Pool.Get returned another Device")
	}
	if got := pool.Get("k", func() *device.Device { t.Fatal("mk called for a known key"); return nil }); got != d {
		t.Fatal("Pool.Get returned another Device for the same key")
	}
	if made != 1 {
		t.Fatalf("mk called %d times, want 1", made)
	}
	if _, err := d.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	reads(4, 4, "Snapshot after Pool.Get of a known key")
	if got := pool.Get("other", func() *device.Device { return deviceFor(t, sim) }); got == d {
		t.Fatal("Pool.Get returned the same Device for another key")
	}
	pool.CloseAll()
}

func TestSessionIsReused(t *testing.T) {
	ctx := context.Background()
	d, sim := newDevice(t, baseConfig)
	if _, err := d.Facts(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		name := fmt.Sprintf("PL-%d", i)
		mustApply(t, d, create(prefixList(name)))
		if o, err := d.Get(ctx, vpn.KindPrefixList, name); err != nil || o == nil {
			t.Fatalf("Get(%s) = %v, %v", name, o, err)
		}
		mustApply(t, d, remove(vpn.KindPrefixList, name))
		d.Invalidate()
	}
	if got := sim.Stats().Connections; got != 1 {
		t.Errorf("simulator Connections = %d, want 1", got)
	}
	if got := d.Stats().Sessions; got != 1 {
		t.Errorf("device Stats().Sessions = %d, want 1", got)
	}
}

func TestConcurrentAppliesAreBatched(t *testing.T) {
	const n = 20
	// A wide window: the goroutines must all join the first batch even on a loaded machine.
	d, sim := newDevice(t, baseConfig, func(o *device.Options) { o.BatchWindow = 100 * time.Millisecond })
	changes := make([]vpn.Change, n)
	for i := range changes {
		changes[i] = create(prefixList(fmt.Sprintf("PL-%02d", i)))
	}
	for i, err := range applyConcurrently(d, changes) {
		if err != nil {
			t.Errorf("Apply(%s): %v", changes[i], err)
		}
	}
	for _, ch := range changes {
		if !hasPrefixList(sim, ch.Key) {
			t.Errorf("prefix list %s is not on the device", ch.Key)
		}
	}
	if got := sim.Stats().Commits; got > 3 {
		t.Errorf("simulator Commits = %d for %d concurrent changes, want <= 3", got, n)
	}
	if got := d.Stats().Transactions; got > 3 {
		t.Errorf("device Transactions = %d for %d concurrent changes, want <= 3", got, n)
	}
	if got := sim.Stats().Connections; got != 1 {
		t.Errorf("simulator Connections = %d, want 1", got)
	}
}

func TestBatchSplitsToFindTheRejectedChange(t *testing.T) {
	const n = 6
	d, sim := newDevice(t, baseConfig)
	const bad = "PL-03"
	sim.FailCommand("prefix-list "+bad+" rule 10 prefix",
		"\n  Configuration path: policy prefix-list "+bad+" rule 10 prefix [10.0.0.0/8] is not valid\n  Set failed\n")

	changes := make([]vpn.Change, n)
	for i := range changes {
		changes[i] = create(prefixList(fmt.Sprintf("PL-%02d", i)))
	}
	errs := applyConcurrently(d, changes)
	for i, err := range errs {
		if changes[i].Key != bad {
			if err != nil {
				t.Errorf("Apply(%s) = %v, want nil", changes[i], err)
			}
			if !hasPrefixList(sim, changes[i].Key) {
				t.Errorf("prefix list %s is not on the device", changes[i].Key)
			}
			continue
		}
		var de *device.Error
		if !errors.As(err, &de) {
			t.Fatalf("Apply(%s) = %v (%T), want a *device.Error", changes[i], err, err)
		}
		if de.Device != deviceName || !strings.Contains(de.Command, "prefix-list "+bad+" rule 10 prefix") ||
			!strings.Contains(de.Message, "is not valid") {
			t.Errorf("error = %+v, want device %q, the failing command and the device's message", de, deviceName)
		}
		for _, want := range []string{deviceName, "prefix-list " + bad, "is not valid"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %q", err, want)
			}
		}
	}
	if got := linesWith(sim, "prefix-list "+bad+" "); len(got) > 0 {
		t.Errorf("the rejected prefix list is partly on the device:\n%s", strings.Join(got, "\n"))
	}
}

func TestCommitFailureLeavesDeviceUnchanged(t *testing.T) {
	d, sim := newDevice(t, baseConfig)
	mustApply(t, d, create(prefixList("PL-KEEP")))
	before := sim.RunningConfig()
	conns := sim.Stats().Connections

	sim.FailNextCommit("Policy configuration error: injected failure.")
	err := d.Apply(context.Background(), create(prefixList("PL-FAIL")))
	var de *device.Error
	if !errors.As(err, &de) {
		t.Fatalf("Apply with a failing commit = %v (%T), want a *device.Error", err, err)
	}
	if de.Command != "commit" || !strings.Contains(de.Message, "injected failure") {
		t.Errorf("error = %+v, want the commit command and the device's message", de)
	}
	if got := sim.RunningConfig(); got != before {
		t.Errorf("running configuration changed by a failed commit:\n%s\nwant:\n%s", got, before)
	}
	log := sim.CommandLog()
	if tail := strings.Join(log[len(log)-3:], " | "); tail != "commit | discard | exit discard" {
		t.Errorf("commands after the failed commit: %q, want the abort sequence", tail)
	}

	// The session is still usable, and nothing of the failed candidate comes back.
	sim.ResetCommandLog()
	mustApply(t, d, create(prefixList("PL-NEXT")))
	if !hasPrefixList(sim, "PL-NEXT") {
		t.Error("PL-NEXT is not on the device")
	}
	if hasPrefixList(sim, "PL-FAIL") {
		t.Error("the failed change reached the device with the next transaction")
	}
	for _, c := range sim.CommandLog() {
		if strings.Contains(c, "PL-FAIL") {
			t.Errorf("the next transaction sent %q", c)
		}
	}
	if got := sim.Stats().Connections; got != conns {
		t.Errorf("simulator Connections = %d after a commit failure, want %d", got, conns)
	}
}

func TestTransportFailureIsRetriedOnANewSession(t *testing.T) {
	// With a warm snapshot the transaction of one create is: configure, the read inside the
	// transaction, the rendered lines, commit, save, exit. The drop closes the connection
	// after the command ran, before its output: from the commit on, the lost session has
	// committed the change, and the retry must still save it.
	n := len(renderCreate(t, baseConfig, prefixList("PL-1")))
	cases := []struct {
		name string
		drop int
	}{
		{"at configure", 1},
		{"at the read in the transaction", 2},
		{"at the first set line", 3},
		{"at the last set line", n + 2},
		{"at commit", n + 3},
		{"at save", n + 4},
		{"at exit", n + 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			d, sim := newDevice(t, baseConfig)
			if _, err := d.Snapshot(ctx); err != nil {
				t.Fatal(err)
			}
			sim.ResetCommandLog()
			sim.DropAfter(tc.drop)
			if err := d.Apply(ctx, create(prefixList("PL-1"))); err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if got := len(linesWith(sim, "prefix-list PL-1 description")); got != 1 {
				t.Errorf("PL-1 is on the device %d times, want once:\n%s", got, sim.RunningConfig())
			}
			// Snapshot reads the device (on a new session where the drop closed it).
			if s, err := d.Snapshot(ctx); err != nil || s.Config.Get(vpn.KindPrefixList, "PL-1") == nil {
				t.Errorf("Snapshot after the retry: PL-1 missing (%v)", err)
			}
			if got := sim.Stats().Connections; got != 2 {
				t.Errorf("simulator Connections = %d, want 2", got)
			}
			if got := d.Stats().Sessions; got != 2 {
				t.Errorf("device Sessions = %d, want 2", got)
			}
			if got := sim.Stats().Commits; got != 1 {
				t.Errorf("simulator Commits = %d, want 1", got)
			}
			if !strings.Contains(sim.SavedConfig(), "prefix-list PL-1 description") {
				t.Errorf("PL-1 is active but not saved: a reboot would lose it")
			}
		})
	}
}

func TestTransportFailureOnEveryAttempt(t *testing.T) {
	ctx := context.Background()
	sim := startSim(t, baseConfig)
	// The first attempt dies at its 3rd command (configure, the read in the transaction, the
	// 1st set line). The device logs before it retries; that is when the next drop is armed:
	// the retry's session sends terminal length and terminal width, reads the configuration,
	// enters configure, reads it again and dies at its 1st set line.
	var logs logSink
	d := deviceFor(t, sim, func(o *device.Options) {
		o.Logger = func(ctx context.Context, level, msg string, fields map[string]any) {
			if strings.Contains(msg, "retrying") {
				sim.DropAfter(6)
			}
			logs.logger(ctx, level, msg, fields)
		}
	})
	if _, err := d.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	before := sim.RunningConfig()
	sim.ResetCommandLog()
	sim.DropAfter(3)
	err := d.Apply(ctx, create(prefixList("PL-1")))
	var te *device.TransportError
	if !errors.As(err, &te) {
		t.Fatalf("Apply = %v (%T), want a *device.TransportError", err, err)
	}
	if te.Device != deviceName || !strings.Contains(err.Error(), deviceName) {
		t.Errorf("error %q does not name device %q", err, deviceName)
	}
	if got := sim.Stats().Connections; got != 2 {
		t.Errorf("simulator Connections = %d, want 2 (one retry)", got)
	}
	if got, want := sim.CommandLog(), "set policy prefix-list PL-1"; !strings.HasPrefix(got[len(got)-1], want) {
		t.Errorf("the retry's last command was %q, want the drop at a set line (log: %q)", got[len(got)-1], got)
	}
	if got := sim.RunningConfig(); got != before {
		t.Errorf("the device changed although every attempt failed:\n%s", got)
	}
}

func TestSaveFailureAfterCommitIsNotSplit(t *testing.T) {
	d, sim := newDevice(t, baseConfig)
	if _, err := d.Snapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
	sim.FailCommand("save", "\n  Saving configuration to '/config/config.boot'...\n  [[/config/config.boot]] failed: No space left on device\n")
	changes := make([]vpn.Change, 4)
	for i := range changes {
		changes[i] = create(prefixList(fmt.Sprintf("PL-%d", i)))
	}
	for i, err := range applyConcurrently(d, changes) {
		var de *device.Error
		if !errors.As(err, &de) || de.Command != "save" || !strings.Contains(err.Error(), "was NOT saved") {
			t.Errorf("Apply(%s) = %v, want the save failure, reported as committed", changes[i], err)
		}
		if !hasPrefixList(sim, changes[i].Key) {
			t.Errorf("prefix list %s is not active on the device", changes[i].Key)
		}
	}
	if got, want := sim.Stats().Commits, d.Stats().Transactions; got != want {
		t.Errorf("simulator Commits = %d, device Transactions = %d: a committed batch was re-applied", got, want)
	}
}

func TestDeferredGatewayReachesTheDeviceWithItsTunnel(t *testing.T) {
	ctx := context.Background()
	d, sim := newDevice(t, baseConfig)
	gw := gateway("GW-1", "psk-Secret-123")

	mustApply(t, d, create(gw))
	if got := append(linesWith(sim, "ike-group"), linesWith(sim, "site-to-site")...); len(got) > 0 {
		t.Errorf("a gateway without a tunnel left lines on the device:\n%s", strings.Join(got, "\n"))
	}
	o, err := d.Get(ctx, vpn.KindIKEGateway, "GW-1")
	if err != nil || o == nil {
		t.Fatalf("Get(GW-1) = %v, %v; want the held gateway", o, err)
	}
	if got := o.(*vpn.IKEGateway); got.PeerAddress != gw.PeerAddress || got.PreSharedKey != gw.PreSharedKey {
		t.Errorf("Get(GW-1) = %+v, want %+v", got, gw)
	}
	if why := d.Deferred(vpn.KindIKEGateway, "GW-1"); !strings.Contains(why, "tunnel") || !strings.Contains(why, `"GW-1"`) {
		t.Errorf("Deferred(GW-1) = %q, want the reason", why)
	}

	commits := sim.Stats().Commits
	mustApply(t, d, create(tunnel("T-1", "GW-1")))
	if got := sim.Stats().Commits - commits; got != 1 {
		t.Errorf("the tunnel took %d commits, want 1", got)
	}
	for _, want := range []string{"site-to-site peer 198.51.100.7 ike-group GW-1", "site-to-site peer 198.51.100.7 vti bind vti1", "interfaces vti vti1 address 169.254.21.2/30"} {
		if len(linesWith(sim, want)) == 0 {
			t.Errorf("the device lacks %q:\n%s", want, sim.RunningConfig())
		}
	}
	if why := d.Deferred(vpn.KindIKEGateway, "GW-1"); why != "" {
		t.Errorf("Deferred(GW-1) = %q after its tunnel, want \"\"", why)
	}
	if o, err := d.Get(ctx, vpn.KindIKEGateway, "GW-1"); err != nil || o == nil {
		t.Errorf("Get(GW-1) = %v, %v; want the gateway read from the device", o, err)
	}

	mustApply(t, d, remove(vpn.KindTunnel, "T-1"))
	if got := append(linesWith(sim, "ike-group"), linesWith(sim, "site-to-site")...); len(got) > 0 {
		t.Errorf("the gateway outlived its last tunnel on the device:\n%s", strings.Join(got, "\n"))
	}
	if o, err := d.Get(ctx, vpn.KindIKEGateway, "GW-1"); err != nil || o == nil {
		t.Errorf("Get(GW-1) = %v, %v after deleting its tunnel; want it held again", o, err)
	}
	mustApply(t, d, remove(vpn.KindIKEGateway, "GW-1"))
	for _, gone := range []string{"ike-group", "site-to-site", "esp-group", "vti vti1"} {
		if got := linesWith(sim, gone); len(got) > 0 {
			t.Errorf("the device still has:\n%s", strings.Join(got, "\n"))
		}
	}
	if o, err := d.Get(ctx, vpn.KindIKEGateway, "GW-1"); err != nil || o != nil {
		t.Errorf("Get(GW-1) = %v, %v after its delete; want nil, nil", o, err)
	}
	if why := d.Deferred(vpn.KindIKEGateway, "GW-1"); why != "" {
		t.Errorf("Deferred(GW-1) = %q after its delete, want \"\"", why)
	}
}

func TestConflicts(t *testing.T) {
	ctx := context.Background()
	d, sim := newDevice(t, baseConfig)
	mustApply(t, d, create(prefixList("PL-1")))
	tx := d.Stats().Transactions
	commits := sim.Stats().Commits

	err := d.Apply(ctx, create(prefixList("PL-1")))
	var de *device.Error
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "import") || !strings.Contains(err.Error(), `"PL-1"`) {
		t.Errorf("create of an existing prefix list = %v, want a *device.Error naming it and suggesting import", err)
	}
	if err := d.Apply(ctx, update(prefixList("PL-MISSING"))); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("update of an absent prefix list = %v, want a not-found error", err)
	}
	if err := d.Apply(ctx, remove(vpn.KindPrefixList, "PL-ABSENT")); err != nil {
		t.Errorf("delete of an absent prefix list = %v, want nil", err)
	}
	if got := d.Stats().Transactions; got != tx {
		t.Errorf("device Transactions = %d, want %d: nothing should have been pushed", got, tx)
	}
	if got := sim.Stats().Commits; got != commits {
		t.Errorf("simulator Commits = %d, want %d", got, commits)
	}
	if got := count(sim, "configure"); got != 1 {
		t.Errorf("configure sent %d times, want 1 (the first create only)", got)
	}
}

func TestSecretsNeverLeak(t *testing.T) {
	const psk, psk2 = "psk-Secret-123", "psk-Secret-456"
	ctx := context.Background()
	var logs logSink
	d, sim := newDevice(t, baseConfig, withLogger(&logs))
	var errs []string

	mustApply(t, d, create(gateway("GW-1", psk)))
	// The peer (and its pre-shared-secret line) is rendered with the tunnel; the device
	// refuses that line and echoes the secret in its message.
	sim.FailCommand("pre-shared-secret", "\n  Configuration path: vpn ipsec site-to-site peer 198.51.100.7 authentication pre-shared-secret ["+psk+"] is not valid\n  Set failed\n")
	err := d.Apply(ctx, create(tunnel("T-1", "GW-1")))
	if err == nil {
		t.Fatal("Apply with a refused pre-shared-secret succeeded")
	}
	errs = append(errs, err.Error())
	sim.FailCommand("pre-shared-secret", "")

	mustApply(t, d, create(tunnel("T-1", "GW-1")))
	mustApply(t, d, update(gateway("GW-1", psk2)))
	if got := linesWith(sim, psk2); len(got) != 1 {
		t.Fatalf("the new pre-shared key is not on the device:\n%s", sim.RunningConfig())
	}
	// A commit failure whose message quotes the key.
	sim.FailNextCommit("VPN configuration error: peer 198.51.100.7: bad secret " + psk2)
	if err := d.Apply(ctx, update(gateway("GW-1", psk))); err == nil {
		t.Fatal("Apply with a failing commit succeeded")
	} else {
		errs = append(errs, err.Error())
	}

	logged := logs.text()
	if !strings.Contains(logged, "pre-shared-secret") {
		t.Fatalf("the log shows no applied commands; the test does not see what it checks:\n%s", logged)
	}
	for _, secret := range []string{psk, psk2} {
		if strings.Contains(logged, secret) {
			t.Errorf("the log contains %q:\n%s", secret, logged)
		}
		for _, e := range errs {
			if strings.Contains(e, secret) {
				t.Errorf("an error contains %q: %s", secret, e)
			}
		}
	}
	for _, e := range errs {
		if !strings.Contains(e, deviceName) {
			t.Errorf("error %q does not name the device", e)
		}
	}
	for _, text := range []string{
		"set vpn ipsec site-to-site peer 198.51.100.7 authentication pre-shared-secret " + psk,
		"the key is " + psk2 + ".",
	} {
		if got := d.Redact(text); strings.Contains(got, psk) || strings.Contains(got, psk2) {
			t.Errorf("Redact(%q) = %q", text, got)
		}
	}
}

// A save that fails after a good commit is reported as such, and the next transaction saves
// even when it has nothing else to change.
func TestSaveFailureIsRepairedByTheNextTransaction(t *testing.T) {
	d, sim := newDevice(t, baseConfig)
	sim.FailCommand("save", "\n  [[/config/config.boot]] failed: No space left on device\n")
	errs := applyConcurrently(d, []vpn.Change{create(gateway("GW-1", "psk-Secret-123")), create(tunnel("T-1", "GW-1"))})
	for _, err := range errs {
		var ce *device.CommittedError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "was NOT saved") {
			t.Fatalf("Apply = %v, want the save failure reported as committed", err)
		}
	}
	sim.FailCommand("save", "")
	if len(linesWith(sim, "site-to-site peer 198.51.100.7 ike-group GW-1")) == 0 {
		t.Fatal("the gateway was not committed")
	}
	if strings.Contains(sim.SavedConfig(), "ike-group GW-1") {
		t.Fatal("the gateway was saved although save failed")
	}
	// Nothing to change, but the earlier commit is still unsaved: this apply saves it.
	mustApply(t, d, update(gateway("GW-1", "psk-Secret-123")))
	if !strings.Contains(sim.SavedConfig(), "site-to-site peer 198.51.100.7 ike-group GW-1") {
		t.Errorf("the next transaction did not save the committed change:\n%s", sim.SavedConfig())
	}
	saves := sim.Stats().Saves
	mustApply(t, d, update(gateway("GW-1", "psk-Secret-123")))
	if got := sim.Stats().Saves; got != saves {
		t.Errorf("a no-op apply saved again (%d saves, want %d)", got, saves)
	}
}

// A tunnel whose create fails leaves nothing of its gateway on the device: nothing that the
// provider wrote stays there outside state (the next run, a new process, knows only what the
// device shows).
func TestFailedTunnelCreateLeavesNothingOfItsGateway(t *testing.T) {
	ctx := context.Background()
	d, sim := newDevice(t, baseConfig)
	before := sim.RunningConfig()
	mustApply(t, d, create(gateway("GW-1", "psk-Secret-123")))
	sim.FailNextCommit("VPN configuration error: simulated refusal")
	if err := d.Apply(ctx, create(tunnel("T-1", "GW-1"))); err == nil {
		t.Fatal("the tunnel create succeeded despite the failed commit")
	}
	if got := sim.RunningConfig(); got != before {
		t.Errorf("the device changed:\n%s", got)
	}
	next := deviceFor(t, sim)
	if o, err := next.Get(ctx, vpn.KindIKEGateway, "GW-1"); err != nil || o != nil {
		t.Errorf("a new process finds GW-1 = %v, %v; want nothing", o, err)
	}
}

func sourceRoute(src string, table int) *vpn.SourceRoute {
	return &vpn.SourceRoute{Source: src, Interface: "vti1", Table: table, IngressInterface: "eth1"}
}

// Two provider processes (two Devices) against one router, which has no configuration lock:
// a delete decided on an older snapshot must not remove the shared firewall modify ruleset,
// its interface binding or the routing table that the other process's rule now uses. The
// transaction reads the configuration again after `configure` and renders from that.
func TestConcurrentProcessesDoNotRemoveWhatTheOtherUses(t *testing.T) {
	ctx := context.Background()
	sim := startSim(t, baseConfig+"set interfaces vti vti1 address 169.254.21.2/30\n")
	a, b := deviceFor(t, sim), deviceFor(t, sim)
	mustApply(t, b, create(sourceRoute("192.168.50.0/24", 20)))
	// B's snapshot shows its own rule alone in the ruleset.
	if _, err := b.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	// A adds a rule to the same ruleset (its own read is fresh).
	mustApply(t, a, create(sourceRoute("192.168.1.0/24", 10)))
	// B deletes its rule, from its older snapshot: the last rule there, not on the device.
	mustApply(t, b, remove(vpn.KindSourceRoute, "192.168.50.0/24"))

	running := sim.RunningConfig()
	for _, want := range []string{
		"firewall modify SOURCE_ROUTE rule 10 source address 192.168.1.0/24",
		"interfaces ethernet eth1 firewall in modify SOURCE_ROUTE",
		"protocols static table 10 interface-route 0.0.0.0/0 next-hop-interface vti1",
	} {
		if !strings.Contains(running, want) {
			t.Errorf("the other process's source route lost %q:\n%s", want, running)
		}
	}
	if strings.Contains(running, "192.168.50.0/24 ") || strings.Contains(running, "rule 20") {
		t.Errorf("B's source route is still there:\n%s", running)
	}
	if o, err := a.Get(ctx, vpn.KindSourceRoute, "192.168.1.0/24"); err != nil || o == nil {
		t.Errorf("A's source route = %v, %v; want it on the device", o, err)
	}
	if got := b.Stats().TxReads; got != 2 {
		t.Errorf("B read the configuration %d times inside its transactions, want 2 (one each)", got)
	}
}

// Keys of any length are masked: short ones where they stand as a token, so that a
// two-character key does not erase every word that contains it.
func TestShortSecretsAreMasked(t *testing.T) {
	d := device.New(device.Options{Name: deviceName, Platform: edgeos(t)})
	d.AddSecrets("k9", "x")
	got := d.Redact("the psk is k9; 'k9' and x=x but k9s, tax and taxi stay")
	if want := "the psk is ****; '****' and ****=**** but k9s, tax and taxi stay"; got != want {
		t.Errorf("Redact = %q, want %q", got, want)
	}
}

// Output is capped: a device that prints more than the transport's limit for the
// configuration fails the read with an error that says so, and quotes none of it.
func TestOversizedConfigurationFailsTheRead(t *testing.T) {
	sim := startSim(t, baseConfig+"set vpn ipsec site-to-site peer 192.0.2.1 authentication pre-shared-secret Padded-PSK-123\n")
	d := deviceForSSH(t, sim, func(c *sshcli.Config) { c.MaxOutputBytes = 256 << 10 })
	sim.SetOutputPadding(1 << 20)
	_, err := d.Snapshot(context.Background())
	if err == nil || !errors.Is(err, sshcli.ErrOutputTooLarge) && !strings.Contains(err.Error(), "exceeded") {
		t.Fatalf("Snapshot = %v, want the output cap", err)
	}
	if strings.Contains(err.Error(), "Padded-PSK") || strings.Contains(err.Error(), "static-host-mapping") {
		t.Errorf("the error quotes the configuration: %v", err)
	}
	sim.SetOutputPadding(0)
	if _, err := d.Snapshot(context.Background()); err != nil {
		t.Errorf("the next read, on a new session, failed: %v", err)
	}
}
