package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// EdgeOS acceptance tests: every resource through the full lifecycle against the EdgeOS
// simulator. The expected lines are what an EdgeRouter prints for `show configuration
// commands`.

const edgeVTI = "set interfaces vti vti0\n"

// gatewayHCL is an IKE gateway to the Azure gateway of seed 004, with a tunnel so that the
// peer can be committed (EdgeOS refuses a peer without a tunnel or VTI).
func gatewayHCL(lifetime int, extra string) string {
	return hcl(`
resource "onpremvpn_ike_gateway" "azure" {
  name            = "FOO0"
  peer_address    = "192.0.2.1"
  local_address   = "203.0.113.1"
  pre_shared_key  = "initial-Secret-1"
  lifetime        = %d
  connection_type = "respond"
  description     = "IPsecAzure"
  proposals       = [{ encryption = "aes256", integrity = "sha1", dh_group = 2 }]
  %s
}
`, lifetime, extra)
}

func tunnelHCL(lifetime int, extra string) string {
	return hcl(`
resource "onpremvpn_vpn_tunnel" "azure" {
  name             = "FOO0"
  ike_gateway      = onpremvpn_ike_gateway.azure.name
  tunnel_interface = "vti0"
  lifetime         = %d
  proposals        = [{ encryption = "aes256", integrity = "sha1" }]
  %s
}
`, lifetime, extra)
}

func TestAccEdgeOSIKEGateway(t *testing.T) {
	lifecycle{
		platform: "edgeos",
		initial:  acctest.EdgeOSBase,
		address:  "onpremvpn_ike_gateway.azure",
		importID: "default/FOO0",
		v1:       gatewayHCL(28800, "") + tunnelHCL(27000, ""),
		v2:       gatewayHCL(14400, `dpd = { interval = 30, timeout = 120, action = "restart" }`) + tunnelHCL(27000, ""),
		linesV1: []string{
			"set vpn ipsec ike-group FOO0 key-exchange ikev2",
			"set vpn ipsec ike-group FOO0 lifetime 28800",
			"set vpn ipsec ike-group FOO0 proposal 1 dh-group 2",
			"set vpn ipsec ike-group FOO0 proposal 1 encryption aes256",
			"set vpn ipsec ike-group FOO0 proposal 1 hash sha1",
			"set vpn ipsec site-to-site peer 192.0.2.1 authentication mode pre-shared-secret",
			"set vpn ipsec site-to-site peer 192.0.2.1 authentication pre-shared-secret initial-Secret-1",
			"set vpn ipsec site-to-site peer 192.0.2.1 connection-type respond",
			"set vpn ipsec site-to-site peer 192.0.2.1 description IPsecAzure",
			"set vpn ipsec site-to-site peer 192.0.2.1 ike-group FOO0",
			"set vpn ipsec site-to-site peer 192.0.2.1 local-address 203.0.113.1",
		},
		linesV2: []string{
			"set vpn ipsec ike-group FOO0 lifetime 14400",
			"set vpn ipsec ike-group FOO0 dead-peer-detection action restart",
			"set vpn ipsec ike-group FOO0 dead-peer-detection interval 30",
			"set vpn ipsec ike-group FOO0 dead-peer-detection timeout 120",
		},
		absentV2:      []string{"lifetime 28800"},
		drift:         []string{"set vpn ipsec ike-group FOO0 lifetime 3600"},
		deleteOutside: []string{"delete vpn ipsec site-to-site peer 192.0.2.1", "delete vpn ipsec ike-group FOO0", "delete vpn ipsec esp-group FOO0"},
		gone:          []string{"ike-group FOO0", "peer 192.0.2.1"},
	}.run(t)
}

func TestAccEdgeOSVPNTunnel(t *testing.T) {
	lifecycle{
		platform: "edgeos",
		initial:  acctest.EdgeOSBase,
		address:  "onpremvpn_vpn_tunnel.azure",
		importID: "default/FOO0",
		v1:       gatewayHCL(28800, "") + tunnelHCL(27000, ""),
		v2:       gatewayHCL(28800, "") + tunnelHCL(3600, `pfs_group = 14`+"\n  tcp_mss = 1350\n  mtu = 1436"),
		linesV1: []string{
			"set interfaces vti vti0",
			"set vpn ipsec esp-group FOO0 lifetime 27000",
			"set vpn ipsec esp-group FOO0 pfs disable",
			"set vpn ipsec esp-group FOO0 proposal 1 encryption aes256",
			"set vpn ipsec esp-group FOO0 proposal 1 hash sha1",
			"set vpn ipsec site-to-site peer 192.0.2.1 vti bind vti0",
			"set vpn ipsec site-to-site peer 192.0.2.1 vti esp-group FOO0",
		},
		linesV2: []string{
			"set vpn ipsec esp-group FOO0 lifetime 3600",
			"set vpn ipsec esp-group FOO0 pfs dh-group14",
			"set interfaces vti vti0 mtu 1436",
			"set firewall options mss-clamp interface-type vti",
			"set firewall options mss-clamp mss 1350",
			"set vpn ipsec site-to-site peer 192.0.2.1 vti bind vti0",
		},
		absentV2:      []string{"pfs disable", "lifetime 27000"},
		drift:         []string{"set vpn ipsec esp-group FOO0 pfs disable"},
		deleteOutside: []string{"delete vpn ipsec site-to-site peer 192.0.2.1", "delete vpn ipsec esp-group FOO0", "delete interfaces vti vti0"},
		gone:          []string{"esp-group FOO0", "vti0", "mss-clamp"},
	}.run(t)
}

