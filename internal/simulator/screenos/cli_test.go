package screenos

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

// base is a small configuration the error tests start from: a tunnel interface, proposals,
// a gateway and a vpn bound to the tunnel.
const base = `set interface "tunnel.1" zone "Untrust"
set interface tunnel.1 ip unnumbered interface ethernet0/0
set ike p1-proposal "p1" preshare group2 esp aes128 sha-1 second 28800
set ike p2-proposal "p2" no-pfs esp aes128 sha-1 second 3600
set ike gateway "gw1" address 198.51.100.1 Main outgoing-interface "ethernet0/0" preshare "k1" proposal "p1"
set vpn "v1" gateway "gw1" no-replay tunnel idletime 0 proposal "p2"
set vpn "v1" bind interface tunnel.1
`

func caret(prompt string, col int, msg string) string {
	return strings.Repeat(" ", len(prompt)+col) + "^-----" + msg + "\n"
}

// TestErrorTexts checks what the device prints for refused lines, over SSH: the caret
// aligned under the bad word (prompt length + column), and the object errors.
func TestErrorTexts(t *testing.T) {
	srv := newServer(t, "ssg5", simulator.Options{InitialConfig: base})
	sh := openShell(t, dial(t, srv))
	if p := sh.login(); !strings.HasSuffix(p, "ssg5-> ") {
		t.Fatalf("prompt %q", p)
	}
	const p = "ssg5-> "
	sh.cmd("set console page 0")
	cases := []struct{ line, want string }{
		// the reference's verbatim example
		{`set ike gatway "x"`, "               ^-----unknown keyword gatway\n"},
		{`set ike gateway "gw2" address 1.2.3 Main outgoing-interface "ethernet0/0" preshare "k" proposal "p1"`, caret(p, 30, "invalid ip address 1.2.3")},
		{`set ike gateway "gw2" address 192.0.2.1 Mian outgoing-interface "ethernet0/0" preshare "k" proposal "p1"`, caret(p, 40, "unknown keyword Mian")},
		{`set ike p1-proposal "p9" preshare group2 esp aes128`, caret(p, 52, "command not completed")},
		{`set ike p1-proposal "p9" preshare group3 esp aes128 sha-1 second 28800`, caret(p, 34, "unknown keyword group3")},
		{`set address "Trust" "x`, caret(p, 20, "parse error")},
		{`set address "Trust" a"b 10.0.0.0/8`, caret(p, 21, "parse error")},
		{`set foo`, caret(p, 4, "unknown keyword foo")},
		{`frob`, caret(p, 0, "unknown keyword frob")},
		{`set hostname fw1 extra`, caret(p, 17, "unknown keyword extra")},
		{`set vpn "v2" gateway "nogw" no-replay tunnel idletime 0 proposal "p2"`, "Gateway nogw doesn't exist\n"},
		{`set vpn "v2" gateway "gw1" no-replay tunnel idletime 0 proposal "nop2"`, "Proposal nop2 doesn't exist\n"},
		{`set ike gateway "gw2" address 192.0.2.1 Main outgoing-interface "ethernet0/0" preshare "k" proposal "nop1"`, "Proposal nop1 doesn't exist\n"},
		{`set vpn "nov" monitor optimized rekey`, "VPN nov doesn't exist\n"},
		{`set ike gateway "nogw" dpd-liveness interval 10`, "Gateway nogw doesn't exist\n"},
		{`unset ike gateway "gw1"`, "Can't delete: used by vpn v1\n"},
		{`unset ike p2-proposal "p2"`, "Can't delete: used by vpn v1\n"},
		{`unset interface tunnel.1`, "Can't delete: used by vpn v1\n"},
		{`unset ike gateway "absent"`, "Gateway absent doesn't exist\n"},
		{`unset vpn "absent"`, "VPN absent doesn't exist\n"},
		{`unset vpn "v1" proxy-id`, "Entry doesn't exist\n"},
		{`unset ike gateway "gw1" dpd-liveness`, "Entry doesn't exist\n"},
		{`unset interface tunnel.1 mtu`, "Entry doesn't exist\n"},
		{`unset interface tunnel.7`, "Interface tunnel.7 doesn't exist\n"},
		{`unset route 10.9.0.0/16 interface tunnel.1`, "Route entry doesn't exist\n"},
		{`set vrouter trust-vr route 10.9.0.0/16 interface tunnel.9`, "Interface tunnel.9 doesn't exist\n"},
		{`set route source 10.9.0.0/16 interface tunnel.9 preference 15`, "Interface tunnel.9 doesn't exist\n"},
		{`set vpn "v1" bind interface ethernet0/0`, "Interface ethernet0/0 is not a tunnel interface\n"},
		{`set interface tunnel.5 mtu 1400`, "Interface tunnel.5 doesn't exist\n"},
		{`set route 10.9.0.0/16 interface tunnel.1 preference 300`, caret(p, 52, "invalid value 300 (1-255)")},
		{`unset policy id 9`, "Policy id 9 doesn't exist\n"},
		{`unset vrouter "trust-vr"`, "Can't delete: vrouter trust-vr is predefined\n"},
		{`set vrouter "other-vr"`, caret(p, 12, "unknown keyword other-vr")},
		{`set vpn "v1" id 0x1 bind interface tunnel.1 extra`, caret(p, 44, "unknown keyword extra")},
		{`set policy id 1 from "Trust" to "Untrust" "nosuch" "Any" "ANY" permit`, "Address nosuch doesn't exist in zone Trust\n"},
	}
	for _, c := range cases {
		if got := sh.cmd(c.line); got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.line, got, c.want)
		}
	}
	// nothing of the refused lines changed the configuration
	cfg := sh.cmd("get config")
	for _, bad := range []string{"gw2", "v2", "p9", "tunnel.9", "tunnel.5", "fw1", "nosuch"} {
		if strings.Contains(cfg, `"`+bad+`"`) || strings.Contains(cfg, " "+bad+" ") || strings.Contains(cfg, " "+bad+"\n") {
			t.Errorf("refused line left %q in the configuration:\n%s", bad, cfg)
		}
	}
	mustContain(t, cfg, `set ike gateway "gw1" address 198.51.100.1 Main`, `set vpn "v1" id 0x1 bind interface tunnel.1`, `set interface "tunnel.1" zone "Untrust"`)

	// inside a context, the caret follows the longer prompt
	if _, pr := sh.cmdPrompt("set vrouter trust-vr"); pr != "ssg5(trust-vr)-> " {
		t.Fatalf("vrouter prompt %q", pr)
	}
	if got := sh.cmd(`set ike gateway "x"`); got != caret("ssg5(trust-vr)-> ", 4, "unknown keyword ike") {
		t.Errorf("ike in vrouter: %q", got)
	}
}

