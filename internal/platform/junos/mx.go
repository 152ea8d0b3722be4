package junos

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// The MX flavor (flavor = "mx"): IPsec on a services card with next-hop style service sets,
// as seed 003 describes them.
//
//   - IKE gateway <G>: `services ipsec-vpn ike policy <G>` (mode, proposals, pre-shared-key
//     ascii-text, local-id / remote-id as ipv4_addr or fqdn, version 1|2) and its `services
//     ipsec-vpn ike proposal`s, found or created by content as on SRX. The peer address
//     lives in the rule of a tunnel (`then remote-gateway`) and the local address in its
//     service set (`ipsec-vpn-options local-gateway`), so a gateway reaches the device with
//     its first tunnel (platform.Deferrer).
//   - tunnel <T>: `services ipsec-vpn ipsec proposal`s and `ipsec policy` as on SRX; a rule
//     <T> with `term 1 from ipsec-inside-interface <inside>` (plus source-address and
//     destination-address for one traffic selector), `then remote-gateway`, `then dynamic
//     ike-policy <G>`, `then dynamic ipsec-policy`, `then no-anti-replay`, `then
//     clear-dont-fragment-bit`, `then tunnel-mtu`, and `match-direction input`; a next-hop
//     service set <T> (`next-hop-service inside-service-interface <inside>
//     outside-service-interface <outside>`, `ipsec-vpn-options local-gateway`,
//     `ipsec-vpn-rules <T>`); the service units `family inet` with `service-domain inside`
//     and `outside`. tunnel_interface is the inside unit (ms-, vms-, sp- or ams-); the
//     outside unit is the next unit of the same interface (ms-1/0/0.1 -> ms-1/0/0.2).
//   - static routes, prefix lists and BGP neighbors as on SRX (no zones). Source routes are
//     not managed on MX yet (platform.KindSupporter).

var (
	mxIKEProposals = []string{"services", "ipsec-vpn", "ike", "proposal"}
	mxIKEPolicies  = []string{"services", "ipsec-vpn", "ike", "policy"}
	mxESPProposals = []string{"services", "ipsec-vpn", "ipsec", "proposal"}
	mxESPPolicies  = []string{"services", "ipsec-vpn", "ipsec", "policy"}
	mxRules        = []string{"services", "ipsec-vpn", "rule"}
	mxServiceSets  = []string{"services", "service-set"}
)

// mxRoots and mxLeaves extend the schema with the MX hierarchy.
var (
	mxRoots = []setconf.Root{
		{Pattern: "services ipsec-vpn ike proposal *", Kind: setconf.Object},
		{Pattern: "services ipsec-vpn ike policy *", Kind: setconf.Object},
		{Pattern: "services ipsec-vpn ipsec proposal *", Kind: setconf.Object},
		{Pattern: "services ipsec-vpn ipsec policy *", Kind: setconf.Object},
		{Pattern: "services ipsec-vpn rule *", Kind: setconf.Object},
		{Pattern: "services service-set *", Kind: setconf.Object},
		// The only interface units an MX configuration renders are its service units.
		{Pattern: "interfaces * unit *", Kind: setconf.Object},
	}
	mxLeaves = []string{
		"services ipsec-vpn ike proposal * authentication-method",
		"services ipsec-vpn ike proposal * dh-group",
		"services ipsec-vpn ike proposal * authentication-algorithm",
		"services ipsec-vpn ike proposal * encryption-algorithm",
		"services ipsec-vpn ike proposal * lifetime-seconds",
		"services ipsec-vpn ike policy * mode",
		"services ipsec-vpn ike policy * version",
		"services ipsec-vpn ike policy * pre-shared-key ascii-text",
		// local-id / remote-id ipv4_addr|fqdn are lists on the device (`fqdn [ ... ]`): not
		// single-value leaves, so a value the gateway does not name is deleted.
		"services ipsec-vpn ipsec proposal * protocol",
		"services ipsec-vpn ipsec proposal * authentication-algorithm",
		"services ipsec-vpn ipsec proposal * encryption-algorithm",
		"services ipsec-vpn ipsec proposal * lifetime-seconds",
		"services ipsec-vpn ipsec policy * perfect-forward-secrecy keys",
		"services ipsec-vpn rule * match-direction",
		"services ipsec-vpn rule * term * from ipsec-inside-interface",
		"services ipsec-vpn rule * term * then remote-gateway",
		"services ipsec-vpn rule * term * then dynamic ike-policy",
		"services ipsec-vpn rule * term * then dynamic ipsec-policy",
		"services ipsec-vpn rule * term * then tunnel-mtu",
		"services service-set * next-hop-service inside-service-interface",
		"services service-set * next-hop-service outside-service-interface",
		"services service-set * ipsec-vpn-options local-gateway",
	}
)

