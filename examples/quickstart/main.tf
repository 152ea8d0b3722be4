# Quickstart: the EdgeRouter side of a route-based IKEv2 VPN to an Azure VPN gateway with BGP
# over the tunnel (the scenario of Ubiquiti's "EdgeRouter to Azure, BGP over IKEv2/IPsec"
# guide). `make demo` runs it against the built-in EdgeOS simulator.

terraform {
  required_providers {
    onpremvpn = {
      source = "onpremvpn/onpremvpn"
    }
  }
}

variable "host" {
  type    = string
  default = "127.0.0.1"
}
variable "port" {
  type    = number
  default = 22
}
variable "username" {
  type    = string
  default = "admin"
}
variable "password" {
  type      = string
  sensitive = true
}
variable "host_key" {
  description = "The router's SSH host key (authorized_keys line or SHA256 fingerprint)."
  type        = string
}
variable "pre_shared_key" {
  type      = string
  sensitive = true
}

provider "onpremvpn" {
  platform = "edgeos"
  host     = var.host
  port     = var.port
  username = var.username
  password = var.password
  host_key = var.host_key
}

locals {
  azure_gateway_ip    = "192.0.2.1"    # public IP of the Azure virtual network gateway
  azure_bgp_peer      = "172.16.0.254" # its BGP peering address
  azure_address_space = "172.16.0.0/22"
  router_wan_ip       = "203.0.113.1"
  router_lan          = "192.168.1.0/24"
  router_lan_ip       = "192.168.1.1"
}

# Phase 1: the Azure gateway as IKEv2 peer.
resource "onpremvpn_ike_gateway" "azure" {
  name            = "AZURE"
  peer_address    = local.azure_gateway_ip
  local_address   = local.router_wan_ip
  ike_version     = 2
  pre_shared_key  = var.pre_shared_key
  lifetime        = 28800
  connection_type = "respond"
  description     = "Azure VPN gateway"
  proposals       = [{ encryption = "aes256", integrity = "sha256", dh_group = 14 }]
  dpd             = { interval = 30, timeout = 120, action = "restart" }
}

# Phase 2, route-based over vti0, with Azure's SA lifetime and the MSS clamp Azure asks for.
resource "onpremvpn_vpn_tunnel" "azure" {
  name             = "AZURE"
  ike_gateway      = onpremvpn_ike_gateway.azure.name
  tunnel_interface = "vti0"
  lifetime         = 27000
  pfs_group        = 0
  tcp_mss          = 1350
  proposals        = [{ encryption = "aes256", integrity = "sha256" }]
}

# The Azure BGP peering address is reached through the tunnel.
resource "onpremvpn_static_route" "azure_bgp_peer" {
  destination      = "${local.azure_bgp_peer}/32"
  tunnel_interface = onpremvpn_vpn_tunnel.azure.tunnel_interface
}

# A second LAN segment is sent into the tunnel by source, whatever BGP learns.
resource "onpremvpn_source_route" "lan2" {
  source            = "192.168.50.0/24"
  destination       = local.azure_address_space
  tunnel_interface  = onpremvpn_vpn_tunnel.azure.tunnel_interface
  table             = 1
  ingress_interface = "eth2"
  description       = "LAN2 to Azure"
}

# Only the local LAN out, only Azure's address space in; never the tunnel endpoints.
resource "onpremvpn_prefix_list" "bgp" {
  name = "AZURE-BGP"
  rules = {
    10  = { action = "deny", prefix = "${local.router_wan_ip}/32", description = "Deny Local Gateway Address" }
    20  = { action = "deny", prefix = "${local.azure_gateway_ip}/32", description = "Deny Azure Gateway Address" }
    30  = { action = "deny", prefix = "${local.router_lan_ip}/32", description = "Deny Local Peering Address" }
    40  = { action = "deny", prefix = "${local.azure_bgp_peer}/32", description = "Deny Azure Peering Address" }
    100 = { action = "permit", prefix = local.router_lan, description = "Local Subnets" }
    110 = { action = "permit", prefix = local.azure_address_space, description = "Azure Subnets" }
  }
}

resource "onpremvpn_bgp_neighbor" "azure" {
  neighbor_address             = local.azure_bgp_peer
  local_as                     = 65510
  remote_as                    = 65515
  ebgp_multihop                = 2
  update_source                = local.router_lan_ip
  keepalive                    = 60
  hold_time                    = 180
  prefix_list_in               = onpremvpn_prefix_list.bgp.name
  prefix_list_out              = onpremvpn_prefix_list.bgp.name
  soft_reconfiguration_inbound = true
  networks                     = [local.router_lan]

  depends_on = [onpremvpn_static_route.azure_bgp_peer]
}

data "onpremvpn_device" "router" {}

data "onpremvpn_running_config" "router" {
  depends_on = [onpremvpn_bgp_neighbor.azure, onpremvpn_source_route.lan2]
}

output "router" {
  value = "${data.onpremvpn_device.router.model} running EdgeOS ${data.onpremvpn_device.router.version}"
}

output "running_config" {
  description = "The router's configuration after apply, secrets masked."
  value       = data.onpremvpn_running_config.router.text
}
