package rtx

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

// deviceState is what rendering needs to know of the device beyond the model: the IPsec
// policy id each tunnel block already uses (kept, so that an imported tunnel is not
// renumbered), the gateway segments of `ip route` lines the model does not manage (kept on
// the line), the options of `bgp neighbor` lines the model does not manage, and which
// tunnel blocks and ip filters exist at all.
type deviceState struct {
	policyOf     map[int]int         // tunnel number -> ipsec tunnel policy id
	routeExtra   map[string][]string // ip route destination word -> unmanaged gateway segments
	neighborOpts map[int][]string    // neighbor number -> unmanaged options
	tunnels      map[int]bool        // tunnel blocks with lines
	filters      map[int]bool        // ip filter numbers
	policies     map[int]bool        // ipsec sa policy ids
	entries      []flatconf.Entry    // the listing, negated lines left out
	keys         map[string]bool     // keyString of every listed line
}

func newDeviceState(entries []flatconf.Entry) *deviceState {
	st := &deviceState{policyOf: map[int]int{}, routeExtra: map[string][]string{}, neighborOpts: map[int][]string{}, tunnels: map[int]bool{}, filters: map[int]bool{}, policies: map[int]bool{}}
	st.keys = map[string]bool{}
	for _, e := range entries {
		if e.Negated {
			continue
		}
		st.entries = append(st.entries, e)
		st.keys[keyString(e)] = true
		w := e.Words
		if n, ok := tunnelOf(e.Context); ok {
			st.tunnels[n] = true
			if len(w) == 3 && w[0] == "ipsec" && w[1] == "tunnel" {
				if p, err := strconv.Atoi(w[2]); err == nil {
					st.policyOf[n] = p
				}
			}
			continue
		}
		switch {
		case len(w) > 4 && w[0] == "ipsec" && w[1] == "sa" && w[2] == "policy":
			if n, err := strconv.Atoi(w[3]); err == nil {
				st.policies[n] = true
			}
		case len(w) > 2 && w[0] == "ip" && w[1] == "filter":
			if n, err := strconv.Atoi(w[2]); err == nil {
				st.filters[n] = true
			}
		case len(w) > 4 && w[0] == "ip" && w[1] == "route":
			r := splitRoute(w)
			st.routeExtra[w[2]] = r.extra
		case len(w) > 4 && w[0] == "bgp" && w[1] == "neighbor" && w[2] != "pre-shared-key":
			if n, err := strconv.Atoi(w[2]); err == nil {
				_, extra := neighborOptions(w[5:])
				st.neighborOpts[n] = extra
			}
		}
	}
	return st
}

// tunnelOf returns N of a `tunnel select N` context.
func tunnelOf(ctx [][]string) (int, bool) {
	if len(ctx) != 1 || len(ctx[0]) != 3 {
		return 0, false
	}
	n, err := strconv.Atoi(ctx[0][2])
	return n, err == nil
}

func tunnelCtx(n int) [][]string { return [][]string{{"tunnel", "select", strconv.Itoa(n)}} }

// renderer collects entries in the device's order.
type renderer struct {
	cfg *vpn.Config
	dev *deviceState
	out []flatconf.Entry
	err vpn.Errors
}

func (r *renderer) add(ctx [][]string, words ...string) {
	r.out = append(r.out, flatconf.Entry{Context: ctx, Words: words})
}

func (r *renderer) fail(o vpn.Object, field, format string, args ...any) {
	r.err = append(r.err, vpn.FieldError{Field: fmt.Sprintf("%s %q: %s", o.Kind(), o.Key(), field), Message: fmt.Sprintf(format, args...)})
}

func itoa(n int) string { return strconv.Itoa(n) }

