package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// The words that stand for every address and every service. Each is written in one case only,
// so that what the device prints reads back as the configuration wrote it.
const (
	anyAddress = "any"
	anyService = "ANY"
)

// positionRE is the form of `position`, the same as vpn.SecurityPolicy.Validate checks.
var positionRE = regexp.MustCompile(`^(?:top|bottom|(?:before|after):[1-9][0-9]{0,5})$`)

// Schema.

func newSecurityPolicyResource() resource.Resource {
	return &objectResource[securityPolicyModel, *securityPolicyModel]{
		kind:     vpn.KindSecurityPolicy,
		typeName: "security_policy",
		keyAttr:  "name",
		schema: withCommon(schema.Schema{
			Description: "A firewall policy from one security zone to another: traffic from `source_addresses` to `destination_addresses` using `services` is permitted, denied, " +
				"rejected, or sent into a policy-based VPN tunnel (`action = \"tunnel\"`). Policies of one zone pair are evaluated top down; `position` says where this one stands. " +
				"Supported on ScreenOS (`set policy`); Junos SRX (`security policies`) is planned. Other platforms refuse it at plan.",
			Attributes: map[string]schema.Attribute{
				"name": schema.StringAttribute{
					Required: true, Description: "Name of the policy on the device; its identity. Changing it replaces the policy.",
					Validators: []validator.String{isName()}, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				},
				"from_zone": schema.StringAttribute{
					Required: true, Description: "Zone the traffic comes from, e.g. `Trust`. Changing it replaces the policy (a policy's zone pair cannot be edited in place).",
					Validators: []validator.String{isName()}, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				},
				"to_zone": schema.StringAttribute{
					Required: true, Description: "Zone the traffic goes to, e.g. `Untrust`. Changing it replaces the policy.",
					Validators: []validator.String{isName()}, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				},
				"source_addresses":      addressListAttribute("Source prefixes"),
				"destination_addresses": addressListAttribute("Destination prefixes"),
				"services": schema.ListAttribute{
					Optional: true, Computed: true, ElementType: types.StringType,
					Default: listdefault.StaticValue(types.ListValueMust(types.StringType, []attr.Value{types.StringValue(anyService)})),
					Description: "Services the policy matches, by the device's predefined service names (`HTTP`, `HTTPS`, `ICMP-ANY`, ...); default `[\"ANY\"]`, every service. " +
						"`ANY` is written in upper case and stands alone. At least one entry; the order does not matter (state keeps the configuration's order while the device has the same services).",
					Validators: []validator.List{
						listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(),
						listvalidator.ValueStringsAre(isService()), standsAlone(anyService),
					},
				},
				"action": schema.StringAttribute{
					Required: true, Description: "What happens to matching traffic: " + joinQ(vpn.PolicyActions) + ". `tunnel` sends it into the policy-based VPN named by `tunnel`.",
					Validators: []validator.String{stringvalidator.OneOf(vpn.PolicyActions...)},
				},
				"tunnel": schema.StringAttribute{
					Optional: true,
					Description: "Name of the `onpremvpn_vpn_tunnel` that matching traffic goes into; required with `action = \"tunnel\"` and refused with any other action. " +
						"Refer to the resource (`onpremvpn_vpn_tunnel.<name>.name`) so that Terraform creates the tunnel first: a tunnel that is neither on the device nor planned before the policy in the same run is an error at plan.",
					Validators: []validator.String{isName(), tunnelForAction{}},
				},
				"log": schema.BoolAttribute{
					Optional: true, Computed: true, Default: booldefault.StaticBool(false),
					Description: "Log the traffic the policy matches; default false.",
				},
				"position": schema.StringAttribute{
					Optional: true,
					Description: "Where the policy stands among the policies of its zone pair: `top` (first), `bottom` (last), `before:<policy id>` (directly above that policy) or `after:<policy id>` (directly below it). " +
						"The policy is placed there when created and kept there: when the device shows it elsewhere, the plan shows the difference (state then holds where the device has it, e.g. `after:3,before:7`) and the update moves it back. " +
						"Unset, a new policy goes to the bottom and its place is not checked afterwards. Give each position to one policy only: two policies that both claim `top` (or `after:5`) keep moving each other.",
					Validators: []validator.String{stringvalidator.RegexMatches(positionRE, `must be "top", "bottom", "before:<policy id>" or "after:<policy id>"`)},
				},
				"policy_id": schema.Int64Attribute{
					Optional: true, Computed: true,
					Description: "The device's id of the policy (ScreenOS `set policy id N`), 1-65535. Left out, a platform that numbers policies gives the lowest id of its range that neither the device " +
						"nor another object created in the run uses, when the policy is created (known after apply). Changing it replaces the policy.",
					Validators:    []validator.Int64{int64validator.Between(1, 65535)},
					PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown(), replaceIfNumberChanges()},
				},
				"description": schema.StringAttribute{Optional: true, Description: "Free text, where the platform stores one for a policy.", Validators: []validator.String{isText()}},
			},
		}, vpn.KindSecurityPolicy, "default/LAN-TO-AZURE"),
	}
}

