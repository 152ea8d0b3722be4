# <device>/<name>: "default" is the provider's top-level device.
terraform import onpremvpn_ike_gateway.azure default/AZURE

# A router from the provider's `devices` map.
terraform import 'onpremvpn_ike_gateway.azure["tokyo"]' tokyo/AZURE
