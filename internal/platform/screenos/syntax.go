package screenos

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/flatconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
)

// keywords are the fixed words the dialect types. They are written bare; every other token
// that is not a number, an address or an interface name is written in double quotes, the way
// `get config` prints object names. A name equal to a keyword is refused (Validate), so that
// no name is ever typed bare where the CLI could read it as a keyword.
var keywords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`
		set unset exit save get config ike p1-proposal p2-proposal preshare rsa-sig dsa-sig
		group1 group2 group5 group14 group19 group20 esp ah des 3des aes128 aes192 aes256 null
		md5 sha-1 sha2-256 second minute hour day kbyte gateway ikev2 address dynamic id Main
		Aggr main aggr local-id outgoing-interface local-address proposal sec-level basic
		compatible standard nat-traversal udp-checksum keepalive-frequency dpd-liveness
		interval retry always-send no-pfs vpn replay no-replay tunnel idletime monitor
		optimized rekey source-interface destination-ip bind interface proxy-id local-ip
		remote-ip df-bit clear copy dscp-mark zone ip unnumbered mtu vrouter route source
		preference permanent metric tag description source-routing enable access-list
		permit deny reject route-map name match protocol bgp neighbor remote-as
		ebgp-multihop md5-authentication hold-time keepalive in out network router-id
		src-interface policy from to log src-address dst-address service move before
		after top bottom global pair-policy nat flow vpn-tcp-mss console page
		trust-vr untrust-vr sharable`) {
		keywords[w] = true
	}
}

var (
	bareNumber = regexp.MustCompile(`^(?:[0-9]+(?:[./][0-9]+)*|0x[0-9a-fA-F]+)$`)
	bareIface  = regexp.MustCompile(`^[a-z]+[0-9]+(?:[/.:][0-9]+)*$|^tunnel\.[0-9]+$`)
)

// quoter is ScreenOS's quoting: double quotes around names, no escape inside them (a name
// with a double quote cannot be written; Validate refuses it).
type quoter struct{}

func (quoter) Quote(s string) string {
	if keywords[s] || bareNumber.MatchString(s) || bareIface.MatchString(s) {
		return s
	}
	return `"` + s + `"`
}

func (quoter) Split(line string) ([]string, error) { return flatconf.DoubleQuotes.Split(line) }

func (quoter) SplitPrinted(line string) ([]string, error) {
	return flatconf.DoubleQuotes.SplitPrinted(line)
}

var _ setconf.Quoter = quoter{}

// Contexts of the listing.
const (
	ctxVrouter = "vrouter *"
	ctxBGP     = "protocol bgp *"
	ctxPolicy  = "policy id *"
	ctxRouteMp = "route-map name * * *"
)

