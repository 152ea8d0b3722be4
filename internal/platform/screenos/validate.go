package screenos

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Normalize fills the device's defaults: IKEv1 main mode, anti-replay off (the vpn line
// always says replay or no-replay), the Untrust zone for a tunnel interface, and a policy's
// lone "any" address or ANY service as the empty list that means the same.
func (*ScreenOS) Normalize(o vpn.Object) {
	switch v := o.(type) {
	case *vpn.IKEGateway:
		if v.Mode == "" && v.IKEVersion != 2 {
			v.Mode = vpn.IKEModeMain
		}
	case *vpn.Tunnel:
		if v.AntiReplay == nil {
			f := false
			v.AntiReplay = &f
		}
		if v.Interface != "" && v.Zone == "" {
			v.Zone = defaultZone
		}
	case *vpn.SecurityPolicy:
		// "any" and ANY alone are what an empty list means.
		if len(v.Sources) == 1 && strings.EqualFold(v.Sources[0], "any") {
			v.Sources = nil
		}
		if len(v.Destinations) == 1 && strings.EqualFold(v.Destinations[0], "any") {
			v.Destinations = nil
		}
		if len(v.Services) == 1 && strings.EqualFold(v.Services[0], "ANY") {
			v.Services = nil
		}
	}
}

// What ScreenOS takes.
var (
	screenosEnc   = []string{"des", "3des", "aes128", "aes192", "aes256"}
	screenosHash  = []string{"md5", "sha1", "sha256"}
	screenosDH    = map[int]bool{1: true, 2: true, 5: true, 14: true}
	tunnelIfaceRE = regexp.MustCompile(`^tunnel\.[1-9][0-9]{0,3}$`)
	// maxTunnelIface: the reference and the seeds give no maximum for tunnel.N; the
	// simulator creates tunnel.1 to tunnel.1024 and refuses the rest (`Interface tunnel.4095
	// doesn't exist`, found by FuzzScreenOSThroughSimulator). The plan refuses what the device
	// would refuse mid-apply.
	maxTunnelIface = 1024
)

type errs struct{ vpn.Errors }

func (e *errs) add(field, format string, args ...any) {
	e.Errors = append(e.Errors, vpn.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// name refuses what cannot stand in a double-quoted ScreenOS token, and a name the CLI would
// take for a keyword.
func (e *errs) name(field, v string) {
	if v == "" {
		return
	}
	if keywords[v] {
		if strings.Contains(field, "key") || field == "password" {
			e.add(field, "is a ScreenOS keyword, which the command line would read as one; choose another")
		} else {
			e.add(field, "%q is a ScreenOS keyword; choose another name", v)
		}
	}
	e.text(field, v)
}

// text refuses characters ScreenOS cannot take inside double quotes: the quote itself (there
// is no escape), `?` (the CLI's help key, acted on as it is typed), backslashes, control
// characters and non-ASCII text.
func (e *errs) text(field, v string) {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '"':
			e.add(field, "must not contain a double quote: ScreenOS has no escape inside a quoted name")
			return
		case c == '?':
			e.add(field, "must not contain '?': the ScreenOS command line shows help when it is typed")
			return
		case c == '\\':
			e.add(field, "must not contain a backslash")
			return
		case c < ' ' || c == 0x7f:
			e.add(field, "must not contain control characters")
			return
		case c >= 0x80:
			e.add(field, "must contain only ASCII characters (ScreenOS names and keys are ASCII)")
			return
		}
	}
}

func (e *errs) oneOf(field, v string, allowed []string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	e.add(field, "%q is not available on ScreenOS; use one of %s", v, strings.Join(allowed, ", "))
}

