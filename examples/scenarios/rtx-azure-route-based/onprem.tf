# The RTX side (seed 001): route-based IKEv2 to the Azure gateway from behind a NAT (NAT-T,
# the RTX's own WAN address as its IKE identity, Azure's address as the peer's), RFC 4306
# keepalives, the router initiating, the IPsec SA lifetime matched to Azure's 27000 seconds,
# anti-replay off, the TCP MSS clamped to 1350, and a route per Azure prefix into the tunnel.
# Every Azure-side value comes from azure.tf's locals.

resource "onpremvpn_ike_gateway" "azure" {
  name            = "AZURE"
  description     = "Azure VPN gateway"
  peer_address    = local.azure_gateway_ip
  local_id        = var.router_wan_address
  remote_id       = local.azure_gateway_ip
  ike_version     = 2
  pre_shared_key  = var.shared_key
  lifetime        = 28800
  nat_traversal   = true
  connection_type = "initiate"
  liveness        = { interval = 10, retry_count = 6 }
  proposals       = [{ encryption = "aes256", integrity = "sha256", dh_group = 2 }]
}

resource "onpremvpn_vpn_tunnel" "azure" {
  name             = "AZURE"
  ike_gateway      = onpremvpn_ike_gateway.azure.name
  tunnel_interface = "tunnel1"
  lifetime         = 27000
  pfs_group        = 0
  anti_replay      = false
  tcp_mss          = 1350
  proposals        = [{ encryption = "aes256", integrity = "sha256" }]
}

resource "onpremvpn_static_route" "azure" {
  count            = length(local.azure_prefixes)
  destination      = local.azure_prefixes[count.index]
  tunnel_interface = onpremvpn_vpn_tunnel.azure.tunnel_interface
}
