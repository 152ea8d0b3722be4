package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

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

func TestAccRTXVPNTunnel(t *testing.T) {
	lifecycle{
		platform: "rtx",
		initial:  acctest.RTXBase,
		address:  "onpremvpn_vpn_tunnel.azure",
		importID: "default/AZURE-VPN-0",
		v1:       rtxGatewayHCL(28800, "") + rtxTunnelHCL(3600, ""),
		v2: rtxGatewayHCL(28800, "") + rtxTunnelHCL(27000, `pfs_group = 14
  tcp_mss     = 1350
  mtu         = 1400
  anti_replay = false
  tunnel_interface_address = "169.254.21.1/30"`),
		linesV1: []string{
			"tunnel select 1",
			"description tunnel AZURE-VPN-0",
			"ipsec tunnel 1",
			"ipsec sa policy 1 1 esp aes256-cbc sha256-hmac",
			"ipsec ike duration ipsec-sa 1 3600",
			"tunnel enable 1",
		},
		linesV2: []string{
			"ipsec sa policy 1 1 esp aes256-cbc sha256-hmac anti-replay-check=off",
			"ipsec ike duration ipsec-sa 1 27000",
			"ipsec ike pfs 1 on",
			"ipsec ike group 1 modp1024 modp2048",
			"ip tunnel address 169.254.21.1/30",
			"ip tunnel mtu 1400",
			"ip tunnel tcp mss limit 1350",
		},
		absentV2:      []string{"ipsec-sa 1 3600"},
		drift:         []string{"tunnel select 1", "no ip tunnel tcp mss limit", "tunnel select none"},
		deleteOutside: []string{"tunnel select 1", "no ipsec tunnel", "no description tunnel", "no ip tunnel address", "no ip tunnel mtu", "no ip tunnel tcp mss limit", "no tunnel enable 1", "tunnel select none", "no ipsec sa policy 1", "no ipsec ike duration ipsec-sa 1", "no ipsec ike pfs 1"},
		gone:          []string{"AZURE-VPN-0", "ipsec sa policy", "ipsec tunnel", "ip tunnel", "tunnel enable"},
	}.run(t)
}

// rtxTunnel1 is gateway 1 and tunnel 1 configured by hand (the routes' target).
const rtxTunnel1 = `ipsec ike version 1 2
ipsec ike pre-shared-key 1 text hand-Made1
ipsec ike remote address 1 198.51.100.10
ipsec sa policy 1 1 esp aes-cbc sha256-hmac
tunnel select 1
 ipsec tunnel 1
 tunnel enable 1
tunnel select none
`

func TestAccRTXStaticRoute(t *testing.T) {
	lifecycle{
		platform: "rtx",
		initial:  acctest.RTXBase + rtxTunnel1,
		address:  "onpremvpn_static_route.azure",
		importID: "default/172.16.1.0/24",
		v1: `
resource "onpremvpn_static_route" "azure" {
  destination      = "172.16.1.0/24"
  tunnel_interface = "tunnel1"
}
`,
		v2: `
resource "onpremvpn_static_route" "azure" {
  destination = "172.16.1.0/24"
  next_hop    = "192.168.100.254"
  distance    = 10
}
`,
		linesV1:       []string{"ip route 172.16.1.0/24 gateway tunnel 1"},
		linesV2:       []string{"ip route 172.16.1.0/24 gateway 192.168.100.254 metric 10"},
		absentV2:      []string{"172.16.1.0/24 gateway tunnel 1"},
		drift:         []string{"ip route 172.16.1.0/24 gateway 192.168.100.254 metric 5"},
		deleteOutside: []string{"no ip route 172.16.1.0/24"},
		gone:          []string{"172.16.1.0/24"},
	}.run(t)
}