// Validate checks what ScreenOS can express. Every problem names the attribute.
func (s *ScreenOS) Validate(o vpn.Object) vpn.Errors {
	var e errs
	switch v := o.(type) {
	case *vpn.IKEGateway:
		e.name("name", v.Name)
		if v.Number != 0 {
			e.add("gateway_number", "ScreenOS names IKE gateways (`set ike gateway \"NAME\"`); leave it unset")
		}
		if v.IKEVersion == 2 && s.v54 {
			e.add("ike_version", "IKEv2 gateways (`set ike gateway ikev2`) need ScreenOS 6.3; this device runs 5.x")
		}
		for i, p := range v.Proposals {
			f := fmt.Sprintf("proposals[%d]", i)
			e.oneOf(f+".encryption", p.Encryption, screenosEnc)
			e.oneOf(f+".integrity", p.Integrity, screenosHash)
			if !screenosDH[p.DHGroup] {
				e.add(f+".dh_group", "group %d is not available on ScreenOS; use 1, 2, 5 or 14", p.DHGroup)
			}
		}
		e.name("pre_shared_key", v.PreSharedKey)
		e.name("local_id", v.LocalID)
		e.name("remote_id", v.RemoteID)
		if v.DPD != nil {
			e.add("dpd", "ScreenOS has no dpd action or timeout; use liveness (dpd-liveness interval and retry)")
		}
		if v.NATTraversal != nil && !*v.NATTraversal {
			e.add("nat_traversal", "false is ScreenOS's default (no nat-traversal line); leave it unset")
		}
		if v.ConnectionType != "" {
			e.add("connection_type", "ScreenOS gateways both initiate and respond; leave it unset")
		}
		if v.Description != "" {
			e.add("description", "ScreenOS IKE gateways have no description")
		}
	case *vpn.Tunnel:
		e.name("name", v.Name)
		e.name("ike_gateway", v.Gateway)
		for i, p := range v.Proposals {
			f := fmt.Sprintf("proposals[%d]", i)
			e.oneOf(f+".encryption", p.Encryption, screenosEnc)
			e.oneOf(f+".integrity", p.Integrity, screenosHash)
		}
		if v.PFSGroup != 0 && !screenosDH[v.PFSGroup] {
			e.add("pfs_group", "group %d is not available on ScreenOS; use 0 (no-pfs), 1, 2, 5 or 14", v.PFSGroup)
		}
		if v.Interface != "" && !tunnelIfaceRE.MatchString(v.Interface) {
			e.add("tunnel_interface", "%q is not a ScreenOS tunnel interface (tunnel.N)", v.Interface)
		} else if n, _ := strconv.Atoi(strings.TrimPrefix(v.Interface, "tunnel.")); n > maxTunnelIface {
			e.add("tunnel_interface", "%q: ScreenOS tunnel interfaces are numbered 1-%d", v.Interface, maxTunnelIface)
		}
		if v.Interface == "" {
			for _, f := range []struct {
				set  bool
				name string
			}{{v.Zone != "", "tunnel_zone"}, {v.UnnumberedInterface != "", "unnumbered_interface"}, {v.MTU != 0, "mtu"}} {
				if f.set {
					e.add(f.name, "needs tunnel_interface")
				}
			}
		}
		if v.Address != "" && v.UnnumberedInterface != "" {
			e.add("unnumbered_interface", "conflicts with tunnel_interface_address; set only one")
		}
		if v.UnnumberedInterface != "" && !ifaceRE.MatchString(v.UnnumberedInterface) {
			e.add("unnumbered_interface", "%q is not a ScreenOS interface name", v.UnnumberedInterface)
		}
		e.name("tunnel_zone", v.Zone)
		if v.MTU != 0 && (v.MTU < 576 || v.MTU > 1500) {
			e.add("mtu", "must be between 576 and 1500 on ScreenOS, got %d", v.MTU)
		}
		if len(v.Selectors) > 1 {
			e.add("traffic_selectors", "ScreenOS takes one proxy-id per VPN; make one vpn_tunnel per segment (one phase-2 SA each), as the device does")
		}
		for i, sel := range v.Selectors {
			if _, ok := serviceOfProtocol[sel.Protocol]; !ok {
				e.add(fmt.Sprintf("traffic_selectors[%d].protocol", i), "%q has no predefined ScreenOS service; use tcp, udp, icmp or leave it unset (ANY)", sel.Protocol)
			}
			if sel.LocalPort != 0 || sel.RemotePort != 0 {
				e.add(fmt.Sprintf("traffic_selectors[%d]", i), "ScreenOS proxy-ids take a service, not ports; leave local_port and remote_port unset")
			}
		}
		if v.TCPMSS != 0 {
			e.add("tcp_mss", "ScreenOS sets the MSS for all VPN traffic at once (`set flow vpn-tcp-mss`), not per tunnel")
		}
		if v.Description != "" {
			e.add("description", "ScreenOS VPNs have no description")
		}
		if v.Number != 0 {
			e.add("tunnel_number", "ScreenOS numbers tunnel interfaces by name (tunnel_interface = \"tunnel.N\"); leave it unset")
		}
		if m := v.Monitor; m != nil && (m.Destination != "" || m.Interval != 0 || m.Threshold != 0) {
			e.add("monitor", "ScreenOS's VPN monitor takes no destination, interval or threshold per VPN here; set monitor = {} (optimized)")
		}
	case *vpn.SourceRoute:
		e.name("routing_instance", v.RoutingInstance)
		if v.Destination != "" {
			e.add("destination", "ScreenOS source routes match the source only")
		}
		if v.Interface != "" && !ifaceRE.MatchString(v.Interface) {
			e.add("tunnel_interface", "%q is not a ScreenOS interface name", v.Interface)
		}
		for _, f := range []struct {
			set  bool
			name string
		}{{v.Table != 0, "table"}, {v.Rule != 0, "rule"}, {v.Ruleset != "", "ruleset"}, {v.IngressInterface != "", "ingress_interface"}, {v.Description != "", "description"}} {
			if f.set {
				e.add(f.name, "ScreenOS source routes have no %s", strings.ReplaceAll(f.name, "_", " "))
			}
		}
	case *vpn.StaticRoute:
		e.name("routing_instance", v.RoutingInstance)
		if v.Interface != "" && !ifaceRE.MatchString(v.Interface) {
			e.add("tunnel_interface", "%q is not a ScreenOS interface name", v.Interface)
		}
	case *vpn.PrefixList:
		e.name("name", v.Name)
		if v.Description != "" {
			e.add("description", "ScreenOS access-lists have no description")
		}
		if v.Number != 0 && (v.Number < aclRange.Min || v.Number > aclRange.Max) {
			e.add("number", "ScreenOS access-list ids are %d to %d, got %d", aclRange.Min, aclRange.Max, v.Number)
		}
		for _, r := range v.Rules {
			f := fmt.Sprintf("rules[%q]", fmt.Sprint(r.Sequence))
			if r.GE != 0 || r.LE != 0 {
				e.add(f, "ScreenOS access-list entries match the prefix exactly; ge and le are not available")
			}
			if r.Description != "" {
				e.add(f+".description", "ScreenOS access-list entries have no description")
			}
			if r.Sequence > 65535 {
				e.add(f, "sequence must be at most 65535")
			}
		}
	case *vpn.BGPNeighbor:
		if v.Number != 0 {
			e.add("neighbor_number", "ScreenOS identifies a BGP neighbor by its address; leave it unset")
		}
		e.name("routing_instance", v.RoutingInstance)
		e.name("password", v.Password)
		e.name("prefix_list_in", v.PrefixListIn)
		e.name("prefix_list_out", v.PrefixListOut)
		if v.UpdateSource != "" && !ifaceRE.MatchString(v.UpdateSource) {
			e.add("update_source", "ScreenOS takes an interface name here (src-interface), not an address")
		}
		if v.SoftReconfigIn {
			e.add("soft_reconfiguration_inbound", "not available on ScreenOS")
		}
		if v.Description != "" {
			e.add("description", "ScreenOS BGP neighbors have no description")
		}
		if v.Keepalive > 21845 {
			e.add("keepalive", "must be at most 21845 on ScreenOS")
		}
	case *vpn.SecurityPolicy:
		e.name("name", v.Name)
		e.name("from_zone", v.FromZone)
		e.name("to_zone", v.ToZone)
		e.name("tunnel", v.Tunnel)
		for i, svc := range v.Services {
			e.name(fmt.Sprintf("services[%d]", i), svc)
		}
		if v.Description != "" {
			e.add("description", "ScreenOS policies have a name, not a description")
		}
		if v.Action == "tunnel" && v.FromZone == v.ToZone {
			e.add("to_zone", "a tunnel policy goes from one zone to another")
		}
	}
	return e.Errors
}

