package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// A reference to an object that is neither on the device nor planned in the run fails at plan,
// before anything of the run reaches the device.
func TestAccReferenceToMissingObjectFailsAtPlan(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	noCommit := func(t *testing.T, before int) {
		t.Helper()
		if c := sim.Stats().Commits; c != before {
			t.Errorf("the device received %d commit(s); a plan-time error must leave it untouched", c-before)
		}
	}
	cases := []struct{ name, hcl, want string }{
		{"tunnel to a gateway that exists nowhere", gatewayHCL(28800, "") + prefixListHCL + `
resource "onpremvpn_vpn_tunnel" "typo" {
  name             = "FOO1"
  ike_gateway      = "FOO9"
  tunnel_interface = "vti1"
  proposals        = [{ encryption = "aes256", integrity = "sha1" }]
}
`, `(?s)Unknown ike_gateway.*ike_gateway "FOO9" is not on device "default".*onpremvpn_ike_gateway\.<name>\.name`},
		{"neighbor with a prefix list that exists nowhere", prefixListHCL + `
resource "onpremvpn_bgp_neighbor" "n" {
  neighbor_address = "10.255.0.1"
  local_as         = 65510
  remote_as        = 65001
  prefix_list_in   = onpremvpn_prefix_list.bgp.name
  prefix_list_out  = "BGP-OUT"
}
`, `(?s)Unknown prefix_list.*prefix_list_out: prefix_list "BGP-OUT" is not on device "default"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := sim.Stats().Commits
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				Steps: []resource.TestStep{{
					Config:      sim.ProviderBlock() + c.hcl,
					ExpectError: regexp.MustCompile(c.want),
				}},
			})
			noCommit(t, before)
		})
	}
}

// References the check must accept: to resources of the same configuration (planned first),
// to objects already on the device by literal name, and after everything is applied.
func TestAccReferencesToPlannedOrExistingObjects(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.Seed004)
	sim.MustApply(t, "delete protocols bgp 65510 neighbor 172.16.0.254") // the list BGP stays
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		CheckDestroy:             func(*terraform.State) error { return sim.CheckNone("FOO1", "10.255.0.1", "NEW-IN") },
		Steps: []resource.TestStep{{
			Config: sim.ProviderBlock() + `
resource "onpremvpn_ike_gateway" "g" {
  name           = "FOO1"
  peer_address   = "198.51.100.7"
  local_address  = "203.0.113.1"
  pre_shared_key = "psk-Secret-1"
  proposals      = [{ encryption = "aes256", integrity = "sha256", dh_group = 14 }]
}

resource "onpremvpn_vpn_tunnel" "t" {
  name              = "FOO1"
  ike_gateway       = onpremvpn_ike_gateway.g.name
  proposals         = [{ encryption = "aes256", integrity = "sha256" }]
  traffic_selectors = [{ local = "192.168.1.0/24", remote = "10.9.0.0/16" }]
}

resource "onpremvpn_prefix_list" "in" {
  name  = "NEW-IN"
  rules = { 10 = { action = "permit", prefix = "10.9.0.0/16" } }
}

resource "onpremvpn_bgp_neighbor" "n" {
  neighbor_address = "10.255.0.1"
  local_as         = 65510
  remote_as        = 65001
  prefix_list_in   = onpremvpn_prefix_list.in.name
  prefix_list_out  = "BGP" # the seed's, on the device
}
`,
			Check: func(*terraform.State) error {
				return sim.CheckHas(
					"set vpn ipsec site-to-site peer 198.51.100.7 tunnel 1 esp-group FOO1",
					"set protocols bgp 65510 neighbor 10.255.0.1 prefix-list import NEW-IN",
					"set protocols bgp 65510 neighbor 10.255.0.1 prefix-list export BGP",
				)
			},
		}},
	})
}
