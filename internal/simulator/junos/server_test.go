package junos

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

func startServer(t *testing.T, initial string) *simulator.Server {
	t.Helper()
	srv := newServer(t, initial)
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	return srv
}

func dial(t *testing.T, srv *simulator.Server) *ssh.Client {
	t.Helper()
	c, err := ssh.Dial("tcp", srv.Addr(), &ssh.ClientConfig{User: "admin", Auth: []ssh.AuthMethod{ssh.Password("pw")},
		HostKeyCallback: ssh.FixedHostKey(srv.HostKey()), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// syncBuf collects a shell's output.
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
	if err := sess.RequestPty("vt100", 40, 200, ssh.TerminalModes{}); err != nil {
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
	return &shell{t: t, sess: sess, in: in, out: out}
}

// until waits for text to appear after what was already consumed and returns the output up
// to and including it.
func (sh *shell) until(text string) string {
	sh.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		all := strings.ReplaceAll(sh.out.String(), "\r\n", "\n")
		if i := strings.Index(all[sh.seen:], text); i >= 0 {
			got := all[sh.seen : sh.seen+i+len(text)]
			sh.seen += i + len(text)
			return got
		}
		time.Sleep(5 * time.Millisecond)
	}
	sh.t.Fatalf("timed out waiting for %q; got:\n%s", text, sh.out.String()[min(sh.seen, len(sh.out.String())):])
	return ""
}

func (sh *shell) send(s string) {
	if _, err := sh.in.Write([]byte(s)); err != nil {
		sh.t.Fatal(err)
	}
}

// Over SSH: the banner and prompts, load set terminal ended by Ctrl-D, commit, the
// configuration read back through an exec channel, and the lock released when a session
// holding `configure exclusive` disconnects.
func TestSSHShellLoadTerminalAndExec(t *testing.T) {
	srv := startServer(t, "set system host-name srx\nset system domain-name example.net\nset system time-zone UTC\nset system location building-1")
	c := dial(t, srv)
	if v := string(c.ServerVersion()); v != "SSH-2.0-OpenSSH_6.1" {
		t.Fatalf("server version %q", v)
	}
	sh := openShell(t, c)
	sh.until("--- JUNOS 12.1X46-D40.2 built 2015-09-25 23:43:32 UTC\nadmin@srx> ")
	// paging: a page of screen-length - 1 lines, then ---(more)---; q ends it
	sh.send("set cli screen-length 4\n")
	sh.until("Screen length set to 4\nadmin@srx> ")
	sh.send("show configuration\n")
	page := sh.until("---(more)---")
	if strings.Count(page, "\n") != 4 { // the echoed command line and three lines of output
		t.Fatalf("page %q", page)
	}
	sh.send("q")
	sh.until("admin@srx> ")
	sh.send("show configuration | no-more\n")
	if out := sh.until("admin@srx> "); strings.Contains(out, "---(more)---") {
		t.Fatalf("| no-more paged: %q", out)
	}
	sh.send("set cli screen-length 0\n")
	sh.until("Screen length set to 0\nadmin@srx> ")
	sh.send("configure exclusive\n")
	sh.until("Entering configuration mode\n\n[edit]\nadmin@srx# ")
	sh.send("load set terminal\n")
	sh.until("[Type ^D at a new line to end input]\n")
	sh.send("set security ike proposal P dh-group group14\nset security ike proposal P lifetime-seconds 3600\n\x04")
	sh.until("load complete\n\n[edit]\nadmin@srx# ")
	sh.send("commit\n")
	sh.until("commit complete\n\n[edit]\nadmin@srx# ")

	// another connection cannot lock while this one holds the exclusive lock
	other := openShell(t, dial(t, srv))
	other.until("admin@srx> ")
	other.send("configure exclusive\n")
	other.until("error: configuration database locked by:\n  admin terminal ")
	other.until("admin@srx> ")
	// the holder disconnects: the lock is released
	c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		other.send("configure exclusive\n")
		out := other.until("admin@srx")
		if strings.Contains(out, "Entering configuration mode") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("lock not released on disconnect")
		}
		other.until("> ")
		time.Sleep(20 * time.Millisecond)
	}

	ex, err := dial(t, srv).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := ex.Output("show configuration security | display set")
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "set security ike proposal P dh-group group14\r\nset security ike proposal P lifetime-seconds 3600\r\n" &&
		string(out) != "set security ike proposal P dh-group group14\nset security ike proposal P lifetime-seconds 3600\n" {
		t.Fatalf("exec output %q", out)
	}
	if s := srv.Stats(); s.Commits != 1 {
		t.Fatalf("stats %+v", s)
	}
}

