provider "azurerm" {
  features {}
}

# The SRX, reached over SSH; its host key is verified against known_hosts_file. The plan
# checks the router side against what a Virtual WAN VPN gateway accepts (IPsec SA lifetime
# 3600 seconds, BGP timers, APIPA range, reserved ASNs).
provider "onpremvpn" {
  platform         = "junos"
  host             = var.router_host
  username         = var.router_username
  password         = var.router_password
  known_hosts_file = var.known_hosts_file
  azure            = { target = "virtual_wan" }
}
