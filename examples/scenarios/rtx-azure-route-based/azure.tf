# The Azure side: a route-based VPN gateway (no BGP: seed 001 routes statically), the local
# network gateway describing the RTX behind its NAT, and the connection whose ipsec_policy is
# computed from the router's proposals (data.onpremvpn_azure_ipsec_policy), so that the two
# sides cannot disagree, the IPsec SA lifetime included (seed 001 matches it to Azure's).

resource "azurerm_resource_group" "vpn" {
  name     = "rg-rtx-vpn"
  location = var.location
}

resource "azurerm_virtual_network" "vnet" {
  name                = "vnet-azure"
  location            = azurerm_resource_group.vpn.location
  resource_group_name = azurerm_resource_group.vpn.name
  address_space       = ["10.1.0.0/16"]
}

resource "azurerm_subnet" "gateway" {
  name                 = "GatewaySubnet"
  resource_group_name  = azurerm_resource_group.vpn.name
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = ["10.1.255.0/27"]
}

resource "azurerm_public_ip" "vpn" {
  name                = "pip-vpn-gateway"
  location            = azurerm_resource_group.vpn.location
  resource_group_name = azurerm_resource_group.vpn.name
  allocation_method   = "Static"
  sku                 = "Standard"
}

resource "azurerm_virtual_network_gateway" "vpn" {
  name                = "vgw-azure"
  location            = azurerm_resource_group.vpn.location
  resource_group_name = azurerm_resource_group.vpn.name
  type                = "Vpn"
  vpn_type            = "RouteBased"
  sku                 = "VpnGw1"
  active_active       = false
  bgp_enabled         = false

  ip_configuration {
    name                          = "vnetGatewayConfig"
    public_ip_address_id          = azurerm_public_ip.vpn.id
    private_ip_address_allocation = "Dynamic"
    subnet_id                     = azurerm_subnet.gateway.id
  }
}

resource "azurerm_local_network_gateway" "rtx" {
  name                = "lgw-rtx"
  location            = azurerm_resource_group.vpn.location
  resource_group_name = azurerm_resource_group.vpn.name
  gateway_address     = var.router_public_address
  address_space       = var.onprem_prefixes
}

data "onpremvpn_azure_ipsec_policy" "rtx" {
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

resource "azurerm_virtual_network_gateway_connection" "rtx" {
  name                       = "cn-rtx"
  location                   = azurerm_resource_group.vpn.location
  resource_group_name        = azurerm_resource_group.vpn.name
  type                       = "IPsec"
  virtual_network_gateway_id = azurerm_virtual_network_gateway.vpn.id
  local_network_gateway_id   = azurerm_local_network_gateway.rtx.id
  shared_key                 = var.shared_key
  connection_protocol        = data.onpremvpn_azure_ipsec_policy.rtx.connection_protocol

  ipsec_policy {
    ike_encryption   = data.onpremvpn_azure_ipsec_policy.rtx.ike_encryption
    ike_integrity    = data.onpremvpn_azure_ipsec_policy.rtx.ike_integrity
    dh_group         = data.onpremvpn_azure_ipsec_policy.rtx.dh_group
    ipsec_encryption = data.onpremvpn_azure_ipsec_policy.rtx.ipsec_encryption
    ipsec_integrity  = data.onpremvpn_azure_ipsec_policy.rtx.ipsec_integrity
    pfs_group        = data.onpremvpn_azure_ipsec_policy.rtx.pfs_group
    sa_lifetime      = data.onpremvpn_azure_ipsec_policy.rtx.sa_lifetime
    sa_datasize      = data.onpremvpn_azure_ipsec_policy.rtx.sa_datasize
  }
}

# What the router side takes from Azure.
locals {
  azure_gateway_ip = azurerm_public_ip.vpn.ip_address
  azure_prefixes   = azurerm_virtual_network.vnet.address_space
}
