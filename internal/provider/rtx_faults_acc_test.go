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
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	rtxsim "github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/rtx"
)

// waitRTXRollback waits until no rollback timer runs on the RTX simulator (its timer is 600
// engine seconds of second each).
func waitRTXRollback(sim *acctest.Sim, second time.Duration) {
	deadline := time.Now().Add(1000 * second)
	for rtxsim.RollbackPending(sim.Engine()) && time.Now().Before(deadline) {
		time.Sleep(second)
	}
}

// The RTX safety net (command reference 56.7.31-32): on firmware that has `rollback timer`
// (RTX1210 Rev.14.01.26+, RTX830 Rev.15.02.03+, RTX1220) each batch arms `rollback timer 600`,
// writes its advisory mark and reads the configuration, types its lines, reads the
// configuration back over the same session, types `confirm`, removes its mark, then `save`. When the
// session is lost before the confirmation, the apply fails saying the change was not
// confirmed, the change stays on the router until the timer runs out, the router then
// restores the configuration of the moment the timer was armed, and the next plan proposes
// the change again, which then applies and outlives the timer.
func TestAccRTXRollbackTimerRevertsWhenTheSessionIsLost(t *testing.T) {
	sim := acctest.Start(t, "rtx", acctest.RTXBase)
	// A 5-second timer (rollback_timer_seconds), so that the test waits for it.
	const second, timer = time.Second, 5
	cfg := fmt.Sprintf("provider \"onpremvpn\" {\n  %s\n  options = { rollback_timer_seconds = \"%d\" }\n}\n", sim.DeviceArgs(), timer) +
		rtxGatewayHCL(28800, "")
	before := stripDate(sim.RunningConfig())
	mark := regexp.MustCompile(`(?m)^description 2\d{7} "onpremvpn-lock .*\n`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{ // lost between the last line (read back) and the confirmation
				PreConfig:   func() { sim.PartitionAt("confirm", false) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)device "default".*not\s+confirmed:\s+the\s+device\s+rolls\s+it\s+back\s+by\s+itself`),
			},
			{ // the router restored the configuration; the plan proposes the change again
				PreConfig: func() {
					if !sim.Partitioned() {
						t.Fatal("the partition never started: confirm was not sent")
					}
					if !rtxsim.RollbackPending(sim.Engine()) {
						t.Fatal("no rollback timer was running when the session was lost")
					}
					if err := sim.CheckHas("ipsec ike remote address 1 198.51.100.10"); err != nil {
						t.Fatalf("the unconfirmed change is not on the router before the timer runs out: %v", err)
					}
					waitRTXRollback(sim, second)
					// The run's advisory mark was written before the timer was armed: the
					// restore keeps it, so that other runs wait until the timer has run out.
					now := stripDate(sim.RunningConfig())
					if !mark.MatchString(now) {
						t.Errorf("the run's advisory mark did not outlive the restore:\n%s", now)
					}
					if now = mark.ReplaceAllString(now, ""); now != before {
						t.Fatalf("the router did not restore its configuration:\nbefore:\n%s\nnow:\n%s", before, now)
					}
					sim.Heal()
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{ // applied (once the cut-off batch can no longer be reverted), confirmed and
				// saved: it outlives the timer, and no mark stays
				PreConfig: sim.ResetCommandLog,
				Config:    cfg,
				Check: func(*terraform.State) error {
					log := "\n" + strings.Join(sim.CommandLog(), "\n") + "\n"
					// The advisory mark comes before the timer (so that a revert keeps it for
					// other runs to wait on) and goes before the save.
					if !regexp.MustCompile(`(?s)\ndescription (2\d{7}) "onpremvpn-lock [^\n]*\nshow config\nrollback timer 5\n.*\nshow config\nconfirm\nno description (2\d{7})\nsave\n`).MatchString(log) {
						return fmt.Errorf("no advisory mark, rollback timer, read back, confirm, mark removed and save; commands:\n%s", log)
					}
					if rtxsim.RollbackPending(sim.Engine()) {
						return fmt.Errorf("a rollback timer still runs")
					}
					time.Sleep((timer + 1) * second)
					if m := mark.FindString(stripDate(sim.RunningConfig())); m != "" {
						return fmt.Errorf("a mark stayed: %s", m)
					}
					return sim.CheckHas("ipsec ike remote address 1 198.51.100.10", "description 21474001 AZURE-GW-0")
				},
			},
		},
	})
}

