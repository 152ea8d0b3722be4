package rtx

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

type errs struct{ vpn.Errors }

func (e *errs) add(field, format string, args ...any) {
	e.Errors = append(e.Errors, vpn.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// text checks a value the RTX stores in double quotes (a description): ASCII only, since the
// session runs with `console character en.ascii` and the RTX stores Japanese only in
// Shift-JIS, and no control characters. Quotes, backslashes, `?`, `#`, `|` and `>` are
// written as the console reads them (Console, command reference 1.5).
func (e *errs) text(field, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			e.add(field, "must be ASCII: the RTX stores other characters only in Shift-JIS, which the provider's en.ascii console does not use")
			return
		case c < 0x20 || c == 0x7f:
			e.add(field, "must not contain control characters or line breaks")
			return
		}
	}
}

// secret checks a pre-shared key or password typed as `text KEY`: beyond vpn.CheckSecret
// (printable ASCII, no spaces, quotes or backslashes), not the `*` the RTX prints for a
// hidden secret. A `?` or `#` is typed in double quotes (command reference 1.5).
func (e *errs) secret(field, s string) {
	if s == "*" {
		e.add(field, "must not be \"*\": the RTX prints a hidden secret as *")
	}
}

// nameText checks the description text NAME [DESCRIPTION] that carries an object's name.
func (e *errs) nameText(field, name, desc, where string) {
	if desc == "" {
		return
	}
	e.text("description", desc)
	if n := len(joinName(name, desc)); n > maxDescription {
		e.add("description", "the name, a space and the description must fit in the %d characters of the RTX %s, got %d", maxDescription, where, n)
	}
}

func (e *errs) number(field string, n, max int) {
	if n != 0 && (n < 1 || n > max) {
		e.add(field, "must be between 1 and %d on this RTX model, got %d", max, n)
	}
}

var idRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.@:\-]{0,254}$`)

// Validate checks what the RTX can express, beyond vpn.Object.Validate.
func (p *RTX) Validate(o vpn.Object) vpn.Errors {
	var e errs
	switch v := o.(type) {
	case *vpn.IKEGateway:
		p.validateGateway(&e, v)
	case *vpn.Tunnel:
		p.validateTunnel(&e, v)
	case *vpn.SourceRoute:
		if v.Rule != 0 && (v.Rule < 1 || v.Rule > maxFilter) {
			e.add("rule", "an RTX ip filter number is between 1 and %d, got %d", maxFilter, v.Rule)
		}
		checkGateway(&e, v.Interface)
		if v.Preference != 0 {
			e.add("preference", "is not used on RTX: the filter's gateway comes before the route's other gateways")
		}
		if v.Table != 0 || v.Ruleset != "" {
			e.add("table", "routing tables and rulesets are EdgeOS settings; RTX source routes are ip filters on an ip route")
		}
		if v.IngressInterface != "" {
			e.add("ingress_interface", "is not used on RTX: the ip filter matches packets from any interface")
		}
		if v.Description != "" {
			e.add("description", "an RTX ip filter has no description")
		}
		if v.RoutingInstance != "" {
			e.add("routing_instance", "an RTX has one routing table")
		}
	case *vpn.StaticRoute:
		checkGateway(&e, v.Interface)
		if v.Distance != 0 && (v.Distance < 1 || v.Distance > 15) {
			e.add("distance", "is the RTX route metric, between 1 and 15, got %d", v.Distance)
		}
		if v.RoutingInstance != "" {
			e.add("routing_instance", "an RTX has one routing table")
		}
	case *vpn.PrefixList:
		e.number("number", v.Number, maxPrefixListNumber)
		e.nameText("description", v.Name, v.Description, "description line that holds the list's name")
		for i, r := range v.Rules {
			f := fmt.Sprintf("rules[%q]", strconv.Itoa(r.Sequence))
			if r.Sequence != 10*(i+1) {
				e.add(f, "an RTX BGP filter keeps no rule numbers: number the rules 10, 20, 30, ... in order")
			}
			if r.Description != "" {
				e.add(f+".description", "an RTX BGP filter has no rule descriptions")
			}
		}
		if len(v.Rules) > 0 {
			if _, err := filterWords(v); err != nil {
				e.add("rules", "%v", err)
			}
		}
	case *vpn.BGPNeighbor:
		e.number("neighbor_number", v.Number, maxBGPNeighbors)
		if v.LocalAS > 65535 {
			e.add("local_as", "bgp autonomous-system takes 1..65535 on RTX, got %d", v.LocalAS)
		}
		if v.RemoteAS > 65535 {
			e.add("remote_as", "bgp neighbor takes AS numbers 1..65535 on RTX, got %d", v.RemoteAS)
		}
		if v.HoldTime != 0 && (v.HoldTime < 3 || v.HoldTime > 28800) {
			e.add("hold_time", "must be between 3 and 28800 on RTX, got %d", v.HoldTime)
		}
		if v.Keepalive != 0 && v.Keepalive != v.HoldTime/3 {
			e.add("keepalive", "an RTX sends keepalives every third of the hold time: set keepalive to %d (hold_time / 3) or leave it out", v.HoldTime/3)
		}
		if v.UpdateSource != "" && vpn.CheckIPv4(v.UpdateSource) != "" {
			e.add("update_source", "is the RTX local-address: give an IPv4 address")
		}
		if v.EBGPMultihop != 0 {
			e.add("ebgp_multihop", "is not an RTX bgp neighbor setting")
		}
		if v.SoftReconfigIn {
			e.add("soft_reconfiguration_inbound", "is not an RTX bgp neighbor setting")
		}
		if v.Description != "" {
			e.add("description", "an RTX bgp neighbor has no description")
		}
		if len(v.Networks) > 0 {
			e.add("networks", "an RTX announces routes through bgp export filters: list them in a prefix list and set prefix_list_out")
		}
		if v.RoutingInstance != "" {
			e.add("routing_instance", "an RTX has one BGP process")
		}
		if v.Password != "" {
			e.secret("password", v.Password)
		}
	}
	return e.Errors
}

func checkGateway(e *errs, iface string) {
	if iface == "" {
		return
	}
	if _, ok := tunnelNumber(iface); !ok {
		e.add("tunnel_interface", "an RTX tunnel interface is tunnelN (N the tunnel number), got %q", iface)
	}
}

func (p *RTX) validateGateway(e *errs, g *vpn.IKEGateway) {
	e.number("gateway_number", g.Number, p.limits.gateways)
	e.nameText("description", g.Name, g.Description, "description line that holds the gateway's name")
	if len(g.Proposals) > 1 {
		e.add("proposals", "an RTX security gateway has one IKE proposal (ipsec ike encryption, hash, group), got %d", len(g.Proposals))
	}
	for i, pr := range g.Proposals {
		f := fmt.Sprintf("proposals[%d]", i)
		if ikeEncryption[pr.Encryption] == "" {
			e.add(f+".encryption", "RTX ipsec ike encryption takes %s", keys(ikeEncryption))
		}
		if ikeHash[pr.Integrity] == "" {
			e.add(f+".integrity", "RTX ipsec ike hash takes %s", keys(ikeHash))
		}
		if dhGroups[pr.DHGroup] == "" {
			e.add(f+".dh_group", "RTX ipsec ike group takes groups %s", groupNames())
		}
	}
	if g.Lifetime != 0 && g.Lifetime < 300 {
		e.add("lifetime", "RTX ipsec ike duration takes 300 seconds or more, got %d", g.Lifetime)
	}
	if g.DPD != nil {
		e.add("dpd", "RTX keepalives are a probe interval and a count: use liveness")
	}
	if l := g.Liveness; l != nil {
		if l.Interval > 600 {
			e.add("liveness.interval", "RTX ipsec ike keepalive takes 1..600 seconds, got %d", l.Interval)
		}
		if l.RetryCount > 50 {
			e.add("liveness.retry_count", "RTX ipsec ike keepalive takes 1..50 probes, got %d", l.RetryCount)
		}
	}
	switch {
	case g.Mode == vpn.IKEModeAggressive && g.LocalID == "":
		e.add("ike_mode", "an RTX uses aggressive mode when the gateway has a local name: set local_id")
	case g.Mode == vpn.IKEModeMain && g.LocalID != "" && g.IKEVersion == 1:
		e.add("ike_mode", "an RTX uses aggressive mode for an IKEv1 gateway with a local name: leave local_id out for main mode")
	}
	if g.LocalID != "" && !idRE.MatchString(g.LocalID) {
		e.add("local_id", "an RTX ipsec ike local name is an address, a domain name, user@domain or a key id")
	}
	if g.RemoteID != "" && !idRE.MatchString(g.RemoteID) {
		e.add("remote_id", "an RTX ipsec ike remote name is an address, a domain name, user@domain or a key id")
	}
	if g.PreSharedKey != "" {
		e.secret("pre_shared_key", g.PreSharedKey)
	}
}

func (p *RTX) validateTunnel(e *errs, t *vpn.Tunnel) {
	e.number("tunnel_number", t.Number, p.limits.gateways)
	if t.Description != "" || len(t.Name) > maxDescription {
		e.nameText("description", t.Name, t.Description, "description tunnel line that holds the tunnel's name")
	}
	if len(t.Proposals) > 1 {
		e.add("proposals", "an RTX ipsec sa policy has one proposal, got %d", len(t.Proposals))
	}
	for i, pr := range t.Proposals {
		f := fmt.Sprintf("proposals[%d]", i)
		if espEncryption[pr.Encryption] == "" {
			e.add(f+".encryption", "RTX ipsec sa policy esp takes %s", keys(espEncryption))
		}
		if espHash[pr.Integrity] == "" {
			e.add(f+".integrity", "RTX ipsec sa policy esp takes %s", keys(espHash))
		}
	}
	if t.PFSGroup != 0 && dhGroups[t.PFSGroup] == "" {
		e.add("pfs_group", "RTX ipsec ike group takes PFS groups %s", groupNames())
	}
	if t.Lifetime != 0 && t.Lifetime < 300 {
		e.add("lifetime", "RTX ipsec ike duration ipsec-sa takes 300 seconds or more, got %d", t.Lifetime)
	}
	if t.Interface != "" {
		if n, ok := tunnelNumber(t.Interface); !ok || t.Number != 0 && n != t.Number {
			e.add("tunnel_interface", "an RTX tunnel's interface is tunnel%d (its tunnel number)", t.Number)
		}
	}
	if t.MTU != 0 && (t.MTU < 64 || t.MTU > 1500) {
		e.add("mtu", "RTX ip tunnel mtu takes 64..1500, got %d", t.MTU)
	}
	if t.TCPMSS != 0 && (t.TCPMSS < 536 || t.TCPMSS > 1460) {
		e.add("tcp_mss", "RTX ip tunnel tcp mss limit takes 536..1460, got %d", t.TCPMSS)
	}
	if len(t.Selectors) > 0 {
		e.add("traffic_selectors", "RTX tunnels here are route-based: route traffic into tunnel%d instead", t.Number)
	}
	if t.Zone != "" {
		e.add("tunnel_zone", "an RTX has no security zones")
	}
	if t.UnnumberedInterface != "" {
		e.add("unnumbered_interface", "is not an RTX tunnel setting")
	}
	if t.Monitor != nil {
		e.add("monitor", "is not supported on RTX by this provider; use the gateway's liveness")
	}
	if t.EstablishImmediately {
		e.add("establish_immediately", "an RTX initiates when its gateway's connection_type is initiate (ipsec auto refresh)")
	}
}
