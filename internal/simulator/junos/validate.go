package junos

import (
	"sort"
	"strings"
	"sync"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/hier"
)

var (
	schemaOnce sync.Once
	theRoot    *hier.Schema
)

// schema is the one schema all engines share (it is read-only once built).
func schema() *hier.Schema {
	schemaOnce.Do(func() { theRoot = newSchema() })
	return theRoot
}

// checker collects commit-check errors in the device's layout.
type checker struct {
	b         strings.Builder
	mandatory bool
	any       bool
}

func (c *checker) at(path []string, stmt, msg string) {
	c.any = true
	c.b.WriteString("[edit " + joinPath(schema(), path) + "]\n  '" + stmt + "'\n    " + msg + "\n")
}

func (c *checker) missing(path []string, stmt string) {
	c.mandatory = true
	c.at(path, stmt, "Missing mandatory statement: '"+stmt+"'")
}

func (c *checker) line(msg string) {
	c.any = true
	c.b.WriteString(msg + "\n")
}

func (c *checker) result() string {
	if !c.any {
		return ""
	}
	if c.mandatory {
		return c.b.String() + "error: configuration check-out failed: (missing mandatory statements)\n"
	}
	return c.b.String() + "error: configuration check-out failed\n"
}

func p(parts ...string) []string { return parts }

// ifUnit splits "st0.1" into the interface and unit ("0" when no unit is given).
func ifUnit(name string) (string, string) {
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		return name[:i], name[i+1:]
	}
	return name, "0"
}

func unitExists(t *hier.Node, name string) bool {
	ifn, unit := ifUnit(name)
	return t.Path("interfaces", ifn, "unit", unit) != nil
}

