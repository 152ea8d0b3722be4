# ScreenOS policy-based VPN: traffic from the LAN to Azure goes into the tunnel (the phase-2 SA
# of an onpremvpn_vpn_tunnel with traffic_selectors and no tunnel_interface, such as the
# policy-based example of onpremvpn_vpn_tunnel).
resource "onpremvpn_security_policy" "to_azure_vpn" {
  name                  = "TO-AZURE-VPN"
  from_zone             = "Trust"
  to_zone               = "Untrust"
  source_addresses      = ["192.168.1.0/24"]
  destination_addresses = ["10.1.0.0/16"]
  action                = "tunnel"
  tunnel                = onpremvpn_vpn_tunnel.azure_west.name
}
