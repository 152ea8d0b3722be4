package screenos

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/flat"
)

// Sections of `get config`, in the device's fixed order [SEEN seed 000 dumps of SSG5 6.3,
// NS-25 and NS-5GT 5.4, reference 1.3 sample]. Lines of one section keep the order they
// were first set in, grouped per gateway or vpn where the device groups them.
const (
	secKey = iota
	secClock
	secVrouterEarly
	secAlg
	secAuth
	secAdmin
	secZone
	secInterface
	secFlow
	secConsole
	secPKI
	secAddress
	secCrypto
	secIKE
	secIPsec
	secVPN
	secURL
	secProxyID
	secPolicy
	secPPPoE
	secNSMgmt
	secSSH
	secConfig
	secLicense
	secTelnet
	secModem
	secSNMP
	secOther
	secVrouterLate
	secVrouterProto
)

// info is what the engine knows about a command beyond its flat pattern.
type info struct {
	sec, sub, sub2 int
	group          string // "gw" or "vpn": lines are grouped after the object's main line
	rest           func(e *engine, rest []string) (out []string, off int, msg string)
	early          bool // a vrouter line printed in the early vrouter block (auto-route-export)
	oneLine        bool // a vrouter line printed at the top as `set vrouter trust-vr X` (sharable)
}

type def struct {
	pat       string
	key, neg  int
	ctx, into string
	keep      bool
	info
}

var enums = map[string][]string{
	"auth":     {"preshare", "rsa-sig", "dsa-sig"},
	"grp":      {"group1", "group2", "group5", "group14"},
	"pfs":      {"no-pfs", "group1", "group2", "group5", "group14"},
	"enc":      {"des", "3des", "aes128", "aes192", "aes256"},
	"enc2":     {"des", "3des", "aes128", "aes192", "aes256", "null"},
	"hash":     {"md5", "sha-1", "sha2-256"},
	"hash2":    {"md5", "sha-1", "sha2-256", "null"},
	"unit":     {"second", "minute", "hour", "day"},
	"act":      {"permit", "deny"},
	"dir":      {"in", "out"},
	"ifmode":   {"nat", "route"},
	"vr":       {"trust-vr", "untrust-vr"},
	"onoff":    {"enable", "disable"},
	"dfbit":    {"clear", "copy", "set"},
	"format":   {"dos", "unix"},
	"sshver":   {"v1", "v2"},
	"certpath": {"partial", "full"},
	"screen": {"tear-drop", "syn-flood", "ping-death", "ip-filter-src", "land", "icmp-flood", "udp-flood",
		"winnuke", "port-scan", "ip-sweep", "ip-spoofing", "syn-frag", "tcp-no-flag", "unknown-protocol",
		"ip-bad-option", "ip-record-route", "ip-timestamp-opt", "ip-security-opt", "ip-loose-src-route",
		"ip-strict-src-route", "ip-stream-opt", "icmp-fragment", "icmp-large", "syn-fin", "fin-no-ack",
		"limit-session", "syn-ack-ack-proxy", "block-frag", "alarm-without-drop", "on-tunnel"},
	"flowflag": {"tcp-mss", "no-tcp-seq-check", "tcp-syn-check", "tcp-syn-bit-check", "tcp-rst-invalid-session",
		"allow-dns-reply", "icmp-ur-msg-filter", "hub-n-spoke-mip", "check-session-route", "syn-proxy"},
	"ikeflag":   {"ikeid-enumeration", "dos-protection", "policy-checking", "ikev2-auth-hash"},
	"ipsecflag": {"enable", "log-error", "info-exch-connected", "use-error-log"},
	"ipsecnum":  {"maximum", "upper-threshold", "lower-threshold", "dead-p2-sa-timeout"},
	"alg":       {"appleichat", "sctp", "sip", "h323", "mgcp", "sccp", "rtsp", "msrpc", "sunrpc", "dns", "ftp", "tftp", "pptp", "ras", "rsh", "sql", "talk", "http", "pop3", "smtp", "imap"},
	"ifopt":     {"bypass-others-ipsec", "bypass-non-ip", "mtu-pmtu"},
	"modemopt":  {"retry", "interval", "idle-time"},
	"manage":    {"ping", "ssh", "telnet", "snmp", "ssl", "web", "ident-reset", "mtrace", "nsmgmt"},
}

