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
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/junos"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/sshcli"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// junosBase is a small SRX: the untrust interface in its zone.
const junosBase = `set system host-name srx
set interfaces ge-0/0/0 unit 0 family inet address 203.0.113.1/24
set security zones security-zone untrust interfaces ge-0/0/0.0
`

func startJunosSim(t testing.TB) *simulator.Server {
	t.Helper()
	sim, err := simulator.New(simulator.Options{Platform: "junos", Hostname: "srx", Username: simUser, Password: simPassword, InitialConfig: junosBase})
	if err != nil {
		t.Fatalf("simulator: %v", err)
	}
	if err := sim.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("simulator start: %v", err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	return sim
}

// junosDeviceFor is deviceFor for the Junos dialect with its default options.
func junosDeviceFor(t testing.TB, sim *simulator.Server) *device.Device {
	t.Helper()
	p, ok := platform.Get("junos")
	if !ok {
		t.Fatal("the junos dialect is not registered")
	}
	opts, err := platform.CheckOptions(p, deviceName, map[string]string{"external_interface": "ge-0/0/0.0"})
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
	}
	d := device.New(device.Options{
		Name: deviceName, Address: sim.Addr(), Platform: p, DialectOptions: opts,
		Dial: func(ctx context.Context) (device.Conn, error) {
			s, err := sshcli.Open(ctx, sc)
			if err != nil {
				return nil, err
			}
			return s, nil
		},
		BatchWindow: 20 * time.Millisecond, OpTimeout: 60 * time.Second,
	})
	t.Cleanup(func() { _ = d.Close() })
	return d
}
