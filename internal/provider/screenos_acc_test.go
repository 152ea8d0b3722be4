package provider_test

import (
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// ScreenOS acceptance tests: every resource through the full lifecycle against the ScreenOS
// simulator (an SSG5 on 6.3 with its factory configuration: untrust ethernet0/0
// 203.0.113.10/24, trust bgroup0 192.168.1.1/24): lines typed one by one, each taking effect
// at once, `save` after the batch, `get config` read back. The expected lines are what `get
// config` prints; pre-shared keys print in the device's one-way form, so their lines are
// matched by pattern, and the plan after an import block writes the configured key once.

func screenosGatewayHCL(lifetime int, extra string) string {
	return hcl(`
resource "onpremvpn_ike_gateway" "azure" {
  name           = "azure-gateway-ike"
  peer_address   = "198.51.100.20"
  local_address  = "203.0.113.10"
  ike_version    = 1
  pre_shared_key = "initial-Secret#1$x;"
  lifetime       = %d
  proposals      = [{ encryption = "aes128", integrity = "sha1", dh_group = 2 }]
  %s
}
`, lifetime, extra)
}

func screenosTunnelHCL(name, iface, local string, extra string) string {
	return hcl(`
resource "onpremvpn_vpn_tunnel" %[1]q {
  name              = %[1]q
  ike_gateway       = onpremvpn_ike_gateway.azure.name
  tunnel_interface  = %[2]q
  proposals         = [{ encryption = "aes128", integrity = "sha1" }]
  traffic_selectors = [{ local = %[3]q, remote = "10.0.0.0/24" }]
  %[4]s
}
`, name, iface, local, extra)
}

// screenosTunnel1 is a tunnel interface configured by hand, for the routes to point at.
const screenosTunnel1 = "set interface \"tunnel.1\" zone \"Untrust\"\nset interface tunnel.1 ip unnumbered interface ethernet0/0\n"

func TestAccScreenOSIKEGateway(t *testing.T) {
	lifecycle{
		platform:           "screenos",
		initial:            acctest.ScreenOSBase("ssg5"),
		address:            "onpremvpn_ike_gateway.azure",
		importID:           "default/azure-gateway-ike",
		importIgnore:       []string{"pre_shared_key"},
		importWritesSecret: "pre_shared_key",
		v1:                 screenosGatewayHCL(28800, "") + screenosTunnelHCL("Azure-VPN_A", "tunnel.1", "192.168.1.0/24", ""),
		v2: screenosGatewayHCL(14400, `nat_traversal = true
  liveness = { interval = 10, retry_count = 5 }`) + screenosTunnelHCL("Azure-VPN_A", "tunnel.1", "192.168.1.0/24", ""),
		linesV1: []string{
			`set ike p1-proposal "ovpn-p1-g2-aes128-sha1-28800" preshare group2 esp aes128 sha-1 second 28800`,
			`set interface "tunnel.1" zone "Untrust"`,
		},
		patternsV2: []string{
			`^set ike gateway "azure-gateway-ike" address 198\.51\.100\.20 Main outgoing-interface "ethernet0/0" local-address 203\.0\.113\.10 preshare "[^"]+" proposal "ovpn-p1-g2-aes128-sha1-14400"$`,
		},
		linesV2: []string{
			`set ike p1-proposal "ovpn-p1-g2-aes128-sha1-14400" preshare group2 esp aes128 sha-1 second 14400`,
			`set ike gateway "azure-gateway-ike" nat-traversal`,
			`set ike gateway "azure-gateway-ike" dpd-liveness interval 10`,
			`set ike gateway "azure-gateway-ike" dpd-liveness retry 5`,
		},
		absentV2:      []string{"second 28800", "initial-Secret"},
		drift:         []string{`unset ike gateway "azure-gateway-ike" nat-traversal`},
		deleteOutside: []string{`unset vpn "Azure-VPN_A"`, `unset ike gateway "azure-gateway-ike"`},
		gone:          []string{"azure-gateway-ike", "tunnel.1", "ovpn-p1"},
	}.run(t)
}

func TestAccScreenOSVPNTunnel(t *testing.T) {
	lifecycle{
		platform: "screenos",
		initial:  acctest.ScreenOSBase("ssg5"),
		address:  "onpremvpn_vpn_tunnel.Azure-VPN_A",
		importID: "default/Azure-VPN_A",
		v1:       screenosGatewayHCL(28800, "") + screenosTunnelHCL("Azure-VPN_A", "tunnel.1", "192.168.1.0/24", ""),
		v2: screenosGatewayHCL(28800, "") + screenosTunnelHCL("Azure-VPN_A", "tunnel.1", "192.168.2.0/24", `pfs_group = 14
  lifetime             = 7200
  mtu                  = 1436
  anti_replay          = true
  unnumbered_interface = "ethernet0/0"
  monitor              = {}`),
		linesV1: []string{
			`set ike p2-proposal "ovpn-p2-g0-aes128-sha1-3600" no-pfs esp aes128 sha-1 second 3600`,
			`set vpn "Azure-VPN_A" gateway "azure-gateway-ike" no-replay tunnel idletime 0 proposal "ovpn-p2-g0-aes128-sha1-3600"`,
			`set vpn "Azure-VPN_A" id 0x1 bind interface tunnel.1`,
			`set vpn "Azure-VPN_A" proxy-id local-ip 192.168.1.0/24 remote-ip 10.0.0.0/24 "ANY"`,
			`set interface "tunnel.1" zone "Untrust"`,
		},
		linesV2: []string{
			`set ike p2-proposal "ovpn-p2-g14-aes128-sha1-7200" group14 esp aes128 sha-1 second 7200`,
			`set vpn "Azure-VPN_A" gateway "azure-gateway-ike" replay tunnel idletime 0 proposal "ovpn-p2-g14-aes128-sha1-7200"`,
			`set vpn "Azure-VPN_A" monitor optimized`,
			`set interface tunnel.1 ip unnumbered interface ethernet0/0`,
			`set interface tunnel.1 mtu 1436`,
			// the proxy-id line retyped in place
			`set vpn "Azure-VPN_A" proxy-id local-ip 192.168.2.0/24 remote-ip 10.0.0.0/24 "ANY"`,
		},
		absentV2:      []string{"ovpn-p2-g0", "no-replay", "192.168.1.0/24 remote-ip"},
		drift:         []string{"unset interface tunnel.1 mtu"},
		deleteOutside: []string{`unset vpn "Azure-VPN_A"`},
		gone:          []string{"Azure-VPN_A", "tunnel.1", "ovpn-p2"},
	}.run(t)
}

func TestAccScreenOSStaticRoute(t *testing.T) {
	lifecycle{
		platform: "screenos",
		initial:  acctest.ScreenOSBase("ssg5") + screenosTunnel1,
		address:  "onpremvpn_static_route.segment_b",
		importID: "default/172.16.0.0/24",
		v1: `
resource "onpremvpn_static_route" "segment_b" {
  destination      = "172.16.0.0/24"
  next_hop         = "192.168.1.254"
}
`,
		v2: `
resource "onpremvpn_static_route" "segment_b" {
  destination      = "172.16.0.0/24"
  tunnel_interface = "tunnel.1"
  distance         = 10
}
`,
		linesV1:       []string{"set route 172.16.0.0/24 gateway 192.168.1.254"},
		linesV2:       []string{"set route 172.16.0.0/24 interface tunnel.1 preference 10"},
		absentV2:      []string{"gateway 192.168.1.254"},
		drift:         []string{"set vrouter trust-vr route 172.16.0.0/24 interface tunnel.1 preference 30"},
		deleteOutside: []string{"unset vrouter trust-vr route 172.16.0.0/24 interface tunnel.1"},
		gone:          []string{"172.16.0.0/24"},
	}.run(t)
}

// screenosSourceRouteHCL is a source route into tunnel.1 (two lines on the device: the route
// and `source-routing enable` in trust-vr).
const screenosSourceRouteHCL = `
resource "onpremvpn_source_route" "segment_a" {
  source           = "192.168.1.0/24"
  tunnel_interface = "tunnel.1"
  preference       = 15
}
`

func TestAccScreenOSSourceRoute(t *testing.T) {
	lifecycle{
		platform: "screenos",
		initial:  acctest.ScreenOSBase("ssg5") + screenosTunnel1,
		address:  "onpremvpn_source_route.segment_a",
		importID: "default/192.168.1.0/24",
		v1: `
resource "onpremvpn_source_route" "segment_a" {
  source           = "192.168.1.0/24"
  tunnel_interface = "tunnel.1"
  preference       = 15
}
`,
		v2: `
resource "onpremvpn_source_route" "segment_a" {
  source           = "192.168.1.0/24"
  tunnel_interface = "tunnel.1"
  preference       = 10
}
`,
		linesV1:       []string{"set source-routing enable", "set route source 192.168.1.0/24 interface tunnel.1 preference 15"},
		linesV2:       []string{"set source-routing enable", "set route source 192.168.1.0/24 interface tunnel.1 preference 10"},
		absentV2:      []string{"preference 15"},
		drift:         []string{"set vrouter trust-vr route source 192.168.1.0/24 interface tunnel.1 preference 25"},
		deleteOutside: []string{"unset vrouter trust-vr route source 192.168.1.0/24 interface tunnel.1", "unset vrouter trust-vr source-routing enable"},
		gone:          []string{"route source", "source-routing"},
	}.run(t)
}

func TestAccScreenOSPrefixList(t *testing.T) {
	lifecycle{
		platform: "screenos",
		initial:  acctest.ScreenOSBase("ssg5"),
		address:  "onpremvpn_prefix_list.azure",
		importID: "default/AZURE-PREFIXES",
		v1: `
resource "onpremvpn_prefix_list" "azure" {
  name  = "AZURE-PREFIXES"
  rules = { 1 = { action = "permit", prefix = "10.0.0.0/24" } }
}
`,
		v2: `
resource "onpremvpn_prefix_list" "azure" {
  name  = "AZURE-PREFIXES"
  rules = {
    1 = { action = "permit", prefix = "10.0.0.0/24" }
    2 = { action = "permit", prefix = "10.1.0.0/24" }
  }
}
`,
		linesV1:       []string{"set access-list 1 permit ip 10.0.0.0/24 1", `set route-map name "AZURE-PREFIXES" permit 1`, "set match ip 1"},
		linesV2:       []string{"set access-list 1 permit ip 10.0.0.0/24 1", "set access-list 1 permit ip 10.1.0.0/24 2", `set route-map name "AZURE-PREFIXES" permit 1`},
		drift:         []string{"unset vrouter trust-vr access-list 1 permit ip 10.1.0.0/24 2"},
		deleteOutside: []string{`unset vrouter trust-vr route-map name "AZURE-PREFIXES" permit 1`, "unset vrouter trust-vr access-list 1 permit ip 10.0.0.0/24 1", "unset vrouter trust-vr access-list 1 permit ip 10.1.0.0/24 2"},
		gone:          []string{"AZURE-PREFIXES", "access-list"},
	}.run(t)
}

func screenosBGPHCL(extra string) string {
	return hcl(`
resource "onpremvpn_prefix_list" "in" {
  name   = "AZURE-PREFIXES"
  number = 2
  rules = { 1 = { action = "permit", prefix = "10.0.0.0/24" } }
}

resource "onpremvpn_prefix_list" "out" {
  name   = "ONPREM-PREFIXES"
  number = 1
  rules = { 1 = { action = "permit", prefix = "192.168.1.0/24" } }
}

resource "onpremvpn_bgp_neighbor" "azure" {
  neighbor_address = "169.254.21.2"
  local_as         = 64512
  remote_as        = 65515
  keepalive        = 60
  hold_time        = 180
  prefix_list_in   = onpremvpn_prefix_list.in.name
  prefix_list_out  = onpremvpn_prefix_list.out.name
  %s
}
`, extra)
}

func TestAccScreenOSBGPNeighbor(t *testing.T) {
	lifecycle{
		platform:     "screenos",
		initial:      acctest.ScreenOSBase("ssg5") + "set interface \"tunnel.1\" zone \"Untrust\"\nset interface tunnel.1 ip 169.254.21.1/30\n",
		address:      "onpremvpn_bgp_neighbor.azure",
		importID:     "default/169.254.21.2",
		v1:           screenosBGPHCL(""),
		v2:           screenosBGPHCL("ebgp_multihop = 2\n  update_source = \"tunnel.1\"\n  password = \"bgp-md5#Secret$1\""),
		importIgnore: []string{"password"},
		linesV1: []string{
			"set access-list 2 permit ip 10.0.0.0/24 1",
			"set access-list 1 permit ip 192.168.1.0/24 1",
			"set protocol bgp 64512",
			"set enable",
			"set neighbor 169.254.21.2 remote-as 65515",
			"set neighbor 169.254.21.2 hold-time 180",
			"set neighbor 169.254.21.2 keepalive 60",
			`set neighbor 169.254.21.2 route-map "AZURE-PREFIXES" in`,
			`set neighbor 169.254.21.2 route-map "ONPREM-PREFIXES" out`,
			"set neighbor 169.254.21.2 enable",
		},
		linesV2: []string{
			"set neighbor 169.254.21.2 ebgp-multihop 2",
			"set neighbor 169.254.21.2 src-interface tunnel.1",
		},
		patternsV2: []string{`^set neighbor 169\.254\.21\.2 md5-authentication "[^"]+"$`},
		absentV2:   []string{"bgp-md5#Secret"},
		// A key changed on the device is drift, though the device prints it one-way.
		drift:         []string{`set vrouter trust-vr protocol bgp neighbor 169.254.21.2 md5-authentication "changed-on-device"`},
		deleteOutside: []string{"unset vrouter trust-vr protocol bgp neighbor 169.254.21.2"},
		gone:          []string{"169.254.21.2", "AZURE-PREFIXES", "protocol bgp"},
	}.run(t)
}

func TestAccScreenOSSecurityPolicy(t *testing.T) {
	lifecycle{
		platform: "screenos",
		initial:  acctest.ScreenOSBase("ssg5"),
		address:  "onpremvpn_security_policy.go_azure",
		importID: "default/Go Azure",
		v1: `
resource "onpremvpn_security_policy" "go_azure" {
  name                  = "Go Azure"
  from_zone             = "Trust"
  to_zone               = "Untrust"
  destination_addresses = ["10.0.0.0/24"]
  action                = "permit"
  log                   = true
}
`,
		v2: `
resource "onpremvpn_security_policy" "go_azure" {
  name                  = "Go Azure"
  from_zone             = "Trust"
  to_zone               = "Untrust"
  source_addresses      = ["192.168.1.0/24", "172.16.0.0/24"]
  destination_addresses = ["10.0.0.0/24"]
  services              = ["HTTPS", "SSH"]
  action                = "permit"
}
`,
		linesV1: []string{
			`set address "Untrust" "10.0.0.0/24" 10.0.0.0 255.255.255.0`,
			`set policy id 1 name "Go Azure" from "Trust" to "Untrust" "Any" "10.0.0.0/24" "ANY" permit log`,
		},
		linesV2: []string{
			`set address "Trust" "192.168.1.0/24" 192.168.1.0 255.255.255.0`,
			`set address "Trust" "172.16.0.0/24" 172.16.0.0 255.255.255.0`,
			`set policy id 1 name "Go Azure" from "Trust" to "Untrust" "192.168.1.0/24" "10.0.0.0/24" "HTTPS" permit`,
			// further addresses and services in the policy's context
			`set src-address "172.16.0.0/24"`,
			`set service "SSH"`,
		},
		absentV2:      []string{"permit log"},
		drift:         []string{`set policy id 1 name "Go Azure" from "Trust" to "Untrust" "192.168.1.0/24" "10.0.0.0/24" "HTTPS" deny`},
		deleteOutside: []string{"unset policy id 1"},
		gone:          []string{"Go Azure", "10.0.0.0/24", "set address"},
	}.run(t)
}
