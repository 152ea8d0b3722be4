package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Schema.

func newVPNTunnelResource() resource.Resource {
	return &objectResource[vpnTunnelModel, *vpnTunnelModel]{
		kind:     vpn.KindTunnel,
		typeName: "vpn_tunnel",
		keyAttr:  "name",
		schema: withCommon(schema.Schema{
			Description: "Phase 2 of a site-to-site VPN: the IPsec SA bound to an IKE gateway, its proposals, and either a tunnel interface " +
				"(route-based) or traffic selectors (policy-based). EdgeOS: an `esp-group` named after the tunnel plus `peer ... vti` or `peer ... tunnel N`.",
			Attributes: map[string]schema.Attribute{
				"name": schema.StringAttribute{
					Required: true, Description: "Name of the tunnel on the device (EdgeOS: the esp-group name).",
					Validators: []validator.String{isName()}, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				},
				"ike_gateway": schema.StringAttribute{
					Required: true, Validators: []validator.String{isName()},
					Description: "Name of the `onpremvpn_ike_gateway` this tunnel uses. Refer to the resource (`onpremvpn_ike_gateway.<name>.name`) so that Terraform creates it first: " +
						"a gateway that is neither on the device nor planned before the tunnel in the same run is an error at plan.",
				},
				"proposals": schema.ListNestedAttribute{
					Required: true, Description: "IPsec (ESP) proposals in order of preference.",
					Validators: []validator.List{listvalidator.SizeBetween(1, 10)},
					NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
						"encryption": schema.StringAttribute{Required: true, Description: "One of " + joinQ(vpn.Encryptions) + ".", Validators: []validator.String{stringvalidator.OneOf(vpn.Encryptions...)}},
						"integrity":  schema.StringAttribute{Required: true, Description: "One of " + joinQ(vpn.Integrities) + ".", Validators: []validator.String{stringvalidator.OneOf(vpn.Integrities...)}},
					}},
				},
				"pfs_group": schema.Int64Attribute{
					Optional: true, Computed: true, Default: int64default.StaticInt64(0),
					Description: "Perfect forward secrecy DH group; 0 (the default) disables PFS, as Azure's default policy expects.",
				},
				"lifetime": schema.Int64Attribute{
					Optional: true, Computed: true, Default: int64default.StaticInt64(3600),
					Description: "IPsec SA lifetime in seconds; default 3600. Azure uses 27000 for its own proposals.",
					Validators:  []validator.Int64{int64validator.Between(30, 86400)},
				},
				"tunnel_interface": schema.StringAttribute{
					Optional:    true,
					Description: "Tunnel interface the SA is bound to, making the tunnel route-based (EdgeOS `vti0`, ScreenOS `tunnel.1`, RTX `tunnel1`, Junos `st0.0`). Without it the tunnel is policy-based and needs `traffic_selectors`.",
					Validators:  []validator.String{isInterface()},
				},
				"tunnel_interface_address": schema.StringAttribute{Optional: true, Description: "Address with prefix length on the tunnel interface, e.g. `169.254.21.2/30` for BGP over APIPA.", Validators: []validator.String{isHostCIDR()}},
				"mtu":                      schema.Int64Attribute{Optional: true, Description: "MTU of the tunnel interface.", Validators: []validator.Int64{int64validator.Between(68, 9000)}},
				"traffic_selectors": schema.ListNestedAttribute{
					Optional:    true,
					Description: "Proxy-ids of a policy-based tunnel: pairs of local and remote prefixes.",
					Validators:  []validator.List{listvalidator.SizeAtLeast(1)},
					NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
						"local":  schema.StringAttribute{Required: true, Description: "Local prefix.", Validators: []validator.String{isCIDR()}},
						"remote": schema.StringAttribute{Required: true, Description: "Remote prefix.", Validators: []validator.String{isCIDR()}},
						"protocol": schema.StringAttribute{
							Optional: true, Description: "IP protocol the selector is limited to: " + joinQ(vpn.Protocols) + " or a protocol number 0-255; unset means any. EdgeOS: `tunnel N protocol`.",
						},
						"local_port":  schema.Int64Attribute{Optional: true, Description: "Local port, 1-65535, with `protocol` tcp or udp; unset means any. EdgeOS: `tunnel N local port`.", Validators: []validator.Int64{int64validator.Between(1, 65535)}},
						"remote_port": schema.Int64Attribute{Optional: true, Description: "Remote port, 1-65535, with `protocol` tcp or udp; unset means any. EdgeOS: `tunnel N remote port`.", Validators: []validator.Int64{int64validator.Between(1, 65535)}},
					}},
				},
				"tcp_mss": schema.Int64Attribute{
					Optional: true, Computed: true,
					Description: "Clamp the TCP MSS of traffic through the tunnel (Azure recommends 1350). On EdgeOS this is the device-wide `firewall options mss-clamp` for VTIs, shared by every route-based tunnel: " +
						"a tunnel that leaves it unset reads back the clamp another tunnel set, and the clamp goes when no tunnel sets it.",
					Validators: []validator.Int64{int64validator.Between(500, 1460)},
				},
				"description": schema.StringAttribute{Optional: true, Description: "Free text, on the tunnel interface where the platform has one.", Validators: []validator.String{isText()}},
				"tunnel_number": schema.Int64Attribute{
					Optional: true, Computed: true, Description: "The device's number for the tunnel where the platform numbers tunnels (RTX `tunnel select N`), 1-65535. " +
						"Left out, such a platform gives the lowest number of its range that neither the device nor another object created in the run uses, when the object is created (the plan shows it as known after apply). " +
						"Changing it replaces the tunnel. Not supported on EdgeOS, which numbers a peer's tunnels itself (left out, it stays null).",
					Validators: []validator.Int64{int64validator.Between(1, 65535)}, PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown(), int64planmodifier.RequiresReplace()},
				},
				"tunnel_zone": schema.StringAttribute{
					Optional: true, Description: "Security zone of the tunnel interface (ScreenOS `tunnel.N` zone, SRX `st0.N` in a security zone). Needs `tunnel_interface`. Not supported on EdgeOS.",
					Validators: []validator.String{isName(), stringvalidator.AlsoRequires(path.MatchRoot("tunnel_interface"))},
				},
				"unnumbered_interface": schema.StringAttribute{
					Optional: true, Description: "Interface whose address the tunnel interface borrows (ScreenOS `ip unnumbered interface`, an SRX `st0` unit without address). Needs `tunnel_interface`; conflicts with `tunnel_interface_address`. Not supported on EdgeOS.",
					Validators: []validator.String{isInterface(), stringvalidator.AlsoRequires(path.MatchRoot("tunnel_interface")), stringvalidator.ConflictsWith(path.MatchRoot("tunnel_interface_address"))},
				},
				"anti_replay": schema.BoolAttribute{
					Optional: true, Description: "Anti-replay checking of the SA; unset leaves the device default. Not supported on EdgeOS (not configurable there).",
				},
				"df_bit": schema.StringAttribute{
					Optional: true, Description: "Don't-fragment bit of the outer header: " + joinQ(vpn.DFBits) + " (copy it from the inner packet); unset leaves the device default. Not supported on EdgeOS.",
					Validators: []validator.String{stringvalidator.OneOf(vpn.DFBits...)},
				},
				"establish_immediately": schema.BoolAttribute{
					Optional: true, Description: "Bring the SA up at once rather than on the first matching traffic (Junos `establish-tunnels immediately`, RTX `ipsec auto refresh`). Not supported on EdgeOS: use `connection_type = \"initiate\"` on the gateway.",
				},
				"monitor": schema.SingleNestedAttribute{
					Optional: true, Description: "Check the tunnel with probes through it (ScreenOS and Junos `vpn-monitor`, RTX keepalive). Not supported on EdgeOS.",
					Attributes: map[string]schema.Attribute{
						"destination": schema.StringAttribute{Optional: true, Description: "Address to probe; unset probes the peer.", Validators: []validator.String{isIPv4()}},
						"interval":    schema.Int64Attribute{Optional: true, Description: "Seconds between probes, 1-3600; unset leaves the device default.", Validators: []validator.Int64{int64validator.Between(1, 3600)}},
						"threshold":   schema.Int64Attribute{Optional: true, Description: "Lost probes before the tunnel is declared down, 1-100; unset leaves the device default.", Validators: []validator.Int64{int64validator.Between(1, 100)}},
					},
				},
			},
		}, vpn.KindTunnel, "default/AZURE"),
	}
}

