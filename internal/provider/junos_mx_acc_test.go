package provider_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// Junos MX acceptance tests (device option flavor = "mx"): gateways and tunnels become
// `services ipsec-vpn` policies, proposals and a rule per tunnel with a next-hop service set
// on the inside service unit and the next one, as seed 003 shows.

const mxOptions = `flavor = "mx"`

func mxGatewayHCL(lifetime int) string {
	return hcl(`
resource "onpremvpn_ike_gateway" "r2" {
  name           = "TO-R2"
  peer_address   = "198.51.100.2"
  local_address  = "203.0.113.2"
  ike_version    = 2
  pre_shared_key = "mx-Secret#1;{x}$"
  lifetime       = %d
  local_id       = "203.0.113.2"
  remote_id      = "r2.example.net"
  proposals      = [{ encryption = "aes128", integrity = "sha256", dh_group = 14 }]
}
`, lifetime)
}

func mxTunnelHCL(mtu int, extra string) string {
	return hcl(`
resource "onpremvpn_vpn_tunnel" "r2" {
  name             = "R2"
  ike_gateway      = onpremvpn_ike_gateway.r2.name
  tunnel_interface = "ms-1/2/0.1"
  lifetime         = 3600
  pfs_group        = 14
  df_bit           = "clear"
  mtu              = %d
  proposals        = [{ encryption = "aes128", integrity = "sha1" }]
  %s
}
`, mtu, extra)
}

func TestAccJunosMXIKEGateway(t *testing.T) {
	lifecycle{
		platform: "junos",
		options:  mxOptions,
		initial:  acctest.JunosMXBase,
		address:  "onpremvpn_ike_gateway.r2",
		importID: "default/TO-R2",
		v1:       mxGatewayHCL(3600) + mxTunnelHCL(1400, ""),
		v2:       mxGatewayHCL(7200) + mxTunnelHCL(1400, ""),
		linesV1: []string{
			"set services ipsec-vpn ike policy TO-R2 version 2",
			"set services ipsec-vpn ike policy TO-R2 local-id ipv4_addr 203.0.113.2",
			"set services ipsec-vpn ike policy TO-R2 remote-id fqdn r2.example.net",
			"set services ipsec-vpn rule R2 term 1 then remote-gateway 198.51.100.2",
			"set services service-set R2 ipsec-vpn-options local-gateway 203.0.113.2",
		},
		patternsV2: []string{
			`^set services ipsec-vpn ike proposal \S+ lifetime-seconds 7200$`,
			`^set services ipsec-vpn ike policy TO-R2 pre-shared-key ascii-text "\$9\$`,
		},
		absentV2:      []string{"lifetime-seconds 3600"},
		drift:         []string{"delete services ipsec-vpn ike policy TO-R2 remote-id", "set services ipsec-vpn ike policy TO-R2 remote-id fqdn evil.example.net"},
		deleteOutside: []string{"delete services service-set R2", "delete services ipsec-vpn rule R2", "delete services ipsec-vpn ike policy TO-R2", "delete interfaces ms-1/2/0 unit 1", "delete interfaces ms-1/2/0 unit 2"},
		gone:          []string{"TO-R2", "service-set R2", "rule R2", "ms-1/2/0 unit 1", "ms-1/2/0 unit 2"},
	}.run(t)
}

func TestAccJunosMXVPNTunnel(t *testing.T) {
	lifecycle{
		platform: "junos",
		options:  mxOptions,
		initial:  acctest.JunosMXBase,
		address:  "onpremvpn_vpn_tunnel.r2",
		importID: "default/R2",
		v1:       mxGatewayHCL(3600) + mxTunnelHCL(1400, ""),
		v2:       mxGatewayHCL(3600) + mxTunnelHCL(1300, "anti_replay = false"),
		linesV1: []string{
			"set services ipsec-vpn ipsec policy R2 perfect-forward-secrecy keys group14",
			"set services ipsec-vpn rule R2 term 1 from ipsec-inside-interface ms-1/2/0.1",
			"set services ipsec-vpn rule R2 term 1 then dynamic ike-policy TO-R2",
			"set services ipsec-vpn rule R2 term 1 then dynamic ipsec-policy R2",
			"set services ipsec-vpn rule R2 term 1 then clear-dont-fragment-bit",
			"set services ipsec-vpn rule R2 term 1 then tunnel-mtu 1400",
			"set services ipsec-vpn rule R2 match-direction input",
			"set services service-set R2 next-hop-service inside-service-interface ms-1/2/0.1",
			"set services service-set R2 next-hop-service outside-service-interface ms-1/2/0.2",
			"set services service-set R2 ipsec-vpn-rules R2",
			"set interfaces ms-1/2/0 unit 1 service-domain inside",
			"set interfaces ms-1/2/0 unit 2 service-domain outside",
		},
		linesV2: []string{
			"set services ipsec-vpn rule R2 term 1 then tunnel-mtu 1300",
			"set services ipsec-vpn rule R2 term 1 then no-anti-replay",
		},
		absentV2:      []string{"tunnel-mtu 1400"},
		drift:         []string{"set services ipsec-vpn rule R2 term 1 then tunnel-mtu 1500"},
		deleteOutside: []string{"delete services service-set R2", "delete services ipsec-vpn rule R2", "delete services ipsec-vpn ipsec policy R2", "delete interfaces ms-1/2/0 unit 1", "delete interfaces ms-1/2/0 unit 2"},
		gone:          []string{"service-set R2", "rule R2", "ms-1/2/0 unit 1", "ms-1/2/0 unit 2"},
	}.run(t)
}

