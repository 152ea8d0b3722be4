package rtx

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/flat"
)

// lineText prints a stored line: passwords masked (`login password *`), the pre-shared key
// in clear text for the administrator only.
func (sp *spec) lineText(l *flat.Line, admin bool) string {
	in := sp.infos[l.Cmd]
	toks := l.Tokens
	switch {
	case in.mask > 0 && len(toks) > in.mask:
		toks = append(append([]string(nil), toks[:in.mask]...), "*")
	case in.pskAt > 0 && !admin && len(toks) > in.pskAt:
		toks = append(append([]string(nil), toks[:in.pskAt]...), "*")
	}
	return join(toks)
}

// natLess compares two words, numbers by value.
func natLess(a, b string) (less, equal bool) {
	if a == b {
		return false, true
	}
	x, errA := strconv.ParseUint(a, 10, 64)
	y, errB := strconv.ParseUint(b, 10, 64)
	if errA == nil && errB == nil {
		return x < y, x == y
	}
	return a < b, false
}

// sortLines orders the lines of one group: by the numbers or interfaces that identify them
// where the group prints per object (interfaces, NAT descriptors), else by the command
// order first; lines equal in both keep the order they were set in.
func (sp *spec) sortLines(ls []*flat.Line, objectFirst bool) {
	keyOf := func(l *flat.Line) []string {
		in := sp.infos[l.Cmd]
		var k []string
		for _, i := range in.sortBy {
			if i < len(l.Tokens) {
				k = append(k, l.Tokens[i])
			}
		}
		if in.group == gRoute && len(l.Tokens) > 2 {
			// the default route first [INFERRED]
			if l.Tokens[2] == "default" {
				k = []string{"0"}
			} else {
				k = []string{"1"}
			}
		}
		return k
	}
	cmpKeys := func(a, b []string) int {
		for i := 0; i < len(a) && i < len(b); i++ {
			if less, eq := natLess(a[i], b[i]); !eq {
				if less {
					return -1
				}
				return 1
			}
		}
		return len(a) - len(b)
	}
	sort.SliceStable(ls, func(i, j int) bool {
		oi, oj := sp.order[ls[i].Cmd], sp.order[ls[j].Cmd]
		c := cmpKeys(keyOf(ls[i]), keyOf(ls[j]))
		if objectFirst {
			if c != 0 {
				return c < 0
			}
			return oi < oj
		}
		if oi != oj {
			return oi < oj
		}
		return c < 0
	})
}

// ikeLess orders the lines of a security gateway inside its tunnel block.
func (sp *spec) sortIKE(ls []*flat.Line) {
	sort.SliceStable(ls, func(i, j int) bool {
		a, b := sp.infos[ls[i].Cmd], sp.infos[ls[j].Cmd]
		if a.ike == "" || b.ike == "" { // the policy line first
			return a.ike == "" && b.ike != ""
		}
		return a.ike < b.ike
	})
}

