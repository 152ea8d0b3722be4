package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
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

func newSourceRouteResource() resource.Resource {
	return &objectResource[sourceRouteModel, *sourceRouteModel]{
		kind:     vpn.KindSourceRoute,
		typeName: "source_route",
		keyAttr:  "source",
		schema: withCommon(schema.Schema{
			Description: "Source-based routing of a local prefix into a tunnel or to a next hop. " +
				"EdgeOS: a `firewall modify` rule that sends the source prefix to a routing table, the table's route, and the ruleset bound to the ingress interface.",
			Attributes: map[string]schema.Attribute{
				"source": schema.StringAttribute{
					Required: true, Description: "Local source prefix; the route's identity on the device, with `routing_instance`.",
					Validators: []validator.String{isCIDR()}, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				},
				"destination": schema.StringAttribute{Optional: true, Description: "Only traffic to this prefix; unset matches any destination.", Validators: []validator.String{isCIDR()}},
				"tunnel_interface": schema.StringAttribute{
					Optional: true, Description: "Interface to route into. Exactly one of `tunnel_interface` and `next_hop`.",
					Validators: []validator.String{isInterface(), stringvalidator.ExactlyOneOf(path.MatchRoot("tunnel_interface"), path.MatchRoot("next_hop"))},
				},
				"next_hop": schema.StringAttribute{Optional: true, Description: "Next-hop address.", Validators: []validator.String{isIPv4()}},
				"preference": schema.Int64Attribute{
					Optional: true, Description: "ScreenOS route preference (must be below the default 20 to win over destination routes). Not used on EdgeOS.",
					Validators: []validator.Int64{int64validator.Between(1, 255)},
				},
				"table": schema.Int64Attribute{
					Optional: true, Description: "EdgeOS: the policy routing table (1-200) the source prefix is sent to. Required on EdgeOS.",
					Validators: []validator.Int64{int64validator.Between(1, 200)},
				},
				"rule": schema.Int64Attribute{
					Optional: true, Computed: true,
					Description: "The device's number for the route. EdgeOS: firewall modify rule; RTX: the ip filter number. " +
						"On EdgeOS it is unique within its `ruleset` and, left out, the table number; on RTX, left out, the lowest free number of the range the platform declares, taken at create (known after apply). " +
						"Junos names the filter's terms itself: it refuses `rule` at plan and, left out, it stays null.",
					Validators:    []validator.Int64{int64validator.Between(1, 9999)},
					PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
				},
				"ruleset": schema.StringAttribute{
					Optional: true, Computed: true, Description: "EdgeOS: the `firewall modify` ruleset name; defaults to `SOURCE_ROUTE`.",
					Validators:    []validator.String{isName()},
					PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				},
				"ingress_interface": schema.StringAttribute{
					Optional: true, Description: "EdgeOS: the LAN interface the traffic arrives on (e.g. `eth1`, `switch0`, `eth1.10`); the ruleset is bound to it. Required on EdgeOS.",
					Validators: []validator.String{isInterface()},
				},
				"description":      schema.StringAttribute{Optional: true, Description: "Free text.", Validators: []validator.String{isText()}},
				"routing_instance": routingInstanceAttribute("the source route belongs to"),
			},
		}, vpn.KindSourceRoute, "default/192.168.50.0/24"),
	}
}

// Model.

type sourceRouteModel struct {
	commonFields
	Source           types.String `tfsdk:"source"`
	Destination      types.String `tfsdk:"destination"`
	Interface        types.String `tfsdk:"tunnel_interface"`
	NextHop          types.String `tfsdk:"next_hop"`
	Preference       types.Int64  `tfsdk:"preference"`
	Table            types.Int64  `tfsdk:"table"`
	Rule             types.Int64  `tfsdk:"rule"`
	Ruleset          types.String `tfsdk:"ruleset"`
	IngressInterface types.String `tfsdk:"ingress_interface"`
	Description      types.String `tfsdk:"description"`
	Instance         types.String `tfsdk:"routing_instance"`
}

// Conversion.

func (m *sourceRouteModel) key() string {
	return vpn.KeyOf(vpn.KindSourceRoute, m.Source.ValueString(), m.Instance.ValueString())
}

func (m *sourceRouteModel) toObject() vpn.Object {
	return &vpn.SourceRoute{
		Source:           m.Source.ValueString(),
		Destination:      m.Destination.ValueString(),
		Interface:        m.Interface.ValueString(),
		NextHop:          m.NextHop.ValueString(),
		Preference:       toInt(m.Preference),
		Table:            toInt(m.Table),
		Rule:             toInt(m.Rule),
		Ruleset:          m.Ruleset.ValueString(),
		IngressInterface: m.IngressInterface.ValueString(),
		Description:      m.Description.ValueString(),
		RoutingInstance:  m.Instance.ValueString(),
	}
}

func (m *sourceRouteModel) fromObject(o vpn.Object) {
	r := o.(*vpn.SourceRoute)
	m.Source = types.StringValue(r.Source)
	m.Destination = strOrNull(r.Destination)
	m.Interface = strOrNull(r.Interface)
	m.NextHop = strOrNull(r.NextHop)
	m.Preference = intOrNull(r.Preference)
	m.Table = intOrNull(r.Table)
	m.Rule = intOrNull(r.Rule)
	m.Ruleset = strOrNull(r.Ruleset)
	m.IngressInterface = strOrNull(r.IngressInterface)
	m.Description = strOrNull(r.Description)
	m.Instance = strOrNull(r.RoutingInstance)
}

// normalizePlan shows the platform's defaults for rule and ruleset in the plan. A rule the
// platform leaves at 0 while the plan does not know it stays unknown: planNumber allocates it
// where the platform numbers source routes (and makes it null elsewhere).
func (m *sourceRouteModel) normalizePlan(o vpn.Object) {
	r := o.(*vpn.SourceRoute)
	if r.Rule != 0 || !m.Rule.IsUnknown() {
		m.Rule = intOrNull(r.Rule)
	}
	m.Ruleset = strOrNull(r.Ruleset)
}
