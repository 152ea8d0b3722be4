package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func protocolServer(t *testing.T) tfprotov6.ProviderServer {
	t.Helper()
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	return srv
}

func stateMap(t *testing.T, r resource.Resource, dv *tfprotov6.DynamicValue) map[string]tftypes.Value {
	t.Helper()
	val, err := dv.Unmarshal(schemaOf(r).Type().TerraformType(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]tftypes.Value
	if err := val.As(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func str(v tftypes.Value) string {
	var s *string
	_ = v.As(&s)
	if s == nil {
		return "<null>"
	}
	return *s
}

// State written by the current release (before the attributes for other platforms existed)
// is read by this schema without an upgrader: every added attribute is optional and reads as
// null, which renders nothing on EdgeOS, so the next plan shows no difference.
func TestStateOfTheCurrentReleaseReadsWithoutAnUpgrade(t *testing.T) {
	srv := protocolServer(t)
	ctx := context.Background()
	cases := []struct {
		typeName string
		r        resource.Resource
		version  int64
		json     string
		added    []string
	}{
		{"onpremvpn_static_route", newStaticRouteResource(), 0,
			`{"id":"default/10.0.0.0/16","device":null,"destination":"10.0.0.0/16","tunnel_interface":"vti0","next_hop":null,"distance":null}`,
			[]string{"routing_instance"}},
		{"onpremvpn_source_route", newSourceRouteResource(), 0,
			`{"id":"default/192.168.50.0/24","device":null,"source":"192.168.50.0/24","destination":null,"tunnel_interface":"vti0","next_hop":null,"preference":null,"table":1,"rule":1,"ruleset":"SOURCE_ROUTE","ingress_interface":"eth1","description":null}`,
			[]string{"routing_instance"}},
		{"onpremvpn_bgp_neighbor", newBGPNeighborResource(), 0,
			`{"id":"default/169.254.21.1","device":null,"neighbor_address":"169.254.21.1","local_as":65000,"remote_as":65515,"update_source":null,"ebgp_multihop":2,"keepalive":null,"hold_time":null,"prefix_list_in":null,"prefix_list_out":null,"soft_reconfiguration_inbound":false,"password":null,"password_wo":null,"password_wo_version":null,"description":null,"networks":["192.168.1.0/24"]}`,
			[]string{"routing_instance", "router_id", "neighbor_number"}},
		{"onpremvpn_ike_gateway", newIKEGatewayResource(), 0,
			`{"id":"default/AZURE","device":null,"name":"AZURE","peer_address":"192.0.2.1","local_address":"203.0.113.1","ike_version":2,"pre_shared_key":"k","pre_shared_key_wo":null,"pre_shared_key_wo_version":null,"proposals":[{"encryption":"aes256","integrity":"sha256","dh_group":14}],"lifetime":28800,"dpd":{"interval":15,"timeout":30,"action":"restart"},"local_id":null,"remote_id":null,"connection_type":null,"description":null}`,
			[]string{"liveness", "ike_mode", "nat_traversal", "gateway_number"}},
		{"onpremvpn_vpn_tunnel", newVPNTunnelResource(), 0,
			`{"id":"default/AZURE","device":null,"name":"AZURE","ike_gateway":"AZURE","proposals":[{"encryption":"aes256","integrity":"sha256"}],"pfs_group":0,"lifetime":3600,"tunnel_interface":null,"tunnel_interface_address":null,"mtu":null,"traffic_selectors":[{"local":"10.0.0.0/8","remote":"10.1.0.0/16"}],"tcp_mss":null,"description":null}`,
			[]string{"tunnel_number", "tunnel_zone", "unnumbered_interface", "anti_replay", "df_bit", "establish_immediately", "monitor"}},
		{"onpremvpn_prefix_list", newPrefixListResource(), 1,
			`{"id":"default/BGP","device":null,"name":"BGP","description":null,"rules":{"10":{"action":"permit","prefix":"10.0.0.0/8","ge":null,"le":24,"description":null}}}`,
			[]string{"number"}},
	}
	for _, c := range cases {
		resp, err := srv.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
			TypeName: c.typeName, Version: c.version, RawState: &tfprotov6.RawState{JSON: []byte(c.json)},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range resp.Diagnostics {
			t.Errorf("%s: %s: %s", c.typeName, d.Summary, d.Detail)
		}
		if resp.UpgradedState == nil {
			continue
		}
		m := stateMap(t, c.r, resp.UpgradedState)
		for _, a := range c.added {
			if v, ok := m[a]; !ok || !v.IsNull() {
				t.Errorf("%s.%s = %v after reading the current release's state, want null", c.typeName, a, v)
			}
		}
		if c.typeName == "onpremvpn_vpn_tunnel" {
			var sels []tftypes.Value
			_ = m["traffic_selectors"].As(&sels)
			var sel map[string]tftypes.Value
			_ = sels[0].As(&sel)
			for _, a := range []string{"protocol", "local_port", "remote_port"} {
				if !sel[a].IsNull() {
					t.Errorf("traffic_selectors[0].%s = %v, want null", a, sel[a])
				}
			}
		}
	}
}

// Import ids: today's `<device>/<key>` still works, and a composite key names each qualifier,
// which sets its attribute.
func TestImportIDs(t *testing.T) {
	srv := protocolServer(t)
	ctx := context.Background()
	cases := []struct {
		typeName, id string
		r            resource.Resource
		want         map[string]string
	}{
		{"onpremvpn_static_route", "default/10.0.0.0/16", newStaticRouteResource(),
			map[string]string{"device": "<null>", "destination": "10.0.0.0/16", "routing_instance": "<null>", "id": "default/10.0.0.0/16"}},
		{"onpremvpn_static_route", "branch/10.0.0.0/16,routing_instance=trust-vr", newStaticRouteResource(),
			map[string]string{"device": "branch", "destination": "10.0.0.0/16", "routing_instance": "trust-vr", "id": "branch/10.0.0.0/16,routing_instance=trust-vr"}},
		{"onpremvpn_bgp_neighbor", "default/169.254.21.1,routing_instance=VPN-A", newBGPNeighborResource(),
			map[string]string{"neighbor_address": "169.254.21.1", "routing_instance": "VPN-A"}},
		{"onpremvpn_source_route", "default/192.168.50.0/24,routing_instance=trust-vr", newSourceRouteResource(),
			map[string]string{"source": "192.168.50.0/24", "routing_instance": "trust-vr"}},
		{"onpremvpn_ike_gateway", "default/AZURE", newIKEGatewayResource(), map[string]string{"name": "AZURE"}},
	}
	for _, c := range cases {
		resp, err := srv.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: c.typeName, ID: c.id})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range resp.Diagnostics {
			t.Errorf("%s %s: %s: %s", c.typeName, c.id, d.Summary, d.Detail)
		}
		if len(resp.ImportedResources) != 1 {
			continue
		}
		m := stateMap(t, c.r, resp.ImportedResources[0].State)
		for a, want := range c.want {
			if got := str(m[a]); got != want {
				t.Errorf("import %s: %s = %q, want %q", c.id, a, got, want)
			}
		}
	}
	for id, msg := range map[string]string{
		"default/10.0.0.0/16,vrf=x":            "vrf is not part of a static_route key",
		"default/10.0.0.0/16,routing_instance": "not <attribute>=<value>",
		"default/":                             "<destination>[,routing_instance=<routing_instance>]",
	} {
		resp, err := srv.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: "onpremvpn_static_route", ID: id})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Diagnostics) == 0 || !strings.Contains(resp.Diagnostics[0].Detail, msg) {
			t.Errorf("import %q: diagnostics %v, want %q", id, resp.Diagnostics, msg)
		}
	}
}

