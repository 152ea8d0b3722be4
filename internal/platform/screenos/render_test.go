package screenos

import (
	"fmt"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func ptr[T any](v T) *T { return &v }

// stepsText writes steps for a golden file: each step's command, its undo and what leaves
// the contexts it opened.
func stepsText(steps []platform.Step) string {
	var b strings.Builder
	for i, st := range steps {
		fmt.Fprintf(&b, "step %d\n  do    %s\n", i+1, st.Do.Line)
		for _, u := range st.Undo {
			fmt.Fprintf(&b, "  undo  %s\n", u.Line)
		}
		for _, l := range st.Leave {
			fmt.Fprintf(&b, "  leave %s\n", l.Line)
		}
	}
	return b.String()
}

// change renders desired (made by edit from the device's model) on the device listed in
// file, applies the steps to a copy of the device, and checks that it then reads back as
// desired. It returns the steps.
func change(t *testing.T, p *ScreenOS, file string, edit func(cfg *vpn.Config)) ([]platform.Step, *vpn.Config) {
	t.Helper()
	text := readFile(t, file)
	cur := mustParse(t, p, text)
	desired := cur.Clone()
	edit(desired)
	steps, err := p.RenderSteps(platform.Snapshot{Text: text, Config: cur}, desired)
	if err != nil {
		t.Fatal(err)
	}
	dev := newFake(t, text)
	if err := dev.applySteps(steps); err != nil {
		t.Fatalf("applying the steps: %v\nlines: %q", err, dev.lines)
	}
	got := mustParse(t, p, dev.listing())
	// Positions are compared by the tests that set them: moving one policy changes where
	// the others stand.
	want, gotNoPos := desired.Clone(), got.Clone()
	for _, c := range []*vpn.Config{want, gotNoPos} {
		for _, o := range c.Objects() {
			p.Normalize(o)
			if sp, ok := o.(*vpn.SecurityPolicy); ok {
				sp.Position = ""
			}
		}
	}
	if a, b := jsonOf(t, gotNoPos), jsonOf(t, want); a != b {
		t.Errorf("the device reads back differently:\n--- got\n%s\n--- want\n%s", a, b)
	}
	// Undoing every step in reverse gives the device back as it was.
	undo := newFake(t, text)
	for _, st := range steps {
		if err := undo.apply(st.Do.Line); err != nil {
			t.Fatal(err)
		}
	}
	for i := len(steps) - 1; i >= 0; i-- {
		for _, u := range steps[i].Undo {
			if err := undo.apply(u.Line); err != nil {
				t.Fatalf("undo %q: %v", u.Line, err)
			}
		}
	}
	if a, b := jsonOf(t, mustParse(t, p, undo.listing())), jsonOf(t, cur); a != b {
		t.Errorf("undoing the steps does not give the device back:\n--- got\n%s\n--- want\n%s", a, b)
	}
	return steps, got
}

// TestUnchangedSeedsRenderNothing: a device's own model renders to nothing, whatever its
// spelling (hour units, permanent routes, the id printed on bind lines, predefined names).
func TestUnchangedSeedsRenderNothing(t *testing.T) {
	for _, sd := range seeds {
		p := bound(t, nil)
		text := readFile(t, sd.file+".txt")
		cur := mustParse(t, p, text)
		steps, err := p.RenderSteps(platform.Snapshot{Text: text, Config: cur}, cur.Clone())
		if err != nil || len(steps) != 0 {
			t.Errorf("%s: %v %s", sd.file, err, stepsText(steps))
		}
	}
	// Spellings the device may use for what the model says.
	text := `set ike p1-proposal "p1" preshare group2 esp aes128 sha-1 hour 8
set ike p2-proposal "p2" no-pfs esp aes128 sha-1 minute 60
set ike gateway "gw" address 198.51.100.1 Main outgoing-interface "ethernet0/0" preshare "enc==" proposal "p1" "pre-g2-aes256-sha"
set vpn "v" gateway "gw" replay tunnel idletime 5 proposal "p2"
set vpn "v" monitor rekey optimized
set vrouter "trust-vr"
set route 10.0.0.0/16 interface tunnel.1 preference 10 permanent metric 3
exit
`
	p := bound(t, nil)
	cur := mustParse(t, p, text)
	if g := cur.IKEGateways()["gw"]; len(g.Proposals) != 2 || g.Proposals[1].Encryption != "aes256" || g.Lifetime != 28800 {
		t.Errorf("gateway = %+v", g)
	}
	steps, err := p.RenderSteps(platform.Snapshot{Text: text, Config: cur}, cur.Clone())
	if err != nil || len(steps) != 0 {
		t.Errorf("%v %s", err, stepsText(steps))
	}
}

// TestAddSegment adds a third on-prem segment to the SSG5 of seed 000 the way the seed does
// it: one phase-2 SA and one tunnel interface per segment, a proxy-id, a source route with
// preference 15 and a policy above the others; the SSG5 lacked `source-routing enable`,
// which comes with the new source route.
func TestAddSegment(t *testing.T) {
	p := bound(t, nil)
	steps, got := change(t, p, "seed000_ssg5.txt", func(cfg *vpn.Config) {
		cfg.Put(&vpn.Tunnel{Name: "Azure-VPN_C", Gateway: "azure-gateway-ike", Lifetime: 3600,
			Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}, AntiReplay: ptr(false),
			Interface: "tunnel.3", Zone: "Untrust", Monitor: &vpn.TunnelMonitor{}, EstablishImmediately: true,
			Selectors: []vpn.TrafficSelector{{Local: "192.168.3.0/24", Remote: "10.0.0.0/16"}}})
		cfg.Put(&vpn.SourceRoute{Source: "192.168.3.0/24", Interface: "tunnel.3", Preference: 15})
		cfg.Put(&vpn.SecurityPolicy{Name: "segment-c", FromZone: "Untrust", ToZone: "Trust", Sources: []string{"10.0.0.0/16"},
			Destinations: []string{"192.168.3.0/24"}, Action: "permit", Number: 4, Position: "top"})
	})
	golden(t, "steps_add_segment.golden.txt", stepsText(steps))
	if pos := got.SecurityPolicies()["segment-c"].Position; pos != "top,before:2" {
		t.Errorf("segment-c stands at %q, want top,before:2", pos)
	}
}

