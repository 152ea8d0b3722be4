package provider

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/crypto/argon2"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// The six resources share one implementation of create, read, update, delete, import and
// plan-time validation: objectResource. Each resource file provides its schema, its model
// type and the conversion between model and vpn object; this file does the rest.

// commonFields are the attributes every resource has.
type commonFields struct {
	ID     types.String `tfsdk:"id"`
	Device types.String `tfsdk:"device"`
}

func (c *commonFields) common() *commonFields { return c }

// objectModel is implemented by the pointer to each resource's model struct.
type objectModel interface {
	common() *commonFields
	// key is the object's identity on the device (name or natural key).
	key() string
	// toObject converts the (fully known) model to the vpn object.
	toObject() vpn.Object
	// fromObject sets the model from the object as the device has it.
	fromObject(vpn.Object)
}

// secretModel is implemented by models with a pre-shared key or password that can be given
// either as a sensitive attribute or as a write-only attribute with a version.
type secretModel interface {
	objectModel
	// secretFields returns the sensitive attribute and the write-only version attribute.
	secretFields() (plain *types.String, version *types.Int64)
	// secretPaths returns the paths of the write-only attribute and of its version.
	secretPaths() (wo, version path.Path)
	getSecret(vpn.Object) string
	setSecret(vpn.Object, string)
}

// normalizingModel is implemented by models with attributes a platform fills in when the
// user leaves them unset (Optional+Computed).
type normalizingModel interface {
	normalizePlan(vpn.Object)
}

// planChecker is implemented by models with checks that need the device's configuration.
type planChecker interface {
	planCheck(obj vpn.Object, current *vpn.Config) diag.Diagnostics
}

// stateReconciler is implemented by models with an attribute whose device value is shared with
// other objects (a BGP neighbor's networks belong to the device's BGP process), so that the
// device's object alone does not say what this resource's state holds. After fromObject,
// reconcile gets the model as it was before: the plan after a create or update, the prior
// state on a read. imported is true on the read that follows an import.
type stateReconciler interface {
	reconcile(before objectModel, imported bool)
}

// deviceAligner is implemented by models whose read-back keeps the plan's form of a value the
// device shows in another form that means the same (see stateReconciler): align edits have, a
// copy of the device's object, so that it holds want's form wherever the two agree, for the
// comparison of a planned object with one already on the device.
type deviceAligner interface {
	alignToPlan(have, want vpn.Object)
}

// importViewer is implemented by models whose import leaves out part of what the device shows
// (a security policy's placement): view edits a copy of the device's object into what the
// resource holds after an import, for discovery's check of what a resource would refuse.
type importViewer interface {
	importView(o vpn.Object)
}

// updateMerger is implemented by models whose update must keep part of what the device has
// for the object: merge edits obj, the planned object, given the prior state and the object as
// the device has it now (nil when the device does not show it).
type updateMerger interface {
	mergeUpdate(obj vpn.Object, prior objectModel, current vpn.Object)
}

// objectResource is a generic resource for one vpn.Kind. M is the model struct.
type objectResource[M any, PM interface {
	*M
	objectModel
}] struct {
	kind     vpn.Kind
	typeName string // without the provider prefix, e.g. "ike_gateway"
	keyAttr  string // the attribute holding the key, e.g. "name"
	schema   schema.Schema
	// upgraders returns the state upgraders from earlier schema versions, given the current
	// schema; nil when the schema never changed incompatibly.
	upgraders func(schema.Schema) map[int64]resource.StateUpgrader
	pd        *providerData
}

var secretPrivateKey = "secret_check"

// importedPrivateKey marks a resource just imported, until the read that follows.
var importedPrivateKey = "imported"

func (r *objectResource[M, PM]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.typeName
}

func (r *objectResource[M, PM]) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.schema
}

// UpgradeState migrates state written by earlier schema versions.
func (r *objectResource[M, PM]) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	if r.upgraders == nil {
		return nil
	}
	return r.upgraders(r.schema)
}

