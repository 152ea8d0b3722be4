# The router's active configuration, secrets masked.
data "onpremvpn_running_config" "router" {}

output "running_config" {
  value = data.onpremvpn_running_config.router.text
}

# Warn when the router does not exempt IPsec traffic from NAT automatically.
check "nat_exclude" {
  assert {
    condition     = strcontains(data.onpremvpn_running_config.router.text, "set vpn ipsec auto-firewall-nat-exclude enable")
    error_message = "vpn ipsec auto-firewall-nat-exclude is not enabled on the router."
  }
}
