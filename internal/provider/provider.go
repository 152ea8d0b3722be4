// Package provider is the Terraform glue: the provider schema and Configure, one file per
// resource and data source, and the conversion between Terraform values and the vpn model.
// It never builds a CLI string; dialects do that.
package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/all" // registers every dialect
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/sshcli"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// DefaultDevice is the name under which the provider's top-level device is known, in
// resource ids and import ids. It cannot be used as a key of the `devices` map.
const DefaultDevice = "default"

// New returns the provider factory for the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &onpremProvider{version: version} }
}

type onpremProvider struct {
	version string
}

// providerModel is the provider block: one device at the top level and a map of more.
type providerModel struct {
	deviceModel
	Devices     map[string]deviceModel `tfsdk:"devices"`
	BatchWindow types.String           `tfsdk:"batch_window"`
}

// batchWindowEnv sets batch_window when the provider block leaves it unset.
const batchWindowEnv = "ONPREMVPN_BATCH_WINDOW"

// deviceModel is how to reach one device.
type deviceModel struct {
	Platform                 types.String `tfsdk:"platform"`
	Host                     types.String `tfsdk:"host"`
	Port                     types.Int64  `tfsdk:"port"`
	Username                 types.String `tfsdk:"username"`
	Password                 types.String `tfsdk:"password"`
	PrivateKey               types.String `tfsdk:"private_key"`
	PrivateKeyPassphrase     types.String `tfsdk:"private_key_passphrase"`
	KnownHostsFile           types.String `tfsdk:"known_hosts_file"`
	HostKey                  types.String `tfsdk:"host_key"`
	InsecureSkipHostKeyCheck types.Bool   `tfsdk:"insecure_skip_host_key_check"`
	LegacyAlgorithms         types.Bool   `tfsdk:"legacy_algorithms"`
	KexAlgorithms            []string     `tfsdk:"kex_algorithms"`
	Ciphers                  []string     `tfsdk:"ciphers"`
	MACs                     []string     `tfsdk:"macs"`
	HostKeyAlgorithms        []string     `tfsdk:"host_key_algorithms"`
	JumpHost                 *jumpModel   `tfsdk:"jump_host"`
	ConnectTimeout           types.String `tfsdk:"connect_timeout"`
	CommandTimeout           types.String `tfsdk:"command_timeout"`
	PlanOffline              types.Bool   `tfsdk:"plan_offline"`
	Options                  types.Map    `tfsdk:"options"`
	Azure                    *azureModel  `tfsdk:"azure"`
	ShowCommands             types.Bool   `tfsdk:"show_commands"`
}

// jumpModel is a bastion host the device is reached through.
type jumpModel struct {
	Host                     types.String `tfsdk:"host"`
	Port                     types.Int64  `tfsdk:"port"`
	Username                 types.String `tfsdk:"username"`
	Password                 types.String `tfsdk:"password"`
	PrivateKey               types.String `tfsdk:"private_key"`
	KnownHostsFile           types.String `tfsdk:"known_hosts_file"`
	HostKey                  types.String `tfsdk:"host_key"`
	InsecureSkipHostKeyCheck types.Bool   `tfsdk:"insecure_skip_host_key_check"`
}

func (p *onpremProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "onpremvpn"
	resp.Version = p.version
}

