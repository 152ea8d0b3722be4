variable "router_host" {
  description = "Management address of the MX."
  type        = string
}

variable "router_username" {
  description = "SSH user on the MX."
  type        = string
  default     = "netadmin"
}

variable "router_password" {
  description = "SSH password of that user."
  type        = string
  sensitive   = true
}

variable "known_hosts_file" {
  description = "known_hosts file holding the MX's host key."
  type        = string
  default     = "~/.ssh/known_hosts"
}

variable "shared_key" {
  description = "IPsec pre-shared key, the same on both sides."
  type        = string
  sensitive   = true
}

variable "router_wan_address" {
  description = "The MX's public address: the service set's local gateway and Azure's local network gateway address."
  type        = string
  default     = "203.0.113.2"
}

variable "onprem_prefix" {
  description = "The on-premises prefix behind the MX (the local side of the proxy-id)."
  type        = string
  default     = "10.0.1.0/30"
}

variable "services_interface" {
  description = "The MX services card (ms-, vms-, sp- or ams-) whose units 1 (inside) and 2 (outside) carry the next-hop service set."
  type        = string
  default     = "ms-1/2/0"
}

variable "location" {
  description = "Azure region."
  type        = string
  default     = "japaneast"
}
