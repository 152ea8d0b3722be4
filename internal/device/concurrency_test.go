package device_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Two Terraform runs at once against one device are two processes, two Devices, two SSH
// sessions: every write of both lands, nothing of one removes what the other wrote (EdgeOS
// has no configuration lock: each run reads the configuration again inside its transaction;
// Junos private candidates are merged at commit; ScreenOS and RTX type each line into the
// running configuration, and each batch renders from a read of its own), and each run reads
// back its own objects. Besides its prefix lists, each run adds objects to a block both runs
// share: the EdgeOS firewall modify ruleset, the ScreenOS trust-vr BGP instance and source
// routes, the RTX BGP configuration (applied with `bgp configure refresh`). The numbers of the
// numbered kinds are the user's here, one range per run; numbers both runs choose from one
// free range are TestTwoRunsAtOnceKeepNumbersApart's.
func TestTwoRunsAtOnceLoseNoWrite(t *testing.T) {
	const each = 12
	cases := []struct {
		name  string
		start func(t *testing.T) (*simulator.Server, func() *device.Device)
		line  func(name string) string
		// list returns run r's i-th prefix list.
		list func(r, i int) *vpn.PrefixList
		// shared returns run r's objects in a block both runs share.
		shared func(r int) []vpn.Object
	}{
		{"edgeos", func(t *testing.T) (*simulator.Server, func() *device.Device) {
			sim := startSim(t, baseConfig+"set interfaces vti vti1 address 169.254.21.2/30\n")
			return sim, func() *device.Device { return deviceFor(t, sim) }
		}, func(name string) string { return "set policy prefix-list " + name + " rule 10 prefix " },
			func(r, i int) *vpn.PrefixList { return runList(r, i, 10, 0) },
			func(r int) []vpn.Object {
				return []vpn.Object{sourceRoute(fmt.Sprintf("192.168.%d.0/24", 10+r), 10+r)}
			}},
		{"junos", func(t *testing.T) (*simulator.Server, func() *device.Device) {
			sim := startJunosSim(t)
			return sim, func() *device.Device { return junosDeviceFor(t, sim) }
		}, func(name string) string { return "set policy-options prefix-list " + name + " " },
			func(r, i int) *vpn.PrefixList { return runList(r, i, 1, 0) },
			func(r int) []vpn.Object {
				var out []vpn.Object
				for i := range 2 {
					out = append(out, &vpn.BGPNeighbor{Address: fmt.Sprintf("169.254.%d.%d", 10+r, 1+i), LocalAS: 64512,
						RemoteAS: int64(65001 + r), PrefixListIn: runList(r, i, 1, 0).Name})
				}
				return out
			}},
		{"screenos", screenosRuns, func(name string) string { return `set route-map name "` + name + `" permit 1` },
			func(r, i int) *vpn.PrefixList { return runList(r, i, 10, 1+r*each+i) },
			func(r int) []vpn.Object {
				return []vpn.Object{
					&vpn.BGPNeighbor{Address: fmt.Sprintf("169.254.%d.1", 10+r), LocalAS: 65010, RemoteAS: int64(65001 + r)},
					&vpn.SourceRoute{Source: fmt.Sprintf("192.168.%d.0/24", 10+r), Interface: "tunnel.1", Preference: 15},
				}
			}},
		{"rtx", rtxRuns, func(name string) string { return " " + name + "\n" }, // description <filter> NAME
			func(r, i int) *vpn.PrefixList { return runList(r, i, 10, 1+r*each+i) },
			func(r int) []vpn.Object {
				var out []vpn.Object
				for i := range 2 {
					out = append(out, &vpn.BGPNeighbor{Address: fmt.Sprintf("169.254.%d.%d", 10+r, 1+i), Number: 1 + 2*r + i,
						LocalAS: 64512, RemoteAS: int64(65001 + r), HoldTime: 90, Keepalive: 30})
				}
				return out
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sim, newDev := c.start(t)
			sim.SetLatency(time.Millisecond)
			runs := []*device.Device{newDev(), newDev()}
			var wg sync.WaitGroup
			errs := make([][]error, len(runs))
			changes := make([][]vpn.Change, len(runs))
			for r, d := range runs {
				for i := range each {
					changes[r] = append(changes[r], create(c.list(r, i)))
				}
				if c.shared != nil {
					for _, o := range c.shared(r) {
						changes[r] = append(changes[r], create(o))
					}
				}
				wg.Add(1)
				go func() { defer wg.Done(); errs[r] = applyConcurrently(d, changes[r]) }()
			}
			wg.Wait()
			for r := range runs {
				for i, err := range errs[r] {
					if err != nil {
						t.Errorf("run %d, %s: %v", r, changes[r][i], err)
					}
				}
			}
			running := sim.RunningConfig()
			for r := range runs {
				for i := range each {
					if name := c.list(r, i).Name; !strings.Contains(running, c.line(name)) {
						t.Errorf("run %d's %s is not on the device", r, name)
					}
				}
			}
			for r, d := range runs {
				d.Invalidate()
				for _, ch := range changes[r] {
					o, err := d.Get(t.Context(), ch.Kind, ch.Key)
					if err != nil || o == nil {
						t.Errorf("run %d reads back %s %s = %v, %v", r, ch.Kind, ch.Key, o, err)
						continue
					}
					if nb, ok := o.(*vpn.BGPNeighbor); ok && nb.PrefixListIn != ch.Object.(*vpn.BGPNeighbor).PrefixListIn {
						t.Errorf("run %d's neighbor %s reads back with prefix_list_in %q; the run wrote %q", r, ch.Key, nb.PrefixListIn, ch.Object.(*vpn.BGPNeighbor).PrefixListIn)
					}
					if pl, ok := o.(*vpn.PrefixList); ok && !reflect.DeepEqual(pl.Rules, ch.Object.(*vpn.PrefixList).Rules) {
						t.Errorf("run %d's %s reads back with rules %+v; the run wrote %+v", r, ch.Key, pl.Rules, ch.Object.(*vpn.PrefixList).Rules)
					}
				}
			}
			if c.name == "edgeos" {
				for r := range runs {
					if !strings.Contains(running, fmt.Sprintf("firewall modify SOURCE_ROUTE rule %d source address 192.168.%d.0/24", 10+r, 10+r)) {
						t.Errorf("run %d's source route is not in the shared ruleset:\n%s", r, running)
					}
				}
			}
			if got := sim.Stats().Connections; got != 2 {
				t.Errorf("%d SSH logins; want one per run", got)
			}
		})
	}
}

