package screenos

import (
	"errors"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

// TestSaveDialog: leaving with unsaved changes asks; y saves, n does not, an empty answer
// takes the default [y], anything else asks again; without changes exit just closes.
func TestSaveDialog(t *testing.T) {
	srv := newServer(t, "", simulator.Options{})
	exitWith := func(answers ...string) {
		t.Helper()
		sh := openShell(t, dial(t, srv))
		sh.login()
		if out := sh.cmd(`set address "Trust" "lan" 192.168.1.0/24`); out != "" {
			t.Fatal(out)
		}
		m := sh.mark()
		sh.send("exit\n")
		sh.waitFor(m, saveRe)
		for i, a := range answers {
			m = sh.mark()
			sh.send(a + "\n")
			if i < len(answers)-1 {
				sh.waitFor(m, saveRe)
			}
		}
		sh.waitEOF()
	}
	exitWith("n")
	if strings.Contains(srv.SavedConfig(), "lan") || !strings.Contains(srv.RunningConfig(), `set address "Trust" "lan" 192.168.1.0 255.255.255.0`) {
		t.Fatalf("n: saved %q running %q", srv.SavedConfig(), srv.RunningConfig())
	}
	if srv.Stats().Saves != 0 {
		t.Fatal("n saved")
	}
	exitWith("maybe", "y")
	if !strings.Contains(srv.SavedConfig(), `"lan"`) || srv.Stats().Saves != 1 {
		t.Fatalf("y did not save: %d", srv.Stats().Saves)
	}
	// unchanged now: exit closes without a question
	sh := openShell(t, dial(t, srv))
	sh.login()
	sh.send("exit\n")
	sh.waitEOF()
	// `save config` / `save` write at once and print nothing; then exit does not ask
	sh = openShell(t, dial(t, srv))
	sh.login()
	sh.cmd("set console page 0") // a configuration change of its own
	if out := sh.cmd("save config"); out != "" {
		t.Fatal(out)
	}
	sh.cmd(`unset address "Trust" "lan"`)
	if out := sh.cmd("save"); out != "" {
		t.Fatal(out)
	}
	if strings.Contains(srv.SavedConfig(), `"lan"`) || !strings.Contains(srv.SavedConfig(), "set console page 0") {
		t.Fatal(srv.SavedConfig())
	}
	// FailNextCommit makes the next save fail with its message (nothing written)
	sh.cmd(`set address "Trust" "lan2" 192.168.2.0/24`)
	srv.FailNextCommit("Flash write failed")
	if out := sh.cmd("save"); out != "Flash write failed\n" {
		t.Fatalf("failed save: %q", out)
	}
	if strings.Contains(srv.SavedConfig(), "lan2") {
		t.Fatal("failed save wrote")
	}
	if out := sh.cmd("save"); out != "" || !strings.Contains(srv.SavedConfig(), "lan2") {
		t.Fatalf("save after failure: %q", out)
	}
	sh.send("exit\n")
	sh.waitEOF()
	if s := srv.Stats().Saves; s != 4 {
		t.Fatalf("saves %d", s)
	}
}

// TestPaging: until `set console page 0`, interactive output longer than a page stops at
// `--- more --- `; space shows the next page, Enter one line, q quits.
func TestPaging(t *testing.T) {
	srv := newServer(t, "ns25", simulator.Options{InitialConfig: readTestdata(t, "seed000_ns25.txt")})
	sh := openShell(t, dial(t, srv))
	sh.login()
	full := srv.RunningConfig()
	m := sh.mark()
	sh.send("get config\n")
	first := sh.waitFor(m, moreRe)
	if n := strings.Count(first, "\n"); n != 21 { // the echo and 20 lines
		t.Fatalf("first page has %d lines:\n%s", n, first)
	}
	m = sh.mark()
	sh.send(" ")
	second := sh.waitFor(m, moreRe)
	if n := strings.Count(second, "\n"); n != 20 {
		t.Fatalf("second page has %d lines:\n%q", n, second)
	}
	m = sh.mark()
	sh.send("\r")
	if one := sh.waitFor(m, moreRe); strings.Count(one, "\n") != 1 {
		t.Fatalf("Enter showed %q", one)
	}
	m = sh.mark()
	sh.send("q")
	sh.waitFor(m, promptRe)
	// paging off: the whole configuration at once, and the line is a configuration change
	if out := sh.cmd("set console page 0"); out != "" {
		t.Fatal(out)
	}
	got := sh.cmd("get config")
	if got != srv.RunningConfig() || got == full {
		t.Fatalf("unpaged output:\n%s", got)
	}
	mustContain(t, got, "set console page 0\n")
	// filters
	if got := sh.cmd("get config | include vpn"); strings.Count(got, "\n") != 8 || strings.Contains(got, "route") {
		t.Errorf("include: %q", got)
	}
	if got := sh.cmd("get config | include Azure-VPN_A | exclude proxy-id"); got != "set vpn \"Azure-VPN_A\" gateway \"azure-gateway-ike\" no-replay tunnel idletime 0 proposal \"azure-ipsec\"\nset vpn \"Azure-VPN_A\" monitor optimized rekey\nset vpn \"Azure-VPN_A\" id 1 bind interface tunnel.1\n" {
		t.Errorf("include|exclude: %q", got)
	}
	if got := sh.cmd("get config | grep x"); got != caret("ssg5-> ", 13, "unknown keyword grep") {
		t.Errorf("bad filter: %q", got)
	}
}

// TestFacts: `get system` and `get hostname` per model, and the 6.3-only IKEv2 commands.
func TestFacts(t *testing.T) {
	for _, c := range []struct{ model, product, version string }{
		{"ssg5", "SSG5-Serial", "6.3.0r13.0"},
		{"ns25", "NetScreen-25", "5.4.0r23.0"},
		{"ns5gt", "NetScreen-5GT", "5.4.0r27.0"},
	} {
		l := newLocal(t, c.model, "")
		out := l.run("get system")
		mustContain(t, out, "Product Name: "+c.product+"\n", "Serial Number: 0168", ", Control Number: 00000000\n",
			"Software Version: "+c.version+", Type: Firewall+VPN\n")
		if got := l.run("get hostname"); got != "Hostname: ssg5\n" {
			t.Errorf("get hostname: %q", got)
		}
		ikev2 := `set ike gateway ikev2 "az" address 198.51.100.9 outgoing-interface "` + models[c.model].ifaces[0] + `" preshare "k" proposal "pre-g2-aes128-sha"`
		out = l.run(ikev2)
		if c.model == "ssg5" {
			if out != "" {
				t.Errorf("ikev2 on 6.3: %q", out)
			}
			mustContain(t, l.run("get config"), `set ike gateway ikev2 "az" address 198.51.100.9 outgoing-interface "ethernet0/0" preshare "`)
			l.ok(`set ike gateway "az" dpd-liveness interval 10`, `unset ike gateway "az"`)
			if cfg := l.run("get config"); strings.Contains(cfg, `"az"`) {
				t.Errorf("ikev2 gateway not removed:\n%s", cfg)
			}
		} else if out != caret("ssg5-> ", 16, "unknown keyword ikev2") {
			t.Errorf("ikev2 on 5.4: %q", out)
		}
	}
	if SetModel(newLocal(t, "", "").eng, "ssg550") {
		t.Error("unknown model accepted")
	}
}

// TestSSHAlgorithms: the legacy set only (DH group 1/14 SHA-1, CBC, hmac-sha1, ssh-dss);
// a client offering only modern algorithms cannot connect; exec requests are refused.
func TestSSHAlgorithms(t *testing.T) {
	srv := newServer(t, "", simulator.Options{})
	if got := srv.HostKey().Type(); got != ssh.InsecureKeyAlgoDSA {
		t.Fatalf("host key %s", got)
	}
	modern := &ssh.ClientConfig{
		User: testUser, Auth: []ssh.AuthMethod{ssh.Password(testPass)},
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second,
	}
	if c, err := ssh.Dial("tcp", srv.Addr(), modern); err == nil {
		c.Close()
		t.Fatal("a client with modern algorithms only connected")
	}
	for _, tweak := range []func(*ssh.ClientConfig){
		func(c *ssh.ClientConfig) { c.KeyExchanges = []string{"curve25519-sha256"} },
		func(c *ssh.ClientConfig) { c.Ciphers = []string{"aes128-ctr", "aes256-gcm@openssh.com"} },
		func(c *ssh.ClientConfig) { c.MACs = []string{"hmac-sha2-256"} },
		func(c *ssh.ClientConfig) { c.HostKeyAlgorithms = []string{ssh.KeyAlgoED25519, ssh.KeyAlgoRSASHA256} },
	} {
		cfg := legacyConfig(srv)
		tweak(cfg)
		if c, err := ssh.Dial("tcp", srv.Addr(), cfg); err == nil {
			c.Close()
			t.Errorf("connected without the legacy algorithm: %+v", cfg.Config)
		}
	}
	cfg := legacyConfig(srv)
	cfg.KeyExchanges = []string{ssh.InsecureKeyExchangeDH14SHA1}
	cfg.Ciphers = []string{ssh.InsecureCipherTripleDESCBC}
	c, err := ssh.Dial("tcp", srv.Addr(), cfg)
	if err != nil {
		t.Fatalf("group14 + 3des-cbc: %v", err)
	}
	if v := string(c.ServerVersion()); v != "SSH-2.0-NetScreen" {
		t.Errorf("server version %q", v)
	}
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := sess.CombinedOutput("get system"); err == nil {
		t.Fatalf("exec accepted: %q", out)
	}
	c.Close()
	sh := openShell(t, dial(t, srv))
	if p := sh.login(); p != "ssg5-> " {
		t.Fatalf("first output %q", p)
	}
}

// TestHooks: FailCommand refuses a set line the way ScreenOS refuses one (caret line,
// nothing changed), FailCommandOnce once, DropAfter closes the connection, HoldLock refuses
// changes, SetOutputPadding pads get config with valid lines.
func TestHooks(t *testing.T) {
	srv := newServer(t, "", simulator.Options{InitialConfig: base})
	sh := openShell(t, dial(t, srv))
	sh.login()
	sh.cmd("set console page 0")
	srv.FailCommand("preshare", "invalid preshare key")
	line := `set ike gateway "gw9" address 192.0.2.9 Main outgoing-interface "ethernet0/0" preshare "k" proposal "p1"`
	if got := sh.cmd(line); got != caret("ssg5-> ", 4, "invalid preshare key") {
		t.Fatalf("FailCommand: %q", got)
	}
	if strings.Contains(srv.RunningConfig(), "gw9") {
		t.Fatal("refused line applied")
	}
	srv.FailCommand("preshare", "")
	srv.FailCommandOnce("gw9", "\nFailed command - "+line+"\n")
	if got := sh.cmd(line); got != "\nFailed command - "+line+"\n" {
		t.Fatalf("FailCommandOnce: %q", got)
	}
	if got := sh.cmd(line); got != "" {
		t.Fatalf("after once: %q", got)
	}
	mustContain(t, srv.RunningConfig(), `set ike gateway "gw9" address 192.0.2.9`)

	srv.HoldLock("admin2")
	if got := sh.cmd(`unset ike gateway "gw9"`); got != "Configuration is locked by admin2\n" {
		t.Fatalf("HoldLock: %q", got)
	}
	srv.ReleaseLock()

	srv.SetOutputPadding(2000)
	padded := sh.cmd("get config")
	if len(padded) < len(srv.RunningConfig())+2000 || !strings.Contains(padded, `set address "Trust" "pad-0000001" 192.0.2.2 255.255.255.255`) {
		t.Fatalf("padding: %d bytes", len(padded))
	}
	// the padding lines are valid configuration: typed into another device they are accepted
	l := newLocal(t, "", "")
	for _, pl := range lines(padded) {
		if strings.Contains(pl, "pad-") {
			l.ok(pl)
		}
	}
	srv.SetOutputPadding(0)

	srv.DropAfter(2)
	sh.cmd("get hostname")
	sh.send("get hostname\n")
	sh.waitEOF()
	// the connection is gone; a new one works
	c, err := ssh.Dial("tcp", srv.Addr(), legacyConfig(srv))
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	var ne net.Error
	_ = errors.As(err, &ne)
}

// TestHelpKey: `?` lists what may come next and is not inserted; the line is shown again.
func TestHelpKey(t *testing.T) {
	srv := newServer(t, "", simulator.Options{})
	sh := openShell(t, dial(t, srv))
	sh.login()
	m := sh.mark()
	sh.send("set ike ?")
	out := sh.waitFor(m, regexp.MustCompile(`ssg5-> set ike \z`))
	mustContain(t, out, "gateway\n", "p1-proposal\n", "p2-proposal\n", "respond-bad-spi\n")
	m = sh.mark()
	sh.send("g?")
	out = sh.waitFor(m, regexp.MustCompile(`ssg5-> set ike g\z`))
	mustContain(t, out, "\ngateway\n")
	m = sh.mark()
	sh.send("\x15\n") // Ctrl-U, Enter: the `?` never reached the line
	sh.waitFor(m, promptRe)
	if out := sh.cmd("get hostname"); out != "Hostname: ssg5\n" {
		t.Fatal(out)
	}
}

// TestCtrlDAndLatency: Ctrl-D on an empty line leaves like `exit` (asking to save a modified
// configuration); the server's latency delays each command's output.
func TestCtrlDAndLatency(t *testing.T) {
	srv := newServer(t, "", simulator.Options{})
	sh := openShell(t, dial(t, srv))
	sh.login()
	srv.SetLatency(150 * time.Millisecond)
	start := time.Now()
	if out := sh.cmd(`set address "Trust" "lan" 192.168.1.0/24`); out != "" {
		t.Fatal(out)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("latency not applied: %v", d)
	}
	srv.SetLatency(0)
	m := sh.mark()
	sh.send("\x04")
	sh.waitFor(m, saveRe)
	sh.send("n\n")
	sh.waitEOF()
	if strings.Contains(srv.SavedConfig(), `"lan"`) || !strings.Contains(srv.RunningConfig(), `"lan"`) {
		t.Fatal("Ctrl-D, n: the change must stay unsaved in the running configuration")
	}
}