// withCommon adds `id` and `device` to a resource schema for objects of kind k; example is an
// id. The id's key part is the kind's key form (vpn.KeyForm): the primary attribute, then each
// qualifier that is set as `,<attribute>=<value>`.
func withCommon(s schema.Schema, k vpn.Kind, example string) schema.Schema {
	form := vpn.KeyForm(k)
	qualified := ""
	if spec, _ := vpn.SpecOf(k); len(spec.KeyAttrs) > 1 {
		qualified = " Qualifiers that are unset are left out, so an object in the default instance keeps the id `<device>/<" + spec.KeyAttrs[0] +
			">`; parts are separated by `" + vpn.KeySeparator + "` and each qualifier names its attribute."
	}
	s.Attributes["id"] = schema.StringAttribute{
		Computed: true,
		Description: "`<device>/" + form + "`, e.g. `" + example + "`, where `<device>` is the name in the provider's `devices` map or `" +
			DefaultDevice + "` for the top-level device. The import id has the same form." + qualified,
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
	s.Attributes["device"] = schema.StringAttribute{
		Optional:      true,
		Description:   "Name of the device in the provider's `devices` map; without it, the provider's top-level device. Changing it moves the object: it is destroyed on the old device and created on the new one.",
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		Validators:    []validator.String{nonEmpty()},
	}
	return s
}

func (r *objectResource[M, PM]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	pd, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data", fmt.Sprintf("got %T", req.ProviderData))
		return
	}
	r.pd = pd
}

func (r *objectResource[M, PM]) device(m PM) (*device.Device, diag.Diagnostics) {
	var diags diag.Diagnostics
	if r.pd == nil {
		diags.AddError("Provider not configured", "The provider has not been configured; this is a bug in Terraform's call order.")
		return nil, diags
	}
	d, err := r.pd.device(m.common().Device.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("device"), "Unknown device", err.Error())
		return nil, diags
	}
	return d, diags
}

func deviceName(m objectModel) string {
	if n := m.common().Device.ValueString(); n != "" {
		return n
	}
	return DefaultDevice
}

