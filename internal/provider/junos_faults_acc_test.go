package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/junos"
)

const junosPrefixListHCL = `
resource "onpremvpn_prefix_list" "azure" {
  name  = "AZURE-PREFIXES"
  rules = { 1 = { action = "permit", prefix = "172.16.1.0/24" } }
}
`

// junosProvider is a provider block for sim with Junos device options.
func junosProvider(sim *acctest.Sim, options string) string {
	return fmt.Sprintf("provider \"onpremvpn\" {\n  %s\n  options = { %s }\n}\n", sim.DeviceArgs(), options)
}

// A commit Junos refuses leaves the committed configuration exactly as before (the private
// candidate is rolled back and configuration mode left), the error names the device and
// carries its words, and the same configuration applies once the device accepts it.
func TestAccJunosFaultCommitFails(t *testing.T) {
	sim := acctest.Start(t, "junos", acctest.JunosSRXBase)
	before := sim.RunningConfig()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { sim.FailNextCommit("error: injected failure: commit refused") },
				Config:      sim.ProviderBlock() + junosPrefixListHCL,
				ExpectError: regexp.MustCompile(`(?s)device "default" \(127\.0\.0\.1:\d+\).*command "commit" failed.*injected\s+failure`),
			},
			{
				Config: sim.ProviderBlock(),
				Check: resource.ComposeAggregateTestCheckFunc(unchanged(sim, before), func(*terraform.State) error {
					log := strings.Join(sim.CommandLog(), "\n")
					if !strings.Contains(log, "rollback 0") || !strings.Contains(log, "exit configuration-mode") {
						return fmt.Errorf("no rollback 0 / exit configuration-mode after the failure; commands:\n%s", log)
					}
					return nil
				}),
			},
			{
				Config: sim.ProviderBlock() + junosGatewayHCL(28800, "") + junosTunnelHCL(3600, "") + junosPrefixListHCL,
				Check: func(*terraform.State) error {
					return sim.CheckHas("set policy-options prefix-list AZURE-PREFIXES 172.16.1.0/24", "set security ipsec vpn AZURE-VPN-0 bind-interface st0.0")
				},
			},
		},
	})
}

// A configuration lock another user holds is waited for; once released the apply goes on.
func TestAccJunosLockWaitedFor(t *testing.T) {
	sim := acctest.Start(t, "junos", acctest.JunosSRXBase)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				sim.HoldLock("alice")
				time.AfterFunc(1500*time.Millisecond, sim.ReleaseLock)
			},
			Config: junosProvider(sim, `lock_wait_seconds = "30"`) + junosPrefixListHCL,
			Check: func(*terraform.State) error {
				return sim.CheckHas("set policy-options prefix-list AZURE-PREFIXES 172.16.1.0/24")
			},
		}},
	})
}

// A lock that stays is reported after lock_wait_seconds, naming the user who holds it, and
// nothing reaches the device.
func TestAccJunosLockReported(t *testing.T) {
	sim := acctest.Start(t, "junos", acctest.JunosSRXBase)
	before := sim.RunningConfig()
	t.Cleanup(sim.ReleaseLock)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { sim.HoldLock("alice") },
				Config:      junosProvider(sim, `lock_wait_seconds = "2"`) + junosPrefixListHCL,
				ExpectError: regexp.MustCompile(`(?s)device "default".*locked by.*alice.*waited`),
			},
			{
				PreConfig: sim.ReleaseLock,
				Config:    junosProvider(sim, `lock_wait_seconds = "2"`),
				Check:     unchanged(sim, before),
			},
		},
	})
}

// commit_confirmed_minutes commits with `commit confirmed N`, reads the configuration back
// and confirms it: the change stays after the rollback timer would have fired.
func TestAccJunosCommitConfirmed(t *testing.T) {
	sim := acctest.Start(t, "junos", acctest.JunosSRXBase)
	if !junos.SetMinute(sim.Engine(), 200*time.Millisecond) {
		t.Fatal("not a Junos engine")
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: junosProvider(sim, `commit_confirmed_minutes = "1"`) + junosPrefixListHCL,
			Check: func(*terraform.State) error {
				log := strings.Join(sim.CommandLog(), "\n")
				if !regexp.MustCompile(`(?s)commit confirmed 1\n.*show configuration.*\ncommit\n`).MatchString(log) {
					return fmt.Errorf("no commit confirmed 1, read back and confirming commit; commands:\n%s", log)
				}
				if junos.ConfirmPending(sim.Engine()) {
					return fmt.Errorf("a confirmation is still pending")
				}
				time.Sleep(500 * time.Millisecond) // past the (shortened) rollback minute
				return sim.CheckHas("set policy-options prefix-list AZURE-PREFIXES 172.16.1.0/24")
			},
		}},
	})
}

// The Junos device options are checked at plan, naming the device and the option.
func TestAccJunosOptionsRefused(t *testing.T) {
	sim := acctest.Start(t, "junos", acctest.JunosSRXBase)
	for opt, want := range map[string]string{
		`flavor = "ex"`:                     `option "flavor"`,
		`configure_mode = "shared"`:         `option "configure_mode"`,
		`commit_confirmed_minutes = "0"`:    `option "commit_confirmed_minutes"`,
		`external_interface = "ge-0/0/0;x"`: `option "external_interface"`,
		`lock_wait_seconds = "forever"`:     `option "lock_wait_seconds"`,
	} {
		t.Run(opt, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				Steps: []resource.TestStep{{
					Config:      junosProvider(sim, opt) + junosPrefixListHCL,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`device "default":(?s).*` + want),
				}},
			})
		})
	}
	if n := len(sim.CommandLog()); n != 0 {
		t.Fatalf("the device received %d commands from misconfigured providers", n)
	}
}

