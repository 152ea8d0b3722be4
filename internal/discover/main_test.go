package discover_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/discover"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

func runMain(args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	code := discover.Main(args, &out, &errb)
	return out.String(), errb.String(), code
}

// Two devices in one run, the second through a jump host, each hop's host key pinned; the
// password from the provider's environment variable. Nothing is written to either device, and
// no secret is printed.
func TestMainTwoDevicesThroughJumpHost(t *testing.T) {
	seed := acctest.Start(t, "edgeos", acctest.Seed004)
	base := acctest.Start(t, "edgeos", acctest.EdgeOSBase+"\nset policy prefix-list LAN rule 10 action permit\nset policy prefix-list LAN rule 10 prefix 192.168.1.0/24")
	bastion := acctest.Start(t, "edgeos", "", func(o *simulator.Options) { o.AllowForwarding = true })
	t.Setenv("ONPREMVPN_PASSWORD", acctest.Password)
	out, errs, code := runMain("--platform", "edgeos", "--host", "127.0.0.1", "--port", seed.Port(), "--username", acctest.Username, "--host-key", seed.HostKeyLine(),
		"--and", "--device", "branch", "--host", "127.0.0.1", "--port", base.Port(), "--host-key", base.HostKeyLine(),
		"--jump-host", "127.0.0.1", "--jump-port", bastion.Port(), "--jump-username", acctest.Username, "--jump-password", acctest.Password, "--jump-host-key", bastion.HostKeyLine())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"to = onpremvpn_ike_gateway.foo0\n  id = \"default/FOO0\"",
		"to = onpremvpn_bgp_neighbor.bgp_neighbor_172_16_0_254\n  id = \"default/172.16.0.254\"",
		"to = onpremvpn_prefix_list.branch_lan\n  id = \"branch/LAN\"",
		`# Device "branch" (platform edgeos): 1 object; 7 lines of its configuration no resource manages`,
		`variable "foo0_pre_shared_key" {`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "seed-Secret-004") || strings.Contains(out, acctest.Password) {
		t.Errorf("a secret was printed:\n%s", out)
	}
	if bastion.Stats().Connections == 0 || len(bastion.CommandLog()) != 0 {
		t.Errorf("the branch was not reached through the jump host only (%d logins, %d commands there)", bastion.Stats().Connections, len(bastion.CommandLog()))
	}
	for _, s := range []*acctest.Sim{seed, base} {
		for _, c := range s.CommandLog() {
			if strings.HasPrefix(c, "configure") || strings.HasPrefix(c, "set ") || strings.HasPrefix(c, "commit") {
				t.Errorf("discover ran %q on a device", c)
			}
		}
	}
}

// A host key other than the pinned one stops discovery before login, naming the device; the
// password is not in the message.
func TestMainHostKeyMismatch(t *testing.T) {
	seed := acctest.Start(t, "edgeos", acctest.Seed004)
	other := acctest.Start(t, "edgeos", "")
	t.Setenv("ONPREMVPN_PASSWORD", acctest.Password)
	out, errs, code := runMain("--platform", "edgeos", "--host", "127.0.0.1", "--port", seed.Port(), "--username", acctest.Username,
		"--host-key", other.HostKeyLine(), "--device", "edge-1")
	if code != 1 || out != "" {
		t.Fatalf("exit %d, output %q", code, out)
	}
	if !strings.Contains(errs, `device "edge-1"`) || !strings.Contains(errs, "host key") || strings.Contains(errs, acctest.Password) {
		t.Errorf("error: %s", errs)
	}
	if seed.Stats().Connections != 0 {
		t.Errorf("logged in despite the wrong host key")
	}
}
