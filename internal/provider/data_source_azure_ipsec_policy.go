package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// onpremvpn_azure_ipsec_policy: the values of azurerm's `ipsec_policy` block (on
// azurerm_virtual_network_gateway_connection) that match an IKE gateway's and a VPN tunnel's
// proposals. Pure computation: no device is read.
//
// The allowed values are those of azurerm 4.x's schema for that block (dh_group, ike_encryption,
// ike_integrity, ipsec_encryption, ipsec_integrity, pfs_group; sa_lifetime at least 300,
// sa_datasize at least 1024) and Azure's rules for custom IPsec/IKE policies (a GCM IPsec
// encryption goes with the same GCM integrity; the IKE SA lifetime is fixed at 28,800 s).

// Azure's fixed and default values.
const (
	azureIKELifetime     = 28800     // Azure's IKE (main mode) SA lifetime; not configurable
	azureMinSALifetime   = 300       // azurerm: sa_lifetime at least 300
	azureMinSADatasize   = 1024      // azurerm: sa_datasize at least 1024 KB
	azureDefaultDatasize = 102400000 // azurerm's and Azure's default sa_datasize, KB
	defaultIPsecLifetime = 3600      // onpremvpn_vpn_tunnel's default lifetime
)

var (
	azureIKEEncryption = map[string]string{
		"des": "DES", "3des": "DES3", "aes128": "AES128", "aes192": "AES192", "aes256": "AES256",
		"aes128gcm": "GCMAES128", "aes256gcm": "GCMAES256",
	}
	azureIKEIntegrity   = map[string]string{"md5": "MD5", "sha1": "SHA1", "sha256": "SHA256", "sha384": "SHA384"}
	azureIPsecEncrypt   = azureIKEEncryption // the same names and set for the device's values
	azureIPsecIntegrity = map[string]string{"md5": "MD5", "sha1": "SHA1", "sha256": "SHA256"}
	// DH groups by number: 14 is written DHGroup14 / PFS2048 (the names every azurerm 3.x and
	// 4.x release accepts); 19 and 20 are the elliptic-curve groups.
	azureDHGroup  = map[int64]string{1: "DHGroup1", 2: "DHGroup2", 14: "DHGroup14", 24: "DHGroup24", 19: "ECP256", 20: "ECP384"}
	azurePFSGroup = map[int64]string{0: "None", 1: "PFS1", 2: "PFS2", 14: "PFS2048", 24: "PFS24", 19: "ECP256", 20: "ECP384"}
)

// azurePolicyInput is what the mapping needs: the first (most preferred) proposal of each
// phase, the PFS group and the lifetimes. Nil pointers are values the user left out.
type azurePolicyInput struct {
	IKEVersion    *int64
	IKEEncryption string
	IKEIntegrity  string
	DHGroup       int64
	IKELifetime   *int64
	ESPEncryption string
	ESPIntegrity  string
	PFSGroup      int64
	ESPLifetime   *int64
	SADatasize    *int64
}

// azurePolicy is azurerm's ipsec_policy block, plus the connection's protocol.
type azurePolicy struct {
	IKEEncryption, IKEIntegrity, DHGroup      string
	IPsecEncryption, IPsecIntegrity, PFSGroup string
	SALifetime, SADatasize                    int64
	ConnectionProtocol                        string
}

// policyError is a value Azure does not accept, with the attribute it comes from.
type policyError struct {
	Path    path.Path
	Message string
}

func keysOf[K comparable](m map[K]string, order []K) string {
	s := ""
	for _, k := range order {
		if _, ok := m[k]; ok {
			if s != "" {
				s += ", "
			}
			s += fmt.Sprint(k)
		}
	}
	return s
}

