package edgeos

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

const baseVPN = `set interfaces ethernet eth0 address 203.0.113.2/24
set interfaces vti vti0 address 169.254.255.2/30
set vpn ipsec esp-group ESP0 proposal 1 encryption aes256
set vpn ipsec esp-group ESP0 proposal 1 hash sha256
set vpn ipsec ike-group IKE0 proposal 1 dh-group 14
set vpn ipsec ike-group IKE0 proposal 1 encryption aes256
set vpn ipsec ike-group IKE0 proposal 1 hash sha256
set vpn ipsec site-to-site peer 198.51.100.1 authentication mode pre-shared-secret
set vpn ipsec site-to-site peer 198.51.100.1 authentication pre-shared-secret s3cr3tPSK
set vpn ipsec site-to-site peer 198.51.100.1 description 'tunnel to DC'
set vpn ipsec site-to-site peer 198.51.100.1 ike-group IKE0
set vpn ipsec site-to-site peer 198.51.100.1 local-address 203.0.113.2
set vpn ipsec site-to-site peer 198.51.100.1 vti bind vti0
set vpn ipsec site-to-site peer 198.51.100.1 vti esp-group ESP0
set protocols bgp 65000 neighbor 169.254.255.1 password md5secret
set protocols bgp 65000 neighbor 169.254.255.1 remote-as 7224
`

func TestSetLineValidation(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: baseVPN})
	s := cli(t, srv)
	run1(s, "configure")
	cases := []struct{ line, want string }{
		{"set vpn ipsec site-to-site peer 198.51.100.1 foo bar",
			"\n  Configuration path: vpn ipsec site-to-site peer 198.51.100.1 [foo] is not valid\n  Set failed\n\n"},
		{"set foo", "\n  Configuration path: [foo] is not valid\n  Set failed\n\n"},
		{"delete vpn bogus", "\n  Configuration path: vpn [bogus] is not valid\n  Delete failed\n\n"},
		{"set vpn ipsec ike-group IKE0 lifetime 10",
			"\n  must be between 30 and 86400 seconds\n  Value validation failed\n  Set failed\n\n"},
		{"set protocols static interface-route 10.0.0.0/33 next-hop-interface vti0",
			"\n  \"10.0.0.0/33\" is not a valid value of type \"ipv4net\"\n  Value validation failed\n  Set failed\n\n"},
		{"set vpn ipsec ike-group IKE0 proposal 1 dh-group 13", "Value validation failed"},
		{"set vpn ipsec ike-group IKE0 dead-peer-detection interval 14", "must be between 15 and 86400 seconds"},
		{"set protocols bgp 65000 timers holdtime 3", "Holdtime interval must be 0 or between 4 and 65535"},
		{"set interfaces vti vti0 mtu 67", "MTU must be between 68 and 9000"},
		{"set firewall options mss-clamp mss 1461", "MSS must be between 500 and 1460"},
		{"set vpn ipsec ike-group IKE0 proposal 1 encryption aes512", "Set failed"},
		{"set vpn ipsec esp-group ESP0 pfs dh-group3", "Set failed"},
		{"set vpn ipsec ike-group IKE0 proposal 1 hash sha256",
			"\n  Configuration path: [vpn ipsec ike-group IKE0 proposal 1 hash sha256] already exists\n\n"},
		{"delete vpn ipsec ike-group IKE9", "\n  Nothing to delete (the specified node does not exist)\n\n"},
		{"delete vpn ipsec ike-group IKE0 proposal 1 hash md5", "Nothing to delete (the specified value does not exist)"},
		{"set vpn ipsec site-to-site peer", "requires a value"},
		{"set vpn ipsec site-to-site peer 198.51.100.1 tunnel 1 disable extra", "[extra] is not valid"},
		{"set vpn ipsec site-to-site peer 198.51.100.1 description \"with\x01ctl\"", "is not valid"},
		{"bogus", "\n  Invalid command: [bogus]\n\n"},
		{"set vpn ipsec ike-group IKE0 lifetime 3600", ""},
		{"set vpn ipsec ike-group IKE0 lifetime 7200", ""}, // replaces the value silently
		{"set interfaces vti vti0 address 169.254.1.1/30", ""},
		{"set protocols bgp 65000 neighbor 169.254.255.1 soft-reconfiguration inbound", ""},
		{"set vpn ipsec site-to-site peer 198.51.100.1 description \"a 'quoted' description\"",
			"\n  Cannot use the single quote (') character in a value string\n  Value validation failed\n  Set failed\n\n"},
		{"set vpn ipsec site-to-site peer 198.51.100.1 description \"a: quoted description\"", ""},
	}
	for _, c := range cases {
		got := run1(s, c.line)
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.line, got, c.want)
		}
	}
	cmp := run1(s, "compare")
	mustContain(t, cmp, "[edit vpn ipsec ike-group IKE0]\n+lifetime 7200\n",
		"[edit interfaces vti vti0]\n+address 169.254.1.1/30\n")
	if out := run1(s, "commit"); out != "" {
		t.Fatalf("commit: %q", out)
	}
	rc := srv.RunningConfig()
	mustContain(t, rc,
		"set interfaces vti vti0 address 169.254.255.2/30\nset interfaces vti vti0 address 169.254.1.1/30\n",
		"set vpn ipsec ike-group IKE0 lifetime 7200\n",
		"set vpn ipsec site-to-site peer 198.51.100.1 description 'a: quoted description'\n",
		"set protocols bgp 65000 neighbor 169.254.255.1 soft-reconfiguration inbound\n")
	mustNotContain(t, rc, "lifetime 3600")
}