func deviceAttributes(top bool) map[string]schema.Attribute {
	envNote := func(name string) string {
		if top {
			return fmt.Sprintf(" Can also be set with the `%s` environment variable.", name)
		}
		return ""
	}
	return map[string]schema.Attribute{
		"platform": schema.StringAttribute{
			Optional:    true,
			Description: "Device platform: one of " + strings.Join(platform.Names(), ", ") + "." + envNote("ONPREMVPN_PLATFORM"),
		},
		"host": schema.StringAttribute{
			Optional:    true,
			Description: "Host name or address of the device's SSH server." + envNote("ONPREMVPN_HOST"),
		},
		"port": schema.Int64Attribute{
			Optional:    true,
			Description: "SSH port; default 22." + envNote("ONPREMVPN_PORT"),
		},
		"username": schema.StringAttribute{
			Optional:    true,
			Description: "SSH user name." + envNote("ONPREMVPN_USERNAME"),
		},
		"password": schema.StringAttribute{
			Optional:    true,
			Sensitive:   true,
			Description: "Password, used for password authentication and to answer keyboard-interactive password questions (other questions fail the login)." + envNote("ONPREMVPN_PASSWORD"),
		},
		"private_key": schema.StringAttribute{
			Optional:    true,
			Sensitive:   true,
			Description: "Private key in PEM or OpenSSH form, for public-key authentication." + envNote("ONPREMVPN_PRIVATE_KEY"),
		},
		"private_key_passphrase": schema.StringAttribute{
			Optional:    true,
			Sensitive:   true,
			Description: "Passphrase of `private_key`, if it is encrypted.",
		},
		"known_hosts_file": schema.StringAttribute{
			Optional:    true,
			Description: "known_hosts file the device's host key is verified against. Without it, `host_key` or `insecure_skip_host_key_check`, `~/.ssh/known_hosts` is used." + envNote("ONPREMVPN_KNOWN_HOSTS_FILE"),
		},
		"host_key": schema.StringAttribute{
			Optional:    true,
			Description: "The device's pinned host key, as an authorized_keys line (`ssh-ed25519 AAAA...`) or a `SHA256:...` fingerprint." + envNote("ONPREMVPN_HOST_KEY"),
		},
		"insecure_skip_host_key_check": schema.BoolAttribute{
			Optional:    true,
			Description: "Accept any host key. Only for labs: it allows a man in the middle to read the pre-shared keys. Every run shows a warning naming the device." + envNote("ONPREMVPN_INSECURE_SKIP_HOST_KEY_CHECK"),
		},
		"legacy_algorithms": schema.BoolAttribute{
			Optional:    true,
			Description: "Also offer the legacy SSH algorithms old devices need (diffie-hellman-group1-sha1, CBC ciphers, ssh-dss). Off by default.",
		},
		"kex_algorithms":      schema.ListAttribute{Optional: true, ElementType: types.StringType, Description: "Key exchange algorithms to offer, replacing the defaults."},
		"ciphers":             schema.ListAttribute{Optional: true, ElementType: types.StringType, Description: "Ciphers to offer, replacing the defaults."},
		"macs":                schema.ListAttribute{Optional: true, ElementType: types.StringType, Description: "MAC algorithms to offer, replacing the defaults."},
		"host_key_algorithms": schema.ListAttribute{Optional: true, ElementType: types.StringType, Description: "Host key algorithms to accept, replacing the defaults."},
		"jump_host": schema.SingleNestedAttribute{
			Optional:    true,
			Description: "A bastion host to reach the device through (SSH direct-tcpip forwarding).",
			Attributes: map[string]schema.Attribute{
				"host":                         schema.StringAttribute{Required: true, Description: "Host name or address of the jump host."},
				"port":                         schema.Int64Attribute{Optional: true, Description: "SSH port of the jump host; default 22."},
				"username":                     schema.StringAttribute{Required: true, Description: "User name on the jump host."},
				"password":                     schema.StringAttribute{Optional: true, Sensitive: true, Description: "Password on the jump host."},
				"private_key":                  schema.StringAttribute{Optional: true, Sensitive: true, Description: "Private key for the jump host."},
				"known_hosts_file":             schema.StringAttribute{Optional: true, Description: "known_hosts file for the jump host's key."},
				"host_key":                     schema.StringAttribute{Optional: true, Description: "Pinned host key of the jump host."},
				"insecure_skip_host_key_check": schema.BoolAttribute{Optional: true, Description: "Accept any host key from the jump host."},
			},
		},
		"connect_timeout": schema.StringAttribute{
			Optional:    true,
			Description: "Time allowed to connect, authenticate and see the first prompt, as a Go duration; default `15s`.",
		},
		"command_timeout": schema.StringAttribute{
			Optional:    true,
			Description: "Time allowed for one command (a commit included), as a Go duration; default `60s`.",
		},
		"options": schema.MapAttribute{
			Optional:    true,
			Sensitive:   anySensitiveOption(),
			ElementType: types.StringType,
			Description: "Settings of the platform's dialect for this device, by name. Each platform declares the options it takes, their values and defaults; " +
				"an option the platform does not declare, or a value it does not allow, fails the plan naming the device and the option. " + optionsDoc() +
				" Only an option that names an environment variable is taken from it (when the map leaves it out, in every device block); no other option comes from the environment.",
		},
		"azure": schema.SingleNestedAttribute{
			Optional: true,
			Description: "Azure-aware plan checks for this device: every object planned for it is compared with what the Azure side accepts, " +
				"and each mismatch is shown at plan naming the attribute and citing the Azure limit (proposals outside Azure's set, a GCM encryption without the same GCM integrity, " +
				"DH and PFS groups, the IKE SA lifetime of 28,800 s, the IPsec SA lifetime of the target, BGP APIPA addresses outside 169.254.21.0-169.254.22.255, ASNs Azure reserves, " +
				"shared keys Azure may refuse, BGP timers other than 60/180, a route-based tunnel without the 1350-byte MSS clamp). Off when unset.",
			Attributes: map[string]schema.Attribute{
				"target": schema.StringAttribute{
					Required: true,
					Description: "The Azure side: `vpn_gateway` (a route-based VPN Gateway, IPsec SA lifetime 27,000 s), `virtual_wan` (a Virtual WAN VPN gateway, 3,600 s) " +
						"or `policy_based` (a policy-based VPN Gateway, 3,600 s).",
					Validators: []validator.String{stringvalidator.OneOf(azureTargets...)},
				},
				"severity": schema.StringAttribute{
					Optional:    true,
					Description: "`warning` (default): mismatches are warnings and the plan goes on; `error`: they fail the plan.",
					Validators:  []validator.String{stringvalidator.OneOf("warning", "error")},
				},
			},
		},
		"show_commands": schema.BoolAttribute{
			Optional: true,
			Description: "Show at plan, for each resource of this device that changes, the configuration lines it will send, as a warning diagnostic (secrets masked). " +
				"The lines are rendered from the device's configuration as read at plan, for that change alone; objects applied together in one batch may share lines. Default `false`.",
		},
		"plan_offline": schema.BoolAttribute{
			Optional: true,
			Description: "Plan even when the device cannot be reached or read: a warning instead of an error, and the plan is made without the device's configuration (no check that an object already exists). " +
				"For a site that is not built yet. A changed or unknown host key and a refused login still fail the plan, and data sources still need the device. Default `false`." + envNote("ONPREMVPN_PLAN_OFFLINE"),
		},
	}
}

