package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/objectvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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

func newIKEGatewayResource() resource.Resource {
	return &objectResource[ikeGatewayModel, *ikeGatewayModel]{
		kind:     vpn.KindIKEGateway,
		typeName: "ike_gateway",
		keyAttr:  "name",
		schema: withCommon(schema.Schema{
			Description: "Phase 1 of a site-to-site VPN: the peer, how to authenticate to it, and the IKE proposals. " +
				"EdgeOS: an `ike-group` named after the gateway plus the `site-to-site peer`.",
			Attributes: map[string]schema.Attribute{
				"name": schema.StringAttribute{
					Required:      true,
					Description:   "Name of the gateway on the device (EdgeOS: the ike-group name).",
					Validators:    []validator.String{isName()},
					PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				},
				"peer_address": schema.StringAttribute{
					Required:    true,
					Description: "Public address (or domain name) of the remote gateway, e.g. the Azure VPN gateway's public IP.",
					Validators:  []validator.String{isPeer()},
				},
				"local_address": schema.StringAttribute{
					Optional:    true,
					Description: "Local public address the tunnel is sourced from. Required on EdgeOS (route-based VTI tunnels do not work with `any`).",
					Validators:  []validator.String{isIPv4()},
				},
				"ike_version": schema.Int64Attribute{
					Optional: true, Computed: true, Default: int64default.StaticInt64(2),
					Description: "IKE version, 1 or 2; default 2 (what Azure route-based gateways use).",
					Validators:  []validator.Int64{int64validator.OneOf(1, 2)},
				},
				"pre_shared_key": schema.StringAttribute{
					Optional: true, Sensitive: true,
					Description: "Pre-shared key. Stored in state (sensitive); with Terraform 1.11+ or OpenTofu 1.11+ prefer `pre_shared_key_wo`, which keeps it out of state. Exactly one of the two.",
					Validators: []validator.String{isSecret(),
						stringvalidator.ExactlyOneOf(path.MatchRoot("pre_shared_key"), path.MatchRoot("pre_shared_key_wo")),
						stringvalidator.PreferWriteOnlyAttribute(path.MatchRoot("pre_shared_key_wo"))},
				},
				"pre_shared_key_wo": schema.StringAttribute{
					Optional: true, Sensitive: true, WriteOnly: true,
					Description: "Write-only pre-shared key (Terraform 1.11+ / OpenTofu 1.11+): sent to the device, never stored in state or plan; only a salted Argon2id hash is kept in private state to notice a key changed on the device. Bump `pre_shared_key_wo_version` to push a new key.",
					Validators:  []validator.String{isSecret(), stringvalidator.AlsoRequires(path.MatchRoot("pre_shared_key_wo_version"))},
				},
				"pre_shared_key_wo_version": schema.Int64Attribute{
					Optional:    true,
					Description: "Version of `pre_shared_key_wo`; change it to push the key again. The provider sets it to -1 in state when the key on the device no longer matches, so the next plan shows the repair.",
					Validators:  []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("pre_shared_key_wo")), int64validator.AtLeast(0)},
				},
				"proposals": schema.ListNestedAttribute{
					Required:    true,
					Description: "IKE proposals in order of preference.",
					Validators:  []validator.List{listvalidator.SizeBetween(1, 10)},
					NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
						"encryption": schema.StringAttribute{Required: true, Description: "One of " + joinQ(vpn.Encryptions) + ".", Validators: []validator.String{stringvalidator.OneOf(vpn.Encryptions...)}},
						"integrity":  schema.StringAttribute{Required: true, Description: "One of " + joinQ(vpn.Integrities) + ".", Validators: []validator.String{stringvalidator.OneOf(vpn.Integrities...)}},
						"dh_group":   schema.Int64Attribute{Required: true, Description: "Diffie-Hellman group number, e.g. 2, 14, 19, 24."},
					}},
				},
				"lifetime": schema.Int64Attribute{
					Optional: true, Computed: true, Default: int64default.StaticInt64(28800),
					Description: "IKE SA lifetime in seconds; default 28800 (Azure's).",
					Validators:  []validator.Int64{int64validator.Between(30, 86400)},
				},
				"dpd": schema.SingleNestedAttribute{
					Optional:    true,
					Description: "Dead-peer detection.",
					Attributes: map[string]schema.Attribute{
						"interval": schema.Int64Attribute{Required: true, Description: "Seconds between probes."},
						"timeout":  schema.Int64Attribute{Required: true, Description: "Seconds without an answer before `action`."},
						"action":   schema.StringAttribute{Required: true, Description: "hold, clear or restart.", Validators: []validator.String{stringvalidator.OneOf(vpn.DPDActions...)}},
					},
				},
				"liveness": schema.SingleNestedAttribute{
					Optional: true,
					Description: "Dead-peer detection in its platform-neutral form: a probe every `interval` seconds, the peer declared dead after `retry_count` unanswered probes " +
						"(RTX `ipsec ike keepalive use`, Junos `dead-peer-detection interval/threshold`, ScreenOS `dpd-liveness interval/retry`). Conflicts with `dpd`. Not supported on EdgeOS: use `dpd` there.",
					Validators: []validator.Object{objectvalidator.ConflictsWith(path.MatchRoot("dpd"))},
					Attributes: map[string]schema.Attribute{
						"interval":    schema.Int64Attribute{Required: true, Description: "Seconds between probes, 1-3600.", Validators: []validator.Int64{int64validator.Between(1, 3600)}},
						"retry_count": schema.Int64Attribute{Required: true, Description: "Unanswered probes before the peer is declared dead, 1-100.", Validators: []validator.Int64{int64validator.Between(1, 100)}},
					},
				},
				"ike_mode": schema.StringAttribute{
					Optional:    true,
					Description: "IKEv1 phase-1 exchange mode, `main` or `aggressive` (IKEv1 only); unset leaves the device default (main). Not supported on EdgeOS, which always negotiates main mode: leave it unset there.",
					Validators:  []validator.String{stringvalidator.OneOf(vpn.IKEModes...)},
				},
				"nat_traversal": schema.BoolAttribute{
					Optional:    true,
					Description: "NAT traversal (UDP encapsulation) for this peer; unset leaves the device default. Not supported on EdgeOS, where NAT-T is one global setting (`vpn ipsec nat-traversal`).",
				},
				"local_id":  schema.StringAttribute{Optional: true, Description: "Local IKE identity; default the local address.", Validators: []validator.String{nonEmpty()}},
				"remote_id": schema.StringAttribute{Optional: true, Description: "Expected remote IKE identity; default the peer address.", Validators: []validator.String{nonEmpty()}},
				"connection_type": schema.StringAttribute{
					Optional:    true,
					Description: "`initiate` to bring the tunnel up from this side, `respond` to wait for the peer; unset leaves the device default.",
					Validators:  []validator.String{stringvalidator.OneOf(vpn.ConnTypes...)},
				},
				"description": schema.StringAttribute{Optional: true, Description: "Free text.", Validators: []validator.String{isText()}},
				"gateway_number": schema.Int64Attribute{
					Optional: true, Computed: true,
					Description: "The device's number for the gateway where the platform numbers gateways (RTX `ipsec ike ... N`, the security gateway number: 1-20 or 1-100 depending on the model), 1-65535 here and narrowed by the platform. " +
						"Left out, such a platform gives the lowest number of its range that neither the device nor another object created in the run uses, at apply (the plan shows it as known after apply). " +
						"Changing it replaces the gateway. On platforms that name gateways instead (EdgeOS, Junos, ScreenOS) it is refused at plan and, left out, stays null.",
					Validators:    []validator.Int64{int64validator.Between(1, 65535)},
					PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown(), replaceIfNumberChanges()},
				},
			},
		}, vpn.KindIKEGateway, "default/AZURE"),
	}
}

