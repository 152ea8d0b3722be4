package junos

import (
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/junos9"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Render returns the lines that turn the device from current into desired: the model is
// rendered to paths before and after the change, both against what the device printed (so
// that shared objects keep the names the device gives them), and setconf.Diff compares them
// with the device's paths. New or changed objects must pass vpn and SRX validation; the whole
// desired configuration must be consistent. Render never panics on any input.
func (j *Junos) Render(current platform.Snapshot, desired *vpn.Config) ([]string, error) {
	device, err := devicePaths(current.Text)
	if err != nil {
		return nil, j.lineError(err)
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
		j.Normalize(o)
		if old := before.Get(o.Kind(), o.Key()); old == nil || !reflect.DeepEqual(j.normalized(old), o) {
			es := append(o.Validate(), j.Validate(o)...)
			if len(es) > 0 {
				return nil, fmt.Errorf("%s %q: %w", o.Kind(), o.Key(), es)
			}
		}
		after.Put(o)
	}
	order := listingOrder(device)
	nb := j.normalizedConfig(before)
	bp, _ := (&renderer{j: j, dev: dev, order: order}).config(nb)
	known := map[string]vpn.Object{}
	for _, t := range before.OfKind(vpn.KindTunnel) {
		known[t.Key()] = t
	}
	ap, err := (&renderer{j: j, dev: dev, order: order, Collector: setconf.Collector{Strict: true}, known: known}).config(after)
	if err != nil {
		return nil, err
	}
	ap = keepReferenced(device, bp, ap)
	ap = keepNamedReferenced(device, bp, ap)
	sch := schema
	if j.flavor == FlavorMX {
		sch = schemaMX
	}
	return setconf.Diff(setconf.Junos, device, bp, ap, sch), nil
}

func (j *Junos) normalized(o vpn.Object) vpn.Object {
	o = vpn.CloneObject(o)
	j.Normalize(o)
	return o
}

func (j *Junos) normalizedConfig(c *vpn.Config) *vpn.Config {
	out := vpn.NewConfig()
	for _, o := range c.Objects() {
		out.Put(j.normalized(o))
	}
	return out
}

// lineError masks secrets in the line of a *setconf.LineError.
func (j *Junos) lineError(err error) error {
	var le *setconf.LineError
	if errors.As(err, &le) {
		c := *le
		c.Line = j.Redact(c.Line)
		return &c
	}
	return err
}

// orderDepth bounds the prefixes listingOrder records: the deepest ordered entry this
// dialect reads (a BGP neighbor in a routing instance) is 7 tokens deep.
const orderDepth = 10

// listingOrder gives every path prefix of the listing, up to orderDepth tokens, the index of
// the first line under it.
func listingOrder(device [][]string) map[string]int {
	out := map[string]int{}
	for i, p := range device {
		for d := 1; d <= len(p) && d <= orderDepth; d++ {
			k := strings.Join(p[:d], "\x00")
			if _, ok := out[k]; !ok {
				out[k] = i
			}
		}
	}
	return out
}

// renderer turns a configuration into paths, reading the device tree where the rendering
// depends on what is there (names of shared objects, the external interface, zones). When
// strict it reports inconsistencies between objects; otherwise it renders what it can.
type renderer struct {
	setconf.Collector
	j      *Junos
	dev    *setconf.Node
	order  map[string]int
	known  map[string]vpn.Object // the tunnels the model read from the device
	picked map[string]string     // base + content -> name picked in this render
	owner  map[string]string     // base + name -> content it was picked for
}

func (r *renderer) config(c *vpn.Config) ([][]string, error) {
	steps := []func(*vpn.Config){r.gateways, r.tunnels, r.staticRoutes, r.sourceRoutes, r.prefixLists, r.bgp}
	if r.j.flavor == FlavorMX {
		steps = []func(*vpn.Config){r.mxGateways, r.mxTunnels, r.staticRoutes, r.prefixLists, r.bgp}
	}
	for _, step := range steps {
		step(c)
	}
	return r.Result()
}

func join(parts ...[]string) []string {
	var p []string
	for _, x := range parts {
		p = append(p, x...)
	}
	return p
}

// leaves returns the leaf paths under n, relative to it.
func leaves(n *setconf.Node) [][]string {
	var out [][]string
	var walk func(n *setconf.Node, prefix []string)
	walk = func(n *setconf.Node, prefix []string) {
		keys := n.Keys()
		if len(keys) == 0 && len(prefix) > 0 {
			out = append(out, append([]string(nil), prefix...))
			return
		}
		for _, k := range keys {
			walk(n.Get(k), append(prefix, k))
		}
	}
	walk(n, nil)
	return out
}

// contentKey is a canonical form of relative paths, with secrets decoded so that the
// device's `$9$` form and the model's plaintext compare equal.
func contentKey(paths [][]string) string {
	s := make([]string, len(paths))
	for i, p := range paths {
		q := make([]string, len(p))
		for k, t := range p {
			if strings.HasPrefix(t, junos9.Prefix) {
				if d, err := junos9.Decode(t); err == nil {
					t = d
				}
			}
			q[k] = t
		}
		s[i] = strings.Join(q, "\x00")
	}
	sort.Strings(s)
	return strings.Join(s, "\n")
}

// pick names the shared object under base (e.g. security ike proposal) whose content is
// want: preferred when the device holds it with exactly that content, else the first device
// entry with that content, else the name already picked for it in this render, else gen
// (gen-2, gen-3, ... when gen holds other content on the device or in this render). It then
// emits the object's paths, with secrets in the form the device holds.
func (r *renderer) pick(base []string, want [][]string, preferred []string, gen string, defaults ...[]string) string {
	key := contentKey(want)
	if r.picked == nil {
		r.picked, r.owner = map[string]string{}, map[string]string{}
	}
	bk := strings.Join(base, "\x00") + "\x00"
	devNode := r.dev.Get(base...)
	matches := func(n string) bool {
		node := devNode.Get(n)
		if node == nil || r.owner[bk+n] != "" && r.owner[bk+n] != key {
			return false
		}
		var have [][]string
		for _, l := range leaves(node) {
			if !containsPath(defaults, l) || containsPath(want, l) {
				have = append(have, l)
			}
		}
		return contentKey(have) == key
	}
	name := ""
	for _, p := range preferred {
		if p != "" && matches(p) {
			name = p
			break
		}
	}
	if name == "" {
		name = r.picked[bk+key]
	}
	if name == "" {
		for _, n := range devNode.Keys() {
			if matches(n) {
				name = n
				break
			}
		}
	}
	if name == "" {
		for i := 1; ; i++ {
			n := gen
			if i > 1 {
				n = gen + "-" + strconv.Itoa(i)
			}
			if o := r.owner[bk+n]; o != "" && o != key || o == "" && devNode.Get(n) != nil {
				continue
			}
			name = n
			break
		}
	}
	if r.picked[bk+key] == "" {
		r.picked[bk+key] = name
	}
	r.owner[bk+name] = key
	root := join(base, []string{name})
	if len(want) == 0 {
		r.Emit(root)
	}
	for _, p := range want {
		r.Emit(root, r.deviceForm(root, p))
	}
	return name
}

// deviceForm returns rel with its last token (a secret) replaced by the form the device
// holds at that place when it stands for the same secret.
func (r *renderer) deviceForm(root, rel []string) []string {
	if len(rel) == 0 {
		return rel
	}
	v := rel[len(rel)-1]
	for _, d := range r.dev.Keys(join(root, rel[:len(rel)-1])...) {
		if d != v && strings.HasPrefix(d, junos9.Prefix) && sameSecret(d, v) {
			return append(rel[:len(rel)-1:len(rel)-1], d)
		}
	}
	return rel
}

// relPaths renders a block into paths relative to its root.
func relPaths[T any](b setconf.Block[T], o *T) [][]string {
	var out [][]string
	b.Render(o, func(parts ...[]string) { out = append(out, join(parts...)) })
	return out
}

// unitPath splits an interface unit (ge-0/0/1.0) into its interface and unit.
func unitPath(name string) (iface, unit string) {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return name, "0"
	}
	return name[:i], name[i+1:]
}

