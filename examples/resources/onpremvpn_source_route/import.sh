# <device>/<source>: "default" is the provider's top-level device.
terraform import onpremvpn_source_route.lan2 default/192.168.50.0/24
