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
