package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Discovery: what a device already holds, as the provider would import it. The
// onpremvpn_objects data source and the `discover` command (internal/discover) both use it,
// and the command reaches the device through DeviceSettings and OpenDevice, the provider's
// own wiring, so that a device the provider can reach is one discovery can reach.

// DeviceSettings is how to reach one device, as plain values: the arguments of a device block
// that the `discover` command takes as flags. Zero values are unset.
type DeviceSettings struct {
	Platform                 string
	Host                     string
	Port                     int
	Username                 string
	Password                 string
	PrivateKey               string
	PrivateKeyPassphrase     string
	KnownHostsFile           string
	HostKey                  string
	InsecureSkipHostKeyCheck bool
	LegacyAlgorithms         bool
	ConnectTimeout           string
	CommandTimeout           string
	Options                  map[string]string
	// Jump is the bastion host the device is reached through; nil for none.
	Jump *JumpSettings
}

// JumpSettings is the `jump_host` block as plain values.
type JumpSettings struct {
	Host                     string
	Port                     int
	Username                 string
	Password                 string
	PrivateKey               string
	KnownHostsFile           string
	HostKey                  string
	InsecureSkipHostKeyCheck bool
}

func (s DeviceSettings) model() deviceModel {
	str := func(v string) types.String {
		if v == "" {
			return types.StringNull()
		}
		return types.StringValue(v)
	}
	m := deviceModel{
		Platform:             str(s.Platform),
		Host:                 str(s.Host),
		Port:                 types.Int64Null(),
		Username:             str(s.Username),
		Password:             str(s.Password),
		PrivateKey:           str(s.PrivateKey),
		PrivateKeyPassphrase: str(s.PrivateKeyPassphrase),
		KnownHostsFile:       str(s.KnownHostsFile),
		HostKey:              str(s.HostKey),
		ConnectTimeout:       str(s.ConnectTimeout),
		CommandTimeout:       str(s.CommandTimeout),
		Options:              types.MapNull(types.StringType),
		PlanOffline:          types.BoolNull(),
		InsecureSkipHostKeyCheck: func() types.Bool {
			if s.InsecureSkipHostKeyCheck {
				return types.BoolValue(true)
			}
			return types.BoolNull()
		}(),
		LegacyAlgorithms: types.BoolValue(s.LegacyAlgorithms),
	}
	if s.Port != 0 {
		m.Port = types.Int64Value(int64(s.Port))
	}
	if j := s.Jump; j != nil {
		m.JumpHost = &jumpModel{
			Host: str(j.Host), Port: types.Int64Null(), Username: str(j.Username), Password: str(j.Password),
			PrivateKey: str(j.PrivateKey), KnownHostsFile: str(j.KnownHostsFile), HostKey: str(j.HostKey),
			InsecureSkipHostKeyCheck: types.BoolValue(j.InsecureSkipHostKeyCheck),
		}
		if j.Port != 0 {
			m.JumpHost.Port = types.Int64Value(int64(j.Port))
		}
	}
	if len(s.Options) > 0 {
		elems := map[string]types.String{}
		for k, v := range s.Options {
			elems[k] = types.StringValue(v)
		}
		m.Options, _ = types.MapValueFrom(context.Background(), types.StringType, elems)
	}
	return m
}

// WithEnv returns s with unset arguments taken from the ONPREMVPN_* environment variables,
// exactly as the provider block's top-level device takes them.
func (s DeviceSettings) WithEnv() DeviceSettings {
	m := withEnv(s.model())
	s.Platform = m.Platform.ValueString()
	s.Host = m.Host.ValueString()
	s.Username = m.Username.ValueString()
	s.Password = m.Password.ValueString()
	s.PrivateKey = m.PrivateKey.ValueString()
	s.KnownHostsFile = m.KnownHostsFile.ValueString()
	s.HostKey = m.HostKey.ValueString()
	s.Port = int(m.Port.ValueInt64())
	s.InsecureSkipHostKeyCheck = m.InsecureSkipHostKeyCheck.ValueBool()
	return s
}

