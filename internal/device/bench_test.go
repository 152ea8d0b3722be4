package device_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// A slow device for the apply benchmarks: every command answers after benchLatency, a commit
// takes benchCommitDelay more.
const (
	benchObjects     = 50
	benchLatency     = 5 * time.Millisecond
	benchCommitDelay = 100 * time.Millisecond
)

func benchChanges() (creates, deletes []vpn.Change) {
	for i := range benchObjects {
		pl := &vpn.PrefixList{Name: fmt.Sprintf("BENCH-%02d", i), Rules: []vpn.PrefixRule{
			{Sequence: 1, Action: "permit", Prefix: fmt.Sprintf("10.%d.0.0/16", i)},
		}}
		creates = append(creates, create(pl))
		deletes = append(deletes, remove(vpn.KindPrefixList, pl.Name))
	}
	return creates, deletes
}

// benchApply measures one round of applying the creates with apply on a warm session, then
// deletes them again (untimed, without latency) so that every iteration starts from the same
// device.
func benchApply(b *testing.B, apply func(*device.Device, []vpn.Change) []error) {
	sim := startSim(b, baseConfig)
	benchApplyOn(b, sim, deviceFor(b, sim), apply)
}

// benchApplyOn is benchApply on a given simulator and Device.
func benchApplyOn(b *testing.B, sim *simulator.Server, d *device.Device, apply func(*device.Device, []vpn.Change) []error) {
	creates, deletes := benchChanges()
	benchApplyWith(b, sim, d, apply, creates, deletes)
}

// benchApplyWith is benchApplyOn with the changes given.
func benchApplyWith(b *testing.B, sim *simulator.Server, d *device.Device, apply func(*device.Device, []vpn.Change) []error, creates, deletes []vpn.Change) {
	benchApplyChanges(b, sim, d, apply, creates, deletes)
}

