package provider_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// The fault matrix: every landed platform x every fault a transaction can meet. For each
// case the apply either succeeds or fails with an error that names the device, the cause and
// the device's own words; the device is then left exactly as before the apply or exactly as
// after it (full configuration dumps compared), never in between, and the case says which;
// a follow-up plan proposes exactly what is missing (nothing, or every resource as a create);
// the apply after it converges and the configuration is saved. The outcomes are printed as a
// Markdown table (`go test -v -run TestAccFaultMatrix`), the one in
// docs/guides/reliability.md.

// matrixPlatform is one platform's row set: its workload and the commands the faults aim at.
type matrixPlatform struct {
	name, base string
	options    string // device options (HCL map entries)
	workload   string // HCL of the resources under test
	addresses  []string
	// commit and save are the transaction's commit and save commands ("" when the
	// platform has none: Junos saves with the commit; immediate platforms do not commit).
	commit, save string
	// line is a configuration line of the workload sent as a command of its own in the
	// middle of the batch ("" when the batch is one paste), and refusal what the device
	// prints when it refuses it.
	line, refusal string
	// lock: the platform has a configuration lock another user can hold.
	lock bool
	// lostAtLine is where a device lost right after the fault line (the last of the batch)
	// leaves it, when not as before: an immediate platform without a device-side rollback
	// keeps every line typed, unsaved, and the apply cannot tell (as after, unknown).
	lostAtLine outcome
	// expect overrides a case's outcome on this platform, by case name.
	expect map[string]faultExpect
	// setup prepares the faulty device; settle waits, once the fault is gone, for what the
	// device does by itself (a rollback timer running out). Both may be nil.
	setup, settle func(*acctest.Sim)
	// mark matches the line of an advisory mark (platform.MarkSpec), which a run that loses
	// the device in the middle of a batch leaves behind; nil where the platform has none.
	mark *regexp.Regexp
	// foreignMark writes another run's mark, as it would, and unmark removes it ("" where the
	// platform has no marks).
	foreignMark, unmark string
}

// withoutMarks is cfg without the advisory marks of p and without the configuration's size,
// which ScreenOS prints first and a mark changes too.
func withoutMarks(p matrixPlatform, cfg string) string {
	if p.mark != nil {
		cfg = p.mark.ReplaceAllString(cfg, "")
	}
	return configSize.ReplaceAllString(cfg, "Total Config size:")
}

var configSize = regexp.MustCompile(`(?m)^Total Config size \d+:`)

// faultExpect is a case's outcome where a platform differs from the common one.
type faultExpect struct {
	err     func(p matrixPlatform) *regexp.Regexp
	want    outcome
	unknown bool
}