// PlanCheck judges o against the rest of the device's configuration: the pitfalls of
// multi-segment ScreenOS VPNs.
func (s *ScreenOS) PlanCheck(o vpn.Object, desired *vpn.Config) (errors, warnings vpn.Errors) {
	var es, ws errs
	switch v := o.(type) {
	case *vpn.SourceRoute:
		switch {
		case v.Preference == 0:
			es.add("preference", "unset, the device uses its default preference 20, the same as the destination routes, so traffic from %s may still leave by the default route; set a preference below 20 (e.g. 15)", v.Source)
		case v.Preference >= 20:
			es.add("preference", "%d is not below ScreenOS's default route preference 20, so traffic from %s may still leave by the default route; set a lower one (e.g. 15)", v.Preference, v.Source)
		}
	case *vpn.Tunnel:
		if v.Interface != "" {
			for _, x := range desired.OfKind(vpn.KindTunnel) {
				t := x.(*vpn.Tunnel)
				if t.Name != v.Name && t.Interface == v.Interface {
					es.add("tunnel_interface", "%s is already bound to vpn_tunnel %q; ScreenOS binds one VPN per tunnel interface (one tunnel.N per segment)", v.Interface, t.Name)
				}
			}
			for i, sel := range v.Selectors {
				if !routedInto(desired, v.Interface, sel) {
					ws.add(fmt.Sprintf("traffic_selectors[%d]", i), "no source route from %s nor static route to %s goes into %s: traffic for this proxy-id will not enter the tunnel", sel.Local, sel.Remote, v.Interface)
				}
			}
		}
	case *vpn.SecurityPolicy:
		for _, w := range shadowed(desired, v) {
			ws.add("position", "%s", w)
		}
		if v.Action == "tunnel" && desired.Get(vpn.KindTunnel, v.Tunnel) == nil {
			ws.add("tunnel", "vpn_tunnel %q is not on the device yet", v.Tunnel)
		}
	}
	return es.Errors, ws.Errors
}

