# <device>/<destination>: "default" is the provider's top-level device.
terraform import onpremvpn_static_route.azure_bgp_peer default/172.16.0.254/32
# A route in a routing instance (platforms that have them) names the qualifier:
# terraform import onpremvpn_static_route.dc default/10.0.0.0/16,routing_instance=trust-vr
