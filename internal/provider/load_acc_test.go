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

// loadPlatforms are the platforms of the load test's fleet, used in turn.
var loadPlatforms = []struct {
	name, base string
	// line matches the device line that holds prefix list LOAD-<n>'s prefix.
	line string
}{
	{"edgeos", acctest.EdgeOSBase, `^set policy prefix-list LOAD-(\d+) rule 1 prefix 10\.(\d+)\.0\.0/16$`},
	{"junos", acctest.JunosSRXBase, `^set policy-options prefix-list LOAD-(\d+) 10\.(\d+)\.0\.0/16$`},
}

// Load: 20 simulated devices x 50 resources in one apply: no error, every object on its
// device, one SSH session per device for the whole run (plan, apply, refresh and destroy) and
// none left open beyond it, and a second plan that is empty (state equals the devices).
// terraform-plugin-testing runs the CLI through terraform-exec, which always passes
// -parallelism=10 (TF_CLI_ARGS_* cannot change it), so this runs at Terraform's default
// parallelism; other parallelisms need the real CLI (the benchmark harness).
func TestAccLoadTwentyDevices(t *testing.T) {
	const devices, perDevice = 20, 50
	for _, parallelism := range []int{10} {
		t.Run(fmt.Sprintf("parallelism %d", parallelism), func(t *testing.T) {
			sims := make([]*acctest.Sim, devices)
			var cfg strings.Builder
			cfg.WriteString("provider \"onpremvpn\" {\n  devices = {\n")
			for i := range sims {
				p := loadPlatforms[i%len(loadPlatforms)]
				sims[i] = acctest.Start(t, p.name, p.base)
				fmt.Fprintf(&cfg, "    d%02d = {\n      %s\n    }\n", i, strings.ReplaceAll(sims[i].DeviceArgs(), "\n", "\n    "))
			}
			cfg.WriteString("  }\n}\n")
			for i := range sims {
				fmt.Fprintf(&cfg, `
resource "onpremvpn_prefix_list" "d%02[1]d" {
  count  = %[2]d
  device = "d%02[1]d"
  name   = "LOAD-${count.index}"
  rules  = { 1 = { action = "permit", prefix = "10.${count.index}.0.0/16" } }
}
`, i, perDevice)
			}
			onDevices := func(*terraform.State) error {
				for i, sim := range sims {
					re := regexp.MustCompile(loadPlatforms[i%len(loadPlatforms)].line)
					found := map[string]bool{}
					for l := range sim.Lines() {
						if m := re.FindStringSubmatch(l); m != nil && m[1] == m[2] {
							found[m[1]] = true
						}
					}
					if len(found) != perDevice {
						return fmt.Errorf("device d%02d holds %d of the %d prefix lists", i, len(found), perDevice)
					}
				}
				return nil
			}
			oneSession := func(*terraform.State) error {
				for i, sim := range sims {
					if st := sim.Stats(); st.Connections != 1 || st.Open > 1 {
						return fmt.Errorf("device d%02d: %d SSH logins, %d open; want the process's one session", i, st.Connections, st.Open)
					}
				}
				return nil
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				CheckDestroy: func(*terraform.State) error {
					for i, sim := range sims {
						if err := sim.CheckNone("LOAD-"); err != nil {
							return fmt.Errorf("device d%02d: %v", i, err)
						}
					}
					return oneSession(nil)
				},
				Steps: []resource.TestStep{
					{
						Config: cfg.String(),
						Check:  resource.ComposeAggregateTestCheckFunc(onDevices, oneSession),
					},
					{
						Config:           cfg.String(),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						Check:            oneSession,
					},
				},
			})
		})
	}
}
