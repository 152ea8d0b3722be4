package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// The legacy SSH algorithms ScreenOS needs (SHA-1 key exchanges, CBC ciphers, ssh-dss host
// keys) are offered to ScreenOS devices only: in one provider block with a ScreenOS device,
// an EdgeOS device block pointed at the same legacy-only SSH server finds no common
// algorithm and fails before logging in, while the ScreenOS block reaches it.
func TestAccLegacyAlgorithmsStayWithTheirPlatform(t *testing.T) {
	sim := acctest.Start(t, "screenos", acctest.ScreenOSBase("ssg5"))
	asEdgeOS := strings.Replace(sim.DeviceArgs(), `platform = "screenos"`, `platform = "edgeos"`, 1)
	if asEdgeOS == sim.DeviceArgs() {
		t.Fatal("the device arguments name no platform")
	}
	provider := fmt.Sprintf(`provider "onpremvpn" {
  devices = {
    fw = {
      %s
    }
    edge = {
      %s
    }
  }
}
`, strings.ReplaceAll(sim.DeviceArgs(), "\n", "\n    "), strings.ReplaceAll(asEdgeOS, "\n", "\n    "))
	list := func(device string) string {
		return fmt.Sprintf(`
resource "onpremvpn_prefix_list" %[1]q {
  device = %[1]q
  name   = "LEGACY-%[1]s"
  rules  = { 10 = { action = "permit", prefix = "10.1.0.0/16" } }
}
`, device)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{ // the ScreenOS device block speaks the device's algorithms
				Config:             provider + list("fw"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{ // the EdgeOS block offers none of them: no session
				Config:      provider + list("edge"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)device "edge".*(handshake|no common algorithm)`),
			},
		},
	})
	for _, c := range sim.CommandLog() {
		if strings.Contains(c, "LEGACY-edge") {
			t.Fatalf("the EdgeOS block reached the device: %q", c)
		}
	}
}
