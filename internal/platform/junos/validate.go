package junos

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/junos9"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

var (
	st0RE = regexp.MustCompile(`^st0\.[0-9]{1,5}$`)
	// ifUnitRE is a Junos interface unit: ge-0/0/1.0, xe-1/2/3.100, reth0.0, lo0.0, irb.10.
	ifUnitRE = regexp.MustCompile(`^[a-z][a-z0-9]*(-[0-9]+/[0-9]+/[0-9]+(:[0-9]+)?)?\.[0-9]{1,5}$`)
	// nameRE is what this dialect writes as a Junos object name (proposals, policies,
	// filters, instances).
	nameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.\-]{0,62}$`)
)

// Normalize fills the Junos default of a source route: the filter SOURCE_ROUTE.
func (*Junos) Normalize(o vpn.Object) {
	if s, ok := o.(*vpn.SourceRoute); ok && s.Ruleset == "" {
		s.Ruleset = defaultRuleset
	}
}

// Validate reports what SRX cannot express, each problem naming the attribute.
func (j *Junos) Validate(o vpn.Object) vpn.Errors {
	var es vpn.Errors
	add := func(field, format string, args ...any) {
		es = append(es, vpn.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	label := "SRX"
	if j.flavor == FlavorMX {
		label = "MX"
		validateMX(o, add)
	}
	no := func(field, why string) { add(field, "is not supported on Junos %s: %s", label, why) }
	switch v := o.(type) {
	case *vpn.IKEGateway:
		checkName(add, "name", v.Name)
		if v.Number != 0 {
			no("gateway_number", "Junos names IKE gateways (ike gateway NAME); leave it unset")
		}
		for i, p := range v.Proposals {
			checkMapped(add, fmt.Sprintf("proposals[%d].encryption", i), p.Encryption, encryptions)
			checkMapped(add, fmt.Sprintf("proposals[%d].integrity", i), p.Integrity, ikeHashes)
			checkDH(add, fmt.Sprintf("proposals[%d].dh_group", i), p.DHGroup)
		}
		if v.Lifetime != 0 && (v.Lifetime < 180 || v.Lifetime > 86400) {
			add("lifetime", "must be between 180 and 86400 seconds on SRX (lifetime-seconds), got %d", v.Lifetime)
		}
		checkSecret(add, "pre_shared_key", v.PreSharedKey)
		if v.DPD != nil {
			no("dpd", "Junos dead-peer detection is not strongSwan's; use the liveness block (SRX)")
		}
		if v.ConnectionType != "" {
			no("connection_type", "a Junos gateway both initiates and responds")
		}
		if v.Description != "" {
			no("description", "a Junos IKE gateway has no description statement")
		}
		if v.NATTraversal != nil && *v.NATTraversal {
			no("nat_traversal", "NAT traversal is on by default and the configuration cannot tell true from unset; leave it unset, or false for no-nat-traversal")
		}
		if v.Liveness != nil {
			if v.Liveness.Interval < 2 || v.Liveness.Interval > 60 {
				add("liveness.interval", "must be between 2 and 60 seconds on SRX (dead-peer-detection interval), got %d", v.Liveness.Interval)
			}
			if v.Liveness.RetryCount < 1 || v.Liveness.RetryCount > 5 {
				add("liveness.retry_count", "must be between 1 and 5 on SRX (dead-peer-detection threshold), got %d", v.Liveness.RetryCount)
			}
		}
		checkText(add, "local_id", v.LocalID)
		checkText(add, "remote_id", v.RemoteID)
	case *vpn.Tunnel:
		checkName(add, "name", v.Name)
		for i, p := range v.Proposals {
			checkMapped(add, fmt.Sprintf("proposals[%d].encryption", i), p.Encryption, encryptions)
			if strings.HasSuffix(p.Encryption, "gcm") {
				add(fmt.Sprintf("proposals[%d].encryption", i), "%s in an IPsec proposal takes no authentication algorithm on SRX, and this provider's model always has one; not supported yet", p.Encryption)
			}
			checkMapped(add, fmt.Sprintf("proposals[%d].integrity", i), p.Integrity, espHashes)
		}
		if v.PFSGroup != 0 {
			checkDH(add, "pfs_group", v.PFSGroup)
		}
		if v.Lifetime != 0 && (v.Lifetime < 180 || v.Lifetime > 86400) {
			add("lifetime", "must be between 180 and 86400 seconds on SRX (lifetime-seconds), got %d", v.Lifetime)
		}
		switch {
		case j.flavor == FlavorMX:
		case v.Interface == "":
			add("tunnel_interface", "is required on Junos SRX (an st0 unit such as st0.0): policy-based VPNs need security policies this provider does not manage")
		case !st0RE.MatchString(v.Interface):
			add("tunnel_interface", "%q is not an SRX secure tunnel unit; use st0.0, st0.1, ...", v.Interface)
		}
		if v.Zone == "" && j.flavor != FlavorMX {
			add("tunnel_zone", "is required on Junos SRX: the st0 unit must be in a security zone to commit")
		} else if v.Zone != "" {
			checkName(add, "tunnel_zone", v.Zone)
		}
		if v.Number != 0 {
			no("tunnel_number", "the st0 unit of tunnel_interface is the tunnel's number")
		}
		if v.UnnumberedInterface != "" {
			no("unnumbered_interface", "an st0 unit without tunnel_interface_address is unnumbered already")
		}
		if v.AntiReplay != nil && *v.AntiReplay {
			no("anti_replay", "anti-replay is on by default and the configuration cannot tell true from unset; leave it unset, or false for no-anti-replay")
		}
		if v.MTU != 0 && (v.MTU < 256 || v.MTU > 9192) {
			add("mtu", "must be between 256 and 9192 on SRX (family inet mtu), got %d", v.MTU)
		}
		if v.Monitor != nil && (v.Monitor.Interval != 0 || v.Monitor.Threshold != 0) {
			no("monitor", "vpn-monitor interval and threshold are the global security ipsec vpn-monitor-options; leave them unset")
		}
		for i, s := range v.Selectors {
			if s.Protocol != "" || s.LocalPort != 0 || s.RemotePort != 0 {
				add(fmt.Sprintf("traffic_selectors[%d]", i), "protocol and ports are not supported on Junos SRX: a traffic-selector has local-ip and remote-ip only")
			}
		}
		checkText(add, "description", v.Description)
	case *vpn.StaticRoute:
		if v.Interface != "" && !ifUnitRE.MatchString(v.Interface) {
			add("tunnel_interface", "%q is not a Junos interface unit (st0.0, ge-0/0/1.0)", v.Interface)
		}
		if v.Distance != 0 && (v.Distance < 1 || v.Distance > 255) {
			add("distance", "must be between 1 and 255 on Junos (preference), got %d", v.Distance)
		}
		if v.RoutingInstance != "" {
			checkName(add, "routing_instance", v.RoutingInstance)
		}
	case *vpn.SourceRoute:
		if v.Interface != "" && !ifUnitRE.MatchString(v.Interface) {
			add("tunnel_interface", "%q is not a Junos interface unit (st0.0, ge-0/0/1.0)", v.Interface)
		}
		if v.Interface == "" && v.NextHop == "" {
			add("tunnel_interface", "or next_hop is required on Junos SRX: the forwarding instance routes to it")
		}
		if v.IngressInterface == "" {
			add("ingress_interface", "is required on Junos SRX: the unit whose `family inet filter input` applies the filter (e.g. ge-0/0/1.0)")
		} else if !ifUnitRE.MatchString(v.IngressInterface) {
			add("ingress_interface", "%q is not a Junos interface unit such as ge-0/0/1.0", v.IngressInterface)
		}
		if v.Ruleset != "" { // "" is SOURCE_ROUTE (Normalize)
			checkName(add, "ruleset", v.Ruleset)
		}
		if v.RoutingInstance != "" {
			no("routing_instance", "the filter-based forwarding filter applies in the default instance; the forwarding instance is chosen by the provider")
		}
		if v.Preference != 0 {
			no("preference", "a filter-based forwarding term has no preference")
		}
		if v.Table != 0 {
			no("table", "the forwarding routing instance takes the place of a table")
		}
		if v.Rule != 0 {
			no("rule", "the filter's terms are named by the provider")
		}
		if v.Description != "" {
			no("description", "a firewall filter term has no description statement")
		}
	case *vpn.PrefixList:
		checkName(add, "name", v.Name)
		if v.Description != "" {
			no("description", "a policy-options prefix-list has no description statement")
		}
		if v.Number != 0 {
			no("number", "Junos prefix lists are named, not numbered")
		}
		for i, r := range v.Rules {
			f := fmt.Sprintf("rules[%q]", fmt.Sprint(r.Sequence))
			if r.Action != "permit" {
				no(f+".action", "a prefix-list holds prefixes to match; deny rules have no place in it")
			}
			if r.GE != 0 || r.LE != 0 {
				no(f+".ge", "a prefix-list matches exact prefixes; ge/le need route-filters")
			}
			if r.Description != "" {
				no(f+".description", "prefix-list entries have no description")
			}
			if r.Sequence != i+1 {
				add(f, "Junos prefix-list entries are unnumbered: the rules must be numbered 1, 2, 3, ... in order (this is rule %d)", i+1)
			}
			if i > 0 && setconf.Compare(v.Rules[i-1].Prefix, r.Prefix) >= 0 {
				add(f+".prefix", "Junos prints a prefix-list in ascending address order: list %s before %s", r.Prefix, v.Rules[i-1].Prefix)
			}
		}
	case *vpn.BGPNeighbor:
		if v.Number != 0 {
			no("neighbor_number", "Junos identifies a BGP neighbor by its address; leave it unset")
		}
		if len(v.Networks) > 0 {
			no("networks", "Junos announces routes through export policies; use prefix_list_out")
		}
		if v.HoldTime == 0 && v.Keepalive != 0 || v.HoldTime != 0 && v.Keepalive != v.HoldTime/3 {
			add("keepalive", "Junos sends keepalives every hold-time / 3: set keepalive to %d for hold_time %d (or neither)", v.HoldTime/3, v.HoldTime)
		}
		if v.UpdateSource != "" && vpn.CheckIPv4(v.UpdateSource) != "" {
			add("update_source", "must be an IPv4 address on Junos (local-address)")
		}
		checkSecret(add, "password", v.Password)
		checkText(add, "description", v.Description)
		if v.RoutingInstance != "" {
			checkName(add, "routing_instance", v.RoutingInstance)
		}
		if v.RouterID != "" && vpn.CheckIPv4(v.RouterID) != "" {
			add("router_id", "must be an IPv4 address")
		}
		if v.PrefixListIn != "" {
			checkName(add, "prefix_list_in", v.PrefixListIn)
		}
		if v.PrefixListOut != "" {
			checkName(add, "prefix_list_out", v.PrefixListOut)
		}
	}
	return es
}

func checkName(add func(string, string, ...any), field, s string) {
	if !nameRE.MatchString(s) {
		add(field, "%q is not a Junos name this provider writes: a letter, then up to 62 letters, digits, '_', '.' or '-'", s)
	}
}

// checkText refuses what the Junos CLI cannot take in a quoted string: a line break (the
// model refuses it already) and the `;` `{` `}` that the curly form would misread are
// quoted, so only control characters remain; vpn.CheckText covers them.
func checkText(add func(string, string, ...any), field, s string) {
	if s == "" {
		return
	}
	if msg := vpn.CheckText(s, 255); msg != "" {
		add(field, "%s", msg)
	}
}

// checkSecret accepts a plaintext secret or an already-encoded `$9$` one that decodes.
func checkSecret(add func(string, string, ...any), field, s string) {
	if !strings.HasPrefix(s, junos9.Prefix) {
		return
	}
	plain, err := junos9.Decode(s)
	switch {
	case err != nil:
		add(field, "starts with $9$ but is not a well-formed Junos $9$ secret (Junos would take it as already encoded)")
	case plain == "":
		add(field, "is a Junos $9$ secret of an empty key")
	}
}

func checkMapped(add func(string, string, ...any), field, v string, names [][2]string) {
	var ok []string
	for _, n := range names {
		if n[0] == v {
			return
		}
		ok = append(ok, n[0])
	}
	add(field, "%q is not supported on Junos SRX (%s)", v, strings.Join(ok, ", "))
}

func checkDH(add func(string, string, ...any), field string, g int) {
	for _, x := range dhGroups {
		if x == g {
			return
		}
	}
	add(field, "Diffie-Hellman group %d is not supported on Junos SRX (%v)", g, dhGroups)
}
