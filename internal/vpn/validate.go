package vpn

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FieldError is one validation problem with one attribute.
type FieldError struct {
	// Field is the attribute path in Terraform terms, naming the element of a nested
	// attribute: "proposals[0].dh_group" (a list element by index), `rules["20"].description`
	// (a prefix-list rule by its sequence number), `networks["10.0.0.0/8"]` (a set element by
	// value), "dpd.interval" (a single nested attribute).
	Field   string
	Message string
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// Errors is a list of validation problems; nil or empty means valid.
type Errors []FieldError

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Err returns es as an error, or nil when there is nothing in it.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

func (es *Errors) add(field, format string, args ...any) {
	*es = append(*es, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Limits shared by every platform. Platforms narrow them further.
const (
	MaxNameLength        = 63
	MaxDescriptionLength = 255
	MaxSecretLength      = 128
)

var (
	nameRE      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]*$`)
	interfaceRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_\-]*(?:[./:][0-9]+)*$`)
	fqdnRE      = regexp.MustCompile(`^(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$`)
)

// CheckName validates an identifier: letters, digits, '_', '.', '-', starting with a letter or
// digit. Such a value cannot break out of a CLI token on any platform.
// CheckPolicyName checks the name of a security policy: free text of one line (a seed's
// ScreenOS policy is named "Go Azure"), not empty, without leading or trailing blanks;
// whether the platform takes spaces or which characters it quotes is the platform's check.
func CheckPolicyName(s string) string {
	switch {
	case s == "":
		return "must not be empty"
	case strings.TrimSpace(s) != s:
		return "must not start or end with a blank"
	case strings.ContainsRune(s, '"'):
		return fmt.Sprintf("%q must not contain a double quote: CLIs quote names with it", s)
	case len(s) > MaxNameLength:
		return fmt.Sprintf("must be at most %d characters, got %d", MaxNameLength, len(s))
	}
	return CheckText(s, MaxNameLength)
}

func CheckName(s string) string {
	switch {
	case s == "":
		return "must not be empty"
	case len(s) > MaxNameLength:
		return fmt.Sprintf("must be at most %d characters, got %d", MaxNameLength, len(s))
	case !nameRE.MatchString(s):
		return fmt.Sprintf("%q may contain only letters, digits, '_', '.' and '-', and must start with a letter or digit", s)
	}
	return ""
}

// CheckText validates free text such as a description: printable, no backslash or backquote,
// no control characters or newlines, bounded length. Quotes are the platforms' to judge: each
// dialect renders them safely or refuses them with its device's reason (EdgeOS stores none).
func CheckText(s string, max int) string {
	if len(s) > max {
		return fmt.Sprintf("must be at most %d characters, got %d", max, len(s))
	}
	if !utf8.ValidString(s) {
		return "must be valid UTF-8"
	}
	for _, r := range s {
		switch {
		case r == '\\' || r == '`':
			return fmt.Sprintf("must not contain the character %s", string(r))
		case r == '\n' || r == '\r':
			return "must not contain a line break"
		case unicode.IsControl(r) || !unicode.IsPrint(r) && r != ' ':
			return fmt.Sprintf("must not contain the control character %U", r)
		}
	}
	if strings.TrimSpace(s) != s {
		return "must not start or end with whitespace"
	}
	return ""
}

// CheckSecret validates a pre-shared key or password: printable ASCII without spaces, quotes or
// backslashes, so that it is one CLI token on every platform. The message never contains the
// value.
func CheckSecret(s string) string {
	if s == "" {
		return "must not be empty"
	}
	if len(s) > MaxSecretLength {
		return fmt.Sprintf("must be at most %d characters", MaxSecretLength)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f {
			return fmt.Sprintf("must contain only printable ASCII without spaces (offending character at position %d)", i+1)
		}
		if c == '"' || c == '\'' || c == '\\' || c == '`' {
			return fmt.Sprintf("must not contain quotes or backslashes (offending character at position %d)", i+1)
		}
	}
	return ""
}

// CheckInterface validates an interface name such as vti0, tunnel.1, eth1.10 or st0.0.
func CheckInterface(s string) string {
	if s == "" {
		return "must not be empty"
	}
	if len(s) > 32 {
		return fmt.Sprintf("must be at most 32 characters, got %d", len(s))
	}
	if !interfaceRE.MatchString(s) {
		return fmt.Sprintf("%q is not an interface name", s)
	}
	return ""
}

// CheckIPv4 validates a dotted-quad IPv4 address.
func CheckIPv4(s string) string {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return fmt.Sprintf("%q is not an IPv4 address", s)
	}
	return ""
}