// addressListAttribute is source_addresses or destination_addresses.
func addressListAttribute(what string) schema.ListAttribute {
	return schema.ListAttribute{
		Optional: true, Computed: true, ElementType: types.StringType,
		Default: listdefault.StaticValue(types.ListValueMust(types.StringType, []attr.Value{types.StringValue(anyAddress)})),
		Description: what + " the policy matches, as IPv4 prefixes (`10.1.0.0/16`, `192.168.1.10/32`) or `any`; default `[\"any\"]`. " +
			"The platform creates the address-book entries the prefixes need and removes them when no policy uses them. `any` is written in lower case and stands alone. " +
			"At least one entry; the order does not matter (state keeps the configuration's order while the device has the same entries).",
		Validators: []validator.List{
			listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(),
			listvalidator.ValueStringsAre(isPolicyAddress()), standsAlone(anyAddress),
		},
	}
}

// Model.

type securityPolicyModel struct {
	commonFields
	Name         types.String `tfsdk:"name"`
	FromZone     types.String `tfsdk:"from_zone"`
	ToZone       types.String `tfsdk:"to_zone"`
	Sources      types.List   `tfsdk:"source_addresses"`
	Destinations types.List   `tfsdk:"destination_addresses"`
	Services     types.List   `tfsdk:"services"`
	Action       types.String `tfsdk:"action"`
	Tunnel       types.String `tfsdk:"tunnel"`
	Log          types.Bool   `tfsdk:"log"`
	Position     types.String `tfsdk:"position"`
	PolicyID     types.Int64  `tfsdk:"policy_id"`
	Description  types.String `tfsdk:"description"`
}

// references: the tunnel of action "tunnel" must be on the device or planned in the same run.
func (m *securityPolicyModel) references() []reference {
	return []reference{
		{attr: "tunnel", kind: vpn.KindTunnel, keyAttr: "name", key: m.Tunnel.ValueString(), resource: "security_policy"},
	}
}

// Conversion.

func (m *securityPolicyModel) key() string { return m.Name.ValueString() }

func (m *securityPolicyModel) toObject() vpn.Object {
	return &vpn.SecurityPolicy{
		Name:         m.Name.ValueString(),
		FromZone:     m.FromZone.ValueString(),
		ToZone:       m.ToZone.ValueString(),
		Sources:      fromStringList(m.Sources),
		Destinations: fromStringList(m.Destinations),
		Services:     fromStringList(m.Services),
		Action:       m.Action.ValueString(),
		Tunnel:       m.Tunnel.ValueString(),
		Log:          m.Log.ValueBool(),
		Position:     m.Position.ValueString(),
		Number:       toInt(m.PolicyID),
		Description:  m.Description.ValueString(),
	}
}

