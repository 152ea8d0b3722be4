package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Plan-time reference checks.
//
// A tunnel names its IKE gateway, a BGP neighbor its prefix lists. When the named object is
// neither on the device nor created in the same run, apply fails on the device, after other
// resources of the run were committed. At plan time the provider can know only part of the
// run: Terraform plans a resource after the resources it refers to, within one provider
// configuration (one provider instance; a new one for plan and for apply, with a new
// providerData). So each resource's ModifyPlan records the object it plans (plannedObjects, in
// providerData), and a reference is accepted when the device has the object (or holds it from
// an earlier apply in this process), or it was planned before in this run. A name written as a
// literal instead of a reference to the resource is not ordered: the named resource may be
// planned later, and the check then fails; the error says to use a reference. A resource of
// another provider configuration (an alias to the same device) is never seen.

// plannedObjects records the objects whose plan was made in this run, by device, kind and
// key. The zero value is ready to use.
type plannedObjects struct {
	mu      sync.Mutex
	seen    map[plannedKey]bool
	numbers numberReservations // device numbers handed out in this run (numbers.go)
}

type plannedKey struct {
	device string
	kind   vpn.Kind
	key    string
}

func (p *plannedObjects) add(device string, kind vpn.Kind, key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.seen == nil {
		p.seen = map[plannedKey]bool{}
	}
	p.seen[plannedKey{device, kind, key}] = true
}

func (p *plannedObjects) has(device string, kind vpn.Kind, key string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.seen[plannedKey{device, kind, key}]
}

// reference is an attribute that names another object on the same device.
type reference struct {
	attr     string   // the attribute, e.g. "ike_gateway"
	kind     vpn.Kind // what it names
	keyAttr  string   // the key attribute of the named resource, e.g. "name"
	key      string   // the name; "" when unset
	resource string   // the referring resource's type name, for messages
}

// referrer is implemented by models with references.
type referrer interface {
	references() []reference
}

// recordPlanned notes the object a plan creates or keeps, when its key and device are known.
func (r *objectResource[M, PM]) recordPlanned(ctx context.Context, plan tfsdk.Plan) {
	var key, dev types.String
	if plan.GetAttribute(ctx, path.Root(r.keyAttr), &key).HasError() || plan.GetAttribute(ctx, path.Root("device"), &dev).HasError() {
		return
	}
	if key.IsUnknown() || key.IsNull() || dev.IsUnknown() {
		return
	}
	name := dev.ValueString()
	if name == "" {
		name = DefaultDevice
	}
	r.pd.planned.add(name, r.kind, key.ValueString())
}

// checkReferences reports references to objects that are not on the device and were not
// planned in this run.
func (r *objectResource[M, PM]) checkReferences(ctx context.Context, dev *device.Device, m PM) diag.Diagnostics {
	var diags diag.Diagnostics
	rf, ok := any(m).(referrer)
	if !ok {
		return diags
	}
	for _, ref := range rf.references() {
		if ref.key == "" {
			continue
		}
		o, err := dev.Get(ctx, ref.kind, ref.key)
		if err != nil || o != nil || r.pd.planned.has(deviceName(m), ref.kind, ref.key) {
			continue // unknowable, on the device, or planned in this run
		}
		diags.AddAttributeError(path.Root(ref.attr), fmt.Sprintf("Unknown %s", ref.kind),
			fmt.Sprintf("%s: %s %q is not on device %q, and no onpremvpn_%s planned before this %s in this run creates it there. "+
				"If this configuration manages it, refer to that resource (%s = onpremvpn_%s.<name>.%s) so that Terraform plans and creates it first; "+
				"otherwise create it on the device or correct the name.",
				ref.attr, ref.kind, ref.key, deviceName(m), ref.kind, ref.resource, ref.attr, ref.kind, ref.keyAttr))
	}
	return diags
}
