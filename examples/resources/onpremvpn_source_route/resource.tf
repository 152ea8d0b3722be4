# Traffic from the second LAN (arriving on eth2) to Azure's address space goes into the
# tunnel whatever the main routing table says: firewall modify rule 1 of ruleset SOURCE_ROUTE
# sends it to routing table 1, whose route points at vti0.
resource "onpremvpn_source_route" "lan2" {
  source            = "192.168.50.0/24"
  destination       = "172.16.0.0/22"
  tunnel_interface  = "vti0"
  table             = 1
  ingress_interface = "eth2"
  description       = "LAN2 to Azure"
}

# Everything from a guest VLAN to a next hop, with an explicit rule number and ruleset.
resource "onpremvpn_source_route" "guest" {
  source            = "192.168.60.0/24"
  next_hop          = "192.168.1.254"
  table             = 2
  rule              = 20
  ruleset           = "PBR"
  ingress_interface = "eth1.60"
}