// TestDeleteSegment removes VPN B of the NS25: the VPN goes before the interface it is bound
// to, the source route before the interface it points at, and the shared phase-2 proposal and
// source-routing enable stay for VPN A.
func TestDeleteSegment(t *testing.T) {
	p := bound(t, nil)
	steps, _ := change(t, p, "seed000_ns25.txt", func(cfg *vpn.Config) {
		cfg.Remove(vpn.KindTunnel, "Azure-VPN_B")
		cfg.Remove(vpn.KindSourceRoute, "172.16.0.0/24")
		cfg.Remove(vpn.KindSecurityPolicy, "policy-3")
	})
	golden(t, "steps_delete_segment.golden.txt", stepsText(steps))
	text := stepsText(steps)
	if strings.Contains(text, "p2-proposal") || strings.Contains(text, "source-routing") {
		t.Errorf("shared objects touched:\n%s", text)
	}
}

// TestChangeSharedProposal changes the phase-2 lifetime of VPN A only: VPN B keeps the
// device's proposal, A gets a proposal of its own.
func TestChangeSharedProposal(t *testing.T) {
	p := bound(t, nil)
	steps, _ := change(t, p, "seed000_ns5gt.txt", func(cfg *vpn.Config) {
		cfg.Tunnels()["Azure-VPN_A"].Lifetime = 27000
	})
	golden(t, "steps_change_proposal.golden.txt", stepsText(steps))
}

// TestChangeKey types the new key; the undo types the device's encoded form back.
func TestChangeKey(t *testing.T) {
	p := bound(t, nil)
	steps, _ := change(t, p, "seed000_ssg5.txt", func(cfg *vpn.Config) {
		cfg.IKEGateways()["azure-gateway-ike"].PreSharedKey = "n3w-k3y"
	})
	if len(steps) != 1 || !strings.Contains(steps[0].Do.Line, `preshare "n3w-k3y"`) || len(steps[0].Undo) != 1 ||
		!strings.Contains(steps[0].Undo[0].Line, `preshare "Q2FuJ3QgcmV2ZXJzZSB0aGlzIQ=="`) {
		t.Errorf("%s", stepsText(steps))
	}
}

