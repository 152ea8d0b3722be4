package rtx

import (
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// lineOnly describes a listing error by its line number only: the line may hold a secret.
func lineOnly(err error) string {
	var le *setconf.LineError
	if errors.As(err, &le) {
		return fmt.Sprintf("line %d cannot be read", le.Number)
	}
	return "it cannot be read"
}

// route is an `ip route` line split into its gateway segments.
type route struct {
	dest     string
	segments []segment
	extra    []string // the words of segments the model does not manage, as listed
}

// segment is one `gateway G [params]` of a route.
type segment struct {
	gw      []string // "tunnel N" or one word
	filters []int
	metric  int
	other   bool // parameters the model does not hold (hide, weight, keepalive, ...)
	words   []string
}

// splitRoute splits `ip route DEST gateway ... [gateway ...]`. The model manages segments to
// a tunnel or an IPv4 next hop that carry filters (source routes) and the first such segment
// without filters and without other parameters than metric (the static route); the rest are
// extra.
func splitRoute(w []string) route {
	r := route{dest: w[2]}
	var cur *segment
	for i := 3; i < len(w); i++ {
		if w[i] == "gateway" {
			r.segments = append(r.segments, segment{words: []string{"gateway"}})
			cur = &r.segments[len(r.segments)-1]
			if i+1 < len(w) {
				i++
				cur.words = append(cur.words, w[i])
				cur.gw = []string{w[i]}
				if (w[i] == "tunnel" || w[i] == "pp" || w[i] == "dhcp") && i+1 < len(w) {
					i++
					cur.words = append(cur.words, w[i])
					cur.gw = append(cur.gw, w[i])
				}
			}
			continue
		}
		if cur == nil {
			r.extra = append(r.extra, w[i])
			continue
		}
		cur.words = append(cur.words, w[i])
		switch {
		case w[i] == "filter":
			for i+1 < len(w) {
				n, err := strconv.Atoi(w[i+1])
				if err != nil {
					break
				}
				cur.filters = append(cur.filters, n)
				i++
				cur.words = append(cur.words, w[i])
			}
		case w[i] == "metric" && i+1 < len(w):
			if n, err := strconv.Atoi(w[i+1]); err == nil {
				cur.metric = n
				i++
				cur.words = append(cur.words, w[i])
			} else {
				cur.other = true
			}
		default:
			cur.other = true
		}
	}
	static := false
	for i := range r.segments {
		s := &r.segments[i]
		if !s.managed(&static) {
			r.extra = append(r.extra, s.words...)
		}
	}
	return r
}

// managed reports whether the model holds s; static says whether a static segment was taken.
func (s *segment) managed(static *bool) bool {
	okGw := len(s.gw) == 2 && s.gw[0] == "tunnel" || len(s.gw) == 1 && vpn.CheckIPv4(s.gw[0]) == ""
	if len(s.gw) == 2 && s.gw[0] == "tunnel" {
		if n, err := strconv.Atoi(s.gw[1]); err != nil || n < 1 {
			okGw = false
		}
	}
	if !okGw || s.other {
		return false
	}
	if len(s.filters) > 0 {
		return s.metric == 0
	}
	if *static {
		return false
	}
	*static = true
	return true
}

func (s *segment) target() (iface, nextHop string) {
	if s.gw[0] == "tunnel" {
		return "tunnel" + s.gw[1], ""
	}
	return "", s.gw[0]
}

// neighborOptions splits the options of a `bgp neighbor` line into the ones the model holds
// (hold-time, local-address) and the others, kept as listed.
func neighborOptions(opts []string) (map[string]string, []string) {
	known := map[string]string{}
	var extra []string
	for _, o := range opts {
		k, v, ok := strings.Cut(o, "=")
		if ok && (k == "hold-time" || k == "local-address") {
			known[k] = v
			continue
		}
		extra = append(extra, o)
	}
	return known, extra
}

func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// Parse reads `show config` into the model. Objects the model does not hold are ignored;
// lines listed in negated form are not configuration. A line that cannot be split is an error
// naming its number.
func (p *RTX) Parse(text string) (*vpn.Config, error) {
	es, err := deviceEntries(text)
	if err != nil {
		return nil, fmt.Errorf("rtx: %s", lineOnly(err))
	}
	cfg := vpn.NewConfig()
	gwNames := map[int]string{}
	listNames := map[int]string{}
	gws := map[int]*vpn.IKEGateway{}
	gw := func(s string) *vpn.IKEGateway {
		n, ok := atoi(s)
		if !ok || n == 0 {
			return nil
		}
		if gws[n] == nil {
			gws[n] = &vpn.IKEGateway{Number: n, IKEVersion: defaultIKEVersion, Lifetime: defaultDuration,
				Proposals: []vpn.IKEProposal{defaultProposal}}
		}
		return gws[n]
	}
	type gwExtra struct {
		pfs      bool
		pfsGroup int
		saLife   int
		refresh  string
		hasProps bool
	}
	gx := map[int]*gwExtra{}
	x := func(n int) *gwExtra {
		if gx[n] == nil {
			gx[n] = &gwExtra{}
		}
		return gx[n]
	}
	type policy struct {
		gw         int
		enc, hash  string
		antiReplay *bool
	}
	policies := map[int]policy{}
	type tunnelBlock struct {
		n      int
		desc   string
		hasDsc bool
		policy int
		t      vpn.Tunnel
		ipsec  bool
	}
	blocks := map[int]*tunnelBlock{}
	filters := map[int][]string{}
	var routes []route
	var (
		localAS    int64
		routerID   string
		bgpOn      bool
		neighbors  = map[int]*vpn.BGPNeighbor{}
		importF    = map[int][]string{}
		exportF    = map[int][]string{}
		importOfAS = map[int64]int{}
		exportOfAS = map[int64]int{}
	)
	for _, e := range es {
		if e.Negated {
			continue
		}
		w := e.Words
		if tn, ok := tunnelOf(e.Context); ok {
			b := blocks[tn]
			if b == nil {
				b = &tunnelBlock{n: tn}
				blocks[tn] = b
			}
			switch {
			case len(w) == 3 && w[0] == "description" && w[1] == "tunnel":
				b.desc, b.hasDsc = w[2], true
			case len(w) == 3 && w[0] == "ipsec" && w[1] == "tunnel":
				if n, ok := atoi(w[2]); ok {
					b.policy, b.ipsec = n, true
				}
			case len(w) == 5 && w[0] == "ipsec" && w[1] == "tunnel" && w[2] == "outer" && w[3] == "df-bit":
				b.t.DFBit = w[4]
			case len(w) == 4 && w[0] == "ip" && w[1] == "tunnel" && w[2] == "address":
				b.t.Address = w[3]
			case len(w) == 4 && w[0] == "ip" && w[1] == "tunnel" && w[2] == "mtu":
				b.t.MTU, _ = atoi(w[3])
			case len(w) == 6 && w[0] == "ip" && w[1] == "tunnel" && w[2] == "tcp" && w[3] == "mss" && w[4] == "limit":
				b.t.TCPMSS, _ = atoi(w[5])
			}
			continue
		}
		switch {
		case len(w) == 3 && w[0] == "description":
			n, ok := atoi(w[1])
			name, _, _ := strings.Cut(w[2], " ")
			if !ok || vpn.CheckName(name) != "" {
				continue
			}
			switch {
			case n > gatewayDescriptionBase && n <= gatewayDescriptionBase+100:
				gwNames[n-gatewayDescriptionBase] = w[2]
			case n > prefixListDescriptionBase && n <= prefixListDescriptionBase+maxPrefixListNumber:
				listNames[n-prefixListDescriptionBase] = w[2]
			}
		case len(w) >= 5 && w[0] == "ipsec" && w[1] == "ike":
			parseIKE(w, gw, func(n int) (*bool, *int, *int, *bool) {
				ex := x(n)
				return &ex.pfs, &ex.pfsGroup, &ex.saLife, &ex.hasProps
			})
		case len(w) == 5 && w[0] == "ipsec" && w[1] == "auto" && w[2] == "refresh":
			if g := gw(w[3]); g != nil {
				x(g.Number).refresh = w[4]
			}
		case len(w) >= 6 && w[0] == "ipsec" && w[1] == "sa" && w[2] == "policy" && w[5] == "esp":
			id, ok1 := atoi(w[3])
			g, ok2 := atoi(w[4])
			if !ok1 || !ok2 {
				continue
			}
			pol := policy{gw: g, enc: defaultESP} // ESP authentication has no default
			for _, o := range w[6:] {
				switch {
				case espEncryptionOf[o] != "":
					pol.enc = espEncryptionOf[o]
				case espHashOf[o] != "":
					pol.hash = espHashOf[o]
				case strings.HasPrefix(o, "anti-replay-check="):
					v := o == "anti-replay-check=on"
					pol.antiReplay = &v
				}
			}
			policies[id] = pol
		case len(w) >= 6 && w[0] == "ip" && w[1] == "filter" && w[3] == "pass":
			if n, ok := atoi(w[2]); ok {
				filters[n] = w[4:]
			}
		case len(w) >= 5 && w[0] == "ip" && w[1] == "route":
			routes = append(routes, splitRoute(w))
		case len(w) == 3 && w[0] == "bgp" && w[1] == "use":
			bgpOn = w[2] == "on"
		case len(w) == 3 && w[0] == "bgp" && w[1] == "autonomous-system":
			localAS, _ = strconv.ParseInt(w[2], 10, 64)
		case len(w) == 4 && w[0] == "bgp" && w[1] == "router" && w[2] == "id":
			routerID = w[3]
		case len(w) >= 5 && w[0] == "bgp" && (w[1] == "import" || w[1] == "export") && w[2] == "filter":
			if n, ok := atoi(w[3]); ok {
				if w[1] == "import" {
					importF[n] = w[4:]
				} else {
					exportF[n] = w[4:]
				}
			}
		case len(w) == 6 && w[0] == "bgp" && w[1] == "neighbor" && w[2] == "pre-shared-key" && w[4] == "text":
			if n, ok := atoi(w[3]); ok {
				if neighbors[n] == nil {
					neighbors[n] = &vpn.BGPNeighbor{Number: n}
				}
				neighbors[n].Password = w[5]
			}
		case len(w) >= 5 && w[0] == "bgp" && w[1] == "neighbor":
			n, ok := atoi(w[2])
			if !ok {
				continue
			}
			if neighbors[n] == nil {
				neighbors[n] = &vpn.BGPNeighbor{Number: n}
			}
			nb := neighbors[n]
			nb.RemoteAS, _ = strconv.ParseInt(w[3], 10, 64)
			nb.Address = w[4]
			known, _ := neighborOptions(w[5:])
			if h, ok := atoi(known["hold-time"]); ok {
				nb.HoldTime = h
				nb.Keepalive = h / 3
			}
			nb.UpdateSource = known["local-address"]
		case len(w) >= 6 && w[0] == "bgp" && w[1] == "import" && w[3] == "static" && w[4] == "filter":
			// Static (and implicit) routes brought into BGP: what the neighbors of the AS
			// are sent.
			as, _ := strconv.ParseInt(w[2], 10, 64)
			if n, ok := atoi(w[5]); ok {
				importOfAS[as] = n
			}
		case len(w) >= 5 && w[0] == "bgp" && w[1] == "export" && w[3] == "filter":
			as, _ := strconv.ParseInt(w[2], 10, 64)
			if n, ok := atoi(w[4]); ok {
				exportOfAS[as] = n
			}
		}
	}

	// Gateways, with their names.
	gwName := func(n int) string {
		if s, ok := gwNames[n]; ok {
			name, _, _ := strings.Cut(s, " ")
			return name
		}
		return "gateway" + itoa(n)
	}
	for n, g := range gws {
		g.Name = gwName(n)
		if g.NATTraversal != nil && !*g.NATTraversal {
			g.NATTraversal = nil // the default
		}
		if g.IKEVersion == 1 && g.LocalID != "" {
			g.Mode = vpn.IKEModeAggressive
		}
		if g.PeerAddress == "" && g.RemoteID != "" && vpn.CheckIPv4(g.RemoteID) == "" {
			// Without `ipsec ike remote address`, a remote name of type ipv4-addr is where
			// the router sends IKE: seed 001 removes the address (`no ipsec ike remote
			// address 100`), keeps `ipsec ike remote name 100 <Azure address> ipv4-addr`,
			// and initiates (its logs) [INFERRED from the seed].
			g.PeerAddress = g.RemoteID
		}
		if s, ok := gwNames[n]; ok {
			_, g.Description, _ = strings.Cut(s, " ")
		}
		switch x(n).refresh {
		case "on":
			g.ConnectionType = "initiate"
		case "off":
			g.ConnectionType = "respond"
		}
		cfg.Put(g)
	}
	// Tunnels: every block with an IPsec policy.
	for n, b := range blocks {
		if !b.ipsec {
			continue
		}
		t := b.t
		t.Number = n
		t.Interface = "tunnel" + itoa(n)
		t.Name = "tunnel" + itoa(n)
		if b.hasDsc {
			name, desc, _ := strings.Cut(b.desc, " ")
			if vpn.CheckName(name) == "" {
				t.Name, t.Description = name, desc
			}
		}
		pol, ok := policies[b.policy]
		if ok {
			t.Gateway = gwName(pol.gw)
			t.Proposals = []vpn.IPsecProposal{{Encryption: pol.enc, Integrity: pol.hash}}
			t.AntiReplay = pol.antiReplay
			ex := x(pol.gw)
			t.Lifetime = defaultDuration
			if ex.saLife != 0 {
				t.Lifetime = ex.saLife
			}
			if ex.pfs {
				t.PFSGroup = ex.pfsGroup
				if t.PFSGroup == 0 {
					if g := gws[pol.gw]; g != nil && len(g.Proposals) > 0 {
						t.PFSGroup = g.Proposals[0].DHGroup
					}
				}
			}
		}
		cfg.Put(&t)
	}
	// Source and static routes.
	for _, r := range routes {
		dest := r.dest
		if dest == "default" {
			dest = "0.0.0.0/0"
		}
		if _, err := netip.ParsePrefix(dest); err != nil {
			continue
		}
		static := false
		for i := range r.segments {
			s := &r.segments[i]
			if !s.managed(&static) {
				continue
			}
			iface, nh := s.target()
			if len(s.filters) == 0 {
				cfg.Put(&vpn.StaticRoute{Destination: dest, Interface: iface, NextHop: nh, Distance: s.metric})
				continue
			}
			for _, f := range s.filters {
				fw, ok := filters[f]
				if !ok || len(fw) == 0 {
					continue
				}
				sr := &vpn.SourceRoute{Source: fw[0], Interface: iface, NextHop: nh, Rule: f}
				if r.dest != "default" {
					sr.Destination = dest
				}
				cfg.Put(sr)
			}
		}
	}
	// Prefix lists: every BGP filter number, import or export.
	nums := map[int]bool{}
	for n := range importF {
		nums[n] = true
	}
	for n := range exportF {
		nums[n] = true
	}
	listName := func(n int) string {
		if s, ok := listNames[n]; ok {
			name, _, _ := strings.Cut(s, " ")
			return name
		}
		return "bgp-filter" + itoa(n)
	}
	for n := range nums {
		words := importF[n]
		if words == nil {
			words = exportF[n]
		}
		pl := &vpn.PrefixList{Name: listName(n), Number: n, Rules: parseFilter(words)}
		if s, ok := listNames[n]; ok {
			_, pl.Description, _ = strings.Cut(s, " ")
		}
		cfg.Put(pl)
	}
	// Neighbors.
	if bgpOn || len(neighbors) > 0 {
		for _, nb := range neighbors {
			if nb.Address == "" {
				continue
			}
			nb.LocalAS = localAS
			nb.RouterID = routerID
			if f, ok := exportOfAS[nb.RemoteAS]; ok {
				nb.PrefixListIn = listName(f)
			}
			if f, ok := importOfAS[nb.RemoteAS]; ok {
				nb.PrefixListOut = listName(f)
			}
			cfg.Put(nb)
		}
	}
	return cfg, nil
}

// parseIKE reads one `ipsec ike ...` line into its gateway.
func parseIKE(w []string, gw func(string) *vpn.IKEGateway, extra func(int) (pfs *bool, pfsGroup, saLife *int, hasProps *bool)) {
	prop := func(g *vpn.IKEGateway) *vpn.IKEProposal {
		return &g.Proposals[0]
	}
	switch w[2] {
	case "version":
		if g := gw(w[3]); g != nil {
			g.IKEVersion, _ = atoi(w[4])
		}
	case "encryption":
		if g := gw(w[3]); g != nil && ikeEncryptionOf[w[4]] != "" {
			prop(g).Encryption = ikeEncryptionOf[w[4]]
		}
	case "hash":
		if g := gw(w[3]); g != nil && ikeHashOf[w[4]] != "" {
			prop(g).Integrity = ikeHashOf[w[4]]
		}
	case "group":
		if g := gw(w[3]); g != nil {
			if d, ok := dhGroupOf[w[4]]; ok {
				prop(g).DHGroup = d
			}
			if len(w) > 5 {
				if d, ok := dhGroupOf[w[5]]; ok {
					_, pg, _, _ := extra(g.Number)
					*pg = d
				}
			}
		}
	case "duration":
		if len(w) < 6 {
			return
		}
		g := gw(w[4])
		if g == nil {
			return
		}
		n, _ := atoi(w[5])
		switch w[3] {
		case "isakmp-sa", "ike-sa":
			g.Lifetime = n
		case "ipsec-sa", "child-sa":
			_, _, life, _ := extra(g.Number)
			*life = n
		}
	case "keepalive":
		if len(w) < 6 || w[3] != "use" {
			return
		}
		g := gw(w[4])
		if g == nil || w[5] != "on" {
			return
		}
		l := &vpn.Liveness{Interval: 10, RetryCount: 6} // the device's defaults
		if len(w) >= 9 {
			l.Interval, _ = atoi(w[7])
			l.RetryCount, _ = atoi(w[8])
		}
		g.Liveness = l
	case "local", "remote":
		if len(w) < 6 {
			return
		}
		g := gw(w[4])
		if g == nil {
			return
		}
		switch {
		case w[2] == "local" && w[3] == "address":
			g.LocalAddress = w[5]
		case w[2] == "local" && w[3] == "name":
			g.LocalID = w[5]
		case w[2] == "remote" && w[3] == "address":
			g.PeerAddress = w[5]
		case w[2] == "remote" && w[3] == "name":
			g.RemoteID = w[5]
		}
	case "nat-traversal":
		if g := gw(w[3]); g != nil {
			on := w[4] == "on"
			g.NATTraversal = &on
		}
	case "pfs":
		if g := gw(w[3]); g != nil {
			pfs, _, _, _ := extra(g.Number)
			*pfs = w[4] == "on"
		}
	case "pre-shared-key":
		if g := gw(w[3]); g != nil && w[4] == "text" && len(w) > 5 {
			g.PreSharedKey = w[5]
		}
	}
}

// parseFilter reads the words after `bgp import filter N` into rules numbered 10, 20, ...
func parseFilter(words []string) []vpn.PrefixRule {
	action := "permit"
	if len(words) > 0 && words[0] == "reject" {
		action, words = "deny", words[1:]
	}
	if len(words) == 0 {
		return nil
	}
	kind := words[0]
	var out []vpn.PrefixRule
	for _, pfx := range words[1:] {
		if strings.Contains(pfx, "=") {
			continue // metric=, preference=
		}
		if pfx == "all" {
			pfx = "0.0.0.0/0"
		}
		rule := vpn.PrefixRule{Sequence: 10 * (len(out) + 1), Action: action, Prefix: pfx}
		if p, err := netip.ParsePrefix(pfx); err == nil {
			switch kind {
			case "include":
				rule.LE = 32
			case "refines":
				rule.GE, rule.LE = p.Bits()+1, 32
			}
		}
		out = append(out, rule)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Sequence < out[j].Sequence })
	return out
}
