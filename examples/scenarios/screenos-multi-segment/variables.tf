variable "router_host" {
  description = "Management address of the ScreenOS device."
  type        = string
}

variable "router_username" {
  description = "Admin user on the ScreenOS device."
  type        = string
  default     = "netscreen"
}

variable "router_password" {
  description = "Password of that user."
  type        = string
  sensitive   = true
}

variable "known_hosts_file" {
  description = "known_hosts file holding the device's (ssh-dss) host key."
  type        = string
  default     = "~/.ssh/known_hosts"
}

variable "shared_key" {
  description = "IPsec pre-shared key, the same on both sides."
  type        = string
  sensitive   = true
}

variable "router_wan_address" {
  description = "The device's public address: Azure's local network gateway address."
  type        = string
  default     = "203.0.113.10"
}

variable "untrust_interface" {
  description = "The device's Internet interface: ethernet0/0 on an SSG5, ethernet3 on a NetScreen-25, untrust on a NetScreen-5GT."
  type        = string
  default     = "ethernet0/0"
}

variable "segments" {
  description = <<-EOT
    The on-premises segments, each with its own tunnel interface (one phase-2 SA and proxy-id
    per segment, as Azure negotiates them) and, for a segment behind the core router, the
    router's address and the interface it is reached through.
  EOT
  type = list(object({
    name             = string
    prefix           = string
    tunnel_interface = string
    core_router      = optional(string)
    via_interface    = optional(string)
  }))
  default = [
    { name = "A", prefix = "192.168.1.0/24", tunnel_interface = "tunnel.1" },
    { name = "B", prefix = "172.16.0.0/24", tunnel_interface = "tunnel.2", core_router = "192.168.1.254", via_interface = "bgroup0" },
  ]
}

variable "azure_prefix" {
  description = "Address space of the Azure virtual network (one prefix: ScreenOS takes one proxy-id per tunnel)."
  type        = string
  default     = "10.0.0.0/24"
}

variable "location" {
  description = "Azure region."
  type        = string
  default     = "japaneast"
}
