package screenos

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func TestRegistered(t *testing.T) {
	p, ok := platform.Get(Name)
	if !ok {
		t.Fatal("screenos is not registered")
	}
	for _, k := range vpn.Kinds {
		if !platform.Supports(p, k) {
			t.Errorf("kind %s not supported", k)
		}
	}
	if f := platform.SecretFormOf(p, vpn.KindIKEGateway, "pre_shared_key"); f != platform.SecretOneWay {
		t.Errorf("pre_shared_key form %s", f)
	}
	if f := platform.SecretFormOf(p, vpn.KindBGPNeighbor, "password"); f != platform.SecretOneWay {
		t.Errorf("password form %s", f)
	}
	if r, ok := p.(platform.Numberer).NumberRange(vpn.KindSecurityPolicy); !ok || r.Min != 1 {
		t.Errorf("policy ids %v %v", r, ok)
	}
	if _, ok := p.(platform.Numberer).NumberRange(vpn.KindTunnel); ok {
		t.Error("tunnels are not numbered")
	}
	opts, err := platform.CheckOptions(p, "fw", map[string]string{OptOutgoingInterface: "ethernet0/0"})
	if err != nil || opts[OptOutgoingInterface] != "ethernet0/0" {
		t.Errorf("%v %v", opts, err)
	}
	if _, err := platform.CheckOptions(p, "fw", map[string]string{OptOutgoingInterface: `eth"; unset all`}); err == nil {
		t.Error("a hostile interface option is accepted")
	}
}

// TestSession: the prompts the device prints match, and no line of a configuration does.
func TestSession(t *testing.T) {
	s := (&ScreenOS{}).Session()
	re := regexp.MustCompile("(?m)" + s.PromptPattern)
	for _, p := range []string{"ssg5-> ", "ssg5-serial->", "HA:MCUSQUANVP05(M)-> ", "ssg5(trust-vr)-> ", "ssg5(trust-vr/bgp)-> ", "ssg5(policy:10)-> "} {
		if !re.MatchString(p) {
			t.Errorf("prompt %q does not match", p)
		}
	}
	for _, sd := range seeds {
		for _, l := range strings.Split(readFile(t, sd.file+".txt"), "\n") {
			if re.MatchString(l) {
				t.Errorf("%s: configuration line %q matches the prompt", sd.file, l)
			}
		}
	}
	// A policy name or address made to look like a prompt is still inside a set line.
	if re.MatchString(`set policy id 4 name "ssg5-> " from "Trust" to "Untrust" "Any" "Any" "ANY" permit`) {
		t.Error("a prompt-like name matches")
	}
	if s.Tx.Strategy != platform.Immediate || len(s.Tx.Save) != 1 || s.Tx.Save[0].Line != "save" || s.ExecUsable || s.EndMarker != nil {
		t.Errorf("%+v", s.Tx)
	}
	if len(s.OnOpen) != 1 || s.OnOpen[0] != "set console page 0" || s.ReadConfig != "get config" {
		t.Errorf("%v %q", s.OnOpen, s.ReadConfig)
	}
	for _, weak := range append(append(s.MACs, s.Ciphers...), s.KeyExchanges...) {
		if strings.Contains(weak, "md5") || strings.HasPrefix(weak, "des") || strings.Contains(weak, "arcfour") {
			t.Errorf("weak algorithm %s", weak)
		}
	}
}

// TestExitAnswersSaveQuestion: every exit a step types answers "n" if ScreenOS asks to save.
func TestExitAnswersSaveQuestion(t *testing.T) {
	c := answerExit(platform.Command{Line: "exit"})
	if c.Answer != "n" || !regexp.MustCompile("(?m)"+c.Expect).MatchString("Configuration modified, save? [y]/n ") {
		t.Errorf("%+v", c)
	}
	if c := answerExit(platform.Command{Line: "set vrouter trust-vr route 10.0.0.0/8 interface tunnel.1"}); c.Expect != "" {
		t.Errorf("%+v", c)
	}
}

// TestCheckOutput judges the device's replies.
func TestCheckOutput(t *testing.T) {
	p := &ScreenOS{}
	fails := []struct{ cmd, out, msg string }{
		{`set ike gatway "x"`, "               ^-----unknown keyword gatway", "unknown keyword gatway"},
		{`set vpn "x" gateway`, "                     ^-----command not completed", "command not completed"},
		{`set vpn "x" gateway "nope" no-replay tunnel idletime 0 proposal "p"`, "Gateway nope doesn't exist", "Gateway nope doesn't exist"},
		{`unset interface tunnel.9`, "Failed command - unset interface tunnel.9", "Failed command - unset interface tunnel.9"},
	}
	for _, f := range fails {
		err := p.CheckOutput(f.cmd, f.out)
		var de *platform.DeviceError
		if !errors.As(err, &de) || de.Message != f.msg || de.Scope != platform.ScopeLine {
			t.Errorf("%q: %v", f.out, err)
		}
	}
	oks := []struct{ cmd, out string }{
		{"set vrouter trust-vr route 10.0.0.0/16 interface tunnel.1", ""},
		{"set vrouter trust-vr route 10.0.0.0/16 interface tunnel.1", "\n\n"},
		{"save", "Save System Configuration ...\nDone"},
		// Configuration text is data: words in it are no failure.
		{"get config", readFile(t, "seed000_ssg5.txt") + "set policy id 9 name \"unknown keyword error failed\" from \"Trust\" to \"Untrust\" \"Any\" \"Any\" \"ANY\" deny\n"},
	}
	for _, o := range oks {
		if err := p.CheckOutput(o.cmd, o.out); err != nil {
			t.Errorf("%q: %v", o.cmd, err)
		}
	}
	if err := p.CheckOutput("get config", "    ^-----unknown keyword confg"); err == nil {
		t.Error("a refused read passes")
	}
}

