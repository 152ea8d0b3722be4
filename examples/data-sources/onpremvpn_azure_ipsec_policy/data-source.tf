# The proposals are written once and used by both sides: the router's gateway and tunnel,
# and, through the data source, the Azure connection's ipsec_policy.
locals {
  ike_proposals   = [{ encryption = "aes256", integrity = "sha256", dh_group = 14 }]
  ipsec_proposals = [{ encryption = "aes256gcm", integrity = "sha256" }]
}

resource "onpremvpn_ike_gateway" "azure" {
  name                      = "AZURE"
  peer_address              = azurerm_public_ip.vpn.ip_address
  local_address             = "203.0.113.1"
  ike_version               = 2
  pre_shared_key_wo         = var.psk
  pre_shared_key_wo_version = 1
  proposals                 = local.ike_proposals
}

resource "onpremvpn_vpn_tunnel" "azure" {
  name             = "AZURE"
  ike_gateway      = onpremvpn_ike_gateway.azure.name
  proposals        = local.ipsec_proposals
  pfs_group        = 14
  lifetime         = 27000
  tunnel_interface = "vti0"
}

data "onpremvpn_azure_ipsec_policy" "azure" {
  gateway = {
    proposals   = onpremvpn_ike_gateway.azure.proposals
    lifetime    = onpremvpn_ike_gateway.azure.lifetime
    ike_version = onpremvpn_ike_gateway.azure.ike_version
  }
  tunnel = {
    proposals = onpremvpn_vpn_tunnel.azure.proposals
    pfs_group = onpremvpn_vpn_tunnel.azure.pfs_group
    lifetime  = onpremvpn_vpn_tunnel.azure.lifetime
  }
}

resource "azurerm_virtual_network_gateway_connection" "onprem" {
  name                       = "onprem"
  location                   = azurerm_resource_group.vpn.location
  resource_group_name        = azurerm_resource_group.vpn.name
  type                       = "IPsec"
  virtual_network_gateway_id = azurerm_virtual_network_gateway.vpn.id
  local_network_gateway_id   = azurerm_local_network_gateway.onprem.id
  shared_key                 = var.psk
  connection_protocol        = data.onpremvpn_azure_ipsec_policy.azure.connection_protocol

  ipsec_policy {
    ike_encryption   = data.onpremvpn_azure_ipsec_policy.azure.ike_encryption
    ike_integrity    = data.onpremvpn_azure_ipsec_policy.azure.ike_integrity
    dh_group         = data.onpremvpn_azure_ipsec_policy.azure.dh_group
    ipsec_encryption = data.onpremvpn_azure_ipsec_policy.azure.ipsec_encryption
    ipsec_integrity  = data.onpremvpn_azure_ipsec_policy.azure.ipsec_integrity
    pfs_group        = data.onpremvpn_azure_ipsec_policy.azure.pfs_group
    sa_lifetime      = data.onpremvpn_azure_ipsec_policy.azure.sa_lifetime
    sa_datasize      = data.onpremvpn_azure_ipsec_policy.azure.sa_datasize
  }
}
