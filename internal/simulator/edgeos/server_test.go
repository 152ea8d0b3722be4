package edgeos

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

func TestLoginBannerAndPrompt(t *testing.T) {
	srv := newServer(t, simulator.Options{})
	c := dial(t, srv)
	if got := string(c.ServerVersion()); got != "SSH-2.0-OpenSSH_6.0p1 Debian-4+deb7u7" {
		t.Errorf("server version %q", got)
	}
	sh := openShell(t, c)
	banner := sh.login()
	mustContain(t, banner, "Welcome to EdgeOS\n", "\nLinux ubnt 3.10.14-UBNT #1 SMP ", " mips\n")
	if !strings.HasSuffix(banner, "\nadmin@ubnt:~$ ") {
		t.Fatalf("prompt: %q", banner)
	}
	mustContain(t, sh.cmd("show version"), "Version:      v1.10.11\n", "HW model:     EdgeRouter X 5-Port\n",
		"Copyright:    2012-2019 Ubiquiti Networks, Inc.\n", "Uptime:       ")
	if got := sh.cmd("foo bar"); got != "Invalid command: [foo]\n" {
		t.Errorf("unknown command: %q", got)
	}
	if got := sh.cmd("show bogus"); got != "Invalid command: show [bogus]\n" {
		t.Errorf("unknown show: %q", got)
	}
	sh.send("exit\n")
	sh.waitEOF()
	if err := sh.sess.Wait(); err != nil {
		t.Fatalf("exit status: %v", err)
	}
	if s := srv.Stats(); s.Connections != 1 {
		t.Fatalf("stats %+v", s)
	}
	// The second login shows the previous one.
	sh2 := openShell(t, dial(t, srv))
	mustContain(t, sh2.login(), "Last login: ")
}

func TestConfigureCommitSave(t *testing.T) {
	srv := newServer(t, simulator.Options{Hostname: "er-x"})
	sh := openShell(t, dial(t, srv))
	sh.login()
	for _, l := range []string{"terminal length 0", "terminal width 512"} {
		if out := sh.cmd(l); out != "" {
			t.Fatalf("%s: %q", l, out)
		}
	}
	if out := sh.cmd("configure"); out != "[edit]\n" {
		t.Fatalf("configure: %q", out)
	}
	if out := sh.cmd("set vpn ipsec esp-group ESP0 lifetime 3600"); out != "[edit]\n" {
		t.Fatalf("set: %q", out)
	}
	if out := sh.cmd("exit"); out != "Cannot exit: configuration modified.\nUse 'exit discard' to discard the changes and exit.\n[edit]\n" {
		t.Fatalf("exit: %q", out)
	}
	mustContain(t, sh.cmd("compare"), "[edit]\n+vpn {\n+    ipsec {\n+        esp-group ESP0 {\n+            lifetime 3600\n")
	if out := sh.cmd("commit"); out != "[edit]\n" {
		t.Fatalf("commit: %q", out)
	}
	if out := sh.cmd("commit"); out != "No configuration changes to commit\n[edit]\n" {
		t.Fatalf("commit again: %q", out)
	}
	if out := sh.cmd("compare"); out != "No changes between working and active configurations.\n[edit]\n" {
		t.Fatalf("compare: %q", out)
	}
	if want := "set vpn ipsec esp-group ESP0 lifetime 3600\n"; srv.RunningConfig() != want || srv.SavedConfig() != "" {
		t.Fatalf("running %q saved %q", srv.RunningConfig(), srv.SavedConfig())
	}
	// edit levels
	if out := sh.cmd("edit vpn ipsec esp-group ESP0"); out != "[edit vpn ipsec esp-group ESP0]\n" {
		t.Fatalf("edit: %q", out)
	}
	if out := sh.cmd("set mode tunnel"); out != "[edit vpn ipsec esp-group ESP0]\n" {
		t.Fatalf("set at level: %q", out)
	}
	if out := sh.cmd("up"); out != "[edit vpn ipsec]\n" {
		t.Fatalf("up: %q", out)
	}
	if out := sh.cmd("top"); out != "[edit]\n" {
		t.Fatalf("top: %q", out)
	}
	if out := sh.cmd("discard"); out != "Changes have been discarded\n[edit]\n" {
		t.Fatalf("discard: %q", out)
	}
	if out := sh.cmd("discard"); out != "No changes have been discarded\n[edit]\n" {
		t.Fatalf("discard again: %q", out)
	}
	sh.cmd("set vpn ipsec esp-group ESP0 mode tunnel")
	if out := sh.cmd("save"); out != "Warning: you have uncommitted changes that will not be saved.\n\nSaving configuration to '/config/config.boot'...\nDone\n[edit]\n" {
		t.Fatalf("save: %q", out)
	}
	if srv.SavedConfig() != "set vpn ipsec esp-group ESP0 lifetime 3600\n" {
		t.Fatalf("saved %q", srv.SavedConfig())
	}
	sh.cmd("commit")
	if out := sh.cmd("exit"); out != "Warning: configuration changes have not been saved.\n" {
		t.Fatalf("exit unsaved: %q", out)
	}
	sh.cmd("configure")
	sh.cmd("set vpn ipsec esp-group ESP0 compression disable")
	if out := sh.cmd("commit; save; exit"); out != "Saving configuration to '/config/config.boot'...\nDone\n" {
		t.Fatalf("commit; save; exit: %q", out)
	}
	if srv.SavedConfig() != srv.RunningConfig() {
		t.Fatal("saved != running")
	}
	if s := srv.Stats(); s.Commits != 3 || s.Saves != 2 {
		t.Fatalf("stats %+v", s)
	}
	sh.cmd("configure")
	sh.cmd("delete vpn")
	if out := sh.cmd("exit discard"); out != "" {
		t.Fatalf("exit discard: %q", out)
	}
	if srv.RunningConfig() == "" {
		t.Fatal("exit discard must drop the candidate")
	}
	log := srv.CommandLog()
	if log[0] != "terminal length 0" || log[len(log)-1] != "exit discard" {
		t.Fatalf("command log %q", log)
	}
	srv.ResetCommandLog()
	if len(srv.CommandLog()) != 0 {
		t.Fatal("reset")
	}
}

