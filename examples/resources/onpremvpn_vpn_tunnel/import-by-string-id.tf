import {
  to = onpremvpn_vpn_tunnel.azure
  id = "default/AZURE"
}
