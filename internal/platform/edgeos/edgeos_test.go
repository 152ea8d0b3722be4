package edgeos

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func TestRegistered(t *testing.T) {
	if got, ok := platform.Get("edgeos"); !ok || got.Name() != "edgeos" {
		t.Fatal("edgeos is not registered")
	}
}

func TestPromptPattern(t *testing.T) {
	re := regexp.MustCompile("(?m)" + p.Session().PromptPattern)
	for _, out := range []string{"Welcome to EdgeOS\nubnt@ubnt:~$ ", "[edit]\nubnt@ER-X# ", "admin@edge-router.lab:~$", "[edit vpn ipsec]\nubnt@ubnt# "} {
		if !re.MatchString(out) {
			t.Errorf("prompt not matched in %q", out)
		}
	}
	for _, out := range []string{"set vpn ipsec esp-group E lifetime 3600", "Saving configuration to '/config/config.boot'..."} {
		if re.MatchString(out) {
			t.Errorf("prompt matched in %q", out)
		}
	}
}

func TestCheckOutput(t *testing.T) {
	fails := map[string]string{
		"invalid path":  "\n  Configuration path: vpn ipsec site-to-site peer 198.51.100.1 [foo] is not valid\n  Set failed\n\n[edit]\nubnt@ubnt# ",
		"invalid value": "\n  must be between 30 and 86400 seconds\n  Value validation failed\n  Set failed\n\n[edit]\n",
		"ambiguous":     "\n  Configuration path: vpn [i] is ambiguous\n  Set failed\n",
		"delete":        "\n  Configuration path: [foo] is not valid\n  Delete failed\n",
		"commit":        "[ vpn ]\nVPN configuration error: The IKE group \"IKE9\" specified for peer \"198.51.100.1\" has not been configured.\n\n[[vpn]] failed\nCommit failed\n[edit]\n",
		"subsystem":     "[[protocols/bgp]] failed\n",
		"invalid cmd":   "\n  Invalid command: [foo]\n\n",
		"cannot exit":   "Cannot exit: configuration modified.\nUse 'exit discard' to discard the changes and exit.\n",
		"generate":      "Failed to generate committed config\n",
	}
	for name, out := range fails {
		err := p.CheckOutput("cmd", out)
		var de *platform.DeviceError
		if !errors.As(err, &de) || de.Command != "cmd" || de.Message == "" || strings.Contains(de.Message, "[edit]") {
			t.Errorf("%s: %#v", name, err)
		}
	}
	err := p.CheckOutput("commit", fails["commit"])
	if want := `VPN configuration error: The IKE group "IKE9" specified for peer "198.51.100.1" has not been configured.; [[vpn]] failed; Commit failed`; err.(*platform.DeviceError).Message != want {
		t.Errorf("message %q, want %q", err.(*platform.DeviceError).Message, want)
	}
	for _, ok := range []string{
		"", "[edit]\nubnt@ubnt# ",
		"Configuration path: [vpn ipsec ike-group IKE0 lifetime 3600] already exists\n",
		"Configuration path: [vpn ipsec ike-group IKE0 lifetime 3600] already exists\n  Set failed\n",
		"  Nothing to delete (the specified node does not exist)\n  Delete failed\n",
		"No configuration changes to commit\n",
		"Saving configuration to '/config/config.boot'...\nDone\n",
		"[ service dhcp-server ]\nStopping DHCP server daemon...\n",
	} {
		if err := p.CheckOutput("x", ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}

func TestParseFacts(t *testing.T) {
	out := "Version:      v1.10.11\nBuild ID:     5274269\nBuild on:     02/04/20 16:03\nCopyright:    2012-2020 Ubiquiti Networks, Inc.\nHW model:     EdgeRouter X 5-Port\nHW S/N:       F09FC2000000\nUptime:       10:11:12 up 3 days\n"
	f := p.ParseFacts(out)
	if f != (vpn.Facts{Platform: "edgeos", Model: "EdgeRouter X 5-Port", Version: "v1.10.11"}) {
		t.Errorf("%+v", f)
	}
}

func TestRedact(t *testing.T) {
	in := strings.Join([]string{
		"set vpn ipsec site-to-site peer 192.0.2.1 authentication mode pre-shared-secret",
		"set vpn ipsec site-to-site peer 192.0.2.1 authentication pre-shared-secret 'Az#ure$ecret!2017'",
		"set protocols bgp 65510 neighbor 172.16.0.254 password hunter2",
		"set system login user ubnt authentication encrypted-password '$6$abc'",
		"set protocols bgp 65510 neighbor 172.16.0.254 description 'my password is x'",
		"ubnt@ubnt# set vpn ipsec site-to-site peer 1.2.3.4 authentication pre-shared-secret abc",
		"            pre-shared-secret Sup3rS3cret",
		"            mode pre-shared-secret",
		"        password {",
		"set vpn ipsec site-to-site peer 1.2.3.4 authentication pre-shared-secret 'unterminated",
	}, "\n")
	want := strings.Join([]string{
		"set vpn ipsec site-to-site peer 192.0.2.1 authentication mode pre-shared-secret",
		"set vpn ipsec site-to-site peer 192.0.2.1 authentication pre-shared-secret ****************",
		"set protocols bgp 65510 neighbor 172.16.0.254 password ****************",
		"set system login user ubnt authentication encrypted-password ****************",
		"set protocols bgp 65510 neighbor 172.16.0.254 description 'my password is x'",
		"ubnt@ubnt# set vpn ipsec site-to-site peer 1.2.3.4 authentication pre-shared-secret ****************",
		"            pre-shared-secret ****************",
		"            mode pre-shared-secret",
		"        password {",
		"set vpn ipsec site-to-site peer 1.2.3.4 authentication pre-shared-secret ****************",
	}, "\n")
	if got := p.Redact(in); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	seed := p.Redact(readFile(t, "seed004.commands.txt"))
	if strings.Contains(seed, "Az#ure") || strings.Contains(seed, "$6$") {
		t.Error("seed secrets not redacted")
	}
}

// Configuration is data: words of failure messages inside it never fail a read, and a read
// that fails never quotes the configuration.
func TestCheckOutputOfAReadIsNotScannedForErrorWords(t *testing.T) {
	cfg := strings.Join([]string{
		"set interfaces ethernet eth0 description 'Set failed'",
		"set interfaces ethernet eth1 description 'path [x] is not valid'",
		"set interfaces ethernet eth2 description 'Commit failed'",
		"set interfaces ethernet eth3 description '[[vpn]] failed'",
		"set interfaces ethernet eth4 description 'Invalid command: [x]'",
		"set vpn ipsec site-to-site peer 192.0.2.1 authentication pre-shared-secret 'S3cret-PSK'",
	}, "\n")
	for _, cmd := range []string{"show configuration commands", "run show configuration commands"} {
		if err := p.CheckOutput(cmd, cfg); err != nil {
			t.Errorf("%s: %v", cmd, err)
		}
		err := p.CheckOutput(cmd, cfg+"\nsomething else: Set failed\n")
		if err == nil || strings.Contains(err.Error(), "S3cret") || strings.Contains(err.Error(), "something else") {
			t.Errorf("%s with a foreign line: %v, want an error that quotes nothing", cmd, err)
		}
		err = p.CheckOutput(cmd, "\n  Invalid command: [show]\n")
		if err == nil || !strings.Contains(err.Error(), "Invalid command: [show]") {
			t.Errorf("%s refused by the shell: %v, want the shell's message", cmd, err)
		}
	}
}

// Failure texts count only as whole lines where the device prints them.
func TestCheckOutputMatchesFailuresInPosition(t *testing.T) {
	for _, ok := range []string{
		"\n  Configuration path: [interfaces ethernet eth0 description 'Set failed'] already exists\n\n[edit]",
		"\n  Configuration path: [interfaces ethernet eth0 description 'x is not valid'] already exists\n  Set failed\n",
		"[ interfaces ethernet eth0 description 'Commit failed' ]\n",
	} {
		if err := p.CheckOutput("set interfaces ethernet eth0 description 'Set failed'", ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	if err := p.CheckOutput("save", "Saving configuration to '/config/config.boot'...\n"); err == nil {
		t.Error("a save that never printed Done was taken for success")
	}
	if err := p.CheckOutput("terminal length 0", "Invalid command: [terminal]"); err == nil {
		t.Error("a refused terminal length 0 was taken for success")
	}
}

func TestRedactMasksEverySecretLeafWhereverItIs(t *testing.T) {
	in := []string{
		"set protocols ospf interface eth0 authentication md5 key-id 1 md5-key 0spfK3y",
		"set service snmp community C0mmunity authorization ro",
		"set system login user ops authentication plaintext-password Pl41n",
		"set interfaces wireguard wg0 private-key Pr1vK3y=",
		"set interfaces openvpn vtun0 shared-secret-key-file /config/auth/x",
		"set system ntp server 192.0.2.9 key N7pK3y",
		"set service dns dynamic interface eth0 service dyndns password Dyn4m1c login u",
		"  Configuration path: vpn ipsec site-to-site peer 192.0.2.1 authentication pre-shared-secret [Bad PSK] is not valid",
		"    community C0mmunity {",
		"set system login user ops authentication plaintext-password 'unterminated Pl41n",
	}
	got := p.Redact(strings.Join(in, "\n"))
	for _, secret := range []string{"0spfK3y", "C0mmunity", "Pl41n", "Pr1vK3y", "N7pK3y", "Dyn4m1c", "Bad PSK"} {
		if strings.Contains(got, secret) {
			t.Errorf("%q not masked in\n%s", secret, got)
		}
	}
	for _, kept := range []string{"authorization ro", "login u", "key-id 1", "is not valid"} {
		if !strings.Contains(got, kept) {
			t.Errorf("%q lost in\n%s", kept, got)
		}
	}
}

// The model's additions for other platforms are refused at plan on EdgeOS, each naming the
// platform and the attribute; leaving them unset changes nothing.
func TestValidateRefusesWhatEdgeOSCannotExpress(t *testing.T) {
	p := &EdgeOS{}
	yes := true
	cases := []struct {
		obj   vpn.Object
		field string
	}{
		{&vpn.IKEGateway{Mode: "aggressive"}, "ike_mode"},
		{&vpn.IKEGateway{NATTraversal: &yes}, "nat_traversal"},
		{&vpn.IKEGateway{Liveness: &vpn.Liveness{Interval: 10, RetryCount: 3}}, "liveness"},
		{&vpn.Tunnel{Zone: "untrust"}, "tunnel_zone"},
		{&vpn.Tunnel{UnnumberedInterface: "eth0"}, "unnumbered_interface"},
		{&vpn.Tunnel{AntiReplay: &yes}, "anti_replay"},
		{&vpn.Tunnel{DFBit: "clear"}, "df_bit"},
		{&vpn.Tunnel{EstablishImmediately: true}, "establish_immediately"},
		{&vpn.Tunnel{Monitor: &vpn.TunnelMonitor{}}, "monitor"},
		{&vpn.Tunnel{Number: 1}, "tunnel_number"},
		{&vpn.PrefixList{Number: 3}, "number"},
		{&vpn.StaticRoute{RoutingInstance: "trust-vr"}, "routing_instance"},
		{&vpn.SourceRoute{RoutingInstance: "trust-vr"}, "routing_instance"},
		{&vpn.BGPNeighbor{RoutingInstance: "trust-vr"}, "routing_instance"},
	}
	for _, c := range cases {
		found := false
		for _, e := range p.Validate(c.obj) {
			if e.Field == c.field {
				found = true
				if !strings.Contains(e.Message, "EdgeOS") {
					t.Errorf("%s: message %q does not name the platform", c.field, e.Message)
				}
			}
		}
		if !found {
			t.Errorf("%T.%s accepted on EdgeOS: %v", c.obj, c.field, p.Validate(c.obj))
		}
	}
	for _, proto := range []string{"tcp", "udp", "icmp", "47"} {
		if es := p.Validate(&vpn.Tunnel{Selectors: []vpn.TrafficSelector{{Protocol: proto, LocalPort: 1, RemotePort: 2}}}); len(es) != 0 {
			t.Errorf("protocol %s refused: %v", proto, es)
		}
	}
	// Every kind but security policies (EdgeOS firewall rulesets are not modelled).
	if len(p.Kinds()) != len(vpn.Kinds)-1 {
		t.Errorf("EdgeOS supports %v, want every kind but %s", p.Kinds(), vpn.KindSecurityPolicy)
	}
}
