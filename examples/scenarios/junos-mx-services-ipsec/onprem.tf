# The MX side (seed 003): services ipsec-vpn with a next-hop service set on the services
# card's units 1 (inside) and 2 (outside), one proxy-id matching Azure's traffic selector,
# and the route to Azure's prefix into the inside unit.

resource "onpremvpn_ike_gateway" "azure" {
  name           = "IKE-AZURE"
  peer_address   = local.azure_gateway_ip
  local_address  = var.router_wan_address
  ike_version    = 1
  ike_mode       = "main"
  pre_shared_key = var.shared_key
  lifetime       = 28800
  proposals      = [{ encryption = "aes256", integrity = "sha256", dh_group = 14 }]
}

resource "onpremvpn_vpn_tunnel" "azure" {
  name              = "VPN-AZURE"
  ike_gateway       = onpremvpn_ike_gateway.azure.name
  tunnel_interface  = "${var.services_interface}.1"
  pfs_group         = 14
  lifetime          = 27000
  df_bit            = "clear"
  mtu               = 1400
  proposals         = [{ encryption = "aes256", integrity = "sha1" }]
  traffic_selectors = [{ local = var.onprem_prefix, remote = local.azure_prefix }]
}

resource "onpremvpn_static_route" "azure" {
  destination      = local.azure_prefix
  tunnel_interface = onpremvpn_vpn_tunnel.azure.tunnel_interface
}
