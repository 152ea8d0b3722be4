# The simulated fleet of fleet.json: `terraform apply -var-file=simulators.tfvars` after
# `terraform-provider-onpremvpn simulate --fleet fleet.json`.
username         = "admin"
password         = "admin"
shared_key       = "fleet-example-key"
known_hosts_file = "sim_known_hosts"

routers = {
  edge1 = { platform = "edgeos", host = "127.0.0.1", port = 2201, wan_address = "203.0.113.1" }
  srx1  = { platform = "junos", host = "127.0.0.1", port = 2202, wan_address = "203.0.113.2", tunnel_zone = "vpn" }
  rtx1  = { platform = "rtx", host = "127.0.0.1", port = 2203, wan_address = "203.0.113.2", options = { administrator_password = "admin" } }
}

sites = {
  japaneast  = { number = 1, gateway_ip = "192.0.2.1", prefixes = ["10.1.0.0/16"] }
  westeurope = { number = 2, gateway_ip = "192.0.2.2", prefixes = ["10.2.0.0/16", "10.3.0.0/16"] }
}
