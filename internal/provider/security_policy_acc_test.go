package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// EdgeOS does not manage security policies: the plan fails naming the resource, the platform,
// the device and what EdgeOS does manage, before anything reaches the router.
func TestAccEdgeOSSecurityPolicyRefusedAtPlan(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	before := sim.Stats().Commits
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: sim.ProviderBlock() + `
resource "onpremvpn_security_policy" "p" {
  name             = "LAN-TO-AZURE"
  from_zone        = "Trust"
  to_zone          = "Untrust"
  source_addresses = ["192.168.1.0/24"]
  action           = "permit"
}
`,
			ExpectError: regexp.MustCompile(`(?s)onpremvpn_security_policy is not supported on edgeos.*platform edgeos \(device\s+"default"\) does not support\s+security_policy objects;\s+it manages:.*ike_gateway`),
		}},
	})
	if n := sim.Stats().Commits - before; n != 0 {
		t.Errorf("the device received %d commit(s); a plan-time error must leave it untouched", n)
	}
}
