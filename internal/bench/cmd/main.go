// Command bench is `make bench`: it runs the real Terraform and OpenTofu CLIs with the
// provider against simulators with realistic costs and prints, for every platform, the time
// of plan, apply, refresh-plan, an update of every site and destroy for N resources on one
// device and for a fleet of devices, beside Terraform core's own time for as many
// terraform_data resources and the lower bound the injected costs imply; the same apply
// pushed one session and one commit per resource (the other providers' pattern); and the
// provider's peak memory. Tables (Markdown) and plots (SVG) go to -out.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/bench"
)

func main() {
	var (
		provider    = flag.String("provider", "bin/terraform-provider-onpremvpn", "the provider binary")
		clis        = flag.String("cli", "bin/terraform,bin/tofu", "the CLIs to run, comma-separated")
		platforms   = flag.String("platforms", "edgeos,junos,screenos,rtx", "platforms, comma-separated")
		sizes       = flag.String("sizes", "10,100,500", "resources on one device, comma-separated (multiples of 5)")
		parallelism = flag.Int("parallelism", 10, "-parallelism of the single-device runs (Terraform's default)")
		fleet       = flag.Int("fleet", 20, "devices of the fleet run (0: none)")
		fleetRes    = flag.Int("fleet-resources", 25, "resources per device of the fleet run")
		fleetPar    = flag.String("fleet-parallelism", "100,500", "-parallelism of the fleet runs and of their one-device references, comma-separated")
		latency     = flag.Duration("latency", 20*time.Millisecond, "simulated time per command")
		commit      = flag.Duration("commit", time.Second, "simulated time per commit or save")
		baseline    = flag.String("baseline", "100", "sizes (comma-separated) also pushed one session and one commit per resource")
		memory      = flag.Int("memory", 2000, "resources of the memory run on one EdgeOS device without costs (0: none)")
		out         = flag.String("out", "bench-out", "folder for the tables and plots")
	)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *provider, split(*clis), split(*platforms), ints(split(*sizes)), ints(split(*baseline)),
		*parallelism, *fleet, *fleetRes, ints(split(*fleetPar)), *memory, bench.Costs{Latency: *latency, Commit: *commit}, *out); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func split(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func ints(ss []string) []int {
	var out []int
	for _, s := range ss {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			fmt.Fprintf(os.Stderr, "bench: %q is not a positive number\n", s)
			os.Exit(2)
		}
		out = append(out, n)
	}
	return out
}

