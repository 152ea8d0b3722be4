package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// onpremvpn_objects on the router of seed 004 (the top-level device) and on a router with
// only its base configuration (a device of the `devices` map): every object with its import
// id, the names of the secrets it holds (never their values) and the count of lines no
// resource manages.
func TestAccObjectsDataSource(t *testing.T) {
	seed := acctest.Start(t, "edgeos", acctest.Seed004)
	// A prefix list the device accepts but the provider would not write: a backslash.
	base := acctest.Start(t, "edgeos", acctest.EdgeOSBase+"\n"+`set policy prefix-list 'Any\PL' rule 10 action permit
set policy prefix-list 'Any\PL' rule 10 prefix 10.0.0.0/8
set policy prefix-list 'Any\PL' rule 10 description 'C:\temp'`)
	baseLines := 0
	for _, l := range strings.Split(acctest.EdgeOSBase, "\n") {
		if strings.HasPrefix(l, "set ") {
			baseLines++
		}
	}
	const ds = "data.onpremvpn_objects.seed"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`provider "onpremvpn" {
  %s
  devices = {
    "site-2" = {
      %s
    }
  }
}
data "onpremvpn_objects" "seed" {}
data "onpremvpn_objects" "base" {
  device = "site-2"
}
`, seed.DeviceArgs(), base.DeviceArgs()),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(ds, "platform", "edgeos"),
				resource.TestCheckResourceAttr(ds, "objects.#", "5"),
				resource.TestCheckResourceAttr(ds, "objects.0.kind", "ike_gateway"),
				resource.TestCheckResourceAttr(ds, "objects.0.resource_type", "onpremvpn_ike_gateway"),
				resource.TestCheckResourceAttr(ds, "objects.0.import_id", "default/FOO0"),
				resource.TestCheckResourceAttr(ds, "objects.0.summary", "peer 192.0.2.1, local 203.0.113.1, IKEv2, proposals aes256-sha1-dh2"),
				resource.TestCheckResourceAttr(ds, "objects.0.secrets.#", "1"),
				resource.TestCheckResourceAttr(ds, "objects.0.secrets.0", "pre_shared_key"),
				resource.TestCheckResourceAttr(ds, "objects.1.import_id", "default/BGP"),
				resource.TestCheckResourceAttr(ds, "objects.1.summary", "6 rule(s)"),
				resource.TestCheckResourceAttr(ds, "objects.2.resource_type", "onpremvpn_vpn_tunnel"),
				resource.TestCheckResourceAttr(ds, "objects.3.import_id", "default/172.16.0.254/32"),
				resource.TestCheckResourceAttr(ds, "objects.3.summary", "via interface vti0"),
				resource.TestCheckResourceAttr(ds, "objects.4.summary", `AS 65510 to AS 65515, 1 network(s) announced, prefix lists in "BGP" out "BGP"`),
				resource.TestCheckResourceAttr(ds, "objects.4.resource_type", "onpremvpn_bgp_neighbor"),
				resource.TestCheckResourceAttr(ds, "objects.4.import_id", "default/172.16.0.254"),
				resource.TestCheckResourceAttr(ds, "objects.4.secrets.#", "0"),
				// ethernet (4), system (2), auto-firewall-nat-exclude, the BGP process's timers (2).
				resource.TestCheckResourceAttr(ds, "unmodelled_lines", "9"),
				resource.TestCheckResourceAttr(ds, "objects.0.problems.#", "0"),
				resource.TestCheckResourceAttr("data.onpremvpn_objects.base", "objects.#", "1"),
				resource.TestCheckResourceAttr("data.onpremvpn_objects.base", "objects.0.import_id", `site-2/Any\PL`),
				resource.TestCheckResourceAttr("data.onpremvpn_objects.base", "objects.0.problems.#", "2"),
				resource.TestCheckResourceAttr("data.onpremvpn_objects.base", "objects.0.problems.0", `name: "Any\\PL" may contain only letters, digits, '_', '.' and '-', and must start with a letter or digit`),
				resource.TestCheckResourceAttr("data.onpremvpn_objects.base", "objects.0.problems.1", `rules["10"].description: must not contain the character \`),
				resource.TestCheckResourceAttr("data.onpremvpn_objects.base", "unmodelled_lines", fmt.Sprint(baseLines)),
				func(s *terraform.State) error {
					for addr, r := range s.RootModule().Resources {
						for k, v := range r.Primary.Attributes {
							if strings.Contains(v, "seed-Secret-004") {
								return fmt.Errorf("%s.%s holds the pre-shared key", addr, k)
							}
						}
					}
					return nil
				},
			),
		}},
	})
}
