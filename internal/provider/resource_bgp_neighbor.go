package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Schema.

func newBGPNeighborResource() resource.Resource {
	return &objectResource[bgpNeighborModel, *bgpNeighborModel]{
		kind:     vpn.KindBGPNeighbor,
		typeName: "bgp_neighbor",
		keyAttr:  "neighbor_address",
		schema: withCommon(schema.Schema{
			Description: "A BGP peer of the device's BGP process, e.g. the Azure VPN gateway's BGP peering address, and the networks it needs the process to announce. " +
				"EdgeOS: `protocols bgp <local_as> neighbor ...` and `network ...`.",
			Attributes: map[string]schema.Attribute{
				"neighbor_address": schema.StringAttribute{
					Required: true, Description: "Address of the neighbor; its identity on the device, with `routing_instance`.",
					Validators: []validator.String{isIPv4()}, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				},
				"local_as":      schema.Int64Attribute{Required: true, Description: "AS number of the device's BGP process.", Validators: []validator.Int64{int64validator.Between(1, 4294967294)}},
				"remote_as":     schema.Int64Attribute{Required: true, Description: "AS number of the neighbor (Azure: 65515 unless changed).", Validators: []validator.Int64{int64validator.Between(1, 4294967294)}},
				"update_source": schema.StringAttribute{Optional: true, Description: "Local address or interface the session is sourced from.", Validators: []validator.String{nonEmpty()}},
				"ebgp_multihop": schema.Int64Attribute{Optional: true, Description: "Maximum hops to an eBGP neighbor that is not directly connected (Azure over a VTI: 2).", Validators: []validator.Int64{int64validator.Between(1, 255)}},
				"keepalive": schema.Int64Attribute{
					Optional: true, Computed: true,
					Description: "Keepalive interval in seconds of this neighbor's own timers; set together with `hold_time`. " +
						"Unset, the neighbor keeps the timers the device has for it (none for a new neighbor, which then uses the BGP process's), and state shows them. " +
						"Never the process-level timers (EdgeOS `protocols bgp <AS> timers`), which belong to the process.",
					Validators:    []validator.Int64{int64validator.Between(1, 65535), int64validator.AlsoRequires(path.MatchRoot("hold_time"))},
					PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
				},
				"hold_time": schema.Int64Attribute{
					Optional: true, Computed: true,
					Description:   "Hold time in seconds of this neighbor's own timers; at least three times `keepalive`. Unset, as for `keepalive`.",
					Validators:    []validator.Int64{int64validator.Between(3, 65535), int64validator.AlsoRequires(path.MatchRoot("keepalive"))},
					PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
				},
				"prefix_list_in": schema.StringAttribute{
					Optional: true, Validators: []validator.String{isName()},
					Description: "Prefix list applied to routes received (EdgeOS `prefix-list import`); on the device or planned before the neighbor in the same run (refer to the `onpremvpn_prefix_list`), else an error at plan.",
				},
				"prefix_list_out": schema.StringAttribute{
					Optional: true, Validators: []validator.String{isName()},
					Description: "Prefix list applied to routes sent (EdgeOS `prefix-list export`); as for `prefix_list_in`.",
				},
				"soft_reconfiguration_inbound": schema.BoolAttribute{
					Optional: true, Computed: true, Default: booldefault.StaticBool(false),
					Description: "Keep the routes received so that policy changes apply without resetting the session.",
				},
				"password": schema.StringAttribute{
					Optional: true, Sensitive: true, Description: "TCP MD5 password of the session. Stored in state (sensitive); prefer `password_wo`.",
					Validators: []validator.String{isSecret(), stringvalidator.ConflictsWith(path.MatchRoot("password_wo"))},
				},
				"password_wo": schema.StringAttribute{
					Optional: true, Sensitive: true, WriteOnly: true, Description: "Write-only TCP MD5 password, never stored in state. Bump `password_wo_version` to push a new one.",
					Validators: []validator.String{isSecret(), stringvalidator.AlsoRequires(path.MatchRoot("password_wo_version"))},
				},
				"password_wo_version": schema.Int64Attribute{
					Optional: true, Description: "Version of `password_wo`; set to -1 in state by the provider when the device's password no longer matches.",
					Validators: []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("password_wo")), int64validator.AtLeast(0)},
				},
				"description":      schema.StringAttribute{Optional: true, Description: "Free text.", Validators: []validator.String{isText()}},
				"routing_instance": routingInstanceAttribute("whose BGP process has the neighbor"),
				"router_id": schema.StringAttribute{
					Optional: true, Validators: []validator.String{isIPv4()},
					Description: "Router id of the neighbor's BGP process. The router id belongs to the process, not to one neighbor (like `networks`): it is kept here so that a configuration " +
						"needs no separate process resource, and every neighbor of one process that sets it must give the same value. Unset leaves the device's choice (and state shows null). " +
						"EdgeOS: `protocols bgp <local_as> parameters router-id`.",
				},
				"networks": schema.SetAttribute{
					Optional: true, ElementType: types.StringType,
					Description: "Prefixes this neighbor needs the device's BGP process to announce; the provider adds the missing ones to the process. " +
						"The process's `network` lines are shared by all its neighbors and announced to each: state shows which of these the process announces (so one removed on the device shows as a difference), never other neighbors' networks. " +
						"After an import, state holds every network the process announces. " +
						"A network this neighbor drops (or takes with it when destroyed) is removed from the process only when no other neighbor on the device remains that might need it.",
					Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(isCIDR())},
				},
				"neighbor_number": schema.Int64Attribute{
					Optional: true, Computed: true,
					Description: "The device's number for the neighbor where the platform numbers neighbors (RTX `bgp neighbor N ...`, 1-32), 1-65535 here and narrowed by the platform. " +
						"Left out, such a platform gives the lowest number of its range that neither the device nor another object created in the run uses, at apply (the plan shows it as known after apply). " +
						"Changing it replaces the neighbor. On platforms that identify neighbors by address only (EdgeOS, Junos, ScreenOS) it is refused at plan and, left out, stays null.",
					Validators:    []validator.Int64{int64validator.Between(1, 65535)},
					PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown(), replaceIfNumberChanges()},
				},
			},
		}, vpn.KindBGPNeighbor, "default/172.16.0.254"),
	}
}

