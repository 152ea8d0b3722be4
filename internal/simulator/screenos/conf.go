package screenos

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/flat"
)

// policy is one security policy. The device evaluates the policies of a zone pair in list
// order and `get config` prints them in that order [INFERRED from the seed's `Trust to
// Untrust` pitfall: the order is the evaluation order and `set policy top/before/move`
// change it].
type policy struct {
	id            int
	name          string
	from, to      string
	src, dst, svc []string // the first of each is on the policy line, the others in its context
	nat           bool
	action        string // permit, deny, reject, tunnel
	vpn           string // for tunnel
	log, count    bool
}

func (p *policy) clone() *policy {
	n := *p
	n.src = append([]string(nil), p.src...)
	n.dst = append([]string(nil), p.dst...)
	n.svc = append([]string(nil), p.svc...)
	return &n
}

// conf is one configuration: the flat store (everything but policies), the policy list in
// evaluation order and the tunnel ids the device gave its vpns.
type conf struct {
	st       *flat.Store
	policies []*policy
	vpnIDs   map[string]int
}

func (c *conf) clone() *conf {
	n := &conf{st: c.st.Clone(), vpnIDs: map[string]int{}}
	for _, p := range c.policies {
		n.policies = append(n.policies, p.clone())
	}
	for k, v := range c.vpnIDs {
		n.vpnIDs[k] = v
	}
	return n
}

func (c *conf) policyIndex(id int) int {
	for i, p := range c.policies {
		if p.id == id {
			return i
		}
	}
	return -1
}

var predefinedZones = []string{"Trust", "Untrust", "DMZ", "VLAN", "Untrust-Tun", "MGT", "Global", "Null", "Self", "HA",
	"V1-Trust", "V1-Untrust", "V1-DMZ", "V1-Null"}

var predefinedServices = []string{"ANY", "HTTP", "HTTPS", "SSH", "TELNET", "FTP", "TFTP", "DNS", "SMTP", "POP3", "IMAP",
	"MAIL", "PING", "ICMP-ANY", "NTP", "SNMP", "SYSLOG", "LDAP", "IKE", "GRE", "BGP", "MS-RPC-ANY", "NBNAME", "NBDS", "SMB", "RDP"}

var predefinedP1 = []string{"pre-g2-aes128-sha", "pre-g2-3des-sha", "pre-g2-3des-md5", "pre-g2-des-sha", "pre-g2-des-md5",
	"pre-g1-des-sha", "pre-g1-des-md5", "pre-g5-3des-sha", "pre-g5-aes128-sha", "rsa-g2-3des-sha", "dsa-g2-3des-sha"}

var predefinedP2 = []string{"g2-esp-3des-sha", "g2-esp-3des-md5", "g2-esp-des-sha", "g2-esp-des-md5", "g2-esp-aes128-sha",
	"nopfs-esp-3des-sha", "nopfs-esp-3des-md5", "nopfs-esp-des-sha", "nopfs-esp-des-md5", "nopfs-esp-aes128-sha"}

// tokenAt returns a line's token i, "" when it has fewer.
func tokenAt(l *flat.Line, i int) string {
	if i < len(l.Tokens) {
		return l.Tokens[i]
	}
	return ""
}

// unsetForm reports a stored negative line (`unset zone "Untrust" tcp-rst`).
func unsetForm(l *flat.Line) bool { return l.Tokens[0] == "unset" }

// body is a line's tokens without the leading `unset` of a negative line.
func body(l *flat.Line) []string {
	if unsetForm(l) {
		return l.Tokens[1:]
	}
	return l.Tokens
}

func (e *engine) canonZone(c *conf, z string) (string, bool) {
	if v := enumValue(predefinedZones, z); v != "" {
		return v, true
	}
	for _, l := range c.st.Top().Lines {
		if l.Tokens[0] == "zone" && l.Tokens[1] == "name" && strings.EqualFold(l.Tokens[2], z) {
			return l.Tokens[2], true
		}
	}
	return z, false
}