// fromObject sets the model from the policy as the device has it. An empty address or service
// list means any (vpn.SecurityPolicy), which state writes as the default, ["any"] or ["ANY"];
// the device's spelling of those words reads back in the configuration's case.
func (m *securityPolicyModel) fromObject(o vpn.Object) {
	p := o.(*vpn.SecurityPolicy)
	m.Name = types.StringValue(p.Name)
	m.FromZone = types.StringValue(p.FromZone)
	m.ToZone = types.StringValue(p.ToZone)
	m.Sources = toStringList(withAny(p.Sources, anyAddress))
	m.Destinations = toStringList(withAny(p.Destinations, anyAddress))
	m.Services = toStringList(withAny(p.Services, anyService))
	m.Action = types.StringValue(p.Action)
	m.Tunnel = strOrNull(p.Tunnel)
	m.Log = types.BoolValue(p.Log)
	m.Position = strOrNull(p.Position)
	m.PolicyID = intOrNull(p.Number)
	m.Description = strOrNull(p.Description)
}

// reconcile keeps what the configuration says where the device agrees with it in a way the
// device's own form does not show: the order of the address and service lists (a policy's
// lists are sets to the device, which prints them in its own order), and the position while
// the policy stands there. Before is the plan after a write, the prior state on a read; after
// an import there is nothing to keep, and state holds the device's lists and no position.
func (m *securityPolicyModel) reconcile(before objectModel, imported bool) {
	if imported {
		m.Position = types.StringNull()
		return
	}
	b := before.(*securityPolicyModel)
	m.Sources = keepOrder(m.Sources, b.Sources)
	m.Destinations = keepOrder(m.Destinations, b.Destinations)
	m.Services = keepOrder(m.Services, b.Services)
	m.Position = reconcilePosition(b.Position, m.Position.ValueString())
}

// alignToPlan gives have, the device's policy, the plan's form of what it shows otherwise but
// means the same (what reconcile keeps): any as an empty list or in another spelling, the
// lists in another order, a placement that does not contradict the planned position.
func (m *securityPolicyModel) alignToPlan(have, want vpn.Object) {
	h, w := have.(*vpn.SecurityPolicy), want.(*vpn.SecurityPolicy)
	align := func(got *[]string, planned []string, word string) {
		if sameMembers(withAny(*got, word), withAny(planned, word)) {
			*got = append([]string(nil), planned...)
		}
	}
	align(&h.Sources, w.Sources, anyAddress)
	align(&h.Destinations, w.Destinations, anyAddress)
	align(&h.Services, w.Services, anyService)
	if w.Position == "" {
		h.Position = ""
	} else if holds, known := vpn.PositionHolds(w.Position, h.Position); holds || !known {
		h.Position = w.Position
	}
}

// importView: an imported policy's place is not checked (its position is null).
func (m *securityPolicyModel) importView(o vpn.Object) { o.(*vpn.SecurityPolicy).Position = "" }

// reconcilePosition is the position state holds, given want, the position the configuration
// (plan or prior state) gave, and placed, where the device has the policy in the dialect's
// form (vpn.PositionHolds: "after:3,before:7", or one side, or ""). want is kept when placed
// confirms it or says nothing about its side; when placed contradicts it, state shows placed,
// a difference the next plan repairs. A policy whose position is not set keeps none: its place
// is not checked.
func reconcilePosition(want types.String, placed string) types.String {
	if want.IsNull() || want.IsUnknown() {
		return types.StringNull()
	}
	if holds, known := vpn.PositionHolds(want.ValueString(), placed); holds || !known {
		return want
	}
	return types.StringValue(placed)
}

// withAny is list, or the word for any when the list is empty; the word in any case is
// written in the given one.
func withAny(list []string, word string) []string {
	if len(list) == 0 {
		return []string{word}
	}
	out := make([]string, len(list))
	for i, s := range list {
		if strings.EqualFold(s, word) {
			s = word
		}
		out[i] = s
	}
	return out
}

// keepOrder returns before when it holds the same strings as got in another order, else got.
func keepOrder(got, before types.List) types.List {
	if before.IsNull() || before.IsUnknown() || got.IsNull() || !sameMembers(fromStringList(got), fromStringList(before)) {
		return got
	}
	return before
}