// TestLastSourceRouteTakesSwitch removes both source routes of the 5GT: source-routing enable
// goes with the last one, after it.
func TestLastSourceRouteTakesSwitch(t *testing.T) {
	p := bound(t, nil)
	steps, _ := change(t, p, "seed000_ns5gt.txt", func(cfg *vpn.Config) {
		cfg.Remove(vpn.KindSourceRoute, "172.16.0.0/24")
		cfg.Remove(vpn.KindSourceRoute, "192.168.1.0/24")
	})
	golden(t, "steps_delete_source_routes.golden.txt", stepsText(steps))
	last := steps[len(steps)-1].Do.Line
	if last != "unset vrouter trust-vr source-routing enable" {
		t.Errorf("last step %q", last)
	}
}

// TestBGPAndPrefixList adds a prefix list and a BGP neighbor that applies it, then removes
// both: the access-list and route-map go with the list, the process's enable with the last
// neighbor.
func TestBGPAndPrefixList(t *testing.T) {
	p := bound(t, map[string]string{OptOutgoingInterface: "ethernet0/0"})
	steps, _ := change(t, p, "seed000_ns5gt.txt", func(cfg *vpn.Config) {
		pl := &vpn.PrefixList{Name: "from-azure", Rules: []vpn.PrefixRule{{Sequence: 10, Action: "permit", Prefix: "10.0.0.0/16"}, {Sequence: 20, Action: "deny", Prefix: "0.0.0.0/0"}}}
		if ok, err := platform.AssignNumber(p, cfg, pl); !ok || err != nil || pl.Number != 1 {
			t.Fatalf("access-list number %d: %v %v", pl.Number, ok, err)
		}
		cfg.Put(pl)
		cfg.Put(&vpn.BGPNeighbor{Address: "169.254.21.1", LocalAS: 65010, RemoteAS: 65515, EBGPMultihop: 2, HoldTime: 30, Keepalive: 10,
			Password: "bgp-k3y", PrefixListIn: "from-azure", Networks: []string{"192.168.1.0/24"}})
	})
	golden(t, "steps_bgp_prefix_list.golden.txt", stepsText(steps))

	// And back.
	dev := newFake(t, readFile(t, "seed000_ns5gt.txt"))
	if err := dev.applySteps(steps); err != nil {
		t.Fatal(err)
	}
	text := dev.listing()
	cur := mustParse(t, p, text)
	if n := cur.BGPNeighbors()["169.254.21.1"]; n == nil || n.PrefixListIn != "from-azure" || n.Password != "bgp-k3y" || len(n.Networks) != 1 {
		t.Fatalf("neighbor = %+v", n)
	}
	if pl := cur.PrefixLists()["from-azure"]; pl == nil || pl.Number != 1 || len(pl.Rules) != 2 {
		t.Fatalf("prefix list = %+v", pl)
	}
	desired := cur.Clone()
	desired.Remove(vpn.KindBGPNeighbor, "169.254.21.1")
	desired.Remove(vpn.KindPrefixList, "from-azure")
	back, err := p.RenderSteps(platform.Snapshot{Text: text, Config: cur}, desired)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "steps_bgp_prefix_list_delete.golden.txt", stepsText(back))
	if err := dev.applySteps(back); err != nil {
		t.Fatal(err)
	}
	if got := mustParse(t, p, dev.listing()); got.Len() != mustParse(t, p, readFile(t, "seed000_ns5gt.txt")).Len() {
		t.Errorf("objects left: %s", jsonOf(t, got))
	}
}

