// Package bench drives the real Terraform and OpenTofu CLIs against the device simulators:
// `make bench` (cmd/) times plan, apply, refresh-plan, update and destroy of N generated VPN
// sites on every platform beside Terraform core's own time for as many `terraform_data`
// resources, and the acceptance tests here assert the counts that do not depend on machine
// speed (sessions, configuration reads, commits) and the load a fleet apply puts on the
// provider at parallelisms terraform-plugin-testing cannot set.
package bench

import (
	"fmt"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
)

// Platform is what the generated sites need to know about one platform: its simulator's base
// configuration, the device's own address for local_address, how tunnel interfaces are named
// and which commands read the configuration (to count reads in the simulator's log).
type Platform struct {
	Name         string
	Base         string
	LocalAddress string
	// Iface is the tunnel interface of site i.
	Iface func(i int) string
	// Reads is a fragment of every command that reads the whole configuration.
	Reads string
	// TunnelExtra are attribute lines the platform's tunnels need.
	TunnelExtra string
	// Writes is how many commits and saves one batch of changes needs at least (EdgeOS
	// commits, then saves; Junos commits, which persists; ScreenOS and RTX save; 0: 1).
	Writes int
	// RuleKey is the number of the prefix lists' one rule (0: 10).
	RuleKey int
	// MaxSites is how many sites one device holds (0: no limit) and Limit why.
	MaxSites int
	Limit    string
}

// Sites is the number of sites for n resources on one device of the platform, within its
// limit.
func (p Platform) Sites(n int) int {
	sites := max(1, n/ResourcesPerSite)
	if p.MaxSites > 0 {
		sites = min(sites, p.MaxSites)
	}
	return sites
}

// writesPerBatch is Platform.Writes with its default.
func (p Platform) writesPerBatch() int { return max(1, p.Writes) }

// Platforms are the landed platforms, in the order the benchmark prints them.
var Platforms = []Platform{
	{Name: "edgeos", Base: acctest.EdgeOSBase, LocalAddress: "203.0.113.1",
		Iface: func(i int) string { return fmt.Sprintf("vti%d", i) }, Reads: "show configuration commands", Writes: 2},
	{Name: "junos", Base: acctest.JunosSRXBase, LocalAddress: "203.0.113.2",
		Iface: func(i int) string { return fmt.Sprintf("st0.%d", i+1) }, Reads: "show configuration | display set",
		TunnelExtra: `tunnel_zone      = "vpn"`, RuleKey: 1},
	{Name: "screenos", Base: acctest.ScreenOSBase("ssg5"), LocalAddress: "203.0.113.10",
		Iface: func(i int) string { return fmt.Sprintf("tunnel.%d", i+1) }, Reads: "get config",
		MaxSites: 99, Limit: "access-list ids 1-99, one per prefix list"},
	{Name: "rtx", Base: acctest.RTXBase, LocalAddress: "203.0.113.2",
		Iface: func(i int) string { return fmt.Sprintf("tunnel%d", i+1) }, Reads: "show config",
		MaxSites: 32, Limit: "32 BGP neighbors (bgp neighbor 1-32)"},
}

