package screenos

import (
	"bytes"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

const testUser, testPass = "netscreen", "netscreen"

// local is an engine driven in-process, one session typing lines.
type local struct {
	t   *testing.T
	eng simulator.Engine
	s   simulator.CLISession
}

func newLocal(t *testing.T, model, initial string) *local {
	t.Helper()
	srv, err := simulator.New(simulator.Options{Platform: "screenos", Username: testUser, Password: testPass, InitialConfig: initial})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	eng := srv.Engine()
	if model != "" && !SetModel(eng, model) {
		t.Fatalf("SetModel(%q)", model)
	}
	return &local{t: t, eng: eng, s: eng.NewSession(simulator.SessionInfo{User: "netscreen"})}
}

// run types a line and returns its output.
func (l *local) run(line string) string {
	out, _ := l.s.Exec(line)
	return out
}

// ok types lines that must succeed (print nothing).
func (l *local) ok(lines ...string) {
	l.t.Helper()
	for _, line := range lines {
		if out := l.run(line); out != "" {
			l.t.Fatalf("%s -> %q (prompt %q)", line, out, l.s.Prompt())
		}
	}
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func mustContain(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
}

// --- SSH helpers ---

// legacyConfig is a client offering the algorithms a ScreenOS box speaks.
func legacyConfig(srv *simulator.Server) *ssh.ClientConfig {
	return &ssh.ClientConfig{
		User:              testUser,
		Auth:              []ssh.AuthMethod{ssh.Password(testPass)},
		HostKeyCallback:   ssh.FixedHostKey(srv.HostKey()),
		HostKeyAlgorithms: []string{ssh.InsecureKeyAlgoDSA},
		Config: ssh.Config{
			KeyExchanges: []string{ssh.InsecureKeyExchangeDH1SHA1},
			Ciphers:      []string{ssh.InsecureCipherAES128CBC, ssh.InsecureCipherTripleDESCBC},
			MACs:         []string{ssh.HMACSHA1},
		},
		Timeout: 5 * time.Second,
	}
}

func newServer(t *testing.T, model string, opts simulator.Options) *simulator.Server {
	t.Helper()
	opts.Platform = "screenos"
	if opts.Username == "" {
		opts.Username, opts.Password = testUser, testPass
	}
	srv, err := simulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if model != "" && !SetModel(srv.Engine(), model) {
		t.Fatalf("SetModel(%q)", model)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func dial(t *testing.T, srv *simulator.Server) *ssh.Client {
	t.Helper()
	c, err := ssh.Dial("tcp", srv.Addr(), legacyConfig(srv))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// shell is an interactive session read until the prompt, as a push tool reads it.
type shell struct {
	t    *testing.T
	sess *ssh.Session
	in   io.WriteCloser

	mu     sync.Mutex
	buf    bytes.Buffer
	eof    bool
	notify chan struct{}
}

var (
	promptRe = regexp.MustCompile(`(?:^|\n)[^\n]*-> \z`)
	saveRe   = regexp.MustCompile(`Configuration modified, save\? \[y\]/n \z`)
	moreRe   = regexp.MustCompile(`--- more --- \z`)
)

func openShell(t *testing.T, c *ssh.Client) *shell {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	if err := sess.RequestPty("vt100", 24, 200, ssh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	in, _ := sess.StdinPipe()
	out, _ := sess.StdoutPipe()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	sh := &shell{t: t, sess: sess, in: in, notify: make(chan struct{}, 1)}
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := out.Read(b)
			sh.mu.Lock()
			sh.buf.Write(b[:n])
			if err != nil {
				sh.eof = true
			}
			sh.mu.Unlock()
			select {
			case sh.notify <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	return sh
}

// waitFor waits until the output since from matches re; it returns that output with "\r\n"
// turned into "\n".
func (sh *shell) waitFor(from int, re *regexp.Regexp) string {
	sh.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		sh.mu.Lock()
		text := strings.ReplaceAll(sh.buf.String()[from:], "\r\n", "\n")
		eof := sh.eof
		sh.mu.Unlock()
		if re.MatchString(text) {
			return text
		}
		if eof {
			sh.t.Fatalf("session ended; output %q", text)
		}
		select {
		case <-sh.notify:
		case <-deadline:
			sh.t.Fatalf("timeout waiting for %v; output %q", re, text)
		}
	}
}

func (sh *shell) mark() int {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.buf.Len()
}

func (sh *shell) send(s string) {
	if _, err := io.WriteString(sh.in, s); err != nil {
		sh.t.Fatal(err)
	}
}

// login returns the first prompt.
func (sh *shell) login() string { return sh.waitFor(0, promptRe) }

// cmd types a line and returns its output without the echo and the next prompt; the prompt
// is returned apart.
func (sh *shell) cmdPrompt(line string) (string, string) {
	sh.t.Helper()
	m := sh.mark()
	sh.send(line + "\n")
	text := sh.waitFor(m, promptRe)
	echo, rest, _ := strings.Cut(text, "\n")
	if echo != line {
		sh.t.Fatalf("echo %q, want %q", echo, line)
	}
	i := strings.LastIndex(rest, "\n")
	return rest[:i+1], rest[i+1:]
}

func (sh *shell) cmd(line string) string {
	sh.t.Helper()
	out, _ := sh.cmdPrompt(line)
	return out
}

func (sh *shell) waitEOF() {
	sh.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		sh.mu.Lock()
		eof := sh.eof
		sh.mu.Unlock()
		if eof {
			return
		}
		select {
		case <-sh.notify:
		case <-deadline:
			sh.t.Fatal("session did not end")
		}
	}
}
