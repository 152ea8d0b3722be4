# The Azure side: a route-based VPN gateway whose connection uses policy-based traffic
# selectors, one per on-premises segment (what a ScreenOS device with one proxy-id per tunnel
# negotiates), the local network gateway describing the device, and the connection whose
# ipsec_policy is computed from the device's proposals (data.onpremvpn_azure_ipsec_policy), so
# that the two sides cannot disagree.

resource "azurerm_resource_group" "vpn" {
  name     = "rg-onprem-vpn"
  location = var.location
}

resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  location            = azurerm_resource_group.vpn.location
  resource_group_name = azurerm_resource_group.vpn.name
  address_space       = [var.azure_prefix, "10.255.255.0/27"]
}

resource "azurerm_subnet" "gateway" {
  name                 = "GatewaySubnet"
  resource_group_name  = azurerm_resource_group.vpn.name
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.255.255.0/27"]
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
  bgp_enabled         = false

  ip_configuration {
    name                          = "vnetGatewayConfig"
    public_ip_address_id          = azurerm_public_ip.vpn.id
    private_ip_address_allocation = "Dynamic"
    subnet_id                     = azurerm_subnet.gateway.id
  }
}

resource "azurerm_local_network_gateway" "screenos" {
  name                = "lgw-screenos"
  location            = azurerm_resource_group.vpn.location
  resource_group_name = azurerm_resource_group.vpn.name
  gateway_address     = var.router_wan_address
  address_space       = var.segments[*].prefix
}

data "onpremvpn_azure_ipsec_policy" "screenos" {
  gateway = {
    proposals   = onpremvpn_ike_gateway.azure.proposals
    lifetime    = onpremvpn_ike_gateway.azure.lifetime
    ike_version = onpremvpn_ike_gateway.azure.ike_version
  }
  tunnel = {
    proposals = onpremvpn_vpn_tunnel.segment[0].proposals
    pfs_group = onpremvpn_vpn_tunnel.segment[0].pfs_group
    lifetime  = onpremvpn_vpn_tunnel.segment[0].lifetime
  }
}

resource "azurerm_virtual_network_gateway_connection" "screenos" {
  name                               = "cn-screenos"
  location                           = azurerm_resource_group.vpn.location
  resource_group_name                = azurerm_resource_group.vpn.name
  type                               = "IPsec"
  virtual_network_gateway_id         = azurerm_virtual_network_gateway.vpn.id
  local_network_gateway_id           = azurerm_local_network_gateway.screenos.id
  shared_key                         = var.shared_key
  connection_protocol                = data.onpremvpn_azure_ipsec_policy.screenos.connection_protocol
  use_policy_based_traffic_selectors = true

  ipsec_policy {
    ike_encryption   = data.onpremvpn_azure_ipsec_policy.screenos.ike_encryption
    ike_integrity    = data.onpremvpn_azure_ipsec_policy.screenos.ike_integrity
    dh_group         = data.onpremvpn_azure_ipsec_policy.screenos.dh_group
    ipsec_encryption = data.onpremvpn_azure_ipsec_policy.screenos.ipsec_encryption
    ipsec_integrity  = data.onpremvpn_azure_ipsec_policy.screenos.ipsec_integrity
    pfs_group        = data.onpremvpn_azure_ipsec_policy.screenos.pfs_group
    sa_lifetime      = data.onpremvpn_azure_ipsec_policy.screenos.sa_lifetime
    sa_datasize      = data.onpremvpn_azure_ipsec_policy.screenos.sa_datasize
  }

  # One selector per segment, the mirror of the device's proxy-ids (Azure's local side is the
  # virtual network).
  dynamic "traffic_selector_policy" {
    for_each = var.segments
    content {
      local_address_cidrs  = [var.azure_prefix]
      remote_address_cidrs = [traffic_selector_policy.value.prefix]
    }
  }
}

# What the router side takes from Azure.
locals {
  azure_gateway_ip = azurerm_public_ip.vpn.ip_address
  azure_prefix     = var.azure_prefix
}
