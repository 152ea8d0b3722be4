package device_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// terraformWave applies changes the way Terraform's walk does with -parallelism=p: p workers,
// each taking the next change, planning it against the device's configuration (Config),
// applying it and reading it back (Get) before taking the next. Worker i waits i*gap before
// each apply, so that the writes of one wave arrive spread out (Terraform's own work between
// operations) rather than at once.
func terraformWave(t *testing.T, d *device.Device, changes []vpn.Change, p int, gap time.Duration) {
	t.Helper()
	ctx := context.Background()
	var (
		mu   sync.Mutex
		next int
		wg   sync.WaitGroup
	)
	for w := range p {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(changes) {
					return
				}
				ch := changes[i]
				if _, err := d.Config(ctx); err != nil {
					t.Errorf("Config before %s: %v", ch, err)
					return
				}
				time.Sleep(time.Duration(w) * gap)
				if err := d.Apply(ctx, ch); err != nil {
					t.Errorf("Apply(%s): %v", ch, err)
					return
				}
				got, err := d.Get(ctx, ch.Kind, ch.Key)
				if err != nil || (got == nil) != (ch.Op == vpn.OpDelete) {
					t.Errorf("Get after %s = %v, %v", ch, got, err)
				}
			}
		}()
	}
	wg.Wait()
}

// TestWavesFillBatches: 60 writes in two dependency waves (30 creates, then their 30 deletes)
// with 10 workers commit at most ceil(60/10) + 2 times, although the writes of a wave arrive
// spread over more than four batch windows: a batch waits for a quiet window after the last
// write, and writes that queued while a batch ran wait for the callers it answered. The whole
// run reads the configuration once outside transactions; every read inside them is a
// transaction's own.
func TestWavesFillBatches(t *testing.T) {
	const (
		p      = 10
		n      = 30
		window = 80 * time.Millisecond
	)
	d, sim := newDevice(t, baseConfig, func(o *device.Options) { o.BatchWindow = window })
	sim.SetCommitDelay(50 * time.Millisecond)
	var creates, deletes []vpn.Change
	for i := range n {
		name := fmt.Sprintf("PL-%02d", i)
		creates = append(creates, create(prefixList(name)))
		deletes = append(deletes, remove(vpn.KindPrefixList, name))
	}
	terraformWave(t, d, creates, p, window/4)
	for _, ch := range creates {
		if !hasPrefixList(sim, ch.Key) {
			t.Errorf("%s is not on the device", ch.Key)
		}
	}
	terraformWave(t, d, deletes, p, window/4)
	if got := linesWith(sim, "prefix-list PL-"); len(got) > 0 {
		t.Errorf("the device still has:\n%s", strings.Join(got, "\n"))
	}

	st := d.Stats()
	t.Logf("device stats: %+v; simulator: %+v", st, sim.Stats())
	writes, waves := 2*n, 2
	limit := (writes+p-1)/p + waves
	if got := sim.Stats().Commits; got > limit {
		t.Errorf("simulator Commits = %d for %d writes in %d waves with %d workers, want <= %d (device stats %+v)", got, writes, waves, p, limit, st)
	}
	if st.Commits != sim.Stats().Commits || st.Saves != sim.Stats().Saves {
		t.Errorf("device Commits/Saves = %d/%d, simulator %d/%d", st.Commits, st.Saves, sim.Stats().Commits, sim.Stats().Saves)
	}
	if st.Changes != writes || st.Batches > limit {
		t.Errorf("device Batches = %d, Changes = %d; want <= %d batches of %d changes", st.Batches, st.Changes, limit, writes)
	}
	if st.Reads != 1 {
		t.Errorf("device Reads = %d, want 1: after its own commits the device knows what it holds", st.Reads)
	}
	if st.TxReads != st.Transactions {
		t.Errorf("device TxReads = %d, Transactions = %d: one read inside each transaction", st.TxReads, st.Transactions)
	}
	if got := count(sim, readConfig) + count(sim, "run "+readConfig); got != st.ConfigReads() {
		t.Errorf("simulator saw %d configuration reads, device counted %d", got, st.ConfigReads())
	}
	if st.Derived != st.Commits || st.Mismatches != 0 {
		t.Errorf("Derived = %d, Mismatches = %d for %d commits; want every commit derived and no mismatch", st.Derived, st.Mismatches, st.Commits)
	}
	if st.Sessions != 1 || sim.Stats().Connections != 1 {
		t.Errorf("Sessions = %d, simulator Connections = %d, want 1", st.Sessions, sim.Stats().Connections)
	}
	if st.BytesRead == 0 || st.Commands == 0 {
		t.Errorf("BytesRead = %d, Commands = %d, want both counted", st.BytesRead, st.Commands)
	}
}

