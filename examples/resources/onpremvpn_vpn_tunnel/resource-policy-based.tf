# Policy-based: no tunnel interface; one SA per pair of traffic selectors, for an Azure
# connection with use_policy_based_traffic_selectors = true.
variable "azure_west_psk" {
  type      = string
  sensitive = true
}

resource "onpremvpn_ike_gateway" "azure_west" {
  name                      = "AZURE-WEST"
  peer_address              = "198.51.100.7"
  local_address             = "203.0.113.1"
  pre_shared_key_wo         = var.azure_west_psk
  pre_shared_key_wo_version = 1
  proposals                 = [{ encryption = "aes256", integrity = "sha256", dh_group = 14 }]
}

resource "onpremvpn_vpn_tunnel" "azure_west" {
  name        = "AZURE-WEST"
  ike_gateway = onpremvpn_ike_gateway.azure_west.name
  lifetime    = 27000
  proposals   = [{ encryption = "aes256", integrity = "sha256" }]

  traffic_selectors = [
    { local = "192.168.1.0/24", remote = "10.20.0.0/16" },
    { local = "192.168.50.0/24", remote = "10.20.0.0/16" },
  ]
}