// On firmware without `rollback timer` (RTX1210 before Rev.14.01.26, where the command is
// an invalid command name) the batch is typed and saved without it.
func TestAccRTXOldFirmwareHasNoRollbackTimer(t *testing.T) {
	sim := acctest.Start(t, "rtx", acctest.RTXBase, func(o *simulator.Options) {
		o.EngineOptions = map[string]string{"revision": "14.01.20"}
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: sim.ProviderBlock() + rtxGatewayHCL(28800, ""),
			Check: func(*terraform.State) error {
				log := strings.Join(sim.CommandLog(), "\n")
				if strings.Contains(log, "rollback timer") || strings.Contains(log, "\nconfirm\n") {
					return fmt.Errorf("rollback timer used on Rev.14.01.20:\n%s", log)
				}
				if !strings.Contains(log, "\nsave") {
					return fmt.Errorf("not saved:\n%s", log)
				}
				if sim.SavedConfig() == "" {
					return fmt.Errorf("no saved configuration")
				}
				return sim.CheckHas("ipsec ike remote address 1 198.51.100.10")
			},
		}},
	})
}

// The administrator password comes from the device option administrator_password or from
// ONPREMVPN_RTX_ADMINISTRATOR_PASSWORD; a wrong one fails with the router's words and no
// secret; neither the administrator password, the login password nor any key appears in TRACE
// logs; the running_config data source masks keys.
func TestAccRTXAdministratorPasswordAndSecrets(t *testing.T) {
	const admin = "Adm1n-Secret#9"
	sim := acctest.Start(t, "rtx", acctest.RTXBase, func(o *simulator.Options) {
		o.EngineOptions = map[string]string{"admin-password": admin}
	})
	dir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(dir, "%s.log"))
	const psk, bgp = "initial-Secret1", "bgp-md5-Secret1"
	withOption := func(pw string) string {
		return fmt.Sprintf("provider \"onpremvpn\" {\n  %s\n  options = { administrator_password = %q }\n}\n", sim.DeviceArgs(), pw)
	}
	body := rtxGatewayHCL(28800, "") + `
resource "onpremvpn_bgp_neighbor" "azure" {
  neighbor_address = "169.254.21.2"
  local_as         = 64512
  remote_as        = 65515
  password         = "` + bgp + `"
}

data "onpremvpn_running_config" "all" {
  depends_on = [onpremvpn_ike_gateway.azure, onpremvpn_bgp_neighbor.azure]
}
`
	masked := func(s *terraform.State) error {
		rc := s.RootModule().Resources["data.onpremvpn_running_config.all"]
		if rc == nil {
			return fmt.Errorf("no running_config data source in state")
		}
		text := ""
		for k, v := range rc.Primary.Attributes {
			if strings.Contains(k, "config") || strings.Contains(k, "text") {
				text += v
			}
		}
		if !strings.Contains(text, "ipsec ike pre-shared-key 1 text") {
			return fmt.Errorf("running_config lacks the key line:\n%s", text)
		}
		for _, secret := range []string{psk, bgp, admin} {
			if strings.Contains(text, secret) {
				return fmt.Errorf("running_config shows a secret")
			}
		}
		return sim.CheckHas("ipsec ike pre-shared-key 1 text "+psk, "bgp neighbor pre-shared-key 1 text "+bgp)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{ // a wrong administrator password: the router's words, no secret
				Config:      withOption("not-the-password") + body,
				ExpectError: regexp.MustCompile(`(?s)device "default".*Incorrect password`),
				PlanOnly:    true,
			},
			{Config: withOption(admin) + body, Check: masked},
			{ // from the environment variable
				PreConfig: func() { os.Setenv("ONPREMVPN_RTX_ADMINISTRATOR_PASSWORD", admin) },
				Config:    sim.ProviderBlock() + strings.Replace(body, psk, "rotated-Secret2", 1),
				Check: func(*terraform.State) error {
					return sim.CheckHas("ipsec ike pre-shared-key 1 text rotated-Secret2")
				},
			},
		},
	})
	os.Unsetenv("ONPREMVPN_RTX_ADMINISTRATOR_PASSWORD")
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
	if !strings.Contains(logs, "administrator") || !strings.Contains(logs, "pre-shared-key") {
		t.Fatalf("TRACE logs (%d bytes in %d files) do not show the provider's session", len(logs), len(files))
	}
	for i, s := range []string{admin, "not-the-password", psk, "rotated-Secret2", bgp, acctest.Password} {
		if at := strings.Index(logs, s); at >= 0 {
			lo, hi := max(0, at-300), min(len(logs), at+len(s)+100)
			t.Errorf("secret #%d appears in the TRACE logs %d times; first in:\n%s", i, strings.Count(logs, s),
				strings.ReplaceAll(logs[lo:hi], s, "<SECRET>"))
		}
	}
}