// routedInto reports whether a source route of sel's local side or a static route of its
// remote side goes into iface.
func routedInto(cfg *vpn.Config, iface string, sel vpn.TrafficSelector) bool {
	for _, x := range cfg.OfKind(vpn.KindSourceRoute) {
		r := x.(*vpn.SourceRoute)
		if r.Interface == iface && covers(r.Source, sel.Local) {
			return true
		}
	}
	for _, x := range cfg.OfKind(vpn.KindStaticRoute) {
		r := x.(*vpn.StaticRoute)
		if r.Interface == iface && covers(r.Destination, sel.Remote) {
			return true
		}
	}
	return false
}

// covers reports whether prefix a holds all of b ("any" or "" holds everything).
func covers(a, b string) bool {
	if a == "" || a == "any" {
		return true
	}
	if b == "" || b == "any" {
		return a == "0.0.0.0/0"
	}
	pa, err1 := netip.ParsePrefix(a)
	pb, err2 := netip.ParsePrefix(b)
	if err1 != nil || err2 != nil {
		return a == b
	}
	return pa.Bits() <= pb.Bits() && pa.Contains(pb.Addr())
}

func coversAll(above, below []string) bool {
	if len(above) == 0 {
		return true
	}
	if len(below) == 0 {
		for _, a := range above {
			if covers(a, "any") {
				return true
			}
		}
		return false
	}
	for _, b := range below {
		ok := false
		for _, a := range above {
			if covers(a, b) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func servicesCover(above, below []string) bool {
	has := func(list []string, s string) bool {
		for _, x := range list {
			if strings.EqualFold(x, s) {
				return true
			}
		}
		return false
	}
	if len(above) == 0 || has(above, "ANY") {
		return true
	}
	if len(below) == 0 || has(below, "ANY") {
		return false
	}
	for _, b := range below {
		if !has(above, b) {
			return false
		}
	}
	return true
}

// broader reports whether every packet b matches, a matches too.
func broader(a, b *vpn.SecurityPolicy) bool {
	return coversAll(a.Sources, b.Sources) && coversAll(a.Destinations, b.Destinations) && servicesCover(a.Services, b.Services)
}

// shadowed returns the warnings for p's zone pair once p stands at its position: p can never
// match because a broader policy sits above it, or p sits above a policy it makes unmatchable.
func shadowed(cfg *vpn.Config, p *vpn.SecurityPolicy) []string {
	others := vpn.NewConfig()
	for _, x := range cfg.OfKind(vpn.KindSecurityPolicy) {
		if x.Key() != p.Key() {
			others.Put(x)
		}
	}
	o := orderOf(others)
	// Where p goes.
	var pair []*vpn.SecurityPolicy
	for _, r := range o {
		if r.from == p.FromZone && r.to == p.ToZone {
			if x, ok := policyByID(others, r.id); ok {
				pair = append(pair, x)
			}
		}
	}
	at := len(pair)
	position, _, _ := strings.Cut(p.Position, ",") // Parse's form: by the neighbour above
	switch {
	case position == "top":
		at = 0
	case strings.HasPrefix(position, "before:") || strings.HasPrefix(position, "after:"):
		where, n, _ := strings.Cut(position, ":")
		for i, x := range pair {
			if fmt.Sprint(x.Number) == n {
				at = i
				if where == "after" {
					at = i + 1
				}
			}
		}
	}
	var out []string
	for i, x := range pair {
		if i < at && broader(x, p) {
			out = append(out, fmt.Sprintf("security_policy %q (policy id %d) sits above this policy and matches everything it matches, so this policy can never match; place it before policy %d", x.Name, x.Number, x.Number))
		}
		if i >= at && broader(p, x) {
			out = append(out, fmt.Sprintf("this policy sits above security_policy %q (policy id %d) and matches everything it matches, so that policy can never match", x.Name, x.Number))
		}
	}
	return out
}

func policyByID(cfg *vpn.Config, id int) (*vpn.SecurityPolicy, bool) {
	for _, x := range cfg.OfKind(vpn.KindSecurityPolicy) {
		if p := x.(*vpn.SecurityPolicy); p.Number == id {
			return p, true
		}
	}
	return nil, false
}
