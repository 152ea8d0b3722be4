package rtx

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/flat"
)

// Print groups of `show config`, in the order the device prints them (device-cli.md 2.3:
// system, ip route, ip lanN, pp, tunnel blocks, ip filter, nat, ipsec, bgp, then services).
const (
	gDescription = iota
	gLogin
	gSystem
	gRoute
	gLAN
	gPP
	gTunnel
	gFilter
	gNAT
	gIPsec
	gBGP
	gTelnet
	gDHCP
	gDNS
	gSSHD
	gMisc
)

// info is what the engine knows about a command beyond the flat store's pattern.
type info struct {
	group int
	// mask: tokens from this index on print as one `*` (passwords); 0 prints them all.
	mask int
	// gw: index of the security gateway id of an `ipsec ike` line (printed inside the
	// tunnel block whose policy uses the gateway); 0 for none.
	gw int
	// sortBy: token indices compared (numbers numerically) before the spec order, so that
	// numbered objects print in number order and interface lines per interface.
	sortBy []int
	// ike: order of an `ipsec ike` line inside its tunnel block.
	ike string
	// pskAt: index of a pre-shared key shown only to the administrator.
	pskAt int
}

// spec is the command table of one engine (ranges depend on the model).
type spec struct {
	flat  *flat.Spec
	infos map[*flat.Command]*info
	order map[*flat.Command]int
}

// message keys; messages.go has their texts.
const (
	mInvalidCommand = "invalid-command"
	mParams         = "params"
	mKeyword        = "keyword"
	mInteger        = "integer"
	mRange          = "range"
	mIP             = "ip"
	mAdminOnly      = "admin-only"
	mPPSelect       = "pp-select"
	mTunnelSelect   = "tunnel-select"
)

func intRange(lo, hi int64) func(string) string {
	return func(v string) string {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			if _, err2 := strconv.ParseUint(strings.TrimPrefix(v, "-"), 10, 64); err2 == nil {
				return mRange // a number too large for the device
			}
			return mInteger
		}
		if n < lo || n > hi {
			return mRange
		}
		return ""
	}
}

func oneOf(words ...string) func(string) string {
	return func(v string) string {
		for _, w := range words {
			if v == w {
				return ""
			}
		}
		return mKeyword
	}
}

func either(a, b func(string) string) func(string) string {
	return func(v string) string {
		if a(v) == "" || b(v) == "" {
			return ""
		}
		return a(v)
	}
}

func isIPv4(v string) bool {
	a, err := netip.ParseAddr(v)
	return err == nil && a.Is4()
}

func checkIP(v string) string {
	if isIPv4(v) {
		return ""
	}
	return mIP
}

// checkCIDR accepts a.b.c.d/len and a.b.c.d/m.m.m.m (and a bare address when bare).
func checkCIDR(bare bool) func(string) string {
	return func(v string) string {
		ip, l, ok := strings.Cut(v, "/")
		if !ok {
			if bare && isIPv4(v) {
				return ""
			}
			return mIP
		}
		if !isIPv4(ip) {
			return mIP
		}
		if isIPv4(l) {
			return ""
		}
		n, err := strconv.Atoi(l)
		if err != nil {
			return mIP
		}
		if n < 0 || n > 32 {
			return mRange
		}
		return ""
	}
}

