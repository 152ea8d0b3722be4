package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// The seed 004 EdgeRouter-to-Azure configuration passes Azure-aware checks for a route-based
// VPN Gateway even as errors; the same configuration aimed at Virtual WAN fails at plan on the
// IPsec SA lifetime, naming the attribute and Azure's value, before anything reaches the
// device; as warnings (the default severity) the plan goes on and the apply works.
func TestAccAzureChecks(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	provider := func(azure string) string {
		return fmt.Sprintf("provider \"onpremvpn\" {\n  %s\n  azure = %s\n}\n", sim.DeviceArgs(), azure)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config:      provider(`{ target = "virtual_wan", severity = "error" }`) + seed004HCL,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Azure \(virtual_wan\) would not match this vpn_tunnel.*lifetime:\s+Virtual\s+WAN\s+uses\s+an\s+IPsec\s+SA\s+lifetime\s+of\s+3600\s+seconds`),
			},
			{
				Config:      provider(`{ target = "azure_stack" }`) + seed004HCL,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)azure.target.*value must be one of`),
			},
			{
				PreConfig: func() {
					if n := len(sim.CommandLog()); n > 0 && strings.Contains(strings.Join(sim.CommandLog(), "\n"), "commit") {
						t.Fatal("a plan that failed its Azure checks reached the device's configuration")
					}
				},
				Config: provider(`{ target = "vpn_gateway", severity = "error" }`) + seed004HCL,
				Check:  func(*terraform.State) error { return sim.CheckHas(seedLines()...) },
			},
			{ // warnings do not stop the plan
				Config:   provider(`{ target = "virtual_wan" }`) + seed004HCL,
				PlanOnly: true,
			},
		},
	})
}
