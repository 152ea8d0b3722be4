package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// The process-level lines of seed 004 that no resource manages.
var seed004ProcessTimers = []string{
	"set protocols bgp 65510 timers holdtime 180",
	"set protocols bgp 65510 timers keepalive 60",
}

// seed004Neighbor is the seed's neighbor as it is on the router: no timers of its own (the
// seed's are the process's).
func seed004Neighbor(extra string) string {
	return hcl(`
resource "onpremvpn_bgp_neighbor" "azure" {
  neighbor_address             = "172.16.0.254"
  local_as                     = 65510
  remote_as                    = 65515
  ebgp_multihop                = 2
  update_source                = "192.168.1.1"
  prefix_list_in               = "BGP"
  prefix_list_out              = "BGP"
  soft_reconfiguration_inbound = true
  networks                     = ["192.168.1.0/24"]
  %s
}
`, extra)
}

const seed004NeighborImport = `
import {
  to = onpremvpn_bgp_neighbor.azure
  id = "default/172.16.0.254"
}
`

// secondNeighbor is a new neighbor without timers, announcing a network of its own.
const secondNeighbor = `
resource "onpremvpn_bgp_neighbor" "second" {
  neighbor_address = "172.16.0.253"
  local_as         = 65510
  remote_as        = 65515
  networks         = ["192.168.50.0/24"]
}
`

// On a router whose BGP process has its own timers and networks (seed 004), a neighbor
// without hold_time and with other networks converges: it does not take the process's timers
// or the other neighbor's networks into its state. Timers set later go on the neighbor; a
// network removed on the device shows on the neighbor that needs it; destroy removes the
// neighbors, their timers and their networks, and leaves the process's timers.
func TestAccEdgeOSBGPNeighborOnSeed004Process(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.Seed004)
	cfg := func(body string) string { return sim.ProviderBlock() + body }
	azure, second := "onpremvpn_bgp_neighbor.azure", "onpremvpn_bgp_neighbor.second"
	networks := func(addr string, want ...string) plancheck.PlanCheck {
		vals := make([]knownvalue.Check, len(want))
		for i, w := range want {
			vals[i] = knownvalue.StringExact(w)
		}
		return plancheck.ExpectKnownValue(addr, tfjsonpath.New("networks"), knownvalue.SetExact(vals))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		CheckDestroy: func(*terraform.State) error {
			if err := sim.CheckNone("neighbor", "bgp 65510 network"); err != nil {
				return err
			}
			return sim.CheckHas(seed004ProcessTimers...)
		},
		Steps: []resource.TestStep{
			{ // import the seed's neighbor, create a second one without timers
				Config: cfg(seed004NeighborImport + seed004Neighbor("") + secondNeighbor),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(azure, plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(second, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckNoResourceAttr(azure, "hold_time"),
					resource.TestCheckNoResourceAttr(azure, "keepalive"),
					resource.TestCheckNoResourceAttr(second, "hold_time"),
					resource.TestCheckNoResourceAttr(second, "keepalive"),
					resource.TestCheckResourceAttr(azure, "networks.#", "1"),
					resource.TestCheckTypeSetElemAttr(azure, "networks.*", "192.168.1.0/24"),
					resource.TestCheckResourceAttr(second, "networks.#", "1"),
					resource.TestCheckTypeSetElemAttr(second, "networks.*", "192.168.50.0/24"),
					func(*terraform.State) error {
						return sim.CheckHas(append([]string{
							"set protocols bgp 65510 neighbor 172.16.0.253 remote-as 65515",
							"set protocols bgp 65510 network 192.168.1.0/24",
							"set protocols bgp 65510 network 192.168.50.0/24",
						}, seed004ProcessTimers...)...)
					},
					func(*terraform.State) error { return sim.CheckNone("neighbor 172.16.0.253 timers") },
				),
			},
			{ // the next plan is empty
				Config:   cfg(seed004Neighbor("") + secondNeighbor),
				PlanOnly: true,
			},
			{ // timers set on the imported neighbor are its own; the process's stay
				Config: cfg(seed004Neighbor("keepalive = 30\n  hold_time = 90") + secondNeighbor),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(azure, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(second, plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(azure, "hold_time", "90"),
					resource.TestCheckNoResourceAttr(second, "hold_time"),
					func(*terraform.State) error {
						return sim.CheckHas(append([]string{
							"set protocols bgp 65510 neighbor 172.16.0.254 timers holdtime 90",
							"set protocols bgp 65510 neighbor 172.16.0.254 timers keepalive 30",
						}, seed004ProcessTimers...)...)
					},
				),
			},
			{ // a network removed on the device: the neighbor that needs it puts it back
				PreConfig: func() { sim.MustApply(t, "delete protocols bgp 65510 network 192.168.50.0/24") },
				Config:    cfg(seed004Neighbor("keepalive = 30\n  hold_time = 90") + secondNeighbor),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(second, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(azure, plancheck.ResourceActionNoop),
					networks(second, "192.168.50.0/24"),
				}},
				Check: func(*terraform.State) error { return sim.CheckHas("set protocols bgp 65510 network 192.168.50.0/24") },
			},
		},
	})
}

func twoNeighbors(networksA, networksB string) string {
	return hcl(`
resource "onpremvpn_bgp_neighbor" "a" {
  neighbor_address = "10.255.0.1"
  local_as         = 65510
  remote_as        = 65001
  networks         = [%s]
}

resource "onpremvpn_bgp_neighbor" "b" {
  neighbor_address = "10.255.0.2"
  local_as         = 65510
  remote_as        = 65002
  networks         = [%s]
}
`, networksA, networksB)
}