// mxID renders an MX IKE identity: an address as ipv4_addr, anything else as fqdn.
func mxID(id string) []string {
	if vpn.CheckIPv4(id) == "" {
		return []string{"ipv4_addr", id}
	}
	return []string{"fqdn", id}
}

// outsideUnit returns the outside service unit paired with an inside one: the next unit.
func outsideUnit(inside string) (string, bool) {
	iface, unit := unitPath(inside)
	n, err := strconv.Atoi(unit)
	if err != nil || !strings.Contains(inside, ".") {
		return "", false
	}
	return iface + "." + strconv.Itoa(n+1), true
}

// mxGatewayDeferred says why a gateway renders to nothing yet on MX.
func mxGatewayDeferred(g *vpn.IKEGateway, c *vpn.Config) string {
	for _, o := range c.OfKind(vpn.KindTunnel) {
		if o.(*vpn.Tunnel).Gateway == g.Name {
			return ""
		}
	}
	return fmt.Sprintf("on Junos MX the peer address of ike_gateway %q lives in the ipsec-vpn rule of a tunnel: the gateway goes to the device with the first vpn_tunnel that uses it, and no vpn_tunnel does", g.Name)
}

func (r *renderer) mxGateways(c *vpn.Config) {
	for _, o := range c.OfKind(vpn.KindIKEGateway) {
		g := o.(*vpn.IKEGateway)
		if mxGatewayDeferred(g, c) != "" {
			continue
		}
		pol := join(mxIKEPolicies, []string{g.Name})
		devProps := r.dev.Keys(join(pol, []string{"proposals"})...)
		for i, mp := range g.Proposals {
			p := ikeProposal{IKEProposal: mp, Lifetime: g.Lifetime}
			var pref []string
			if i < len(devProps) {
				pref = []string{devProps[i]}
			}
			name := r.pick(mxIKEProposals, relPaths(ikeProposalBlock, &p), append(pref, devProps...), ikeProposalName(p), []string{"lifetime-seconds", strconv.Itoa(defaultIKELifetime)})
			r.Emit(pol, []string{"proposals", name})
		}
		if g.Mode != "" {
			r.Emit(pol, []string{"mode", g.Mode})
		}
		r.Emit(pol, []string{"version", strconv.Itoa(g.IKEVersion)})
		if g.PreSharedKey != "" {
			r.Emit(pol, r.deviceForm(pol, []string{"pre-shared-key", "ascii-text", g.PreSharedKey}))
		}
		if g.LocalID != "" {
			r.Emit(pol, []string{"local-id"}, mxID(g.LocalID))
		}
		if g.RemoteID != "" {
			r.Emit(pol, []string{"remote-id"}, mxID(g.RemoteID))
		}
	}
}

