package provider

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Azure-aware plan checks: with a device's `azure` setting, every object planned for it is
// compared with what the Azure side it connects to accepts (VPN Gateway, Virtual WAN or a
// policy-based VPN Gateway), and each mismatch is shown at plan as a warning (the default)
// or an error, naming the attribute and citing the Azure limit. Pure computation on the
// model: nothing is read from Azure.

// Azure targets of the `azure` setting.
const (
	azureVPNGateway  = "vpn_gateway"  // route-based Azure VPN Gateway
	azureVirtualWAN  = "virtual_wan"  // a Virtual WAN VPN gateway (azurerm_vpn_gateway)
	azurePolicyBased = "policy_based" // a policy-based Azure VPN Gateway
)

var azureTargets = []string{azureVPNGateway, azureVirtualWAN, azurePolicyBased}

// Azure's values the checks compare with.
const (
	azureIPsecLifetimeGateway = 27000 // VPN Gateway's default IPsec SA lifetime, seconds
	azureIPsecLifetimeWAN     = 3600  // Virtual WAN's and policy-based gateways', seconds
	azureKeepalive            = 60    // Azure's BGP keepalive, seconds
	azureHoldTime             = 180   // Azure's BGP hold time, seconds
	azureMSS                  = 1350  // the TCP MSS Azure recommends clamping to on tunnels
	azureMaxPSK               = 128   // the longest shared key Azure takes
)

// azureAPIPA is the APIPA range Azure VPN Gateway takes BGP addresses from.
var azureAPIPA = [2]netip.Addr{netip.MustParseAddr("169.254.21.0"), netip.MustParseAddr("169.254.22.255")}

// azureReservedASN reports whether Azure reserves asn: it cannot be the on-premises ASN.
func azureReservedASN(asn int64) bool {
	switch {
	case asn == 8074, asn == 8075, asn == 12076, asn == 65515, asn == 23456:
		return true
	case asn >= 65517 && asn <= 65520, asn >= 64496 && asn <= 64511, asn >= 65535 && asn <= 65551:
		return true
	}
	return false
}

// azureSettings is a device's `azure` setting: the target, and whether a mismatch is an
// error.
type azureSettings struct {
	Target string
	Errors bool
}

// azureModel is the `azure` attribute of a device block.
type azureModel struct {
	Target   types.String `tfsdk:"target"`
	Severity types.String `tfsdk:"severity"`
}

func (m *azureModel) settings() *azureSettings {
	if m == nil || m.Target.IsNull() || m.Target.IsUnknown() {
		return nil
	}
	return &azureSettings{Target: m.Target.ValueString(), Errors: m.Severity.ValueString() == "error"}
}