// Model.

type ikeGatewayModel struct {
	commonFields
	Name           types.String       `tfsdk:"name"`
	PeerAddress    types.String       `tfsdk:"peer_address"`
	LocalAddress   types.String       `tfsdk:"local_address"`
	IKEVersion     types.Int64        `tfsdk:"ike_version"`
	PreSharedKey   types.String       `tfsdk:"pre_shared_key"`
	PreSharedKeyWO types.String       `tfsdk:"pre_shared_key_wo"`
	PSKWOVersion   types.Int64        `tfsdk:"pre_shared_key_wo_version"`
	Proposals      []ikeProposalModel `tfsdk:"proposals"`
	Lifetime       types.Int64        `tfsdk:"lifetime"`
	DPD            *dpdModel          `tfsdk:"dpd"`
	LocalID        types.String       `tfsdk:"local_id"`
	RemoteID       types.String       `tfsdk:"remote_id"`
	ConnectionType types.String       `tfsdk:"connection_type"`
	Description    types.String       `tfsdk:"description"`
	Liveness       *livenessModel     `tfsdk:"liveness"`
	IKEMode        types.String       `tfsdk:"ike_mode"`
	NATTraversal   types.Bool         `tfsdk:"nat_traversal"`
	Number         types.Int64        `tfsdk:"gateway_number"`
}

