package provider_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// lifecycle describes one resource's full acceptance test on one platform. Every resource on
// every platform runs the same steps: create and read back, import with the CLI and with an
// import block, update in place, drift repaired, deleted outside Terraform recreated, destroy.
type lifecycle struct {
	platform string
	initial  string // device configuration before the test
	options  string // the device's options map entries (HCL), e.g. `flavor = "mx"`; none when empty
	address  string // resource address under test, e.g. onpremvpn_prefix_list.test
	importID string
	// importIgnore lists attributes import cannot know (write-only values).
	importIgnore []string
	// importWritesSecret is the secret attribute (pre_shared_key, password) of a platform that
	// prints it one-way: the plan after an import block writes the configured secret once
	// (nothing was captured to compare it with) and changes nothing else.
	importWritesSecret string
	// v1 and v2 are the HCL (without provider block); v2 changes the resource in place.
	v1, v2 string
	// linesV1 and linesV2 are configuration lines the device must show after each apply.
	linesV1, linesV2 []string
	// patternsV2 are regexps that some device line must match after every v2 apply, where
	// exact lines depend on device-assigned numbers.
	patternsV2 []string
	// linesUpdate are lines the device must show right after the in-place update only.
	linesUpdate []string
	// absentV2 are fragments no device line may contain after v2 (what the update removed).
	absentV2 []string
	// drift changes the device behind Terraform's back so that v2 no longer holds.
	drift []string
	// deleteOutside removes the object on the device behind Terraform's back.
	deleteOutside []string
	// gone are fragments no device line may contain after destroy.
	gone []string
}

func (lc lifecycle) run(t *testing.T) {
	sim := acctest.Start(t, lc.platform, lc.initial)
	provider := sim.ProviderBlock()
	if lc.options != "" {
		provider = fmt.Sprintf("provider \"onpremvpn\" {\n  %s\n  options = { %s }\n}\n", sim.DeviceArgs(), lc.options)
	}
	cfg := func(body string) string { return provider + body }
	has := func(lines []string) resource.TestCheckFunc {
		return func(*terraform.State) error { return sim.CheckHas(lines...) }
	}
	hasV2 := resource.ComposeAggregateTestCheckFunc(has(lc.linesV2),
		func(*terraform.State) error { return sim.CheckMatch(lc.patternsV2...) })
	updates := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(lc.address, plancheck.ResourceActionUpdate)}}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		CheckDestroy: func(*terraform.State) error {
			return sim.CheckNone(lc.gone...)
		},
		Steps: []resource.TestStep{
			{ // create, read back
				Config: cfg(lc.v1),
				Check: resource.ComposeAggregateTestCheckFunc(
					has(lc.linesV1),
					resource.TestCheckResourceAttr(lc.address, "id", lc.importID),
				),
			},
			{ // import with the CLI
				Config:                  cfg(lc.v1),
				ResourceName:            lc.address,
				ImportState:             true,
				ImportStateId:           lc.importID,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: lc.importIgnore,
			},
			{ // import with an import block
				Config:             cfg(lc.v1),
				ResourceName:       lc.address,
				ImportState:        true,
				ImportStateKind:    resource.ImportBlockWithID,
				ImportStateId:      lc.importID,
				ExpectNonEmptyPlan: lc.importWritesSecret != "",
				ImportPlanChecks:   resource.ImportPlanChecks{PreApply: onlySecretChanges(lc.address, lc.importWritesSecret)},
			},
			{ // update in place
				Config:           cfg(lc.v2),
				ConfigPlanChecks: updates,
				Check: resource.ComposeAggregateTestCheckFunc(
					hasV2,
					has(lc.linesUpdate),
					func(*terraform.State) error { return sim.CheckNone(lc.absentV2...) },
				),
			},
			{ // drift shows in the plan
				PreConfig:          func() { sim.MustApply(t, lc.drift...) },
				Config:             cfg(lc.v2),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{ // and apply repairs it
				Config:           cfg(lc.v2),
				ConfigPlanChecks: updates,
				Check:            hasV2,
			},
			{ // deleted outside Terraform: recreated
				PreConfig: func() { sim.MustApply(t, lc.deleteOutside...) },
				Config:    cfg(lc.v2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(lc.address, plancheck.ResourceActionCreate),
				}},
				Check: hasV2,
			},
		},
	})
}

func hcl(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// onlySecretChanges is, for a non-empty secret attribute, a plan check that address changes
// that attribute and nothing else; none otherwise.
func onlySecretChanges(address, secret string) []plancheck.PlanCheck {
	if secret == "" {
		return nil
	}
	return []plancheck.PlanCheck{onlyChanges{address, []string{secret}}}
}

// onlyChanges fails unless the plan updates address in place and every attribute whose planned
// value differs from the prior one is one of attrs.
type onlyChanges struct {
	address string
	attrs   []string
}

func (c onlyChanges) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.address {
			continue
		}
		if !rc.Change.Actions.Update() {
			resp.Error = fmt.Errorf("%s: planned %v, want an in-place update of %v only", c.address, rc.Change.Actions, c.attrs)
			return
		}
		before, _ := rc.Change.Before.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		for k, v := range after {
			if !reflect.DeepEqual(before[k], v) && !slices.Contains(c.attrs, k) {
				resp.Error = fmt.Errorf("%s: %s changes from %v to %v; only %v may change", c.address, k, before[k], v, c.attrs)
				return
			}
		}
		return
	}
	resp.Error = fmt.Errorf("%s: not in the plan", c.address)
}