// ModifyPlan validates the planned object with the device's platform known, and checks it
// against the device's configuration where that can catch a mistake before apply. Reading the
// configuration also verifies the device's identity: see planReadDiagnostic.
func (r *objectResource[M, PM]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.pd == nil {
		return
	}
	if req.Plan.Raw.IsNull() {
		r.showDelete(ctx, req, resp)
		return
	}
	defer r.showChange(ctx, req, resp)
	r.recordPlanned(ctx, req.Plan)
	if !req.Config.Raw.IsFullyKnown() {
		// The object cannot be checked until apply (a value comes from another resource), but
		// the device's identity and reachability can, with the same (cached) read.
		var dn types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("device"), &dn)...)
		if resp.Diagnostics.HasError() || dn.IsUnknown() {
			return
		}
		name := dn.ValueString()
		if name == "" {
			name = DefaultDevice
		}
		dev, err := r.pd.device(name)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("device"), "Unknown device", err.Error())
			return
		}
		if resp.Diagnostics.Append(kindDiagnostics(dev.Platform(), name, r.kind, r.typeName)...); resp.Diagnostics.HasError() {
			return
		}
		if _, err := dev.Config(ctx); err != nil {
			resp.Diagnostics.Append(planReadDiagnostic(name, err, r.pd.planOffline[name]))
		}
		return
	}
	m := PM(new(M))
	resp.Diagnostics.Append(req.Plan.Get(ctx, m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	dev, diags := r.device(m)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	obj := m.toObject()
	if sm, ok := any(m).(secretModel); ok {
		resp.Diagnostics.Append(withWriteOnlySecret(ctx, sm, req.Config, obj)...)
	}
	plat := dev.Dialect(ctx)
	if resp.Diagnostics.Append(kindDiagnostics(plat, deviceName(m), r.kind, r.typeName)...); resp.Diagnostics.HasError() {
		return
	}
	plat.Normalize(obj)
	errs := append(append(obj.Validate(), plat.Validate(obj)...), platform.CheckRouteTarget(plat, obj)...)
	for _, e := range errs {
		resp.Diagnostics.AddAttributeError(shownPath(fieldPath(r.schema, e.Field)),
			fmt.Sprintf("Invalid value for %s (device %q)", plat.Name(), deviceName(m)), e.Field+": "+e.Message)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if nm, ok := any(m).(normalizingModel); ok {
		nm.normalizePlan(obj)
		resp.Diagnostics.Append(resp.Plan.Set(ctx, m)...)
	}
	creating := req.State.Raw.IsNull()
	current, err := dev.Config(ctx) // shared by every resource of the plan: read only
	if err != nil {
		// A host key or login failure always fails the plan; an unreachable device only
		// warns with plan_offline (a site that is not built yet).
		name := deviceName(m)
		resp.Diagnostics.Append(planReadDiagnostic(name, err, r.pd.planOffline[name]))
		return
	}
	if have := current.Get(r.kind, m.key()); creating && have != nil {
		id := deviceName(m) + "/" + m.key()
		if da, ok := any(m).(deviceAligner); ok {
			have = vpn.CloneObject(have)
			da.alignToPlan(have, obj)
		}
		want := obj
		if nb, ok := obj.(vpn.Numbered); ok && nb.DeviceNumber() == 0 {
			// A number left to the platform (known after apply) is whatever the device has.
			if hn, ok := have.(vpn.Numbered); ok {
				want = vpn.CloneObject(obj)
				want.(vpn.Numbered).SetDeviceNumber(hn.DeviceNumber())
			}
		}
		if sameObject(plat, withoutOneWaySecret(plat, r.kind, m, have), withoutOneWaySecret(plat, r.kind, m, want)) {
			// Terraform plans the replacement of a tainted resource (one whose create failed
			// after its commit, such as a failed save) as a create: the object is deleted
			// first, so an identical one on the device is no conflict. Apply still refuses to
			// create over an object that nothing deleted.
			resp.Diagnostics.AddAttributeWarning(path.Root(r.keyAttr), "Object already on the device",
				fmt.Sprintf("%s %q is already on device %q with exactly these values. If this plan replaces a tainted resource, it is deleted and written again; otherwise import it (id %q): apply refuses to create it over the device's.", r.kind, m.key(), deviceName(m), id))
		} else {
			resp.Diagnostics.AddAttributeError(path.Root(r.keyAttr), "Object already exists on the device",
				fmt.Sprintf("%s %q already exists on device %q. Import it (id %q) instead of creating it.", r.kind, m.key(), deviceName(m), id))
		}
	}
	if pc, ok := any(m).(planChecker); ok {
		resp.Diagnostics.Append(pc.planCheck(obj, current)...)
	}
	if az := r.pd.azure[deviceName(m)]; az != nil {
		for _, e := range azureChecks(az.Target, obj) {
			summary, detail := fmt.Sprintf("Azure (%s) would not match this %s (device %q)", az.Target, r.kind, deviceName(m)), e.Field+": "+e.Message
			if az.Errors {
				resp.Diagnostics.AddAttributeError(shownPath(fieldPath(r.schema, e.Field)), summary, detail)
			} else {
				resp.Diagnostics.AddAttributeWarning(shownPath(fieldPath(r.schema, e.Field)), summary, detail)
			}
		}
	}
	if pc, ok := plat.(platform.PlanChecker); ok {
		// A shallow copy: the dialect's check reads it, and a deep copy of the whole
		// configuration for each planned resource would make a plan quadratic.
		desired := current.ShallowClone()
		desired.Put(vpn.CloneObject(obj))
		errs, warns := pc.PlanCheck(obj, desired)
		for _, e := range errs {
			resp.Diagnostics.AddAttributeError(shownPath(fieldPath(r.schema, e.Field)),
				fmt.Sprintf("Invalid %s for %s (device %q)", r.kind, plat.Name(), deviceName(m)), e.Field+": "+e.Message)
		}
		for _, e := range warns {
			resp.Diagnostics.AddAttributeWarning(shownPath(fieldPath(r.schema, e.Field)),
				fmt.Sprintf("Check this %s for %s (device %q)", r.kind, plat.Name(), deviceName(m)), e.Field+": "+e.Message)
		}
	}
	resp.Diagnostics.Append(r.planNumber(ctx, m, obj, plat, current, req.Config, &resp.Plan)...)
	resp.Diagnostics.Append(r.checkReferences(ctx, dev, m)...)
}

func (r *objectResource[M, PM]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	m := PM(new(M))
	resp.Diagnostics.Append(req.Plan.Get(ctx, m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.write(ctx, vpn.OpCreate, m, nil, req.Config, resp.Private, &resp.State, &resp.Diagnostics)
}

func (r *objectResource[M, PM]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	m := PM(new(M))
	resp.Diagnostics.Append(req.Plan.Get(ctx, m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior := PM(new(M))
	resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.write(ctx, vpn.OpUpdate, m, prior, req.Config, resp.Private, &resp.State, &resp.Diagnostics)
}

// privateState is the part of resp.Private the resources use.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

type configGetter interface {
	GetAttribute(ctx context.Context, p path.Path, target interface{}) diag.Diagnostics
}

type stateSetter interface {
	Set(ctx context.Context, val interface{}) diag.Diagnostics
}

// write creates or updates the object, reads it back from the device and stores what the
// device has. prior is the state before an update, nil on create.
func (r *objectResource[M, PM]) write(ctx context.Context, op vpn.Op, m, prior PM, config configGetter, priv privateState, state stateSetter, diags *diag.Diagnostics) {
	dev, ds := r.device(m)
	diags.Append(ds...)
	if diags.HasError() {
		return
	}
	obj := m.toObject()
	sm, hasSecret := any(m).(secretModel)
	if hasSecret {
		diags.Append(withWriteOnlySecret(ctx, sm, config, obj)...)
		if diags.HasError() {
			return
		}
	}
	chosen := false
	if op == vpn.OpCreate {
		// A number left unknown at plan (the configuration was not known yet) is allocated now.
		if nb, numbered := obj.(vpn.Numbered); numbered {
			if nb.DeviceNumber() == 0 {
				// A number implied by another attribute (the dialect's Normalize) is that one.
				probe := vpn.CloneObject(obj)
				dev.Platform().Normalize(probe)
				nb.SetDeviceNumber(probe.(vpn.Numbered).DeviceNumber())
			}
			if current, err := dev.Config(ctx); err == nil {
				// A number chosen here may be taken by another session before the write
				// reaches the device: the device layer then gives another free one, which
				// the read-back below puts in state (the number is known after apply).
				chosen, err = r.pd.planned.reserveNumber(deviceName(m), dev.Platform(), current, obj)
				if err != nil {
					diags.AddError(fmt.Sprintf("Cannot number %s %q", r.typeName, m.key()), err.Error())
					return
				}
			}
		}
	}
	if um, ok := any(m).(updateMerger); ok && prior != nil {
		current, err := dev.Get(ctx, r.kind, m.key())
		if err != nil {
			diags.AddError(fmt.Sprintf("Cannot read %s %q before updating it", r.typeName, m.key()), err.Error())
			return
		}
		um.mergeUpdate(obj, prior, current)
	}
	if err := dev.Apply(ctx, vpn.Change{Op: op, Kind: r.kind, Key: m.key(), Object: obj, NumberChosen: chosen}); err != nil {
		r.afterFault(ctx, op, m, dev, err, state, diags)
		return
	}
	got, err := dev.Get(ctx, r.kind, m.key())
	if err != nil {
		diags.AddError(fmt.Sprintf("Cannot read back %s %q", r.typeName, m.key()),
			err.Error()+"\n\nThe change was applied; the next plan reads the device again.")
		return
	}
	if got == nil {
		diags.AddError(fmt.Sprintf("%s %q is missing after %s", r.typeName, m.key(), op),
			fmt.Sprintf("Device %q accepted the change but its configuration does not show %s %q afterwards. Another session writing the device at the same time can cause this (two runs' new objects on one number).", deviceName(m), r.kind, m.key()))
		return
	}
	r.fill(m, got, false, dev.Platform())
	if hasSecret {
		diags.Append(secretAfterWrite(ctx, secretFormOf(dev.Platform(), r.kind, sm), sm, got, priv)...)
	}
	if cfg, err := dev.Config(ctx); err == nil && op == vpn.OpCreate {
		if msg := numberClash(dev.Platform(), cfg, got, deviceName(m)); msg != "" {
			diags.AddError(fmt.Sprintf("%s %q shares its number with another object", r.typeName, m.key()), msg)
		}
	}
	diags.Append(state.Set(ctx, m)...)
}

// afterFault reports a failed create or update and makes state equal the device: the
// device is read again, and an object it holds (a change committed before the fault, or an
// update refused after an earlier one) goes to state as the device has it, so that the next
// plan neither asks to import it nor forgets it. For a create, Terraform then marks the
// resource tainted and replaces it at the next apply. A create whose outcome cannot be read
// (the device is lost) goes to state as requested, tainted, and the next refresh decides.
func (r *objectResource[M, PM]) afterFault(ctx context.Context, op vpn.Op, m PM, dev *device.Device, cause error, state stateSetter, diags *diag.Diagnostics) {
	summary := fmt.Sprintf("Cannot %s %s %q", op, r.typeName, m.key())
	var ce *device.CommittedError
	if errors.As(cause, &ce) {
		summary = fmt.Sprintf("%s %s %q is active on the device but not saved", r.typeName, op, m.key())
	}
	dev.Invalidate()
	got, err := dev.Get(ctx, r.kind, m.key())
	switch {
	case err != nil && op == vpn.OpCreate:
		// Whether the change reached the device is unknown. The object goes to state as
		// requested, so Terraform marks it tainted: the next plan reads the device and
		// drops it from state when the device lacks it (a create), or replaces it when the
		// device holds it. Either way no object the provider wrote is left outside state.
		r.fill(m, m.toObject(), false, nil)
		diags.AddError(summary, cause.Error()+"\n\nThe device could not be read afterwards ("+err.Error()+
			"), so whether the change reached it is unknown. State holds the object as requested, marked tainted: the next plan reads the device again and creates the object if the device lacks it, or replaces it if the device holds it.")
		diags.Append(state.Set(ctx, m)...)
		return
	case err != nil:
		diags.AddError(summary, cause.Error()+"\n\nThe device could not be read afterwards ("+err.Error()+
			"), so whether the change reached it is unknown. The next plan reads the device again and proposes what differs.")
		return
	case got == nil:
		diags.AddError(summary, cause.Error()+"\n\nThe device does not hold "+string(r.kind)+" "+strconv.Quote(m.key())+": nothing of this change is on it.")
		return
	}
	r.fill(m, got, false, dev.Platform())
	diags.AddError(summary, cause.Error()+"\n\nState now holds the object as the device has it.")
	diags.Append(state.Set(ctx, m)...)
}

// fill sets m from the device's object; see stateReconciler for imported. With plat, an
// optional attribute that m left unset stays unset while the device holds the platform's
// default for it (keepDefaultsUnset).
func (r *objectResource[M, PM]) fill(m PM, got vpn.Object, imported bool, plat platform.Platform) {
	before := *m
	c := *m.common()
	m.fromObject(got)
	c.ID = types.StringValue(deviceName(m) + "/" + got.Key())
	*m.common() = c
	if rec, ok := any(m).(stateReconciler); ok {
		rec.reconcile(PM(&before), imported)
	}
	if plat != nil {
		keepDefaultsUnset(r.schema, plat, m, PM(&before))
	}
}

// keepDefaultsUnset gives back null to every optional, non-computed top-level attribute that
// before (the plan after a write, the prior state on a read) left null and that m, read from
// the device, holds at exactly the value the platform fills in when the attribute is unset
// (platform.Normalize, given everything else as the device has it). "Unset leaves the device
// default": a platform whose configuration always prints the default (ScreenOS prints
// `Main`, `no-replay` and the tunnel interface's zone on every object) reads back as the
// configuration wrote it, and a value other than the default is still drift.
func keepDefaultsUnset[M any, PM interface {
	*M
	objectModel
}](s schema.Schema, plat platform.Platform, m, before PM) {
	mv, bv := reflect.ValueOf(m).Elem(), reflect.ValueOf(before).Elem()
	for i := 0; i < mv.NumField(); i++ {
		tag := mv.Type().Field(i).Tag.Get("tfsdk")
		a, ok := s.Attributes[tag]
		if tag == "" || !ok || !a.IsOptional() || a.IsComputed() {
			continue
		}
		bf, ok := bv.Field(i).Interface().(attr.Value)
		if !ok || !bf.IsNull() {
			continue
		}
		cur, ok := mv.Field(i).Interface().(attr.Value)
		if !ok || cur.IsNull() {
			continue
		}
		// The object the device would hold if this attribute were unset, defaults filled in.
		probe := PM(new(M))
		reflect.ValueOf(probe).Elem().Set(mv)
		reflect.ValueOf(probe).Elem().Field(i).Set(reflect.ValueOf(bf))
		obj := probe.toObject()
		plat.Normalize(obj)
		filled := PM(new(M))
		reflect.ValueOf(filled).Elem().Set(mv)
		filled.fromObject(obj)
		d, ok := reflect.ValueOf(filled).Elem().Field(i).Interface().(attr.Value)
		if !ok || !d.Equal(cur) {
			continue
		}
		// A value the platform derives from a number the device gave the object (an RTX
		// tunnel_interface "tunnel3" of tunnel number 3) is not a default: it names this
		// object. It is kept unless the platform fills in the same value without the numbers.
		bare := PM(new(M))
		reflect.ValueOf(bare).Elem().Set(reflect.ValueOf(probe).Elem())
		be := reflect.ValueOf(bare).Elem()
		for j := 0; j < be.NumField(); j++ {
			tagj := be.Type().Field(j).Tag.Get("tfsdk")
			sa, ok := s.Attributes[tagj]
			if tagj == "" || !ok || !be.Field(j).CanInterface() {
				continue
			}
			if _, isInt := be.Field(j).Interface().(types.Int64); isInt && sa.IsOptional() && sa.IsComputed() {
				be.Field(j).Set(reflect.ValueOf(types.Int64Null()))
			}
		}
		bareObj := bare.toObject()
		plat.Normalize(bareObj)
		bareFilled := PM(new(M))
		reflect.ValueOf(bareFilled).Elem().Set(mv)
		bareFilled.fromObject(bareObj)
		if bd, ok := reflect.ValueOf(bareFilled).Elem().Field(i).Interface().(attr.Value); ok && bd.Equal(cur) {
			mv.Field(i).Set(reflect.ValueOf(bf))
		}
	}
}

func (r *objectResource[M, PM]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	m := PM(new(M))
	resp.Diagnostics.Append(req.State.Get(ctx, m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	dev, diags := r.device(m)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := dev.Get(ctx, r.kind, m.key())
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot read %s %q", r.typeName, m.key()), err.Error())
		return
	}
	if got == nil {
		// An object the platform keeps off the device until another object uses it (an
		// EdgeOS gateway without a tunnel) is not there either: say why, once it matters.
		if why := dev.WhyAbsent(ctx, m.toObject()); why != "" {
			resp.Diagnostics.AddWarning(fmt.Sprintf("%s %q is not on the device", r.typeName, m.key()),
				why+". It is removed from state, and the plan creates it again.")
		}
		resp.State.RemoveResource(ctx)
		return
	}
	imported, ds := req.Private.GetKey(ctx, importedPrivateKey)
	resp.Diagnostics.Append(ds...)
	r.fill(m, got, imported != nil, dev.Platform())
	if imported != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, importedPrivateKey, nil)...)
	}
	if sm, ok := any(m).(secretModel); ok {
		resp.Diagnostics.Append(secretOnRead(ctx, secretFormOf(dev.Platform(), r.kind, sm), sm, got, req.Private)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func (r *objectResource[M, PM]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	m := PM(new(M))
	resp.Diagnostics.Append(req.State.Get(ctx, m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	dev, diags := r.device(m)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := dev.Apply(ctx, vpn.Change{Op: vpn.OpDelete, Kind: r.kind, Key: m.key()}); err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot delete %s %q", r.typeName, m.key()), err.Error())
	}
}

// ImportState takes `<device>/<key>`; `default` names the provider's top-level device. A
// composite key names its qualifiers (vpn.ParseKey), and each sets its attribute.
func (r *objectResource[M, PM]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	dev, key, ok := strings.Cut(req.ID, "/")
	if !ok || dev == "" || key == "" {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Expected <device>/%s (use %q for the provider's top-level device), got %q.", vpn.KeyForm(r.kind), DefaultDevice, req.ID))
		return
	}
	parts, err := vpn.ParseKey(r.kind, key)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Expected <device>/%s: %s.", vpn.KeyForm(r.kind), err))
		return
	}
	spec, _ := vpn.SpecOf(r.kind)
	for i, attr := range spec.KeyAttrs[1:] {
		if v := parts[i+1]; v != "" {
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attr), v)...)
		}
	}
	key = parts[0]
	if dev == DefaultDevice {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("device"), types.StringNull())...)
	} else {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("device"), dev)...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(r.keyAttr), key)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, importedPrivateKey, []byte("true"))...)
}

