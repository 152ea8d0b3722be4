package rtx

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// TestRenderShortForms pins a form seed 001 types and the simulator prints as typed:
// `ipsec ike keepalive use G on` is the IKEv2 RFC 4306 keepalive with interval 10 and count 6
// (command reference 15.20: the first form is RFC 4306 under IKEv2; defaults 10 and 6). Other
// values keep the long form. (`ipsec sa policy P G esp` alone, aes-cbc without authentication
// by 15.48.2, is rendered so when a tunnel read from the device has no integrity; the model
// refuses a tunnel without one, so only an imported tunnel can hold it.)
func TestRenderShortForms(t *testing.T) {
	lines := func(g *vpn.IKEGateway, tu *vpn.Tunnel) string {
		want := vpn.NewConfig()
		want.Put(g)
		want.Put(tu)
		steps, err := p.RenderSteps(platform.Snapshot{Config: vpn.NewConfig()}, want)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range steps {
			out = append(out, s.Do.Line)
		}
		return strings.Join(out, "\n") + "\n"
	}
	g, tu := validGateway(), validTunnel()
	g.Liveness = &vpn.Liveness{Interval: 10, RetryCount: 6}
	got := lines(g, tu)
	for _, l := range []string{"ipsec ike keepalive use 1 on\n"} {
		if !strings.Contains(got, l) {
			t.Errorf("short form %q missing:\n%s", l, got)
		}
	}
	g.Liveness = &vpn.Liveness{Interval: 10, RetryCount: 5}
	tu.Proposals = []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha256"}}
	got = lines(g, tu)
	for _, l := range []string{"ipsec ike keepalive use 1 on rfc4306 10 5\n", "ipsec sa policy 1 1 esp aes-cbc sha256-hmac\n"} {
		if !strings.Contains(got, l) {
			t.Errorf("long form %q missing:\n%s", l, got)
		}
	}
	g.IKEVersion, g.Liveness = 1, &vpn.Liveness{Interval: 10, RetryCount: 6}
	if got = lines(g, tu); !strings.Contains(got, "ipsec ike keepalive use 1 on dpd 10 6\n") {
		t.Errorf("IKEv1 (first form is heartbeat) keeps dpd:\n%s", got)
	}
}
