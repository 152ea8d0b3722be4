package edgeos

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

var (
	vtiRE = regexp.MustCompile(`^vti[0-9]+$`)
	// ifnameRE is an EdgeOS interface name: a type and a number (eth1, vti0, switch0, br0,
	// pppoe0, l2tpeth0), with an optional VLAN (eth1.10), or the loopback lo.
	ifnameRE = regexp.MustCompile(`^(lo|[a-z][a-z0-9]*[0-9](\.[0-9]{1,4})?)$`)
)

// Normalize fills EdgeOS defaults into a source route: the ruleset SOURCE_ROUTE and, when the
// rule number is unset, the table number.
func (*EdgeOS) Normalize(o vpn.Object) {
	if s, ok := o.(*vpn.SourceRoute); ok {
		if s.Ruleset == "" {
			s.Ruleset = defaultRuleset
		}
		if s.Rule == 0 {
			s.Rule = s.Table
		}
	}
}

// Validate reports what EdgeOS cannot express, each problem naming the attribute.
func (*EdgeOS) Validate(o vpn.Object) vpn.Errors {
	var es vpn.Errors
	add := func(field, format string, args ...any) {
		es = append(es, vpn.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	for _, f := range values(o) {
		if msg := checkValue(f.value, f.secret); msg != "" {
			add(f.field, "%s", msg)
		}
	}
	unsupported(o, add)
	switch v := o.(type) {
	case *vpn.IKEGateway:
		if v.LocalAddress == "" {
			add("local_address", "is required on EdgeOS (a VTI does not work with local-address any)")
		}
		for i, p := range v.Proposals {
			checkEncryption(add, fmt.Sprintf("proposals[%d].encryption", i), p.Encryption)
			checkDH(add, fmt.Sprintf("proposals[%d].dh_group", i), p.DHGroup)
		}
		if v.DPD != nil {
			if v.DPD.Interval < 15 {
				add("dpd.interval", "must be at least 15 seconds on EdgeOS, got %d", v.DPD.Interval)
			}
			if v.DPD.Timeout < 30 {
				add("dpd.timeout", "must be at least 30 seconds on EdgeOS, got %d", v.DPD.Timeout)
			}
		}
	case *vpn.Tunnel:
		for i, p := range v.Proposals {
			checkEncryption(add, fmt.Sprintf("proposals[%d].encryption", i), p.Encryption)
		}
		if v.PFSGroup != 0 {
			checkDH(add, "pfs_group", v.PFSGroup)
		}
		if v.Interface != "" && !vtiRE.MatchString(v.Interface) {
			add("tunnel_interface", "%q is not an EdgeOS VTI; use vti0, vti1, ...", v.Interface)
		}
		if v.Interface != "" && len(v.Selectors) > 0 {
			add("traffic_selectors", "conflict with tunnel_interface: an EdgeOS peer has either a VTI or numbered tunnels")
		}
		if v.Interface == "" {
			if v.TCPMSS != 0 {
				add("tcp_mss", "is supported only for route-based tunnels on EdgeOS (firewall options mss-clamp interface-type vti)")
			}
			if v.Description != "" {
				add("description", "is stored on the VTI on EdgeOS; a policy-based tunnel cannot have one")
			}
		}
	case *vpn.StaticRoute:
		checkIfname(add, "tunnel_interface", v.Interface)
	case *vpn.BGPNeighbor:
		if vpn.CheckIPv4(v.UpdateSource) != "" {
			checkIfname(add, "update_source", v.UpdateSource)
		}
	case *vpn.SourceRoute:
		checkIfname(add, "tunnel_interface", v.Interface)
		if v.Table == 0 {
			add("table", "is required on EdgeOS (the routing table the rule selects)")
		}
		if v.IngressInterface == "" {
			add("ingress_interface", "is required on EdgeOS (the interface the firewall modify ruleset is bound to)")
		} else if _, ok := interfacePath(v.IngressInterface); !ok {
			add("ingress_interface", "%q is not an EdgeOS ethernet, switch, bridge or bonding interface (e.g. eth1, eth1.10, switch0)", v.IngressInterface)
		}
		if v.Preference != 0 {
			add("preference", "is not supported on EdgeOS")
		}
	}
	return es
}

// unsupported refuses the attributes of the model that EdgeOS has no per-object command for.
// Each is optional and empty by default, so a configuration that does not set it is unchanged.
func unsupported(o vpn.Object, add func(string, string, ...any)) {
	no := func(field, why string) { add(field, "is not supported on EdgeOS: %s", why) }
	switch v := o.(type) {
	case *vpn.IKEGateway:
		if v.Number != 0 {
			no("gateway_number", "EdgeOS identifies a site-to-site peer by its address (vpn ipsec site-to-site peer ADDRESS); leave it unset")
		}
		if v.Mode != "" {
			no("ike_mode", "an EdgeOS ike-group has no exchange-mode setting (it negotiates main mode); leave ike_mode unset")
		}
		if v.NATTraversal != nil {
			no("nat_traversal", "NAT traversal is one global setting (vpn ipsec nat-traversal), not a property of a peer; leave nat_traversal unset")
		}
		if v.Liveness != nil {
			no("liveness", "EdgeOS dead-peer detection is interval + timeout + action; use the dpd block instead")
		}
	case *vpn.Tunnel:
		if v.Number != 0 {
			no("tunnel_number", "EdgeOS numbers a peer's tunnels itself")
		}
		if v.Zone != "" {
			no("tunnel_zone", "EdgeOS has no security zones on VTIs")
		}
		if v.UnnumberedInterface != "" {
			no("unnumbered_interface", "an EdgeOS VTI has no unnumbered mode; use tunnel_interface_address")
		}
		if v.AntiReplay != nil {
			no("anti_replay", "anti-replay is not configurable on EdgeOS 1.x")
		}
		if v.DFBit != "" {
			no("df_bit", "EdgeOS has no per-tunnel DF-bit setting")
		}
		if v.EstablishImmediately {
			no("establish_immediately", "set connection_type = \"initiate\" on the ike_gateway instead")
		}
		if v.Monitor != nil {
			no("monitor", "EdgeOS has no VPN monitor; use the gateway's dpd block")
		}
	case *vpn.PrefixList:
		if v.Number != 0 {
			no("number", "EdgeOS prefix lists are named, not numbered")
		}
	case *vpn.StaticRoute:
		if v.RoutingInstance != "" {
			no("routing_instance", "EdgeOS 1.x has one routing instance")
		}
	case *vpn.SourceRoute:
		if v.RoutingInstance != "" {
			no("routing_instance", "EdgeOS 1.x has one routing instance; a source route selects a table instead")
		}
	case *vpn.BGPNeighbor:
		if v.RoutingInstance != "" {
			no("routing_instance", "EdgeOS 1.x has one BGP process, in the default instance")
		}
		if v.Number != 0 {
			no("neighbor_number", "EdgeOS identifies a BGP neighbor by its address; leave it unset")
		}
	}
}

func checkIfname(add func(string, string, ...any), field, name string) {
	if name != "" && !ifnameRE.MatchString(name) {
		add(field, "%q is not an EdgeOS interface name (e.g. vti0, eth1, eth1.10, switch0)", name)
	}
}

func checkEncryption(add func(string, string, ...any), field, enc string) {
	for _, e := range encryptions {
		if e[0] == enc {
			return
		}
	}
	add(field, "%q is not supported on EdgeOS (aes128, aes256, 3des, aes128gcm, aes256gcm)", enc)
}

func checkDH(add func(string, string, ...any), field string, g int) {
	for _, x := range dhGroups {
		if x == g {
			return
		}
	}
	add(field, "Diffie-Hellman group %d is not supported on EdgeOS (%v)", g, dhGroups)
}

// value is a free-text or secret attribute of an object, by its attribute path.
type value struct {
	field, value string
	secret       bool
}

// values lists the attributes whose text reaches the device as typed (names and addresses
// are checked by stricter rules elsewhere).
func values(o vpn.Object) []value {
	switch v := o.(type) {
	case *vpn.IKEGateway:
		return []value{{"description", v.Description, false}, {"local_id", v.LocalID, false}, {"remote_id", v.RemoteID, false}, {"pre_shared_key", v.PreSharedKey, true}}
	case *vpn.Tunnel:
		return []value{{"description", v.Description, false}}
	case *vpn.SourceRoute:
		return []value{{"description", v.Description, false}}
	case *vpn.PrefixList:
		out := []value{{"description", v.Description, false}}
		for _, r := range v.Rules {
			out = append(out, value{fmt.Sprintf("rules[\"%d\"].description", r.Sequence), r.Description, false})
		}
		return out
	case *vpn.BGPNeighbor:
		return []value{{"description", v.Description, false}, {"password", v.Password, true}}
	}
	return nil
}

// checkValue refuses what the EdgeOS CLI refuses in any value (vyatta-cfg's validate_value:
// "Cannot use the single quote (') character in a value string", the same for the double
// quote). The message never quotes a secret.
func checkValue(s string, secret bool) string {
	for _, q := range []struct{ c, name string }{{"'", "single quote (')"}, {`"`, `double quote (")`}} {
		if strings.Contains(s, q.c) {
			what := "a value"
			if secret {
				what = "a key or password"
			}
			return fmt.Sprintf("EdgeOS cannot store the %s character in %s: the router refuses it with \"Cannot use the %s character in a value string\"", q.name, what, q.name)
		}
	}
	return ""
}

// Kinds lists the kinds EdgeOS manages: all six of the model.
func (*EdgeOS) Kinds() []vpn.Kind {
	return []vpn.Kind{vpn.KindIKEGateway, vpn.KindPrefixList, vpn.KindTunnel, vpn.KindStaticRoute, vpn.KindSourceRoute, vpn.KindBGPNeighbor}
}
