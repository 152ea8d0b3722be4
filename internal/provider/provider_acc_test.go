package provider_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/provider"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

// The top-level device can come entirely from ONPREMVPN_* variables, here with public-key
// authentication (the simulator accepts no password) and the host key pinned by fingerprint.
func TestAccEdgeOSProviderFromEnvironment(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase, func(o *simulator.Options) {
		o.Password = ""
		o.AuthorizedKeys = []ssh.PublicKey{sshPub}
	})
	t.Setenv("ONPREMVPN_PLATFORM", "edgeos")
	t.Setenv("ONPREMVPN_HOST", "127.0.0.1")
	t.Setenv("ONPREMVPN_PORT", sim.Port())
	t.Setenv("ONPREMVPN_USERNAME", acctest.Username)
	t.Setenv("ONPREMVPN_PRIVATE_KEY", string(pem.EncodeToMemory(block)))
	t.Setenv("ONPREMVPN_HOST_KEY", sim.Fingerprint())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: `provider "onpremvpn" {}` + prefixListHCL,
			Check:  func(*terraform.State) error { return sim.CheckHas("set policy prefix-list BGP rule 10 action deny") },
		}},
	})
}

// known_hosts_file verifies the device against a known_hosts file (non-22 port form).
func TestAccEdgeOSKnownHostsFile(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	kh := filepath.Join(t.TempDir(), "known_hosts")
	line := knownhosts.Line([]string{knownhosts.Normalize(sim.Addr())}, sim.HostKey())
	if err := os.WriteFile(kh, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf(`
provider "onpremvpn" {
  platform         = "edgeos"
  host             = "127.0.0.1"
  port             = %s
  username         = %q
  password         = %q
  known_hosts_file = %q
}
`, sim.Port(), acctest.Username, acctest.Password, kh)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: cfg + prefixListHCL,
			Check:  func(*terraform.State) error { return sim.CheckHas("set policy prefix-list BGP rule 10 action deny") },
		}},
	})
}

// Mistakes in the provider block are reported before anything is sent to a device.
func TestAccEdgeOSProviderConfigErrors(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	cases := []struct{ name, provider, want string }{
		{"unknown platform", `provider "onpremvpn" {
  platform = "ios"
  host     = "127.0.0.1"
  username = "admin"
  password = "x"
}`, `platform "ios" is not supported; use one of edgeos`},
		{"no credentials", `provider "onpremvpn" {
  platform = "edgeos"
  host     = "127.0.0.1"
  username = "admin"
}`, `set password or private_key`},
		{"reserved device name", fmt.Sprintf(`provider "onpremvpn" {
  devices = {
    default = {
      %s
    }
  }
}`, sim.DeviceArgs()), `Reserved device name`},
		{"bad timeout", fmt.Sprintf(`provider "onpremvpn" {
  %s
  command_timeout = "soon"
}`, sim.DeviceArgs()), `command_timeout: "soon" is not a positive duration`},
		{"no device at all", `provider "onpremvpn" {}`, `no device given`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				Steps: []resource.TestStep{{
					Config:      c.provider + prefixListHCL,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(c.want),
				}},
			})
		})
	}
	if n := len(sim.CommandLog()); n != 0 {
		t.Fatalf("the device received %d commands from misconfigured providers", n)
	}
}

// The device is reached through a jump host (direct-tcpip), each hop with its own host key.
func TestAccEdgeOSJumpHost(t *testing.T) {
	bastion := acctest.Start(t, "edgeos", "", func(o *simulator.Options) { o.AllowForwarding = true })
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	jump := func(hostKey string) string {
		return fmt.Sprintf(`
provider "onpremvpn" {
  %s
  jump_host = {
    host     = "127.0.0.1"
    port     = %s
    username = %q
    password = %q
    host_key = %q
  }
}
`, sim.DeviceArgs(), bastion.Port(), acctest.Username, acctest.Password, hostKey)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{ // the jump host's key is verified too, at plan time already
				Config:      jump(sim.HostKeyLine()) + prefixListHCL,
				ExpectError: regexp.MustCompile(`(?i)host key`),
			},
			{
				Config: jump(bastion.HostKeyLine()) + prefixListHCL,
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error { return sim.CheckHas("set policy prefix-list BGP rule 10 action deny") },
					func(*terraform.State) error {
						if n := len(bastion.CommandLog()); n != 0 {
							return fmt.Errorf("the jump host ran %d commands; it should only forward", n)
						}
						if bastion.Stats().Connections == 0 {
							return fmt.Errorf("the device was not reached through the jump host")
						}
						return nil
					},
				),
			},
		},
	})
}