// benchApplyChanges is benchApplyOn with the platform's own changes.
func benchApplyChanges(b *testing.B, sim *simulator.Server, d *device.Device, apply func(*device.Device, []vpn.Change) []error, creates, deletes []vpn.Change) {
	ctx := context.Background()
	if _, err := d.Snapshot(ctx); err != nil {
		b.Fatal(err)
	}
	var commits, tx, sessions int
	var elapsed time.Duration
	for b.Loop() {
		sim.SetLatency(benchLatency)
		sim.SetCommitDelay(benchCommitDelay)
		c0, t0, s0 := sim.Stats().Commits, d.Stats().Transactions, sim.Stats().Connections
		start := time.Now()
		for i, err := range apply(d, creates) {
			if err != nil {
				b.Fatalf("Apply(%s): %v", creates[i], err)
			}
		}
		elapsed += time.Since(start)
		commits += sim.Stats().Commits - c0
		tx += d.Stats().Transactions - t0
		sessions += sim.Stats().Connections - s0

		b.StopTimer()
		sim.SetLatency(0)
		sim.SetCommitDelay(0)
		for i, err := range applyConcurrently(d, deletes) {
			if err != nil {
				b.Fatalf("Apply(%s): %v", deletes[i], err)
			}
		}
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(float64(commits)/n, "commits/op")
	b.ReportMetric(float64(tx)/n, "transactions/op")
	b.ReportMetric(float64(sessions)/n, "sessions/op")
	b.ReportMetric(float64(elapsed.Milliseconds())/n/benchObjects, "ms/object")
}

// BenchmarkApplyBatched applies 50 creates concurrently, as Terraform does with independent
// resources: they share one or a few transactions.
func BenchmarkApplyBatched(b *testing.B) {
	benchApply(b, applyConcurrently)
}

// BenchmarkApplySequential applies the same 50 creates one after another, each waiting for
// the previous one: one transaction, one commit each.
func BenchmarkApplySequential(b *testing.B) {
	benchApply(b, applySequentially)
}

// applySequentially applies changes one after another, each waiting for the previous one.
func applySequentially(d *device.Device, changes []vpn.Change) []error {
	errs := make([]error, len(changes))
	for i, ch := range changes {
		errs[i] = d.Apply(context.Background(), ch)
	}
	return errs
}

// The same on a Junos device (configure private, load set terminal, commit check, commit):
// batched, then sequential.
func BenchmarkJunosApplyBatched(b *testing.B) {
	sim := startJunosSim(b)
	benchApplyOn(b, sim, junosDeviceFor(b, sim), applyConcurrently)
}

func BenchmarkJunosApplySequential(b *testing.B) {
	sim := startJunosSim(b)
	benchApplyOn(b, sim, junosDeviceFor(b, sim), applySequentially)
}

// The same on a ScreenOS device (each line typed and taking effect at once, `save` after
// the batch): 50 prefix lists, each a trust-vr access-list and its route-map, numbered 1-50
// as the provider numbers them, batched.
func BenchmarkScreenOSApplyBatched(b *testing.B) {
	sim := startScreenOSSim(b)
	var creates, deletes []vpn.Change
	for i := range benchObjects {
		pl := &vpn.PrefixList{Name: fmt.Sprintf("BENCH-%02d", i), Number: i + 1, Rules: []vpn.PrefixRule{
			{Sequence: 1, Action: "permit", Prefix: fmt.Sprintf("10.%d.0.0/16", i)},
		}}
		creates = append(creates, create(pl))
		deletes = append(deletes, remove(vpn.KindPrefixList, pl.Name))
	}
	benchApplyWith(b, sim, screenosDeviceFor(b, sim), applyConcurrently, creates, deletes)
}

// BenchmarkSnapshotParse reads and parses a large configuration (the base plus 200 prefix
// lists) on a warm session: the cost of one configuration read.
func BenchmarkSnapshotParse(b *testing.B) {
	const lists = 200
	var cfg strings.Builder
	cfg.WriteString(baseConfig)
	for i := range lists {
		fmt.Fprintf(&cfg, "set policy prefix-list PL-%03d description 'list %d'\n", i, i)
		for r := 1; r <= 3; r++ {
			fmt.Fprintf(&cfg, "set policy prefix-list PL-%03d rule %d action permit\n", i, r*10)
			fmt.Fprintf(&cfg, "set policy prefix-list PL-%03d rule %d prefix 10.%d.%d.0/24\n", i, r*10, i, r)
			fmt.Fprintf(&cfg, "set policy prefix-list PL-%03d rule %d le 32\n", i, r*10)
		}
	}
	text := cfg.String()
	b.Run("read", func(b *testing.B) {
		d, sim := newDevice(b, text)
		ctx := context.Background()
		s, err := d.Snapshot(ctx) // warm the session
		if err != nil {
			b.Fatal(err)
		}
		if got := len(s.Config.PrefixLists()); got != lists {
			b.Fatalf("parsed %d prefix lists, want %d", got, lists)
		}
		b.SetBytes(int64(len(s.Text)))
		reads0 := d.Stats().Reads
		for b.Loop() {
			d.Invalidate()
			if _, err := d.Snapshot(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(d.Stats().Reads-reads0)/float64(b.N), "reads/op")
		b.ReportMetric(float64(strings.Count(s.Text, "\n")), "lines")
		if got := sim.Stats().Connections; got != 1 {
			b.Errorf("simulator Connections = %d, want 1", got)
		}
	})
	// The dialect's share of a read: the same text parsed without the session.
	b.Run("parse-only", func(b *testing.B) {
		p := edgeos(b)
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			if _, err := p.Parse(text); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkApplyWaves applies the 50 creates the way Terraform does with -parallelism=10: ten
// workers, each planning a change against the device (Get), applying it and reading it back
// before taking the next; worker i spends i*5 ms between its plan and its apply (Terraform's
// own work between operations), so the writes of a wave arrive over 45 ms. It reports commits
// and configuration reads (in and outside transactions) per round.
func BenchmarkApplyWaves(b *testing.B) {
	sim := startSim(b, baseConfig)
	d := deviceFor(b, sim, func(o *device.Options) { o.BatchWindow = 0 }) // the default
	reads := func() int { s := d.Stats(); return s.Reads + s.TxReads }
	r0 := reads()
	benchApplyOn(b, sim, d, func(d *device.Device, changes []vpn.Change) []error {
		return applyInWaves(d, changes, 10)
	})
	b.ReportMetric(float64(reads()-r0)/float64(b.N), "reads/op")
}

// applyInWaves applies changes with p workers, each planning (Get), applying and reading back
// (Get) one change at a time.
func applyInWaves(d *device.Device, changes []vpn.Change, p int) []error {
	ctx := context.Background()
	errs := make([]error, len(changes))
	next := make(chan int, len(changes))
	for i := range changes {
		next <- i
	}
	close(next)
	done := make(chan struct{})
	for w := range p {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range next {
				ch := changes[i]
				if _, err := d.Get(ctx, ch.Kind, ch.Key); err != nil {
					errs[i] = err
					continue
				}
				time.Sleep(time.Duration(w) * 5 * time.Millisecond)
				if errs[i] = d.Apply(ctx, ch); errs[i] == nil {
					_, errs[i] = d.Get(ctx, ch.Kind, ch.Key)
				}
			}
		}()
	}
	for range p {
		<-done
	}
	return errs
}
