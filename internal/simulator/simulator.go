// Package simulator is the core of the SSH network-device simulators used by the acceptance
// tests and by the `simulate` command: a real SSH server (golang.org/x/crypto/ssh) with
// password, keyboard-interactive and public-key auth and loopback-only forwarding (a jump
// host); the interactive shell around a CLI engine (echo and line editing of UTF-8 input,
// keys an engine binds, hidden input for passwords, continuation lines, paging); exec
// channels; fault and latency injection (Controls); the control API on Server (read and
// change the configuration, command log, counters); the engine registry; and Main, the
// `simulate` command's flags.
//
// Engines live in subpackages, one per platform (internal/simulator/edgeos), and register
// themselves with RegisterEngine in init; internal/simulator/all imports every engine. Shared
// building blocks for engines: internal/simulator/hier (a hierarchical configuration store
// checked against a schema, for set-style CLIs) and internal/simulator/flat (a flat store for
// line-oriented CLIs with context blocks and unset/no forms).
//
// The engines are independent implementations written from reference material about the
// devices. Nothing under internal/simulator imports the provider's packages (internal/platform,
// internal/device, internal/provider, internal/vpn, internal/sshcli); imports_test.go enforces
// it.
package simulator

import (
	"crypto/subtle"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// Options configures a simulated device.
type Options struct {
	Platform                string               // engine name, e.g. "edgeos"
	Hostname                string               // default per platform ("ubnt" for edgeos)
	Username, Password      string               // login credentials
	AuthorizedKeys          []ssh.PublicKey      // keys accepted for public-key auth (for Username)
	KeyboardInteractiveOnly bool                 // offer only keyboard-interactive auth
	HostKey                 ssh.Signer           // nil: a fresh key of the engine's SSHProfile type (ed25519 by default)
	InitialConfig           string               // `set ...` lines (or a curly tree) used as running+saved config
	Latency                 time.Duration        // added before each command's output
	CommitDelay             time.Duration        // time a commit takes
	MaxSessions             int                  // concurrent SSH connections allowed, 0 = unlimited
	AllowForwarding         bool                 // accept direct-tcpip channels (a jump host), to loopback addresses only
	Logf                    func(string, ...any) // optional debug log
	// EngineOptions are the platform's own options (RTX: model, revision, admin-password),
	// passed to the engine factory as EngineConfig.Options; an engine refuses names it
	// does not know.
	EngineOptions map[string]string
}

// Stats counts events since the server was created.
type Stats struct {
	Connections int // successful SSH logins
	Open        int // SSH connections open now
	Commits     int // successful commits
	Saves       int // saves
}

// Server is one simulated device listening for SSH.
type Server struct {
	opts     Options
	engine   Engine
	controls *Controls
	cfg      *ssh.ServerConfig
	hostKey  ssh.Signer

	mu       sync.Mutex
	ln       net.Listener
	conns    map[net.Conn]struct{}
	active   int
	logins   int
	log      []string
	closed   bool
	closeErr error
	wg       sync.WaitGroup
}

// New creates a simulator; it does not listen yet.
func New(opts Options) (*Server, error) {
	if opts.Platform == "" {
		opts.Platform = "edgeos"
	}
	factory, defHost, err := lookupEngine(opts.Platform)
	if err != nil {
		return nil, err
	}
	if opts.Hostname == "" {
		opts.Hostname = defHost
	}
	s := &Server{opts: opts, controls: newControls(), conns: map[net.Conn]struct{}{}}
	s.controls.latency = opts.Latency
	s.controls.commitDelay = opts.CommitDelay
	s.controls.maxSessions = opts.MaxSessions
	s.engine, err = factory(EngineConfig{Hostname: opts.Hostname, InitialConfig: opts.InitialConfig, Controls: s.controls, Options: opts.EngineOptions})
	if err != nil {
		return nil, err
	}
	prof := profileOf(s.engine)
	if s.opts.HostKey == nil {
		if s.opts.HostKey, err = newHostKey(prof); err != nil {
			s.engine.Close()
			return nil, err
		}
	}
	if s.hostKey, err = restrictHostKey(s.opts.HostKey, prof); err != nil {
		s.engine.Close()
		return nil, err
	}
	if opts.MaxSessions == 0 {
		s.controls.maxSessions = prof.MaxSessions
	}
	s.cfg = s.serverConfig()
	return s, nil
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

func (s *Server) checkUser(user string) bool {
	return subtle.ConstantTimeCompare([]byte(user), []byte(s.opts.Username)) == 1
}

func (s *Server) checkPassword(user, pw string) bool {
	okPw := subtle.ConstantTimeCompare([]byte(pw), []byte(s.opts.Password)) == 1
	return s.checkUser(user) && okPw && s.opts.Password != ""
}

var errAuth = errors.New("authentication failed")

func (s *Server) serverConfig() *ssh.ServerConfig {
	cfg := &ssh.ServerConfig{ServerVersion: s.engine.ServerVersion()}
	prof := profileOf(s.engine)
	cfg.KeyExchanges, cfg.Ciphers, cfg.MACs = prof.KeyExchanges, prof.Ciphers, prof.MACs
	cfg.KeyboardInteractiveCallback = func(c ssh.ConnMetadata, ask ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
		ans, err := ask("", "", []string{"Password: "}, []bool{false})
		if err != nil {
			return nil, err
		}
		if len(ans) == 1 && s.checkPassword(c.User(), ans[0]) {
			return nil, nil
		}
		return nil, errAuth
	}
	if !s.opts.KeyboardInteractiveOnly {
		cfg.PasswordCallback = func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if s.checkPassword(c.User(), string(pw)) {
				return nil, nil
			}
			return nil, errAuth
		}
		if len(s.opts.AuthorizedKeys) > 0 {
			cfg.PublicKeyCallback = func(c ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
				if !s.checkUser(c.User()) {
					return nil, errAuth
				}
				for _, k := range s.opts.AuthorizedKeys {
					if subtle.ConstantTimeCompare(k.Marshal(), key.Marshal()) == 1 {
						return nil, nil
					}
				}
				return nil, errAuth
			}
		}
	}
	cfg.AddHostKey(s.hostKey)
	return cfg
}

// Start listens on addr (e.g. "127.0.0.1:0") and serves connections in the background.
func (s *Server) Start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ln.Close()
		return errors.New("simulator: server closed")
	}
	if s.ln != nil {
		s.mu.Unlock()
		ln.Close()
		return errors.New("simulator: already started")
	}
	s.ln = ln
	s.wg.Add(1)
	s.mu.Unlock()
	go s.acceptLoop(ln)
	return nil
}

