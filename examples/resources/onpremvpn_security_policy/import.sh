# <device>/<name>: "default" is the provider's top-level device.
terraform import onpremvpn_security_policy.lan_to_azure default/LAN-TO-AZURE
