# <device>/<neighbor_address>: "default" is the provider's top-level device.
terraform import onpremvpn_bgp_neighbor.azure default/172.16.0.254
