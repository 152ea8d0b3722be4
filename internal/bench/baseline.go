package bench

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/all" // registers every dialect
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/sshcli"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// newDevice is a device-layer Device for a simulator, as the provider builds one.
func newDevice(s *Sim) (*device.Device, error) {
	plat, ok := platform.Get(s.Platform.Name)
	if !ok {
		return nil, fmt.Errorf("no dialect for %s", s.Platform.Name)
	}
	bound, err := platform.Bind(plat, vpn.Facts{}, nil)
	if err != nil {
		return nil, err
	}
	port, _ := strconv.Atoi(s.Port())
	spec := bound.Session()
	sc := sshcli.Config{
		Host: "127.0.0.1", Port: port, Username: acctest.Username, Password: acctest.Password,
		HostKey:           s.HostKeyLine(),
		KeyExchanges:      spec.KeyExchanges,
		Ciphers:           spec.Ciphers,
		MACs:              spec.MACs,
		HostKeyAlgorithms: spec.HostKeyAlgorithms,
		PromptPattern:     spec.PromptPattern,
		ReturnChar:        spec.ReturnChar,
		OnOpen:            spec.OnOpen,
		CheckOnOpen:       bound.CheckOutput,
		ConnectTimeout:    30 * time.Second,
		CommandTimeout:    5 * time.Minute,
	}
	return device.New(device.Options{
		Name: "bench", Address: s.Addr(), Platform: plat,
		Dial:        func(ctx context.Context) (device.Conn, error) { return sshcli.Open(ctx, sc) },
		BatchWindow: -1,
	}), nil
}

// objectsOf reads and parses a simulator's configuration.
func objectsOf(ctx context.Context, s *Sim) (*vpn.Config, error) {
	d, err := newDevice(s)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.Config(ctx)
}

// baselineWaves orders the kinds of the generated sites as Terraform's dependencies do.
var baselineWaves = [][]vpn.Kind{
	{vpn.KindIKEGateway, vpn.KindPrefixList},
	{vpn.KindTunnel},
	{vpn.KindStaticRoute},
	{vpn.KindBGPNeighbor},
}

// Baseline pushes the objects that `from` holds beyond its base configuration onto `to` (a
// fresh simulator with the same base and costs) the way the other providers do: one SSH
// session, one configuration read and one commit per resource, `parallelism` resources at a
// time, in dependency waves. It uses this provider's own device layer with batching off, so
// the lines are the same as the provider's; it runs no Terraform at all, so its time leaves
// out Terraform's own, which flatters it. It returns the time taken and how many objects it
// pushed with the simulator's counts, and checks that `to` ends up holding what `from` holds.
func Baseline(ctx context.Context, from, to *Sim, parallelism int) (time.Duration, int, Counts, error) {
	want, err := objectsOf(ctx, from)
	if err != nil {
		return 0, 0, Counts{}, fmt.Errorf("reading the provider's result: %w", err)
	}
	base, err := objectsOf(ctx, to)
	if err != nil {
		return 0, 0, Counts{}, fmt.Errorf("reading the fresh device: %w", err)
	}
	var waves [][]vpn.Object
	pushed := 0
	for _, kinds := range baselineWaves {
		var wave []vpn.Object
		for _, k := range kinds {
			for _, o := range want.OfKind(k) {
				if base.Get(k, o.Key()) == nil {
					wave = append(wave, o)
				}
			}
		}
		pushed += len(wave)
		waves = append(waves, wave)
	}
	m := to.mark()
	start := time.Now()
	held := &heldDevices{m: map[string]*device.Device{}}
	for _, wave := range waves {
		if err := pushEach(ctx, to, wave, parallelism, held); err != nil {
			held.closeAll()
			return 0, 0, Counts{}, err
		}
	}
	held.closeAll()
	took, counts := time.Since(start), to.since(m)
	got, err := objectsOf(ctx, to)
	if err != nil {
		return 0, 0, Counts{}, err
	}
	for _, kinds := range baselineWaves {
		for _, k := range kinds {
			if a, b := len(want.OfKind(k)), len(got.OfKind(k)); a != b {
				return 0, 0, Counts{}, fmt.Errorf("baseline: %d %s on the provider's device, %d after pushing them one by one", a, k, b)
			}
		}
	}
	return took, pushed, counts, nil
}

// heldDevices are the sessions of gateways the platform keeps off the device until a tunnel
// uses them (EdgeOS): the tunnel is pushed in its gateway's session, so the pair takes one
// commit, as the platform needs.
type heldDevices struct {
	mu sync.Mutex
	m  map[string]*device.Device // by gateway name
}

func (h *heldDevices) take(gateway string) *device.Device {
	h.mu.Lock()
	defer h.mu.Unlock()
	d := h.m[gateway]
	delete(h.m, gateway)
	return d
}

func (h *heldDevices) put(gateway string, d *device.Device) {
	h.mu.Lock()
	h.m[gateway] = d
	h.mu.Unlock()
}

func (h *heldDevices) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for k, d := range h.m {
		_ = d.Close()
		delete(h.m, k)
	}
}

// pushEach creates every object with its own session and commit, parallelism at a time.
func pushEach(ctx context.Context, to *Sim, objs []vpn.Object, parallelism int, held *heldDevices) error {
	sem := make(chan struct{}, parallelism)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for _, o := range objs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			err := pushOne(ctx, to, o, held)
			mu.Lock()
			if err != nil && first == nil {
				first = err
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return first
}

func pushOne(ctx context.Context, to *Sim, o vpn.Object, held *heldDevices) error {
	var d *device.Device
	if t, ok := o.(*vpn.Tunnel); ok {
		d = held.take(t.Gateway)
	}
	if d == nil {
		var err error
		if d, err = newDevice(to); err != nil {
			return err
		}
	}
	if err := d.Apply(ctx, vpn.Change{Op: vpn.OpCreate, Kind: o.Kind(), Key: o.Key(), Object: o}); err != nil {
		_ = d.Close()
		return fmt.Errorf("baseline: %s %q: %w", o.Kind(), o.Key(), err)
	}
	if o.Kind() == vpn.KindIKEGateway && d.Deferred(o.Kind(), o.Key()) != "" {
		held.put(o.Key(), d)
		return nil
	}
	return d.Close()
}

// SiteObjects counts, by kind, the objects of the generated sites (named SITE<n>, or routes and
// neighbors on 169.254.x) that a simulator holds.
func SiteObjects(ctx context.Context, s *Sim) (map[vpn.Kind]int, error) {
	cfg, err := objectsOf(ctx, s)
	if err != nil {
		return nil, err
	}
	n := map[vpn.Kind]int{}
	for _, o := range cfg.Objects() {
		if strings.HasPrefix(o.Key(), "SITE") || strings.HasPrefix(o.Key(), "169.254.") {
			n[o.Kind()]++
		}
	}
	return n, nil
}
