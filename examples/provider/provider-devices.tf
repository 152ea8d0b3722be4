# Several routers from one provider block: every resource and data source names its router
# with `device`, so one module can drive the whole fleet with for_each.
variable "routers" {
  description = "EdgeRouters by site: WAN address and pinned SSH host key."
  type = map(object({
    host     = string
    host_key = string
  }))
}

variable "router_password" {
  type      = string
  sensitive = true
}

variable "bastion_private_key" {
  type      = string
  sensitive = true
}

variable "bastion_host_key" {
  type = string
}

variable "azure_vpn_psk" {
  description = "Pre-shared key of the Azure connections."
  type        = string
  sensitive   = true
}

provider "onpremvpn" {
  devices = {
    for site, r in var.routers : site => {
      platform = "edgeos"
      host     = r.host
      username = "ubnt"
      password = var.router_password
      host_key = r.host_key

      # SSH to the routers goes through the operations bastion.
      jump_host = {
        host        = "bastion.example.net"
        username    = "ops"
        private_key = var.bastion_private_key
        host_key    = var.bastion_host_key
      }
    }
  }
}

resource "onpremvpn_ike_gateway" "azure" {
  for_each = var.routers

  device                    = each.key
  name                      = "AZURE"
  peer_address              = "192.0.2.1"
  local_address             = each.value.host
  pre_shared_key_wo         = var.azure_vpn_psk
  pre_shared_key_wo_version = 1
  proposals                 = [{ encryption = "aes256", integrity = "sha256", dh_group = 14 }]
}

resource "onpremvpn_vpn_tunnel" "azure" {
  for_each = var.routers

  device           = each.key
  name             = "AZURE"
  ike_gateway      = onpremvpn_ike_gateway.azure[each.key].name
  tunnel_interface = "vti0"
  lifetime         = 27000
  proposals        = [{ encryption = "aes256", integrity = "sha256" }]
}