var fqdnRE = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$`)

func checkPeer(v string) string {
	if v == "any" || isIPv4(v) {
		return ""
	}
	if len(v) <= 255 && fqdnRE.MatchString(v) && strings.ContainsAny(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		return ""
	}
	return mIP
}

// checkText is a free string of at most max bytes in Shift-JIS (the device's measure:
// 64 characters of ASCII, 32 of Shift-JIS); a character Shift-JIS cannot hold, a
// half-width katakana or a control character is refused.
func checkText(max int) func(string) string {
	return func(v string) string {
		n := 0
		for _, r := range v {
			switch {
			case r < 0x20 || r == 0x7f:
				return mKeyword
			case r < 0x80:
				n++
			case r >= 0xff61 && r <= 0xff9f: // half-width katakana
				return mKeyword
			default:
				if !sjisEncodable(r) {
					return mKeyword
				}
				n += 2
			}
		}
		if n > max {
			return mRange // [INFERRED]
		}
		return ""
	}
}

func checkNum(v string) bool { _, err := strconv.ParseUint(v, 10, 32); return err == nil }

// buildSpec is the command table of model m. The order of Commands is the order the device
// prints lines of one group in.
func buildSpec(m *model) *spec {
	lanIf := func(v string) string {
		base, _, _ := strings.Cut(v, ".")
		base, _, _ = strings.Cut(base, "/")
		if strings.HasPrefix(base, "lan") {
			if n, err := strconv.Atoi(base[3:]); err == nil && n >= 1 && n <= m.lans {
				return ""
			}
		}
		if strings.HasPrefix(v, "vlan") || strings.HasPrefix(v, "loopback") || v == "bridge1" {
			if _, err := strconv.Atoi(strings.TrimLeft(v, "vlanopbckridge")); err == nil {
				return ""
			}
		}
		return mKeyword
	}
	params := map[string]func(string) string{
		"gw":       intRange(1, int64(m.maxGW)),
		"tunnel":   intRange(1, int64(m.maxTunnel)),
		"pp":       intRange(1, int64(m.maxPP)),
		"policy":   intRange(1, 2147483647),
		"filter":   intRange(1, 21474836),
		"nat":      intRange(1, 2147483647),
		"neighbor": intRange(1, 32),
		"as":       intRange(1, 65535),
		"descid":   intRange(1, 21474836),
		"num":      intRange(0, 2147483647),
		"onoff":    oneOf("on", "off"),
		"ip":       checkIP,
		"cidr":     checkCIDR(false),
		"ipmask":   checkCIDR(true),
		"net":      either(oneOf("default"), checkCIDR(true)),
		"peer":     checkPeer,
		"lanif":    lanIf,
		"lanaddr":  either(oneOf("dhcp"), checkCIDR(false)),
		"ikever":   intRange(1, 2),
		"ikeenc":   oneOf("3des-cbc", "des-cbc", "aes-cbc", "aes256-cbc"),
		"ikehash":  oneOf("md5", "sha", "sha256", "sha384", "sha512"),
		"ikegroup": oneOf("modp768", "modp1024", "modp1536", "modp2048", "modp3072", "modp4096", "ecp256", "ecp384"),
		"duration": intRange(300, 691200),
		"kaswitch": oneOf("on", "off", "auto"),
		"dfbit":    oneOf("copy", "set", "clear"),
		"encap":    oneOf("ipsec", "ipip", "l2tp", "l2tpv3", "l2tpv3-raw", "map-e", "ipip6"),
		"mtu":      either(oneOf("auto"), intRange(64, 1500)),
		"mss":      either(oneOf("auto", "off"), intRange(536, 1460)),
		"dir":      oneOf("in", "out"),
		"charset":  oneOf("en.ascii", "ja.sjis", "ja.euc", "ja.utf8", "ascii", "sjis", "euc"),
		"lines":    either(oneOf("infinity"), intRange(10, 100)),
		"columns":  intRange(80, int64(m.columnsMax())),
		"prompt":   checkText(64),
		"desc":     checkText(64),
		"name":     checkText(32),
		"password": checkText(32),
		"word":     checkText(255),
		"timer":    either(oneOf("clear"), intRange(60, 21474836)),
		"restrict": oneOf("auto", "off"),
		"natype":   oneOf("masquerade", "nat", "nat-masquerade", "none"),
	}
	sp := &spec{infos: map[*flat.Command]*info{}, order: map[*flat.Command]int{}}
	fs := &flat.Spec{
		Negate:           "no",
		Top:              []string{"tunnel select none", "pp select none"},
		Params:           params,
		GlobalEverywhere: true,
	}
	add := func(pattern string, key int, in info, opts ...func(*flat.Command)) *flat.Command {
		c := &flat.Command{Pattern: pattern, Key: key}
		for _, o := range opts {
			o(c)
		}
		sp.infos[c] = &in
		sp.order[c] = len(fs.Commands)
		fs.Commands = append(fs.Commands, c)
		return c
	}
	rest := func(f func([]string) string) func(*flat.Command) {
		return func(c *flat.Command) { c.Rest = f }
	}
	in := func(ctx string) func(*flat.Command) { return func(c *flat.Command) { c.Context = ctx } }
	minNeg := func(n int) func(*flat.Command) { return func(c *flat.Command) { c.MinNegate = n } }
	ike := func(name string, gw int, pattern string, key int, opts ...func(*flat.Command)) {
		add(pattern, key, info{group: gIPsec, gw: gw, ike: name, sortBy: []int{gw}}, opts...)
	}

	// system description lines print before everything else, in id order
	add("description <descid> <desc>", 2, info{group: gDescription, sortBy: []int{1}})
	add("login password ...", 2, info{group: gLogin, mask: 2}, rest(count(1, 1, "password")))
	add("administrator password ...", 2, info{group: gLogin, mask: 2}, rest(count(1, 1, "password")))
	add("login user <name> ...", 3, info{group: gLogin, mask: 3, sortBy: []int{2}}, rest(count(1, 2, "password")))
	add("user attribute <name> ...", 3, info{group: gLogin, sortBy: []int{2}}, rest(loose))
	// console lines, then `login timer` after them [SEEN RTX1300 dump]
	add("console character <charset>", 2, info{group: gSystem})
	add("console prompt <prompt>", 2, info{group: gSystem})
	add("console lines <lines>", 2, info{group: gSystem})
	add("console columns <columns>", 2, info{group: gSystem})
	add("console info <onoff>", 2, info{group: gSystem})
	add("login timer <timer>", 2, info{group: gSystem})
	add("timezone <word>", 1, info{group: gSystem})
	add("ip route change log <onoff>", 4, info{group: gSystem})

	add("ip route <net> ...", 3, info{group: gRoute}, rest(routeRest(m)))
	add("ip filter source-route <onoff>", 3, info{group: gRoute})

	add("description <lanif> <desc>", 2, info{group: gLAN, sortBy: []int{1}})
	add("ip <lanif> address <lanaddr> ...", 3, info{group: gLAN, sortBy: []int{1}}, rest(loose))
	add("ip <lanif> mtu <mtu>", 3, info{group: gLAN, sortBy: []int{1}})
	add("ip <lanif> proxyarp <onoff>", 3, info{group: gLAN, sortBy: []int{1}})
	add("ip <lanif> secure filter <dir> ...", 5, info{group: gLAN, sortBy: []int{1}}, rest(filterList))
	add("ip <lanif> nat descriptor ...", 4, info{group: gLAN, sortBy: []int{1}}, rest(numList(1)))
	add("ip <lanif> intrusion detection ...", 4, info{group: gLAN, sortBy: []int{1}}, rest(loose))
	add("ip <lanif> tcp mss limit <mss>", 5, info{group: gLAN, sortBy: []int{1}})

	add("pp disable all", 3, info{group: gPP})
	add("pp select <pp>", 0, info{group: gPP}, func(c *flat.Command) { c.Enters = "pp" })
	add("description pp <desc>", 2, info{}, in("pp"))
	add("pp keepalive ...", 3, info{}, in("pp"), rest(loose), minNeg(2))
	add("pppoe use <lanif>", 2, info{}, in("pp"))
	add("pppoe auto disconnect <onoff>", 3, info{}, in("pp"))
	add("pp auth accept ...", 3, info{}, in("pp"), rest(loose))
	add("pp auth myname <name> <password>", 3, info{}, in("pp"))
	add("ppp lcp mru <onoff> ...", 3, info{}, in("pp"), rest(loose))
	add("ppp ipcp ipaddress <onoff>", 3, info{}, in("pp"))
	add("ppp ipcp msext <onoff>", 3, info{}, in("pp"))
	add("ppp ccp type ...", 3, info{}, in("pp"), rest(loose))
	add("ip pp address <cidr>", 3, info{}, in("pp"))
	add("ip pp mtu <mtu>", 3, info{}, in("pp"))
	add("ip pp secure filter <dir> ...", 5, info{}, in("pp"), rest(filterList))
	add("ip pp nat descriptor ...", 4, info{}, in("pp"), rest(numList(1)))
	add("ip pp tcp mss limit <mss>", 5, info{}, in("pp"))
	add("pp always-on <onoff> ...", 2, info{}, in("pp"), rest(loose))
	add("pp enable <pp>", 2, info{}, in("pp"))

	add("tunnel select <tunnel>", 0, info{group: gTunnel}, func(c *flat.Command) { c.Enters = "tunnel" })
	add("description tunnel <desc>", 2, info{}, in("tunnel"))
	add("tunnel encapsulation <encap>", 2, info{}, in("tunnel"))
	add("tunnel endpoint address ...", 3, info{}, in("tunnel"), rest(count(1, 2, "ip")))
	add("tunnel endpoint name ...", 3, info{}, in("tunnel"), rest(count(1, 2, "word")))
	add("ipsec tunnel <policy>", 2, info{}, in("tunnel"))
	add("ipsec tunnel outer df-bit <dfbit>", 4, info{}, in("tunnel"))
	add("ip tunnel address <cidr>", 3, info{}, in("tunnel"))
	add("ip tunnel remote address <ip>", 4, info{}, in("tunnel"))
	add("ip tunnel mtu <mtu>", 3, info{}, in("tunnel"))
	add("ip tunnel secure filter <dir> ...", 5, info{}, in("tunnel"), rest(filterList))
	add("ip tunnel nat descriptor ...", 4, info{}, in("tunnel"), rest(numList(1)))
	add("ip tunnel tcp mss limit <mss>", 5, info{}, in("tunnel"))
	add("tunnel enable <tunnel>", 2, info{}, in("tunnel"))

	add("ip filter <filter> ...", 3, info{group: gFilter, sortBy: []int{2}}, rest(filterRest))
	add("ip filter dynamic <filter> ...", 4, info{group: gFilter, sortBy: []int{3}}, rest(loose))

	add("nat descriptor type <nat> <natype>", 4, info{group: gNAT, sortBy: []int{3}})
	add("nat descriptor address outer <nat> ...", 5, info{group: gNAT, sortBy: []int{4}}, rest(count(1, 1, "word")))
	add("nat descriptor address inner <nat> ...", 5, info{group: gNAT, sortBy: []int{4}}, rest(count(1, 1, "word")))
	add("nat descriptor masquerade static <nat> <num> ...", 6, info{group: gNAT, sortBy: []int{4, 5}}, rest(loose))
	add("nat descriptor masquerade incoming <nat> ...", 5, info{group: gNAT, sortBy: []int{4}}, rest(loose))

	add("ipsec auto refresh <onoff>", 3, info{group: gIPsec})
	add("ipsec transport <num> <policy> ...", 3, info{group: gIPsec, sortBy: []int{2}}, rest(loose))
	add("ipsec sa policy <policy> <gw> ...", 4, info{group: gIPsec, sortBy: []int{3}}, rest(saPolicyRest))
	// the lines of a security gateway; the first argument of ike() orders them inside the
	// tunnel block (version first, then by name, `ipsec auto refresh N` last)
	ike("0", 3, "ipsec ike version <gw> <ikever>", 4)
	ike("1 always-on", 3, "ipsec ike always-on <gw> <onoff>", 4)
	ike("1 child-exchange type", 4, "ipsec ike child-exchange type <gw> <num>", 5)
	ike("1 duration child-sa", 4, "ipsec ike duration child-sa <gw> <duration> ...", 5, rest(durationRest))
	ike("1 duration ike-sa", 4, "ipsec ike duration ike-sa <gw> <duration> ...", 5, rest(durationRest))
	ike("1 duration ipsec-sa", 4, "ipsec ike duration ipsec-sa <gw> <duration> ...", 5, rest(durationRest))
	ike("1 duration isakmp-sa", 4, "ipsec ike duration isakmp-sa <gw> <duration> ...", 5, rest(durationRest))
	ike("1 encryption", 3, "ipsec ike encryption <gw> <ikeenc>", 4)
	ike("1 esp-encapsulation", 3, "ipsec ike esp-encapsulation <gw> <onoff>", 4)
	ike("1 group", 3, "ipsec ike group <gw> <ikegroup> ...", 4, rest(count(0, 1, "ikegroup")))
	ike("1 hash", 3, "ipsec ike hash <gw> <ikehash>", 4)
	ike("1 keepalive log", 4, "ipsec ike keepalive log <gw> <onoff>", 5)
	ike("1 keepalive use", 4, "ipsec ike keepalive use <gw> <kaswitch> ...", 5, rest(keepaliveRest))
	ike("1 local address", 4, "ipsec ike local address <gw> <ip>", 5)
	ike("1 local id", 4, "ipsec ike local id <gw> <ipmask>", 5)
	ike("1 local name", 4, "ipsec ike local name <gw> <name> ...", 5, rest(idTypeRest))
	ike("1 log", 3, "ipsec ike log <gw> ...", 4, rest(loose))
	ike("1 message-id-control", 3, "ipsec ike message-id-control <gw> <onoff>", 4)
	ike("1 nat-traversal", 3, "ipsec ike nat-traversal <gw> <onoff> ...", 4, rest(natTRest))
	ike("1 negotiate-strictly", 3, "ipsec ike negotiate-strictly <gw> <onoff>", 4)
	ike("1 negotiation receive", 4, "ipsec ike negotiation receive <gw> <onoff>", 5)
	ike("1 payload type", 4, "ipsec ike payload type <gw> ...", 5, rest(count(1, 2, "num")))
	ike("1 pfs", 3, "ipsec ike pfs <gw> <onoff>", 4)
	sp.infos[add("ipsec ike pre-shared-key <gw> ...", 4, info{group: gIPsec, gw: 3, ike: "1 pre-shared-key", sortBy: []int{3}}, rest(pskRest))].pskAt = 4
	ike("1 proposal-limitation", 3, "ipsec ike proposal-limitation <gw> <onoff>", 4)
	ike("1 remote address", 4, "ipsec ike remote address <gw> <peer>", 5)
	ike("1 remote id", 4, "ipsec ike remote id <gw> <ipmask>", 5)
	ike("1 remote name", 4, "ipsec ike remote name <gw> <name> ...", 5, rest(idTypeRest))
	ike("1 restrict-dangling-sa", 3, "ipsec ike restrict-dangling-sa <gw> <restrict>", 4)
	// `ipsec auto refresh N on` before `ipsec auto refresh on` so that `no ipsec auto
	// refresh N` removes the gateway's line only
	ike("2", 3, "ipsec auto refresh <gw> <onoff>", 4)

	add("bgp use <onoff>", 2, info{group: gBGP})
	add("bgp autonomous-system <as>", 2, info{group: gBGP})
	add("bgp router id <ip>", 3, info{group: gBGP})
	add("bgp log ...", 2, info{group: gBGP}, rest(loose))
	add("bgp preference <num>", 2, info{group: gBGP})
	add("bgp neighbor <neighbor> <as> <ip> ...", 3, info{group: gBGP, sortBy: []int{2}}, rest(neighborRest))
	sp.infos[add("bgp neighbor pre-shared-key <neighbor> ...", 4, info{group: gBGP, sortBy: []int{3}}, rest(bgpKeyRest))].pskAt = 4
	add("bgp import <as> <word> ...", 4, info{group: gBGP, sortBy: []int{2}}, rest(bgpImportRest))
	add("bgp import filter <filter> ...", 4, info{group: gBGP, sortBy: []int{3}}, rest(bgpFilterRest))
	add("bgp export <as> ...", 3, info{group: gBGP, sortBy: []int{2}}, rest(bgpExportRest))
	add("bgp export filter <filter> ...", 4, info{group: gBGP, sortBy: []int{3}}, rest(bgpFilterRest))

	add("telnetd host ...", 2, info{group: gTelnet}, rest(loose))
	add("telnetd service <onoff>", 2, info{group: gTelnet})
	add("dhcp service ...", 2, info{group: gDHCP}, rest(count(1, 1, "word")))
	add("dhcp server rfc2131 compliant ...", 4, info{group: gDHCP}, rest(loose))
	add("dhcp scope <num> ...", 3, info{group: gDHCP, sortBy: []int{2}}, rest(loose))
	add("dhcp scope bind <num> ...", 5, info{group: gDHCP, sortBy: []int{3}}, rest(loose))
	add("dhcp scope option <num> ...", 4, info{group: gDHCP, sortBy: []int{3}}, rest(loose))
	add("dns host ...", 2, info{group: gDNS}, rest(loose))
	add("dns service ...", 2, info{group: gDNS}, rest(loose))
	add("dns server ...", 2, info{group: gDNS}, rest(dnsServerRest))
	add("dns server select <num> ...", 4, info{group: gDNS, sortBy: []int{3}}, rest(loose))
	add("dns private address spoof <onoff>", 4, info{group: gDNS})
	add("dns static <word> <word> ...", 4, info{group: gDNS}, rest(count(1, 1, "word")))
	add("sshd service <onoff>", 2, info{group: gSSHD})
	add("sshd host key generate ...", 4, info{group: gSSHD, mask: 4}, rest(loose))
	add("sshd host ...", 2, info{group: gSSHD}, rest(loose))
	add("sshd session <num>", 2, info{group: gSSHD})
	add("sshd encrypt algorithm ...", 3, info{group: gSSHD}, rest(loose))
	add("sshd auth method ...", 3, info{group: gSSHD}, rest(loose))
	add("sshd client alive ...", 3, info{group: gSSHD}, rest(loose))
	add("sshd hide openssh version use <onoff>", 5, info{group: gSSHD})
	add("syslog host ...", 2, info{group: gMisc}, rest(loose))
	add("syslog notice <onoff>", 2, info{group: gMisc})
	add("syslog info <onoff>", 2, info{group: gMisc})
	add("syslog debug <onoff>", 2, info{group: gMisc})
	add("statistics traffic <onoff>", 2, info{group: gMisc})
	add("statistics nat <onoff>", 2, info{group: gMisc})
	add("schedule at <num> ...", 3, info{group: gMisc, sortBy: []int{2}}, rest(loose))
	add("ntpdate ...", 1, info{group: gMisc}, rest(loose))
	add("httpd host ...", 2, info{group: gMisc}, rest(loose))
	add("httpd service <onoff>", 2, info{group: gMisc})
	add("operation ...", 3, info{group: gMisc}, rest(loose))
	fixOrder(fs, sp)
	sp.flat = fs
	return sp
}

