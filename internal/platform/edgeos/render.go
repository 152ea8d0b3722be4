package edgeos

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Render returns the lines that turn the device from current into desired: the model is
// rendered to paths before and after the change and setconf.Diff compares both with what the
// device printed. Objects that are new or changed must pass vpn and EdgeOS validation; the
// whole desired configuration must be consistent (tunnels name existing gateways, one BGP AS,
// one mss-clamp value, ...). Render never panics on any input.
func (p *EdgeOS) Render(current platform.Snapshot, desired *vpn.Config) ([]string, error) {
	lines, err := setconf.ParseListing(current.Text, setconf.Vbash)
	if err != nil {
		return nil, p.lineError(err)
	}
	device := make([][]string, len(lines))
	for i, l := range lines {
		device[i] = l.Path
	}
	dev := setconf.NewTree(device)

	before := vpn.NewConfig()
	if current.Config != nil {
		before = current.Config
	}
	if desired == nil {
		desired = vpn.NewConfig()
	}
	after := vpn.NewConfig()
	for _, o := range desired.Objects() {
		o = vpn.CloneObject(o)
		p.Normalize(o)
		if old := before.Get(o.Kind(), o.Key()); old == nil || !reflect.DeepEqual(normalized(p, old), o) {
			es := append(o.Validate(), p.Validate(o)...)
			if len(es) > 0 {
				return nil, fmt.Errorf("%s %q: %w", o.Kind(), o.Key(), es)
			}
		}
		after.Put(o)
	}

	bp, _ := (&renderer{dev: dev}).config(normalizedConfig(p, before))
	ap, err := (&renderer{dev: dev, Collector: setconf.Collector{Strict: true}}).config(after)
	if err != nil {
		return nil, err
	}
	return setconf.Diff(setconf.Vbash, device, bp, ap, schema), nil
}

func normalized(p *EdgeOS, o vpn.Object) vpn.Object {
	o = vpn.CloneObject(o)
	p.Normalize(o)
	return o
}

func normalizedConfig(p *EdgeOS, c *vpn.Config) *vpn.Config {
	out := vpn.NewConfig()
	for _, o := range c.Objects() {
		out.Put(normalized(p, o))
	}
	return out
}

// renderer turns a configuration into paths. It reads the device tree where the rendering
// depends on what is there (traffic selector numbers).
// When strict it reports inconsistencies between objects; otherwise it renders what it can.
type renderer struct {
	setconf.Collector
	dev *setconf.Node
}

// config renders every object in dependency order.
func (r *renderer) config(c *vpn.Config) ([][]string, error) {
	for _, step := range []func(*vpn.Config){r.gateways, r.tunnels, r.staticRoutes, r.sourceRoutes, r.prefixLists, r.bgp} {
		step(c)
	}
	return r.Result()
}

func (r *renderer) gateways(c *vpn.Config) {
	byPeer := map[string]string{}
	for _, o := range c.OfKind(vpn.KindIKEGateway) {
		g := o.(*vpn.IKEGateway)
		if other, dup := byPeer[g.PeerAddress]; dup {
			r.Fail("ike_gateway %q and ike_gateway %q both use peer_address %s; EdgeOS has one peer per address", other, g.Name, g.PeerAddress)
		}
		byPeer[g.PeerAddress] = g.Name
		// EdgeOS refuses to commit a peer without a tunnel or VTI: the gateway, its
		// ike-group included, is rendered with its first tunnel (see Deferred). Nothing of
		// it reaches the device before, so nothing is left there if that tunnel never comes.
		if gatewayDeferred(g, c) != "" {
			continue
		}
		ike := []string{"vpn", "ipsec", "ike-group", g.Name}
		ikeGroupBlock.Render(g, r.Emit, ike)
		for i := range g.Proposals {
			ikeProposalBlock.Render(&g.Proposals[i], r.Emit, ike, []string{"proposal", strconv.Itoa(i + 1)})
		}
		peerBlock.Render(g, r.Emit, append(ipsecPeer[:4:4], g.PeerAddress))
	}
}