// render prints a configuration as `show config` does after the header: the groups in the
// device's order, `pp select N` and `tunnel select N` blocks with their lines indented by
// one space and closed by ` pp enable N` / ` tunnel enable N`, the IPsec policy and the
// `ipsec ike` lines of its security gateway under ` ipsec tunnel P` indented by two spaces.
// padding adds valid `dns static` lines of at least that many bytes (SetOutputPadding).
func (sp *spec) render(st *flat.Store, admin bool, padding int) string {
	top := st.Top()
	// policy id -> its line; gateway id -> lines
	policy := map[string]*flat.Line{}
	for _, l := range top.Lines {
		if l.Cmd.Pattern == "ipsec sa policy <policy> <gw> ..." {
			policy[l.Tokens[3]] = l
		}
	}
	type block struct {
		num   string
		b     *flat.Block
		under map[*flat.Line][]*flat.Line // `ipsec tunnel P` line -> the lines printed under it
	}
	var tunnels, pps []*block
	for _, b := range top.Blocks {
		if len(b.Lines) == 0 {
			continue
		}
		bl := &block{num: b.Opener.Tokens[2], b: b, under: map[*flat.Line][]*flat.Line{}}
		if b.Opener.Cmd.Enters == "tunnel" {
			tunnels = append(tunnels, bl)
		} else {
			pps = append(pps, bl)
		}
	}
	byNum := func(bs []*block) {
		sort.SliceStable(bs, func(i, j int) bool { l, _ := natLess(bs[i].num, bs[j].num); return l })
	}
	byNum(tunnels)
	byNum(pps)
	claimedGW := map[string]*flat.Line{}  // gateway -> the `ipsec tunnel` line it prints under
	claimedPol := map[string]*flat.Line{} // policy -> the `ipsec tunnel` line
	for _, t := range tunnels {
		for _, l := range t.b.Lines {
			if l.Cmd.Pattern != "ipsec tunnel <policy>" {
				continue
			}
			p := l.Tokens[2]
			pl := policy[p]
			if pl == nil || claimedPol[p] != nil {
				continue
			}
			claimedPol[p] = l
			if gw := pl.Tokens[4]; claimedGW[gw] == nil {
				claimedGW[gw] = l
			}
		}
	}
	groups := map[int][]*flat.Line{}
	under := map[*flat.Line][]*flat.Line{}
	for _, l := range top.Lines {
		in := sp.infos[l.Cmd]
		if l.Cmd.Pattern == "ipsec sa policy <policy> <gw> ..." {
			if at := claimedPol[l.Tokens[3]]; at != nil {
				under[at] = append(under[at], l)
				continue
			}
		}
		if in.gw > 0 && in.gw < len(l.Tokens) {
			if at := claimedGW[l.Tokens[in.gw]]; at != nil {
				under[at] = append(under[at], l)
				continue
			}
		}
		groups[in.group] = append(groups[in.group], l)
	}
	var b strings.Builder
	emitBlock := func(bl *block) {
		b.WriteString(join(bl.b.Opener.Tokens) + "\n")
		ls := append([]*flat.Line(nil), bl.b.Lines...)
		sp.sortLines(ls, false)
		for _, l := range ls {
			b.WriteString(" " + sp.lineText(l, admin) + "\n")
			if u := under[l]; len(u) > 0 {
				u = append([]*flat.Line(nil), u...)
				sp.sortIKE(u)
				for _, x := range u {
					b.WriteString("  " + sp.lineText(x, admin) + "\n")
				}
			}
		}
	}
	for g := gDescription; g <= gMisc; g++ {
		ls := groups[g]
		sp.sortLines(ls, g == gLAN || g == gNAT || g == gDescription || g == gFilter || g == gDHCP)
		if g == gIPsec {
			ls = sp.ipsecOrder(ls)
		}
		for _, l := range ls {
			b.WriteString(sp.lineText(l, admin) + "\n")
		}
		switch g {
		case gPP:
			for _, bl := range pps {
				emitBlock(bl)
			}
		case gTunnel:
			for _, bl := range tunnels {
				emitBlock(bl)
			}
		case gDNS:
			for i, n := 1, 0; n < padding; i++ {
				l := fmt.Sprintf("dns static a pad-%07d.invalid 192.0.2.%d\n", i, 1+(i-1)%254)
				b.WriteString(l)
				n += len(l)
			}
		}
	}
	return b.String()
}

// ipsecOrder orders the IPsec lines no tunnel block prints: the global ones, the policies
// by id, then each security gateway's lines together (by gateway, in their block order)
// [INFERRED].
func (sp *spec) ipsecOrder(ls []*flat.Line) []*flat.Line {
	var global, gws []*flat.Line
	for _, l := range ls {
		if sp.infos[l.Cmd].ike != "" {
			gws = append(gws, l)
		} else {
			global = append(global, l)
		}
	}
	sort.SliceStable(gws, func(i, j int) bool {
		a, b := sp.infos[gws[i].Cmd], sp.infos[gws[j].Cmd]
		if less, eq := natLess(gws[i].Tokens[a.gw], gws[j].Tokens[b.gw]); !eq {
			return less
		}
		return a.ike < b.ike
	})
	return append(global, gws...)
}
