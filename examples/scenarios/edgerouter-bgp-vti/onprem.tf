# The EdgeRouter side (seed 004): IKEv2 to the Azure gateway on a VTI, a /32 route to Azure's
# BGP peering address through the tunnel, and BGP with prefix lists in and out. Every
# Azure-side value comes from azure.tf's locals.

locals {
  ike_proposals   = [{ encryption = "aes256", integrity = "sha1", dh_group = 2 }]
  ipsec_proposals = [{ encryption = "aes256", integrity = "sha1" }]
}

resource "onpremvpn_ike_gateway" "azure" {
  name            = "AZURE0"
  peer_address    = local.azure_gateway_ip
  local_address   = var.router_wan_address
  ike_version     = 2
  pre_shared_key  = var.shared_key
  lifetime        = 28800
  connection_type = "respond"
  description     = "Azure VPN gateway"
  proposals       = local.ike_proposals
}

resource "onpremvpn_vpn_tunnel" "azure" {
  name             = "AZURE0"
  ike_gateway      = onpremvpn_ike_gateway.azure.name
  tunnel_interface = "vti0"
  lifetime         = 27000
  pfs_group        = 0
  tcp_mss          = 1350
  proposals        = local.ipsec_proposals
}

resource "onpremvpn_static_route" "azure_bgp_peer" {
  destination      = "${local.azure_bgp_address}/32"
  tunnel_interface = onpremvpn_vpn_tunnel.azure.tunnel_interface
}

resource "onpremvpn_prefix_list" "bgp" {
  name = "AZURE"
  rules = merge(
    {
      10 = { action = "deny", prefix = "${var.router_wan_address}/32", description = "Local gateway address" }
      20 = { action = "deny", prefix = "${local.azure_gateway_ip}/32", description = "Azure gateway address" }
      30 = { action = "deny", prefix = "${local.azure_bgp_address}/32", description = "Azure peering address" }
    },
    { for i, p in var.onprem_prefixes : 100 + i => { action = "permit", prefix = p, description = "On-premises" } },
    { for i, p in local.azure_prefixes : 200 + i => { action = "permit", prefix = p, description = "Azure" } },
  )
}

resource "onpremvpn_bgp_neighbor" "azure" {
  neighbor_address             = local.azure_bgp_address
  local_as                     = var.onprem_asn
  remote_as                    = local.azure_asn
  ebgp_multihop                = 2
  update_source                = var.router_lan_address
  keepalive                    = 60
  hold_time                    = 180
  prefix_list_in               = onpremvpn_prefix_list.bgp.name
  prefix_list_out              = onpremvpn_prefix_list.bgp.name
  soft_reconfiguration_inbound = true
  networks                     = var.onprem_prefixes

  depends_on = [onpremvpn_static_route.azure_bgp_peer]
}