func TestSeed004(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: readTestdata(t, "seed004_initial.conf")})
	sh := openShell(t, dial(t, srv))
	sh.login()
	sh.cmd("terminal length 0")
	sh.cmd("configure")
	show := sh.cmd("show vpn")
	mustContain(t, show, " ipsec {\n     auto-firewall-nat-exclude enable\n     esp-group FOO0 {\n         proposal 1 {\n             encryption aes256\n",
		"             tunnel 1 {\n                 esp-group FOO0\n", "pre-shared-secret ****************\n")
	for _, l := range strings.Split(readTestdata(t, "seed004_commands.txt"), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if out := sh.cmd(l); out != "[edit]\n" {
			t.Errorf("%s:\n%s", l, out)
		}
	}
	if out := sh.cmd("commit"); out != "[edit]\n" {
		t.Fatalf("commit: %s", out)
	}
	mustContain(t, sh.cmd("save"), "Done\n")
	rc := srv.SavedConfig()
	mustContain(t, rc,
		"set interfaces vti vti0\n",
		"set system offload ipsec enable\n",
		"set firewall options mss-clamp interface-type vti\n",
		"set policy prefix-list BGP rule 10 description 'Deny Local Gateway Address'\n",
		"set policy prefix-list BGP rule 40 prefix 172.16.0.254/32\nset policy prefix-list BGP rule 100 action permit\n",
		"set protocols bgp 65510 neighbor 172.16.0.254 soft-reconfiguration inbound\n",
		"set protocols bgp 65510 network 192.168.1.0/24\n",
		"set protocols static interface-route 172.16.0.254/32 next-hop-interface vti0\n",
		"set vpn ipsec site-to-site peer 192.0.2.1 vti bind vti0\n",
		"set vpn ipsec esp-group FOO0 pfs disable\n")
	mustNotContain(t, rc, "tunnel 1")
	// Curly rendering of valueless tag nodes.
	mustContain(t, sh.cmd("show protocols"), "     network 192.168.1.0/24 {\n     }\n",
		" static {\n     interface-route 172.16.0.254/32 {\n         next-hop-interface vti0 {\n         }\n     }\n }\n")
}