func TestAccEdgeOSStaticRoute(t *testing.T) {
	lifecycle{
		platform: "edgeos",
		initial:  acctest.EdgeOSBase + edgeVTI,
		address:  "onpremvpn_static_route.bgp_peer",
		importID: "default/172.16.0.254/32",
		v1: `
resource "onpremvpn_static_route" "bgp_peer" {
  destination      = "172.16.0.254/32"
  tunnel_interface = "vti0"
}
`,
		v2: `
resource "onpremvpn_static_route" "bgp_peer" {
  destination = "172.16.0.254/32"
  next_hop    = "192.168.1.254"
  distance    = 10
}
`,
		linesV1:       []string{"set protocols static interface-route 172.16.0.254/32 next-hop-interface vti0"},
		linesV2:       []string{"set protocols static route 172.16.0.254/32 next-hop 192.168.1.254 distance 10"},
		absentV2:      []string{"interface-route 172.16.0.254/32"},
		drift:         []string{"set protocols static route 172.16.0.254/32 next-hop 192.168.1.254 distance 20"},
		deleteOutside: []string{"delete protocols static route 172.16.0.254/32"},
		gone:          []string{"172.16.0.254/32"},
	}.run(t)
}

func TestAccEdgeOSSourceRoute(t *testing.T) {
	lifecycle{
		platform: "edgeos",
		initial:  acctest.EdgeOSBase + edgeVTI,
		address:  "onpremvpn_source_route.lan2",
		importID: "default/192.168.50.0/24",
		v1: `
resource "onpremvpn_source_route" "lan2" {
  source            = "192.168.50.0/24"
  tunnel_interface  = "vti0"
  table             = 1
  ingress_interface = "eth2"
}
`,
		v2: `
resource "onpremvpn_source_route" "lan2" {
  source            = "192.168.50.0/24"
  destination       = "172.16.0.0/22"
  tunnel_interface  = "vti0"
  table             = 1
  ingress_interface = "eth2"
  description       = "LAN2 to Azure"
}
`,
		linesV1: []string{
			"set firewall modify SOURCE_ROUTE rule 1 action modify",
			"set firewall modify SOURCE_ROUTE rule 1 modify table 1",
			"set firewall modify SOURCE_ROUTE rule 1 source address 192.168.50.0/24",
			"set protocols static table 1 interface-route 0.0.0.0/0 next-hop-interface vti0",
			"set interfaces ethernet eth2 firewall in modify SOURCE_ROUTE",
		},
		linesV2: []string{
			"set firewall modify SOURCE_ROUTE rule 1 description 'LAN2 to Azure'",
			"set firewall modify SOURCE_ROUTE rule 1 destination address 172.16.0.0/22",
			"set protocols static table 1 interface-route 172.16.0.0/22 next-hop-interface vti0",
			"set interfaces ethernet eth2 firewall in modify SOURCE_ROUTE",
		},
		absentV2:      []string{"interface-route 0.0.0.0/0"},
		drift:         []string{"delete firewall modify SOURCE_ROUTE rule 1 description"},
		deleteOutside: []string{"delete interfaces ethernet eth2 firewall", "delete firewall modify SOURCE_ROUTE"},
		gone:          []string{"SOURCE_ROUTE", "table 1"},
	}.run(t)
}

