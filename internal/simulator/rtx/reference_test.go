package rtx

import (
	"strings"
	"testing"
)

// TestReferenceSample: the `show config` sample of device-cli.md 2.3 (of its two default
// routes, which share one identity, the filter-based one kept in the first's place), typed in a jumbled order, prints exactly as the sample; loaded
// as the initial configuration (header included) it prints the same.
func TestReferenceSample(t *testing.T) {
	want := readFile(t, "testdata/reference_2_3.txt")
	var body []string
	for _, l := range strings.Split(strings.TrimRight(want, "\n"), "\n") {
		if !strings.HasPrefix(l, "#") {
			body = append(body, l)
		}
	}
	// type the global lines first, then the tunnel block, in reverse order where the
	// device orders by itself
	var global, tunnel []string
	in := false
	for _, l := range body {
		switch {
		case l == "tunnel select 1":
			in = true
		case in && !strings.HasPrefix(l, " "):
			in = false
		}
		if in {
			tunnel = append(tunnel, strings.TrimSpace(l))
		} else {
			global = append(global, l)
		}
	}
	srv := newServer(t, "", map[string]string{OptAdminPassword: ""})
	tm := open(t, srv)
	tm.ok("administrator")
	tm.ok("")
	for i := len(global) - 1; i >= 0; i-- {
		tm.ok(global[i])
	}
	tm.ok(tunnel[0])
	for i := len(tunnel) - 1; i >= 1; i-- {
		tm.ok(tunnel[i])
	}
	tm.ok("tunnel select none")
	if got := srv.RunningConfig(); got != want {
		t.Fatalf("show config:\n%s\nwant:\n%s", got, want)
	}
	// show config wraps at 80 columns by default
	if got := tm.do("show config"); got != wrap(want, 80) || !strings.Contains(got, " MAC-Addre\nss=00:a0:de:12:34:57") {
		t.Fatalf("show config at 80 columns:\n%s", got)
	}
	srv2 := newServer(t, want, map[string]string{OptAdminPassword: ""})
	if got := srv2.RunningConfig(); got != want {
		t.Fatalf("loaded as the initial configuration:\n%s", got)
	}
	if srv2.SavedConfig() != want {
		t.Fatal("the initial configuration is not the saved one")
	}
}

