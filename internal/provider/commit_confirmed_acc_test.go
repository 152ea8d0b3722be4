package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	edgeossim "github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/edgeos"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/junos"
)

// confirmedPlatform is one platform with confirmed commits (commit_confirmed_minutes).
type confirmedPlatform struct {
	platform, base string
	setMinute      func(simulator.Engine, time.Duration) bool
	pending        func(simulator.Engine) bool
	commit         *regexp.Regexp // the confirmed commit, the read-back and the confirmation in the command log
	confirm        string         // the confirmation command
	hcl, fragment  string         // a resource and a fragment of the lines it writes
}

var confirmedPlatforms = []confirmedPlatform{
	{"edgeos", acctest.EdgeOSBase, edgeossim.SetMinute, edgeossim.ConfirmPending,
		regexp.MustCompile(`(?s)\ncommit-confirm 1\n.*show configuration commands.*\nconfirm\nsave\n`), "confirm",
		prefixListHCL, "prefix-list BGP"},
	{"junos", acctest.JunosSRXBase, junos.SetMinute, junos.ConfirmPending,
		regexp.MustCompile(`(?s)\ncommit confirmed 1\n.*show configuration.*\ncommit\n`), "commit",
		junosPrefixListHCL, "prefix-list AZURE-PREFIXES"},
}

// commit_confirmed_minutes on every platform that has confirmed commits: each batch commits
// once with automatic rollback, reads the configuration back over the same session and
// confirms; the change then outlives the rollback timer. When the device is lost between
// the commit and its confirmation (the session drops as the confirmation is sent and the
// device stays unreachable, so the retry cannot confirm either), the apply fails saying the
// commit was not confirmed, the device rolls the change back by itself when the timer
// fires, and the next plan proposes the change again, which then applies.
func TestAccCommitConfirmedRollsBackWhenTheDeviceIsLost(t *testing.T) {
	for _, p := range confirmedPlatforms {
		t.Run(p.platform, func(t *testing.T) {
			sim := acctest.Start(t, p.platform, p.base)
			const minute = 300 * time.Millisecond
			if !p.setMinute(sim.Engine(), minute) {
				t.Fatalf("not a %s engine", p.platform)
			}
			cfg := fmt.Sprintf("provider \"onpremvpn\" {\n  %s\n  options = { commit_confirmed_minutes = \"1\" }\n}\n", sim.DeviceArgs()) + p.hcl
			before := sim.RunningConfig()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				Steps: []resource.TestStep{
					{ // lost between the confirmed commit and its confirmation
						PreConfig:   func() { sim.PartitionAt(p.confirm, false) },
						Config:      cfg,
						ExpectError: regexp.MustCompile(`(?s)device "default".*reached\s+the\s+device\s.*and\s+was\s+not\s+confirmed:\s+the\s+device\s+rolls\s+it\s+back\s+by\s+itself`),
						Check:       nil,
					},
					{ // the device rolled the change back; the plan proposes it again
						PreConfig: func() {
							if !sim.Partitioned() {
								t.Fatal("the partition never started: the confirmation was not sent")
							}
							if !p.pending(sim.Engine()) {
								t.Fatal("no confirmed commit was pending when the device was lost")
							}
							if err := sim.CheckMatch(regexp.QuoteMeta(p.fragment)); err != nil {
								t.Fatalf("the confirmed commit is not on the device before the timer fires: %v", err)
							}
							deadline := time.Now().Add(20 * minute)
							for p.pending(sim.Engine()) && time.Now().Before(deadline) {
								time.Sleep(minute / 10)
							}
							if sim.RunningConfig() != before {
								t.Fatalf("the device did not roll back:\nbefore:\n%s\nafter:\n%s", before, sim.RunningConfig())
							}
							sim.Heal()
						},
						Config:             cfg,
						PlanOnly:           true,
						ExpectNonEmptyPlan: true,
					},
					{ // applied and confirmed: it outlives the timer
						PreConfig: sim.ResetCommandLog,
						Config:    cfg,
						Check: func(*terraform.State) error {
							log := "\n" + strings.Join(sim.CommandLog(), "\n") + "\n"
							if !p.commit.MatchString(log) {
								return fmt.Errorf("no confirmed commit, read back and confirmation; commands:\n%s", log)
							}
							if p.pending(sim.Engine()) {
								return fmt.Errorf("a confirmation is still pending")
							}
							time.Sleep(2 * minute)
							return sim.CheckMatch(regexp.QuoteMeta(p.fragment))
						},
					},
				},
			})
		})
	}
}