// zoneOf returns the security zone the device puts an interface unit in.
func (r *renderer) zoneOf(unit string) string {
	z := r.dev.Get(zones...)
	for _, name := range z.Keys() {
		if z.Has(name, "interfaces", unit) {
			return name
		}
	}
	return ""
}

// externalInterface returns the interface unit a gateway uses: the one the device names for
// it, else the device option, else the unit holding its local address on the device.
func (r *renderer) externalInterface(g *vpn.IKEGateway) string {
	if v := r.dev.Value(join(ikeGateways, []string{g.Name, "external-interface"})...); v != "" {
		return v
	}
	if r.j.externalInterface != "" {
		return r.j.externalInterface
	}
	if g.LocalAddress == "" {
		return ""
	}
	ifs := r.dev.Get("interfaces")
	for _, name := range ifs.Keys() {
		for _, u := range ifs.Keys(name, "unit") {
			for _, a := range ifs.Keys(name, "unit", u, "family", "inet", "address") {
				if p, err := netip.ParsePrefix(a); err == nil && p.Addr().String() == g.LocalAddress {
					return name + "." + u
				}
			}
		}
	}
	return ""
}

// identity renders an IKE identity: an address as inet, an e-mail form as user-at-hostname,
// anything else as hostname.
func identity(id string) []string {
	switch {
	case vpn.CheckIPv4(id) == "":
		return []string{"inet", id}
	case strings.Contains(id, "@"):
		return []string{"user-at-hostname", id}
	}
	return []string{"hostname", id}
}

func ikeProposalName(p ikeProposal) string {
	n := "ike-" + p.Encryption + "-" + p.Integrity + "-g" + strconv.Itoa(p.DHGroup)
	if p.Lifetime != 0 && p.Lifetime != defaultIKELifetime {
		n += "-" + strconv.Itoa(p.Lifetime)
	}
	return n
}

