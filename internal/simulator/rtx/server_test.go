package rtx

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

func startServer(t *testing.T, initial string, opts map[string]string) *simulator.Server {
	t.Helper()
	srv := newServer(t, initial, opts)
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	return srv
}

func clientConfig(srv *simulator.Server) *ssh.ClientConfig {
	return &ssh.ClientConfig{User: testUser, Auth: []ssh.AuthMethod{ssh.Password(testPass)},
		HostKeyCallback: ssh.FixedHostKey(srv.HostKey()), Timeout: 5 * time.Second}
}

func dial(t *testing.T, srv *simulator.Server) *ssh.Client {
	t.Helper()
	c, err := ssh.Dial("tcp", srv.Addr(), clientConfig(srv))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

type shell struct {
	t    *testing.T
	sess *ssh.Session
	in   interface{ Write([]byte) (int, error) }
	out  *syncBuf
	seen int
}

func openShell(t *testing.T, c *ssh.Client) *shell {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("vt100", 40, 512, ssh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	in, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out := &syncBuf{}
	sess.Stdout = out
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	sh := &shell{t: t, sess: sess, in: in, out: out}
	sh.until("> ")
	return sh
}

// until waits for text after what was consumed and returns the output up to it.
func (sh *shell) until(text string) string {
	sh.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		all := sh.out.String()
		if i := strings.Index(all[sh.seen:], text); i >= 0 {
			got := all[sh.seen : sh.seen+i+len(text)]
			sh.seen += i + len(text)
			return got
		}
		time.Sleep(2 * time.Millisecond)
	}
	sh.t.Fatalf("timed out waiting for %q; output after last match:\n%q", text, sh.out.String()[sh.seen:])
	return ""
}

func (sh *shell) send(s string) {
	sh.t.Helper()
	if _, err := sh.in.Write([]byte(s)); err != nil {
		sh.t.Fatal(err)
	}
}

// run types a line ended by \r (as tf-rtx does) and returns its output up to the prompt.
func (sh *shell) run(line, prompt string) string {
	sh.t.Helper()
	sh.send(line + "\r")
	return sh.until(prompt)
}

// TestSSHSession drives the console over SSH: login banner and prompt, hidden
// administrator password, \r and \r\n line ends, the tunnel prompt, errors, the save
// question.
func TestSSHSession(t *testing.T) {
	srv := startServer(t, "", nil)
	sh := openShell(t, dial(t, srv))
	if !strings.Contains(sh.out.String(), "RTX1210 Rev.14.01.42") {
		t.Fatalf("banner:\n%s", sh.out.String())
	}
	sh.run("console character en.ascii", "> ")
	sh.send("administrator\r")
	sh.until("Password: ")
	sh.send(testAdmin + "\r")
	got := sh.until("# ")
	if strings.Contains(got, testAdmin) {
		t.Fatalf("administrator password echoed: %q", got)
	}
	out := sh.run("tunnel select 1", "tunnel1# ")
	if !strings.HasPrefix(out, "tunnel select 1\r\n") {
		t.Fatalf("no echo: %q", out)
	}
	sh.send("ip tunnel address 169.254.21.1/30\r\n") // \r\n: one line
	sh.until("tunnel1# ")
	out = sh.run("ip tunnel remote address 169.254.21.300", "tunnel1# ")
	if !strings.Contains(out, "\r\nError: Unrecognized IP address parameter\r\n") {
		t.Fatalf("error: %q", out)
	}
	sh.run("tunnel select none", "\r\n# ")
	if strings.Contains(sh.out.String()[sh.seen:], "# ") {
		t.Fatalf("an empty line was run: %q", sh.out.String()[sh.seen:])
	}
	sh.send("exit\r")
	sh.until("Save new configuration ? (Y/N) ")
	sh.run("Y", "> ")
	if !strings.Contains(srv.SavedConfig(), "tunnel select 1\n ip tunnel address 169.254.21.1/30\n") {
		t.Fatalf("saved:\n%s", srv.SavedConfig())
	}
	// latency delays each command's output
	srv.SetLatency(80 * time.Millisecond)
	start := time.Now()
	sh.run("show environment", "> ")
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Fatalf("latency not applied: %v", d)
	}
	srv.SetLatency(0)
	// Ctrl-D on an empty line is exit: in administrator mode with changes it asks first
	sh.send("administrator\r")
	sh.until("Password: ")
	sh.send(testAdmin + "\r")
	sh.until("# ")
	sh.run("ip lan2 address 192.0.2.1/24", "# ")
	sh.send("\x04")
	sh.until("Save new configuration ? (Y/N) ")
	sh.run("N", "> ")
	sh.send("\x04")
	if err := sh.sess.Wait(); err != nil {
		t.Fatalf("logout: %v", err)
	}
	if strings.Contains(srv.SavedConfig(), "ip lan2") {
		t.Fatal("N saved")
	}
}