func (p *onpremProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	attrs := deviceAttributes(true)
	attrs["devices"] = schema.MapNestedAttribute{
		Optional: true,
		Description: "More devices, by name. A resource or data source picks one with its `device` argument; " +
			"without it, the top-level device is used. Each entry takes the same arguments as the provider block (no environment fallbacks). The name `" + DefaultDevice + "` is reserved.",
		NestedObject: schema.NestedAttributeObject{Attributes: deviceAttributes(false)},
	}
	attrs["batch_window"] = schema.StringAttribute{
		Optional: true,
		Description: "How long a batch of writes to one device waits for more writes, as a Go duration; default `" + device.DefaultBatchWindow.String() + "`. " +
			"Terraform runs up to `-parallelism` operations at once, and the writes to one device that meet are applied in one transaction (one commit, one save). " +
			"A batch starts once no write arrived for this long, counted from the last write or from the end of the batch before it (whose operations start the next ones), " +
			"and at the latest " + strconv.Itoa(device.BatchWindowCap) + " times this long after its first write; the wait stretches to one and a half times the time Terraform is seen to take between operations, and ends at once when as many writes wait as the device has seen in flight together. " +
			"`0s` does not wait: a batch takes the writes that queued while the one before ran. " +
			"It applies to every device. Can also be set with the `" + batchWindowEnv + "` environment variable.",
	}
	resp.Schema = schema.Schema{
		Description: "Configures the on-premises end of site-to-site IPsec VPNs (IKE gateways, tunnels, routes, prefix lists, BGP) over SSH. " +
			"Platforms: " + strings.Join(platform.Names(), ", ") + " (Ubiquiti EdgeOS, Juniper Junos SRX and MX, Yamaha RTX, Juniper ScreenOS).",
		Attributes: attrs,
	}
}

