package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// An option the platform does not declare, or a value it refuses, fails the plan, at the top level and in the
// devices map, naming the device and the option, before anything is sent to the device; an
// empty map changes nothing.
func TestAccEdgeOSOptions(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	cases := []struct{ name, provider, want string }{
		{"top level", fmt.Sprintf(`provider "onpremvpn" {
  %s
  options = { flavor = "srx" }
}`, sim.DeviceArgs()), `device "default": option "flavor" is unknown: platform edgeos takes\s+"commit_confirmed_minutes"`},
		{"devices map", fmt.Sprintf(`provider "onpremvpn" {
  %s
  devices = {
    branch = {
      %s
      options = { lock = "exclusive" }
    }
  }
}`, sim.DeviceArgs(), sim.DeviceArgs()), `device "branch": option "lock" is unknown: platform edgeos takes\s+"commit_confirmed_minutes"`},
		{"bad value", fmt.Sprintf(`provider "onpremvpn" {
  %s
  options = { commit_confirmed_minutes = "0" }
}`, sim.DeviceArgs()), `device "default": option "commit_confirmed_minutes": "0" is not a number of\s+minutes between 1 and 1440`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				Steps: []resource.TestStep{{
					Config:      c.provider + prefixListHCL,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(c.want),
				}},
			})
		})
	}
	if n := len(sim.CommandLog()); n != 0 {
		t.Fatalf("the device received %d commands from misconfigured providers", n)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`provider "onpremvpn" {
  %s
  options = {}
}`, sim.DeviceArgs()) + prefixListHCL,
		}},
	})
}
