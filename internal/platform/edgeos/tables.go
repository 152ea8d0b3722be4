package edgeos

import (
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// encryptions maps model encryption names to EdgeOS ones. Model names missing here (aes192,
// des) have no EdgeOS spelling.
var encryptions = [][2]string{
	{"aes128", "aes128"},
	{"aes256", "aes256"},
	{"3des", "3des"},
	{"aes128gcm", "aes128gcm128"},
	{"aes256gcm", "aes256gcm128"},
}

// hashes are the integrity algorithms; the names are the same in the model and on EdgeOS.
var hashes = [][2]string{{"md5", "md5"}, {"sha1", "sha1"}, {"sha256", "sha256"}, {"sha384", "sha384"}, {"sha512", "sha512"}}

// dhGroups are the Diffie-Hellman groups EdgeOS accepts for `dh-group` and `pfs dh-groupN`.
var dhGroups = []int{2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26}

// Parse defaults for leaves the device may not print.
const (
	defaultIKELifetime = 28800
	defaultESPLifetime = 3600
	defaultDPDInterval = 30
	defaultDPDTimeout  = 120
	defaultDPDAction   = "hold"
	defaultRuleset     = "SOURCE_ROUTE"
	anyPrefix          = "0.0.0.0/0"
)

// dpd is a dead-peer-detection leaf; parsing any of them creates the DPD with defaults.
func dpd(path string, get func(*vpn.DPD) string, set func(*vpn.DPD, string)) setconf.Field[vpn.IKEGateway] {
	return setconf.Field[vpn.IKEGateway]{
		Path:  strings.Fields(path),
		Value: true,
		Get: func(g *vpn.IKEGateway) (string, bool) {
			if g.DPD == nil {
				return "", false
			}
			return get(g.DPD), true
		},
		Set: func(g *vpn.IKEGateway, v string) {
			if g.DPD == nil {
				g.DPD = &vpn.DPD{Interval: defaultDPDInterval, Timeout: defaultDPDTimeout, Action: defaultDPDAction}
			}
			set(g.DPD, v)
		},
	}
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// ikeGroupBlock is `vpn ipsec ike-group <Name>`.
var ikeGroupBlock = setconf.Block[vpn.IKEGateway]{Root: "vpn ipsec ike-group *", Fields: []setconf.Field[vpn.IKEGateway]{
	{
		Path: []string{"key-exchange"}, Value: true,
		Get: func(g *vpn.IKEGateway) (string, bool) { return "ikev" + strconv.Itoa(g.IKEVersion), true },
		Set: func(g *vpn.IKEGateway, v string) { g.IKEVersion = atoi(strings.TrimPrefix(v, "ikev")) },
	},
	setconf.Number("lifetime", func(g *vpn.IKEGateway) *int { return &g.Lifetime }),
	dpd("dead-peer-detection action", func(d *vpn.DPD) string { return d.Action }, func(d *vpn.DPD, v string) { d.Action = v }),
	dpd("dead-peer-detection interval", func(d *vpn.DPD) string { return strconv.Itoa(d.Interval) }, func(d *vpn.DPD, v string) { d.Interval = atoi(v) }),
	dpd("dead-peer-detection timeout", func(d *vpn.DPD) string { return strconv.Itoa(d.Timeout) }, func(d *vpn.DPD, v string) { d.Timeout = atoi(v) }),
}}

// ikeProposalBlock is `vpn ipsec ike-group <Name> proposal <n>`.
var ikeProposalBlock = setconf.Block[vpn.IKEProposal]{Root: "vpn ipsec ike-group * proposal *", Fields: []setconf.Field[vpn.IKEProposal]{
	setconf.Number("dh-group", func(p *vpn.IKEProposal) *int { return &p.DHGroup }),
	setconf.Mapped("encryption", func(p *vpn.IKEProposal) *string { return &p.Encryption }, encryptions),
	setconf.Mapped("hash", func(p *vpn.IKEProposal) *string { return &p.Integrity }, hashes),
}}

// peerBlock is the gateway's part of `vpn ipsec site-to-site peer <PeerAddress>`.
var peerBlock = setconf.Block[vpn.IKEGateway]{Root: "vpn ipsec site-to-site peer *", Fields: []setconf.Field[vpn.IKEGateway]{
	setconf.Text("authentication id", func(g *vpn.IKEGateway) *string { return &g.LocalID }),
	setconf.Constant[vpn.IKEGateway]("authentication mode", "pre-shared-secret"),
	setconf.Text("authentication pre-shared-secret", func(g *vpn.IKEGateway) *string { return &g.PreSharedKey }),
	setconf.Text("authentication remote-id", func(g *vpn.IKEGateway) *string { return &g.RemoteID }),
	setconf.Text("connection-type", func(g *vpn.IKEGateway) *string { return &g.ConnectionType }),
	setconf.Text("description", func(g *vpn.IKEGateway) *string { return &g.Description }),
	setconf.Text("ike-group", func(g *vpn.IKEGateway) *string { return &g.Name }),
	{
		Path: []string{"local-address"}, Value: true,
		Get: func(g *vpn.IKEGateway) (string, bool) {
			if g.LocalAddress == "" {
				return "any", true
			}
			return g.LocalAddress, true
		},
		Set: func(g *vpn.IKEGateway, v string) {
			if v != "any" {
				g.LocalAddress = v
			}
		},
	},
}}

// espGroupBlock is `vpn ipsec esp-group <Name>`.
var espGroupBlock = setconf.Block[vpn.Tunnel]{Root: "vpn ipsec esp-group *", Fields: []setconf.Field[vpn.Tunnel]{
	setconf.Number("lifetime", func(t *vpn.Tunnel) *int { return &t.Lifetime }),
	setconf.Constant[vpn.Tunnel]("mode", "tunnel"),
	{
		Path: []string{"pfs"}, Value: true,
		Get: func(t *vpn.Tunnel) (string, bool) {
			if t.PFSGroup == 0 {
				return "disable", true
			}
			return "dh-group" + strconv.Itoa(t.PFSGroup), true
		},
		Set: func(t *vpn.Tunnel, v string) {
			switch {
			case v == "disable":
				t.PFSGroup = 0
			case strings.HasPrefix(v, "dh-group"):
				t.PFSGroup = atoi(strings.TrimPrefix(v, "dh-group"))
			default: // "enable": the IKE group's DH group, resolved by the parser
				t.PFSGroup = pfsFromIKE
			}
		},
	},
}}

// pfsFromIKE marks `pfs enable` (the default) until the parser knows the gateway's DH group.
const pfsFromIKE = -1

// espProposalBlock is `vpn ipsec esp-group <Name> proposal <n>`.
var espProposalBlock = setconf.Block[vpn.IPsecProposal]{Root: "vpn ipsec esp-group * proposal *", Fields: []setconf.Field[vpn.IPsecProposal]{
	setconf.Mapped("encryption", func(p *vpn.IPsecProposal) *string { return &p.Encryption }, encryptions),
	setconf.Mapped("hash", func(p *vpn.IPsecProposal) *string { return &p.Integrity }, hashes),
}}

// vtiBlock is `interfaces vti <Interface>` of a route-based tunnel.
var vtiBlock = setconf.Block[vpn.Tunnel]{Root: "interfaces vti *", Fields: []setconf.Field[vpn.Tunnel]{
	setconf.Multi(setconf.Text("address", func(t *vpn.Tunnel) *string { return &t.Address })),
	setconf.Text("description", func(t *vpn.Tunnel) *string { return &t.Description }),
	setconf.Number("mtu", func(t *vpn.Tunnel) *int { return &t.MTU }),
}}

// peerVTIBlock is the route-based tunnel's part of the peer.
var peerVTIBlock = setconf.Block[vpn.Tunnel]{Root: "vpn ipsec site-to-site peer *", Fields: []setconf.Field[vpn.Tunnel]{
	setconf.Text("vti bind", func(t *vpn.Tunnel) *string { return &t.Interface }),
	setconf.Text("vti esp-group", func(t *vpn.Tunnel) *string { return &t.Name }),
}}

// policyTunnel is one numbered `tunnel <n>` of a peer: one traffic selector of a tunnel.
type policyTunnel struct {
	ESPGroup string
	vpn.TrafficSelector
}

// peerTunnelBlock is `vpn ipsec site-to-site peer <P> tunnel <n>`.
var peerTunnelBlock = setconf.Block[policyTunnel]{Root: "vpn ipsec site-to-site peer * tunnel *", Fields: []setconf.Field[policyTunnel]{
	setconf.Text("esp-group", func(p *policyTunnel) *string { return &p.ESPGroup }),
	setconf.Text("local prefix", func(p *policyTunnel) *string { return &p.Local }),
	setconf.Text("remote prefix", func(p *policyTunnel) *string { return &p.Remote }),
	setconf.Number("local port", func(p *policyTunnel) *int { return &p.LocalPort }),
	setconf.Number("remote port", func(p *policyTunnel) *int { return &p.RemotePort }),
	{
		// `protocol {all|<name>|<num>}`: absent when the selector takes any protocol, so that
		// selectors without one render exactly as before; `all` parses as any.
		Path: []string{"protocol"}, Value: true,
		Get: func(p *policyTunnel) (string, bool) { return p.Protocol, p.Protocol != "" },
		Set: func(p *policyTunnel, v string) {
			if v == "all" {
				v = ""
			}
			p.Protocol = v
		},
	},
}}

// modifyRuleBlock is `firewall modify <Ruleset> rule <Rule>` of a source route.
var modifyRuleBlock = setconf.Block[vpn.SourceRoute]{Root: "firewall modify * rule *", Fields: []setconf.Field[vpn.SourceRoute]{
	setconf.Constant[vpn.SourceRoute]("action", "modify"),
	setconf.Text("description", func(r *vpn.SourceRoute) *string { return &r.Description }),
	setconf.Text("destination address", func(r *vpn.SourceRoute) *string { return &r.Destination }),
	setconf.Number("modify table", func(r *vpn.SourceRoute) *int { return &r.Table }),
	setconf.Text("source address", func(r *vpn.SourceRoute) *string { return &r.Source }),
}}

// prefixListBlock is `policy prefix-list <Name>`.
var prefixListBlock = setconf.Block[vpn.PrefixList]{Root: "policy prefix-list *", Fields: []setconf.Field[vpn.PrefixList]{
	setconf.Text("description", func(p *vpn.PrefixList) *string { return &p.Description }),
}}

// prefixRuleBlock is `policy prefix-list <Name> rule <Sequence>`.
var prefixRuleBlock = setconf.Block[vpn.PrefixRule]{Root: "policy prefix-list * rule *", Fields: []setconf.Field[vpn.PrefixRule]{
	setconf.Text("action", func(r *vpn.PrefixRule) *string { return &r.Action }),
	setconf.Text("description", func(r *vpn.PrefixRule) *string { return &r.Description }),
	setconf.Number("ge", func(r *vpn.PrefixRule) *int { return &r.GE }),
	setconf.Number("le", func(r *vpn.PrefixRule) *int { return &r.LE }),
	setconf.Text("prefix", func(r *vpn.PrefixRule) *string { return &r.Prefix }),
}}

// neighborBlock is `protocols bgp <LocalAS> neighbor <Address>`.
var neighborBlock = setconf.Block[vpn.BGPNeighbor]{Root: "protocols bgp * neighbor *", Fields: []setconf.Field[vpn.BGPNeighbor]{
	setconf.Text("description", func(n *vpn.BGPNeighbor) *string { return &n.Description }),
	setconf.Number("ebgp-multihop", func(n *vpn.BGPNeighbor) *int { return &n.EBGPMultihop }),
	setconf.Text("password", func(n *vpn.BGPNeighbor) *string { return &n.Password }),
	setconf.Text("prefix-list export", func(n *vpn.BGPNeighbor) *string { return &n.PrefixListOut }),
	setconf.Text("prefix-list import", func(n *vpn.BGPNeighbor) *string { return &n.PrefixListIn }),
	setconf.Number64("remote-as", func(n *vpn.BGPNeighbor) *int64 { return &n.RemoteAS }),
	setconf.Presence("soft-reconfiguration inbound", func(n *vpn.BGPNeighbor) *bool { return &n.SoftReconfigIn }),
	setconf.Number("timers holdtime", func(n *vpn.BGPNeighbor) *int { return &n.HoldTime }),
	setconf.Number("timers keepalive", func(n *vpn.BGPNeighbor) *int { return &n.Keepalive }),
	setconf.Text("update-source", func(n *vpn.BGPNeighbor) *string { return &n.UpdateSource }),
}}

// ingressTypes maps interface name prefixes to their `interfaces <type>` node; a name may
// carry a VLAN as `.V` (`interfaces <type> <base> vif <V>`).
var ingressTypes = [][2]string{{"eth", "ethernet"}, {"switch", "switch"}, {"br", "bridge"}, {"bond", "bonding"}}

// interfacePath returns the configuration path of an ingress interface such as eth1, eth1.10
// or switch0, or false when EdgeOS has no such interface type.
func interfacePath(name string) ([]string, bool) {
	base, vif, hasVIF := strings.Cut(name, ".")
	for _, t := range ingressTypes {
		num, ok := strings.CutPrefix(base, t[0])
		if !ok || !allDigits(num) || hasVIF && !allDigits(vif) {
			continue
		}
		p := []string{"interfaces", t[1], base}
		if hasVIF {
			p = append(p, "vif", vif)
		}
		return p, true
	}
	return nil, false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

var (
	inModify  = []string{"firewall", "in", "modify"}
	mssClamp  = []string{"firewall", "options", "mss-clamp"}
	ipsecPeer = []string{"vpn", "ipsec", "site-to-site", "peer"}
)

// schema tells setconf.Diff where EdgeOS objects begin and which leaves hold one value.
var schema = func() *setconf.Schema {
	roots := []setconf.Root{
		{Pattern: "vpn ipsec ike-group *", Kind: setconf.Object},
		{Pattern: "vpn ipsec esp-group *", Kind: setconf.Object},
		{Pattern: "vpn ipsec site-to-site peer *", Kind: setconf.Object},
		{Pattern: "vpn ipsec site-to-site peer * vti", Kind: setconf.Object},
		{Pattern: "vpn ipsec site-to-site peer * tunnel *", Kind: setconf.Object},
		{Pattern: "interfaces vti *", Kind: setconf.Object},
		{Pattern: "firewall options mss-clamp", Kind: setconf.Container},
		{Pattern: "protocols static interface-route *", Kind: setconf.Object},
		{Pattern: "protocols static route *", Kind: setconf.Object},
		{Pattern: "protocols static table *", Kind: setconf.Container},
		{Pattern: "protocols static table * interface-route|route *", Kind: setconf.Object},
		{Pattern: "firewall modify *", Kind: setconf.Container},
		{Pattern: "firewall modify * rule *", Kind: setconf.Object},
		{Pattern: "interfaces * * firewall in modify *", Kind: setconf.Object},
		{Pattern: "interfaces * * vif * firewall in modify *", Kind: setconf.Object},
		{Pattern: "policy prefix-list *", Kind: setconf.Object},
		{Pattern: "policy prefix-list * rule *", Kind: setconf.Object},
		{Pattern: "protocols bgp *", Kind: setconf.Container},
		{Pattern: "protocols bgp * neighbor *", Kind: setconf.Object},
		{Pattern: "protocols bgp * network *", Kind: setconf.Object},
	}
	var leaves []string
	leaves = append(leaves, ikeGroupBlock.ValueLeaves()...)
	leaves = append(leaves, ikeProposalBlock.ValueLeaves()...)
	leaves = append(leaves, peerBlock.ValueLeaves()...)
	leaves = append(leaves, espGroupBlock.ValueLeaves()...)
	leaves = append(leaves, espProposalBlock.ValueLeaves()...)
	leaves = append(leaves, vtiBlock.ValueLeaves()...)
	leaves = append(leaves, peerVTIBlock.ValueLeaves()...)
	leaves = append(leaves, peerTunnelBlock.ValueLeaves()...)
	leaves = append(leaves, modifyRuleBlock.ValueLeaves()...)
	leaves = append(leaves, prefixListBlock.ValueLeaves()...)
	leaves = append(leaves, prefixRuleBlock.ValueLeaves()...)
	leaves = append(leaves, neighborBlock.ValueLeaves()...)
	leaves = append(leaves,
		"firewall options mss-clamp mss",
		"protocols static interface-route * next-hop-interface * distance",
		"protocols static route * next-hop * distance",
		"protocols static table * interface-route * next-hop-interface * distance",
		"protocols static table * route * next-hop * distance",
		"interfaces * * firewall in modify",
		"interfaces * * vif * firewall in modify",
		"protocols bgp * parameters router-id",
	)
	return setconf.NewSchema(roots, leaves)
}()