func espProposalName(p espProposal) string {
	n := "esp-" + p.Encryption + "-" + p.Integrity
	if p.Lifetime != 0 && p.Lifetime != defaultESPLifetime {
		n += "-" + strconv.Itoa(p.Lifetime)
	}
	return n
}

func (r *renderer) gateways(c *vpn.Config) {
	byPeer := map[string]string{}
	for _, o := range c.OfKind(vpn.KindIKEGateway) {
		g := o.(*vpn.IKEGateway)
		if other, dup := byPeer[g.PeerAddress+"\x00"+g.LocalAddress]; dup {
			r.Fail("ike_gateway %q and ike_gateway %q both use peer_address %s from the same local address; SRX cannot tell their IKE sessions apart", other, g.Name, g.PeerAddress)
		}
		byPeer[g.PeerAddress+"\x00"+g.LocalAddress] = g.Name
		gw := join(ikeGateways, []string{g.Name})

		// The proposals, in the order of the model, each found or created by content.
		devPolicy := r.dev.Value(join(gw, []string{"ike-policy"})...)
		devProps := r.dev.Keys(join(ikePolicies, []string{devPolicy, "proposals"})...)
		var names []string
		for i, mp := range g.Proposals {
			p := ikeProposal{IKEProposal: mp, Lifetime: g.Lifetime}
			var pref []string
			if i < len(devProps) {
				pref = []string{devProps[i]}
			}
			names = append(names, r.pick(ikeProposals, relPaths(ikeProposalBlock, &p), append(pref, devProps...), ikeProposalName(p), []string{"lifetime-seconds", strconv.Itoa(defaultIKELifetime)}))
		}
		var pol [][]string
		if g.Mode != "" {
			pol = append(pol, []string{"mode", g.Mode})
		}
		for _, n := range names {
			pol = append(pol, []string{"proposals", n})
		}
		if g.PreSharedKey != "" {
			pol = append(pol, []string{"pre-shared-key", "ascii-text", g.PreSharedKey})
		}
		policy := r.pick(ikePolicies, pol, []string{devPolicy}, g.Name)

		r.Emit(gw, []string{"ike-policy", policy})
		for _, p := range relPaths(gatewayBlock, g) {
			r.Emit(gw, p)
		}
		if g.LocalID != "" {
			r.Emit(gw, []string{"local-identity"}, identity(g.LocalID))
		}
		if g.RemoteID != "" {
			r.Emit(gw, []string{"remote-identity"}, identity(g.RemoteID))
		}
		ext := r.externalInterface(g)
		if ext == "" {
			r.Fail("ike_gateway %q: SRX needs the gateway's external-interface, and the device holds no interface with local_address %q; set local_address to an address of an interface of the device, or the device option %q", g.Name, g.LocalAddress, OptExternalInterface)
			continue
		}
		r.Emit(gw, []string{"external-interface", ext})
		if z := r.zoneOf(ext); z != "" {
			r.Emit(zones, []string{z}, hostInboundIKE)
		} else {
			r.Fail("ike_gateway %q: its external interface %s is in no security zone on the device, so SRX would drop IKE; put the interface in a zone first", g.Name, ext)
		}
	}
}

