package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// The data source needs no device: a provider block without one is enough. Its inputs have the
// shape of the gateway's and tunnel's attributes, so locals shared by both sides feed it.
const azurePolicyHCL = `
provider "onpremvpn" {}

locals {
  ike_proposals   = [{ encryption = "aes256gcm", integrity = "sha384", dh_group = 20 }, { encryption = "aes128", integrity = "sha1", dh_group = 2 }]
  ipsec_proposals = [{ encryption = "aes256gcm", integrity = "sha256" }]
}

data "onpremvpn_azure_ipsec_policy" "azure" {
  gateway = {
    proposals   = local.ike_proposals
    lifetime    = 28800
    ike_version = 2
  }
  tunnel = {
    proposals = local.ipsec_proposals
    pfs_group = 14
    lifetime  = 27000
  }
}

output "policy" {
  value = data.onpremvpn_azure_ipsec_policy.azure
}
`

func TestAccAzureIPsecPolicy(t *testing.T) {
	const ds = "data.onpremvpn_azure_ipsec_policy.azure"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: azurePolicyHCL,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(ds, "ike_encryption", "GCMAES256"),
					resource.TestCheckResourceAttr(ds, "ike_integrity", "SHA384"),
					resource.TestCheckResourceAttr(ds, "dh_group", "ECP384"),
					resource.TestCheckResourceAttr(ds, "ipsec_encryption", "GCMAES256"),
					resource.TestCheckResourceAttr(ds, "ipsec_integrity", "GCMAES256"),
					resource.TestCheckResourceAttr(ds, "pfs_group", "PFS2048"),
					resource.TestCheckResourceAttr(ds, "sa_lifetime", "27000"),
					resource.TestCheckResourceAttr(ds, "sa_datasize", "102400000"),
					resource.TestCheckResourceAttr(ds, "connection_protocol", "IKEv2"),
				),
			},
			{
				// A proposal Azure refuses fails the plan, naming the attribute and Azure's limit.
				Config:      regexp.MustCompile(`dh_group = 20`).ReplaceAllString(azurePolicyHCL, `dh_group = 5`),
				ExpectError: regexp.MustCompile(`(?s)gateway\.proposals\[0\]\.dh_group.*Azure does not accept DH group 5`),
			},
			{
				Config:      regexp.MustCompile(`lifetime    = 28800`).ReplaceAllString(azurePolicyHCL, `lifetime    = 3600`),
				ExpectError: regexp.MustCompile(`(?s)gateway\.lifetime.*fixed at 28800 seconds`),
			},
		},
	})
}

// Fed from the gateway's and tunnel's own attributes (as the documentation's example does),
// the data source gives the values of the proposals the router was configured with.
func TestAccEdgeOSAzureIPsecPolicyFromResources(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	const ds = "data.onpremvpn_azure_ipsec_policy.azure"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: sim.ProviderBlock() + gatewayHCL(28800, "") + tunnelHCL(27000, "pfs_group = 14") + `
data "onpremvpn_azure_ipsec_policy" "azure" {
  gateway = {
    proposals   = onpremvpn_ike_gateway.azure.proposals
    lifetime    = onpremvpn_ike_gateway.azure.lifetime
    ike_version = onpremvpn_ike_gateway.azure.ike_version
  }
  tunnel = {
    proposals = onpremvpn_vpn_tunnel.azure.proposals
    pfs_group = onpremvpn_vpn_tunnel.azure.pfs_group
    lifetime  = onpremvpn_vpn_tunnel.azure.lifetime
  }
}
`,
			Check: resource.ComposeAggregateTestCheckFunc(
				func(*terraform.State) error {
					return sim.CheckHas(
						"set vpn ipsec ike-group FOO0 proposal 1 encryption aes256",
						"set vpn ipsec ike-group FOO0 proposal 1 hash sha1",
						"set vpn ipsec ike-group FOO0 proposal 1 dh-group 2",
						"set vpn ipsec esp-group FOO0 pfs dh-group14",
						"set vpn ipsec esp-group FOO0 lifetime 27000",
					)
				},
				resource.TestCheckResourceAttr(ds, "ike_encryption", "AES256"),
				resource.TestCheckResourceAttr(ds, "ike_integrity", "SHA1"),
				resource.TestCheckResourceAttr(ds, "dh_group", "DHGroup2"),
				resource.TestCheckResourceAttr(ds, "ipsec_encryption", "AES256"),
				resource.TestCheckResourceAttr(ds, "ipsec_integrity", "SHA1"),
				resource.TestCheckResourceAttr(ds, "pfs_group", "PFS2048"),
				resource.TestCheckResourceAttr(ds, "sa_lifetime", "27000"),
				resource.TestCheckResourceAttr(ds, "connection_protocol", "IKEv2"),
			),
		}},
	})
}