// TestFailedStepIsUndone: the device refuses the fourth line; the three applied before it are
// undone in reverse and the device is as it was.
func TestFailedStepIsUndone(t *testing.T) {
	p := bound(t, nil)
	text := readFile(t, "seed000_ssg5.txt")
	cur := mustParse(t, p, text)
	desired := cur.Clone()
	desired.Put(&vpn.Tunnel{Name: "Azure-VPN_C", Gateway: "azure-gateway-ike", Lifetime: 3600, PFSGroup: 14,
		Proposals: []vpn.IPsecProposal{{Encryption: "aes256", Integrity: "sha256"}}, Interface: "tunnel.3",
		Selectors: []vpn.TrafficSelector{{Local: "192.168.3.0/24", Remote: "10.0.0.0/16"}}})
	desired.Put(&vpn.SourceRoute{Source: "192.168.3.0/24", Interface: "tunnel.3", Preference: 15})
	steps, err := p.RenderSteps(platform.Snapshot{Text: text, Config: cur}, desired)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) < 5 {
		t.Fatalf("%s", stepsText(steps))
	}
	dev := newFake(t, text)
	refuse := steps[3].Do.Line
	failing := &refusingDevice{fakeDevice: dev, refuse: refuse}
	var done []platform.Step
	var ferr error
	for _, st := range steps {
		if ferr = failing.apply(st.Do.Line); ferr != nil {
			break
		}
		done = append(done, st)
	}
	if ferr == nil {
		t.Fatal("no step was refused")
	}
	for i := len(done) - 1; i >= 0; i-- {
		for _, u := range done[i].Undo {
			if err := dev.apply(u.Line); err != nil {
				t.Fatalf("undo %q: %v", u.Line, err)
			}
		}
	}
	if a, b := jsonOf(t, mustParse(t, p, dev.listing())), jsonOf(t, cur); a != b {
		t.Errorf("the device is not back as it was:\n%s", a)
	}
}

type refusingDevice struct {
	*fakeDevice
	refuse string
}

func (d *refusingDevice) apply(line string) error {
	if line == d.refuse {
		return &platform.DeviceError{Command: line, Message: "unknown keyword"}
	}
	return d.fakeDevice.apply(line)
}

// TestPolicyPositions: a new policy asked at the top is moved before the first of its zone
// pair; one placed after policy 2 is moved there; a policy already where it says is left.
func TestPolicyPositions(t *testing.T) {
	p := bound(t, nil)
	text := readFile(t, "seed000_ssg5.txt")
	cur := mustParse(t, p, text)
	desired := cur.Clone()
	desired.Put(&vpn.SecurityPolicy{Name: "web", FromZone: "Untrust", ToZone: "Trust", Services: []string{"HTTP", "HTTPS"},
		Sources: []string{"10.0.0.0/16", "10.1.0.0/16"}, Destinations: []string{"192.168.1.10/32"}, Action: "permit", Number: 7, Position: "top"})
	desired.Put(&vpn.SecurityPolicy{Name: "deny-rest", FromZone: "Untrust", ToZone: "Trust", Action: "deny", Number: 8, Position: "after:2"})
	steps, err := p.RenderSteps(platform.Snapshot{Text: text, Config: cur}, desired)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "steps_policy_positions.golden.txt", stepsText(steps))
	var moves []string
	for _, st := range steps {
		if strings.HasPrefix(st.Do.Line, "set policy move") {
			moves = append(moves, st.Do.Line)
		}
	}
	if strings.Join(moves, "|") != "set policy move 8 after 2|set policy move 7 before 2" {
		t.Errorf("moves %q", moves)
	}
	dev := newFake(t, text)
	for _, st := range steps {
		if err := dev.apply(st.Do.Line); err != nil {
			t.Fatal(err)
		}
	}
	got := mustParse(t, p, dev.listing())
	web := got.SecurityPolicies()["web"]
	if web == nil || len(web.Sources) != 2 || len(web.Services) != 2 || web.Destinations[0] != "192.168.1.10/32" {
		t.Errorf("web = %+v", web)
	}
	// Deleting it removes its context lines with it and the address entries it created.
	back, err := p.RenderSteps(platform.Snapshot{Text: dev.listing(), Config: got}, cur)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "steps_policy_delete.golden.txt", stepsText(back))
	for _, st := range back {
		if !strings.HasPrefix(st.Do.Line, "unset ") {
			t.Errorf("deleting two policies types %q", st.Do.Line)
		}
	}
	if err := dev.applySteps(back); err != nil {
		t.Fatal(err)
	}
	if a, b := jsonOf(t, mustParse(t, p, dev.listing())), jsonOf(t, mustParse(t, p, text)); a != b {
		t.Errorf("not back:\n%s", a)
	}
}

