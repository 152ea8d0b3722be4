package device_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/edgeos"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/all" // registers every engine
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/sshcli"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Credentials of every simulator these tests start.
const (
	simUser     = "admin"
	simPassword = "sim-login-Pa55"
	deviceName  = "edge1"
)

// baseConfig is a small EdgeRouter: WAN eth0 203.0.113.1, LANs eth1 and eth2.
const baseConfig = `set interfaces ethernet eth0 address 203.0.113.1/24
set interfaces ethernet eth0 description WAN
set interfaces ethernet eth1 address 192.168.1.1/24
set interfaces ethernet eth1 description LAN
set interfaces ethernet eth2 address 192.168.50.1/24
set system host-name edge1
set vpn ipsec auto-firewall-nat-exclude enable
`

// readConfig is the command the EdgeOS dialect reads the configuration with.
const readConfig = "show configuration commands"

func edgeos(t testing.TB) platform.Platform {
	t.Helper()
	p, ok := platform.Get("edgeos")
	if !ok {
		t.Fatal("the edgeos dialect is not registered")
	}
	return p
}

// startSim runs an EdgeOS simulator on a loopback port until the test ends.
func startSim(t testing.TB, initial string) *simulator.Server {
	t.Helper()
	sim, err := simulator.New(simulator.Options{
		Platform:      "edgeos",
		Hostname:      deviceName,
		Username:      simUser,
		Password:      simPassword,
		InitialConfig: initial,
	})
	if err != nil {
		t.Fatalf("simulator: %v", err)
	}
	if err := sim.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("simulator start: %v", err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	return sim
}

// deviceFor returns a Device that reaches sim through sshcli with the host key pinned, the way
// the provider's buildDevice wires it. opts adjust the Options before New.
func deviceFor(t testing.TB, sim *simulator.Server, opts ...func(*device.Options)) *device.Device {
	t.Helper()
	return deviceForSSH(t, sim, nil, opts...)
}

// deviceForSSH is deviceFor with the SSH settings adjusted by ssh (when not nil).
func deviceForSSH(t testing.TB, sim *simulator.Server, tweak func(*sshcli.Config), opts ...func(*device.Options)) *device.Device {
	t.Helper()
	p := edgeos(t)
	spec := p.Session()
	var port int
	if _, err := fmt.Sscanf(sim.Addr()[strings.LastIndex(sim.Addr(), ":")+1:], "%d", &port); err != nil {
		t.Fatalf("simulator address %q: %v", sim.Addr(), err)
	}
	sc := sshcli.Config{
		Host:           "127.0.0.1",
		Port:           port,
		Username:       simUser,
		Password:       simPassword,
		HostKey:        strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sim.HostKey()))),
		ConnectTimeout: 10 * time.Second,
		CommandTimeout: 20 * time.Second,
		PromptPattern:  spec.PromptPattern,
		ReturnChar:     spec.ReturnChar,
		OnOpen:         spec.OnOpen,
	}
	if tweak != nil {
		tweak(&sc)
	}
	o := device.Options{
		Name:     deviceName,
		Address:  sim.Addr(),
		Platform: p,
		Dial: func(ctx context.Context) (device.Conn, error) {
			s, err := sshcli.Open(ctx, sc)
			if err != nil {
				return nil, err // never a typed nil in the interface
			}
			return s, nil
		},
		BatchWindow: 20 * time.Millisecond,
		OpTimeout:   30 * time.Second,
	}
	for _, f := range opts {
		f(&o)
	}
	d := device.New(o)
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// newDevice starts a simulator preloaded with initial and returns a Device wired to it.
func newDevice(t testing.TB, initial string, opts ...func(*device.Options)) (*device.Device, *simulator.Server) {
	t.Helper()
	sim := startSim(t, initial)
	return deviceFor(t, sim, opts...), sim
}

// logSink records every log record of a Device.
type logSink struct {
	mu      sync.Mutex
	records []string
}

func (l *logSink) logger(_ context.Context, level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, fmt.Sprintf("%s %s %v", level, msg, fields))
}

func (l *logSink) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.records, "\n")
}

func withLogger(l *logSink) func(*device.Options) {
	return func(o *device.Options) { o.Logger = l.logger }
}

// --- model objects ---

func prefixList(name string) *vpn.PrefixList {
	return &vpn.PrefixList{Name: name, Description: "test list " + name, Rules: []vpn.PrefixRule{
		{Sequence: 10, Action: "permit", Prefix: "10.0.0.0/8", LE: 24},
		{Sequence: 20, Action: "deny", Prefix: "0.0.0.0/0", LE: 32},
	}}
}

func gateway(name, psk string) *vpn.IKEGateway {
	return &vpn.IKEGateway{
		Name: name, PeerAddress: "198.51.100.7", LocalAddress: "203.0.113.1", IKEVersion: 2,
		PreSharedKey: psk, Lifetime: 28800,
		Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}},
	}
}

func tunnel(name, gw string) *vpn.Tunnel {
	return &vpn.Tunnel{
		Name: name, Gateway: gw, PFSGroup: 14, Lifetime: 3600,
		Proposals: []vpn.IPsecProposal{{Encryption: "aes256", Integrity: "sha256"}},
		Interface: "vti1", Address: "169.254.21.2/30",
	}
}

func create(o vpn.Object) vpn.Change {
	return vpn.Change{Op: vpn.OpCreate, Kind: o.Kind(), Key: o.Key(), Object: o}
}

func update(o vpn.Object) vpn.Change {
	return vpn.Change{Op: vpn.OpUpdate, Kind: o.Kind(), Key: o.Key(), Object: o}
}

func remove(k vpn.Kind, key string) vpn.Change {
	return vpn.Change{Op: vpn.OpDelete, Kind: k, Key: key}
}

// renderCreate returns the lines the EdgeOS dialect renders to create o on a device holding
// text.
func renderCreate(t testing.TB, text string, o vpn.Object) []string {
	t.Helper()
	p := edgeos(t)
	cfg, err := p.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	desired, err := vpn.Apply(cfg, create(o))
	if err != nil {
		t.Fatal(err)
	}
	lines, err := p.Render(platform.Snapshot{Text: text, Config: cfg}, desired)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// --- assertions on the simulator ---

func mustApply(t testing.TB, d *device.Device, chs ...vpn.Change) {
	t.Helper()
	for _, ch := range chs {
		if err := d.Apply(context.Background(), ch); err != nil {
			t.Fatalf("Apply(%s): %v", ch, err)
		}
	}
}

// applyConcurrently calls Apply for every change at once (released together) and returns the
// errors in the order of changes.
func applyConcurrently(d *device.Device, changes []vpn.Change) []error {
	errs := make([]error, len(changes))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, ch := range changes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = d.Apply(context.Background(), ch)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// count returns how many commands of the simulator's log are cmd, alone or followed by the
// end marker of a read (`cmd; echo <marker>`).
func count(sim *simulator.Server, cmd string) int {
	n := 0
	for _, c := range sim.CommandLog() {
		if c == cmd || strings.HasPrefix(c, cmd+"; echo onpremvpn-end-") {
			n++
		}
	}
	return n
}

// linesWith returns the running-configuration lines that contain fragment.
func linesWith(sim *simulator.Server, fragment string) []string {
	var out []string
	for _, l := range strings.Split(sim.RunningConfig(), "\n") {
		if strings.Contains(l, fragment) {
			out = append(out, l)
		}
	}
	return out
}

func hasPrefixList(sim *simulator.Server, name string) bool {
	return len(linesWith(sim, "policy prefix-list "+name+" ")) > 0
}
