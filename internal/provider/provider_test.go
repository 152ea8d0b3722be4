package provider

import (
	"context"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func TestFieldPath(t *testing.T) {
	gateway, prefixList, neighbor := schemaOf(newIKEGatewayResource()), schemaOf(newPrefixListResource()), schemaOf(newBGPNeighborResource())
	tunnel := schemaOf(newVPNTunnelResource())
	cases := []struct {
		s     schema.Schema
		field string
		want  path.Path
	}{
		{gateway, "name", path.Root("name")},
		{gateway, "proposals[0].dh_group", path.Root("proposals").AtListIndex(0).AtName("dh_group")},
		{gateway, "dpd.interval", path.Root("dpd").AtName("interval")},
		{tunnel, "traffic_selectors[3].remote", path.Root("traffic_selectors").AtListIndex(3).AtName("remote")},
		{prefixList, `rules["20"].description`, path.Root("rules").AtMapKey("20").AtName("description")},
		{prefixList, `rules["110"]`, path.Root("rules").AtMapKey("110")},
		{neighbor, `networks["10.0.0.0/8"]`, path.Root("networks").AtSetValue(types.StringValue("10.0.0.0/8"))},
		{prefixList, `rules[20].le`, path.Root("rules").AtMapKey("20").AtName("le")},
		// What the schema does not have, or does not parse, gives the longest valid prefix.
		{gateway, `proposals["a"].integrity`, path.Root("proposals")},
		{gateway, "proposals[0].nonsense", path.Root("proposals").AtListIndex(0)},
		{gateway, "dpd..interval", path.Root("dpd")},
		{prefixList, `rules["20"`, path.Root("rules")},
		// Without a schema: numbers are list indexes, quoted strings map keys.
		{schema.Schema{}, `rules["20"].le`, path.Root("rules").AtMapKey("20").AtName("le")},
		{schema.Schema{}, "proposals[1].encryption", path.Root("proposals").AtListIndex(1).AtName("encryption")},
	}
	for _, c := range cases {
		if got := fieldPath(c.s, c.field); !got.Equal(c.want) {
			t.Errorf("fieldPath(%q) = %s, want %s", c.field, got, c.want)
		}
	}
}

// Diagnostics go to a top-level attribute, or to the element of a list or set in it: the
// deepest places Terraform shows (and no map key, which crashes it).
func TestShownPathAndFieldName(t *testing.T) {
	cases := []struct {
		p         path.Path
		shown     path.Path
		fieldName string
	}{
		{path.Root("rules").AtMapKey("20").AtName("description"), path.Root("rules"), `rules["20"].description`},
		{path.Root("rules").AtMapKey("20"), path.Root("rules"), `rules["20"]`},
		{path.Root("proposals").AtListIndex(1).AtName("encryption"), path.Root("proposals").AtListIndex(1), "proposals[1].encryption"},
		{path.Root("dpd").AtName("interval"), path.Root("dpd"), "dpd.interval"},
		{path.Root("networks").AtSetValue(types.StringValue("10.0.0.0/8")), path.Root("networks").AtSetValue(types.StringValue("10.0.0.0/8")), `networks["10.0.0.0/8"]`},
		{path.Root("lifetime"), path.Root("lifetime"), "lifetime"},
	}
	for _, c := range cases {
		if got := shownPath(c.p); !got.Equal(c.shown) {
			t.Errorf("shownPath(%s) = %s, want %s", c.p, got, c.shown)
		}
		if got := fieldName(c.p); got != c.fieldName {
			t.Errorf("fieldName(%s) = %s, want %s", c.p, got, c.fieldName)
		}
	}
}

func TestSecretCheck(t *testing.T) {
	c1, c2 := newSecretCheck("psk-One"), newSecretCheck("psk-One")
	if string(c1) == string(c2) {
		t.Fatal("two checks of one secret are equal: no salt")
	}
	if strings.Contains(string(c1), "psk-One") {
		t.Fatal("the check contains the secret")
	}
	if !secretMatches(c1, "psk-One") || !secretMatches(c2, "psk-One") {
		t.Fatal("the secret does not match its own check")
	}
	if secretMatches(c1, "psk-Two") {
		t.Fatal("another secret matches")
	}
	if !secretMatches([]byte(`"legacy"`), "x") {
		t.Fatal("an unreadable check must not invent drift")
	}
}

// State written by 0.1.0 (schema version 0: rules as a list with `sequence`) is upgraded to the
// map keyed by sequence number.
func TestPrefixListStateUpgradeFromList(t *testing.T) {
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	v0 := `{
  "id": "default/BGP", "device": null, "name": "BGP", "description": "Azure",
  "rules": [
    {"sequence": 10, "action": "deny", "prefix": "203.0.113.1/32", "ge": null, "le": null, "description": "Deny Local Gateway Address"},
    {"sequence": 110, "action": "permit", "prefix": "172.16.0.0/22", "ge": null, "le": 24, "description": null}
  ]
}`
	resp, err := srv.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "onpremvpn_prefix_list",
		Version:  0,
		RawState: &tfprotov6.RawState{JSON: []byte(v0)},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("%s: %s", d.Summary, d.Detail)
	}
	typ := schemaOf(newPrefixListResource()).Type().TerraformType(ctx)
	val, err := resp.UpgradedState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]tftypes.Value
	if err := val.As(&m); err != nil {
		t.Fatal(err)
	}
	var rules map[string]tftypes.Value
	if err := m["rules"].As(&rules); err != nil {
		t.Fatal(err)
	}
	if len(rules) != 2 {
		t.Fatalf("rules %v", rules)
	}
	var r110 map[string]tftypes.Value
	if err := rules["110"].As(&r110); err != nil {
		t.Fatal(err)
	}
	var prefix string
	var le *big.Float
	_ = r110["prefix"].As(&prefix)
	_ = r110["le"].As(&le)
	if prefix != "172.16.0.0/22" || le == nil || le.String() != "24" {
		t.Errorf("rule 110: %v", r110)
	}
	if _, seq := r110["sequence"]; seq {
		t.Error("the upgraded rule still has a sequence attribute")
	}
	var name string
	_ = m["name"].As(&name)
	if name != "BGP" || !rules["10"].IsKnown() {
		t.Errorf("upgraded state: %v", m)
	}
}