func TestPaging(t *testing.T) {
	var cfg strings.Builder
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&cfg, "set policy prefix-list PL rule %d action permit\n", i)
	}
	srv := newServer(t, simulator.Options{InitialConfig: cfg.String()})
	sh := openShell(t, dial(t, srv))
	sh.login()
	sh.send("show configuration commands\n")
	first := norm(sh.readUntil(regexp.MustCompile(`:\z`)))
	if n := strings.Count(first, "set policy"); n != 23 {
		t.Fatalf("first page has %d lines:\n%s", n, first)
	}
	sh.send(" ")
	rest := norm(sh.readUntil(promptRe))
	if n := strings.Count(rest, "set policy"); n != 7 {
		t.Fatalf("second page has %d lines:\n%s", n, rest)
	}
	// q leaves the pager.
	sh.send("show configuration commands\n")
	sh.readUntil(regexp.MustCompile(`:\z`))
	sh.send("q")
	if rest := sh.readUntil(promptRe); strings.Contains(rest, "rule 30") {
		t.Fatalf("q must quit: %q", rest)
	}
	if n := strings.Count(sh.cmd("show configuration commands | no-more"), "set policy"); n != 30 {
		t.Fatalf("no-more printed %d lines", n)
	}
	sh.cmd("terminal length 0")
	if n := strings.Count(sh.cmd("show configuration commands"), "set policy"); n != 30 {
		t.Fatalf("terminal length 0 printed %d lines", n)
	}
}

func TestExecChannel(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: baseVPN})
	c := dial(t, srv)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("show configuration commands")
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != strings.ReplaceAll(srv.RunningConfig(), "\n", "\r\n") {
		t.Fatalf("exec output %q", out)
	}
	sess, _ = c.NewSession()
	out, err = sess.CombinedOutput("configure\nset vpn ipsec ike-group IKE0 lifetime 3600\ncommit\nsave\nexit")
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	mustContain(t, srv.SavedConfig(), "lifetime 3600")
	sess, _ = c.NewSession()
	if _, err := sess.CombinedOutput("bogus"); err == nil {
		t.Fatal("want non-zero exit status")
	}
	if log := srv.CommandLog(); len(log) != 7 || log[1] != "configure" {
		t.Fatalf("log %q", log)
	}
}

func TestAuthMethods(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := ssh.NewSignerFromKey(priv)
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	otherSigner, _ := ssh.NewSignerFromKey(other)
	srv := newServer(t, simulator.Options{AuthorizedKeys: []ssh.PublicKey{signer.PublicKey()}})

	if _, err := ssh.Dial("tcp", srv.Addr(), clientConfig(srv, ssh.Password("wrong"))); err == nil {
		t.Fatal("wrong password accepted")
	}
	cfg := clientConfig(srv)
	cfg.User = "root"
	if _, err := ssh.Dial("tcp", srv.Addr(), cfg); err == nil {
		t.Fatal("wrong user accepted")
	}
	if _, err := ssh.Dial("tcp", srv.Addr(), clientConfig(srv, ssh.PublicKeys(otherSigner))); err == nil {
		t.Fatal("unknown key accepted")
	}
	openShell(t, dial(t, srv, ssh.PublicKeys(signer))).login()
	ki := ssh.KeyboardInteractive(func(name, instr string, qs []string, echos []bool) ([]string, error) {
		if len(qs) != 1 || qs[0] != "Password: " || echos[0] {
			return nil, fmt.Errorf("questions %q", qs)
		}
		return []string{testPass}, nil
	})
	openShell(t, dial(t, srv, ki)).login()
	if s := srv.Stats(); s.Connections != 2 {
		t.Fatalf("stats %+v", s)
	}

	kiOnly := newServer(t, simulator.Options{KeyboardInteractiveOnly: true})
	if _, err := ssh.Dial("tcp", kiOnly.Addr(), clientConfig(kiOnly, ssh.Password(testPass))); err == nil {
		t.Fatal("password auth accepted in keyboard-interactive-only mode")
	}
	openShell(t, dial(t, kiOnly, ki)).login()
}

