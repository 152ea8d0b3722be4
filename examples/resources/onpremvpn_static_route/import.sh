# <device>/<destination>: "default" is the provider's top-level device.
terraform import onpremvpn_static_route.azure_bgp_peer default/172.16.0.254/32
