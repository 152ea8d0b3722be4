package screenos

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/flatconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// p1 is a phase-1 proposal's content.
type p1 struct {
	group     int
	enc, hash string // model names: aes128, sha1
	lifetime  int    // seconds
}

// p2 is a phase-2 proposal's content.
type p2 struct {
	pfs       int // 0 = no-pfs
	enc, hash string
	lifetime  int
}

// device is what the dialect knows of a device's configuration: its entries and indexes of
// the objects the model refers to by name.
type device struct {
	entries []flatconf.Entry
	byID    map[string]flatconf.Entry
	p1s     map[string]p1
	p2s     map[string]p2
	// addresses: zone -> name -> CIDR.
	addresses map[string]map[string]string
	// ifaceIPs: interface -> its address (a.b.c.d/len).
	ifaceIPs map[string]string
	// gwLine: gateway name -> the words of its address line.
	gwLine map[string][]string
	// vpnLine: vpn name -> the words of its gateway line.
	vpnLine map[string][]string
	// bgpAS: vrouter -> the AS of its BGP instance.
	bgpAS map[string]string
	// policies in listing (evaluation) order.
	policyOrder []policyRef
	// acls: vrouter -> acl id -> entries' words.
	acls map[string]map[int][][]string
	// routeMaps: vrouter -> name -> the words of its entries.
	routeMaps map[string]map[string][][]string
}

type policyRef struct {
	id       int
	from, to string
}

func newDevice(text string) (*device, error) {
	es, err := parseEntries(text)
	if err != nil {
		return nil, err
	}
	d := &device{
		entries: es, byID: map[string]flatconf.Entry{}, p1s: map[string]p1{}, p2s: map[string]p2{},
		addresses: map[string]map[string]string{}, ifaceIPs: map[string]string{}, gwLine: map[string][]string{},
		vpnLine: map[string][]string{}, bgpAS: map[string]string{}, acls: map[string]map[int][][]string{},
		routeMaps: map[string]map[string][][]string{},
	}
	for _, e := range es {
		id := syntax.Identity(e)
		if _, dup := d.byID[id]; !dup {
			d.byID[id] = e
		}
		for _, c := range e.Context {
			if len(c) == 3 && c[0] == "protocol" && c[1] == "bgp" && len(e.Context) > 0 {
				d.bgpAS[e.Context[0][1]] = c[2]
			}
		}
		if e.Negated {
			continue
		}
		w := e.Words
		vr := ""
		if len(e.Context) > 0 && e.Context[0][0] == "vrouter" {
			vr = e.Context[0][1]
		}
		switch {
		case len(e.Context) == 0 && len(w) >= 4 && w[0] == "ike" && w[1] == "p1-proposal":
			if p, ok := parseP1(w[3:]); ok {
				d.p1s[w[2]] = p
			}
		case len(e.Context) == 0 && len(w) >= 4 && w[0] == "ike" && w[1] == "p2-proposal":
			if p, ok := parseP2(w[3:]); ok {
				d.p2s[w[2]] = p
			}
		case len(e.Context) == 0 && len(w) >= 5 && w[0] == "ike" && w[1] == "gateway" && w[2] == "ikev2" && w[4] == "address":
			d.gwLine[w[3]] = w
		case len(e.Context) == 0 && len(w) >= 4 && w[0] == "ike" && w[1] == "gateway" && (w[3] == "address" || w[3] == "dynamic"):
			d.gwLine[w[2]] = w
		case len(e.Context) == 0 && len(w) >= 4 && w[0] == "vpn" && w[2] == "gateway":
			d.vpnLine[w[1]] = w
		case len(e.Context) == 0 && len(w) >= 5 && w[0] == "address" && !isMark(w[2]):
			// An advisory mark (mark.go) is no address a policy may use.
			if c, ok := addressCIDR(w[3:]); ok {
				if d.addresses[w[1]] == nil {
					d.addresses[w[1]] = map[string]string{}
				}
				d.addresses[w[1]][w[2]] = c
			}
		case len(e.Context) == 0 && len(w) == 4 && w[0] == "interface" && w[2] == "ip":
			if _, err := netip.ParsePrefix(w[3]); err == nil {
				d.ifaceIPs[w[1]] = w[3]
			}
		case len(e.Context) == 0 && len(w) >= 3 && w[0] == "policy" && w[1] == "id":
			if id, err := strconv.Atoi(w[2]); err == nil {
				if pl, ok := parsePolicyLine(w); ok {
					d.policyOrder = append(d.policyOrder, policyRef{id: id, from: pl.FromZone, to: pl.ToZone})
				}
			}
		case vr != "" && len(e.Context) == 1 && len(w) >= 5 && w[0] == "access-list":
			if id, err := strconv.Atoi(w[1]); err == nil {
				if d.acls[vr] == nil {
					d.acls[vr] = map[int][][]string{}
				}
				d.acls[vr][id] = append(d.acls[vr][id], w)
			}
		case vr != "" && len(e.Context) == 1 && len(w) >= 5 && w[0] == "route-map" && w[1] == "name":
			if d.routeMaps[vr] == nil {
				d.routeMaps[vr] = map[string][][]string{}
			}
			d.routeMaps[vr][w[2]] = append(d.routeMaps[vr][w[2]], w)
		}
	}
	return d, nil
}

