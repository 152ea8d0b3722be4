package junos

import (
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// encryptions maps model encryption names to SRX ones (IKE and IPsec proposals).
var encryptions = [][2]string{
	{"des", "des-cbc"},
	{"3des", "3des-cbc"},
	{"aes128", "aes-128-cbc"},
	{"aes192", "aes-192-cbc"},
	{"aes256", "aes-256-cbc"},
	{"aes128gcm", "aes-128-gcm"},
	{"aes256gcm", "aes-256-gcm"},
}

// ikeHashes are the IKE authentication algorithms.
var ikeHashes = [][2]string{{"md5", "md5"}, {"sha1", "sha1"}, {"sha256", "sha-256"}, {"sha384", "sha-384"}}

// espHashes are the IPsec authentication algorithms.
var espHashes = [][2]string{{"md5", "hmac-md5-96"}, {"sha1", "hmac-sha1-96"}, {"sha256", "hmac-sha-256-128"}}

// dhGroups are the groups SRX accepts for `dh-group` and `perfect-forward-secrecy keys`.
var dhGroups = []int{1, 2, 5, 14, 15, 16, 19, 20, 24}

// Defaults the device applies to leaves it does not print.
const (
	defaultIKELifetime = 28800
	defaultESPLifetime = 3600
	defaultDPDInterval = 10
	defaultDPDRetries  = 5
	defaultRuleset     = "SOURCE_ROUTE"
	anyPrefix          = "0.0.0.0/0"
	defaultRibGroup    = "fbf-rib"
	defaultAcceptTerm  = "default"
)

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// group is a DH group field: `group14`.
func group[T any](path string, ptr func(*T) *int) setconf.Field[T] {
	return setconf.Field[T]{
		Path: strings.Fields(path), Value: true,
		Get: func(o *T) (string, bool) { v := *ptr(o); return "group" + strconv.Itoa(v), v != 0 },
		Set: func(o *T, v string) { *ptr(o) = atoi(strings.TrimPrefix(v, "group")) },
	}
}

// lifetime is `lifetime-seconds`, left out at the device default.
func lifetime[T any](def int, ptr func(*T) *int) setconf.Field[T] {
	return setconf.Field[T]{
		Path: []string{"lifetime-seconds"}, Value: true,
		Get: func(o *T) (string, bool) { v := *ptr(o); return strconv.Itoa(v), v != 0 && v != def },
		Set: func(o *T, v string) { *ptr(o) = atoi(v) },
	}
}

// ikeProposal is one `security ike proposal`: a model proposal with the gateway's lifetime.
type ikeProposal struct {
	vpn.IKEProposal
	Lifetime int
}

var ikeProposalBlock = setconf.Block[ikeProposal]{Root: "security ike proposal *", Fields: []setconf.Field[ikeProposal]{
	setconf.Constant[ikeProposal]("authentication-method", "pre-shared-keys"),
	group("dh-group", func(p *ikeProposal) *int { return &p.DHGroup }),
	setconf.Mapped("authentication-algorithm", func(p *ikeProposal) *string { return &p.Integrity }, ikeHashes),
	setconf.Mapped("encryption-algorithm", func(p *ikeProposal) *string { return &p.Encryption }, encryptions),
	lifetime(defaultIKELifetime, func(p *ikeProposal) *int { return &p.Lifetime }),
}}

// espProposal is one `security ipsec proposal`.
type espProposal struct {
	vpn.IPsecProposal
	Lifetime int
}

var espProposalBlock = setconf.Block[espProposal]{Root: "security ipsec proposal *", Fields: []setconf.Field[espProposal]{
	setconf.Constant[espProposal]("protocol", "esp"),
	setconf.Mapped("authentication-algorithm", func(p *espProposal) *string { return &p.Integrity }, espHashes),
	setconf.Mapped("encryption-algorithm", func(p *espProposal) *string { return &p.Encryption }, encryptions),
	lifetime(defaultESPLifetime, func(p *espProposal) *int { return &p.Lifetime }),
}}

// liveness is a dead-peer-detection leaf; parsing either creates the liveness with defaults.
func liveness(path string, get func(*vpn.Liveness) int, set func(*vpn.Liveness, int)) setconf.Field[vpn.IKEGateway] {
	return setconf.Field[vpn.IKEGateway]{
		Path: strings.Fields(path), Value: true,
		Get: func(g *vpn.IKEGateway) (string, bool) {
			if g.Liveness == nil {
				return "", false
			}
			return strconv.Itoa(get(g.Liveness)), true
		},
		Set: func(g *vpn.IKEGateway, v string) {
			if g.Liveness == nil {
				g.Liveness = &vpn.Liveness{Interval: defaultDPDInterval, RetryCount: defaultDPDRetries}
			}
			set(g.Liveness, atoi(v))
		},
	}
}

// gatewayBlock is the model's part of `security ike gateway <G>`; ike-policy,
// external-interface and the identities are rendered by the renderer.
var gatewayBlock = setconf.Block[vpn.IKEGateway]{Root: "security ike gateway *", Fields: []setconf.Field[vpn.IKEGateway]{
	setconf.Text("address", func(g *vpn.IKEGateway) *string { return &g.PeerAddress }),
	liveness("dead-peer-detection interval", func(l *vpn.Liveness) int { return l.Interval }, func(l *vpn.Liveness, v int) { l.Interval = v }),
	liveness("dead-peer-detection threshold", func(l *vpn.Liveness) int { return l.RetryCount }, func(l *vpn.Liveness, v int) { l.RetryCount = v }),
	setconf.Text("local-address", func(g *vpn.IKEGateway) *string { return &g.LocalAddress }),
	{
		Path: []string{"version"}, Value: true,
		Get: func(g *vpn.IKEGateway) (string, bool) {
			return "v" + strconv.Itoa(g.IKEVersion) + "-only", g.IKEVersion == 1 || g.IKEVersion == 2
		},
		Set: func(g *vpn.IKEGateway, v string) {
			g.IKEVersion = atoi(strings.TrimSuffix(strings.TrimPrefix(v, "v"), "-only"))
		},
	},
	{
		Path: []string{"no-nat-traversal"},
		Get:  func(g *vpn.IKEGateway) (string, bool) { return "", g.NATTraversal != nil && !*g.NATTraversal },
		Set:  func(g *vpn.IKEGateway, _ string) { f := false; g.NATTraversal = &f },
	},
}}

// vpnBlock is the model's part of `security ipsec vpn <T>`.
var vpnBlock = setconf.Block[vpn.Tunnel]{Root: "security ipsec vpn *", Fields: []setconf.Field[vpn.Tunnel]{
	setconf.Text("bind-interface", func(t *vpn.Tunnel) *string { return &t.Interface }),
	setconf.Text("df-bit", func(t *vpn.Tunnel) *string { return &t.DFBit }),
	setconf.Text("ike gateway", func(t *vpn.Tunnel) *string { return &t.Gateway }),
	{
		Path: []string{"ike", "no-anti-replay"},
		Get:  func(t *vpn.Tunnel) (string, bool) { return "", t.AntiReplay != nil && !*t.AntiReplay },
		Set:  func(t *vpn.Tunnel, _ string) { f := false; t.AntiReplay = &f },
	},
	{
		Path: []string{"establish-tunnels"}, Value: true,
		Get: func(t *vpn.Tunnel) (string, bool) { return "immediately", t.EstablishImmediately },
		Set: func(t *vpn.Tunnel, v string) { t.EstablishImmediately = v == "immediately" },
	},
}}

// unitBlock is `interfaces st0 unit <N>` of a tunnel.
var unitBlock = setconf.Block[vpn.Tunnel]{Root: "interfaces st0 unit *", Fields: []setconf.Field[vpn.Tunnel]{
	setconf.Text("description", func(t *vpn.Tunnel) *string { return &t.Description }),
	setconf.Multi(setconf.Text("family inet address", func(t *vpn.Tunnel) *string { return &t.Address })),
	setconf.Number("family inet mtu", func(t *vpn.Tunnel) *int { return &t.MTU }),
}}

var (
	ikeProposals   = []string{"security", "ike", "proposal"}
	ikePolicies    = []string{"security", "ike", "policy"}
	ikeGateways    = []string{"security", "ike", "gateway"}
	espProposals   = []string{"security", "ipsec", "proposal"}
	espPolicies    = []string{"security", "ipsec", "policy"}
	ipsecVPNs      = []string{"security", "ipsec", "vpn"}
	zones          = []string{"security", "zones", "security-zone"}
	tcpMSS         = []string{"security", "flow", "tcp-mss", "ipsec-vpn", "mss"}
	prefixLists    = []string{"policy-options", "prefix-list"}
	policies       = []string{"policy-options", "policy-statement"}
	filters        = []string{"firewall", "family", "inet", "filter"}
	instances      = []string{"routing-instances"}
	ifRibGroup     = []string{"routing-options", "interface-routes", "rib-group", "inet"}
	ribGroups      = []string{"routing-options", "rib-groups"}
	hostInboundIKE = []string{"host-inbound-traffic", "system-services", "ike"}
	hostInboundBGP = []string{"host-inbound-traffic", "protocols", "bgp"}
)

// schema tells setconf.Diff where Junos objects begin, which leaves hold one value and which
// lists are ordered.
var schema = setconf.NewSchema(schemaRoots, schemaLeaves)

// schemaRoots are where SRX objects begin.
var schemaRoots = []setconf.Root{
	{Pattern: "security ike proposal *", Kind: setconf.Object},
	{Pattern: "security ike policy *", Kind: setconf.Object},
	{Pattern: "security ike gateway *", Kind: setconf.Object},
	{Pattern: "security ipsec proposal *", Kind: setconf.Object},
	{Pattern: "security ipsec policy *", Kind: setconf.Object},
	{Pattern: "security ipsec vpn *", Kind: setconf.Object},
	{Pattern: "security ipsec vpn * traffic-selector *", Kind: setconf.Object, Ordered: true},
	{Pattern: "security ipsec vpn * ike proxy-identity", Kind: setconf.Object},
	{Pattern: "security flow tcp-mss ipsec-vpn", Kind: setconf.Container},
	{Pattern: "security zones security-zone *", Kind: setconf.Container},
	{Pattern: "security zones security-zone * interfaces *", Kind: setconf.Object},
	{Pattern: "security zones security-zone * host-inbound-traffic system-services ike", Kind: setconf.Object},
	{Pattern: "security zones security-zone * host-inbound-traffic protocols bgp", Kind: setconf.Object},
	{Pattern: "interfaces st0 unit *", Kind: setconf.Object},
	{Pattern: "routing-options static route *", Kind: setconf.Object},
	{Pattern: "routing-instances * routing-options static route *", Kind: setconf.Object},
	{Pattern: "routing-instances *", Kind: setconf.Container},
	{Pattern: "firewall family inet filter *", Kind: setconf.Container},
	{Pattern: "firewall family inet filter * term *", Kind: setconf.Object, Ordered: true},
	{Pattern: "interfaces * unit * family inet filter input *", Kind: setconf.Object},
	{Pattern: "routing-options interface-routes rib-group", Kind: setconf.Container},
	{Pattern: "routing-options rib-groups *", Kind: setconf.Container},
	{Pattern: "policy-options prefix-list *", Kind: setconf.Object},
	{Pattern: "policy-options policy-statement *", Kind: setconf.Object},
	{Pattern: "policy-options policy-statement * term *", Kind: setconf.Object, Ordered: true},
	{Pattern: "protocols bgp group *", Kind: setconf.Container},
	{Pattern: "protocols bgp group * neighbor *", Kind: setconf.Object},
	{Pattern: "routing-instances * protocols bgp group *", Kind: setconf.Container},
	{Pattern: "routing-instances * protocols bgp group * neighbor *", Kind: setconf.Object},
}

// schemaLeaves are the single-value leaves.
var schemaLeaves = func() []string {
	var leaves []string
	leaves = append(leaves, ikeProposalBlock.ValueLeaves()...)
	leaves = append(leaves, espProposalBlock.ValueLeaves()...)
	leaves = append(leaves, gatewayBlock.ValueLeaves()...)
	leaves = append(leaves, vpnBlock.ValueLeaves()...)
	leaves = append(leaves, unitBlock.ValueLeaves()...)
	leaves = append(leaves,
		"security ike policy * mode",
		"security ike policy * pre-shared-key ascii-text",
		"security ike gateway * ike-policy",
		"security ike gateway * external-interface",
		"security ike gateway * local-identity inet|hostname|user-at-hostname",
		"security ike gateway * remote-identity inet|hostname|user-at-hostname",
		"security ipsec policy * perfect-forward-secrecy keys",
		"security ipsec vpn * ike ipsec-policy",
		"security ipsec vpn * vpn-monitor destination-ip",
		"security ipsec vpn * ike proxy-identity local",
		"security ipsec vpn * ike proxy-identity remote",
		"security ipsec vpn * ike proxy-identity service",
		"security ipsec vpn * traffic-selector * local-ip",
		"security ipsec vpn * traffic-selector * remote-ip",
		"security flow tcp-mss ipsec-vpn mss",
		"routing-options static route * preference",
		"routing-instances * routing-options static route * preference",
		"routing-instances * instance-type",
		"routing-options autonomous-system",
		"routing-options router-id",
		"routing-instances * routing-options autonomous-system",
		"routing-instances * routing-options router-id",
		"routing-options interface-routes rib-group inet",
		"firewall family inet filter * term * then routing-instance",
		"interfaces * unit * family inet filter input",
	)
	for _, p := range []string{"protocols bgp group *", "routing-instances * protocols bgp group *"} {
		leaves = append(leaves, p+" type")
		for _, l := range []string{"peer-as", "local-as", "local-address", "multihop ttl", "hold-time", "authentication-key", "description"} {
			leaves = append(leaves, p+" "+l, p+" neighbor * "+l)
		}
	}
	return leaves
}()
