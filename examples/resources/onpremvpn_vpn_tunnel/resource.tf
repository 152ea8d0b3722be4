# Route-based: phase 2 bound to the VTI vti0, with Azure's SA lifetime and the MSS clamp
# Azure recommends. Routes (static or BGP) send traffic into vti0.
variable "azure_vpn_psk" {
  type      = string
  sensitive = true
}

resource "onpremvpn_ike_gateway" "azure" {
  name                      = "AZURE"
  peer_address              = "192.0.2.1"
  local_address             = "203.0.113.1"
  pre_shared_key_wo         = var.azure_vpn_psk
  pre_shared_key_wo_version = 1
  proposals                 = [{ encryption = "aes256", integrity = "sha256", dh_group = 14 }]
}

resource "onpremvpn_vpn_tunnel" "azure" {
  name             = "AZURE"
  ike_gateway      = onpremvpn_ike_gateway.azure.name
  tunnel_interface = "vti0"
  lifetime         = 27000
  pfs_group        = 0 # Azure's default IPsec policy uses no PFS
  tcp_mss          = 1350
  description      = "Azure VPN"
  proposals        = [{ encryption = "aes256", integrity = "sha256" }]
}
