package rtx

import (
	"reflect"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

var listings = []string{"reference_show_config", "seed001_durations", "seed001_defaults", "seed002_vwan"}

// TestParseGolden parses each real or reference configuration into the model (golden JSON),
// and checks the secrets separately, since the model never marshals them.
func TestParseGolden(t *testing.T) {
	wantSecrets := map[string]string{
		"reference_show_config": "ike_gateway gateway1: s3cr3tPSK\n",
		"seed001_durations":     "ike_gateway gateway100: Azure-PSK-0123\n",
		"seed001_defaults":      "ike_gateway gateway100: Azure-PSK-0123\n",
		"seed002_vwan":          "ike_gateway vwan-instance0: aliazu12345\nike_gateway vwan-instance1: aliazu12345\n",
	}
	for _, name := range listings {
		t.Run(name, func(t *testing.T) {
			cfg := parse(t, read(t, name+".txt"))
			golden(t, name+".golden.json", marshal(t, cfg))
			if got := secrets(cfg); got != wantSecrets[name] {
				t.Errorf("secrets:\n%s\nwant:\n%s", got, wantSecrets[name])
			}
		})
	}
}

// TestParseSeed001 checks what a user of seed 001 looks for: the IKEv2 gateway initiating to
// Azure with NAT-T and keepalive, the SA lifetime matched to Azure's in one variant and the
// device default in the other, the MSS clamp.
func TestParseSeed001(t *testing.T) {
	for name, life := range map[string]int{"seed001_durations": 27000, "seed001_defaults": 28800} {
		cfg := parse(t, read(t, name+".txt"))
		g := cfg.IKEGateways()["gateway100"]
		tu := cfg.Tunnels()["tunnel100"]
		if g == nil || tu == nil {
			t.Fatalf("%s: gateway100 or tunnel100 missing: %s", name, marshal(t, cfg))
		}
		if g.IKEVersion != 2 || g.ConnectionType != "initiate" || g.NATTraversal == nil || !*g.NATTraversal || g.Liveness == nil {
			t.Errorf("%s: gateway %+v", name, g)
		}
		// The `no ... address` lines are not configuration; without a remote address the
		// peer is the ipv4-addr remote name.
		if g.LocalID != "192.168.100.1" || g.RemoteID != "198.51.100.10" || g.PeerAddress != "198.51.100.10" || g.LocalAddress != "" {
			t.Errorf("%s: identities %q %q, addresses %q %q", name, g.LocalID, g.RemoteID, g.PeerAddress, g.LocalAddress)
		}
		if tu.Lifetime != life || tu.TCPMSS != 1350 || tu.Gateway != "gateway100" || tu.Number != 100 || tu.AntiReplay == nil || *tu.AntiReplay {
			t.Errorf("%s: tunnel %+v", name, tu)
		}
	}
}

// TestParseSeed002 checks the two-tunnel BGP scenario: names from the descriptions, both
// neighbors with the hold time 30 and keepalive 10 that give the ~37 s failover, the local AS
// 64512 and the announced prefix list.
func TestParseSeed002(t *testing.T) {
	cfg := parse(t, read(t, "seed002_vwan.txt"))
	if g := cfg.IKEGateways()["vwan-instance1"]; g == nil || g.Number != 2 || g.Description != "Azure VPN Gateway instance 1" || g.Lifetime != 3600 {
		t.Errorf("gateway vwan-instance1: %+v", g)
	}
	if tu := cfg.Tunnels()["vwan-link1"]; tu == nil || tu.Gateway != "vwan-instance1" || tu.Address != "169.254.21.5/30" || tu.Description != "to instance 1" {
		t.Errorf("tunnel vwan-link1: %+v", tu)
	}
	for _, addr := range []string{"169.254.21.2", "169.254.21.6"} {
		n := cfg.BGPNeighbors()[addr]
		if n == nil || n.LocalAS != 64512 || n.RemoteAS != 65515 || n.HoldTime != 30 || n.Keepalive != 10 || n.PrefixListOut != "onprem-out" || n.RouterID != "10.0.0.1" {
			t.Errorf("neighbor %s: %+v", addr, n)
		}
	}
	if r := cfg.StaticRoutes()["169.254.21.6/32"]; r == nil || r.Interface != "tunnel2" {
		t.Errorf("route to the second BGP peer: %+v", r)
	}
	if r := cfg.StaticRoutes()["0.0.0.0/0"]; r == nil || r.NextHop != "203.0.113.1" {
		t.Errorf("default route: %+v", r)
	}
}

// TestParseReferenceSourceRoute: the filtered default route of the reference sample is a
// source route from 192.168.50.0/24 into tunnel 2, and its fallback gateway the static default.
func TestParseReferenceSourceRoute(t *testing.T) {
	cfg := parse(t, read(t, "reference_show_config.txt"))
	sr := cfg.SourceRoutes()["192.168.50.0/24"]
	if sr == nil || sr.Interface != "tunnel2" || sr.Rule != 500001 || sr.Destination != "" {
		t.Fatalf("source route: %+v", sr)
	}
	if r := cfg.StaticRoutes()["0.0.0.0/0"]; r == nil || r.NextHop != "203.0.113.1" {
		t.Errorf("fallback: %+v", r)
	}
	if n := cfg.BGPNeighbors()["169.254.255.1"]; n == nil || n.PrefixListOut != "bgp-filter1" || n.UpdateSource != "169.254.255.2" {
		t.Errorf("neighbor: %+v", n)
	}
}

// TestParseRefusesBrokenLine: an unterminated quote is an error naming the line number only,
// never quoting it (it may hold a key).
func TestParseRefusesBrokenLine(t *testing.T) {
	_, err := p.Parse("ip route default gateway tunnel 1\nipsec ike pre-shared-key 1 text \"s3cr3t\n")
	if err == nil || !strings.Contains(err.Error(), "line 2") || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("error %v", err)
	}
}

