# The ScreenOS side (seed 000): one IKE gateway to Azure; per on-premises segment one tunnel
# interface, one phase-2 SA with its proxy-id, a source route with preference 15 (below the
# default 20) into that tunnel and a policy letting Azure in; a static route to each segment
# behind the core router; and "Go Azure" at the top of the Trust-to-Untrust policies so that
# traffic to Azure is not caught by the Internet policy first. Every Azure-side value comes
# from azure.tf's locals. Policy ids are given: ScreenOS evaluates by them and `set policy
# move`s them, and ids the provider chooses for several new policies at once are only stable
# within one `terraform apply` run (not across `plan -out` and `apply`).

locals {
  ike_proposals   = [{ encryption = "aes256", integrity = "sha256", dh_group = 14 }]
  ipsec_proposals = [{ encryption = "aes256", integrity = "sha256" }]
  routed_segments = [for s in var.segments : s if s.core_router != null]
}

resource "onpremvpn_ike_gateway" "azure" {
  name           = "azure-gateway-ike"
  peer_address   = local.azure_gateway_ip
  ike_version    = 1
  pre_shared_key = var.shared_key
  lifetime       = 28800
  nat_traversal  = true
  proposals      = local.ike_proposals
}

resource "onpremvpn_vpn_tunnel" "segment" {
  count = length(var.segments)

  name                  = "Azure-VPN_${var.segments[count.index].name}"
  ike_gateway           = onpremvpn_ike_gateway.azure.name
  tunnel_interface      = var.segments[count.index].tunnel_interface
  unnumbered_interface  = var.untrust_interface
  lifetime              = 27000
  pfs_group             = 0
  anti_replay           = false
  establish_immediately = true
  monitor               = {}
  proposals             = local.ipsec_proposals
  traffic_selectors     = [{ local = var.segments[count.index].prefix, remote = local.azure_prefix }]
}

resource "onpremvpn_source_route" "segment" {
  count = length(var.segments)

  source           = var.segments[count.index].prefix
  tunnel_interface = onpremvpn_vpn_tunnel.segment[count.index].tunnel_interface
  preference       = 15
}

resource "onpremvpn_static_route" "segment" {
  count = length(local.routed_segments)

  destination      = local.routed_segments[count.index].prefix
  tunnel_interface = local.routed_segments[count.index].via_interface
  next_hop         = local.routed_segments[count.index].core_router
}

resource "onpremvpn_security_policy" "go_azure" {
  name                  = "Go Azure"
  policy_id             = 1
  from_zone             = "Trust"
  to_zone               = "Untrust"
  destination_addresses = [local.azure_prefix]
  action                = "permit"
  log                   = true
  position              = "top"
}

resource "onpremvpn_security_policy" "from_azure" {
  count = length(var.segments)

  name                  = "from-azure-${var.segments[count.index].name}"
  policy_id             = 10 + count.index
  from_zone             = "Untrust"
  to_zone               = "Trust"
  source_addresses      = [local.azure_prefix]
  destination_addresses = [var.segments[count.index].prefix]
  action                = "permit"
}
