package screenos

import (
	"strconv"
	"strings"
)

// The parsers of the free-order tails of a few commands. Each returns the tail as `get
// config` prints it (names quoted, keywords in the device's spelling, secrets encoded; e is
// nil when only checking), or the offset of the bad token and the device's message.

type gateway struct {
	v2                                  bool
	id, mode, localID, outIf, localAddr string
	psk, secLevel                       string
	proposals                           []string
}

const notCompleted = "command not completed"

func lower(s string) string { return strings.ToLower(s) }

func parseGateway(rest []string, v2 bool) (g gateway, off int, msg string) {
	g.v2 = v2
	val := func(i int) (string, int, string) {
		if i+1 >= len(rest) {
			return "", i + 1, notCompleted
		}
		return rest[i+1], 0, ""
	}
	for i := 0; i < len(rest); i++ {
		kw := lower(rest[i])
		switch {
		case kw == "id" || kw == "local-id":
			v, o, m := val(i)
			if m != "" {
				return g, o, m
			}
			if v == "" || strings.ContainsAny(v, " \t") || len(v) > 63 {
				return g, i + 1, "invalid ike id " + v
			}
			if kw == "id" {
				g.id = v
			} else {
				g.localID = v
			}
			i++
		case (kw == "main" || kw == "aggr") && !v2:
			g.mode = map[string]string{"main": "Main", "aggr": "Aggr"}[kw]
		case kw == "outgoing-interface":
			v, o, m := val(i)
			if m != "" {
				return g, o, m
			}
			if msg := paramChecks["if"](v); msg != "" {
				return g, i + 1, msg
			}
			g.outIf = v
			i++
		case kw == "local-address":
			v, o, m := val(i)
			if m != "" {
				return g, o, m
			}
			if msg := checkIP(v); msg != "" {
				return g, i + 1, msg
			}
			g.localAddr = v
			i++
		case kw == "preshare":
			v, o, m := val(i)
			if m != "" {
				return g, o, m
			}
			if msg := paramChecks["secret"](v); msg != "" {
				return g, i + 1, msg
			}
			g.psk = v
			i++
		case kw == "sec-level":
			v, o, m := val(i)
			if m != "" {
				return g, o, m
			}
			lv := enumValue([]string{"basic", "compatible", "standard"}, v)
			if lv == "" {
				return g, i + 1, "unknown keyword " + v
			}
			if i+2 < len(rest) {
				return g, i + 2, "unknown keyword " + rest[i+2]
			}
			g.secLevel = lv
			i++
		case kw == "proposal":
			names := rest[i+1:]
			if len(names) == 0 {
				return g, i + 1, notCompleted
			}
			if len(names) > 4 {
				return g, i + 5, "unknown keyword " + names[4]
			}
			for j, n := range names {
				if msg := checkName(n); msg != "" {
					return g, i + 1 + j, msg
				}
			}
			g.proposals = names
			i = len(rest)
		default:
			return g, i, "unknown keyword " + rest[i]
		}
	}
	if g.outIf == "" || (g.secLevel == "" && len(g.proposals) == 0) {
		return g, len(rest), notCompleted
	}
	if g.mode == "" && !v2 {
		g.mode = "Main" // [INFERRED] main mode is the default
	}
	return g, 0, ""
}

func (e *engine) formatGateway(g gateway) []string {
	var out []string
	if g.id != "" {
		out = append(out, "id", g.id)
	}
	if g.mode != "" {
		out = append(out, g.mode)
	}
	if g.localID != "" {
		out = append(out, "local-id", g.localID)
	}
	out = append(out, "outgoing-interface", quote(g.outIf))
	if g.localAddr != "" {
		out = append(out, "local-address", g.localAddr)
	}
	if g.psk != "" {
		out = append(out, "preshare", quote(e.printSecret(g.psk)))
	}
	if g.secLevel != "" {
		out = append(out, "sec-level", g.secLevel)
	}
	if len(g.proposals) > 0 {
		out = append(out, "proposal")
		for _, p := range g.proposals {
			out = append(out, quote(p))
		}
	}
	return out
}

