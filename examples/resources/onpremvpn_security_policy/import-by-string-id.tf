import {
  to = onpremvpn_security_policy.lan_to_azure
  id = "default/LAN-TO-AZURE"
}
