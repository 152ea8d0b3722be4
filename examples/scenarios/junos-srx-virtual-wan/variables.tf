variable "router_host" {
  description = "Management address of the SRX."
  type        = string
}

variable "router_username" {
  description = "SSH user on the SRX."
  type        = string
  default     = "netadmin"
}

variable "router_password" {
  description = "SSH password of that user."
  type        = string
  sensitive   = true
}

variable "known_hosts_file" {
  description = "known_hosts file holding the SRX's host key."
  type        = string
  default     = "~/.ssh/known_hosts"
}

variable "shared_key" {
  description = "IPsec pre-shared key of both links, the same on both sides."
  type        = string
  sensitive   = true
}

variable "router_wan_addresses" {
  description = "The SRX's two public (WAN) addresses, one per link (e.g. two ISPs): the VPN site's link addresses. Each must be an address of an SRX interface in a security zone."
  type        = list(string)
  default     = ["203.0.113.2", "198.51.100.2"]
}

variable "router_bgp_addresses" {
  description = "The SRX's APIPA BGP address on each link (its st0 unit's address, a /30 shared with the Azure instance's address): the VPN site's link BGP peering addresses."
  type        = list(string)
  default     = ["169.254.21.1", "169.254.21.5"]
}

variable "onprem_prefixes" {
  description = "On-premises prefixes announced to Azure."
  type        = list(string)
  default     = ["192.168.1.0/24"]
}

variable "onprem_asn" {
  description = "The SRX's BGP AS number (not one Azure reserves)."
  type        = number
  default     = 64512
}

variable "location" {
  description = "Azure region."
  type        = string
  default     = "japaneast"
}