// azureChecks returns what Azure (target) would not accept, or accept differently, in o.
// Each finding names the attribute in the model's terms (vpn.FieldError.Field).
func azureChecks(target string, o vpn.Object) vpn.Errors {
	var es vpn.Errors
	add := func(field, format string, args ...any) {
		es = append(es, vpn.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	switch o := o.(type) {
	case *vpn.IKEGateway:
		for i, p := range o.Proposals {
			f := fmt.Sprintf("proposals[%d]", i)
			if _, ok := azureIKEEncryption[p.Encryption]; !ok {
				add(f+".encryption", "Azure does not accept the IKE encryption %q; it accepts %s.", p.Encryption, sortedKeys(azureIKEEncryption))
			}
			if _, ok := azureIKEIntegrity[p.Integrity]; !ok {
				add(f+".integrity", "Azure does not accept the IKE integrity %q; it accepts %s.", p.Integrity, sortedKeys(azureIKEIntegrity))
			}
			if _, ok := azureDHGroup[int64(p.DHGroup)]; !ok {
				add(f+".dh_group", "Azure does not accept DH group %d; it accepts groups 1, 2, 14, 24, 19 (ECP256) and 20 (ECP384).", p.DHGroup)
			}
		}
		if o.Lifetime != 0 && o.Lifetime != azureIKELifetime {
			add("lifetime", "Azure's IKE SA lifetime is fixed at %d seconds; with %d the two sides rekey at different times.", azureIKELifetime, o.Lifetime)
		}
		if msg := azurePSK(o.PreSharedKey); msg != "" {
			add("pre_shared_key", "%s", msg)
		}
	case *vpn.Tunnel:
		for i, p := range o.Proposals {
			f := fmt.Sprintf("proposals[%d]", i)
			if _, ok := azureIPsecEncrypt[p.Encryption]; !ok {
				add(f+".encryption", "Azure does not accept the IPsec encryption %q; it accepts %s.", p.Encryption, sortedKeys(azureIPsecEncrypt))
				continue
			}
			gcm := strings.HasSuffix(p.Encryption, "gcm")
			switch {
			case gcm && p.Integrity != "" && p.Integrity != p.Encryption:
				add(f+".integrity", "Azure pairs a GCM IPsec encryption with the same GCM algorithm as integrity (ipsec_integrity = %q); %q is not accepted with %q.", azureIPsecEncrypt[p.Encryption], p.Integrity, p.Encryption)
			case !gcm:
				if _, ok := azureIPsecIntegrity[p.Integrity]; !ok {
					add(f+".integrity", "Azure does not accept the IPsec integrity %q; it accepts %s (or the GCM algorithm of a GCM encryption).", p.Integrity, sortedKeys(azureIPsecIntegrity))
				}
			}
		}
		if _, ok := azurePFSGroup[int64(o.PFSGroup)]; !ok {
			add("pfs_group", "Azure does not accept PFS group %d; it accepts none (0), 1, 2, 14, 24, 19 (ECP256) and 20 (ECP384).", o.PFSGroup)
		}
		want, what := azureIPsecLifetimeGateway, "Azure VPN Gateway"
		if target != azureVPNGateway {
			want, what = azureIPsecLifetimeWAN, map[string]string{azureVirtualWAN: "Virtual WAN", azurePolicyBased: "a policy-based Azure VPN Gateway"}[target]
		}
		if o.Lifetime != 0 && o.Lifetime != want {
			add("lifetime", "%s uses an IPsec SA lifetime of %d seconds; with %d the two sides rekey at different times (set the same value on both sides, or in azurerm's ipsec_policy sa_lifetime).", what, want, o.Lifetime)
		}
		if o.Interface != "" && o.TCPMSS == 0 {
			add("tcp_mss", "Azure recommends clamping TCP MSS to %d bytes on the tunnel interface, so that packets fit the IPsec overhead without fragmentation; tcp_mss is not set.", azureMSS)
		}
	case *vpn.BGPNeighbor:
		for _, a := range []struct{ field, value string }{{"neighbor_address", o.Address}, {"update_source", o.UpdateSource}} {
			ip, err := netip.ParseAddr(a.value)
			if err != nil || !netip.MustParsePrefix("169.254.0.0/16").Contains(ip) {
				continue
			}
			if ip.Compare(azureAPIPA[0]) < 0 || ip.Compare(azureAPIPA[1]) > 0 {
				add(a.field, "Azure VPN Gateway takes APIPA BGP addresses only from 169.254.21.0 to 169.254.22.255; %s is outside that range.", a.value)
			}
		}
		if azureReservedASN(o.LocalAS) {
			add("local_as", "Azure reserves ASN %d (8074, 8075, 12076, 65515, 65517-65520, 23456, 64496-64511 and 65535-65551 are reserved); the on-premises side must use another.", o.LocalAS)
		}
		if o.Keepalive != 0 && o.Keepalive != azureKeepalive {
			add("keepalive", "Azure's BGP keepalive is %d seconds and its hold time %d; with keepalive %d the session negotiates timers Azure does not expect.", azureKeepalive, azureHoldTime, o.Keepalive)
		}
		if o.HoldTime != 0 && o.HoldTime != azureHoldTime {
			add("hold_time", "Azure's BGP hold time is %d seconds (keepalive %d); with %d the lower hold time wins and failover timing differs from Azure's.", azureHoldTime, azureKeepalive, o.HoldTime)
		}
	}
	return es
}

// azurePSK returns why Azure may refuse a pre-shared key, or "".
func azurePSK(psk string) string {
	if psk == "" {
		return ""
	}
	if len(psk) > azureMaxPSK {
		return fmt.Sprintf("Azure takes a shared key of 1 to %d characters; this one has %d.", azureMaxPSK, len(psk))
	}
	for _, r := range psk {
		// Azure documents the shared key as a string of 1 to 128 characters (an
		// "alphanumeric string" in its classic documentation); keys with ASCII punctuation
		// are common and accepted, characters outside printable ASCII are not safe. The
		// value is never quoted: it is a secret.
		if r < 0x21 || r > 0x7e {
			return "Azure takes a shared key of 1 to 128 printable ASCII characters without spaces; this key holds other characters, which Azure refuses or stores differently than the device."
		}
	}
	return ""
}

func sortedKeys(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}
