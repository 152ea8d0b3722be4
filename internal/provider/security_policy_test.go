package provider

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func strList(ss ...string) types.List { return toStringList(ss) }

// A model converts to the object and back unchanged; the lists a device may print empty or in
// its own spelling read back as the defaults the configuration has.
func TestSecurityPolicyRoundTrip(t *testing.T) {
	full := securityPolicyModel{
		Name: types.StringValue("LAN-TO-AZURE"), FromZone: types.StringValue("Trust"), ToZone: types.StringValue("Untrust"),
		Sources: strList("192.168.1.0/24", "192.168.2.0/24"), Destinations: strList("10.1.0.0/16"), Services: strList("HTTP", "ICMP-ANY"),
		Action: types.StringValue("tunnel"), Tunnel: types.StringValue("AZURE"), Log: types.BoolValue(true),
		Position: types.StringValue("before:7"), PolicyID: types.Int64Value(12), Description: types.StringValue("to Azure"),
	}
	obj := full.toObject().(*vpn.SecurityPolicy)
	want := &vpn.SecurityPolicy{Name: "LAN-TO-AZURE", FromZone: "Trust", ToZone: "Untrust",
		Sources: []string{"192.168.1.0/24", "192.168.2.0/24"}, Destinations: []string{"10.1.0.0/16"}, Services: []string{"HTTP", "ICMP-ANY"},
		Action: "tunnel", Tunnel: "AZURE", Log: true, Position: "before:7", Number: 12, Description: "to Azure"}
	if !reflect.DeepEqual(obj, want) {
		t.Fatalf("toObject:\n got %+v\nwant %+v", obj, want)
	}
	if errs := obj.Validate(); len(errs) != 0 {
		t.Fatalf("the object does not validate: %v", errs)
	}
	var back securityPolicyModel
	back.fromObject(obj)
	if !reflect.DeepEqual(back, full) {
		t.Fatalf("fromObject(toObject(m)):\n got %+v\nwant %+v", back, full)
	}

	// The defaults: every address and service, no tunnel, position, id or description.
	minimal := securityPolicyModel{
		Name: types.StringValue("P"), FromZone: types.StringValue("Trust"), ToZone: types.StringValue("Untrust"),
		Sources: strList(anyAddress), Destinations: strList(anyAddress), Services: strList(anyService),
		Action: types.StringValue("permit"), Tunnel: types.StringNull(), Log: types.BoolValue(false),
		Position: types.StringNull(), PolicyID: types.Int64Null(), Description: types.StringNull(),
	}
	obj = minimal.toObject().(*vpn.SecurityPolicy)
	if !reflect.DeepEqual(obj.Sources, []string{"any"}) || !reflect.DeepEqual(obj.Services, []string{"ANY"}) || obj.Number != 0 || obj.Position != "" || obj.Tunnel != "" {
		t.Fatalf("defaults toObject: %+v", obj)
	}
	back = securityPolicyModel{}
	back.fromObject(obj)
	if !reflect.DeepEqual(back, minimal) {
		t.Fatalf("defaults round trip:\n got %+v\nwant %+v", back, minimal)
	}
	// A device that says "any" by leaving a list empty (the model's any), or spells the words
	// its own way, reads back as the defaults: no difference with a configuration that
	// leaves them out.
	for _, dev := range []*vpn.SecurityPolicy{
		{Name: "P", FromZone: "Trust", ToZone: "Untrust", Action: "permit"},
		{Name: "P", FromZone: "Trust", ToZone: "Untrust", Action: "permit", Sources: []string{"Any"}, Destinations: []string{"ANY"}, Services: []string{"any"}},
	} {
		back = securityPolicyModel{}
		back.fromObject(dev)
		if !reflect.DeepEqual(back, minimal) {
			t.Errorf("device form %+v reads back as\n %+v\nwant %+v", dev, back, minimal)
		}
	}
	// Null or unknown lists (not known yet at plan) give no entries rather than a crash.
	unknown := minimal
	unknown.Sources, unknown.Services = types.ListNull(types.StringType), types.ListUnknown(types.StringType)
	if o := unknown.toObject().(*vpn.SecurityPolicy); o.Sources != nil || o.Services != nil {
		t.Errorf("null/unknown lists gave %v, %v", o.Sources, o.Services)
	}
	if got := fromStringList(strList()); got != nil {
		t.Errorf("empty list gave %v", got)
	}
}

