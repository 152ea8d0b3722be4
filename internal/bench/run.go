package bench

import (
	"context"
	"fmt"
	"os"
	"time"
)

// Case is one benchmark configuration: sitesPer sites on each of devices simulators of one
// platform, driven by one CLI at one parallelism.
type Case struct {
	CLI         CLI
	Platform    Platform
	Devices     int
	SitesPer    int
	Parallelism int
	Costs       Costs
	// Baseline also pushes the same objects one session and one commit per resource (one
	// device only).
	Baseline bool
}

// Resources is the number of resources of the case.
func (c Case) Resources() int { return c.Devices * c.SitesPer * ResourcesPerSite }

// The steps of a case, in order.
const (
	StepPlan     = "plan (empty device)"
	StepApply    = "apply"
	StepRefresh  = "refresh-plan"
	StepUpdate   = "update every site"
	StepDestroy  = "destroy"
	StepBaseline = "apply, one commit per resource"
)

// Row is one measured step.
type Row struct {
	Case
	Step   string
	Writes int           // resources written by the step
	Took   time.Duration // the provider's wall time
	Core   time.Duration // Terraform core's time for the same step on terraform_data
	Bound  time.Duration // core + the device's injected costs for what the step sent it
	Counts Counts        // summed over the devices
	// MaxPerDevice are the largest counts of one device.
	MaxPerDevice Counts
	// CommitTarget is the most commits and saves one device should take: (ceil(writes /
	// parallelism) + dependency waves) times the commits and saves of one batch.
	CommitTarget int
	PeakRSS      int64
}

// Ratio is the step's time over its lower bound.
func (r Row) Ratio() float64 { return ratio(r.Took, r.Bound) }

// CoreRatio is the step's time over core's time for the same step.
func (r Row) CoreRatio() float64 { return ratio(r.Took, r.Core) }

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// CommitTarget is the most commits and saves a device should take for writes resource writes
// in waves dependency waves with Terraform running parallelism operations at once: no batch
// holds more than parallelism writes, each wave may need its own, and a batch takes perBatch
// commits and saves.
func CommitTarget(writes, waves, parallelism, perBatch int) int {
	if writes == 0 {
		return 0
	}
	return ((writes+parallelism-1)/parallelism + waves) * perBatch
}

// step is one CLI step of a case.
type step struct {
	name    string
	variant int      // the configuration's variant
	args    []string // CLI arguments
	ok      []int    // exit codes that are not failures
	// writesPer is the resources one device writes in the step, waves its waves.
	writesPer, waves int
}

func (c Case) steps() []step {
	p := fmt.Sprintf("-parallelism=%d", c.Parallelism)
	per := c.SitesPer * ResourcesPerSite
	return []step{
		{name: StepPlan, args: []string{"plan", "-input=false", "-no-color", "-detailed-exitcode", p}, ok: []int{2}},
		{name: StepApply, args: []string{"apply", "-input=false", "-no-color", "-auto-approve", p}, writesPer: per, waves: Waves},
		{name: StepRefresh, args: []string{"plan", "-input=false", "-no-color", "-detailed-exitcode", p}},
		{name: StepUpdate, variant: 1, args: []string{"apply", "-input=false", "-no-color", "-auto-approve", p}, writesPer: c.SitesPer, waves: 1},
		{name: StepDestroy, variant: 1, args: []string{"destroy", "-input=false", "-no-color", "-auto-approve", p}, writesPer: per, waves: Waves},
	}
}

// Run measures a case: the provider's steps, then core's, then the baseline when asked.
// work is a folder for the working directories, provider the provider binary.
func Run(ctx context.Context, c Case, work, provider string, watchRSS bool) ([]Row, error) {
	fleet, err := StartFleet(c.Platform, c.Devices, c.Costs)
	if err != nil {
		return nil, err
	}
	defer fleet.Close()
	wd, err := NewWorkdir(work, c.CLI, provider)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(wd.Dir)
	core, err := NewWorkdir(work, c.CLI, provider)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(core.Dir)
	var rows []Row
	for _, s := range c.steps() {
		if err := wd.Write(fleet.SitesHCL(c.SitesPer, s.variant)); err != nil {
			return nil, err
		}
		m := fleet.marks()
		res, err := wd.Run(ctx, watchRSS, s.ok, s.args...)
		if err != nil {
			return rows, fmt.Errorf("%s on %s, %d resources: %w", s.name, c.Platform.Name, c.Resources(), err)
		}
		each, sum := fleet.since(m)
		if s.name == StepRefresh && res.ExitCode != 0 {
			return rows, fmt.Errorf("%s on %s: the plan after apply is not empty:\n%s", s.name, c.Platform.Name, tail(res.Output, 40))
		}
		row := Row{Case: c, Step: s.name, Writes: s.writesPer * c.Devices, Took: res.Took, Counts: sum, PeakRSS: res.PeakRSS}
		var costs time.Duration
		for _, e := range each {
			row.MaxPerDevice = Counts{
				Sessions: max(row.MaxPerDevice.Sessions, e.Sessions), Commands: max(row.MaxPerDevice.Commands, e.Commands),
				Reads: max(row.MaxPerDevice.Reads, e.Reads), Commits: max(row.MaxPerDevice.Commits, e.Commits),
			}
			// What the device's own costs add up to: its commits and saves, and the latency of
			// every command it answered (the reads among them), one device's in a row.
			costs = max(costs, time.Duration(e.Commits)*c.Costs.Commit+time.Duration(e.Commands)*c.Costs.Latency)
		}
		row.Bound = costs
		if s.writesPer > 0 {
			row.CommitTarget = CommitTarget(s.writesPer, s.waves, c.Parallelism, c.Platform.writesPerBatch())
		}
		rows = append(rows, row)
		if s.name == StepApply && c.Baseline && c.Devices == 1 {
			fresh, err := StartSim(c.Platform, c.Costs)
			if err != nil {
				return rows, err
			}
			took, pushed, bc, err := Baseline(ctx, fleet[0], fresh, c.Parallelism)
			_ = fresh.Close()
			if err != nil {
				return rows, fmt.Errorf("baseline on %s: %w", c.Platform.Name, err)
			}
			rows = append(rows, Row{Case: c, Step: StepBaseline, Writes: pushed, Took: took, Counts: bc, MaxPerDevice: bc,
				// Its sessions type in parallel; only the commits wait for each other.
				Bound: time.Duration(bc.Commits) * c.Costs.Commit})
		}
	}
	// Terraform core on as many terraform_data resources, the same steps.
	for _, s := range c.steps() {
		if err := core.Write(fleet.CoreHCL(c.SitesPer, s.variant)); err != nil {
			return nil, err
		}
		res, err := core.Run(ctx, false, s.ok, s.args...)
		if err != nil {
			return rows, fmt.Errorf("core %s: %w", s.name, err)
		}
		for j := range rows {
			if rows[j].Step == s.name {
				rows[j].Core = res.Took
				rows[j].Bound += res.Took
			}
		}
		if s.name == StepApply {
			for j := range rows {
				if rows[j].Step == StepBaseline {
					rows[j].Core = 0 // the baseline runs no Terraform: its bound is the device's alone
				}
			}
		}
	}
	if open := fleet.OpenAfter(10 * time.Second); open != 0 {
		return rows, fmt.Errorf("%d SSH sessions still open on the devices 10 s after the last run ended", open)
	}
	return rows, nil
}
