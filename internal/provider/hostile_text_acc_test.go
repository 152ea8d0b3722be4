package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// Text a user or a device supplies is data. Descriptions that hold shell characters,
// non-ASCII text, a ?, or words that look like the device's failure messages or prompts are
// written, read back, imported and compared like any other, and every later read works.
func TestAccEdgeOSHostileTextRoundTrips(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase+
		// Written by hand on the router: failure words and a prompt-like end in its own
		// configuration must not fail or cut short any read.
		"set interfaces ethernet eth1 description 'Set failed: is not valid [[vpn]] failed Commit failed ops@site#'\n")
	descs := []string{
		"ops@site#",
		"Commit failed",
		"why? because! $HOME #tag ; && | x",
		"日本語の説明 😀 ＦＵＬＬ \u00e9", // Terraform normalizes strings to NFC: write é precomposed
		"  Configuration path: [x] is not valid",
	}
	var rules []string
	for i, d := range descs {
		rules = append(rules, fmt.Sprintf("    %d = { action = \"permit\", prefix = \"10.%d.0.0/16\", description = %q }", (i+1)*10, i, strings.TrimSpace(d)))
	}
	hcl := sim.ProviderBlock() + `
resource "onpremvpn_prefix_list" "p" {
  name        = "HOSTILE"
  description = "Set failed"
  rules = {
` + strings.Join(rules, "\n") + `
  }
}
resource "onpremvpn_bgp_neighbor" "n" {
  neighbor_address = "169.254.21.1"
  local_as         = 65510
  remote_as        = 65515
  password         = "a?b!c#d$e"
  description      = "peer? yes!"
}
`
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("onpremvpn_bgp_neighbor.n", tfjsonpath.New("password"), knownvalue.StringExact("a?b!c#d$e")),
	}
	for i, d := range descs {
		checks = append(checks, statecheck.ExpectKnownValue("onpremvpn_prefix_list.p",
			tfjsonpath.New("rules").AtMapKey(fmt.Sprint((i+1)*10)).AtMapKey("description"), knownvalue.StringExact(strings.TrimSpace(d))))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config:            hcl,
				ConfigStateChecks: checks,
				Check: func(*terraform.State) error {
					return sim.CheckHas(
						"set protocols bgp 65510 neighbor 169.254.21.1 password 'a?b!c#d$e'",
						"set policy prefix-list HOSTILE rule 40 description '日本語の説明 😀 ＦＵＬＬ \u00e9'",
					)
				},
			},
			{ // read back: nothing to change, and every read of the configuration works
				Config:            hcl,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: checks,
			},
			{
				ResourceName:      "onpremvpn_prefix_list.p",
				ImportState:       true,
				ImportStateId:     "default/HOSTILE",
				ImportStateVerify: true,
				Config:            hcl,
			},
		},
	})
}

// EdgeOS stores no quote in a value: the plan says so with the router's own words, at the
// attribute, instead of a commit failing at apply.
func TestAccEdgeOSQuotesRefusedAtPlan(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: sim.ProviderBlock() + `
resource "onpremvpn_ike_gateway" "g" {
  name           = "AZ"
  peer_address   = "192.0.2.1"
  local_address  = "203.0.113.1"
  pre_shared_key = "psk-Secret-1"
  description    = "Azure's gateway"
  proposals      = [{ encryption = "aes256", integrity = "sha256", dh_group = 14 }]
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)description: EdgeOS cannot store the single quote \('\).*Cannot\s+use\s+the\s+single\s+quote\s+\('\)\s+character\s+in\s+a\s+value\s+string`),
		}},
	})
	if c := sim.Stats().Commits; c != 0 {
		t.Fatalf("%d commits", c)
	}
}