func TestFaults(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: baseVPN})
	sh := openShell(t, dial(t, srv))
	sh.login()
	sh.cmd("configure")
	sh.cmd("set vpn ipsec ike-group IKE0 lifetime 3600")

	srv.FailNextCommit("VPN configuration error: injected failure.")
	if out := sh.cmd("commit"); out != "[ vpn ]\nVPN configuration error: injected failure.\n\n[[vpn]] failed\nCommit failed\n[edit]\n" {
		t.Fatalf("commit: %q", out)
	}
	if out := sh.cmd("commit"); out != "[edit]\n" {
		t.Fatalf("second commit: %q", out)
	}

	srv.FailCommand("lifetime 7200", "\n  Set failed\n")
	if out := sh.cmd("set vpn ipsec ike-group IKE0 lifetime 7200"); out != "\n  Set failed\n[edit]\n" {
		t.Fatalf("FailCommand: %q", out)
	}
	srv.FailCommand("lifetime 7200", "")
	if out := sh.cmd("set vpn ipsec ike-group IKE0 lifetime 7200"); out != "[edit]\n" {
		t.Fatalf("after removing the rule: %q", out)
	}

	srv.SetLatency(150 * time.Millisecond)
	start := time.Now()
	sh.cmd("show vpn ipsec ike-group")
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("latency not applied: %v", d)
	}
	srv.SetLatency(0)
	srv.SetCommitDelay(150 * time.Millisecond)
	start = time.Now()
	sh.cmd("commit")
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Fatalf("commit delay not applied: %v", d)
	}
	srv.SetCommitDelay(0)

	// DropAfter: the 2nd command runs, then the connection dies before its output.
	srv.DropAfter(2)
	sh.cmd("set vpn ipsec ike-group IKE0 lifetime 9000")
	sh.send("commit\n")
	sh.waitEOF()
	mustContain(t, srv.RunningConfig(), "lifetime 9000")
	// A dropped connection loses its uncommitted candidate.
	sh2 := openShell(t, dial(t, srv))
	sh2.login()
	sh2.cmd("configure")
	sh2.cmd("set vpn ipsec ike-group IKE0 lifetime 10000")
	srv.DropAfter(1)
	sh2.send("show\n")
	sh2.waitEOF()
	sh3 := openShell(t, dial(t, srv))
	sh3.login()
	sh3.cmd("configure")
	if out := sh3.cmd("compare"); !strings.HasPrefix(out, "No changes") {
		t.Fatalf("candidate survived a drop: %q", out)
	}
	mustNotContain(t, srv.RunningConfig(), "10000")
}

func TestMaxSessions(t *testing.T) {
	srv := newServer(t, simulator.Options{MaxSessions: 1})
	c1 := dial(t, srv)
	openShell(t, c1).login()
	c2 := dial(t, srv)
	if _, err := c2.NewSession(); err == nil || !strings.Contains(err.Error(), "too many sessions") {
		t.Fatalf("second session: %v", err)
	}
	c1.Close()
	srv.SetMaxSessions(0)
	deadline := time.Now().Add(5 * time.Second)
	for srv.Stats().Connections != 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	openShell(t, dial(t, srv)).login()
}