// Read-back keeps the configuration's order of a list while the device has the same entries,
// and the configured position while the device's placement agrees or says nothing about it.
func TestSecurityPolicyReconcile(t *testing.T) {
	before := &securityPolicyModel{Sources: strList("10.2.0.0/16", "10.1.0.0/16"), Destinations: strList("any"), Services: strList("SSH", "HTTP"),
		Position: types.StringValue("after:3")}
	read := func(dev *vpn.SecurityPolicy, imported bool) *securityPolicyModel {
		m := &securityPolicyModel{}
		m.fromObject(dev)
		m.reconcile(before, imported)
		return m
	}
	dev := &vpn.SecurityPolicy{Name: "P", FromZone: "Trust", ToZone: "Untrust", Action: "permit",
		Sources: []string{"10.1.0.0/16", "10.2.0.0/16"}, Services: []string{"HTTP", "SSH"}, Position: "after:3,before:7"}
	m := read(dev, false)
	if !m.Sources.Equal(before.Sources) || !m.Services.Equal(before.Services) || !m.Destinations.Equal(strList("any")) {
		t.Errorf("same entries in another order: %v %v %v", m.Sources, m.Services, m.Destinations)
	}
	if m.Position.ValueString() != "after:3" {
		t.Errorf("position that holds read back as %v", m.Position)
	}
	// Another entry on the device: the device's list.
	dev.Sources = []string{"10.1.0.0/16", "10.3.0.0/16"}
	if m = read(dev, false); !m.Sources.Equal(strList("10.1.0.0/16", "10.3.0.0/16")) {
		t.Errorf("changed entries read back as %v", m.Sources)
	}
	dev.Sources = []string{"10.1.0.0/16", "10.2.0.0/16", "10.2.0.0/16"}
	if m = read(dev, false); len(m.Sources.Elements()) != 3 {
		t.Errorf("a third entry was hidden: %v", m.Sources)
	}
	// Moved on the device: state shows where it stands, a difference to repair.
	dev.Position = "after:5,before:7"
	if m = read(dev, false); m.Position.ValueString() != "after:5,before:7" {
		t.Errorf("moved policy read back as %v", m.Position)
	}
	// Imported: the device's order, no position.
	if m = read(dev, true); !m.Position.IsNull() || !m.Services.Equal(strList("HTTP", "SSH")) {
		t.Errorf("imported: position %v, services %v", m.Position, m.Services)
	}
	// No position configured: not checked, whatever the device says.
	before.Position = types.StringNull()
	if m = read(dev, false); !m.Position.IsNull() {
		t.Errorf("unset position read back as %v", m.Position)
	}

	for _, c := range []struct {
		want, placed  string
		holds, known  bool
		stateExpected string
	}{
		{"top", "top,before:4", true, true, "top"},
		{"top", "top,bottom", true, true, "top"},
		{"top", "after:2,bottom", false, true, "after:2,bottom"},
		{"bottom", "after:2,bottom", true, true, "bottom"},
		{"bottom", "top,before:4", false, true, "top,before:4"},
		{"before:4", "after:2, before:4", true, true, "before:4"},
		{"before:4", "after:2,before:9", false, true, "after:2,before:9"},
		{"after:2", "after:2", true, true, "after:2"},
		{"after:2", "top", false, true, "top"},
		// The dialect says nothing about the side asked: kept, never a made-up difference.
		{"bottom", "after:2", false, false, "bottom"},
		{"before:4", "top", false, false, "before:4"},
		{"top", "", false, false, "top"},
	} {
		holds, known := vpn.PositionHolds(c.want, c.placed)
		if holds != c.holds || known != c.known {
			t.Errorf("PositionHolds(%q, %q) = %v, %v; want %v, %v", c.want, c.placed, holds, known, c.holds, c.known)
		}
		if got := reconcilePosition(types.StringValue(c.want), c.placed); got.ValueString() != c.stateExpected {
			t.Errorf("reconcilePosition(%q, %q) = %v, want %q", c.want, c.placed, got, c.stateExpected)
		}
	}
}

