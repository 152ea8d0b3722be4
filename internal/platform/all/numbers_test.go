package all_test

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/all"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// A device number given for a kind the platform does not number (gateway_number or
// neighbor_number on a platform that names gateways and identifies neighbors by address) is
// refused at plan, naming the attribute, instead of being silently dropped; a platform that
// numbers the kind takes it.
func TestNumbersOnlyWhereThePlatformNumbers(t *testing.T) {
	objects := []struct {
		attr string
		obj  vpn.Object
	}{
		{"gateway_number", &vpn.IKEGateway{Name: "GW", PeerAddress: "198.51.100.1", LocalAddress: "203.0.113.1", IKEVersion: 2, PreSharedKey: "k-1",
			Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}}, Number: 3}},
		{"neighbor_number", &vpn.BGPNeighbor{Address: "169.254.21.1", LocalAS: 65510, RemoteAS: 65515, Number: 3}},
	}
	for _, name := range platform.Names() {
		p, _ := platform.Get(name)
		for _, o := range objects {
			errs := p.Validate(o.obj)
			refused := strings.Contains(errs.Error(), o.attr)
			if numbers := platform.NumbersKind(p, o.obj.Kind()); numbers == refused {
				t.Errorf("%s: %s: numbers the kind %v, refused %v (%v)", name, o.attr, numbers, refused, errs)
			}
		}
	}
}