func TestConcurrentCandidates(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: baseVPN})
	a := openShell(t, dial(t, srv))
	b := openShell(t, dial(t, srv))
	a.login()
	b.login()
	a.cmd("configure")
	b.cmd("configure")
	a.cmd("set vpn ipsec ike-group IKE0 lifetime 3600")
	b.cmd("set vpn ipsec esp-group ESP0 lifetime 1800")
	mustNotContain(t, a.cmd("compare"), "1800")
	mustNotContain(t, b.cmd("compare"), "IKE0")
	a.cmd("commit")
	// b still has its own change, and sees a's commit in its candidate.
	mustContain(t, b.cmd("compare"), "+lifetime 1800")
	mustContain(t, b.cmd("show vpn ipsec ike-group IKE0"), " lifetime 3600\n")
	b.cmd("commit")
	mustContain(t, srv.RunningConfig(), "ike-group IKE0 lifetime 3600", "esp-group ESP0 lifetime 1800")

	// Many sessions in parallel.
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := ssh.Dial("tcp", srv.Addr(), clientConfig(srv))
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			s, _ := c.NewSession()
			out, err := s.CombinedOutput(fmt.Sprintf("configure\nset interfaces vti vti%d\ncommit\nexit", i+1))
			if err != nil {
				t.Errorf("%v: %s", err, out)
			}
		}()
	}
	wg.Wait()
	for i := range 4 {
		mustContain(t, srv.RunningConfig(), fmt.Sprintf("set interfaces vti vti%d\n", i+1))
	}
}

func TestInputFraming(t *testing.T) {
	srv := newServer(t, simulator.Options{})
	sh := openShell(t, dial(t, srv))
	sh.login()
	// One byte per write, "\r\n" split across writes: one line end.
	for _, b := range []byte("configure\r\n") {
		sh.send(string([]byte{b}))
		time.Sleep(2 * time.Millisecond)
	}
	if out := norm(sh.readUntil(promptRe)); out != "configure\n[edit]\nadmin@ubnt# " {
		t.Fatalf("split input: %q", out)
	}
	// Backspace editing.
	sh.send("set system host-name routerX\x7f\x7fY1\r")
	if out := norm(sh.readUntil(promptRe)); !strings.HasSuffix(out, "[edit]\nadmin@ubnt# ") {
		t.Fatalf("backspace: %q", out)
	}
	// A paste of several lines with mixed line ends, in one write.
	sh.send("set interfaces vti vti1\r\nset interfaces vti vti2\nset interfaces vti vti3\rcompare\n")
	all := norm(sh.readUntil(regexp.MustCompile(`(?s)^(?:.*?\nadmin@ubnt# ){4}`)))
	want := "set interfaces vti vti1\n[edit]\nadmin@ubnt# set interfaces vti vti2\n[edit]\nadmin@ubnt# set interfaces vti vti3\n[edit]\nadmin@ubnt# compare\n"
	if !strings.HasPrefix(all, want) {
		t.Fatalf("paste:\n%q\nwant prefix\n%q", all, want)
	}
	mustContain(t, all, "+    host-name routeY1\n", "+    vti vti3 {\n")
	log := srv.CommandLog()
	if len(log) != 6 || log[1] != "set system host-name routeY1" {
		t.Fatalf("log %q", log)
	}
	sh.cmd("exit discard")
	sh.send("\x04")
	sh.waitEOF()
	if err := sh.sess.Wait(); err != nil {
		t.Fatalf("Ctrl-D: %v", err)
	}
}

func TestMainCommand(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "host_key")
	cfgFile := filepath.Join(dir, "config")
	os.WriteFile(cfgFile, []byte("set system host-name lab1\n"), 0o600)
	start := func() (string, *simulator.Server, context.CancelFunc, chan int, *bytes.Buffer) {
		ctx, cancel := context.WithCancel(context.Background())
		started := make(chan *simulator.Server, 1)
		done := make(chan int, 1)
		var stdout, stderr bytes.Buffer
		go func() {
			done <- simulator.Run(ctx, []string{"--platform", "edgeos", "--listen", "127.0.0.1:0", "--username", testUser,
				"--password", testPass, "--host-key", keyFile, "--config", cfgFile, "--latency", "1ms"}, &stdout, &stderr, started)
		}()
		select {
		case srv := <-started:
			return stdout.String(), srv, cancel, done, &stderr
		case code := <-done:
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		return "", nil, nil, nil, nil
	}
	out, srv, cancel, done, _ := start()
	mustContain(t, out, "listening on 127.0.0.1:", "host key SHA256:", "host key line: ssh-ed25519 AAAA")
	mustContain(t, openShell(t, dial(t, srv)).login(), "admin@lab1:~$ ")
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit code %d", code)
	}
	st, err := os.Stat(keyFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("host key file: %v %v", st, err)
	}
	out2, srv2, cancel2, done2, _ := start()
	if srv2.Fingerprint() != srv.Fingerprint() {
		t.Fatal("host key not reused")
	}
	mustContain(t, out2, "host key "+srv.Fingerprint())
	cancel2()
	<-done2

	var stderr bytes.Buffer
	if code := simulator.Run(context.Background(), []string{"--bogus"}, &bytes.Buffer{}, &stderr, nil); code != 2 {
		t.Fatalf("bad flag exit %d", code)
	}
	mustContain(t, stderr.String(), "usage: simulate")
}

