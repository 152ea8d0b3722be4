package flatconf

import "strings"

// screenOS is a made-up ScreenOS table from the reference's facts (section 1): `set`/`unset`,
// double-quoted names, vrouter / protocol bgp / policy blocks closed by `exit` that also take
// the one-line form, `unset ike gateway "X"` and `unset vpn "X"` removing the object's other
// lines, and the VPN binding printed with the tunnel id the device assigned.
func screenOS() *Syntax {
	return &Syntax{
		Quoter: DoubleQuotes,
		Verb:   "set",
		NoVerb: "unset",
		Contexts: []Context{
			{Open: "vrouter *", Close: "exit", Fold: 2, Kind: "vrouter", Name: 1},
			{Open: "protocol bgp *", Close: "exit", Fold: 2, Create: true},
			{Open: "policy id *", Close: "exit", Fold: 3},
			{Open: "crypto-policy", Close: "exit"},
			{Open: "url protocol *", Close: "exit"},
		},
		Commands: []Command{
			{Pattern: "interface * zone", Key: 2, Owns: true, Defines: &Ref{Kind: "interface", At: 1}},
			{Pattern: "interface * ip", Key: 3, Defines: &Ref{Kind: "interface", At: 1}},
			{Pattern: "interface * mtu", Key: 3, Defines: &Ref{Kind: "interface", At: 1}},
			{Pattern: "ike p1-proposal *", Key: 3, Defines: &Ref{Kind: "p1", At: 2}},
			{Pattern: "ike p2-proposal *", Key: 3, Defines: &Ref{Kind: "p2", At: 2}},
			{Pattern: "ike gateway * address", Key: 3, Owns: true, Defines: &Ref{Kind: "gateway", At: 2},
				Uses: []Ref{{Kind: "p1", After: "proposal"}, {Kind: "interface", After: "outgoing-interface"}}},
			{Pattern: "ike gateway * nat-traversal udp-checksum", Key: 5, Uses: []Ref{{Kind: "gateway", At: 2}}},
			{Pattern: "ike gateway * nat-traversal keepalive-frequency", Key: 5, Uses: []Ref{{Kind: "gateway", At: 2}}},
			{Pattern: "ike gateway * nat-traversal", Key: 4, Uses: []Ref{{Kind: "gateway", At: 2}}},
			{Pattern: "ike gateway * dpd-liveness *", Key: 5, Uses: []Ref{{Kind: "gateway", At: 2}}},
			{Pattern: "vpn * gateway", Key: 2, Owns: true, Defines: &Ref{Kind: "vpn", At: 1},
				Uses: []Ref{{Kind: "gateway", After: "gateway"}, {Kind: "p2", After: "proposal"}}},
			{Pattern: "vpn * bind interface", Key: 4, Uses: []Ref{{Kind: "vpn", At: 1}, {Kind: "interface", At: 4}}},
			{Pattern: "vpn * proxy-id", Key: 3, Uses: []Ref{{Kind: "vpn", At: 1}}},
			{Pattern: "vpn * monitor", Key: 3, Uses: []Ref{{Kind: "vpn", At: 1}}},
			{Pattern: "vpn * dscp-mark", Key: 3, Uses: []Ref{{Kind: "vpn", At: 1}}},
			{Pattern: "flow vpn-tcp-mss", Key: 2},
			{Pattern: "source-routing enable", In: "vrouter *", Key: 2},
			{Pattern: "route source *", In: "vrouter *", Uses: []Ref{{Kind: "interface", After: "interface"}}},
			{Pattern: "route *", In: "vrouter *", Uses: []Ref{{Kind: "interface", After: "interface"}}},
			{Pattern: "neighbor * remote-as", In: "protocol bgp *", Key: 3, Defines: &Ref{Kind: "neighbor", At: 1}},
			{Pattern: "neighbor * enable", In: "protocol bgp *", Key: 3, Uses: []Ref{{Kind: "neighbor", At: 1}}},
		},
		Rewrite: func(w []string) []string {
			// `vpn "X" id 0x1 bind interface tunnel.1` is typed without the id.
			if len(w) > 4 && w[0] == "vpn" && w[2] == "id" && w[4] == "bind" {
				return append(w[:2:2], w[4:]...)
			}
			return w
		},
	}
}

// rtx is a made-up Yamaha RTX table from the reference's facts (section 2): no verb, `no`
// before the key words, `tunnel select N` blocks indented in `show config` and left with
// `tunnel select none` when typed, `#` header lines, and a line typed again overwriting its
// value (so an `ip route` to one prefix is updated in place).
func rtx() *Syntax {
	gw := func(pattern string, key, at int) Command {
		// Global commands that `show config` prints inside the tunnel block.
		return Command{Pattern: pattern, In: "tunnel select *", Key: key, Defines: &Ref{Kind: "security-gateway", At: at}}
	}
	return &Syntax{
		Quoter: DoubleQuotes,
		NoVerb: "no",
		Contexts: []Context{
			{Open: "tunnel select *", Close: "tunnel select none", Indented: true, Kind: "tunnel", Name: 2},
		},
		Commands: []Command{
			{Pattern: "ip route *", Key: 3, Uses: []Ref{{Kind: "tunnel", After: "tunnel"}, {Kind: "filter", After: "filter"}}},
			{Pattern: "ip filter *", Key: 3, Defines: &Ref{Kind: "filter", At: 2}},
			{Pattern: "ipsec tunnel outer df-bit", In: "tunnel select *", Key: 4},
			{Pattern: "ipsec tunnel *", In: "tunnel select *", Key: 2, Uses: []Ref{{Kind: "sa-policy", At: 2}}},
			{Pattern: "ipsec sa policy * *", In: "tunnel select *", Key: 4, Defines: &Ref{Kind: "sa-policy", At: 3},
				Uses: []Ref{{Kind: "security-gateway", At: 4}}},
			gw("ipsec ike version *", 4, 3),
			gw("ipsec ike duration * *", 5, 4),
			gw("ipsec ike keepalive * *", 5, 4),
			gw("ipsec ike local * *", 5, 4),
			gw("ipsec ike remote * *", 5, 4),
			gw("ipsec ike nat-traversal *", 4, 3),
			gw("ipsec ike pre-shared-key *", 4, 3),
			gw("ipsec ike encryption *", 4, 3),
			gw("ipsec ike group *", 4, 3),
			gw("ipsec ike hash *", 4, 3),
			gw("ipsec ike pfs *", 4, 3),
			{Pattern: "ipsec auto refresh * *", In: "tunnel select *", Key: 4},
			{Pattern: "ip tunnel tcp mss limit", In: "tunnel select *", Key: 5},
			{Pattern: "ip tunnel address", In: "tunnel select *", Key: 3},
			{Pattern: "ip tunnel remote address", In: "tunnel select *", Key: 4},
			{Pattern: "tunnel enable *", In: "tunnel select *", Key: 3},
			{Pattern: "bgp neighbor *", Key: 3},
		},
		Ignore: func(line string) bool { return strings.HasPrefix(line, "#") },
	}
}
