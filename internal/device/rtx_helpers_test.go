package device_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/rtx"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/sshcli"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// rtxBase is a small RTX1210 with the console settings the dialect types at login.
const rtxBase = `console character en.ascii
console lines infinity
console columns 200
ip lan2 address 203.0.113.2/24
ip route default gateway 203.0.113.1
`

const rtxAdmin = "bench-Adm1n"

func startRTXSim(t testing.TB) *simulator.Server {
	t.Helper()
	sim, err := simulator.New(simulator.Options{Platform: "rtx", Hostname: "rtx", Username: simUser, Password: simPassword,
		InitialConfig: rtxBase, EngineOptions: map[string]string{"admin-password": rtxAdmin}})
	if err != nil {
		t.Fatalf("simulator: %v", err)
	}
	if err := sim.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("simulator start: %v", err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	return sim
}

// rtxDeviceFor is deviceFor for the RTX dialect with its administrator password and SSH
// algorithms.
func rtxDeviceFor(t testing.TB, sim *simulator.Server, tweaks ...func(*device.Options)) *device.Device {
	t.Helper()
	p, ok := platform.Get("rtx")
	if !ok {
		t.Fatal("the rtx dialect is not registered")
	}
	opts, err := platform.CheckOptions(p, deviceName, map[string]string{"administrator_password": rtxAdmin})
	if err != nil {
		t.Fatal(err)
	}
	bound, err := platform.Bind(p, vpn.Facts{Platform: p.Name()}, opts)
	if err != nil {
		t.Fatal(err)
	}
	spec := bound.Session()
	var port int
	if _, err := fmt.Sscanf(sim.Addr()[strings.LastIndex(sim.Addr(), ":")+1:], "%d", &port); err != nil {
		t.Fatal(err)
	}
	sc := sshcli.Config{
		Host: "127.0.0.1", Port: port, Username: simUser, Password: simPassword,
		HostKey:        strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sim.HostKey()))),
		ConnectTimeout: 10 * time.Second, CommandTimeout: 20 * time.Second,
		PromptPattern: spec.PromptPattern, ReturnChar: spec.ReturnChar, OnOpen: spec.OnOpen,
		KeyExchanges: spec.KeyExchanges, Ciphers: spec.Ciphers, HostKeyAlgorithms: spec.HostKeyAlgorithms,
	}
	o := device.Options{
		Name: deviceName, Address: sim.Addr(), Platform: p, DialectOptions: opts,
		Dial: func(ctx context.Context) (device.Conn, error) {
			s, err := sshcli.Open(ctx, sc)
			if err != nil {
				return nil, err
			}
			return s, nil
		},
		BatchWindow: 20 * time.Millisecond, OpTimeout: 60 * time.Second,
	}
	for _, f := range tweaks {
		f(&o)
	}
	d := device.New(o)
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// rtxBenchChanges are benchObjects BGP filters (RTX prefix lists are numbered filters with
// rules 10, 20, ...).
func rtxBenchChanges() (creates, deletes []vpn.Change) {
	for i := range benchObjects {
		pl := &vpn.PrefixList{Name: fmt.Sprintf("BENCH-%02d", i), Number: i + 1, Rules: []vpn.PrefixRule{
			{Sequence: 10, Action: "permit", Prefix: fmt.Sprintf("10.%d.0.0/16", i)},
		}}
		creates = append(creates, create(pl))
		deletes = append(deletes, remove(vpn.KindPrefixList, pl.Name))
	}
	return creates, deletes
}

// BenchmarkRTXApplyBatched applies 50 BGP filters concurrently on an RTX (administrator,
// immediate lines under `rollback timer`, read back, `confirm`, `save`): each batch is typed
// line by line, so the latency per line counts; the batch is saved once.
func BenchmarkRTXApplyBatched(b *testing.B) {
	sim := startRTXSim(b)
	creates, deletes := rtxBenchChanges()
	benchApplyChanges(b, sim, rtxDeviceFor(b, sim), applyConcurrently, creates, deletes)
}
