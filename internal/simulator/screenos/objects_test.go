package screenos

import (
	"regexp"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

// TestPresharePrintedEncoded: a preshared key (and a BGP MD5 password) never prints in
// plaintext; the same key prints the same on one device, another key differently, another
// device (serial) differently; the printed form typed back configures the same key.
func TestPresharePrintedEncoded(t *testing.T) {
	l := newLocal(t, "", base)
	gw := func(name, psk string) string {
		return `set ike gateway "` + name + `" address 192.0.2.1 Main outgoing-interface "ethernet0/0" preshare "` + psk + `" proposal "p1"`
	}
	l.ok(gw("a", "Azure-Key#1"), gw("b", "Azure-Key#1"), gw("c", "Azure-Key#2"))
	cfg := l.run("get config")
	form := func(cfg, name string) string {
		m := regexp.MustCompile(`set ike gateway "` + name + `" .* preshare "([^"]*)"`).FindStringSubmatch(cfg)
		if m == nil {
			t.Fatalf("gateway %s not printed:\n%s", name, cfg)
		}
		return m[1]
	}
	a, b, c := form(cfg, "a"), form(cfg, "b"), form(cfg, "c")
	if strings.Contains(cfg, "Azure-Key") || strings.Contains(cfg, `"k1"`) {
		t.Fatalf("plaintext key printed:\n%s", cfg)
	}
	if a != b || a == c || !regexp.MustCompile(`^[A-Za-z0-9+/]+=*$`).MatchString(a) {
		t.Fatalf("forms a=%q b=%q c=%q", a, b, c)
	}
	// the printed form typed back is the same key
	l.ok(gw("d", a))
	if d := form(l.run("get config"), "d"); d != a {
		t.Fatalf("pasted form %q printed as %q", a, d)
	}
	// another device encodes the same key differently
	other := newLocal(t, "ns25", "")
	other.ok(`set interface "tunnel.1" zone "Untrust"`, `set ike gateway "a" address 192.0.2.1 Main outgoing-interface "ethernet3" preshare "Azure-Key#1" proposal "pre-g2-aes128-sha"`)
	if o := form(other.run("get config"), "a"); o == a {
		t.Fatalf("two devices print the same form %q", o)
	}
	// BGP MD5 password
	l.ok(`set vrouter trust-vr protocol bgp 65000`, `set vrouter trust-vr protocol bgp neighbor 169.254.21.1 remote-as 65515`,
		`set vrouter trust-vr protocol bgp neighbor 169.254.21.1 md5-authentication "md5-Secret"`)
	cfg = l.run("get config")
	if strings.Contains(cfg, "md5-Secret") || !strings.Contains(cfg, `set neighbor 169.254.21.1 md5-authentication "`) {
		t.Fatalf("md5 password:\n%s", cfg)
	}
}

func policyOrder(cfg string) string {
	var ids []string
	for _, m := range regexp.MustCompile(`(?m)^set policy id (\d+) .*from`).FindAllStringSubmatch(cfg, -1) {
		ids = append(ids, m[1])
	}
	return strings.Join(ids, ",")
}

// TestPolicyOrder: new policies go last, `top` first, `before N` before N, `move N
// before|after M` moves; get config prints the evaluation order; ids are given when
// missing; references are enforced both ways.
func TestPolicyOrder(t *testing.T) {
	l := newLocal(t, "", base+`set address "Trust" "lan" 192.168.1.0/24
set address "Untrust" "azure" 10.0.0.0 255.255.0.0
`)
	l.ok(
		`set policy id 1 from "Trust" to "Untrust" "Any" "Any" "ANY" nat src permit`,
		`set policy id 2 name "to azure" from "Trust" to "Untrust" "lan" "azure" "ANY" tunnel vpn "v1" log count`,
		`set policy from "Untrust" to "Trust" "azure" "lan" "ANY" permit`, // id 3
		`set policy top id 10 from "trust" to "untrust" "lan" "azure" "any" permit log`,
		`set policy id 11 before 2 from "Trust" to "Untrust" "lan" "Any" "HTTP" deny`,
	)
	cfg := l.run("get config")
	if got := policyOrder(cfg); got != "10,1,11,2,3" {
		t.Fatalf("order %s:\n%s", got, cfg)
	}
	mustContain(t, cfg,
		"set policy id 10 from \"Trust\" to \"Untrust\" \"lan\" \"azure\" \"ANY\" permit log\nset policy id 10\nexit\n",
		"set policy id 2 name \"to azure\" from \"Trust\" to \"Untrust\" \"lan\" \"azure\" \"ANY\" tunnel vpn \"v1\" log count\n",
		"set policy id 3 from \"Untrust\" to \"Trust\" \"azure\" \"lan\" \"ANY\" permit\n")
	l.ok("set policy move 10 after 2", "set policy move 3 before 1")
	if got := policyOrder(l.run("get config")); got != "3,1,11,2,10" {
		t.Fatalf("order after move %s", got)
	}
	// changing a policy keeps its place
	l.ok(`set policy id 11 from "Trust" to "Untrust" "lan" "Any" "HTTPS" permit`)
	if got := policyOrder(l.run("get config")); got != "3,1,11,2,10" {
		t.Fatalf("order after change %s", got)
	}
	// more sources in the policy context
	l.ok("set policy id 2", `set src-address "Any"`, "exit")
	mustContain(t, l.run("get config"), "set policy id 2\nset src-address \"Any\"\nexit\n")
	for line, want := range map[string]string{
		`unset address "Trust" "lan"`: "Can't delete: used by policy 3\n",
		`unset vpn "v1"`:              "Can't delete: used by policy 2\n",
		"set policy move 99 before 1": "Policy id 99 doesn't exist\n",
		"set policy id 42":            "Policy id 42 doesn't exist\n",
	} {
		if got := l.run(line); got != want {
			t.Errorf("%s: %q, want %q", line, got, want)
		}
	}
	l.ok("unset policy id 10", "unset policy id 2", `unset vpn "v1"`)
	if got := policyOrder(l.run("get config")); got != "3,1,11" {
		t.Fatalf("order after unset %s", got)
	}
}

// TestObjectsLifecycle: objects the VPN resources manage are created, changed in place and
// deleted with everything they hold; vpn ids are kept and reused as the device does.
func TestObjectsLifecycle(t *testing.T) {
	l := newLocal(t, "ns25", "")
	l.ok(
		`set interface "tunnel.3" zone "Untrust"`,
		`set interface tunnel.3 ip unnumbered interface ethernet3`,
		`set interface tunnel.3 mtu 1400`,
		`set ike p1-proposal "p1" preshare group14 esp aes256 sha2-256 second 28800`,
		`set ike p2-proposal "p2" group14 esp aes256 sha2-256 second 3600 kbyte 102400`,
		`set ike gateway "gw" address 198.51.100.7 id 198.51.100.7 aggr local-id onprem@example.net outgoing-interface "ethernet3" local-address 203.0.113.10 preshare "k" proposal "p1" "pre-g2-aes128-sha"`,
		`set ike gateway "gw" nat-traversal udp-checksum`,
		`set ike gateway "gw" dpd-liveness interval 10`,
		`set ike gateway "gw" dpd-liveness retry 3`,
		`set vpn "vpn" gateway "gw" replay tunnel proposal "p2"`,
		`set vpn "vpn" id 5 bind interface tunnel.3`,
		`set vpn "vpn" proxy-id local-ip 192.168.1.0/24 remote-ip 10.0.0.0/16 any`,
		`set vpn "vpn" monitor source-interface ethernet3 destination-ip 10.0.0.4 optimized rekey`,
		`set vpn "vpn" dscp-mark 10`,
		`set vrouter trust-vr route 10.0.0.0/16 interface tunnel.3`,
	)
	cfg := l.run("get config")
	mustContain(t, cfg,
		"set interface tunnel.3 mtu 1400\n",
		`set ike p2-proposal "p2" group14 esp aes256 sha2-256 second 3600 kbyte 102400`,
		`set ike gateway "gw" address 198.51.100.7 id 198.51.100.7 Aggr local-id onprem@example.net outgoing-interface "ethernet3" local-address 203.0.113.10 preshare "`,
		`" proposal "p1" "pre-g2-aes128-sha"`+"\n"+`set ike gateway "gw" nat-traversal udp-checksum`+"\n"+`set ike gateway "gw" dpd-liveness interval 10`,
		`set vpn "vpn" gateway "gw" replay tunnel idletime 0 proposal "p2"`+"\n"+`set vpn "vpn" monitor source-interface ethernet3 destination-ip 10.0.0.4 optimized rekey`+"\n"+`set vpn "vpn" id 5 bind interface tunnel.3`+"\n"+`set vpn "vpn" dscp-mark 10`,
		`set vpn "vpn" proxy-id local-ip 192.168.1.0/24 remote-ip 10.0.0.0/16 "ANY"`,
		"set route 10.0.0.0/16 interface tunnel.3\n")
	// in place: the gateway line set again replaces the old one
	l.ok(`set ike gateway "gw" address 198.51.100.8 Main outgoing-interface "ethernet3" preshare "k2" proposal "p1"`)
	cfg = l.run("get config")
	if strings.Count(cfg, `set ike gateway "gw" address`) != 1 || !strings.Contains(cfg, `address 198.51.100.8 Main`) {
		t.Fatalf("gateway not changed in place:\n%s", cfg)
	}
	// unset of a part, then of the whole
	l.ok(`unset ike gateway "gw" dpd-liveness`, `unset vpn "vpn" proxy-id`)
	cfg = l.run("get config")
	if strings.Contains(cfg, "dpd-liveness") || strings.Contains(cfg, "proxy-id") {
		t.Fatalf("parts not removed:\n%s", cfg)
	}
	if got := l.run(`unset interface tunnel.3`); got != "Can't delete: used by vpn vpn\n" {
		t.Fatalf("tunnel delete: %q", got)
	}
	l.ok(`unset vrouter trust-vr route 10.0.0.0/16 interface tunnel.3`, `unset vpn "vpn"`, `unset ike gateway "gw"`, `unset ike p2-proposal "p2"`, `unset ike p1-proposal "p1"`, `unset interface tunnel.3`)
	cfg = l.run("get config")
	for _, gone := range []string{"tunnel.3", `"gw"`, `"vpn"`, `"p1"`, `"p2"`} {
		if strings.Contains(cfg, gone) {
			t.Errorf("%s left:\n%s", gone, cfg)
		}
	}
	// a new vpn gets the next free id; 5.4 prints no default DSCP marking, 6.3 does
	l.ok(`set interface "tunnel.1" zone "Untrust"`, `set ike gateway "g" address 192.0.2.1 Main outgoing-interface "ethernet3" preshare "k" sec-level standard`,
		`set vpn "a" gateway "g" no-replay tunnel idletime 0 sec-level standard`, `set vpn "a" bind interface tunnel.1`)
	cfg = l.run("get config")
	mustContain(t, cfg, `set vpn "a" id 1 bind interface tunnel.1`)
	if strings.Contains(cfg, "dscp-mark") {
		t.Errorf("5.4 printed a default dscp-mark:\n%s", cfg)
	}
	six := newLocal(t, "ssg5", base)
	mustContain(t, six.run("get config"), "set vpn \"v1\" id 0x1 bind interface tunnel.1\nset vpn \"v1\" dscp-mark 0\n")
	six.ok(`set vpn "v1" dscp-mark 46`)
	if cfg := six.run("get config"); strings.Count(cfg, "dscp-mark") != 1 || !strings.Contains(cfg, `set vpn "v1" dscp-mark 46`) {
		t.Errorf("dscp-mark 46:\n%s", cfg)
	}
	six.ok(`unset vpn "v1" dscp-mark`)
	mustContain(t, six.run("get config"), `set vpn "v1" dscp-mark 0`)
}

// TestBGPForms: the one-line BGP forms the reference lists, a route-map per direction and
// an access-list entry per sequence replaced in place, removal of a neighbor with its lines.
func TestBGPForms(t *testing.T) {
	l := newLocal(t, "", base)
	l.ok(
		`set vrouter "trust-vr" access-list 10 permit ip 192.168.1.0/24 1`,
		`set vrouter "trust-vr" access-list 10 permit ip 172.16.0.0/24 2`,
		`set vrouter "trust-vr" access-list 10 deny ip 172.16.0.0/16 2`,
		`set vrouter "trust-vr" route-map name "OUT" permit 10 match ip 10`,
		`set vrouter "trust-vr" protocol bgp 65010`,
		`set vrouter "trust-vr" protocol bgp enable`,
		`set vrouter "trust-vr" protocol bgp router-id 169.254.21.2`,
		`set vrouter "trust-vr" protocol bgp neighbor 169.254.21.1 remote-as 65515 outgoing-interface tunnel.1`,
		`set vrouter "trust-vr" protocol bgp neighbor 169.254.21.1 route-map "IN1" in`,
		`set vrouter "trust-vr" protocol bgp neighbor 169.254.21.1 route-map "OUT" out`,
		`set vrouter "trust-vr" protocol bgp neighbor 169.254.21.1 route-map "IN2" in`,
		`set vrouter "trust-vr" protocol bgp neighbor 169.254.21.1 hold-time 30`,
		`set vrouter "trust-vr" protocol bgp neighbor 169.254.21.1 enable`,
	)
	cfg := l.run("get config")
	mustContain(t, cfg,
		"set access-list 10 permit ip 192.168.1.0/24 1\nset access-list 10 deny ip 172.16.0.0/16 2\nset route-map name \"OUT\" permit 10\nset match ip 10\nexit\nexit\n",
		"set protocol bgp 65010\nset enable\nset router-id 169.254.21.2\nset neighbor 169.254.21.1 remote-as 65515 outgoing-interface tunnel.1\nset neighbor 169.254.21.1 route-map \"IN2\" in\nset neighbor 169.254.21.1 route-map \"OUT\" out\nset neighbor 169.254.21.1 hold-time 30\nset neighbor 169.254.21.1 enable\nexit\nexit\n")
	if got := l.run(`set vrouter "trust-vr" protocol bgp neighbor 169.254.99.1 enable`); got != "Neighbor 169.254.99.1 doesn't exist\n" {
		t.Errorf("neighbor without remote-as: %q", got)
	}
	l.ok(`unset vrouter "trust-vr" protocol bgp neighbor 169.254.21.1`)
	if cfg := l.run("get config"); strings.Contains(cfg, "169.254.21.1") {
		t.Fatalf("neighbor left:\n%s", cfg)
	}
	l.ok(`unset vrouter "trust-vr" protocol bgp`)
	if cfg := l.run("get config"); strings.Contains(cfg, "protocol bgp") {
		t.Fatalf("bgp left:\n%s", cfg)
	}
}

// TestSeedTeardown removes the seed's VPN objects the way a destroy does, in dependency
// order: nothing of them is left, the stored `unset ... nat-traversal udp-checksum` line
// included, and the rest of the configuration is untouched.
func TestSeedTeardown(t *testing.T) {
	seed := readTestdata(t, "seed000_ssg5.txt")
	l := newLocal(t, "ssg5", seed)
	before := l.run("get config")
	l.ok(
		`unset policy id 1`, `unset policy id 2`, `unset policy id 3`,
		`unset vrouter "trust-vr" route source 192.168.1.0/24 interface tunnel.1`,
		`unset vrouter "trust-vr" route source 172.16.0.0/24 interface tunnel.2`,
		`unset vpn "Azure-VPN_A"`, `unset vpn "Azure-VPN_B"`,
		`unset ike gateway "azure-gateway-ike"`,
		`unset ike p1-proposal "azure-ike"`, `unset ike p2-proposal "azure-ipsec"`,
		`unset interface tunnel.1`, `unset interface tunnel.2`,
	)
	after := l.run("get config")
	for _, gone := range []string{"azure-gateway-ike", "Azure-VPN", "azure-ike", "azure-ipsec", "tunnel.1", "tunnel.2", "set policy"} {
		if strings.Contains(after, gone) {
			t.Errorf("%s left:\n%s", gone, after)
		}
	}
	have := map[string]bool{}
	for _, line := range lines(after) {
		have[line] = true
	}
next:
	for _, line := range lines(before)[1:] {
		for _, gone := range []string{"azure-gateway-ike", "Azure-VPN", "azure-ike", "azure-ipsec", "tunnel.", "set policy"} {
			if strings.Contains(line, gone) {
				continue next
			}
		}
		if !have[line] {
			t.Errorf("teardown removed %q", line)
		}
	}
	mustContain(t, after, "set pppoe name \"nikujaga-isp\" clear-on-disconnect\n", "unset ike ikeid-enumeration\n", "set route 172.16.0.0/24 interface bgroup0 gateway 192.168.1.254\n")
}

// TestFactoryConfig: each model's factory configuration loads as an initial configuration
// (the model is recognised from its interfaces) and prints back line for line.
func TestFactoryConfig(t *testing.T) {
	for _, m := range Models() {
		fc := FactoryConfig(m)
		srv := newServer(t, "", simulator.Options{InitialConfig: fc})
		if got := srv.Engine().(*engine).model.id; got != m {
			t.Errorf("%s: initial configuration taken as %s", m, got)
		}
		cfg := srv.RunningConfig()
		have := map[string]bool{}
		for _, l := range lines(cfg) {
			have[l] = true
		}
		for _, l := range lines(fc) {
			if !have[l] {
				t.Errorf("%s: %q not printed", m, l)
			}
		}
	}
	if FactoryConfig("isg2000") != "" {
		t.Error("unknown model")
	}
}
