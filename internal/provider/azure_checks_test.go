package provider

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// What Azure accepts passes; each thing it does not is named by its attribute with the limit.
func TestAzureChecks(t *testing.T) {
	good := []struct {
		target string
		obj    vpn.Object
	}{
		{azureVPNGateway, &vpn.IKEGateway{Name: "G", PreSharedKey: "abc-DEF_123#!", Lifetime: 28800,
			Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}, {Encryption: "aes128gcm", Integrity: "sha384", DHGroup: 20}}}},
		{azureVPNGateway, &vpn.Tunnel{Name: "T", Lifetime: 27000, PFSGroup: 0, Interface: "vti0", TCPMSS: 1350,
			Proposals: []vpn.IPsecProposal{{Encryption: "aes256", Integrity: "sha256"}, {Encryption: "aes256gcm", Integrity: "aes256gcm"}, {Encryption: "aes128gcm"}}}},
		{azureVirtualWAN, &vpn.Tunnel{Name: "T", Lifetime: 3600, PFSGroup: 24, Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}}},
		{azurePolicyBased, &vpn.Tunnel{Name: "T", Lifetime: 3600, Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}}},
		{azureVPNGateway, &vpn.BGPNeighbor{Address: "169.254.21.1", UpdateSource: "169.254.22.254", LocalAS: 64512, RemoteAS: 65515, Keepalive: 60, HoldTime: 180}},
		{azureVPNGateway, &vpn.BGPNeighbor{Address: "10.0.0.4", LocalAS: 65010, RemoteAS: 65515}},
		{azureVPNGateway, &vpn.PrefixList{Name: "P"}},
	}
	for _, c := range good {
		if es := azureChecks(c.target, c.obj); len(es) != 0 {
			t.Errorf("%s %+v: %v", c.target, c.obj, es)
		}
	}
	bad := []struct {
		target string
		obj    vpn.Object
		field  string
		want   string
	}{
		{azureVPNGateway, &vpn.IKEGateway{Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha512", DHGroup: 14}}}, "proposals[0].integrity", `"sha512"`},
		{azureVPNGateway, &vpn.IKEGateway{Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 5}}}, "proposals[0].dh_group", "DH group 5"},
		{azureVPNGateway, &vpn.IKEGateway{Lifetime: 86400, Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 2}}}, "lifetime", "28800 seconds"},
		{azureVPNGateway, &vpn.IKEGateway{PreSharedKey: strings.Repeat("k", 129)}, "pre_shared_key", "1 to 128 characters"},
		{azureVPNGateway, &vpn.IKEGateway{PreSharedKey: "has space#and$"}, "pre_shared_key", "printable ASCII"},
		{azureVPNGateway, &vpn.IKEGateway{PreSharedKey: "clé-unicode"}, "pre_shared_key", "printable ASCII"},
		{azureVPNGateway, &vpn.Tunnel{Proposals: []vpn.IPsecProposal{{Encryption: "aes256gcm", Integrity: "sha256"}}}, "proposals[0].integrity", `"GCMAES256"`},
		{azureVPNGateway, &vpn.Tunnel{Proposals: []vpn.IPsecProposal{{Encryption: "aes256", Integrity: "sha384"}}}, "proposals[0].integrity", `"sha384"`},
		{azureVPNGateway, &vpn.Tunnel{PFSGroup: 5}, "pfs_group", "PFS group 5"},
		{azureVPNGateway, &vpn.Tunnel{Lifetime: 3600}, "lifetime", "27000 seconds"},
		{azureVirtualWAN, &vpn.Tunnel{Lifetime: 27000}, "lifetime", "Virtual WAN uses an IPsec SA lifetime of 3600"},
		{azurePolicyBased, &vpn.Tunnel{Lifetime: 28800}, "lifetime", "policy-based"},
		{azureVPNGateway, &vpn.Tunnel{Interface: "vti0"}, "tcp_mss", "1350"},
		{azureVPNGateway, &vpn.BGPNeighbor{Address: "169.254.255.1", LocalAS: 64512}, "neighbor_address", "169.254.21.0 to 169.254.22.255"},
		{azureVPNGateway, &vpn.BGPNeighbor{Address: "169.254.21.1", UpdateSource: "169.254.20.2", LocalAS: 64512}, "update_source", "outside"},
		{azureVPNGateway, &vpn.BGPNeighbor{Address: "10.0.0.4", LocalAS: 65515}, "local_as", "reserves ASN 65515"},
		{azureVPNGateway, &vpn.BGPNeighbor{Address: "10.0.0.4", LocalAS: 64500}, "local_as", "reserves ASN 64500"},
		{azureVPNGateway, &vpn.BGPNeighbor{Address: "10.0.0.4", LocalAS: 65540}, "local_as", "reserves ASN 65540"},
		{azureVPNGateway, &vpn.BGPNeighbor{Address: "10.0.0.4", LocalAS: 64512, Keepalive: 10, HoldTime: 30}, "hold_time", "hold time is 180"},
	}
	for _, c := range bad {
		found := false
		for _, e := range azureChecks(c.target, c.obj) {
			if e.Field == c.field && strings.Contains(e.Message, c.want) {
				found = true
			}
			if strings.Contains(e.Message, "has space") {
				t.Errorf("a finding quotes the shared key: %s", e.Message)
			}
		}
		if !found {
			t.Errorf("%s %+v: no finding on %s containing %q: %v", c.target, c.obj, c.field, c.want, azureChecks(c.target, c.obj))
		}
	}
	for _, asn := range []int64{8074, 8075, 12076, 23456, 65517, 65520, 64496, 64511, 65535, 65551} {
		if !azureReservedASN(asn) {
			t.Errorf("ASN %d is reserved by Azure", asn)
		}
	}
	for _, asn := range []int64{64512, 65000, 65516, 65521, 64495, 65552, 4200000000} {
		if azureReservedASN(asn) {
			t.Errorf("ASN %d is not reserved by Azure", asn)
		}
	}
}
