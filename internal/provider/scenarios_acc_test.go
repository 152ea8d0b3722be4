package provider_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// The scenario examples (examples/scenarios/<name>/): each holds both sides of one seed
// scenario in one configuration. azure.tf is the azurerm side and ends with the `locals` the
// router side takes from Azure; providers.tf and versions.tf configure the providers; every
// other .tf file is the router side. azurerm cannot run here, so the test replaces azure.tf,
// providers.tf and versions.tf by the simulator's provider block and the Azure values a real
// apply would produce, applies the router side against the simulator of the scenario's
// platform, checks the device's configuration and that a second plan is empty.

// scenario is one directory of examples/scenarios.
type scenario struct {
	platform, initial string
	// options are the device options (HCL map entries) the scenario needs on the simulator.
	options string
	// azure is the `locals` block standing for azure.tf: the values azurerm would give.
	azure string
	// vars are the values of the variables without a default (and any to override).
	vars map[string]string
	// lines are configuration lines the device must hold afterwards.
	lines []string
}

// scenarios maps each directory of examples/scenarios to its test. A directory without an
// entry fails TestAccScenarios.
var scenarios = map[string]scenario{
	"edgerouter-bgp-vti": {
		platform: "edgeos", initial: acctest.EdgeOSBase,
		azure: `locals {
  azure_gateway_ip  = "192.0.2.1"
  azure_bgp_address = "172.16.0.254"
  azure_asn         = 65515
  azure_prefixes    = ["172.16.0.0/22"]
}
`,
		vars: map[string]string{"router_host": "unused", "router_password": "unused", "shared_key": "scenario-Secret-004"},
		lines: []string{
			"set vpn ipsec site-to-site peer 192.0.2.1 authentication pre-shared-secret scenario-Secret-004",
			"set vpn ipsec site-to-site peer 192.0.2.1 local-address 203.0.113.1",
			"set vpn ipsec site-to-site peer 192.0.2.1 vti bind vti0",
			"set protocols static interface-route 172.16.0.254/32 next-hop-interface vti0",
			"set policy prefix-list AZURE rule 200 prefix 172.16.0.0/22",
			"set protocols bgp 65510 neighbor 172.16.0.254 remote-as 65515",
			"set protocols bgp 65510 neighbor 172.16.0.254 update-source 192.168.1.1",
			"set protocols bgp 65510 network 192.168.1.0/24",
		},
	},
	"junos-mx-services-ipsec": {
		platform: "junos", initial: acctest.JunosMXBase, options: mxOptions,
		azure: `locals {
  azure_gateway_ip = "192.0.2.10"
  azure_prefix     = "10.20.0.0/16"
}
`,
		vars: map[string]string{"router_host": "unused", "router_password": "unused", "shared_key": "scenario-Secret-003"},
		lines: []string{
			"set services ipsec-vpn ike policy IKE-AZURE mode main",
			"set services ipsec-vpn rule VPN-AZURE term 1 from source-address 10.0.1.0/30",
			"set services ipsec-vpn rule VPN-AZURE term 1 from destination-address 10.20.0.0/16",
			"set services ipsec-vpn rule VPN-AZURE term 1 then remote-gateway 192.0.2.10",
			"set services ipsec-vpn rule VPN-AZURE term 1 then clear-dont-fragment-bit",
			"set services service-set VPN-AZURE next-hop-service inside-service-interface ms-1/2/0.1",
			"set services service-set VPN-AZURE next-hop-service outside-service-interface ms-1/2/0.2",
			"set services service-set VPN-AZURE ipsec-vpn-options local-gateway 203.0.113.2",
			"set routing-options static route 10.20.0.0/16 next-hop ms-1/2/0.1",
		},
	},
}

// scenarioDirs lists the directories of examples/scenarios.
func scenarioDirs(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join("..", "..", "examples", "scenarios"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// routerSide returns the scenario's .tf files but azure.tf, providers.tf and versions.tf,
// concatenated.
func routerSide(t *testing.T, dir string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "examples", "scenarios", dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var b strings.Builder
	for _, f := range files {
		switch filepath.Base(f) {
		case "azure.tf", "providers.tf", "versions.tf":
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "# %s\n%s\n", filepath.Base(f), src)
	}
	return b.String()
}

func TestAccScenarios(t *testing.T) {
	for _, dir := range scenarioDirs(t) {
		sc, ok := scenarios[dir]
		if !ok {
			t.Errorf("examples/scenarios/%s has no test: add it to the scenarios table", dir)
			continue
		}
		t.Run(dir, func(t *testing.T) {
			for _, f := range []string{"azure.tf", "providers.tf", "versions.tf", "variables.tf"} {
				if _, err := os.Stat(filepath.Join("..", "..", "examples", "scenarios", dir, f)); err != nil {
					t.Errorf("the scenario lacks %s", f)
				}
			}
			sim := acctest.Start(t, sc.platform, sc.initial)
			provider := sim.ProviderBlock()
			if sc.options != "" {
				provider = fmt.Sprintf("provider \"onpremvpn\" {\n  %s\n  options = { %s }\n}\n", sim.DeviceArgs(), sc.options)
			}
			vars := config.Variables{}
			for k, v := range sc.vars {
				vars[k] = config.StringVariable(v)
			}
			cfg := provider + sc.azure + routerSide(t, dir)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				Steps: []resource.TestStep{
					{
						Config:          cfg,
						ConfigVariables: vars,
						Check:           func(*terraform.State) error { return sim.CheckHas(sc.lines...) },
					},
					{
						Config:           cfg,
						ConfigVariables:  vars,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					},
				},
			})
		})
	}
}

// Every example is formatted as `terraform fmt` writes it.
func TestAccExamplesFormatted(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run with TF_ACC=1, as resource.Test does")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH is not set")
	}
	out, err := exec.Command(cli, "fmt", "-check", "-recursive", "-diff", filepath.Join("..", "..", "examples")).CombinedOutput()
	if err != nil {
		t.Fatalf("terraform fmt -check: %v\n%s", err, out)
	}
}
