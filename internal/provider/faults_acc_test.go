package provider_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

const prefixListHCL = `
resource "onpremvpn_prefix_list" "bgp" {
  name  = "BGP"
  rules = {
    10  = { action = "deny", prefix = "203.0.113.1/32" }
    100 = { action = "permit", prefix = "192.168.1.0/24" }
  }
}
`

func unchanged(sim *acctest.Sim, before string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if after := sim.RunningConfig(); after != before {
			return fmt.Errorf("device changed:\nbefore:\n%s\nafter:\n%s", before, after)
		}
		return nil
	}
}

// discarded checks that the provider threw the failed candidate away and left configuration
// mode, so that nothing of it can ride along with a later commit.
func discarded(sim *acctest.Sim) resource.TestCheckFunc {
	return func(*terraform.State) error {
		log := strings.Join(sim.CommandLog(), "\n")
		if !strings.Contains(log, "\ndiscard\nexit discard") {
			return fmt.Errorf("no discard / exit discard after the failure; commands:\n%s", log)
		}
		return nil
	}
}

// A commit the device refuses leaves nothing behind, and the error carries the device's name
// and its own words.
func TestAccEdgeOSFaultCommitFails(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	before := sim.RunningConfig()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { sim.FailNextCommit("Policy configuration error: injected failure") },
				Config:      sim.ProviderBlock() + prefixListHCL,
				ExpectError: regexp.MustCompile(`(?s)device "default" \(127\.0\.0\.1:\d+\).*command "commit" failed.*injected failure`),
			},
			{ // nothing was half-applied: the candidate was discarded (an apply of nothing, so
				// that the check runs; plugin-testing skips checks of plan-only steps)
				Config: sim.ProviderBlock(),
				Check:  resource.ComposeAggregateTestCheckFunc(unchanged(sim, before), discarded(sim)),
			},
			{ // and the same configuration applies once the device accepts it
				Config: sim.ProviderBlock() + prefixListHCL,
				Check: func(*terraform.State) error {
					return sim.CheckHas("set policy prefix-list BGP rule 100 prefix 192.168.1.0/24")
				},
			},
		},
	})
}

// A command the device rejects is named in the error with the device's message, and the
// transaction is discarded.
func TestAccEdgeOSFaultSetFails(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	before := sim.RunningConfig()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					sim.FailCommand("rule 100 prefix", "\n  Configuration path: policy prefix-list BGP rule 100 [prefix] is not valid\n  Set failed\n")
				},
				Config:      sim.ProviderBlock() + prefixListHCL,
				ExpectError: regexp.MustCompile(`command "set\s+policy\s+prefix-list\s+BGP\s+rule\s+100\s+prefix\s+192\.168\.1\.0/24"\s+failed:\s+Configuration\s+path:\s+policy\s+prefix-list\s+BGP\s+rule\s+100\s+\[prefix\]\s+is\s+not\s+valid`),
			},
			{ // an apply of nothing, so that the check runs
				PreConfig: sim.ClearFaults,
				Config:    sim.ProviderBlock(),
				Check:     resource.ComposeAggregateTestCheckFunc(unchanged(sim, before), discarded(sim)),
			},
		},
	})
}

// A session that drops in the middle of a transaction is reopened and the batch applied again
// from a fresh read, so the apply succeeds and nothing is applied twice.
func TestAccEdgeOSFaultConnectionDropped(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			// Plan reads the configuration over the first session; the drop then hits the
			// apply's transaction.
			PreConfig: func() { sim.DropAfter(6) },
			Config:    sim.ProviderBlock() + prefixListHCL,
			Check: resource.ComposeAggregateTestCheckFunc(
				func(*terraform.State) error {
					return sim.CheckHas("set policy prefix-list BGP rule 10 action deny", "set policy prefix-list BGP rule 100 prefix 192.168.1.0/24")
				},
				func(*terraform.State) error {
					if c := sim.Stats().Connections; c < 2 {
						return fmt.Errorf("%d SSH logins: the dropped session was not replaced", c)
					}
					return nil
				},
			),
		}},
	})
}

// A device that presents another host key than the pinned one is refused before anything is
// sent.
func TestAccEdgeOSFaultWrongHostKey(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	other, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	wrong := strings.Replace(sim.ProviderBlock(), sim.HostKeyLine(), strings.TrimSpace(string(ssh.MarshalAuthorizedKey(other))), 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config:      wrong + prefixListHCL,
			ExpectError: regexp.MustCompile(`(?i)host key`),
		}},
	})
	if n := len(sim.CommandLog()); n != 0 {
		t.Fatalf("the device received %d commands over an unverified connection", n)
	}
}