func restGatewayV1(e *engine, rest []string) ([]string, int, string) {
	g, off, msg := parseGateway(rest, false)
	if msg != "" || e == nil {
		return nil, off, msg
	}
	return e.formatGateway(g), 0, ""
}

func restGatewayV2(e *engine, rest []string) ([]string, int, string) {
	g, off, msg := parseGateway(rest, true)
	if msg != "" || e == nil {
		return nil, off, msg
	}
	return e.formatGateway(g), 0, ""
}

type vpnTail struct {
	replay    string
	idle      string
	secLevel  string
	proposals []string
}

func parseVPN(rest []string) (v vpnTail, off int, msg string) {
	v.replay, v.idle = "no-replay", "0"
	tunnel := false
	for i := 0; i < len(rest); i++ {
		kw := lower(rest[i])
		switch {
		case (kw == "replay" || kw == "no-replay") && !tunnel:
			v.replay = kw
		case kw == "tunnel" && !tunnel:
			tunnel = true
		case kw == "idletime" && tunnel:
			if i+1 >= len(rest) {
				return v, i + 1, notCompleted
			}
			if m := uintIn(0, 35791394)(rest[i+1]); m != "" {
				return v, i + 1, m
			}
			v.idle = strconv.Itoa(atoi(rest[i+1]))
			i++
		case kw == "sec-level" && tunnel:
			if i+1 >= len(rest) {
				return v, i + 1, notCompleted
			}
			lv := enumValue([]string{"basic", "compatible", "standard"}, rest[i+1])
			if lv == "" {
				return v, i + 1, "unknown keyword " + rest[i+1]
			}
			if i+2 < len(rest) {
				return v, i + 2, "unknown keyword " + rest[i+2]
			}
			v.secLevel = lv
			i++
		case kw == "proposal" && tunnel:
			names := rest[i+1:]
			if len(names) == 0 {
				return v, i + 1, notCompleted
			}
			if len(names) > 4 {
				return v, i + 5, "unknown keyword " + names[4]
			}
			for j, n := range names {
				if m := checkName(n); m != "" {
					return v, i + 1 + j, m
				}
			}
			v.proposals = names
			i = len(rest)
		default:
			return v, i, "unknown keyword " + rest[i]
		}
	}
	if !tunnel || (v.secLevel == "" && len(v.proposals) == 0) {
		return v, len(rest), notCompleted
	}
	return v, 0, ""
}

