package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Device numbers of objects (vpn.Numbered: a tunnel's tunnel_number, a prefix list's number, an
// IKE gateway's gateway_number, a BGP neighbor's neighbor_number, a source route's rule, a
// security policy's policy_id).
//
// The attribute is optional and computed. Left out, on a platform that numbers the kind
// (platform.Numberer), it is known after apply: Create gives the lowest number of the
// dialect's range that neither the device nor another object created in this run uses; on
// other platforms it stays null. It is not chosen at plan: Terraform plans and applies in
// separate provider processes (always with a saved plan, and for the apply walk of `terraform
// apply`), whose walks reach the objects in different orders, so a number chosen at plan could
// be handed to another object at apply ("inconsistent final plan"). Numbers handed out in a
// run are reserved per device and kind, so that two tunnels created together do not get the
// same one.

// numberedModel is implemented by models with a device number attribute.
type numberedModel interface {
	numberAttr() string
}

func (*vpnTunnelModel) numberAttr() string      { return "tunnel_number" }
func (*prefixListModel) numberAttr() string     { return "number" }
func (*ikeGatewayModel) numberAttr() string     { return "gateway_number" }
func (*bgpNeighborModel) numberAttr() string    { return "neighbor_number" }
func (*sourceRouteModel) numberAttr() string    { return "rule" }
func (*securityPolicyModel) numberAttr() string { return "policy_id" }

// numberReservations are the numbers handed out in this run, per device and kind, by key.
type numberReservations map[plannedKind]map[string]int

type plannedKind struct {
	device string
	kind   vpn.Kind
}

// reserveNumber gives o (of device) a number when its platform numbers its kind and o has
// none: the lowest free one given cfg and the numbers reserved for other objects in this run.
// The object keeps a number reserved for its key before (ModifyPlan runs more than once).
func (p *plannedObjects) reserveNumber(device string, plat platform.Platform, cfg *vpn.Config, o vpn.Object) (bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := plannedKind{device, o.Kind()}
	if p.numbers == nil {
		p.numbers = numberReservations{}
	}
	if p.numbers[k] == nil {
		p.numbers[k] = map[string]int{}
	}
	mine, had := p.numbers[k][o.Key()]
	var reserved []int
	for key, n := range p.numbers[k] {
		if key != o.Key() {
			reserved = append(reserved, n)
		}
	}
	nb, ok := o.(vpn.Numbered)
	if had && ok && nb.DeviceNumber() == 0 && !contains(reserved, mine) && !usedBy(cfg, o, mine) {
		nb.SetDeviceNumber(mine)
		return true, nil
	}
	assigned, err := platform.AssignNumber(plat, cfg, o, reserved...)
	if assigned {
		p.numbers[k][o.Key()] = nb.DeviceNumber()
	}
	return assigned, err
}

func contains(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

// usedBy reports whether another object of o's kind in cfg has number n.
func usedBy(cfg *vpn.Config, o vpn.Object, n int) bool {
	return vpn.NumberOwner(cfg, o, n) != ""
}

// numberClash returns why got, an object just created and read back from a device holding
// cfg (the same read), is in trouble because another object holds its number, or "". The
// device layer renders each batch from a read of its own and gives a chosen number that was
// taken since a free one, but the lines take effect one by one and nothing locks the
// configuration: a run that wrote in the moment between that read and the lines can still
// land on the same number.
func numberClash(plat platform.Platform, cfg *vpn.Config, got vpn.Object, device string) string {
	nb, ok := got.(vpn.Numbered)
	if !ok || nb.DeviceNumber() == 0 || !platform.NumbersKind(plat, got.Kind()) {
		return ""
	}
	owner := vpn.NumberOwner(cfg, got, nb.DeviceNumber())
	if owner == "" {
		return ""
	}
	return fmt.Sprintf("Device %q holds %s %q with number %d, and %s %q with the same number: another session wrote number %d at the same time as this run. "+
		"The two objects may be mixed on the device; check both. This one is kept in state as the device shows it and marked tainted, so the next apply replaces it under a free number.",
		device, got.Kind(), got.Key(), nb.DeviceNumber(), got.Kind(), owner, nb.DeviceNumber())
}

// planNumber settles the number attribute of a planned object: on a platform that numbers the
// kind, a number the user gave must not belong to another object on the device; one left out is
// allocated (see above) or null. Where the platform does not number the kind, a number it takes
// means what the platform says (an EdgeOS source route's rule is unique only within its
// ruleset), and the platform's own checks judge it.
func (r *objectResource[M, PM]) planNumber(ctx context.Context, m PM, obj vpn.Object, plat platform.Platform, cfg *vpn.Config, config tfsdk.Config, plan *tfsdk.Plan) diag.Diagnostics {
	var diags diag.Diagnostics
	nm, ok := any(m).(numberedModel)
	nb, numbered := obj.(vpn.Numbered)
	if !ok || !numbered {
		return diags
	}
	attr := path.Root(nm.numberAttr())
	var configured, planned types.Int64
	diags.Append(config.GetAttribute(ctx, attr, &configured)...)
	diags.Append(plan.GetAttribute(ctx, attr, &planned)...)
	if diags.HasError() {
		return diags
	}
	if n := nb.DeviceNumber(); n != 0 {
		if !platform.NumbersKind(plat, obj.Kind()) {
			return diags
		}
		if owner := vpn.NumberOwner(cfg, obj, n); owner != "" {
			diags.AddAttributeError(attr, "Number already in use",
				fmt.Sprintf("%s %d is used by %s %q on device %q.", nm.numberAttr(), n, obj.Kind(), owner, deviceName(m)))
		}
		if configured.IsNull() && planned.IsUnknown() {
			// Left out but implied by another attribute (the dialect's Normalize: an RTX
			// tunnel_interface "tunnel3" is tunnel number 3).
			diags.Append(plan.SetAttribute(ctx, attr, types.Int64Value(int64(n)))...)
		}
		return diags
	}
	if !configured.IsNull() || !planned.IsUnknown() {
		return diags // kept from state, or unknown in the configuration
	}
	if !platform.NumbersKind(plat, obj.Kind()) {
		diags.Append(plan.SetAttribute(ctx, attr, types.Int64Null())...)
		return diags
	}
	// Known after apply (see above); a range with no free number left fails already. The
	// allocation is tried on a copy: the number itself is given at create.
	if _, err := platform.AssignNumber(plat, cfg, vpn.CloneObject(obj)); err != nil {
		diags.AddAttributeError(attr, "No free number", err.Error())
	}
	return diags
}