// OpenDevice returns the device a provider block with these settings would use, under the
// given name (DefaultDevice for the top-level device). Nothing is dialled until the device is
// read. The error names the device and the argument, never a secret.
func OpenDevice(ctx context.Context, name string, s DeviceSettings) (*device.Device, error) {
	return buildDevice(ctx, name, s.model())
}

// DiscoveredObject is one object a device holds that a resource of the provider can manage.
type DiscoveredObject struct {
	Kind vpn.Kind
	// ResourceType is the resource that manages it, e.g. "onpremvpn_ike_gateway".
	ResourceType string
	// Key is the object's key (vpn.Object.Key); ImportID is `<device>/<key>`, as the
	// resource's import takes it.
	Key      string
	ImportID string
	// Summary is one line about the object, without any secret.
	Summary string
	// Secrets names the secret attributes the object holds on the device (e.g.
	// "pre_shared_key"), never their values.
	Secrets []string
	// Problems are what the resource would refuse in the object as the device holds it
	// (vpn.Object.Validate and the platform's Validate, as at plan time), one
	// "<attribute>: <message>" each: the device accepted a value the provider does not
	// write, so the generated configuration fails validation until it is changed.
	Problems []string
}

// Discovery is what one device holds, seen through the provider.
type Discovery struct {
	Device   string // the device's name in the provider block (DefaultDevice for the top level)
	Platform string
	Objects  []DiscoveredObject // in dependency order (vpn.Kinds), by key within a kind
	// Unmodelled counts the configuration lines no object accounts for, when the platform can
	// tell (Counted); those are left alone by the provider.
	Unmodelled int
	Counted    bool
}

// Discover reads the device's configuration (one read, shared with everything else the
// process does with the device) and lists every object its dialect recognises in it.
func Discover(ctx context.Context, name string, dev *device.Device) (Discovery, error) {
	snap, err := dev.Snapshot(ctx)
	if err != nil {
		return Discovery{}, err
	}
	plat := dev.Dialect(ctx)
	out := Discovery{Device: name, Platform: plat.Name()}
	rtypes, views := resourceTypes(), importViews()
	for _, k := range vpn.Kinds {
		if !platform.Supports(plat, k) {
			continue
		}
		spec, _ := vpn.SpecOf(k)
		for _, o := range snap.Config.OfKind(k) {
			d := DiscoveredObject{
				Kind:         k,
				ResourceType: rtypes[k],
				Key:          o.Key(),
				ImportID:     name + "/" + o.Key(),
				Summary:      oneLine(summary(o)),
			}
			if spec.SecretFields != nil {
				for field, v := range spec.SecretFields(o) {
					if *v != "" {
						d.Secrets = append(d.Secrets, field)
					}
				}
				sort.Strings(d.Secrets)
			}
			c := vpn.CloneObject(o)
			if view := views[k]; view != nil {
				view(c)
			}
			plat.Normalize(c)
			for _, e := range append(c.Validate(), plat.Validate(c)...) {
				d.Problems = append(d.Problems, oneLine(e.Field+": "+e.Message))
			}
			out.Objects = append(out.Objects, d)
		}
	}
	out.Unmodelled, out.Counted = platform.Unmodelled(plat, snap.Text, snap.Config)
	return out, nil
}

// kindResource is implemented by every resource of an object kind.
type kindResource interface {
	resourceKind() (vpn.Kind, string)
}

func (r *objectResource[M, PM]) resourceKind() (vpn.Kind, string) { return r.kind, r.typeName }

// importView edits o, a copy of a device's object, into what the resource holds after an
// import (see importViewer).
func (r *objectResource[M, PM]) importView(o vpn.Object) {
	if iv, ok := any(PM(new(M))).(importViewer); ok {
		iv.importView(o)
	}
}

