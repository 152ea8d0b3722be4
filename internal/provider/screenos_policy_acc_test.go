package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// policyOrder is the order of the policies in `get config`, the order ScreenOS evaluates
// them in.
func policyOrder(sim *acctest.Sim) []string {
	var ids []string
	for _, l := range strings.Split(sim.RunningConfig(), "\n") {
		if m := regexp.MustCompile(`^set policy id (\d+) .*\bfrom\b`).FindStringSubmatch(l); m != nil {
			ids = append(ids, m[1])
		}
	}
	return ids
}

func checkOrder(sim *acctest.Sim, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := policyOrder(sim); strings.Join(got, ",") != strings.Join(want, ",") {
			return fmt.Errorf("policy order %v, want %v", got, want)
		}
		return nil
	}
}

// screenosMgmtPolicyHCL is a policy placed directly above the catch-all.
const screenosMgmtPolicyHCL = `
resource "onpremvpn_security_policy" "mgmt" {
  name                  = "mgmt"
  policy_id             = 4
  from_zone             = "Trust"
  to_zone               = "Untrust"
  destination_addresses = ["10.0.0.0/24"]
  services              = ["SSH"]
  action                = "permit"
  position              = "before:${onpremvpn_security_policy.internet.policy_id}"
}
`

func screenosPoliciesHCL(withWeb bool) string {
	s := `
resource "onpremvpn_security_policy" "internet" {
  name      = "internet"
  policy_id = 1
  from_zone = "Trust"
  to_zone   = "Untrust"
  action    = "permit"
}

resource "onpremvpn_security_policy" "azure" {
  name                  = "Go Azure"
  policy_id             = 2
  from_zone             = "Trust"
  to_zone               = "Untrust"
  destination_addresses = ["10.0.0.0/24"]
  action                = "permit"
  log                   = true
  position              = "top"
  depends_on            = [onpremvpn_security_policy.internet]
}
`
	if withWeb {
		s += `
resource "onpremvpn_security_policy" "web" {
  name                  = "web"
  policy_id             = 3
  from_zone             = "Trust"
  to_zone               = "Untrust"
  destination_addresses = ["10.1.0.0/24"]
  services              = ["HTTP"]
  action                = "permit"
  position              = "after:${onpremvpn_security_policy.azure.policy_id}"
}
`
	}
	return s
}

// Security policies on ScreenOS: a policy goes where its position says (top, directly after
// another, directly before another), a policy moved on the device is drift that the next apply moves back, and the
// address-book entries a policy needs come and go with it.
func TestAccScreenOSSecurityPolicyPositions(t *testing.T) {
	sim := acctest.Start(t, "screenos", acctest.ScreenOSBase("ssg5"))
	cfg := func(withWeb bool) string { return sim.ProviderBlock() + screenosPoliciesHCL(withWeb) }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		CheckDestroy: func(*terraform.State) error {
			return sim.CheckNone("set policy", "set address")
		},
		Steps: []resource.TestStep{
			{ // "Go Azure" above the catch-all, "web" directly below "Go Azure"
				Config: cfg(true),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkOrder(sim, "2", "3", "1"),
					func(*terraform.State) error {
						return sim.CheckHas(
							`set address "Untrust" "10.0.0.0/24" 10.0.0.0 255.255.255.0`,
							`set address "Untrust" "10.1.0.0/24" 10.1.0.0 255.255.255.0`,
							`set policy id 3 name "web" from "Trust" to "Untrust" "Any" "10.1.0.0/24" "HTTP" permit`,
						)
					},
				),
			},
			{ // moved on the device: "Go Azure" is no longer at the top
				PreConfig:          func() { sim.MustApply(t, "set policy move 1 before 2") },
				Config:             cfg(true),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{ // the apply moves it back, and only it
				Config: cfg(true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("onpremvpn_security_policy.azure", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("onpremvpn_security_policy.web", plancheck.ResourceActionNoop),
				}},
				Check: checkOrder(sim, "2", "3", "1"),
			},
			{ // "mgmt" goes directly above the catch-all
				Config: cfg(true) + screenosMgmtPolicyHCL,
				Check:  checkOrder(sim, "2", "3", "4", "1"),
			},
			{ // "web" goes, and with it the address entry only it used
				Config: cfg(false) + screenosMgmtPolicyHCL,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkOrder(sim, "2", "4", "1"),
					func(*terraform.State) error { return sim.CheckNone("10.1.0.0/24", `"web"`) },
					func(*terraform.State) error {
						return sim.CheckHas(`set address "Untrust" "10.0.0.0/24" 10.0.0.0 255.255.255.0`)
					},
				),
			},
		},
	})
}