// The id of an object in a routing instance is its composite key; in the default instance it
// is today's id.
func TestModelKeysAreTheObjectsKeys(t *testing.T) {
	yes := true
	r := &staticRouteModel{}
	r.fromObject(&vpn.StaticRoute{Destination: "10.0.0.0/16", NextHop: "10.1.1.1", RoutingInstance: "trust-vr"})
	if r.key() != r.toObject().Key() || r.key() != "10.0.0.0/16,routing_instance=trust-vr" {
		t.Errorf("static route key %q", r.key())
	}
	n := &bgpNeighborModel{}
	n.fromObject(&vpn.BGPNeighbor{Address: "10.0.0.1", LocalAS: 1, RemoteAS: 2})
	if n.key() != "10.0.0.1" || n.key() != n.toObject().Key() {
		t.Errorf("neighbor key %q", n.key())
	}
	s := &sourceRouteModel{}
	s.fromObject(&vpn.SourceRoute{Source: "10.0.0.0/24", Interface: "tunnel.1", RoutingInstance: "trust-vr"})
	if s.key() != s.toObject().Key() {
		t.Errorf("source route key %q vs %q", s.key(), s.toObject().Key())
	}
	// The additions convert both ways.
	tun := &vpn.Tunnel{Name: "T", Gateway: "G", Lifetime: 3600, Interface: "tunnel.1", Number: 4, Zone: "vpn", UnnumberedInterface: "ethernet0/0",
		AntiReplay: &yes, DFBit: "copy", EstablishImmediately: true, Monitor: &vpn.TunnelMonitor{Destination: "10.9.9.9", Interval: 10, Threshold: 3},
		Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}},
		Selectors: []vpn.TrafficSelector{{Local: "10.0.0.0/8", Remote: "10.1.0.0/16", Protocol: "tcp", LocalPort: 22, RemotePort: 443}}}
	tm := &vpnTunnelModel{}
	tm.fromObject(tun)
	if got := tm.toObject(); !sameObject(edgeos(t), got, tun) {
		t.Errorf("tunnel round trip:\n got %+v\nwant %+v", got, tun)
	}
	gw := &vpn.IKEGateway{Name: "G", PeerAddress: "192.0.2.1", IKEVersion: 1, Lifetime: 28800, Mode: "aggressive", NATTraversal: &yes,
		Liveness: &vpn.Liveness{Interval: 10, RetryCount: 5}, Proposals: []vpn.IKEProposal{{Encryption: "aes128", Integrity: "sha1", DHGroup: 14}}}
	gm := &ikeGatewayModel{}
	gm.fromObject(gw)
	if got := gm.toObject(); !sameObject(edgeos(t), got, gw) {
		t.Errorf("gateway round trip:\n got %+v\nwant %+v", got, gw)
	}
	pl := &prefixListModel{}
	pl.fromObject(&vpn.PrefixList{Name: "P", Number: 7, Rules: []vpn.PrefixRule{{Sequence: 10, Action: "permit", Prefix: "10.0.0.0/8"}}})
	if pl.toObject().(*vpn.PrefixList).Number != 7 {
		t.Error("prefix list number lost")
	}
	// An explicit false flag reads back as written; an unset one stays unset.
	tm.EstablishImmediately = types.BoolValue(false)
	tun.EstablishImmediately = false
	tm.fromObject(tun)
	if tm.EstablishImmediately.IsNull() || tm.EstablishImmediately.ValueBool() {
		t.Errorf("explicit false became %v", tm.EstablishImmediately)
	}
	tm.EstablishImmediately = types.BoolNull()
	tm.fromObject(tun)
	if !tm.EstablishImmediately.IsNull() {
		t.Errorf("unset flag became %v", tm.EstablishImmediately)
	}
}