// defs is the command set. `<"x>` parameters are printed between quotes, `<secret>` values
// encoded; patterns starting with the keyword `unset` are the negative settings the device
// keeps and prints as `unset ...` lines (a default turned off).
var defs = []def{
	{pat: "unset key protection enable", info: info{sec: secKey}},
	{pat: "key protection enable", info: info{sec: secKey}},
	{pat: "clock timezone <int>", key: 2, info: info{sec: secClock}},
	{pat: "alg <alg> enable", info: info{sec: secAlg}},
	{pat: "unset alg <alg> enable", info: info{sec: secAlg}},
	{pat: "alg <alg> re-assembly enable", info: info{sec: secAlg}},
	{pat: "unset alg <alg> re-assembly enable", info: info{sec: secAlg}},
	{pat: `auth-server <"name> id <n>`, key: 3, info: info{sec: secAuth}},
	{pat: `auth-server <"name> server-name <"name>`, key: 3, info: info{sec: secAuth}},
	{pat: `auth default auth server <"name>`, key: 4, info: info{sec: secAuth, sub: 1}},
	{pat: `auth radius accounting port <n>`, key: 4, info: info{sec: secAuth, sub: 1}},
	{pat: `admin name <"name>`, key: 2, info: info{sec: secAdmin}},
	{pat: `admin password <"name>`, key: 2, info: info{sec: secAdmin}},
	{pat: `admin auth timeout <n>`, key: 3, info: info{sec: secAdmin}},
	{pat: `admin auth web timeout <n>`, key: 4, info: info{sec: secAdmin}},
	{pat: `admin auth dial-in timeout <n>`, key: 4, info: info{sec: secAdmin}},
	{pat: `admin auth server <"name>`, key: 3, info: info{sec: secAdmin}},
	{pat: `admin format <format>`, key: 2, info: info{sec: secAdmin}},
	{pat: `zone name <"name>`, info: info{sec: secZone}},
	{pat: `zone <"zone> vrouter <"vr>`, key: 3, info: info{sec: secZone}},
	{pat: `zone <"zone> tcp-rst`, info: info{sec: secZone, sub: 1}},
	{pat: `unset zone <"zone> tcp-rst`, info: info{sec: secZone, sub: 1}},
	{pat: `zone <"zone> block`, info: info{sec: secZone, sub: 1}},
	{pat: `unset zone <"zone> block`, info: info{sec: secZone, sub: 1}},
	{pat: `zone <"zone> asymmetric-vpn`, info: info{sec: secZone, sub: 1}},
	{pat: `zone <"zone> screen <screen>`, info: info{sec: secZone, sub: 2}},
	{pat: `interface <"if> zone <"zone>`, key: 3, neg: 2, info: info{sec: secInterface}},
	{pat: `interface <if> port <if>`, info: info{sec: secInterface, sub: 1}},
	{pat: `interface <if> ip <cidr>`, key: 3, info: info{sec: secInterface, sub: 1}},
	{pat: `interface <if> ip unnumbered interface <if>`, key: 3, info: info{sec: secInterface, sub: 1}},
	{pat: `unset interface <if> ip`, info: info{sec: secInterface, sub: 1}},
	{pat: `interface <if> ip manageable`, info: info{sec: secInterface, sub: 1}},
	{pat: `interface <if> <ifmode>`, key: 2, info: info{sec: secInterface, sub: 1}},
	{pat: `interface <if> <ifopt>`, info: info{sec: secInterface, sub: 1}},
	{pat: `unset interface <if> <ifopt>`, info: info{sec: secInterface, sub: 1}},
	{pat: `interface <if> mtu <mtu>`, key: 3, info: info{sec: secInterface, sub: 1}},
	{pat: `interface <if> manage <manage>`, info: info{sec: secInterface, sub: 1}},
	{pat: `interface <if> protocol bgp`, info: info{sec: secInterface, sub: 1}},
	{pat: `interface <"if> modem settings <"name> init <"name>`, key: 5, info: info{sec: secInterface, sub: 1}},
	{pat: `interface <"if> modem settings <"name> active`, info: info{sec: secInterface, sub: 1}},
	{pat: `interface <"if> modem speed <n>`, key: 4, info: info{sec: secInterface, sub: 1}},
	{pat: `interface <"if> modem <modemopt> <n>`, key: 4, info: info{sec: secInterface, sub: 1}},
	{pat: `flow <flowflag>`, key: 2, info: info{sec: secFlow}},
	{pat: `unset flow <flowflag>`, info: info{sec: secFlow}},
	{pat: `flow tcp-mss <mss>`, key: 2, info: info{sec: secFlow}},
	{pat: `flow all-tcp-mss <mss>`, key: 2, info: info{sec: secFlow}},
	{pat: `flow vpn-tcp-mss <mss>`, key: 2, info: info{sec: secFlow}},
	{pat: `flow reverse-route clear-text <word>`, key: 3, info: info{sec: secFlow}},
	{pat: `flow reverse-route tunnel <word>`, key: 3, info: info{sec: secFlow}},
	{pat: `console page <n>`, key: 2, info: info{sec: secConsole}},
	{pat: `console timeout <n>`, key: 2, info: info{sec: secConsole}},
	{pat: `hostname <host>`, key: 1, info: info{sec: secConsole, sub: 1}},
	{pat: `pki authority default scep mode <"name>`, key: 5, info: info{sec: secPKI}},
	{pat: `pki x509 default cert-path <certpath>`, key: 4, info: info{sec: secPKI}},
	{pat: `address <"zone> <"name> <ip> <mask> ...`, key: 3, info: info{sec: secAddress, rest: restComment}},
	{pat: `crypto-policy`, into: "crypto", keep: true, info: info{sec: secCrypto}},
	{pat: `ike p1-proposal <"name> <auth> <grp> esp <enc> <hash> <unit> <n>`, key: 3, info: info{sec: secIKE, sub: 0}},
	{pat: `ike p2-proposal <"name> <pfs> esp <enc2> <hash2> <unit> <n> ...`, key: 3, info: info{sec: secIKE, sub: 1, rest: restKbyte}},
	{pat: `ike gateway <"name> address <addr> ...`, key: 3, info: info{sec: secIKE, sub: 2, group: "gw", rest: restGatewayV1}},
	{pat: `ike gateway <"name> dynamic <"name> ...`, key: 3, info: info{sec: secIKE, sub: 2, group: "gw", rest: restGatewayV1}},
	{pat: `ike gateway ikev2 <"name> address <addr> ...`, key: 4, info: info{sec: secIKE, sub: 2, group: "gw", rest: restGatewayV2}},
	{pat: `ike gateway <"name> nat-traversal`, key: 4, neg: 4, info: info{sec: secIKE, sub: 2, sub2: 1, group: "gw"}},
	{pat: `ike gateway <"name> nat-traversal udp-checksum`, info: info{sec: secIKE, sub: 2, sub2: 1, group: "gw"}},
	{pat: `unset ike gateway <"name> nat-traversal udp-checksum`, neg: 4, info: info{sec: secIKE, sub: 2, sub2: 1, group: "gw"}},
	{pat: `ike gateway <"name> nat-traversal keepalive-frequency <n>`, key: 5, info: info{sec: secIKE, sub: 2, sub2: 1, group: "gw"}},
	{pat: `ike gateway <"name> dpd-liveness interval <n>`, key: 5, neg: 4, info: info{sec: secIKE, sub: 2, sub2: 1, group: "gw"}},
	{pat: `ike gateway <"name> dpd-liveness retry <n>`, key: 5, info: info{sec: secIKE, sub: 2, sub2: 1, group: "gw"}},
	{pat: `ike gateway <"name> dpd-liveness always-send`, info: info{sec: secIKE, sub: 2, sub2: 1, group: "gw"}},
	{pat: `ike gateway <"name> heartbeat hello <n> threshold <n>`, key: 5, info: info{sec: secIKE, sub: 2, sub2: 1, group: "gw"}},
	{pat: `ike respond-bad-spi <n>`, key: 2, info: info{sec: secIKE, sub: 3}},
	{pat: `ike id-mode <word>`, key: 2, info: info{sec: secIKE, sub: 3}},
	{pat: `ike ikev2 ike-sa-soft-lifetime <n>`, key: 3, info: info{sec: secIKE, sub: 3}},
	{pat: `ike <ikeflag>`, info: info{sec: secIKE, sub: 3}},
	{pat: `unset ike <ikeflag>`, info: info{sec: secIKE, sub: 3}},
	{pat: `ipsec access-session <ipsecflag>`, info: info{sec: secIPsec}},
	{pat: `unset ipsec access-session <ipsecflag>`, info: info{sec: secIPsec}},
	{pat: `ipsec access-session <ipsecnum> <n>`, key: 3, info: info{sec: secIPsec}},
	{pat: `vpn <"name> gateway <"name> ...`, key: 3, neg: 2, info: info{sec: secVPN, group: "vpn", rest: restVPN}},
	{pat: `vpn <"name> monitor ...`, key: 3, info: info{sec: secVPN, sub2: 1, group: "vpn", rest: restMonitor}},
	{pat: `vpn <"name> bind interface <if>`, key: 3, info: info{sec: secVPN, sub2: 2, group: "vpn"}},
	{pat: `vpn <"name> dscp-mark <dscp>`, key: 3, info: info{sec: secVPN, sub2: 3, group: "vpn"}},
	{pat: `vpn <"name> df-bit <dfbit>`, key: 3, info: info{sec: secVPN, sub2: 4, group: "vpn"}},
	{pat: `vpn <"name> proxy-id local-ip <cidr> remote-ip <cidr> <"service>`, key: 3, info: info{sec: secProxyID, group: "vpn"}},
	{pat: `url protocol <word>`, into: "url", keep: true, info: info{sec: secURL}},
	{pat: `pppoe name <"name>`, key: 3, info: info{sec: secPPPoE}},
	{pat: `pppoe name <"name> username <"name> password <"name>`, key: 4, info: info{sec: secPPPoE}},
	{pat: `pppoe name <"name> idle <n>`, key: 4, info: info{sec: secPPPoE}},
	{pat: `pppoe name <"name> static-ip`, info: info{sec: secPPPoE}},
	{pat: `pppoe name <"name> interface <if>`, key: 4, info: info{sec: secPPPoE}},
	{pat: `pppoe name <"name> ppp lcp-echo-retries <n>`, key: 5, info: info{sec: secPPPoE}},
	{pat: `pppoe name <"name> ppp lcp-echo-timeout <n>`, key: 5, info: info{sec: secPPPoE}},
	{pat: `pppoe name <"name> auto-connect <n>`, key: 4, info: info{sec: secPPPoE}},
	{pat: `pppoe name <"name> clear-on-disconnect`, info: info{sec: secPPPoE}},
	{pat: `nsmgmt bulkcli reboot-timeout <n>`, key: 3, info: info{sec: secNSMgmt}},
	{pat: `nsmgmt bulkcli reboot-wait <n>`, key: 3, info: info{sec: secNSMgmt}},
	{pat: `ssh version <sshver>`, key: 2, info: info{sec: secSSH}},
	{pat: `ssh enable`, info: info{sec: secSSH}},
	{pat: `scs enable`, info: info{sec: secSSH}},
	{pat: `config lock timeout <n>`, key: 3, info: info{sec: secConfig}},
	{pat: `license-key auto-update`, info: info{sec: secLicense}},
	{pat: `unset license-key auto-update`, info: info{sec: secLicense}},
	{pat: `telnet client enable`, info: info{sec: secTelnet}},
	{pat: `modem speed <n>`, key: 2, info: info{sec: secModem}},
	{pat: `modem <modemopt> <n>`, key: 2, info: info{sec: secModem}},
	{pat: `snmp port listen <n>`, key: 3, info: info{sec: secSNMP}},
	{pat: `snmp port trap <n>`, key: 3, info: info{sec: secSNMP}},
	{pat: `snmpv3 local-engine id <"name>`, key: 3, info: info{sec: secSNMP, sub: 1}},

	// virtual routers
	{pat: `vrouter <"vr>`, into: "vrouter", keep: true},
	{pat: `sharable`, ctx: "vrouter", info: info{oneLine: true}},
	{pat: `auto-route-export`, ctx: "vrouter", info: info{early: true}},
	{pat: `unset auto-route-export`, ctx: "vrouter", info: info{early: true}},
	{pat: `source-routing enable`, ctx: "vrouter", info: info{sub: 0}},
	{pat: `sibr-routing enable`, ctx: "vrouter", info: info{sub: 0}},
	{pat: `add-default-route`, ctx: "vrouter", info: info{sub: 1}},
	{pat: `unset add-default-route`, ctx: "vrouter", info: info{sub: 1}},
	{pat: `max-ecmp-routes <ecmp>`, key: 1, ctx: "vrouter", info: info{sub: 2}},
	{pat: `router-id <ip>`, key: 1, ctx: "vrouter", info: info{sub: 2}},
	{pat: `route <cidr> interface <if> ...`, key: 4, ctx: "vrouter", info: info{sub: 3, rest: restRoute}},
	{pat: `route <cidr> gateway <ip> ...`, key: 4, ctx: "vrouter", info: info{sub: 3, rest: restRoute}},
	{pat: `route source <cidr> interface <if> ...`, key: 5, ctx: "vrouter", info: info{sub: 4, rest: restRoute}},
	{pat: `route source in-interface <if> <cidr> interface <if> ...`, key: 7, ctx: "vrouter", info: info{sub: 4, rest: restRoute}},
	{pat: `access-list <acl> <act> ip <cidr> <seq>`, key: 0, ctx: "vrouter", info: info{sub: 5}},
	{pat: `route-map name <"name> <act> <seq>`, ctx: "vrouter", into: "routemap", keep: true, info: info{sub: 6}},
	{pat: `match ip <acl>`, key: 2, ctx: "routemap"},
	{pat: `local-pref <n>`, key: 1, ctx: "routemap"},
	{pat: `metric <n>`, key: 1, ctx: "routemap"},
	{pat: `protocol bgp <as>`, key: 2, neg: 2, ctx: "vrouter", into: "bgp", keep: true},
	{pat: `enable`, ctx: "bgp"},
	{pat: `hold-time <holdtime>`, key: 1, ctx: "bgp"},
	{pat: `keepalive <keepalive>`, key: 1, ctx: "bgp"},
	{pat: `network <cidr>`, ctx: "bgp", info: info{sub2: 2}},
	{pat: `neighbor <ip> remote-as <as> ...`, key: 3, neg: 2, ctx: "bgp", info: info{sub2: 1, rest: restRemoteAS}},
	{pat: `router-id <ip>`, key: 1, ctx: "bgp"},
	{pat: `neighbor <ip> enable`, ctx: "bgp", info: info{sub2: 1}},
	{pat: `neighbor <ip> ebgp-multihop <ttl>`, key: 3, ctx: "bgp", info: info{sub2: 1}},
	{pat: `neighbor <ip> md5-authentication <secret>`, key: 3, ctx: "bgp", info: info{sub2: 1}},
	{pat: `neighbor <ip> hold-time <holdtime>`, key: 3, ctx: "bgp", info: info{sub2: 1}},
	{pat: `neighbor <ip> keepalive <keepalive>`, key: 3, ctx: "bgp", info: info{sub2: 1}},
	{pat: `neighbor <ip> src-interface <if>`, key: 3, ctx: "bgp", info: info{sub2: 1}},
	{pat: `neighbor <ip> route-map <"name> <dir>`, ctx: "bgp", info: info{sub2: 1}},
}

