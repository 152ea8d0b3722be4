package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// onpremvpn_objects

type objectsDataSource struct{ deviceDataSourceBase }

func newObjectsDataSource() datasource.DataSource { return &objectsDataSource{} }

type objectsModel struct {
	Device     types.String       `tfsdk:"device"`
	Platform   types.String       `tfsdk:"platform"`
	Objects    []objectEntryModel `tfsdk:"objects"`
	Unmodelled types.Int64        `tfsdk:"unmodelled_lines"`
}

type objectEntryModel struct {
	Kind         types.String `tfsdk:"kind"`
	ResourceType types.String `tfsdk:"resource_type"`
	Key          types.String `tfsdk:"key"`
	ImportID     types.String `tfsdk:"import_id"`
	Summary      types.String `tfsdk:"summary"`
	Secrets      []string     `tfsdk:"secrets"`
	Problems     []string     `tfsdk:"problems"`
}

func (d *objectsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_objects"
}

func (d *objectsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Every object on a device that a resource of this provider can manage, with its import id, and how many configuration lines no resource manages. " +
			"For adopting a router that already carries VPNs: `terraform-provider-onpremvpn discover` prints the matching `import` blocks. Secrets are never read into it: only the names of the secret attributes an object holds.",
		Attributes: map[string]schema.Attribute{
			"device":   deviceArgument,
			"platform": schema.StringAttribute{Computed: true, Description: "The device's platform."},
			"objects": schema.ListNestedAttribute{
				Computed:    true,
				Description: "The objects, kinds in dependency order (gateways before tunnels, prefix lists before BGP neighbors), sorted by key within a kind.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"kind":          schema.StringAttribute{Computed: true, Description: "The object's kind, e.g. `ike_gateway`."},
					"resource_type": schema.StringAttribute{Computed: true, Description: "The resource that manages it, e.g. `onpremvpn_ike_gateway`."},
					"key":           schema.StringAttribute{Computed: true, Description: "The object's key on the device (the resource's id without `<device>/`)."},
					"import_id":     schema.StringAttribute{Computed: true, Description: "The id to import it with: `<device>/<key>`, `default` for the provider's top-level device."},
					"summary":       schema.StringAttribute{Computed: true, Description: "One line about the object (peer, interface, rule count, AS numbers), without secrets."},
					"secrets": schema.ListAttribute{
						Computed: true, ElementType: types.StringType,
						Description: "Names of the secret attributes the object holds on the device (`pre_shared_key`, `password`): after an import, configuration must supply them.",
					},
					"problems": schema.ListAttribute{
						Computed: true, ElementType: types.StringType,
						Description: "What the resource would refuse in the object as the device holds it (`<attribute>: <message>`, as at plan time), e.g. a description with a character the provider never writes; empty when it can be adopted as it is.",
					},
				}},
			},
			"unmodelled_lines": schema.Int64Attribute{
				Computed: true,
				Description: "How many lines of the device's configuration belong to no object above (interfaces, system settings, options of an object that no attribute covers): the provider leaves them alone. " +
					"Null on a platform that cannot tell.",
			},
		},
	}
}

func (d *objectsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m objectsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	dev := d.device(m.Device, resp)
	if resp.Diagnostics.HasError() {
		return
	}
	name := m.Device.ValueString()
	if name == "" {
		name = DefaultDevice
	}
	disc, err := Discover(ctx, name, dev)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the device configuration", err.Error())
		return
	}
	m.Platform = types.StringValue(disc.Platform)
	m.Objects = []objectEntryModel{}
	for _, o := range disc.Objects {
		secrets, problems := o.Secrets, o.Problems
		if secrets == nil {
			secrets = []string{}
		}
		if problems == nil {
			problems = []string{}
		}
		m.Objects = append(m.Objects, objectEntryModel{
			Kind:         types.StringValue(string(o.Kind)),
			ResourceType: types.StringValue(o.ResourceType),
			Key:          types.StringValue(o.Key),
			ImportID:     types.StringValue(o.ImportID),
			Summary:      types.StringValue(o.Summary),
			Secrets:      secrets,
			Problems:     problems,
		})
	}
	m.Unmodelled = types.Int64Null()
	if disc.Counted {
		m.Unmodelled = types.Int64Value(int64(disc.Unmodelled))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
