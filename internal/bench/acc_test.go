package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// These tests run the real CLI that TF_ACC_TERRAFORM_PATH names (make test runs them under
// Terraform and under OpenTofu) with the provider built from this tree, as a user runs it:
// one provider process per CLI step, at parallelisms terraform-plugin-testing cannot set (it
// always passes -parallelism=10).

var (
	buildOnce sync.Once
	builtPath string
	buildErr  error
)

// providerBinary builds the provider once per test binary.
func providerBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "onpremvpn-provider-")
		if err != nil {
			buildErr = err
			return
		}
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		builtPath = filepath.Join(dir, "terraform-provider-onpremvpn")
		cmd := exec.Command("go", "build", "-o", builtPath, ".")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtPath
}

// accCLI is the CLI of the acceptance run.
func accCLI(t *testing.T) CLI {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make test does)")
	}
	path := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if path == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH must name the terraform or tofu binary")
	}
	return CLI{Name: filepath.Base(path), Path: path}
}

// The counts that do not depend on machine speed, on every platform, with the real CLI: a plan
// and a refresh-plan each open one session and read the configuration once; every CLI process
// opens one session per device (an apply is two processes: its plan and its apply); an apply,
// an update and a destroy commit no more often than Terraform's parallelism and the
// dependency waves force; no session stays open after the CLI exits.
func TestAccCountsOnEveryPlatform(t *testing.T) {
	cli := accCLI(t)
	provider := providerBinary(t)
	const sites, parallelism = 10, 10
	for _, p := range Platforms {
		t.Run(p.Name, func(t *testing.T) {
			c := Case{CLI: cli, Platform: p, Devices: 1, SitesPer: sites, Parallelism: parallelism,
				// Slow enough that a wave's writes meet while a batch commits.
				Costs: Costs{Latency: 2 * time.Millisecond, Commit: 100 * time.Millisecond}}
			rows, err := Run(context.Background(), c, t.TempDir(), provider, false)
			if err != nil {
				t.Fatal(err)
			}
			per := p.writesPerBatch()
			for _, r := range rows {
				t.Logf("%-20s sessions %d reads %d commits+saves %d commands %d", r.Step, r.Counts.Sessions, r.Counts.Reads, r.Counts.Commits, r.Counts.Commands)
				var maxCommits, maxSessions int
				switch r.Step {
				case StepPlan, StepRefresh:
					if r.Counts.Reads != 1 {
						t.Errorf("%s: %d configuration reads, want 1", r.Step, r.Counts.Reads)
					}
					maxSessions = 1
				case StepApply, StepDestroy:
					maxCommits, maxSessions = CommitTarget(sites*ResourcesPerSite, Waves, parallelism, per), 2
				case StepUpdate:
					maxCommits, maxSessions = CommitTarget(sites, 1, parallelism, per), 2
				}
				if r.Counts.Sessions > maxSessions || r.Counts.Sessions < 1 {
					t.Errorf("%s: %d SSH sessions, want 1 per CLI process (%d)", r.Step, r.Counts.Sessions, maxSessions)
				}
				if r.Counts.Commits > maxCommits {
					t.Errorf("%s: %d commits and saves, want at most %d (ceil(writes/parallelism) + waves, x%d)", r.Step, r.Counts.Commits, maxCommits, per)
				}
				if r.Step == StepApply || r.Step == StepDestroy {
					if r.Counts.Commits == 0 {
						t.Errorf("%s: no commit or save at all", r.Step)
					}
				}
			}
		})
	}
}