func restVPN(e *engine, rest []string) ([]string, int, string) {
	v, off, msg := parseVPN(rest)
	if msg != "" || e == nil {
		return nil, off, msg
	}
	out := []string{v.replay, "tunnel", "idletime", v.idle}
	if v.secLevel != "" {
		out = append(out, "sec-level", v.secLevel)
	}
	if len(v.proposals) > 0 {
		out = append(out, "proposal")
		for _, p := range v.proposals {
			out = append(out, quote(p))
		}
	}
	return out, 0, ""
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func restMonitor(e *engine, rest []string) ([]string, int, string) {
	var src, dst string
	var opt, rekey bool
	for i := 0; i < len(rest); i++ {
		switch lower(rest[i]) {
		case "source-interface":
			if i+1 >= len(rest) {
				return nil, i + 1, notCompleted
			}
			if m := paramChecks["if"](rest[i+1]); m != "" {
				return nil, i + 1, m
			}
			src = rest[i+1]
			i++
		case "destination-ip":
			if i+1 >= len(rest) {
				return nil, i + 1, notCompleted
			}
			if m := checkIP(rest[i+1]); m != "" {
				return nil, i + 1, m
			}
			dst = rest[i+1]
			i++
		case "optimized":
			opt = true
		case "rekey":
			rekey = true
		default:
			return nil, i, "unknown keyword " + rest[i]
		}
	}
	var out []string
	if src != "" {
		out = append(out, "source-interface", src)
	}
	if dst != "" {
		out = append(out, "destination-ip", dst)
	}
	if opt {
		out = append(out, "optimized")
	}
	if rekey {
		out = append(out, "rekey")
	}
	return out, 0, ""
}

// restRoute checks a route's options; printed in the order gateway, preference, metric,
// tag, permanent, description [INFERRED order; `preference 15 permanent` SEEN seed 000].
func restRoute(e *engine, rest []string) ([]string, int, string) {
	vals := map[string]string{}
	order := []string{"gateway", "preference", "metric", "tag", "permanent", "description"}
	for i := 0; i < len(rest); i++ {
		kw := lower(rest[i])
		var check func(string) string
		switch kw {
		case "gateway":
			check = checkIP
		case "preference":
			check = uintIn(1, 255)
		case "metric":
			check = uintIn(1, 65535)
		case "tag":
			check = uintIn(0, 4294967295)
		case "description":
			check = checkName
		case "permanent":
			if _, dup := vals[kw]; dup {
				return nil, i, "unknown keyword " + rest[i]
			}
			vals[kw] = ""
			continue
		default:
			return nil, i, "unknown keyword " + rest[i]
		}
		if _, dup := vals[kw]; dup {
			return nil, i, "unknown keyword " + rest[i]
		}
		if i+1 >= len(rest) {
			return nil, i + 1, notCompleted
		}
		if m := check(rest[i+1]); m != "" {
			return nil, i + 1, m
		}
		vals[kw] = rest[i+1]
		i++
	}
	var out []string
	for _, k := range order {
		v, ok := vals[k]
		if !ok {
			continue
		}
		out = append(out, k)
		switch k {
		case "permanent":
		case "description":
			out = append(out, quote(v))
		case "gateway":
			out = append(out, v)
		default:
			out = append(out, strconv.Itoa(atoi(v)))
		}
	}
	return out, 0, ""
}

// routeGateway is the gateway option of a route tail, "" when none.
func routeGateway(rest []string) string {
	for i := 0; i+1 < len(rest); i++ {
		if lower(rest[i]) == "gateway" {
			return rest[i+1]
		}
	}
	return ""
}

func restKbyte(e *engine, rest []string) ([]string, int, string) {
	if len(rest) == 0 {
		return nil, 0, ""
	}
	if lower(rest[0]) != "kbyte" {
		return nil, 0, "unknown keyword " + rest[0]
	}
	if len(rest) < 2 {
		return nil, 1, notCompleted
	}
	if m := uintIn(0, 4194303)(rest[1]); m != "" {
		return nil, 1, m
	}
	if len(rest) > 2 {
		return nil, 2, "unknown keyword " + rest[2]
	}
	return []string{"kbyte", strconv.Itoa(atoi(rest[1]))}, 0, ""
}

func restComment(e *engine, rest []string) ([]string, int, string) {
	if len(rest) == 0 {
		return nil, 0, ""
	}
	if len(rest) > 1 {
		return nil, 1, "unknown keyword " + rest[1]
	}
	if m := checkName(rest[0]); m != "" {
		return nil, 0, m
	}
	return []string{quote(rest[0])}, 0, ""
}

// restRemoteAS: `neighbor A remote-as N [outgoing-interface IF]` [reference 1.2.7].
func restRemoteAS(e *engine, rest []string) ([]string, int, string) {
	if len(rest) == 0 {
		return nil, 0, ""
	}
	if lower(rest[0]) != "outgoing-interface" {
		return nil, 0, "unknown keyword " + rest[0]
	}
	if len(rest) < 2 {
		return nil, 1, notCompleted
	}
	if m := paramChecks["if"](rest[1]); m != "" {
		return nil, 1, m
	}
	if len(rest) > 2 {
		return nil, 2, "unknown keyword " + rest[2]
	}
	return []string{"outgoing-interface", rest[1]}, 0, ""
}
