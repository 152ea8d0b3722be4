// Package all registers every platform dialect. Adding a platform means adding its folder
// under internal/platform and one import here.
package all

import (
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/edgeos"   // EdgeOS / Vyatta
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/junos"    // Juniper Junos (SRX, MX)
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/rtx"      // Yamaha RTX
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/screenos" // Juniper ScreenOS
)
