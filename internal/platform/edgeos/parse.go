package edgeos

import (
	"errors"
	"net/netip"
	"strconv"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Parse reads `show configuration commands` output. Lines other than `set` lines and set lines
// the model does not cover are ignored; a malformed set line (an unterminated quote) is an
// error naming the line, with secrets masked.
//
// Where the device holds more than the model can say, Parse picks deterministically, in the
// natural order of setconf.Compare:
//   - a gateway is a peer with an ike-group; when several peers share an ike-group, the first
//     peer is the gateway and the others are ignored;
//   - a tunnel is an esp-group used by a gateway's peer (its vti, or its numbered tunnels);
//     when several peers use one esp-group, the first peer (vti before numbered tunnels) wins;
//   - a static route or routing-table route takes the first next hop, `route` before
//     `interface-route` for the same prefix;
//   - a source route is a `firewall modify` rule with `modify table` and a CIDR source address;
//     its ingress interface is the first interface binding its ruleset;
//   - every neighbor of a BGP process gets all of the process's networks: `network` lines
//     belong to the process, which announces each of them to every neighbor, and the device
//     cannot say which neighbor needed which;
//   - a neighbor's keepalive and hold time are its own `neighbor <A> timers`; the process's
//     `timers` are not the neighbor's and are not read into it;
//   - every neighbor of a BGP process gets the process's `parameters router-id` as its
//     router_id, like the networks: it belongs to the process.
func (p *EdgeOS) Parse(text string) (*vpn.Config, error) {
	lines, err := setconf.ParseListing(text, setconf.Vbash)
	if err != nil {
		return nil, p.lineError(err)
	}
	paths := make([][]string, len(lines))
	for i, l := range lines {
		paths[i] = l.Path
	}
	return parseTree(setconf.NewTree(paths)), nil
}

// lineError masks secrets in the line of a *setconf.LineError.
func (p *EdgeOS) lineError(err error) error {
	var le *setconf.LineError
	if errors.As(err, &le) {
		c := *le
		c.Line = p.Redact(c.Line)
		return &c
	}
	return err
}

func parseTree(root *setconf.Node) *vpn.Config {
	c := vpn.NewConfig()
	gwByPeer := parseGateways(c, root)
	parseTunnels(c, root, gwByPeer)
	parseStaticRoutes(c, root)
	parseSourceRoutes(c, root)
	parsePrefixLists(c, root)
	parseBGP(c, root)
	return c
}

func parseGateways(c *vpn.Config, root *setconf.Node) map[string]*vpn.IKEGateway {
	byPeer := map[string]*vpn.IKEGateway{}
	peers := root.Get(ipsecPeer...)
	for _, addr := range peers.Keys() {
		pn := peers.Get(addr)
		name := pn.Value("ike-group")
		if name == "" || c.IKEGateways()[name] != nil {
			continue
		}
		g := &vpn.IKEGateway{PeerAddress: addr, IKEVersion: 1, Lifetime: defaultIKELifetime}
		peerBlock.Parse(g, pn)
		ike := root.Get("vpn", "ipsec", "ike-group", name)
		ikeGroupBlock.Parse(g, ike)
		for _, k := range ike.Keys("proposal") {
			var pr vpn.IKEProposal
			ikeProposalBlock.Parse(&pr, ike.Get("proposal", k))
			g.Proposals = append(g.Proposals, pr)
		}
		c.Put(g)
		byPeer[addr] = g
	}
	return byPeer
}

func parseTunnels(c *vpn.Config, root *setconf.Node, gwByPeer map[string]*vpn.IKEGateway) {
	peers := root.Get(ipsecPeer...)
	owner := map[string]string{} // esp-group -> peer that claimed it
	newTunnel := func(name string, g *vpn.IKEGateway) *vpn.Tunnel {
		t := &vpn.Tunnel{Name: name, Gateway: g.Name, Lifetime: defaultESPLifetime, PFSGroup: pfsFromIKE}
		esp := root.Get("vpn", "ipsec", "esp-group", name)
		espGroupBlock.Parse(t, esp)
		for _, k := range esp.Keys("proposal") {
			var pr vpn.IPsecProposal
			espProposalBlock.Parse(&pr, esp.Get("proposal", k))
			t.Proposals = append(t.Proposals, pr)
		}
		if t.PFSGroup == pfsFromIKE {
			t.PFSGroup = 0
			if len(g.Proposals) > 0 {
				t.PFSGroup = g.Proposals[0].DHGroup
			}
		}
		c.Put(t)
		return t
	}
	for _, addr := range peers.Keys() {
		g := gwByPeer[addr]
		if g == nil {
			continue
		}
		pn := peers.Get(addr)
		var vt vpn.Tunnel
		peerVTIBlock.Parse(&vt, pn)
		if vt.Name != "" && vt.Interface != "" && owner[vt.Name] == "" {
			owner[vt.Name] = addr
			t := newTunnel(vt.Name, g)
			t.Interface = vt.Interface
			vtiBlock.Parse(t, root.Get("interfaces", "vti", t.Interface))
		}
		for _, n := range pn.Keys("tunnel") {
			var pt policyTunnel
			peerTunnelBlock.Parse(&pt, pn.Get("tunnel", n))
			if pt.ESPGroup == "" || owner[pt.ESPGroup] != "" && owner[pt.ESPGroup] != addr {
				continue
			}
			t := c.Tunnels()[pt.ESPGroup]
			if owner[pt.ESPGroup] == "" {
				owner[pt.ESPGroup] = addr
				t = newTunnel(pt.ESPGroup, g)
			}
			if t.Interface == "" {
				t.Selectors = append(t.Selectors, pt.TrafficSelector)
			}
		}
	}
	clamp := root.Get(mssClamp...)
	if mss := atoi(clamp.Value("mss")); mss != 0 && clamp.Has("interface-type", "vti") {
		for _, t := range c.Tunnels() {
			if t.RouteBased() {
				t.TCPMSS = mss
			}
		}
	}
}

// parseTarget reads the route for dest under prefix (`protocols static` or a table): its
// first next hop or next-hop interface and distance.
func parseTarget(prefix *setconf.Node, dest string) (iface, nextHop string, distance int, ok bool) {
	if nh := prefix.Get("route", dest, "next-hop"); len(nh.Keys()) > 0 {
		k := nh.Keys()[0]
		return "", k, atoi(nh.Value(k, "distance")), true
	}
	if ni := prefix.Get("interface-route", dest, "next-hop-interface"); len(ni.Keys()) > 0 {
		k := ni.Keys()[0]
		return k, "", atoi(ni.Value(k, "distance")), true
	}
	return "", "", 0, false
}

func parseStaticRoutes(c *vpn.Config, root *setconf.Node) {
	st := root.Get(staticPrefix...)
	for _, kind := range []string{"route", "interface-route"} {
		for _, dest := range st.Keys(kind) {
			if c.StaticRoutes()[dest] != nil {
				continue
			}
			if iface, nh, dist, ok := parseTarget(st, dest); ok {
				c.Put(&vpn.StaticRoute{Destination: dest, Interface: iface, NextHop: nh, Distance: dist})
			}
		}
	}
}

func parseSourceRoutes(c *vpn.Config, root *setconf.Node) {
	ingress := map[string]string{} // ruleset -> first interface binding it
	for _, t := range ingressTypes {
		types := root.Get("interfaces", t[1])
		for _, name := range types.Keys() {
			n := types.Get(name)
			if rs := n.Value(inModify...); rs != "" && ingress[rs] == "" {
				ingress[rs] = name
			}
			for _, v := range n.Keys("vif") {
				if rs := n.Get("vif", v).Value(inModify...); rs != "" && ingress[rs] == "" {
					ingress[rs] = name + "." + v
				}
			}
		}
	}
	fw := root.Get("firewall", "modify")
	for _, rs := range fw.Keys() {
		for _, num := range fw.Keys(rs, "rule") {
			rule, err := strconv.Atoi(num)
			if err != nil {
				continue
			}
			s := &vpn.SourceRoute{Ruleset: rs, Rule: rule, IngressInterface: ingress[rs]}
			modifyRuleBlock.Parse(s, fw.Get(rs, "rule", num))
			if s.Table == 0 || vpn.CheckCIDR(s.Source) != "" || c.SourceRoutes()[s.Source] != nil {
				continue
			}
			table := root.Get("protocols", "static", "table", strconv.Itoa(s.Table))
			for _, dest := range []string{s.Destination, anyPrefix} {
				if iface, nh, _, ok := parseTarget(table, dest); ok && dest != "" {
					s.Interface, s.NextHop = iface, nh
					break
				}
			}
			c.Put(s)
		}
	}
}

func parsePrefixLists(c *vpn.Config, root *setconf.Node) {
	lists := root.Get("policy", "prefix-list")
	for _, name := range lists.Keys() {
		n := lists.Get(name)
		pl := &vpn.PrefixList{Name: name}
		prefixListBlock.Parse(pl, n)
		for _, seq := range n.Keys("rule") {
			r := vpn.PrefixRule{Sequence: atoi(seq)}
			prefixRuleBlock.Parse(&r, n.Get("rule", seq))
			pl.Rules = append(pl.Rules, r)
		}
		c.Put(pl)
	}
}

func parseBGP(c *vpn.Config, root *setconf.Node) {
	bgp := root.Get("protocols", "bgp")
	for _, as := range bgp.Keys() {
		localAS, err := strconv.ParseInt(as, 10, 64)
		if err != nil {
			continue
		}
		proc := bgp.Get(as)
		var nets []string
		for _, n := range proc.Keys("network") {
			if _, err := netip.ParsePrefix(n); err == nil {
				nets = append(nets, n)
			}
		}
		for _, addr := range proc.Keys("neighbor") {
			if c.BGPNeighbors()[addr] != nil {
				continue
			}
			n := &vpn.BGPNeighbor{Address: addr, LocalAS: localAS}
			neighborBlock.Parse(n, proc.Get("neighbor", addr))
			n.Networks = append([]string(nil), nets...)
			if id := proc.Value("parameters", "router-id"); vpn.CheckIPv4(id) == "" {
				n.RouterID = id
			}
			c.Put(n)
		}
	}
}