// Addr is the listening address ("127.0.0.1:port"), empty before Start.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Engine is the device engine behind the server, for tests that drive a CLI session in-process
// (Engine().NewSession) or reach engine-specific controls.
func (s *Server) Engine() Engine { return s.engine }

// HostSigner is the server's host key with its private part (the one given in Options, or
// the one it made), for starting more servers of the platform under the same key: one key of
// a slow type (DSA, RSA) for many short-lived simulators.
func (s *Server) HostSigner() ssh.Signer { return s.opts.HostKey }

// HostKey is the server's public host key.
func (s *Server) HostKey() ssh.PublicKey { return s.hostKey.PublicKey() }

// Fingerprint is ssh.FingerprintSHA256 of the host key.
func (s *Server) Fingerprint() string { return ssh.FingerprintSHA256(s.hostKey.PublicKey()) }

// Close stops the listener and all sessions and waits for their goroutines. It is safe to
// call more than once.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return s.closeErr
	}
	s.closed = true
	close(s.controls.done)
	if s.ln != nil {
		if err := s.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			s.closeErr = err
		}
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	s.engine.Close()
	return s.closeErr
}

func (s *Server) acceptLoop(ln net.Listener) {
	defer s.wg.Done()
	for {
		nc, err := ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			nc.Close()
			return
		}
		s.conns[nc] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go s.handleConn(nc)
	}
}

