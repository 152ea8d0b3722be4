package provider_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// perfSites is `sites` VPN sites of five resources each (IKE gateway, tunnel, static route into
// the tunnel, prefix list, BGP neighbor using the list) on the device named dev ("" for the
// top-level device): four dependency waves, since the tunnel needs its gateway, the route its
// tunnel and the neighbor its list and route.
func perfSites(dev string, sites int) string {
	devArg, suffix := "", ""
	if dev != "" {
		devArg = fmt.Sprintf("device = %q", dev)
		suffix = "_" + dev
	}
	return strings.NewReplacer("DEV", devArg, "SFX", suffix, "NSITES", fmt.Sprint(sites)).Replace(`
resource "onpremvpn_ike_gateway" "siteSFX" {
  count          = NSITES
  DEV
  name           = "SITE${count.index}"
  peer_address   = "192.0.2.${count.index + 10}"
  local_address  = "203.0.113.1"
  ike_version    = 2
  pre_shared_key = "site-Secret-${count.index}"
  proposals      = [{ encryption = "aes256", integrity = "sha256", dh_group = 14 }]
}

resource "onpremvpn_vpn_tunnel" "siteSFX" {
  count            = NSITES
  DEV
  name             = "SITE${count.index}"
  ike_gateway      = onpremvpn_ike_gateway.siteSFX[count.index].name
  tunnel_interface = "vti${count.index}"
  proposals        = [{ encryption = "aes256", integrity = "sha256" }]
}

resource "onpremvpn_static_route" "siteSFX" {
  count            = NSITES
  DEV
  destination      = "169.254.21.${count.index + 1}/32"
  tunnel_interface = onpremvpn_vpn_tunnel.siteSFX[count.index].tunnel_interface
}

resource "onpremvpn_prefix_list" "siteSFX" {
  count = NSITES
  DEV
  name  = "SITE${count.index}"
  rules = {
    10 = { action = "permit", prefix = "10.${count.index}.0.0/16" }
  }
}

resource "onpremvpn_bgp_neighbor" "siteSFX" {
  count            = NSITES
  DEV
  neighbor_address = "169.254.21.${count.index + 1}"
  local_as         = 65510
  remote_as        = 65515
  prefix_list_in   = onpremvpn_prefix_list.siteSFX[count.index].name
  depends_on       = [onpremvpn_static_route.siteSFX]
}
`)
}

// perfWaves is the number of dependency waves of perfSites.
const perfWaves = 4

// configReads counts the configuration reads in the simulator's command log (a snapshot read,
// or one inside a transaction).
func configReads(sim *acctest.Sim) int {
	n := 0
	for _, c := range sim.CommandLog() {
		if strings.Contains(c, "show configuration commands") {
			n++
		}
	}
	return n
}

// countCheck is a plan check run right after a plan: f judges the simulator's counters.
type countCheck func() error

func (c countCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = c()
}

// readsOnce checks that the plan just made read the configuration once, then starts counting
// again for the next one.
func readsOnce(sim *acctest.Sim, which string) countCheck {
	return func() error {
		defer sim.ResetCommandLog()
		if n := configReads(sim); n != 1 {
			return fmt.Errorf("the %s read the configuration %d times, want once:\n%s", which, n, strings.Join(sim.CommandLog(), "\n"))
		}
		return nil
	}
}

// terraformParallelism is the -parallelism of the acceptance tests' applies: terraform-exec
// always passes -parallelism=10 (its default), after any TF_CLI_ARGS_apply, which Terraform
// inserts before the command's own arguments, so the last flag wins.
const terraformParallelism = 10

// readsOnceEach is readsOnce for every simulator.
func readsOnceEach(sims []*acctest.Sim, which string) countCheck {
	return func() error {
		for i, sim := range sims {
			if err := readsOnce(sim, which)(); err != nil {
				return fmt.Errorf("device r%d: %w", i, err)
			}
		}
		return nil
	}
}

