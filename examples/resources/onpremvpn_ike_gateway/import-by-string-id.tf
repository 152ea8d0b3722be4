import {
  to = onpremvpn_ike_gateway.azure
  id = "default/AZURE"
}