// sameMembers reports whether a and b hold the same strings, as many times each, in any order.
func sameMembers(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[string]int{}
	for _, s := range a {
		count[s]++
	}
	for _, s := range b {
		if count[s] == 0 {
			return false
		}
		count[s]--
	}
	return true
}

// fromStringList converts a known list of strings; null or unknown gives nil.
func fromStringList(l types.List) []string {
	if l.IsNull() || l.IsUnknown() {
		return nil
	}
	var out []string
	for _, e := range l.Elements() {
		if s, ok := e.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
			out = append(out, s.ValueString())
		}
	}
	return out
}

// toStringList is the reverse of fromStringList; nil gives an empty list.
func toStringList(list []string) types.List {
	vals := make([]attr.Value, len(list))
	for i, s := range list {
		vals[i] = types.StringValue(s)
	}
	return types.ListValueMust(types.StringType, vals)
}

// Validators.

// isPolicyAddress accepts an IPv4 prefix or "any".
func isPolicyAddress() validator.String {
	return checkValidator{`an IPv4 prefix or "any"`, func(s string) string {
		switch {
		case s == anyAddress:
			return ""
		case strings.EqualFold(s, anyAddress):
			return fmt.Sprintf("write %q in lower case, not %q", anyAddress, s)
		}
		return vpn.CheckCIDR(s)
	}}
}

// isService accepts a service name; the word for every service only as "ANY".
func isService() validator.String {
	return checkValidator{`a service name such as "HTTP" or "ANY"`, func(s string) string {
		if s != anyService && strings.EqualFold(s, anyService) {
			return fmt.Sprintf("write %q in upper case, not %q", anyService, s)
		}
		return vpn.CheckName(s)
	}}
}

// standsAlone refuses a list that holds word and something else: "any" already matches
// everything, and a device would print the list otherwise than it was written.
type standsAlone string

func (v standsAlone) Description(context.Context) string {
	return fmt.Sprintf("%q stands alone", string(v))
}
func (v standsAlone) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v standsAlone) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	elems := req.ConfigValue.Elements()
	if len(elems) < 2 {
		return
	}
	for _, e := range elems {
		if s, ok := e.(types.String); ok && s.ValueString() == string(v) {
			resp.Diagnostics.AddAttributeError(req.Path, "Invalid value",
				fmt.Sprintf("%s: %q matches everything and cannot be combined with other entries; write [%q] alone or list the entries without it", fieldName(req.Path), string(v), string(v)))
			return
		}
	}
}

// tunnelForAction requires `tunnel` with action "tunnel" and refuses it with any other action.
type tunnelForAction struct{}

func (tunnelForAction) Description(context.Context) string {
	return `required when action is "tunnel", refused otherwise`
}
func (v tunnelForAction) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (tunnelForAction) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsUnknown() {
		return
	}
	var action types.String
	if d := req.Config.GetAttribute(ctx, path.Root("action"), &action); d.HasError() || action.IsNull() || action.IsUnknown() {
		return
	}
	switch a := action.ValueString(); {
	case a == "tunnel" && req.ConfigValue.IsNull():
		resp.Diagnostics.AddAttributeError(req.Path, "Missing tunnel", `tunnel: is required when action is "tunnel": name the onpremvpn_vpn_tunnel the traffic goes into`)
	case a != "tunnel" && !req.ConfigValue.IsNull():
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid value", fmt.Sprintf(`tunnel: is only valid with action "tunnel", not %q`, a))
	}
}

// replaceIfNumberChanges replaces the object when its device number changes from one number to
// another; a number that was null (a platform that does not number the kind, or state written
// before the attribute existed) and is unknown until the platform is known does not.
func replaceIfNumberChanges() planmodifier.Int64 {
	return int64planmodifier.RequiresReplaceIf(func(_ context.Context, req planmodifier.Int64Request, resp *int64planmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !req.StateValue.IsNull() && !req.PlanValue.IsUnknown()
	}, "Changing the number replaces the object.", "Changing the number replaces the object.")
}