// validateConfig runs the provider's config validation of a resource with the given attributes
// (the others null) and returns the diagnostics' details.
func validateConfig(t *testing.T, srv tfprotov6.ProviderServer, r resource.Resource, typeName string, attrs map[string]tftypes.Value) []string {
	t.Helper()
	ctx := context.Background()
	typ := schemaOf(r).Type().TerraformType(ctx).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	for name := range attrs {
		if _, ok := typ.AttributeTypes[name]; !ok {
			t.Fatalf("%s has no attribute %s", typeName, name)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: &dv})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			out = append(out, d.Summary+": "+d.Detail)
		}
	}
	return out
}

func tfStr(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
func tfList(ss ...string) tftypes.Value {
	var vals []tftypes.Value
	for _, s := range ss {
		vals = append(vals, tfStr(s))
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vals)
}

// The schema refuses what a policy cannot take, naming the attribute and the reason; hostile
// text never reaches the device.
func TestSecurityPolicyValidation(t *testing.T) {
	srv := protocolServer(t)
	r := newSecurityPolicyResource()
	base := func() map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"name": tfStr("LAN-TO-AZURE"), "from_zone": tfStr("Trust"), "to_zone": tfStr("Untrust"), "action": tfStr("permit"),
		}
	}
	if errs := validateConfig(t, srv, r, "onpremvpn_security_policy", base()); len(errs) != 0 {
		t.Fatalf("a valid policy: %v", errs)
	}
	good := base()
	good["action"], good["tunnel"] = tfStr("tunnel"), tfStr("AZURE")
	good["source_addresses"], good["destination_addresses"], good["services"] = tfList("192.168.1.0/24", "192.168.2.128/25"), tfList("any"), tfList("HTTP", "ICMP-ANY")
	good["position"] = tfStr("after:12")
	if errs := validateConfig(t, srv, r, "onpremvpn_security_policy", good); len(errs) != 0 {
		t.Fatalf("a valid tunnel policy: %v", errs)
	}
	for _, c := range []struct {
		attr string
		val  tftypes.Value
		want string
	}{
		{"name", tfStr(`a"; unset policy all #`), `name: "a\"; unset policy all #"`},
		{"name", tfStr("p$(reboot)"), "may contain only letters"},
		{"name", tfStr("ポリシー"), "may contain only letters"},
		{"name", tfStr("a\\b"), "may contain only letters"},
		{"from_zone", tfStr("Trust zone"), "from_zone:"},
		{"to_zone", tfStr("Untrust?"), "to_zone:"},
		{"source_addresses", tfList("10.0.0.1/24"), "source_addresses[0]: \"10.0.0.1/24\" has host bits set; did you mean 10.0.0.0/24?"},
		{"source_addresses", tfList("10.0.0.0/8", "10.0.0.0/33"), "source_addresses[1]:"},
		{"destination_addresses", tfList("2001:db8::/32"), "destination_addresses[0]:"},
		{"destination_addresses", tfList("Any"), `write "any" in lower case`},
		{"destination_addresses", tfList("any", "10.0.0.0/8"), `destination_addresses: "any" matches everything`},
		{"source_addresses", tfList(), "at least 1"},
		{"source_addresses", tfList("10.0.0.0/8", "10.0.0.0/8"), "duplicate values"},
		{"services", tfList("any"), `write "ANY" in upper case`},
		{"services", tfList("HTTP", "ANY"), `services: "ANY" matches everything`},
		{"services", tfList(`HTTP" permit`), "services[0]:"},
		{"services", tfList(), "at least 1"},
		{"action", tfStr("allow"), "permit"},
		{"tunnel", tfStr("AZURE"), `tunnel: is only valid with action "tunnel", not "permit"`},
		{"position", tfStr("middle"), `must be "top", "bottom", "before:<policy id>" or "after:<policy id>"`},
		{"position", tfStr("before:0"), "position"},
		{"position", tfStr("after:3 "), "position"},
		{"position", tfStr("after:-1"), "position"},
		{"position", tfStr("before:3\nunset policy id 3"), "position"},
		{"policy_id", tftypes.NewValue(tftypes.Number, 0), "policy_id"},
		{"description", tfStr("line\nbreak"), "line break"},
		{"description", tfStr(`back\slash`), "must not contain the character \\"},
	} {
		cfg := base()
		cfg[c.attr] = c.val
		errs := validateConfig(t, srv, r, "onpremvpn_security_policy", cfg)
		if len(errs) == 0 || !strings.Contains(strings.Join(errs, "\n"), c.want) {
			t.Errorf("%s = %v: errors %q, want one containing %q", c.attr, c.val, errs, c.want)
		}
	}
	// action "tunnel" without a tunnel.
	cfg := base()
	cfg["action"] = tfStr("tunnel")
	if errs := validateConfig(t, srv, r, "onpremvpn_security_policy", cfg); len(errs) != 1 || !strings.Contains(errs[0], `tunnel: is required when action is "tunnel"`) {
		t.Errorf("action tunnel without tunnel: %q", errs)
	}
	// Unknown values are judged at plan, not refused now.
	cfg["tunnel"] = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	if errs := validateConfig(t, srv, r, "onpremvpn_security_policy", cfg); len(errs) != 0 {
		t.Errorf("unknown tunnel: %q", errs)
	}
	cfg = base()
	cfg["action"], cfg["tunnel"] = tftypes.NewValue(tftypes.String, tftypes.UnknownValue), tfStr("AZURE")
	if errs := validateConfig(t, srv, r, "onpremvpn_security_policy", cfg); len(errs) != 0 {
		t.Errorf("unknown action: %q", errs)
	}
}