// TestBatchWindowWaitsForTheLastWrite: writes arriving 20 ms apart, 200 ms in all, meet in one
// batch with an 80 ms window: the window counts from the last write, not the first.
func TestBatchWindowWaitsForTheLastWrite(t *testing.T) {
	const n = 10
	d, sim := newDevice(t, baseConfig, func(o *device.Options) { o.BatchWindow = 80 * time.Millisecond })
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(i) * 20 * time.Millisecond)
			if err := d.Apply(context.Background(), create(prefixList(fmt.Sprintf("PL-%02d", i)))); err != nil {
				t.Errorf("Apply: %v", err)
			}
		}()
	}
	wg.Wait()
	if got := sim.Stats().Commits; got != 1 {
		t.Errorf("simulator Commits = %d for %d writes 20 ms apart with an 80 ms window, want 1", got, n)
	}
	if st := d.Stats(); st.Batches != 1 || st.MaxBatch != n {
		t.Errorf("Batches = %d, MaxBatch = %d, want 1 and %d", st.Batches, st.MaxBatch, n)
	}
}

// TestCommittedObjectsAreVerifiedByTheNextRead: after a commit the snapshot is what was
// committed; the next read of the device (here the next transaction's own) checks the
// committed objects, and one the device shows otherwise is logged, counted, and makes every
// later batch read back.
func TestCommittedObjectsAreVerifiedByTheNextRead(t *testing.T) {
	ctx := context.Background()
	logs := &logSink{}
	d, sim := newDevice(t, baseConfig, withLogger(logs))
	mustApply(t, d, create(prefixList("PL-1")))
	// The device, and no one else: a delete of the object just created is pushed, although
	// the text the snapshot was rendered from predates it.
	mustApply(t, d, remove(vpn.KindPrefixList, "PL-1"))
	if hasPrefixList(sim, "PL-1") {
		t.Fatal("PL-1 is still on the device after its delete")
	}
	mustApply(t, d, create(prefixList("PL-2")))
	st := d.Stats()
	if st.Reads != 1 || st.Derived != 3 || st.Mismatches != 0 {
		t.Fatalf("Reads = %d, Derived = %d, Mismatches = %d; want 1, 3, 0", st.Reads, st.Derived, st.Mismatches)
	}
	// The device stores PL-2 otherwise than committed (here: changed behind the provider's back
	// before anything read it).
	if err := sim.Apply("set policy prefix-list PL-2 description 'changed on the device'"); err != nil {
		t.Fatal(err)
	}
	mustApply(t, d, create(prefixList("PL-3")))
	st = d.Stats()
	if st.Mismatches != 1 {
		t.Errorf("Mismatches = %d, want 1 (PL-2)", st.Mismatches)
	}
	if !strings.Contains(logs.text(), `warn the device shows objects otherwise than they were committed`) || !strings.Contains(logs.text(), `prefix_list "PL-2"`) {
		t.Errorf("no warning naming PL-2:\n%s", logs.text())
	}
	if st.Derived != 3 {
		t.Errorf("Derived = %d after a mismatch, want 3: the batch is read back instead", st.Derived)
	}
	reads := st.Reads
	if o, err := d.Get(ctx, vpn.KindPrefixList, "PL-3"); err != nil || o == nil {
		t.Fatalf("Get(PL-3) = %v, %v", o, err)
	}
	if got := d.Stats().Reads; got != reads+1 {
		t.Errorf("Reads = %d after the read-back, want %d", got, reads+1)
	}
}