var matrixPlatforms = []matrixPlatform{
	{
		name: "edgeos", base: acctest.EdgeOSBase,
		workload:  prefixListHCL,
		addresses: []string{"onpremvpn_prefix_list.bgp"},
		commit:    "commit", save: "save",
		line:    "set policy prefix-list BGP rule 100 prefix 192.168.1.0/24",
		refusal: "\n  Configuration path: policy prefix-list BGP rule 100 [prefix] is not valid\n  Set failed\n",
	},
	{
		name: "junos", base: acctest.JunosSRXBase,
		options:   `lock_wait_seconds = "0"`,
		workload:  junosPrefixListHCL,
		addresses: []string{"onpremvpn_prefix_list.azure"},
		commit:    "commit",
		lock:      true,
	},
	{
		// A ScreenOS session turns paging off with `set console page 0`, a configuration line
		// [device-cli.md 1.1]: the device starts as the provider's sessions leave it.
		name: "screenos", base: acctest.ScreenOSBase("ssg5") + screenosTunnel1 + "set console page 0\n",
		workload:  screenosSourceRouteHCL,
		addresses: []string{"onpremvpn_source_route.segment_a"},
		save:      "save",
		line:      "set vrouter trust-vr route source 192.168.1.0/24 interface tunnel.1 preference 15",
		refusal:   "invalid route source for the injected fault",
		lock:      true,
		// Typed lines take effect at once and the reference knows no confirmed rollback
		// (`exec config rollback` is INFERRED, device-cli.md 1.1): the lines typed before the
		// loss stay, unsaved, until the next apply reads the device.
		lostAtLine:  asAfter,
		mark:        regexp.MustCompile(`(?m)^set address "Trust" "onpremvpn-lock-[0-9a-f]{12}" .*\n`),
		foreignMark: `set address "Trust" "onpremvpn-lock-00000000beef" 192.0.2.1 255.255.255.255 "a1b2c3 mihdq1k0 bob@far-host:4242"`,
		unmark:      `unset address "Trust" "onpremvpn-lock-00000000beef"`,
		options:     `lock_wait_seconds = "0"`,
	},
	{
		// Immediate: every line takes effect as it is typed; `save` writes flash. The
		// simulator is an RTX1210 Rev.14.01.42, whose `rollback timer` the provider arms.
		name: "rtx", base: acctest.RTXBase,
		workload:  rtxGatewayHCL(28800, ""),
		addresses: []string{"onpremvpn_ike_gateway.azure"},
		save:      "save",
		line:      "ipsec ike remote address 1 198.51.100.10",
		refusal:   "Error: Unrecognized IP address parameter\n",
		// A 2-second rollback timer; after a lost session the router restores the
		// configuration when it runs out, and the provider types nothing on it before (the
		// next apply waits for that, within lock_wait_seconds).
		settle:      func(sim *acctest.Sim) { waitRTXRollback(sim, 100*time.Millisecond) },
		mark:        regexp.MustCompile(`(?m)^description 2[01][0-9]{6} "onpremvpn-lock .*\n`),
		foreignMark: `description 20048879 "onpremvpn-lock a1b2c3 mihdq1k0 bob@far-host:4242"`,
		unmark:      `no description 20048879`,
		options:     `lock_wait_seconds = "10", rollback_timer_seconds = "2"`,
		expect: map[string]faultExpect{
			// A session lost under the rollback timer is not retried: the RTX restores
			// the configuration of the moment the timer was armed when the timer runs out.
			"session dropped at a line, device back": {
				err:  errRE(words("was not confirmed: the device rolls it back by itself")),
				want: asBefore,
			},
		},
	},
}

// outcome is where a fault leaves the device.
type outcome string

const (
	asBefore outcome = "as before"
	asAfter  outcome = "as after"
)

// faultCase is one column of the matrix.
type faultCase struct {
	name string
	// applies reports whether the fault exists on the platform.
	applies func(p matrixPlatform) bool
	// inject sets the fault up before the apply; provider returns extra provider arguments
	// for the faulty apply (a wrong password, another host key, a short timeout).
	inject   func(t *testing.T, sim *acctest.Sim, p matrixPlatform)
	provider func(t *testing.T, sim *acctest.Sim) string
	// err matches the apply's error (nil: the apply succeeds); want is where the device is.
	err  func(p matrixPlatform) *regexp.Regexp
	want outcome
	// unknown: the apply could not learn whether its change reached the device (it was
	// lost), so state holds the object as requested, tainted, and the next plan replaces
	// what the device holds.
	unknown bool
	// lineLost: the device is lost at the fault line; matrixPlatform.lostAtLine may say
	// otherwise than want.
	lineLost bool
	// heal ends a fault that stays on the device (nil: none does).
	heal func(t *testing.T, sim *acctest.Sim, p matrixPlatform)
}

// words makes a regexp of a phrase that Terraform may wrap across lines.
func words(phrase string) string {
	return strings.Join(strings.Fields(regexp.QuoteMeta(phrase)), `\s+`)
}

func errRE(parts ...string) func(matrixPlatform) *regexp.Regexp {
	return func(matrixPlatform) *regexp.Regexp {
		return regexp.MustCompile(`(?s)device\s+"default"\s+\(127\.0\.0\.1:\d+\).*` + strings.Join(parts, ".*"))
	}
}

func hasCommit(p matrixPlatform) bool { return p.commit != "" }
func hasSave(p matrixPlatform) bool   { return p.save != "" }
func hasLine(p matrixPlatform) bool   { return p.line != "" }
func always(matrixPlatform) bool      { return true }

