# The SRX side (seed 002 on a Juniper SRX): one route-based IKEv2 tunnel per link, link 0 from
# the first WAN address to gateway instance 0 and link 1 from the second to instance 1, each
# bound to an st0 unit holding the SRX's APIPA address; an IPsec SA lifetime of 3600 seconds
# (Virtual WAN's), no PFS; BGP to each instance's APIPA address with Azure's timers
# (keepalive 60, hold time 180), Azure's prefixes accepted in and the on-premises ones
# announced out. Every Azure-side value comes from azure.tf's locals.

# Junos prefix-list entries are unnumbered and listed in ascending address order: the rules
# are numbered 1, 2, ... and the prefixes given in that order.
resource "onpremvpn_prefix_list" "azure" {
  name  = "AZURE-PREFIXES"
  rules = { for i, p in local.azure_prefixes : i + 1 => { action = "permit", prefix = p } }
}

resource "onpremvpn_prefix_list" "onprem" {
  name  = "ONPREM-PREFIXES"
  rules = { for i, p in var.onprem_prefixes : i + 1 => { action = "permit", prefix = p } }
}

resource "onpremvpn_ike_gateway" "azure" {
  count          = 2
  name           = "AZURE-VWAN-${count.index}"
  peer_address   = local.azure_gateway_ips[count.index]
  local_address  = var.router_wan_addresses[count.index]
  ike_version    = 2
  pre_shared_key = var.shared_key
  lifetime       = 28800
  liveness       = { interval = 10, retry_count = 5 }
  proposals      = [{ encryption = "aes256", integrity = "sha256", dh_group = 2 }]
}

resource "onpremvpn_vpn_tunnel" "azure" {
  count                    = 2
  name                     = "AZURE-VWAN-${count.index}"
  description              = "Virtual WAN link ${count.index} to gateway instance ${count.index}"
  ike_gateway              = onpremvpn_ike_gateway.azure[count.index].name
  tunnel_interface         = "st0.${count.index}"
  tunnel_zone              = "vpn"
  tunnel_interface_address = "${var.router_bgp_addresses[count.index]}/30"
  lifetime                 = 3600
  pfs_group                = 0
  tcp_mss                  = 1350
  establish_immediately    = true
  proposals                = [{ encryption = "aes256", integrity = "sha256" }]
}

resource "onpremvpn_bgp_neighbor" "azure" {
  count            = 2
  neighbor_address = local.azure_bgp_addresses[count.index]
  local_as         = var.onprem_asn
  remote_as        = local.azure_asn
  update_source    = var.router_bgp_addresses[count.index]
  keepalive        = 60
  hold_time        = 180
  prefix_list_in   = onpremvpn_prefix_list.azure.name
  prefix_list_out  = onpremvpn_prefix_list.onprem.name

  depends_on = [onpremvpn_vpn_tunnel.azure]
}
