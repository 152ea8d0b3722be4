package junos

import (
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Parse reads `show configuration | display set` output (`set` lines; a leaf-list may be
// printed in brackets), or the curly form of `show configuration` (see parseCurly). Other lines (prompts, `deactivate` lines, comments) and statements the
// model does not cover are ignored; a malformed `set` line is an error naming the line, with
// secrets masked. Secrets are returned as printed (`$9$...`): the device layer decodes them
// (SecretReader).
//
// Where the device holds more than the model can say, Parse picks deterministically:
//   - a gateway is a `security ike gateway` with an address; its proposals are its IKE
//     policy's, in the device's order, and its lifetime the first proposal's;
//   - a tunnel is a `security ipsec vpn` whose `ike gateway` is a parsed gateway and that is
//     bound to an interface; its zone is the first zone holding the interface;
//   - a static route takes its first next hop (an address is next_hop, a name the interface);
//   - a source route is a filter term `from source-address` (one) `then routing-instance <FI>`
//     where FI is a forwarding instance with a static route for the term's destination (or
//     0.0.0.0/0); its ingress interface is the first unit applying the filter as input;
//   - a prefix list takes every prefix, rules numbered 1, 2, ... in ascending address order;
//   - a neighbor's settings are its own or else its group's; a prefix list in or out is read
//     from an import/export policy shaped as "term from prefix-list X then accept, term then
//     reject"; local_as is the neighbor's or group's local-as, else the instance's
//     autonomous-system; keepalive is hold_time / 3 (Junos derives it so).
func (j *Junos) Parse(text string) (*vpn.Config, error) {
	paths, err := devicePaths(text)
	if err != nil {
		return nil, j.lineError(err)
	}
	return parseTree(setconf.NewTree(paths), listingOrder(paths), j.flavor == FlavorMX), nil
}

// inOrder sorts the children of n at path by their first appearance in the listing.
func inOrder(order map[string]int, n *setconf.Node, base []string) []string {
	keys := append([]string(nil), n.Keys()...)
	sort.SliceStable(keys, func(a, b int) bool {
		return order[strings.Join(join(base, []string{keys[a]}), "\x00")] < order[strings.Join(join(base, []string{keys[b]}), "\x00")]
	})
	return keys
}

func parseTree(root *setconf.Node, order map[string]int, mx bool) *vpn.Config {
	c := vpn.NewConfig()
	if mx {
		parseMX(c, root, order)
	} else {
		parseGateways(c, root, order)
		parseTunnels(c, root, order)
	}
	parseStaticRoutes(c, root)
	if !mx {
		parseSourceRoutes(c, root)
	}
	parsePrefixLists(c, root)
	parseBGP(c, root, order)
	return c
}

func parseIdentity(n *setconf.Node) string {
	for _, k := range []string{"inet", "hostname", "user-at-hostname"} {
		if v := n.Value(k); v != "" {
			return v
		}
	}
	return ""
}

func parseGateways(c *vpn.Config, root *setconf.Node, order map[string]int) {
	gws := root.Get(ikeGateways...)
	for _, name := range gws.Keys() {
		gn := gws.Get(name)
		if gn.Value("address") == "" {
			continue
		}
		g := &vpn.IKEGateway{Name: name, Lifetime: defaultIKELifetime}
		gatewayBlock.Parse(g, gn)
		g.LocalID = parseIdentity(gn.Get("local-identity"))
		g.RemoteID = parseIdentity(gn.Get("remote-identity"))
		polName := gn.Value("ike-policy")
		pol := root.Get(join(ikePolicies, []string{polName})...)
		g.Mode = pol.Value("mode")
		g.PreSharedKey = pol.Value("pre-shared-key", "ascii-text")
		parseIKEProposals(g, root, order, pol, join(ikePolicies, []string{polName, "proposals"}), ikeProposals)
		c.Put(g)
	}
}

// parseIKEProposals reads the proposals policy pol names (at proposalsPath, in the device's
// order), defined under proposalRoot, into g; the first one's lifetime is the gateway's.
func parseIKEProposals(g *vpn.IKEGateway, root *setconf.Node, order map[string]int, pol *setconf.Node, proposalsPath, proposalRoot []string) {
	for i, pn := range inOrder(order, pol.Get("proposals"), proposalsPath) {
		var p ikeProposal
		ikeProposalBlock.Parse(&p, root.Get(join(proposalRoot, []string{pn})...))
		if p.Lifetime == 0 {
			p.Lifetime = defaultIKELifetime
		}
		if i == 0 {
			g.Lifetime = p.Lifetime
		}
		g.Proposals = append(g.Proposals, p.IKEProposal)
	}
}

func parseTunnels(c *vpn.Config, root *setconf.Node, order map[string]int) {
	vpns := root.Get(ipsecVPNs...)
	for _, name := range vpns.Keys() {
		vn := vpns.Get(name)
		t := &vpn.Tunnel{Name: name, Lifetime: defaultESPLifetime}
		vpnBlock.Parse(t, vn)
		if c.IKEGateways()[t.Gateway] == nil || t.Interface == "" {
			continue
		}
		polName := vn.Value("ike", "ipsec-policy")
		pol := root.Get(join(espPolicies, []string{polName})...)
		t.PFSGroup = atoi(strings.TrimPrefix(pol.Value("perfect-forward-secrecy", "keys"), "group"))
		for i, pn := range inOrder(order, pol.Get("proposals"), join(espPolicies, []string{polName, "proposals"})) {
			var p espProposal
			espProposalBlock.Parse(&p, root.Get(join(espProposals, []string{pn})...))
			if p.Lifetime == 0 {
				p.Lifetime = defaultESPLifetime
			}
			if i == 0 {
				t.Lifetime = p.Lifetime
			}
			t.Proposals = append(t.Proposals, p.IPsecProposal)
		}
		if vn.Has("vpn-monitor") {
			t.Monitor = &vpn.TunnelMonitor{Destination: vn.Value("vpn-monitor", "destination-ip")}
		}
		if pi := vn.Get("ike", "proxy-identity"); pi != nil && pi.Value("local") != "" && pi.Value("remote") != "" {
			t.Selectors = append(t.Selectors, vpn.TrafficSelector{Local: pi.Value("local"), Remote: pi.Value("remote")})
		}
		tsBase := join(ipsecVPNs, []string{name, "traffic-selector"})
		for _, ts := range inOrder(order, vn.Get("traffic-selector"), tsBase) {
			tn := vn.Get("traffic-selector", ts)
			if tn.Value("local-ip") != "" && tn.Value("remote-ip") != "" {
				t.Selectors = append(t.Selectors, vpn.TrafficSelector{Local: tn.Value("local-ip"), Remote: tn.Value("remote-ip")})
			}
		}
		if iface, unit := unitPath(t.Interface); iface == "st0" {
			unitBlock.Parse(t, root.Get("interfaces", "st0", "unit", unit))
		}
		z := root.Get(zones...)
		for _, zn := range z.Keys() {
			if z.Has(zn, "interfaces", t.Interface) {
				t.Zone = zn
				break
			}
		}
		if mss := atoi(root.Value(tcpMSS...)); mss != 0 {
			t.TCPMSS = mss
		}
		c.Put(t)
	}
}

// routeTarget splits a next hop into an interface or an address.
func routeTarget(nh string) (iface, addr string) {
	if _, err := netip.ParseAddr(nh); err == nil {
		return "", nh
	}
	return nh, ""
}

func parseStaticIn(c *vpn.Config, st *setconf.Node, ri string) {
	for _, dest := range st.Keys() {
		if vpn.CheckCIDR(dest) != "" {
			continue
		}
		nh := st.Value(dest, "next-hop")
		if nh == "" {
			continue
		}
		s := &vpn.StaticRoute{Destination: dest, RoutingInstance: ri, Distance: atoi(st.Value(dest, "preference"))}
		s.Interface, s.NextHop = routeTarget(nh)
		c.Put(s)
	}
}

func parseStaticRoutes(c *vpn.Config, root *setconf.Node) {
	parseStaticIn(c, root.Get("routing-options", "static", "route"), "")
	ris := root.Get(instances...)
	for _, ri := range ris.Keys() {
		if ris.Value(ri, "instance-type") == "forwarding" {
			continue // a source route's forwarding instance
		}
		parseStaticIn(c, ris.Get(ri, "routing-options", "static", "route"), ri)
	}
}

func parseSourceRoutes(c *vpn.Config, root *setconf.Node) {
	ingress := map[string]string{} // filter -> first unit applying it as input
	ifs := root.Get("interfaces")
	for _, name := range ifs.Keys() {
		for _, u := range ifs.Keys(name, "unit") {
			for _, f := range ifs.Keys(name, "unit", u, "family", "inet", "filter", "input") {
				if ingress[f] == "" {
					ingress[f] = name + "." + u
				}
			}
		}
	}
	fs := root.Get(filters...)
	ris := root.Get(instances...)
	for _, fname := range fs.Keys() {
		for _, tn := range fs.Keys(fname, "term") {
			term := fs.Get(fname, "term", tn)
			srcs := term.Keys("from", "source-address")
			inst := term.Value("then", "routing-instance")
			if len(srcs) != 1 || inst == "" || vpn.CheckCIDR(srcs[0]) != "" || ris.Value(inst, "instance-type") != "forwarding" {
				continue
			}
			s := &vpn.SourceRoute{Source: srcs[0], Destination: term.Value("from", "destination-address"), Ruleset: fname, IngressInterface: ingress[fname]}
			dest := s.Destination
			if dest == "" {
				dest = anyPrefix
			}
			nh := ris.Value(inst, "routing-options", "static", "route", dest, "next-hop")
			if nh == "" || c.SourceRoutes()[s.Key()] != nil {
				continue
			}
			s.Interface, s.NextHop = routeTarget(nh)
			c.Put(s)
		}
	}
}

func parsePrefixLists(c *vpn.Config, root *setconf.Node) {
	pls := root.Get(prefixLists...)
	for _, name := range pls.Keys() {
		pl := &vpn.PrefixList{Name: name}
		seq := 0
		for _, p := range pls.Keys(name) {
			if vpn.CheckCIDR(p) != "" {
				continue
			}
			seq++
			pl.Rules = append(pl.Rules, vpn.PrefixRule{Sequence: seq, Action: "permit", Prefix: p})
		}
		c.Put(pl)
	}
}

// policyList returns the prefix list a policy statement accepts when it has the shape the
// renderer writes (term from prefix-list X then accept; term then reject), else "".
func policyList(root *setconf.Node, order map[string]int, name string) string {
	n := root.Get(join(policies, []string{name})...)
	terms := inOrder(order, n.Get("term"), join(policies, []string{name, "term"}))
	if len(terms) != 2 || len(leaves(n)) != 3 {
		return ""
	}
	a, b := terms[0], terms[1]
	pl := n.Value("term", a, "from", "prefix-list")
	if pl == "" || !n.Has("term", a, "then", "accept") || len(leaves(n.Get("term", a))) != 2 || !n.Has("term", b, "then", "reject") {
		return ""
	}
	return pl
}

func parseBGP(c *vpn.Config, root *setconf.Node, order map[string]int) {
	parseBGPIn(c, root, order, "")
	for _, ri := range root.Keys(instances...) {
		parseBGPIn(c, root, order, ri)
	}
}

func parseBGPIn(c *vpn.Config, root *setconf.Node, order map[string]int, ri string) {
	base := root.Get(instancePrefix(ri)...)
	if ri != "" && base == nil {
		return
	}
	as, _ := strconv.ParseInt(base.Value("routing-options", "autonomous-system"), 10, 64)
	routerID := base.Value("routing-options", "router-id")
	groups := base.Get("protocols", "bgp", "group")
	for _, gname := range groups.Keys() {
		g := groups.Get(gname)
		for _, addr := range g.Keys("neighbor") {
			if vpn.CheckIPv4(addr) != "" {
				continue
			}
			nn := g.Get("neighbor", addr)
			val := func(path ...string) string {
				if nn.Has(path...) {
					return nn.Value(path...)
				}
				return g.Value(path...)
			}
			n := &vpn.BGPNeighbor{Address: addr, RoutingInstance: ri, RouterID: routerID, LocalAS: as}
			n.RemoteAS, _ = strconv.ParseInt(val("peer-as"), 10, 64)
			if la, err := strconv.ParseInt(val("local-as"), 10, 64); err == nil && la != 0 {
				n.LocalAS = la
			}
			n.UpdateSource = val("local-address")
			n.EBGPMultihop = atoi(val("multihop", "ttl"))
			n.HoldTime = atoi(val("hold-time"))
			n.Keepalive = n.HoldTime / 3
			n.Password = val("authentication-key")
			n.Description = val("description")
			n.SoftReconfigIn = nn.Has("keep", "all") || !nn.Has("keep") && g.Has("keep", "all")
			if p := val("import"); p != "" {
				n.PrefixListIn = policyList(root, order, p)
			}
			if p := val("export"); p != "" {
				n.PrefixListOut = policyList(root, order, p)
			}
			c.Put(n)
		}
	}
}
