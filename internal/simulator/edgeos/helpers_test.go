package edgeos

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

const testUser, testPass = "admin", "secret"

func newServer(t *testing.T, opts simulator.Options) *simulator.Server {
	t.Helper()
	if opts.Username == "" {
		opts.Username, opts.Password = testUser, testPass
	}
	srv, err := simulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func clientConfig(srv *simulator.Server, auth ...ssh.AuthMethod) *ssh.ClientConfig {
	if len(auth) == 0 {
		auth = []ssh.AuthMethod{ssh.Password(testPass)}
	}
	return &ssh.ClientConfig{
		User:            testUser,
		Auth:            auth,
		HostKeyCallback: ssh.FixedHostKey(srv.HostKey()),
		Timeout:         5 * time.Second,
	}
}

func dial(t *testing.T, srv *simulator.Server, auth ...ssh.AuthMethod) *ssh.Client {
	t.Helper()
	c, err := ssh.Dial("tcp", srv.Addr(), clientConfig(srv, auth...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// shell is an interactive session read until the prompt, as a push tool would.
type shell struct {
	t    *testing.T
	sess *ssh.Session
	in   io.WriteCloser

	mu     sync.Mutex
	buf    bytes.Buffer
	eof    bool
	notify chan struct{}
}

var promptRe = regexp.MustCompile(`(?:^|\n)[^\n]*@[^\n]*(?::~\$|#) \z`)

func openShell(t *testing.T, c *ssh.Client) *shell {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 24, 200, ssh.TerminalModes{ssh.ECHO: 1}); err != nil {
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
	t.Cleanup(func() { sess.Close() })
	return sh
}

// readUntil waits until the buffered output matches re and returns (and consumes) it.
func (sh *shell) readUntil(re *regexp.Regexp) string {
	sh.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		sh.mu.Lock()
		s := sh.buf.String()
		if loc := re.FindStringIndex(s); loc != nil {
			sh.buf.Next(loc[1])
			sh.mu.Unlock()
			return s[:loc[1]]
		}
		eof := sh.eof
		sh.mu.Unlock()
		if eof {
			sh.t.Fatalf("EOF while waiting for %v; got %q", re, s)
		}
		select {
		case <-sh.notify:
		case <-deadline:
			sh.t.Fatalf("timeout waiting for %v; got %q", re, s)
		}
	}
}

// waitEOF waits for the server to close the session and returns the remaining output.
func (sh *shell) waitEOF() string {
	sh.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		sh.mu.Lock()
		if sh.eof {
			s := sh.buf.String()
			sh.mu.Unlock()
			return s
		}
		sh.mu.Unlock()
		select {
		case <-sh.notify:
		case <-deadline:
			sh.t.Fatal("timeout waiting for EOF")
		}
	}
}

func (sh *shell) send(s string) {
	sh.t.Helper()
	if _, err := sh.in.Write([]byte(s)); err != nil {
		sh.t.Fatal(err)
	}
}

// login reads the banner and the first prompt.
func (sh *shell) login() string { return norm(sh.readUntil(promptRe)) }

// cmd sends one line and returns its output without the echo and the final prompt line
// (the [edit] line of configuration mode stays).
func (sh *shell) cmd(line string) string {
	sh.t.Helper()
	sh.send(line + "\n")
	out := norm(sh.readUntil(promptRe))
	echo, rest, _ := strings.Cut(out, "\n")
	if echo != line {
		sh.t.Fatalf("echo %q, want %q", echo, line)
	}
	if i := strings.LastIndex(rest, "\n"); i >= 0 {
		return rest[:i+1]
	}
	return ""
}

func norm(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func mustContain(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("output does not contain %q:\n%s", w, got)
		}
	}
}

func mustNotContain(t *testing.T, got string, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(got, w) {
			t.Errorf("output contains %q:\n%s", w, got)
		}
	}
}

// cli is a session driven in-process (no SSH), for table tests of the engine.
func cli(t *testing.T, srv *simulator.Server) simulator.CLISession {
	return srv.Engine().NewSession(simulator.SessionInfo{User: testUser})
}

func run1(s simulator.CLISession, line string) string {
	out, _ := s.Exec(line)
	return out
}
