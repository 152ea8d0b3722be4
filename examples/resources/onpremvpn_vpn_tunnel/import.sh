# <device>/<name>: "default" is the provider's top-level device.
terraform import onpremvpn_vpn_tunnel.azure default/AZURE