// TestReadersDoNotWaitForACommit: while a batch commits, Config and Get answer from the
// configuration before the batch (the object being created is not there yet) instead of
// waiting for the commit; once Apply returns, they answer from what it committed, and none of
// this reads the configuration again.
func TestReadersDoNotWaitForACommit(t *testing.T) {
	ctx := context.Background()
	d, sim := newDevice(t, baseConfig)
	if _, err := d.Config(ctx); err != nil {
		t.Fatal(err)
	}
	sim.SetCommitDelay(time.Second)
	done := make(chan error, 1)
	go func() { done <- d.Apply(ctx, create(prefixList("PL-SLOW"))) }()
	committing := func() bool {
		for _, c := range sim.CommandLog() {
			if c == "commit" {
				return true
			}
		}
		return false
	}
	for !committing() {
		select {
		case err := <-done:
			t.Fatalf("Apply returned before its commit was seen: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	if o, err := d.Get(ctx, vpn.KindPrefixList, "PL-SLOW"); err != nil || o != nil {
		t.Errorf("Get during the commit = %v, %v; want nil, nil (the configuration before the batch)", o, err)
	}
	if cfg, err := d.Config(ctx); err != nil || cfg.Get(vpn.KindPrefixList, "PL-SLOW") != nil {
		t.Errorf("Config during the commit holds PL-SLOW (%v); want the configuration before the batch", err)
	}
	select {
	case err := <-done:
		t.Fatalf("Apply returned (%v) before the readers finished: they waited for the commit", err)
	default:
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if o, err := d.Get(ctx, vpn.KindPrefixList, "PL-SLOW"); err != nil || o == nil {
		t.Errorf("Get after Apply = %v, %v; want PL-SLOW", o, err)
	}
	if st := d.Stats(); st.Reads != 1 {
		t.Errorf("Reads = %d, want 1", st.Reads)
	}
}

// TestCountersAreLoggedAfterEachBatch: the info record after a batch carries the device's
// counters, the same as Stats.
func TestCountersAreLoggedAfterEachBatch(t *testing.T) {
	logs := &logSink{}
	d, _ := newDevice(t, baseConfig, withLogger(logs), func(o *device.Options) { o.BatchWindow = 200 * time.Millisecond })
	for _, err := range applyConcurrently(d, []vpn.Change{create(prefixList("PL-1")), create(prefixList("PL-2"))}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	st := d.Stats()
	want := fmt.Sprintf("info batch done map[batches:1 bytes_read:%d changes:2 commands:%d commits:1 config_reads:2 derived_snapshots:1 device:%s max_batch:2 mismatches:0 saves:1 sessions:1 transactions:1]",
		st.BytesRead, st.Commands, deviceName)
	if !strings.Contains(logs.text(), want) {
		t.Errorf("no record %q in:\n%s", want, logs.text())
	}
	if !strings.Contains(logs.text(), "info read the configuration map[") {
		t.Errorf("no counters after the read:\n%s", logs.text())
	}
}

// oneWay is the EdgeOS dialect declaring every secret one-way (as ScreenOS prints a
// pre-shared key): only a read shows the device's form of a secret just written.
type oneWay struct{ platform.Platform }

func (oneWay) SecretForm(vpn.Kind, string) platform.SecretForm { return platform.SecretOneWay }
func (oneWay) DecodeSecret(_ vpn.Kind, _, printed string) (string, error) {
	return printed, nil
}

// A batch that writes a secret the device keeps in a one-way form is read back: the snapshot
// is not what was committed, since the device's form of the secret is only known from a read.
// A batch without one is not.
func TestOneWaySecretIsReadBack(t *testing.T) {
	ctx := context.Background()
	d, _ := newDevice(t, baseConfig, func(o *device.Options) { o.Platform = oneWay{edgeos(t)} })
	mustApply(t, d, create(prefixList("PL-1")))
	if st := d.Stats(); st.Derived != 1 {
		t.Fatalf("Derived = %d after a batch without secrets, want 1", st.Derived)
	}
	n := &vpn.BGPNeighbor{Address: "169.254.21.1", LocalAS: 65510, RemoteAS: 65515, Password: "bgp-Secret-1"}
	mustApply(t, d, create(n))
	reads := d.Stats().Reads
	if o, err := d.Get(ctx, vpn.KindBGPNeighbor, n.Address); err != nil || o == nil {
		t.Fatalf("Get = %v, %v", o, err)
	}
	if st := d.Stats(); st.Derived != 1 || st.Reads != reads+1 {
		t.Errorf("Derived = %d, Reads = %d after a batch with a one-way secret; want 1 and %d (read back)", st.Derived, st.Reads, reads+1)
	}
}