// Exec channels: load set terminal reads the following lines up to a line holding ^D.
func TestExecLoadTerminal(t *testing.T) {
	srv := startServer(t, "")
	ex, err := dial(t, srv).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := ex.CombinedOutput("configure private\nload set terminal\nset routing-options autonomous-system 65010\nset security ike gatway X\n\x04\ncommit\nexit")
	if err == nil {
		t.Fatal("a load with errors must fail the exec channel")
	}
	got := strings.ReplaceAll(string(out), "\r\n", "\n")
	if !strings.Contains(got, "terminal:2:(18) syntax error: gatway\nload complete (1 errors)\ncommit complete\nExiting configuration mode\n") {
		t.Fatalf("exec output %q", got)
	}
	if srv.RunningConfig() != "set routing-options autonomous-system 65010\n" {
		t.Fatalf("running %q", srv.RunningConfig())
	}
}

// FailNextCommit and the commit delay.
func TestInjectedCommitFailure(t *testing.T) {
	srv := newServer(t, "")
	tm := open(t, srv, "admin")
	tm.do("configure")
	tm.ok("set routing-options autonomous-system 65010")
	srv.FailNextCommit("error: could not open configuration database")
	tm.want("commit", "error: could not open configuration database\nerror: configuration check-out failed\n")
	if srv.RunningConfig() != "" {
		t.Fatal("a failed commit changed the configuration")
	}
	srv.SetCommitDelay(50 * time.Millisecond)
	start := time.Now()
	tm.want("commit", "commit complete\n")
	if time.Since(start) < 50*time.Millisecond {
		t.Fatal("commit delay not applied")
	}
}

// On an exec channel the line after `exit` answers the uncommitted-changes question; the
// shared candidate keeps the changes, and a commit from another session commits them.
func TestExecExitQuestion(t *testing.T) {
	srv := startServer(t, "")
	ex, err := dial(t, srv).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := ex.CombinedOutput("configure\nset routing-options autonomous-system 65010\nexit\nyes\nshow configuration | display set")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.ReplaceAll(string(out), "\r\n", "\n")
	if got != "Entering configuration mode\nThe configuration has been changed but not committed\nExiting configuration mode\n" {
		t.Fatalf("exec output %q", got)
	}
	ex2, _ := dial(t, srv).NewSession()
	out, err = ex2.CombinedOutput("configure\ncommit and-quit")
	got = strings.ReplaceAll(string(out), "\r\n", "\n")
	if err != nil || got != "Entering configuration mode\nThe configuration has been changed but not committed\ncommit complete\nExiting configuration mode\n" {
		t.Fatalf("exec output %q %v", got, err)
	}
	if srv.RunningConfig() != "set routing-options autonomous-system 65010\n" {
		t.Fatalf("running %q", srv.RunningConfig())
	}
}

