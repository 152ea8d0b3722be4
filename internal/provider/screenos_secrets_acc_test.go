package provider_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// ScreenOS prints pre-shared keys and BGP MD5 keys in a one-way form. A key that nobody
// changed never shows in the plan; a key changed on the device does, and apply writes the
// configured one again. No key reaches the TRACE logs: not as typed, not in the device's
// form, and not the login password.
func TestAccScreenOSSecretsNotLogged(t *testing.T) {
	sim := acctest.Start(t, "screenos", acctest.ScreenOSBase("ssg5")+"set interface \"tunnel.9\" zone \"Untrust\"\nset interface tunnel.9 ip 169.254.21.1/30\n")
	dir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(dir, "%s.log"))
	const initial, rotated, bgp = "initial-Secret#1$x;", "rotated-Secret-2", "bgp-md5#Secret$1"
	cfg := func(psk string) string {
		return sim.ProviderBlock() + strings.Replace(screenosGatewayHCL(28800, ""), initial, psk, 1) +
			screenosTunnelHCL("Azure-VPN_A", "tunnel.1", "192.168.1.0/24", "") +
			screenosBGPHCL(`password = "`+bgp+`"`)
	}
	var forms []string // the device's one-way forms of the keys
	collect := func(*terraform.State) error {
		for _, m := range regexp.MustCompile(`(?:preshare|md5-authentication) "([^"]+)"`).FindAllStringSubmatch(sim.RunningConfig(), -1) {
			forms = append(forms, m[1])
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: cfg(initial), Check: collect},
			{Config: cfg(rotated), Check: collect},
			{ // unchanged keys: the plan is empty
				Config:   cfg(rotated),
				PlanOnly: true,
			},
			{ // a key changed on the device is drift
				PreConfig: func() {
					sim.MustApply(t, `set ike gateway "azure-gateway-ike" address 198.51.100.20 Main outgoing-interface "ethernet0/0" local-address 203.0.113.10 preshare "changed-On-Device" proposal "ovpn-p1-g2-aes128-sha1-28800"`)
				},
				Config:             cfg(rotated),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{ // and apply writes the configured key again
				Config: cfg(rotated),
				Check:  collect,
			},
			{Config: cfg(rotated), PlanOnly: true},
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
	if !strings.Contains(logs, "preshare") || !strings.Contains(logs, "md5-authentication") {
		t.Fatalf("TRACE logs (%d bytes in %d files) do not show the provider's configuration pushes", len(logs), len(files))
	}
	if len(forms) < 4 {
		t.Fatalf("the device printed %d key forms", len(forms))
	}
	for i, s := range append([]string{initial, rotated, bgp, "changed-On-Device", acctest.Password}, forms...) {
		if at := strings.Index(logs, s); at >= 0 {
			lo, hi := max(0, at-300), min(len(logs), at+len(s)+100)
			t.Errorf("secret #%d appears in the TRACE logs %d times; first in:\n%s", i, strings.Count(logs, s),
				strings.ReplaceAll(logs[lo:hi], s, "<SECRET>"))
		}
	}
}

// A batch refused after the gateway line was retyped is undone with the gateway line as the
// device printed it, its key in the device's one-way form: the device takes its own form
// back, and `get config` is exactly as before the apply.
func TestAccScreenOSUndoRetypesTheDevicesKeyForm(t *testing.T) {
	sim := acctest.Start(t, "screenos", acctest.ScreenOSBase("ssg5"))
	v1 := sim.ProviderBlock() + screenosGatewayHCL(28800, "") + screenosTunnelHCL("Azure-VPN_A", "tunnel.1", "192.168.1.0/24", "")
	v2 := sim.ProviderBlock() + screenosGatewayHCL(14400, `liveness = { interval = 10, retry_count = 5 }`) +
		screenosTunnelHCL("Azure-VPN_A", "tunnel.1", "192.168.1.0/24", "")
	var before string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{Config: v1, Check: func(*terraform.State) error { before = sim.RunningConfig(); return nil }},
			{
				PreConfig: func() {
					sim.FailCommandOnce(`set ike gateway "azure-gateway-ike" dpd-liveness retry 5`, "invalid retry for the injected fault")
				},
				Config:      v2,
				ExpectError: regexp.MustCompile(words("invalid retry for the injected fault")),
			},
			{
				PreConfig: func() {
					if now := sim.RunningConfig(); now != before {
						t.Fatalf("the refused update left the device changed:\nbefore:\n%s\nnow:\n%s", before, now)
					}
					log := strings.Join(sim.CommandLog(), "\n")
					if !regexp.MustCompile(`(?m)^set ike gateway "azure-gateway-ike" .*proposal "ovpn-p1-g2-aes128-sha1-14400"`).MatchString(log) {
						t.Fatalf("the update never retyped the gateway line:\n%s", log)
					}
				},
				Config: v2,
				Check: func(*terraform.State) error {
					return sim.CheckHas(`set ike gateway "azure-gateway-ike" dpd-liveness retry 5`)
				},
			},
		},
	})
}