// syntax is the ScreenOS table for flatconf: what `get config` prints and the dialect types.
var syntax = &flatconf.Syntax{
	Quoter: quoter{},
	Verb:   "set",
	NoVerb: "unset",
	Contexts: []flatconf.Context{
		{Open: ctxVrouter, Close: "exit", Fold: 2, Kind: "vrouter", Name: 1},
		{Open: ctxBGP, Close: "exit", Fold: 2, Create: true},
		// No Fold: a policy's further addresses and services are typed in its context, `set
		// policy id N` ... `set src-address "X"` ... `exit`, the form `get config` prints
		// [SEEN device-cli.md 1.3, seed 000] with the sub-context prompt `host(policy:N)-> `
		// [1.1]. The one-line `set policy id N src-address "X"` is in no source of the
		// reference, and the simulator refuses it (`unknown keyword src-address`).
		{Open: ctxPolicy, Close: "exit", Kind: "policy", Name: 2},
		{Open: ctxRouteMp, Close: "exit"},
		{Open: "crypto-policy", Close: "exit"},
		{Open: "url protocol *", Close: "exit"},
	},
	Commands: []flatconf.Command{
		{Pattern: "ike p1-proposal *", Key: 3, Defines: &flatconf.Ref{Kind: "p1", At: 2}},
		{Pattern: "ike p2-proposal *", Key: 3, Defines: &flatconf.Ref{Kind: "p2", At: 2}},
		{Pattern: "ike gateway ikev2 * address", Key: 4, Owns: true, Defines: &flatconf.Ref{Kind: "gateway", At: 3},
			Uses: []flatconf.Ref{{Kind: "p1", After: "proposal"}}},
		{Pattern: "ike gateway ikev2 * nat-traversal udp-checksum", Key: 6, Uses: []flatconf.Ref{{Kind: "gateway", At: 3}}},
		{Pattern: "ike gateway ikev2 * nat-traversal keepalive-frequency", Key: 6, Uses: []flatconf.Ref{{Kind: "gateway", At: 3}}},
		{Pattern: "ike gateway ikev2 * nat-traversal", Key: 5, Owns: true, Uses: []flatconf.Ref{{Kind: "gateway", At: 3}}},
		{Pattern: "ike gateway ikev2 * dpd-liveness *", Key: 6, Uses: []flatconf.Ref{{Kind: "gateway", At: 3}}},
		{Pattern: "ike gateway * address", Key: 3, Owns: true, Defines: &flatconf.Ref{Kind: "gateway", At: 2},
			Uses: []flatconf.Ref{{Kind: "p1", After: "proposal"}}},
		{Pattern: "ike gateway * nat-traversal udp-checksum", Key: 5, Uses: []flatconf.Ref{{Kind: "gateway", At: 2}}},
		{Pattern: "ike gateway * nat-traversal keepalive-frequency", Key: 5, Uses: []flatconf.Ref{{Kind: "gateway", At: 2}}},
		{Pattern: "ike gateway * nat-traversal", Key: 4, Owns: true, Uses: []flatconf.Ref{{Kind: "gateway", At: 2}}},
		{Pattern: "ike gateway * dpd-liveness *", Key: 5, Uses: []flatconf.Ref{{Kind: "gateway", At: 2}}},
		{Pattern: "interface * zone", Key: 2, Owns: true, Defines: &flatconf.Ref{Kind: "interface", At: 1}},
		{Pattern: "interface * ip manageable", Key: 4, Uses: []flatconf.Ref{{Kind: "interface", At: 1}}},
		{Pattern: "interface * ip", Key: 3, Uses: []flatconf.Ref{{Kind: "interface", At: 1}}},
		{Pattern: "interface * mtu", Key: 3, Uses: []flatconf.Ref{{Kind: "interface", At: 1}}},
		{Pattern: "interface * protocol *", Key: 4, Uses: []flatconf.Ref{{Kind: "interface", At: 1}}},
		{Pattern: "vpn * gateway", Key: 2, Owns: true, Defines: &flatconf.Ref{Kind: "vpn", At: 1},
			Uses: []flatconf.Ref{{Kind: "gateway", After: "gateway"}, {Kind: "p2", After: "proposal"}}},
		{Pattern: "vpn * bind interface", Key: 4, Uses: []flatconf.Ref{{Kind: "vpn", At: 1}, {Kind: "interface", At: 4}}},
		{Pattern: "vpn * proxy-id", Key: 3, Uses: []flatconf.Ref{{Kind: "vpn", At: 1}}},
		{Pattern: "vpn * monitor", Key: 3, Uses: []flatconf.Ref{{Kind: "vpn", At: 1}}},
		{Pattern: "vpn * df-bit", Key: 3, Uses: []flatconf.Ref{{Kind: "vpn", At: 1}}},
		{Pattern: "vpn * dscp-mark", Key: 3, Uses: []flatconf.Ref{{Kind: "vpn", At: 1}}},
		{Pattern: "address * *", Key: 3, Defines: &flatconf.Ref{Kind: "address", At: 2}},
		{Pattern: "policy id *", Key: 3, Owns: true, Defines: &flatconf.Ref{Kind: "policy", At: 2},
			Uses: []flatconf.Ref{{Kind: "vpn", After: "vpn"}}},
		{Pattern: "src-address *", In: ctxPolicy},
		{Pattern: "dst-address *", In: ctxPolicy},
		{Pattern: "service *", In: ctxPolicy},
		{Pattern: "flow vpn-tcp-mss", Key: 2},
		{Pattern: "source-routing enable", In: ctxVrouter, Key: 2},
		{Pattern: "route source * interface * gateway *", In: ctxVrouter, Key: 7, Uses: []flatconf.Ref{{Kind: "interface", At: 4}}},
		{Pattern: "route source * interface *", In: ctxVrouter, Key: 5, Uses: []flatconf.Ref{{Kind: "interface", At: 4}}},
		{Pattern: "route source * gateway *", In: ctxVrouter, Key: 5},
		{Pattern: "route * interface * gateway *", In: ctxVrouter, Key: 6, Uses: []flatconf.Ref{{Kind: "interface", At: 3}}},
		{Pattern: "route * interface *", In: ctxVrouter, Key: 4, Uses: []flatconf.Ref{{Kind: "interface", At: 3}}},
		{Pattern: "route * gateway *", In: ctxVrouter, Key: 4},
		{Pattern: "access-list * *", In: ctxVrouter, Defines: &flatconf.Ref{Kind: "acl", At: 1}},
		{Pattern: "route-map name * * *", In: ctxVrouter, Key: 5, Owns: true, Defines: &flatconf.Ref{Kind: "route-map", At: 2},
			Uses: []flatconf.Ref{{Kind: "acl", After: "ip"}}},
		{Pattern: "neighbor * remote-as", In: ctxBGP, Key: 2, Owns: true, Defines: &flatconf.Ref{Kind: "neighbor", At: 1}},
		{Pattern: "neighbor * route-map * *", In: ctxBGP, Uses: []flatconf.Ref{{Kind: "neighbor", At: 1}, {Kind: "route-map", At: 3}}},
		{Pattern: "neighbor * *", In: ctxBGP, Key: 3, Uses: []flatconf.Ref{{Kind: "neighbor", At: 1}}},
		{Pattern: "network *", In: ctxBGP},
		{Pattern: "router-id", In: ctxBGP, Key: 1},
		{Pattern: "enable", In: ctxBGP, Key: 1},
	},
	Ignore: func(line string) bool {
		return strings.HasPrefix(line, "Total Config size") || promptLine.MatchString(line)
	},
	Rewrite: func(w []string) []string {
		// `vpn "X" id 0x1 bind interface tunnel.1` is typed without the id the device assigned.
		if len(w) > 4 && w[0] == "vpn" && w[2] == "id" && w[4] == "bind" {
			return append(w[:2:2], w[4:]...)
		}
		return w
	},
}