// The schema's position form and the model's are the same.
func TestPositionFormMatchesTheModel(t *testing.T) {
	for _, p := range []string{"top", "bottom", "before:1", "after:999999", "before:1000000", "after:01", "Top", "before:", "after:x", "before:3,after:2", " top", "after:5\n"} {
		o := &vpn.SecurityPolicy{Name: "P", FromZone: "a", ToZone: "b", Action: "permit", Position: p}
		modelOK := true
		for _, e := range o.Validate() {
			if e.Field == "position" {
				modelOK = false
			}
		}
		if schemaOK := positionRE.MatchString(p); schemaOK != modelOK {
			t.Errorf("position %q: schema accepts %v, model accepts %v", p, schemaOK, modelOK)
		}
	}
}

// Every field the model names resolves to the schema's attribute, so that plan-time errors
// point at the right line.
func TestSecurityPolicyFieldsResolve(t *testing.T) {
	s := schemaOf(newSecurityPolicyResource())
	o := &vpn.SecurityPolicy{Name: "a b", FromZone: "", ToZone: "x y", Sources: []string{"any", "1.2.3.4/8"}, Destinations: []string{"nope"},
		Services: []string{"A B"}, Action: "tunnel", Position: "middle", Number: 70000, Description: "a\nb"}
	errs := o.Validate()
	if len(errs) < 8 {
		t.Fatalf("only %d errors: %v", len(errs), errs)
	}
	for _, e := range errs {
		if got := fieldName(fieldPath(s, e.Field)); got != e.Field {
			t.Errorf("field %q resolves only to %q", e.Field, got)
		}
	}
}