func (r *renderer) tunnels(c *vpn.Config) {
	byUnit := map[string]string{}
	mss, mssFrom := 0, ""
	for _, o := range c.OfKind(vpn.KindTunnel) {
		t := o.(*vpn.Tunnel)
		if _, ok := c.IKEGateways()[t.Gateway]; !ok {
			r.Fail("vpn_tunnel %q refers to ike_gateway %q, which is not in the configuration", t.Name, t.Gateway)
		}
		if t.Interface == "" {
			r.Fail("vpn_tunnel %q has no tunnel_interface; SRX policy-based VPNs are not supported", t.Name)
			continue
		}
		if other, dup := byUnit[t.Interface]; dup {
			r.Fail("vpn_tunnel %q and vpn_tunnel %q both use tunnel_interface %s", other, t.Name, t.Interface)
		}
		byUnit[t.Interface] = t.Name
		for _, other := range r.dev.Keys(ipsecVPNs...) {
			if other != t.Name && r.known[other] == nil && r.dev.Value(join(ipsecVPNs, []string{other, "bind-interface"})...) == t.Interface {
				r.Fail("vpn_tunnel %q: the device binds %s to another VPN, %s", t.Name, t.Interface, other)
			}
		}
		vp := join(ipsecVPNs, []string{t.Name})

		devPolicy := r.dev.Value(join(vp, []string{"ike", "ipsec-policy"})...)
		devProps := r.dev.Keys(join(espPolicies, []string{devPolicy, "proposals"})...)
		var pol [][]string
		if t.PFSGroup != 0 {
			pol = append(pol, []string{"perfect-forward-secrecy", "keys", "group" + strconv.Itoa(t.PFSGroup)})
		}
		for i, mp := range t.Proposals {
			p := espProposal{IPsecProposal: mp, Lifetime: t.Lifetime}
			var pref []string
			if i < len(devProps) {
				pref = []string{devProps[i]}
			}
			pol = append(pol, []string{"proposals", r.pick(espProposals, relPaths(espProposalBlock, &p), append(pref, devProps...), espProposalName(p), []string{"lifetime-seconds", strconv.Itoa(defaultESPLifetime)})})
		}
		policy := r.pick(espPolicies, pol, []string{devPolicy}, t.Name)

		for _, p := range relPaths(vpnBlock, t) {
			r.Emit(vp, p)
		}
		r.Emit(vp, []string{"ike", "ipsec-policy", policy})
		if t.Monitor != nil {
			if t.Monitor.Destination != "" {
				r.Emit(vp, []string{"vpn-monitor", "destination-ip", t.Monitor.Destination})
			} else {
				r.Emit(vp, []string{"vpn-monitor"})
			}
		}
		r.selectors(vp, t)

		iface, unit := unitPath(t.Interface)
		if iface != "st0" {
			r.Fail("vpn_tunnel %q: tunnel_interface %s is not an st0 unit", t.Name, t.Interface)
			continue
		}
		up := []string{"interfaces", "st0", "unit", unit}
		if r.Strict && t.Address == "" && r.known[t.Key()] == nil && !r.knownUnit(t.Interface) {
			// a new tunnel on a unit the device already addresses: the read-back would hold
			// an address the configuration does not, and removing it is not ours to decide
			if addrs := r.dev.Keys(join(up, []string{"family", "inet", "address"})...); len(addrs) > 0 {
				r.Fail("vpn_tunnel %q: %s already has the address %s on the device; set tunnel_interface_address to it, or remove it from the device first", t.Name, t.Interface, addrs[0])
				continue
			}
		}
		rel := relPaths(unitBlock, t)
		hasInet := false
		for _, p := range rel {
			hasInet = hasInet || len(p) > 1 && p[0] == "family"
			r.Emit(up, p)
		}
		if !hasInet {
			r.Emit(up, []string{"family", "inet"})
		}
		if t.Zone != "" {
			r.Emit(zones, []string{t.Zone, "interfaces", t.Interface})
		}
		if t.TCPMSS != 0 {
			if mss != 0 && mss != t.TCPMSS {
				r.Fail("vpn_tunnel %q sets tcp_mss %d but vpn_tunnel %q sets %d; SRX has one security flow tcp-mss ipsec-vpn mss for all VPNs", mssFrom, mss, t.Name, t.TCPMSS)
			}
			if mss == 0 {
				mss, mssFrom = t.TCPMSS, t.Name
			}
		}
	}
	if mss != 0 {
		r.Emit(tcpMSS, []string{strconv.Itoa(mss)})
	}
}

// knownUnit reports whether a tunnel of the configuration before the change is bound to unit
// (its address then goes, or stays, with that tunnel's rendering).
func (r *renderer) knownUnit(unit string) bool {
	for _, o := range r.known {
		if t, ok := o.(*vpn.Tunnel); ok && t.Interface == unit {
			return true
		}
	}
	return false
}

// selectors renders a tunnel's traffic selectors: as the VPN's proxy-identity when it has
// one selector and the device already uses proxy-identity for it, else one traffic-selector
// each, keeping the device's names for selectors it has and naming new ones ts-N.
func (r *renderer) selectors(vp []string, t *vpn.Tunnel) {
	if len(t.Selectors) == 0 {
		return
	}
	if len(t.Selectors) == 1 && r.dev.Has(join(vp, []string{"ike", "proxy-identity"})...) {
		s := t.Selectors[0]
		pi := join(vp, []string{"ike", "proxy-identity"})
		r.Emit(pi, []string{"local", s.Local})
		r.Emit(pi, []string{"remote", s.Remote})
		r.Emit(pi, []string{"service", "any"})
		return
	}
	devTS := r.dev.Get(join(vp, []string{"traffic-selector"})...)
	used := map[string]bool{}
	names := make([]string, len(t.Selectors))
	for i, s := range t.Selectors {
		for _, n := range devTS.Keys() {
			if !used[n] && devTS.Value(n, "local-ip") == s.Local && devTS.Value(n, "remote-ip") == s.Remote {
				names[i], used[n] = n, true
				break
			}
		}
	}
	next := 1
	for i := range t.Selectors {
		if names[i] != "" {
			continue
		}
		for used["ts-"+strconv.Itoa(next)] || devTS.Has("ts-"+strconv.Itoa(next)) {
			next++
		}
		names[i] = "ts-" + strconv.Itoa(next)
		used[names[i]] = true
	}
	for i, s := range t.Selectors {
		ts := join(vp, []string{"traffic-selector", names[i]})
		r.Emit(ts, []string{"local-ip", s.Local})
		r.Emit(ts, []string{"remote-ip", s.Remote})
	}
}

