package edgeos_test

import (
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/edgeos"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// What EdgeOS declares to the generic layers keeps users' configurations and state as they
// were: secrets in plaintext, no options, the transport's default algorithms, no dialog.
func TestDeclarations(t *testing.T) {
	p := &edgeos.EdgeOS{}
	for _, c := range []struct {
		kind  vpn.Kind
		field string
	}{{vpn.KindIKEGateway, "pre_shared_key"}, {vpn.KindBGPNeighbor, "password"}} {
		if f := platform.SecretFormOf(p, c.kind, c.field); f != platform.SecretPlaintext {
			t.Errorf("%s %s reads back %v", c.kind, c.field, f)
		}
	}
	if opts := platform.OptionsOf(p); len(opts) != 0 {
		t.Errorf("options %v", opts)
	}
	if b, err := platform.Bind(p, vpn.Facts{Model: "EdgeRouter X 5-Port"}, nil); err != nil || b != platform.Platform(p) {
		t.Errorf("Bind = %v, %v; want the dialect itself", b, err)
	}
	s := p.Session()
	if s.KeyExchanges != nil || s.Ciphers != nil || s.MACs != nil || s.HostKeyAlgorithms != nil || s.ExecUsable || s.Login != nil {
		t.Errorf("session declarations %+v", s)
	}
}
