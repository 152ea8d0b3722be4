package junos

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/hier"
)

// The schema: the statements the simulator knows, in the order the device lists them
// (kidOrder), with value checks. Subtrees the VPN resources never touch (system, chassis,
// snmp, security policies/nat/flow, ...) are loose: anything is accepted below them.

// kidOrder is the order the device lists a container's named children in.
var kidOrder = map[*hier.Schema][]string{}

func rec(s *hier.Schema, kids []*hier.Schema) *hier.Schema {
	for _, k := range kids {
		kidOrder[s] = append(kidOrder[s], k.Name)
	}
	return s
}

func cont(name string, kids ...*hier.Schema) *hier.Schema {
	return rec(hier.Cont(name, kids...), kids)
}
func loose(name string, kids ...*hier.Schema) *hier.Schema {
	return rec(hier.LooseCont(name, kids...), kids)
}
func tag(name string, c hier.Check, kids ...*hier.Schema) *hier.Schema {
	return rec(hier.TagNode(name, c, kids...), kids)
}
func leaf(name string, c hier.Check) *hier.Schema  { return hier.LeafNode(name, c) }
func multi(name string, c hier.Check) *hier.Schema { return hier.MultiNode(name, c) }
func flag(name string) *hier.Schema                { return hier.FlagNode(name) }
func secret(name string) *hier.Schema {
	s := hier.LeafNode(name, anyV)
	s.Secret = true
	return s
}

// syntaxMsg marks a check failure the device reports as a plain "syntax error." (a
// keyword that is not one of the choices).
const syntaxMsg = "\x00syntax"

var anyV = hier.Check{}

func enum(words ...string) hier.Check {
	return hier.Check{Fn: func(v string) string {
		for _, w := range words {
			if v == w {
				return ""
			}
		}
		return syntaxMsg
	}}
}

func rangeV(lo, hi uint64) hier.Check {
	return hier.Check{Numeric: true, Fn: func(v string) string {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return "number expected: " + v
		}
		if n < lo || n > hi {
			return "Value " + v + " is not within range (" + strconv.FormatUint(lo, 10) + ".." + strconv.FormatUint(hi, 10) + ")"
		}
		return ""
	}}
}

var ipV = hier.Check{Fn: func(v string) string {
	if a, err := netip.ParseAddr(v); err == nil && a.Is4() {
		return ""
	}
	return "invalid ip address: " + v
}}

var ipOrHostV = hier.Check{Fn: func(v string) string {
	if a, err := netip.ParseAddr(v); err == nil && a.Is4() {
		return ""
	}
	if hostRE.MatchString(v) && !allDigitsDots(v) {
		return ""
	}
	return "invalid ip address or hostname: " + v
}}