// EdgeOS and Junos do not manage security policies: the plan fails naming the resource, the
// platform, the device and what the platform does manage.
func TestSecurityPolicyRefusedWhereUnsupported(t *testing.T) {
	for _, name := range []string{"edgeos", "junos"} {
		p, ok := platform.Get(name)
		if !ok {
			t.Fatalf("%s is not registered", name)
		}
		diags := kindDiagnostics(p, "edge1", vpn.KindSecurityPolicy, "security_policy")
		if !diags.HasError() {
			t.Fatalf("%s: no error for a security policy", name)
		}
		d := diags.Errors()[0]
		if want := "onpremvpn_security_policy is not supported on " + name; d.Summary() != want {
			t.Errorf("summary %q, want %q", d.Summary(), want)
		}
		for _, want := range []string{"platform " + name + ` (device "edge1") does not support security_policy objects`, "it manages: ike_gateway", "bgp_neighbor"} {
			if !strings.Contains(d.Detail(), want) {
				t.Errorf("%s: detail %q lacks %q", name, d.Detail(), want)
			}
		}
		if strings.Contains(d.Detail(), "Platforms that manage onpremvpn_security_policy: edgeos") || strings.Contains(d.Detail(), ", "+name+",") {
			t.Errorf("%s: detail names itself as managing it: %q", name, d.Detail())
		}
	}
	// A platform that manages the kind is named for the others.
	d := kindDiagnostics(kindlessPlatform{}, "branch", vpn.KindSecurityPolicy, "security_policy")
	if !d.HasError() {
		t.Fatal("kindless platform accepted a security policy")
	}
	edge, _ := platform.Get("edgeos")
	if kindDiagnostics(edge, "default", vpn.KindSourceRoute, "source_route").HasError() {
		t.Error("EdgeOS refuses source routes")
	}
}

// policyNumbering numbers policies 1..4, gateways 1..2, neighbors 1..2 and source routes
// (ip filters) 100..101, as a small ScreenOS or RTX would.
type policyNumbering struct{ platform.Platform }

func (policyNumbering) Name() string { return "numbering" }
func (policyNumbering) NumberRange(k vpn.Kind) (vpn.NumberRange, bool) {
	switch k {
	case vpn.KindSecurityPolicy:
		return vpn.NumberRange{Min: 1, Max: 4}, true
	case vpn.KindIKEGateway, vpn.KindBGPNeighbor:
		return vpn.NumberRange{Min: 1, Max: 2}, true
	case vpn.KindSourceRoute:
		return vpn.NumberRange{Min: 100, Max: 101}, true
	}
	return vpn.NumberRange{}, false
}