func TestOrderingAndQuoting(t *testing.T) {
	srv := newServer(t, simulator.Options{})
	err := srv.Apply(
		"set policy prefix-list PL rule 100 action permit",
		"set policy prefix-list PL rule 20 action deny",
		"set policy prefix-list PL rule 3 action deny",
		"set policy prefix-list PL description 'my list'",
		"set firewall modify PBR rule 10 description \"src 192.168.50.0/24 via vti0\"",
	)
	if err != nil {
		t.Fatal(err)
	}
	want := "set firewall modify PBR rule 10 description 'src 192.168.50.0/24 via vti0'\n" +
		"set policy prefix-list PL description 'my list'\n" +
		"set policy prefix-list PL rule 3 action deny\n" +
		"set policy prefix-list PL rule 20 action deny\n" +
		"set policy prefix-list PL rule 100 action permit\n"
	if got := srv.RunningConfig(); got != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
	if srv.SavedConfig() != want {
		t.Fatal("Apply must change the saved config too")
	}
	if err := srv.Apply("set vpn nonsense here"); err == nil {
		t.Fatal("want error")
	}
	if err := srv.Apply("set vpn ipsec ike-group X lifetime 5"); err == nil || !strings.Contains(err.Error(), "must be between 30 and 86400 seconds") {
		t.Fatalf("err = %v", err)
	}
}

func TestCommitChecks(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  string
	}{
		{"ike group missing", []string{"set vpn ipsec site-to-site peer 198.51.100.1 ike-group IKE9"},
			"[ vpn ]\nVPN configuration error: The IKE group \"IKE9\" specified for peer \"198.51.100.1\" has not been configured.\n\n[[vpn]] failed\nCommit failed\n"},
		{"no ike group", []string{"delete vpn ipsec site-to-site peer 198.51.100.1 ike-group"},
			`VPN configuration error: No IKE group specified for peer "198.51.100.1".`},
		{"vti and tunnel", []string{"set vpn ipsec site-to-site peer 198.51.100.1 tunnel 1 esp-group ESP0"},
			`VPN configuration error: Both Vti and tunnel(s) configured for peer "198.51.100.1"`},
		{"no local address", []string{"delete vpn ipsec site-to-site peer 198.51.100.1 local-address"},
			`VPN configuration error: No local-address specified for peer "198.51.100.1"`},
		{"vti bind missing", []string{"set vpn ipsec site-to-site peer 198.51.100.1 vti bind vti7"},
			`"vti7" bound to peer "198.51.100.1" has not been configured`},
		{"esp group missing", []string{"set vpn ipsec site-to-site peer 198.51.100.1 vti esp-group NOPE"},
			`The ESP group "NOPE" specified for peer "198.51.100.1" vti has not been configured.`},
		{"ike group deleted while used", []string{"delete vpn ipsec ike-group IKE0"}, `The IKE group "IKE0"`},
		{"same prefixes", []string{
			"delete vpn ipsec site-to-site peer 198.51.100.1 vti",
			"set vpn ipsec site-to-site peer 198.51.100.1 tunnel 1 esp-group ESP0",
			"set vpn ipsec site-to-site peer 198.51.100.1 tunnel 1 local prefix 10.0.0.0/24",
			"set vpn ipsec site-to-site peer 198.51.100.1 tunnel 1 remote prefix 10.0.0.0/24"},
			"local prefix and remote prefix cannot be the same."},
		{"prefix list missing", []string{"set protocols bgp 65000 neighbor 169.254.255.1 prefix-list export PL-NONE"},
			"[ protocols bgp 65000 neighbor 169.254.255.1 prefix-list export ]\nprefix-list PL-NONE doesn't exist\n\n[[protocols bgp 65000 neighbor 169.254.255.1 prefix-list export]] failed\nCommit failed\n"},
		{"second asn", []string{"set protocols bgp 65001 neighbor 10.0.0.1 remote-as 1"},
			"[ protocols bgp ]\nOnly one BGP AS number can be configured"},
		{"modify ruleset missing", []string{"set interfaces ethernet eth0 firewall in modify PBR"},
			"[ interfaces ethernet eth0 firewall in modify ]\nFirewall modify rule set [PBR] does not exist"},
		{"table missing", []string{
			"set firewall modify PBR rule 10 action modify",
			"set firewall modify PBR rule 10 modify table 5"},
			"[ firewall modify PBR rule 10 modify table ]\nTable 5 is not configured"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := newServer(t, simulator.Options{InitialConfig: baseVPN})
			s := cli(t, srv)
			run1(s, "configure")
			for _, l := range c.lines {
				if out := run1(s, l); strings.Contains(out, "failed") {
					t.Fatalf("%s: %s", l, out)
				}
			}
			out := run1(s, "commit")
			if !strings.Contains(out, c.want) || !strings.HasSuffix(out, "Commit failed\n") {
				t.Fatalf("commit output:\n%s\nwant to contain:\n%s", out, c.want)
			}
			if srv.RunningConfig() != srv.SavedConfig() || srv.Stats().Commits != 0 {
				t.Fatal("a failed commit must not change the running config")
			}
			if !strings.Contains(run1(s, "exit"), "Cannot exit: configuration modified.") {
				t.Fatal("the candidate must stay uncommitted")
			}
		})
	}
	// The PBR chain done right commits.
	srv := newServer(t, simulator.Options{InitialConfig: baseVPN})
	s := cli(t, srv)
	run1(s, "configure")
	for _, l := range []string{
		"set protocols static table 1 interface-route 0.0.0.0/0 next-hop-interface vti0",
		"set firewall modify PBR rule 10 action modify",
		"set firewall modify PBR rule 10 source address 192.168.50.0/24",
		"set firewall modify PBR rule 10 modify table 1",
		"set interfaces switch switch0 firewall in modify PBR",
		"set policy prefix-list PL rule 10 action permit",
		"set policy prefix-list PL rule 10 prefix 192.168.1.0/24",
		"set protocols bgp 65000 neighbor 169.254.255.1 prefix-list export PL",
	} {
		if out := run1(s, l); out != "" {
			t.Fatalf("%s: %q", l, out)
		}
	}
	if out := run1(s, "commit"); out != "" {
		t.Fatalf("commit: %q", out)
	}
}

