package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Schema.

func newPrefixListResource() resource.Resource {
	return &objectResource[prefixListModel, *prefixListModel]{
		kind:     vpn.KindPrefixList,
		typeName: "prefix_list",
		keyAttr:  "name",
		schema: withCommon(schema.Schema{
			Description: "A named, ordered prefix list, used to filter the routes a BGP neighbor sends and receives. EdgeOS: `policy prefix-list`.",
			Attributes: map[string]schema.Attribute{
				"name": schema.StringAttribute{
					Required: true, Description: "Name of the prefix list.",
					Validators: []validator.String{isName()}, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				},
				"description": schema.StringAttribute{Optional: true, Description: "Free text.", Validators: []validator.String{isText()}},
				"rules": schema.ListNestedAttribute{
					Required: true, Description: "Rules in increasing sequence order; the first match wins.",
					Validators: []validator.List{listvalidator.SizeAtLeast(1)},
					NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
						"sequence":    schema.Int64Attribute{Required: true, Description: "Sequence number, 1-65535.", Validators: []validator.Int64{int64validator.Between(1, 65535)}},
						"action":      schema.StringAttribute{Required: true, Description: "`permit` or `deny`.", Validators: []validator.String{stringvalidator.OneOf(vpn.PrefixAction...)}},
						"prefix":      schema.StringAttribute{Required: true, Description: "Prefix to match.", Validators: []validator.String{isCIDR()}},
						"ge":          schema.Int64Attribute{Optional: true, Description: "Match prefix lengths of at least this.", Validators: []validator.Int64{int64validator.Between(1, 32)}},
						"le":          schema.Int64Attribute{Optional: true, Description: "Match prefix lengths of at most this.", Validators: []validator.Int64{int64validator.Between(1, 32)}},
						"description": schema.StringAttribute{Optional: true, Description: "Free text.", Validators: []validator.String{isText()}},
					}},
				},
			},
		}, "name", "default/AZURE-BGP"),
	}
}

// Model.

type prefixListModel struct {
	commonFields
	Name        types.String      `tfsdk:"name"`
	Description types.String      `tfsdk:"description"`
	Rules       []prefixRuleModel `tfsdk:"rules"`
}

type prefixRuleModel struct {
	Sequence    types.Int64  `tfsdk:"sequence"`
	Action      types.String `tfsdk:"action"`
	Prefix      types.String `tfsdk:"prefix"`
	GE          types.Int64  `tfsdk:"ge"`
	LE          types.Int64  `tfsdk:"le"`
	Description types.String `tfsdk:"description"`
}

// Conversion.

func (m *prefixListModel) key() string { return m.Name.ValueString() }

func (m *prefixListModel) toObject() vpn.Object {
	p := &vpn.PrefixList{Name: m.Name.ValueString(), Description: m.Description.ValueString()}
	for _, r := range m.Rules {
		p.Rules = append(p.Rules, vpn.PrefixRule{
			Sequence: toInt(r.Sequence), Action: r.Action.ValueString(), Prefix: r.Prefix.ValueString(),
			GE: toInt(r.GE), LE: toInt(r.LE), Description: r.Description.ValueString(),
		})
	}
	return p
}

func (m *prefixListModel) fromObject(o vpn.Object) {
	p := o.(*vpn.PrefixList)
	m.Name = types.StringValue(p.Name)
	m.Description = strOrNull(p.Description)
	m.Rules = nil
	for _, r := range p.Rules {
		m.Rules = append(m.Rules, prefixRuleModel{
			Sequence: types.Int64Value(int64(r.Sequence)), Action: types.StringValue(r.Action), Prefix: types.StringValue(r.Prefix),
			GE: intOrNull(r.GE), LE: intOrNull(r.LE), Description: strOrNull(r.Description),
		})
	}
}