func isParam(w string) bool { return strings.HasPrefix(w, "<") && strings.HasSuffix(w, ">") }

// paramName is a pattern word's parameter name without quotes marker.
func paramName(w string) string { return strings.TrimPrefix(strings.Trim(w, "<>"), `"`) }

type builtSpec struct {
	spec  *flat.Spec
	infos map[*flat.Command]info
}

func buildSpec() builtSpec {
	b := builtSpec{infos: map[*flat.Command]info{}}
	params := map[string]func(string) string{}
	for name, check := range paramChecks {
		params[name], params[`"`+name] = check, check
	}
	for name, vals := range enums {
		vals := vals
		check := func(v string) string {
			if enumValue(vals, v) == "" {
				return "unknown keyword " + v
			}
			return ""
		}
		params[name], params[`"`+name] = check, check
	}
	b.spec = &flat.Spec{Set: "set", Negate: "unset", Exit: []string{"exit"}, FoldCase: true, Params: params}
	for _, d := range defs {
		c := &flat.Command{Pattern: d.pat, Key: d.key, MinNegate: d.neg, Context: d.ctx, Enters: d.into, Keep: d.keep}
		if d.rest != nil {
			r := d.rest
			c.Rest = func(rest []string) string {
				_, off, msg := r(nil, rest)
				if msg == "" {
					return ""
				}
				return fmt.Sprintf("%d\x00%s", off, msg)
			}
		}
		b.spec.Commands = append(b.spec.Commands, c)
		b.infos[c] = d.info
	}
	return b
}

