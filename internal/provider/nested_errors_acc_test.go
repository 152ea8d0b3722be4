package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// An error in a nested attribute names the element, in its text and in the line Terraform
// shows: the block's `rules` or `proposals`, never the block's own attribute of the same name
// as the nested one (a bad rule description used to be shown on the list's description).
func TestAccNestedAttributeErrorsNameTheElement(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	cases := []struct{ name, hcl, want string }{
		{"rule description (schema)", `
resource "onpremvpn_prefix_list" "p" {
  name        = "P"
  description = "the list description"
  rules = {
    10 = { action = "permit", prefix = "10.0.0.0/8" }
    20 = { action = "deny", prefix = "10.1.0.0/16", description = "it's" }
  }
}
`, `(?s)rules = \{.*rules\["20"\]\.description: EdgeOS cannot store the single quote \('\) character\s+in\s+a\s+value:\s+the\s+router\s+refuses\s+it`},
		{"rule le (model)", `
resource "onpremvpn_prefix_list" "p" {
  name        = "P"
  description = "the list description"
  rules = {
    "10" = { action = "permit", prefix = "10.0.0.0/16" }
    "20" = { action = "permit", prefix = "10.1.0.0/16", le = 8 }
  }
}
`, `(?s)rules = \{.*rules\["20"\]\.le: must be at least the prefix length 16`},
		{"proposal encryption (platform)", `
resource "onpremvpn_ike_gateway" "g" {
  name           = "G"
  peer_address   = "192.0.2.1"
  local_address  = "203.0.113.1"
  pre_shared_key = "psk-Secret-1"
  proposals = [
    { encryption = "aes256", integrity = "sha256", dh_group = 14 },
    { encryption = "aes192", integrity = "sha256", dh_group = 14 },
  ]
}
`, `(?s)Invalid value for edgeos \(device "default"\).*\{ encryption = "aes192".*proposals\[1\]\.encryption: "aes192" is not supported on EdgeOS`},
		{"network (set element)", `
resource "onpremvpn_bgp_neighbor" "n" {
  neighbor_address = "10.255.0.1"
  local_as         = 65510
  remote_as        = 65001
  networks         = ["192.168.1.0/24", "10.0.0.1/8"]
}
`, `networks\["10.0.0.1/8"\]: "10.0.0.1/8" has host bits set`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				Steps: []resource.TestStep{{
					Config:      sim.ProviderBlock() + c.hcl,
					ExpectError: regexp.MustCompile(c.want),
				}},
			})
		})
	}
}
