package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// show_commands puts the CLI in the plan: each resource that changes shows, as a warning,
// the lines its change sends (secrets masked), for creates, updates and destroys; unchanged
// resources show nothing. Azure-aware checks in warning mode show up the same way.
func TestAccEdgeOSShowCommands(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	provider := fmt.Sprintf("provider \"onpremvpn\" {\n  %s\n  show_commands = true\n  azure = { target = \"virtual_wan\" }\n}\n", sim.DeviceArgs())
	rec := newDiagRecorder()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{
			{
				Config: provider + seed004HCL,
				Check:  func(*terraform.State) error { return sim.CheckHas(seedLines()...) },
			},
			{ // an update of one rule
				Config: provider + strings.Replace(seed004HCL, `prefix = "172.16.0.0/22"`, `prefix = "172.16.0.0/21"`, 1),
			},
			{ // destroy everything
				Config: provider,
			},
		},
	})
	checks := [][]string{
		{`^Commands for create vpn_tunnel "FOO0" on device "default": `, `set vpn ipsec site-to-site peer 192\.0\.2\.1 authentication pre-shared-secret \*+`},
		{`^Commands for create prefix_list "BGP" on device "default": `, `set policy prefix-list BGP rule 110 prefix 172\.16\.0\.0/22`},
		{`^Commands for create ike_gateway "FOO0" on device "default": No lines: `},
		{`^Commands for update prefix_list "BGP" on device "default": `, `set policy prefix-list BGP rule 110 prefix 172\.16\.0\.0/21`},
		{`^Commands for delete bgp_neighbor "172\.16\.0\.254" on device "default": `, `delete protocols bgp 65510`},
		{`^Azure \(virtual_wan\) would not match this vpn_tunnel \(device "default"\): lifetime: Virtual WAN uses an IPsec SA lifetime of 3600 seconds`},
	}
	for _, patterns := range checks {
		if err := rec.check(patterns...)(); err != nil {
			t.Error(err)
		}
	}
	for _, w := range rec.recorded() {
		if strings.Contains(w, "seed-Secret-004") {
			t.Fatalf("a warning shows the pre-shared key:\n%s", w)
		}
		if strings.HasPrefix(w, `Commands for update bgp_neighbor`) || strings.HasPrefix(w, `Commands for update vpn_tunnel`) {
			t.Errorf("an unchanged resource showed commands: %s", w)
		}
	}
}
