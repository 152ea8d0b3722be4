package bench

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"
)

// secs formats a duration in seconds.
func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

// Markdown writes the rows of one CLI as tables: one per platform and size, the fleet, the
// baseline comparison.
func Markdown(w io.Writer, rows []Row) {
	fmt.Fprintln(w, "| CLI | platform | devices × resources | parallelism | step | time | core | lower bound | × bound | × core | sessions | reads | commits + saves per device (target) | commands |")
	fmt.Fprintln(w, "|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		core, xcore := secs(r.Core), fmt.Sprintf("%.2f", r.CoreRatio())
		if r.Core == 0 {
			core, xcore = "–", "–"
		}
		commits := fmt.Sprint(r.MaxPerDevice.Commits)
		if r.CommitTarget > 0 {
			commits += fmt.Sprintf(" (≤ %d)", r.CommitTarget)
		}
		fmt.Fprintf(w, "| %s | %s | %d × %d | %d | %s | %s | %s | %s | %.2f | %s | %d | %d | %s | %d |\n",
			r.CLI.Name, r.Platform.Name, r.Devices, r.SitesPer*ResourcesPerSite, r.Parallelism, r.Step,
			secs(r.Took), core, secs(r.Bound), r.Ratio(), xcore,
			r.Counts.Sessions, r.Counts.Reads, commits, r.Counts.Commands)
	}
}

// Comparisons writes the headline ratios: the fleet apply against one device, and the
// provider's apply against the one-commit-per-resource pattern.
func Comparisons(w io.Writer, rows []Row) {
	find := func(cli, plat string, devices, resources, parallelism int, step string) (Row, bool) {
		for _, r := range rows {
			if r.CLI.Name == cli && r.Platform.Name == plat && r.Devices == devices && r.SitesPer*ResourcesPerSite == resources && r.Parallelism == parallelism && r.Step == step {
				return r, true
			}
		}
		return Row{}, false
	}
	type key struct{ cli, plat string }
	var keys []key
	seen := map[key]bool{}
	for _, r := range rows {
		k := key{r.CLI.Name, r.Platform.Name}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	fmt.Fprintln(w, "| CLI | platform | comparison | this provider | other | ratio |")
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|")
	for _, k := range keys {
		for _, r := range rows {
			if r.CLI.Name != k.cli || r.Platform.Name != k.plat {
				continue
			}
			if r.Step == StepBaseline {
				if a, ok := find(k.cli, k.plat, 1, r.SitesPer*ResourcesPerSite, r.Parallelism, StepApply); ok {
					fmt.Fprintf(w, "| %s | %s | apply of %d resources vs one session and one commit per resource (%d commits) | %s | %s | %.1fx faster |\n",
						k.cli, k.plat, a.Writes, r.Counts.Commits, secs(a.Took), secs(r.Took), ratio(r.Took, a.Took))
				}
			}
			if r.Step == StepApply && r.Devices > 1 {
				if one, ok := find(k.cli, k.plat, 1, r.SitesPer*ResourcesPerSite, r.Parallelism, StepApply); ok {
					fmt.Fprintf(w, "| %s | %s | apply of %d devices × %d resources vs 1 device, -parallelism=%d | %s | %s | %.2fx the time |\n",
						k.cli, k.plat, r.Devices, r.SitesPer*ResourcesPerSite, r.Parallelism, secs(r.Took), secs(one.Took), ratio(r.Took, one.Took))
				}
			}
		}
	}
}

// SVG plots, for one step of one CLI, the time against the number of resources on one device:
// each platform's time and lower bound, and Terraform core's time.
func SVG(w io.Writer, rows []Row, cli, stepName string) {
	type pt struct{ n, t float64 }
	series := map[string][]pt{}
	var names []string
	add := func(name string, n int, d time.Duration) {
		if _, ok := series[name]; !ok {
			names = append(names, name)
		}
		series[name] = append(series[name], pt{float64(n), d.Seconds()})
	}
	coreSeen := map[int]bool{}
	for _, r := range rows {
		if r.CLI.Name != cli || r.Step != stepName || r.Devices != 1 || r.Parallelism != rowsParallelism(rows) {
			continue
		}
		n := r.Resources()
		add(r.Platform.Name, n, r.Took)
		add(r.Platform.Name+" lower bound", n, r.Bound)
		if !coreSeen[n] {
			coreSeen[n] = true
			add("terraform core", n, r.Core)
		}
	}
	const W, H, L, B, T, R = 720, 420, 60, 50, 30, 200
	var maxN, maxT float64 = 1, 1
	for _, s := range series {
		for _, p := range s {
			maxN, maxT = math.Max(maxN, p.n), math.Max(maxT, p.t)
		}
	}
	x := func(n float64) float64 { return L + (W-L-R)*math.Log10(math.Max(n, 1))/math.Log10(math.Max(maxN, 10)) }
	y := func(t float64) float64 { return H - B - (H-B-T)*t/maxT }
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", W, H)
	fmt.Fprintf(w, `<rect width="100%%" height="100%%" fill="white"/><text x="%d" y="18" font-size="14">%s: %s time against resources on one device</text>`+"\n", L, cli, stepName)
	fmt.Fprintf(w, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/><line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", L, H-B, W-R, H-B, L, T, L, H-B)
	for i := 0; i <= 4; i++ {
		t := maxT * float64(i) / 4
		fmt.Fprintf(w, `<text x="%d" y="%.0f" text-anchor="end">%.0f s</text>`+"\n", L-5, y(t)+4, t)
	}
	var ns []float64
	for n := range coreSeen {
		ns = append(ns, float64(n))
	}
	sort.Float64s(ns)
	for _, n := range ns {
		fmt.Fprintf(w, `<text x="%.0f" y="%d" text-anchor="middle">%.0f</text>`+"\n", x(n), H-B+16, n)
	}
	fmt.Fprintf(w, `<text x="%d" y="%d" text-anchor="middle">resources (log scale)</text>`+"\n", (W-R+L)/2, H-10)
	colors := []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"}
	ci := map[string]string{}
	for i, name := range names {
		base := strings.TrimSuffix(name, " lower bound")
		if _, ok := ci[base]; !ok {
			ci[base] = colors[len(ci)%len(colors)]
		}
		if base == "terraform core" {
			ci[base] = "#555555"
		}
		dash := ""
		if strings.HasSuffix(name, " lower bound") {
			dash = ` stroke-dasharray="5,4"`
		}
		pts := series[name]
		sort.Slice(pts, func(a, b int) bool { return pts[a].n < pts[b].n })
		var coords []string
		for _, p := range pts {
			coords = append(coords, fmt.Sprintf("%.1f,%.1f", x(p.n), y(p.t)))
		}
		fmt.Fprintf(w, `<polyline fill="none" stroke="%s" stroke-width="2"%s points="%s"/>`+"\n", ci[base], dash, strings.Join(coords, " "))
		ly := T + 16*i
		fmt.Fprintf(w, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/><text x="%d" y="%d">%s</text>`+"\n",
			W-R+10, ly, W-R+35, ly, ci[base], dash, W-R+40, ly+4, name)
	}
	fmt.Fprintln(w, "</svg>")
}

// rowsParallelism is the parallelism of the single-device rows (the first one's).
func rowsParallelism(rows []Row) int {
	for _, r := range rows {
		if r.Devices == 1 {
			return r.Parallelism
		}
	}
	return 0
}