// instancePrefix is the path of a routing instance's configuration ("" = the default one).
func instancePrefix(ri string) []string {
	if ri == "" {
		return nil
	}
	return []string{"routing-instances", ri}
}

func (r *renderer) staticRoutes(c *vpn.Config) {
	for _, o := range c.OfKind(vpn.KindStaticRoute) {
		s := o.(*vpn.StaticRoute)
		rt := join(instancePrefix(s.RoutingInstance), []string{"routing-options", "static", "route", s.Destination})
		target := s.Interface
		if target == "" {
			target = s.NextHop
		}
		r.Emit(rt, []string{"next-hop", target})
		if s.Distance != 0 {
			r.Emit(rt, []string{"preference", strconv.Itoa(s.Distance)})
		}
	}
}

// sanitize makes an interface name or address usable in a generated name.
func sanitize(s string) string {
	return strings.NewReplacer("/", "-", ".", "-", ":", "-").Replace(s)
}

func (r *renderer) sourceRoutes(c *vpn.Config) {
	type filter struct {
		name  string
		terms []string // in render order
	}
	var order []string
	byFilter := map[string]*filter{}
	instancesUsed := []string{}
	bindings := map[string]*vpn.SourceRoute{}
	for _, o := range c.OfKind(vpn.KindSourceRoute) {
		s := o.(*vpn.SourceRoute)
		target := s.Interface
		if target == "" {
			target = s.NextHop
		}
		dest := s.Destination
		if dest == "" {
			dest = anyPrefix
		}
		fp := join(filters, []string{s.Ruleset})
		devTerms := r.dev.Get(join(fp, []string{"term"})...)
		// The term the device has for this source and destination, if any.
		term, devInstance := "", ""
		for _, tn := range devTerms.Keys() {
			tnode := devTerms.Get(tn)
			if tnode.Value("from", "source-address") == s.Source && tnode.Value("from", "destination-address") == s.Destination && len(tnode.Keys("from", "source-address")) == 1 {
				term, devInstance = tn, tnode.Value("then", "routing-instance")
				break
			}
		}
		if term == "" {
			term = "sr-" + s.Source
			if s.Destination != "" {
				term += "-to-" + s.Destination
			}
		}
		inst := r.pick(instances, [][]string{
			{"instance-type", "forwarding"},
			{"routing-options", "static", "route", dest, "next-hop", target},
		}, []string{devInstance}, "fbf-"+sanitize(target))
		instancesUsed = append(instancesUsed, inst)
		tp := join(fp, []string{"term", term})
		r.Emit(tp, []string{"from", "source-address", s.Source})
		if s.Destination != "" {
			r.Emit(tp, []string{"from", "destination-address", s.Destination})
		}
		r.Emit(tp, []string{"then", "routing-instance", inst})
		f := byFilter[s.Ruleset]
		if f == nil {
			f = &filter{name: s.Ruleset}
			byFilter[s.Ruleset] = f
			order = append(order, s.Ruleset)
		}
		f.terms = append(f.terms, term)
		if s.IngressInterface != "" {
			if other, ok := bindings[s.IngressInterface]; ok && other.Ruleset != s.Ruleset {
				r.Fail("source_route %q and source_route %q apply different filters (%s, %s) to ingress_interface %s; a Junos unit has one input filter", other.Key(), s.Key(), other.Ruleset, s.Ruleset, s.IngressInterface)
			}
			bindings[s.IngressInterface] = s
			iface, unit := unitPath(s.IngressInterface)
			r.Emit([]string{"interfaces", iface, "unit", unit, "family", "inet", "filter", "input", s.Ruleset})
		}
	}
	for _, name := range order {
		f := byFilter[name]
		fp := join(filters, []string{name})
		// The filter's last term accepts everything else: without it the filter would drop
		// all other traffic of the ingress interface. The device's own accept-all term is kept.
		accept := defaultAcceptTerm
		devTerms := r.dev.Get(join(fp, []string{"term"})...)
		for _, tn := range devTerms.Keys() {
			if l := leaves(devTerms.Get(tn)); len(l) == 1 && reflect.DeepEqual(l[0], []string{"then", "accept"}) {
				accept = tn
			}
		}
		// The terms in the device's order where it has them, new ones after them.
		sort.SliceStable(f.terms, func(a, b int) bool {
			pa, oka := r.order[strings.Join(join(fp, []string{"term", f.terms[a]}), "\x00")]
			pb, okb := r.order[strings.Join(join(fp, []string{"term", f.terms[b]}), "\x00")]
			return oka && (!okb || pa < pb)
		})
		var ordered [][]string
		for _, p := range r.Paths() {
			if len(p) > len(fp)+1 && reflect.DeepEqual(p[:len(fp)], fp) && p[len(fp)] == "term" {
				continue
			}
			ordered = append(ordered, p)
		}
		// Re-emit the filter's terms in order, the accept term last.
		termPaths := map[string][][]string{}
		for _, p := range r.Paths() {
			if len(p) > len(fp)+1 && reflect.DeepEqual(p[:len(fp)], fp) && p[len(fp)] == "term" {
				termPaths[p[len(fp)+1]] = append(termPaths[p[len(fp)+1]], p)
			}
		}
		for _, tn := range f.terms {
			ordered = append(ordered, termPaths[tn]...)
		}
		r.SetPaths(ordered)
		r.Emit(join(fp, []string{"term", accept, "then", "accept"}))
	}
	if len(instancesUsed) > 0 {
		rg := r.dev.Value(ifRibGroup...)
		if rg == "" {
			rg = defaultRibGroup
		}
		r.Emit(ifRibGroup, []string{rg})
		r.Emit(ribGroups, []string{rg, "import-rib", "inet.0"})
		sort.Strings(instancesUsed)
		for _, i := range instancesUsed {
			r.Emit(ribGroups, []string{rg, "import-rib", i + ".inet.0"})
		}
	}
}

