package platform

import "github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"

// GatewayThroughInterface is implemented by platforms whose static routes can name both the
// interface and the gateway reached through it (ScreenOS `set route D interface IF gateway
// G`), and says whether they can.
type GatewayThroughInterface interface {
	StaticRouteGatewayThroughInterface() bool
}

// CheckRouteTarget refuses a static route with both tunnel_interface and next_hop on a
// platform that takes only one of them (every platform but those that declare
// GatewayThroughInterface).
func CheckRouteTarget(p Platform, o vpn.Object) vpn.Errors {
	r, ok := o.(*vpn.StaticRoute)
	if !ok || r.Interface == "" || r.NextHop == "" {
		return nil
	}
	if g, ok := p.(GatewayThroughInterface); ok && g.StaticRouteGatewayThroughInterface() {
		return nil
	}
	return vpn.Errors{{Field: "next_hop", Message: "conflicts with tunnel_interface on " + p.Name() + "; set only one"}}
}