// Model.

type vpnTunnelModel struct {
	commonFields
	Name        types.String         `tfsdk:"name"`
	IKEGateway  types.String         `tfsdk:"ike_gateway"`
	Proposals   []ipsecProposalModel `tfsdk:"proposals"`
	PFSGroup    types.Int64          `tfsdk:"pfs_group"`
	Lifetime    types.Int64          `tfsdk:"lifetime"`
	Interface   types.String         `tfsdk:"tunnel_interface"`
	Address     types.String         `tfsdk:"tunnel_interface_address"`
	MTU         types.Int64          `tfsdk:"mtu"`
	Selectors   []selectorModel      `tfsdk:"traffic_selectors"`
	TCPMSS      types.Int64          `tfsdk:"tcp_mss"`
	Description types.String         `tfsdk:"description"`

	Number               types.Int64   `tfsdk:"tunnel_number"`
	Zone                 types.String  `tfsdk:"tunnel_zone"`
	UnnumberedInterface  types.String  `tfsdk:"unnumbered_interface"`
	AntiReplay           types.Bool    `tfsdk:"anti_replay"`
	DFBit                types.String  `tfsdk:"df_bit"`
	EstablishImmediately types.Bool    `tfsdk:"establish_immediately"`
	Monitor              *monitorModel `tfsdk:"monitor"`
}

type monitorModel struct {
	Destination types.String `tfsdk:"destination"`
	Interval    types.Int64  `tfsdk:"interval"`
	Threshold   types.Int64  `tfsdk:"threshold"`
}

type ipsecProposalModel struct {
	Encryption types.String `tfsdk:"encryption"`
	Integrity  types.String `tfsdk:"integrity"`
}

