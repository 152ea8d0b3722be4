# Everything on the router that this provider can manage, and what it leaves alone.
data "onpremvpn_objects" "router" {}

# `terraform output adoptable` lists the import ids; `terraform-provider-onpremvpn discover`
# prints the matching import blocks.
output "adoptable" {
  value = { for o in data.onpremvpn_objects.router.objects : "${o.resource_type} ${o.key}" => o.import_id }
}

output "left_alone" {
  value = "${data.onpremvpn_objects.router.unmodelled_lines} configuration lines are not managed by any resource"
}

# Fail the check when an object holds a value the provider would refuse.
check "adoptable_as_is" {
  assert {
    condition     = alltrue([for o in data.onpremvpn_objects.router.objects : length(o.problems) == 0])
    error_message = "Some objects on the router hold values the provider does not write; see data.onpremvpn_objects.router.objects[*].problems."
  }
}
