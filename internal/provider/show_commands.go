package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// show_commands: the plan shows, per resource that changes, the lines its change sends to
// the device (device.Preview), as a warning diagnostic. Network engineers review changes as
// CLI; this puts the CLI in the plan.

// showChange adds the preview of a create or update to resp, when the device asks for it and
// the plan is complete. It runs after the rest of ModifyPlan, on the final planned values.
func (r *objectResource[M, PM]) showChange(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if resp.Diagnostics.HasError() || resp.Plan.Raw.IsNull() {
		return
	}
	creating := req.State.Raw.IsNull()
	if !creating && resp.Plan.Raw.Equal(req.State.Raw) {
		return // no change
	}
	m := PM(new(M))
	if d := resp.Plan.Get(ctx, m); d.HasError() {
		return
	}
	name := deviceName(m)
	if !r.pd.showCmds[name] {
		return
	}
	if !req.Config.Raw.IsFullyKnown() {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Commands for %s %q on device %q", r.kind, m.key(), name),
			"Some values are known only at apply (they come from other resources), so the lines are rendered then; run plan again once those resources exist to see them.")
		return
	}
	dev, err := r.pd.device(m.common().Device.ValueString())
	if err != nil {
		return
	}
	obj := m.toObject()
	if sm, ok := any(m).(secretModel); ok {
		if resp.Diagnostics.Append(withWriteOnlySecret(ctx, sm, req.Config, obj)...); resp.Diagnostics.HasError() {
			return
		}
	}
	dev.Dialect(ctx).Normalize(obj)
	op := vpn.OpUpdate
	if creating {
		op = vpn.OpCreate
	}
	r.addPreview(ctx, dev, name, m.key(), vpn.Change{Op: op, Kind: r.kind, Key: obj.Key(), Object: obj}, resp)
}

// showDelete adds the preview of a destroy.
func (r *objectResource[M, PM]) showDelete(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return
	}
	m := PM(new(M))
	if d := req.State.Get(ctx, m); d.HasError() {
		return
	}
	name := deviceName(m)
	if !r.pd.showCmds[name] {
		return
	}
	dev, err := r.pd.device(m.common().Device.ValueString())
	if err != nil {
		return
	}
	r.addPreview(ctx, dev, name, m.key(), vpn.Change{Op: vpn.OpDelete, Kind: r.kind, Key: m.key()}, resp)
}

func (r *objectResource[M, PM]) addPreview(ctx context.Context, dev *device.Device, devName, key string, ch vpn.Change, resp *resource.ModifyPlanResponse) {
	summary := fmt.Sprintf("Commands for %s %s %q on device %q", ch.Op, r.kind, key, devName)
	lines, err := dev.Preview(ctx, ch)
	switch {
	case err != nil:
		resp.Diagnostics.AddWarning(summary, "The lines cannot be shown for this change alone (they are rendered with the rest of its batch at apply): "+err.Error())
	case len(lines) == 0:
		why := dev.WhyAbsent(ctx, ch.Object)
		if ch.Object == nil || why == "" {
			why = "no configuration line changes for it alone"
		}
		resp.Diagnostics.AddWarning(summary, "No lines: "+why+".")
	default:
		resp.Diagnostics.AddWarning(summary, strings.Join(lines, "\n"))
	}
}