// `simulate --platform junos --config FILE` serves a Junos device whose initial
// configuration is the file (here in the braces form).
func TestSimulateCommand(t *testing.T) {
	cfgFile := filepath.Join(t.TempDir(), "junos.conf")
	if err := os.WriteFile(cfgFile, []byte("system {\n    host-name lab-srx;\n}\nrouting-options {\n    autonomous-system 65010;\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan *simulator.Server, 1)
	done := make(chan int, 1)
	var stdout, stderr bytes.Buffer
	go func() {
		done <- simulator.Run(ctx, []string{"--platform", "junos", "--listen", "127.0.0.1:0", "--username", "admin",
			"--password", "pw", "--config", cfgFile}, &stdout, &stderr, started)
	}()
	var srv *simulator.Server
	select {
	case srv = <-started:
	case code := <-done:
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	sh := openShell(t, dial(t, srv))
	sh.until("admin@lab-srx> ")
	sh.send("show configuration | display set\n")
	sh.until("set system host-name lab-srx\nset routing-options autonomous-system 65010\nadmin@lab-srx> ")
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit code %d: %s", code, stderr.String())
	}
}

// Commits of two private sessions at once run one after the other (the commit delay is the
// database's), and the second merges into what the first committed: both changes stay.
func TestConcurrentPrivateCommitsKeepBoth(t *testing.T) {
	srv := newServer(t, "")
	srv.SetCommitDelay(50 * time.Millisecond)
	a, b := open(t, srv, "admin"), open(t, srv, "admin")
	a.do("configure private")
	b.do("configure private")
	a.ok("set policy-options prefix-list A 10.1.0.0/16")
	b.ok("set policy-options prefix-list B 10.2.0.0/16")
	outs := make(chan string, 2)
	start := time.Now()
	go func() { out, _ := a.s.Exec("commit"); outs <- out }()
	go func() { out, _ := b.s.Exec("commit"); outs <- out }()
	for range 2 {
		if out := <-outs; out != "commit complete\n" {
			t.Fatalf("commit printed %q", out)
		}
	}
	if took := time.Since(start); took < 100*time.Millisecond {
		t.Errorf("two commits took %v together, want one after the other (2 x 50ms)", took)
	}
	for _, want := range []string{"prefix-list A 10.1.0.0/16", "prefix-list B 10.2.0.0/16"} {
		if !strings.Contains(srv.RunningConfig(), want) {
			t.Errorf("running configuration lost %q:\n%s", want, srv.RunningConfig())
		}
	}
}

// A private commit after another session's applies the session's own statements as it typed
// them: the terms of a new policy in their order (a term order changed by the merge would turn
// an accept-then-reject policy into a reject-all), and a deleted BGP group without its empty
// neighbor left behind (a neighbor with no peer-as fails every later commit).
func TestPrivateMergeKeepsOrderAndDeletesWholeStatements(t *testing.T) {
	srv := newServer(t, "")
	setup := open(t, srv, "admin")
	setup.do("configure private")
	setup.ok("set protocols bgp group G type external")
	setup.ok("set protocols bgp group G neighbor 169.254.1.1 peer-as 65001")
	setup.ok("set routing-options autonomous-system 64512")
	if out := setup.do("commit"); out != "commit complete\n" {
		t.Fatalf("commit printed %q", out)
	}
	a, b := open(t, srv, "admin"), open(t, srv, "admin")
	a.do("configure private")
	b.do("configure private")
	terms := []string{"term 1 from prefix-list P", "term 1 then accept", "term 2 then reject", "term 3 then next policy", "term 4 then reject"}
	a.ok("set policy-options prefix-list P 10.1.0.0/16")
	for _, l := range terms {
		a.ok("set policy-options policy-statement accept-P " + l)
	}
	a.ok("delete protocols bgp group G")
	b.ok("set policy-options prefix-list Q 10.2.0.0/16")
	b.do("commit")
	if out, _ := a.s.Exec("commit"); out != "commit complete\n" {
		t.Fatalf("the second private commit printed %q", out)
	}
	run := srv.RunningConfig()
	var got []string
	for _, l := range strings.Split(run, "\n") {
		if r, ok := strings.CutPrefix(l, "set policy-options policy-statement accept-P "); ok {
			got = append(got, r)
		}
	}
	if strings.Join(got, "|") != strings.Join(terms, "|") {
		t.Errorf("the policy's statements are %q, typed %q", got, terms)
	}
	if strings.Contains(run, "group G") {
		t.Errorf("the deleted group left statements behind:\n%s", run)
	}
	if !strings.Contains(run, "prefix-list Q 10.2.0.0/16") {
		t.Errorf("the other session's commit was lost:\n%s", run)
	}
}
