package sshcli

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

func openT(t *testing.T, cfg Config) *Session {
	t.Helper()
	s, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func sendT(t *testing.T, s *Session, cmd string) string {
	t.Helper()
	out, err := s.Send(context.Background(), cmd)
	if err != nil {
		t.Fatalf("Send(%q): %v", cmd, err)
	}
	return out
}

func TestPasswordAuthAndOutput(t *testing.T) {
	srv := startServer(t, serverOpts{banner: "Welcome to the test device\r\n"})
	s := openT(t, srv.config())
	if got := s.Prompt(); got != testPrompt {
		t.Errorf("Prompt() = %q, want %q", got, testPrompt)
	}
	if got, want := sendT(t, s, "show lines"), "line 1\nline 2\nline 3"; got != want {
		t.Errorf("show lines = %q, want %q", got, want)
	}
	if got := sendT(t, s, ""); got != "" {
		t.Errorf("empty command = %q, want empty", got)
	}
	// A line that looks like a prompt inside the output neither ends the command nor is removed.
	if got, want := sendT(t, s, "show fake-prompt"), "first\nuser@host:~$ \nlast"; got != want {
		t.Errorf("show fake-prompt = %q, want %q", got, want)
	}
	// Leading and trailing spaces of lines are kept.
	if got, want := sendT(t, s, "show indented"), "  a  \n\tb"; got != want {
		t.Errorf("show indented = %q, want %q", got, want)
	}
	if got := s.Prompt(); got != testPrompt {
		t.Errorf("Prompt() = %q, want %q", got, testPrompt)
	}
	if !s.Alive() {
		t.Error("Alive() = false on an open session")
	}
}

func TestDefaultPromptPattern(t *testing.T) {
	srv := startServer(t, serverOpts{})
	cfg := srv.config()
	cfg.PromptPattern = ""
	s := openT(t, cfg)
	if got := sendT(t, s, "echo hi"); got != "hi" {
		t.Errorf("echo hi = %q", got)
	}
}

func TestKeyboardInteractiveOnly(t *testing.T) {
	srv := startServer(t, serverOpts{kbdOnly: true})
	s := openT(t, srv.config())
	if got := sendT(t, s, "echo ok"); got != "ok" {
		t.Errorf("echo ok = %q", got)
	}
}

func TestPublicKeyAuth(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, serverOpts{authorizedKey: sshPub, noPassword: true})

	plain, err := ssh.MarshalPrivateKey(priv, "test")
	if err != nil {
		t.Fatal(err)
	}
	enc, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "test", []byte("open sesame"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		key        []byte
		passphrase string
		password   string
	}{
		{"plain", pem.EncodeToMemory(plain), "", ""},
		{"encrypted", pem.EncodeToMemory(enc), "open sesame", ""},
		{"key and password", pem.EncodeToMemory(plain), "", testPassword},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := srv.config()
			cfg.Password = tc.password
			cfg.PrivateKey = tc.key
			cfg.PrivateKeyPassphrase = tc.passphrase
			s := openT(t, cfg)
			if got := sendT(t, s, "echo key"); got != "key" {
				t.Errorf("echo key = %q", got)
			}
		})
	}

	t.Run("missing passphrase", func(t *testing.T) {
		cfg := srv.config()
		cfg.Password = ""
		cfg.PrivateKey = pem.EncodeToMemory(enc)
		_, err := Open(context.Background(), cfg)
		if err == nil || !strings.Contains(err.Error(), "passphrase") {
			t.Fatalf("err = %v, want a passphrase error", err)
		}
	})
	t.Run("wrong key", func(t *testing.T) {
		_, other, _ := ed25519.GenerateKey(rand.Reader)
		blk, _ := ssh.MarshalPrivateKey(other, "")
		cfg := srv.config()
		cfg.Password = ""
		cfg.PrivateKey = pem.EncodeToMemory(blk)
		_, err := Open(context.Background(), cfg)
		var ae *AuthError
		if !errors.As(err, &ae) {
			t.Fatalf("err = %v, want *AuthError", err)
		}
	})
}

