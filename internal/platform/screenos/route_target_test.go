package screenos

import (
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// A static route with an interface and a gateway through it is ScreenOS's own form
// (device-cli.md 1.2.4 `set route <net> interface <if> gateway <gw>` [SEEN ziptie
// AddStaticRoute.pm]; seed 000 `set route 172.16.0.0/24 interface bgroup0 gateway
// 192.168.1.254`): the generic check takes it here and refuses it elsewhere.
func TestStaticRouteGatewayThroughInterface(t *testing.T) {
	r := &vpn.StaticRoute{Destination: "172.16.0.0/24", Interface: "bgroup0", NextHop: "192.168.1.254"}
	if es := append(r.Validate(), platform.CheckRouteTarget(&ScreenOS{}, r)...); len(es) != 0 {
		t.Fatalf("ScreenOS refuses interface + gateway: %v", es)
	}
	for _, name := range platform.Names() {
		p, _ := platform.Get(name)
		if _, ok := p.(platform.GatewayThroughInterface); ok {
			continue
		}
		if es := platform.CheckRouteTarget(p, r); len(es) != 1 || es[0].Field != "next_hop" {
			t.Errorf("%s: want one error on next_hop, got %v", name, es)
		}
	}
}
