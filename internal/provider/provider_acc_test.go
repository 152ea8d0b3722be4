package provider_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
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
			{ // the jump host's key is verified too (at plan time an unreachable device is only
				// a warning, so the apply reports it)
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