type livenessModel struct {
	Interval   types.Int64 `tfsdk:"interval"`
	RetryCount types.Int64 `tfsdk:"retry_count"`
}

type ikeProposalModel struct {
	Encryption types.String `tfsdk:"encryption"`
	Integrity  types.String `tfsdk:"integrity"`
	DHGroup    types.Int64  `tfsdk:"dh_group"`
}

type dpdModel struct {
	Interval types.Int64  `tfsdk:"interval"`
	Timeout  types.Int64  `tfsdk:"timeout"`
	Action   types.String `tfsdk:"action"`
}

// Conversion.

func (m *ikeGatewayModel) key() string { return m.Name.ValueString() }

func (m *ikeGatewayModel) toObject() vpn.Object {
	g := &vpn.IKEGateway{
		Name:           m.Name.ValueString(),
		PeerAddress:    m.PeerAddress.ValueString(),
		LocalAddress:   m.LocalAddress.ValueString(),
		IKEVersion:     toInt(m.IKEVersion),
		PreSharedKey:   m.PreSharedKey.ValueString(),
		Lifetime:       toInt(m.Lifetime),
		LocalID:        m.LocalID.ValueString(),
		RemoteID:       m.RemoteID.ValueString(),
		ConnectionType: m.ConnectionType.ValueString(),
		Description:    m.Description.ValueString(),
		Mode:           m.IKEMode.ValueString(),
		NATTraversal:   toBoolPtr(m.NATTraversal),
		Number:         toInt(m.Number),
	}
	if m.Liveness != nil {
		g.Liveness = &vpn.Liveness{Interval: toInt(m.Liveness.Interval), RetryCount: toInt(m.Liveness.RetryCount)}
	}
	for _, p := range m.Proposals {
		g.Proposals = append(g.Proposals, vpn.IKEProposal{Encryption: p.Encryption.ValueString(), Integrity: p.Integrity.ValueString(), DHGroup: toInt(p.DHGroup)})
	}
	if m.DPD != nil {
		g.DPD = &vpn.DPD{Interval: toInt(m.DPD.Interval), Timeout: toInt(m.DPD.Timeout), Action: m.DPD.Action.ValueString()}
	}
	return g
}

func (m *ikeGatewayModel) fromObject(o vpn.Object) {
	g := o.(*vpn.IKEGateway)
	m.Name = types.StringValue(g.Name)
	m.PeerAddress = types.StringValue(g.PeerAddress)
	m.LocalAddress = strOrNull(g.LocalAddress)
	m.IKEVersion = types.Int64Value(int64(g.IKEVersion))
	m.Lifetime = types.Int64Value(int64(g.Lifetime))
	m.Proposals = nil
	for _, p := range g.Proposals {
		m.Proposals = append(m.Proposals, ikeProposalModel{types.StringValue(p.Encryption), types.StringValue(p.Integrity), types.Int64Value(int64(p.DHGroup))})
	}
	m.DPD = nil
	if g.DPD != nil {
		m.DPD = &dpdModel{types.Int64Value(int64(g.DPD.Interval)), types.Int64Value(int64(g.DPD.Timeout)), types.StringValue(g.DPD.Action)}
	}
	m.LocalID = strOrNull(g.LocalID)
	m.RemoteID = strOrNull(g.RemoteID)
	m.ConnectionType = strOrNull(g.ConnectionType)
	m.Description = strOrNull(g.Description)
	m.Liveness = nil
	if g.Liveness != nil {
		m.Liveness = &livenessModel{types.Int64Value(int64(g.Liveness.Interval)), types.Int64Value(int64(g.Liveness.RetryCount))}
	}
	m.IKEMode = strOrNull(g.Mode)
	m.NATTraversal = fromBoolPtr(g.NATTraversal)
	m.Number = intOrNull(g.Number)
	m.PreSharedKeyWO = types.StringNull()
}

func (m *ikeGatewayModel) secretFields() (*types.String, *types.Int64) {
	return &m.PreSharedKey, &m.PSKWOVersion
}

func (m *ikeGatewayModel) secretPaths() (path.Path, path.Path) {
	return path.Root("pre_shared_key_wo"), path.Root("pre_shared_key_wo_version")
}

func (m *ikeGatewayModel) getSecret(o vpn.Object) string    { return o.(*vpn.IKEGateway).PreSharedKey }
func (m *ikeGatewayModel) setSecret(o vpn.Object, s string) { o.(*vpn.IKEGateway).PreSharedKey = s }