func TestCloseTwice(t *testing.T) {
	base := runtime.NumGoroutine()
	srv, err := simulator.New(simulator.Options{Username: testUser, Password: testPass})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	c, err := ssh.Dial("tcp", srv.Addr(), clientConfig(srv))
	if err != nil {
		t.Fatal(err)
	}
	sh := openShell(t, c)
	sh.login()
	sh.cmd("configure")
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	sh.waitEOF()
	c.Close()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base {
		buf := make([]byte, 1<<16)
		t.Fatalf("goroutines: %d > %d\n%s", n, base, buf[:runtime.Stack(buf, true)])
	}
}

// SetOutputPadding makes `show configuration commands` print extra valid `set` lines, for
// tests of a transport's output cap.
func TestOutputPadding(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: baseVPN})
	real := srv.RunningConfig()
	srv.SetOutputPadding(1 << 20)
	s := cli(t, srv)
	out := run1(s, "show configuration commands")
	if len(out) < len(real)+1<<20 || len(out) > len(real)+1<<20+200 {
		t.Fatalf("%d bytes, want %d + 1 MiB", len(out), len(real))
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	pad := 0
	for _, l := range lines {
		if !strings.HasPrefix(l, "set ") {
			t.Fatalf("not a set line: %q", l)
		}
		if strings.HasPrefix(l, "set system static-host-mapping host-name pad-") {
			pad++
		}
	}
	if pad < 1000 || !strings.Contains(out, real[:strings.Index(real, "set vpn")]) {
		t.Fatalf("padding lines: %d", pad)
	}
	// In order: the padding sits where `system` sorts, before `vpn`.
	if strings.Index(out, "host-name pad-") > strings.Index(out, "set vpn ") {
		t.Fatal("padding after vpn")
	}
	// The lines are valid configuration: the device accepts them.
	if err := srv.Apply(lines[len(lines)/2]); err != nil {
		t.Fatal(err)
	}
	// Through the SSH shell, with `; echo` after it (64 KiB: the test's reader is slow).
	srv.SetOutputPadding(64 << 10)
	sh := openShell(t, dial(t, srv))
	sh.login()
	sh.cmd("terminal length 0")
	got := sh.cmd("show configuration commands; echo END")
	if len(got) < 64<<10 || !strings.HasSuffix(got, "\nEND\n") {
		t.Fatalf("through the shell: %d bytes, suffix %q", len(got), got[len(got)-20:])
	}
	if srv.RunningConfig() == out || strings.Contains(srv.RunningConfig(), "pad-0000001") {
		t.Fatal("RunningConfig must not be padded")
	}
	srv.ClearFaults()
	if out := run1(s, "show configuration commands"); strings.Count(out, "host-name pad-") != 1 {
		t.Fatalf("after ClearFaults: %d bytes", len(out))
	}
}

// EdgeOS has no configuration lock: every session edits its own candidate, so a lock held
// by another user (Server.HoldLock) changes nothing.
func TestHoldLockIgnored(t *testing.T) {
	srv := newServer(t, simulator.Options{InitialConfig: baseVPN})
	srv.HoldLock("netops")
	s := cli(t, srv)
	for _, l := range []string{"configure", "set vpn ipsec ike-group IKE0 lifetime 3600", "commit", "save"} {
		if out := run1(s, l); strings.Contains(out, "lock") || strings.Contains(out, "failed") {
			t.Fatalf("%s: %q", l, out)
		}
	}
	mustContain(t, srv.SavedConfig(), "ike-group IKE0 lifetime 3600")
}
