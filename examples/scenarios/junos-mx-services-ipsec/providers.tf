provider "azurerm" {
  features {}
}

# The MX, reached over SSH; its host key is verified against known_hosts_file. The flavor
# option selects services ipsec-vpn (next-hop service sets) instead of SRX security ipsec.
provider "onpremvpn" {
  platform         = "junos"
  host             = var.router_host
  username         = var.router_username
  password         = var.router_password
  known_hosts_file = var.known_hosts_file
  options          = { flavor = "mx" }
  azure            = { target = "vpn_gateway" }
}
