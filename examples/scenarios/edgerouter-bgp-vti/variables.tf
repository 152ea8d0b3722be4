variable "router_host" {
  description = "Management address of the EdgeRouter."
  type        = string
}

variable "router_username" {
  description = "SSH user on the EdgeRouter."
  type        = string
  default     = "ubnt"
}

variable "router_password" {
  description = "SSH password of that user."
  type        = string
  sensitive   = true
}

variable "known_hosts_file" {
  description = "known_hosts file holding the EdgeRouter's host key."
  type        = string
  default     = "~/.ssh/known_hosts"
}

variable "shared_key" {
  description = "IPsec pre-shared key, the same on both sides."
  type        = string
  sensitive   = true
}

variable "router_wan_address" {
  description = "The EdgeRouter's public (WAN) address: Azure's local network gateway address."
  type        = string
  default     = "203.0.113.1"
}

variable "router_lan_address" {
  description = "The EdgeRouter's LAN address, the source of its BGP session to Azure."
  type        = string
  default     = "192.168.1.1"
}

variable "onprem_prefixes" {
  description = "On-premises prefixes announced to Azure."
  type        = list(string)
  default     = ["192.168.1.0/24"]
}

variable "onprem_asn" {
  description = "The EdgeRouter's BGP AS number (not one Azure reserves)."
  type        = number
  default     = 65510
}

variable "location" {
  description = "Azure region."
  type        = string
  default     = "japaneast"
}
