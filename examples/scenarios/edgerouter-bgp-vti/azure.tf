# The Azure side: a route-based VPN gateway with BGP, the local network gateway describing the
# EdgeRouter, and the connection whose ipsec_policy is computed from the router's proposals
# (data.onpremvpn_azure_ipsec_policy), so that the two sides cannot disagree.

resource "azurerm_resource_group" "vpn" {
  name     = "rg-onprem-vpn"
  location = var.location
}

resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  location            = azurerm_resource_group.vpn.location
  resource_group_name = azurerm_resource_group.vpn.name
  address_space       = ["172.16.0.0/22"]
}

resource "azurerm_subnet" "gateway" {
  name                 = "GatewaySubnet"
  resource_group_name  = azurerm_resource_group.vpn.name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["172.16.0.0/27"]
}

resource "azurerm_public_ip" "vpn" {
  name                = "pip-vpn-gateway"
  location            = azurerm_resource_group.vpn.location
  resource_group_name = azurerm_resource_group.vpn.name
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_virtual_network_gateway" "vpn" {
  name                = "vgw-hub"
  location            = azurerm_resource_group.vpn.location
  resource_group_name = azurerm_resource_group.vpn.name
  type                = "Vpn"
  vpn_type            = "RouteBased"
  sku                 = "VpnGw1"
  active_active       = false
  bgp_enabled         = true

  ip_configuration {
    name                          = "vnetGatewayConfig"
    public_ip_address_id          = azurerm_public_ip.vpn.id
    private_ip_address_allocation = "Dynamic"
    subnet_id                     = azurerm_subnet.gateway.id
  }

  bgp_settings {
    asn = 65515
  }
}

resource "azurerm_local_network_gateway" "edgerouter" {
  name                = "lgw-edgerouter"
  location            = azurerm_resource_group.vpn.location
  resource_group_name = azurerm_resource_group.vpn.name
  gateway_address     = var.router_wan_address

  bgp_settings {
    asn                 = var.onprem_asn
    bgp_peering_address = var.router_lan_address
  }
}

data "onpremvpn_azure_ipsec_policy" "edgerouter" {
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

resource "azurerm_virtual_network_gateway_connection" "edgerouter" {
  name                       = "cn-edgerouter"
  location                   = azurerm_resource_group.vpn.location
  resource_group_name        = azurerm_resource_group.vpn.name
  type                       = "IPsec"
  virtual_network_gateway_id = azurerm_virtual_network_gateway.vpn.id
  local_network_gateway_id   = azurerm_local_network_gateway.edgerouter.id
  shared_key                 = var.shared_key
  bgp_enabled                = true
  connection_protocol        = data.onpremvpn_azure_ipsec_policy.edgerouter.connection_protocol

  ipsec_policy {
    ike_encryption   = data.onpremvpn_azure_ipsec_policy.edgerouter.ike_encryption
    ike_integrity    = data.onpremvpn_azure_ipsec_policy.edgerouter.ike_integrity
    dh_group         = data.onpremvpn_azure_ipsec_policy.edgerouter.dh_group
    ipsec_encryption = data.onpremvpn_azure_ipsec_policy.edgerouter.ipsec_encryption
    ipsec_integrity  = data.onpremvpn_azure_ipsec_policy.edgerouter.ipsec_integrity
    pfs_group        = data.onpremvpn_azure_ipsec_policy.edgerouter.pfs_group
    sa_lifetime      = data.onpremvpn_azure_ipsec_policy.edgerouter.sa_lifetime
    sa_datasize      = data.onpremvpn_azure_ipsec_policy.edgerouter.sa_datasize
  }
}

# What the router side takes from Azure.
locals {
  azure_gateway_ip  = azurerm_public_ip.vpn.ip_address
  azure_bgp_address = one(azurerm_virtual_network_gateway.vpn.bgp_settings[0].peering_addresses[0].default_addresses)
  azure_asn         = azurerm_virtual_network_gateway.vpn.bgp_settings[0].asn
  azure_prefixes    = azurerm_virtual_network.hub.address_space
}