func TestShowMasksSecrets(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: baseVPN})
	s := cli(t, srv)
	curlyOp := run1(s, "show configuration")
	mustContain(t, curlyOp, " vpn {\n     ipsec {\n",
		"                 pre-shared-secret ****************\n",
		"             description \"tunnel to DC\"\n",
		"         neighbor 169.254.255.1 {\n             password ****************\n")
	mustNotContain(t, curlyOp, "s3cr3tPSK", "md5secret")
	cmds := run1(s, "show configuration commands")
	mustContain(t, cmds, "authentication pre-shared-secret s3cr3tPSK\n", "password md5secret\n",
		"description 'tunnel to DC'\n")
	run1(s, "configure")
	run1(s, "set vpn ipsec esp-group ESP0 lifetime 3600")
	run1(s, "set vpn ipsec ike-group IKE1 lifetime 3600")
	show := run1(s, "show vpn ipsec")
	mustContain(t, show, " esp-group ESP0 {\n+    lifetime 3600\n", "+ike-group IKE1 {\n+    lifetime 3600\n+}\n",
		"pre-shared-secret ****************")
	mustNotContain(t, show, "s3cr3tPSK")
	mustContain(t, run1(s, "show vpn ipsec site-to-site peer 198.51.100.1 vti"), " bind vti0\n esp-group ESP0\n")
	mustContain(t, run1(s, "run show configuration commands | match esp-group"), "set vpn ipsec esp-group ESP0 proposal 1 hash sha256\n")
}

func TestExecWrapperScript(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: baseVPN})
	s := srv.Engine().NewSession(simulator.SessionInfo{User: "admin"})
	for _, l := range []string{
		cfgWrapper + " begin",
		cfgWrapper + " set vpn ipsec ike-group IKE0 lifetime 3600",
		cfgWrapper + " commit",
		cfgWrapper + " save",
		cfgWrapper + " end",
	} {
		out, _ := s.Exec(l)
		if l == cfgWrapper+" save" {
			mustContain(t, out, "Done")
		} else if out != "" {
			t.Fatalf("%s: %q", l, out)
		}
	}
	mustContain(t, srv.SavedConfig(), "set vpn ipsec ike-group IKE0 lifetime 3600\n")
	out, _ := s.Exec(opWrapper + " show configuration commands")
	mustContain(t, out, "lifetime 3600")
}