// PlatformNamed returns the platform of that name.
func PlatformNamed(name string) (Platform, error) {
	var names []string
	for _, p := range Platforms {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return Platform{}, fmt.Errorf("unknown platform %q (one of %s)", name, strings.Join(names, ", "))
}

// ResourcesPerSite is the number of resources of one site: IKE gateway, VPN tunnel, static
// route to the BGP peer through the tunnel, prefix list, BGP neighbor (a remote AS of its
// own: RTX filters routes per remote AS).
const ResourcesPerSite = 5

// Waves is the number of dependency waves of a site: the gateway and the prefix list, then the
// tunnel, then the route, then the neighbor.
const Waves = 4

// SitesHCL is `sites` VPN sites on the device named dev ("" for the provider's top-level
// device), resource names suffixed with the device name. variant 1 changes every site's prefix
// list (the benchmark's "update of every site").
func (p Platform) SitesHCL(dev string, sites, variant int) string {
	return p.SitesHCLFrom(dev, 0, sites, variant)
}

// SitesHCLFrom is SitesHCL for the sites numbered first to first+sites-1: two configurations
// with ranges apart manage objects of their own on one device.
func (p Platform) SitesHCLFrom(dev string, first, sites, variant int) string {
	var b strings.Builder
	devArg, sfx := "", ""
	if dev != "" {
		devArg, sfx = fmt.Sprintf("\n  device           = %q", dev), "_"+dev
	}
	ifaces := make([]string, sites)
	for i := range ifaces {
		ifaces[i] = fmt.Sprintf("%q", p.Iface(first+i))
	}
	site := "count.index"
	if first > 0 {
		site = fmt.Sprintf("(count.index + %d)", first)
	}
	plen, rule := 24+variant, p.RuleKey
	if rule == 0 {
		rule = 10
	}
	fmt.Fprintf(&b, `
locals {
  ifaces%[1]s = [%[2]s]
}

resource "onpremvpn_ike_gateway" "site%[1]s" {
  count            = %[3]d%[4]s
  name             = "SITE${%[9]s}"
  peer_address     = "198.18.${floor(%[9]s / 250)}.${%[9]s %% 250 + 1}"
  local_address    = %[5]q
  ike_version      = 2
  pre_shared_key   = "site-Secret-${count.index}"
  proposals        = [{ encryption = "aes256", integrity = "sha256", dh_group = 14 }]
}

resource "onpremvpn_vpn_tunnel" "site%[1]s" {
  count            = %[3]d%[4]s
  name             = "SITE${%[9]s}"
  ike_gateway      = onpremvpn_ike_gateway.site%[1]s[count.index].name
  tunnel_interface = local.ifaces%[1]s[count.index]
  proposals        = [{ encryption = "aes256", integrity = "sha256" }]
  %[7]s
}

resource "onpremvpn_static_route" "site%[1]s" {
  count            = %[3]d%[4]s
  destination      = "169.254.${21 + floor(%[9]s / 250)}.${%[9]s %% 250 + 1}/32"
  tunnel_interface = onpremvpn_vpn_tunnel.site%[1]s[count.index].tunnel_interface
}

resource "onpremvpn_prefix_list" "site%[1]s" {
  count            = %[3]d%[4]s
  name             = "SITE${%[9]s}"
  rules            = { %[8]d = { action = "permit", prefix = "10.${floor(%[9]s / 250)}.${%[9]s %% 250}.0/%[6]d" } }
}

resource "onpremvpn_bgp_neighbor" "site%[1]s" {
  count            = %[3]d%[4]s
  neighbor_address = "169.254.${21 + floor(%[9]s / 250)}.${%[9]s %% 250 + 1}"
  local_as         = 65510
  remote_as        = 64512 + %[9]s
  prefix_list_in   = onpremvpn_prefix_list.site%[1]s[count.index].name
  depends_on       = [onpremvpn_static_route.site%[1]s]
}
`, sfx, strings.Join(ifaces, ", "), sites, devArg, p.LocalAddress, plen, p.TunnelExtra, rule, site)
	return b.String()
}

// CoreHCL is Terraform core's own work for as many resources as SitesHCL, with no provider:
// `terraform_data` resources in the same blocks with the same references and depends_on, so
// that core builds and walks the same graph (a reference to a counted resource and a
// depends_on on a whole block cost core time that grows with the square of the count). The
// variant changes the prefix lists' inputs (the core's "update of every site").
func CoreHCL(dev string, sites, variant int) string {
	sfx := ""
	if dev != "" {
		sfx = "_" + dev
	}
	return fmt.Sprintf(`
resource "terraform_data" "gw%[1]s" {
  count = %[2]d
  input = "SITE${count.index}"
}

resource "terraform_data" "pl%[1]s" {
  count = %[2]d
  input = "10.${floor(count.index / 250)}.${count.index %% 250}.0/%[3]d"
}

resource "terraform_data" "tun%[1]s" {
  count = %[2]d
  input = terraform_data.gw%[1]s[count.index].output
}

resource "terraform_data" "route%[1]s" {
  count = %[2]d
  input = terraform_data.tun%[1]s[count.index].output
}

resource "terraform_data" "nb%[1]s" {
  count      = %[2]d
  input      = terraform_data.pl%[1]s[count.index].output
  depends_on = [terraform_data.route%[1]s]
}
`, sfx, sites, 24+variant)
}

// Required is the terraform block every generated configuration starts with.
const Required = `
terraform {
  required_providers {
    onpremvpn = { source = "onpremvpn/onpremvpn" }
  }
}
`
