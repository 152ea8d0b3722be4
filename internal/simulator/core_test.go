package simulator

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

const coreUser, corePass = "admin", "pw"

func startCore(t *testing.T, opts Options) *Server {
	t.Helper()
	opts.Platform = "coretest"
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

func dialCore(t *testing.T, srv *Server) *ssh.Client {
	t.Helper()
	c, err := ssh.Dial("tcp", srv.Addr(), &ssh.ClientConfig{
		User: coreUser, Auth: []ssh.AuthMethod{ssh.Password(corePass)},
		HostKeyCallback: ssh.FixedHostKey(srv.HostKey()), Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// term is an interactive pty session read as a terminal would.
type term struct {
	t    *testing.T
	in   io.Writer
	mu   sync.Mutex
	buf  bytes.Buffer
	eof  bool
	wake chan struct{}
}

func openTerm(t *testing.T, c *ssh.Client) *term {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	if err := sess.RequestPty("xterm", 24, 200, ssh.TerminalModes{ssh.ECHO: 1}); err != nil {
		t.Fatal(err)
	}
	in, _ := sess.StdinPipe()
	out, _ := sess.StdoutPipe()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	tm := &term{t: t, in: in, wake: make(chan struct{}, 1)}
	go func() {
		b := make([]byte, 1024)
		for {
			n, err := out.Read(b)
			tm.mu.Lock()
			tm.buf.Write(b[:n])
			tm.eof = err != nil
			tm.mu.Unlock()
			select {
			case tm.wake <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	return tm
}

// until returns (and consumes) the output up to the end of the first match of re.
func (tm *term) until(re string) string {
	tm.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.After(5 * time.Second)
	for {
		tm.mu.Lock()
		s := tm.buf.String()
		if loc := rx.FindStringIndex(s); loc != nil {
			tm.buf.Next(loc[1])
			tm.mu.Unlock()
			return s[:loc[1]]
		}
		eof := tm.eof
		tm.mu.Unlock()
		if eof {
			tm.t.Fatalf("EOF waiting for %q; got %q", re, s)
		}
		select {
		case <-tm.wake:
		case <-deadline:
			tm.t.Fatalf("timeout waiting for %q; got %q", re, s)
		}
	}
}

func (tm *term) send(s string) {
	tm.t.Helper()
	if _, err := io.WriteString(tm.in, s); err != nil {
		tm.t.Fatal(err)
	}
}

func (tm *term) waitEOF() {
	tm.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		tm.mu.Lock()
		eof := tm.eof
		tm.mu.Unlock()
		if eof {
			return
		}
		select {
		case <-tm.wake:
		case <-deadline:
			tm.t.Fatal("timeout waiting for EOF")
		}
	}
}

const corePrompt = `box[>#] $`

// A question with a hidden answer: the prompt is printed, the typed password is not echoed
// (a line end is), the engine gets it intact, and the command log never holds it.
func TestHiddenAnswer(t *testing.T) {
	srv := startCore(t, Options{})
	tm := openTerm(t, dialCore(t, srv))
	if got := tm.until(corePrompt); got != "core test device\r\nbox> " {
		t.Fatalf("login: %q", got)
	}
	tm.send("enable\r")
	if got := tm.until(`Password: $`); got != "enable\r\nPassword: " {
		t.Fatalf("question: %q", got)
	}
	// Ctrl-C abandons the typed text and asks again.
	tm.send("wrong\x03")
	if got := tm.until(`Password: $`); got != "^C\r\nPassword: " {
		t.Fatalf("Ctrl-C at the question: %q", got)
	}
	tm.send("s3c")
	tm.send("ret\r")
	if got := tm.until(corePrompt); got != "\r\nbox# " {
		t.Fatalf("after the hidden answer: %q (the password must not be echoed)", got)
	}
	e := srv.Engine().(*testEngine)
	e.mu.Lock()
	pw := e.lastPassword
	e.mu.Unlock()
	if pw != "s3cret" {
		t.Fatalf("engine got %q", pw)
	}
	// A visible question: the answer is echoed and logged.
	tm.send("set a\rsave\r")
	tm.until(`\(Y/N\) $`)
	tm.send("Y\r")
	if got := tm.until(corePrompt); got != "Y\r\nsaved\r\nbox# " {
		t.Fatalf("visible answer: %q", got)
	}
	if srv.SavedConfig() != "a" {
		t.Fatalf("saved %q", srv.SavedConfig())
	}
	log := strings.Join(srv.CommandLog(), "|")
	if log != "enable|set a|save|Y" {
		t.Fatalf("command log %q", log)
	}
	// A FailCommand rule never matches an answer.
	srv.FailCommand("s3cret", "Error: injected")
	tm.send("enable\rs3cret\recho hi\r")
	if got := tm.until(`hi\r\nbox# $`); strings.Contains(got, "injected") {
		t.Fatalf("a rule matched a hidden answer: %q", got)
	}
}

// On an exec channel the line after the question answers it.
func TestExecAnswersQuestion(t *testing.T) {
	srv := startCore(t, Options{})
	sess, err := dialCore(t, srv).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("enable\ns3cret\nset b\nsave\ny\necho done")
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "saved\r\ndone\r\n" {
		t.Fatalf("exec output %q", out)
	}
	if srv.SavedConfig() != "b" || strings.Contains(strings.Join(srv.CommandLog(), "|"), "s3cret") {
		t.Fatalf("saved %q, log %q", srv.SavedConfig(), srv.CommandLog())
	}
}

// FailCommand holds until removed; FailCommandOnce fires once; FailNextCommit fails one
// commit.
func TestFailRules(t *testing.T) {
	srv := startCore(t, Options{})
	tm := openTerm(t, dialCore(t, srv))
	tm.until(corePrompt)
	cmd := func(line string) string {
		t.Helper()
		tm.send(line + "\r")
		got := strings.TrimPrefix(tm.until(corePrompt), line+"\r\n")
		return strings.TrimSuffix(strings.TrimSuffix(got, "box> "), "box# ")
	}
	srv.FailCommand("echo x", "Error: always")
	srv.FailCommandOnce("echo y", "Error: once")
	for i := range 2 {
		if got := cmd("echo x"); got != "Error: always\r\n" {
			t.Fatalf("always rule, run %d: %q", i, got)
		}
	}
	if got := cmd("echo y"); got != "Error: once\r\n" {
		t.Fatalf("once rule: %q", got)
	}
	if got := cmd("echo y"); got != "y\r\n" {
		t.Fatalf("once rule fired twice: %q", got)
	}
	srv.FailCommand("echo x", "")
	if got := cmd("echo x"); got != "x\r\n" {
		t.Fatalf("rule not removed: %q", got)
	}
	srv.FailCommandOnce("echo z", "Error: once")
	srv.ClearFaults()
	if got := cmd("echo z"); got != "z\r\n" {
		t.Fatalf("ClearFaults left a once rule: %q", got)
	}
	srv.FailNextCommit("Error: commit refused")
	if got := cmd("commit"); got != "Error: commit refused\r\n" {
		t.Fatalf("commit: %q", got)
	}
	if got := cmd("commit"); got != "ok\r\n" {
		t.Fatalf("second commit: %q", got)
	}
}

// HoldLock is seen by an engine that models a configuration lock, names the holder, and ends
// with ReleaseLock or ClearFaults.
func TestHoldLock(t *testing.T) {
	srv := startCore(t, Options{})
	s := srv.Engine().NewSession(SessionInfo{User: coreUser})
	run := func(line string) string { out, _ := s.Exec(line); return out }
	if got := run("lock"); got != "" {
		t.Fatalf("lock: %q", got)
	}
	srv.HoldLock("netops")
	if got := run("lock"); got != "Error: configuration locked by user netops\n" {
		t.Fatalf("held lock: %q", got)
	}
	if u, ok := srv.controls.LockHolder(); !ok || u != "netops" {
		t.Fatalf("LockHolder %q %v", u, ok)
	}
	srv.ReleaseLock()
	if got := run("lock"); got != "" {
		t.Fatalf("after ReleaseLock: %q", got)
	}
	srv.HoldLock("netops")
	srv.ClearFaults()
	if _, ok := srv.controls.LockHolder(); ok {
		t.Fatal("ClearFaults kept the lock")
	}
}

// DropAfter closes the connection after the n-th line, answers included (an empty one too).
func TestDropAfterCountsAnswers(t *testing.T) {
	srv := startCore(t, Options{})
	tm := openTerm(t, dialCore(t, srv))
	tm.until(corePrompt)
	srv.DropAfter(2)
	tm.send("enable\r")
	tm.until(`Password: $`)
	tm.send("\r")
	tm.waitEOF()
}

// Main's flags select a registered engine and refuse an unknown one with the known list.
func TestRunFlags(t *testing.T) {
	var stderr bytes.Buffer
	if code := Run(context.Background(), []string{"--platform", "nosuch"}, io.Discard, &stderr, nil); code != 1 {
		t.Fatalf("unknown platform: exit %d", code)
	}
	if !strings.Contains(stderr.String(), `unknown platform "nosuch"`) || !strings.Contains(stderr.String(), "coretest") {
		t.Fatalf("stderr %q", stderr.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan *Server, 1)
	done := make(chan int, 1)
	var stdout bytes.Buffer
	go func() {
		done <- Run(ctx, []string{"--platform", "coretest", "--listen", "127.0.0.1:0", "--username", coreUser, "--password", corePass, "--hostname", "lab"}, &stdout, io.Discard, started)
	}()
	srv := <-started
	tm := openTerm(t, dialCore(t, srv))
	tm.until(corePrompt)
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(stdout.String(), "listening on 127.0.0.1:") {
		t.Fatalf("stdout %q", stdout.String())
	}
}

// DropAt drops once, before or after the line runs; PartitionAt drops and then refuses every
// connection until Heal.
func TestDropAtAndPartition(t *testing.T) {
	srv := startCore(t, Options{})
	session := func() *term {
		tm := openTerm(t, dialCore(t, srv))
		tm.until(corePrompt)
		tm.send("enable\r")
		tm.until(`Password: $`)
		tm.send("s3cret\r")
		tm.until(corePrompt)
		return tm
	}
	tm := session()
	srv.DropAt(" set a ", false) // never runs
	tm.send("set a\r")
	tm.waitEOF()
	tm = session()
	srv.DropAt("set b", true) // runs, its output is lost
	tm.send("set b\r")
	tm.waitEOF()
	if got := srv.RunningConfig(); got != "b" {
		t.Fatalf("config after DropAt = %q, want only b", got)
	}
	tm = session() // reachable again, and the drop fired once
	tm.send("set b2\r")
	tm.until(corePrompt)
	srv.PartitionAt("set c", false)
	tm.send("set c\r")
	tm.waitEOF()
	if !srv.Partitioned() || strings.Contains(srv.RunningConfig(), "c") {
		t.Fatalf("partitioned %v, config %q", srv.Partitioned(), srv.RunningConfig())
	}
	if _, err := ssh.Dial("tcp", srv.Addr(), &ssh.ClientConfig{
		User: coreUser, Auth: []ssh.AuthMethod{ssh.Password(corePass)},
		HostKeyCallback: ssh.FixedHostKey(srv.HostKey()), Timeout: 5 * time.Second,
	}); err == nil {
		t.Fatal("a partitioned device accepted a connection")
	}
	srv.Heal()
	session().send("set d\r")
	if srv.Partitioned() {
		t.Fatal("Heal left the partition")
	}
}