// TestContextPrompts walks the vrouter, BGP, route-map and policy contexts: their prompts,
// `exit` leaving one level, what lands in each block of `get config`, the NSRP marker.
func TestContextPrompts(t *testing.T) {
	srv := newServer(t, "ssg5", simulator.Options{Hostname: "fw-a", InitialConfig: base})
	sh := openShell(t, dial(t, srv))
	sh.login()
	steps := []struct{ line, prompt string }{
		{"set vrouter trust-vr", "fw-a(trust-vr)-> "},
		{"set max-ecmp-routes 2", "fw-a(trust-vr)-> "},
		{"set source-routing enable", "fw-a(trust-vr)-> "},
		{"set route source 192.168.50.0/24 interface tunnel.1 preference 15", "fw-a(trust-vr)-> "},
		{"set access-list 10 permit ip 10.0.0.0/16 10", "fw-a(trust-vr)-> "},
		{`set route-map name "RM-IN" permit 10`, "fw-a(trust-vr/RM-IN-10)-> "},
		{"set match ip 10", "fw-a(trust-vr/RM-IN-10)-> "},
		{"exit", "fw-a(trust-vr)-> "},
		{"set protocol bgp 65000", "fw-a(trust-vr/bgp)-> "},
		{"set hold-time 30", "fw-a(trust-vr/bgp)-> "},
		{"set enable", "fw-a(trust-vr/bgp)-> "},
		{"set neighbor 169.254.21.1 remote-as 65515", "fw-a(trust-vr/bgp)-> "},
		{"set neighbor 169.254.21.1 enable", "fw-a(trust-vr/bgp)-> "},
		{"set neighbor 169.254.21.1 ebgp-multihop 2", "fw-a(trust-vr/bgp)-> "},
		{`set neighbor 169.254.21.1 md5-authentication "bgp-secret"`, "fw-a(trust-vr/bgp)-> "},
		{`set neighbor 169.254.21.1 route-map "RM-IN" in`, "fw-a(trust-vr/bgp)-> "},
		{"set network 192.168.1.0/24", "fw-a(trust-vr/bgp)-> "},
		{"exit", "fw-a(trust-vr)-> "},
		{"exit", "fw-a-> "},
		{`set policy id 5 from "Trust" to "Untrust" "Any" "Any" "ANY" permit`, "fw-a-> "},
		{"set policy id 5", "fw-a(policy:5)-> "},
		{`set dst-address "10.1.0.0/16"`, "fw-a(policy:5)-> "},
		{"exit", "fw-a-> "},
		// the one-line forms
		{`set vrouter "trust-vr" protocol bgp neighbor 169.254.21.1 keepalive 10`, "fw-a-> "},
		{`set vrouter trust-vr route 10.20.0.0/16 interface tunnel.1 gateway 169.254.21.1 preference 10`, "fw-a-> "},
		{`set route 10.30.0.0/16 interface tunnel.1`, "fw-a-> "},
	}
	for _, s := range steps {
		out, pr := sh.cmdPrompt(s.line)
		if out != "" || pr != s.prompt {
			t.Fatalf("%s -> %q, prompt %q (want %q)", s.line, out, pr, s.prompt)
		}
	}
	sh.cmd("set console page 0")
	cfg := sh.cmd("get config")
	mustContain(t, cfg,
		"set vrouter \"trust-vr\"\nset source-routing enable\nset max-ecmp-routes 2\nset route 10.20.0.0/16 interface tunnel.1 gateway 169.254.21.1 preference 10\nset route 10.30.0.0/16 interface tunnel.1\nset route source 192.168.50.0/24 interface tunnel.1 preference 15\nset access-list 10 permit ip 10.0.0.0/16 10\nset route-map name \"RM-IN\" permit 10\nset match ip 10\nexit\nexit\n",
		"set vrouter \"trust-vr\"\nset protocol bgp 65000\nset hold-time 30\nset enable\nset neighbor 169.254.21.1 remote-as 65515\nset neighbor 169.254.21.1 enable\nset neighbor 169.254.21.1 ebgp-multihop 2\nset neighbor 169.254.21.1 md5-authentication \"",
		"set neighbor 169.254.21.1 route-map \"RM-IN\" in\nset network 192.168.1.0/24\nset neighbor 169.254.21.1 keepalive 10\nexit\nexit\n",
		"set policy id 5 from \"Trust\" to \"Untrust\" \"Any\" \"Any\" \"ANY\" permit\nset policy id 5\nset dst-address \"10.1.0.0/16\"\nexit\n")
	if strings.Contains(cfg, "bgp-secret") {
		t.Error("md5 password printed in plaintext")
	}
	// a second AS is refused; `protocol bgp` without AS in the one-line form means the instance
	if got := sh.cmd("set vrouter trust-vr protocol bgp 65001"); got != "BGP is already configured with AS 65000\n" {
		t.Errorf("second AS: %q", got)
	}
	// NSRP role marker
	SetNSRP(srv.Engine(), "M")
	if _, pr := sh.cmdPrompt("get hostname"); pr != "fw-a(M)-> " {
		t.Errorf("NSRP prompt %q", pr)
	}
	SetNSRP(srv.Engine(), "B")
	if _, pr := sh.cmdPrompt("set vrouter trust-vr"); pr != "fw-a(B)(trust-vr)-> " {
		t.Errorf("NSRP context prompt %q", pr)
	}
	sh.cmd("exit")
	// the host name is configuration: the prompt follows it
	if _, pr := sh.cmdPrompt("set hostname edge-2"); pr != "edge-2(B)-> " {
		t.Errorf("prompt after hostname %q", pr)
	}
}