// planNumberOf runs planNumber for one resource on a plan made from m, with the number attribute
// unknown in the plan and null in the configuration (or as given), and returns the planned
// number and the diagnostics.
func planNumberOf[M any, PM interface {
	*M
	objectModel
}](t *testing.T, res *objectResource[M, PM], m PM, configured types.Int64, plat platform.Platform, dev *vpn.Config) (types.Int64, []string) {
	t.Helper()
	ctx := context.Background()
	res.pd = &providerData{}
	s := res.schema
	attr := path.Root(any(m).(numberedModel).numberAttr())
	plan := tfsdk.Plan{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
	if d := plan.Set(ctx, m); d.HasError() {
		t.Fatal(d)
	}
	cfgPlan := tfsdk.Plan{Schema: s, Raw: plan.Raw.Copy()}
	if d := cfgPlan.SetAttribute(ctx, attr, configured); d.HasError() {
		t.Fatal(d)
	}
	if configured.IsNull() {
		if d := plan.SetAttribute(ctx, attr, types.Int64Unknown()); d.HasError() {
			t.Fatal(d)
		}
	} else if d := plan.SetAttribute(ctx, attr, configured); d.HasError() {
		t.Fatal(d)
	}
	obj := m.toObject()
	if nb, ok := obj.(vpn.Numbered); ok && !configured.IsNull() {
		nb.SetDeviceNumber(int(configured.ValueInt64()))
	}
	diags := res.planNumber(ctx, m, obj, plat, dev, tfsdk.Config{Schema: s, Raw: cfgPlan.Raw}, &plan)
	var n types.Int64
	plan.GetAttribute(ctx, attr, &n)
	var errs []string
	for _, d := range diags.Errors() {
		errs = append(errs, d.Detail())
	}
	return n, errs
}

// The numbered attributes: allocated where the platform numbers the kind, null on EdgeOS, and
// a number another object on the device has is refused.
func TestPlanNumberOfTheNewNumberedAttributes(t *testing.T) {
	dev := vpn.NewConfig()
	dev.Put(&vpn.SecurityPolicy{Name: "OLD", FromZone: "Trust", ToZone: "Untrust", Action: "permit", Number: 1})
	dev.Put(&vpn.IKEGateway{Name: "OLDGW", Number: 1})
	dev.Put(&vpn.BGPNeighbor{Address: "10.0.0.1", Number: 2})
	dev.Put(&vpn.SourceRoute{Source: "10.9.0.0/16", Rule: 100, Ruleset: "A", Table: 1})
	edge := edgeos(t)

	policy := func() *securityPolicyModel {
		return &securityPolicyModel{Name: types.StringValue("P"), FromZone: types.StringValue("Trust"), ToZone: types.StringValue("Untrust"),
			Sources: strList("any"), Destinations: strList("any"), Services: strList("ANY"), Action: types.StringValue("permit"),
			Log: types.BoolValue(false), PolicyID: types.Int64Null()}
	}
	pres := newSecurityPolicyResource().(*objectResource[securityPolicyModel, *securityPolicyModel])
	if n, errs := planNumberOf(t, pres, policy(), types.Int64Null(), policyNumbering{}, dev); len(errs) != 0 || !n.IsUnknown() { // 2 at Create
		t.Errorf("policy_id allocated %v %v, want 2", n, errs)
	}
	if n, errs := planNumberOf(t, pres, policy(), types.Int64Null(), edge, dev); len(errs) != 0 || !n.IsNull() {
		t.Errorf("policy_id on EdgeOS %v %v, want null", n, errs)
	}
	if _, errs := planNumberOf(t, pres, policy(), types.Int64Value(1), policyNumbering{}, dev); len(errs) != 1 || !strings.Contains(errs[0], `policy_id 1 is used by security_policy "OLD"`) {
		t.Errorf("a used policy_id: %v", errs)
	}

	gw := func() *ikeGatewayModel {
		return &ikeGatewayModel{Name: types.StringValue("G"), PeerAddress: types.StringValue("192.0.2.1"), IKEVersion: types.Int64Value(2), Lifetime: types.Int64Value(28800),
			Proposals: []ikeProposalModel{{types.StringValue("aes256"), types.StringValue("sha256"), types.Int64Value(14)}}}
	}
	gres := newIKEGatewayResource().(*objectResource[ikeGatewayModel, *ikeGatewayModel])
	if n, errs := planNumberOf(t, gres, gw(), types.Int64Null(), policyNumbering{}, dev); len(errs) != 0 || !n.IsUnknown() { // 2 at Create
		t.Errorf("gateway_number allocated %v %v, want 2", n, errs)
	}
	if n, errs := planNumberOf(t, gres, gw(), types.Int64Null(), edge, dev); len(errs) != 0 || !n.IsNull() {
		t.Errorf("gateway_number on EdgeOS %v %v, want null", n, errs)
	}
	if _, errs := planNumberOf(t, gres, gw(), types.Int64Value(1), policyNumbering{}, dev); len(errs) != 1 || !strings.Contains(errs[0], `gateway_number 1 is used by ike_gateway "OLDGW"`) {
		t.Errorf("a used gateway_number: %v", errs)
	}

	nb := func() *bgpNeighborModel {
		return &bgpNeighborModel{Address: types.StringValue("10.0.0.9"), LocalAS: types.Int64Value(65000), RemoteAS: types.Int64Value(65515), SoftReconfigIn: types.BoolValue(false)}
	}
	nres := newBGPNeighborResource().(*objectResource[bgpNeighborModel, *bgpNeighborModel])
	if n, errs := planNumberOf(t, nres, nb(), types.Int64Null(), policyNumbering{}, dev); len(errs) != 0 || !n.IsUnknown() { // 1 at Create
		t.Errorf("neighbor_number allocated %v %v, want 1", n, errs)
	}
	if n, errs := planNumberOf(t, nres, nb(), types.Int64Null(), edge, dev); len(errs) != 0 || !n.IsNull() {
		t.Errorf("neighbor_number on EdgeOS %v %v, want null", n, errs)
	}

	sr := func() *sourceRouteModel {
		return &sourceRouteModel{Source: types.StringValue("10.8.0.0/16"), Interface: types.StringValue("tunnel1"), Table: types.Int64Null()}
	}
	sres := newSourceRouteResource().(*objectResource[sourceRouteModel, *sourceRouteModel])
	if n, errs := planNumberOf(t, sres, sr(), types.Int64Null(), policyNumbering{}, dev); len(errs) != 0 || !n.IsUnknown() { // 101 at Create
		t.Errorf("rule allocated %v %v, want 101", n, errs)
	}
	if _, errs := planNumberOf(t, sres, sr(), types.Int64Value(100), policyNumbering{}, dev); len(errs) != 1 || !strings.Contains(errs[0], `rule 100 is used by source_route "10.9.0.0/16"`) {
		t.Errorf("a used ip filter number: %v", errs)
	}
	// EdgeOS: a rule number is unique only within its ruleset, and EdgeOS numbers nothing, so
	// a rule another route has in another ruleset is no conflict (as before rule was numbered).
	if _, errs := planNumberOf(t, sres, sr(), types.Int64Value(100), edge, dev); len(errs) != 0 {
		t.Errorf("EdgeOS rule in another ruleset refused: %v", errs)
	}
}

// On EdgeOS the plan of a source route shows the table number as its rule, as before; on a
// platform that leaves the rule to numbering it stays unknown for planNumber.
func TestSourceRouteRuleNormalizePlan(t *testing.T) {
	m := &sourceRouteModel{Rule: types.Int64Unknown()}
	m.normalizePlan(&vpn.SourceRoute{Rule: 5, Ruleset: "SOURCE_ROUTE"})
	if m.Rule.ValueInt64() != 5 || m.Ruleset.ValueString() != "SOURCE_ROUTE" {
		t.Errorf("EdgeOS default: %v %v", m.Rule, m.Ruleset)
	}
	m = &sourceRouteModel{Rule: types.Int64Unknown()}
	m.normalizePlan(&vpn.SourceRoute{})
	if !m.Rule.IsUnknown() {
		t.Errorf("an unnumbered rule became %v before numbering", m.Rule)
	}
	m = &sourceRouteModel{Rule: types.Int64Value(7)}
	m.normalizePlan(&vpn.SourceRoute{Rule: 7})
	if m.Rule.ValueInt64() != 7 {
		t.Errorf("a given rule became %v", m.Rule)
	}
}

// The import id is <device>/<name>.
func TestSecurityPolicyImportID(t *testing.T) {
	srv := protocolServer(t)
	resp, err := srv.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{TypeName: "onpremvpn_security_policy", ID: "branch/LAN-TO-AZURE"})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) != 0 || len(resp.ImportedResources) != 1 {
		t.Fatalf("import: %v", resp.Diagnostics)
	}
	m := stateMap(t, newSecurityPolicyResource(), resp.ImportedResources[0].State)
	if str(m["device"]) != "branch" || str(m["name"]) != "LAN-TO-AZURE" || str(m["id"]) != "branch/LAN-TO-AZURE" {
		t.Errorf("imported %v", m)
	}
}