// withWriteOnlySecret copies the write-only secret from the configuration into obj when the
// sensitive attribute is not used.
func withWriteOnlySecret(ctx context.Context, sm secretModel, config configGetter, obj vpn.Object) diag.Diagnostics {
	plain, _ := sm.secretFields()
	if !plain.IsNull() {
		return nil
	}
	woPath, _ := sm.secretPaths()
	var wo types.String
	diags := config.GetAttribute(ctx, woPath, &wo)
	if !wo.IsNull() && !wo.IsUnknown() {
		sm.setSecret(obj, wo.ValueString())
	}
	return diags
}

// secretCheck is what private state keeps of a write-only secret: enough to notice that the
// device's secret changed, not enough to recover it cheaply. Private state is stored in the
// state file, so the hash is Argon2id with a random salt per resource, which makes guessing a
// weak key offline slow.
type secretCheck struct {
	Salt []byte `json:"salt"`
	Hash []byte `json:"argon2id"`
}

func argon(secret string, salt []byte) []byte {
	return argon2.IDKey([]byte(secret), salt, 2, 19*1024, 1, 32)
}

// newSecretCheck hashes secret with a fresh salt.
func newSecretCheck(secret string) []byte {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic("onpremvpn: no randomness for a salt: " + err.Error())
	}
	b, _ := json.Marshal(secretCheck{Salt: salt, Hash: argon(secret, salt)})
	return b
}