// TestSSHJapaneseAndPaging: the default console speaks Shift-JIS; `show config` longer
// than console lines pages with ---more--- (---つづく--- in Japanese); columns wrap.
func TestSSHJapaneseAndPaging(t *testing.T) {
	var initial strings.Builder
	for i := 1; i <= 30; i++ {
		initial.WriteString("ip filter " + itoa(i) + " pass * * udp * " + itoa(1000+i) + "\n")
	}
	srv := startServer(t, initial.String(), nil)
	sh := openShell(t, dial(t, srv))
	out := sh.run("no such command", "> ")
	if !strings.Contains(sjis(t, out), "エラー: コマンド名を確認してください") {
		t.Fatalf("Japanese error: %q", out)
	}
	// 24 lines, then the Japanese pager prompt
	sh.send("show config\r")
	page := sh.until(japaneseMore(t))
	if n := strings.Count(page, "\r\n"); n != 25 { // the echoed command line + 24
		t.Fatalf("first page has %d lines:\n%s", n-1, page)
	}
	if !strings.Contains(page, "# main:  RTX1210 ver=00 serial=S4K000000 MAC-Address=00:a0:de:12:34:56 MAC-Addre\r\nss=00:a0:de:12:34:57") {
		t.Fatalf("the 80-column wrap is missing:\n%s", page)
	}
	sh.send(" ")
	rest := sh.until("> ")
	if !strings.Contains(rest, "ip filter 30 pass * * udp * 1030\r\n") {
		t.Fatalf("second page:\n%s", rest)
	}
	sh.run("console character en.ascii", "> ")
	sh.run("console lines 10", "> ")
	sh.send("show config\r")
	sh.until("ip filter 1 pass")
	sh.until("---more---")
	sh.send("q")
	sh.until("> ")
	sh.run("console lines infinity", "> ")
	sh.run("console columns 200", "> ")
	out = sh.run("show config", "> ")
	if strings.Contains(out, "---more---") || !strings.Contains(out, "ip filter 30 pass") {
		t.Fatalf("console lines infinity still pages:\n%s", out)
	}
	if !strings.Contains(out, "MAC-Address=00:a0:de:12:34:58\r\n") {
		t.Fatalf("console columns 200 still wraps:\n%s", out)
	}
}

func japaneseMore(t *testing.T) string {
	return charsetOf("ja.sjis").encode("---つづく---")
}

// TestSSHExecRefused: the device's SSH server only runs a shell.
func TestSSHExecRefused(t *testing.T) {
	srv := startServer(t, "", nil)
	sess, err := dial(t, srv).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if out, err := sess.Output("show config"); err == nil {
		t.Fatalf("exec ran: %q", out)
	}
}

// TestSSHAlgorithms: an RSA host key signing with ssh-rsa (SHA-1) only,
// diffie-hellman-group14-sha1 key exchange, CTR and CBC ciphers, keyboard-interactive too.
func TestSSHAlgorithms(t *testing.T) {
	srv := startServer(t, "", nil)
	if srv.HostKey().Type() != ssh.KeyAlgoRSA {
		t.Fatalf("host key %s", srv.HostKey().Type())
	}
	try := func(mod func(*ssh.ClientConfig)) error {
		cfg := clientConfig(srv)
		mod(cfg)
		c, err := ssh.Dial("tcp", srv.Addr(), cfg)
		if err == nil {
			c.Close()
		}
		return err
	}
	if err := try(func(c *ssh.ClientConfig) { c.HostKeyAlgorithms = []string{ssh.KeyAlgoRSA} }); err != nil {
		t.Fatalf("ssh-rsa host key: %v", err)
	}
	if err := try(func(c *ssh.ClientConfig) { c.HostKeyAlgorithms = []string{ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSASHA512} }); err == nil {
		t.Fatal("an rsa-sha2 host key signature was accepted")
	}
	if err := try(func(c *ssh.ClientConfig) { c.KeyExchanges = []string{ssh.KeyExchangeCurve25519} }); err == nil {
		t.Fatal("curve25519 key exchange was accepted")
	}
	if err := try(func(c *ssh.ClientConfig) { c.KeyExchanges = []string{ssh.InsecureKeyExchangeDH14SHA1} }); err != nil {
		t.Fatalf("diffie-hellman-group14-sha1: %v", err)
	}
	if err := try(func(c *ssh.ClientConfig) { c.Ciphers = []string{ssh.InsecureCipherAES128CBC} }); err != nil {
		t.Fatalf("aes128-cbc: %v", err)
	}
	if err := try(func(c *ssh.ClientConfig) { c.Ciphers = []string{ssh.CipherAES256CTR} }); err != nil {
		t.Fatalf("aes256-ctr: %v", err)
	}
	if err := try(func(c *ssh.ClientConfig) { c.Ciphers = []string{ssh.CipherAES128GCM} }); err == nil {
		t.Fatal("aes128-gcm was accepted")
	}
	if err := try(func(c *ssh.ClientConfig) {
		c.Auth = []ssh.AuthMethod{ssh.KeyboardInteractive(func(_, _ string, qs []string, _ []bool) ([]string, error) {
			a := make([]string, len(qs))
			for i := range a {
				a[i] = testPass
			}
			return a, nil
		})}
	}); err != nil {
		t.Fatalf("keyboard-interactive: %v", err)
	}
	if err := try(func(c *ssh.ClientConfig) { c.Auth = []ssh.AuthMethod{ssh.Password("wrong")} }); err == nil {
		t.Fatal("a wrong login password was accepted")
	}
	if srv.Engine().ServerVersion() != "SSH-2.0-OpenSSH_7.7" {
		t.Fatal(srv.Engine().ServerVersion())
	}
}