// has reports whether the device lists e exactly (same context, words and negation).
func (d *device) has(e flatconf.Entry) bool {
	x, ok := d.byID[syntax.Identity(e)]
	return ok && x.Negated == e.Negated && equalWords(x.Words, e.Words)
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Proposal vocabulary: ScreenOS words <-> model names.
var (
	encWords  = map[string]string{"des": "des", "3des": "3des", "aes128": "aes128", "aes192": "aes192", "aes256": "aes256"}
	hashWords = map[string]string{"md5": "md5", "sha-1": "sha1", "sha2-256": "sha256"}
	hashOf    = map[string]string{"md5": "md5", "sha1": "sha-1", "sha256": "sha2-256"}
	units     = map[string]int{"second": 1, "minute": 60, "hour": 3600, "day": 86400}
)

func lifetimeOf(unit, n string) (int, bool) {
	m, ok := units[strings.ToLower(unit)]
	v, err := strconv.Atoi(n)
	if !ok || err != nil || v < 0 {
		return 0, false
	}
	return v * m, true
}

// parseP1 reads `preshare group2 esp aes128 sha-1 second 28800`.
func parseP1(w []string) (p1, bool) {
	if len(w) < 7 || strings.ToLower(w[0]) != "preshare" || strings.ToLower(w[2]) != "esp" {
		return p1{}, false
	}
	g, err := strconv.Atoi(strings.TrimPrefix(strings.ToLower(w[1]), "group"))
	enc, eok := encWords[strings.ToLower(w[3])]
	hash, hok := hashWords[strings.ToLower(w[4])]
	lt, lok := lifetimeOf(w[5], w[6])
	if err != nil || !eok || !hok || !lok {
		return p1{}, false
	}
	return p1{group: g, enc: enc, hash: hash, lifetime: lt}, true
}

// parseP2 reads `no-pfs esp aes128 sha-1 second 3600` or `group2 esp ...`.
func parseP2(w []string) (p2, bool) {
	if len(w) < 6 || strings.ToLower(w[1]) != "esp" {
		return p2{}, false
	}
	pfs := 0
	if l := strings.ToLower(w[0]); l != "no-pfs" {
		g, err := strconv.Atoi(strings.TrimPrefix(l, "group"))
		if err != nil || !strings.HasPrefix(l, "group") {
			return p2{}, false
		}
		pfs = g
	}
	enc, eok := encWords[strings.ToLower(w[2])]
	hash, hok := hashWords[strings.ToLower(w[3])]
	lt, lok := lifetimeOf(w[4], w[5])
	if !eok || !hok || !lok {
		return p2{}, false
	}
	return p2{pfs: pfs, enc: enc, hash: hash, lifetime: lt}, true
}

// predefinedP1 decodes the names of ScreenOS's predefined phase-1 proposals
// (`pre-g2-aes128-sha`), whose lifetime is 8 hours.
func predefinedP1(name string) (p1, bool) {
	f := strings.Split(name, "-")
	if len(f) != 4 || f[0] != "pre" || !strings.HasPrefix(f[1], "g") {
		return p1{}, false
	}
	g, err := strconv.Atoi(f[1][1:])
	enc, eok := encWords[f[2]]
	hash, hok := map[string]string{"sha": "sha1", "md5": "md5"}[f[3]]
	if err != nil || !eok || !hok {
		return p1{}, false
	}
	return p1{group: g, enc: enc, hash: hash, lifetime: 28800}, true
}

// predefinedP2 decodes `g2-esp-aes128-sha` and `nopfs-esp-3des-md5` (lifetime 1 hour).
func predefinedP2(name string) (p2, bool) {
	f := strings.Split(name, "-")
	if len(f) != 4 || f[1] != "esp" {
		return p2{}, false
	}
	pfs := 0
	switch {
	case f[0] == "nopfs":
	case strings.HasPrefix(f[0], "g"):
		g, err := strconv.Atoi(f[0][1:])
		if err != nil {
			return p2{}, false
		}
		pfs = g
	default:
		return p2{}, false
	}
	enc, eok := encWords[f[2]]
	hash, hok := map[string]string{"sha": "sha1", "md5": "md5"}[f[3]]
	if !eok || !hok {
		return p2{}, false
	}
	return p2{pfs: pfs, enc: enc, hash: hash, lifetime: 3600}, true
}

func (d *device) p1(name string) (p1, bool) {
	if p, ok := d.p1s[name]; ok {
		return p, true
	}
	return predefinedP1(name)
}

func (d *device) p2(name string) (p2, bool) {
	if p, ok := d.p2s[name]; ok {
		return p, true
	}
	return predefinedP2(name)
}

// addressCIDR reads an address-book entry's value: `10.0.0.0 255.255.0.0` or `10.0.0.0/16`.
func addressCIDR(w []string) (string, bool) {
	if p, err := netip.ParsePrefix(w[0]); err == nil && p.Addr().Is4() {
		return p.Masked().String(), true
	}
	if len(w) < 2 {
		return "", false
	}
	a, err1 := netip.ParseAddr(w[0])
	m, err2 := netip.ParseAddr(w[1])
	if err1 != nil || err2 != nil || !a.Is4() || !m.Is4() {
		return "", false
	}
	bits, ok := maskBits(m)
	if !ok {
		return "", false
	}
	return netip.PrefixFrom(a, bits).Masked().String(), true
}

func maskBits(m netip.Addr) (int, bool) {
	b := m.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	n := 0
	for v&0x80000000 != 0 {
		n++
		v <<= 1
	}
	return n, v == 0
}

func maskOf(bits int) string {
	v := uint32(0)
	if bits > 0 {
		v = ^uint32(0) << (32 - bits)
	}
	return fmt.Sprintf("%d.%d.%d.%d", v>>24, v>>16&0xff, v>>8&0xff, v&0xff)
}

// Parse reads `get config` into the model.
func (s *ScreenOS) Parse(text string) (*vpn.Config, error) {
	d, err := newDevice(text)
	if err != nil {
		return nil, err
	}
	return d.model(), nil
}

// trustVR is the default virtual router: RoutingInstance "" stands for it.
const trustVR = "trust-vr"

func instanceOf(vr string) string {
	if vr == trustVR {
		return ""
	}
	return vr
}

func vrouterOf(instance string) string {
	if instance == "" {
		return trustVR
	}
	return instance
}

// model builds the objects the entries describe.
func (d *device) model() *vpn.Config {
	cfg := vpn.NewConfig()
	gws := map[string]*vpn.IKEGateway{}
	tuns := map[string]*vpn.Tunnel{}
	ifaces := map[string][]*vpn.Tunnel{}
	neighbors := map[string]*vpn.BGPNeighbor{} // vrouter + address
	networks := map[string][]string{}          // vrouter -> networks
	routerIDs := map[string]string{}
	policies := map[int]*vpn.SecurityPolicy{}

	// Gateways and tunnels first: later lines refer to them.
	for name, w := range d.gwLine {
		if g := d.gateway(name, w); g != nil {
			gws[name] = g
		}
	}
	for name, w := range d.vpnLine {
		if t := d.tunnel(name, w); t != nil {
			tuns[name] = t
		}
	}
	for _, e := range d.entries {
		if e.Negated {
			continue
		}
		w := e.Words
		switch {
		case len(e.Context) == 0 && len(w) >= 4 && w[0] == "ike" && w[1] == "gateway":
			name, rest := w[2], w[3:]
			if name == "ikev2" {
				name, rest = w[3], w[4:]
			}
			g := gws[name]
			if g == nil {
				continue
			}
			switch {
			case len(rest) == 1 && rest[0] == "nat-traversal":
				t := true
				g.NATTraversal = &t
			case len(rest) == 3 && rest[0] == "dpd-liveness":
				n, err := strconv.Atoi(rest[2])
				if err != nil {
					continue
				}
				if g.Liveness == nil {
					g.Liveness = &vpn.Liveness{}
				}
				switch rest[1] {
				case "interval":
					g.Liveness.Interval = n
				case "retry":
					g.Liveness.RetryCount = n
				}
			}
		case len(e.Context) == 0 && len(w) >= 5 && w[0] == "vpn" && w[2] == "bind" && w[3] == "interface":
			if t := tuns[w[1]]; t != nil {
				t.Interface = w[4]
				ifaces[w[4]] = append(ifaces[w[4]], t)
			}
		case len(e.Context) == 0 && len(w) >= 8 && w[0] == "vpn" && w[2] == "proxy-id" && w[3] == "local-ip" && w[5] == "remote-ip":
			if t := tuns[w[1]]; t != nil {
				if proto, ok := protocolOfService(w[7]); ok {
					t.Selectors = []vpn.TrafficSelector{{Local: w[4], Remote: w[6], Protocol: proto}}
				}
			}
		case len(e.Context) == 0 && len(w) >= 3 && w[0] == "vpn" && w[2] == "monitor":
			if t := tuns[w[1]]; t != nil {
				for _, x := range w[3:] {
					switch x {
					case "optimized":
						t.Monitor = &vpn.TunnelMonitor{}
					case "rekey":
						t.EstablishImmediately = true
					}
				}
				if len(w) == 3 {
					t.Monitor = &vpn.TunnelMonitor{}
				}
			}
		case len(e.Context) == 0 && len(w) == 4 && w[0] == "vpn" && w[2] == "df-bit":
			if t := tuns[w[1]]; t != nil {
				t.DFBit = w[3]
			}
		case len(e.Context) == 1 && e.Context[0][0] == "vrouter" && len(w) >= 5 && w[0] == "route" && w[1] == "source":
			if r := sourceRoute(e.Context[0][1], w); r != nil && cfg.Get(vpn.KindSourceRoute, r.Key()) == nil {
				cfg.Put(r)
			}
		case len(e.Context) == 1 && e.Context[0][0] == "vrouter" && len(w) >= 4 && w[0] == "route":
			if r := staticRoute(e.Context[0][1], w); r != nil && cfg.Get(vpn.KindStaticRoute, r.Key()) == nil {
				cfg.Put(r)
			}
		case len(e.Context) == 2 && e.Context[1][0] == "protocol" && len(w) >= 2:
			vr := e.Context[0][1]
			as, _ := strconv.ParseInt(e.Context[1][2], 10, 64)
			switch {
			case w[0] == "network":
				networks[vr] = append(networks[vr], w[1])
			case w[0] == "router-id":
				routerIDs[vr] = w[1]
			case w[0] == "neighbor" && len(w) >= 3:
				k := vr + "\x00" + w[1]
				n := neighbors[k]
				if n == nil {
					n = &vpn.BGPNeighbor{Address: w[1], LocalAS: as, RoutingInstance: instanceOf(vr)}
					neighbors[k] = n
				}
				neighborAttr(n, w[2:])
			}
		case len(e.Context) == 0 && len(w) >= 3 && w[0] == "policy" && w[1] == "id":
			if p, ok := parsePolicyLine(w); ok {
				p.Sources = d.addressList(p.FromZone, p.Sources)
				p.Destinations = d.addressList(p.ToZone, p.Destinations)
				policies[p.Number] = p
			}
		case len(e.Context) == 1 && e.Context[0][0] == "policy" && len(w) == 2:
			id, _ := strconv.Atoi(e.Context[0][2])
			p := policies[id]
			if p == nil {
				continue
			}
			switch w[0] {
			case "src-address":
				p.Sources = append(p.Sources, d.address(p.FromZone, w[1]))
			case "dst-address":
				p.Destinations = append(p.Destinations, d.address(p.ToZone, w[1]))
			case "service":
				p.Services = append(p.Services, w[1])
			}
		}
	}
	// Tunnel interfaces.
	for _, e := range d.entries {
		if e.Negated || len(e.Context) != 0 || len(e.Words) < 4 || e.Words[0] != "interface" {
			continue
		}
		w := e.Words
		for _, t := range ifaces[w[1]] {
			switch {
			case w[2] == "zone":
				t.Zone = w[3]
			case w[2] == "ip" && len(w) == 6 && w[3] == "unnumbered" && w[4] == "interface":
				t.UnnumberedInterface = w[5]
			case w[2] == "ip" && len(w) == 4 && w[3] != "manageable":
				t.Address = w[3]
			case w[2] == "mtu":
				t.MTU, _ = strconv.Atoi(w[3])
			}
		}
	}
	for _, g := range gws {
		cfg.Put(g)
	}
	for _, t := range tuns {
		cfg.Put(t)
	}
	// Prefix lists: a route-map of one entry matching one access-list.
	for vr, rms := range d.routeMaps {
		if vr != trustVR {
			continue
		}
		for name, ws := range rms {
			if len(ws) != 1 || len(ws[0]) != 8 || ws[0][5] != "match" || ws[0][6] != "ip" {
				continue
			}
			id, err := strconv.Atoi(ws[0][7])
			if err != nil || len(d.acls[vr][id]) == 0 {
				continue
			}
			pl := &vpn.PrefixList{Name: name, Number: id}
			for _, a := range d.acls[vr][id] {
				seq, err := strconv.Atoi(a[len(a)-1])
				if err != nil || len(a) != 6 || a[3] != "ip" {
					pl = nil
					break
				}
				pl.Rules = append(pl.Rules, vpn.PrefixRule{Sequence: seq, Action: a[2], Prefix: a[4]})
			}
			if pl != nil {
				sort.SliceStable(pl.Rules, func(i, j int) bool { return pl.Rules[i].Sequence < pl.Rules[j].Sequence })
				cfg.Put(pl)
			}
		}
	}
	for k, n := range neighbors {
		vr, _, _ := strings.Cut(k, "\x00")
		n.Networks = append([]string(nil), networks[vr]...)
		n.RouterID = routerIDs[vr]
		if n.RemoteAS != 0 {
			cfg.Put(n)
		}
	}
	// Policies, with where each stands among those of its zone pair.
	for _, ref := range d.policyOrder {
		p := policies[ref.id]
		if p == nil || cfg.Get(vpn.KindSecurityPolicy, p.Key()) != nil {
			continue
		}
		p.Position = d.positionOf(ref.id)
		cfg.Put(p)
	}
	return cfg
}

// gateway reads an IKE gateway from its address line.
func (d *device) gateway(name string, w []string) *vpn.IKEGateway {
	g := &vpn.IKEGateway{Name: name, IKEVersion: 1}
	i := 3
	if w[2] == "ikev2" {
		g.IKEVersion, i = 2, 4
	}
	for ; i < len(w); i++ {
		arg := func() string {
			if i+1 < len(w) {
				i++
				return w[i]
			}
			return ""
		}
		switch strings.ToLower(w[i]) {
		case "address":
			g.PeerAddress = arg()
		case "dynamic":
			g.RemoteID = arg()
		case "id":
			g.RemoteID = arg()
		case "main":
			g.Mode = vpn.IKEModeMain
		case "aggr":
			g.Mode = vpn.IKEModeAggressive
		case "local-id":
			g.LocalID = arg()
		case "local-address":
			g.LocalAddress = arg()
		case "preshare":
			g.PreSharedKey = arg()
		case "outgoing-interface":
			arg()
		case "sec-level":
			arg()
		case "proposal":
			for i+1 < len(w) && !keywords[w[i+1]] {
				i++
				p, ok := d.p1(w[i])
				if !ok {
					continue
				}
				g.Proposals = append(g.Proposals, vpn.IKEProposal{Encryption: p.enc, Integrity: p.hash, DHGroup: p.group})
				if g.Lifetime == 0 {
					g.Lifetime = p.lifetime
				}
			}
		}
	}
	return g
}

// tunnel reads a VPN from its gateway line.
func (d *device) tunnel(name string, w []string) *vpn.Tunnel {
	t := &vpn.Tunnel{Name: name, Gateway: w[3]}
	for i := 4; i < len(w); i++ {
		switch w[i] {
		case "replay":
			v := true
			t.AntiReplay = &v
		case "no-replay":
			v := false
			t.AntiReplay = &v
		case "idletime", "sec-level":
			i++
		case "proposal":
			for i+1 < len(w) && !keywords[w[i+1]] {
				i++
				p, ok := d.p2(w[i])
				if !ok {
					continue
				}
				t.Proposals = append(t.Proposals, vpn.IPsecProposal{Encryption: p.enc, Integrity: p.hash})
				if t.Lifetime == 0 {
					t.Lifetime, t.PFSGroup = p.lifetime, p.pfs
				}
			}
		}
	}
	return t
}

// services of proxy-ids: the predefined ones the model's protocols map to.
var serviceOfProtocol = map[string]string{"": "ANY", "tcp": "TCP-ANY", "udp": "UDP-ANY", "icmp": "ICMP-ANY"}

func protocolOfService(svc string) (string, bool) {
	for p, s := range serviceOfProtocol {
		if strings.EqualFold(s, svc) {
			return p, true
		}
	}
	return "", false
}

// routeAttrs reads `interface X [gateway G] [preference P] [permanent] [metric M] ...`.
func routeAttrs(w []string) (iface, gw string, pref int) {
	for i := 0; i+1 < len(w); i++ {
		switch w[i] {
		case "interface":
			iface = w[i+1]
			i++
		case "gateway":
			gw = w[i+1]
			i++
		case "preference":
			pref, _ = strconv.Atoi(w[i+1])
			i++
		case "metric", "tag", "description":
			i++
		}
	}
	return
}

func sourceRoute(vr string, w []string) *vpn.SourceRoute {
	if _, err := netip.ParsePrefix(w[2]); err != nil {
		return nil // SIBR (`route source in-interface ...`) is not modelled
	}
	iface, gw, pref := routeAttrs(w[3:])
	return &vpn.SourceRoute{Source: w[2], Interface: iface, NextHop: gw, Preference: pref, RoutingInstance: instanceOf(vr)}
}

func staticRoute(vr string, w []string) *vpn.StaticRoute {
	if _, err := netip.ParsePrefix(w[1]); err != nil {
		return nil
	}
	iface, gw, pref := routeAttrs(w[2:])
	return &vpn.StaticRoute{Destination: w[1], Interface: iface, NextHop: gw, Distance: pref, RoutingInstance: instanceOf(vr)}
}

func neighborAttr(n *vpn.BGPNeighbor, w []string) {
	arg := func() string {
		if len(w) > 1 {
			return w[1]
		}
		return ""
	}
	num := func() int { v, _ := strconv.Atoi(arg()); return v }
	switch w[0] {
	case "remote-as":
		n.RemoteAS, _ = strconv.ParseInt(arg(), 10, 64)
	case "ebgp-multihop":
		n.EBGPMultihop = num()
	case "hold-time":
		n.HoldTime = num()
	case "keepalive":
		n.Keepalive = num()
	case "md5-authentication":
		n.Password = arg()
	case "src-interface":
		n.UpdateSource = arg()
	case "route-map":
		if len(w) == 3 {
			switch w[2] {
			case "in":
				n.PrefixListIn = w[1]
			case "out":
				n.PrefixListOut = w[1]
			}
		}
	}
}

// parsePolicyLine reads `policy id N [name "X"] from "Z1" to "Z2" "SRC" "DST" "SVC" ACTION
// [tunnel vpn "V" [id X] [pair-policy N]] [log]`; addresses are names, resolved later.
func parsePolicyLine(w []string) (*vpn.SecurityPolicy, bool) {
	id, err := strconv.Atoi(w[2])
	if err != nil {
		return nil, false
	}
	p := &vpn.SecurityPolicy{Number: id}
	i := 3
	if i+1 < len(w) && w[i] == "name" {
		p.Name = w[i+1]
		i += 2
	}
	if i+8 > len(w) || w[i] != "from" || w[i+2] != "to" {
		return nil, false
	}
	p.FromZone, p.ToZone = w[i+1], w[i+3]
	p.Sources, p.Destinations, p.Services = []string{w[i+4]}, []string{w[i+5]}, []string{w[i+6]}
	i += 7
	for ; i < len(w); i++ {
		switch w[i] {
		case "permit", "deny", "reject":
			p.Action = w[i]
		case "tunnel":
			p.Action = "tunnel"
			if i+2 < len(w) && w[i+1] == "vpn" {
				p.Tunnel = w[i+2]
				i += 2
			}
		case "id", "pair-policy":
			i++
		case "log":
			p.Log = true
		case "nat":
			return nil, false // NAT policies are not modelled
		}
	}
	if p.Action == "" {
		return nil, false
	}
	if p.Name == "" {
		p.Name = unnamedPolicy(id)
	}
	if len(p.Services) == 1 && strings.EqualFold(p.Services[0], "ANY") {
		p.Services = nil
	}
	return p, true
}

// unnamedPolicy is the model's name of a policy the device has no name for.
func unnamedPolicy(id int) string { return "policy-" + strconv.Itoa(id) }

// address resolves an address name of zone: "any", the CIDR of an address-book entry, the
// name itself when it is a CIDR, else the name as printed.
func (d *device) address(zone, name string) string {
	if strings.EqualFold(name, "any") {
		return "any"
	}
	if c, ok := d.addresses[zone][name]; ok {
		return c
	}
	return name
}

func (d *device) addressList(zone string, names []string) []string {
	var out []string
	for _, n := range names {
		out = append(out, d.address(zone, n))
	}
	if len(out) == 1 && out[0] == "any" {
		return nil
	}
	return out
}

// positionOf is where policy id stands among the policies of its zone pair, in the form of
// vpn.PositionHolds: the neighbour above ("top" or "after:<id>") and the one below
// ("before:<id>" or "bottom"), e.g. "top,before:3", "after:2,bottom", "top,bottom".
func (d *device) positionOf(id int) string {
	var me policyRef
	for _, r := range d.policyOrder {
		if r.id == id {
			me = r
		}
	}
	// The neighbours within the zone pair: ScreenOS evaluates a pair's policies top down in
	// the order `get config` lists them.
	above, below, seen := "top", "bottom", false
	for _, r := range d.policyOrder {
		switch {
		case r.id == id:
			seen = true
		case r.from != me.from || r.to != me.to:
		case !seen:
			above = "after:" + strconv.Itoa(r.id)
		case below == "bottom":
			below = "before:" + strconv.Itoa(r.id)
		}
	}
	return above + "," + below
}
