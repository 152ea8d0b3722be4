package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// Attributes added for other platforms are refused at plan on EdgeOS, naming the platform and
// the attribute, before anything reaches the device.
func TestAccEdgeOSRefusesOtherPlatformsAttributesAtPlan(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	cases := []struct{ name, hcl, want string }{
		{"routing instance", `
resource "onpremvpn_static_route" "r" {
  destination      = "10.50.0.0/16"
  next_hop         = "192.168.1.254"
  routing_instance = "trust-vr"
}
`, `(?s)Invalid value for edgeos.*routing_instance: is not supported on EdgeOS`},
		{"tunnel zone", gatewayHCL(28800, "") + `
resource "onpremvpn_vpn_tunnel" "t" {
  name             = "FOO1"
  ike_gateway      = onpremvpn_ike_gateway.azure.name
  tunnel_interface = "vti1"
  tunnel_zone      = "vpn"
  proposals        = [{ encryption = "aes256", integrity = "sha1" }]
}
`, `(?s)Invalid value for edgeos.*tunnel_zone: is not supported on EdgeOS`},
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
			if n := sim.Stats().Commits - before; n != 0 {
				t.Errorf("the device received %d commit(s); a plan-time error must leave it untouched", n)
			}
		})
	}
}

// A traffic selector's protocol and ports reach the router, read back without a diff and
// import.
func TestAccPolicyTunnelSelectorProtocolAndPorts(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	hcl := sim.ProviderBlock() + `
resource "onpremvpn_ike_gateway" "g" {
  name           = "DC"
  peer_address   = "198.51.100.7"
  local_address  = "203.0.113.1"
  pre_shared_key = "psk-Secret-1"
  proposals      = [{ encryption = "aes256", integrity = "sha256", dh_group = 14 }]
}

resource "onpremvpn_vpn_tunnel" "t" {
  name        = "DC"
  ike_gateway = onpremvpn_ike_gateway.g.name
  proposals   = [{ encryption = "aes256", integrity = "sha256" }]
  traffic_selectors = [
    { local = "192.168.1.0/24", remote = "10.9.0.0/16" },
    { local = "192.168.1.0/24", remote = "10.8.0.0/16", protocol = "tcp", local_port = 22, remote_port = 443 },
  ]
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		CheckDestroy:             func(*terraform.State) error { return sim.CheckNone("198.51.100.7") },
		Steps: []resource.TestStep{
			{
				Config: hcl,
				Check: resource.ComposeTestCheckFunc(
					func(*terraform.State) error {
						return sim.CheckHas(
							"set vpn ipsec site-to-site peer 198.51.100.7 tunnel 2 protocol tcp",
							"set vpn ipsec site-to-site peer 198.51.100.7 tunnel 2 local port 22",
							"set vpn ipsec site-to-site peer 198.51.100.7 tunnel 2 remote port 443",
						)
					},
					resource.TestCheckResourceAttr("onpremvpn_vpn_tunnel.t", "traffic_selectors.1.protocol", "tcp"),
					resource.TestCheckNoResourceAttr("onpremvpn_vpn_tunnel.t", "traffic_selectors.0.protocol"),
				),
			},
			{Config: hcl, PlanOnly: true},
			{ResourceName: "onpremvpn_vpn_tunnel.t", ImportState: true, ImportStateId: "default/DC", ImportStateVerify: true},
		},
	})
}
