package simulator

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"io"
	"os"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// The profile test engine is the core test engine with a restricted SSH profile (one key
// exchange, one cipher, one MAC, an ECDSA host key made by the engine, shell only) and
// sessions that shape injected failures.
func init() { RegisterEngine("keygentest", "pbox", newKeyGenEngine) }

type keyGenEngine struct{ *testEngine }

type keyGenSession struct{ CLISession }

func newKeyGenEngine(cfg EngineConfig) (Engine, error) {
	e, err := newTestEngine(cfg)
	if err != nil {
		return nil, err
	}
	return keyGenEngine{e.(*testEngine)}, nil
}

func (e keyGenEngine) NewSession(info SessionInfo) CLISession {
	return keyGenSession{e.testEngine.NewSession(info)}
}

func (keyGenSession) FormatFailure(line, msg string) string { return "refused [" + line + "]: " + msg }

func (keyGenEngine) SSHProfile() SSHProfile {
	return SSHProfile{
		KeyExchanges: []string{ssh.KeyExchangeECDHP256},
		Ciphers:      []string{ssh.CipherAES128CTR},
		MACs:         []string{ssh.HMACSHA256},
		HostKey: func() (ssh.Signer, error) {
			k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			if err != nil {
				return nil, err
			}
			return ssh.NewSignerFromKey(k)
		},
		RefuseExec: true,
	}
}

func TestSSHProfileHostKeyMakerAndFailureFormatter(t *testing.T) {
	srv, err := New(Options{Platform: "keygentest", Username: coreUser, Password: corePass})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if got := srv.HostKey().Type(); got != ssh.KeyAlgoECDSA256 {
		t.Fatalf("host key %s, want the engine's", got)
	}
	cfg := func(cipher string) *ssh.ClientConfig {
		return &ssh.ClientConfig{
			User: coreUser, Auth: []ssh.AuthMethod{ssh.Password(corePass)},
			HostKeyCallback: ssh.FixedHostKey(srv.HostKey()), Timeout: 5 * time.Second,
			Config: ssh.Config{Ciphers: []string{cipher}},
		}
	}
	if c, err := ssh.Dial("tcp", srv.Addr(), cfg(ssh.CipherAES256GCM)); err == nil {
		c.Close()
		t.Fatal("a cipher outside the profile was accepted")
	}
	c, err := ssh.Dial("tcp", srv.Addr(), cfg(ssh.CipherAES128CTR))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := sess.CombinedOutput("echo hi"); err == nil {
		t.Fatalf("exec accepted: %q", out)
	}
	tm := openTerm(t, c)
	tm.until(`box> $`)
	srv.FailCommand("echo x", "no")
	tm.send("echo x\r")
	tm.until(`refused \[echo x\]: no\r\n`)
	// an explicit host key wins over the engine's
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := ssh.NewSignerFromKey(edKey)
	if err != nil {
		t.Fatal(err)
	}
	srv2, err := New(Options{Platform: "keygentest", Username: coreUser, Password: corePass, HostKey: priv})
	if err != nil {
		t.Fatal(err)
	}
	defer srv2.Close()
	if srv2.HostKey().Type() != ssh.KeyAlgoED25519 {
		t.Fatalf("explicit host key replaced: %s", srv2.HostKey().Type())
	}
}

// `simulate --host-key FILE` creates a missing key of the engine profile's type (here the
// test engine's ECDSA key), writes it, and serves with it; the next run loads the same key.
func TestSimulateCreatesHostKeyOfProfileType(t *testing.T) {
	path := t.TempDir() + "/host_key"
	run := func() ssh.PublicKey {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		started := make(chan *Server, 1)
		done := make(chan int, 1)
		go func() {
			done <- Run(ctx, []string{"--platform", "keygentest", "--listen", "127.0.0.1:0", "--username", coreUser, "--password", corePass, "--host-key", path},
				io.Discard, io.Discard, started)
		}()
		select {
		case srv := <-started:
			k := srv.HostKey()
			cancel()
			<-done
			return k
		case code := <-done:
			t.Fatalf("simulate exited %d", code)
		}
		return nil
	}
	first := run()
	if first.Type() != ssh.KeyAlgoECDSA256 {
		t.Fatalf("created host key %s, want the profile's %s", first.Type(), ssh.KeyAlgoECDSA256)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if k, err := ssh.ParsePrivateKey(b); err != nil || string(k.PublicKey().Marshal()) != string(first.Marshal()) {
		t.Fatalf("the file does not hold the served key: %v", err)
	}
	if again := run(); string(again.Marshal()) != string(first.Marshal()) {
		t.Fatal("the second run does not serve the saved key")
	}
}