// CheckPeerAddress accepts an IPv4 address or a fully qualified domain name.
func CheckPeerAddress(s string) string {
	if CheckIPv4(s) == "" {
		return ""
	}
	if len(s) <= 253 && fqdnRE.MatchString(s) {
		return ""
	}
	return fmt.Sprintf("%q is neither an IPv4 address nor a domain name", s)
}

// CheckCIDR validates an IPv4 prefix in canonical form (host bits zero), e.g. 10.0.0.0/16.
func CheckCIDR(s string) string {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() {
		return fmt.Sprintf("%q is not an IPv4 prefix in a.b.c.d/len form", s)
	}
	if p.Masked() != p {
		return fmt.Sprintf("%q has host bits set; did you mean %s?", s, p.Masked())
	}
	return ""
}

// CheckHostCIDR validates an interface address with its prefix length, e.g. 169.254.21.2/30.
func CheckHostCIDR(s string) string {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() {
		return fmt.Sprintf("%q is not an IPv4 address with prefix length", s)
	}
	return ""
}

// CheckSequence validates a prefix-list rule number written as text (a key of the rules
// map): a whole number from 1 to 65535 in its plain decimal form, as devices print it.
func CheckSequence(s string) string {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != s {
		return fmt.Sprintf("%q is not a rule sequence number: use a whole number from 1 to 65535 without leading zeros or signs", s)
	}
	return ""
}

// CheckRange validates an integer range, inclusive.
func CheckRange(v, lo, hi int64) string {
	if v < lo || v > hi {
		return fmt.Sprintf("must be between %d and %d, got %d", lo, hi, v)
	}
	return ""
}

// CheckOneOf validates an enumerated value.
func CheckOneOf(s string, allowed ...string) string {
	for _, a := range allowed {
		if s == a {
			return ""
		}
	}
	return fmt.Sprintf("%q is not one of %s", s, strings.Join(allowed, ", "))
}

func (es *Errors) check(field, msg string) {
	if msg != "" {
		es.add(field, "%s", msg)
	}
}

// Encryption and integrity algorithms and DH groups known to the model. Platforms accept
// subsets of these.
var (
	Encryptions  = []string{"aes128", "aes192", "aes256", "3des", "des", "aes128gcm", "aes256gcm"}
	Integrities  = []string{"md5", "sha1", "sha256", "sha384", "sha512"}
	DHGroups     = []int{1, 2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 24}
	DPDActions   = []string{"hold", "clear", "restart"}
	ConnTypes    = []string{"initiate", "respond"}
	IKEModes     = []string{IKEModeMain, IKEModeAggressive}
	DFBits       = []string{DFBitClear, DFBitSet, DFBitCopy}
	Protocols    = []string{"tcp", "udp", "icmp"}
	PrefixAction = []string{"permit", "deny"}
)

func checkDH(g int, allowZero bool) string {
	if allowZero && g == 0 {
		return ""
	}
	for _, x := range DHGroups {
		if g == x {
			return ""
		}
	}
	return fmt.Sprintf("%d is not a supported Diffie-Hellman group (%v)", g, DHGroups)
}