// Load: 20 simulated devices (five of each platform) x 50 resources in one apply with the real
// CLI at -parallelism 10 and 50: no error, every object on its device, a plan afterwards empty
// (state equals the devices), no SSH session left open once the CLI has exited, and a destroy
// that leaves none of the objects behind.
func TestAccLoadTwentyDevices(t *testing.T) {
	cli := accCLI(t)
	provider := providerBinary(t)
	const devices, sites = 20, 10
	for _, parallelism := range []int{10, 50} {
		t.Run(fmt.Sprintf("parallelism %d", parallelism), func(t *testing.T) {
			ctx := context.Background()
			fleet, err := StartMixed(Platforms, devices, Costs{})
			if err != nil {
				t.Fatal(err)
			}
			defer fleet.Close()
			wd, err := NewWorkdir(t.TempDir(), cli, provider)
			if err != nil {
				t.Fatal(err)
			}
			if err := wd.Write(fleet.SitesHCL(sites, 0)); err != nil {
				t.Fatal(err)
			}
			par := fmt.Sprintf("-parallelism=%d", parallelism)
			m := fleet.marks()
			if _, err := wd.Run(ctx, false, nil, "apply", "-input=false", "-no-color", "-auto-approve", par); err != nil {
				t.Fatal(err)
			}
			each, _ := fleet.since(m)
			for i, s := range fleet {
				got, err := SiteObjects(ctx, s)
				if err != nil {
					t.Fatal(err)
				}
				for _, k := range []vpn.Kind{vpn.KindIKEGateway, vpn.KindTunnel, vpn.KindStaticRoute, vpn.KindPrefixList, vpn.KindBGPNeighbor} {
					if got[k] != sites {
						t.Errorf("%s (%s): %d %s after apply, want %d", DeviceName(i), s.Platform.Name, got[k], k, sites)
					}
				}
				if each[i].Sessions > 2 {
					t.Errorf("%s (%s): %d SSH sessions in the apply, want one per CLI process (2)", DeviceName(i), s.Platform.Name, each[i].Sessions)
				}
			}
			if open := fleet.OpenAfter(10 * time.Second); open != 0 {
				t.Errorf("%d SSH sessions still open 10 s after the apply ended", open)
			}
			res, err := wd.Run(ctx, false, []int{2}, "plan", "-input=false", "-no-color", "-detailed-exitcode", par)
			if err != nil {
				t.Fatal(err)
			}
			if res.ExitCode != 0 {
				t.Errorf("the plan after apply is not empty (state differs from the devices):\n%s", tail(res.Output, 60))
			}
			if _, err := wd.Run(ctx, false, nil, "destroy", "-input=false", "-no-color", "-auto-approve", par); err != nil {
				t.Fatal(err)
			}
			for i, s := range fleet {
				got, err := SiteObjects(ctx, s)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 0 {
					t.Errorf("%s (%s): left after destroy: %v", DeviceName(i), s.Platform.Name, got)
				}
			}
			if open := fleet.OpenAfter(10 * time.Second); open != 0 {
				t.Errorf("%d SSH sessions still open 10 s after the destroy ended", open)
			}
		})
	}
}

