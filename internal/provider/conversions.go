package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Conversions for the optional attributes added for platforms beyond EdgeOS: a null attribute
// is the device default and renders nothing.

// toBoolPtr converts an optional bool: null is nil (the device default).
func toBoolPtr(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	b := v.ValueBool()
	return &b
}

// fromBoolPtr is the reverse of toBoolPtr.
func fromBoolPtr(b *bool) types.Bool {
	if b == nil {
		return types.BoolNull()
	}
	return types.BoolValue(*b)
}

// fromFlag converts a flag the device shows only when on: true is true, and false stays what
// the model had when that was false (the user wrote `= false`), null otherwise, so that an
// explicit false reads back as written and an unset one stays unset.
func fromFlag(cur types.Bool, on bool) types.Bool {
	if on {
		return types.BoolValue(true)
	}
	if !cur.IsNull() && !cur.IsUnknown() && !cur.ValueBool() {
		return cur
	}
	return types.BoolNull()
}

// routingInstanceAttribute is the `routing_instance` attribute of routes and BGP neighbors: a
// qualifier of the object's identity, so changing it replaces the object.
func routingInstanceAttribute(what string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		Description: "Routing instance or virtual router " + what + " (ScreenOS `trust-vr`/`untrust-vr`, a Junos routing-instance); unset means the default instance. " +
			"Part of the object's identity: two objects with the same prefix or address in different instances are distinct, and the id and import id carry it as `,routing_instance=<name>`. " +
			"Changing it replaces the object. Not supported on EdgeOS, which has one instance.",
		Validators:    []validator.String{isName()},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}