// mapAzurePolicy maps the device's proposal values to Azure's. Every value Azure does not
// accept is an error naming the attribute it came from and the Azure limit.
func mapAzurePolicy(in azurePolicyInput) (azurePolicy, []policyError) {
	var out azurePolicy
	var errs []policyError
	fail := func(p path.Path, format string, args ...any) {
		errs = append(errs, policyError{Path: p, Message: fmt.Sprintf(format, args...)})
	}
	gw, tun := path.Root("gateway"), path.Root("tunnel")
	ike := gw.AtName("proposals").AtListIndex(0)
	esp := tun.AtName("proposals").AtListIndex(0)
	encOrder := []string{"des", "3des", "aes128", "aes192", "aes256", "aes128gcm", "aes256gcm"}
	intOrder := []string{"md5", "sha1", "sha256", "sha384", "sha512"}
	dhOrder := []int64{0, 1, 2, 14, 19, 20, 24}

	var ok bool
	if out.IKEEncryption, ok = azureIKEEncryption[in.IKEEncryption]; !ok {
		fail(ike.AtName("encryption"), "Azure does not accept the IKE encryption %q; it accepts %s.", in.IKEEncryption, keysOf(azureIKEEncryption, encOrder))
	}
	if out.IKEIntegrity, ok = azureIKEIntegrity[in.IKEIntegrity]; !ok {
		fail(ike.AtName("integrity"), "Azure does not accept the IKE integrity %q; it accepts %s.", in.IKEIntegrity, keysOf(azureIKEIntegrity, intOrder))
	}
	if out.DHGroup, ok = azureDHGroup[in.DHGroup]; !ok {
		fail(ike.AtName("dh_group"), "Azure does not accept DH group %d for IKE; it accepts groups %s (19 is ECP256, 20 is ECP384).", in.DHGroup, keysOf(azureDHGroup, dhOrder))
	}
	if in.IKELifetime != nil && *in.IKELifetime != azureIKELifetime {
		fail(gw.AtName("lifetime"), "Azure's IKE SA lifetime is fixed at %d seconds and cannot be set in ipsec_policy; set the gateway's lifetime to %d (it is %d).", azureIKELifetime, azureIKELifetime, *in.IKELifetime)
	}

	if out.IPsecEncryption, ok = azureIPsecEncrypt[in.ESPEncryption]; !ok {
		fail(esp.AtName("encryption"), "Azure does not accept the IPsec encryption %q; it accepts %s.", in.ESPEncryption, keysOf(azureIPsecEncrypt, encOrder))
	}
	switch in.ESPEncryption {
	case "aes128gcm", "aes256gcm":
		// ESP with GCM authenticates with the cipher itself: Azure requires the same GCM
		// algorithm as integrity, whatever hash the device lists beside it.
		out.IPsecIntegrity = out.IPsecEncryption
	default:
		if out.IPsecIntegrity, ok = azureIPsecIntegrity[in.ESPIntegrity]; !ok {
			fail(esp.AtName("integrity"), "Azure does not accept the IPsec integrity %q; it accepts %s (or the GCM algorithm of a GCM encryption).", in.ESPIntegrity, keysOf(azureIPsecIntegrity, intOrder))
		}
	}
	if out.PFSGroup, ok = azurePFSGroup[in.PFSGroup]; !ok {
		fail(tun.AtName("pfs_group"), "Azure does not accept PFS group %d; it accepts %s (0 is no PFS, 19 is ECP256, 20 is ECP384).", in.PFSGroup, keysOf(azurePFSGroup, dhOrder))
	}

	out.SALifetime = defaultIPsecLifetime
	if in.ESPLifetime != nil {
		out.SALifetime = *in.ESPLifetime
	}
	if out.SALifetime < azureMinSALifetime {
		fail(tun.AtName("lifetime"), "Azure's IPsec SA lifetime (sa_lifetime) is at least %d seconds; it is %d.", azureMinSALifetime, out.SALifetime)
	}
	out.SADatasize = azureDefaultDatasize
	if in.SADatasize != nil {
		out.SADatasize = *in.SADatasize
	}
	if out.SADatasize < azureMinSADatasize {
		fail(tun.AtName("lifetime_kilobytes"), "Azure's IPsec SA data size (sa_datasize) is at least %d KB; it is %d.", azureMinSADatasize, out.SADatasize)
	}

	out.ConnectionProtocol = "IKEv2"
	if in.IKEVersion != nil {
		switch *in.IKEVersion {
		case 1:
			out.ConnectionProtocol = "IKEv1"
		case 2:
		default:
			fail(gw.AtName("ike_version"), "IKE version %d does not exist; Azure speaks IKEv1 and IKEv2.", *in.IKEVersion)
		}
	}
	return out, errs
}

