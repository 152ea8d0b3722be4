package screenos

import (
	"net/netip"
	"strconv"
	"strings"
)

// problem is a reference the configuration cannot hold: what the device says when a set
// would create it and when an unset would (the object is still used). Texts [INFERRED;
// the reference names "Gateway xx doesn't exist" and "Can't delete: used by vpn ..." as the
// device's style]: "<Kind> <name> doesn't exist" and "Can't delete: used by <kind> <name>".
type problem struct {
	key      string
	set, del string
}

func (e *engine) interfaceExists(c *conf, name string) bool {
	n := lower(name)
	for _, p := range e.model.ifaces {
		if p == n {
			return true
		}
	}
	if !creatable(n) {
		return false
	}
	for _, l := range c.st.Top().Lines {
		if l.Tokens[0] == "interface" && len(l.Tokens) == 4 && l.Tokens[2] == "zone" && lower(l.Tokens[1]) == n {
			return true
		}
	}
	return false
}

// creatable reports interface names a zone line creates (tunnel.N, loopback.N).
func creatable(name string) bool {
	n := lower(name)
	for _, p := range []string{"tunnel.", "loopback."} {
		if strings.HasPrefix(n, p) {
			v, err := strconv.Atoi(n[len(p):])
			return err == nil && v >= 1 && v <= 1024 && strconv.Itoa(v) == n[len(p):]
		}
	}
	return false
}

