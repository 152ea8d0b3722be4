package edgeos_test

import (
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/edgeos"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// What EdgeOS declares to the generic layers keeps users' configurations and state as they
// were: secrets in plaintext, one option that needs nothing from the device, the transport's
// default algorithms, no dialog, plain commits unless commit_confirmed_minutes is set.
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
	if opts := platform.OptionsOf(p); len(opts) != 1 || opts[0].Name != edgeos.OptCommitConfirmed {
		t.Errorf("options %v", opts)
	}
	if platform.NeedsFacts(p) {
		t.Error("EdgeOS binding reads the device's facts")
	}
	if b, err := platform.Bind(p, vpn.Facts{Model: "EdgeRouter X 5-Port"}, nil); err != nil || b != platform.Platform(p) {
		t.Errorf("Bind = %v, %v; want the dialect itself", b, err)
	}
	if tx := p.Session().Tx; len(tx.Commit) != 1 || tx.Commit[0].Line != "commit" || tx.Confirm != nil {
		t.Errorf("plain transaction %+v", tx)
	}
	b, err := platform.Bind(p, vpn.Facts{}, map[string]string{edgeos.OptCommitConfirmed: "7"})
	if err != nil {
		t.Fatal(err)
	}
	if tx := b.Session().Tx; len(tx.Commit) != 1 || tx.Commit[0].Line != "commit-confirm 7" || tx.Commit[0].Answer != "y" ||
		len(tx.Confirm) != 1 || tx.Confirm[0].Line != "confirm" {
		t.Errorf("confirmed transaction %+v", tx)
	}
	if _, err := platform.Bind(p, vpn.Facts{}, map[string]string{edgeos.OptCommitConfirmed: "0"}); err == nil {
		t.Error("0 minutes bound")
	}
	s := p.Session()
	if s.KeyExchanges != nil || s.Ciphers != nil || s.MACs != nil || s.HostKeyAlgorithms != nil || s.ExecUsable || s.Login != nil {
		t.Errorf("session declarations %+v", s)
	}
}