// formatLine prints a stored line the way `get config` does.
func (e *engine) formatLine(c *conf, l *flat.Line) string {
	words := strings.Fields(l.Cmd.Pattern)
	inf := e.spec.infos[l.Cmd]
	var out []string
	for i, w := range words {
		if w == "..." {
			if inf.rest != nil {
				o, _, _ := inf.rest(e, l.Tokens[i:])
				out = append(out, o...)
			}
			break
		}
		t := tokenAt(l, i)
		if isParam(w) {
			name := paramName(w)
			if vals, ok := enums[name]; ok {
				t = enumValue(vals, t)
			}
			switch name {
			case "zone":
				t, _ = e.canonZone(c, t)
			case "vr":
				t = lower(t)
			case "service":
				t = canonService(t)
			case "secret":
				t = quote(e.printSecret(t))
			case "n", "as", "mss", "mtu", "dscp", "acl", "seq", "ecmp", "ttl", "holdtime", "keepalive", "int":
				if n, err := strconv.ParseInt(t, 10, 64); err == nil {
					t = strconv.FormatInt(n, 10)
				}
			}
			if strings.HasPrefix(strings.Trim(w, "<>"), `"`) {
				t = quote(t)
			}
		}
		out = append(out, t)
	}
	if inf.group == "vpn" && len(l.Tokens) > 2 && l.Tokens[2] == "bind" {
		// the device adds the vpn's tunnel id to its bind line [SEEN seed 000, reference 1.2.3]
		out = append(out[:2:2], append([]string{"id", e.vpnID(c, l.Tokens[1])}, out[2:]...)...)
	}
	if unsetForm(l) {
		return strings.Join(out, " ")
	}
	return "set " + strings.Join(out, " ")
}

func (e *engine) vpnID(c *conf, name string) string {
	id := c.vpnIDs[name]
	if e.model.hexIDs {
		return fmt.Sprintf("0x%x", id)
	}
	return strconv.Itoa(id)
}

// groupName is the gateway or vpn a line belongs to.
func groupName(inf info, l *flat.Line) string {
	b := body(l)
	switch inf.group {
	case "gw":
		if b[2] == "ikev2" && len(b) > 3 && l.Cmd.Enters == "" && strings.Contains(l.Cmd.Pattern, "ikev2") {
			return b[3]
		}
		return b[2]
	case "vpn":
		return b[1]
	}
	return ""
}

type entry struct {
	sec, sub, grp, sub2, seq int
	text                     string
}

