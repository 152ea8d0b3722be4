# BGP with the Azure VPN gateway (ASN 65515) over the tunnel. The peering address is routed
# into vti0 by a static route; the prefix list filters both directions.
resource "onpremvpn_static_route" "azure_bgp_peer" {
  destination      = "172.16.0.254/32"
  tunnel_interface = "vti0"
}

resource "onpremvpn_prefix_list" "azure_bgp" {
  name = "AZURE-BGP"
  rules = {
    10  = { action = "deny", prefix = "172.16.0.254/32" }
    100 = { action = "permit", prefix = "192.168.1.0/24" }
    110 = { action = "permit", prefix = "172.16.0.0/22", le = 24 }
  }
}

resource "onpremvpn_bgp_neighbor" "azure" {
  neighbor_address             = "172.16.0.254"
  local_as                     = 65510
  remote_as                    = 65515
  ebgp_multihop                = 2
  update_source                = "192.168.1.1"
  keepalive                    = 60
  hold_time                    = 180
  prefix_list_in               = onpremvpn_prefix_list.azure_bgp.name
  prefix_list_out              = onpremvpn_prefix_list.azure_bgp.name
  soft_reconfiguration_inbound = true
  description                  = "Azure VPN gateway"

  # The networks this neighbor needs the BGP process of AS 65510 to announce.
  networks = ["192.168.1.0/24"]

  depends_on = [onpremvpn_static_route.azure_bgp_peer]
}