func (r *renderer) prefixLists(c *vpn.Config) {
	for _, o := range c.OfKind(vpn.KindPrefixList) {
		pl := o.(*vpn.PrefixList)
		root := join(prefixLists, []string{pl.Name})
		if len(pl.Rules) == 0 {
			r.Emit(root)
		}
		for _, rule := range pl.Rules {
			r.Emit(root, []string{rule.Prefix})
		}
	}
}

// acceptPolicy finds or creates the policy statement that accepts the routes of prefix list
// pl and rejects the others: term 1 from prefix-list <pl> then accept, term 2 then reject.
// preferred is the policy the device applies at that place now.
func (r *renderer) acceptPolicy(pl string, preferred []string) string {
	shape := func(name string) bool {
		n := r.dev.Get(join(policies, []string{name})...)
		terms := n.Keys("term")
		if len(terms) != 2 || len(leaves(n)) != 3 {
			return false
		}
		// The device's order of the two terms.
		a, b := terms[0], terms[1]
		if r.order[strings.Join(join(policies, []string{name, "term", b}), "\x00")] < r.order[strings.Join(join(policies, []string{name, "term", a}), "\x00")] {
			a, b = b, a
		}
		return n.Value("term", a, "from", "prefix-list") == pl && n.Has("term", a, "then", "accept") &&
			len(leaves(n.Get("term", a))) == 2 && n.Has("term", b, "then", "reject")
	}
	name := ""
	for _, p := range preferred {
		if p != "" && shape(p) {
			name = p
			break
		}
	}
	if name == "" {
		for _, n := range r.dev.Keys(policies...) {
			if shape(n) {
				name = n
				break
			}
		}
	}
	first, second := "1", "2"
	if name == "" {
		name = "accept-" + pl
		for i := 2; r.dev.Has(join(policies, []string{name})...) && !shape(name); i++ {
			name = "accept-" + pl + "-" + strconv.Itoa(i)
		}
	}
	if shape(name) {
		n := r.dev.Get(join(policies, []string{name})...)
		for _, t := range n.Keys("term") {
			if n.Has("term", t, "then", "reject") {
				second = t
			} else {
				first = t
			}
		}
	}
	p := join(policies, []string{name, "term"})
	r.Emit(p, []string{first, "from", "prefix-list", pl})
	r.Emit(p, []string{first, "then", "accept"})
	r.Emit(p, []string{second, "then", "reject"})
	return name
}