// TestShowCommands: the pre-shared key is masked outside administrator mode; show config
// tunnel N, less config, | grep; Apply changes running and saved configuration.
func TestShowCommands(t *testing.T) {
	srv := newServer(t, readFile(t, "testdata/seed002_bgp.txt"), nil)
	tm := open(t, srv)
	tm.ok("console character en.ascii")
	tm.ok("console columns 200")
	user := tm.do("show config")
	if strings.Contains(user, "aliazu12345") || !strings.Contains(user, "\n  ipsec ike pre-shared-key 1 *\n") || !strings.Contains(user, "\nbgp neighbor pre-shared-key 2 *\n") {
		t.Fatalf("user-mode show config:\n%s", user)
	}
	tm.ok("administrator")
	tm.ok(testAdmin)
	tun2 := tm.do("show config tunnel 2")
	if !strings.HasPrefix(tun2, "tunnel select 2\n description tunnel \"Azure vWAN instance 1\"\n") || !strings.HasSuffix(tun2, " tunnel enable 2\n") ||
		!strings.Contains(tun2, "  ipsec ike pre-shared-key 2 text aliazu12345\n") || strings.Contains(tun2, "tunnel select 1") {
		t.Fatalf("show config tunnel 2:\n%s", tun2)
	}
	if got := tm.do("show config | grep bgp neighbor"); got != "Error: Insufficient or too many parameters\n" {
		t.Fatalf("grep with two words: %q", got)
	}
	if got := tm.do(`show config | grep "bgp neighbor [0-9]"`); got != "bgp neighbor 1 65515 169.254.21.2 hold-time=30 local-address=169.254.21.1\nbgp neighbor 2 65515 169.254.21.6 hold-time=30 local-address=169.254.21.5\n" {
		t.Fatalf("grep: %q", got)
	}
	if tm.do("less config") != tm.do("show config") {
		t.Fatal("less config differs from show config")
	}
	tm.want("show nonsense", "Error: Invalid command name\n")
	if err := srv.Apply("tunnel select 3", " ip tunnel address 169.254.22.1/30", "tunnel select none"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(srv.SavedConfig(), "tunnel select 3\n ip tunnel address 169.254.22.1/30\n") {
		t.Fatalf("Apply:\n%s", srv.SavedConfig())
	}
	if err := srv.Apply("ipsec ike version 1 3"); err == nil || !strings.Contains(err.Error(), "Error: Parameter out of range") {
		t.Fatalf("Apply of a bad line: %v", err)
	}
	if _, err := newServerErr(map[string]string{}); err != nil {
		t.Fatal(err)
	}
	// bgp configure refresh is an operation: counted, not stored
	tm.ok("bgp configure refresh")
	if BGPRefreshes(srv.Engine()) != 1 || strings.Contains(srv.RunningConfig(), "configure refresh") {
		t.Fatal("bgp configure refresh")
	}
}

// TestHoldLock: while another administrator holds the configuration (Server.HoldLock),
// `administrator` is refused [INFERRED message].
func TestHoldLock(t *testing.T) {
	srv := newServer(t, "", nil)
	tm := open(t, srv)
	tm.ok("console character en.ascii")
	srv.HoldLock("operator")
	tm.ok("administrator")
	tm.want(testAdmin, "Error: Another user is in administrator mode\n")
	if tm.s.admin {
		t.Fatal("administrator mode while the lock is held")
	}
	srv.ReleaseLock()
	tm.ok("administrator")
	tm.ok(testAdmin)
	if !tm.s.admin {
		t.Fatal("no administrator mode after the release")
	}
}

// TestUnboundGatewayLines: the lines of a security gateway no tunnel uses print in the
// IPsec section, gateway by gateway; once a tunnel uses the gateway's policy they move
// under its ipsec tunnel line.
func TestUnboundGatewayLines(t *testing.T) {
	srv := newServer(t, "", nil)
	tm := open(t, srv).admin()
	tm.typeLines(`ipsec ike remote address 2 198.51.100.2
ipsec ike version 2 2
ipsec ike remote address 1 198.51.100.1
ipsec ike version 1 2
ipsec auto refresh on
ipsec sa policy 102 2 esp aes-cbc sha-hmac
ipsec sa policy 101 1 esp aes-cbc sha-hmac`)
	want := `ipsec auto refresh on
ipsec sa policy 101 1 esp aes-cbc sha-hmac
ipsec sa policy 102 2 esp aes-cbc sha-hmac
ipsec ike version 1 2
ipsec ike remote address 1 198.51.100.1
ipsec ike version 2 2
ipsec ike remote address 2 198.51.100.2
`
	if got := srv.RunningConfig(); !strings.HasSuffix(got, want) {
		t.Fatalf("got:\n%s\nwant the end:\n%s", got, want)
	}
	tm.typeLines("tunnel select 2\n ipsec tunnel 102\n tunnel enable 2\ntunnel select none")
	want = `tunnel select 2
 ipsec tunnel 102
  ipsec sa policy 102 2 esp aes-cbc sha-hmac
  ipsec ike version 2 2
  ipsec ike remote address 2 198.51.100.2
 tunnel enable 2
ipsec auto refresh on
ipsec sa policy 101 1 esp aes-cbc sha-hmac
ipsec ike version 1 2
ipsec ike remote address 1 198.51.100.1
`
	if got := srv.RunningConfig(); !strings.HasSuffix(got, want) {
		t.Fatalf("got:\n%s\nwant the end:\n%s", got, want)
	}
}

// TestRestart: restart boots the saved configuration and ends the session.
func TestRestart(t *testing.T) {
	srv := newServer(t, "ip lan1 address 192.168.100.1/24\n", nil)
	tm := open(t, srv).admin()
	tm.ok("ip lan1 address 10.0.0.1/24")
	if _, closeSess := tm.s.Exec("restart"); !closeSess {
		t.Fatal("restart kept the session")
	}
	if cfg := srv.RunningConfig(); !strings.Contains(cfg, "ip lan1 address 192.168.100.1/24") || strings.Contains(cfg, "10.0.0.1") {
		t.Fatalf("after restart:\n%s", cfg)
	}
}