var hostRE = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$`)

func allDigitsDots(v string) bool { return strings.Trim(v, "0123456789.") == "" }

var prefixV = hier.Check{Fn: func(v string) string {
	if p, err := netip.ParsePrefix(v); err == nil && p.Addr().Is4() {
		return ""
	}
	if a, err := netip.ParseAddr(v); err == nil && a.Is4() {
		return "" // a host address is taken as /32
	}
	return "invalid prefix: " + v
}}

var ifRE = regexp.MustCompile(`^[a-z][a-z0-9]*(-\d+/\d+/\d+(:\d+)?)?$`)
var ifUnitRE = regexp.MustCompile(`^[a-z][a-z0-9]*(-\d+/\d+/\d+(:\d+)?)?(\.\d+)?$`)

var ifNameV = hier.Check{Fn: func(v string) string {
	if ifRE.MatchString(v) {
		return ""
	}
	return "invalid interface name: " + v
}}

var ifUnitV = hier.Check{Fn: func(v string) string {
	if ifUnitRE.MatchString(v) {
		return ""
	}
	return "invalid interface name: " + v
}}

var st0V = hier.Check{Fn: func(v string) string {
	if regexp.MustCompile(`^st0\.\d+$`).MatchString(v) {
		return ""
	}
	return "invalid interface: bind-interface must be a logical interface of st0: " + v
}}

var nextHopV = hier.Check{Fn: func(v string) string {
	if ipV.Fn(v) == "" || ifUnitRE.MatchString(v) && strings.Contains(v, ".") {
		return ""
	}
	return "invalid next-hop: " + v
}}

var asnV = rangeV(1, 4294967295)

var (
	ikeAuthMethod = enum("pre-shared-keys", "rsa-signatures", "dsa-signatures", "ecdsa-signatures-256", "ecdsa-signatures-384")
	dhGroup       = enum("group1", "group2", "group5", "group14", "group15", "group16", "group19", "group20", "group21", "group24")
	ikeAuthAlg    = enum("md5", "sha1", "sha-256", "sha-384", "sha-512")
	encAlg        = enum("des-cbc", "3des-cbc", "aes-128-cbc", "aes-192-cbc", "aes-256-cbc", "aes-128-gcm", "aes-192-gcm", "aes-256-gcm")
	ipsecAuthAlg  = enum("hmac-md5-96", "hmac-sha1-96", "hmac-sha-256-128", "hmac-sha-256-96", "hmac-sha-384", "hmac-sha-512")
	proposalSet   = enum("basic", "compatible", "standard", "prime-128", "prime-256", "suiteb-gcm-128", "suiteb-gcm-256")
)

// prefixEntries are tag values whose children are prefixes (`prefix-list PL 192.0.2.0/24`):
// an entry ends the statement.
var prefixEntries = map[*hier.Schema]hier.Check{}

func identity(name string) *hier.Schema {
	return cont(name, leaf("inet", ipV), leaf("hostname", anyV), leaf("user-at-hostname", anyV), loose("distinguished-name"))
}

func bgpPeerKids() []*hier.Schema {
	return []*hier.Schema{
		leaf("description", anyV),
		leaf("type", enum("external", "internal")),
		leaf("hold-time", rangeV(0, 65535)),
		multi("import", anyV),
		multi("export", anyV),
		leaf("peer-as", asnV),
		leaf("local-as", asnV),
		leaf("local-address", ipV),
		cont("multihop", leaf("ttl", rangeV(1, 255)), flag("no-nexthop-change")),
		secret("authentication-key"),
		cont("family", cont("inet", loose("unicast"), loose("multicast")), loose("inet6")),
		flag("passive"),
		flag("log-updown"),
		loose("bfd-liveness-detection"),
		loose("traceoptions"),
	}
}

func newSchema() *hier.Schema {
	// --- security (SRX) ---
	ikeProposal := tag("proposal", anyV,
		leaf("description", anyV),
		leaf("authentication-method", ikeAuthMethod),
		leaf("dh-group", dhGroup),
		leaf("authentication-algorithm", ikeAuthAlg),
		leaf("encryption-algorithm", encAlg),
		leaf("lifetime-seconds", rangeV(180, 86400)))
	preShared := cont("pre-shared-key", secret("ascii-text"), leaf("hexadecimal", anyV))
	ikePolicy := tag("policy", anyV,
		leaf("description", anyV),
		leaf("mode", enum("main", "aggressive")),
		multi("proposals", anyV),
		leaf("proposal-set", proposalSet),
		preShared,
		loose("certificate"))
	gateway := tag("gateway", anyV,
		leaf("description", anyV),
		leaf("ike-policy", anyV),
		multi("address", ipOrHostV),
		loose("dynamic"),
		cont("dead-peer-detection", flag("always-send"), flag("optimized"), flag("probe-idle-tunnel"),
			leaf("interval", rangeV(2, 60)), leaf("threshold", rangeV(1, 5))),
		identity("local-identity"),
		identity("remote-identity"),
		leaf("external-interface", ifUnitV),
		leaf("local-address", ipV),
		leaf("version", enum("v1-only", "v2-only")),
		leaf("nat-keepalive", rangeV(1, 300)),
		flag("no-nat-traversal"),
		flag("general-ikeid"))
	ipsecProposal := tag("proposal", anyV,
		leaf("description", anyV),
		leaf("protocol", enum("esp", "ah")),
		leaf("authentication-algorithm", ipsecAuthAlg),
		leaf("encryption-algorithm", encAlg),
		leaf("lifetime-seconds", rangeV(180, 86400)),
		leaf("lifetime-kilobytes", rangeV(64, 4294967294)))
	ipsecPolicy := tag("policy", anyV,
		leaf("description", anyV),
		cont("perfect-forward-secrecy", leaf("keys", dhGroup)),
		multi("proposals", anyV),
		leaf("proposal-set", proposalSet))
	vpn := tag("vpn", anyV,
		leaf("description", anyV),
		leaf("bind-interface", st0V),
		leaf("df-bit", enum("clear", "copy", "set")),
		cont("vpn-monitor", flag("optimized"), leaf("source-interface", ifUnitV), leaf("destination-ip", ipV)),
		cont("ike",
			leaf("gateway", anyV),
			flag("no-anti-replay"),
			cont("proxy-identity", leaf("local", prefixV), leaf("remote", prefixV), leaf("service", anyV)),
			leaf("ipsec-policy", anyV),
			leaf("idle-time", rangeV(1, 999999)),
			leaf("install-interval", rangeV(0, 10))),
		tag("traffic-selector", anyV, leaf("local-ip", prefixV), leaf("remote-ip", prefixV)),
		leaf("establish-tunnels", enum("immediately", "on-traffic")))
	services := func() *hier.Schema {
		sysServices := tag("system-services", anyV, flag("except"))
		protocols := tag("protocols", anyV, flag("except"))
		return cont("host-inbound-traffic", sysServices, protocols)
	}
	zone := tag("security-zone", anyV,
		leaf("description", anyV),
		loose("address-book"),
		leaf("screen", anyV),
		flag("tcp-rst"),
		services(),
		tag("interfaces", ifUnitV, services()))
	security := cont("security",
		cont("ike", loose("traceoptions"), flag("respond-bad-spi"), ikeProposal, ikePolicy, gateway),
		cont("ipsec", loose("traceoptions"), loose("vpn-monitor-options"), ipsecProposal, ipsecPolicy, vpn),
		loose("address-book"),
		loose("alg"),
		loose("application-tracking"),
		loose("flow"),
		loose("screen"),
		loose("nat"),
		loose("policies"),
		cont("zones", loose("functional-zone"), zone),
		loose("pki"),
		loose("log"))

	// --- interfaces ---
	addr := tag("address", prefixV, flag("primary"), flag("preferred"))
	inet := cont("inet", leaf("mtu", rangeV(256, 9192)), cont("filter", leaf("input", anyV), leaf("output", anyV)),
		addr, leaf("unnumbered-address", ifUnitV), loose("sampling"))
	unit := tag("unit", rangeV(0, 1073741823),
		leaf("description", anyV),
		flag("disable"),
		leaf("vlan-id", rangeV(0, 4094)),
		leaf("service-domain", enum("inside", "outside")),
		loose("tunnel"),
		cont("family", inet, loose("inet6"), loose("mpls"), loose("iso"), loose("ethernet-switching")))
	interfaces := tag("interfaces", ifNameV,
		leaf("description", anyV),
		flag("disable"),
		flag("vlan-tagging"),
		leaf("mtu", rangeV(256, 9192)),
		loose("gigether-options"),
		loose("services-options"),
		unit)

	// --- routing ---
	route := tag("route", prefixV,
		multi("next-hop", nextHopV),
		tag("qualified-next-hop", nextHopV, leaf("preference", rangeV(0, 4294967295)), leaf("metric", rangeV(0, 4294967295))),
		flag("discard"), flag("reject"),
		leaf("preference", rangeV(0, 4294967295)),
		leaf("metric", rangeV(0, 4294967295)),
		flag("no-readvertise"), flag("retain"), flag("resolve"),
		leaf("tag", rangeV(0, 4294967295)))
	routingOptions := cont("routing-options",
		cont("interface-routes", cont("rib-group", leaf("inet", anyV), leaf("inet6", anyV))),
		cont("static", route),
		tag("rib-groups", anyV, multi("import-rib", anyV), multi("export-rib", anyV), multi("import-policy", anyV)),
		leaf("router-id", ipV),
		leaf("autonomous-system", asnV),
		loose("forwarding-table"),
		loose("rib"))
	group := tag("group", anyV, append(bgpPeerKids(), tag("neighbor", ipV, bgpPeerKids()...))...)
	protocols := cont("protocols",
		cont("bgp", append([]*hier.Schema{group}, bgpPeerKids()[1:]...)...),
		loose("ospf"), loose("ospf3"), loose("lldp"), loose("rstp"), loose("igmp"), loose("pim"), loose("mpls"), loose("rsvp"), loose("ldp"), loose("isis"))

	// --- policy-options ---
	prefixList := tag("prefix-list", anyV, leaf("apply-path", anyV))
	prefixEntries[prefixList] = prefixV
	term := func(kids ...*hier.Schema) *hier.Schema { return tag("term", anyV, kids...) }
	fromPol := cont("from",
		multi("protocol", anyV),
		multi("neighbor", ipV),
		multi("prefix-list", anyV),
		loose("prefix-list-filter"),
		loose("route-filter"),
		multi("community", anyV),
		multi("as-path", anyV),
		multi("interface", ifUnitV))
	thenPol := cont("then",
		leaf("local-preference", rangeV(0, 4294967295)),
		leaf("metric", rangeV(0, 4294967295)),
		leaf("next-hop", anyV),
		loose("community"),
		loose("as-path-prepend"),
		loose("next"),
		flag("accept"),
		flag("reject"))
	policyOptions := cont("policy-options",
		prefixList,
		tag("policy-statement", anyV, term(fromPol, thenPol), fromPol, thenPol),
		tag("community", anyV, multi("members", anyV)),
		loose("as-path"))

	// --- firewall ---
	addrMatch := func(name string) *hier.Schema { return tag(name, prefixV, flag("except")) }
	fwFrom := cont("from",
		addrMatch("source-address"), addrMatch("destination-address"),
		tag("source-prefix-list", anyV, flag("except")), tag("destination-prefix-list", anyV, flag("except")),
		multi("protocol", anyV), multi("port", anyV), multi("source-port", anyV), multi("destination-port", anyV),
		multi("interface", ifUnitV))
	fwThen := cont("then",
		leaf("count", anyV), flag("log"), flag("syslog"),
		leaf("routing-instance", anyV),
		flag("accept"), flag("discard"), flag("reject"), loose("next"))
	firewall := cont("firewall",
		cont("family", cont("inet", tag("filter", anyV, flag("interface-specific"), tag("term", anyV, fwFrom, fwThen))), loose("inet6")),
		loose("filter"))

	// --- routing-instances ---
	instances := tag("routing-instances", anyV,
		leaf("description", anyV),
		leaf("instance-type", enum("forwarding", "virtual-router", "vrf", "no-forwarding", "l2vpn", "vpls", "virtual-switch", "evpn")),
		tag("interface", ifUnitV),
		leaf("route-distinguisher", anyV),
		multi("vrf-import", anyV),
		multi("vrf-export", anyV),
		loose("vrf-target"),
		routingOptions,
		protocols)

	// --- services (MX) ---
	mxIkeProposal := tag("proposal", anyV,
		leaf("description", anyV),
		leaf("authentication-method", ikeAuthMethod),
		leaf("dh-group", dhGroup),
		leaf("authentication-algorithm", ikeAuthAlg),
		leaf("encryption-algorithm", encAlg),
		leaf("lifetime-seconds", rangeV(60, 86400)))
	mxIkePolicy := tag("policy", anyV,
		leaf("description", anyV),
		leaf("version", enum("1", "2")),
		leaf("mode", enum("main", "aggressive")),
		multi("proposals", anyV),
		cont("local-id", multi("ipv4_addr", ipV), multi("fqdn", anyV), loose("key-id")),
		cont("remote-id", multi("ipv4_addr", ipV), multi("fqdn", anyV), loose("key-id"), flag("any-remote-id")),
		leaf("local-certificate", anyV),
		cont("pre-shared-key", secret("ascii-text"), leaf("hexadecimal", anyV)),
		flag("respond-bad-spi"))
	mxIpsecProposal := tag("proposal", anyV,
		leaf("description", anyV),
		leaf("protocol", enum("esp", "ah", "bundle")),
		leaf("authentication-algorithm", ipsecAuthAlg),
		leaf("encryption-algorithm", encAlg),
		leaf("lifetime-seconds", rangeV(180, 86400)))
	mxIpsecPolicy := tag("policy", anyV,
		leaf("description", anyV),
		cont("perfect-forward-secrecy", leaf("keys", dhGroup)),
		multi("proposals", anyV))
	mxTerm := tag("term", anyV,
		cont("from",
			addrMatch("source-address"), addrMatch("destination-address"),
			leaf("ipsec-inside-interface", ifUnitV)),
		cont("then",
			leaf("remote-gateway", ipV),
			leaf("backup-remote-gateway", ipV),
			cont("dynamic", leaf("ike-policy", anyV), leaf("ipsec-policy", anyV)),
			loose("manual"),
			flag("initiate-dead-peer-detection"),
			loose("dead-peer-detection"),
			flag("no-anti-replay"),
			leaf("anti-replay-window-size", rangeV(64, 4096)),
			flag("clear-dont-fragment-bit"),
			flag("copy-dont-fragment-bit"),
			flag("set-dont-fragment-bit"),
			leaf("tunnel-mtu", rangeV(256, 9192))))
	ipsecVPN := cont("ipsec-vpn",
		cont("ike", mxIkeProposal, mxIkePolicy),
		cont("ipsec", mxIpsecProposal, mxIpsecPolicy),
		tag("rule", anyV, mxTerm, leaf("match-direction", enum("input", "output"))),
		loose("rule-set"),
		leaf("establish-tunnels", enum("immediately", "on-traffic")),
		flag("disable-natt"),
		flag("no-ipsec-tunnel-in-traceroute"),
		loose("traceoptions"))
	serviceSet := tag("service-set", anyV,
		cont("next-hop-service", leaf("inside-service-interface", ifUnitV), leaf("outside-service-interface", ifUnitV), leaf("service-interface-pool", anyV)),
		cont("interface-service", leaf("service-interface", ifUnitV)),
		cont("ipsec-vpn-options",
			tag("local-gateway", ipV, leaf("routing-instance", anyV), leaf("gw-interface", ifUnitV)),
			leaf("ike-access-profile", anyV),
			multi("trusted-ca", anyV),
			flag("no-certificate-chain-in-ike"),
			leaf("anti-replay-window-size", rangeV(64, 4096)),
			flag("no-anti-replay"),
			flag("clear-dont-fragment-bit"),
			flag("copy-dont-fragment-bit"),
			flag("set-dont-fragment-bit"),
			flag("passive-mode-tunneling"),
			leaf("tunnel-mtu", rangeV(256, 9192)),
			cont("udp-encapsulation", leaf("dest-port", rangeV(1025, 65535)))),
		multi("ipsec-vpn-rules", anyV),
		multi("ipsec-vpn-rule-sets", anyV),
		multi("stateful-firewall-rules", anyV),
		multi("nat-rules", anyV),
		leaf("tcp-mss", rangeV(536, 65535)))
	servicesTop := cont("services", ipsecVPN, serviceSet, loose("stateful-firewall"), loose("nat"), loose("adaptive-services-pics"), loose("rpm"))

	keylessTags[interfaces] = true
	keylessTags[instances] = true
	return cont("",
		leaf("version", anyV),
		cont("system", leaf("host-name", anyV)).WithLoose(),
		loose("chassis"),
		servicesTop,
		security,
		interfaces,
		loose("snmp"),
		routingOptions,
		protocols,
		policyOptions,
		loose("class-of-service"),
		firewall,
		loose("access"),
		instances,
		loose("applications"))
}
