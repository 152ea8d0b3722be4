package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// numberingPlatform numbers tunnels 1..3, like a small RTX.
type numberingPlatform struct{ platform.Platform }

func (numberingPlatform) Name() string { return "rtx" }
func (numberingPlatform) NumberRange(k vpn.Kind) (vpn.NumberRange, bool) {
	return vpn.NumberRange{Min: 1, Max: 3}, k == vpn.KindTunnel
}

func TestReserveNumberAcrossARun(t *testing.T) {
	var p plannedObjects
	cfg := vpn.NewConfig()
	cfg.Put(&vpn.Tunnel{Name: "OLD", Number: 1})
	plat := numberingPlatform{}
	a, b := &vpn.Tunnel{Name: "A"}, &vpn.Tunnel{Name: "B"}
	if ok, err := p.reserveNumber("r1", plat, cfg, a); !ok || err != nil || a.Number != 2 {
		t.Fatalf("A: %v %v %d", ok, err, a.Number)
	}
	// Planned in the same run: not A's number.
	if ok, err := p.reserveNumber("r1", plat, cfg, b); !ok || err != nil || b.Number != 3 {
		t.Fatalf("B: %v %v %d", ok, err, b.Number)
	}
	// A planned again keeps its number.
	a2 := &vpn.Tunnel{Name: "A"}
	if _, err := p.reserveNumber("r1", plat, cfg, a2); err != nil || a2.Number != 2 {
		t.Errorf("A again: %v %d", err, a2.Number)
	}
	// Another device has its own numbers.
	c := &vpn.Tunnel{Name: "C"}
	if _, err := p.reserveNumber("r2", plat, vpn.NewConfig(), c); err != nil || c.Number != 1 {
		t.Errorf("other device: %v %d", err, c.Number)
	}
	// The range is full on r1.
	if _, err := p.reserveNumber("r1", plat, cfg, &vpn.Tunnel{Name: "D"}); err == nil || !strings.Contains(err.Error(), "platform rtx") {
		t.Errorf("full range: %v", err)
	}
	// EdgeOS numbers nothing.
	e := &vpn.Tunnel{Name: "E"}
	if ok, _ := p.reserveNumber("r3", edgeos(t), cfg, e); ok || e.Number != 0 {
		t.Error("EdgeOS numbered a tunnel")
	}
}

// The plan shows the allocated number where the platform numbers the kind, null on EdgeOS, and
// refuses a number another object on the device has.
func TestPlanNumber(t *testing.T) {
	ctx := context.Background()
	res := newVPNTunnelResource().(*objectResource[vpnTunnelModel, *vpnTunnelModel])
	res.pd = &providerData{}
	s := res.schema
	mk := func(number types.Int64) (*vpnTunnelModel, tfsdk.Config, tfsdk.Plan) {
		m := &vpnTunnelModel{Name: types.StringValue("T"), IKEGateway: types.StringValue("G"), Number: number, PFSGroup: types.Int64Value(0), Lifetime: types.Int64Value(3600)}
		m.Proposals = []ipsecProposalModel{{types.StringValue("aes128"), types.StringValue("sha1")}}
		plan := tfsdk.Plan{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
		if d := plan.Set(ctx, m); d.HasError() {
			t.Fatal(d)
		}
		cm := *m
		if number.IsUnknown() {
			cm.Number = types.Int64Null()
		}
		cfgState := tfsdk.Plan{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
		if d := cfgState.Set(ctx, &cm); d.HasError() {
			t.Fatal(d)
		}
		return m, tfsdk.Config{Schema: s, Raw: cfgState.Raw}, plan
	}
	dev := vpn.NewConfig()
	dev.Put(&vpn.Tunnel{Name: "OLD", Number: 1})
	got := func(plan tfsdk.Plan) types.Int64 {
		var n types.Int64
		plan.GetAttribute(ctx, path.Root("tunnel_number"), &n)
		return n
	}

	m, config, plan := mk(types.Int64Unknown())
	if d := res.planNumber(ctx, m, m.toObject(), numberingPlatform{}, dev, config, &plan); d.HasError() {
		t.Fatal(d)
	}
	// Known after apply: a number chosen at plan could go to another object in the apply
	// process, which walks the objects in another order.
	if n := got(plan); !n.IsUnknown() {
		t.Errorf("planned %v, want unknown (known after apply)", n)
	}
	// At create, the lowest free number is given and reserved for the run.
	obj := m.toObject()
	if ok, err := res.pd.planned.reserveNumber(DefaultDevice, numberingPlatform{}, dev, obj); !ok || err != nil || obj.(vpn.Numbered).DeviceNumber() != 2 {
		t.Errorf("created with %d (%v, %v), want 2", obj.(vpn.Numbered).DeviceNumber(), ok, err)
	}
	other := &vpn.Tunnel{Name: "T2"}
	if ok, err := res.pd.planned.reserveNumber(DefaultDevice, numberingPlatform{}, dev, other); !ok || err != nil || other.Number != 3 {
		t.Errorf("a second tunnel created in the run got %d (%v, %v), want 3", other.Number, ok, err)
	}

	m, config, plan = mk(types.Int64Unknown())
	res.pd = &providerData{}
	if d := res.planNumber(ctx, m, m.toObject(), edgeos(t), dev, config, &plan); d.HasError() {
		t.Fatal(d)
	}
	if n := got(plan); !n.IsNull() {
		t.Errorf("EdgeOS plan %v, want null", n)
	}

	m, config, plan = mk(types.Int64Value(1))
	d := res.planNumber(ctx, m, m.toObject(), numberingPlatform{}, dev, config, &plan)
	if !d.HasError() || !strings.Contains(d.Errors()[0].Detail(), `tunnel_number 1 is used by vpn_tunnel "OLD"`) {
		t.Errorf("a used number: %v", d)
	}
}

// A created object read back with a number another object holds (another session wrote the
// same number at the same time) is reported, naming both; one alone on its number is not.
func TestNumberClash(t *testing.T) {
	cfg := vpn.NewConfig()
	mine := &vpn.Tunnel{Name: "MINE", Number: 2}
	cfg.Put(mine)
	cfg.Put(&vpn.Tunnel{Name: "OLD", Number: 1})
	if msg := numberClash(numberingPlatform{}, cfg, mine, "r1"); msg != "" {
		t.Errorf("alone on its number: %s", msg)
	}
	cfg.Put(&vpn.Tunnel{Name: "THEIRS", Number: 2})
	msg := numberClash(numberingPlatform{}, cfg, mine, "r1")
	for _, want := range []string{`Device "r1" holds vpn_tunnel "MINE" with number 2, and vpn_tunnel "THEIRS" with the same number`, "another session wrote number 2", "tainted"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if msg := numberClash(edgeos(t), cfg, mine, "r1"); msg != "" {
		t.Errorf("EdgeOS numbers no tunnel: %s", msg)
	}
}