// connState is one SSH connection.
type connState struct {
	nc   net.Conn
	user string
}

func (s *Server) handleConn(nc net.Conn) {
	defer s.wg.Done()
	defer func() {
		nc.Close()
		s.mu.Lock()
		delete(s.conns, nc)
		s.mu.Unlock()
	}()
	if s.controls.isPartitioned() {
		return // cut off (PartitionAt): the connection closes before the handshake
	}
	_ = nc.SetDeadline(time.Now().Add(30 * time.Second))
	sconn, chans, reqs, err := ssh.NewServerConn(nc, s.cfg)
	if err != nil {
		s.logf("simulator: handshake from %s: %v", nc.RemoteAddr(), err)
		return
	}
	_ = nc.SetDeadline(time.Time{})
	defer sconn.Close()
	s.wg.Add(1)
	go func() { defer s.wg.Done(); ssh.DiscardRequests(reqs) }()

	s.mu.Lock()
	max := s.controlsMaxSessions()
	refuse := max > 0 && s.active >= max
	if !refuse {
		s.active++
		s.logins++
	}
	s.mu.Unlock()
	if refuse {
		s.refuse(sconn, chans)
		return
	}
	defer func() { s.mu.Lock(); s.active--; s.mu.Unlock() }()

	cs := &connState{nc: nc, user: sconn.User()}
	var chWG sync.WaitGroup
	for nch := range chans {
		if nch.ChannelType() == "direct-tcpip" && s.opts.AllowForwarding {
			chWG.Add(1)
			go func() { defer chWG.Done(); s.forward(nch) }()
			continue
		}
		if nch.ChannelType() != "session" {
			_ = nch.Reject(ssh.UnknownChannelType, "unsupported channel type")
			continue
		}
		ch, creqs, err := nch.Accept()
		if err != nil {
			continue
		}
		chWG.Add(1)
		go func() { defer chWG.Done(); s.handleSession(cs, ch, creqs) }()
	}
	chWG.Wait()
}

// forward serves a direct-tcpip channel (RFC 4254 7.2), as an OpenSSH jump host does with
// AllowTcpForwarding, but only to loopback addresses: the simulators never reach out of the
// machine.
func (s *Server) forward(nch ssh.NewChannel) {
	var req struct {
		Host     string
		Port     uint32
		OrigHost string
		OrigPort uint32
	}
	if err := ssh.Unmarshal(nch.ExtraData(), &req); err != nil {
		_ = nch.Reject(ssh.ConnectionFailed, "malformed direct-tcpip request")
		return
	}
	ip := net.ParseIP(req.Host)
	if req.Host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		_ = nch.Reject(ssh.Prohibited, "forwarding is allowed to loopback addresses only")
		return
	}
	target, err := net.DialTimeout("tcp", net.JoinHostPort(req.Host, strconv.Itoa(int(req.Port))), 5*time.Second)
	if err != nil {
		_ = nch.Reject(ssh.ConnectionFailed, err.Error())
		return
	}
	ch, reqs, err := nch.Accept()
	if err != nil {
		target.Close()
		return
	}
	go ssh.DiscardRequests(reqs)
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(ch, target); _ = ch.CloseWrite(); done <- struct{}{} }()
	go func() { _, _ = io.Copy(target, ch); done <- struct{}{} }()
	select {
	case <-done:
	case <-s.controls.done:
	}
	target.Close()
	ch.Close()
}

func (s *Server) controlsMaxSessions() int {
	s.controls.mu.Lock()
	defer s.controls.mu.Unlock()
	return s.controls.maxSessions
}