func TestAccEdgeOSPrefixList(t *testing.T) {
	lifecycle{
		platform: "edgeos",
		initial:  acctest.EdgeOSBase,
		address:  "onpremvpn_prefix_list.bgp",
		importID: "default/BGP",
		v1: `
resource "onpremvpn_prefix_list" "bgp" {
  name = "BGP"
  rules = {
    10  = { action = "deny", prefix = "203.0.113.1/32", description = "Deny Local Gateway Address" }
    100 = { action = "permit", prefix = "192.168.1.0/24", description = "Local Subnets" }
  }
}
`,
		v2: `
resource "onpremvpn_prefix_list" "bgp" {
  name        = "BGP"
  description = "Azure"
  rules = {
    10  = { action = "deny", prefix = "203.0.113.1/32", description = "Deny Local Gateway Address" }
    100 = { action = "permit", prefix = "192.168.1.0/24" }
    110 = { action = "permit", prefix = "172.16.0.0/22", le = 24 }
  }
}
`,
		linesV1: []string{
			"set policy prefix-list BGP rule 10 action deny",
			"set policy prefix-list BGP rule 10 description 'Deny Local Gateway Address'",
			"set policy prefix-list BGP rule 10 prefix 203.0.113.1/32",
			"set policy prefix-list BGP rule 100 action permit",
			"set policy prefix-list BGP rule 100 description 'Local Subnets'",
			"set policy prefix-list BGP rule 100 prefix 192.168.1.0/24",
		},
		linesV2: []string{
			"set policy prefix-list BGP description Azure",
			"set policy prefix-list BGP rule 110 action permit",
			"set policy prefix-list BGP rule 110 le 24",
			"set policy prefix-list BGP rule 110 prefix 172.16.0.0/22",
		},
		absentV2:      []string{"'Local Subnets'"},
		drift:         []string{"set policy prefix-list BGP rule 110 action deny"},
		deleteOutside: []string{"delete policy prefix-list BGP"},
		gone:          []string{"prefix-list BGP"},
	}.run(t)
}

func bgpHCL(multihop int, extra string) string {
	return hcl(`
resource "onpremvpn_prefix_list" "bgp" {
  name  = "BGP"
  rules = { 100 = { action = "permit", prefix = "192.168.1.0/24" } }
}

resource "onpremvpn_bgp_neighbor" "azure" {
  neighbor_address             = "172.16.0.254"
  local_as                     = 65510
  remote_as                    = 65515
  update_source                = "192.168.1.1"
  ebgp_multihop                = %d
  keepalive                    = 60
  hold_time                    = 180
  prefix_list_in               = onpremvpn_prefix_list.bgp.name
  prefix_list_out              = onpremvpn_prefix_list.bgp.name
  soft_reconfiguration_inbound = true
  %s
}
`, multihop, extra)
}

func TestAccEdgeOSBGPNeighbor(t *testing.T) {
	lifecycle{
		platform: "edgeos",
		initial:  acctest.EdgeOSBase,
		address:  "onpremvpn_bgp_neighbor.azure",
		importID: "default/172.16.0.254",
		v1:       bgpHCL(2, `networks = ["192.168.1.0/24"]`),
		v2:       bgpHCL(3, `networks = ["192.168.1.0/24", "192.168.50.0/24"]`+"\n  description = \"Azure VPN gateway\"\n  password = \"bgp-md5-Secret\""),
		linesV1: []string{
			"set protocols bgp 65510 neighbor 172.16.0.254 ebgp-multihop 2",
			"set protocols bgp 65510 neighbor 172.16.0.254 prefix-list export BGP",
			"set protocols bgp 65510 neighbor 172.16.0.254 prefix-list import BGP",
			"set protocols bgp 65510 neighbor 172.16.0.254 remote-as 65515",
			"set protocols bgp 65510 neighbor 172.16.0.254 soft-reconfiguration inbound",
			"set protocols bgp 65510 neighbor 172.16.0.254 timers holdtime 180",
			"set protocols bgp 65510 neighbor 172.16.0.254 timers keepalive 60",
			"set protocols bgp 65510 neighbor 172.16.0.254 update-source 192.168.1.1",
			"set protocols bgp 65510 network 192.168.1.0/24",
		},
		linesV2: []string{
			"set protocols bgp 65510 neighbor 172.16.0.254 ebgp-multihop 3",
			"set protocols bgp 65510 neighbor 172.16.0.254 description 'Azure VPN gateway'",
			"set protocols bgp 65510 neighbor 172.16.0.254 password bgp-md5-Secret",
			"set protocols bgp 65510 network 192.168.50.0/24",
		},
		absentV2:      []string{"ebgp-multihop 2"},
		drift:         []string{"set protocols bgp 65510 neighbor 172.16.0.254 password changed-on-device"},
		deleteOutside: []string{"delete protocols bgp 65510 neighbor 172.16.0.254"},
		gone:          []string{"neighbor 172.16.0.254", "network 192.168.1.0/24", "prefix-list BGP"},
	}.run(t)
}

