package provider_test

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// expectRuleChanges is a plan check: the resource's `rules` map changes exactly at keys, each
// in the given way ("add", "remove", "update"), and nowhere else.
type expectRuleChanges struct {
	address string
	want    map[string]string
}

func (e expectRuleChanges) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != e.address {
			continue
		}
		rules := func(v any) map[string]any {
			m, _ := v.(map[string]any)
			r, _ := m["rules"].(map[string]any)
			return r
		}
		before, after := rules(rc.Change.Before), rules(rc.Change.After)
		got := map[string]string{}
		for k, b := range before {
			switch a, ok := after[k]; {
			case !ok:
				got[k] = "remove"
			case !reflect.DeepEqual(a, b):
				got[k] = "update"
			}
		}
		for k := range after {
			if _, ok := before[k]; !ok {
				got[k] = "add"
			}
		}
		if !reflect.DeepEqual(got, e.want) {
			resp.Error = fmt.Errorf("%s: rules change at %s, want %s", e.address, describeRuleChanges(got), describeRuleChanges(e.want))
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", e.address)
}

func describeRuleChanges(m map[string]string) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%s rules[%q]", v, k))
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

const seed004PrefixListImport = `
import {
  to = onpremvpn_prefix_list.bgp
  id = "default/BGP"
}
`

// seed004PrefixList is the seed's prefix list, with rule 20's prefix replaceable.
func seed004PrefixList(rule20Prefix string) string {
	return hcl(`
resource "onpremvpn_prefix_list" "bgp" {
  name = "BGP"
  rules = {
    10  = { action = "deny", prefix = "203.0.113.1/32", description = "Deny Local Gateway Address" }
    20  = { action = "deny", prefix = %q, description = "Deny Azure Gateway Address" }
    30  = { action = "deny", prefix = "192.168.1.1/32", description = "Deny Local Peering Address" }
    40  = { action = "deny", prefix = "172.16.0.254/32", description = "Deny Azure Peering Address" }
    100 = { action = "permit", prefix = "192.168.1.0/24", description = "Local Subnets" }
    110 = { action = "permit", prefix = "172.16.0.0/22", description = "Azure Subnets" }
  }
}
`, rule20Prefix)
}

// Rules are identified by their sequence number: a rule deleted on the device is one rule to
// add back, an edited rule is one rule updated, and the others do not move.
func TestAccEdgeOSPrefixListRulesBySequence(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.Seed004)
	// The seed's BGP neighbor uses the list; without it, destroy can delete the list.
	sim.MustApply(t, "delete protocols bgp 65510 neighbor 172.16.0.254")
	cfg := func(body string) string { return sim.ProviderBlock() + body }
	pl := "onpremvpn_prefix_list.bgp"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		CheckDestroy:             func(*terraform.State) error { return sim.CheckNone("prefix-list") },
		Steps: []resource.TestStep{
			{ // import the seed's list: nothing to change
				Config: cfg(seed004PrefixListImport + seed004PrefixList("192.0.2.1/32")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pl, plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(pl, "rules.%", "6"),
					resource.TestCheckResourceAttr(pl, `rules.30.prefix`, "192.168.1.1/32"),
					resource.TestCheckResourceAttr(pl, `rules.110.description`, "Azure Subnets"),
				),
			},
			{ // rule 30 deleted on the device: exactly rule 30 to add back
				PreConfig: func() { sim.MustApply(t, "delete policy prefix-list BGP rule 30") },
				Config:    cfg(seed004PrefixList("192.0.2.1/32")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pl, plancheck.ResourceActionUpdate),
					expectRuleChanges{pl, map[string]string{"30": "add"}},
				}},
				Check: func(*terraform.State) error {
					return sim.CheckHas("set policy prefix-list BGP rule 30 prefix 192.168.1.1/32", "set policy prefix-list BGP rule 30 action deny")
				},
			},
			{ // one rule edited: exactly that rule updated, in place
				Config: cfg(seed004PrefixList("192.0.2.2/32")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pl, plancheck.ResourceActionUpdate),
					expectRuleChanges{pl, map[string]string{"20": "update"}},
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(pl, `rules.20.prefix`, "192.0.2.2/32"),
					func(*terraform.State) error {
						return sim.CheckHas("set policy prefix-list BGP rule 20 prefix 192.0.2.2/32", "set policy prefix-list BGP rule 110 prefix 172.16.0.0/22")
					},
				),
			},
			{ // import by id gives the same state
				Config:            cfg(seed004PrefixList("192.0.2.2/32")),
				ResourceName:      pl,
				ImportState:       true,
				ImportStateId:     "default/BGP",
				ImportStateVerify: true,
			},
		},
	})
}

// A key that is not a sequence number is an error on that key.
func TestAccPrefixListRuleKeys(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	for _, c := range []struct{ key, want string }{
		{`"010"`, `rules\["010"\]: "010" is not a rule sequence number`},
		{`0`, `rules\["0"\]: "0" is not a rule sequence number`},
		{`"65536"`, `rules\["65536"\]`},
		{`"ten"`, `rules\["ten"\]`},
	} {
		t.Run(c.key, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				Steps: []resource.TestStep{{
					Config: sim.ProviderBlock() + hcl(`
resource "onpremvpn_prefix_list" "p" {
  name  = "P"
  rules = { %s = { action = "permit", prefix = "10.0.0.0/8" } }
}
`, c.key),
					ExpectError: regexp.MustCompile(c.want),
				}},
			})
		})
	}
}
