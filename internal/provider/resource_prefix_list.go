package provider

import (
	"context"
	"sort"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Schema.

// prefixRuleAttributes are the attributes of one rule, keyed by its sequence number in
// `rules`.
func prefixRuleAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"action":      schema.StringAttribute{Required: true, Description: "`permit` or `deny`.", Validators: []validator.String{stringvalidator.OneOf(vpn.PrefixAction...)}},
		"prefix":      schema.StringAttribute{Required: true, Description: "Prefix to match.", Validators: []validator.String{isCIDR()}},
		"ge":          schema.Int64Attribute{Optional: true, Description: "Match prefix lengths of at least this.", Validators: []validator.Int64{int64validator.Between(1, 32)}},
		"le":          schema.Int64Attribute{Optional: true, Description: "Match prefix lengths of at most this.", Validators: []validator.Int64{int64validator.Between(1, 32)}},
		"description": schema.StringAttribute{Optional: true, Description: "Free text.", Validators: []validator.String{isText()}},
	}
}

func newPrefixListResource() resource.Resource {
	return &objectResource[prefixListModel, *prefixListModel]{
		kind:     vpn.KindPrefixList,
		typeName: "prefix_list",
		keyAttr:  "name",
		schema: withCommon(schema.Schema{
			Version:     1,
			Description: "A named, ordered prefix list, used to filter the routes a BGP neighbor sends and receives. EdgeOS: `policy prefix-list`.",
			Attributes: map[string]schema.Attribute{
				"name": schema.StringAttribute{
					Required: true, Description: "Name of the prefix list.",
					Validators: []validator.String{isName()}, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				},
				"description": schema.StringAttribute{Optional: true, Description: "Free text.", Validators: []validator.String{isText()}},
				"number": schema.Int64Attribute{
					Optional: true, Computed: true, Description: "The device's number for the list where the platform numbers them (ScreenOS access-list ids), 1-65535. " +
						"Left out, such a platform gives the lowest free number of its range, as for `tunnel_number`. " +
						"Changing it replaces the list. Not supported on EdgeOS, whose prefix lists are named (left out, it stays null).",
					Validators: []validator.Int64{int64validator.Between(1, 65535)}, PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown(), int64planmodifier.RequiresReplace()},
				},
				"rules": schema.MapNestedAttribute{
					Required: true,
					Description: "Rules by sequence number (1-65535), e.g. `rules = { 10 = { action = \"deny\", prefix = \"10.0.0.0/8\" } }`; " +
						"the rule with the lowest number that matches decides. A rule is identified by its number, so a plan shows exactly the rules added, removed or changed.",
					Validators:   []validator.Map{mapvalidator.SizeAtLeast(1), sequenceKeys{}},
					NestedObject: schema.NestedAttributeObject{Attributes: prefixRuleAttributes()},
				},
			},
		}, vpn.KindPrefixList, "default/AZURE-BGP"),
		upgraders: prefixListUpgraders,
	}
}

// sequenceKeys checks that every key of `rules` is a sequence number. The error goes to `rules`
// and names the key in its text (see shownPath).
type sequenceKeys struct{}

func (sequenceKeys) Description(context.Context) string {
	return "keys are sequence numbers from 1 to 65535"
}
func (v sequenceKeys) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (sequenceKeys) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	keys := make([]string, 0, len(req.ConfigValue.Elements()))
	for k := range req.ConfigValue.Elements() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if msg := vpn.CheckSequence(k); msg != "" {
			p := req.Path.AtMapKey(k)
			resp.Diagnostics.AddAttributeError(shownPath(p), "Invalid rule number", fieldName(p)+": "+msg)
		}
	}
}

// Model.

type prefixListModel struct {
	commonFields
	Name        types.String               `tfsdk:"name"`
	Description types.String               `tfsdk:"description"`
	Rules       map[string]prefixRuleModel `tfsdk:"rules"`
	Number      types.Int64                `tfsdk:"number"`
}

type prefixRuleModel struct {
	Action      types.String `tfsdk:"action"`
	Prefix      types.String `tfsdk:"prefix"`
	GE          types.Int64  `tfsdk:"ge"`
	LE          types.Int64  `tfsdk:"le"`
	Description types.String `tfsdk:"description"`
}

// Conversion.

func (m *prefixListModel) key() string { return m.Name.ValueString() }

func (m *prefixListModel) toObject() vpn.Object {
	p := &vpn.PrefixList{Name: m.Name.ValueString(), Description: m.Description.ValueString(), Number: toInt(m.Number)}
	for k, r := range m.Rules {
		seq, _ := strconv.Atoi(k) // keys are validated; a bad one gives 0, which vpn rejects
		p.Rules = append(p.Rules, vpn.PrefixRule{
			Sequence: seq, Action: r.Action.ValueString(), Prefix: r.Prefix.ValueString(),
			GE: toInt(r.GE), LE: toInt(r.LE), Description: r.Description.ValueString(),
		})
	}
	sort.Slice(p.Rules, func(i, j int) bool { return p.Rules[i].Sequence < p.Rules[j].Sequence })
	return p
}

func (m *prefixListModel) fromObject(o vpn.Object) {
	p := o.(*vpn.PrefixList)
	m.Name = types.StringValue(p.Name)
	m.Description = strOrNull(p.Description)
	m.Number = intOrNull(p.Number)
	m.Rules = map[string]prefixRuleModel{}
	for _, r := range p.Rules {
		m.Rules[strconv.Itoa(r.Sequence)] = prefixRuleModel{
			Action: types.StringValue(r.Action), Prefix: types.StringValue(r.Prefix),
			GE: intOrNull(r.GE), LE: intOrNull(r.LE), Description: strOrNull(r.Description),
		}
	}
}

// State upgrade. Version 0 had `rules` as a list of objects with a `sequence` attribute.

type prefixListModelV0 struct {
	commonFields
	Name        types.String        `tfsdk:"name"`
	Description types.String        `tfsdk:"description"`
	Rules       []prefixRuleModelV0 `tfsdk:"rules"`
}

type prefixRuleModelV0 struct {
	Sequence types.Int64 `tfsdk:"sequence"`
	prefixRuleModel
}

func prefixListUpgraders(current schema.Schema) map[int64]resource.StateUpgrader {
	rule := prefixRuleAttributes()
	rule["sequence"] = schema.Int64Attribute{Required: true}
	v0 := schema.Schema{Attributes: map[string]schema.Attribute{}}
	for k, a := range current.Attributes {
		v0.Attributes[k] = a
	}
	delete(v0.Attributes, "number") // added in version 1 without a version change (optional, null in older state)
	v0.Attributes["rules"] = schema.ListNestedAttribute{Required: true, NestedObject: schema.NestedAttributeObject{Attributes: rule}}
	return map[int64]resource.StateUpgrader{
		0: {
			PriorSchema: &v0,
			StateUpgrader: func(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
				var old prefixListModelV0
				resp.Diagnostics.Append(req.State.Get(ctx, &old)...)
				if resp.Diagnostics.HasError() {
					return
				}
				m := prefixListModel{commonFields: old.commonFields, Name: old.Name, Description: old.Description, Rules: map[string]prefixRuleModel{}}
				for _, r := range old.Rules {
					m.Rules[strconv.FormatInt(r.Sequence.ValueInt64(), 10)] = r.prefixRuleModel
				}
				resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
			},
		},
	}
}
