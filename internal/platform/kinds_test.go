package platform

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// fakePlatform is a Platform that manages only some kinds and numbers tunnels.
type fakePlatform struct {
	Platform
	kinds []vpn.Kind
}

func (fakePlatform) Name() string { return "fake" }

type fakeKinds struct{ fakePlatform }

func (f fakeKinds) Kinds() []vpn.Kind { return f.kinds }

type fakeNumberer struct{ fakePlatform }

func (fakeNumberer) NumberRange(k vpn.Kind) (vpn.NumberRange, bool) {
	if k == vpn.KindTunnel {
		return vpn.NumberRange{Min: 1, Max: 3}, true
	}
	return vpn.NumberRange{}, false
}

func TestSupportedKinds(t *testing.T) {
	all := fakePlatform{}
	for _, k := range vpn.Kinds {
		if !Supports(all, k) || CheckKind(all, "d", k) != nil {
			t.Errorf("a platform without Kinds() must support %s", k)
		}
	}
	some := fakeKinds{fakePlatform{kinds: []vpn.Kind{vpn.KindIKEGateway, vpn.KindTunnel}}}
	if !Supports(some, vpn.KindTunnel) || Supports(some, vpn.KindSourceRoute) {
		t.Error("Supports ignores the platform's list")
	}
	err := CheckKind(some, "branch", vpn.KindSourceRoute)
	if err == nil {
		t.Fatal("unsupported kind accepted")
	}
	for _, want := range []string{"platform fake", `device "branch"`, "source_route", "ike_gateway, vpn_tunnel"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestAssignNumber(t *testing.T) {
	cfg := vpn.NewConfig()
	cfg.Put(&vpn.Tunnel{Name: "A", Number: 1})
	p := fakeNumberer{}
	o := &vpn.Tunnel{Name: "B"}
	if ok, err := AssignNumber(p, cfg, o); !ok || err != nil || o.Number != 2 {
		t.Errorf("assigned %v %v number %d; want 2", ok, err, o.Number)
	}
	set := &vpn.Tunnel{Name: "C", Number: 7}
	if ok, _ := AssignNumber(p, cfg, set); ok || set.Number != 7 {
		t.Error("a number the user set was replaced")
	}
	pl := &vpn.PrefixList{Name: "P"}
	if ok, _ := AssignNumber(p, cfg, pl); ok || pl.Number != 0 {
		t.Error("a kind the platform does not number got a number")
	}
	if ok, _ := AssignNumber(fakePlatform{}, cfg, &vpn.Tunnel{Name: "D"}); ok {
		t.Error("a platform without NumberRange numbered a tunnel")
	}
	if _, err := AssignNumber(p, cfg, &vpn.Tunnel{Name: "E"}, 2, 3); err == nil || !strings.Contains(err.Error(), "platform fake") {
		t.Errorf("full range: %v", err)
	}
}
