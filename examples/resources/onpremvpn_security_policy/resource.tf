# ScreenOS, route-based tunnel to Azure on tunnel.1 (bound to zone Untrust): the LAN segments
# may reach Azure's address space and Azure may reach them, above the zone pairs' other policies.
resource "onpremvpn_security_policy" "lan_to_azure" {
  name                  = "LAN-TO-AZURE"
  from_zone             = "Trust"
  to_zone               = "Untrust"
  source_addresses      = ["192.168.1.0/24", "192.168.2.0/24"]
  destination_addresses = ["10.1.0.0/16"]
  action                = "permit"
  position              = "top"
}

resource "onpremvpn_security_policy" "azure_to_lan" {
  name                  = "AZURE-TO-LAN"
  from_zone             = "Untrust"
  to_zone               = "Trust"
  source_addresses      = ["10.1.0.0/16"]
  destination_addresses = ["192.168.1.0/24", "192.168.2.0/24"]
  services              = ["ICMP-ANY", "SSH", "HTTPS"]
  action                = "permit"
  log                   = true
  position              = "top"
}

# Directly below the first one; policy_id is known at plan where the platform numbers policies.
resource "onpremvpn_security_policy" "lan_to_azure_deny_rest" {
  name                  = "LAN-TO-AZURE-DENY"
  from_zone             = "Trust"
  to_zone               = "Untrust"
  destination_addresses = ["10.0.0.0/8"]
  action                = "deny"
  log                   = true
  position              = "after:${onpremvpn_security_policy.lan_to_azure.policy_id}"
}