// bgp renders each neighbor in its group: the device's group for it, else a group of its own
// named vpn-<address>. A setting the device holds at the group level (and not on the
// neighbor) with the value wanted stays there; the others are the neighbor's.
func (r *renderer) bgp(c *vpn.Config) {
	procAS := map[string]int64{}
	routerID := map[string]string{}
	idFrom := map[string]string{}
	defer func() {
		ris := make([]string, 0, len(routerID))
		for ri := range routerID {
			ris = append(ris, ri)
		}
		sort.Strings(ris)
		for _, ri := range ris {
			r.Emit(join(instancePrefix(ri), []string{"routing-options", "router-id", routerID[ri]}))
		}
	}()
	for _, o := range c.OfKind(vpn.KindBGPNeighbor) {
		n := o.(*vpn.BGPNeighbor)
		ip := instancePrefix(n.RoutingInstance)
		ro := join(ip, []string{"routing-options"})
		as, ok := procAS[n.RoutingInstance]
		if !ok {
			as, _ = strconv.ParseInt(r.dev.Value(join(ro, []string{"autonomous-system"})...), 10, 64)
			if as == 0 {
				as = n.LocalAS
			}
			procAS[n.RoutingInstance] = as
			r.Emit(ro, []string{"autonomous-system", strconv.FormatInt(as, 10)})
		}
		if n.RouterID != "" {
			// Neighbors read from the device carry the instance's router id: a value other
			// than the device's is a change, and two changes must agree.
			current := r.dev.Value(join(ro, []string{"router-id"})...)
			id := routerID[n.RoutingInstance]
			switch {
			case id == "" || id == current && n.RouterID != current:
				routerID[n.RoutingInstance], idFrom[n.RoutingInstance] = n.RouterID, n.Address
			case n.RouterID != id && n.RouterID != current:
				r.Fail("bgp_neighbor %q sets router_id %s but bgp_neighbor %q sets %s; one BGP process has one router id", n.Address, n.RouterID, idFrom[n.RoutingInstance], id)
			}
		}
		bgp := join(ip, []string{"protocols", "bgp", "group"})
		group := ""
		for _, g := range r.dev.Keys(bgp...) {
			if r.dev.Has(join(bgp, []string{g, "neighbor", n.Address})...) {
				group = g
				break
			}
		}
		if group == "" {
			group = "vpn-" + n.Address
		}
		gp := join(bgp, []string{group})
		np := join(gp, []string{"neighbor", n.Address})
		typ := "external"
		if n.RemoteAS == n.LocalAS {
			typ = "internal"
		}
		r.Emit(gp, []string{"type", typ})
		// Fields: (path without value, value); value "" for a presence leaf.
		type field struct {
			path  []string
			value string
		}
		var fs []field
		add := func(v string, path ...string) { fs = append(fs, field{path, v}) }
		if n.RemoteAS != 0 {
			add(strconv.FormatInt(n.RemoteAS, 10), "peer-as")
		}
		if n.LocalAS != as {
			add(strconv.FormatInt(n.LocalAS, 10), "local-as")
		}
		if n.UpdateSource != "" {
			add(n.UpdateSource, "local-address")
		}
		if n.EBGPMultihop != 0 {
			add(strconv.Itoa(n.EBGPMultihop), "multihop", "ttl")
		}
		if n.HoldTime != 0 {
			add(strconv.Itoa(n.HoldTime), "hold-time")
		}
		devImport := r.dev.Value(join(np, []string{"import"})...)
		if devImport == "" {
			devImport = r.dev.Value(join(gp, []string{"import"})...)
		}
		devExport := r.dev.Value(join(np, []string{"export"})...)
		if devExport == "" {
			devExport = r.dev.Value(join(gp, []string{"export"})...)
		}
		if n.PrefixListIn != "" {
			add(r.acceptPolicy(n.PrefixListIn, []string{devImport}), "import")
		}
		if n.PrefixListOut != "" {
			add(r.acceptPolicy(n.PrefixListOut, []string{devExport}), "export")
		}
		if n.Password != "" {
			add(n.Password, "authentication-key")
		}
		if n.Description != "" {
			add(n.Description, "description")
		}
		if n.SoftReconfigIn {
			add("", "keep", "all")
		}
		// A setting the group holds for all its neighbors cannot be taken away from one of
		// them: it would come back on the next read.
		for _, inherited := range [][]string{{"peer-as"}, {"local-as"}, {"local-address"}, {"multihop"}, {"hold-time"}, {"import"}, {"export"}, {"authentication-key"}, {"description"}, {"keep"}} {
			wanted := false
			for _, f := range fs {
				wanted = wanted || f.path[0] == inherited[0]
			}
			if !wanted && r.dev.Has(join(gp, inherited)...) && !r.dev.Has(join(np, inherited)...) {
				r.Fail("bgp_neighbor %q: its group %s on the device sets %s for all its neighbors, so the neighbor cannot go without it; set it on the neighbor, or change the group on the device", n.Address, group, inherited[0])
			}
		}
		for _, f := range fs {
			rel := f.path
			if f.value != "" {
				rel = join(f.path, []string{f.value})
			}
			onGroup := r.dev.Has(join(gp, rel)...) && !r.dev.Has(join(np, f.path)...)
			if f.value != "" && !onGroup {
				// A `$9$` form of the same secret on the group counts as the same value.
				for _, d := range r.dev.Keys(join(gp, f.path)...) {
					if strings.HasPrefix(d, junos9.Prefix) && sameSecret(d, f.value) && !r.dev.Has(join(np, f.path)...) {
						onGroup = true
					}
				}
			}
			if onGroup {
				r.Emit(gp, r.deviceForm(gp, rel))
			} else {
				r.Emit(np, r.deviceForm(np, rel))
			}
		}
		if !r.Emitted(np) {
			hasOwn := false
			for _, p := range r.Paths() {
				hasOwn = hasOwn || len(p) > len(np) && reflect.DeepEqual(p[:len(np)], np)
			}
			if !hasOwn {
				r.Emit(np)
			}
		}
		// BGP over a tunnel: the tunnel's zone accepts BGP.
		if a, err := netip.ParseAddr(n.Address); err == nil {
			modelUnits := map[string]bool{}
			for _, to := range c.OfKind(vpn.KindTunnel) {
				t := to.(*vpn.Tunnel)
				modelUnits[t.Interface] = true
				if pfx, err := netip.ParsePrefix(t.Address); err == nil && t.Zone != "" && pfx.Contains(a) {
					r.Emit(zones, []string{t.Zone}, hostInboundBGP)
				}
			}
			// an st0 unit configured on the device outside the model: its zone, as the
			// device has it
			for _, u := range r.dev.Keys("interfaces", "st0", "unit") {
				if modelUnits["st0."+u] {
					continue
				}
				for _, addr := range r.dev.Keys("interfaces", "st0", "unit", u, "family", "inet", "address") {
					if pfx, err := netip.ParsePrefix(addr); err == nil && pfx.Contains(a) {
						if z := r.zoneOf("st0." + u); z != "" {
							r.Emit(zones, []string{z}, hostInboundBGP)
						}
					}
				}
			}
		}
	}
}