// Devices that offer only keyboard-interactive authentication (RTX, many EdgeOS builds with
// PAM) are answered with the password.
func TestAccEdgeOSKeyboardInteractive(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase, func(o *simulator.Options) { o.KeyboardInteractiveOnly = true })
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config: sim.ProviderBlock() + prefixListHCL,
			Check:  func(*terraform.State) error { return sim.CheckHas("set policy prefix-list BGP rule 10 action deny") },
		}},
	})
}

// A device slower than command_timeout fails the run with a timeout that names the device
// and the command, instead of hanging.
func TestAccEdgeOSFaultCommandTimeout(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	cfg := fmt.Sprintf("provider \"onpremvpn\" {\n  %s\n  command_timeout = \"1s\"\n}\n", sim.DeviceArgs())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			PreConfig:   func() { sim.SetLatency(3 * time.Second) },
			Config:      cfg + prefixListHCL,
			ExpectError: regexp.MustCompile(`(?s)device\s+"default"\s+\(127\.0\.0\.1:\d+\).*command\s+"terminal\s+length\s+0".*command\s+timeout\s+\(1s\)`),
		}},
	})
}

// diagRecorder serves the provider and records the warnings it returns from Configure and
// plan, which terraform-plugin-testing cannot assert.
type diagRecorder struct {
	tfprotov6.ProviderServer
	mu       sync.Mutex
	warnings []string // "summary: detail"
}

func newDiagRecorder() *diagRecorder {
	return &diagRecorder{ProviderServer: providerserver.NewProtocol6(provider.New("test")())()}
}

func (r *diagRecorder) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"onpremvpn": func() (tfprotov6.ProviderServer, error) { return r, nil },
	}
}

func (r *diagRecorder) record(diags []*tfprotov6.Diagnostic) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning {
			r.warnings = append(r.warnings, d.Summary+": "+d.Detail)
		}
	}
}

func (r *diagRecorder) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	resp, err := r.ProviderServer.ConfigureProvider(ctx, req)
	if resp != nil {
		r.record(resp.Diagnostics)
	}
	return resp, err
}

func (r *diagRecorder) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := r.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		r.record(resp.Diagnostics)
	}
	return resp, err
}

func (r *diagRecorder) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := r.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		r.record(resp.Diagnostics)
	}
	return resp, err
}

func (r *diagRecorder) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	resp, err := r.ProviderServer.ReadResource(ctx, req)
	if resp != nil {
		r.record(resp.Diagnostics)
	}
	return resp, err
}

// recorded returns the warnings so far.
func (r *diagRecorder) recorded() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.warnings...)
}

// check returns a check that fails unless a recorded warning matches every pattern.
func (r *diagRecorder) check(patterns ...string) func() error {
	return func() error {
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, w := range r.warnings {
			all := true
			for _, p := range patterns {
				all = all && regexp.MustCompile(p).MatchString(w)
			}
			if all {
				return nil
			}
		}
		return fmt.Errorf("no warning matches %q; warnings: %q", patterns, r.warnings)
	}
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	_ = ln.Close()
	return port
}

// A plan that only creates objects still verifies the device's identity: a changed or unknown
// host key and a refused login fail it, and nothing is sent to the device.
func TestAccEdgeOSPlanFailsOnIdentity(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	other, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	otherKey, err := ssh.NewPublicKey(other)
	if err != nil {
		t.Fatal(err)
	}
	kh := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(kh, []byte(knownhosts.Line([]string{"192.0.2.7"}, sim.HostKey())+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	block := func(auth string) string {
		return fmt.Sprintf(`provider "onpremvpn" {
  platform = "edgeos"
  host     = "127.0.0.1"
  port     = %s
  username = %q
  %s
}
`, sim.Port(), acctest.Username, auth)
	}
	cases := []struct{ name, provider, want string }{
		{"changed host key", block(fmt.Sprintf("password = %q\n  host_key = %q", acctest.Password, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(otherKey))))),
			`(?s)Device identity not verified.*device\s+"default".*mismatch.*` + regexp.QuoteMeta(sim.Fingerprint()) + `.*out\s+of\s+band`},
		{"unknown host key", block(fmt.Sprintf("password = %q\n  known_hosts_file = %q", acctest.Password, kh)),
			`(?s)Device identity not verified.*unknown\s+host.*` + regexp.QuoteMeta(sim.Fingerprint())},
		{"wrong password", block(fmt.Sprintf("password = \"wrong-Pa55\"\n  host_key = %q", sim.HostKeyLine())),
			`(?s)Login refused by the device.*ssh\s+authentication\s+failed\s+for\s+admin@127\.0\.0\.1`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories(),
				Steps: []resource.TestStep{{
					Config:      c.provider + prefixListHCL,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(c.want),
				}},
			})
		})
	}
	if n := len(sim.CommandLog()); n != 0 {
		t.Fatalf("the device received %d commands", n)
	}
}

