# Phase 1 towards an Azure route-based VPN gateway (IKEv2). The key is write-only: it is sent
# to the router but never stored in the Terraform state or plan.
variable "azure_vpn_psk" {
  description = "Pre-shared key of the Azure connection (azurerm_virtual_network_gateway_connection.shared_key)."
  type        = string
  sensitive   = true
}

resource "onpremvpn_ike_gateway" "azure" {
  name                      = "AZURE"
  peer_address              = "192.0.2.1"   # public IP of the Azure VPN gateway
  local_address             = "203.0.113.1" # the EdgeRouter's WAN address
  ike_version               = 2
  pre_shared_key_wo         = var.azure_vpn_psk
  pre_shared_key_wo_version = 1 # bump to push a new key
  lifetime                  = 28800
  connection_type           = "respond"
  description               = "Azure VPN gateway"

  proposals = [
    { encryption = "aes256", integrity = "sha256", dh_group = 14 },
  ]
  dpd = { interval = 30, timeout = 120, action = "restart" }
}

# EdgeOS commits the site-to-site peer together with the first tunnel that uses the gateway.
resource "onpremvpn_vpn_tunnel" "azure" {
  name             = "AZURE"
  ike_gateway      = onpremvpn_ike_gateway.azure.name
  tunnel_interface = "vti0"
  lifetime         = 27000
  tcp_mss          = 1350
  proposals        = [{ encryption = "aes256", integrity = "sha256" }]
}