func run(ctx context.Context, provider string, clis, platforms []string, sizes, baseline []int, par, fleet, fleetRes int, fleetPars []int, memory int, costs bench.Costs, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "onpremvpn-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	var plats []bench.Platform
	for _, name := range platforms {
		p, err := bench.PlatformNamed(name)
		if err != nil {
			return err
		}
		plats = append(plats, p)
	}
	machine := machineLine()
	report, err := os.Create(filepath.Join(out, "bench.md"))
	if err != nil {
		return err
	}
	defer report.Close()
	fmt.Fprintf(report, "# make bench, %s\n\n%s; simulated costs: %v per command, %v per commit or save.\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"), machine, costs.Latency, costs.Commit)
	fmt.Printf("machine: %s\ncosts: %v per command, %v per commit or save\n", machine, costs.Latency, costs.Commit)
	var all []bench.Row
	for _, path := range clis {
		path, _ = filepath.Abs(path)
		cli := bench.CLI{Name: filepath.Base(path), Path: path}
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("%s: %v (make tools builds the CLIs)", path, err)
		}
		var rows []bench.Row
		for _, p := range plats {
			var cases []bench.Case
			seen := map[int]bool{}
			for _, n := range sizes {
				sites := p.Sites(n)
				if sites*bench.ResourcesPerSite < n {
					fmt.Printf("%s: %d resources capped at %d: one device holds %d sites (%s)\n", p.Name, n, sites*bench.ResourcesPerSite, p.MaxSites, p.Limit)
				}
				if seen[sites] {
					continue
				}
				seen[sites] = true
				cases = append(cases, bench.Case{CLI: cli, Platform: p, Devices: 1, SitesPer: sites, Parallelism: par, Costs: costs,
					Baseline: slices.Contains(baseline, n) && cli.Name == filepath.Base(clis[0])})
			}
			for _, fp := range fleetPars {
				if fleet < 2 {
					break
				}
				per := max(1, fleetRes/bench.ResourcesPerSite)
				cases = append(cases,
					bench.Case{CLI: cli, Platform: p, Devices: 1, SitesPer: per, Parallelism: fp, Costs: costs},
					bench.Case{CLI: cli, Platform: p, Devices: fleet, SitesPer: per, Parallelism: fp, Costs: costs})
			}
			for _, c := range cases {
				fmt.Printf("%s %s: %d device(s) x %d resources, -parallelism=%d ...\n", cli.Name, p.Name, c.Devices, c.SitesPer*bench.ResourcesPerSite, c.Parallelism)
				r, err := bench.Run(ctx, c, work, provider, false)
				if err != nil {
					return err
				}
				rows = append(rows, r...)
				bench.Markdown(os.Stdout, r)
			}
		}
		all = append(all, rows...)
		for _, step := range []string{bench.StepApply, bench.StepRefresh, bench.StepDestroy} {
			name := filepath.Join(out, fmt.Sprintf("%s-%s.svg", cli.Name, strings.ReplaceAll(strings.Fields(step)[0], "/", "")))
			f, err := os.Create(name)
			if err != nil {
				return err
			}
			bench.SVG(f, rows, cli.Name, step)
			f.Close()
		}
	}
	fmt.Fprintln(report, "## Every step")
	fmt.Fprintln(report)
	bench.Markdown(report, all)
	fmt.Fprintln(report, "\n## Comparisons")
	fmt.Fprintln(report)
	bench.Comparisons(report, all)
	fmt.Println()
	bench.Comparisons(os.Stdout, all)
	if memory > 0 && len(clis) > 0 {
		p, _ := bench.PlatformNamed("edgeos")
		path, _ := filepath.Abs(clis[0])
		cli := bench.CLI{Name: filepath.Base(path), Path: path}
		c := bench.Case{CLI: cli, Platform: p, Devices: 1, SitesPer: memory / bench.ResourcesPerSite, Parallelism: par}
		fmt.Printf("%s %s: memory, %d resources without costs ...\n", cli.Name, p.Name, c.Resources())
		rows, err := bench.Run(ctx, c, work, provider, true)
		if err != nil {
			return err
		}
		fmt.Fprintln(report, "\n## Memory: the provider process's peak resident set")
		fmt.Fprintln(report)
		fmt.Fprintln(report, "| CLI | platform | resources | step | peak RSS | time |")
		fmt.Fprintln(report, "|---|---|---:|---|---:|---:|")
		for _, r := range rows {
			line := fmt.Sprintf("| %s | %s | %d | %s | %.0f MB | %.2f s |", r.CLI.Name, r.Platform.Name, r.Resources(), r.Step, float64(r.PeakRSS)/1e6, r.Took.Seconds())
			fmt.Fprintln(report, line)
			fmt.Println(line)
		}
	}
	base, _ := bench.PlatformNamed("edgeos")
	text, sites := bench.EdgeOSConfig(base.Base, 20000)
	f, _, err := bench.Parse("edgeos", text)
	if err != nil {
		return err
	}
	line := fmt.Sprintf("| edgeos | %d lines (%d seed 004 sites) | %d objects | %.0f ms | %.1f MB retained | %.1f MB allocated |",
		f.Lines, sites, f.Objects, float64(f.Took.Microseconds())/1000, float64(f.Retained)/1e6, float64(f.Allocated)/1e6)
	fmt.Fprintln(report, "\n## Parsing a large configuration\n\n| dialect | configuration | parsed | time | model's heap | allocated while parsing |\n|---|---|---|---:|---:|---:|")
	fmt.Fprintln(report, line)
	fmt.Println(line)
	fmt.Printf("\nwritten: %s and the plots %s\n", report.Name(), filepath.Join(out, "*.svg"))
	return nil
}

// machineLine names the machine the figures come from.
func machineLine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d cores, %s/%s, %s", model, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
}