// secretMatches reports whether secret is the one stored checks were made from. Stored values
// it cannot read count as matching, so that no drift is invented.
func secretMatches(stored []byte, secret string) bool {
	var c secretCheck
	if err := json.Unmarshal(stored, &c); err != nil || len(c.Salt) == 0 {
		return true
	}
	return subtle.ConstantTimeCompare(argon(secret, c.Salt), c.Hash) == 1
}

// fieldPath turns a vpn.FieldError field into an attribute path of the resource schema s.
// Fields are names joined by dots, each name followed by any number of element selectors:
// `[2]` (a list index), `["10"]` (a map key, or the string value of a set element). Whether a
// selector is a list index, map key or set value is read from the schema; without one (s has no
// attributes), a number is a list index and a quoted string a map key. A field that does not
// parse, or names what s does not have, gives the longest valid prefix.
func fieldPath(s schema.Schema, field string) path.Path {
	var p path.Path
	rest := field
	for first := true; rest != ""; first = false {
		if !first {
			if rest[0] != '.' {
				return p
			}
			rest = rest[1:]
		}
		n := 0
		for n < len(rest) && (rest[n] == '_' || rest[n] >= 'a' && rest[n] <= 'z' || rest[n] >= '0' && rest[n] <= '9') {
			n++
		}
		if n == 0 {
			return p
		}
		next := p.AtName(rest[:n])
		if first {
			next = path.Root(rest[:n])
		}
		if !validPath(s, next) {
			return p
		}
		p, rest = next, rest[n:]
		for rest != "" && rest[0] == '[' {
			end := strings.IndexByte(rest, ']')
			if strings.HasPrefix(rest, `["`) {
				// A quoted key may contain ']' and '.'; it ends at the closing quote.
				q, err := strconv.QuotedPrefix(rest[1:])
				if err != nil || len(rest) < len(q)+2 || rest[1+len(q)] != ']' {
					return p
				}
				end = 1 + len(q)
			}
			if end < 0 {
				return p
			}
			next, ok := elementPath(s, p, rest[1:end])
			if !ok {
				return p
			}
			p, rest = next, rest[end+1:]
		}
	}
	return p
}

