terraform {
  required_version = ">= 1.8.0"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 4.0, < 6.0"
    }
    onpremvpn = {
      source = "onpremvpn/onpremvpn"
    }
  }
}