type azureIPsecPolicyDataSource struct{}

func newAzureIPsecPolicyDataSource() datasource.DataSource { return &azureIPsecPolicyDataSource{} }

type azureIPsecPolicyModel struct {
	Gateway *azureGatewayInput `tfsdk:"gateway"`
	Tunnel  *azureTunnelInput  `tfsdk:"tunnel"`

	IKEEncryption      types.String `tfsdk:"ike_encryption"`
	IKEIntegrity       types.String `tfsdk:"ike_integrity"`
	DHGroup            types.String `tfsdk:"dh_group"`
	IPsecEncryption    types.String `tfsdk:"ipsec_encryption"`
	IPsecIntegrity     types.String `tfsdk:"ipsec_integrity"`
	PFSGroup           types.String `tfsdk:"pfs_group"`
	SALifetime         types.Int64  `tfsdk:"sa_lifetime"`
	SADatasize         types.Int64  `tfsdk:"sa_datasize"`
	ConnectionProtocol types.String `tfsdk:"connection_protocol"`
}

type azureGatewayInput struct {
	Proposals  []ikeProposalModel `tfsdk:"proposals"`
	Lifetime   types.Int64        `tfsdk:"lifetime"`
	IKEVersion types.Int64        `tfsdk:"ike_version"`
}

type azureTunnelInput struct {
	Proposals         []ipsecProposalModel `tfsdk:"proposals"`
	PFSGroup          types.Int64          `tfsdk:"pfs_group"`
	Lifetime          types.Int64          `tfsdk:"lifetime"`
	LifetimeKilobytes types.Int64          `tfsdk:"lifetime_kilobytes"`
}

func (d *azureIPsecPolicyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_azure_ipsec_policy"
}

func (d *azureIPsecPolicyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	out := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Description: desc}
	}
	resp.Schema = schema.Schema{
		Description: "The values of azurerm's `ipsec_policy` block (on `azurerm_virtual_network_gateway_connection`) that match an IKE gateway's and a VPN tunnel's proposals, " +
			"so that the Azure side and the device cannot disagree. Reads no device. A value Azure does not accept is an error naming the attribute.",
		Attributes: map[string]schema.Attribute{
			"gateway": schema.SingleNestedAttribute{
				Required:    true,
				Description: "The IKE gateway's attributes, as given to (or read from) `onpremvpn_ike_gateway`.",
				Attributes: map[string]schema.Attribute{
					"proposals": schema.ListNestedAttribute{
						Required:    true,
						Description: "The gateway's `proposals`. Azure takes one proposal per connection: the first (the device's preferred) is used.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"encryption": schema.StringAttribute{Required: true, Description: "As in `onpremvpn_ike_gateway`."},
							"integrity":  schema.StringAttribute{Required: true, Description: "As in `onpremvpn_ike_gateway`."},
							"dh_group":   schema.Int64Attribute{Required: true, Description: "As in `onpremvpn_ike_gateway`."},
						}},
					},
					"lifetime":    schema.Int64Attribute{Optional: true, Description: "The gateway's `lifetime`. Azure's IKE SA lifetime is fixed at 28800 seconds, so any other value is an error."},
					"ike_version": schema.Int64Attribute{Optional: true, Description: "The gateway's `ike_version` (1 or 2); gives `connection_protocol`. Default 2."},
				},
			},
			"tunnel": schema.SingleNestedAttribute{
				Required:    true,
				Description: "The VPN tunnel's attributes, as given to (or read from) `onpremvpn_vpn_tunnel`.",
				Attributes: map[string]schema.Attribute{
					"proposals": schema.ListNestedAttribute{
						Required:    true,
						Description: "The tunnel's `proposals`; the first is used.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"encryption": schema.StringAttribute{Required: true, Description: "As in `onpremvpn_vpn_tunnel`."},
							"integrity":  schema.StringAttribute{Required: true, Description: "As in `onpremvpn_vpn_tunnel`; with a GCM encryption Azure's integrity is the same GCM algorithm, whatever this says."},
						}},
					},
					"pfs_group":          schema.Int64Attribute{Optional: true, Description: "The tunnel's `pfs_group`; default 0 (no PFS)."},
					"lifetime":           schema.Int64Attribute{Optional: true, Description: "The tunnel's `lifetime` in seconds; default 3600 (the tunnel's default). Becomes `sa_lifetime`."},
					"lifetime_kilobytes": schema.Int64Attribute{Optional: true, Description: "A data volume limit of the IPsec SA in KB, where the device has one; default 102400000 (Azure's default). Becomes `sa_datasize`."},
				},
			},

			"ike_encryption":      out("For `ipsec_policy.ike_encryption`."),
			"ike_integrity":       out("For `ipsec_policy.ike_integrity`."),
			"dh_group":            out("For `ipsec_policy.dh_group`."),
			"ipsec_encryption":    out("For `ipsec_policy.ipsec_encryption`."),
			"ipsec_integrity":     out("For `ipsec_policy.ipsec_integrity`."),
			"pfs_group":           out("For `ipsec_policy.pfs_group`."),
			"sa_lifetime":         schema.Int64Attribute{Computed: true, Description: "For `ipsec_policy.sa_lifetime`, seconds."},
			"sa_datasize":         schema.Int64Attribute{Computed: true, Description: "For `ipsec_policy.sa_datasize`, KB."},
			"connection_protocol": out("For the connection's `connection_protocol`: `IKEv2` or `IKEv1`."),
		},
	}
}

