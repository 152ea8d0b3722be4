package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Schema.

func newStaticRouteResource() resource.Resource {
	return &objectResource[staticRouteModel, *staticRouteModel]{
		kind:     vpn.KindStaticRoute,
		typeName: "static_route",
		keyAttr:  "destination",
		schema: withCommon(schema.Schema{
			Description: "A destination route into a tunnel interface or to a next hop, e.g. the /32 route to the Azure gateway's BGP peering address over the VTI. " +
				"EdgeOS: `protocols static interface-route` or `protocols static route`.",
			Attributes: map[string]schema.Attribute{
				"destination": schema.StringAttribute{
					Required: true, Description: "Destination prefix; the route's identity on the device, with `routing_instance`.",
					Validators: []validator.String{isCIDR()}, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				},
				"tunnel_interface": schema.StringAttribute{
					Optional: true, Description: "Interface to route into (e.g. `vti0`). At least one of `tunnel_interface` and `next_hop`; both (a gateway reached through that interface) only where the platform takes it: ScreenOS `route D interface IF gateway G`.",
					Validators: []validator.String{isInterface(), stringvalidator.AtLeastOneOf(path.MatchRoot("tunnel_interface"), path.MatchRoot("next_hop"))},
				},
				"next_hop":         schema.StringAttribute{Optional: true, Description: "Next-hop address.", Validators: []validator.String{isIPv4()}},
				"distance":         schema.Int64Attribute{Optional: true, Description: "Administrative distance, 1-255; unset leaves the device default.", Validators: []validator.Int64{int64validator.Between(1, 255)}},
				"routing_instance": routingInstanceAttribute("the route belongs to"),
			},
		}, vpn.KindStaticRoute, "default/172.16.0.254/32"),
	}
}

// Model.

type staticRouteModel struct {
	commonFields
	Destination types.String `tfsdk:"destination"`
	Interface   types.String `tfsdk:"tunnel_interface"`
	NextHop     types.String `tfsdk:"next_hop"`
	Distance    types.Int64  `tfsdk:"distance"`
	Instance    types.String `tfsdk:"routing_instance"`
}

// Conversion.

func (m *staticRouteModel) key() string {
	return vpn.KeyOf(vpn.KindStaticRoute, m.Destination.ValueString(), m.Instance.ValueString())
}

func (m *staticRouteModel) toObject() vpn.Object {
	return &vpn.StaticRoute{
		Destination: m.Destination.ValueString(),
		Interface:   m.Interface.ValueString(),
		NextHop:     m.NextHop.ValueString(),
		Distance:    toInt(m.Distance),

		RoutingInstance: m.Instance.ValueString(),
	}
}

func (m *staticRouteModel) fromObject(o vpn.Object) {
	r := o.(*vpn.StaticRoute)
	m.Destination = types.StringValue(r.Destination)
	m.Interface = strOrNull(r.Interface)
	m.NextHop = strOrNull(r.NextHop)
	m.Distance = intOrNull(r.Distance)
	m.Instance = strOrNull(r.RoutingInstance)
}
