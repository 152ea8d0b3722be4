provider "azurerm" {
  features {}
}

# The Yamaha RTX, reached over SSH with a login user; configuration changes need the password
# of its administrator level. Its host key is verified against known_hosts_file.
provider "onpremvpn" {
  platform         = "rtx"
  host             = var.router_host
  username         = var.router_username
  password         = var.router_password
  known_hosts_file = var.known_hosts_file
  azure            = { target = "vpn_gateway" }
  options = {
    administrator_password = var.router_administrator_password
  }
}