// runList is run r's i-th prefix list, its rule numbered seq, with device number n (0: none).
func runList(r, i, seq, n int) *vpn.PrefixList {
	return &vpn.PrefixList{Name: fmt.Sprintf("RUN%d-%02d", r, i), Number: n, Rules: []vpn.PrefixRule{
		{Sequence: seq, Action: "permit", Prefix: fmt.Sprintf("10.%d.%d.0/24", r, i)},
	}}
}

// screenosRuns starts a ScreenOS simulator with a tunnel interface, and returns it and a way to
// open one more run's Device on it.
func screenosRuns(t *testing.T) (*simulator.Server, func() *device.Device) {
	sim := startScreenOSSim(t)
	if err := sim.Apply("set interface tunnel.1 zone Untrust", "set interface tunnel.1 ip unnumbered interface ethernet0/0"); err != nil {
		t.Fatal(err)
	}
	return sim, func() *device.Device { return screenosDeviceFor(t, sim) }
}

// rtxRuns is screenosRuns for an RTX.
func rtxRuns(t *testing.T) (*simulator.Server, func() *device.Device) {
	sim := startRTXSim(t)
	return sim, func() *device.Device { return rtxDeviceFor(t, sim) }
}

// On ScreenOS and RTX every line takes effect when typed and there is no configuration lock.
// Two runs at once each read the device (Terraform's plan, then Create's own read) before
// either writes, so each gives its new objects the lowest free numbers it saw: the same ones.
// Written as chosen, the second run's objects would land on the first run's numbers and
// overwrite or merge with them. Each run's transaction renders from the device as it is when
// the transaction starts: a number the run chose itself that another session took since is
// replaced by a free one (and read back), and a number the user gave fails with a message
// naming the device, the object, the number and its holder; nothing of that change is typed.
func TestTwoRunsAtOnceKeepNumbersApart(t *testing.T) {
	const each = 6
	cases := []struct {
		name  string
		start func(t *testing.T) (*simulator.Server, func() *device.Device)
		// others are run r's i-th objects of other numbered kinds, beside its prefix lists
		// (ScreenOS policy ids; RTX BGP neighbor numbers, and gateway and tunnel numbers,
		// which the tunnel's ipsec sa policy id follows).
		others func(r, i int) []vpn.Object
	}{
		{"screenos", screenosRuns, func(r, i int) []vpn.Object {
			return []vpn.Object{&vpn.SecurityPolicy{Name: fmt.Sprintf("run%d-p%02d", r, i), FromZone: "Trust", ToZone: "Untrust",
				Sources: []string{fmt.Sprintf("192.168.%d.%d/32", r, i)}, Action: "permit"}}
		}},
		{"rtx", rtxRuns, func(r, i int) []vpn.Object {
			out := []vpn.Object{&vpn.BGPNeighbor{Address: fmt.Sprintf("169.254.%d.%d", 10+r, 1+i), LocalAS: 64512, RemoteAS: int64(65001 + r),
				HoldTime: 90, Keepalive: 30}}
			if i < 2 {
				gw := fmt.Sprintf("gw%d-%d", r, i)
				out = append(out,
					&vpn.IKEGateway{Name: gw, PeerAddress: fmt.Sprintf("198.51.100.%d", 10*r+i+1), IKEVersion: 2, PreSharedKey: "k3y",
						Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}}, Lifetime: 28800},
					// Its tunnel_interface, the user's, gives its number (one per run).
					&vpn.Tunnel{Name: fmt.Sprintf("tun%d-%d", r, i), Gateway: gw, Lifetime: 27000, Interface: fmt.Sprintf("tunnel%d", 1+2*r+i),
						Proposals: []vpn.IPsecProposal{{Encryption: "aes256", Integrity: "sha256"}}})
			}
			return out
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := t.Context()
			sim, newDev := c.start(t)
			sim.SetLatency(time.Millisecond)
			runs := []*device.Device{newDev(), newDev()}
			// Both runs read the device before either writes, and number their objects from
			// that read as the provider does (platform.AssignNumber, reserving the numbers
			// handed out in the run).
			changes := make([][]vpn.Change, len(runs))
			for r, d := range runs {
				cfg, err := d.Config(ctx)
				if err != nil {
					t.Fatal(err)
				}
				reserved := map[vpn.Kind][]int{}
				var objects []vpn.Object
				for i := range each {
					objects = append(append(objects, runList(r, i, 10, 0)), c.others(r, i)...)
				}
				for _, o := range objects {
					d.Platform().Normalize(o) // a number another attribute implies is not chosen
					chosen, err := platform.AssignNumber(d.Platform(), cfg, o, reserved[o.Kind()]...)
					if err != nil {
						t.Fatal(err)
					}
					if chosen {
						reserved[o.Kind()] = append(reserved[o.Kind()], o.(vpn.Numbered).DeviceNumber())
					}
					ch := create(o)
					ch.NumberChosen = chosen
					changes[r] = append(changes[r], ch)
				}
			}
			for r := range runs {
				if r > 0 && !reflect.DeepEqual(numbersOf(changes[r]), numbersOf(changes[0])) {
					t.Fatalf("the runs chose different numbers from one read: %v, %v", numbersOf(changes[0]), numbersOf(changes[r]))
				}
			}
			// Run 1 also creates one object with a number the user gave, the one run 0's
			// first object takes.
			fixed := vpn.CloneObject(changes[0][0].Object)
			fixed.(*vpn.PrefixList).Name = "RUN1-FIXED"
			fixed.(*vpn.PrefixList).Rules[0].Prefix = "10.99.0.0/24"
			fixedNumber := fixed.(vpn.Numbered).DeviceNumber()
			// Run 0 writes first, then run 1, whose numbers come from its earlier read.
			for r, d := range runs {
				for i, err := range applyConcurrently(d, changes[r]) {
					if err != nil {
						t.Errorf("run %d, %s: %v", r, changes[r][i], err)
					}
				}
			}
			err := runs[1].Apply(ctx, create(fixed))
			if err == nil {
				t.Error("run 1's prefix list with a number the user gave, taken by run 0, was applied")
			} else {
				var nt *device.NumberTakenError
				want := fmt.Sprintf(`prefix_list "RUN1-FIXED": number %d is already used by prefix_list %q on device %q (%s): another session wrote it since this run read the configuration`,
					fixedNumber, changes[0][0].Key, deviceName, sim.Addr())
				if !errors.As(err, &nt) || !strings.Contains(err.Error(), want) {
					t.Errorf("error = %v\nwant a *device.NumberTakenError containing %s", err, want)
				}
			}
			runs[0].Invalidate()
			cfg, err := runs[0].Config(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if o := cfg.Get(vpn.KindPrefixList, "RUN1-FIXED"); o != nil {
				t.Errorf("the refused prefix list is on the device: %+v", o)
			}
			// Every object of both runs is on the device as its run wrote it, under a number
			// of its own; each run reads back its own objects.
			owner := map[vpn.Kind]map[int]string{}
			for r, d := range runs {
				d.Invalidate()
				for _, ch := range changes[r] {
					got := cfg.Get(ch.Kind, ch.Key)
					if got == nil {
						t.Errorf("run %d's %s %s is not on the device", r, ch.Kind, ch.Key)
						continue
					}
					if !sameContent(got, ch.Object) {
						t.Errorf("run %d's %s %s is on the device as %+v; the run wrote %+v", r, ch.Kind, ch.Key, got, ch.Object)
					}
					n := got.(vpn.Numbered).DeviceNumber()
					if owner[ch.Kind] == nil {
						owner[ch.Kind] = map[int]string{}
					}
					if other, dup := owner[ch.Kind][n]; dup {
						t.Errorf("%s %s and %s share number %d", ch.Kind, other, ch.Key, n)
					}
					owner[ch.Kind][n] = ch.Key
					if mine, err := d.Get(ctx, ch.Kind, ch.Key); err != nil || mine == nil || mine.(vpn.Numbered).DeviceNumber() != n {
						t.Errorf("run %d reads back %s %s = %+v, %v; want number %d", r, ch.Kind, ch.Key, mine, err, n)
					}
				}
			}
			if got := sim.Stats().Connections; got != 2 {
				t.Errorf("%d SSH logins; want one per run", got)
			}
		})
	}
}

// numbersOf lists the numbers the run chose.
func numbersOf(changes []vpn.Change) []int {
	var out []int
	for _, ch := range changes {
		if ch.NumberChosen {
			out = append(out, ch.Object.(vpn.Numbered).DeviceNumber())
		}
	}
	return out
}

// sameContent reports whether got, as read from the device, is want apart from its number.
func sameContent(got, want vpn.Object) bool {
	g, w := vpn.CloneObject(got), vpn.CloneObject(want)
	g.(vpn.Numbered).SetDeviceNumber(0)
	w.(vpn.Numbered).SetDeviceNumber(0)
	if p, ok := g.(*vpn.SecurityPolicy); ok {
		p.Position = "" // read back as where the policy stands among the others
	}
	return reflect.DeepEqual(g, w)
}
