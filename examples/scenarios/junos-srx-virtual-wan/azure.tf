# The Azure side (seed 002): a Standard Virtual WAN, a hub with a site-to-site VPN gateway
# whose two instances take the APIPA BGP addresses 169.254.21.2 and 169.254.21.6 (ASN 65515),
# a spoke virtual network connected to the hub, the VPN site describing the SRX with one link
# per WAN address (each with its BGP peering address and ASN), and the connection with one
# vpn_link per site link. Each link's ipsec_policy is computed from the router's proposals
# (data.onpremvpn_azure_ipsec_policy), so that the two sides cannot disagree.
#
# Each vpn_link is offered to both gateway instances; the SRX builds one tunnel per link, link
# 0 to instance 0 and link 1 to instance 1, as the seed does: in the portal the other two
# tunnels stay "Connecting", and BGP runs over the two that are up.

resource "azurerm_resource_group" "vwan" {
  name     = "rg-vwan"
  location = var.location
}

resource "azurerm_virtual_wan" "vwan" {
  name                = "vwan"
  location            = azurerm_resource_group.vwan.location
  resource_group_name = azurerm_resource_group.vwan.name
  type                = "Standard"
}

resource "azurerm_virtual_hub" "hub" {
  name                   = "vhub-japaneast"
  location               = azurerm_resource_group.vwan.location
  resource_group_name    = azurerm_resource_group.vwan.name
  virtual_wan_id         = azurerm_virtual_wan.vwan.id
  address_prefix         = "172.16.200.0/24"
  hub_routing_preference = "ASPath"
}

resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke"
  location            = azurerm_resource_group.vwan.location
  resource_group_name = azurerm_resource_group.vwan.name
  address_space       = ["172.16.1.0/24"]
}

resource "azurerm_virtual_hub_connection" "spoke" {
  name                      = "hubcn-spoke"
  virtual_hub_id            = azurerm_virtual_hub.hub.id
  remote_virtual_network_id = azurerm_virtual_network.spoke.id
}

resource "azurerm_vpn_gateway" "hub" {
  name                = "vpngw-hub"
  location            = azurerm_resource_group.vwan.location
  resource_group_name = azurerm_resource_group.vwan.name
  virtual_hub_id      = azurerm_virtual_hub.hub.id
  scale_unit          = 1

  bgp_settings {
    asn         = 65515
    peer_weight = 0

    instance_0_bgp_peering_address {
      custom_ips = ["169.254.21.2"]
    }

    instance_1_bgp_peering_address {
      custom_ips = ["169.254.21.6"]
    }
  }
}

resource "azurerm_vpn_site" "srx" {
  name                = "site-srx"
  location            = azurerm_resource_group.vwan.location
  resource_group_name = azurerm_resource_group.vwan.name
  virtual_wan_id      = azurerm_virtual_wan.vwan.id
  device_vendor       = "Juniper"
  device_model        = "SRX"

  link {
    name          = "link0"
    ip_address    = var.router_wan_addresses[0]
    provider_name = "isp0"
    speed_in_mbps = 1000

    bgp {
      asn             = var.onprem_asn
      peering_address = var.router_bgp_addresses[0]
    }
  }

  link {
    name          = "link1"
    ip_address    = var.router_wan_addresses[1]
    provider_name = "isp1"
    speed_in_mbps = 1000

    bgp {
      asn             = var.onprem_asn
      peering_address = var.router_bgp_addresses[1]
    }
  }
}

data "onpremvpn_azure_ipsec_policy" "srx" {
  gateway = {
    proposals   = onpremvpn_ike_gateway.azure[0].proposals
    lifetime    = onpremvpn_ike_gateway.azure[0].lifetime
    ike_version = onpremvpn_ike_gateway.azure[0].ike_version
  }
  tunnel = {
    proposals = onpremvpn_vpn_tunnel.azure[0].proposals
    pfs_group = onpremvpn_vpn_tunnel.azure[0].pfs_group
    lifetime  = onpremvpn_vpn_tunnel.azure[0].lifetime
  }
}

resource "azurerm_vpn_gateway_connection" "srx" {
  name               = "cn-srx"
  vpn_gateway_id     = azurerm_vpn_gateway.hub.id
  remote_vpn_site_id = azurerm_vpn_site.srx.id

  dynamic "vpn_link" {
    for_each = azurerm_vpn_site.srx.link
    content {
      name             = vpn_link.value.name
      vpn_site_link_id = vpn_link.value.id
      shared_key       = var.shared_key
      protocol         = data.onpremvpn_azure_ipsec_policy.srx.connection_protocol
      bgp_enabled      = true

      # the APIPA address of each gateway instance this link peers with
      custom_bgp_address {
        ip_address          = local.azure_bgp_addresses[0]
        ip_configuration_id = local.azure_instances[0].ip_configuration_id
      }

      custom_bgp_address {
        ip_address          = local.azure_bgp_addresses[1]
        ip_configuration_id = local.azure_instances[1].ip_configuration_id
      }

      ipsec_policy {
        ike_encryption_algorithm = data.onpremvpn_azure_ipsec_policy.srx.ike_encryption
        ike_integrity_algorithm  = data.onpremvpn_azure_ipsec_policy.srx.ike_integrity
        dh_group                 = data.onpremvpn_azure_ipsec_policy.srx.dh_group
        encryption_algorithm     = data.onpremvpn_azure_ipsec_policy.srx.ipsec_encryption
        integrity_algorithm      = data.onpremvpn_azure_ipsec_policy.srx.ipsec_integrity
        pfs_group                = data.onpremvpn_azure_ipsec_policy.srx.pfs_group
        sa_lifetime_sec          = data.onpremvpn_azure_ipsec_policy.srx.sa_lifetime
        sa_data_size_kb          = data.onpremvpn_azure_ipsec_policy.srx.sa_datasize
      }
    }
  }
}

# What the router side takes from Azure: per gateway instance, its public address (the
# ip_configuration whose id is the instance's ip_configuration_id) and its BGP address; the
# gateway's ASN; the spoke's and the hub's address space, in ascending address order (as Junos
# lists a prefix-list).
locals {
  azure_instances = [
    azurerm_vpn_gateway.hub.bgp_settings[0].instance_0_bgp_peering_address[0],
    azurerm_vpn_gateway.hub.bgp_settings[0].instance_1_bgp_peering_address[0],
  ]
  azure_gateway_ips = [
    for i in local.azure_instances :
    one([for c in azurerm_vpn_gateway.hub.ip_configuration : c.public_ip_address if c.id == i.ip_configuration_id])
  ]
  azure_bgp_addresses = [for i in local.azure_instances : one(i.custom_ips)]
  azure_asn           = azurerm_vpn_gateway.hub.bgp_settings[0].asn
  azure_prefixes      = concat(tolist(azurerm_virtual_network.spoke.address_space), [azurerm_virtual_hub.hub.address_prefix])
}