// Secrets never reach the TRACE logs on Junos either: not the pre-shared key or BGP key as
// typed in the `load set terminal` paste, not their `$9$` form in the read-back, not the
// login password.
func TestAccJunosSecretsNotLogged(t *testing.T) {
	sim := acctest.Start(t, "junos", acctest.JunosSRXBase)
	dir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(dir, "%s.log"))
	const initial, rotated, bgp = "initial-Secret#1$x?;", "rotated-Secret-2", "bgp-md5#Secret$1"
	cfg := func(psk string) string {
		return sim.ProviderBlock() + strings.Replace(junosGatewayHCL(28800, ""), initial, psk, 1) +
			junosTunnelHCL(3600, `tunnel_interface_address = "169.254.21.1/30"`) +
			junosBGPHCL(`password = "`+bgp+`"`)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: cfg(initial)},
			{Config: cfg(rotated)},
			{ // a key changed on the device is drift, repaired by apply
				PreConfig: func() {
					m := regexp.MustCompile(`(?m)^set security ike gateway AZURE-GW-0 ike-policy (\S+)$`).FindStringSubmatch(sim.RunningConfig())
					if m == nil {
						t.Fatal("no ike-policy for AZURE-GW-0 on the device")
					}
					sim.MustApply(t, "set security ike policy "+m[1]+" pre-shared-key ascii-text changed-On-Device")
				},
				Config:             cfg(rotated),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
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
	if !strings.Contains(logs, "applying configuration") || !strings.Contains(logs, "pre-shared-key") {
		t.Fatalf("TRACE logs (%d bytes in %d files) do not show the provider's configuration pushes", len(logs), len(files))
	}
	for i, s := range []string{initial, rotated, bgp, "changed-On-Device", acctest.Password} {
		if at := strings.Index(logs, s); at >= 0 {
			lo, hi := max(0, at-300), min(len(logs), at+len(s)+100)
			t.Errorf("secret #%d appears in the TRACE logs %d times; first in:\n%s", i, strings.Count(logs, s),
				strings.ReplaceAll(logs[lo:hi], s, "<SECRET>"))
		}
	}
	if m := regexp.MustCompile(`\$9\$[A-Za-z0-9./-]{6,}`).FindString(logs); m != "" {
		t.Errorf("a $9$ secret (reversible) appears in the TRACE logs")
	}
}

// A new tunnel without tunnel_interface_address on an st0 unit the device already addresses
// is refused, naming the unit and its address, and nothing changes; with the address set it
// is adopted.
func TestAccJunosTunnelOnAddressedUnit(t *testing.T) {
	sim := acctest.Start(t, "junos", acctest.JunosSRXBase+junosST0)
	before := sim.RunningConfig()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config:      sim.ProviderBlock() + junosGatewayHCL(28800, "") + junosTunnelHCL(3600, ""),
				ExpectError: regexp.MustCompile(`st0\.0 already has the address\s+169\.254\.21\.1/30`),
			},
			{
				Config: sim.ProviderBlock(),
				Check:  unchanged(sim, before),
			},
			{
				Config: sim.ProviderBlock() + junosGatewayHCL(28800, "") + junosTunnelHCL(3600, `tunnel_interface_address = "169.254.21.1/30"`),
				Check: func(*terraform.State) error {
					return sim.CheckHas("set security ipsec vpn AZURE-VPN-0 bind-interface st0.0", "set interfaces st0 unit 0 family inet address 169.254.21.1/30")
				},
			},
		},
	})
}

// configure_mode = "exclusive": the lock another user holds is waited for in the same way, and
// the transaction enters with `configure exclusive`.
func TestAccJunosExclusiveLockWaitedFor(t *testing.T) {
	sim := acctest.Start(t, "junos", acctest.JunosSRXBase)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				sim.HoldLock("alice")
				time.AfterFunc(1500*time.Millisecond, sim.ReleaseLock)
			},
			Config: junosProvider(sim, `configure_mode = "exclusive", lock_wait_seconds = "30"`) + junosPrefixListHCL,
			Check: resource.ComposeAggregateTestCheckFunc(
				func(*terraform.State) error {
					return sim.CheckHas("set policy-options prefix-list AZURE-PREFIXES 172.16.1.0/24")
				},
				func(*terraform.State) error {
					for _, c := range sim.CommandLog() {
						if c == "configure exclusive" {
							return nil
						}
					}
					return fmt.Errorf("no configure exclusive in %q", sim.CommandLog())
				},
			),
		}},
	})
}

// A session that drops in the middle of a Junos transaction (the private candidate dies with
// it) is reopened and the batch applied again from a fresh read: the apply succeeds, once.
func TestAccJunosFaultConnectionDropped(t *testing.T) {
	sim := acctest.Start(t, "junos", acctest.JunosSRXBase)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			// The plan reads over the first session; the drop hits the apply's transaction
			// (configure private, the read in it, load set terminal, ...).
			PreConfig: func() { sim.DropAfter(7) },
			Config:    sim.ProviderBlock() + junosPrefixListHCL,
			Check: resource.ComposeAggregateTestCheckFunc(
				func(*terraform.State) error {
					return sim.CheckHas("set policy-options prefix-list AZURE-PREFIXES 172.16.1.0/24")
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