// A policy-based tunnel: traffic selectors become numbered `peer ... tunnel N` entries, kept
// when unchanged and renumbered only for new selectors.
func TestAccEdgeOSVPNTunnelPolicyBased(t *testing.T) {
	policy := func(selectors string) string {
		return gatewayHCL(28800, "") + hcl(`
resource "onpremvpn_vpn_tunnel" "azure" {
  name              = "FOO0"
  ike_gateway       = onpremvpn_ike_gateway.azure.name
  lifetime          = 3600
  pfs_group         = 2
  proposals         = [{ encryption = "aes256", integrity = "sha1" }]
  traffic_selectors = [%s]
}
`, selectors)
	}
	lan1 := `{ local = "192.168.1.0/24", remote = "172.16.0.0/22" }`
	lan2 := `{ local = "192.168.50.0/24", remote = "172.16.0.0/22" }`
	lan3 := `{ local = "192.168.60.0/24", remote = "172.16.0.0/22" }`
	lifecycle{
		platform: "edgeos",
		initial:  acctest.EdgeOSBase,
		address:  "onpremvpn_vpn_tunnel.azure",
		importID: "default/FOO0",
		v1:       policy(lan1 + ", " + lan2),
		v2:       policy(lan1 + ", " + lan3),
		linesV1: []string{
			"set vpn ipsec esp-group FOO0 pfs dh-group2",
			"set vpn ipsec site-to-site peer 192.0.2.1 tunnel 1 esp-group FOO0",
			"set vpn ipsec site-to-site peer 192.0.2.1 tunnel 1 local prefix 192.168.1.0/24",
			"set vpn ipsec site-to-site peer 192.0.2.1 tunnel 1 remote prefix 172.16.0.0/22",
			"set vpn ipsec site-to-site peer 192.0.2.1 tunnel 2 local prefix 192.168.50.0/24",
		},
		linesV2: []string{"set vpn ipsec esp-group FOO0 pfs dh-group2"},
		patternsV2: []string{
			`^set vpn ipsec site-to-site peer 192\.0\.2\.1 tunnel \d+ local prefix 192\.168\.1\.0/24$`,
			`^set vpn ipsec site-to-site peer 192\.0\.2\.1 tunnel \d+ local prefix 192\.168\.60\.0/24$`,
		},
		// The unchanged selector keeps tunnel 1; the new one does not reuse the number of the
		// one removed in the same commit.
		linesUpdate: []string{
			"set vpn ipsec site-to-site peer 192.0.2.1 tunnel 1 local prefix 192.168.1.0/24",
			"set vpn ipsec site-to-site peer 192.0.2.1 tunnel 3 local prefix 192.168.60.0/24",
			"set vpn ipsec site-to-site peer 192.0.2.1 tunnel 3 esp-group FOO0",
		},
		absentV2:      []string{"192.168.50.0/24", "tunnel 2 "},
		drift:         []string{"set vpn ipsec esp-group FOO0 pfs dh-group14"},
		deleteOutside: []string{"delete vpn ipsec site-to-site peer 192.0.2.1", "delete vpn ipsec esp-group FOO0"},
		gone:          []string{"esp-group FOO0", "peer 192.0.2.1"},
	}.run(t)
}

// An EdgeOS gateway reaches the router with its first tunnel. Creating both, as every real
// configuration does, shows no warning; a gateway left without a tunnel is not on the router
// (nothing of it stays there), and the next plan says so, with the text the docs quote, and
// creates it again.
func TestAccEdgeOSGatewayWithoutTunnelWarnsWhenItApplies(t *testing.T) {
	sim := acctest.Start(t, "edgeos", acctest.EdgeOSBase)
	rec := newDiagRecorder()
	noWarning := func(*terraform.State) error {
		for _, w := range rec.recorded() {
			if strings.Contains(w, "ike_gateway") {
				return fmt.Errorf("unexpected warning: %s", w)
			}
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{
			{
				Config: sim.ProviderBlock() + gatewayHCL(28800, "") + tunnelHCL(27000, ""),
				Check:  resource.ComposeAggregateTestCheckFunc(noWarning, func(*terraform.State) error { return sim.CheckHas("set vpn ipsec ike-group FOO0 lifetime 28800") }),
			},
			{ // the tunnel goes: the gateway goes with it, ike-group included, and the next
				// plan creates it again
				Config:             sim.ProviderBlock() + gatewayHCL(28800, ""),
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeAggregateTestCheckFunc(noWarning,
					func(*terraform.State) error { return sim.CheckNone("ike-group FOO0", "site-to-site peer") }),
			},
			{
				Config:             sim.ProviderBlock() + gatewayHCL(28800, ""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
	want := `^ike_gateway "FOO0" is not on the device: EdgeOS commits a site-to-site peer only together with a tunnel: ike_gateway "FOO0" \(peer 192\.0\.2\.1\) goes to the device with the first vpn_tunnel that uses it, and no vpn_tunnel does\. It is removed from state, and the plan creates it again\.$`
	if err := rec.check(want)(); err != nil {
		t.Fatal(err)
	}
}
