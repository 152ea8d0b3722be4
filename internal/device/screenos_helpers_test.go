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
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/screenos"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	simscreenos "github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/screenos"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/sshcli"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// startScreenOSSim starts an SSG5 simulator on its factory configuration.
func startScreenOSSim(t testing.TB) *simulator.Server {
	t.Helper()
	sim, err := simulator.New(simulator.Options{Platform: "screenos", Hostname: "ssg5", Username: simUser, Password: simPassword,
		InitialConfig: simscreenos.FactoryConfig("ssg5")})
	if err != nil {
		t.Fatalf("simulator: %v", err)
	}
	if err := sim.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("simulator start: %v", err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	return sim
}

// screenosDeviceFor is deviceFor for the ScreenOS dialect: its legacy SSH algorithms and the
// device's ssh-dss host key pinned.
func screenosDeviceFor(t testing.TB, sim *simulator.Server, tweaks ...func(*device.Options)) *device.Device {
	t.Helper()
	p, ok := platform.Get("screenos")
	if !ok {
		t.Fatal("the screenos dialect is not registered")
	}
	opts, err := platform.CheckOptions(p, deviceName, map[string]string{"outgoing_interface": "ethernet0/0"})
	if err != nil {
		t.Fatal(err)
	}
	bound, err := platform.Bind(p, vpn.Facts{Platform: p.Name(), Version: "6.3.0r13.0"}, opts)
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
		HostKey:      strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sim.HostKey()))),
		KeyExchanges: spec.KeyExchanges, Ciphers: spec.Ciphers, MACs: spec.MACs, HostKeyAlgorithms: spec.HostKeyAlgorithms,
		ConnectTimeout: 10 * time.Second, CommandTimeout: 20 * time.Second,
		PromptPattern: spec.PromptPattern, ReturnChar: spec.ReturnChar, OnOpen: spec.OnOpen,
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
		BatchWindow: 20 * time.Millisecond, OpTimeout: 120 * time.Second,
	}
	for _, f := range tweaks {
		f(&o)
	}
	d := device.New(o)
	t.Cleanup(func() { _ = d.Close() })
	return d
}
