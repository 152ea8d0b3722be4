# What may cross the BGP session with Azure: only the local LAN out and Azure's address space
# in, never the tunnel endpoints or the peering addresses.
resource "onpremvpn_prefix_list" "azure_bgp" {
  name        = "AZURE-BGP"
  description = "BGP with Azure"

  rules = {
    10  = { action = "deny", prefix = "203.0.113.1/32", description = "Deny Local Gateway Address" }
    20  = { action = "deny", prefix = "192.0.2.1/32", description = "Deny Azure Gateway Address" }
    30  = { action = "deny", prefix = "192.168.1.1/32", description = "Deny Local Peering Address" }
    40  = { action = "deny", prefix = "172.16.0.254/32", description = "Deny Azure Peering Address" }
    100 = { action = "permit", prefix = "192.168.1.0/24", description = "Local Subnets" }
    110 = { action = "permit", prefix = "172.16.0.0/22", le = 24, description = "Azure Subnets" }
  }
}