// promptLine is a ScreenOS prompt on a line of its own (a listing copied with its prompts).
var promptLine = regexp.MustCompile(`^[\w.:-]+(?:\([^()\n]*\))*->`)

// parseEntries reads a listing into entries, with a route-map block folded into its one-line
// form (`route-map name "X" permit 1 match ip 1` in the vrouter), which is how the dialect
// types it.
func parseEntries(text string) ([]flatconf.Entry, error) {
	es, err := syntax.Parse(text)
	if err != nil {
		return nil, err
	}
	out := es[:0]
	bgpAS := map[string]string{} // vrouter -> AS, for one-line BGP lines
	for _, e := range es {
		if len(e.Context) == 2 && e.Context[1][0] == "protocol" {
			bgpAS[e.Context[0][1]] = e.Context[1][2]
		}
		// The one-line form of the vrouter context (`set vrouter "trust-vr" route ...`),
		// as a pasted configuration may hold it, reads as the block form.
		if len(e.Context) == 0 && len(e.Words) > 2 && e.Words[0] == "vrouter" && oneLineVR[e.Words[2]] {
			vr, rest := e.Words[1], e.Words[2:]
			e.Context = [][]string{{"vrouter", vr}}
			e.Words = rest
			if len(rest) >= 3 && rest[0] == "protocol" && rest[1] == "bgp" {
				if _, err := strconv.ParseInt(rest[2], 10, 64); err == nil && len(rest) == 3 {
					bgpAS[vr] = rest[2] // the instance's opener
					continue
				}
				if as, ok := bgpAS[vr]; ok {
					e.Context = append(e.Context, []string{"protocol", "bgp", as})
					e.Words = rest[2:]
				}
			}
		}
		if n := len(e.Context); n > 0 && len(e.Context[n-1]) == 5 && e.Context[n-1][0] == "route-map" {
			rm := e.Context[n-1]
			e.Words = append(append([]string(nil), rm...), e.Words...)
			e.Context = e.Context[:n-1]
			if len(e.Context) == 0 {
				e.Context = nil
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// oneLineVR are the words that start a vrouter line the dialect reads in one-line form.
var oneLineVR = map[string]bool{"route": true, "source-routing": true, "access-list": true, "route-map": true, "protocol": true}

// lineOf writes one entry as a typed line (one-line form), for messages and tests.
func lineOf(e flatconf.Entry) string {
	var words []string
	for _, c := range e.Context {
		if ctx := syntax.Context(c); ctx != nil && ctx.Fold > 0 && ctx.Fold <= len(c) {
			words = append(words, c[:ctx.Fold]...)
		} else {
			words = append(words, c...)
		}
	}
	words = append(words, e.Words...)
	verb := "set"
	if e.Negated {
		verb = "unset"
	}
	return verb + " " + setconf.JoinWith(quoter{}, words)
}

func errf(format string, args ...any) error { return fmt.Errorf(format, args...) }