// validate runs the commit checks on the active configuration t; "" when it passes.
func validate(t *hier.Node) string {
	var c checker
	sec := t.Path("security")
	ike, ipsec := sec.Path("ike"), sec.Path("ipsec")

	// SRX IKE
	for _, name := range ike.Get("policy").Keys() {
		pol := ike.Path("policy", name)
		for _, pr := range pol.Get("proposals").Keys() {
			if ike.Path("proposal", pr) == nil {
				c.at(p("security", "ike", "policy", name), "proposals", "Referenced proposal '"+pr+"' is not defined")
			}
		}
	}
	for _, name := range ike.Get("gateway").Keys() {
		gw := ike.Path("gateway", name)
		path := p("security", "ike", "gateway", name)
		if gw.Get("ike-policy") == nil {
			c.missing(path, "ike-policy")
		} else if pol := gw.Value("ike-policy"); ike.Path("policy", pol) == nil {
			c.at(path, "ike-policy", "ike-policy '"+pol+"' is not defined")
		}
		if gw.Get("address") == nil && gw.Get("dynamic") == nil {
			c.missing(path, "address")
		}
		if gw.Get("external-interface") == nil {
			c.missing(path, "external-interface")
		}
	}
	// SRX IPsec
	for _, name := range ipsec.Get("policy").Keys() {
		for _, pr := range ipsec.Path("policy", name, "proposals").Keys() {
			if ipsec.Path("proposal", pr) == nil {
				c.at(p("security", "ipsec", "policy", name), "proposals", "Referenced proposal '"+pr+"' is not defined")
			}
		}
	}
	zoneOf := map[string]string{}
	zones := sec.Path("zones", "security-zone")
	for _, z := range zones.Keys() {
		for _, ifc := range zones.Path(z, "interfaces").Keys() {
			if other, dup := zoneOf[ifc]; dup {
				c.at(p("security", "zones", "security-zone", z, "interfaces", ifc), "interfaces "+ifc, "Interface "+ifc+" is already in zone "+other)
				continue
			}
			zoneOf[ifc] = z
		}
	}
	for _, name := range ipsec.Get("vpn").Keys() {
		vpn := ipsec.Path("vpn", name)
		path := p("security", "ipsec", "vpn", name)
		if vpn.Path("ike", "gateway") == nil {
			c.missing(append(path, "ike"), "gateway")
		} else if gw := vpn.Value("ike", "gateway"); ike.Path("gateway", gw) == nil {
			c.at(append(path, "ike"), "gateway", "gateway '"+gw+"' is not defined")
		}
		if vpn.Path("ike", "ipsec-policy") == nil {
			c.missing(append(path, "ike"), "ipsec-policy")
		} else if pol := vpn.Value("ike", "ipsec-policy"); ipsec.Path("policy", pol) == nil {
			c.at(append(path, "ike"), "ipsec-policy", "ipsec-policy '"+pol+"' is not defined")
		}
		if bind := vpn.Value("bind-interface"); bind != "" {
			switch {
			case !unitExists(t, bind):
				c.at(path, "bind-interface", "Interface "+bind+" is not configured")
			case zoneOf[bind] == "":
				c.at(path, "bind-interface", "Interface "+bind+" must be in a security zone")
			}
		}
		if vpn.Path("ike", "proxy-identity") != nil && vpn.Get("traffic-selector") != nil {
			c.at(path, "traffic-selector", "traffic-selector cannot be configured with proxy-identity")
		}
	}

	// policy-options
	po := t.Path("policy-options")
	policyDefined := func(name string) bool { return po.Path("policy-statement", name) != nil }
	var policyErrs []string
	seenPolicyErr := map[string]bool{}
	policyErr := func(msg string) {
		if !seenPolicyErr[msg] {
			seenPolicyErr[msg] = true
			policyErrs = append(policyErrs, msg)
		}
	}
	for _, ps := range po.Get("policy-statement").Keys() {
		st := po.Path("policy-statement", ps)
		froms := []*hier.Node{st.Get("from")}
		for _, term := range st.Get("term").Keys() {
			froms = append(froms, st.Path("term", term, "from"))
		}
		for _, f := range froms {
			for _, pl := range f.Get("prefix-list").Keys() {
				if po.Path("prefix-list", pl) == nil {
					policyErr("Policy error: prefix-list " + pl + " referenced but not defined")
				}
			}
		}
	}

	// routing (top level and instances)
	checkBGP := func(base []string, proto *hier.Node) {
		bgp := proto.Get("bgp")
		if bgp == nil {
			return
		}
		if t.Value("routing-options", "autonomous-system") == "" {
			c.at(append(append([]string(nil), base...), "protocols", "bgp"), "bgp", "autonomous-system must be configured in routing-options")
		}
		refs := func(n *hier.Node) {
			for _, dir := range []string{"import", "export"} {
				for _, pol := range n.Get(dir).Keys() {
					if !policyDefined(pol) {
						policyErr("Policy error: Policy " + pol + " referenced but not defined")
					}
				}
			}
		}
		refs(bgp)
		for _, g := range bgp.Get("group").Keys() {
			grp := bgp.Path("group", g)
			refs(grp)
			for _, nb := range grp.Get("neighbor").Keys() {
				n := grp.Path("neighbor", nb)
				refs(n)
				if grp.Value("type") == "external" && n.Get("peer-as") == nil && grp.Get("peer-as") == nil {
					c.line("Error in neighbor " + nb + " of group " + g + ":\npeer AS number must be configured for an external peer")
				}
			}
		}
	}
	checkBGP(nil, t.Get("protocols"))
	for _, ri := range t.Get("routing-instances").Keys() {
		checkBGP(p("routing-instances", ri), t.Path("routing-instances", ri, "protocols"))
	}

	// firewall filters and filter-based forwarding
	filters := t.Path("firewall", "family", "inet", "filter")
	for _, f := range filters.Keys() {
		for _, term := range filters.Path(f, "term").Keys() {
			tn := filters.Path(f, "term", term)
			path := p("firewall", "family", "inet", "filter", f, "term", term)
			if ri := tn.Value("then", "routing-instance"); ri != "" && t.Path("routing-instances", ri) == nil {
				c.at(append(path, "then"), "routing-instance", "Referenced routing-instance '"+ri+"' is not defined")
			}
			for _, dir := range []string{"source-prefix-list", "destination-prefix-list"} {
				for _, pl := range tn.Path("from", dir).Keys() {
					if po.Path("prefix-list", pl) == nil {
						c.at(append(path, "from"), dir, "Referenced prefix-list '"+pl+"' is not defined")
					}
				}
			}
		}
	}
	for _, ifn := range t.Get("interfaces").Keys() {
		for _, u := range t.Path("interfaces", ifn, "unit").Keys() {
			fl := t.Path("interfaces", ifn, "unit", u, "family", "inet", "filter")
			for _, dir := range []string{"input", "output"} {
				if f := fl.Value(dir); f != "" && filters.Get(f) == nil {
					c.at(p("interfaces", ifn, "unit", u, "family", "inet", "filter"), dir, "Referenced filter '"+f+"' is not defined")
				}
			}
		}
	}

	// MX services ipsec-vpn
	sv := t.Path("services", "ipsec-vpn")
	for _, name := range sv.Path("ike", "policy").Keys() {
		for _, pr := range sv.Path("ike", "policy", name, "proposals").Keys() {
			if sv.Path("ike", "proposal", pr) == nil {
				c.at(p("services", "ipsec-vpn", "ike", "policy", name), "proposals", "Referenced proposal '"+pr+"' is not defined")
			}
		}
	}
	for _, name := range sv.Path("ipsec", "policy").Keys() {
		for _, pr := range sv.Path("ipsec", "policy", name, "proposals").Keys() {
			if sv.Path("ipsec", "proposal", pr) == nil {
				c.at(p("services", "ipsec-vpn", "ipsec", "policy", name), "proposals", "Referenced proposal '"+pr+"' is not defined")
			}
		}
	}
	sets := t.Path("services", "service-set")
	insideOf := map[string][]string{} // rule -> inside interfaces of the service sets using it
	for _, ss := range sets.Keys() {
		set := sets.Get(ss)
		path := p("services", "service-set", ss)
		for _, r := range set.Get("ipsec-vpn-rules").Keys() {
			if sv.Path("rule", r) == nil {
				c.at(path, "ipsec-vpn-rules", "Referenced rule '"+r+"' is not defined")
			}
			if in := set.Value("next-hop-service", "inside-service-interface"); in != "" {
				insideOf[r] = append(insideOf[r], in)
			}
		}
		if set.Get("ipsec-vpn-rules") != nil && set.Path("ipsec-vpn-options", "local-gateway") == nil {
			c.missing(append(path, "ipsec-vpn-options"), "local-gateway")
		}
		if n := len(set.Path("ipsec-vpn-options", "local-gateway").Keys()); n > 1 {
			c.at(append(path, "ipsec-vpn-options"), "local-gateway", "only one local-gateway can be configured")
		}
		for _, side := range []string{"inside", "outside"} {
			ifc := set.Value("next-hop-service", side+"-service-interface")
			if ifc == "" {
				continue
			}
			ifn, unit := ifUnit(ifc)
			u := t.Path("interfaces", ifn, "unit", unit)
			switch {
			case !strings.HasPrefix(ifn, "ms-") && !strings.HasPrefix(ifn, "vms-") && !strings.HasPrefix(ifn, "sp-") && !strings.HasPrefix(ifn, "ams"):
				c.at(append(path, "next-hop-service"), side+"-service-interface", "Interface "+ifc+" is not a services interface")
			case u == nil:
				c.at(append(path, "next-hop-service"), side+"-service-interface", "Interface "+ifc+" is not configured")
			case u.Value("service-domain") != side:
				c.at(append(path, "next-hop-service"), side+"-service-interface", "service-domain of "+ifc+" must be "+side)
			}
		}
		if set.Get("next-hop-service") != nil && (set.Path("next-hop-service", "inside-service-interface") == nil || set.Path("next-hop-service", "outside-service-interface") == nil) {
			if set.Path("next-hop-service", "inside-service-interface") == nil {
				c.missing(append(path, "next-hop-service"), "inside-service-interface")
			} else {
				c.missing(append(path, "next-hop-service"), "outside-service-interface")
			}
		}
	}
	for _, r := range sv.Get("rule").Keys() {
		rule := sv.Path("rule", r)
		if rule.Get("match-direction") == nil {
			c.missing(p("services", "ipsec-vpn", "rule", r), "match-direction")
		}
		for _, term := range rule.Get("term").Keys() {
			tn := rule.Path("term", term)
			path := p("services", "ipsec-vpn", "rule", r, "term", term)
			if pol := tn.Value("then", "dynamic", "ike-policy"); pol != "" && sv.Path("ike", "policy", pol) == nil {
				c.at(append(path, "then", "dynamic"), "ike-policy", "ike-policy '"+pol+"' is not defined")
			}
			if pol := tn.Value("then", "dynamic", "ipsec-policy"); pol != "" && sv.Path("ipsec", "policy", pol) == nil {
				c.at(append(path, "then", "dynamic"), "ipsec-policy", "ipsec-policy '"+pol+"' is not defined")
			}
			if in := tn.Value("from", "ipsec-inside-interface"); in != "" {
				ok := false
				for _, x := range insideOf[r] {
					ok = ok || x == in
				}
				if !ok {
					c.at(append(path, "from"), "ipsec-inside-interface", "ipsec-inside-interface "+in+" must be the inside-service-interface of a service set using rule "+r)
				}
			}
		}
	}

	sort.Strings(policyErrs)
	for _, m := range policyErrs {
		c.line(m)
	}
	return c.result()
}