// 50 resources on one EdgeOS device: the apply and the destroy each commit at most
// ceil(50/parallelism) + 4 waves times, a plan and a refresh-only run of all of them each read
// the configuration once, and the whole test (apply, plans, refresh, destroy) uses one SSH
// session. ONPREMVPN_PERF_SITES=40 runs it with 200 resources, to measure.
func TestAccEdgeOSPerfOneReadPerPlanOneSession(t *testing.T) {
	sites := 10
	if n, err := strconv.Atoi(os.Getenv("ONPREMVPN_PERF_SITES")); err == nil && n > 0 {
		sites = n // a larger run, to measure
	}
	writes, parallelism := 5*sites, terraformParallelism
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	base := sim.RunningConfig()
	// A device slow enough that the writes of a wave arrive while a batch commits.
	sim.SetLatency(5 * time.Millisecond)
	sim.SetCommitDelay(300 * time.Millisecond)
	// The default batch window: the bound holds with what users get.
	cfg := sim.ProviderBlock() + perfSites("", sites)
	var commits0 int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { commits0 = sim.Stats().Commits; sim.ResetCommandLog() },
				Config:    cfg,
				Check: func(*terraform.State) error {
					limit := (writes+parallelism-1)/parallelism + perfWaves
					if n := sim.Stats().Commits - commits0; n > limit {
						return fmt.Errorf("%d writes with -parallelism=%d in %d waves took %d commits, want <= %d", writes, parallelism, perfWaves, n, limit)
					}
					t.Logf("apply of %d resources with -parallelism=%d: %d commits, %d configuration reads", writes, parallelism, sim.Stats().Commits-commits0, configReads(sim))
					return nil
				},
			},
			{
				PreConfig: sim.ResetCommandLog,
				Config:    cfg,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh:  []plancheck.PlanCheck{readsOnce(sim, "plan without refresh")},
					PostApplyPostRefresh: []plancheck.PlanCheck{readsOnce(sim, "plan")},
				},
			},
			{
				PreConfig:    sim.ResetCommandLog,
				RefreshState: true,
				Check: func(*terraform.State) error {
					if n := configReads(sim); n != 1 {
						return fmt.Errorf("the refresh-only run read the configuration %d times, want once", n)
					}
					commits0 = sim.Stats().Commits
					sim.ResetCommandLog()
					return nil
				},
			},
		},
		// The destroy that ends the test: as many waves, as few commits.
		CheckDestroy: func(*terraform.State) error {
			n := sim.Stats().Commits - commits0
			t.Logf("destroy of %d resources: %d commits, %d configuration reads", writes, n, configReads(sim))
			if limit := (writes+parallelism-1)/parallelism + perfWaves; n > limit {
				return fmt.Errorf("the destroy of %d resources took %d commits, want <= %d", writes, n, limit)
			}
			return nil
		},
	})
	if c := sim.Stats().Connections; c != 1 {
		t.Errorf("the simulator saw %d SSH sessions, want 1 for the whole process", c)
	}
	if got := sim.RunningConfig(); got != base {
		t.Errorf("after destroy the device holds:\n%s\nwant its base configuration:\n%s", got, base)
	}
}

// Four devices with five sites each (100 resources): one SSH session per device for the whole
// process (apply, plans, destroy) and one configuration read per device for each plan.
func TestAccEdgeOSPerfOneSessionPerDevice(t *testing.T) {
	const (
		devices = 4
		sites   = 5
	)
	sims := make([]*acctest.Sim, devices)
	var block strings.Builder
	block.WriteString("provider \"onpremvpn\" {\n  devices = {\n")
	var body strings.Builder
	for i := range sims {
		sims[i] = acctest.Start(t, "edgeos", acctest.EdgeOSBase)
		sims[i].SetLatency(5 * time.Millisecond)
		sims[i].SetCommitDelay(300 * time.Millisecond)
		name := fmt.Sprintf("r%d", i)
		fmt.Fprintf(&block, "    %s = {\n  %s\n    }\n", name, sims[i].DeviceArgs())
		body.WriteString(perfSites(name, sites))
	}
	block.WriteString("  }\n}\n")
	cfg := block.String() + body.String()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: func(*terraform.State) error {
					commits := 0
					for _, sim := range sims {
						commits += sim.Stats().Commits
					}
					t.Logf("apply of %d resources on %d devices: %d commits", devices*5*sites, devices, commits)
					return nil
				},
			},
			{
				PreConfig: func() {
					for _, sim := range sims {
						sim.ResetCommandLog()
					}
				},
				Config:   cfg,
				PlanOnly: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh:  []plancheck.PlanCheck{readsOnceEach(sims, "plan without refresh")},
					PostApplyPostRefresh: []plancheck.PlanCheck{readsOnceEach(sims, "plan")},
				},
			},
		},
	})
	for i, sim := range sims {
		if c := sim.Stats().Connections; c != 1 {
			t.Errorf("device r%d: the simulator saw %d SSH sessions, want 1 for the whole process", i, c)
		}
	}
}