// A policy already on the device in the device's form (any left empty, lists in another order,
// a placement that agrees) is the planned one for the create-time comparison; a real
// difference is not hidden.
func TestSecurityPolicyAlignToPlan(t *testing.T) {
	want := &vpn.SecurityPolicy{Name: "P", FromZone: "Trust", ToZone: "Untrust", Sources: []string{"10.2.0.0/16", "10.1.0.0/16"},
		Destinations: []string{"any"}, Services: []string{"ANY"}, Action: "permit", Position: "top", Number: 3}
	dev := &vpn.SecurityPolicy{Name: "P", FromZone: "Trust", ToZone: "Untrust", Sources: []string{"10.1.0.0/16", "10.2.0.0/16"},
		Services: []string{"any"}, Action: "permit", Position: "top,before:9", Number: 3}
	edge := edgeos(t)
	have := vpn.CloneObject(dev)
	(&securityPolicyModel{}).alignToPlan(have, want)
	if !sameObject(edge, have, want) {
		t.Errorf("the same policy in the device's form differs:\n have %+v\n want %+v", have, want)
	}
	if !reflect.DeepEqual(dev.Sources, []string{"10.1.0.0/16", "10.2.0.0/16"}) || dev.Position != "top,before:9" {
		t.Error("the device's object was changed")
	}
	for name, change := range map[string]func(p *vpn.SecurityPolicy){
		"position": func(p *vpn.SecurityPolicy) { p.Position = "after:2,before:9" },
		"source":   func(p *vpn.SecurityPolicy) { p.Sources = []string{"10.1.0.0/16", "10.3.0.0/16"} },
		"service":  func(p *vpn.SecurityPolicy) { p.Services = []string{"HTTP"} },
		"action":   func(p *vpn.SecurityPolicy) { p.Action = "deny" },
	} {
		d := vpn.CloneObject(dev).(*vpn.SecurityPolicy)
		change(d)
		(&securityPolicyModel{}).alignToPlan(d, want)
		if sameObject(edge, d, want) {
			t.Errorf("%s: a different policy compares equal", name)
		}
	}
	// Discovery judges a policy as an import holds it: no position.
	o := vpn.CloneObject(dev)
	importViews()[vpn.KindSecurityPolicy](o)
	if o.(*vpn.SecurityPolicy).Position != "" {
		t.Errorf("import view keeps position %q", o.(*vpn.SecurityPolicy).Position)
	}
	if importViews()[vpn.KindIKEGateway] == nil {
		t.Error("every resource has an import view (a no-op where nothing is left out)")
	}
}

