package rtx

import (
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/flatconf"
)

// tunnelContext is the opener of a tunnel block.
const tunnelContext = "tunnel select *"

// gwLine declares an `ipsec ike ...` line of one security gateway: a global command (typed
// at the top level; `show config` prints it inside the block of the tunnel that uses the
// gateway, and parse moves it back to the top level), keyed by the words up to the gateway id.
func gwLine(pattern string, key int) flatconf.Command {
	return flatconf.Command{Pattern: pattern, Key: key, Defines: &flatconf.Ref{Kind: "gateway", At: key - 1}}
}

// syntax is the RTX CLI as flatconf sees it: no verb, `no` before the key words, `tunnel select
// N` blocks indented by one space in `show config` (never closed there) and left with `tunnel
// select none` when typed, `#` header lines, and a line typed again replacing its value.
var syntax = &flatconf.Syntax{
	Quoter: Console,
	NoVerb: "no",
	Contexts: []flatconf.Context{
		{Open: tunnelContext, Close: "tunnel select none", Indented: true, Kind: "tunnel", Name: 2},
	},
	Commands: []flatconf.Command{
		// Names of gateways and prefix lists (system descriptions) and of tunnels.
		{Pattern: "description tunnel", In: tunnelContext, Key: 2},
		{Pattern: "description *", Key: 2},
		// Phase 1 and the gateway-keyed phase 2 settings.
		gwLine("ipsec ike version *", 4),
		gwLine("ipsec ike encryption *", 4),
		gwLine("ipsec ike hash *", 4),
		gwLine("ipsec ike group *", 4),
		gwLine("ipsec ike duration * *", 5),
		gwLine("ipsec ike keepalive * *", 5),
		gwLine("ipsec ike local * *", 5),
		gwLine("ipsec ike remote * *", 5),
		gwLine("ipsec ike nat-traversal *", 4),
		gwLine("ipsec ike pre-shared-key *", 4),
		gwLine("ipsec ike pfs *", 4),
		gwLine("ipsec ike message-id-control *", 4),
		gwLine("ipsec ike child-exchange type *", 5),
		gwLine("ipsec ike proposal-limitation *", 4),
		// Key 5: `no ipsec auto refresh G on` cannot be read as the global switch.
		{Pattern: "ipsec auto refresh * *", Key: 5, Uses: []flatconf.Ref{{Kind: "gateway", At: 3}}},
		{Pattern: "ipsec auto refresh *", Key: 3},
		{Pattern: "ipsec sa policy * *", Key: 4, Defines: &flatconf.Ref{Kind: "sa-policy", At: 3},
			Uses: []flatconf.Ref{{Kind: "gateway", At: 4}}},
		// Inside a tunnel block.
		{Pattern: "ipsec tunnel outer df-bit", In: tunnelContext, Key: 4},
		{Pattern: "ipsec tunnel *", In: tunnelContext, Key: 2, Uses: []flatconf.Ref{{Kind: "sa-policy", At: 2}}},
		{Pattern: "ip tunnel address", In: tunnelContext, Key: 3},
		{Pattern: "ip tunnel remote address", In: tunnelContext, Key: 4},
		{Pattern: "ip tunnel tcp mss limit", In: tunnelContext, Key: 5},
		{Pattern: "ip tunnel mtu", In: tunnelContext, Key: 3},
		{Pattern: "tunnel encapsulation", In: tunnelContext, Key: 2},
		{Pattern: "tunnel enable *", In: tunnelContext, Key: 3},
		// Routes and the filters of source routes.
		{Pattern: "ip filter *", Key: 3, Defines: &flatconf.Ref{Kind: "filter", At: 2}},
		{Pattern: "ip route *", Key: 3, Uses: []flatconf.Ref{{Kind: "tunnel", After: "tunnel"}, {Kind: "filter", After: "filter"}}},
		// BGP.
		{Pattern: "bgp use", Key: 2},
		{Pattern: "bgp autonomous-system", Key: 2},
		{Pattern: "bgp router id", Key: 3},
		{Pattern: "bgp import filter *", Key: 4, Defines: &flatconf.Ref{Kind: "import-filter", At: 3}},
		{Pattern: "bgp export filter *", Key: 4, Defines: &flatconf.Ref{Kind: "export-filter", At: 3}},
		{Pattern: "bgp neighbor pre-shared-key *", Key: 4, Uses: []flatconf.Ref{{Kind: "neighbor", At: 3}}},
		{Pattern: "bgp neighbor *", Key: 3, Defines: &flatconf.Ref{Kind: "neighbor", At: 2}},
		{Pattern: "bgp import * *", Key: 4, Uses: []flatconf.Ref{{Kind: "import-filter", After: "filter"}}},
		{Pattern: "bgp export *", Key: 3, Uses: []flatconf.Ref{{Kind: "export-filter", After: "filter"}}},
	},
	// Header lines (`# RTX1210 Rev...`), comments and a trailing prompt are not configuration.
	Ignore: func(line string) bool {
		return strings.HasPrefix(line, "#") || promptLine.MatchString(line)
	},
}

// globalInBlock reports whether words are a global command that `show config` prints inside
// a tunnel block (the `ipsec ike`, `ipsec sa policy` and per-gateway `ipsec auto refresh`
// lines): they are typed at the top level and parse moves them there.
func globalInBlock(words []string) bool {
	if len(words) < 3 || words[0] != "ipsec" {
		return false
	}
	switch words[1] {
	case "ike":
		return words[2] != "" // every `ipsec ike ...` line
	case "sa":
		return words[2] == "policy"
	case "auto":
		return words[2] == "refresh"
	}
	return false
}

// deviceEntries parses a `show config` listing into entries with the global commands that the
// device prints inside tunnel blocks moved to the top level, so that the device's lines and the
// rendered ones have the same identity wherever the device chose to print them.
func deviceEntries(text string) ([]flatconf.Entry, error) {
	es, err := syntax.Parse(text)
	if err != nil {
		return nil, err
	}
	for i := range es {
		if len(es[i].Context) > 0 && globalInBlock(es[i].Words) {
			es[i].Context = nil
		}
	}
	return es, nil
}

// keyOf returns the words that identify a line: its command's Key words, or all of them.
func keyOf(e flatconf.Entry) []string {
	for _, c := range syntax.Commands {
		if !setconf.ParsePattern(c.Pattern).Match(e.Words) || (c.In != "") != (len(e.Context) > 0) {
			continue
		}
		if c.Key > 0 && c.Key <= len(e.Words) {
			return e.Words[:c.Key]
		}
		break
	}
	return e.Words
}

func keyString(e flatconf.Entry) string {
	ctx := ""
	if len(e.Context) > 0 {
		ctx = strings.Join(e.Context[0], " ")
	}
	return ctx + "\x01" + strings.Join(keyOf(e), "\x00")
}

// gatewayOf returns the security gateway id of a global IPsec line (the last key word of an
// `ipsec ike` line, the fourth word of `ipsec auto refresh G on`), "" for other lines.
func gatewayOf(e flatconf.Entry) string {
	w := e.Words
	if len(e.Context) > 0 || len(w) < 4 || w[0] != "ipsec" {
		return ""
	}
	switch {
	case w[1] == "ike":
		k := keyOf(e)
		return k[len(k)-1]
	case w[1] == "auto" && w[2] == "refresh" && len(w) == 5:
		return w[3]
	}
	return ""
}
