package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// The pitfalls of seed 000, caught at plan against the ScreenOS simulator before anything
// reaches the device: a source route whose preference is not below the default 20 (error,
// naming the reason), a second tunnel on a tunnel interface another tunnel owns (error), a
// proxy-id that no route sends into its tunnel (warning), a policy that a broader one above
// it shadows (warning, naming that policy).
func TestAccScreenOSPlanChecks(t *testing.T) {
	sim := acctest.Start(t, "screenos", acctest.ScreenOSBase("ssg5"))
	rec := newDiagRecorder()
	cfg := func(body string) string { return sim.ProviderBlock() + body }
	untouched := func(*terraform.State) error { return sim.CheckNone("route source", "Azure-VPN_B") }
	tunnelA := screenosGatewayHCL(28800, "") + screenosTunnelHCL("Azure-VPN_A", "tunnel.1", "192.168.1.0/24", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{
			{ // preference 20 or more: an error naming the default route preference
				Config: cfg(`
resource "onpremvpn_source_route" "a" {
  source           = "192.168.1.0/24"
  tunnel_interface = "tunnel.1"
  preference       = 20
}
`),
				ExpectError: regexp.MustCompile(`(?s)` + words(`preference: 20 is not below ScreenOS's default route preference 20, so traffic from 192.168.1.0/24 may still leave by the default route`)),
			},
			{ // no preference at all: the device's default 20, the same error
				Config: cfg(`
resource "onpremvpn_source_route" "a" {
  source           = "192.168.1.0/24"
  tunnel_interface = "tunnel.1"
}
`),
				ExpectError: regexp.MustCompile(`(?s)` + words(`preference: unset, the device uses its default preference 20`)),
			},
			{ // a tunnel whose proxy-id no route sends into tunnel.1: applies, with a warning
				Config: cfg(tunnelA),
				Check:  untouched,
			},
			{ // a second tunnel on tunnel.1: an error naming the tunnel that owns it
				Config:      cfg(tunnelA + screenosTunnelHCL("Azure-VPN_B", "tunnel.1", "172.16.0.0/24", "")),
				ExpectError: regexp.MustCompile(`(?s)` + words(`tunnel.1 is already bound to vpn_tunnel "Azure-VPN_A"; ScreenOS binds one VPN per tunnel interface`)),
			},
			{ // a policy below a broader one of the same zone pair: applies, with a warning
				Config: cfg(tunnelA + `
resource "onpremvpn_security_policy" "all" {
  name      = "all-out"
  from_zone = "Trust"
  to_zone   = "Untrust"
  action    = "permit"
}

resource "onpremvpn_security_policy" "azure" {
  name                  = "Go Azure"
  from_zone             = "Trust"
  to_zone               = "Untrust"
  destination_addresses = ["10.0.0.0/24"]
  action                = "permit"
  position              = "after:${onpremvpn_security_policy.all.policy_id}"
}
`),
				Check: untouched,
			},
		},
	})
	for _, want := range []string{
		`^Check this vpn_tunnel for screenos \(device "default"\): traffic_selectors\[0\]: no source route from 192\.168\.1\.0/24 nor static route to 10\.0\.0\.0/24 goes into tunnel\.1: traffic for this proxy-id will not enter the tunnel$`,
		`^Check this security_policy for screenos \(device "default"\): position: security_policy "all-out" \(policy id 1\) sits above this policy and matches everything it matches, so this policy can never match`,
	} {
		if err := rec.check(want)(); err != nil {
			t.Error(err)
		}
	}
}

// A new tunnel on a tunnel interface the device already addresses (tunnel.1 unnumbered on
// ethernet0/0, typed by hand) without saying so is refused, naming the interface and its
// address, and nothing changes; with unnumbered_interface set to it, the interface is adopted.
func TestAccScreenOSTunnelOnAddressedInterface(t *testing.T) {
	sim := acctest.Start(t, "screenos", acctest.ScreenOSBase("ssg5")+screenosTunnel1)
	cfg := func(extra string) string {
		return sim.ProviderBlock() + screenosGatewayHCL(28800, "") + screenosTunnelHCL("Azure-VPN_A", "tunnel.1", "192.168.1.0/24", extra)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config:      cfg(""),
				ExpectError: regexp.MustCompile(`(?s)` + words("tunnel.1 already has `ip unnumbered interface ethernet0/0` on the device; set tunnel_interface_address or unnumbered_interface to it")),
				Check:       func(*terraform.State) error { return sim.CheckNone("Azure-VPN_A") },
			},
			{
				Config: cfg(`unnumbered_interface = "ethernet0/0"`),
				Check: func(*terraform.State) error {
					return sim.CheckHas(`set vpn "Azure-VPN_A" id 0x1 bind interface tunnel.1`, "set interface tunnel.1 ip unnumbered interface ethernet0/0")
				},
			},
		},
	})
}
