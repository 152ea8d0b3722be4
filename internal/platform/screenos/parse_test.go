package screenos

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// seeds are the three `get config` listings of seed 000 (placeholders replaced with
// documentation values) and the reference's sample, with the outgoing interface each device's
// gateway uses.
var seeds = []struct{ file, outgoing string }{
	{"seed000_ssg5", "ethernet0/0"},
	{"seed000_ns25", "ethernet3"},
	{"seed000_ns5gt", "untrust"},
	{"reference_sample", "ethernet0/0"},
}

// TestParseSeeds reads each listing into the model (golden JSON).
func TestParseSeeds(t *testing.T) {
	for _, sd := range seeds {
		t.Run(sd.file, func(t *testing.T) {
			cfg := mustParse(t, &ScreenOS{}, readFile(t, sd.file+".txt"))
			golden(t, sd.file+".model.golden.json", jsonOf(t, cfg))
		})
	}
}

// TestRenderSeedsOnEmptyDevice renders each seed's model onto a device without any of it
// (golden lines) and checks that the device, once it has applied them, reads back as the
// same model.
func TestRenderSeedsOnEmptyDevice(t *testing.T) {
	for _, sd := range seeds {
		t.Run(sd.file, func(t *testing.T) {
			p := bound(t, map[string]string{OptOutgoingInterface: sd.outgoing})
			want := mustParse(t, p, readFile(t, sd.file+".txt"))
			empty := platform.Snapshot{Text: "", Config: vpn.NewConfig()}
			steps, err := p.stepsChecked(empty, want, false)
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, st := range steps {
				lines = append(lines, st.Do...)
			}
			golden(t, sd.file+".render.golden.txt", strings.Join(lines, "\n")+"\n")
			dev := newFake(t, "")
			for _, l := range lines {
				if err := dev.apply(l); err != nil {
					t.Fatal(err)
				}
			}
			got := mustParse(t, p, dev.listing())
			if a, b := jsonOf(t, got), jsonOf(t, want); a != b {
				t.Errorf("the rendered lines read back differently:\n--- got\n%s\n--- want\n%s", a, b)
			}
			// Nothing is left to do once they are applied.
			again, err := p.stepsChecked(platform.Snapshot{Text: dev.listing(), Config: got}, want, false)
			if err != nil || len(again) != 0 {
				t.Errorf("a second render gives %v, %v; want nothing", again, err)
			}
		})
	}
}

// TestParseSeedDetails checks what a user reads from the SSG5 seed.
func TestParseSeedDetails(t *testing.T) {
	cfg := mustParse(t, &ScreenOS{}, readFile(t, "seed000_ns25.txt"))
	gw := cfg.IKEGateways()["azure-gateway-ike"]
	if gw == nil || gw.PeerAddress != "198.51.100.1" || gw.Mode != "main" || gw.Lifetime != 28800 ||
		len(gw.Proposals) != 1 || gw.Proposals[0] != (vpn.IKEProposal{Encryption: "aes128", Integrity: "sha1", DHGroup: 2}) ||
		gw.NATTraversal == nil || !*gw.NATTraversal || gw.PreSharedKey != "Q2FuJ3QgcmV2ZXJzZSB0aGlzIQ==" {
		t.Errorf("gateway = %+v", gw)
	}
	a := cfg.Tunnels()["Azure-VPN_A"]
	if a == nil || a.Interface != "tunnel.1" || a.Zone != "Untrust" || a.UnnumberedInterface != "ethernet3" || a.PFSGroup != 0 ||
		a.Lifetime != 3600 || a.AntiReplay == nil || *a.AntiReplay || a.Monitor == nil || !a.EstablishImmediately ||
		len(a.Selectors) != 1 || a.Selectors[0].Local != "192.168.1.0/24" || a.Selectors[0].Remote != "10.0.0.0/16" {
		t.Errorf("tunnel A = %+v", a)
	}
	sr := cfg.SourceRoutes()["192.168.1.0/24"]
	if sr == nil || sr.Interface != "tunnel.1" || sr.Preference != 15 {
		t.Errorf("source route = %+v", sr)
	}
	pol := cfg.SecurityPolicies()["Go Azure"]
	if pol == nil || pol.Number != 1 || pol.FromZone != "Trust" || pol.ToZone != "Untrust" || pol.Action != "permit" || !pol.Log || pol.Position != "top,bottom" {
		t.Errorf("policy 1 = %+v", pol)
	}
	p3 := cfg.SecurityPolicies()["policy-3"]
	if p3 == nil || p3.Position != "after:2,bottom" || len(p3.Sources) != 1 || p3.Sources[0] != "10.0.0.0/16" || p3.Destinations[0] != "172.16.0.0/24" {
		t.Errorf("policy 3 = %+v", p3)
	}
}

// TestParseOneLineForms reads a configuration pasted in the one-line vrouter form (as the
// dialect types it) the same as the listing's block form.
func TestParseOneLineForms(t *testing.T) {
	block := `set vrouter "trust-vr"
set source-routing enable
set route 10.0.0.0/16 interface tunnel.1 preference 10
set route source 192.168.1.0/24 interface tunnel.1 preference 15
set access-list 5 permit ip 10.0.0.0/16 10
set route-map name "rm" permit 1
set match ip 5
exit
set protocol bgp 65000
set neighbor 169.254.0.1 remote-as 65515
set neighbor 169.254.0.1 route-map "rm" in
set network 192.168.1.0/24
exit
exit
`
	oneLine := `set vrouter "trust-vr" source-routing enable
set vrouter "trust-vr" route 10.0.0.0/16 interface tunnel.1 preference 10
set vrouter "trust-vr" route source 192.168.1.0/24 interface tunnel.1 preference 15
set vrouter "trust-vr" access-list 5 permit ip 10.0.0.0/16 10
set vrouter "trust-vr" route-map name "rm" permit 1 match ip 5
set vrouter trust-vr protocol bgp 65000
set vrouter trust-vr protocol bgp neighbor 169.254.0.1 remote-as 65515
set vrouter trust-vr protocol bgp neighbor 169.254.0.1 route-map "rm" in
set vrouter trust-vr protocol bgp network 192.168.1.0/24
`
	p := &ScreenOS{}
	a, b := jsonOf(t, mustParse(t, p, block)), jsonOf(t, mustParse(t, p, oneLine))
	if a != b {
		t.Errorf("block:\n%s\none-line:\n%s", a, b)
	}
	cfg := mustParse(t, p, block)
	if cfg.PrefixLists()["rm"] == nil || cfg.BGPNeighbors()["169.254.0.1"] == nil || cfg.BGPNeighbors()["169.254.0.1"].PrefixListIn != "rm" {
		t.Errorf("%s", a)
	}
	if _, err := p.Parse("set vpn \"unterminated\n"); err == nil {
		t.Error("an unterminated quote is no error")
	} else if strings.Contains(err.Error(), "unterminated\"") {
		t.Errorf("the error quotes the line: %v", err)
	}
}
