# A Yamaha RTX. The provider logs in with an SSH user (login user), then enters the
# administrator level with administrator_password (or ONPREMVPN_RTX_ADMINISTRATOR_PASSWORD when
# the options leave it out). RTX1210-era firmware needs SHA-1 key exchange, CBC ciphers and
# ssh-rsa host keys; the platform offers them after the modern defaults.
variable "rtx_password" {
  type      = string
  sensitive = true
}

variable "rtx_administrator_password" {
  type      = string
  sensitive = true
}

provider "onpremvpn" {
  platform = "rtx"
  host     = "192.168.100.1"
  username = "netops"
  password = var.rtx_password
  host_key = "SHA256:4fLlN0aOa0ZJvXbH0Q9p1q3mQp2t7fS0cE1mJ3rJt8s"
  options = {
    administrator_password = var.rtx_administrator_password
  }
}