func (r *renderer) mxTunnels(c *vpn.Config) {
	units := map[string]string{} // service unit -> tunnel using it
	for _, o := range c.OfKind(vpn.KindTunnel) {
		t := o.(*vpn.Tunnel)
		g := c.IKEGateways()[t.Gateway]
		if g == nil {
			r.Fail("vpn_tunnel %q refers to ike_gateway %q, which is not in the configuration", t.Name, t.Gateway)
			continue
		}
		outside, ok := outsideUnit(t.Interface)
		if !ok {
			r.Fail("vpn_tunnel %q: tunnel_interface %q is not a service interface unit", t.Name, t.Interface)
			continue
		}
		for _, u := range []string{t.Interface, outside} {
			if other, dup := units[u]; dup {
				r.Fail("vpn_tunnel %q and vpn_tunnel %q both use the service unit %s (a tunnel takes its tunnel_interface and the next unit as outside interface)", other, t.Name, u)
			}
			units[u] = t.Name
		}
		rule := join(mxRules, []string{t.Name})
		// The rule's first term and the service set that lists the rule keep the names the
		// device gives them.
		termName := "1"
		if terms := r.dev.Keys(join(rule, []string{"term"})...); len(terms) > 0 {
			termName = terms[0]
			for _, tn := range terms {
				if r.order[strings.Join(join(rule, []string{"term", tn}), "\x00")] < r.order[strings.Join(join(rule, []string{"term", termName}), "\x00")] {
					termName = tn
				}
			}
		}
		setName := t.Name
		for _, s := range r.dev.Keys(mxServiceSets...) {
			if r.dev.Has(join(mxServiceSets, []string{s, "ipsec-vpn-rules", t.Name})...) {
				setName = s
				break
			}
		}
		// A unit the device already has belongs to this tunnel only when the tunnel's service
		// set names it; otherwise it is someone else's and is neither taken nor removed.
		for _, u := range [][2]string{{t.Interface, "inside-service-interface"}, {outside, "outside-service-interface"}} {
			iface, unit := unitPath(u[0])
			if r.dev.Has("interfaces", iface, "unit", unit) && r.dev.Value(join(mxServiceSets, []string{setName, "next-hop-service", u[1]})...) != u[0] {
				r.Fail("vpn_tunnel %q: the device already uses %s for something else (the tunnel takes tunnel_interface %s and the next unit as its outside interface)", t.Name, u[0], t.Interface)
			}
		}
		devPolicy := r.dev.Value(join(rule, []string{"term", termName, "then", "dynamic", "ipsec-policy"})...)
		devProps := r.dev.Keys(join(mxESPPolicies, []string{devPolicy, "proposals"})...)
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
			pol = append(pol, []string{"proposals", r.pick(mxESPProposals, relPaths(espProposalBlock, &p), append(pref, devProps...), espProposalName(p), []string{"lifetime-seconds", strconv.Itoa(defaultESPLifetime)})})
		}
		policy := r.pick(mxESPPolicies, pol, []string{devPolicy}, t.Name)

		term := join(rule, []string{"term", termName})
		r.Emit(term, []string{"from", "ipsec-inside-interface", t.Interface})
		if len(t.Selectors) == 1 {
			r.Emit(term, []string{"from", "source-address", t.Selectors[0].Local})
			r.Emit(term, []string{"from", "destination-address", t.Selectors[0].Remote})
		}
		r.Emit(term, []string{"then", "remote-gateway", g.PeerAddress})
		r.Emit(term, []string{"then", "dynamic", "ike-policy", g.Name})
		r.Emit(term, []string{"then", "dynamic", "ipsec-policy", policy})
		if t.AntiReplay != nil && !*t.AntiReplay {
			r.Emit(term, []string{"then", "no-anti-replay"})
		}
		if t.DFBit == vpn.DFBitClear {
			r.Emit(term, []string{"then", "clear-dont-fragment-bit"})
		}
		if t.MTU != 0 {
			r.Emit(term, []string{"then", "tunnel-mtu", strconv.Itoa(t.MTU)})
		}
		r.Emit(rule, []string{"match-direction", "input"})

		ss := join(mxServiceSets, []string{setName})
		r.Emit(ss, []string{"next-hop-service", "inside-service-interface", t.Interface})
		r.Emit(ss, []string{"next-hop-service", "outside-service-interface", outside})
		r.Emit(ss, []string{"ipsec-vpn-options", "local-gateway", g.LocalAddress})
		r.Emit(ss, []string{"ipsec-vpn-rules", t.Name})
		for _, u := range [][2]string{{t.Interface, "inside"}, {outside, "outside"}} {
			iface, unit := unitPath(u[0])
			up := []string{"interfaces", iface, "unit", unit}
			r.Emit(up, []string{"family", "inet"})
			r.Emit(up, []string{"service-domain", u[1]})
		}
	}
}

// parseMX reads gateways and tunnels of the MX flavor: a rule whose first term has an
// inside interface, a remote gateway and both dynamic policies is a tunnel named after the
// rule; its IKE policy is a gateway named after the policy (the first rule that uses it gives
// its peer address), whose local address is the local-gateway of the service set that lists
// the rule.
func parseMX(c *vpn.Config, root *setconf.Node, order map[string]int) {
	sets := root.Get(mxServiceSets...)
	localOf := map[string]string{}
	for _, s := range sets.Keys() {
		for _, r := range sets.Keys(s, "ipsec-vpn-rules") {
			if localOf[r] == "" {
				localOf[r] = sets.Value(s, "ipsec-vpn-options", "local-gateway")
			}
		}
	}
	rules := root.Get(mxRules...)
	for _, name := range rules.Keys() {
		terms := inOrder(order, rules.Get(name, "term"), join(mxRules, []string{name, "term"}))
		if len(terms) == 0 {
			continue
		}
		term := rules.Get(name, "term", terms[0])
		inside, peer := term.Value("from", "ipsec-inside-interface"), term.Value("then", "remote-gateway")
		ikePol, espPol := term.Value("then", "dynamic", "ike-policy"), term.Value("then", "dynamic", "ipsec-policy")
		if inside == "" || peer == "" || ikePol == "" || espPol == "" {
			continue
		}
		if c.IKEGateways()[ikePol] == nil {
			pol := root.Get(join(mxIKEPolicies, []string{ikePol})...)
			g := &vpn.IKEGateway{Name: ikePol, PeerAddress: peer, LocalAddress: localOf[name], Lifetime: defaultIKELifetime, IKEVersion: atoi(pol.Value("version"))}
			if g.IKEVersion == 0 {
				g.IKEVersion = 1
			}
			g.Mode = pol.Value("mode")
			g.PreSharedKey = pol.Value("pre-shared-key", "ascii-text")
			g.LocalID = pol.Value("local-id", pol.Value("local-id"))
			g.RemoteID = pol.Value("remote-id", pol.Value("remote-id"))
			parseIKEProposals(g, root, order, pol, join(mxIKEPolicies, []string{ikePol, "proposals"}), mxIKEProposals)
			c.Put(g)
		}
		t := &vpn.Tunnel{Name: name, Gateway: ikePol, Interface: inside, Lifetime: defaultESPLifetime}
		pol := root.Get(join(mxESPPolicies, []string{espPol})...)
		t.PFSGroup = atoi(strings.TrimPrefix(pol.Value("perfect-forward-secrecy", "keys"), "group"))
		for i, pn := range inOrder(order, pol.Get("proposals"), join(mxESPPolicies, []string{espPol, "proposals"})) {
			var p espProposal
			espProposalBlock.Parse(&p, root.Get(join(mxESPProposals, []string{pn})...))
			if p.Lifetime == 0 {
				p.Lifetime = defaultESPLifetime
			}
			if i == 0 {
				t.Lifetime = p.Lifetime
			}
			t.Proposals = append(t.Proposals, p.IPsecProposal)
		}
		if src, dst := term.Value("from", "source-address"), term.Value("from", "destination-address"); src != "" && dst != "" {
			t.Selectors = []vpn.TrafficSelector{{Local: src, Remote: dst}}
		}
		if term.Has("then", "no-anti-replay") {
			f := false
			t.AntiReplay = &f
		}
		if term.Has("then", "clear-dont-fragment-bit") {
			t.DFBit = vpn.DFBitClear
		}
		t.MTU = atoi(term.Value("then", "tunnel-mtu"))
		c.Put(t)
	}
}