// render prints the configuration body of `get config` (without the size header).
func (e *engine) render(c *conf, pad int) string {
	top := c.st.Top()
	var ents []entry
	groupSeq := map[string]int{}
	for i, l := range top.Lines {
		inf := e.spec.infos[l.Cmd]
		if inf.group != "" && inf.sub2 == 0 && inf.sec != secProxyID {
			k := inf.group + "\x00" + groupName(inf, l)
			if _, ok := groupSeq[k]; !ok {
				groupSeq[k] = i
			}
		}
	}
	for i, l := range top.Lines {
		inf := e.spec.infos[l.Cmd]
		grp := 0
		if inf.group != "" {
			if s, ok := groupSeq[inf.group+"\x00"+groupName(inf, l)]; ok {
				grp = s
			} else {
				grp = i
			}
		}
		ents = append(ents, entry{sec: inf.sec, sub: inf.sub, grp: grp, sub2: inf.sub2, seq: i, text: e.formatLine(c, l)})
	}
	if e.model.v63 {
		// ScreenOS 6.x prints every vpn's DSCP marking, 0 unless set [SEEN seed 000 SSG5 and
		// blog-screenos dumps: `set vpn "X" dscp-mark 0` on every vpn]
		marked := map[string]bool{}
		for _, l := range top.Lines {
			if l.Tokens[0] == "vpn" && l.Tokens[2] == "dscp-mark" {
				marked[l.Tokens[1]] = true
			}
		}
		for i, l := range top.Lines {
			if l.Tokens[0] == "vpn" && l.Tokens[2] == "gateway" && !marked[l.Tokens[1]] {
				ents = append(ents, entry{sec: secVPN, grp: groupSeq["vpn\x00"+l.Tokens[1]], sub2: 3, seq: i,
					text: "set vpn " + quote(l.Tokens[1]) + " dscp-mark 0"})
			}
		}
	}
	var vrs []*flat.Block
	for i, b := range top.Blocks {
		inf := e.spec.infos[b.Opener.Cmd]
		switch b.Opener.Cmd.Enters {
		case "vrouter":
			vrs = append(vrs, b)
		default:
			ents = append(ents, entry{sec: inf.sec, seq: i, text: e.formatLine(c, b.Opener) + "\nexit"})
		}
	}
	sort.SliceStable(vrs, func(i, j int) bool { return vrRank(vrs[i]) < vrRank(vrs[j]) })
	// early vrouter section: `set vrouter trust-vr sharable`, then each vrouter's flags
	var early, late, proto []string
	for _, vr := range vrs {
		name := lower(vr.Opener.Tokens[1])
		for _, l := range vr.Lines {
			if e.spec.infos[l.Cmd].oneLine {
				early = append(early, "set vrouter "+name+" "+strings.TrimPrefix(e.formatLine(c, l), "set "))
			}
		}
	}
	for _, vr := range vrs {
		name := lower(vr.Opener.Tokens[1])
		early = append(early, "set vrouter "+quote(name))
		type ln struct {
			sub, seq int
			text     string
		}
		var lines []ln
		for i, l := range vr.Lines {
			inf := e.spec.infos[l.Cmd]
			switch {
			case inf.oneLine:
			case inf.early:
				early = append(early, e.formatLine(c, l))
			default:
				lines = append(lines, ln{inf.sub, i, e.formatLine(c, l)})
			}
		}
		early = append(early, "exit")
		for i, b := range vr.Blocks {
			if b.Opener.Cmd.Enters != "routemap" {
				continue
			}
			text := e.formatLine(c, b.Opener)
			for _, l := range b.Lines {
				text += "\n" + e.formatLine(c, l)
			}
			lines = append(lines, ln{e.spec.infos[b.Opener.Cmd].sub, len(vr.Lines) + i, text + "\nexit"})
		}
		sort.SliceStable(lines, func(i, j int) bool {
			if lines[i].sub != lines[j].sub {
				return lines[i].sub < lines[j].sub
			}
			return lines[i].seq < lines[j].seq
		})
		late = append(late, "set vrouter "+quote(name))
		for _, l := range lines {
			late = append(late, l.text)
		}
		late = append(late, "exit")
		proto = append(proto, "set vrouter "+quote(name))
		for _, b := range vr.Blocks {
			if b.Opener.Cmd.Enters != "bgp" {
				continue
			}
			proto = append(proto, e.formatLine(c, b.Opener))
			for _, l := range b.Lines {
				proto = append(proto, e.formatLine(c, l))
			}
			proto = append(proto, "exit")
		}
		proto = append(proto, "exit")
	}
	ents = append(ents,
		entry{sec: secVrouterEarly, text: strings.Join(early, "\n")},
		entry{sec: secVrouterLate, text: strings.Join(late, "\n")},
		entry{sec: secVrouterProto, text: strings.Join(proto, "\n")})
	for i, p := range c.policies {
		ents = append(ents, entry{sec: secPolicy, seq: i, text: e.formatPolicy(c, p)})
	}
	if pad > 0 {
		// Server.SetOutputPadding: valid address book entries in the Trust zone
		var b strings.Builder
		for n := 1; b.Len() < pad; n++ {
			fmt.Fprintf(&b, "set address \"Trust\" \"pad-%07d\" 192.0.2.%d 255.255.255.255\n", n, n%250+1)
		}
		ents = append(ents, entry{sec: secAddress, sub: 9, text: strings.TrimSuffix(b.String(), "\n")})
	}
	sort.SliceStable(ents, func(i, j int) bool {
		a, b := ents[i], ents[j]
		for _, d := range [][2]int{{a.sec, b.sec}, {a.sub, b.sub}, {a.grp, b.grp}, {a.sub2, b.sub2}, {a.seq, b.seq}} {
			if d[0] != d[1] {
				return d[0] < d[1]
			}
		}
		return false
	})
	var out strings.Builder
	for _, en := range ents {
		if en.text == "" {
			continue
		}
		out.WriteString(en.text + "\n")
	}
	return out.String()
}

func vrRank(b *flat.Block) string {
	switch lower(b.Opener.Tokens[1]) {
	case "untrust-vr":
		return "0"
	case "trust-vr":
		return "1"
	}
	return "2" + lower(b.Opener.Tokens[1])
}

func (e *engine) formatPolicy(c *conf, p *policy) string {
	out := []string{"set policy id", strconv.Itoa(p.id)}
	if p.name != "" {
		out = append(out, "name", quote(p.name))
	}
	out = append(out, "from", quote(p.from), "to", quote(p.to), quote(p.src[0]), quote(p.dst[0]), quote(p.svc[0]))
	if p.nat {
		out = append(out, "nat src")
	}
	out = append(out, p.action)
	if p.action == "tunnel" {
		out = append(out, "vpn", quote(p.vpn))
	}
	if p.log {
		out = append(out, "log")
	}
	if p.count {
		out = append(out, "count")
	}
	text := strings.Join(out, " ") + "\nset policy id " + strconv.Itoa(p.id)
	for _, s := range p.src[1:] {
		text += "\nset src-address " + quote(s)
	}
	for _, s := range p.dst[1:] {
		text += "\nset dst-address " + quote(s)
	}
	for _, s := range p.svc[1:] {
		text += "\nset service " + quote(s)
	}
	return text + "\nexit"
}