// Validate checks an IKE gateway.
func (g *IKEGateway) Validate() Errors {
	var es Errors
	es.check("name", CheckName(g.Name))
	es.check("peer_address", CheckPeerAddress(g.PeerAddress))
	if g.LocalAddress != "" {
		es.check("local_address", CheckIPv4(g.LocalAddress))
	}
	if g.IKEVersion != 1 && g.IKEVersion != 2 {
		es.add("ike_version", "must be 1 or 2, got %d", g.IKEVersion)
	}
	if g.PreSharedKey != "" {
		es.check("pre_shared_key", CheckSecret(g.PreSharedKey))
	}
	if len(g.Proposals) == 0 {
		es.add("proposals", "at least one proposal is required")
	}
	if len(g.Proposals) > 10 {
		es.add("proposals", "at most 10 proposals, got %d", len(g.Proposals))
	}
	for i, p := range g.Proposals {
		f := fmt.Sprintf("proposals[%d]", i)
		es.check(f+".encryption", CheckOneOf(p.Encryption, Encryptions...))
		es.check(f+".integrity", CheckOneOf(p.Integrity, Integrities...))
		es.check(f+".dh_group", checkDH(p.DHGroup, false))
	}
	es.check("lifetime", CheckRange(int64(g.Lifetime), 30, 86400))
	if g.DPD != nil {
		es.check("dpd.interval", CheckRange(int64(g.DPD.Interval), 1, 86400))
		es.check("dpd.timeout", CheckRange(int64(g.DPD.Timeout), 1, 86400))
		es.check("dpd.action", CheckOneOf(g.DPD.Action, DPDActions...))
	}
	if g.Liveness != nil {
		es.check("liveness.interval", CheckRange(int64(g.Liveness.Interval), 1, 3600))
		es.check("liveness.retry_count", CheckRange(int64(g.Liveness.RetryCount), 1, 100))
		if g.DPD != nil {
			es.add("liveness", "conflicts with dpd; set only one")
		}
	}
	if g.Mode != "" {
		es.check("ike_mode", CheckOneOf(g.Mode, IKEModes...))
		if g.Mode == IKEModeAggressive && g.IKEVersion == 2 {
			es.add("ike_mode", "aggressive mode exists only in IKEv1 (ike_version = 1)")
		}
	}
	if g.LocalID != "" {
		es.check("local_id", CheckText(g.LocalID, 128))
		if strings.ContainsRune(g.LocalID, ' ') {
			es.add("local_id", "must not contain spaces")
		}
	}
	if g.RemoteID != "" {
		es.check("remote_id", CheckText(g.RemoteID, 128))
		if strings.ContainsRune(g.RemoteID, ' ') {
			es.add("remote_id", "must not contain spaces")
		}
	}
	if g.ConnectionType != "" {
		es.check("connection_type", CheckOneOf(g.ConnectionType, ConnTypes...))
	}
	if g.Description != "" {
		es.check("description", CheckText(g.Description, MaxDescriptionLength))
	}
	return es
}