// validateMX reports what the MX flavor cannot express.
func validateMX(o vpn.Object, add func(string, string, ...any)) {
	no := func(field, why string) { add(field, "is not supported on Junos MX: %s", why) }
	switch v := o.(type) {
	case *vpn.IKEGateway:
		if v.LocalAddress == "" {
			add("local_address", "is required on Junos MX: it is the service set's ipsec-vpn-options local-gateway")
		}
		if v.Liveness != nil {
			no("liveness", "MX initiates dead-peer detection per rule without an interval or threshold")
		}
		if v.NATTraversal != nil {
			no("nat_traversal", "services ipsec-vpn has no per-gateway NAT traversal setting")
		}
		if v.LocalID != "" && vpn.CheckIPv4(v.LocalID) != "" && !fqdn(v.LocalID) {
			add("local_id", "must be an IPv4 address or a host name on Junos MX (ipv4_addr, fqdn)")
		}
		if v.RemoteID != "" && vpn.CheckIPv4(v.RemoteID) != "" && !fqdn(v.RemoteID) {
			add("remote_id", "must be an IPv4 address or a host name on Junos MX (ipv4_addr, fqdn)")
		}
	case *vpn.Tunnel:
		if v.Zone != "" {
			no("tunnel_zone", "MX has no security zones")
		}
		if v.Address != "" {
			no("tunnel_interface_address", "the inside service unit of a next-hop service set carries no address; route into it")
		}
		if v.TCPMSS != 0 {
			no("tcp_mss", "not managed on MX yet")
		}
		if v.EstablishImmediately {
			no("establish_immediately", "establish-tunnels is one setting for all of services ipsec-vpn")
		}
		if v.Monitor != nil {
			no("monitor", "MX has no vpn-monitor")
		}
		if v.Description != "" {
			no("description", "not managed on MX yet")
		}
		if v.DFBit == vpn.DFBitSet || v.DFBit == vpn.DFBitCopy {
			no("df_bit", "only clear (clear-dont-fragment-bit) is a per-rule setting")
		}
		if len(v.Selectors) > 1 {
			no("traffic_selectors", "a rule term takes one source and one destination address here")
		}
		if _, ok := outsideUnit(v.Interface); !ok || !mxUnitRE.MatchString(v.Interface) {
			add("tunnel_interface", "%q is not a Junos MX service interface unit (ms-1/0/0.1, vms-, sp- or ams-); the next unit is the outside interface", v.Interface)
		}
	}
}

var mxUnitRE = regexp.MustCompile(`^(ms|vms|sp|ams)-[0-9]+/[0-9]+/[0-9]+\.[0-9]{1,5}$`)

// schemaMX is the schema of the MX flavor: the shared routing and policy roots and the
// services hierarchy, without SRX's security hierarchy.
var schemaMX = func() *setconf.Schema {
	var roots []setconf.Root
	for _, r := range schemaRoots {
		if !strings.HasPrefix(r.Pattern, "security ") && !strings.HasPrefix(r.Pattern, "interfaces ") {
			roots = append(roots, r)
		}
	}
	return setconf.NewSchema(append(roots, mxRoots...), append(append([]string(nil), schemaLeaves...), mxLeaves...))
}()

func fqdn(s string) bool { return vpn.CheckName(s) == "" && strings.Contains(s, ".") }
