// Package acctest is the acceptance-test harness: it starts device simulators in the test
// process, gives terraform-plugin-testing the provider factories and a provider block that
// points at a simulator, and reads the simulator back for assertions.
package acctest

import (
	"crypto/dsa" //nolint:staticcheck // ScreenOS host keys are DSA
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/provider"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/all" // registers every engine
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/screenos"
)

// Credentials of every simulator the harness starts.
const (
	Username = "admin"
	Password = "sim-login-Pa55"
)

// ProviderFactories serves the provider in-process for terraform-plugin-testing.
func ProviderFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"onpremvpn": providerserver.NewProtocol6WithError(provider.New("test")()),
	}
}

// UsingOpenTofu reports whether the acceptance tests run under OpenTofu.
func UsingOpenTofu() bool {
	return strings.Contains(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu")
}

// Sim is a running simulator.
type Sim struct {
	*simulator.Server
	Platform string
}

// Start runs a simulator of the given platform on a loopback port, preloaded with initial (the
// platform's configuration commands), and stops it when the test ends.
func Start(t testing.TB, platformName, initial string, opts ...func(*simulator.Options)) *Sim {
	t.Helper()
	s, err := New(platformName, initial, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// New is Start outside a test (the benchmark): the caller closes the simulator.
func New(platformName, initial string, opts ...func(*simulator.Options)) (*Sim, error) {
	o := simulator.Options{
		Platform:      platformName,
		Hostname:      "edge1",
		Username:      Username,
		Password:      Password,
		InitialConfig: initial,
	}
	for _, f := range opts {
		f(&o)
	}
	srv, err := simulator.New(o)
	if err != nil {
		return nil, fmt.Errorf("simulator: %v", err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		_ = srv.Close()
		return nil, fmt.Errorf("simulator start: %v", err)
	}
	return &Sim{Server: srv, Platform: platformName}, nil
}

// HostKeyLine is the simulator's host key in authorized_keys form, for `host_key`.
func (s *Sim) HostKeyLine() string {
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(s.HostKey())))
}

// Port returns the simulator's TCP port.
func (s *Sim) Port() string {
	_, port, _ := strings.Cut(s.Addr(), ":")
	return port
}

// DeviceArgs are the provider arguments that reach this simulator with its host key pinned.
func (s *Sim) DeviceArgs() string {
	return fmt.Sprintf(`platform = %q
  host     = "127.0.0.1"
  port     = %s
  username = %q
  password = %q
  host_key = %q`, s.Platform, s.Port(), Username, Password, s.HostKeyLine())
}

// ProviderBlock is a provider block whose top-level device is this simulator.
func (s *Sim) ProviderBlock() string {
	return fmt.Sprintf("provider \"onpremvpn\" {\n  %s\n}\n", s.DeviceArgs())
}

// clockLine is a listing line that changes by itself: the RTX `show config` header's
// `# Reporting Date:` (the time of the listing).
var clockLine = regexp.MustCompile(`(?m)^# Reporting Date: .*\n`)

// RunningConfig is the simulator's running configuration without the lines that change by
// themselves, so that two listings of the same configuration compare equal.
func (s *Sim) RunningConfig() string { return clockLine.ReplaceAllString(s.Server.RunningConfig(), "") }

// SavedConfig is the saved configuration, as RunningConfig.
func (s *Sim) SavedConfig() string { return clockLine.ReplaceAllString(s.Server.SavedConfig(), "") }

// Lines returns the simulator's running configuration as a set of lines.
func (s *Sim) Lines() map[string]bool {
	out := map[string]bool{}
	for _, l := range strings.Split(s.RunningConfig(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out[l] = true
		}
	}
	return out
}

// CheckHas returns an error naming every wanted line the running configuration lacks.
func (s *Sim) CheckHas(want ...string) error {
	have := s.Lines()
	var missing []string
	for _, w := range want {
		if !have[w] {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("device lacks %d line(s):\n  %s\ndevice has:\n%s", len(missing), strings.Join(missing, "\n  "), s.RunningConfig())
	}
	return nil
}

// CheckMatch returns an error naming every pattern no running-configuration line matches.
func (s *Sim) CheckMatch(patterns ...string) error {
	var missing []string
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		found := false
		for l := range s.Lines() {
			found = found || re.MatchString(l)
		}
		if !found {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("no device line matches:\n  %s\ndevice has:\n%s", strings.Join(missing, "\n  "), s.RunningConfig())
	}
	return nil
}

// CheckNone returns an error naming every running-configuration line that contains one of
// the fragments.
func (s *Sim) CheckNone(fragments ...string) error {
	var found []string
	for l := range s.Lines() {
		for _, f := range fragments {
			if strings.Contains(l, f) {
				found = append(found, l)
			}
		}
	}
	if len(found) > 0 {
		return fmt.Errorf("device still has:\n  %s", strings.Join(found, "\n  "))
	}
	return nil
}

// MustApply changes the device behind Terraform's back.
func (s *Sim) MustApply(t testing.TB, lines ...string) {
	t.Helper()
	if err := s.Apply(lines...); err != nil {
		t.Fatalf("changing the simulator behind Terraform's back: %v", err)
	}
}

// EdgeOSBase is a small EdgeRouter base configuration: WAN eth0 203.0.113.1, LANs eth1
// 192.168.1.0/24 and eth2 192.168.50.0/24, as in seed 004.
//
//go:embed testdata/edgeos-base.commands
var EdgeOSBase string

// Seed004 is the final EdgeRouter configuration of seed 004 (EdgeRouter to Azure, BGP over a
// VTI) in `show configuration commands` form; only the pre-shared key is made up.
//
//go:embed testdata/seed004.commands
var Seed004 string

// JunosSRXBase is a small SRX base configuration: untrust ge-0/0/0.0 203.0.113.2/24, trust
// ge-0/0/1.0 192.168.1.1/24 and a default route, in `display set` form.
//
//go:embed testdata/junos-srx-base.set
var JunosSRXBase string

// JunosMXBase is a small MX base configuration: ge-1/0/0.0 10.0.1.1/30, ge-1/0/1.0
// 203.0.113.2/24, a services card unit ms-1/2/0.0 and a default route.
//
//go:embed testdata/junos-mx-base.set
var JunosMXBase string

// JunosMXSeed003 is an MX configured by hand as seed 003 describes (services ipsec-vpn with a
// next-hop service set), in `display set` form.
//
//go:embed testdata/junos-mx-seed003.set
var JunosMXSeed003 string

// JunosSRXSeed002 is the seed 002 pattern on an SRX configured by hand (two route-based
// tunnels to two Azure instances, one BGP group over both on 169.254.21.x), in `display set`
// form with `$9$` keys.
//
//go:embed testdata/junos-srx-seed002.set
var JunosSRXSeed002 string

// ScreenOSBase returns the factory configuration of a ScreenOS model ("ssg5": SSG5 on 6.3,
// untrust ethernet0/0 203.0.113.10/24, trust bgroup0 192.168.1.1/24; "ns25": NetScreen-25 on
// 5.4, ethernet3 / ethernet1; "ns5gt": NetScreen-5GT on 5.4, untrust / trust). The simulator
// takes the model whose interfaces the configuration names.
func ScreenOSBase(model string) string { return screenos.FactoryConfig(model) }

// ScreenOSSeed000 are the three devices of seed 000 (SSG5-SB 6.3, NetScreen-25 5.4,
// NetScreen-5GT 5.4 to Azure, two on-prem segments), configured by hand as the seed prints
// them, with the placeholders filled as internal/simulator/screenos/testdata/README.md lists
// (Azure gateway 198.51.100.20, Azure segment 10.0.0.0/24, segments 192.168.1.0/24 and
// 172.16.0.0/24, core router 192.168.1.254, key s3cr3t-PSK-value).
var ScreenOSSeed000 = map[string]string{
	"ssg5":  screenOSSeedSSG5,
	"ns25":  screenOSSeedNS25,
	"ns5gt": screenOSSeedNS5GT,
}

var (
	//go:embed testdata/screenos-seed000-ssg5.txt
	screenOSSeedSSG5 string
	//go:embed testdata/screenos-seed000-ns25.txt
	screenOSSeedNS25 string
	//go:embed testdata/screenos-seed000-ns5gt.txt
	screenOSSeedNS5GT string
)

// ClientConfig is an SSH client configuration that logs in to the simulator as the harness
// user with the simulator's own algorithms (a legacy device's SHA-1 key exchange, CBC
// ciphers and host key type) and its host key pinned: another administrator's session.
func (s *Sim) ClientConfig() *ssh.ClientConfig {
	c := &ssh.ClientConfig{
		User: Username, Auth: []ssh.AuthMethod{ssh.Password(Password)},
		HostKeyCallback:   ssh.FixedHostKey(s.HostKey()),
		HostKeyAlgorithms: []string{s.HostKey().Type()},
		Timeout:           5 * time.Second,
	}
	if p, ok := s.Engine().(simulator.SSHProfiler); ok {
		prof := p.SSHProfile()
		c.KeyExchanges, c.Ciphers, c.MACs = prof.KeyExchanges, prof.Ciphers, prof.MACs
	}
	return c
}

// OtherHostKeyLine is a host key of the simulator's key type that is not its own, in
// authorized_keys form: what a pinned key looks like after the device's key changed.
func (s *Sim) OtherHostKeyLine(t testing.TB) string {
	t.Helper()
	var pub ssh.PublicKey
	var err error
	switch s.HostKey().Type() {
	case ssh.KeyAlgoDSA: //nolint:staticcheck // the legacy devices' key type
		var k dsa.PrivateKey
		if err = dsa.GenerateParameters(&k.Parameters, rand.Reader, dsa.L1024N160); err == nil {
			if err = dsa.GenerateKey(&k, rand.Reader); err == nil {
				pub, err = ssh.NewPublicKey(&k.PublicKey)
			}
		}
	case ssh.KeyAlgoRSA:
		var k *rsa.PrivateKey
		if k, err = rsa.GenerateKey(rand.Reader, 2048); err == nil {
			pub, err = ssh.NewPublicKey(&k.PublicKey)
		}
	default:
		var p ed25519.PublicKey
		if p, _, err = ed25519.GenerateKey(rand.Reader); err == nil {
			pub, err = ssh.NewPublicKey(p)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))
}

// RTXBase is a small RTX1210 base configuration: LAN1 192.168.100.1/24, LAN2 (WAN)
// 203.0.113.2/24 and a default route, typed as an administrator types it.
//
//go:embed testdata/rtx-base.config
var RTXBase string

// RTXSeed001 is seed 001's router configured by hand (route-based IKEv2 to Azure, tunnel 100
// with IPsec policy 1100, the IPsec SA lifetime matched to Azure's 27000 seconds, behind NAT),
// typed as an administrator types it, `no` lines included. Without its `ipsec ike duration
// ipsec-sa` line it is the seed's second variant (both lifetimes at the RTX defaults).
//
//go:embed testdata/rtx-seed001.config
var RTXSeed001 string

// RTXSeed002 is the seed 002 pattern on an RTX1210 configured by hand, as `show config` lists
// it (two IKEv2 tunnels to the two instances of an Azure VPN gateway, BGP over both on
// 169.254.21.x, the provider's name descriptions), without its password lines.
//
//go:embed testdata/rtx-seed002.config
var RTXSeed002 string