func TestAccRTXSourceRoute(t *testing.T) {
	lifecycle{
		platform: "rtx",
		initial:  acctest.RTXBase + rtxTunnel1,
		address:  "onpremvpn_source_route.lan",
		importID: "default/192.168.100.0/24",
		v1: `
resource "onpremvpn_source_route" "lan" {
  source           = "192.168.100.0/24"
  tunnel_interface = "tunnel1"
}
`,
		v2: `
resource "onpremvpn_source_route" "lan" {
  source           = "192.168.100.0/24"
  destination      = "172.16.0.0/12"
  tunnel_interface = "tunnel1"
}
`,
		linesV1: []string{
			"ip filter 9000 pass 192.168.100.0/24 * * * *",
			"ip route default gateway tunnel 1 filter 9000 gateway 203.0.113.1",
		},
		linesV2: []string{
			"ip route default gateway 203.0.113.1",
			"ip route 172.16.0.0/12 gateway tunnel 1 filter 9000",
		},
		absentV2:      []string{"filter 9000 gateway 203.0.113.1"},
		drift:         []string{"no ip route 172.16.0.0/12", "ip route 172.16.0.0/16 gateway tunnel 1 filter 9000"},
		deleteOutside: []string{"no ip route 172.16.0.0/12", "no ip filter 9000"},
		gone:          []string{"9000", "172.16.0.0/12"},
	}.run(t)
}

func TestAccRTXPrefixList(t *testing.T) {
	lifecycle{
		platform: "rtx",
		initial:  acctest.RTXBase,
		address:  "onpremvpn_prefix_list.azure",
		importID: "default/AZURE-PREFIXES",
		v1: `
resource "onpremvpn_prefix_list" "azure" {
  name  = "AZURE-PREFIXES"
  rules = { 10 = { action = "permit", prefix = "172.16.1.0/24" } }
}
`,
		v2: `
resource "onpremvpn_prefix_list" "azure" {
  name  = "AZURE-PREFIXES"
  rules = {
    10 = { action = "permit", prefix = "172.16.1.0/24" }
    20 = { action = "permit", prefix = "172.16.200.0/24" }
  }
}
`,
		linesV1:       []string{"description 21474101 AZURE-PREFIXES", "bgp import filter 1 equal 172.16.1.0/24"},
		linesV2:       []string{"bgp import filter 1 equal 172.16.1.0/24 172.16.200.0/24"},
		drift:         []string{"bgp import filter 1 equal 10.9.9.0/24"},
		deleteOutside: []string{"no bgp import filter 1", "no description 21474101"},
		gone:          []string{"AZURE-PREFIXES", "bgp import filter"},
	}.run(t)
}

func rtxBGPHCL(extra string) string {
	return hcl(`
resource "onpremvpn_prefix_list" "in" {
  name  = "AZURE-PREFIXES"
  rules = { 10 = { action = "permit", prefix = "172.16.1.0/24" } }
}

resource "onpremvpn_prefix_list" "out" {
  name  = "ONPREM-PREFIXES"
  rules = { 10 = { action = "permit", prefix = "192.168.100.0/24" } }
}

resource "onpremvpn_bgp_neighbor" "azure" {
  neighbor_address = "169.254.21.2"
  local_as         = 64512
  remote_as        = 65515
  update_source    = "169.254.21.1"
  prefix_list_in   = onpremvpn_prefix_list.in.name
  prefix_list_out  = onpremvpn_prefix_list.out.name
  %s
}
`, extra)
}

