# The Azure gateway's BGP peering address is reached through the tunnel interface.
resource "onpremvpn_static_route" "azure_bgp_peer" {
  destination      = "172.16.0.254/32"
  tunnel_interface = "vti0"
}

# Azure's address space through the tunnel without BGP.
resource "onpremvpn_static_route" "azure_vnet" {
  destination      = "172.16.0.0/22"
  tunnel_interface = "vti0"
  distance         = 10
}

# A route to a next-hop address instead of an interface.
resource "onpremvpn_static_route" "lab" {
  destination = "10.99.0.0/16"
  next_hop    = "192.168.1.254"
}
