data "onpremvpn_device" "router" {}

output "router" {
  value = "${data.onpremvpn_device.router.model} running ${data.onpremvpn_device.router.platform} ${data.onpremvpn_device.router.version}"
}

# A router from the provider's `devices` map.
data "onpremvpn_device" "osaka" {
  device = "osaka"
}
