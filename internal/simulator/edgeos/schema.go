package edgeos

import (
	"fmt"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/hier"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// This file defines the EdgeOS configuration tree the simulator accepts: node kinds, value
// syntax, ranges and the messages printed when a value is rejected.

// checker validates one value: fn returns the device's message lines ("" = valid); numeric
// values sort numerically.
type checker = hier.Check

// isSecretName: values of nodes named like this are masked in curly output.
func isSecretName(name string) bool {
	for _, suf := range []string{"password", "pre-shared-secret", "key", "passphrase"} {
		if strings.HasSuffix(name, suf) {
			return true
		}
	}
	return false
}

var (
	cont      = hier.Cont
	tag       = hier.TagNode
	leaf      = hier.LeafNode
	multi     = hier.MultiNode
	valueless = hier.FlagNode
	looseC    = hier.LooseCont
)

// --- value checkers ---

func typeErr(v, typ string) string { return fmt.Sprintf("%q is not a valid value of type %q", v, typ) }

func rng(lo, hi uint64, msg string) checker {
	return hier.Check{Numeric: true, Fn: func(v string) string {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || !isDigits(v) {
			return typeErr(v, "u32")
		}
		if n < lo || n > hi {
			if msg == "" {
				return fmt.Sprintf("must be between %d and %d", lo, hi)
			}
			return msg
		}
		return ""
	}}
}

func isDigits(v string) bool {
	if v == "" {
		return false
	}
	for _, r := range v {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func enum(msg string, vals ...string) checker {
	return hier.Check{Fn: func(v string) string {
		for _, x := range vals {
			if v == x {
				return ""
			}
		}
		return msg
	}}
}

// anyOf accepts a value any of the checkers accepts; otherwise it prints msg (or the first
// checker's message when msg is empty).
func anyOf(msg string, cs ...checker) checker {
	return hier.Check{Fn: func(v string) string {
		first := ""
		for _, c := range cs {
			m := c.Fn(v)
			if m == "" {
				return ""
			}
			if first == "" {
				first = m
			}
		}
		if msg != "" {
			return msg
		}
		return first
	}}
}

func literal(vals ...string) checker {
	return hier.Check{Fn: func(v string) string {
		for _, x := range vals {
			if v == x {
				return ""
			}
		}
		return "invalid"
	}}
}

var (
	ipv4 = hier.Check{Fn: func(v string) string {
		a, err := netip.ParseAddr(v)
		if err != nil || !a.Is4() {
			return typeErr(v, "ipv4")
		}
		return ""
	}}
	ipv6 = hier.Check{Fn: func(v string) string {
		a, err := netip.ParseAddr(v)
		if err != nil || !a.Is6() {
			return typeErr(v, "ipv6")
		}
		return ""
	}}
	// ipv4net is a.b.c.d/m; host bits may be set (Vyatta's ipv4net type).
	ipv4net = hier.Check{Fn: func(v string) string {
		p, err := netip.ParsePrefix(v)
		if err != nil || !p.Addr().Is4() {
			return typeErr(v, "ipv4net")
		}
		return ""
	}}
	ipv6net = hier.Check{Fn: func(v string) string {
		p, err := netip.ParsePrefix(v)
		if err != nil || !p.Addr().Is6() {
			return typeErr(v, "ipv6net")
		}
		return ""
	}}
	// text accepts any printable value.
	text = hier.Check{Fn: func(v string) string { return "" }}
	// word accepts a value without white space (names of groups, rulesets...).
	word = hier.Check{Fn: func(v string) string {
		if v == "" || strings.ContainsAny(v, " \t") {
			return typeErr(v, "txt")
		}
		return ""
	}}
	enableDisable = enum(`must be "enable" or "disable"`, "enable", "disable")
	ifname        = pattern(`^[A-Za-z][A-Za-z0-9._-]*$`, "invalid interface name")
	hostnameRe    = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$`)
)

func pattern(re, msg string) checker {
	r := regexp.MustCompile(re)
	return hier.Check{Fn: func(v string) string {
		if !r.MatchString(v) {
			return msg
		}
		return ""
	}}
}

// ifaceAddress is an interface address a.b.c.d/m (or IPv6), optionally "dhcp".
func ifaceAddress(allowDHCP bool) checker {
	return hier.Check{Fn: func(v string) string {
		if allowDHCP && (v == "dhcp" || v == "dhcpv6") {
			return ""
		}
		if _, err := netip.ParsePrefix(v); err != nil {
			return typeErr(v, "ipv4net")
		}
		return ""
	}}
}

var peerChecker = hier.Check{Fn: func(v string) string {
	if v == "any" || v == "0.0.0.0" {
		return ""
	}
	if _, err := netip.ParseAddr(v); err == nil {
		return ""
	}
	if strings.HasPrefix(v, "@") && len(v) > 1 && !strings.ContainsAny(v, " \t") {
		return ""
	}
	if hostnameRe.MatchString(v) && strings.ContainsAny(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		return ""
	}
	return fmt.Sprintf("Invalid peer %q: must be an IPv4/IPv6 address, a host name or @id", v)
}}

// --- the tree ---

func ruleFirewallIface() *hier.Schema {
	dir := func(name string) *hier.Schema {
		return cont(name, leaf("modify", word), leaf("name", word), leaf("ipv6-modify", word), leaf("ipv6-name", word))
	}
	return cont("firewall", dir("in"), dir("out"), dir("local"))
}

func edgeosSchema() *hier.Schema {
	dhGroups := []string{"1", "2", "5", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26"}
	pfs := []string{"enable", "disable"}
	for _, g := range dhGroups[1:] {
		pfs = append(pfs, "dh-group"+g)
	}
	encryption := enum(`must be "aes128", "aes256", "3des", "aes128gcm128" or "aes256gcm128"`,
		"aes128", "aes256", "3des", "aes128gcm128", "aes256gcm128")
	hash := enum(`must be "md5", "sha1", "sha256", "sha384" or "sha512"`, "md5", "sha1", "sha256", "sha384", "sha512")
	lifetime := rng(30, 86400, "must be between 30 and 86400 seconds")

	ikeGroup := tag("ike-group", word,
		leaf("key-exchange", enum(`must be "ikev1" or "ikev2"`, "ikev1", "ikev2")),
		leaf("lifetime", lifetime),
		leaf("ikev2-reauth", enum(`must be "yes" or "no"`, "yes", "no")),
		tag("proposal", rng(1, 65535, "Proposal must be between 1 and 65535"),
			leaf("encryption", encryption),
			leaf("hash", hash),
			leaf("dh-group", enum("Invalid Diffie-Hellman group: must be one of "+strings.Join(dhGroups, ", "), dhGroups...)),
		),
		cont("dead-peer-detection",
			leaf("action", enum(`must be "hold", "clear" or "restart"`, "hold", "clear", "restart")),
			leaf("interval", rng(15, 86400, "must be between 15 and 86400 seconds")),
			leaf("timeout", rng(30, 86400, "must be between 30 and 86400 seconds")),
		),
		leaf("mode", enum(`must be "main" or "aggressive"`, "main", "aggressive")),
	)
	espGroup := tag("esp-group", word,
		leaf("lifetime", lifetime),
		leaf("mode", enum(`must be "tunnel" or "transport"`, "tunnel", "transport")),
		leaf("pfs", enum("Invalid PFS value: must be one of "+strings.Join(pfs, ", "), pfs...)),
		leaf("compression", enableDisable),
		tag("proposal", rng(1, 65535, "Proposal must be between 1 and 65535"),
			leaf("encryption", encryption),
			leaf("hash", hash),
		),
	)
	prefixSide := func(name string) *hier.Schema {
		return cont(name, leaf("prefix", ipv4net), leaf("port", word))
	}
	peer := tag("peer", peerChecker,
		cont("authentication",
			leaf("mode", enum(`must be "pre-shared-secret", "x509" or "rsa"`, "pre-shared-secret", "x509", "rsa")),
			leaf("pre-shared-secret", text),
			leaf("id", word),
			leaf("remote-id", word),
			leaf("rsa-key-name", word),
			looseC("x509"),
		),
		leaf("connection-type", enum(`must be "initiate" or "respond"`, "initiate", "respond")),
		leaf("ike-group", word),
		leaf("ikev2-reauth", enum(`must be "yes", "no" or "inherit"`, "yes", "no", "inherit")),
		leaf("local-address", anyOf(`Invalid local-address: must be an IP address or "any"`, ipv4, ipv6, literal("any"))),
		leaf("dhcp-interface", ifname),
		leaf("description", text),
		leaf("default-esp-group", word),
		leaf("force-encapsulation", enableDisable),
		tag("tunnel", rng(1, 4294967295, "Tunnel number must be between 1 and 4294967295"),
			leaf("esp-group", word),
			prefixSide("local"),
			prefixSide("remote"),
			leaf("protocol", pattern(`^(all|[a-z][a-z0-9-]*|[0-9]{1,3})$`, "invalid protocol")),
			leaf("allow-nat-networks", enableDisable),
			leaf("allow-public-networks", enableDisable),
			valueless("disable"),
		),
		cont("vti",
			leaf("bind", pattern(`^vti[0-9]+$`, "vti interface must be named vtiN")),
			leaf("esp-group", word),
		),
	)
	ipsec := cont("ipsec",
		leaf("auto-firewall-nat-exclude", enableDisable),
		leaf("allow-access-to-local-interface", enableDisable),
		leaf("nat-traversal", enableDisable),
		cont("nat-networks", tag("allowed-network", ipv4net, multi("exclude", ipv4net))),
		cont("ipsec-interfaces", multi("interface", ifname)),
		ikeGroup,
		espGroup,
		cont("site-to-site", peer),
		looseC("logging"),
		looseC("profile"),
	)

	firewallRule := tag("rule", rng(1, 9999, "Rule number must be between 1 and 9999"),
		leaf("action", enum(`action must be "modify", "accept", "drop" or "reject"`, "modify", "accept", "drop", "reject")),
		leaf("description", text),
		cont("source", leaf("address", word), leaf("port", word), looseC("group"), leaf("mac-address", word)),
		cont("destination", leaf("address", word), leaf("port", word), looseC("group")),
		leaf("protocol", word),
		cont("modify",
			leaf("table", anyOf("Table must be between 1 and 200 or \"main\"", rng(1, 200, ""), literal("main"))),
			leaf("mark", rng(0, 4294967295, "mark must be between 0 and 4294967295")),
			leaf("lb-group", word),
			leaf("dscp", rng(0, 63, "dscp must be between 0 and 63")),
			leaf("tcp-mss", word),
		),
		looseC("state"), leaf("log", enableDisable), valueless("disable"),
	).WithLoose()
	firewall := looseC("firewall",
		cont("options", cont("mss-clamp",
			multi("interface-type", enum(`must be "all", "pppoe", "pptp", "tun" or "vti"`, "all", "pppoe", "pptp", "tun", "vti")),
			leaf("mss", rng(500, 1460, "MSS must be between 500 and 1460")),
		), looseC("mss-clamp6")),
		tag("modify", word,
			leaf("description", text),
			leaf("enable-default-log", word),
			firewallRule,
		),
	)

	vifOf := func() *hier.Schema {
		return tag("vif", rng(1, 4094, "VLAN ID must be between 1 and 4094"),
			leaf("description", text),
			multi("address", ifaceAddress(true)),
			leaf("mtu", rng(68, 9000, "MTU must be between 68 and 9000")),
			ruleFirewallIface(),
			valueless("disable"),
		).WithLoose()
	}
	ethernet := tag("ethernet", pattern(`^eth[0-9]+$`, "ethernet interface must be named ethN"),
		leaf("description", text),
		multi("address", ifaceAddress(true)),
		leaf("mtu", rng(68, 9000, "MTU must be between 68 and 9000")),
		leaf("duplex", enum(`must be "auto", "half" or "full"`, "auto", "half", "full")),
		leaf("speed", enum(`must be "auto", "10", "100", "1000" or "10000"`, "auto", "10", "100", "1000", "10000")),
		vifOf(),
		ruleFirewallIface(),
		valueless("disable"),
	).WithLoose()
	sw := tag("switch", pattern(`^switch[0-9]+$`, "switch interface must be named switchN"),
		leaf("description", text),
		multi("address", ifaceAddress(true)),
		leaf("mtu", rng(68, 9000, "MTU must be between 68 and 9000")),
		vifOf(),
		ruleFirewallIface(),
		looseC("switch-port"),
	).WithLoose()
	vti := tag("vti", pattern(`^vti[0-9]+$`, "vti interface must be named vtiN"),
		multi("address", ifaceAddress(false)),
		leaf("mtu", rng(68, 9000, "MTU must be between 68 and 9000")),
		leaf("description", text),
		ruleFirewallIface(),
		valueless("disable"),
	)
	interfaces := looseC("interfaces", ethernet, sw, vti, tag("loopback", word).WithLoose())

	distance := leaf("distance", rng(1, 255, "Must be between 1-255"))
	staticRoutes := func() []*hier.Schema {
		return []*hier.Schema{
			tag("route", ipv4net,
				tag("next-hop", ipv4, distance, valueless("disable"), leaf("description", text)),
				cont("blackhole", distance),
				leaf("description", text),
			),
			tag("interface-route", ipv4net,
				tag("next-hop-interface", ifname, distance, valueless("disable")),
				leaf("description", text),
			),
		}
	}
	static := looseC("static", append(staticRoutes(),
		tag("table", rng(1, 200, "Table must be between 1 and 200"), append(staticRoutes(), leaf("description", text))...),
	)...)

	asn := rng(1, 4294967294, "AS number must be between 1 and 4294967294")
	bgpTimers := func() *hier.Schema {
		return cont("timers",
			leaf("keepalive", rng(0, 65535, "Keepalive interval must be between 0 and 65535")),
			leaf("holdtime", anyOf("Holdtime interval must be 0 or between 4 and 65535", rng(0, 0, ""), rng(4, 65535, ""))),
		)
	}
	neighborTimers := bgpTimers()
	neighborTimers.Kids["connect"] = leaf("connect", rng(1, 65535, "BGP connect timer must be between 1 and 65535"))
	neighbor := tag("neighbor", anyOf("", ipv4, ipv6),
		leaf("remote-as", asn),
		leaf("update-source", anyOf("update-source must be an IP address or an interface name", ipv4, ipv6, ifname)),
		leaf("ebgp-multihop", rng(1, 255, "ebgp-multihop must be between 1 and 255")),
		leaf("password", text),
		cont("soft-reconfiguration", valueless("inbound")),
		cont("prefix-list", leaf("import", word), leaf("export", word)),
		cont("route-map", leaf("import", word), leaf("export", word)),
		neighborTimers,
		leaf("description", text),
		valueless("shutdown"),
		valueless("next-hop-self"),
		valueless("route-reflector-client"),
		valueless("remove-private-as"),
		leaf("peer-group", word),
		leaf("weight", rng(0, 65535, "weight must be between 0 and 65535")),
		leaf("maximum-prefix", rng(1, 4294967295, "maximum-prefix must be between 1 and 4294967295")),
		looseC("default-originate"),
		looseC("allowas-in"),
		looseC("capability"),
		looseC("address-family"),
		looseC("distribute-list"),
		looseC("filter-list"),
		looseC("local-as"),
		looseC("ttl-security"),
	)
	bgp := tag("bgp", asn,
		tag("network", ipv4net, valueless("backdoor"), leaf("route-map", word)),
		cont("parameters", leaf("router-id", ipv4)).WithLoose(),
		bgpTimers(),
		neighbor,
	).WithLoose()
	protocols := looseC("protocols", static, bgp)

	prefixList := tag("prefix-list", word,
		leaf("description", text),
		tag("rule", rng(1, 65535, "rule number must be between 1 and 65535"),
			leaf("action", enum(`action must be "permit" or "deny"`, "permit", "deny")),
			leaf("prefix", ipv4net),
			leaf("ge", rng(0, 32, "ge must be between 0 and 32")),
			leaf("le", rng(0, 32, "le must be between 0 and 32")),
			leaf("description", text),
		),
	)
	policy := looseC("policy", prefixList)

	system := looseC("system",
		leaf("host-name", pattern(`^[A-Za-z0-9][A-Za-z0-9-]{0,62}$`, "invalid host name")),
		leaf("domain-name", word),
		multi("name-server", anyOf("", ipv4, ipv6)),
		leaf("time-zone", word),
		cont("login", tag("user", word,
			cont("authentication",
				leaf("plaintext-password", text),
				leaf("encrypted-password", text),
				tag("public-keys", word, leaf("type", word), leaf("key", word), leaf("options", text)),
			),
			leaf("level", enum(`must be "admin" or "operator"`, "admin", "operator")),
			leaf("full-name", text),
		).WithLoose()).WithLoose(),
		cont("ntp", tag("server", word).WithLoose()),
		cont("offload",
			leaf("ipsec", enableDisable),
			leaf("hwnat", enableDisable),
			looseC("ipv4"), looseC("ipv6"),
		),
	)
	vpn := cont("vpn", ipsec, looseC("l2tp"), looseC("pptp"), looseC("rsa-keys"))
	_ = ipv6net
	root := cont("",
		firewall, interfaces, policy, protocols,
		looseC("service"), system, vpn,
		looseC("traffic-control"), looseC("port-forward"), looseC("load-balance"), looseC("zone-policy"),
	)
	root.Walk(func(n *hier.Schema) { n.Secret = isSecretName(n.Name) })
	return root
}
