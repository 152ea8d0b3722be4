package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// After any fault the state equals the device, and the device's configuration is saved or
// the error says it is not.

const staticRouteHCL = `
resource "onpremvpn_static_route" "r" {
  destination      = "10.20.0.0/16"
  tunnel_interface = "vti0"
}
`

const staticRouteLine = "set protocols static interface-route 10.20.0.0/16 next-hop-interface vti0"

func savedHas(sim *acctest.Sim, line string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		for _, l := range strings.Split(sim.SavedConfig(), "\n") {
			if strings.TrimSpace(l) == line {
				return nil
			}
		}
		return fmt.Errorf("the saved configuration lacks %q: a reboot would lose it", line)
	}
}

// A save that fails after a good commit: the error says the change is active but not
// saved, state holds the object (so the next plan does not ask to import it), and the next
// apply saves.
func TestAccEdgeOSFaultSaveFailsAfterCommit(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase+"set interfaces vti vti0 address 169.254.21.2/30\n")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { sim.FailCommand("save", "\n  [[/config/config.boot]] failed: No space left on device\n") },
				Config:      sim.ProviderBlock() + staticRouteHCL,
				ExpectError: regexp.MustCompile(`(?s)active on the device but not saved.*No space left on device.*was NOT saved.*State now holds`),
			},
			{
				PreConfig: sim.ClearFaults,
				Config:    sim.ProviderBlock() + staticRouteHCL,
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error { return sim.CheckHas(staticRouteLine) },
					savedHas(sim, staticRouteLine),
				),
			},
		},
	})
}

// A commit slower than command_timeout is judged by the platform's own commit timeout: the
// apply succeeds once, with one commit, and is saved.
func TestAccEdgeOSFaultSlowCommit(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase+"set interfaces vti vti0 address 169.254.21.2/30\n")
	provider := fmt.Sprintf("provider \"onpremvpn\" {\n  %s\n  command_timeout = \"1s\"\n}\n", sim.DeviceArgs())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			PreConfig: func() { sim.SetCommitDelay(1500 * time.Millisecond) },
			Config:    provider + staticRouteHCL,
			Check: resource.ComposeAggregateTestCheckFunc(
				func(*terraform.State) error { return sim.CheckHas(staticRouteLine) },
				savedHas(sim, staticRouteLine),
				func(*terraform.State) error {
					if c := sim.Stats().Commits; c != 1 {
						return fmt.Errorf("%d commits, want 1", c)
					}
					return nil
				},
			),
		}},
	})
}

// A tunnel whose commit fails takes nothing of its gateway to the device: no ike-group stays
// on the router outside state, and the next apply creates both.
func TestAccEdgeOSFaultTunnelCommitLeavesNothing(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase+edgeVTI)
	before := sim.RunningConfig()
	cfg := sim.ProviderBlock() + gatewayHCL(28800, "") + tunnelHCL(27000, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { sim.FailNextCommit("VPN configuration error: injected failure") },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`injected failure`),
			},
			{ // an apply of nothing, so that the check runs
				Config: sim.ProviderBlock(),
				Check:  unchanged(sim, before),
			},
			{
				Config: cfg,
				Check: func(*terraform.State) error {
					return sim.CheckHas("set vpn ipsec ike-group FOO0 lifetime 28800", "set vpn ipsec site-to-site peer 192.0.2.1 vti bind vti0")
				},
			},
		},
	})
}
