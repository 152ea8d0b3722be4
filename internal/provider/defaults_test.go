package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// An optional attribute the configuration leaves unset stays unset while the device holds
// what the platform fills in for it (ScreenOS prints `no-replay` and the tunnel interface's
// zone `Untrust` on every VPN); a value the configuration wrote, or one other than the
// default, reads back as the device has it.
func TestKeepDefaultsUnset(t *testing.T) {
	plat, ok := platform.Get("screenos")
	if !ok {
		t.Fatal("screenos is not registered")
	}
	res := newVPNTunnelResource().(*objectResource[vpnTunnelModel, *vpnTunnelModel])
	read := func(zone string, replay bool) *vpnTunnelModel {
		f := replay
		m := &vpnTunnelModel{}
		m.fromObject(&vpn.Tunnel{Name: "T", Gateway: "G", Lifetime: 3600, Interface: "tunnel.1", Zone: zone, AntiReplay: &f,
			Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}})
		return m
	}
	unset := read("", false)
	unset.Zone, unset.AntiReplay = types.StringNull(), types.BoolNull()

	m := read("Untrust", false)
	keepDefaultsUnset(res.schema, plat, m, unset)
	if !m.Zone.IsNull() || !m.AntiReplay.IsNull() {
		t.Errorf("defaults read back as zone %v, anti_replay %v; want both unset", m.Zone, m.AntiReplay)
	}

	m = read("Trust", true)
	keepDefaultsUnset(res.schema, plat, m, unset)
	if m.Zone.ValueString() != "Trust" || !m.AntiReplay.ValueBool() {
		t.Errorf("non-defaults read back as zone %v, anti_replay %v", m.Zone, m.AntiReplay)
	}

	written := read("Untrust", false)
	m = read("Untrust", false)
	keepDefaultsUnset(res.schema, plat, m, written)
	if m.Zone.ValueString() != "Untrust" || m.AntiReplay.IsNull() {
		t.Errorf("values the configuration wrote read back as zone %v, anti_replay %v", m.Zone, m.AntiReplay)
	}
}