func containsPath(list [][]string, p []string) bool {
	for _, q := range list {
		if reflect.DeepEqual(q, p) {
			return true
		}
	}
	return false
}

// keepReferenced keeps a policy statement that the change would remove with its last BGP
// neighbor when the device still applies it elsewhere (another protocol's import or export,
// a group this provider does not render): removing it would leave a dangling reference.
func keepReferenced(device, before, after [][]string) [][]string {
	key := func(p []string) string { return strings.Join(p, "\x00") }
	rendered := map[string]bool{}
	for _, p := range before {
		rendered[key(p)] = true
	}
	for _, p := range after {
		rendered[key(p)] = true
	}
	kept := map[string]bool{}
	for _, p := range after {
		if len(p) > 2 && p[0] == "policy-options" && p[1] == "policy-statement" {
			kept[p[2]] = true
		}
	}
	removed := map[string]bool{}
	for _, p := range before {
		if len(p) > 2 && p[0] == "policy-options" && p[1] == "policy-statement" && !kept[p[2]] {
			removed[p[2]] = true
		}
	}
	if len(removed) == 0 {
		return after
	}
	used := map[string]bool{}
	for _, d := range device {
		n := len(d)
		if n >= 2 && (d[n-2] == "import" || d[n-2] == "export") && removed[d[n-1]] && !rendered[key(d)] {
			used[d[n-1]] = true
		}
	}
	for _, p := range before {
		if len(p) > 2 && p[0] == "policy-options" && p[1] == "policy-statement" && used[p[2]] {
			after = append(after, p)
		}
	}
	return after
}

// namedRefs are the shared named objects a change may remove with their last model user, each
// with the keyword that names it where the device uses it (`then dynamic ike-policy <P>` in
// a rule, `client * ike ike-policy <P>` in an access profile, `ike-policy <P>` of an SRX
// gateway, `proposals <P>` of a policy).
var namedRefs = []struct {
	root    []string
	keyword string
}{
	{[]string{"services", "ipsec-vpn", "ike", "policy"}, "ike-policy"},
	{[]string{"services", "ipsec-vpn", "ipsec", "policy"}, "ipsec-policy"},
	{[]string{"security", "ike", "policy"}, "ike-policy"},
	{[]string{"security", "ipsec", "policy"}, "ipsec-policy"},
	// proposals last: a policy kept above keeps its proposals
	{[]string{"services", "ipsec-vpn", "ike", "proposal"}, "proposals"},
	{[]string{"services", "ipsec-vpn", "ipsec", "proposal"}, "proposals"},
	{[]string{"security", "ike", "proposal"}, "proposals"},
	{[]string{"security", "ipsec", "proposal"}, "proposals"},
}

// keepNamedReferenced keeps a shared IKE/IPsec policy or proposal that the change would remove
// with its last modelled user when the device still uses it elsewhere (a rule, an access
// profile or a gateway this provider does not render, or a policy kept for that reason):
// removing it would leave a dangling reference that commit check refuses.
func keepNamedReferenced(device, before, after [][]string) [][]string {
	key := func(p []string) string { return strings.Join(p, "\x00") }
	under := func(p, root []string) (string, bool) {
		if len(p) > len(root) && reflect.DeepEqual(p[:len(root)], root) {
			return p[len(root)], true
		}
		return "", false
	}
	rendered := map[string]bool{}
	for _, p := range before {
		rendered[key(p)] = true
	}
	for _, r := range namedRefs {
		kept := map[string]bool{}
		for _, p := range after {
			if n, ok := under(p, r.root); ok {
				kept[n] = true
			}
		}
		removed := map[string]bool{}
		for _, p := range before {
			if n, ok := under(p, r.root); ok && !kept[n] {
				removed[n] = true
			}
		}
		if len(removed) == 0 {
			continue
		}
		used := map[string]bool{}
		refers := func(d []string) {
			if n := len(d); n >= 2 && d[n-2] == r.keyword && removed[d[n-1]] {
				used[d[n-1]] = true
			}
		}
		for _, d := range device {
			if !rendered[key(d)] {
				refers(d)
			}
		}
		for _, d := range after {
			refers(d)
		}
		for _, p := range before {
			if n, ok := under(p, r.root); ok && used[n] {
				after = append(after, p)
			}
		}
	}
	return after
}