// Every field a validation error names, in the model or on a platform, is a path of the
// resource's schema down to the element: fieldPath resolves all of it.
func TestValidationFieldsResolve(t *testing.T) {
	schemas := map[vpn.Kind]resource.Resource{
		vpn.KindIKEGateway: newIKEGatewayResource(), vpn.KindTunnel: newVPNTunnelResource(),
		vpn.KindSourceRoute: newSourceRouteResource(), vpn.KindStaticRoute: newStaticRouteResource(),
		vpn.KindPrefixList: newPrefixListResource(), vpn.KindBGPNeighbor: newBGPNeighborResource(),
	}
	broken := []vpn.Object{
		&vpn.IKEGateway{Name: "G", PeerAddress: "x y", IKEVersion: 3, Lifetime: 1, LocalID: "a b", Description: "a'b",
			Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha1", DHGroup: 14}, {Encryption: "aes192", Integrity: "crc", DHGroup: 3}},
			DPD:       &vpn.DPD{Interval: 5, Timeout: 5, Action: "panic"}},
		&vpn.Tunnel{Name: "T", Gateway: "G", Lifetime: 1, Interface: "tun 0", Address: "x", MTU: 1, TCPMSS: 1,
			Proposals: []vpn.IPsecProposal{{Encryption: "des", Integrity: "md4"}},
			Selectors: []vpn.TrafficSelector{{Local: "10.0.0.0/8", Remote: "10.0.0.0/8"}, {Local: "x", Remote: "10.0.0.1/8"}}},
		&vpn.SourceRoute{Source: "x", Destination: "y", Interface: "vti0", NextHop: "1.2.3.4", Preference: 900, Table: 900, Rule: 0, Ruleset: "a b", IngressInterface: "lo0"},
		&vpn.StaticRoute{Destination: "10.0.0.1/8", Interface: "vti 0", Distance: 900},
		&vpn.PrefixList{Name: "P", Description: "a'b", Rules: []vpn.PrefixRule{
			{Sequence: 10, Action: "allow", Prefix: "10.0.0.1/8", GE: 40, LE: 4, Description: "a'b"},
			{Sequence: 10, Action: "deny", Prefix: "10.0.0.0/8"}, {Sequence: 5, Action: "deny", Prefix: "10.0.0.0/8"},
			{Sequence: 70000, Action: "deny", Prefix: "10.0.0.0/8"}}},
		&vpn.BGPNeighbor{Address: "x", LocalAS: 0, RemoteAS: 0, UpdateSource: "a b", EBGPMultihop: 900, Keepalive: 60, HoldTime: 10,
			PrefixListIn: "a b", PrefixListOut: "a b", Password: "a b", Description: "a'b", Networks: []string{"10.0.0.1/8", "10.0.0.1/8", "x"}},
		// The attributes added for other platforms: invalid in the model, refused by EdgeOS.
		&vpn.IKEGateway{Name: "G", PeerAddress: "192.0.2.1", IKEVersion: 2, Lifetime: 28800, LocalAddress: "203.0.113.1", Mode: "aggressive", NATTraversal: new(bool),
			Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha1", DHGroup: 14}},
			DPD:       &vpn.DPD{Interval: 30, Timeout: 120, Action: "hold"}, Liveness: &vpn.Liveness{Interval: 0, RetryCount: 0}},
		&vpn.Tunnel{Name: "T", Gateway: "G", Lifetime: 3600, Number: 70000, Zone: "a b", UnnumberedInterface: "a b", AntiReplay: new(bool), DFBit: "keep", EstablishImmediately: true,
			Monitor:   &vpn.TunnelMonitor{Destination: "x", Interval: 9999, Threshold: 999},
			Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}},
			Selectors: []vpn.TrafficSelector{{Local: "10.0.0.0/8", Remote: "10.1.0.0/16", Protocol: "x", LocalPort: 70000, RemotePort: 70000}}},
		&vpn.StaticRoute{Destination: "10.0.0.0/8", Interface: "vti0", Distance: 900, RoutingInstance: "a b"},
		&vpn.SourceRoute{Source: "10.0.0.0/8", Interface: "vti0", Table: 1, IngressInterface: "eth1", Preference: 900, RoutingInstance: "a b"},
		&vpn.BGPNeighbor{Address: "10.0.0.1", LocalAS: 1, RemoteAS: 2, RoutingInstance: "a b", RouterID: "x"},
		&vpn.PrefixList{Name: "P", Number: 70000, Description: "a'b", Rules: []vpn.PrefixRule{{Sequence: 10, Action: "permit", Prefix: "10.0.0.0/8"}}},
	}
	plat, ok := platform.Get("edgeos")
	if !ok {
		t.Fatal("no edgeos platform")
	}
	for _, o := range broken {
		s := schemaOf(schemas[o.Kind()])
		errs := append(o.Validate(), plat.Validate(o)...)
		if len(errs) < 3 {
			t.Errorf("%s: only %d errors; the test object should break more", o.Kind(), len(errs))
		}
		for _, e := range errs {
			if got := fieldName(fieldPath(s, e.Field)); got != e.Field {
				t.Errorf("%s: field %q resolves only to %q", o.Kind(), e.Field, got)
			}
		}
	}
}

func schemaOf(r resource.Resource) schema.Schema {
	var resp resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return resp.Schema
}

func TestBatchWindow(t *testing.T) {
	t.Setenv(batchWindowEnv, "")
	cases := []struct {
		in      types.String
		env     string
		want    time.Duration
		wantErr string
	}{
		{in: types.StringNull(), want: 0},
		{in: types.StringValue("80ms"), want: 80 * time.Millisecond},
		{in: types.StringValue("0s"), want: -1},
		{in: types.StringNull(), env: "120ms", want: 120 * time.Millisecond},
		{in: types.StringValue("20ms"), env: "120ms", want: 20 * time.Millisecond},
		{in: types.StringValue("-5ms"), wantErr: "is not a duration"},
		{in: types.StringValue("soon"), wantErr: "is not a duration"},
		{in: types.StringValue("2m"), wantErr: "longer than a minute"},
	}
	for _, c := range cases {
		t.Setenv(batchWindowEnv, c.env)
		got, err := batchWindow(c.in)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("batchWindow(%s) error = %v, want %q", c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("batchWindow(%s, env %q) = %v, %v; want %v", c.in, c.env, got, err, c.want)
		}
	}
}
