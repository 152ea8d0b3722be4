import {
  to = onpremvpn_source_route.lan2
  id = "default/192.168.50.0/24"
}
