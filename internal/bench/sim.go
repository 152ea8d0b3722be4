package bench

import (
	"fmt"
	"strings"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/all" // registers every engine
)

// Costs are the injected costs of a simulated device.
type Costs struct {
	Latency time.Duration // before each command's output
	Commit  time.Duration // a commit, or a save on the platforms without commits
}

// Sim is one running simulator of a platform, started as the acceptance tests start theirs.
type Sim struct {
	*acctest.Sim
	Platform Platform
}

// StartSim starts a simulator of p on a loopback port with the given costs.
func StartSim(p Platform, c Costs) (*Sim, error) {
	s, err := acctest.New(p.Name, p.Base, func(o *simulator.Options) { o.Latency, o.CommitDelay = c.Latency, c.Commit })
	if err != nil {
		return nil, err
	}
	return &Sim{Sim: s, Platform: p}, nil
}

// DeviceArgs are the provider arguments that reach this simulator, host key pinned, each line
// after the first indented by indent.
func (s *Sim) DeviceArgs(indent string) string {
	return strings.ReplaceAll(s.Sim.DeviceArgs(), "\n  ", "\n"+indent)
}

// Counts are what a simulator saw during one step.
type Counts struct {
	Sessions int // SSH logins
	Commands int // commands typed
	Reads    int // whole-configuration reads
	Commits  int // commits and saves
}

// Add adds o to c.
func (c Counts) Add(o Counts) Counts {
	return Counts{c.Sessions + o.Sessions, c.Commands + o.Commands, c.Reads + o.Reads, c.Commits + o.Commits}
}

// mark is the simulator's counters at one point.
type mark struct {
	st  simulator.Stats
	cmd int
}

func (s *Sim) mark() mark { return mark{st: s.Stats(), cmd: len(s.CommandLog())} }

// since counts what happened after m.
func (s *Sim) since(m mark) Counts {
	st, log := s.Stats(), s.CommandLog()
	c := Counts{
		Sessions: st.Connections - m.st.Connections,
		Commits:  st.Commits - m.st.Commits + st.Saves - m.st.Saves,
		Commands: len(log) - m.cmd,
	}
	for _, cmd := range log[m.cmd:] {
		if strings.Contains(cmd, s.Platform.Reads) {
			c.Reads++
		}
	}
	return c
}

// Fleet is the simulators of one run.
type Fleet []*Sim

// StartFleet starts n simulators of p.
func StartFleet(p Platform, n int, c Costs) (Fleet, error) { return StartMixed([]Platform{p}, n, c) }

// Close stops every simulator.
func (f Fleet) Close() {
	for _, s := range f {
		_ = s.Close()
	}
}

// OpenAfter is the number of SSH connections still open on the fleet's devices once the
// closes in flight have landed: it waits up to wait for the count to reach zero (a client
// process that has exited has closed its sockets, but the simulator may not have read the
// end of the connection yet on a busy machine).
func (f Fleet) OpenAfter(wait time.Duration) int {
	deadline := time.Now().Add(wait)
	for {
		open := f.Open()
		if open == 0 || time.Now().After(deadline) {
			return open
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Open is the number of SSH connections open on the fleet's devices now.
func (f Fleet) Open() int {
	n := 0
	for _, s := range f {
		n += s.Stats().Open
	}
	return n
}

func (f Fleet) marks() []mark {
	m := make([]mark, len(f))
	for i, s := range f {
		m[i] = s.mark()
	}
	return m
}

// since is the counts of every device since m, each and summed.
func (f Fleet) since(m []mark) (each []Counts, sum Counts) {
	each = make([]Counts, len(f))
	for i, s := range f {
		each[i] = s.since(m[i])
		sum = sum.Add(each[i])
	}
	return each, sum
}

// ProviderHCL is the provider block: the one device as the top-level device, or a `devices`
// map d00, d01, ... for a fleet.
func (f Fleet) ProviderHCL() string {
	if len(f) == 1 {
		return "provider \"onpremvpn\" {\n  " + f[0].DeviceArgs("  ") + "\n}\n"
	}
	var b strings.Builder
	b.WriteString("provider \"onpremvpn\" {\n  devices = {\n")
	for i, s := range f {
		fmt.Fprintf(&b, "    %s = {\n      %s\n    }\n", DeviceName(i), s.DeviceArgs("      "))
	}
	b.WriteString("  }\n}\n")
	return b.String()
}

// device is the `device` argument of the i-th device's resources: none for a single device
// (the provider's top-level one).
func (f Fleet) device(i int) string {
	if len(f) == 1 {
		return ""
	}
	return DeviceName(i)
}

// DeviceName is the name of the i-th device of a fleet.
func DeviceName(i int) string { return fmt.Sprintf("d%02d", i) }

// CoreHCL is CoreHCL for as many devices as the fleet has.
func (f Fleet) CoreHCL(sitesPer, variant int) string {
	var b strings.Builder
	for i := range f {
		b.WriteString(CoreHCL(f.device(i), sitesPer, variant))
	}
	return b.String()
}

// SitesHCL is the provider block and sitesPer sites on every device.
func (f Fleet) SitesHCL(sitesPer, variant int) string {
	var b strings.Builder
	b.WriteString(Required)
	b.WriteString(f.ProviderHCL())
	for i, s := range f {
		b.WriteString(s.Platform.SitesHCL(f.device(i), sitesPer, variant))
	}
	return b.String()
}

// StartMixed starts n simulators, the i-th of platforms[i % len(platforms)].
func StartMixed(platforms []Platform, n int, c Costs) (Fleet, error) {
	var f Fleet
	for i := range n {
		s, err := StartSim(platforms[i%len(platforms)], c)
		if err != nil {
			f.Close()
			return nil, err
		}
		f = append(f, s)
	}
	return f, nil
}