// Two Terraform runs at once against one device, each its own CLI and provider process with its
// own configuration and state (two teams, or two pipelines), on every platform: both applies
// succeed, every object of both is on the device, each run's next plan is empty (its state
// equals the device), no advisory mark stays behind (ScreenOS and RTX, where each batch marks
// the configuration and the other run waits for the mark; both runs' marks are seen), and both
// destroys at once leave nothing.
func TestAccTwoRunsAtOnce(t *testing.T) {
	cli := accCLI(t)
	provider := providerBinary(t)
	const sites = 8
	for _, p := range Platforms {
		t.Run(p.Name, func(t *testing.T) {
			ctx := context.Background()
			fleet, err := StartFleet(p, 1, Costs{Latency: 2 * time.Millisecond, Commit: 50 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer fleet.Close()
			sim := fleet[0]
			var runs [2]*Workdir
			for r := range runs {
				if runs[r], err = NewWorkdir(t.TempDir(), cli, provider); err != nil {
					t.Fatal(err)
				}
				if err := runs[r].Write(Required + fleet.ProviderHCL() + p.SitesHCLFrom("", r*sites, sites, 0)); err != nil {
					t.Fatal(err)
				}
			}
			both := func(args ...string) {
				t.Helper()
				var wg sync.WaitGroup
				errs := make([]error, len(runs))
				for r, wd := range runs {
					wg.Add(1)
					go func() { defer wg.Done(); _, errs[r] = wd.Run(ctx, false, nil, args...) }()
				}
				wg.Wait()
				for r, err := range errs {
					if err != nil {
						t.Fatalf("run %d: %v", r, err)
					}
				}
			}
			m := sim.mark()
			both("apply", "-input=false", "-no-color", "-auto-approve")
			got, err := SiteObjects(ctx, sim)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range []vpn.Kind{vpn.KindIKEGateway, vpn.KindTunnel, vpn.KindStaticRoute, vpn.KindPrefixList, vpn.KindBGPNeighbor} {
				if got[k] != 2*sites {
					t.Errorf("%d %s on the device after both applies, want %d", got[k], k, 2*sites)
				}
			}
			if dialect, _ := platform.Get(p.Name); dialect != nil && dialect.Session().Tx.Mark != nil {
				keys := map[string]bool{}
				for _, c := range sim.CommandLog()[m.cmd:] {
					if k := markKey.FindStringSubmatch(c); k != nil {
						keys[k[1]+k[2]] = true
					}
				}
				if len(keys) < 2 {
					t.Errorf("the applies wrote the advisory marks %v, want both runs'", keys)
				}
			}
			for r, wd := range runs {
				res, err := wd.Run(ctx, false, []int{2}, "plan", "-input=false", "-no-color", "-detailed-exitcode")
				if err != nil {
					t.Fatal(err)
				}
				if res.ExitCode != 0 {
					t.Errorf("run %d's plan after both applies is not empty:\n%s", r, tail(res.Output, 60))
				}
			}
			both("destroy", "-input=false", "-no-color", "-auto-approve")
			if got, err := SiteObjects(ctx, sim); err != nil || len(got) != 0 {
				t.Errorf("left after both destroys: %v %v", got, err)
			}
			for _, cfg := range []string{sim.RunningConfig(), sim.SavedConfig()} {
				if strings.Contains(cfg, "onpremvpn-lock") {
					t.Errorf("an advisory mark stayed on the device:\n%s", cfg)
				}
			}
		})
	}
}

// markKey finds an advisory mark's key in a typed ScreenOS or RTX line (the platforms whose
// dialects mark their batches).
var markKey = regexp.MustCompile(`"(onpremvpn-lock-[0-9a-f]{12})"|^description (2[01][0-9]{6}) "onpremvpn-lock `)

// SitesHCL generates configurations every platform accepts at plan; the test above applies
// them. This one keeps the generator honest without a CLI: the site count, names and the
// variant's prefix length appear as meant.
func TestSitesHCL(t *testing.T) {
	p, err := PlatformNamed("junos")
	if err != nil {
		t.Fatal(err)
	}
	hcl := p.SitesHCL("d01", 3, 1)
	for _, want := range []string{`count            = 3`, `device           = "d01"`, `"st0.1", "st0.2", "st0.3"`, `.0/25"`, `tunnel_zone      = "vpn"`, `{ 1 = { action`} {
		if !strings.Contains(hcl, want) {
			t.Errorf("SitesHCL lacks %q:\n%s", want, hcl)
		}
	}
	if got := CommitTarget(50, Waves, 10, 2); got != 18 {
		t.Errorf("CommitTarget(50, 4, 10, 2) = %d, want (5 + 4) x 2", got)
	}
	if got := CommitTarget(10, 1, 100, 1); got != 2 {
		t.Errorf("CommitTarget(10, 1, 100, 1) = %d, want 1 + 1", got)
	}
}

// Memory: parsing a 20,000-line EdgeRouter configuration (seed 004's site, 541 times over)
// finds every object and keeps less than 50 MB of heap for the parsed model.
func TestParseTwentyThousandLines(t *testing.T) {
	text, sites := EdgeOSConfig(Platforms[0].Base, 20000)
	f, cfg, err := Parse("edgeos", text)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d lines, %d sites: %d objects, retained %.1f MB, allocated %.1f MB", f.Lines, sites, f.Objects, float64(f.Retained)/1e6, float64(f.Allocated)/1e6)
	for k, want := range map[vpn.Kind]int{vpn.KindIKEGateway: sites, vpn.KindTunnel: sites, vpn.KindPrefixList: sites, vpn.KindBGPNeighbor: sites, vpn.KindStaticRoute: sites} {
		if got := len(cfg.OfKind(k)); got != want {
			t.Errorf("%d %s parsed, want %d", got, k, want)
		}
	}
	if f.Lines < 20000 {
		t.Errorf("only %d lines", f.Lines)
	}
	if f.Retained > 50<<20 {
		t.Errorf("the parsed model keeps %.1f MB of heap, want under 50 MB", float64(f.Retained)/1e6)
	}
}