// Validate checks a tunnel.
func (t *Tunnel) Validate() Errors {
	var es Errors
	es.check("name", CheckName(t.Name))
	es.check("ike_gateway", CheckName(t.Gateway))
	if len(t.Proposals) == 0 {
		es.add("proposals", "at least one proposal is required")
	}
	if len(t.Proposals) > 10 {
		es.add("proposals", "at most 10 proposals, got %d", len(t.Proposals))
	}
	for i, p := range t.Proposals {
		f := fmt.Sprintf("proposals[%d]", i)
		es.check(f+".encryption", CheckOneOf(p.Encryption, Encryptions...))
		es.check(f+".integrity", CheckOneOf(p.Integrity, Integrities...))
	}
	es.check("pfs_group", checkDH(t.PFSGroup, true))
	es.check("lifetime", CheckRange(int64(t.Lifetime), 30, 86400))
	if t.Interface != "" {
		es.check("tunnel_interface", CheckInterface(t.Interface))
	}
	if t.Address != "" {
		es.check("tunnel_interface_address", CheckHostCIDR(t.Address))
		if t.Interface == "" {
			es.add("tunnel_interface_address", "needs tunnel_interface")
		}
	}
	if t.MTU != 0 {
		es.check("mtu", CheckRange(int64(t.MTU), 68, 9000))
		if t.Interface == "" {
			es.add("mtu", "needs tunnel_interface")
		}
	}
	if t.TCPMSS != 0 {
		es.check("tcp_mss", CheckRange(int64(t.TCPMSS), 500, 1460))
	}
	if t.Interface == "" && len(t.Selectors) == 0 {
		es.add("traffic_selectors", "a tunnel needs a tunnel_interface (route-based) or at least one traffic selector (policy-based)")
	}
	seen := map[TrafficSelector]bool{}
	for i, s := range t.Selectors {
		f := fmt.Sprintf("traffic_selectors[%d]", i)
		es.check(f+".local", CheckCIDR(s.Local))
		es.check(f+".remote", CheckCIDR(s.Remote))
		if s.Local == s.Remote && s.Local != "" {
			es.add(f, "local and remote prefixes must differ")
		}
		if s.Protocol != "" {
			es.check(f+".protocol", checkProtocol(s.Protocol))
		}
		for _, p := range []struct {
			name string
			v    int
		}{{"local_port", s.LocalPort}, {"remote_port", s.RemotePort}} {
			if p.v == 0 {
				continue
			}
			es.check(f+"."+p.name, CheckRange(int64(p.v), 1, 65535))
			if s.Protocol != "tcp" && s.Protocol != "udp" && s.Protocol != "6" && s.Protocol != "17" {
				es.add(f+"."+p.name, "needs protocol tcp or udp")
			}
		}
		if seen[s] {
			es.add(f, "duplicate traffic selector %s -> %s", s.Local, s.Remote)
		}
		seen[s] = true
	}
	if t.Description != "" {
		es.check("description", CheckText(t.Description, MaxDescriptionLength))
	}
	if t.Number != 0 {
		es.check("tunnel_number", CheckRange(int64(t.Number), 1, 65535))
	}
	if t.Zone != "" {
		es.check("tunnel_zone", CheckName(t.Zone))
		if t.Interface == "" {
			es.add("tunnel_zone", "needs tunnel_interface")
		}
	}
	if t.UnnumberedInterface != "" {
		es.check("unnumbered_interface", CheckInterface(t.UnnumberedInterface))
		if t.Interface == "" {
			es.add("unnumbered_interface", "needs tunnel_interface")
		}
		if t.Address != "" {
			es.add("unnumbered_interface", "conflicts with tunnel_interface_address; set only one")
		}
	}
	if t.DFBit != "" {
		es.check("df_bit", CheckOneOf(t.DFBit, DFBits...))
	}
	if m := t.Monitor; m != nil {
		if m.Destination != "" {
			es.check("monitor.destination", CheckIPv4(m.Destination))
		}
		if m.Interval != 0 {
			es.check("monitor.interval", CheckRange(int64(m.Interval), 1, 3600))
		}
		if m.Threshold != 0 {
			es.check("monitor.threshold", CheckRange(int64(m.Threshold), 1, 100))
		}
	}
	return es
}

// checkProtocol validates a traffic selector's protocol: a name or an IP protocol number.
func checkProtocol(p string) string {
	if CheckOneOf(p, Protocols...) == "" {
		return ""
	}
	if n, err := strconv.Atoi(p); err == nil && n >= 0 && n <= 255 && strconv.Itoa(n) == p {
		return ""
	}
	return fmt.Sprintf("%q is neither one of %s nor a protocol number 0..255", p, strings.Join(Protocols, ", "))
}

// CheckRoutingInstance validates a routing instance or virtual router name.
func CheckRoutingInstance(s string) string { return CheckName(s) }

func checkTarget(es *Errors, iface, nextHop string) {
	switch {
	case iface == "" && nextHop == "":
		es.add("tunnel_interface", "one of tunnel_interface or next_hop is required")
	case iface != "" && nextHop != "":
		es.add("next_hop", "conflicts with tunnel_interface; set only one")
	case iface != "":
		es.check("tunnel_interface", CheckInterface(iface))
	default:
		es.check("next_hop", CheckIPv4(nextHop))
	}
}

