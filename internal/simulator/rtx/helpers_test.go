package rtx

import (
	"crypto/rand"
	"crypto/rsa"
	"sync"

	"golang.org/x/crypto/ssh"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

const (
	testUser  = "admin"
	testPass  = "sim-login-Pa55"
	testAdmin = "Adm1n-Pa55"
)

// fixedNow is the clock of test engines: `# Reporting Date: Oct 24 19:57:53 2025`.
var fixedNow = time.Date(2025, 10, 24, 19, 57, 53, 0, time.UTC)

// newServer is an RTX simulator (not listening) with the given engine options.
func newServer(t testing.TB, initial string, opts map[string]string) *simulator.Server {
	t.Helper()
	o := map[string]string{OptAdminPassword: testAdmin}
	for k, v := range opts {
		o[k] = v
	}
	srv, err := simulator.New(simulator.Options{Platform: "rtx", Username: testUser, Password: testPass, InitialConfig: initial, EngineOptions: o, HostKey: testHostKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	eng := srv.Engine().(*engine)
	eng.mu.Lock()
	eng.now = func() time.Time { return fixedNow }
	eng.mu.Unlock()
	t.Cleanup(func() { srv.Close() })
	return srv
}

type term struct {
	t testing.TB
	s *session
}

// open is an in-process console session of user.
func open(t testing.TB, srv *simulator.Server) *term {
	t.Helper()
	s := srv.Engine().NewSession(simulator.SessionInfo{User: testUser, Interactive: true, Rows: 24}).(*session)
	t.Cleanup(s.CloseSession)
	return &term{t: t, s: s}
}

func (tm *term) do(line string) string {
	tm.t.Helper()
	if _, _, asking := tm.s.Question(); asking {
		out, _ := tm.s.Answer(line)
		return out
	}
	out, _ := tm.s.Exec(line)
	return out
}

func (tm *term) ok(line string) {
	tm.t.Helper()
	if out := tm.do(line); out != "" {
		tm.t.Fatalf("%q printed:\n%s", line, out)
	}
}

func (tm *term) want(line, want string) {
	tm.t.Helper()
	if out := tm.do(line); out != want {
		tm.t.Fatalf("%q printed:\n%q\nwant:\n%q", line, out, want)
	}
}

// admin switches the console to English messages, no paging and 200 columns (configuration
// lines, as on the device), then enters administrator mode.
func (tm *term) admin() *term {
	tm.t.Helper()
	tm.ok("console character en.ascii")
	tm.ok("console lines infinity")
	tm.ok("console columns 200")
	tm.ok("administrator")
	tm.ok(testAdmin)
	if !tm.s.admin {
		tm.t.Fatal("not in administrator mode")
	}
	return tm
}

// typeLines types every line of a configuration file (comments and blank lines too).
func (tm *term) typeLines(text string) {
	tm.t.Helper()
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		tm.ok(l)
	}
}

func readFile(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func itoa(n int) string { return strconv.Itoa(n) }

func newServerErr(opts map[string]string) (*simulator.Server, error) {
	srv, err := simulator.New(simulator.Options{Platform: "rtx", Username: testUser, Password: testPass, EngineOptions: opts})
	if err == nil {
		srv.Close()
	}
	return srv, err
}

func newServerNoAdmin(t testing.TB) (*simulator.Server, error) {
	srv, err := simulator.New(simulator.Options{Platform: "rtx", Username: testUser, Password: testPass})
	if err == nil {
		t.Cleanup(func() { srv.Close() })
	}
	return srv, err
}

var (
	hostKeyOnce sync.Once
	hostKey     ssh.Signer
)

// testHostKey is one RSA host key for the tests (generating one per server is slow).
func testHostKey(t testing.TB) ssh.Signer {
	hostKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		if hostKey, err = ssh.NewSignerFromKey(k); err != nil {
			panic(err)
		}
	})
	return hostKey
}