// A device nothing answers for fails the plan unless plan_offline is set (in the block or, for
// the top-level device, in ONPREMVPN_PLAN_OFFLINE); then the plan goes on with a warning.
func TestAccEdgeOSPlanOffline(t *testing.T) {
	port := closedPort(t)
	block := func(extra string) string {
		return fmt.Sprintf(`provider "onpremvpn" {
  platform = "edgeos"
  host     = "127.0.0.1"
  port     = %s
  username = "admin"
  password = "x"
  host_key = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"
  %s
}
`, port, extra)
	}
	t.Run("unreachable", func(t *testing.T) {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories(),
			Steps: []resource.TestStep{{
				Config:      block("") + prefixListHCL,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Cannot connect to the device at plan time.*127\.0\.0\.1:` + port + `.*plan_offline\s+=\s+true.*ONPREMVPN_PLAN_OFFLINE`),
			}},
		})
	})
	for _, c := range []struct{ name, extra, env string }{
		{"plan_offline", "plan_offline = true", ""},
		{"ONPREMVPN_PLAN_OFFLINE", "", "true"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.env != "" {
				t.Setenv("ONPREMVPN_PLAN_OFFLINE", c.env)
			}
			rec := newDiagRecorder()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: rec.factories(),
				Steps: []resource.TestStep{{
					Config:             block(c.extra) + prefixListHCL,
					PlanOnly:           true,
					ExpectNonEmptyPlan: true, // the plan succeeds: one prefix list to create
				}},
			})
			if err := rec.check(`^Device not read at plan time:`, `127\.0\.0\.1:`+port, `plan_offline is set for device "default"`)(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Skipping host-key verification, in the provider block or in the environment, is reported
// with a warning naming the device on every run.
func TestAccEdgeOSInsecureSkipHostKeyCheckWarns(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	other := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	cfg := fmt.Sprintf(`provider "onpremvpn" {
  platform = "edgeos"
  host     = "127.0.0.1"
  port     = %s
  username = %q
  password = %q
  devices = {
    branch = {
      platform                     = "edgeos"
      host                         = "127.0.0.1"
      port                         = %s
      username                     = %q
      password                     = %q
      insecure_skip_host_key_check = true
    }
  }
}
`, sim.Port(), acctest.Username, acctest.Password, other.Port(), acctest.Username, acctest.Password)
	t.Setenv("ONPREMVPN_INSECURE_SKIP_HOST_KEY_CHECK", "true")
	rec := newDiagRecorder()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			Config: cfg + prefixListHCL,
			Check:  func(*terraform.State) error { return sim.CheckHas("set policy prefix-list BGP rule 10 action deny") },
		}},
	})
	if err := rec.check(`^Host key verification is disabled:`,
		`device "default" \(127\.0\.0\.1:`+sim.Port()+`\) by ONPREMVPN_INSECURE_SKIP_HOST_KEY_CHECK`,
		`device "branch" \(127\.0\.0\.1:`+other.Port()+`\)`, `host_key or known_hosts_file`)(); err != nil {
		t.Fatal(err)
	}
}

// The output of the on-open commands (paging off, terminal width) is checked with the
// platform's CheckOutput: a device that refuses one fails at once, naming the command.
func TestAccEdgeOSOnOpenRefused(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	sim.FailCommand("terminal width", "\n  Invalid command: terminal [width]\n")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{{
			Config:      sim.ProviderBlock() + prefixListHCL,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)on-open\s+command.*"terminal\s+width\s+512".*refused.*Invalid\s+command`),
		}},
	})
	if log := sim.CommandLog(); len(log) != 2 {
		t.Fatalf("the device received %q; want only the two on-open commands", log)
	}
}

// A value only known at apply (here from terraform_data) postpones the object's checks, not
// the device's identity check.
func TestAccEdgeOSPlanIdentityWithUnknownValues(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	other, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	otherKey, err := ssh.NewPublicKey(other)
	if err != nil {
		t.Fatal(err)
	}
	const body = `
resource "terraform_data" "lan" {
  input = "192.168.1.0/24"
}

resource "onpremvpn_prefix_list" "bgp" {
  name  = "BGP"
  rules = { 100 = { action = "permit", prefix = terraform_data.lan.output } }
}
`
	wrongKey := fmt.Sprintf("provider \"onpremvpn\" {\n  platform = \"edgeos\"\n  host     = \"127.0.0.1\"\n  port     = %s\n  username = %q\n  password = %q\n  host_key = %q\n}\n",
		sim.Port(), acctest.Username, acctest.Password, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(otherKey))))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config:      wrongKey + body,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`Device identity not verified`),
			},
			{
				Config: sim.ProviderBlock() + body,
				Check: func(*terraform.State) error {
					return sim.CheckHas("set policy prefix-list BGP rule 100 prefix 192.168.1.0/24")
				},
			},
		},
	})
}
