import {
  to = onpremvpn_prefix_list.azure_bgp
  id = "default/AZURE-BGP"
}