// onpremvpn_security_policy is refused on RTX at plan, saying why.
func TestAccRTXSecurityPolicyRefused(t *testing.T) {
	sim := acctest.Start(t, "rtx", acctest.RTXBase)
	before := sim.RunningConfig()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: sim.ProviderBlock() + `
resource "onpremvpn_security_policy" "p" {
  name      = "allow-azure"
  from_zone = "trust"
  to_zone   = "untrust"
  action    = "permit"
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)rtx.*no\s+security\s+zones`),
		}},
	})
	if stripDate(sim.RunningConfig()) != stripDate(before) {
		t.Errorf("the refused plan changed the device")
	}
}

// rtxGateway1 is the acceptance tests' gateway as the provider writes it, typed by hand.
const rtxGateway1 = `description 21474001 AZURE-GW-0
ipsec ike version 1 2
ipsec ike encryption 1 aes256-cbc
ipsec ike hash 1 sha256
ipsec ike local address 1 203.0.113.2
ipsec ike remote address 1 198.51.100.10
ipsec ike pre-shared-key 1 text initial-Secret1
ipsec ike proposal-limitation 1 on
ipsec ike message-id-control 1 on
ipsec ike child-exchange type 1 2
`

// TestAccRTXRefusalAtEveryLine: whichever line of a batch the router refuses, the apply fails
// quoting the router and the command, the lines already typed are undone, and `show config`
// (running and saved) is exactly as before. Each line of the gateway's batch and of the
// tunnel's batch (its block entered and left with tunnel select) is refused in turn.
func TestAccRTXRefusalAtEveryLine(t *testing.T) {
	importGW := `
import {
  to = onpremvpn_ike_gateway.azure
  id = "default/AZURE-GW-0"
}
`
	for _, w := range []struct{ name, initial, hcl string }{
		{"gateway", acctest.RTXBase, rtxGatewayHCL(28800, "")},
		{"tunnel", acctest.RTXBase + rtxGateway1, importGW + rtxGatewayHCL(28800, "") + rtxTunnelHCL(3600, `tcp_mss = 1350
  tunnel_interface_address = "169.254.21.1/30"`)},
	} {
		t.Run(w.name, func(t *testing.T) {
			// The batch, from a clean apply: the lines between arming the timer and the read-back.
			twin := acctest.Start(t, "rtx", w.initial)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				Steps:                    []resource.TestStep{{Config: twin.ProviderBlock() + w.hcl}},
			})
			var batch []string
			in := false
		collect: // the first batch only (the test's destroy types another)
			for _, l := range twin.CommandLog() {
				switch {
				case l == "rollback timer 600":
					in = true
				case l == "show config" && in:
					break collect
				case in && !strings.HasPrefix(l, "tunnel select"):
					batch = append(batch, l)
				}
			}
			if len(batch) < 3 {
				t.Fatalf("batch of %d lines: %v", len(batch), twin.CommandLog())
			}
			for k, line := range batch {
				t.Run(fmt.Sprintf("line%d", k+1), func(t *testing.T) {
					// The error quotes the command with its key masked.
					shown := regexp.MustCompile(`(pre-shared-key \S+ text )\S+`).ReplaceAllString(line, "${1}********")
					sim := acctest.Start(t, "rtx", w.initial)
					before, saved := sim.RunningConfig(), sim.SavedConfig()
					resource.Test(t, resource.TestCase{
						ProtoV6ProviderFactories: acctest.ProviderFactories(),
						Steps: []resource.TestStep{
							{
								PreConfig:   func() { sim.FailCommandOnce(line, "Error: Parameter out of range") },
								Config:      sim.ProviderBlock() + w.hcl,
								ExpectError: regexp.MustCompile(`(?s)device "default".*` + words(shown) + `.*Parameter out of range`),
							},
							{ // before anything else runs: the router is exactly as before
								PreConfig: func() {
									if now := sim.RunningConfig(); now != before {
										t.Errorf("%q refused: show config is not as before:\nbefore:\n%s\nnow:\n%s", line, before, now)
									}
									if sim.SavedConfig() != saved {
										t.Errorf("%q refused: the saved configuration changed", line)
									}
									if rtxsim.RollbackPending(sim.Engine()) {
										t.Errorf("%q refused: the rollback timer still runs", line)
									}
								},
								Config:             sim.ProviderBlock() + w.hcl,
								PlanOnly:           true,
								ExpectNonEmptyPlan: true,
							},
						},
					})
				})
			}
		})
	}
}