// Deferred implements platform.Deferrer: an IKE gateway without a tunnel renders to nothing
// until a tunnel uses it.
func (p *EdgeOS) Deferred(o vpn.Object, desired *vpn.Config) string {
	if g, ok := o.(*vpn.IKEGateway); ok && desired != nil {
		return gatewayDeferred(g, desired)
	}
	return ""
}

func gatewayDeferred(g *vpn.IKEGateway, c *vpn.Config) string {
	for _, o := range c.OfKind(vpn.KindTunnel) {
		if o.(*vpn.Tunnel).Gateway == g.Name {
			return ""
		}
	}
	return fmt.Sprintf("EdgeOS commits a site-to-site peer only together with a tunnel: ike_gateway %q (peer %s) goes to the device with the first vpn_tunnel that uses it, and no vpn_tunnel does", g.Name, g.PeerAddress)
}

func (r *renderer) tunnels(c *vpn.Config) {
	byGateway := map[string][]*vpn.Tunnel{}
	byVTI := map[string]string{}
	mss, mssFrom := 0, ""
	for _, o := range c.OfKind(vpn.KindTunnel) {
		t := o.(*vpn.Tunnel)
		esp := []string{"vpn", "ipsec", "esp-group", t.Name}
		espGroupBlock.Render(t, r.Emit, esp)
		for i := range t.Proposals {
			espProposalBlock.Render(&t.Proposals[i], r.Emit, esp, []string{"proposal", strconv.Itoa(i + 1)})
		}
		if t.RouteBased() {
			if other, dup := byVTI[t.Interface]; dup {
				r.Fail("vpn_tunnel %q and vpn_tunnel %q both use tunnel_interface %s", other, t.Name, t.Interface)
			}
			byVTI[t.Interface] = t.Name
			vti := []string{"interfaces", "vti", t.Interface}
			if t.Address == "" && t.Description == "" && t.MTU == 0 {
				r.Emit(vti)
			}
			vtiBlock.Render(t, r.Emit, vti)
			if t.TCPMSS != 0 {
				if mss != 0 && mss != t.TCPMSS {
					r.Fail("vpn_tunnel %q sets tcp_mss %d but vpn_tunnel %q sets %d; EdgeOS has one firewall options mss-clamp for all VTIs", mssFrom, mss, t.Name, t.TCPMSS)
				}
				if mss == 0 {
					mss, mssFrom = t.TCPMSS, t.Name
				}
			}
		}
		if _, ok := c.IKEGateways()[t.Gateway]; !ok {
			r.Fail("vpn_tunnel %q refers to ike_gateway %q, which is not in the configuration", t.Name, t.Gateway)
			continue
		}
		byGateway[t.Gateway] = append(byGateway[t.Gateway], t)
	}
	if mss != 0 {
		r.Emit(mssClamp, []string{"interface-type", "vti"})
		r.Emit(mssClamp, []string{"mss", strconv.Itoa(mss)})
	}
	gws := make([]string, 0, len(byGateway))
	for g := range byGateway {
		gws = append(gws, g)
	}
	sort.Strings(gws)
	for _, name := range gws {
		g, ts := c.IKEGateways()[name], byGateway[name]
		peer := append(ipsecPeer[:4:4], g.PeerAddress)
		var route, policy []*vpn.Tunnel
		for _, t := range ts {
			if t.RouteBased() {
				route = append(route, t)
			} else {
				policy = append(policy, t)
			}
		}
		switch {
		case len(route) > 1:
			r.Fail("vpn_tunnel %q and vpn_tunnel %q are both route-based on ike_gateway %q; EdgeOS binds one VTI per peer", route[0].Name, route[1].Name, name)
		case len(route) == 1 && len(policy) > 0:
			r.Fail("vpn_tunnel %q is route-based and vpn_tunnel %q policy-based on the same ike_gateway %q; EdgeOS allows only one kind per peer", route[0].Name, policy[0].Name, name)
		}
		for _, t := range route {
			peerVTIBlock.Render(t, r.Emit, peer)
		}
		numbers := r.allocate(g.PeerAddress, policy)
		for _, t := range policy {
			for i, s := range t.Selectors {
				pt := policyTunnel{ESPGroup: t.Name, TrafficSelector: s}
				peerTunnelBlock.Render(&pt, r.Emit, peer, []string{"tunnel", strconv.Itoa(numbers[t][i])})
			}
		}
	}
}