// refuse answers the first channel of a connection over the session limit with a message,
// then closes the connection.
func (s *Server) refuse(sconn *ssh.ServerConn, chans <-chan ssh.NewChannel) {
	t := time.NewTimer(5 * time.Second)
	defer t.Stop()
	select {
	case nch, ok := <-chans:
		if ok {
			_ = nch.Reject(ssh.Prohibited, "too many sessions: maximum number of sessions reached")
		}
	case <-t.C:
	case <-s.controls.done:
	}
	sconn.Close()
	for range chans {
	}
}

type ptyRequest struct {
	Term   string
	Cols   uint32
	Rows   uint32
	Width  uint32
	Height uint32
	Modes  string
}

func (s *Server) handleSession(cs *connState, ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer ch.Close()
	var (
		started bool
		rows    int
		runWG   sync.WaitGroup
	)
	for req := range reqs {
		switch req.Type {
		case "pty-req":
			var p ptyRequest
			if ssh.Unmarshal(req.Payload, &p) == nil {
				rows = int(p.Rows)
			}
			_ = req.Reply(true, nil)
		case "window-change", "env":
			_ = req.Reply(true, nil)
		case "shell", "exec":
			if started {
				_ = req.Reply(false, nil)
				continue
			}
			var cmd string
			if req.Type == "exec" && profileOf(s.engine).RefuseExec {
				_ = req.Reply(false, nil)
				continue
			}
			if req.Type == "exec" {
				var p struct{ Command string }
				if ssh.Unmarshal(req.Payload, &p) != nil {
					_ = req.Reply(false, nil)
					continue
				}
				cmd = p.Command
			}
			started = true
			_ = req.Reply(true, nil)
			info := SessionInfo{User: cs.user, RemoteAddr: cs.nc.RemoteAddr().String(), Interactive: req.Type == "shell", Rows: rows}
			runWG.Add(1)
			go func(isShell bool) {
				defer runWG.Done()
				var status uint32
				cli := s.engine.NewSession(info)
				if c, ok := cli.(SessionCloser); ok {
					defer c.CloseSession()
				}
				if isShell {
					status = s.runShell(cs, ch, cli)
				} else {
					status = s.runExec(cs, ch, cli, cmd)
				}
				_, _ = ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{status}))
				ch.Close()
			}(req.Type == "shell")
		default:
			if req.WantReply {
				_ = req.Reply(false, nil)
			}
		}
	}
	ch.Close()
	runWG.Wait()
}

// --- fault injection and control API ---

// SetLatency sets the delay added before each command's output.
func (s *Server) SetLatency(d time.Duration) {
	s.controls.mu.Lock()
	s.controls.latency = d
	s.controls.mu.Unlock()
}

// SetCommitDelay sets how long a commit takes.
func (s *Server) SetCommitDelay(d time.Duration) {
	s.controls.mu.Lock()
	s.controls.commitDelay = d
	s.controls.mu.Unlock()
}

// FailNextCommit makes the next commit (with changes) fail, printing message the way the
// device prints a commit failure; the candidate stays uncommitted.
func (s *Server) FailNextCommit(message string) {
	s.controls.mu.Lock()
	s.controls.commitFail = &message
	s.controls.mu.Unlock()
}

// DropAfter closes the connection abruptly right after the n-th command (counted from now,
// across all sessions) has been executed, before its output is sent. n <= 0 disables.
func (s *Server) DropAfter(n int) {
	s.controls.mu.Lock()
	if n < 0 {
		n = 0
	}
	s.controls.dropLeft = n
	s.controls.mu.Unlock()
}

// SetMaxSessions limits concurrent SSH connections (0 = unlimited). Existing connections
// are kept.
func (s *Server) SetMaxSessions(n int) {
	s.controls.mu.Lock()
	s.controls.maxSessions = n
	s.controls.mu.Unlock()
}

// FailCommand makes every command line containing substring print message instead of
// running, until the rule is removed. An empty message removes the rule (once-only or not)
// for that substring. Answers to hidden questions (passwords) are never matched.
func (s *Server) FailCommand(substring, message string) { s.setFailRule(substring, message, false) }

