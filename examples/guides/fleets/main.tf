# A fleet: the same route-based VPN to every Azure site, stamped out on every router of a
# fleet of mixed platforms, from one provider block. Each router is one entry of `devices`;
# each resource names its router with `device`.

terraform {
  required_providers {
    onpremvpn = {
      source = "onpremvpn/onpremvpn"
    }
  }
}

variable "routers" {
  description = <<-EOT
    The routers by name: platform, SSH address and port, the WAN address the tunnels start
    from, the security zone of the tunnel interfaces (SRX), the platform options, and the
    pinned host key (left out, the router's key is looked up in known_hosts_file).
  EOT
  type = map(object({
    platform    = string
    host        = string
    port        = optional(number, 22)
    wan_address = string
    tunnel_zone = optional(string)
    options     = optional(map(string), {})
    host_key    = optional(string)
  }))
}

variable "sites" {
  description = <<-EOT
    The Azure sites every router connects to, by name (letters, digits and dashes: it is part
    of the objects' names): a number, unique in the fleet, that picks the tunnel interface on
    each router, the address of the site's VPN gateway, and the site's prefixes.
  EOT
  type = map(object({
    number     = number
    gateway_ip = string
    prefixes   = list(string)
  }))
}

variable "username" {
  description = "SSH user on every router."
  type        = string
}

variable "password" {
  description = "SSH password of that user."
  type        = string
  sensitive   = true
}

variable "known_hosts_file" {
  description = "known_hosts file holding the routers' host keys, one entry per address and port."
  type        = string
  default     = "~/.ssh/known_hosts"
}

variable "shared_key" {
  description = "IPsec pre-shared key of every connection, the same on the Azure side."
  type        = string
  sensitive   = true
}

locals {
  # How each platform names its N-th tunnel interface.
  tunnel_interface = {
    edgeos = "vti%d"
    junos  = "st0.%d"
    rtx    = "tunnel%d"
  }

  # One link per router and site, keyed "router/site".
  links = merge([
    for r_name, r in var.routers : {
      for s_name, s in var.sites : "${r_name}/${s_name}" => {
        router           = r_name
        site             = s_name
        wan_address      = r.wan_address
        tunnel_zone      = r.tunnel_zone
        gateway_ip       = s.gateway_ip
        tunnel_interface = format(local.tunnel_interface[r.platform], s.number)
      }
    }
  ]...)

  # One route per link and site prefix, keyed "router/site/prefix".
  routes = merge([
    for key, l in local.links : {
      for p in var.sites[l.site].prefixes : "${key}/${p}" => { link = key, router = l.router, prefix = p }
    }
  ]...)
}

provider "onpremvpn" {
  devices = {
    for name, r in var.routers : name => {
      platform = r.platform
      host     = r.host
      port     = r.port
      username = var.username
      password = var.password
      options  = r.options
      azure    = { target = "vpn_gateway" }

      # exactly one source of trust per device: its pinned key, else the known_hosts file
      host_key         = r.host_key
      known_hosts_file = r.host_key == null ? var.known_hosts_file : null
    }
  }
}

resource "onpremvpn_ike_gateway" "azure" {
  for_each = local.links

  device         = each.value.router
  name           = "AZURE-${each.value.site}"
  peer_address   = each.value.gateway_ip
  local_address  = each.value.wan_address
  ike_version    = 2
  pre_shared_key = var.shared_key
  lifetime       = 28800
  proposals      = [{ encryption = "aes256", integrity = "sha256", dh_group = 14 }]
}

resource "onpremvpn_vpn_tunnel" "azure" {
  for_each = local.links

  device           = each.value.router
  name             = "AZURE-${each.value.site}"
  ike_gateway      = onpremvpn_ike_gateway.azure[each.key].name
  tunnel_interface = each.value.tunnel_interface
  tunnel_zone      = each.value.tunnel_zone
  lifetime         = 27000
  pfs_group        = 0
  tcp_mss          = 1350
  proposals        = [{ encryption = "aes256", integrity = "sha256" }]
}

resource "onpremvpn_static_route" "azure" {
  for_each = local.routes

  device           = each.value.router
  destination      = each.value.prefix
  tunnel_interface = onpremvpn_vpn_tunnel.azure[each.value.link].tunnel_interface
}
