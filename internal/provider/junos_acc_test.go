package provider_test

import (
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// Junos SRX acceptance tests: every resource through the full lifecycle against the Junos
// simulator, through `configure private`, one `load set terminal` paste, `commit check` and
// `commit`. The expected lines are what an SRX prints for `show configuration | display set`;
// secrets print as `$9$...`, so their lines are matched by pattern.

func junosGatewayHCL(lifetime int, extra string) string {
	return hcl(`
resource "onpremvpn_ike_gateway" "azure" {
  name           = "AZURE-GW-0"
  peer_address   = "198.51.100.10"
  local_address  = "203.0.113.2"
  ike_version    = 2
  pre_shared_key = "initial-Secret#1$x?;"
  lifetime       = %d
  proposals      = [{ encryption = "aes256", integrity = "sha256", dh_group = 14 }]
  %s
}
`, lifetime, extra)
}

func junosTunnelHCL(lifetime int, extra string) string {
	return hcl(`
resource "onpremvpn_vpn_tunnel" "azure" {
  name             = "AZURE-VPN-0"
  ike_gateway      = onpremvpn_ike_gateway.azure.name
  tunnel_interface = "st0.0"
  tunnel_zone      = "vpn"
  lifetime         = %d
  proposals        = [{ encryption = "aes256", integrity = "sha256" }]
  %s
}
`, lifetime, extra)
}

func TestAccJunosIKEGateway(t *testing.T) {
	lifecycle{
		platform: "junos",
		initial:  acctest.JunosSRXBase,
		address:  "onpremvpn_ike_gateway.azure",
		importID: "default/AZURE-GW-0",
		v1:       junosGatewayHCL(28800, "") + junosTunnelHCL(3600, ""),
		v2:       junosGatewayHCL(14400, `liveness = { interval = 10, retry_count = 5 }`) + junosTunnelHCL(3600, ""),
		linesV1: []string{
			"set security ike gateway AZURE-GW-0 address 198.51.100.10",
			"set security ike gateway AZURE-GW-0 local-address 203.0.113.2",
			"set security ike gateway AZURE-GW-0 version v2-only",
			"set security ike gateway AZURE-GW-0 external-interface ge-0/0/0.0",
			"set security zones security-zone untrust host-inbound-traffic system-services ike",
		},
		linesV2: []string{
			"set security ike gateway AZURE-GW-0 dead-peer-detection interval 10",
			"set security ike gateway AZURE-GW-0 dead-peer-detection threshold 5",
		},
		patternsV2: []string{
			`^set security ike policy AZURE-GW-0\S* pre-shared-key ascii-text "\$9\$`,
			`^set security ike proposal \S+ lifetime-seconds 14400$`,
		},
		absentV2:      []string{"lifetime-seconds 28800"},
		drift:         []string{"delete security ike gateway AZURE-GW-0 dead-peer-detection"},
		deleteOutside: []string{"delete security ipsec vpn AZURE-VPN-0", "delete security ike gateway AZURE-GW-0"},
		gone:          []string{"AZURE-GW-0", "system-services ike", "st0 unit 0", "st0.0"},
	}.run(t)
}

func TestAccJunosVPNTunnel(t *testing.T) {
	lifecycle{
		platform: "junos",
		initial:  acctest.JunosSRXBase,
		address:  "onpremvpn_vpn_tunnel.azure",
		importID: "default/AZURE-VPN-0",
		v1:       junosGatewayHCL(28800, "") + junosTunnelHCL(3600, ""),
		v2: junosGatewayHCL(28800, "") + junosTunnelHCL(7200, `pfs_group = 14
  mtu       = 1436
  tunnel_interface_address = "169.254.21.1/30"
  establish_immediately    = true`),
		linesV1: []string{
			"set security ipsec proposal esp-aes256-sha256 protocol esp",
			"set security ipsec proposal esp-aes256-sha256 authentication-algorithm hmac-sha-256-128",
			"set security ipsec proposal esp-aes256-sha256 encryption-algorithm aes-256-cbc",
			"set security ipsec policy AZURE-VPN-0 proposals esp-aes256-sha256",
			"set security ipsec vpn AZURE-VPN-0 bind-interface st0.0",
			"set security ipsec vpn AZURE-VPN-0 ike gateway AZURE-GW-0",
			"set security ipsec vpn AZURE-VPN-0 ike ipsec-policy AZURE-VPN-0",
			"set security zones security-zone vpn interfaces st0.0",
			"set interfaces st0 unit 0 family inet",
		},
		linesV2: []string{
			"set security ipsec vpn AZURE-VPN-0 establish-tunnels immediately",
			"set interfaces st0 unit 0 family inet address 169.254.21.1/30",
			"set interfaces st0 unit 0 family inet mtu 1436",
		},
		patternsV2: []string{
			`^set security ipsec policy \S+ perfect-forward-secrecy keys group14$`,
			`^set security ipsec proposal \S+ lifetime-seconds 7200$`,
		},
		drift:         []string{"delete interfaces st0 unit 0 family inet mtu"},
		deleteOutside: []string{"delete security ipsec vpn AZURE-VPN-0", "delete interfaces st0 unit 0", "delete security zones security-zone vpn interfaces st0.0"},
		gone:          []string{"AZURE-VPN-0", "st0 unit 0", "st0.0", "esp-aes256"},
	}.run(t)
}

const junosST0 = "set interfaces st0 unit 0 family inet address 169.254.21.1/30\nset security zones security-zone vpn interfaces st0.0\n"

func TestAccJunosStaticRoute(t *testing.T) {
	lifecycle{
		platform: "junos",
		initial:  acctest.JunosSRXBase + junosST0,
		address:  "onpremvpn_static_route.azure",
		importID: "default/172.16.1.0/24",
		v1: `
resource "onpremvpn_static_route" "azure" {
  destination      = "172.16.1.0/24"
  tunnel_interface = "st0.0"
}
`,
		v2: `
resource "onpremvpn_static_route" "azure" {
  destination = "172.16.1.0/24"
  next_hop    = "192.168.1.254"
  distance    = 10
}
`,
		linesV1:       []string{"set routing-options static route 172.16.1.0/24 next-hop st0.0"},
		linesV2:       []string{"set routing-options static route 172.16.1.0/24 next-hop 192.168.1.254", "set routing-options static route 172.16.1.0/24 preference 10"},
		absentV2:      []string{"next-hop st0.0"},
		drift:         []string{"set routing-options static route 172.16.1.0/24 preference 20"},
		deleteOutside: []string{"delete routing-options static route 172.16.1.0/24"},
		gone:          []string{"172.16.1.0/24"},
	}.run(t)
}

func TestAccJunosSourceRoute(t *testing.T) {
	lifecycle{
		platform: "junos",
		initial:  acctest.JunosSRXBase + junosST0,
		address:  "onpremvpn_source_route.lan",
		importID: "default/192.168.1.0/24",
		v1: `
resource "onpremvpn_source_route" "lan" {
  source            = "192.168.1.0/24"
  tunnel_interface  = "st0.0"
  ingress_interface = "ge-0/0/1.0"
}
`,
		v2: `
resource "onpremvpn_source_route" "lan" {
  source            = "192.168.1.0/24"
  destination       = "172.16.0.0/12"
  tunnel_interface  = "st0.0"
  ingress_interface = "ge-0/0/1.0"
}
`,
		linesV1: []string{
			"set interfaces ge-0/0/1 unit 0 family inet filter input SOURCE_ROUTE",
			"set firewall family inet filter SOURCE_ROUTE term default then accept",
			"set routing-options rib-groups fbf-rib import-rib inet.0",
		},
		linesV2: []string{"set firewall family inet filter SOURCE_ROUTE term default then accept"},
		patternsV2: []string{
			`^set routing-instances fbf-st0-0\S* instance-type forwarding$`,
			`^set routing-instances fbf-st0-0\S* routing-options static route 172\.16\.0\.0/12 next-hop st0\.0$`,
			`^set routing-options rib-groups fbf-rib import-rib fbf-st0-0\S*\.inet\.0$`,
			`^set firewall family inet filter SOURCE_ROUTE term \S+ from source-address 192\.168\.1\.0/24$`,
			`^set firewall family inet filter SOURCE_ROUTE term \S+ from destination-address 172\.16\.0\.0/12$`,
		},
		absentV2:      []string{"route 0.0.0.0/0 next-hop st0.0"},
		drift:         []string{"delete interfaces ge-0/0/1 unit 0 family inet filter"},
		deleteOutside: []string{"delete interfaces ge-0/0/1 unit 0 family inet filter", "delete firewall", "delete routing-instances", "delete routing-options rib-groups", "delete routing-options interface-routes"},
		gone:          []string{"SOURCE_ROUTE", "fbf-"},
	}.run(t)
}

func TestAccJunosPrefixList(t *testing.T) {
	lifecycle{
		platform: "junos",
		initial:  acctest.JunosSRXBase,
		address:  "onpremvpn_prefix_list.azure",
		importID: "default/AZURE-PREFIXES",
		v1: `
resource "onpremvpn_prefix_list" "azure" {
  name  = "AZURE-PREFIXES"
  rules = { 1 = { action = "permit", prefix = "172.16.1.0/24" } }
}
`,
		v2: `
resource "onpremvpn_prefix_list" "azure" {
  name  = "AZURE-PREFIXES"
  rules = {
    1 = { action = "permit", prefix = "172.16.1.0/24" }
    2 = { action = "permit", prefix = "172.16.200.0/24" }
  }
}
`,
		linesV1:       []string{"set policy-options prefix-list AZURE-PREFIXES 172.16.1.0/24"},
		linesV2:       []string{"set policy-options prefix-list AZURE-PREFIXES 172.16.1.0/24", "set policy-options prefix-list AZURE-PREFIXES 172.16.200.0/24"},
		drift:         []string{"delete policy-options prefix-list AZURE-PREFIXES 172.16.200.0/24", "set policy-options prefix-list AZURE-PREFIXES 10.9.9.0/24"},
		deleteOutside: []string{"delete policy-options prefix-list AZURE-PREFIXES"},
		gone:          []string{"AZURE-PREFIXES"},
	}.run(t)
}

func junosBGPHCL(extra string) string {
	return hcl(`
resource "onpremvpn_prefix_list" "in" {
  name  = "AZURE-PREFIXES"
  rules = { 1 = { action = "permit", prefix = "172.16.1.0/24" } }
}

resource "onpremvpn_prefix_list" "out" {
  name  = "ONPREM-PREFIXES"
  rules = { 1 = { action = "permit", prefix = "192.168.1.0/24" } }
}

resource "onpremvpn_bgp_neighbor" "azure" {
  neighbor_address = "169.254.21.2"
  local_as         = 64512
  remote_as        = 65515
  update_source    = "169.254.21.1"
  keepalive        = 60
  hold_time        = 180
  prefix_list_in   = onpremvpn_prefix_list.in.name
  prefix_list_out  = onpremvpn_prefix_list.out.name
  %s
}
`, extra)
}

func TestAccJunosBGPNeighbor(t *testing.T) {
	lifecycle{
		platform: "junos",
		initial:  acctest.JunosSRXBase + junosST0,
		address:  "onpremvpn_bgp_neighbor.azure",
		importID: "default/169.254.21.2",
		v1:       junosBGPHCL(""),
		v2:       junosBGPHCL("ebgp_multihop = 2\n  description = \"Azure \\\"vWAN\\\" #1; [x]\"\n  password = \"bgp-md5#Secret$1\""),
		linesV1: []string{
			"set routing-options autonomous-system 64512",
			"set protocols bgp group vpn-169.254.21.2 type external",
			"set protocols bgp group vpn-169.254.21.2 neighbor 169.254.21.2 peer-as 65515",
			"set protocols bgp group vpn-169.254.21.2 neighbor 169.254.21.2 local-address 169.254.21.1",
			"set protocols bgp group vpn-169.254.21.2 neighbor 169.254.21.2 hold-time 180",
			"set protocols bgp group vpn-169.254.21.2 neighbor 169.254.21.2 import accept-AZURE-PREFIXES",
			"set protocols bgp group vpn-169.254.21.2 neighbor 169.254.21.2 export accept-ONPREM-PREFIXES",
			"set policy-options policy-statement accept-AZURE-PREFIXES term 1 from prefix-list AZURE-PREFIXES",
			"set policy-options policy-statement accept-AZURE-PREFIXES term 1 then accept",
			"set policy-options policy-statement accept-AZURE-PREFIXES term 2 then reject",
			"set security zones security-zone vpn host-inbound-traffic protocols bgp",
		},
		linesV2: []string{
			"set protocols bgp group vpn-169.254.21.2 neighbor 169.254.21.2 multihop ttl 2",
		},
		patternsV2: []string{
			`^set protocols bgp group vpn-169\.254\.21\.2 neighbor 169\.254\.21\.2 authentication-key "\$9\$`,
			`^set protocols bgp group vpn-169\.254\.21\.2 neighbor 169\.254\.21\.2 description "Azure \\"vWAN\\" #1; \[x\]"$`,
		},
		drift:         []string{`set protocols bgp group vpn-169.254.21.2 neighbor 169.254.21.2 authentication-key changed-on-device`},
		deleteOutside: []string{"delete protocols bgp group vpn-169.254.21.2 neighbor 169.254.21.2"},
		gone:          []string{"169.254.21.2", "accept-AZURE", "protocols bgp"},
	}.run(t)
}