type selectorModel struct {
	Local      types.String `tfsdk:"local"`
	Remote     types.String `tfsdk:"remote"`
	Protocol   types.String `tfsdk:"protocol"`
	LocalPort  types.Int64  `tfsdk:"local_port"`
	RemotePort types.Int64  `tfsdk:"remote_port"`
}

// Plan checks against the device.

// planCheck catches a tunnel interface that another tunnel on the device already owns.
func (m *vpnTunnelModel) planCheck(obj vpn.Object, current *vpn.Config) diag.Diagnostics {
	var diags diag.Diagnostics
	t := obj.(*vpn.Tunnel)
	if t.Interface == "" {
		return diags
	}
	for _, o := range current.OfKind(vpn.KindTunnel) {
		other := o.(*vpn.Tunnel)
		if other.Name != t.Name && other.Interface == t.Interface {
			diags.AddAttributeError(path.Root("tunnel_interface"), "Tunnel interface already in use",
				fmt.Sprintf("%s is bound to tunnel %q on the device; one interface carries one tunnel.", t.Interface, other.Name))
		}
	}
	return diags
}

// references: the gateway must be on the device or planned in the same run.
func (m *vpnTunnelModel) references() []reference {
	return []reference{{attr: "ike_gateway", kind: vpn.KindIKEGateway, keyAttr: "name", key: m.IKEGateway.ValueString(), resource: "vpn_tunnel"}}
}

// Conversion.

func (m *vpnTunnelModel) key() string { return m.Name.ValueString() }

func (m *vpnTunnelModel) toObject() vpn.Object {
	t := &vpn.Tunnel{
		Name:        m.Name.ValueString(),
		Gateway:     m.IKEGateway.ValueString(),
		PFSGroup:    toInt(m.PFSGroup),
		Lifetime:    toInt(m.Lifetime),
		Interface:   m.Interface.ValueString(),
		Address:     m.Address.ValueString(),
		MTU:         toInt(m.MTU),
		TCPMSS:      toInt(m.TCPMSS),
		Description: m.Description.ValueString(),

		Number:               toInt(m.Number),
		Zone:                 m.Zone.ValueString(),
		UnnumberedInterface:  m.UnnumberedInterface.ValueString(),
		AntiReplay:           toBoolPtr(m.AntiReplay),
		DFBit:                m.DFBit.ValueString(),
		EstablishImmediately: m.EstablishImmediately.ValueBool(),
	}
	if m.Monitor != nil {
		t.Monitor = &vpn.TunnelMonitor{Destination: m.Monitor.Destination.ValueString(), Interval: toInt(m.Monitor.Interval), Threshold: toInt(m.Monitor.Threshold)}
	}
	for _, p := range m.Proposals {
		t.Proposals = append(t.Proposals, vpn.IPsecProposal{Encryption: p.Encryption.ValueString(), Integrity: p.Integrity.ValueString()})
	}
	for _, s := range m.Selectors {
		t.Selectors = append(t.Selectors, vpn.TrafficSelector{Local: s.Local.ValueString(), Remote: s.Remote.ValueString(),
			Protocol: s.Protocol.ValueString(), LocalPort: toInt(s.LocalPort), RemotePort: toInt(s.RemotePort)})
	}
	return t
}

func (m *vpnTunnelModel) fromObject(o vpn.Object) {
	t := o.(*vpn.Tunnel)
	m.Name = types.StringValue(t.Name)
	m.IKEGateway = types.StringValue(t.Gateway)
	m.PFSGroup = types.Int64Value(int64(t.PFSGroup))
	m.Lifetime = types.Int64Value(int64(t.Lifetime))
	m.Interface = strOrNull(t.Interface)
	m.Address = strOrNull(t.Address)
	m.MTU = intOrNull(t.MTU)
	m.TCPMSS = intOrNull(t.TCPMSS)
	m.Description = strOrNull(t.Description)
	m.Number = intOrNull(t.Number)
	m.Zone = strOrNull(t.Zone)
	m.UnnumberedInterface = strOrNull(t.UnnumberedInterface)
	m.AntiReplay = fromBoolPtr(t.AntiReplay)
	m.DFBit = strOrNull(t.DFBit)
	m.EstablishImmediately = fromFlag(m.EstablishImmediately, t.EstablishImmediately)
	m.Monitor = nil
	if t.Monitor != nil {
		m.Monitor = &monitorModel{strOrNull(t.Monitor.Destination), intOrNull(t.Monitor.Interval), intOrNull(t.Monitor.Threshold)}
	}
	m.Proposals = nil
	for _, p := range t.Proposals {
		m.Proposals = append(m.Proposals, ipsecProposalModel{types.StringValue(p.Encryption), types.StringValue(p.Integrity)})
	}
	m.Selectors = nil
	for _, s := range t.Selectors {
		m.Selectors = append(m.Selectors, selectorModel{types.StringValue(s.Local), types.StringValue(s.Remote),
			strOrNull(s.Protocol), intOrNull(s.LocalPort), intOrNull(s.RemotePort)})
	}
}

func joinQ(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = "`" + v + "`"
	}
	return strings.Join(q, ", ")
}