// TestRenderEmptyGolden renders seed 002's model for an empty device (golden lines in the
// device's order, tunnel blocks typed with tunnel select), then lists it the way the device
// does and parses it back: the model must be the same.
func TestRenderEmptyGolden(t *testing.T) {
	for _, name := range listings {
		t.Run(name, func(t *testing.T) {
			want := parse(t, read(t, name+".txt"))
			// Every listing renders and reads back the same, valid or not.
			if got := parse(t, listing(t, want)); !reflect.DeepEqual(got, want) || secrets(got) != secrets(want) {
				t.Errorf("listing parsed back:\n%s\nwant:\n%s", marshal(t, got), marshal(t, want))
			}
			if name == "reference_show_config" {
				// The sample's filter 500001 is above the model's rule range (1..9999).
				sr := want.SourceRoutes()["192.168.50.0/24"]
				sr.Rule = 9001
			}
			if strings.HasPrefix(name, "seed001") {
				// Seed 001 leaves out what the model requires to create a gateway (a
				// remote address, ESP authentication): the provider can read it and
				// import it, and creates it once the user gives them.
				g := want.IKEGateways()["gateway100"]
				g.PeerAddress = "198.51.100.10"
				want.Tunnels()["tunnel100"].Proposals[0].Integrity = "sha256"
			}
			steps, err := p.RenderSteps(platform.Snapshot{Text: "", Config: vpn.NewConfig()}, want)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, name+".render.golden.txt", stepsText(steps))
			s := newStore(t, "")
			applySteps(t, s, steps, false)
			got := parse(t, s.listing())
			if !reflect.DeepEqual(got, want) {
				t.Errorf("parsed back:\n%s\nwant:\n%s", marshal(t, got), marshal(t, want))
			}
			if secrets(got) != secrets(want) {
				t.Errorf("secrets differ after the round trip")
			}
			// The device's listing of the rendered model renders to nothing more.
			again, err := p.RenderSteps(platform.Snapshot{Text: s.listing(), Config: got}, want)
			if err != nil || len(again) != 0 {
				t.Errorf("rendering onto the result: %v\n%s", err, stepsText(again))
			}
		})
	}
}