func (e *engine) problems(c *conf) []problem {
	var out []problem
	add := func(key, set, del string) { out = append(out, problem{key, set, del}) }
	top := c.st.Top()
	p1 := map[string]bool{}
	p2 := map[string]bool{}
	for _, n := range predefinedP1 {
		p1[n] = true
	}
	for _, n := range predefinedP2 {
		p2[n] = true
	}
	gws := map[string]string{} // name -> "v1"/"v2"
	vpns := map[string]bool{}
	addrs := map[string]bool{}
	for _, l := range top.Lines {
		t := l.Tokens
		switch {
		case t[0] == "ike" && t[1] == "p1-proposal":
			p1[t[2]] = true
		case t[0] == "ike" && t[1] == "p2-proposal":
			p2[t[2]] = true
		case t[0] == "ike" && t[1] == "gateway" && e.spec.infos[l.Cmd].sub2 == 0:
			name := groupName(e.spec.infos[l.Cmd], l)
			v := "v1"
			if strings.Contains(l.Cmd.Pattern, "ikev2") {
				v = "v2"
			}
			if old, dup := gws[name]; dup && old != v {
				add("gwdup\x00"+name, "Gateway "+name+" already exists", "")
			}
			gws[name] = v
		case t[0] == "vpn" && len(t) > 2 && t[2] == "gateway":
			vpns[t[1]] = true
		case t[0] == "address":
			z, _ := e.canonZone(c, t[1])
			addrs[z+"\x00"+t[2]] = true
		}
	}
	zoneOK := func(z string) bool { _, ok := e.canonZone(c, z); return ok }
	ifCheck := func(ifn, by string) {
		if !e.interfaceExists(c, ifn) {
			add("if\x00"+lower(ifn)+"\x00"+by, "Interface "+ifn+" doesn't exist", "Can't delete: used by "+by)
		}
	}
	for _, l := range top.Lines {
		t := body(l)
		inf := e.spec.infos[l.Cmd]
		switch {
		case t[0] == "ike" && t[1] == "gateway" && inf.sub2 == 0:
			name := groupName(inf, l)
			words := strings.Fields(l.Cmd.Pattern)
			g, _, _ := parseGateway(t[len(words)-1:], strings.Contains(l.Cmd.Pattern, "ikev2"))
			for _, p := range g.proposals {
				if !p1[p] {
					add("p1\x00"+p+"\x00"+name, "Proposal "+p+" doesn't exist", "Can't delete: used by gateway "+name)
				}
			}
			if g.outIf != "" {
				ifCheck(g.outIf, "gateway "+name)
			}
		case t[0] == "ike" && t[1] == "gateway":
			name := groupName(inf, l)
			if _, ok := gws[name]; !ok {
				add("gw\x00"+name+"\x00"+strings.Join(t, " "), "Gateway "+name+" doesn't exist", "Can't delete: gateway "+name+" has settings")
			}
		case t[0] == "vpn" && t[2] == "gateway":
			name := t[1]
			if _, ok := gws[t[3]]; !ok {
				add("gw\x00"+t[3]+"\x00vpn "+name, "Gateway "+t[3]+" doesn't exist", "Can't delete: used by vpn "+name)
			}
			v, _, _ := parseVPN(t[4:])
			for _, p := range v.proposals {
				if !p2[p] {
					add("p2\x00"+p+"\x00"+name, "Proposal "+p+" doesn't exist", "Can't delete: used by vpn "+name)
				}
			}
		case t[0] == "vpn":
			name := t[1]
			if !vpns[name] {
				add("vpn\x00"+name+"\x00"+strings.Join(t, " "), "VPN "+name+" doesn't exist", "Can't delete: vpn "+name+" has settings")
			}
			if t[2] == "bind" {
				if !creatable(t[4]) {
					add("bindif\x00"+name, "Interface "+t[4]+" is not a tunnel interface", "")
				} else {
					ifCheck(t[4], "vpn "+name)
				}
			}
			if t[2] == "proxy-id" && enumValue(predefinedServices, t[7]) == "" {
				add("svc\x00"+name, "Service "+t[7]+" doesn't exist", "")
			}
		case t[0] == "interface" && t[2] == "zone":
			if !zoneOK(t[3]) {
				add("zone\x00"+t[3]+"\x00if "+t[1], "Zone "+t[3]+" doesn't exist", "Can't delete: used by interface "+t[1])
			}
			if !creatable(t[1]) && !e.interfaceExists(c, t[1]) {
				add("ifname\x00"+t[1], "Interface "+t[1]+" doesn't exist", "")
			}
		case t[0] == "interface":
			ifCheck(t[1], "interface "+t[1])
			if len(t) > 4 && t[3] == "unnumbered" {
				ifCheck(t[5], "interface "+t[1])
			}
			if t[2] == "port" {
				ifCheck(t[3], "interface "+t[1])
			}
		case t[0] == "zone" && t[1] != "name":
			if !zoneOK(t[1]) {
				add("zone\x00"+t[1]+"\x00zone", "Zone "+t[1]+" doesn't exist", "Can't delete: zone "+t[1]+" has settings")
			}
		case t[0] == "address":
			if !zoneOK(t[1]) {
				add("zone\x00"+t[1]+"\x00address "+t[2], "Zone "+t[1]+" doesn't exist", "Can't delete: used by address "+t[2])
			}
		case t[0] == "pppoe" && len(t) > 4 && t[3] == "interface":
			ifCheck(t[4], "pppoe "+t[2])
		}
	}
	for _, vr := range top.Blocks {
		if vr.Opener.Cmd.Enters != "vrouter" {
			continue
		}
		for _, l := range vr.Lines {
			t := l.Tokens
			if t[0] != "route" {
				continue
			}
			by := "route " + strings.Join(t, " ")
			switch {
			case t[1] == "source" && t[2] == "in-interface":
				ifCheck(t[3], by)
				ifCheck(t[6], by)
			case t[1] == "source":
				ifCheck(t[4], by)
			case t[2] == "interface":
				ifCheck(t[3], by)
			}
		}
		for _, b := range vr.Blocks {
			if b.Opener.Cmd.Enters != "bgp" {
				continue
			}
			peers := map[string]bool{}
			for _, l := range b.Lines {
				if l.Tokens[0] == "neighbor" && l.Tokens[2] == "remote-as" {
					peers[l.Tokens[1]] = true
				}
			}
			for _, l := range b.Lines {
				if l.Tokens[0] == "neighbor" && !peers[l.Tokens[1]] {
					add("peer\x00"+strings.Join(l.Tokens, " "), "Neighbor "+l.Tokens[1]+" doesn't exist", "Can't delete: neighbor "+l.Tokens[1]+" has settings")
				}
				if l.Tokens[0] == "neighbor" && l.Tokens[2] == "src-interface" {
					ifCheck(l.Tokens[3], "neighbor "+l.Tokens[1])
				}
			}
		}
	}
	for _, p := range c.policies {
		id := strconv.Itoa(p.id)
		by := "policy " + id
		for _, z := range []string{p.from, p.to} {
			if !zoneOK(z) {
				add("zone\x00"+z+"\x00"+by, "Zone "+z+" doesn't exist", "Can't delete: used by "+by)
			}
		}
		check := func(zone string, names []string) {
			for _, a := range names {
				if strings.EqualFold(a, "Any") || addrs[zone+"\x00"+a] || cidrName(a) {
					continue
				}
				add("addr\x00"+zone+"\x00"+a+"\x00"+by, "Address "+a+" doesn't exist in zone "+zone, "Can't delete: used by "+by)
			}
		}
		check(p.from, p.src)
		check(p.to, p.dst)
		for _, s := range p.svc {
			if enumValue(predefinedServices, s) == "" {
				add("svc\x00"+s+"\x00"+by, "Service "+s+" doesn't exist", "")
			}
		}
		if p.action == "tunnel" && !vpns[p.vpn] {
			add("vpn\x00"+p.vpn+"\x00"+by, "VPN "+p.vpn+" doesn't exist", "Can't delete: used by "+by)
		}
	}
	return out
}

// cidrName accepts an address name written as a prefix ("10.0.0.0/16") in a policy. The
// seed 000 dumps use such names without their address book entries (the WebUI creates
// entries named after the prefix); the engine takes them as existing [deviation, INFERRED].
func cidrName(a string) bool {
	_, err := netip.ParsePrefix(a)
	return err == nil
}

// newProblem returns the first problem of after that before does not have.
func newProblem(before, after []problem) *problem {
	seen := map[string]bool{}
	for _, p := range before {
		seen[p.key] = true
	}
	for i := range after {
		if !seen[after[i].key] {
			return &after[i]
		}
	}
	return nil
}