// Model.

type bgpNeighborModel struct {
	commonFields
	Address         types.String `tfsdk:"neighbor_address"`
	LocalAS         types.Int64  `tfsdk:"local_as"`
	RemoteAS        types.Int64  `tfsdk:"remote_as"`
	UpdateSource    types.String `tfsdk:"update_source"`
	EBGPMultihop    types.Int64  `tfsdk:"ebgp_multihop"`
	Keepalive       types.Int64  `tfsdk:"keepalive"`
	HoldTime        types.Int64  `tfsdk:"hold_time"`
	PrefixListIn    types.String `tfsdk:"prefix_list_in"`
	PrefixListOut   types.String `tfsdk:"prefix_list_out"`
	SoftReconfigIn  types.Bool   `tfsdk:"soft_reconfiguration_inbound"`
	Password        types.String `tfsdk:"password"`
	PasswordWO      types.String `tfsdk:"password_wo"`
	PasswordVersion types.Int64  `tfsdk:"password_wo_version"`
	Description     types.String `tfsdk:"description"`
	Networks        []string     `tfsdk:"networks"`
	Instance        types.String `tfsdk:"routing_instance"`
	RouterID        types.String `tfsdk:"router_id"`
	Number          types.Int64  `tfsdk:"neighbor_number"`
}

// references: the prefix lists must be on the device or planned in the same run (a device
// refuses to commit a neighbor naming a missing prefix list).
func (m *bgpNeighborModel) references() []reference {
	return []reference{
		{attr: "prefix_list_in", kind: vpn.KindPrefixList, keyAttr: "name", key: m.PrefixListIn.ValueString(), resource: "bgp_neighbor"},
		{attr: "prefix_list_out", kind: vpn.KindPrefixList, keyAttr: "name", key: m.PrefixListOut.ValueString(), resource: "bgp_neighbor"},
	}
}

// Conversion.

func (m *bgpNeighborModel) key() string {
	return vpn.KeyOf(vpn.KindBGPNeighbor, m.Address.ValueString(), m.Instance.ValueString())
}