// elementPath selects an element of the collection at p; sel is what stood between the brackets.
func elementPath(s schema.Schema, p path.Path, sel string) (path.Path, bool) {
	key, quoted := sel, false
	if strings.HasPrefix(sel, `"`) {
		k, err := strconv.Unquote(sel)
		if err != nil {
			return p, false
		}
		key, quoted = k, true
	}
	var t attr.Type
	if len(s.Attributes) > 0 {
		var diags diag.Diagnostics
		if t, diags = s.TypeAtPath(context.Background(), p); diags.HasError() {
			return p, false
		}
	}
	switch t.(type) {
	case types.MapType:
		return p.AtMapKey(key), true
	case types.SetType:
		return p.AtSetValue(types.StringValue(key)), true
	case types.ListType, nil:
		if !quoted {
			if i, err := strconv.Atoi(key); err == nil && i >= 0 {
				return p.AtListIndex(i), true
			}
		} else if t == nil {
			return p.AtMapKey(key), true
		}
	}
	return p, false
}

func validPath(s schema.Schema, p path.Path) bool {
	if len(s.Attributes) == 0 {
		return true
	}
	_, diags := s.TypeAtPath(context.Background(), p)
	return !diags.HasError()
}

// shownPath is the path a diagnostic is attached to; its text names the full path. Terraform
// and OpenTofu point at an attribute of the resource block, and at one list element of its
// value, but no deeper: for rules["20"].description they look for a `description` in the
// block itself and show that line, the block's own description. And for a map key they
// read the key in the configuration as a string, which crashes them (Terraform 1.8, OpenTofu
// 1.12: "panic: not a string") when the key is written as a bare number, `20 = {...}`. So a
// diagnostic goes to the top-level attribute, plus the list element or set value it is about.
func shownPath(p path.Path) path.Path {
	for len(p.Steps()) > 2 {
		p = p.ParentPath()
	}
	if steps := p.Steps(); len(steps) == 2 {
		switch steps[1].(type) {
		case path.PathStepElementKeyInt, path.PathStepElementKeyValue:
		default:
			p = p.ParentPath()
		}
	}
	return p
}

