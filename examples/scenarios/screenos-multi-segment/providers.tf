provider "azurerm" {
  features {}
}

# The SSG5 / NetScreen, reached over SSH (ScreenOS offers only SHA-1 key exchange, CBC ciphers
# and an ssh-dss host key: the provider asks for them by itself); its host key is verified
# against known_hosts_file. IKE gateways go out of untrust_interface.
provider "onpremvpn" {
  platform         = "screenos"
  host             = var.router_host
  username         = var.router_username
  password         = var.router_password
  known_hosts_file = var.known_hosts_file
  options          = { outgoing_interface = var.untrust_interface }
  azure            = { target = "vpn_gateway" }
}