func (m *bgpNeighborModel) toObject() vpn.Object {
	return &vpn.BGPNeighbor{
		Address:        m.Address.ValueString(),
		LocalAS:        m.LocalAS.ValueInt64(),
		RemoteAS:       m.RemoteAS.ValueInt64(),
		UpdateSource:   m.UpdateSource.ValueString(),
		EBGPMultihop:   toInt(m.EBGPMultihop),
		Keepalive:      toInt(m.Keepalive),
		HoldTime:       toInt(m.HoldTime),
		PrefixListIn:   m.PrefixListIn.ValueString(),
		PrefixListOut:  m.PrefixListOut.ValueString(),
		SoftReconfigIn: m.SoftReconfigIn.ValueBool(),
		Password:       m.Password.ValueString(),
		Description:    m.Description.ValueString(),
		Networks:       append([]string(nil), m.Networks...),

		RoutingInstance: m.Instance.ValueString(),
		RouterID:        m.RouterID.ValueString(),
		Number:          toInt(m.Number),
	}
}

func (m *bgpNeighborModel) fromObject(o vpn.Object) {
	n := o.(*vpn.BGPNeighbor)
	m.Address = types.StringValue(n.Address)
	m.LocalAS = types.Int64Value(n.LocalAS)
	m.RemoteAS = types.Int64Value(n.RemoteAS)
	m.UpdateSource = strOrNull(n.UpdateSource)
	m.EBGPMultihop = intOrNull(n.EBGPMultihop)
	m.Keepalive = intOrNull(n.Keepalive)
	m.HoldTime = intOrNull(n.HoldTime)
	m.PrefixListIn = strOrNull(n.PrefixListIn)
	m.PrefixListOut = strOrNull(n.PrefixListOut)
	m.SoftReconfigIn = types.BoolValue(n.SoftReconfigIn)
	m.Description = strOrNull(n.Description)
	m.PasswordWO = types.StringNull()
	m.Instance = strOrNull(n.RoutingInstance)
	m.RouterID = strOrNull(n.RouterID)
	m.Number = intOrNull(n.Number)
	m.Networks = nil
	if len(n.Networks) > 0 {
		m.Networks = append([]string(nil), n.Networks...)
	}
}

// Networks. The device's `network` lines belong to the BGP process; Parse gives every neighbor
// all of them. The state of one neighbor holds the networks it asked for that the process
// announces, so that other neighbors' networks do not show as its drift.

// reconcile keeps, of the networks the process announces, those the neighbor listed before
// (its plan or prior state); after an import, all of them.
func (m *bgpNeighborModel) reconcile(before objectModel, imported bool) {
	if imported {
		return
	}
	// The router id is the process's: a neighbor that does not set it leaves the device's
	// choice and does not show it.
	if before.(*bgpNeighborModel).RouterID.IsNull() {
		m.RouterID = types.StringNull()
	}
	announced := map[string]bool{}
	for _, n := range m.Networks {
		announced[n] = true
	}
	var keep []string
	for _, n := range before.(*bgpNeighborModel).Networks {
		if announced[n] {
			keep = append(keep, n)
		}
	}
	m.Networks = keep
}

// mergeUpdate keeps the process's networks this neighbor never listed (another neighbor's, or
// added on the device): an update releases only networks the prior state listed and the plan
// drops.
func (m *bgpNeighborModel) mergeUpdate(obj vpn.Object, prior objectModel, current vpn.Object) {
	cur, ok := current.(*vpn.BGPNeighbor)
	if !ok {
		return
	}
	n := obj.(*vpn.BGPNeighbor)
	if n.RouterID == "" {
		n.RouterID = cur.RouterID // the process's, which this neighbor leaves as it is
	}
	skip := map[string]bool{}
	for _, c := range append(append([]string(nil), n.Networks...), prior.(*bgpNeighborModel).Networks...) {
		skip[c] = true
	}
	for _, c := range cur.Networks {
		if !skip[c] {
			n.Networks = append(n.Networks, c)
			skip[c] = true
		}
	}
}

func (m *bgpNeighborModel) secretFields() (*types.String, *types.Int64) {
	return &m.Password, &m.PasswordVersion
}

func (m *bgpNeighborModel) secretPaths() (path.Path, path.Path) {
	return path.Root("password_wo"), path.Root("password_wo_version")
}

func (m *bgpNeighborModel) getSecret(o vpn.Object) string    { return o.(*vpn.BGPNeighbor).Password }
func (m *bgpNeighborModel) setSecret(o vpn.Object, s string) { o.(*vpn.BGPNeighbor).Password = s }
