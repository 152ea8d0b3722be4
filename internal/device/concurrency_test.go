package device_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Two Terraform runs at once against one device are two processes, two Devices, two SSH
// sessions: every write of both lands, nothing of one removes what the other wrote (EdgeOS
// has no configuration lock: each run reads the configuration again inside its transaction;
// Junos private candidates are merged at commit), and each run reads back its own objects.
func TestTwoRunsAtOnceLoseNoWrite(t *testing.T) {
	const each = 12
	cases := []struct {
		name  string
		start func(t *testing.T) (*simulator.Server, func() *device.Device)
		line  func(name string) string
	}{
		{"edgeos", func(t *testing.T) (*simulator.Server, func() *device.Device) {
			sim := startSim(t, baseConfig+"set interfaces vti vti1 address 169.254.21.2/30\n")
			return sim, func() *device.Device { return deviceFor(t, sim) }
		}, func(name string) string { return "set policy prefix-list " + name + " rule 10 prefix " }},
		{"junos", func(t *testing.T) (*simulator.Server, func() *device.Device) {
			sim := startJunosSim(t)
			return sim, func() *device.Device { return junosDeviceFor(t, sim) }
		}, func(name string) string { return "set policy-options prefix-list " + name + " " }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sim, newDev := c.start(t)
			sim.SetLatency(time.Millisecond)
			runs := []*device.Device{newDev(), newDev()}
			var wg sync.WaitGroup
			errs := make([][]error, len(runs))
			for r, d := range runs {
				var changes []vpn.Change
				for i := range each {
					pl := &vpn.PrefixList{Name: fmt.Sprintf("RUN%d-%02d", r, i), Rules: []vpn.PrefixRule{
						{Sequence: 10, Action: "permit", Prefix: fmt.Sprintf("10.%d.%d.0/24", r, i)},
					}}
					if c.name == "junos" {
						pl.Rules[0].Sequence = 1
					}
					changes = append(changes, create(pl))
				}
				if c.name == "edgeos" {
					// Both runs add a rule to the one shared firewall modify ruleset.
					changes = append(changes, create(sourceRoute(fmt.Sprintf("192.168.%d.0/24", 10+r), 10+r)))
				}
				wg.Add(1)
				go func() { defer wg.Done(); errs[r] = applyConcurrently(d, changes) }()
			}
			wg.Wait()
			for r := range runs {
				for i, err := range errs[r] {
					if err != nil {
						t.Errorf("run %d, change %d: %v", r, i, err)
					}
				}
			}
			running := sim.RunningConfig()
			for r, d := range runs {
				for i := range each {
					name := fmt.Sprintf("RUN%d-%02d", r, i)
					if !strings.Contains(running, c.line(name)) {
						t.Errorf("run %d's %s is not on the device", r, name)
					}
					if o, err := d.Get(t.Context(), vpn.KindPrefixList, name); err != nil || o == nil {
						t.Errorf("run %d reads back %s = %v, %v", r, name, o, err)
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