// TestRedact masks keys, passwords and BGP MD5 keys, whatever their quoting.
func TestRedact(t *testing.T) {
	in := `set ike gateway "gw" address 198.51.100.1 Main outgoing-interface "ethernet0/0" preshare "Q2FuJ3Q gcm==" proposal "p1"
set ike gateway "gw2" address 198.51.100.2 Main outgoing-interface ethernet0/0 preshare s3cr3t proposal "p1"
set admin password "nKVUM2rwMUzPcrkG5sWIHdCtqkAibn"
set vrouter trust-vr protocol bgp neighbor 169.254.0.1 md5-authentication "bgpk3y"
set pppoe name "isp" username "u" password "PPP_PASSWORD"`
	out := (&ScreenOS{}).Redact(in)
	for _, secret := range []string{"Q2FuJ3Q", "gcm==", "s3cr3t", "nKVUM2", "bgpk3y", "PPP_PASSWORD"} {
		if strings.Contains(out, secret) {
			t.Errorf("%s left in:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, `proposal "p1"`) || strings.Count(out, Mask) != 5 {
		t.Errorf("%s", out)
	}
}

// TestParseFacts reads `get system`.
func TestParseFacts(t *testing.T) {
	out := "Product Name: SSG5-Serial-SB\nSerial Number: 0168102006001234, Control Number: 00000000\nHardware Version: 0710(0)-(00), FPGA checksum: 00000000, VLAN1 IP (0.0.0.0)\nSoftware Version: 6.3.0r13.0, Type: Firewall+VPN\nHostname: ssg5\n"
	f := (&ScreenOS{}).ParseFacts(out)
	if f != (vpn.Facts{Platform: Name, Model: "SSG5-Serial-SB", Version: "6.3.0r13.0", Hostname: "ssg5"}) {
		t.Errorf("%+v", f)
	}
}

// TestOneWaySecretDrift: the device's form of an unchanged key renders nothing; a key the
// device now prints differently reads as another key (drift), and the dialect types the
// planned key in plaintext.
func TestOneWaySecretDrift(t *testing.T) {
	p := bound(t, nil)
	text := readFile(t, "seed000_ssg5.txt")
	cur := mustParse(t, p, text)
	changed := strings.Replace(text, "Q2FuJ3QgcmV2ZXJzZSB0aGlzIQ==", "T3RoZXJLZXlGcm9tQ29uc29sZQ==", 1)
	now := mustParse(t, p, changed)
	if now.IKEGateways()["azure-gateway-ike"].PreSharedKey == cur.IKEGateways()["azure-gateway-ike"].PreSharedKey {
		t.Fatal("a key changed on the device reads the same")
	}
	lines, err := p.Render(platform.Snapshot{Text: changed, Config: now}, cur)
	if err != nil || len(lines) != 1 || !strings.Contains(lines[0], `preshare "Q2FuJ3QgcmV2ZXJzZSB0aGlzIQ=="`) {
		t.Errorf("%q %v", lines, err)
	}
}

// TestCoverage counts what the model leaves alone on the seed: everything but the VPN lines,
// routes and policies it reads.
func TestCoverage(t *testing.T) {
	p := bound(t, nil)
	text := readFile(t, "seed000_ns25.txt")
	cfg := mustParse(t, p, text)
	total := 0
	es, _ := parseEntries(text)
	total = len(es)
	n, ok := platform.Unmodelled(p, text, cfg)
	// Modelled: 2 proposals, the gateway and its nat-traversal, 2 vpn lines with monitor,
	// bind and proxy-id (8), 2 tunnel interfaces with zone and ip (4), 3 policies, 3 static
	// routes, 2 source routes and source-routing enable: 25 lines.
	if !ok || n != total-25 {
		t.Errorf("unmodelled %d of %d lines", n, total)
	}
}

// TestAlgorithmsKnown: every algorithm the session declares is one golang.org/x/crypto/ssh
// implements, so none is silently dropped.
func TestAlgorithmsKnown(t *testing.T) {
	s := (&ScreenOS{}).Session()
	sup, ins := ssh.SupportedAlgorithms(), ssh.InsecureAlgorithms()
	known := func(list []string, a string) bool {
		for _, x := range list {
			if x == a {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		names    []string
		sup, ins []string
	}{{s.KeyExchanges, sup.KeyExchanges, ins.KeyExchanges}, {s.Ciphers, sup.Ciphers, ins.Ciphers}, {s.MACs, sup.MACs, ins.MACs}, {s.HostKeyAlgorithms, sup.HostKeys, ins.HostKeys}} {
		for _, a := range c.names {
			if !known(c.sup, a) && !known(c.ins, a) {
				t.Errorf("%s is not implemented by x/crypto/ssh", a)
			}
		}
	}
}
