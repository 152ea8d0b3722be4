# One EdgeRouter, reached directly over SSH with its host key pinned.
variable "router_password" {
  type      = string
  sensitive = true
}

variable "router_host_key" {
  description = "The router's host key: an authorized_keys line or a SHA256 fingerprint (ssh-keyscan 203.0.113.1 | ssh-keygen -lf -)."
  type        = string
}

provider "onpremvpn" {
  platform = "edgeos"
  host     = "203.0.113.1"
  username = "ubnt"
  password = var.router_password
  host_key = var.router_host_key

  command_timeout = "90s" # commits on small EdgeRouters can be slow
}