// gatewaysByNumber returns the gateways sorted by number.
func gatewaysByNumber(cfg *vpn.Config) []*vpn.IKEGateway {
	var out []*vpn.IKEGateway
	for _, g := range cfg.IKEGateways() {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

func tunnelsByNumber(cfg *vpn.Config) []*vpn.Tunnel {
	var out []*vpn.Tunnel
	for _, t := range cfg.Tunnels() {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

// entries renders the whole model in the order `show config` lists it (with the global IPsec
// lines at the top level, where they are typed): names, gateways and their policies, tunnel
// blocks, filters, routes, BGP.
func (r *renderer) entries() ([]flatconf.Entry, error) {
	cfg := r.cfg
	gws := gatewaysByNumber(cfg)
	tuns := tunnelsByNumber(cfg)
	gwByName := map[string]*vpn.IKEGateway{}
	for _, g := range gws {
		gwByName[g.Name] = g
	}
	tunOfGw := map[int]*vpn.Tunnel{}
	for _, t := range tuns {
		g := gwByName[t.Gateway]
		if g == nil {
			r.fail(t, "ike_gateway", "names gateway %q, which is not on the device", t.Gateway)
			continue
		}
		if o := tunOfGw[g.Number]; o != nil {
			r.fail(t, "ike_gateway", "gateway %q already carries tunnel %q: an RTX security gateway holds one tunnel's SA settings (ipsec ike pfs, duration ipsec-sa)", t.Gateway, o.Name)
			continue
		}
		tunOfGw[g.Number] = t
	}
	lists := prefixListsByNumber(cfg)

	// Names.
	for _, g := range gws {
		if r.needsName(g.Name, "gateway", g.Number, g.Description, nil, "description", itoa(gatewayDescriptionBase+g.Number)) {
			r.add(nil, "description", itoa(gatewayDescriptionBase+g.Number), joinName(g.Name, g.Description))
		}
	}
	for _, p := range lists {
		if r.needsName(p.Name, "bgp-filter", p.Number, p.Description, nil, "description", itoa(prefixListDescriptionBase+p.Number)) {
			r.add(nil, "description", itoa(prefixListDescriptionBase+p.Number), joinName(p.Name, p.Description))
		}
	}
	// Gateways.
	refresh := false
	for _, g := range gws {
		r.gateway(g, tunOfGw[g.Number])
		refresh = refresh || g.ConnectionType == "initiate"
	}
	policies := map[int]int{}
	for _, t := range tuns {
		g := gwByName[t.Gateway]
		if g == nil {
			continue
		}
		pol := t.Number
		if p, ok := r.dev.policyOf[t.Number]; ok {
			pol = p
		}
		policies[t.Number] = pol
		words := []string{"ipsec", "sa", "policy", itoa(pol), itoa(g.Number), "esp"}
		if len(t.Proposals) > 0 {
			pr := t.Proposals[0]
			switch {
			case pr.Integrity != "":
				words = append(words, espEncryption[pr.Encryption], espHash[pr.Integrity])
			case pr.Encryption != defaultESP:
				words = append(words, espEncryption[pr.Encryption])
			default:
				// `esp` alone: aes-cbc and no authentication algorithm, the defaults of
				// command reference 15.48.2, as seed 001 types it.
			}
		}
		if t.AntiReplay != nil {
			words = append(words, "anti-replay-check="+onOff(*t.AntiReplay))
		}
		r.add(nil, words...)
	}
	if refresh {
		r.add(nil, "ipsec", "auto", "refresh", "on")
	}
	// Tunnel blocks.
	for _, t := range tuns {
		if gwByName[t.Gateway] == nil {
			continue
		}
		ctx := tunnelCtx(t.Number)
		if r.needsName(t.Name, "tunnel", t.Number, t.Description, ctx, "description", "tunnel") {
			r.add(ctx, "description", "tunnel", joinName(t.Name, t.Description))
		}
		r.add(ctx, "ipsec", "tunnel", itoa(policies[t.Number]))
		if t.DFBit != "" {
			r.add(ctx, "ipsec", "tunnel", "outer", "df-bit", t.DFBit)
		}
		if t.Address != "" {
			r.add(ctx, "ip", "tunnel", "address", t.Address)
		}
		if t.MTU != 0 {
			r.add(ctx, "ip", "tunnel", "mtu", itoa(t.MTU))
		}
		if t.TCPMSS != 0 {
			r.add(ctx, "ip", "tunnel", "tcp", "mss", "limit", itoa(t.TCPMSS))
		}
		r.add(ctx, "tunnel", "enable", itoa(t.Number))
	}
	r.routes()
	r.bgp(lists)
	r.carry(gws, tuns)
	if len(r.err) > 0 {
		return nil, r.err
	}
	return r.out, nil
}

// carry adds the device's lines of each gateway and tunnel block in cfg that the model does
// not manage (`ipsec ike keepalive log`, `ip tunnel remote address`, `tunnel encapsulation`,
// ...): they stay as they are while the object exists, and are removed with it.
func (r *renderer) carry(gws []*vpn.IKEGateway, tuns []*vpn.Tunnel) {
	done := map[string]bool{}
	for _, e := range r.out {
		done[keyString(e)] = true
	}
	gw := map[string]bool{}
	for _, g := range gws {
		gw[itoa(g.Number)] = true
	}
	tun := map[int]bool{}
	for _, t := range tuns {
		tun[t.Number] = true
	}
	for _, e := range r.dev.entries {
		k := keyString(e)
		if done[k] || managedKey(e) {
			continue
		}
		if n, ok := tunnelOf(e.Context); ok && tun[n] || gw[gatewayOf(e)] {
			done[k] = true
			r.out = append(r.out, flatconf.Entry{Context: e.Context, Words: e.Words})
		}
	}
}

// managedKey reports whether the model renders lines with e's key (so a device line of that
// key that the model did not render is to be removed, not carried).
func managedKey(e flatconf.Entry) bool {
	k := strings.Join(keyOf(e), " ")
	if len(e.Context) > 0 {
		for _, m := range []string{"description tunnel", "ipsec tunnel", "ipsec tunnel outer df-bit", "ip tunnel address", "ip tunnel mtu", "ip tunnel tcp mss limit", "tunnel enable"} {
			if k == m || strings.HasPrefix(k, m+" ") && m == "tunnel enable" {
				return true
			}
		}
		return false
	}
	if g := gatewayOf(e); g != "" {
		k = strings.TrimSuffix(k, " "+g)
		switch k {
		case "ipsec ike version", "ipsec ike encryption", "ipsec ike hash", "ipsec ike group",
			"ipsec ike duration isakmp-sa", "ipsec ike duration ike-sa", "ipsec ike duration ipsec-sa",
			"ipsec ike keepalive use", "ipsec ike local address", "ipsec ike local name", "ipsec ike nat-traversal",
			"ipsec ike pfs", "ipsec ike pre-shared-key", "ipsec ike remote address", "ipsec ike remote name",
			"ipsec ike proposal-limitation", "ipsec ike message-id-control", "ipsec ike child-exchange type":
			return true
		}
		return strings.HasPrefix(k, "ipsec auto refresh")
	}
	return true
}

// listed reports whether the device lists a line with the words' key at the top level.
func (r *renderer) listed(words ...string) bool {
	return r.dev.keys[keyString(flatconf.Entry{Words: words})]
}

// needsName reports whether an object's name needs its description line: not when the name
// is the one an object without that line reads back as (gatewayN, tunnelN, bgp-filterN) and
// there is no description, unless the device lists the line already. So an object
// configured by hand and imported under that name is not given a line it never had.
func (r *renderer) needsName(name, prefix string, n int, desc string, ctx [][]string, key ...string) bool {
	if name != prefix+itoa(n) || desc != "" {
		return true
	}
	return r.dev.keys[keyString(flatconf.Entry{Context: ctx, Words: key})]
}

// listedExactly reports whether the device lists exactly these words at the top level.
func (r *renderer) listedExactly(words ...string) bool {
	for _, e := range r.dev.entries {
		if len(e.Context) == 0 && reflect.DeepEqual(e.Words, words) {
			return true
		}
	}
	return false
}

// joinName is the text of a name description: the name, then the description if any.
func joinName(name, desc string) string {
	if desc == "" {
		return name
	}
	return name + " " + desc
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// gateway renders one security gateway and the gateway-keyed settings of its tunnel t (nil
// when it has none yet).
func (r *renderer) gateway(g *vpn.IKEGateway, t *vpn.Tunnel) {
	n := itoa(g.Number)
	ike := func(words ...string) { r.add(nil, append([]string{"ipsec", "ike"}, words...)...) }
	if g.IKEVersion == 2 || r.listed("ipsec", "ike", "version", n) {
		ike("version", n, itoa(g.IKEVersion))
	}
	if len(g.Proposals) > 0 {
		// Values at the device's defaults are not listed, so not typed either.
		p := g.Proposals[0]
		// A default the device lists explicitly is typed explicitly, so that it changes in
		// place and goes with the gateway.
		if p.Encryption != defaultProposal.Encryption || r.listed("ipsec", "ike", "encryption", n) {
			ike("encryption", n, ikeEncryption[p.Encryption])
		}
		if p.Integrity != defaultProposal.Integrity || r.listed("ipsec", "ike", "hash", n) {
			ike("hash", n, ikeHash[p.Integrity])
		}
		group := []string{"group", n, dhGroups[p.DHGroup]}
		if t != nil && t.PFSGroup != 0 && t.PFSGroup != p.DHGroup {
			group = append(group, dhGroups[t.PFSGroup])
		}
		if len(group) > 3 || p.DHGroup != defaultProposal.DHGroup || r.listed("ipsec", "ike", "group", n) {
			ike(group...)
		}
	}
	sa := "isakmp-sa"
	if g.IKEVersion == 2 {
		sa = "ike-sa"
	}
	if g.Lifetime != 0 && (g.Lifetime != defaultDuration || r.listed("ipsec", "ike", "duration", sa, n)) {
		ike("duration", sa, n, itoa(g.Lifetime))
	}
	if t != nil && t.Lifetime != 0 && (t.Lifetime != defaultDuration || r.listed("ipsec", "ike", "duration", "ipsec-sa", n)) {
		ike("duration", "ipsec-sa", n, itoa(t.Lifetime))
	}
	if g.Liveness != nil {
		if g.IKEVersion == 2 && g.Liveness.Interval == defaultKeepaliveInterval && g.Liveness.RetryCount == defaultKeepaliveCount {
			// The first form of the command (command reference 15.20): for IKEv2 it is the
			// RFC 4306 method, with interval 10 and count 6 by default; seed 001 types it so.
			ike("keepalive", "use", n, "on")
		} else {
			ike("keepalive", "use", n, "on", livenessMethod(g), itoa(g.Liveness.Interval), itoa(g.Liveness.RetryCount))
		}
	}
	if g.LocalAddress != "" {
		ike("local", "address", n, g.LocalAddress)
	}
	if g.LocalID != "" {
		ike("local", "name", n, g.LocalID, idType(g.LocalID))
	}
	if g.NATTraversal != nil && *g.NATTraversal {
		ike("nat-traversal", n, "on")
	}
	if t != nil && t.PFSGroup != 0 {
		ike("pfs", n, "on")
	}
	if g.PreSharedKey != "" {
		ike("pre-shared-key", n, "text", g.PreSharedKey)
	}
	if g.PeerAddress != "" && !(g.PeerAddress == g.RemoteID && r.listed("ipsec", "ike", "remote", "name", n) && !r.listed("ipsec", "ike", "remote", "address", n)) {
		// A gateway whose device reaches the peer by its ipv4-addr remote name alone (seed
		// 001, see parse) keeps that form.
		ike("remote", "address", n, g.PeerAddress)
	}
	if g.RemoteID != "" {
		ike("remote", "name", n, g.RemoteID, idType(g.RemoteID))
	}
	if g.IKEVersion == 2 {
		// Yamaha's settings for IKEv2 peers such as Azure: propose only the configured
		// algorithms, and rekey child SAs the way the peer expects. A gateway the device
		// already runs with IKEv2 without them (configured by hand, as seed 001) keeps its
		// form: the model does not hold them.
		byHand := r.listedExactly("ipsec", "ike", "version", n, "2")
		if !byHand || r.listed("ipsec", "ike", "proposal-limitation", n) {
			ike("proposal-limitation", n, "on")
		}
		if !byHand || r.listed("ipsec", "ike", "message-id-control", n) {
			ike("message-id-control", n, "on")
		}
		if !byHand || r.listed("ipsec", "ike", "child-exchange", "type", n) {
			ike("child-exchange", "type", n, "2")
		}
	}
	switch g.ConnectionType {
	case "initiate":
		r.add(nil, "ipsec", "auto", "refresh", n, "on")
	case "respond":
		r.add(nil, "ipsec", "auto", "refresh", n, "off")
	}
}

// The keepalive interval and count the RTX uses when the command does not give them
// (command reference 15.20).
const (
	defaultKeepaliveInterval = 10
	defaultKeepaliveCount    = 6
)

// livenessMethod is the keepalive method: the standard one of the IKE version (RFC 3706 DPD
// for IKEv1, RFC 4306 INFORMATIONAL exchanges for IKEv2).
func livenessMethod(g *vpn.IKEGateway) string {
	if g.IKEVersion == 2 {
		return "rfc4306"
	}
	return "dpd"
}

// idType is the type word of `ipsec ike local name` / `remote name` for an identity.
func idType(id string) string {
	switch {
	case vpn.CheckIPv4(id) == "":
		return "ipv4-addr"
	case strings.Contains(id, "@"):
		return "user-fqdn"
	case strings.Contains(id, "."):
		return "fqdn"
	}
	return "key-id"
}

// tunnelNumber returns N of an interface named tunnelN.
func tunnelNumber(iface string) (int, bool) {
	s, ok := strings.CutPrefix(iface, "tunnel")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || strconv.Itoa(n) != s {
		return 0, false
	}
	return n, true
}

// gatewayWords are the words of a route's gateway: `tunnel N` or the next hop.
func gatewayWords(iface, nextHop string) []string {
	if n, ok := tunnelNumber(iface); ok {
		return []string{"tunnel", itoa(n)}
	}
	return []string{nextHop}
}

// routeDest is the destination word of `ip route`.
func routeDest(cidr string) string {
	if cidr == "" || cidr == "0.0.0.0/0" {
		return "default"
	}
	return cidr
}

// routes renders the source routes' filters and every `ip route` line: one line per
// destination, holding the source routes' gateways (each with its filter, in rule order),
// then the static route's gateway, then the gateways the model does not manage.
func (r *renderer) routes() {
	type line struct {
		src    []*vpn.SourceRoute
		static *vpn.StaticRoute
	}
	byDest := map[string]*line{}
	get := func(d string) *line {
		if byDest[d] == nil {
			byDest[d] = &line{}
		}
		return byDest[d]
	}
	var srcs []*vpn.SourceRoute
	for _, s := range r.cfg.SourceRoutes() {
		srcs = append(srcs, s)
	}
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].Rule < srcs[j].Rule })
	for _, s := range srcs {
		r.add(nil, "ip", "filter", itoa(s.Rule), "pass", s.Source, "*", "*", "*", "*")
		l := get(routeDest(s.Destination))
		l.src = append(l.src, s)
	}
	for _, s := range r.cfg.StaticRoutes() {
		get(routeDest(s.Destination)).static = s
	}
	dests := make([]string, 0, len(byDest))
	for d := range byDest {
		dests = append(dests, d)
	}
	sort.Slice(dests, func(i, j int) bool { return destLess(dests[i], dests[j]) })
	for _, d := range dests {
		l := byDest[d]
		words := []string{"ip", "route", d}
		for _, s := range l.src {
			words = append(words, "gateway")
			words = append(words, gatewayWords(s.Interface, s.NextHop)...)
			words = append(words, "filter", itoa(s.Rule))
		}
		if s := l.static; s != nil {
			words = append(words, "gateway")
			words = append(words, gatewayWords(s.Interface, s.NextHop)...)
			if s.Distance != 0 {
				words = append(words, "metric", itoa(s.Distance))
			}
		}
		words = append(words, r.dev.routeExtra[d]...)
		r.add(nil, words...)
	}
}

// destLess orders route destinations as the device lists them: default first, then by
// address and length.
func destLess(a, b string) bool {
	if a == "default" || b == "default" {
		return a == "default" && b != "default"
	}
	pa, err1 := netip.ParsePrefix(a)
	pb, err2 := netip.ParsePrefix(b)
	if err1 != nil || err2 != nil {
		return a < b
	}
	if c := pa.Addr().Compare(pb.Addr()); c != 0 {
		return c < 0
	}
	return pa.Bits() < pb.Bits()
}

func prefixListsByNumber(cfg *vpn.Config) []*vpn.PrefixList {
	var out []*vpn.PrefixList
	for _, p := range cfg.PrefixLists() {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

// filterWords are the words after `bgp import|export filter N` for a prefix list: one action
// and one match type for every prefix (RTX has one per filter).
func filterWords(p *vpn.PrefixList) ([]string, error) {
	var words []string
	var kind string
	for i, rule := range p.Rules {
		k, err := matchKind(rule)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			if rule.Action == "deny" {
				words = append(words, "reject")
			}
			kind = k
			words = append(words, k)
		} else if k != kind || rule.Action != p.Rules[0].Action {
			return nil, fmt.Errorf("an RTX BGP filter has one action and one match type for all its prefixes: rule %d differs from rule %d", rule.Sequence, p.Rules[0].Sequence)
		}
		words = append(words, rule.Prefix)
	}
	return words, nil
}

// matchKind maps a rule's ge/le to the RTX match: equal (exactly the prefix), include (the
// prefix and every longer one) or refines (only longer ones).
func matchKind(rule vpn.PrefixRule) (string, error) {
	plen := 0
	if p, err := netip.ParsePrefix(rule.Prefix); err == nil {
		plen = p.Bits()
	}
	switch {
	case rule.GE == 0 && (rule.LE == 0 || rule.LE == plen):
		return "equal", nil
	case (rule.GE == 0 || rule.GE == plen) && rule.LE == 32:
		return "include", nil
	case rule.GE == plen+1 && rule.LE == 32:
		return "refines", nil
	}
	return "", fmt.Errorf("RTX matches a prefix exactly (no ge/le), with every longer prefix (le = 32) or with longer ones only (ge = length+1, le = 32); rule %d asks for ge %d le %d", rule.Sequence, rule.GE, rule.LE)
}

// bgp renders the filters, the process and the neighbors.
func (r *renderer) bgp(lists []*vpn.PrefixList) {
	var ns []*vpn.BGPNeighbor
	for _, n := range r.cfg.BGPNeighbors() {
		ns = append(ns, n)
	}
	sort.Slice(ns, func(i, j int) bool { return ns[i].Number < ns[j].Number })
	listByName := map[string]*vpn.PrefixList{}
	for _, p := range lists {
		listByName[p.Name] = p
	}
	// RTX names the directions from the routing table's side: `bgp import` brings routes
	// into BGP (what is announced: prefix_list_out), `bgp export` lets routes received over
	// BGP out to the routing table (prefix_list_in). A list's rules always stand as a `bgp
	// import filter` (unused until a `bgp import AS` line names it), and also as a `bgp
	// export filter` while a neighbor filters what it receives with it.
	usedIn := map[string]bool{}
	for _, n := range ns {
		if n.PrefixListIn != "" {
			usedIn[n.PrefixListIn] = true
		}
	}
	for _, p := range lists {
		words, err := filterWords(p)
		if err != nil {
			r.fail(p, "rules", "%v", err)
			continue
		}
		r.add(nil, append([]string{"bgp", "import", "filter", itoa(p.Number)}, words...)...)
		if usedIn[p.Name] {
			r.add(nil, append([]string{"bgp", "export", "filter", itoa(p.Number)}, words...)...)
		}
	}
	if len(ns) == 0 {
		return
	}
	var localAS int64
	routerID := ""
	for _, n := range ns {
		if localAS != 0 && n.LocalAS != localAS {
			r.fail(n, "local_as", "is %d but another neighbor has %d: an RTX runs one BGP process (bgp autonomous-system)", n.LocalAS, localAS)
		}
		localAS = n.LocalAS
		if n.RouterID != "" {
			if routerID != "" && routerID != n.RouterID {
				r.fail(n, "router_id", "is %s but another neighbor has %s: an RTX has one bgp router id", n.RouterID, routerID)
			}
			routerID = n.RouterID
		}
	}
	r.add(nil, "bgp", "autonomous-system", strconv.FormatInt(localAS, 10))
	if routerID != "" {
		r.add(nil, "bgp", "router", "id", routerID)
	}
	type asFilters struct {
		in, out []int
		names   string
	}
	byAS := map[int64]*asFilters{}
	var ases []int64
	for _, n := range ns {
		words := []string{"bgp", "neighbor", itoa(n.Number), strconv.FormatInt(n.RemoteAS, 10), n.Address}
		if n.HoldTime != 0 {
			words = append(words, "hold-time="+itoa(n.HoldTime))
		}
		if n.UpdateSource != "" {
			words = append(words, "local-address="+n.UpdateSource)
		}
		words = append(words, r.dev.neighborOpts[n.Number]...)
		r.add(nil, words...)
		if n.Password != "" {
			r.add(nil, "bgp", "neighbor", "pre-shared-key", itoa(n.Number), "text", n.Password)
		}
		in, out := listNumber(listByName, n.PrefixListIn), listNumber(listByName, n.PrefixListOut)
		if (n.PrefixListIn != "" && in == 0) || (n.PrefixListOut != "" && out == 0) {
			r.fail(n, "prefix_list_in", "names a prefix list that is not on the device")
			continue
		}
		f := byAS[n.RemoteAS]
		if f == nil {
			f = &asFilters{names: n.PrefixListIn + "\x00" + n.PrefixListOut}
			byAS[n.RemoteAS] = f
			ases = append(ases, n.RemoteAS)
			if in != 0 {
				f.in = []int{in}
			}
			if out != 0 {
				f.out = []int{out}
			}
		} else if f.names != n.PrefixListIn+"\x00"+n.PrefixListOut {
			r.fail(n, "prefix_list_in", "differs from another neighbor in AS %d: RTX applies import and export filters per remote AS (bgp import/export AS ...)", n.RemoteAS)
		}
	}
	for _, as := range ases {
		f := byAS[as]
		a := strconv.FormatInt(as, 10)
		if len(f.out) > 0 {
			r.add(nil, "bgp", "import", a, "static", "filter", itoa(f.out[0]))
		}
		if len(f.in) > 0 {
			r.add(nil, "bgp", "export", a, "filter", itoa(f.in[0]))
		}
	}
	r.add(nil, "bgp", "use", "on")
}

func listNumber(byName map[string]*vpn.PrefixList, name string) int {
	if p := byName[name]; p != nil {
		return p.Number
	}
	return 0
}

// Render returns the lines of RenderSteps' steps, in order.
func (p *RTX) Render(current platform.Snapshot, desired *vpn.Config) ([]string, error) {
	steps, err := p.RenderSteps(current, desired)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range steps {
		out = append(out, s.Do.Line)
	}
	return out, nil
}

// RenderSteps returns one step per typed line, each with its undo (flatconf.Diff between the
// device's listing and the model rendered before and after the change), and a final `bgp
// configure refresh` when a BGP line changes, since BGP settings take effect only then.
func (p *RTX) RenderSteps(current platform.Snapshot, desired *vpn.Config) ([]platform.Step, error) {
	dev, err := deviceEntries(current.Text)
	if err != nil {
		return nil, fmt.Errorf("cannot read the device's configuration: %s", lineOnly(err))
	}
	before := current.Config
	if before == nil {
		before = vpn.NewConfig()
	}
	if err := p.checkDesired(before, desired); err != nil {
		return nil, err
	}
	st := newDeviceState(dev)
	if err := p.checkNumbers(st, before, desired); err != nil {
		return nil, err
	}
	bEntries, err := (&renderer{cfg: before, dev: st}).entries()
	if err != nil {
		bEntries = nil // the device's own inconsistencies: only what after renders is typed
	}
	aEntries, err := (&renderer{cfg: desired, dev: st}).entries()
	if err != nil {
		return nil, err
	}
	steps := syntax.Diff(dev, bEntries, aEntries)
	out := syntax.PlatformSteps(steps)
	for _, s := range steps {
		if touchesBGP(s.Do) {
			out = append(out, platform.Step{Do: platform.Command{Line: "bgp configure refresh"}})
			break
		}
	}
	return out, nil
}

func touchesBGP(lines []string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, "bgp ") || strings.HasPrefix(l, "no bgp ") {
			return true
		}
	}
	return false
}

// checkDesired validates every object of desired that is new or changed against current.
func (p *RTX) checkDesired(current, desired *vpn.Config) error {
	var es vpn.Errors
	for _, o := range desired.Objects() {
		if old := current.Get(o.Kind(), o.Key()); old != nil && reflect.DeepEqual(old, o) {
			continue
		}
		if !platform.Supports(p, o.Kind()) {
			es = append(es, vpn.FieldError{Field: fmt.Sprintf("%s %q", o.Kind(), o.Key()), Message: "is not managed on platform rtx"})
			continue
		}
		for _, e := range append(o.Validate(), p.Validate(o)...) {
			es = append(es, vpn.FieldError{Field: fmt.Sprintf("%s %q: %s", o.Kind(), o.Key(), e.Field), Message: e.Message})
		}
	}
	return es.Err()
}

// checkNumbers refuses numbers that collide: two objects of one kind with one number, and a
// new tunnel or source route whose tunnel block or ip filter the device already uses for
// something the model does not manage.
func (p *RTX) checkNumbers(st *deviceState, current, desired *vpn.Config) error {
	var es vpn.Errors
	for _, k := range []vpn.Kind{vpn.KindIKEGateway, vpn.KindTunnel, vpn.KindPrefixList, vpn.KindBGPNeighbor, vpn.KindSourceRoute} {
		seen := map[int]string{}
		for _, o := range desired.OfKind(k) {
			n := o.(vpn.Numbered).DeviceNumber()
			if other, dup := seen[n]; dup {
				es = append(es, vpn.FieldError{Field: fmt.Sprintf("%s %q", k, o.Key()), Message: fmt.Sprintf("number %d is also used by %s %q", n, k, other)})
			}
			seen[n] = o.Key()
		}
	}
	usedTunnel := map[int]bool{}
	for _, t := range current.Tunnels() {
		usedTunnel[t.Number] = true
	}
	for _, t := range desired.Tunnels() {
		if current.Get(vpn.KindTunnel, t.Key()) == nil && st.tunnels[t.Number] && !usedTunnel[t.Number] {
			es = append(es, vpn.FieldError{Field: fmt.Sprintf("%s %q: tunnel_number", t.Kind(), t.Key()), Message: fmt.Sprintf("tunnel %d is configured on the device for something else (tunnel select %d has lines)", t.Number, t.Number)})
		}
	}
	// A new tunnel's IPsec policy id is its number: refuse one that the device already has
	// for something else (an L2TP/IPsec transport policy, another tunnel the model does not
	// hold).
	usedPolicy := map[int]bool{}
	for _, t := range current.Tunnels() {
		if pol, ok := st.policyOf[t.Number]; ok {
			usedPolicy[pol] = true
		}
	}
	for _, t := range desired.Tunnels() {
		if _, has := st.policyOf[t.Number]; has || current.Get(vpn.KindTunnel, t.Key()) != nil {
			continue
		}
		if st.policies[t.Number] && !usedPolicy[t.Number] {
			es = append(es, vpn.FieldError{Field: fmt.Sprintf("%s %q: tunnel_number", t.Kind(), t.Key()), Message: fmt.Sprintf("ipsec sa policy %d, which a new tunnel %d uses, exists on the device for something else", t.Number, t.Number)})
		}
	}
	usedFilter := map[int]bool{}
	for _, s := range current.SourceRoutes() {
		usedFilter[s.Rule] = true
	}
	for _, s := range desired.SourceRoutes() {
		if current.Get(vpn.KindSourceRoute, s.Key()) == nil && st.filters[s.Rule] && !usedFilter[s.Rule] {
			es = append(es, vpn.FieldError{Field: fmt.Sprintf("%s %q: rule", s.Kind(), s.Key()), Message: fmt.Sprintf("ip filter %d exists on the device for something else", s.Rule)})
		}
	}
	return es.Err()
}

// Coverage counts the configuration lines of text that no object of cfg accounts for (the
// lines its rendering does not hold, by key): login, interfaces, NAT, filters of other uses...
func (p *RTX) Coverage(text string, cfg *vpn.Config) int {
	dev, err := deviceEntries(text)
	if err != nil {
		return 0
	}
	st := newDeviceState(dev)
	es, _ := (&renderer{cfg: cfg, dev: st}).entries()
	covered := map[string]bool{}
	for _, e := range es {
		covered[keyString(e)] = true
	}
	n := 0
	for _, e := range st.entries {
		if !covered[keyString(e)] {
			n++
		}
	}
	return n
}