// TestSSHSessionLimit: with ssh-sessions=1 a second connection is refused while the first
// is open, and accepted once it closed.
func TestSSHSessionLimit(t *testing.T) {
	srv := startServer(t, "", map[string]string{OptSSHSessions: "1"})
	c1 := dial(t, srv)
	openShell(t, c1)
	c2, err := ssh.Dial("tcp", srv.Addr(), clientConfig(srv))
	if err == nil {
		_, err = c2.NewSession()
		c2.Close()
	}
	if err == nil {
		t.Fatal("a second session was accepted")
	}
	c1.Close()
	time.Sleep(50 * time.Millisecond)
	openShell(t, dial(t, srv))
}

// TestSSHFaults: FailCommand refuses a line with an RTX error in the session's language and
// leaves the configuration alone; DropAfter cuts the connection, and a rollback timer armed
// in that session restores the configuration.
func TestSSHFaults(t *testing.T) {
	srv := startServer(t, "ip lan1 address 192.168.100.1/24\n", nil)
	sh := openShell(t, dial(t, srv))
	sh.send("administrator\r")
	sh.until("Password: ")
	sh.send(testAdmin + "\r")
	sh.until("# ")
	srv.FailCommand("ipsec ike encryption", "Parameter out of range")
	out := sh.run("ipsec ike encryption 1 aes-cbc", "# ")
	if got := sjis(t, out); !strings.Contains(got, "\r\nエラー: Parameter out of range\r\n") {
		t.Fatalf("FailCommand (Japanese): %q", got)
	}
	sh.run("console character en.ascii", "# ")
	srv.FailCommandOnce("ipsec ike hash", "Error: Illegal keyword")
	out = sh.run("ipsec ike hash 1 sha256", "# ")
	if !strings.Contains(out, "\r\nError: Illegal keyword\r\n") {
		t.Fatalf("FailCommandOnce: %q", out)
	}
	if strings.Contains(srv.RunningConfig(), "ipsec ike") {
		t.Fatalf("a refused line was applied:\n%s", srv.RunningConfig())
	}
	sh.run("ipsec ike hash 1 sha256", "# ")
	if !strings.Contains(srv.RunningConfig(), "ipsec ike hash 1 sha256") {
		t.Fatal("FailCommandOnce refused twice")
	}
	SetSecond(srv.Engine(), time.Millisecond) // the timer outlives the lost session: 600 ms
	sh.run("rollback timer 600", "# ")
	sh.run("no ip lan1 address", "# ")
	srv.DropAfter(1)
	sh.send("ip lan2 address 192.0.2.1/24\r")
	if err := sh.sess.Wait(); err == nil {
		t.Fatal("the session survived DropAfter")
	}
	deadline := time.Now().Add(2 * time.Second)
	for RollbackPending(srv.Engine()) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cfg := srv.RunningConfig()
	if !strings.Contains(cfg, "ip lan1 address 192.168.100.1/24") || strings.Contains(cfg, "ip lan2") || !strings.Contains(cfg, "ipsec ike hash 1 sha256") {
		t.Fatalf("not rolled back to the armed configuration:\n%s", cfg)
	}
	// padding: show config prints extra valid lines, RunningConfig does not
	srv.SetOutputPadding(500)
	sh2 := openShell(t, dial(t, srv))
	sh2.run("console lines infinity", "> ")
	out = sh2.run("show config", "> ")
	if !strings.Contains(out, "dns static a pad-0000001.invalid 192.0.2.1\r\n") || strings.Contains(srv.RunningConfig(), "pad-") {
		t.Fatalf("padding:\n%s", out)
	}
}
