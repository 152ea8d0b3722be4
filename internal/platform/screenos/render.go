package screenos

import (
	"fmt"
	"net/netip"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/flatconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Sections of a rendering, in the order lines are created when nothing else orders them.
const (
	secP1 = iota
	secP2
	secGateway
	secGatewayAttr
	secIfaceZone
	secIfaceAttr
	secVPN
	secVPNAttr
	secAddress
	secPolicy
	secVRouter
	secRoute
	secSourceRoute
	secACL
	secRouteMap
	secBGP
	secNeighbor
	nSections
)

// renderer turns a configuration of the model into ScreenOS entries.
type renderer struct {
	s       *ScreenOS
	dev     *device
	cfg     *vpn.Config
	changed func(vpn.Object) bool
	strict  bool
	// unchanged: the object being rendered is the same in the device's configuration and
	// the desired one.
	unchanged bool
	sections  [nSections][]flatconf.Entry
	seen      map[string]string // identity -> exact words
	err       error
}

func (r *renderer) fail(format string, args ...any) {
	if r.strict && r.err == nil {
		r.err = fmt.Errorf(format, args...)
	}
}

// emit adds an entry, spelled as the device spells it when the device's line with the same
// identity means the same, once.
//
// An object that the change leaves alone renders only the lines the device has: what the
// model cannot describe of it (a VPN with a sec-level instead of proposals, a gateway
// without a key the device prints) is never retyped by a change to another object.
func (r *renderer) emit(sec int, e flatconf.Entry) {
	if d, ok := r.dev.byID[syntax.Identity(e)]; ok && d.Negated == e.Negated && equalWords(canon(d.Words), canon(e.Words)) {
		e.Words = d.Words
	}
	if r.unchanged && !r.dev.has(e) {
		return
	}
	id := syntax.Identity(e)
	exact := strings.Join(e.Words, "\x00")
	if prev, ok := r.seen[id]; ok {
		if prev != exact {
			r.fail("two objects need different values for the same device line %q", lineOf(e))
		}
		return
	}
	r.seen[id] = exact
	r.sections[sec] = append(r.sections[sec], e)
}

func (r *renderer) entries() []flatconf.Entry {
	var out []flatconf.Entry
	for _, s := range r.sections {
		out = append(out, s...)
	}
	return out
}

func top(words ...string) flatconf.Entry { return flatconf.Entry{Words: words} }

func inVR(vr string, words ...string) flatconf.Entry {
	return flatconf.Entry{Context: [][]string{{"vrouter", vr}}, Words: words}
}

func inBGP(vr, as string, words ...string) flatconf.Entry {
	return flatconf.Entry{Context: [][]string{{"vrouter", vr}, {"protocol", "bgp", as}}, Words: words}
}

func inPolicy(id int, words ...string) flatconf.Entry {
	return flatconf.Entry{Context: [][]string{{"policy", "id", strconv.Itoa(id)}}, Words: words}
}

// canon is the meaning of a line's words, for keeping the device's spelling: case folded,
// lifetimes in seconds, and the words the model does not describe left out.
func canon(w []string) []string {
	out := make([]string, 0, len(w))
	route := len(w) > 0 && w[0] == "route"
	isVPN := len(w) > 2 && w[0] == "vpn" && w[2] == "gateway"
	policy := len(w) > 2 && w[0] == "policy"
	for i := 0; i < len(w); i++ {
		x := strings.ToLower(w[i])
		switch {
		case route && x == "permanent":
			continue
		case route && (x == "metric" || x == "tag" || x == "description"):
			i++
			continue
		case isVPN && x == "idletime":
			i++
			continue
		case policy && i > 3 && (x == "id" || x == "pair-policy"):
			i++
			continue
		case units[x] > 0 && i+1 < len(w):
			if lt, ok := lifetimeOf(x, w[i+1]); ok {
				out = append(out, "second", strconv.Itoa(lt))
				i++
				continue
			}
		}
		out = append(out, x)
	}
	if len(out) > 3 && out[0] == "vpn" && out[2] == "monitor" {
		sort.Strings(out[3:])
	}
	return out
}

// render returns the entries that describe cfg. strict: the desired configuration, whose
// inconsistencies are errors; otherwise the device's, rendered as far as it goes.
func (s *ScreenOS) render(dev *device, cfg *vpn.Config, changed func(vpn.Object) bool, strict bool) ([]flatconf.Entry, error) {
	r := &renderer{s: s, dev: dev, cfg: cfg, changed: changed, strict: strict, seen: map[string]string{}}
	each := func(k vpn.Kind, f func(vpn.Object)) {
		for _, o := range cfg.OfKind(k) {
			r.unchanged = !changed(o)
			f(o)
		}
		r.unchanged = false
	}
	each(vpn.KindIKEGateway, func(o vpn.Object) { r.gateway(o.(*vpn.IKEGateway)) })
	each(vpn.KindTunnel, func(o vpn.Object) { r.tunnel(o.(*vpn.Tunnel)) })
	each(vpn.KindSecurityPolicy, func(o vpn.Object) { r.policy(o.(*vpn.SecurityPolicy)) })
	each(vpn.KindStaticRoute, func(o vpn.Object) { r.staticRoute(o.(*vpn.StaticRoute)) })
	each(vpn.KindSourceRoute, func(o vpn.Object) { r.sourceRoute(o.(*vpn.SourceRoute)) })
	each(vpn.KindPrefixList, func(o vpn.Object) { r.prefixList(o.(*vpn.PrefixList)) })
	r.bgp(sortedObjects[*vpn.BGPNeighbor](cfg, vpn.KindBGPNeighbor))
	if r.err != nil {
		return nil, r.err
	}
	return r.entries(), nil
}

func sortedObjects[T vpn.Object](cfg *vpn.Config, k vpn.Kind) []T {
	var out []T
	for _, o := range cfg.OfKind(k) {
		out = append(out, o.(T))
	}
	return out
}

// gatewayNameWords are the words that name a gateway in its lines.
func gatewayNameWords(g *vpn.IKEGateway) []string {
	if g.IKEVersion == 2 {
		return []string{"ike", "gateway", "ikev2", g.Name}
	}
	return []string{"ike", "gateway", g.Name}
}

func join(a []string, b ...string) []string { return append(append([]string(nil), a...), b...) }

// argAfter returns the word after the first kw in w, "" when there is none.
func argAfter(w []string, kw string) string {
	for i := 0; i+1 < len(w); i++ {
		if w[i] == kw {
			return w[i+1]
		}
	}
	return ""
}

// listAfter returns the names after kw up to the next keyword.
func listAfter(w []string, kw string) []string {
	for i := 0; i < len(w); i++ {
		if w[i] == kw {
			var out []string
			for j := i + 1; j < len(w) && !keywords[w[j]]; j++ {
				out = append(out, w[j])
			}
			return out
		}
	}
	return nil
}

func (r *renderer) gateway(g *vpn.IKEGateway) {
	devLine := r.dev.gwLine[g.Name]
	current := listAfter(devLine, "proposal")
	var names []string
	for i, p := range g.Proposals {
		c := p1{group: p.DHGroup, enc: p.Encryption, hash: p.Integrity, lifetime: g.Lifetime}
		name := ""
		if i < len(current) {
			if x, ok := r.dev.p1(current[i]); ok && x == c {
				name = current[i]
			}
		}
		if name == "" {
			name = r.dev.p1ByContent(c)
		}
		if name == "" {
			name = fmt.Sprintf("ovpn-p1-g%d-%s-%s-%d", c.group, c.enc, c.hash, c.lifetime)
		}
		names = append(names, name)
		if _, listed := r.dev.p1s[name]; listed || !isPredefinedP1(name) {
			r.emit(secP1, top("ike", "p1-proposal", name, "preshare", "group"+strconv.Itoa(c.group), "esp", c.enc, hashOf[c.hash], "second", strconv.Itoa(c.lifetime)))
		}
	}
	out := argAfter(devLine, "outgoing-interface")
	if out == "" {
		out = r.s.outgoingInterface
	}
	if out == "" && g.LocalAddress != "" {
		out = r.dev.interfaceOf(g.LocalAddress)
	}
	if out == "" {
		r.fail("ike_gateway %q: no outgoing interface: ScreenOS needs one; set local_address to an address of an interface of the device, or the device option %q", g.Name, OptOutgoingInterface)
		return
	}
	psk := g.PreSharedKey
	if psk == "" {
		psk = argAfter(devLine, "preshare")
	}
	if psk == "" {
		r.fail("ike_gateway %q: pre_shared_key is required on ScreenOS (the only authentication the dialect renders)", g.Name)
		return
	}
	w := join(gatewayNameWords(g), "address", g.PeerAddress)
	if g.RemoteID != "" {
		w = append(w, "id", g.RemoteID)
	}
	if g.IKEVersion != 2 {
		if g.Mode == vpn.IKEModeAggressive {
			w = append(w, "Aggr")
		} else {
			w = append(w, "Main")
		}
	}
	if g.LocalID != "" {
		w = append(w, "local-id", g.LocalID)
	}
	w = append(w, "outgoing-interface", out)
	if g.LocalAddress != "" {
		w = append(w, "local-address", g.LocalAddress)
	}
	w = append(w, "preshare", psk, "proposal")
	w = append(w, names...)
	r.emit(secGateway, top(w...))
	if g.NATTraversal != nil && *g.NATTraversal {
		r.emit(secGatewayAttr, top(join(gatewayNameWords(g), "nat-traversal")...))
	}
	if l := g.Liveness; l != nil {
		if l.Interval != 0 {
			r.emit(secGatewayAttr, top(join(gatewayNameWords(g), "dpd-liveness", "interval", strconv.Itoa(l.Interval))...))
		}
		if l.RetryCount != 0 {
			r.emit(secGatewayAttr, top(join(gatewayNameWords(g), "dpd-liveness", "retry", strconv.Itoa(l.RetryCount))...))
		}
	}
}

func isPredefinedP1(name string) bool { _, ok := predefinedP1(name); return ok }
func isPredefinedP2(name string) bool { _, ok := predefinedP2(name); return ok }

// p1ByContent returns the name of a listed phase-1 proposal with content c, "" if none.
func (d *device) p1ByContent(c p1) string {
	var names []string
	for n, x := range d.p1s {
		if x == c {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if len(names) > 0 {
		return names[0]
	}
	return ""
}

func (d *device) p2ByContent(c p2) string {
	var names []string
	for n, x := range d.p2s {
		if x == c {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if len(names) > 0 {
		return names[0]
	}
	return ""
}

// interfaceOf returns the interface whose address is addr.
func (d *device) interfaceOf(addr string) string {
	var names []string
	for n, p := range d.ifaceIPs {
		if pp, err := netip.ParsePrefix(p); err == nil && pp.Addr().String() == addr {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if len(names) > 0 {
		return names[0]
	}
	return ""
}

func (r *renderer) tunnel(t *vpn.Tunnel) {
	devLine := r.dev.vpnLine[t.Name]
	current := listAfter(devLine, "proposal")
	var names []string
	for i, p := range t.Proposals {
		c := p2{pfs: t.PFSGroup, enc: p.Encryption, hash: p.Integrity, lifetime: t.Lifetime}
		name := ""
		if i < len(current) {
			if x, ok := r.dev.p2(current[i]); ok && x == c {
				name = current[i]
			}
		}
		if name == "" {
			name = r.dev.p2ByContent(c)
		}
		if name == "" {
			pfs := "g0"
			if c.pfs != 0 {
				pfs = "g" + strconv.Itoa(c.pfs)
			}
			name = fmt.Sprintf("ovpn-p2-%s-%s-%s-%d", pfs, c.enc, c.hash, c.lifetime)
		}
		names = append(names, name)
		if _, listed := r.dev.p2s[name]; listed || !isPredefinedP2(name) {
			pfs := "no-pfs"
			if c.pfs != 0 {
				pfs = "group" + strconv.Itoa(c.pfs)
			}
			r.emit(secP2, top("ike", "p2-proposal", name, pfs, "esp", c.enc, hashOf[c.hash], "second", strconv.Itoa(c.lifetime)))
		}
	}
	replay := "no-replay"
	if t.AntiReplay != nil && *t.AntiReplay {
		replay = "replay"
	}
	idle := argAfter(devLine, "idletime")
	if idle == "" {
		idle = "0"
	}
	w := []string{"vpn", t.Name, "gateway", t.Gateway, replay, "tunnel", "idletime", idle, "proposal"}
	r.emit(secVPN, top(append(w, names...)...))
	if t.Interface != "" {
		zone := t.Zone
		if zone == "" {
			zone = defaultZone
		}
		r.emit(secIfaceZone, top("interface", t.Interface, "zone", zone))
		if t.Address == "" && t.UnnumberedInterface == "" && !r.dev.hasVPN(t.Name) {
			// A new tunnel on a tunnel interface the device already addresses: the read-back
			// would hold an address the configuration does not, and removing it is not ours
			// to decide.
			if ip := r.dev.interfaceIP(t.Interface); ip != "" {
				r.fail("vpn_tunnel %q: %s already has `ip %s` on the device; set tunnel_interface_address or unnumbered_interface to it, or remove it from the device first", t.Name, t.Interface, ip)
			}
		}
		switch {
		case t.Address != "":
			r.emit(secIfaceAttr, top("interface", t.Interface, "ip", t.Address))
		case t.UnnumberedInterface != "":
			r.emit(secIfaceAttr, top("interface", t.Interface, "ip", "unnumbered", "interface", t.UnnumberedInterface))
		}
		if t.MTU != 0 {
			r.emit(secIfaceAttr, top("interface", t.Interface, "mtu", strconv.Itoa(t.MTU)))
		}
		r.emit(secVPNAttr, top("vpn", t.Name, "bind", "interface", t.Interface))
	}
	if len(t.Selectors) > 0 {
		sel := t.Selectors[0]
		r.emit(secVPNAttr, top("vpn", t.Name, "proxy-id", "local-ip", sel.Local, "remote-ip", sel.Remote, serviceOfProtocol[sel.Protocol]))
	}
	if t.Monitor != nil || t.EstablishImmediately {
		w := []string{"vpn", t.Name, "monitor"}
		if t.Monitor != nil {
			w = append(w, "optimized")
		}
		if t.EstablishImmediately {
			w = append(w, "rekey")
		}
		r.emit(secVPNAttr, top(w...))
	}
	if t.DFBit != "" {
		r.emit(secVPNAttr, top("vpn", t.Name, "df-bit", t.DFBit))
	}
}

// defaultZone is the zone of a tunnel interface that names none.
const defaultZone = "Untrust"

func (r *renderer) staticRoute(rt *vpn.StaticRoute) {
	w := []string{"route", rt.Destination}
	if rt.Interface != "" {
		w = append(w, "interface", rt.Interface)
	}
	if rt.NextHop != "" {
		w = append(w, "gateway", rt.NextHop)
	}
	if rt.Distance != 0 {
		w = append(w, "preference", strconv.Itoa(rt.Distance))
	}
	vr := vrouterOf(rt.RoutingInstance)
	r.emit(secRoute, inVR(vr, r.keepRouteWords(inVR(vr, w...))...))
}

// keepRouteWords returns the words of route entry e, with what the device's line of the same
// route says that the model does not describe (`permanent`, `metric N`, `tag N` [SEEN seed 000
// NetScreen-25 `... preference 15 permanent`; device-cli.md 1.2.4]) kept, so that retyping a
// changed route does not drop them.
func (r *renderer) keepRouteWords(e flatconf.Entry) []string {
	w := e.Words
	id := syntax.Identity(e)
	for _, x := range r.dev.entries {
		if x.Negated || syntax.Identity(x) != id {
			continue
		}
		for i := 0; i < len(x.Words); i++ {
			switch x.Words[i] {
			case "permanent":
				w = append(w, "permanent")
			case "metric", "tag":
				if i+1 < len(x.Words) {
					w = append(w, x.Words[i], x.Words[i+1])
					i++
				}
			}
		}
		break
	}
	return w
}

func (r *renderer) sourceRoute(rt *vpn.SourceRoute) {
	vr := vrouterOf(rt.RoutingInstance)
	w := []string{"route", "source", rt.Source}
	if rt.Interface != "" {
		w = append(w, "interface", rt.Interface)
	}
	if rt.NextHop != "" {
		w = append(w, "gateway", rt.NextHop)
	}
	if rt.Preference != 0 {
		w = append(w, "preference", strconv.Itoa(rt.Preference))
	}
	r.emit(secSourceRoute, inVR(vr, r.keepRouteWords(inVR(vr, w...))...))
	// The vrouter's switch goes with its source routes: typed with a new or changed one,
	// kept while one is there, removed with the last.
	sw := inVR(vr, "source-routing", "enable")
	if r.dev.has(sw) || r.changed(rt) {
		r.emit(secVRouter, sw)
	}
}

// prefixListNumber is the access-list of pl: its number, else the lowest free one.
func (r *renderer) prefixListNumber(pl *vpn.PrefixList) int {
	if pl.Number != 0 {
		return pl.Number
	}
	n, err := vpn.AllocateNumber(r.cfg, vpn.KindPrefixList, pl.Key(), aclRange)
	if err != nil {
		r.fail("prefix_list %q: %v", pl.Name, err)
		return 0
	}
	return n
}

var (
	aclRange    = vpn.NumberRange{Min: 1, Max: 99}
	policyRange = vpn.NumberRange{Min: 1, Max: 9999}
)

func (r *renderer) prefixList(pl *vpn.PrefixList) {
	n := r.prefixListNumber(pl)
	if n == 0 {
		return
	}
	id := strconv.Itoa(n)
	for _, rule := range pl.Rules {
		r.emit(secACL, inVR(trustVR, "access-list", id, rule.Action, "ip", rule.Prefix, strconv.Itoa(rule.Sequence)))
	}
	w := []string{"route-map", "name", pl.Name, "permit", "1", "match", "ip", id}
	if ws := r.dev.routeMaps[trustVR][pl.Name]; len(ws) == 1 && len(ws[0]) == 8 && ws[0][7] == id && ws[0][5] == "match" {
		w = ws[0]
	}
	r.emit(secRouteMap, inVR(trustVR, w...))
}

func (r *renderer) bgp(ns []*vpn.BGPNeighbor) {
	type proc struct {
		as       string
		networks map[string]bool
		routerID string
		changed  bool
	}
	procs := map[string]*proc{}
	var vrs []string
	for _, n := range ns {
		vr := vrouterOf(n.RoutingInstance)
		as := strconv.FormatInt(n.LocalAS, 10)
		if dev, ok := r.dev.bgpAS[vr]; ok && dev != as {
			r.fail("bgp_neighbor %q: local_as %s: the device's vrouter %q runs BGP as AS %s (ScreenOS has one BGP instance per virtual router)", n.Address, as, vr, dev)
			continue
		}
		p := procs[vr]
		if p == nil {
			p = &proc{as: as, networks: map[string]bool{}}
			procs[vr] = p
			vrs = append(vrs, vr)
		} else if p.as != as {
			r.fail("bgp_neighbor %q: local_as %s differs from the local_as %s of another neighbor in vrouter %q", n.Address, as, p.as, vr)
			continue
		}
		p.changed = p.changed || r.changed(n)
		r.unchanged = !r.changed(n)
		for _, c := range n.Networks {
			p.networks[c] = true
		}
		if n.RouterID != "" {
			if p.routerID != "" && p.routerID != n.RouterID {
				r.fail("bgp_neighbor %q: router_id %s differs from router_id %s of another neighbor in vrouter %q", n.Address, n.RouterID, p.routerID, vr)
			}
			p.routerID = n.RouterID
		}
		nb := func(w ...string) { r.emit(secNeighbor, inBGP(vr, as, join([]string{"neighbor", n.Address}, w...)...)) }
		nb("remote-as", strconv.FormatInt(n.RemoteAS, 10))
		if n.EBGPMultihop != 0 {
			nb("ebgp-multihop", strconv.Itoa(n.EBGPMultihop))
		}
		if n.HoldTime != 0 {
			nb("hold-time", strconv.Itoa(n.HoldTime))
		}
		if n.Keepalive != 0 {
			nb("keepalive", strconv.Itoa(n.Keepalive))
		}
		if n.Password != "" {
			nb("md5-authentication", n.Password)
		}
		if n.UpdateSource != "" {
			nb("src-interface", n.UpdateSource)
		}
		if n.PrefixListIn != "" {
			nb("route-map", n.PrefixListIn, "in")
		}
		if n.PrefixListOut != "" {
			nb("route-map", n.PrefixListOut, "out")
		}
		nb("enable")
	}
	r.unchanged = false
	for _, vr := range vrs {
		p := procs[vr]
		var nets []string
		for c := range p.networks {
			nets = append(nets, c)
		}
		sort.Strings(nets)
		if p.routerID != "" {
			r.emit(secBGP, inBGP(vr, p.as, "router-id", p.routerID))
		}
		for _, c := range nets {
			r.emit(secBGP, inBGP(vr, p.as, "network", c))
		}
		if en := inBGP(vr, p.as, "enable"); r.dev.has(en) || p.changed {
			r.emit(secBGP, en)
		}
	}
}

// policyNumber is p's policy id: its number, else the lowest free one.
func (r *renderer) policyNumber(p *vpn.SecurityPolicy) int {
	if p.Number != 0 {
		return p.Number
	}
	used := []int{}
	for _, ref := range r.dev.policyOrder {
		used = append(used, ref.id)
	}
	n, err := vpn.AllocateNumber(r.cfg, vpn.KindSecurityPolicy, p.Key(), policyRange, used...)
	if err != nil {
		r.fail("security_policy %q: %v", p.Name, err)
		return 0
	}
	return n
}

// addressName returns the address-book name for a CIDR in zone: an entry the device has for
// it (its own name for it first), else the CIDR itself, which the dialect creates.
func (r *renderer) addressName(zone, cidr string) string {
	if cidr == "any" {
		return "Any"
	}
	book := r.dev.addresses[zone]
	if c, ok := book[cidr]; ok && c == cidr {
		return cidr
	}
	var names []string
	for n, c := range book {
		if c == cidr {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if len(names) > 0 {
		return names[0]
	}
	return cidr
}

func (r *renderer) policy(p *vpn.SecurityPolicy) {
	id := r.policyNumber(p)
	if id == 0 {
		return
	}
	// The names the device's policy uses, by what they stand for.
	used := map[string]string{}
	for _, e := range r.dev.entries {
		w := e.Words
		switch {
		case len(e.Context) == 0 && len(w) > 3 && w[0] == "policy" && w[1] == "id" && w[2] == strconv.Itoa(id):
			if dp, ok := parsePolicyLine(w); ok {
				used[dp.FromZone+"\x00"+r.dev.address(dp.FromZone, dp.Sources[0])] = dp.Sources[0]
				used[dp.ToZone+"\x00"+r.dev.address(dp.ToZone, dp.Destinations[0])] = dp.Destinations[0]
			}
		case len(e.Context) == 1 && e.Context[0][0] == "policy" && e.Context[0][2] == strconv.Itoa(id) && len(w) == 2:
			switch w[0] {
			case "src-address":
				used[p.FromZone+"\x00"+r.dev.address(p.FromZone, w[1])] = w[1]
			case "dst-address":
				used[p.ToZone+"\x00"+r.dev.address(p.ToZone, w[1])] = w[1]
			}
		}
	}
	addrs := func(zone string, cidrs []string) []string {
		if len(cidrs) == 0 {
			return []string{"Any"}
		}
		var out []string
		for _, c := range cidrs {
			name := r.addressName(zone, c)
			if u, ok := used[zone+"\x00"+c]; ok {
				name = u
			}
			out = append(out, name)
			if name != c || c == "any" {
				continue // the device's own entry (or Any): used, never owned
			}
			pfx, err := netip.ParsePrefix(c)
			if err != nil {
				continue // a name the device printed that is no CIDR: kept as it is
			}
			e := top("address", zone, c, pfx.Addr().String(), maskOf(pfx.Bits()))
			if r.dev.has(e) || r.changed(p) {
				r.emit(secAddress, e)
			}
		}
		return out
	}
	src, dst := addrs(p.FromZone, p.Sources), addrs(p.ToZone, p.Destinations)
	svcs := p.Services
	if len(svcs) == 0 {
		svcs = []string{"ANY"}
	}
	w := []string{"policy", "id", strconv.Itoa(id)}
	if p.Name != unnamedPolicy(id) {
		w = append(w, "name", p.Name)
	}
	w = append(w, "from", p.FromZone, "to", p.ToZone, src[0], dst[0], svcs[0])
	if p.Action == "tunnel" {
		w = append(w, "tunnel", "vpn", p.Tunnel)
	} else {
		w = append(w, p.Action)
	}
	if p.Log {
		w = append(w, "log")
	}
	r.emit(secPolicy, top(w...))
	for _, a := range src[1:] {
		r.emit(secPolicy, inPolicy(id, "src-address", a))
	}
	for _, a := range dst[1:] {
		r.emit(secPolicy, inPolicy(id, "dst-address", a))
	}
	for _, s := range svcs[1:] {
		r.emit(secPolicy, inPolicy(id, "service", s))
	}
}

// changedFunc reports whether an object differs between the two configurations (or is in
// only one of them).
func changedFunc(current, desired *vpn.Config) func(vpn.Object) bool {
	return func(o vpn.Object) bool {
		a, b := current.Get(o.Kind(), o.Key()), desired.Get(o.Kind(), o.Key())
		return a == nil || b == nil || !reflect.DeepEqual(a, b)
	}
}

// linesChangedFunc is changedFunc for what lines say: a policy whose position alone differs
// is moved (moveSteps), its lines are those of an unchanged policy.
func linesChangedFunc(current, desired *vpn.Config) func(vpn.Object) bool {
	return func(o vpn.Object) bool {
		a, b := current.Get(o.Kind(), o.Key()), desired.Get(o.Kind(), o.Key())
		if a == nil || b == nil {
			return true
		}
		pa, ok1 := a.(*vpn.SecurityPolicy)
		pb, ok2 := b.(*vpn.SecurityPolicy)
		if ok1 && ok2 {
			x, y := *pa, *pb
			x.Position, y.Position = "", ""
			return !reflect.DeepEqual(&x, &y)
		}
		return !reflect.DeepEqual(a, b)
	}
}

// RenderSteps returns the steps that turn the device into desired, each with its undo.
func (s *ScreenOS) RenderSteps(current platform.Snapshot, desired *vpn.Config) ([]platform.Step, error) {
	steps, err := s.steps(current, desired)
	if err != nil {
		return nil, err
	}
	ps := syntax.PlatformSteps(steps)
	for i := range ps {
		ps[i].Do = answerExit(ps[i].Do)
		for j := range ps[i].Undo {
			ps[i].Undo[j] = answerExit(ps[i].Undo[j])
		}
		for j := range ps[i].Leave {
			ps[i].Leave[j] = answerExit(ps[i].Leave[j])
		}
	}
	return ps, nil
}

// SaveQuestion is what ScreenOS asks when a session leaves the top level with unsaved
// changes.
const SaveQuestion = `Configuration modified, save\? \[y\]/n\s*$`

// answerExit makes an `exit` answer "n" if it ever reaches the top level with unsaved changes
// (an exit of a context never asks): a transaction saves explicitly, after a good batch.
func answerExit(c platform.Command) platform.Command {
	if c.Line == "exit" {
		c.Expect, c.Answer = SaveQuestion, "n"
	}
	return c
}

// Render returns the lines RenderSteps would apply, in order.
func (s *ScreenOS) Render(current platform.Snapshot, desired *vpn.Config) ([]string, error) {
	steps, err := s.steps(current, desired)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, st := range steps {
		out = append(out, st.Do...)
	}
	return out, nil
}

func (s *ScreenOS) steps(current platform.Snapshot, desired *vpn.Config) ([]flatconf.Step, error) {
	return s.stepsChecked(current, desired, true)
}

// stepsChecked renders the steps; validate judges the new and changed objects first.
func (s *ScreenOS) stepsChecked(current platform.Snapshot, desired *vpn.Config, validate bool) ([]flatconf.Step, error) {
	dev, err := newDevice(current.Text)
	if err != nil {
		return nil, fmt.Errorf("cannot read the device's configuration: %v", err)
	}
	cur := current.Config
	if cur == nil {
		cur = dev.model()
	}
	changed := changedFunc(cur, desired)
	var problems []string
	for _, o := range desired.Objects() {
		if !validate || !changed(o) {
			continue
		}
		es := append(o.Validate(), s.Validate(o)...)
		errs, _ := s.PlanCheck(o, desired)
		es = append(es, errs...)
		if len(es) > 0 {
			problems = append(problems, fmt.Sprintf("%s %q: %v", o.Kind(), o.Key(), es))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	linesChanged := linesChangedFunc(cur, desired)
	before, _ := s.render(dev, cur, linesChanged, false)
	after, err := s.render(dev, desired, linesChanged, true)
	if err != nil {
		return nil, err
	}
	steps := syntax.Diff(dev.entries, before, after)
	steps = mergePolicyDeletes(steps)
	steps = switchesLast(steps)
	steps = append(steps, bgpInstanceSteps(dev, before, after)...)
	moves, err := s.moveSteps(dev, cur, desired, changed, after)
	if err != nil {
		return nil, err
	}
	return append(steps, moves...), nil
}

// mergePolicyDeletes folds the deletes of a deleted policy's context lines (`set policy id
// N` / `unset src-address "X"` / `exit`) into the policy's own delete, which removes them with
// it: typed after it they would fail, typed before it they are needless. The policy's undo
// types them back, after the policy line.
func mergePolicyDeletes(steps []flatconf.Step) []flatconf.Step {
	deleted := map[string]bool{} // "N" of every "unset policy id N"
	for _, st := range steps {
		if len(st.Do) == 1 {
			if f := strings.Fields(st.Do[0]); len(f) == 4 && f[0] == "unset" && f[1] == "policy" && f[2] == "id" {
				deleted[f[3]] = true
			}
		}
	}
	if len(deleted) == 0 {
		return steps
	}
	contextOf := func(st flatconf.Step) string {
		if len(st.Do) != 3 || st.Do[2] != "exit" || !strings.HasPrefix(st.Do[1], "unset ") {
			return ""
		}
		if f := strings.Fields(st.Do[0]); len(f) == 4 && f[0] == "set" && f[1] == "policy" && f[2] == "id" {
			return f[3]
		}
		return ""
	}
	extra := map[string][]string{}
	var out []flatconf.Step
	for _, st := range steps {
		if id := contextOf(st); id != "" && deleted[id] {
			extra[id] = append(extra[id], st.Undo...)
			continue
		}
		out = append(out, st)
	}
	for i := range out {
		if len(out[i].Do) == 1 {
			if f := strings.Fields(out[i].Do[0]); len(f) == 4 && f[0] == "unset" && f[1] == "policy" && f[2] == "id" {
				out[i].Undo = append(out[i].Undo, extra[f[3]]...)
			}
		}
	}
	return out
}

// switchesLast moves the delete of a vrouter's `source-routing enable` after the deletes of
// its source routes, the delete of a BGP process's `enable` after the deletes of its
// neighbors, the delete of an address-book entry after the policies' changes and the delete
// of a proposal after the gateways' or VPNs' changes (a gateway may use up to four proposals;
// the ordering of Diff knows the first): each goes once nothing uses it.
func switchesLast(steps []flatconf.Step) []flatconf.Step {
	out := append([]flatconf.Step(nil), steps...)
	for i := 0; i < len(out); i++ {
		if len(out[i].Do) != 1 {
			continue
		}
		f := strings.Fields(out[i].Do[0])
		var users string
		switch {
		case len(f) == 4 && f[0] == "unset" && f[1] == "ike" && f[2] == "p1-proposal":
			users = "ike gateway "
		case len(f) == 4 && f[0] == "unset" && f[1] == "ike" && f[2] == "p2-proposal":
			users = "vpn "
		case len(f) >= 4 && f[0] == "unset" && f[1] == "address":
			users = "policy id "
		case len(f) == 5 && f[0] == "unset" && f[1] == "vrouter" && f[3] == "source-routing":
			users = "unset vrouter " + f[2] + " route source "
		case len(f) == 6 && f[0] == "unset" && f[1] == "vrouter" && f[3] == "protocol" && f[5] == "enable":
			users = "unset vrouter " + f[2] + " protocol bgp neighbor "
		default:
			continue
		}
		last := -1
		for j := i + 1; j < len(out); j++ {
			if len(out[j].Do) == 1 && (strings.HasPrefix(out[j].Do[0], users) ||
				!strings.HasPrefix(users, "unset ") && (strings.HasPrefix(out[j].Do[0], "set "+users) || strings.HasPrefix(out[j].Do[0], "unset "+users))) {
				last = j
			}
		}
		if last > i {
			st := out[i]
			copy(out[i:last], out[i+1:last+1])
			out[last] = st
			i--
		}
	}
	return out
}

// bgpInstanceSteps removes a vrouter's BGP instance (`unset vrouter "VR" protocol bgp`) once
// the change deletes every line in it: the instance is shared by the neighbors and goes with
// the last. An instance that still holds lines the model does not describe (a process-level
// hold-time) is left.
func bgpInstanceSteps(dev *device, before, after []flatconf.Entry) []flatconf.Step {
	inBGP := func(e flatconf.Entry, vr string) bool {
		return len(e.Context) == 2 && e.Context[0][1] == vr && e.Context[1][0] == "protocol"
	}
	var vrs []string
	for vr := range dev.bgpAS {
		vrs = append(vrs, vr)
	}
	sort.Strings(vrs)
	var out []flatconf.Step
	for _, vr := range vrs {
		ours := map[string]bool{}
		for _, e := range before {
			if inBGP(e, vr) {
				ours[syntax.Identity(e)] = true
			}
		}
		left := false
		for _, e := range after {
			left = left || inBGP(e, vr)
		}
		for _, e := range dev.entries {
			left = left || inBGP(e, vr) && !ours[syntax.Identity(e)]
		}
		if left || len(ours) == 0 {
			continue
		}
		out = append(out, flatconf.Step{
			Do:   []string{lineOf(flatconf.Entry{Context: [][]string{{"vrouter", vr}}, Words: []string{"protocol", "bgp"}, Negated: true})},
			Undo: []string{lineOf(flatconf.Entry{Context: [][]string{{"vrouter", vr}}, Words: []string{"protocol", "bgp", dev.bgpAS[vr]}})},
		})
	}
	return out
}

// hasVPN reports whether the device has a VPN of that name.
func (d *device) hasVPN(name string) bool {
	for _, e := range d.entries {
		if len(e.Context) == 0 && !e.Negated && len(e.Words) > 2 && e.Words[0] == "vpn" && e.Words[1] == name {
			return true
		}
	}
	return false
}

// interfaceIP is what follows `set interface IF ip` on the device (`169.254.21.1/30`,
// `unnumbered interface ethernet0/0`), "" when the interface has no address; `ip manageable`
// is no address.
func (d *device) interfaceIP(iface string) string {
	for _, e := range d.entries {
		w := e.Words
		if len(e.Context) == 0 && !e.Negated && len(w) > 3 && w[0] == "interface" && strings.EqualFold(w[1], iface) && w[2] == "ip" && w[3] != "manageable" {
			return strings.Join(w[3:], " ")
		}
	}
	return ""
}
