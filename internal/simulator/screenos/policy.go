package screenos

import (
	"strconv"
	"strings"
)

// Policies [SEEN line form in seed 000 and the reference sample; ordering commands
// INFERRED from the ScreenOS CLI]:
//
//	set policy [id N] [top | before M] [name "x"] from "Z1" to "Z2" "src" "dst" "svc"
//	    [nat src] {permit | deny | reject | tunnel vpn "V"} [log] [count]
//	set policy move N {before | after} M
//	set policy id N            (enters the policy context: set/unset src-address, dst-address, service)
//	unset policy id N
//
// A new policy without `top`/`before` goes last; one without an id gets the next free id.
// Setting an existing id again changes it in place (its position stays unless `top` or
// `before` is given). The list is the evaluation order.

func (e *engine) policyCommand(c *conf, cur *cursor, toks []token, negate bool) *cliErr {
	at := func(i int) string {
		if i < len(toks) {
			return toks[i].s
		}
		return ""
	}
	endCol := func() int { l := toks[len(toks)-1]; return l.col + width(l.s) + 1 }
	bad := func(i int) *cliErr {
		if i >= len(toks) {
			return caretAt(endCol(), notCompleted)
		}
		return caretAt(toks[i].col, "unknown keyword "+toks[i].s)
	}
	num := func(i int) (int, *cliErr) {
		if i >= len(toks) {
			return 0, caretAt(endCol(), notCompleted)
		}
		n, err := strconv.Atoi(toks[i].s)
		if err != nil || n < 1 || n > 10000 {
			return 0, caretAt(toks[i].col, "invalid value "+toks[i].s+" (1-10000)")
		}
		return n, nil
	}
	if negate {
		if lower(at(2)) != "id" {
			return bad(2)
		}
		id, ce := num(3)
		if ce != nil {
			return ce
		}
		if len(toks) > 4 {
			return bad(4)
		}
		i := c.policyIndex(id)
		if i < 0 {
			return objErr("Policy id " + strconv.Itoa(id) + " doesn't exist")
		}
		c.policies = append(c.policies[:i:i], c.policies[i+1:]...)
		return nil
	}
	if lower(at(2)) == "move" {
		id, ce := num(3)
		if ce != nil {
			return ce
		}
		where := lower(at(4))
		if where != "before" && where != "after" {
			return bad(4)
		}
		ref, ce := num(5)
		if ce != nil {
			return ce
		}
		if len(toks) > 6 {
			return bad(6)
		}
		i, j := c.policyIndex(id), c.policyIndex(ref)
		if i < 0 {
			return objErr("Policy id " + strconv.Itoa(id) + " doesn't exist")
		}
		if j < 0 {
			return objErr("Policy id " + strconv.Itoa(ref) + " doesn't exist")
		}
		p := c.policies[i]
		rest := append(c.policies[:i:i], c.policies[i+1:]...)
		j = indexIn(rest, ref)
		if where == "after" {
			j++
		}
		c.policies = append(rest[:j:j], append([]*policy{p}, rest[j:]...)...)
		return nil
	}
	id, top, before, name, hasName := 0, false, 0, "", false
	i := 2
prefix:
	for i < len(toks) {
		switch lower(toks[i].s) {
		case "id":
			if id != 0 {
				return bad(i)
			}
			n, ce := num(i + 1)
			if ce != nil {
				return ce
			}
			id, i = n, i+2
		case "top":
			if top || before != 0 {
				return bad(i)
			}
			top, i = true, i+1
		case "before":
			if top || before != 0 {
				return bad(i)
			}
			n, ce := num(i + 1)
			if ce != nil {
				return ce
			}
			before, i = n, i+2
		case "name":
			if hasName || i+1 >= len(toks) {
				return bad(i + 1)
			}
			if m := checkName(toks[i+1].s); m != "" {
				return caretAt(toks[i+1].col, m)
			}
			name, hasName, i = toks[i+1].s, true, i+2
		default:
			break prefix
		}
	}
	if i >= len(toks) {
		if id != 0 && !top && before == 0 && !hasName {
			if c.policyIndex(id) < 0 {
				return objErr("Policy id " + strconv.Itoa(id) + " doesn't exist")
			}
			cur.policy = id
			return nil
		}
		return caretAt(endCol(), notCompleted)
	}
	if lower(toks[i].s) != "from" {
		return bad(i)
	}
	p := &policy{id: id, name: name}
	if i+7 > len(toks) {
		return caretAt(endCol(), notCompleted)
	}
	if lower(at(i+2)) != "to" {
		return bad(i + 2)
	}
	for _, k := range []int{i + 1, i + 3, i + 4, i + 5, i + 6} {
		if m := checkName(toks[k].s); m != "" {
			return caretAt(toks[k].col, m)
		}
	}
	p.from, _ = e.canonZone(c, toks[i+1].s)
	p.to, _ = e.canonZone(c, toks[i+3].s)
	p.src = []string{canonAddr(toks[i+4].s)}
	p.dst = []string{canonAddr(toks[i+5].s)}
	p.svc = []string{canonService(toks[i+6].s)}
	i += 7
	if lower(at(i)) == "nat" {
		if lower(at(i+1)) != "src" {
			return bad(i + 1)
		}
		p.nat, i = true, i+2
	}
	switch lower(at(i)) {
	case "permit", "deny", "reject":
		p.action, i = lower(at(i)), i+1
	case "tunnel":
		if lower(at(i+1)) != "vpn" {
			return bad(i + 1)
		}
		if i+2 >= len(toks) {
			return caretAt(endCol(), notCompleted)
		}
		p.action, p.vpn, i = "tunnel", toks[i+2].s, i+3
	default:
		return bad(i)
	}
	for ; i < len(toks); i++ {
		switch lower(toks[i].s) {
		case "log":
			if p.log {
				return bad(i)
			}
			p.log = true
		case "count":
			if p.count {
				return bad(i)
			}
			p.count = true
		default:
			return bad(i)
		}
	}
	before0 := e.problems(c)
	if p.id == 0 {
		for _, q := range c.policies {
			if q.id > p.id {
				p.id = q.id
			}
		}
		p.id++
	}
	if before != 0 && c.policyIndex(before) < 0 {
		return objErr("Policy id " + strconv.Itoa(before) + " doesn't exist")
	}
	if k := c.policyIndex(p.id); k >= 0 {
		old := c.policies[k]
		p.src = append(p.src, without(old.src[1:], p.src[0])...)
		p.dst = append(p.dst, without(old.dst[1:], p.dst[0])...)
		p.svc = append(p.svc, without(old.svc[1:], p.svc[0])...)
		if !top && before == 0 {
			c.policies[k] = p
			return e.policyProblem(c, before0)
		}
		c.policies = append(c.policies[:k:k], c.policies[k+1:]...)
	}
	switch {
	case top:
		c.policies = append([]*policy{p}, c.policies...)
	case before != 0:
		j := c.policyIndex(before)
		c.policies = append(c.policies[:j:j], append([]*policy{p}, c.policies[j:]...)...)
	default:
		c.policies = append(c.policies, p)
	}
	return e.policyProblem(c, before0)
}