func TestAccRTXBGPNeighbor(t *testing.T) {
	lifecycle{
		platform: "rtx",
		initial:  acctest.RTXBase,
		address:  "onpremvpn_bgp_neighbor.azure",
		importID: "default/169.254.21.2",
		v1:       rtxBGPHCL("hold_time = 30\n  keepalive = 10"),
		v2:       rtxBGPHCL("hold_time = 90\n  keepalive = 30\n  password = \"bgp-md5-Secret1\""),
		linesV1: []string{
			"bgp use on",
			"bgp autonomous-system 64512",
			"bgp neighbor 1 65515 169.254.21.2 hold-time=30 local-address=169.254.21.1",
		},
		linesV2: []string{
			"bgp neighbor 1 65515 169.254.21.2 hold-time=90 local-address=169.254.21.1",
			"bgp neighbor pre-shared-key 1 text bgp-md5-Secret1",
		},
		// The two filters are numbered when created, in whichever order Terraform creates them.
		patternsV2: []string{
			`^bgp import 65515 static filter [12]$`,
			`^bgp export 65515 filter [12]$`,
			`^bgp import filter [12] equal 172\.16\.1\.0/24$`,
			`^bgp import filter [12] equal 192\.168\.100\.0/24$`,
			`^bgp export filter [12] equal 172\.16\.1\.0/24$`,
		},
		drift:         []string{"bgp neighbor pre-shared-key 1 text changed-on-device"},
		deleteOutside: []string{"no bgp neighbor pre-shared-key 1", "no bgp neighbor 1"},
		gone:          []string{"169.254.21.2", "bgp neighbor"},
	}.run(t)
}

// TestAccRTXQuotedTextRoundTrips: descriptions and keys holding the characters the RTX console
// treats specially (command reference 1.5: `?` help, `#` comment, `|` pipe, `>` redirection,
// quotes, blanks) are typed escaped in double quotes, stored as themselves by the simulator,
// read back unchanged (no plan after apply) and imported.
func TestAccRTXQuotedTextRoundTrips(t *testing.T) {
	sim := acctest.Start(t, "rtx", acctest.RTXBase)
	cfg := sim.ProviderBlock() + `
resource "onpremvpn_ike_gateway" "g" {
  name           = "GW-Q"
  description    = "say \"hi\" why? #1 | x > y 'z'"
  peer_address   = "198.51.100.10"
  ike_version    = 2
  pre_shared_key = "k#y?1|a>b"
  proposals      = [{ encryption = "aes256", integrity = "sha256", dh_group = 2 }]
}
resource "onpremvpn_vpn_tunnel" "t" {
  name             = "TUN-Q"
  description      = "Error: Invalid command name [RTX1210] #"
  ike_gateway      = onpremvpn_ike_gateway.g.name
  tunnel_interface = "tunnel1"
  proposals        = [{ encryption = "aes256", integrity = "sha256" }]
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: func(*terraform.State) error {
					return sim.CheckHas(
						`description 21474001 "GW-Q say \"hi\" why? #1 | x > y 'z'"`,
						`ipsec ike pre-shared-key 1 text "k#y?1|a>b"`,
						`description tunnel "TUN-Q Error: Invalid command name [RTX1210] #"`,
					)
				},
			},
			{Config: cfg, PlanOnly: true},
			{Config: cfg, ResourceName: "onpremvpn_ike_gateway.g", ImportState: true, ImportStateId: "default/GW-Q", ImportStateVerify: true},
			{Config: cfg, ResourceName: "onpremvpn_vpn_tunnel.t", ImportState: true, ImportStateId: "default/TUN-Q", ImportStateVerify: true},
		},
	})
}

// TestAccRTXImportUnnamedFilter: a BGP filter configured by hand has no name line; it imports
// as bgp-filterN, the plan after import is empty, and the import adds no line to the router.
func TestAccRTXImportUnnamedFilter(t *testing.T) {
	sim := acctest.Start(t, "rtx", acctest.RTXBase+"bgp import filter 5 include 10.0.0.0/8\n")
	before := sim.RunningConfig()
	body := `
import {
  to = onpremvpn_prefix_list.hand
  id = "default/bgp-filter5"
}

resource "onpremvpn_prefix_list" "hand" {
  name   = "bgp-filter5"
  number = 5
  rules  = { 10 = { action = "permit", prefix = "10.0.0.0/8", le = 32 } }
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: sim.ProviderBlock() + body,
				Check: func(*terraform.State) error {
					if now := sim.RunningConfig(); now != before {
						return fmt.Errorf("importing changed the router:\n%s", now)
					}
					return nil
				},
			},
			{Config: sim.ProviderBlock() + body, PlanOnly: true},
		},
	})
}
