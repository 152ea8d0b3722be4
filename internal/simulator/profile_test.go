package simulator

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// profileEngine is an engine with an SSH profile of an old device; it records the options
// it was created with, and its sessions format injected failures.
type profileEngine struct{ opts map[string]string }

var (
	profileMu   sync.Mutex
	profileOpts map[string]string
)

func init() {
	RegisterEngine("profiletest", "old", func(cfg EngineConfig) (Engine, error) {
		profileMu.Lock()
		profileOpts = cfg.Options
		profileMu.Unlock()
		return &profileEngine{opts: cfg.Options}, nil
	})
}

func (e *profileEngine) ServerVersion() string { return "SSH-2.0-OpenSSH_7.7" }
func (e *profileEngine) RunningConfig() string { return "" }
func (e *profileEngine) SavedConfig() string   { return "" }
func (e *profileEngine) Apply(...string) error { return nil }
func (e *profileEngine) Close()                {}
func (e *profileEngine) NewSession(SessionInfo) CLISession {
	return &profileSession{}
}
func (e *profileEngine) SSHProfile() SSHProfile {
	return SSHProfile{
		HostKeyType:       "rsa",
		HostKeyAlgorithms: []string{ssh.KeyAlgoRSA},
		KeyExchanges:      []string{ssh.InsecureKeyExchangeDH14SHA1},
		Ciphers:           []string{ssh.InsecureCipherAES128CBC},
		MACs:              []string{ssh.HMACSHA1},
		RefuseExec:        true,
		MaxSessions:       1,
	}
}

type profileSession struct{}

func (profileSession) Banner() string { return "" }
func (profileSession) Prompt() string { return "old> " }
func (profileSession) Exec(line string) (string, bool) {
	if line == "exit" {
		return "", true
	}
	return "ran " + line + "\n", false
}
func (profileSession) FormatFailure(_, msg string) string { return "Formatted: " + msg + "\n" }

func startProfile(t *testing.T, opts Options) *Server {
	t.Helper()
	opts.Platform = "profiletest"
	opts.Username, opts.Password = coreUser, corePass
	srv, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func profileDial(srv *Server, mod func(*ssh.ClientConfig)) (*ssh.Client, error) {
	cfg := &ssh.ClientConfig{User: coreUser, Auth: []ssh.AuthMethod{ssh.Password(corePass)},
		HostKeyCallback: ssh.FixedHostKey(srv.HostKey()), Timeout: 5 * time.Second,
		Config: ssh.Config{Ciphers: []string{ssh.InsecureCipherAES128CBC, ssh.CipherAES128CTR}}}
	if mod != nil {
		mod(cfg)
	}
	return ssh.Dial("tcp", srv.Addr(), cfg)
}

// TestSSHProfile: an engine's profile chooses the generated host key's type and signature
// algorithms, the key exchanges and ciphers, refuses exec requests and sets the default
// session limit; the engine receives Options.EngineOptions.
func TestSSHProfile(t *testing.T) {
	srv := startProfile(t, Options{EngineOptions: map[string]string{"model": "X1"}})
	profileMu.Lock()
	got := profileOpts["model"]
	profileMu.Unlock()
	if got != "X1" {
		t.Fatalf("engine options: %v", profileOpts)
	}
	if srv.HostKey().Type() != ssh.KeyAlgoRSA {
		t.Fatalf("host key %s", srv.HostKey().Type())
	}
	for name, mod := range map[string]func(*ssh.ClientConfig){
		"rsa-sha2 only":   func(c *ssh.ClientConfig) { c.HostKeyAlgorithms = []string{ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSASHA512} },
		"curve25519 only": func(c *ssh.ClientConfig) { c.KeyExchanges = []string{ssh.KeyExchangeCurve25519} },
		"aes-ctr only":    func(c *ssh.ClientConfig) { c.Ciphers = []string{ssh.CipherAES128CTR} },
	} {
		if c, err := profileDial(srv, mod); err == nil {
			c.Close()
			t.Errorf("%s: connected", name)
		}
	}
	c, err := profileDial(srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := sess.Output("echo hi"); err == nil {
		t.Fatalf("exec ran: %q", out)
	}
	// the profile's session limit applies: a second connection is refused
	c2, err := profileDial(srv, nil)
	if err == nil {
		_, err = c2.NewSession()
		c2.Close()
	}
	if err == nil {
		t.Fatal("a second connection was served")
	}
	// Options.MaxSessions overrides it; a given host key is restricted too
	srv2 := startProfile(t, Options{MaxSessions: 2, HostKey: srv.hostKey})
	a, err := profileDial(srv2, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := profileDial(srv2, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := b.NewSession(); err != nil {
		t.Fatalf("second session under MaxSessions 2: %v", err)
	}
}

// TestFailureFormatter: a FailCommand message goes through the session's formatter.
func TestFailureFormatter(t *testing.T) {
	srv := startProfile(t, Options{})
	c, err := profileDial(srv, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tm := openTerm(t, c)
	tm.until(`old> $`)
	srv.FailCommand("boom", "refused")
	tm.send("boom now\r")
	tm.until(`Formatted: refused\r\nold> $`)
	tm.send("other\r")
	tm.until(`ran other\r\nold> $`)
}

// TestRunOptionFlag: --option NAME=VALUE reaches the engine; a malformed one is refused.
func TestRunOptionFlag(t *testing.T) {
	if code := Run(context.Background(), []string{"--platform", "profiletest", "--option", "novalue"}, io.Discard, io.Discard, nil); code != 2 {
		t.Fatalf("malformed --option: exit %d", code)
	}
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan *Server, 1)
	done := make(chan int, 1)
	var stdout bytes.Buffer
	go func() {
		done <- Run(ctx, []string{"--platform", "profiletest", "--listen", "127.0.0.1:0", "--option", "model=RTX830", "--option", "revision=15.02.03"}, &stdout, io.Discard, started)
	}()
	srv := <-started
	e := srv.Engine().(*profileEngine)
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d", code)
	}
	if e.opts["model"] != "RTX830" || e.opts["revision"] != "15.02.03" || len(e.opts) != 2 {
		t.Fatalf("options %v", e.opts)
	}
	if !strings.Contains(stdout.String(), "listening on") {
		t.Fatal(stdout.String())
	}
}