func (e *engine) policyProblem(c *conf, before []problem) *cliErr {
	if p := newProblem(before, e.problems(c)); p != nil {
		return objErr(p.set)
	}
	return nil
}

func indexIn(ps []*policy, id int) int {
	for i, p := range ps {
		if p.id == id {
			return i
		}
	}
	return -1
}

func without(list []string, v string) []string {
	var out []string
	for _, x := range list {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

func canonAddr(a string) string {
	if strings.EqualFold(a, "any") {
		return "Any"
	}
	return a
}

func canonService(s string) string {
	if v := enumValue(predefinedServices, s); v != "" {
		return v
	}
	return s
}

// policyContext runs a line typed in `host(policy:N)-> `.
func (e *engine) policyContext(c *conf, cur *cursor, toks []token, negate bool) *cliErr {
	if len(toks) < 2 {
		return caretAt(toks[0].col+width(toks[0].s)+1, notCompleted)
	}
	kw := lower(toks[1].s)
	if kw != "src-address" && kw != "dst-address" && kw != "service" {
		return caretAt(toks[1].col, "unknown keyword "+toks[1].s)
	}
	if len(toks) < 3 {
		return caretAt(toks[1].col+width(toks[1].s)+1, notCompleted)
	}
	if len(toks) > 3 {
		return caretAt(toks[3].col, "unknown keyword "+toks[3].s)
	}
	if m := checkName(toks[2].s); m != "" {
		return caretAt(toks[2].col, m)
	}
	k := c.policyIndex(cur.policy)
	if k < 0 {
		cur.policy = 0
		return objErr("Policy id " + strconv.Itoa(cur.policy) + " doesn't exist")
	}
	p := c.policies[k].clone()
	list := map[string]*[]string{"src-address": &p.src, "dst-address": &p.dst, "service": &p.svc}[kw]
	v := toks[2].s
	if kw == "service" {
		v = canonService(v)
	} else {
		v = canonAddr(v)
	}
	found := -1
	for i, x := range *list {
		if x == v {
			found = i
		}
	}
	before := e.problems(c)
	if negate {
		if found < 0 {
			return objErr("Entry doesn't exist")
		}
		if len(*list) == 1 {
			return objErr("Can't delete: the policy needs one " + kw)
		}
		*list = append((*list)[:found:found], (*list)[found+1:]...)
	} else if found < 0 {
		*list = append(*list, v)
	}
	c.policies[k] = p
	return e.policyProblem(c, before)
}