func TestCurlyInitialConfig(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: readTestdata(t, "seed004_initial.conf")})
	mustContain(t, srv.RunningConfig(),
		"set vpn ipsec site-to-site peer 192.0.2.1 tunnel 1 local prefix 192.168.1.0/24\n",
		"set vpn ipsec site-to-site peer 192.0.2.1 authentication pre-shared-secret 's3cret azure'\n",
		"set vpn ipsec ike-group FOO0 proposal 1 dh-group 2\n")
}

func TestCommitConfirm(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: baseVPN})
	s := cli(t, srv)
	run1(s, "configure")
	run1(s, "set vpn ipsec ike-group IKE0 lifetime 3600")
	if out := run1(s, "commit-confirm 5"); out != "commit confirm will be automatically reboot in 5 minutes unless confirmed\n" {
		t.Fatalf("commit-confirm: %q", out)
	}
	mustContain(t, srv.RunningConfig(), "lifetime 3600")
	if out := run1(s, "confirm"); out != "" {
		t.Fatalf("confirm: %q", out)
	}
	if out := run1(s, "confirm"); out != "No confirm pending\n" {
		t.Fatalf("confirm again: %q", out)
	}
	if out := run1(s, "commit confirm"); out != "Use commit-confirm command\n" {
		t.Fatalf("commit confirm: %q", out)
	}
	run1(s, "set vpn ipsec ike-group IKE0 lifetime 7200")
	if out := run1(s, "commit comment \"from the test\""); out != "" {
		t.Fatalf("commit comment: %q", out)
	}
	// edit does not create anything by itself.
	run1(s, "edit vpn ipsec site-to-site peer 203.0.113.9")
	if s.Prompt() != "[edit vpn ipsec site-to-site peer 203.0.113.9]\nadmin@ubnt# " {
		t.Fatalf("prompt %q", s.Prompt())
	}
	if out := run1(s, "exit"); out != "" || s.Prompt() != "[edit vpn ipsec site-to-site]\nadmin@ubnt# " {
		t.Fatalf("exit from a level: %q %q", out, s.Prompt())
	}
	run1(s, "top")
	if out := run1(s, "exit"); out != "Warning: configuration changes have not been saved.\n" {
		t.Fatalf("exit: %q", out)
	}
}

// vyatta-cfg-vpn templates/vpn/ipsec/nat-networks: allowed-network is a tag node of type
// ipv4net with a multi-value exclude (ipv4net).
func TestNatNetworks(t *testing.T) {
	srv := newServer(t, simulator.Options{})
	s := cli(t, srv)
	run1(s, "configure")
	for _, l := range []string{
		"set vpn ipsec nat-networks allowed-network 0.0.0.0/0",
		"set vpn ipsec nat-networks allowed-network 10.0.0.0/8 exclude 10.1.0.0/16",
		"set vpn ipsec nat-networks allowed-network 10.0.0.0/8 exclude 10.2.0.0/16",
	} {
		if out := run1(s, l); out != "" {
			t.Fatalf("%s: %q", l, out)
		}
	}
	for line, want := range map[string]string{
		"set vpn ipsec nat-networks allowed-network 10.0.0.300/8":         "\"10.0.0.300/8\" is not a valid value of type \"ipv4net\"",
		"set vpn ipsec nat-networks allowed-network 10.0.0.0/8 exclude x": "\"x\" is not a valid value of type \"ipv4net\"",
		"set vpn ipsec nat-networks allowed-network 10.0.0.0/8 bogus 1":   "Configuration path: vpn ipsec nat-networks allowed-network 10.0.0.0/8 [bogus] is not valid",
		"set vpn ipsec nat-networks 10.0.0.0/8":                           "Configuration path: vpn ipsec nat-networks [10.0.0.0/8] is not valid",
	} {
		if out := run1(s, line); !strings.Contains(out, want) || !strings.Contains(out, "Set failed") {
			t.Errorf("%s: %q", line, out)
		}
	}
	run1(s, "commit")
	want := "set vpn ipsec nat-networks allowed-network 0.0.0.0/0\n" +
		"set vpn ipsec nat-networks allowed-network 10.0.0.0/8 exclude 10.1.0.0/16\n" +
		"set vpn ipsec nat-networks allowed-network 10.0.0.0/8 exclude 10.2.0.0/16\n"
	if got := srv.RunningConfig(); got != want {
		t.Fatalf("got:\n%s", got)
	}
	mustContain(t, run1(s, "show vpn ipsec nat-networks"),
		" allowed-network 0.0.0.0/0 {\n }\n allowed-network 10.0.0.0/8 {\n     exclude 10.1.0.0/16\n     exclude 10.2.0.0/16\n }\n")
}