// A number changed from one value to another replaces the object; a null number becoming
// unknown (state from before the attribute existed, or a platform that numbers nothing) does not.
func TestReplaceIfNumberChanges(t *testing.T) {
	ctx := context.Background()
	s := schemaOf(newIKEGatewayResource())
	typ := s.Type().TerraformType(ctx).(tftypes.Object)
	nulls := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		nulls[name] = tftypes.NewValue(at, nil)
	}
	state := tfsdk.State{Schema: s, Raw: tftypes.NewValue(typ, nulls)}
	for _, c := range []struct {
		state, plan types.Int64
		replace     bool
	}{
		{types.Int64Value(3), types.Int64Value(5), true},
		{types.Int64Null(), types.Int64Unknown(), false},
		{types.Int64Null(), types.Int64Value(2), false},
		{types.Int64Value(3), types.Int64Unknown(), false},
	} {
		req := planmodifier.Int64Request{Path: path.Root("gateway_number"), StateValue: c.state, PlanValue: c.plan, ConfigValue: types.Int64Null(),
			State: state, Plan: tfsdk.Plan{Schema: s, Raw: state.Raw}}
		resp := &planmodifier.Int64Response{PlanValue: c.plan}
		replaceIfNumberChanges().PlanModifyInt64(ctx, req, resp)
		if resp.RequiresReplace != c.replace {
			t.Errorf("state %v, plan %v: replace %v, want %v", c.state, c.plan, resp.RequiresReplace, c.replace)
		}
	}
}