// fixOrder puts the per-gateway `ipsec auto refresh N` form before the global one in the
// matching order (see buildSpec) while keeping the print order.
func fixOrder(fs *flat.Spec, sp *spec) {
	cmds := fs.Commands
	// print order by sp.order; match order: the per-gateway refresh first
	var perGW, global *flat.Command
	for _, c := range cmds {
		switch c.Pattern {
		case "ipsec auto refresh <gw> <onoff>":
			perGW = c
		case "ipsec auto refresh <onoff>":
			global = c
		}
	}
	out := make([]*flat.Command, 0, len(cmds))
	for _, c := range sortedByOrder(cmds, sp.order) {
		if c == perGW {
			continue
		}
		if c == global {
			out = append(out, perGW)
		}
		out = append(out, c)
	}
	fs.Commands = out
}

func sortedByOrder(cmds []*flat.Command, order map[*flat.Command]int) []*flat.Command {
	out := append([]*flat.Command(nil), cmds...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && order[out[j]] < order[out[j-1]]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// --- checks of the tokens after a pattern ("...") ---

func loose([]string) string { return "" }

// count checks the number of further tokens and each with the named check.
func count(min, max int, check string) func([]string) string {
	return func(rest []string) string {
		if len(rest) < min || len(rest) > max {
			return mParams
		}
		for _, t := range rest {
			if msg := simpleCheck(check, t); msg != "" {
				return msg
			}
		}
		return ""
	}
}

func simpleCheck(name, v string) string {
	switch name {
	case "password":
		return checkText(32)(v)
	case "ip":
		return checkIP(v)
	case "num":
		return intRange(0, 2147483647)(v)
	case "ikegroup":
		return oneOf("modp768", "modp1024", "modp1536", "modp2048", "modp3072", "modp4096", "ecp256", "ecp384")(v)
	}
	return checkText(255)(v)
}

func numList(min int) func([]string) string {
	return func(rest []string) string {
		if len(rest) < min {
			return mParams
		}
		for _, t := range rest {
			if msg := intRange(1, 2147483647)(t); msg != "" {
				return msg
			}
		}
		return ""
	}
}

func filterList(rest []string) string {
	for i, t := range rest {
		if t == "dynamic" && i > 0 {
			continue
		}
		if msg := intRange(1, 21474836)(t); msg != "" {
			return msg
		}
	}
	return ""
}

func routeRest(m *model) func([]string) string {
	return func(rest []string) string {
		if len(rest) == 0 {
			return mParams
		}
		i := 0
		for i < len(rest) {
			if rest[i] != "gateway" {
				return mKeyword
			}
			i++
			if i >= len(rest) {
				return mParams
			}
			switch g := rest[i]; {
			case g == "pp" || g == "tunnel":
				if i+1 >= len(rest) {
					return mParams
				}
				max := m.maxTunnel
				if g == "pp" {
					max = m.maxPP
				}
				if msg := intRange(1, int64(max))(rest[i+1]); msg != "" && !(g == "pp" && rest[i+1] == "anonymous") {
					return msg
				}
				i += 2
			case g == "dhcp":
				if i+1 >= len(rest) {
					return mParams
				}
				i += 2
			case g == "null":
				i++
			case isIPv4(g):
				i++
			default:
				return mIP
			}
			for i < len(rest) && rest[i] != "gateway" {
				switch rest[i] {
				case "filter":
					i++
					n := 0
					for i < len(rest) && checkNum(rest[i]) {
						if msg := intRange(1, 21474836)(rest[i]); msg != "" {
							return msg
						}
						i, n = i+1, n+1
					}
					if n == 0 {
						return mParams
					}
				case "metric", "weight", "keepalive":
					lo, hi := int64(1), int64(15)
					switch rest[i] {
					case "weight":
						lo, hi = 0, 255
					case "keepalive":
						lo, hi = 1, 21474836
					}
					if i+1 >= len(rest) {
						return mParams
					}
					if msg := intRange(lo, hi)(rest[i+1]); msg != "" {
						return msg
					}
					i += 2
				case "hide":
					i++
				default:
					return mKeyword
				}
			}
		}
		return ""
	}
}

func saPolicyRest(rest []string) string {
	if len(rest) == 0 {
		return mParams
	}
	if rest[0] != "esp" && rest[0] != "ah" {
		return mKeyword
	}
	enc, hash := false, false
	for _, t := range rest[1:] {
		k, v, isOpt := strings.Cut(t, "=")
		switch {
		case isOpt && k == "anti-replay-check":
			if oneOf("on", "off")(v) != "" {
				return mKeyword
			}
		case isOpt && (k == "local-id" || k == "remote-id"):
			if checkCIDR(true)(v) != "" {
				return mIP
			}
		case !isOpt && rest[0] == "esp" && !enc && !hash && oneOf("aes-cbc", "aes256-cbc", "3des-cbc", "des-cbc", "aes-gcm", "aes256-gcm")(t) == "":
			enc = true
		case !isOpt && !hash && oneOf("md5-hmac", "sha-hmac", "sha256-hmac", "sha384-hmac", "sha512-hmac")(t) == "":
			hash = true
		default:
			return mKeyword
		}
	}
	return ""
}

func durationRest(rest []string) string {
	i := 0
	if i < len(rest) && checkNum(rest[i]) {
		if msg := intRange(100, 4194303)(rest[i]); msg != "" {
			return msg
		}
		i++
	}
	if i < len(rest) {
		if rest[i] != "rekey" {
			return mKeyword
		}
		if i+1 >= len(rest) {
			return mParams
		}
		v := rest[i+1]
		if v != "off" {
			p, ok := strings.CutSuffix(v, "%")
			if !ok {
				return mKeyword
			}
			if msg := intRange(70, 90)(p); msg != "" {
				return msg
			}
		}
		i += 2
	}
	if i != len(rest) {
		return mParams
	}
	return ""
}

func keepaliveRest(rest []string) string {
	i := 0
	if i < len(rest) {
		switch rest[i] {
		case "heartbeat", "dpd", "rfc4306":
			i++
		case "icmp-echo":
			if i+1 >= len(rest) {
				return mParams
			}
			if !isIPv4(rest[i+1]) {
				return mIP
			}
			i += 2
		default:
			if !checkNum(rest[i]) {
				return mKeyword
			}
		}
	}
	if i < len(rest) && checkNum(rest[i]) {
		if i+1 >= len(rest) {
			return mParams
		}
		if msg := intRange(1, 600)(rest[i]); msg != "" {
			return msg
		}
		if msg := intRange(1, 50)(rest[i+1]); msg != "" {
			return msg
		}
		i += 2
	}
	if i < len(rest) {
		v, ok := strings.CutPrefix(rest[i], "upwait=")
		if !ok {
			return mKeyword
		}
		if msg := intRange(0, 1000000)(v); msg != "" {
			return msg
		}
		i++
	}
	if i != len(rest) {
		return mParams
	}
	return ""
}

func natTRest(rest []string) string {
	for _, t := range rest {
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			return mKeyword
		}
		switch k {
		case "keepalive":
			if v != "off" {
				if msg := intRange(30, 100000)(v); msg != "" {
					return msg
				}
			}
		case "force":
			if oneOf("on", "off")(v) != "" {
				return mKeyword
			}
		case "type":
			if msg := intRange(1, 2)(v); msg != "" {
				return msg
			}
		default:
			return mKeyword
		}
	}
	return ""
}

func idTypeRest(rest []string) string {
	if len(rest) > 1 {
		return mParams
	}
	if len(rest) == 1 {
		return oneOf("ipv4-addr", "fqdn", "user-fqdn", "ipv6-addr", "key-id", "tel", "tel-key")(rest[0])
	}
	return ""
}

var hexKeyRE = regexp.MustCompile(`^0x[0-9A-Fa-f]{2,256}$`)

func pskRest(rest []string) string {
	switch {
	case len(rest) == 1 && strings.HasPrefix(rest[0], "0x"):
		if !hexKeyRE.MatchString(rest[0]) {
			return mKeyword
		}
		return ""
	case len(rest) >= 1 && rest[0] == "text":
		if len(rest) != 2 {
			return mParams
		}
		if msg := checkText(128)(rest[1]); msg != "" {
			return msg
		}
		if rest[1] == "" {
			return mParams
		}
		return ""
	case len(rest) == 0:
		return mParams
	case len(rest) == 1:
		return mKeyword
	}
	return mParams
}

func bgpKeyRest(rest []string) string {
	if len(rest) != 2 {
		return mParams
	}
	if rest[0] != "text" {
		return mKeyword
	}
	return checkText(80)(rest[1])
}

func neighborRest(rest []string) string {
	for _, t := range rest {
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			return mKeyword
		}
		var msg string
		switch k {
		case "hold-time":
			if v != "off" {
				msg = intRange(3, 28800)(v)
			}
		case "metric":
			msg = intRange(0, 2147483647)(v)
		case "passive", "ignore-capability", "route-refresh", "capability-cisco-route-refresh":
			msg = oneOf("on", "off")(v)
		case "gateway", "local-address":
			msg = checkIP(v)
		case "multihop":
			msg = either(oneOf("off"), intRange(1, 255))(v)
		default:
			msg = mKeyword
		}
		if msg != "" {
			return msg
		}
	}
	return ""
}