// kindDiagnostics is the plan-time error for a resource whose kind the device's platform does
// not manage (see platform.KindSupporter): it names the platform, the device and the kinds the
// platform does manage, instead of a failure after the create.
func kindDiagnostics(plat platform.Platform, device string, kind vpn.Kind, typeName string) diag.Diagnostics {
	var diags diag.Diagnostics
	if err := platform.CheckKind(plat, device, kind); err != nil {
		var others []string
		for _, name := range platform.Names() {
			if p, ok := platform.Get(name); ok && name != plat.Name() && platform.Supports(p, kind) {
				others = append(others, name)
			}
		}
		detail := err.Error() + "."
		if len(others) > 0 {
			detail += fmt.Sprintf(" Platforms that manage onpremvpn_%s: %s.", typeName, strings.Join(others, ", "))
		} else {
			detail += fmt.Sprintf(" No platform of this build manages onpremvpn_%s yet.", typeName)
		}
		diags.AddError(fmt.Sprintf("onpremvpn_%s is not supported on %s", typeName, plat.Name()), detail)
	}
	return diags
}

// sameObject reports whether the device's object and the planned one are equal once the
// platform's defaults are filled in.
func sameObject(plat platform.Platform, have, want vpn.Object) bool {
	a, b := vpn.CloneObject(have), vpn.CloneObject(want)
	plat.Normalize(a)
	plat.Normalize(b)
	return reflect.DeepEqual(a, b)
}

// Value conversions shared by the resource files.

func strOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func intOrNull(n int) types.Int64 {
	if n == 0 {
		return types.Int64Null()
	}
	return types.Int64Value(int64(n))
}

func toInt(v types.Int64) int { return int(v.ValueInt64()) }