func enumValue(vals []string, v string) string {
	for _, x := range vals {
		if strings.EqualFold(x, v) {
			return x
		}
	}
	return ""
}

func uintIn(lo, hi uint64) func(string) string {
	return func(v string) string {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || n < lo || n > hi {
			return fmt.Sprintf("invalid value %s (%d-%d)", v, lo, hi)
		}
		return ""
	}
}

func checkIP(v string) string {
	a, err := netip.ParseAddr(v)
	if err != nil || !a.Is4() {
		return "invalid ip address " + v
	}
	return ""
}

func checkCIDR(v string) string {
	p, err := netip.ParsePrefix(v)
	if err != nil || !p.Addr().Is4() {
		return "invalid ip address " + v
	}
	return ""
}

func maskBits(v string) (int, bool) {
	a, err := netip.ParseAddr(v)
	if err != nil || !a.Is4() {
		return 0, false
	}
	b := a.As4()
	m := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	n := 0
	for m&0x80000000 != 0 {
		n++
		m <<= 1
	}
	return n, m == 0
}

// checkName refuses what the device cannot store in a name [INFERRED limits]: an empty
// name and names longer than 63 bytes. Quotes and control characters never get this far
// (lex).
func checkName(v string) string {
	switch {
	case v == "":
		return "invalid name"
	case len(v) > 63:
		return "name too long"
	}
	return ""
}