func bgpImportRest(rest []string) string {
	// bgp import <as> <proto> [<from_as>] filter <n>...
	if len(rest) == 0 {
		return mParams
	}
	i := 0
	if checkNum(rest[0]) {
		i++
	}
	if i >= len(rest) || rest[i] != "filter" {
		if i < len(rest) {
			return mKeyword
		}
		return mParams
	}
	return numList(1)(rest[i+1:])
}

func bgpExportRest(rest []string) string {
	if len(rest) == 0 {
		return mParams
	}
	if rest[0] != "filter" {
		return mKeyword
	}
	return numList(1)(rest[1:])
}

func bgpFilterRest(rest []string) string {
	i := 0
	if i < len(rest) && rest[i] == "reject" {
		i++
	}
	if i >= len(rest) {
		return mParams
	}
	if oneOf("include", "refines", "equal")(rest[i]) != "" {
		return mKeyword
	}
	i++
	n := 0
	for ; i < len(rest); i++ {
		t := rest[i]
		if k, v, ok := strings.Cut(t, "="); ok {
			if k != "metric" && k != "preference" {
				return mKeyword
			}
			if msg := intRange(0, 2147483647)(v); msg != "" {
				return msg
			}
			continue
		}
		if t != "all" {
			if msg := checkCIDR(true)(t); msg != "" {
				return msg
			}
		}
		n++
	}
	if n == 0 {
		return mParams
	}
	return ""
}

func dnsServerRest(rest []string) string {
	if len(rest) == 0 {
		return mParams
	}
	if rest[0] == "pp" || rest[0] == "dhcp" {
		if len(rest) != 2 {
			return mParams
		}
		return ""
	}
	if len(rest) > 4 {
		return mParams
	}
	for _, t := range rest {
		if msg := checkIP(t); msg != "" {
			return msg
		}
	}
	return ""
}

var filterAddrRE = regexp.MustCompile(`^[0-9.*/,\-]+$`)
var filterWordRE = regexp.MustCompile(`^[0-9A-Za-z*,\-]+$`)

func filterRest(rest []string) string {
	if len(rest) < 2 || len(rest) > 6 {
		return mParams
	}
	act := strings.TrimSuffix(strings.TrimSuffix(rest[0], "-log"), "-nolog")
	if oneOf("pass", "reject", "restrict")(act) != "" {
		return mKeyword
	}
	for i, t := range rest[1:] {
		if i < 2 {
			if !filterAddrRE.MatchString(t) {
				return mIP
			}
			continue
		}
		if !filterWordRE.MatchString(t) {
			return mKeyword
		}
	}
	return ""
}