// FailCommandOnce makes the next command line containing substring print message instead of
// running; later lines run normally. An empty message removes the rule.
func (s *Server) FailCommandOnce(substring, message string) { s.setFailRule(substring, message, true) }

func (s *Server) setFailRule(substring, message string, once bool) {
	s.controls.mu.Lock()
	defer s.controls.mu.Unlock()
	rules := s.controls.failRules[:0:0]
	for _, r := range s.controls.failRules {
		if r.substr != substring {
			rules = append(rules, r)
		}
	}
	if message != "" {
		rules = append(rules, failRule{substr: substring, message: message, once: once})
	}
	s.controls.failRules = rules
}

// HoldLock makes the device behave as if user held its configuration lock in another
// session, until ReleaseLock (or ClearFaults). Only engines that model a configuration lock
// consult it (Controls.LockHolder); EdgeOS has none and ignores it.
func (s *Server) HoldLock(user string) {
	s.controls.mu.Lock()
	s.controls.lockHolder = user
	s.controls.mu.Unlock()
}

// ReleaseLock ends a HoldLock.
func (s *Server) ReleaseLock() { s.HoldLock("") }

// SetOutputPadding makes the device's configuration listing (EdgeOS: `show configuration
// commands`, also through `run` and the op wrapper) print at least n extra bytes of valid,
// sorted-in configuration lines (EdgeOS: `set system static-host-mapping host-name
// pad-NNNNNNN.invalid inet 192.0.2.N`), whole lines, so that a transport's output cap can be
// tested. The configuration itself, RunningConfig and SavedConfig are unchanged. n <= 0
// turns it off; ClearFaults too.
func (s *Server) SetOutputPadding(n int) {
	s.controls.mu.Lock()
	s.controls.padding = max(n, 0)
	s.controls.mu.Unlock()
}

// ClearFaults removes every injected fault (FailNextCommit, DropAfter, PartitionAt, DropAt,
// FailCommand, FailCommandOnce, HoldLock, SetOutputPadding) and resets latency and commit delay to zero.
func (s *Server) ClearFaults() {
	s.controls.mu.Lock()
	s.controls.padding = 0
	s.controls.commitFail = nil
	s.controls.dropLeft = 0
	s.controls.partitionAt, s.controls.partitioned, s.controls.dropAt = "", false, ""
	s.controls.failRules = nil
	s.controls.lockHolder = ""
	s.controls.latency = 0
	s.controls.commitDelay = 0
	s.controls.mu.Unlock()
}

// RunningConfig is what `show configuration commands` prints for the active configuration.
func (s *Server) RunningConfig() string { return s.engine.RunningConfig() }

// SavedConfig is the saved configuration in the same format.
func (s *Server) SavedConfig() string { return s.engine.SavedConfig() }

// Apply applies `set ...` / `delete ...` lines to the running and the saved configuration,
// as another administrator would (configure, commit, save). Words are split and unquoted as
// the device's shell does, without expansions. It stops at the first invalid line and
// returns the device's message.
func (s *Server) Apply(lines ...string) error { return s.engine.Apply(lines...) }

// CommandLog returns every command line received in shells and exec requests, in order.
func (s *Server) CommandLog() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// ResetCommandLog empties the command log.
func (s *Server) ResetCommandLog() {
	s.mu.Lock()
	s.log = nil
	s.mu.Unlock()
}

// Stats returns the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	logins, open := s.logins, s.active
	s.mu.Unlock()
	s.controls.mu.Lock()
	defer s.controls.mu.Unlock()
	return Stats{Connections: logins, Open: open, Commits: s.controls.commits, Saves: s.controls.saves}
}

func (s *Server) record(line string) {
	s.mu.Lock()
	s.log = append(s.log, line)
	s.mu.Unlock()
}

// crlf converts "\n" line ends to "\r\n" (leaving existing "\r\n" alone).
func crlf(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' && (i == 0 || s[i-1] != '\r') {
			b.WriteByte('\r')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