// providerData is what resources and data sources receive from Configure.
type providerData struct {
	devices     map[string]*device.Device // by name; DefaultDevice for the top-level one
	planned     plannedObjects            // objects planned in this run (planned.go)
	planOffline map[string]bool           // devices with plan_offline set
	azure       map[string]*azureSettings // devices with Azure-aware plan checks
	showCmds    map[string]bool           // devices with show_commands set
}

// device returns the device a resource names, or an error that says which names exist.
func (pd *providerData) device(name string) (*device.Device, error) {
	if name == "" {
		name = DefaultDevice
	}
	if d, ok := pd.devices[name]; ok {
		return d, nil
	}
	if name == DefaultDevice {
		return nil, fmt.Errorf("no device given: the provider block configures no top-level device (host and platform), so set `device` to one of: %s", strings.Join(pd.names(), ", "))
	}
	return nil, fmt.Errorf("unknown device %q: the provider's `devices` map has %s", name, quoteList(pd.names()))
}

func (pd *providerData) names() []string {
	var out []string
	for n := range pd.devices {
		if n != DefaultDevice {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func quoteList(names []string) string {
	if len(names) == 0 {
		return "no entries"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

func (p *onpremProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	pd := &providerData{devices: map[string]*device.Device{}, planOffline: map[string]bool{}, azure: map[string]*azureSettings{}, showCmds: map[string]bool{}}
	window, err := batchWindow(cfg.BatchWindow)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("batch_window"), "Invalid batch_window", err.Error())
		return
	}
	top := withEnv(cfg.deviceModel)
	var insecure []string
	if !top.Host.IsNull() || !top.Platform.IsNull() {
		// Set in the environment when the block leaves it unset.
		fromEnv := cfg.InsecureSkipHostKeyCheck.IsNull()
		insecure = append(insecure, insecureHostKeys(DefaultDevice, top, fromEnv)...)
		d, err := buildDevice(ctx, DefaultDevice, top)
		if err != nil {
			resp.Diagnostics.AddError("Invalid provider device configuration", err.Error())
			return
		}
		pd.devices[DefaultDevice] = d
		pd.planOffline[DefaultDevice] = top.PlanOffline.ValueBool()
		pd.azure[DefaultDevice] = top.Azure.settings()
		pd.showCmds[DefaultDevice] = top.ShowCommands.ValueBool()
	}
	for name, dm := range cfg.Devices {
		if name == DefaultDevice {
			resp.Diagnostics.AddAttributeError(path.Root("devices").AtMapKey(name), "Reserved device name",
				fmt.Sprintf("%q names the provider's top-level device; choose another key.", DefaultDevice))
			continue
		}
		if msg := checkDeviceName(name); msg != "" {
			resp.Diagnostics.AddAttributeError(path.Root("devices").AtMapKey(name), "Invalid device name", msg)
			continue
		}
		insecure = append(insecure, insecureHostKeys(name, dm, false)...)
		d, err := buildDevice(ctx, name, dm)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("devices").AtMapKey(name), "Invalid device configuration", err.Error())
			continue
		}
		pd.devices[name] = d
		pd.planOffline[name] = dm.PlanOffline.ValueBool()
		pd.azure[name] = dm.Azure.settings()
		pd.showCmds[name] = dm.ShowCommands.ValueBool()
	}
	for _, d := range pd.devices {
		d.SetBatchWindow(window)
	}
	if len(insecure) > 0 {
		sort.Strings(insecure)
		resp.Diagnostics.AddWarning("Host key verification is disabled",
			"insecure_skip_host_key_check is set for "+strings.Join(insecure, ", ")+". "+
				"Any host key is accepted there, so whoever can intercept the connection can read and change what the provider sends, "+
				"pre-shared keys and passwords included. Pin the key with host_key or known_hosts_file instead.")
	}
	resp.ResourceData = pd
	resp.DataSourceData = pd
}

// insecureHostKeys names the connections of one device block that skip host-key checking: the
// device itself and its jump host, with their addresses and, for the top-level device, the
// environment variable when the setting came from there.
func insecureHostKeys(name string, m deviceModel, fromEnv bool) []string {
	var out []string
	if m.InsecureSkipHostKeyCheck.ValueBool() {
		what := fmt.Sprintf("device %q (%s)", name, hostPort(m.Host, m.Port))
		if fromEnv {
			what += " by ONPREMVPN_INSECURE_SKIP_HOST_KEY_CHECK"
		}
		out = append(out, what)
	}
	if j := m.JumpHost; j != nil && j.InsecureSkipHostKeyCheck.ValueBool() {
		out = append(out, fmt.Sprintf("the jump host (%s) of device %q", hostPort(j.Host, j.Port), name))
	}
	return out
}

func hostPort(host types.String, port types.Int64) string {
	p := int64(22)
	if !port.IsNull() && !port.IsUnknown() {
		p = port.ValueInt64()
	}
	return net.JoinHostPort(strings.Trim(host.ValueString(), "[]"), strconv.FormatInt(p, 10))
}

// planReadDiagnostic explains why a device could not be read at plan time. A host key that is
// unknown or has changed, and a refused login, always fail the plan: they are the symptoms of
// an interception or of wrong credentials, and a plan that goes on would hide them until apply.
// Any other failure (nothing listening, a timeout, a read that failed) fails the plan too,
// unless the device has plan_offline, where it is a warning and the plan is made without the
// device's configuration.
func planReadDiagnostic(name string, err error, offline bool) diag.Diagnostic {
	var (
		hke *sshcli.HostKeyError
		ae  *sshcli.AuthError
		de  *device.DialError
	)
	offlineHint := fmt.Sprintf("To plan without the device (a site that is not built yet), set plan_offline = true in its block%s.", envHint(name, "ONPREMVPN_PLAN_OFFLINE=true"))
	switch {
	case errors.As(err, &hke) && hke.Reason == sshcli.ReasonUnknownHost:
		return diag.NewErrorDiagnostic("Device identity not verified",
			fmt.Sprintf("Device %q presented a host key that is not trusted by the configuration, so the plan stops before logging in.\n\n%s\n\n"+
				"Check the fingerprint out of band (on the device's console), then pin it with host_key or add it to known_hosts_file.", name, err))
	case errors.As(err, &hke):
		return diag.NewErrorDiagnostic("Device identity not verified",
			fmt.Sprintf("Device %q presented a host key other than the one configured, so the plan stops before logging in: "+
				"the connection may be intercepted.\n\n%s\n\n"+
				"If the device was replaced or its key regenerated, check the new fingerprint out of band (on the device's console) and update host_key or known_hosts_file. "+
				"Otherwise do not continue.", name, err))
	case errors.As(err, &ae):
		return diag.NewErrorDiagnostic("Login refused by the device",
			fmt.Sprintf("Device %q refused the login, so the plan stops.\n\n%s\n\nCheck username, password or private_key for this device.", name, err))
	case offline:
		return diag.NewWarningDiagnostic("Device not read at plan time",
			fmt.Sprintf("%s\n\nplan_offline is set for device %q, so the plan was made without its configuration: "+
				"an object that already exists on the device is not detected, and apply fails if the device is still unreachable.", err, name))
	case errors.As(err, &de):
		return diag.NewErrorDiagnostic("Cannot connect to the device at plan time",
			fmt.Sprintf("%s\n\nThe plan checks each object against the device's configuration. %s", err, offlineHint))
	}
	return diag.NewErrorDiagnostic("Device configuration not read at plan time",
		fmt.Sprintf("%s\n\nThe plan checks each object against the device's configuration. %s", err, offlineHint))
}

// envHint names the environment variable that also sets a top-level device argument.
func envHint(name, env string) string {
	if name != DefaultDevice {
		return ""
	}
	return " (or " + env + " for the top-level device)"
}

func checkDeviceName(name string) string {
	if name == "" || strings.ContainsAny(name, "/ \t\r\n") {
		return fmt.Sprintf("%q cannot be used as a device name: it must be non-empty and contain no '/' or whitespace", name)
	}
	return ""
}

// withEnv fills unset top-level arguments from ONPREMVPN_* environment variables.
func withEnv(m deviceModel) deviceModel {
	str := func(v types.String, env string) types.String {
		if v.IsNull() {
			if s, ok := os.LookupEnv(env); ok && s != "" {
				return types.StringValue(s)
			}
		}
		return v
	}
	m.Platform = str(m.Platform, "ONPREMVPN_PLATFORM")
	m.Host = str(m.Host, "ONPREMVPN_HOST")
	m.Username = str(m.Username, "ONPREMVPN_USERNAME")
	m.Password = str(m.Password, "ONPREMVPN_PASSWORD")
	m.PrivateKey = str(m.PrivateKey, "ONPREMVPN_PRIVATE_KEY")
	m.KnownHostsFile = str(m.KnownHostsFile, "ONPREMVPN_KNOWN_HOSTS_FILE")
	m.HostKey = str(m.HostKey, "ONPREMVPN_HOST_KEY")
	if m.Port.IsNull() {
		if s := os.Getenv("ONPREMVPN_PORT"); s != "" {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				m.Port = types.Int64Value(n)
			}
		}
	}
	if m.InsecureSkipHostKeyCheck.IsNull() {
		if s := os.Getenv("ONPREMVPN_INSECURE_SKIP_HOST_KEY_CHECK"); s != "" {
			if b, err := strconv.ParseBool(s); err == nil {
				m.InsecureSkipHostKeyCheck = types.BoolValue(b)
			}
		}
	}
	if m.PlanOffline.IsNull() {
		if s := os.Getenv("ONPREMVPN_PLAN_OFFLINE"); s != "" {
			if b, err := strconv.ParseBool(s); err == nil {
				m.PlanOffline = types.BoolValue(b)
			}
		}
	}
	return m
}