// TestPositionHolds: Parse gives each policy its neighbours within its zone pair, and a
// position holds (vpn.PositionHolds, the one mechanism the provider uses) when it names the
// neighbour directly above or below. Seed 000's SSG5: policy 1 alone from Trust to Untrust,
// 2 then 3 from Untrust to Trust.
func TestPositionHolds(t *testing.T) {
	p := bound(t, nil)
	cfg := mustParse(t, p, readFile(t, "seed000_ssg5.txt"))
	placed := map[string]string{"Go Azure": "top,bottom", "policy-2": "top,before:3", "policy-3": "after:2,bottom"}
	for name, want := range placed {
		if got := cfg.SecurityPolicies()[name].Position; got != want {
			t.Errorf("%s placed %q, want %q", name, got, want)
		}
	}
	for _, c := range []struct {
		name, pos string
		want      bool
	}{
		{"Go Azure", "top", true}, {"Go Azure", "bottom", true}, {"policy-2", "top", true}, {"policy-2", "before:3", true},
		{"policy-3", "after:2", true}, {"policy-3", "top", false}, {"policy-2", "bottom", false}, {"policy-2", "after:3", false},
	} {
		if got, known := vpn.PositionHolds(c.pos, cfg.SecurityPolicies()[c.name].Position); got != c.want || !known {
			t.Errorf("%s %s: holds %v known %v", c.name, c.pos, got, known)
		}
	}
}

// A policy above the one its position names, but not directly, is moved: "before:N" means
// directly above N, which is what the provider's drift check reads.
func TestPositionNotDirectlyMoved(t *testing.T) {
	text := `set policy id 1 from "Trust" to "Untrust" "Any" "Any" "ANY" permit
set policy id 1
exit
set policy id 2 from "Trust" to "Untrust" "Any" "Any" "HTTP" permit
set policy id 2
exit
set policy id 3 from "Trust" to "Untrust" "Any" "Any" "SSH" permit
set policy id 3
exit
`
	p := bound(t, nil)
	cur := mustParse(t, p, text)
	desired := cur.Clone()
	pol := desired.SecurityPolicies()["policy-1"]
	pol.Position = "before:3"
	lines, err := p.Render(platform.Snapshot{Text: text, Config: cur}, desired)
	if err != nil || strings.Join(lines, "|") != "set policy move 1 before 3" {
		t.Errorf("%q %v", lines, err)
	}
}

// TestUnmodelledObjectsLeftAlone: a gateway and a VPN with a sec-level (which the model does
// not describe) are not retyped when another object changes.
func TestUnmodelledObjectsLeftAlone(t *testing.T) {
	text := `set ike gateway "legacy" address 192.0.2.7 Main outgoing-interface "ethernet0/0" preshare "enc==" sec-level compatible
set vpn "legacy-vpn" gateway "legacy" no-replay tunnel idletime 0 sec-level compatible
set vpn "legacy-vpn" id 0x3 bind interface tunnel.4
set interface "tunnel.4" zone "Untrust"
`
	p := bound(t, nil)
	cur := mustParse(t, p, text)
	if cur.Tunnels()["legacy-vpn"] == nil || cur.IKEGateways()["legacy"] == nil {
		t.Fatalf("%s", jsonOf(t, cur))
	}
	desired := cur.Clone()
	desired.Put(&vpn.StaticRoute{Destination: "10.9.0.0/16", Interface: "tunnel.4"})
	lines, err := p.Render(platform.Snapshot{Text: text, Config: cur}, desired)
	if err != nil || strings.Join(lines, "|") != "set vrouter trust-vr route 10.9.0.0/16 interface tunnel.4" {
		t.Errorf("%q %v", lines, err)
	}
}