func TestAccJunosMXStaticRoute(t *testing.T) {
	lifecycle{
		platform: "junos",
		options:  mxOptions,
		initial:  acctest.JunosMXBase + "set interfaces ms-1/2/0 unit 1 family inet\nset interfaces ms-1/2/0 unit 1 service-domain inside\n",
		address:  "onpremvpn_static_route.r2",
		importID: "default/192.168.0.0/16",
		v1: `
resource "onpremvpn_static_route" "r2" {
  destination      = "192.168.0.0/16"
  tunnel_interface = "ms-1/2/0.1"
}
`,
		v2: `
resource "onpremvpn_static_route" "r2" {
  destination      = "192.168.0.0/16"
  tunnel_interface = "ms-1/2/0.1"
  distance         = 20
}
`,
		linesV1:       []string{"set routing-options static route 192.168.0.0/16 next-hop ms-1/2/0.1"},
		linesV2:       []string{"set routing-options static route 192.168.0.0/16 preference 20"},
		drift:         []string{"delete routing-options static route 192.168.0.0/16 preference"},
		deleteOutside: []string{"delete routing-options static route 192.168.0.0/16"},
		gone:          []string{"192.168.0.0/16"},
	}.run(t)
}

func TestAccJunosMXPrefixListAndBGPNeighbor(t *testing.T) {
	body := func(extra string) string {
		return hcl(`
resource "onpremvpn_prefix_list" "r2" {
  name  = "R2-NETS"
  rules = { 1 = { action = "permit", prefix = "192.168.0.0/16" } }
}

resource "onpremvpn_bgp_neighbor" "r2" {
  neighbor_address = "10.0.1.2"
  local_as         = 65001
  remote_as        = 65002
  hold_time        = 90
  keepalive        = 30
  prefix_list_in   = onpremvpn_prefix_list.r2.name
  %s
}
`, extra)
	}
	lifecycle{
		platform: "junos",
		options:  mxOptions,
		initial:  acctest.JunosMXBase,
		address:  "onpremvpn_bgp_neighbor.r2",
		importID: "default/10.0.1.2",
		v1:       body(""),
		v2:       body(`password = "bgp#Key$2"`),
		linesV1: []string{
			"set routing-options autonomous-system 65001",
			"set protocols bgp group vpn-10.0.1.2 neighbor 10.0.1.2 peer-as 65002",
			"set protocols bgp group vpn-10.0.1.2 neighbor 10.0.1.2 hold-time 90",
			"set protocols bgp group vpn-10.0.1.2 neighbor 10.0.1.2 import accept-R2-NETS",
			"set policy-options prefix-list R2-NETS 192.168.0.0/16",
		},
		patternsV2:    []string{`^set protocols bgp group vpn-10\.0\.1\.2 neighbor 10\.0\.1\.2 authentication-key "\$9\$`},
		drift:         []string{"set protocols bgp group vpn-10.0.1.2 neighbor 10.0.1.2 hold-time 30"},
		deleteOutside: []string{"delete protocols bgp group vpn-10.0.1.2"},
		gone:          []string{"10.0.1.2", "R2-NETS"},
	}.run(t)
}

// What MX cannot express fails the plan naming the flavor, before anything reaches the
// device.
func TestAccJunosMXRefusedAtPlan(t *testing.T) {
	sim := acctest.Start(t, "junos", acctest.JunosMXBase)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories(),
		Steps: []resource.TestStep{
			{
				Config: junosProvider(sim, mxOptions) + `
resource "onpremvpn_source_route" "lan" {
  source            = "10.0.1.0/30"
  tunnel_interface  = "ms-1/2/0.1"
  ingress_interface = "ge-1/0/0.0"
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)source_route.*Junos MX flavor`),
			},
			{
				Config:      junosProvider(sim, mxOptions) + mxGatewayHCL(3600) + mxTunnelHCL(1400, `tunnel_zone = "vpn"`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)tunnel_zone.*\bMX\b`),
			},
		},
	})
	for _, c := range sim.CommandLog() {
		if regexp.MustCompile(`^(configure|load|commit)`).MatchString(c) {
			t.Fatalf("the device received %q from a plan that failed", c)
		}
	}
}