// allocate numbers the traffic selectors of the policy-based tunnels on one peer: a selector
// the device already has for the same ESP group keeps its number; new ones get the lowest
// number that the device does not use on the peer, starting at 1.
func (r *renderer) allocate(peer string, tunnels []*vpn.Tunnel) map[*vpn.Tunnel][]int {
	dev := r.dev.Get(append(ipsecPeer[:4:4], peer, "tunnel")...)
	used := map[int]bool{}
	existing := map[policyTunnel][]int{}
	for _, k := range dev.Keys() {
		n, err := strconv.Atoi(k)
		if err != nil {
			continue
		}
		used[n] = true
		var pt policyTunnel
		peerTunnelBlock.Parse(&pt, dev.Get(k))
		existing[pt] = append(existing[pt], n)
	}
	out := map[*vpn.Tunnel][]int{}
	type pending struct {
		t *vpn.Tunnel
		i int
	}
	var todo []pending
	for _, t := range tunnels {
		out[t] = make([]int, len(t.Selectors))
		for i, s := range t.Selectors {
			key := policyTunnel{ESPGroup: t.Name, TrafficSelector: s}
			if ns := existing[key]; len(ns) > 0 {
				out[t][i], existing[key] = ns[0], ns[1:]
			} else {
				todo = append(todo, pending{t, i})
			}
		}
	}
	next := 1
	for _, p := range todo {
		for used[next] {
			next++
		}
		used[next] = true
		out[p.t][p.i] = next
	}
	return out
}

// target renders a route to an interface or a next hop under prefix (`protocols static` or a
// routing table).
func (r *renderer) target(prefix []string, dest, iface, nextHop string, distance int) {
	var p []string
	switch {
	case iface != "":
		p = append(prefix[:len(prefix):len(prefix)], "interface-route", dest, "next-hop-interface", iface)
	case nextHop != "":
		p = append(prefix[:len(prefix):len(prefix)], "route", dest, "next-hop", nextHop)
	default:
		return
	}
	if distance != 0 {
		r.Emit(p, []string{"distance", strconv.Itoa(distance)})
	} else {
		r.Emit(p)
	}
}

var staticPrefix = []string{"protocols", "static"}

func (r *renderer) staticRoutes(c *vpn.Config) {
	for _, o := range c.OfKind(vpn.KindStaticRoute) {
		s := o.(*vpn.StaticRoute)
		r.target(staticPrefix, s.Destination, s.Interface, s.NextHop, s.Distance)
	}
}

func (r *renderer) sourceRoutes(c *vpn.Config) {
	rules := map[string]string{}
	tables := map[int]*vpn.SourceRoute{}
	bindings := map[string]*vpn.SourceRoute{}
	for _, o := range c.OfKind(vpn.KindSourceRoute) {
		s := o.(*vpn.SourceRoute)
		rule := s.Ruleset + " rule " + strconv.Itoa(s.Rule)
		if other, dup := rules[rule]; dup {
			r.Fail("source_route %q and source_route %q both use firewall modify %s", other, s.Source, rule)
		}
		rules[rule] = s.Source
		if t := tables[s.Table]; t != nil && (t.Interface != s.Interface || t.NextHop != s.NextHop) {
			r.Fail("source_route %q and source_route %q both use table %d with different targets", t.Source, s.Source, s.Table)
		}
		tables[s.Table] = s
		modifyRuleBlock.Render(s, r.Emit, []string{"firewall", "modify", s.Ruleset, "rule", strconv.Itoa(s.Rule)})
		dest := s.Destination
		if dest == "" {
			dest = anyPrefix
		}
		r.target(append(staticPrefix[:2:2], "table", strconv.Itoa(s.Table)), dest, s.Interface, s.NextHop, 0)
		if s.IngressInterface == "" {
			continue
		}
		if b := bindings[s.IngressInterface]; b != nil && b.Ruleset != s.Ruleset {
			r.Fail("source_route %q and source_route %q bind different rulesets (%s, %s) to ingress_interface %s", b.Source, s.Source, b.Ruleset, s.Ruleset, s.IngressInterface)
		}
		bindings[s.IngressInterface] = s
		if ip, ok := interfacePath(s.IngressInterface); ok {
			r.Emit(ip, inModify, []string{s.Ruleset})
		}
	}
}