// A device that refuses more than one session still works: the provider uses one.
func TestAccEdgeOSFaultSessionLimit(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase, func(o *simulator.Options) { o.MaxSessions = 1 })
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: sim.ProviderBlock() + seed004HCL,
			Check:  func(*terraform.State) error { return sim.CheckHas(seedLines()...) },
		}},
	})
}

// Plan-time validation, with the platform known: values EdgeOS cannot express, malformed
// prefixes, attempted CLI injection, unknown devices and objects that already exist.
func TestAccEdgeOSPlanValidation(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.Seed004)
	cases := []struct {
		name, body string
		want       string
	}{
		{"cipher EdgeOS lacks", strings.Replace(gatewayHCL(28800, ""), `"aes256"`, `"aes192"`, 1) + tunnelHCL(27000, ""), `aes192`},
		{"host bits set", `
resource "onpremvpn_static_route" "r" {
  destination      = "10.1.2.3/16"
  tunnel_interface = "vti0"
}`, `did you mean 10\.1\.0\.0/16`},
		{"injection in a description", `
resource "onpremvpn_prefix_list" "p" {
  name  = "X"
  rules = { 1 = { action = "permit", prefix = "10.0.0.0/8", description = "a\nset system login user evil" } }
}`, `line break`},
		{"injection in a name", `
resource "onpremvpn_prefix_list" "p" {
  name  = "X; delete vpn"
  rules = { 1 = { action = "permit", prefix = "10.0.0.0/8" } }
}`, `may contain only letters`},
		{"unknown device", `
resource "onpremvpn_prefix_list" "p" {
  device = "branch-7"
  name   = "X"
  rules  = { 1 = { action = "permit", prefix = "10.0.0.0/8" } }
}`, `unknown device "branch-7"`},
		{"already on the device", `
resource "onpremvpn_prefix_list" "p" {
  name  = "BGP"
  rules = { 1 = { action = "permit", prefix = "10.0.0.0/8" } }
}`, `(?s)already exists on device "default".*default/BGP`},
		{"source route without table", `
resource "onpremvpn_source_route" "s" {
  source           = "192.168.50.0/24"
  tunnel_interface = "vti0"
}`, `table`},
	}
	before := sim.RunningConfig()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				Steps: []resource.TestStep{{
					Config:      sim.ProviderBlock() + c.body,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(c.want),
				}},
			})
		})
	}
	if after := sim.RunningConfig(); after != before {
		t.Fatalf("plan-time validation changed the device")
	}
}

// One provider block drives two routers through the `devices` map; resources pick one with
// `device` (here with count), and data sources too.
func TestAccEdgeOSDevicesMap(t *testing.T) {
	a := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	b := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	cfg := devicesProvider(a, b) + `
# One resource block, one instance per router. (for_each works the same way, but
# terraform-plugin-testing's legacy state shim cannot hold for_each instances.)
resource "onpremvpn_prefix_list" "lan" {
  count  = 2
  device = ["site-a", "site-b"][count.index]
  name   = "LAN"
  rules  = { 10 = { action = "permit", prefix = ["10.1.0.0/16", "10.2.0.0/16"][count.index] } }
}

data "onpremvpn_device" "b" {
  device = "site-b"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		CheckDestroy: func(*terraform.State) error {
			if err := a.CheckNone("prefix-list LAN"); err != nil {
				return err
			}
			return b.CheckNone("prefix-list LAN")
		},
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				deviceCheck(func() error { return a.CheckHas("set policy prefix-list LAN rule 10 prefix 10.1.0.0/16") }),
				deviceCheck(func() error { return b.CheckHas("set policy prefix-list LAN rule 10 prefix 10.2.0.0/16") }),
				deviceCheck(func() error { return a.CheckNone("10.2.0.0/16") }),
				statecheck.ExpectKnownValue("onpremvpn_prefix_list.lan[1]", tfjsonpath.New("id"), knownvalue.StringExact("site-b/LAN")),
				statecheck.ExpectKnownValue("data.onpremvpn_device.b", tfjsonpath.New("platform"), knownvalue.StringExact("edgeos")),
				statecheck.ExpectKnownValue("data.onpremvpn_device.b", tfjsonpath.New("version"), knownvalue.StringRegexp(regexp.MustCompile(`^v\d`))),
				statecheck.ExpectKnownValue("data.onpremvpn_device.b", tfjsonpath.New("model"), knownvalue.StringRegexp(regexp.MustCompile(`EdgeRouter`))),
			},
		}},
	})
}

// Import ids name the device of the `devices` map.
func TestAccEdgeOSDevicesMapImport(t *testing.T) {
	a := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	b := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	cfg := devicesProvider(a, b) + `
resource "onpremvpn_prefix_list" "b" {
  device = "site-b"
  name   = "B-ONLY"
  rules  = { 10 = { action = "deny", prefix = "0.0.0.0/0", le = 32 } }
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error { return b.CheckHas("set policy prefix-list B-ONLY rule 10 le 32") },
					func(*terraform.State) error { return a.CheckNone("B-ONLY") },
				),
			},
			{
				Config:            cfg,
				ResourceName:      "onpremvpn_prefix_list.b",
				ImportState:       true,
				ImportStateId:     "site-b/B-ONLY",
				ImportStateVerify: true,
			},
			{
				Config:        cfg,
				ResourceName:  "onpremvpn_prefix_list.b",
				ImportState:   true,
				ImportStateId: "site-a/B-ONLY",
				ExpectError:   regexp.MustCompile(`Cannot import non-existent remote object`),
			},
		},
	})
}

