# <device>/<name>: "default" is the provider's top-level device.
terraform import onpremvpn_prefix_list.azure_bgp default/AZURE-BGP
