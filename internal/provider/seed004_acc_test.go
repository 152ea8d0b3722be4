package provider_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

// seed004HCL reproduces seed 004: an EdgeRouter (WAN 203.0.113.1, LAN 192.168.1.0/24, AS
// 65510) to an Azure route-based VPN gateway (192.0.2.1, BGP peering address 172.16.0.254, AS
// 65515) with BGP over IKEv2 and a VTI.
const seed004HCL = `
resource "onpremvpn_ike_gateway" "azure" {
  name            = "FOO0"
  peer_address    = "192.0.2.1"
  local_address   = "203.0.113.1"
  ike_version     = 2
  pre_shared_key  = "seed-Secret-004"
  lifetime        = 28800
  connection_type = "respond"
  description     = "IPsecAzure"
  proposals       = [{ encryption = "aes256", integrity = "sha1", dh_group = 2 }]
}

resource "onpremvpn_vpn_tunnel" "azure" {
  name             = "FOO0"
  ike_gateway      = onpremvpn_ike_gateway.azure.name
  tunnel_interface = "vti0"
  lifetime         = 27000
  pfs_group        = 0
  tcp_mss          = 1350
  proposals        = [{ encryption = "aes256", integrity = "sha1" }]
}

resource "onpremvpn_static_route" "azure_bgp_peer" {
  destination      = "172.16.0.254/32"
  tunnel_interface = onpremvpn_vpn_tunnel.azure.tunnel_interface
}

resource "onpremvpn_prefix_list" "bgp" {
  name = "BGP"
  rules = {
    10  = { action = "deny", prefix = "203.0.113.1/32", description = "Deny Local Gateway Address" }
    20  = { action = "deny", prefix = "192.0.2.1/32", description = "Deny Azure Gateway Address" }
    30  = { action = "deny", prefix = "192.168.1.1/32", description = "Deny Local Peering Address" }
    40  = { action = "deny", prefix = "172.16.0.254/32", description = "Deny Azure Peering Address" }
    100 = { action = "permit", prefix = "192.168.1.0/24", description = "Local Subnets" }
    110 = { action = "permit", prefix = "172.16.0.0/22", description = "Azure Subnets" }
  }
}

resource "onpremvpn_bgp_neighbor" "azure" {
  neighbor_address             = "172.16.0.254"
  local_as                     = 65510
  remote_as                    = 65515
  ebgp_multihop                = 2
  update_source                = "192.168.1.1"
  prefix_list_in               = onpremvpn_prefix_list.bgp.name
  prefix_list_out              = onpremvpn_prefix_list.bgp.name
  soft_reconfiguration_inbound = true
  networks                     = ["192.168.1.0/24"]

  depends_on = [onpremvpn_static_route.azure_bgp_peer]
}
`

// seedLines returns the seed's lines that belong to the objects above. The seed's BGP timers
// (`protocols bgp 65510 timers ...`) are the process's, not the neighbor's: no resource
// manages them.
func seedLines() []string {
	var out []string
	for _, l := range strings.Split(acctest.Seed004, "\n") {
		switch {
		case l == "",
			strings.Contains(l, "interfaces ethernet"),
			strings.Contains(l, "system "),
			strings.Contains(l, "auto-firewall-nat-exclude"),
			strings.Contains(l, "bgp 65510 timers"):
			continue
		}
		out = append(out, l)
	}
	return out
}

// TestAccEdgeOSSeed004 builds seed 004 from nothing and checks the router holds the seed's
// configuration, over one SSH session for the whole run.
func TestAccEdgeOSSeed004(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		CheckDestroy: func(*terraform.State) error {
			return sim.CheckNone("FOO0", "vti0", "prefix-list", "protocols bgp 65510 n", "172.16.0.254", "mss-clamp")
		},
		Steps: []resource.TestStep{{
			Config: sim.ProviderBlock() + seed004HCL,
			Check: resource.ComposeAggregateTestCheckFunc(
				func(*terraform.State) error { return sim.CheckHas(seedLines()...) },
				func(*terraform.State) error {
					// Every terraform command of the test so far (plan, apply, refresh) used the
					// process's one session to this device.
					if c := sim.Stats().Connections; c != 1 {
						return fmt.Errorf("%d SSH logins; want 1 session reused for the whole run", c)
					}
					return nil
				},
			),
		}},
	})
}

// TestAccEdgeOSSeed004Import takes over a router that already runs seed 004, as EdgeRouter
// support configured it by hand: every object imports with no change to plan.
func TestAccEdgeOSSeed004Import(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.Seed004)
	imports := `
import {
  to = onpremvpn_ike_gateway.azure
  id = "default/FOO0"
}
import {
  to = onpremvpn_vpn_tunnel.azure
  id = "default/FOO0"
}
import {
  to = onpremvpn_static_route.azure_bgp_peer
  id = "default/172.16.0.254/32"
}
import {
  to = onpremvpn_prefix_list.bgp
  id = "default/BGP"
}
import {
  to = onpremvpn_bgp_neighbor.azure
  id = "default/172.16.0.254"
}
`
	var noop []plancheck.PlanCheck
	for _, a := range []string{"onpremvpn_ike_gateway.azure", "onpremvpn_vpn_tunnel.azure", "onpremvpn_static_route.azure_bgp_peer", "onpremvpn_prefix_list.bgp", "onpremvpn_bgp_neighbor.azure"} {
		noop = append(noop, plancheck.ExpectResourceAction(a, plancheck.ResourceActionNoop))
	}
	before := sim.RunningConfig()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config:           sim.ProviderBlock() + seed004HCL + imports,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: noop},
			Check: func(*terraform.State) error {
				if after := sim.RunningConfig(); after != before {
					return fmt.Errorf("importing changed the device:\nbefore:\n%s\nafter:\n%s", before, after)
				}
				return nil
			},
		}},
	})
}

// Terraform creates independent resources in parallel; the provider commits them together. With
// a commit that takes half a second, everything that is not in the first commit waits for the
// next one, so ten resources take at most a few commits whatever the scheduling.
func TestAccEdgeOSBatching(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase, func(o *simulator.Options) { o.CommitDelay = 500 * time.Millisecond })
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: sim.ProviderBlock() + `
resource "onpremvpn_prefix_list" "many" {
  count = 10
  name  = "PL-${count.index}"
  rules = { 10 = { action = "permit", prefix = "10.${count.index}.0.0/16" } }
}
`,
			Check: resource.ComposeAggregateTestCheckFunc(
				func(*terraform.State) error {
					var want []string
					for i := 0; i < 10; i++ {
						want = append(want, fmt.Sprintf("set policy prefix-list PL-%d rule 10 prefix 10.%d.0.0/16", i, i))
					}
					return sim.CheckHas(want...)
				},
				func(*terraform.State) error {
					if c := sim.Stats().Commits; c > 3 {
						return fmt.Errorf("%d commits for 10 independent resources: writes were not batched", c)
					}
					return nil
				},
			),
		}},
	})
}