func edgeos(t *testing.T) platform.Platform {
	p, ok := platform.Get("edgeos")
	if !ok {
		t.Fatal("no edgeos platform")
	}
	return p
}

// A platform that does not manage a kind fails the plan of such a resource, naming the
// platform and the device.
type kindlessPlatform struct{ platform.Platform }

func (kindlessPlatform) Name() string      { return "screenos" }
func (kindlessPlatform) Kinds() []vpn.Kind { return []vpn.Kind{vpn.KindIKEGateway, vpn.KindTunnel} }

func TestUnsupportedKindFailsThePlan(t *testing.T) {
	diags := kindDiagnostics(kindlessPlatform{}, "branch", vpn.KindSourceRoute, "source_route")
	if !diags.HasError() {
		t.Fatal("no error for an unsupported kind")
	}
	d := diags.Errors()[0]
	for _, want := range []string{"onpremvpn_source_route", "screenos"} {
		if !strings.Contains(d.Summary(), want) {
			t.Errorf("summary %q does not name %q", d.Summary(), want)
		}
	}
	for _, want := range []string{`device "branch"`, "source_route", "ike_gateway, vpn_tunnel"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("detail %q does not name %q", d.Detail(), want)
		}
	}
	if kindDiagnostics(kindlessPlatform{}, "branch", vpn.KindTunnel, "vpn_tunnel").HasError() {
		t.Error("a supported kind failed")
	}
	if kindDiagnostics(edgeos(t), "default", vpn.KindSourceRoute, "source_route").HasError() {
		t.Error("EdgeOS refuses a kind")
	}
}

// The secret's attribute name the provider derives from the write-only attribute is the name
// the kind registry gives it, which is what dialects declare secret forms for.
func TestSecretFieldMatchesTheKindRegistry(t *testing.T) {
	for _, c := range []struct {
		kind vpn.Kind
		sm   secretModel
	}{
		{vpn.KindIKEGateway, &ikeGatewayModel{}},
		{vpn.KindBGPNeighbor, &bgpNeighborModel{}},
	} {
		spec, ok := vpn.SpecOf(c.kind)
		if !ok || spec.SecretFields == nil {
			t.Fatalf("%s: no secret fields registered", c.kind)
		}
		fields := spec.SecretFields(spec.New())
		if _, ok := fields[secretField(c.sm)]; !ok || len(fields) != 1 {
			t.Errorf("%s: the provider's secret %q, the registry's %v", c.kind, secretField(c.sm), fields)
		}
	}
}
