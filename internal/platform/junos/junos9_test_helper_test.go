package junos

import "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/junos9"

func junos9EncodeWith(s string) (string, error) { return junos9.EncodeWith(s, 'i', "") }
