# The Azure side: a route-based VPN gateway whose connection to the MX uses policy-based
# traffic selectors (one proxy-id, as services ipsec-vpn rules are matched by address), with
# the ipsec_policy Azure requires for them computed from the MX's proposals.

resource "azurerm_resource_group" "vpn" {
  name     = "rg-mx-vpn"
  location = var.location
}

resource "azurerm_virtual_network" "azure" {
  name                = "vnet-azure"
  location            = azurerm_resource_group.vpn.location
  resource_group_name = azurerm_resource_group.vpn.name
  address_space       = ["10.20.0.0/16"]
}

resource "azurerm_subnet" "gateway" {
  name                 = "GatewaySubnet"
  resource_group_name  = azurerm_resource_group.vpn.name
  virtual_network_name = azurerm_virtual_network.azure.name
  address_prefixes     = ["10.20.255.0/27"]
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

  ip_configuration {
    name                          = "vnetGatewayConfig"
    public_ip_address_id          = azurerm_public_ip.vpn.id
    private_ip_address_allocation = "Dynamic"
    subnet_id                     = azurerm_subnet.gateway.id
  }
}

resource "azurerm_local_network_gateway" "mx" {
  name                = "lgw-mx"
  location            = azurerm_resource_group.vpn.location
  resource_group_name = azurerm_resource_group.vpn.name
  gateway_address     = var.router_wan_address
  address_space       = [var.onprem_prefix]
}

data "onpremvpn_azure_ipsec_policy" "mx" {
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

resource "azurerm_virtual_network_gateway_connection" "mx" {
  name                               = "cn-mx"
  location                           = azurerm_resource_group.vpn.location
  resource_group_name                = azurerm_resource_group.vpn.name
  type                               = "IPsec"
  virtual_network_gateway_id         = azurerm_virtual_network_gateway.vpn.id
  local_network_gateway_id           = azurerm_local_network_gateway.mx.id
  shared_key                         = var.shared_key
  connection_protocol                = data.onpremvpn_azure_ipsec_policy.mx.connection_protocol
  use_policy_based_traffic_selectors = true

  ipsec_policy {
    ike_encryption   = data.onpremvpn_azure_ipsec_policy.mx.ike_encryption
    ike_integrity    = data.onpremvpn_azure_ipsec_policy.mx.ike_integrity
    dh_group         = data.onpremvpn_azure_ipsec_policy.mx.dh_group
    ipsec_encryption = data.onpremvpn_azure_ipsec_policy.mx.ipsec_encryption
    ipsec_integrity  = data.onpremvpn_azure_ipsec_policy.mx.ipsec_integrity
    pfs_group        = data.onpremvpn_azure_ipsec_policy.mx.pfs_group
    sa_lifetime      = data.onpremvpn_azure_ipsec_policy.mx.sa_lifetime
    sa_datasize      = data.onpremvpn_azure_ipsec_policy.mx.sa_datasize
  }

  traffic_selector_policy {
    local_address_cidrs  = azurerm_virtual_network.azure.address_space
    remote_address_cidrs = [var.onprem_prefix]
  }
}

# What the router side takes from Azure.
locals {
  azure_gateway_ip = azurerm_public_ip.vpn.ip_address
  azure_prefix     = one(azurerm_virtual_network.azure.address_space)
}