func TestWrongPassword(t *testing.T) {
	srv := startServer(t, serverOpts{})
	cfg := srv.config()
	cfg.Password = "wrong-Pa55word"
	_, err := Open(context.Background(), cfg)
	var ae *AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *AuthError", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, testUser+"@"+srv.addr) {
		t.Errorf("error %q does not name %s@%s", msg, testUser, srv.addr)
	}
	if !strings.Contains(msg, "keyboard-interactive") || !strings.Contains(msg, "password") {
		t.Errorf("error %q does not list the methods tried", msg)
	}
	if strings.Contains(msg, cfg.Password) {
		t.Errorf("error %q contains the password", msg)
	}
}

func TestHostKeyPinning(t *testing.T) {
	srv := startServer(t, serverOpts{ecdsaFirst: true})
	pub := srv.hostKey.PublicKey()
	fp := ssh.FingerprintSHA256(pub)

	t.Run("authorized_keys line", func(t *testing.T) {
		// The server also has an ECDSA key, which x/crypto prefers: pinning an ed25519 line
		// must restrict negotiation to ed25519.
		cfg := srv.config()
		cfg.HostKey = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))) + " comment@example"
		s := openT(t, cfg)
		sendT(t, s, "echo x")
	})
	t.Run("fingerprint", func(t *testing.T) {
		cfg := srv.config()
		cfg.HostKey = fp
		cfg.HostKeyAlgorithms = []string{ssh.KeyAlgoED25519}
		openT(t, cfg)
	})
	t.Run("mismatch", func(t *testing.T) {
		cfg := srv.config()
		other := newEd25519Signer(t).PublicKey()
		cfg.HostKey = string(ssh.MarshalAuthorizedKey(other))
		_, err := Open(context.Background(), cfg)
		var he *HostKeyError
		if !errors.As(err, &he) {
			t.Fatalf("err = %v, want *HostKeyError", err)
		}
		if he.Reason != ReasonMismatch || he.Fingerprint != fp || he.KeyType != ssh.KeyAlgoED25519 {
			t.Errorf("HostKeyError = %+v", he)
		}
		if !strings.Contains(err.Error(), fp) || !strings.Contains(err.Error(), ssh.FingerprintSHA256(other)) {
			t.Errorf("error %q lacks the presented or expected fingerprint", err)
		}
	})
	t.Run("fingerprint mismatch", func(t *testing.T) {
		cfg := srv.config()
		cfg.HostKey = ssh.FingerprintSHA256(newEd25519Signer(t).PublicKey())
		cfg.HostKeyAlgorithms = []string{ssh.KeyAlgoED25519}
		_, err := Open(context.Background(), cfg)
		var he *HostKeyError
		if !errors.As(err, &he) || he.Reason != ReasonMismatch || !strings.Contains(err.Error(), fp) {
			t.Fatalf("err = %v, want a mismatch HostKeyError with %s", err, fp)
		}
	})
	t.Run("bad pin", func(t *testing.T) {
		cfg := srv.config()
		cfg.HostKey = "not a key"
		if _, err := Open(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "host_key") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("conflicting options", func(t *testing.T) {
		cfg := srv.config()
		cfg.InsecureSkipHostKeyCheck = true
		if _, err := Open(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "only one") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("insecure", func(t *testing.T) {
		cfg := srv.config()
		cfg.HostKey = ""
		cfg.InsecureSkipHostKeyCheck = true
		s := openT(t, cfg)
		sendT(t, s, "echo x")
	})
}

func writeKnownHosts(t *testing.T, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestKnownHosts(t *testing.T) {
	srv := startServer(t, serverOpts{ecdsaFirst: true})
	pub := srv.hostKey.PublicKey()
	fp := ssh.FingerprintSHA256(pub)
	other := newEd25519Signer(t).PublicKey()

	t.Run("ok non-22 port", func(t *testing.T) {
		line := knownhosts.Line([]string{srv.addr}, pub)
		if !strings.HasPrefix(line, "[127.0.0.1]:") {
			t.Fatalf("known_hosts line %q is not in [host]:port form", line)
		}
		cfg := srv.config()
		cfg.HostKey = ""
		cfg.KnownHostsFile = writeKnownHosts(t, "# comment", knownhosts.Line([]string{"example.net"}, other), line)
		s := openT(t, cfg)
		sendT(t, s, "echo x")
	})
	t.Run("hashed entry", func(t *testing.T) {
		cfg := srv.config()
		cfg.HostKey = ""
		cfg.KnownHostsFile = writeKnownHosts(t, knownhosts.Line([]string{knownhosts.HashHostname(knownhosts.Normalize(srv.addr))}, pub))
		openT(t, cfg)
	})
	t.Run("unknown host", func(t *testing.T) {
		cfg := srv.config()
		cfg.HostKey = ""
		cfg.KnownHostsFile = writeKnownHosts(t, knownhosts.Line([]string{"example.net"}, pub))
		_, err := Open(context.Background(), cfg)
		var he *HostKeyError
		if !errors.As(err, &he) || he.Reason != ReasonUnknownHost {
			t.Fatalf("err = %v, want unknown-host HostKeyError", err)
		}
		if !strings.Contains(err.Error(), he.Fingerprint) || !strings.Contains(err.Error(), "host_key") {
			t.Errorf("error %q lacks the fingerprint or the hint", err)
		}
		if !strings.HasPrefix(he.KnownHostsLine(), "[127.0.0.1]:") {
			t.Errorf("KnownHostsLine() = %q", he.KnownHostsLine())
		}
	})
	t.Run("mismatch", func(t *testing.T) {
		cfg := srv.config()
		cfg.HostKey = ""
		cfg.KnownHostsFile = writeKnownHosts(t, knownhosts.Line([]string{srv.addr}, other))
		_, err := Open(context.Background(), cfg)
		var he *HostKeyError
		if !errors.As(err, &he) || he.Reason != ReasonMismatch || he.Fingerprint != fp {
			t.Fatalf("err = %v, want mismatch HostKeyError for %s", err, fp)
		}
		if !strings.Contains(err.Error(), fp) {
			t.Errorf("error %q lacks the presented fingerprint", err)
		}
	})
	t.Run("revoked", func(t *testing.T) {
		cfg := srv.config()
		cfg.HostKey = ""
		cfg.KnownHostsFile = writeKnownHosts(t,
			"@revoked * "+strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))),
			knownhosts.Line([]string{srv.addr}, pub))
		_, err := Open(context.Background(), cfg)
		var he *HostKeyError
		if !errors.As(err, &he) || he.Reason != ReasonRevoked {
			t.Fatalf("err = %v, want revoked HostKeyError", err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		cfg := srv.config()
		cfg.HostKey = ""
		cfg.KnownHostsFile = filepath.Join(t.TempDir(), "nope")
		if _, err := Open(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "known_hosts") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestDefaultKnownHosts(t *testing.T) {
	srv := startServer(t, serverOpts{})
	pub := srv.hostKey.PublicKey()
	home := t.TempDir()
	t.Setenv("HOME", home)
	cfg := srv.config()
	cfg.HostKey = ""

	_, err := Open(context.Background(), cfg)
	var he *HostKeyError
	if !errors.As(err, &he) || he.Reason != ReasonUnknownHost {
		t.Fatalf("err = %v, want unknown-host HostKeyError", err)
	}
	for _, want := range []string{ssh.FingerprintSHA256(pub), ssh.KeyAlgoED25519, "known_hosts_file", "host_key", "insecure_skip_host_key_check"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}

	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".ssh", "known_hosts"), []byte(knownhosts.Line([]string{srv.addr}, pub)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := openT(t, cfg)
	sendT(t, s, "echo x")
}

func TestConnectTimeoutSilentServer(t *testing.T) {
	srv := startServer(t, serverOpts{silent: true})
	cfg := srv.config()
	cfg.ConnectTimeout = 400 * time.Millisecond
	start := time.Now()
	_, err := Open(context.Background(), cfg)
	elapsed := time.Since(start)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a connect timeout", err)
	}
	if elapsed > cfg.ConnectTimeout+1500*time.Millisecond {
		t.Errorf("Open took %s with ConnectTimeout %s", elapsed, cfg.ConnectTimeout)
	}
	if !strings.Contains(err.Error(), srv.addr) {
		t.Errorf("error %q does not name %s", err, srv.addr)
	}
}

func TestOpenContextCancelled(t *testing.T) {
	srv := startServer(t, serverOpts{silent: true})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := Open(ctx, srv.config())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Open took %s after cancel", d)
	}
}

func TestCommandTimeout(t *testing.T) {
	srv := startServer(t, serverOpts{})
	cfg := srv.config()
	cfg.CommandTimeout = 300 * time.Millisecond
	s := openT(t, cfg)
	start := time.Now()
	_, err := s.Send(context.Background(), "hang now")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a command timeout", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Send took %s", d)
	}
	// The error names the device and the command and says how much came back, never what.
	for _, want := range []string{srv.addr, "hang now", "received 12 bytes in 2 lines", "no line looked like a prompt"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "working") {
		t.Errorf("error %q quotes the device's output", err)
	}
	if s.Alive() {
		t.Error("session still alive after a command timeout")
	}
	if _, err := s.Send(context.Background(), "echo x"); !errors.Is(err, ErrClosed) {
		t.Errorf("Send after timeout: err = %v, want ErrClosed", err)
	}
}

func TestContextCancelDuringSend(t *testing.T) {
	srv := startServer(t, serverOpts{})
	s := openT(t, srv.config())
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(150*time.Millisecond, cancel)
	start := time.Now()
	_, err := s.Send(ctx, "hang")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Send took %s after cancel", d)
	}
	if s.Alive() {
		t.Error("session alive after an aborted command")
	}
}

func TestRedactor(t *testing.T) {
	srv := startServer(t, serverOpts{})
	cfg := srv.config()
	cfg.CommandTimeout = 200 * time.Millisecond
	s := openT(t, cfg)
	s.SetRedactor(func(v string) string { return strings.ReplaceAll(v, "TopSecret", "***") })
	_, err := s.Send(context.Background(), "hang psk TopSecret")
	if err == nil {
		t.Fatal("want an error")
	}
	if strings.Contains(err.Error(), "TopSecret") || !strings.Contains(err.Error(), "hang psk ***") {
		t.Errorf("error %q is not redacted", err)
	}
}

func TestLongCommandNotWrapped(t *testing.T) {
	srv := startServer(t, serverOpts{})
	s := openT(t, srv.config())
	text := strings.Repeat("abcdefghij", 25) + "-end"
	cmd := "echo " + text
	if len(cmd) <= 200 {
		t.Fatal("command too short")
	}
	if got := sendT(t, s, cmd); got != text {
		t.Errorf("long echo = %q, want %q", got, text)
	}
	_, widths, _ := srv.recorded()
	if len(widths) != 1 || widths[0] != DefaultTermWidth {
		t.Errorf("pty widths = %v, want [%d]", widths, DefaultTermWidth)
	}
}

func TestOnOpenAndMultiLine(t *testing.T) {
	srv := startServer(t, serverOpts{})
	cfg := srv.config()
	cfg.OnOpen = []string{"terminal length 0"}
	s := openT(t, cfg)
	cmds, _, _ := srv.recorded()
	found := false
	for _, c := range cmds {
		found = found || c == "terminal length 0"
	}
	if !found {
		t.Errorf("on-open command not sent; server saw %q", cmds)
	}
	if _, err := s.Send(context.Background(), "a\nb"); err == nil {
		t.Error("multi-line command accepted")
	}
}

func TestJumpHost(t *testing.T) {
	jump := startServer(t, serverOpts{forward: true})
	target := startServer(t, serverOpts{})
	cfg := target.config()
	jcfg := jump.config()
	cfg.Jump = &jcfg
	s := openT(t, cfg)
	if got := sendT(t, s, "show lines"); got != "line 1\nline 2\nline 3" {
		t.Errorf("show lines = %q", got)
	}
	if _, _, fw := jump.recorded(); len(fw) != 1 || fw[0] != target.addr {
		t.Errorf("jump forwards = %v, want [%s]", fw, target.addr)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}

	t.Run("jump host key mismatch", func(t *testing.T) {
		j := jump.config()
		j.HostKey = string(ssh.MarshalAuthorizedKey(newEd25519Signer(t).PublicKey()))
		c := target.config()
		c.Jump = &j
		_, err := Open(context.Background(), c)
		var he *HostKeyError
		if !errors.As(err, &he) || he.Host != jump.addr || !strings.Contains(err.Error(), "jump host") {
			t.Fatalf("err = %v, want a HostKeyError for the jump host", err)
		}
	})
	t.Run("target host key checked through jump", func(t *testing.T) {
		j := jump.config()
		c := target.config()
		c.HostKey = ssh.FingerprintSHA256(jump.hostKey.PublicKey())
		c.Jump = &j
		_, err := Open(context.Background(), c)
		var he *HostKeyError
		if !errors.As(err, &he) || he.Host != target.addr {
			t.Fatalf("err = %v, want a HostKeyError for the target", err)
		}
	})
	t.Run("forwarding refused", func(t *testing.T) {
		noFwd := startServer(t, serverOpts{})
		j := noFwd.config()
		c := target.config()
		c.Jump = &j
		if _, err := Open(context.Background(), c); err == nil || !strings.Contains(err.Error(), "through jump host") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestLegacyAlgorithms(t *testing.T) {
	srv := startServer(t, serverOpts{legacy: true})
	cfg := srv.config()
	_, err := Open(context.Background(), cfg)
	var ane *ssh.AlgorithmNegotiationError
	if !errors.As(err, &ane) || !strings.Contains(err.Error(), "no common algorithm") || !strings.Contains(err.Error(), "legacy_algorithms") {
		t.Fatalf("err = %v, want a no-common-algorithm error with a hint", err)
	}
	cfg.LegacyAlgorithms = true
	s := openT(t, cfg)
	if got := sendT(t, s, "echo legacy"); got != "legacy" {
		t.Errorf("echo legacy = %q", got)
	}

	// Explicit lists work too.
	cfg.LegacyAlgorithms = false
	cfg.KeyExchanges = []string{ssh.InsecureKeyExchangeDH1SHA1}
	cfg.Ciphers = []string{ssh.InsecureCipherAES128CBC}
	openT(t, cfg)
}

func TestCloseIdempotentAndConcurrent(t *testing.T) {
	srv := startServer(t, serverOpts{})
	s := openT(t, srv.config())
	sendT(t, s, "echo x")

	done := make(chan error, 1)
	go func() {
		_, err := s.Send(context.Background(), "hang")
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = s.Close()
		}()
	}
	wg.Wait()
	select {
	case err := <-done:
		if !errors.Is(err, ErrClosed) {
			t.Errorf("Send during Close: err = %v, want ErrClosed", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Send did not return after Close")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if s.Alive() {
		t.Error("Alive() after Close")
	}
}

func TestServerExit(t *testing.T) {
	srv := startServer(t, serverOpts{})
	s := openT(t, srv.config())
	_, err := s.Send(context.Background(), "exit")
	if err == nil {
		t.Fatal("want an error when the device closes the session")
	}
	if s.Alive() {
		t.Error("Alive() after the device closed the session")
	}
}

func TestValidation(t *testing.T) {
	for _, cfg := range []Config{
		{},
		{Host: "127.0.0.1", Username: "x"}, // no auth
		{Host: "127.0.0.1", Password: "x"}, // no user
		{Host: "127.0.0.1", Port: 70000, Username: "x", Password: "x"},         // port
		{Host: "127.0.0.1", Username: "x", Password: "x", PromptPattern: "(["}, // regexp
	} {
		if _, err := Open(context.Background(), cfg); err == nil {
			t.Errorf("Open(%+v) succeeded", cfg)
		}
	}
}

func TestNoPromptWithinConnectTimeout(t *testing.T) {
	srv := startServer(t, serverOpts{})
	cfg := srv.config()
	cfg.PromptPattern = `^router#$`
	cfg.ConnectTimeout = 300 * time.Millisecond
	start := time.Now()
	_, err := Open(context.Background(), cfg)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a connect timeout", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Open took %s", d)
	}
	// The message describes what the device printed before any prompt (a banner is device
	// configuration, so it is not quoted): its size and how the last line ends.
	for _, want := range []string{"first prompt", "router#", "bytes in 2 lines", "12 characters long", `ends with "$"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "user@host") {
		t.Errorf("error %q quotes the device's output", err)
	}
}

func TestSendWithDoneContextKeepsSession(t *testing.T) {
	srv := startServer(t, serverOpts{})
	s := openT(t, srv.config())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Send(ctx, "echo x"); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !s.Alive() {
		t.Fatal("session closed although nothing was sent")
	}
	if got := sendT(t, s, "echo y"); got != "y" {
		t.Errorf("echo y = %q", got)
	}
}

func TestSendExpectHiddenPassword(t *testing.T) {
	srv := startServer(t, serverOpts{})
	s := openT(t, srv.config())
	out, err := s.SendExpect(context.Background(), "administrator", `^Password: ?$`, false)
	if err != nil {
		t.Fatal(err)
	}
	if out != "" || s.Prompt() != "Password: " {
		t.Errorf("out = %q, prompt = %q", out, s.Prompt())
	}
	out, err = s.SendExpect(context.Background(), testPassword, "", true)
	if err != nil {
		t.Fatal(err)
	}
	if out != "granted" || s.Prompt() != testPrompt {
		t.Errorf("out = %q, prompt = %q", out, s.Prompt())
	}
	if _, err := s.SendExpect(context.Background(), "x", "([", false); err == nil {
		t.Error("bad expect pattern accepted")
	}

	// A hidden command never appears in errors.
	cfg := srv.config()
	cfg.CommandTimeout = 200 * time.Millisecond
	s2 := openT(t, cfg)
	_, err = s2.SendExpect(context.Background(), "hang "+testPassword, "", true)
	if err == nil || strings.Contains(err.Error(), testPassword) || !strings.Contains(err.Error(), "<hidden>") {
		t.Errorf("err = %v", err)
	}
}

func TestFirstPromptNeedsReturn(t *testing.T) {
	for _, opts := range []serverOpts{{quietStart: true}, {startDelay: 700 * time.Millisecond}} {
		srv := startServer(t, opts)
		cfg := srv.config()
		cfg.ConnectTimeout = 2 * time.Second // 500ms grace before a return is sent
		s := openT(t, cfg)
		if s.Prompt() != testPrompt {
			t.Errorf("%+v: Prompt() = %q", opts, s.Prompt())
		}
		// No stale prompt may be left: a command that is not echoed must still get its output.
		if _, err := s.SendExpect(context.Background(), "administrator", `^Password: ?$`, false); err != nil {
			t.Fatal(err)
		}
		if out, err := s.SendExpect(context.Background(), testPassword, "", true); err != nil || out != "granted" {
			t.Errorf("%+v: password: out = %q, err = %v", opts, out, err)
		}
		if got := sendT(t, s, "show lines"); got != "line 1\nline 2\nline 3" {
			t.Errorf("%+v: show lines = %q", opts, got)
		}
	}
}