// buildDevice turns one device block into a Device, reusing the process's open session to
// the same device with the same settings.
func buildDevice(ctx context.Context, name string, m deviceModel) (*device.Device, error) {
	if m.Platform.IsUnknown() || m.Host.IsUnknown() {
		return nil, fmt.Errorf("device %q: platform and host must be known before apply", name)
	}
	plat, ok := platform.Get(m.Platform.ValueString())
	if !ok {
		return nil, fmt.Errorf("device %q: platform %q is not supported; use one of %s", name, m.Platform.ValueString(), strings.Join(platform.Names(), ", "))
	}
	if m.Host.ValueString() == "" {
		return nil, fmt.Errorf("device %q: host is required", name)
	}
	if m.Username.ValueString() == "" {
		return nil, fmt.Errorf("device %q: username is required", name)
	}
	if m.Password.ValueString() == "" && m.PrivateKey.ValueString() == "" {
		return nil, fmt.Errorf("device %q: set password or private_key", name)
	}
	options, err := deviceOptions(name, plat, m.Options)
	if err != nil {
		return nil, err
	}
	// The transport's settings (prompt, algorithms) come from the dialect bound to the
	// options: the facts are only known once the device is reached.
	bound, err := platform.Bind(plat, vpn.Facts{}, options)
	if err != nil {
		return nil, fmt.Errorf("device %q: platform %s: %w", name, plat.Name(), err)
	}
	sc, err := sshConfig(m, bound)
	if err != nil {
		return nil, fmt.Errorf("device %q: %w", name, err)
	}
	address := fmt.Sprintf("%s:%d", sc.Host, sc.Port)
	key := poolKey(name, plat.Name(), sc)
	if len(options) > 0 {
		key = poolKey(name, plat.Name()+"\x00"+optionsKey(options), sc)
	}
	return devicePool.Get(key, func() *device.Device {
		return device.New(device.Options{
			Name:     name,
			Address:  address,
			Platform: plat,
			Dial: func(ctx context.Context) (device.Conn, error) {
				return sshcli.Open(ctx, sc)
			},
			Logger:         tfLogger,
			DialectOptions: options,
		})
	}), nil
}