func devicesProvider(a, b *acctest.Sim) string {
	return fmt.Sprintf(`
provider "onpremvpn" {
  devices = {
    site-a = {
      %s
    }
    site-b = {
      %s
    }
  }
}
`, a.DeviceArgs(), b.DeviceArgs())
}

// No pre-shared key or password reaches the logs, at TRACE, from the CLI or the provider; the
// running_config data source masks them too.
func TestAccEdgeOSSecretsNotLogged(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	dir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(dir, "%s.log"))
	secrets := []string{"initial-Secret-1", "rotated-Secret-2", "changed-On-Device", acctest.Password}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: sim.ProviderBlock() + gatewayHCL(28800, "") + tunnelHCL(27000, "")},
			{
				Config: sim.ProviderBlock() + strings.Replace(gatewayHCL(28800, ""), "initial-Secret-1", "rotated-Secret-2", 1) + tunnelHCL(27000, "") + `
data "onpremvpn_running_config" "now" {
  depends_on = [onpremvpn_vpn_tunnel.azure]
}
`,
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error {
						return sim.CheckHas("set vpn ipsec site-to-site peer 192.0.2.1 authentication pre-shared-secret rotated-Secret-2")
					},
					resource.TestMatchResourceAttr("data.onpremvpn_running_config.now", "text", regexp.MustCompile(`pre-shared-secret \*+`)),
					func(s *terraform.State) error {
						text := s.RootModule().Resources["data.onpremvpn_running_config.now"].Primary.Attributes["text"]
						if strings.Contains(text, "rotated-Secret-2") {
							return fmt.Errorf("running_config shows the pre-shared key")
						}
						return nil
					},
				),
			},
			{ // a pre-shared key changed on the device shows as drift (a sensitive diff)...
				PreConfig: func() {
					sim.MustApply(t, "set vpn ipsec site-to-site peer 192.0.2.1 authentication pre-shared-secret changed-On-Device")
				},
				Config:             sim.ProviderBlock() + strings.Replace(gatewayHCL(28800, ""), "initial-Secret-1", "rotated-Secret-2", 1) + tunnelHCL(27000, ""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{ // ...that apply repairs
				Config: sim.ProviderBlock() + strings.Replace(gatewayHCL(28800, ""), "initial-Secret-1", "rotated-Secret-2", 1) + tunnelHCL(27000, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("onpremvpn_ike_gateway.azure", plancheck.ResourceActionUpdate),
					plancheck.ExpectSensitiveValue("onpremvpn_ike_gateway.azure", tfjsonpath.New("pre_shared_key")),
				}},
				Check: func(*terraform.State) error {
					return sim.CheckHas("set vpn ipsec site-to-site peer 192.0.2.1 authentication pre-shared-secret rotated-Secret-2")
				},
			},
		},
	})
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	var all strings.Builder
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	logs := withoutHarnessRecords(all.String())
	// The logs must be real and hold the pushed commands (masked), or this test proves nothing.
	if !strings.Contains(logs, "applying configuration") || !strings.Contains(logs, "pre-shared-secret") {
		t.Fatalf("TRACE logs (%d bytes in %d files) do not show the provider's configuration pushes", len(logs), len(files))
	}
	for i, s := range secrets {
		if at := strings.Index(logs, s); at >= 0 {
			lo, hi := max(0, at-300), min(len(logs), at+len(s)+100)
			t.Errorf("secret #%d appears in the TRACE logs %d times; first in:\n%s", i, strings.Count(logs, s),
				strings.ReplaceAll(logs[lo:hi], s, "<SECRET>"))
		}
	}
}