func optInt(v types.Int64) *int64 {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	n := v.ValueInt64()
	return &n
}

func (d *azureIPsecPolicyDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m azureIPsecPolicyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if len(m.Gateway.Proposals) == 0 {
		resp.Diagnostics.AddAttributeError(path.Root("gateway").AtName("proposals"), "No IKE proposal", "Azure needs one IKE proposal; the list is empty.")
	}
	if len(m.Tunnel.Proposals) == 0 {
		resp.Diagnostics.AddAttributeError(path.Root("tunnel").AtName("proposals"), "No IPsec proposal", "Azure needs one IPsec proposal; the list is empty.")
	}
	if resp.Diagnostics.HasError() {
		return
	}
	ike, esp := m.Gateway.Proposals[0], m.Tunnel.Proposals[0]
	in := azurePolicyInput{
		IKEVersion: optInt(m.Gateway.IKEVersion), IKEEncryption: ike.Encryption.ValueString(), IKEIntegrity: ike.Integrity.ValueString(),
		DHGroup: ike.DHGroup.ValueInt64(), IKELifetime: optInt(m.Gateway.Lifetime),
		ESPEncryption: esp.Encryption.ValueString(), ESPIntegrity: esp.Integrity.ValueString(),
		PFSGroup: m.Tunnel.PFSGroup.ValueInt64(), ESPLifetime: optInt(m.Tunnel.Lifetime), SADatasize: optInt(m.Tunnel.LifetimeKilobytes),
	}
	p, errs := mapAzurePolicy(in)
	for _, e := range errs {
		resp.Diagnostics.AddAttributeError(e.Path, "Not accepted by Azure: "+e.Path.String(), e.Message)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	m.IKEEncryption = types.StringValue(p.IKEEncryption)
	m.IKEIntegrity = types.StringValue(p.IKEIntegrity)
	m.DHGroup = types.StringValue(p.DHGroup)
	m.IPsecEncryption = types.StringValue(p.IPsecEncryption)
	m.IPsecIntegrity = types.StringValue(p.IPsecIntegrity)
	m.PFSGroup = types.StringValue(p.PFSGroup)
	m.SALifetime = types.Int64Value(p.SALifetime)
	m.SADatasize = types.Int64Value(p.SADatasize)
	m.ConnectionProtocol = types.StringValue(p.ConnectionProtocol)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
