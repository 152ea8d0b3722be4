import {
  to = onpremvpn_bgp_neighbor.azure
  id = "default/172.16.0.254"
}
