import {
  to = onpremvpn_static_route.azure_bgp_peer
  id = "default/172.16.0.254/32"
}
