# A Juniper SRX and an MX from one provider block. Junos devices take options: the MX
# builds IPsec as services ipsec-vpn rules with next-hop service sets (flavor = "mx"); the
# SRX commits with `commit confirmed 5`, confirmed once the configuration is read back.
variable "junos_password" {
  type      = string
  sensitive = true
}

variable "srx_host_key" {
  type = string
}

variable "mx_host_key" {
  type = string
}

provider "onpremvpn" {
  devices = {
    srx = {
      platform = "junos"
      host     = "203.0.113.2"
      username = "netops" # a CLI account: root lands in the FreeBSD shell
      password = var.junos_password
      host_key = var.srx_host_key
      options = {
        commit_confirmed_minutes = "5"
        external_interface       = "ge-0/0/0.0"
      }
    }
    mx = {
      platform = "junos"
      host     = "198.51.100.2"
      username = "netops"
      password = var.junos_password
      host_key = var.mx_host_key
      options = {
        flavor            = "mx"
        configure_mode    = "exclusive"
        lock_wait_seconds = "300"
      }
    }
  }
}
