variable "router_host" {
  description = "Management address of the RTX."
  type        = string
}

variable "router_username" {
  description = "SSH user on the RTX (login user)."
  type        = string
  default     = "netops"
}

variable "router_password" {
  description = "SSH password of that user."
  type        = string
  sensitive   = true
}

variable "router_administrator_password" {
  description = "Password of the RTX administrator level."
  type        = string
  sensitive   = true
}

variable "known_hosts_file" {
  description = "known_hosts file holding the RTX's host key."
  type        = string
  default     = "~/.ssh/known_hosts"
}

variable "shared_key" {
  description = "IPsec pre-shared key, the same on both sides."
  type        = string
  sensitive   = true
}

variable "router_public_address" {
  description = "The public address the RTX is reached at (its NAT's): Azure's local network gateway address."
  type        = string
  default     = "198.51.100.1"
}

variable "router_wan_address" {
  description = "The RTX's own WAN address behind the NAT: its IKE identity (ipsec ike local name)."
  type        = string
  default     = "192.168.0.1"
}

variable "onprem_prefixes" {
  description = "On-premises prefixes reached through the VPN."
  type        = list(string)
  default     = ["192.168.100.0/24"]
}

variable "location" {
  description = "Azure region."
  type        = string
  default     = "japaneast"
}