// importViews maps each kind to its resource's importView.
func importViews() map[vpn.Kind]func(vpn.Object) {
	out := map[vpn.Kind]func(vpn.Object){}
	for _, f := range (&onpremProvider{}).Resources(context.Background()) {
		if kr, ok := f().(interface {
			kindResource
			importView(vpn.Object)
		}); ok {
			k, _ := kr.resourceKind()
			out[k] = kr.importView
		}
	}
	return out
}

// resourceTypes maps each kind to the resource type that manages it.
func resourceTypes() map[vpn.Kind]string {
	out := map[vpn.Kind]string{}
	for _, f := range (&onpremProvider{}).Resources(context.Background()) {
		if kr, ok := f().(kindResource); ok {
			k, name := kr.resourceKind()
			out[k] = "onpremvpn_" + name
		}
	}
	return out
}

// summary describes an object in one line, in the model's terms and without any secret.
func summary(o vpn.Object) string {
	var parts []string
	add := func(format string, args ...any) { parts = append(parts, fmt.Sprintf(format, args...)) }
	switch v := o.(type) {
	case *vpn.IKEGateway:
		add("peer %s", v.PeerAddress)
		if v.LocalAddress != "" {
			add("local %s", v.LocalAddress)
		}
		add("IKEv%d", v.IKEVersion)
		var ps []string
		for _, p := range v.Proposals {
			ps = append(ps, fmt.Sprintf("%s-%s-dh%d", p.Encryption, p.Integrity, p.DHGroup))
		}
		if len(ps) > 0 {
			add("proposals %s", strings.Join(ps, " "))
		}
	case *vpn.Tunnel:
		add("gateway %s", v.Gateway)
		if v.Interface != "" {
			add("route-based on %s", v.Interface)
		} else {
			add("policy-based, %d traffic selector(s)", len(v.Selectors))
		}
		var ps []string
		for _, p := range v.Proposals {
			ps = append(ps, p.Encryption+"-"+p.Integrity)
		}
		if len(ps) > 0 {
			add("proposals %s", strings.Join(ps, " "))
		}
	case *vpn.StaticRoute:
		if v.Interface != "" {
			add("via interface %s", v.Interface)
		}
		if v.NextHop != "" {
			add("via %s", v.NextHop)
		}
		if v.Distance != 0 {
			add("distance %d", v.Distance)
		}
		if v.RoutingInstance != "" {
			add("in %s", v.RoutingInstance)
		}
	case *vpn.SourceRoute:
		dst := v.Destination
		if dst == "" {
			dst = "any"
		}
		add("to %s", dst)
		if v.Interface != "" {
			add("via interface %s", v.Interface)
		}
		if v.NextHop != "" {
			add("via %s", v.NextHop)
		}
	case *vpn.PrefixList:
		add("%d rule(s)", len(v.Rules))
	case *vpn.BGPNeighbor:
		add("AS %d to AS %d", v.LocalAS, v.RemoteAS)
		if n := len(v.Networks); n > 0 {
			add("%d network(s) announced", n)
		}
		if v.PrefixListIn != "" || v.PrefixListOut != "" {
			add("prefix lists in %q out %q", v.PrefixListIn, v.PrefixListOut)
		}
	case *vpn.SecurityPolicy:
		if v.Number != 0 {
			add("id %d", v.Number)
		}
		add("from %s to %s", v.FromZone, v.ToZone)
		action := v.Action
		if v.Tunnel != "" {
			action += " " + v.Tunnel
		}
		add("%s %s %s %s", strings.Join(withAny(v.Sources, anyAddress), " "), strings.Join(withAny(v.Destinations, anyAddress), " "),
			strings.Join(withAny(v.Services, anyService), " "), action)
	default:
		add("%s %s", o.Kind(), o.Key())
	}
	return strings.Join(parts, ", ")
}

// oneLine keeps a summary on one line of printable text: device text can hold anything.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || !unicode.IsPrint(r) && r != ' ' {
			return '?'
		}
		return r
	}, s)
}