// sshConfig builds the transport's configuration for one device block. The output of the
// platform's on-open commands (paging off, terminal width) is checked with its CheckOutput, so
// that a device that refuses them fails at once instead of paging the configuration.
func sshConfig(m deviceModel, plat platform.Platform) (sshcli.Config, error) {
	spec := plat.Session()
	sc := sshcli.Config{
		Host:                     m.Host.ValueString(),
		Port:                     22,
		Username:                 m.Username.ValueString(),
		Password:                 m.Password.ValueString(),
		PrivateKey:               []byte(m.PrivateKey.ValueString()),
		PrivateKeyPassphrase:     m.PrivateKeyPassphrase.ValueString(),
		KnownHostsFile:           m.KnownHostsFile.ValueString(),
		HostKey:                  m.HostKey.ValueString(),
		InsecureSkipHostKeyCheck: m.InsecureSkipHostKeyCheck.ValueBool(),
		LegacyAlgorithms:         m.LegacyAlgorithms.ValueBool(),
		KeyExchanges:             algorithms(m.KexAlgorithms, spec.KeyExchanges, m.LegacyAlgorithms.ValueBool(), kexDefaults),
		Ciphers:                  algorithms(m.Ciphers, spec.Ciphers, m.LegacyAlgorithms.ValueBool(), cipherDefaults),
		MACs:                     algorithms(m.MACs, spec.MACs, m.LegacyAlgorithms.ValueBool(), macDefaults),
		HostKeyAlgorithms:        algorithms(m.HostKeyAlgorithms, spec.HostKeyAlgorithms, m.LegacyAlgorithms.ValueBool(), hostKeyDefaults),
		PromptPattern:            spec.PromptPattern,
		ReturnChar:               spec.ReturnChar,
		OnOpen:                   spec.OnOpen,
		CheckOnOpen:              plat.CheckOutput,
	}
	if len(sc.PrivateKey) == 0 {
		sc.PrivateKey = nil
	}
	if !m.Port.IsNull() {
		if m.Port.ValueInt64() < 1 || m.Port.ValueInt64() > 65535 {
			return sc, fmt.Errorf("port must be between 1 and 65535, got %d", m.Port.ValueInt64())
		}
		sc.Port = int(m.Port.ValueInt64())
	}
	var err error
	if sc.ConnectTimeout, err = duration(m.ConnectTimeout, "connect_timeout"); err != nil {
		return sc, err
	}
	if sc.CommandTimeout, err = duration(m.CommandTimeout, "command_timeout"); err != nil {
		return sc, err
	}
	if j := m.JumpHost; j != nil {
		jc := &sshcli.Config{
			Host:                     j.Host.ValueString(),
			Port:                     22,
			Username:                 j.Username.ValueString(),
			Password:                 j.Password.ValueString(),
			KnownHostsFile:           j.KnownHostsFile.ValueString(),
			HostKey:                  j.HostKey.ValueString(),
			InsecureSkipHostKeyCheck: j.InsecureSkipHostKeyCheck.ValueBool(),
			ConnectTimeout:           sc.ConnectTimeout,
		}
		if s := j.PrivateKey.ValueString(); s != "" {
			jc.PrivateKey = []byte(s)
		}
		if !j.Port.IsNull() {
			jc.Port = int(j.Port.ValueInt64())
		}
		sc.Jump = jc
	}
	return sc, nil
}