var paramChecks = map[string]func(string) string{
	"n": uintIn(0, 4294967295),
	"int": func(v string) string {
		if _, err := strconv.Atoi(v); err != nil {
			return "invalid value " + v
		}
		return ""
	},
	"ip":   checkIP,
	"cidr": checkCIDR,
	"mask": func(v string) string {
		if _, ok := maskBits(v); !ok {
			return "invalid netmask " + v
		}
		return ""
	},
	"addr": func(v string) string {
		if checkIP(v) == "" {
			return ""
		}
		if strings.Trim(v, "0123456789.") == "" {
			return "invalid ip address " + v // digits and dots only: meant as an address
		}
		if !validHostname(v) {
			return "invalid ip address " + v
		}
		return ""
	},
	"name":    checkName,
	"service": checkName,
	"zone":    checkName,
	"word":    checkName,
	"if": func(v string) string {
		for _, r := range v {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '/' || r == '.' || r == '-' || r == '_' || r == ':') {
				return "unknown keyword " + v
			}
		}
		return checkName(v)
	},
	"host": func(v string) string {
		if !validHostname(v) {
			return "invalid hostname " + v
		}
		return ""
	},
	"secret": func(v string) string {
		if v == "" || len(v) > 255 {
			return "invalid key"
		}
		return ""
	},
	"mss":       uintIn(64, 65535),
	"mtu":       uintIn(800, 1500),
	"dscp":      uintIn(0, 63),
	"as":        uintIn(1, 4294967295),
	"acl":       uintIn(1, 99),
	"seq":       uintIn(1, 65535),
	"ecmp":      uintIn(1, 16),
	"ttl":       uintIn(0, 255),
	"holdtime":  uintIn(3, 65535),
	"keepalive": uintIn(0, 21845),
}

func enumCheck(vals []string, v string) string {
	if enumValue(vals, v) == "" {
		return "unknown keyword " + v
	}
	return ""
}

func validHostname(v string) bool {
	if v == "" || len(v) > 63 {
		return false
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