var faultCases = []faultCase{
	{
		name: "session dropped before the commit, device back", applies: hasCommit,
		inject: func(_ *testing.T, sim *acctest.Sim, p matrixPlatform) { sim.DropAt(p.commit, false) },
		want:   asAfter,
	},
	{
		name: "session dropped during the commit, device back", applies: hasCommit,
		inject: func(_ *testing.T, sim *acctest.Sim, p matrixPlatform) { sim.DropAt(p.commit, true) },
		want:   asAfter,
	},
	{
		name: "session dropped at the save, device back", applies: hasSave,
		inject: func(_ *testing.T, sim *acctest.Sim, p matrixPlatform) { sim.DropAt(p.save, false) },
		want:   asAfter,
	},
	{
		name: "session dropped at a line, device back", applies: hasLine,
		inject: func(_ *testing.T, sim *acctest.Sim, p matrixPlatform) { sim.DropAt(p.line, true) },
		want:   asAfter,
	},
	{
		name: "device lost before the commit", applies: hasCommit,
		inject: func(_ *testing.T, sim *acctest.Sim, p matrixPlatform) { sim.PartitionAt(p.commit, false) },
		err:    errRE(words("cannot open an SSH session")),
		want:   asBefore,
	},
	{
		name: "device lost during the commit", applies: hasCommit,
		inject: func(_ *testing.T, sim *acctest.Sim, p matrixPlatform) { sim.PartitionAt(p.commit, true) },
		err:    errRE(words("cannot open an SSH session")),
		want:   asAfter, unknown: true,
	},
	{
		name: "device lost at the save", applies: hasSave,
		inject: func(_ *testing.T, sim *acctest.Sim, p matrixPlatform) { sim.PartitionAt(p.save, false) },
		err:    errRE(words("cannot open an SSH session")),
		want:   asAfter, unknown: true,
	},
	{
		name: "device lost at a line", applies: hasLine,
		inject: func(_ *testing.T, sim *acctest.Sim, p matrixPlatform) { sim.PartitionAt(p.line, true) },
		err:    errRE(words("cannot open an SSH session")),
		want:   asBefore, lineLost: true,
	},
	{
		name: "line refused", applies: hasLine,
		inject: func(_ *testing.T, sim *acctest.Sim, p matrixPlatform) { sim.FailCommandOnce(p.line, p.refusal) },
		err: func(p matrixPlatform) *regexp.Regexp {
			first := strings.TrimSpace(strings.Split(strings.TrimSpace(p.refusal), "\n")[0])
			return errRE(words(`command "`+p.line+`" failed`), words(first))(p)
		},
		want: asBefore,
	},
	{
		name: "commit refused", applies: hasCommit,
		inject: func(_ *testing.T, sim *acctest.Sim, _ matrixPlatform) {
			sim.FailNextCommit("error: injected commit failure 4711")
		},
		err:  errRE(words("injected commit failure 4711")),
		want: asBefore,
	},
	{
		// An immediate platform has no commit: the lines are active, the save is what fails.
		name: "save refused", applies: func(p matrixPlatform) bool { return !hasCommit(p) && hasSave(p) },
		inject: func(_ *testing.T, sim *acctest.Sim, _ matrixPlatform) {
			sim.FailNextCommit("error: injected save failure 4711")
		},
		err:  errRE(words("injected save failure 4711"), `(?i)not\s+saved`),
		want: asAfter, unknown: true,
	},
	{
		name: "configuration locked by another user", applies: func(p matrixPlatform) bool { return p.lock },
		inject: func(_ *testing.T, sim *acctest.Sim, _ matrixPlatform) { sim.HoldLock("alice") },
		err:    errRE("alice"),
		want:   asBefore,
	},
	{
		// ScreenOS and RTX lock nothing: runs of this provider mark the configuration
		// (platform.MarkSpec), and lock_wait_seconds = "0" reports a mark at once.
		name: "another run's advisory mark on the device", applies: func(p matrixPlatform) bool { return p.foreignMark != "" },
		inject: func(t *testing.T, sim *acctest.Sim, p matrixPlatform) {
			if err := sim.Apply(p.foreignMark); err != nil {
				t.Fatal(err)
			}
		},
		heal: func(t *testing.T, sim *acctest.Sim, p matrixPlatform) {
			if err := sim.Apply(p.unmark); err != nil {
				t.Fatal(err)
			}
		},
		err:  errRE(words("locked by onpremvpn run bob@far-host:4242"), words("remove the mark with")),
		want: asBefore,
	},
	{
		name: "device slower than the command timeout", applies: always,
		inject:   func(_ *testing.T, sim *acctest.Sim, _ matrixPlatform) { sim.SetLatency(1500 * time.Millisecond) },
		provider: func(*testing.T, *acctest.Sim) string { return `command_timeout = "1s"` },
		err:      errRE(words("command timeout (1s)")),
		want:     asBefore,
	},
	{
		name: "authentication refused", applies: always,
		provider: func(*testing.T, *acctest.Sim) string { return `password = "not-the-password"` },
		err:      errRE("(?i)auth"),
		want:     asBefore,
	},
	{
		name: "host key changed", applies: always,
		provider: func(t *testing.T, sim *acctest.Sim) string {
			// Another key of the device's own type (a legacy device's ssh-dss included).
			return fmt.Sprintf("host_key = %q", sim.OtherHostKeyLine(t))
		},
		// Both fingerprints (the presented key's and the configured one) and how to update.
		err:  errRE(`presented\s+\S+\s+key\s+SHA256:`, `expected\s+\S+\s+SHA256:`, words("update host_key or known_hosts_file")),
		want: asBefore,
	},
	{
		name: "session limit reached", applies: always,
		inject: func(t *testing.T, sim *acctest.Sim, _ matrixPlatform) {
			sim.SetMaxSessions(1)
			c, err := ssh.Dial("tcp", sim.Addr(), sim.ClientConfig())
			if err != nil {
				t.Fatalf("the other administrator's session: %v", err)
			}
			t.Cleanup(func() { c.Close() })
		},
		err:  errRE(words("maximum number of sessions")),
		want: asBefore,
	},
}