func duration(v types.String, attr string) (time.Duration, error) {
	if v.IsNull() || v.ValueString() == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v.ValueString())
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s: %q is not a positive duration such as 30s or 2m", attr, v.ValueString())
	}
	return d, nil
}

// batchWindow is the device layer's BatchWindow for the provider's batch_window (or its
// environment variable): 0 for the default, negative for no wait.
func batchWindow(v types.String) (time.Duration, error) {
	s := v.ValueString()
	if v.IsNull() {
		s = os.Getenv(batchWindowEnv)
	}
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	switch {
	case err != nil || d < 0:
		return 0, fmt.Errorf("batch_window: %q is not a duration such as 10ms or 0s", s)
	case d == 0:
		return -1, nil
	case d > time.Minute:
		return 0, fmt.Errorf("batch_window: %s is longer than a minute; every write would wait that long", d)
	}
	return d, nil
}

// tfLogger routes the device layer's (already redacted) records to tflog.
func tfLogger(ctx context.Context, level, msg string, fields map[string]any) {
	ctx = tflog.NewSubsystem(ctx, "device")
	switch level {
	case "warn":
		tflog.SubsystemWarn(ctx, "device", msg, fields)
	case "info":
		tflog.SubsystemInfo(ctx, "device", msg, fields)
	default:
		tflog.SubsystemDebug(ctx, "device", msg, fields)
	}
}

func (p *onpremProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newIKEGatewayResource,
		newVPNTunnelResource,
		newSourceRouteResource,
		newStaticRouteResource,
		newPrefixListResource,
		newBGPNeighborResource,
		newSecurityPolicyResource,
	}
}

func (p *onpremProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newDeviceDataSource,
		newRunningConfigDataSource,
		newObjectsDataSource,
		newAzureIPsecPolicyDataSource,
	}
}
