package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
)

// deviceDataSourceBase resolves the `device` argument shared by both data sources.
type deviceDataSourceBase struct{ pd *providerData }

func (b *deviceDataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	pd, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data", fmt.Sprintf("got %T", req.ProviderData))
		return
	}
	b.pd = pd
}

func (b *deviceDataSourceBase) device(name types.String, resp *datasource.ReadResponse) *device.Device {
	if b.pd == nil {
		resp.Diagnostics.AddError("Provider not configured", "The provider has not been configured.")
		return nil
	}
	d, err := b.pd.device(name.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("device"), "Unknown device", err.Error())
		return nil
	}
	return d
}

var deviceArgument = schema.StringAttribute{
	Optional:    true,
	Description: "Name of the device in the provider's `devices` map; without it, the provider's top-level device.",
}

// onpremvpn_device

type deviceDataSource struct{ deviceDataSourceBase }

func newDeviceDataSource() datasource.DataSource { return &deviceDataSource{} }

type deviceDataModel struct {
	Device   types.String `tfsdk:"device"`
	Platform types.String `tfsdk:"platform"`
	Hostname types.String `tfsdk:"hostname"`
	Model    types.String `tfsdk:"model"`
	Version  types.String `tfsdk:"version"`
}

func (d *deviceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_device"
}

func (d *deviceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Facts about a device: platform, model, OS version and hostname.",
		Attributes: map[string]schema.Attribute{
			"device":   deviceArgument,
			"platform": schema.StringAttribute{Computed: true, Description: "The device's platform, as configured."},
			"hostname": schema.StringAttribute{Computed: true, Description: "Host name, where the device reports it in its facts (null on EdgeOS, whose `show version` has none)."},
			"model":    schema.StringAttribute{Computed: true, Description: "Hardware model."},
			"version":  schema.StringAttribute{Computed: true, Description: "Operating system version."},
		},
	}
}

func (d *deviceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m deviceDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	dev := d.device(m.Device, resp)
	if resp.Diagnostics.HasError() {
		return
	}
	f, err := dev.Facts(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read device facts", err.Error())
		return
	}
	m.Platform = types.StringValue(f.Platform)
	m.Hostname = strOrNull(f.Hostname)
	m.Model = strOrNull(f.Model)
	m.Version = strOrNull(f.Version)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// onpremvpn_running_config

type runningConfigDataSource struct{ deviceDataSourceBase }

func newRunningConfigDataSource() datasource.DataSource { return &runningConfigDataSource{} }

type runningConfigModel struct {
	Device types.String `tfsdk:"device"`
	Text   types.String `tfsdk:"text"`
}

func (d *runningConfigDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_running_config"
}

func (d *runningConfigDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "The device's active configuration as text (EdgeOS: `show configuration commands`), with every secret the platform stores masked (EdgeOS: pre-shared secrets, passwords, MD5 and private keys, SNMP communities). " +
			"Useful for review and for `check` blocks.",
		Attributes: map[string]schema.Attribute{
			"device": deviceArgument,
			"text":   schema.StringAttribute{Computed: true, Description: "The configuration, secrets masked."},
		},
	}
}

func (d *runningConfigDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m runningConfigModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	dev := d.device(m.Device, resp)
	if resp.Diagnostics.HasError() {
		return
	}
	snap, err := dev.Snapshot(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the device configuration", err.Error())
		return
	}
	m.Text = types.StringValue(dev.Redact(snap.Text))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