// TestAddressGoesAfterPolicy: deleting a policy and the address-book entry it made deletes the
// policy first (the device refuses to delete an address a policy uses).
func TestAddressGoesAfterPolicy(t *testing.T) {
	p := bound(t, nil)
	text := readFile(t, "seed000_ssg5.txt") + `set address "Trust" "192.168.5.0/24" 192.168.5.0 255.255.255.0
set policy id 20 name "five" from "Trust" to "Untrust" "192.168.5.0/24" "AzureSegment" "ANY" permit
`
	cur := mustParse(t, p, text)
	desired := cur.Clone()
	desired.Remove(vpn.KindSecurityPolicy, "five")
	lines, err := p.Render(platform.Snapshot{Text: text, Config: cur}, desired)
	if err != nil || strings.Join(lines, "|") != `unset policy id 20|unset address "Trust" 192.168.5.0/24` {
		t.Errorf("%q %v", lines, err)
	}
}

// TestSecondProposalGoesAfterGateway: a gateway with two proposals drops the second; the
// proposal is deleted after the gateway stops using it.
func TestSecondProposalGoesAfterGateway(t *testing.T) {
	p := bound(t, nil)
	text := `set ike p1-proposal "a" preshare group14 esp aes256 sha2-256 second 28800
set ike p1-proposal "b" preshare group2 esp aes128 sha-1 second 28800
set ike gateway "gw" address 198.51.100.1 Main outgoing-interface "ethernet0/0" preshare "enc==" proposal "a" "b"
`
	cur := mustParse(t, p, text)
	desired := cur.Clone()
	desired.IKEGateways()["gw"].Proposals = desired.IKEGateways()["gw"].Proposals[:1]
	lines, err := p.Render(platform.Snapshot{Text: text, Config: cur}, desired)
	want := `set ike gateway "gw" address 198.51.100.1 Main outgoing-interface ethernet0/0 preshare "enc==" proposal "a"|unset ike p1-proposal "b"`
	if err != nil || strings.Join(lines, "|") != want {
		t.Errorf("%q %v", lines, err)
	}
}

// TestUpdatesInPlace: a proxy-id, a source route's preference and a tunnel's MTU change in
// place (the line typed again), each undone by the device's own line.
func TestUpdatesInPlace(t *testing.T) {
	p := bound(t, nil)
	steps, _ := change(t, p, "seed000_ns25.txt", func(cfg *vpn.Config) {
		cfg.Tunnels()["Azure-VPN_A"].Selectors[0].Remote = "10.1.0.0/16"
		cfg.Tunnels()["Azure-VPN_A"].MTU = 1400
		cfg.SourceRoutes()["192.168.1.0/24"].Preference = 10
	})
	golden(t, "steps_updates.golden.txt", stepsText(steps))
	for _, st := range steps {
		if strings.HasPrefix(st.Do.Line, "unset") {
			t.Errorf("an update deletes: %s", st.Do.Line)
		}
	}
}

// A policy moved back to the top takes the policy that stood directly below it along (its
// "after:N" still holds), unless that would break a position the change asks for.
func TestPositionFollowerMovesAlong(t *testing.T) {
	text := `set policy id 1 from "Trust" to "Untrust" "Any" "Any" "ANY" permit
set policy id 1
exit
set policy id 2 from "Trust" to "Untrust" "Any" "Any" "HTTP" permit
set policy id 2
exit
set policy id 3 from "Trust" to "Untrust" "Any" "Any" "SSH" permit
set policy id 3
exit
`
	p := bound(t, nil)
	cur := mustParse(t, p, text)
	desired := cur.Clone()
	desired.SecurityPolicies()["policy-2"].Position = "top"
	lines, err := p.Render(platform.Snapshot{Text: text, Config: cur}, desired)
	if err != nil || strings.Join(lines, "|") != "set policy move 2 before 1|set policy move 3 after 2" {
		t.Errorf("%q %v", lines, err)
	}
}
