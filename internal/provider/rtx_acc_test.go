package provider_test

import (
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

func rtxGatewayHCL(lifetime int, extra string) string {
	return hcl(`
resource "onpremvpn_ike_gateway" "azure" {
  name           = "AZURE-GW-0"
  peer_address   = "198.51.100.10"
  local_address  = "203.0.113.2"
  ike_version    = 2
  pre_shared_key = "initial-Secret1"
  lifetime       = %d
  proposals      = [{ encryption = "aes256", integrity = "sha256", dh_group = 2 }]
  %s
}
`, lifetime, extra)
}

func rtxTunnelHCL(lifetime int, extra string) string {
	return hcl(`
resource "onpremvpn_vpn_tunnel" "azure" {
  name        = "AZURE-VPN-0"
  ike_gateway      = onpremvpn_ike_gateway.azure.name
  tunnel_interface = "tunnel1"
  lifetime    = %d
  proposals   = [{ encryption = "aes256", integrity = "sha256" }]
  %s
}
`, lifetime, extra)
}

func TestAccRTXIKEGateway(t *testing.T) {
	lifecycle{
		platform: "rtx",
		initial:  acctest.RTXBase,
		address:  "onpremvpn_ike_gateway.azure",
		importID: "default/AZURE-GW-0",
		v1:       rtxGatewayHCL(28800, "") + rtxTunnelHCL(3600, ""),
		v2:       rtxGatewayHCL(14400, `liveness = { interval = 10, retry_count = 5 }`) + rtxTunnelHCL(3600, ""),
		linesV1: []string{
			`description 21474001 AZURE-GW-0`,
			"ipsec ike version 1 2",
			"ipsec ike encryption 1 aes256-cbc",
			"ipsec ike hash 1 sha256",
			"ipsec ike local address 1 203.0.113.2",
			"ipsec ike remote address 1 198.51.100.10",
			"ipsec ike pre-shared-key 1 text initial-Secret1",
			"ipsec ike proposal-limitation 1 on",
			"ipsec ike message-id-control 1 on",
			"ipsec ike child-exchange type 1 2",
			"ipsec sa policy 1 1 esp aes256-cbc sha256-hmac",
			"tunnel select 1",
			"ipsec tunnel 1",
			"tunnel enable 1",
		},
		linesV2: []string{
			"ipsec ike duration ike-sa 1 14400",
			"ipsec ike keepalive use 1 on rfc4306 10 5",
		},
		drift:         []string{"no ipsec ike keepalive use 1"},
		deleteOutside: rtxDeleteTunnel1,
		gone:          []string{"AZURE-GW-0", "ipsec ike", "ipsec sa policy", "tunnel select 1", "ipsec tunnel"},
	}.run(t)
}

// rtxDeleteTunnel1 removes gateway 1 and tunnel 1 the way an administrator would by hand.
var rtxDeleteTunnel1 = []string{
	"tunnel select 1", "no ipsec tunnel", "no description tunnel", "no tunnel enable 1", "tunnel select none",
	"no ipsec sa policy 1",
	"no description 21474001",
	"no ipsec ike version 1", "no ipsec ike encryption 1", "no ipsec ike hash 1", "no ipsec ike local address 1",
	"no ipsec ike remote address 1", "no ipsec ike pre-shared-key 1", "no ipsec ike proposal-limitation 1",
	"no ipsec ike message-id-control 1", "no ipsec ike child-exchange type 1", "no ipsec ike duration ike-sa 1",
	"no ipsec ike duration ipsec-sa 1", "no ipsec ike keepalive use 1", "no ipsec ike group 1", "no ipsec ike pfs 1",
	"no ipsec auto refresh 1",
}
