provider "azurerm" {
  features {}
}

# The EdgeRouter, reached over SSH; its host key is verified against known_hosts_file.
provider "onpremvpn" {
  platform         = "edgeos"
  host             = var.router_host
  username         = var.router_username
  password         = var.router_password
  known_hosts_file = var.known_hosts_file
  azure            = { target = "vpn_gateway" }
}