// The write-only pre-shared key never reaches state; a key changed on the device shows as
// drift; bumping the version pushes a new key. Write-only attributes need Terraform 1.11+ or
// OpenTofu 1.11+, so this runs under OpenTofu here.
func TestAccEdgeOSWriteOnlyPreSharedKey(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	wo := func(key string, version int) string {
		return sim.ProviderBlock() + strings.Replace(gatewayHCL(28800, fmt.Sprintf("pre_shared_key_wo = %q\n  pre_shared_key_wo_version = %d", key, version)),
			`pre_shared_key  = "initial-Secret-1"`, "", 1) + tunnelHCL(27000, "")
	}
	peer := "set vpn ipsec site-to-site peer 192.0.2.1 authentication pre-shared-secret "
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config: wo("wo-Secret-1", 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("onpremvpn_ike_gateway.azure", tfjsonpath.New("pre_shared_key_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue("onpremvpn_ike_gateway.azure", tfjsonpath.New("pre_shared_key"), knownvalue.Null()),
					statecheck.ExpectKnownValue("onpremvpn_ike_gateway.azure", tfjsonpath.New("pre_shared_key_wo_version"), knownvalue.Int64Exact(1)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error { return sim.CheckHas(peer + "wo-Secret-1") },
					func(s *terraform.State) error {
						for _, r := range s.RootModule().Resources {
							for k, v := range r.Primary.Attributes {
								if strings.Contains(v, "wo-Secret-1") {
									return fmt.Errorf("state attribute %s holds the write-only key", k)
								}
							}
						}
						return nil
					},
				),
			},
			{ // changed on the device: the plan shows it
				PreConfig:          func() { sim.MustApply(t, peer+"changed-On-Device") },
				Config:             wo("wo-Secret-1", 1),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{ // and apply puts the configured key back
				Config: wo("wo-Secret-1", 1),
				Check:  func(*terraform.State) error { return sim.CheckHas(peer + "wo-Secret-1") },
			},
			{ // a new version pushes a new key
				Config: wo("wo-Secret-2", 2),
				Check:  func(*terraform.State) error { return sim.CheckHas(peer + "wo-Secret-2") },
			},
		},
	})
}

var logRecordStart = regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT\S+ \[[A-Z]+\] `)

// withoutHarnessRecords drops the records terraform-plugin-testing itself writes (module
// sdk.helper_resource): they echo the test's own HCL, secrets included, and are not written
// by Terraform or the provider.
func withoutHarnessRecords(logs string) string {
	starts := logRecordStart.FindAllStringIndex(logs, -1)
	var b strings.Builder
	for i, st := range starts {
		end := len(logs)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		rec := logs[st[0]:end]
		if strings.HasPrefix(rec[st[1]-st[0]:], "sdk.helper_resource:") {
			continue
		}
		b.WriteString(rec)
	}
	return b.String()
}

// deviceCheck runs a check of the simulator as a state check (usable with for_each).
func deviceCheck(f func() error) statecheck.StateCheck { return deviceStateCheck(f) }

type deviceStateCheck func() error

func (c deviceStateCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c()
}

// running_config masks every secret leaf of the platform, also those of objects the provider
// never wrote (it cannot know their values): OSPF md5-key, SNMP community, login passwords,
// WireGuard private keys, NTP keys.
func TestAccEdgeOSRunningConfigMasksEverySecretLeaf(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	secrets := map[string]string{
		"set protocols ospf interface eth1 authentication md5 key-id 1 md5-key": "0spf-Md5-K3y",
		"set service snmp community":                                  "S3cret-Community",
		"set system login user ops authentication plaintext-password": "Pl41n-Pa55",
	}
	for prefix, secret := range secrets {
		if err := sim.Apply(prefix + " " + secret); err != nil {
			t.Fatalf("the simulator refused %q: %v", prefix, err)
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: sim.ProviderBlock() + `data "onpremvpn_running_config" "now" {}`,
			Check: func(s *terraform.State) error {
				text := s.RootModule().Resources["data.onpremvpn_running_config.now"].Primary.Attributes["text"]
				for _, secret := range secrets {
					if strings.Contains(text, secret) {
						return fmt.Errorf("running_config shows %q:\n%s", secret, text)
					}
				}
				if !strings.Contains(text, "set service snmp community ****************") {
					return fmt.Errorf("the community line is not there, masked:\n%s", text)
				}
				return nil
			},
		}},
	})
}