func (r *renderer) prefixLists(c *vpn.Config) {
	for _, o := range c.OfKind(vpn.KindPrefixList) {
		pl := o.(*vpn.PrefixList)
		root := []string{"policy", "prefix-list", pl.Name}
		prefixListBlock.Render(pl, r.Emit, root)
		for i := range pl.Rules {
			prefixRuleBlock.Render(&pl.Rules[i], r.Emit, root, []string{"rule", strconv.Itoa(pl.Rules[i].Sequence)})
		}
	}
}

// bgp renders each neighbor under its process, with its own timers, and the process's
// `network` lines as the union of the neighbors' networks. Parse gives every neighbor on the
// device all of its process's networks (the device cannot attribute them), so a network leaves
// the process only when no neighbor that stays lists it: when the neighbors that change or go
// are the only ones the process has. The process's own leaves (`timers`, `parameters`, ...)
// are not modelled and never rendered, so no change touches them.
func (r *renderer) bgp(c *vpn.Config) {
	networks := map[int64]map[string]bool{}
	var ases []int64
	first := ""
	// The process's router id, from the neighbors that set it (they must agree).
	routerID, routerIDFrom := "", ""
	for _, o := range c.OfKind(vpn.KindBGPNeighbor) {
		n := *o.(*vpn.BGPNeighbor)
		if networks[n.LocalAS] == nil {
			if len(ases) > 0 {
				r.Fail("bgp_neighbor %q has local_as %d but bgp_neighbor %q has %d; EdgeOS runs one BGP process", n.Address, n.LocalAS, first, ases[0])
			}
			networks[n.LocalAS] = map[string]bool{}
			ases = append(ases, n.LocalAS)
			first = n.Address
		}
		as := strconv.FormatInt(n.LocalAS, 10)
		neighborBlock.Render(&n, r.Emit, []string{"protocols", "bgp", as, "neighbor", n.Address})
		for _, net := range n.Networks {
			networks[n.LocalAS][net] = true
		}
		if n.RouterID != "" {
			// Neighbors read from the device carry the process's router id: a value other
			// than the device's is a change, and two changes must agree.
			current := r.dev.Value("protocols", "bgp", as, "parameters", "router-id")
			switch {
			case routerID == "" || routerID == current && n.RouterID != current:
				routerID, routerIDFrom = n.RouterID, n.Address
			case n.RouterID != routerID && n.RouterID != current:
				r.Fail("bgp_neighbor %q has router_id %s but bgp_neighbor %q has %s; the router id belongs to the one BGP process", n.Address, n.RouterID, routerIDFrom, routerID)
			}
		}
	}
	if routerID != "" && len(ases) > 0 {
		r.Emit([]string{"protocols", "bgp", strconv.FormatInt(ases[0], 10), "parameters", "router-id", routerID})
	}
	for _, as := range ases {
		nets := make([]string, 0, len(networks[as]))
		for n := range networks[as] {
			nets = append(nets, n)
		}
		sort.Slice(nets, func(i, j int) bool { return setconf.Compare(nets[i], nets[j]) < 0 })
		for _, n := range nets {
			r.Emit([]string{"protocols", "bgp", strconv.FormatInt(as, 10), "network", n})
		}
	}
}