// Validate checks a source route.
func (r *SourceRoute) Validate() Errors {
	var es Errors
	es.check("source", CheckCIDR(r.Source))
	if r.Destination != "" {
		es.check("destination", CheckCIDR(r.Destination))
	}
	checkTarget(&es, r.Interface, r.NextHop)
	if r.Preference != 0 {
		es.check("preference", CheckRange(int64(r.Preference), 1, 255))
	}
	if r.Table != 0 {
		es.check("table", CheckRange(int64(r.Table), 1, 200))
	}
	if r.Rule != 0 {
		es.check("rule", CheckRange(int64(r.Rule), 1, 9999))
	}
	if r.Ruleset != "" {
		es.check("ruleset", CheckName(r.Ruleset))
		if len(r.Ruleset) > 28 {
			es.add("ruleset", "must be at most 28 characters")
		}
	}
	if r.IngressInterface != "" {
		es.check("ingress_interface", CheckInterface(r.IngressInterface))
	}
	if r.Description != "" {
		es.check("description", CheckText(r.Description, MaxDescriptionLength))
	}
	if r.RoutingInstance != "" {
		es.check("routing_instance", CheckRoutingInstance(r.RoutingInstance))
	}
	return es
}

// Validate checks a static route.
// Both an interface and a next hop are a gateway reached through that interface (ScreenOS
// `route D interface IF gateway G`); platform.CheckRouteTarget refuses it on the platforms
// that take only one of them.
func (r *StaticRoute) Validate() Errors {
	var es Errors
	es.check("destination", CheckCIDR(r.Destination))
	if r.Interface != "" && r.NextHop != "" {
		es.check("tunnel_interface", CheckInterface(r.Interface))
		es.check("next_hop", CheckIPv4(r.NextHop))
	} else {
		checkTarget(&es, r.Interface, r.NextHop)
	}
	if r.Distance != 0 {
		es.check("distance", CheckRange(int64(r.Distance), 1, 255))
	}
	if r.RoutingInstance != "" {
		es.check("routing_instance", CheckRoutingInstance(r.RoutingInstance))
	}
	return es
}

// Validate checks a prefix list.
func (p *PrefixList) Validate() Errors {
	var es Errors
	es.check("name", CheckName(p.Name))
	if p.Description != "" {
		es.check("description", CheckText(p.Description, MaxDescriptionLength))
	}
	if len(p.Rules) == 0 {
		es.add("rules", "at least one rule is required")
	}
	seen := map[int]bool{}
	for _, r := range p.Rules {
		// Rules are identified by their sequence number: rules["10"].
		f := fmt.Sprintf("rules[%q]", strconv.Itoa(r.Sequence))
		es.check(f, CheckRange(int64(r.Sequence), 1, 65535))
		if seen[r.Sequence] {
			es.add(f, "duplicate sequence number %d", r.Sequence)
		}
		seen[r.Sequence] = true
		es.check(f+".action", CheckOneOf(r.Action, PrefixAction...))
		es.check(f+".prefix", CheckCIDR(r.Prefix))
		plen := 0
		if pp, err := netip.ParsePrefix(r.Prefix); err == nil {
			plen = pp.Bits()
		}
		if r.GE != 0 {
			es.check(f+".ge", CheckRange(int64(r.GE), 0, 32))
			if r.GE <= plen {
				es.add(f+".ge", "must be greater than the prefix length %d", plen)
			}
		}
		if r.LE != 0 {
			es.check(f+".le", CheckRange(int64(r.LE), 0, 32))
			if r.LE < plen {
				es.add(f+".le", "must be at least the prefix length %d", plen)
			}
			if r.GE != 0 && r.LE < r.GE {
				es.add(f+".le", "must be at least ge (%d)", r.GE)
			}
		}
		if r.Description != "" {
			es.check(f+".description", CheckText(r.Description, MaxDescriptionLength))
		}
	}
	if p.Number != 0 {
		es.check("number", CheckRange(int64(p.Number), 1, 65535))
	}
	for i := 1; i < len(p.Rules); i++ {
		if p.Rules[i].Sequence < p.Rules[i-1].Sequence { // equal ones are reported as duplicates
			es.add("rules", "rules must be listed in increasing sequence order (%d after %d)", p.Rules[i].Sequence, p.Rules[i-1].Sequence)
			break
		}
	}
	return es
}