// matrixRow is one printed outcome.
type matrixRow struct{ platform, fault, apply, device, plan string }

func TestAccFaultMatrix(t *testing.T) {
	var (
		mu   sync.Mutex
		rows []matrixRow
	)
	for _, p := range matrixPlatforms {
		for _, fc := range faultCases {
			if !fc.applies(p) {
				continue
			}
			t.Run(p.name+"/"+fc.name, func(t *testing.T) {
				row := runFaultCase(t, p, fc)
				mu.Lock()
				rows = append(rows, row)
				mu.Unlock()
			})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].platform < rows[j].platform })
	var b strings.Builder
	b.WriteString("| platform | fault | apply | device afterwards | next plan |\n|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", r.platform, r.fault, r.apply, r.device, r.plan)
	}
	t.Logf("fault matrix:\n%s", b.String())
}

func runFaultCase(t *testing.T, p matrixPlatform, fc faultCase) matrixRow {
	if x, ok := p.expect[fc.name]; ok {
		fc.err, fc.want, fc.unknown = x.err, x.want, x.unknown
	}
	sim := acctest.Start(t, p.name, p.base)
	provider := func(extra string) string {
		opts := ""
		if p.options != "" {
			opts = "\n  options = { " + p.options + " }"
		}
		if extra != "" {
			// A later argument of the same name would be a duplicate: replace the one
			// DeviceArgs wrote.
			name := strings.Fields(extra)[0]
			args := regexp.MustCompile(`(?m)^\s*`+name+`\s*=.*$`).ReplaceAllString(sim.DeviceArgs(), "")
			return fmt.Sprintf("provider \"onpremvpn\" {\n  %s\n  %s%s\n}\n", args, extra, opts)
		}
		return fmt.Sprintf("provider \"onpremvpn\" {\n  %s%s\n}\n", sim.DeviceArgs(), opts)
	}
	if p.setup != nil {
		p.setup(sim)
	}
	before := sim.RunningConfig()
	after := workloadResult(t, p, sim, provider(""))
	if after == "" || after == before {
		t.Fatal("the workload changed nothing on the twin device")
	}

	if fc.lineLost && p.lostAtLine != "" {
		fc.want, fc.unknown = p.lostAtLine, p.lostAtLine == asAfter
	}
	row := matrixRow{platform: p.name, fault: fc.name, apply: "succeeds"}
	faulty := provider("")
	if fc.provider != nil {
		faulty = provider(fc.provider(t, sim))
	}
	step1 := resource.TestStep{
		PreConfig: func() {
			if fc.inject != nil {
				fc.inject(t, sim, p)
			}
		},
		Config: faulty + p.workload,
	}
	if fc.err != nil {
		step1.ExpectError = fc.err(p)
		row.apply = "fails, naming the device and the cause"
	}
	var (
		got      outcome
		leftMark bool
	)
	healed := func() {
		sim.ClearFaults()
		sim.SetMaxSessions(0)
		if p.settle != nil {
			p.settle(sim)
		}
		if fc.heal != nil {
			fc.heal(t, sim, p)
		}
		// A run that lost the device in the middle of a batch cannot remove its advisory
		// mark: apart from it, the device must be as before or as after; the next run takes
		// the mark over (the final check below finds none).
		now := sim.RunningConfig()
		leftMark = p.mark != nil && p.mark.MatchString(now)
		switch withoutMarks(p, now) {
		case withoutMarks(p, before):
			got = asBefore
		case withoutMarks(p, after):
			got = asAfter
		default:
			t.Fatalf("the device is neither as before nor as after the apply:\nbefore:\n%s\nafter:\n%s\nnow:\n%s", before, after, sim.RunningConfig())
		}
		if got != fc.want {
			t.Fatalf("the device is %s the apply, want %s", got, fc.want)
		}
	}
	var followUp []plancheck.PlanCheck
	switch {
	case fc.want == asAfter && fc.unknown:
		for _, a := range p.addresses {
			followUp = append(followUp, plancheck.ExpectResourceAction(a, plancheck.ResourceActionReplace))
		}
		row.plan = "replaces the object state holds tainted"
	case fc.want == asAfter:
		followUp = []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}
		row.plan = "empty"
	default:
		for _, a := range p.addresses {
			followUp = append(followUp, plancheck.ExpectResourceAction(a, plancheck.ResourceActionCreate))
		}
		row.plan = "creates what is missing"
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			step1,
			{ // state equals the device: the next plan proposes exactly what is missing
				PreConfig:        healed,
				Config:           provider("") + p.workload,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: followUp},
				Check: func(*terraform.State) error {
					if now := sim.RunningConfig(); now != after {
						return fmt.Errorf("the device did not converge:\n%s", now)
					}
					if saved := sim.SavedConfig(); saved != after {
						return fmt.Errorf("the converged configuration is not saved:\n%s", saved)
					}
					return nil
				},
			},
		},
	})
	row.device = string(got) + " the apply"
	if leftMark {
		row.device += ", and the run's advisory mark, which the next run removes"
	}
	return row
}

// twinResults caches, per platform, the configuration the workload leaves on a device
// without faults: every case of a platform starts from the same base, so one clean apply on
// a twin device serves them all.
var twinResults sync.Map // platform name -> string

// workloadResult returns the configuration p's workload leaves on a twin of sim without
// faults, applied once per platform with the provider block provider (which names sim).
func workloadResult(t *testing.T, p matrixPlatform, sim *acctest.Sim, provider string) string {
	t.Helper()
	if v, ok := twinResults.Load(p.name); ok {
		return v.(string)
	}
	twin := acctest.Start(t, p.name, p.base)
	var after string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: strings.Replace(provider, sim.DeviceArgs(), twin.DeviceArgs(), 1) + p.workload,
			Check:  func(*terraform.State) error { after = twin.RunningConfig(); return nil },
		}},
	})
	if after != "" {
		twinResults.Store(p.name, after)
	}
	return after
}