// Two neighbors with different networks converge, each showing its own; a network one drops
// stays on the process while the other neighbor, which the device cannot tell apart, is there.
func TestAccEdgeOSBGPNeighborsWithDifferentNetworks(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	cfg := func(body string) string { return sim.ProviderBlock() + body }
	a, b := "onpremvpn_bgp_neighbor.a", "onpremvpn_bgp_neighbor.b"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		CheckDestroy:             func(*terraform.State) error { return sim.CheckNone("protocols bgp") },
		Steps: []resource.TestStep{
			{
				Config: cfg(twoNeighbors(`"192.168.1.0/24"`, `"192.168.50.0/24"`)),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(a, "networks.#", "1"),
					resource.TestCheckTypeSetElemAttr(a, "networks.*", "192.168.1.0/24"),
					resource.TestCheckResourceAttr(b, "networks.#", "1"),
					resource.TestCheckTypeSetElemAttr(b, "networks.*", "192.168.50.0/24"),
					func(*terraform.State) error {
						return sim.CheckHas("set protocols bgp 65510 network 192.168.1.0/24", "set protocols bgp 65510 network 192.168.50.0/24")
					},
				),
			},
			{
				Config:   cfg(twoNeighbors(`"192.168.1.0/24"`, `"192.168.50.0/24"`)),
				PlanOnly: true,
			},
			{ // one neighbor adds a network: only it changes
				Config: cfg(twoNeighbors(`"192.168.1.0/24", "10.1.0.0/16"`, `"192.168.50.0/24"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(a, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(b, plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(a, "networks.#", "2"),
					resource.TestCheckResourceAttr(b, "networks.#", "1"),
					func(*terraform.State) error { return sim.CheckHas("set protocols bgp 65510 network 10.1.0.0/16") },
				),
			},
			{ // and drops it: the process keeps it, as b may need it; nobody's state shows it
				Config: cfg(twoNeighbors(`"192.168.1.0/24"`, `"192.168.50.0/24"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(a, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(b, plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(a, "networks.#", "1"),
					resource.TestCheckResourceAttr(b, "networks.#", "1"),
					func(*terraform.State) error { return sim.CheckHas("set protocols bgp 65510 network 10.1.0.0/16") },
				),
			},
		},
	})
}

func soleNeighbor(description, networks string) string {
	return hcl(`
resource "onpremvpn_bgp_neighbor" "only" {
  neighbor_address = "10.255.0.1"
  local_as         = 65510
  remote_as        = 65001
  description      = %q
  networks         = [%s]
}
`, description, networks)
}

// The only neighbor of the process: an update removes the networks it drops, and never a
// network it did not list (one added on the device by hand), which its state does not show.
func TestAccEdgeOSBGPNeighborReleasesOnlyItsNetworks(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	cfg := func(body string) string { return sim.ProviderBlock() + body }
	only := "onpremvpn_bgp_neighbor.only"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: cfg(soleNeighbor("one", `"192.168.1.0/24", "192.168.50.0/24"`)),
				Check:  func(*terraform.State) error { return sim.CheckHas("set protocols bgp 65510 network 192.168.50.0/24") },
			},
			{ // a network added by hand is not the neighbor's: no difference, and an update keeps it
				PreConfig: func() { sim.MustApply(t, "set protocols bgp 65510 network 10.9.0.0/16") },
				Config:    cfg(soleNeighbor("two", `"192.168.1.0/24"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(only, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(only, "networks.#", "1"),
					func(*terraform.State) error {
						return sim.CheckHas("set protocols bgp 65510 network 192.168.1.0/24", "set protocols bgp 65510 network 10.9.0.0/16")
					},
					func(*terraform.State) error { return sim.CheckNone("network 192.168.50.0/24") },
				),
			},
		},
	})
}

// router_id: written on the process, changed in place, kept by a neighbor that does not set
// it, and gone with the last neighbor.
func TestAccEdgeOSBGPRouterID(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	neighbor := func(addr, routerID string) string {
		rid := ""
		if routerID != "" {
			rid = fmt.Sprintf("router_id = %q", routerID)
		}
		return fmt.Sprintf(`
resource "onpremvpn_bgp_neighbor" "n%s" {
  neighbor_address = %q
  local_as         = 65510
  remote_as        = 65515
  %s
}
`, strings.ReplaceAll(addr, ".", "_"), addr, rid)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: sim.ProviderBlock() + neighbor("169.254.21.1", "192.0.2.10") + neighbor("169.254.22.1", ""),
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error {
						return sim.CheckHas("set protocols bgp 65510 parameters router-id 192.0.2.10")
					},
					resource.TestCheckNoResourceAttr("onpremvpn_bgp_neighbor.n169_254_22_1", "router_id"),
				),
			},
			{
				Config: sim.ProviderBlock() + neighbor("169.254.21.1", "192.0.2.11") + neighbor("169.254.22.1", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("onpremvpn_bgp_neighbor.n169_254_21_1", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("onpremvpn_bgp_neighbor.n169_254_22_1", plancheck.ResourceActionNoop),
				}},
				Check: func(*terraform.State) error {
					return sim.CheckHas("set protocols bgp 65510 parameters router-id 192.0.2.11")
				},
			},
			{ // the neighbor that set it goes; the other leaves the process's router id alone
				Config: sim.ProviderBlock() + neighbor("169.254.22.1", ""),
				Check: func(*terraform.State) error {
					return sim.CheckHas("set protocols bgp 65510 parameters router-id 192.0.2.11")
				},
			},
			{
				Config: sim.ProviderBlock(),
				Check:  func(*terraform.State) error { return sim.CheckNone("protocols bgp") },
			},
		},
	})
}