// Validate checks a BGP neighbor.
func (n *BGPNeighbor) Validate() Errors {
	var es Errors
	es.check("neighbor_address", CheckIPv4(n.Address))
	es.check("local_as", CheckRange(n.LocalAS, 1, 4294967294))
	es.check("remote_as", CheckRange(n.RemoteAS, 1, 4294967294))
	if n.UpdateSource != "" {
		if CheckIPv4(n.UpdateSource) != "" && CheckInterface(n.UpdateSource) != "" {
			es.add("update_source", "%q is neither an IPv4 address nor an interface name", n.UpdateSource)
		}
	}
	if n.EBGPMultihop != 0 {
		es.check("ebgp_multihop", CheckRange(int64(n.EBGPMultihop), 1, 255))
	}
	if n.Keepalive != 0 || n.HoldTime != 0 {
		es.check("keepalive", CheckRange(int64(n.Keepalive), 1, 65535))
		if n.HoldTime != 0 {
			es.check("hold_time", CheckRange(int64(n.HoldTime), 3, 65535))
		} else {
			es.add("hold_time", "must be set together with keepalive")
		}
		if n.HoldTime != 0 && n.Keepalive != 0 && n.HoldTime < 3*n.Keepalive {
			es.add("hold_time", "should be at least three times keepalive (%d), got %d", n.Keepalive, n.HoldTime)
		}
	}
	if n.PrefixListIn != "" {
		es.check("prefix_list_in", CheckName(n.PrefixListIn))
	}
	if n.PrefixListOut != "" {
		es.check("prefix_list_out", CheckName(n.PrefixListOut))
	}
	if n.Password != "" {
		es.check("password", CheckSecret(n.Password))
	}
	if n.Description != "" {
		es.check("description", CheckText(n.Description, MaxDescriptionLength))
	}
	if n.RoutingInstance != "" {
		es.check("routing_instance", CheckRoutingInstance(n.RoutingInstance))
	}
	if n.RouterID != "" {
		es.check("router_id", CheckIPv4(n.RouterID))
	}
	seen := map[string]bool{}
	for _, c := range n.Networks {
		// networks is a set: its elements are named by value.
		f := fmt.Sprintf("networks[%q]", c)
		es.check(f, CheckCIDR(c))
		if seen[c] {
			es.add(f, "duplicate network %s", c)
		}
		seen[c] = true
	}
	return es
}

var positionRE = regexp.MustCompile(`^(?:top|bottom|(?:before|after):[1-9][0-9]{0,5})$`)

// placedRE is the form a dialect's Parse gives (position.go): the neighbour above and the one
// below, which holds as a wanted position too (both sides).
var placedRE = regexp.MustCompile(`^(?:top|after:[1-9][0-9]{0,5}),(?:bottom|before:[1-9][0-9]{0,5})$`)

// Validate checks a security policy.
func (p *SecurityPolicy) Validate() Errors {
	var es Errors
	es.check("name", CheckPolicyName(p.Name))
	es.check("from_zone", CheckName(p.FromZone))
	es.check("to_zone", CheckName(p.ToZone))
	for i, a := range p.Sources {
		if a != "any" {
			es.check(fmt.Sprintf("source_addresses[%d]", i), CheckCIDR(a))
		}
	}
	for i, a := range p.Destinations {
		if a != "any" {
			es.check(fmt.Sprintf("destination_addresses[%d]", i), CheckCIDR(a))
		}
	}
	for i, svc := range p.Services {
		es.check(fmt.Sprintf("services[%d]", i), CheckName(svc))
	}
	es.check("action", CheckOneOf(p.Action, PolicyActions...))
	switch {
	case p.Action == "tunnel" && p.Tunnel == "":
		es.add("tunnel", "is required when action is \"tunnel\"")
	case p.Action != "tunnel" && p.Tunnel != "":
		es.add("tunnel", "is only valid with action \"tunnel\", not %q", p.Action)
	case p.Tunnel != "":
		es.check("tunnel", CheckName(p.Tunnel))
	}
	if p.Position != "" && !positionRE.MatchString(p.Position) && !placedRE.MatchString(p.Position) {
		es.add("position", "%q must be \"top\", \"bottom\", \"before:<policy id>\" or \"after:<policy id>\"", p.Position)
	}
	if p.Number != 0 {
		es.check("policy_id", CheckRange(int64(p.Number), 1, 65535))
	}
	if p.Description != "" {
		es.check("description", CheckText(p.Description, MaxDescriptionLength))
	}
	return es
}
