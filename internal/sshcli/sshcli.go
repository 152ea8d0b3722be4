// Package sshcli is the SSH transport of the provider: it opens an interactive CLI session
// (pty + shell) on a network device and runs one command at a time, returning what the device
// printed without the echoed command and the trailing prompt.
//
// The SSH layer is golang.org/x/crypto/ssh, configured here (host-key verification on by
// default, password / keyboard-interactive / public-key auth, algorithm lists with an opt-in
// for legacy algorithms, jump host, timeouts). The CLI layer is scrapligo v1.4.3's generic
// driver with a custom transport (never scrapligo's "system" transport) and auth bypass: the
// driver owns the read loop, strips "\r" and ANSI escapes, and queues what the device prints;
// this package drives the channel itself so that every wait honours a context (see Send), and
// the transport holds scrapligo's read loop back while its queue is full, so that a device
// that prints without end cannot fill the memory (see Config.MaxOutputBytes).
//
// Nothing in this package logs; scrapligo's logger is left off. Errors never contain the
// password, key or passphrase, and never quote what the device printed after login (it may be
// configuration, pre-shared keys included): they say how much was received instead. Commands
// quoted in errors go through the session's redactor (SetRedactor).
package sshcli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scrapli/scrapligo/driver/generic"
	"github.com/scrapli/scrapligo/driver/options"
	"github.com/scrapli/scrapligo/util"
)

// Defaults applied by Open to zero Config fields.
const (
	DefaultPort           = 22
	DefaultConnectTimeout = 15 * time.Second
	DefaultCommandTimeout = 60 * time.Second
	DefaultReturnChar     = "\n"
	DefaultTermWidth      = 511
	// DefaultTermHeight is the pty height requested (scrapligo's default). Paging must still be
	// turned off on the device with OnOpen commands.
	DefaultTermHeight = 255
	// DefaultPromptPattern matches common prompts such as "user@host:~$ ", "user@host> ",
	// "ssg5-> ", "router# " or a bare "> ".
	DefaultPromptPattern = `^[\w.\-@()/:~\[\]]{0,63}[>#$%] ?$`
	// DefaultMaxOutputBytes bounds the output buffered for one command (64 MiB).
	DefaultMaxOutputBytes = 64 << 20
)

// ErrClosed is returned (wrapped) by Send and SendExpect on a session that is closed or whose
// connection is gone.
var ErrClosed = errors.New("sshcli: session is closed")

// ErrOutputTooLarge is returned (wrapped) when a command's output, or what the device prints
// before its first prompt, exceeds Config.MaxOutputBytes. The session is closed.
var ErrOutputTooLarge = errors.New("sshcli: device output too large")

// Config describes how to reach and log in to a device. The zero value of each optional field
// means its default. Config holds secrets (Password, PrivateKey, PrivateKeyPassphrase): never
// print it.
type Config struct {
	Host     string // host name or IP address (IPv6 with or without brackets)
	Port     int    // TCP port, default 22
	Username string

	// Password is used for "password" auth and to answer the password questions of
	// "keyboard-interactive" auth (questions the server does not echo and that ask for a
	// password or passphrase); any other question fails the login with an *AuthError.
	Password string
	// PrivateKey is a PEM or OpenSSH private key for "publickey" auth; it may be encrypted
	// with PrivateKeyPassphrase. Password and PrivateKey may both be set: the key is tried
	// first.
	PrivateKey           []byte
	PrivateKeyPassphrase string

	// Host-key verification: set at most one of KnownHostsFile, HostKey and
	// InsecureSkipHostKeyCheck. With none, ~/.ssh/known_hosts is used if it exists, else the
	// connection fails with a HostKeyError that prints the server's fingerprint.
	KnownHostsFile string // verify against this OpenSSH known_hosts file
	// HostKey pins one key: an authorized_keys-format line ("ssh-ed25519 AAAA...") or a
	// "SHA256:..." fingerprint.
	HostKey                  string
	InsecureSkipHostKeyCheck bool // explicit opt-out: accept any host key

	// Algorithm lists override x/crypto's defaults when non-nil.
	KeyExchanges, Ciphers, MACs, HostKeyAlgorithms []string
	// LegacyAlgorithms adds x/crypto's insecure algorithms (diffie-hellman-group1-sha1,
	// group-exchange-sha1, CBC ciphers, arcfour, hmac-sha1-96, ssh-dss, ssh-rsa) to the default
	// lists; lists set explicitly above are used as given.
	LegacyAlgorithms bool

	// Jump is an optional jump (bastion) host, connected to first with its own auth and
	// host-key settings; Host:Port is then dialled through it ("direct-tcpip"). Its own
	// timeouts and CLI fields are ignored: the whole chain is bounded by ConnectTimeout.
	Jump *Config

	// ConnectTimeout bounds all of Open up to and including the first prompt: TCP connect,
	// SSH handshake, auth, shell start (default 15s). OnOpen commands then get CommandTimeout
	// each.
	ConnectTimeout time.Duration
	// CommandTimeout bounds each Send (default 60s).
	CommandTimeout time.Duration

	// PromptPattern is a Go regexp, compiled in multi-line mode, matching every prompt of the
	// device (default DefaultPromptPattern). A prompt is recognised only when a match starts at
	// the beginning of a line (the start of the output or right after "\n") and reaches the
	// very end of what the device has printed so far (trailing spaces and tabs allowed), so
	// output lines that merely look like prompts, or end like one, do not end a command.
	PromptPattern string
	ReturnChar    string   // sent after each command, default "\n"
	OnOpen        []string // commands sent after the first prompt (paging off etc.)
	// CheckOnOpen, if set, is called with each OnOpen command and its output; an error fails
	// Open, naming the command.
	CheckOnOpen func(command, output string) error `json:"-"`
	TermWidth   int                                // pty width, default 511 so long commands do not wrap

	// MaxOutputBytes bounds what is buffered for one command (and before the first prompt),
	// default DefaultMaxOutputBytes. Past it the session stops reading, is closed, and the
	// command fails with ErrOutputTooLarge. The heap a session needs is then bounded too: a
	// command that reaches the limit peaks at about 2.5 times MaxOutputBytes (the growing
	// buffer and the garbage of its earlier copies; measured: 171 MiB for the 64 MiB default),
	// plus about 3 MiB of queues (scrapligo's, held to 128 reads, and x/crypto's SSH window).
	MaxOutputBytes int
}

func (c Config) withDefaults() Config {
	if c.Port == 0 {
		c.Port = DefaultPort
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = DefaultConnectTimeout
	}
	if c.CommandTimeout <= 0 {
		c.CommandTimeout = DefaultCommandTimeout
	}
	if c.PromptPattern == "" {
		c.PromptPattern = DefaultPromptPattern
	}
	if c.ReturnChar == "" {
		c.ReturnChar = DefaultReturnChar
	}
	if c.TermWidth <= 0 {
		c.TermWidth = DefaultTermWidth
	}
	if c.MaxOutputBytes <= 0 {
		c.MaxOutputBytes = DefaultMaxOutputBytes
	}
	return c
}

func (c Config) validate() error {
	switch {
	case c.Host == "":
		return errors.New("sshcli: host is required")
	case c.Port < 1 || c.Port > 65535:
		return fmt.Errorf("sshcli: port %d is out of range", c.Port)
	case c.Username == "":
		return errors.New("sshcli: username is required")
	}
	return nil
}

// addr returns "host:port" (IPv6 in brackets).
func (c Config) addr() string {
	return net.JoinHostPort(strings.TrimSuffix(strings.TrimPrefix(c.Host, "["), "]"), strconv.Itoa(c.Port))
}

// matcher is a prompt (or expect) pattern: re as given, and anchored, which matches only a
// prompt that starts at the beginning of the text and ends at its end (trailing blanks
// allowed).
type matcher struct {
	re       *regexp.Regexp
	anchored *regexp.Regexp
}

func newMatcher(pattern string) (*matcher, error) {
	re, err := regexp.Compile("(?m)" + pattern)
	if err != nil {
		return nil, err
	}
	anchored, err := regexp.Compile(`(?m)\A(?:` + pattern + `)[ \t]*\z`)
	if err != nil {
		return nil, err
	}
	return &matcher{re: re, anchored: anchored}, nil
}

// Session is an open interactive CLI session. Send, SendExpect, SendMarked, Prompt and
// SetRedactor must be used by one goroutine at a time (the caller serializes commands);
// Close and Alive may be called concurrently with them.
type Session struct {
	addr       string
	driver     *generic.Driver
	tr         *sshTransport
	prompt     *matcher
	cmdTimeout time.Duration
	maxOutput  int

	mu         sync.Mutex
	lastPrompt string
	redact     func(string) string

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

// Open connects to cfg.Host, verifies its host key, authenticates, starts a shell with a pty
// of cfg.TermWidth columns, waits for the first prompt and sends cfg.OnOpen (checking each
// output with cfg.CheckOnOpen). Everything up to the first prompt is bounded by
// cfg.ConnectTimeout and ctx. Most devices print a prompt as soon as the shell starts; if none
// has come within min(1s, ConnectTimeout/4), a return is sent to ask for one.
//
// Errors: *HostKeyError (verification failed), *AuthError (credentials rejected, or a
// keyboard-interactive question that is not a password prompt), errors wrapping
// context.DeadlineExceeded (connect timeout) or context.Canceled; all name host:port.
func Open(ctx context.Context, cfg Config) (*Session, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	addr := cfg.addr()
	prompt, err := newMatcher(cfg.PromptPattern)
	if err != nil {
		return nil, fmt.Errorf("sshcli: %s: prompt pattern: %w", addr, err)
	}

	octx, cancel := context.WithTimeout(ctx, cfg.ConnectTimeout)
	defer cancel()
	wd := newWatchdog(octx)
	// timedOut also covers the moment just before octx reports it: the TCP connection's
	// deadline is the same instant and may close the connection first.
	timedOut := func() bool {
		dl, ok := octx.Deadline()
		return octx.Err() != nil || (ok && !time.Now().Before(dl))
	}
	stage := "connecting"
	fail := func(err error) error {
		switch {
		case ctx.Err() != nil:
			return fmt.Errorf("sshcli: %s: %s: %w", addr, stage, ctx.Err())
		case timedOut() || errors.Is(err, os.ErrDeadlineExceeded):
			return fmt.Errorf("sshcli: %s: connect timeout (%s) while %s: %w (%v)",
				addr, cfg.ConnectTimeout, stage, context.DeadlineExceeded, err)
		}
		return fmt.Errorf("sshcli: %s: %s: %w", addr, stage, err)
	}

	conn, err := dialChain(octx, cfg, wd)
	if err != nil {
		wd.stop()
		return nil, fail(err)
	}
	tr := newSSHTransport(conn)
	drv, err := generic.NewDriver(cfg.Host,
		options.WithCustomTransport(tr),
		options.WithAuthBypass(),
		options.WithPort(cfg.Port),
		options.WithPromptPattern(prompt.re),
		options.WithReturnChar(cfg.ReturnChar),
		options.WithTermWidth(cfg.TermWidth),
		options.WithTermHeight(DefaultTermHeight),
		options.WithTimeoutOps(cfg.CommandTimeout),
	)
	if err != nil {
		wd.stop()
		_ = tr.Close()
		return nil, fail(err)
	}
	tr.bound(drv.Channel.Q)
	s := &Session{
		addr:       addr,
		driver:     drv,
		tr:         tr,
		prompt:     prompt,
		cmdTimeout: cfg.CommandTimeout,
		maxOutput:  cfg.MaxOutputBytes,
	}

	stage = "starting the shell"
	if err := drv.Open(); err != nil {
		wd.stop()
		_ = tr.Close()
		return nil, fail(err)
	}
	stage = "waiting for the first prompt"
	prompts := []*matcher{prompt}
	buf, err := s.firstPrompt(octx, prompts, min(firstPromptGrace, cfg.ConnectTimeout/4))
	if !wd.stop() && err == nil {
		err = errors.New("connection closed by the connect timeout")
	}
	if err != nil {
		_ = s.Close()
		if timedOut() {
			err = fmt.Errorf("no prompt matching %q", cfg.PromptPattern)
		}
		return nil, fail(fmt.Errorf("%w; %s", err, loginHint(buf)))
	}
	start, _ := findPrompt(buf, prompts)
	s.lastPrompt = string(buf[start:])
	conn.clearDeadline()

	for _, c := range cfg.OnOpen {
		out, err := s.Send(ctx, c)
		if err == nil && cfg.CheckOnOpen != nil {
			if cerr := cfg.CheckOnOpen(c, out); cerr != nil {
				err = s.cmdError(c, false, fmt.Errorf("the device refused it: %w", cerr))
			}
		}
		if err != nil {
			_ = s.Close()
			return nil, fmt.Errorf("on-open command: %w", err)
		}
	}
	return s, nil
}

// SetRedactor installs f, applied to every command that this session puts into an error
// message. Use it to mask secrets (pre-shared keys, passwords) sent in commands. nil removes
// it. Device output is never put into error messages.
func (s *Session) SetRedactor(f func(string) string) {
	s.mu.Lock()
	s.redact = f
	s.mu.Unlock()
}

func (s *Session) redacted(v string) string {
	s.mu.Lock()
	f := s.redact
	s.mu.Unlock()
	if f == nil {
		return v
	}
	return f(v)
}

// Prompt returns the last prompt the device printed, e.g. "ubnt@ubnt# ".
func (s *Session) Prompt() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastPrompt
}

// Alive reports whether the session can still run commands: it has not been closed, the SSH
// connection is up and no command was aborted.
func (s *Session) Alive() bool {
	return !s.closed.Load() && s.tr.IsAlive()
}

// Close ends the shell and the SSH connection(s). It is idempotent and may be called
// concurrently with Send, which then fails promptly.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		// Closing the transport first unblocks scrapligo's read goroutine, so the channel
		// shuts down without waiting for its force-close timer.
		s.closeErr = s.tr.Close()
		_ = s.driver.Close()
	})
	return s.closeErr
}

// Send writes command, waits for its echo, sends the return character and waits for the
// prompt. It returns the output without the echoed command and the trailing prompt, with
// "\r\n" normalised to "\n" (scrapligo drops every "\r" and ANSI escape sequence) and leading
// and trailing newlines removed.
//
// The wait is bounded by ctx and by the session's CommandTimeout, and the output by
// MaxOutputBytes. A command that fails in any way (timeout, cancellation, transport error,
// output too large) leaves the device in an unknown state, so the session is closed and Alive
// reports false. Errors name host:port and the command (through the redactor) and say how
// much output was received, never what it was.
//
// The device must echo what it receives (the pty is requested with ECHO on, which all
// supported platforms honour). command must be a single line.
//
// The end of the output is recognised by the prompt alone: a command whose output could end
// with a line that matches the prompt pattern should use SendMarked.
func (s *Session) Send(ctx context.Context, command string) (string, error) {
	return s.send(ctx, command, nil, "", false, s.cmdTimeout)
}

// SendTimeout is Send bounded by timeout or the session's CommandTimeout, whichever is longer,
// for commands that legitimately take longer than others (a commit that restarts VPN daemons):
// cutting such a command short would leave the device's outcome unknown.
func (s *Session) SendTimeout(ctx context.Context, command string, timeout time.Duration) (string, error) {
	timeout = max(timeout, s.cmdTimeout)
	return s.send(ctx, command, nil, "", false, timeout)
}

// SendExpect is Send for interactive dialogs: it also stops when the output ends with a match
// of expect (a Go regexp, multi-line mode, matched from the start of a line like the prompt),
// e.g. `Password: ?$` after "administrator" on a Yamaha RTX or `save\? \[y\]/n ?$` on
// ScreenOS; Prompt then returns the matched text. With hidden set, command is not expected to
// be echoed (devices turn echo off for passwords) and is never quoted in errors. expect may
// be empty.
func (s *Session) SendExpect(ctx context.Context, command, expect string, hidden bool) (string, error) {
	var m *matcher
	if expect != "" {
		var err error
		if m, err = newMatcher(expect); err != nil {
			return "", s.cmdError(command, hidden, fmt.Errorf("expect pattern: %w", err))
		}
	}
	return s.send(ctx, command, m, "", hidden, s.cmdTimeout)
}

// SendMarked is Send for output that must be complete, such as the configuration: command must
// make the device print marker on a line of its own after the real output (for example
// "show configuration commands; echo onpremvpn-end-1f3a9c..."). SendMarked waits for the echo
// of command, sends the return character and reads until the output holds a line exactly
// equal to marker followed by a prompt at the end of what was printed; a line that looks like
// a prompt before the marker does not end it. It returns the output before the marker line,
// without the echoed command, like Send.
//
// marker should be unpredictable (random) so that the real output cannot contain it as a
// line; it must be a non-empty single line without leading or trailing blanks.
func (s *Session) SendMarked(ctx context.Context, command, marker string) (string, error) {
	if marker == "" || strings.ContainsAny(marker, "\r\n") || strings.TrimSpace(marker) != marker {
		return "", s.cmdError(command, false, errors.New("the end marker must be a non-empty single line without leading or trailing blanks"))
	}
	return s.send(ctx, command, nil, marker, false, s.cmdTimeout)
}

func (s *Session) send(ctx context.Context, command string, expect *matcher, marker string, hidden bool, timeout time.Duration) (string, error) {
	if strings.ContainsAny(command, "\r\n") {
		return "", s.cmdError(command, hidden, errors.New("command must be a single line"))
	}
	if !s.Alive() {
		return "", s.cmdError(command, hidden, ErrClosed)
	}
	if err := ctx.Err(); err != nil {
		return "", s.cmdError(command, hidden, err) // nothing sent: the session stays usable
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cctx = context.WithValue(cctx, timeoutKey{}, timeout)
	// scrapligo's writes take no context: close the connection if ctx ends while one blocks.
	stop := context.AfterFunc(cctx, func() { _ = s.tr.Close() })

	out, err := s.exchange(cctx, command, expect, marker, hidden)
	stop()
	if err != nil {
		_ = s.Close()
		return "", err
	}
	return out, nil
}

// exchange runs one command on the channel; see Send, SendExpect and SendMarked.
func (s *Session) exchange(ctx context.Context, command string, expect *matcher, marker string, hidden bool) (string, error) {
	ch := s.driver.Channel
	fail := func(what string, err error, hint string) (string, error) {
		err = s.connErr(ctx, err)
		if what != "" {
			err = fmt.Errorf("%s: %w", what, err)
		}
		if hint != "" {
			err = fmt.Errorf("%w; %s", err, hint)
		}
		return "", s.cmdError(command, hidden, err)
	}
	// Drop anything printed since the last prompt (late output, asynchronous messages).
	_, err := ch.ReadAll()
	s.tr.consumed()
	if err != nil {
		return fail("", err, "")
	}
	if err := ch.Write([]byte(command), true); err != nil {
		return fail("", err, "")
	}
	if command != "" && !hidden {
		buf, err := s.readUntil(ctx, nil, echoDone([]byte(command)))
		if err != nil {
			return fail("waiting for the device to echo the command", err, s.outputHint(buf, nil))
		}
	}
	if err := ch.WriteReturn(); err != nil {
		return fail("", err, "")
	}
	patterns := []*matcher{s.prompt}
	if expect != nil {
		patterns = append(patterns, expect)
	}
	var (
		ms                  *markerScan // SendMarked's end test
		outEnd, promptStart int
	)
	done := func(b []byte) bool {
		var ok bool
		promptStart, ok = findPrompt(b, patterns)
		outEnd = promptStart
		return ok
	}
	if marker != "" {
		ms = &markerScan{marker: []byte(marker), found: -1}
		done = func(b []byte) bool {
			var ok bool
			outEnd, promptStart, ok = ms.done(b, patterns)
			return ok
		}
	}
	buf, err := s.readUntil(ctx, nil, done)
	if err != nil {
		want := fmt.Sprintf("a prompt matching %q", s.prompt.re.String())
		if expect != nil {
			want += fmt.Sprintf(" or %q", expect.re.String())
		}
		hint := s.outputHint(buf, patterns)
		if ms != nil {
			want = "the end marker and " + want
			if ms.found < 0 {
				hint += "; the end marker was not seen"
			} else {
				hint += fmt.Sprintf("; the end marker was seen, followed by %d bytes", len(buf)-ms.after)
			}
		}
		return fail("waiting for "+want, err, hint)
	}
	s.mu.Lock()
	s.lastPrompt = string(buf[promptStart:])
	s.mu.Unlock()

	out := buf[:outEnd]
	// The echo of the return key; some devices echo the whole line again only now.
	out = bytes.TrimPrefix(out, []byte("\n"))
	if rest, ok := bytes.CutPrefix(out, []byte(command+"\n")); ok && command != "" && !hidden {
		out = rest
	}
	return strings.Trim(string(out), "\n"), nil
}

// echoDone reports when the output holds the echo of input. The echo is found "roughly"
// (scrapligo's BytesRoughlyContains: the characters of input in order, so that a device that
// wraps or redraws the line still matches), searching only what is new since the last call
// plus an overlap, so that a flood of output costs linear time.
func echoDone(input []byte) func([]byte) bool {
	checked := 0
	overlap := 2*len(input) + 256
	return func(b []byte) bool {
		from := max(0, checked-overlap)
		checked = len(b)
		return util.BytesRoughlyContains(input, b[from:])
	}
}

// markerScan finds the end of SendMarked's output: a line exactly equal to marker, followed by
// a prompt at the end of the output. Lines are examined once each.
type markerScan struct {
	marker  []byte
	scanned int // start of the first line not examined yet
	found   int // start of the last marker line, -1 if none
	after   int // offset just after that line's "\n"
}

// done returns where the output ends (the marker line's start) and where the prompt starts
// once b holds the marker line and ends with a prompt.
func (m *markerScan) done(b []byte, patterns []*matcher) (outEnd, promptStart int, ok bool) {
	for {
		i := bytes.IndexByte(b[m.scanned:], '\n')
		if i < 0 {
			break
		}
		if bytes.Equal(b[m.scanned:m.scanned+i], m.marker) {
			m.found, m.after = m.scanned, m.scanned+i+1
		}
		m.scanned += i + 1
	}
	if m.found < 0 {
		return 0, 0, false
	}
	// b[m.after:] starts at the beginning of a line, so findPrompt treats it as one.
	p, ok := findPrompt(b[m.after:], patterns)
	if !ok {
		return 0, 0, false
	}
	return m.found, m.after + p, true
}

// Timing of the first-prompt wait, see firstPrompt.
const (
	firstPromptGrace  = time.Second
	firstPromptSettle = 150 * time.Millisecond
)

// firstPrompt waits for the device's first prompt. Most devices print it by themselves when
// the shell starts; a return is sent only if none has come within grace, and then a short
// settle period swallows a second prompt from a device that was merely slow, so that no stale
// prompt is left to be mistaken for the end of the first command.
func (s *Session) firstPrompt(ctx context.Context, prompts []*matcher, grace time.Duration) ([]byte, error) {
	matched := func(b []byte) bool { _, ok := findPrompt(b, prompts); return ok }
	gctx, cancel := context.WithTimeout(ctx, grace)
	buf, err := s.readUntil(gctx, nil, matched)
	cancel()
	if err == nil || ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded) {
		return buf, err
	}
	if err := s.driver.Channel.WriteReturn(); err != nil {
		return buf, err
	}
	if buf, err = s.readUntil(ctx, buf, matched); err != nil {
		return buf, err
	}
	n := len(buf)
	sctx, cancel := context.WithTimeout(ctx, firstPromptSettle)
	defer cancel()
	more, err := s.readUntil(sctx, buf, func(b []byte) bool { return len(b) > n && matched(b) })
	switch {
	case err == nil:
		return more, nil // the second prompt
	case ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded):
		return more, err
	}
	return buf, nil // quiet: keep the first prompt
}

// pollInterval is how often an empty channel queue is polled.
const pollInterval = time.Millisecond

// readUntil appends channel output to buf until done reports true, ctx ends, the connection
// fails or buf would exceed the session's MaxOutputBytes (ErrOutputTooLarge); it returns what
// it has in every case.
func (s *Session) readUntil(ctx context.Context, buf []byte, done func([]byte) bool) ([]byte, error) {
	timer := time.NewTimer(pollInterval)
	defer timer.Stop()
	for {
		if err := ctx.Err(); err != nil {
			return buf, err
		}
		b, err := s.driver.Channel.Read()
		if err != nil {
			return buf, err
		}
		if len(b) == 0 {
			timer.Reset(pollInterval)
			select {
			case <-ctx.Done():
			case <-timer.C:
			}
			continue
		}
		s.tr.consumed()
		if len(buf)+len(b) > s.maxOutput {
			return buf, fmt.Errorf("output exceeded %d bytes: %w", s.maxOutput, ErrOutputTooLarge)
		}
		buf = append(buf, b...)
		if done(buf) {
			return buf, nil
		}
	}
}

// promptSearchDepth is how many trailing bytes are searched for the prompt.
const promptSearchDepth = 2048

// termControl matches terminal control sequences that may precede a prompt on its line:
// a window-title sequence (ESC ] 0 ; title BEL), also as scrapligo's ANSI stripping leaves it
// (";title BEL": it removes only "ESC ]0"), and CSI sequences left whole when they arrived
// split across two reads. Shells set the title in the prompt itself (Debian's .bashrc does for
// TERM=xterm*), so these bytes start the prompt's line.
var termControl = regexp.MustCompile(`\A(?:(?:\x1b\]|;)[^\n\x07\x1b]*\x07|\x1b\[[0-9;?]*[A-Za-z])+`)

// findPrompt reports where the prompt starts when buf ends with a prompt: a match of one of
// the patterns that starts at the beginning of a line (buf[0] or right after "\n"; terminal
// control sequences, see termControl, may come first) and is followed only by spaces or tabs
// (or that matches once those are trimmed). Where several line starts qualify (a multi-line
// prompt), the earliest wins. Only the last promptSearchDepth bytes are searched.
func findPrompt(buf []byte, patterns []*matcher) (int, bool) {
	ls := 0
	if len(buf) > promptSearchDepth {
		off := len(buf) - promptSearchDepth
		i := bytes.IndexByte(buf[off-1:], '\n') // a line starts at off if buf[off-1] is "\n"
		if i < 0 {
			return 0, false
		}
		ls = off + i
	}
	for ls < len(buf) {
		line := buf[ls:]
		if line[0] == 0x1b || line[0] == ';' {
			line = line[len(termControl.Find(line)):]
		}
		trimmed := bytes.TrimRight(line, " \t")
		for _, m := range patterns {
			if m.anchored.Match(line) || (len(trimmed) < len(line) && m.anchored.Match(trimmed)) {
				return ls, true
			}
		}
		i := bytes.IndexByte(buf[ls:], '\n')
		if i < 0 {
			break
		}
		ls += i + 1
	}
	return 0, false
}

// timeoutKey carries the bound of the running command, for its timeout message.
type timeoutKey struct{}

// connErr explains a channel error: a context error, or a closed connection.
func (s *Session) connErr(ctx context.Context, err error) error {
	if errors.Is(err, ErrOutputTooLarge) {
		return err
	}
	if ctx.Err() != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t, ok := ctx.Value(timeoutKey{}).(time.Duration)
			if !ok {
				t = s.cmdTimeout
			}
			return fmt.Errorf("command timeout (%s): %w", t, ctx.Err())
		}
		return ctx.Err()
	}
	if errors.Is(err, util.ErrConnectionError) || !s.tr.IsAlive() {
		return fmt.Errorf("%w: connection lost (%v)", ErrClosed, err)
	}
	return err
}

// cmdError wraps err with the address and the redacted command. It never quotes output.
func (s *Session) cmdError(command string, hidden bool, err error) error {
	shown := "<hidden>"
	if !hidden {
		shown = s.redacted(command)
	}
	return fmt.Errorf("sshcli: %s: command %q: %w", s.addr, shown, err)
}

// hintDepth bounds how much of the output outputHint examines for prompt-like lines.
const hintDepth = 64 << 10

// outputHint describes what a command printed without quoting any of it (it may be
// configuration): how many bytes and lines, whether it ends with a prompt, and how many lines
// looked like a prompt. patterns may be nil (no prompt was expected yet).
func (s *Session) outputHint(buf []byte, patterns []*matcher) string {
	if len(buf) == 0 {
		return "nothing was received"
	}
	hint := fmt.Sprintf("received %d bytes in %d lines", len(buf), countLines(buf))
	if patterns == nil {
		return hint
	}
	if _, ok := findPrompt(buf, patterns); ok {
		return hint + ", ending with a prompt"
	}
	n := promptLikeLines(buf, patterns)
	switch {
	case n == 0:
		hint += ", no line looked like a prompt"
	default:
		hint += fmt.Sprintf(", %d line(s) looked like a prompt but more output followed", n)
	}
	return hint
}

// loginHint describes what the device printed before its first prompt (a banner, a message of
// the day, the prompt itself) without quoting it: banners are device configuration, and
// anything printed after login may be. The size and the last character of the last line are
// enough to see whether a prompt of another shape was printed.
func loginHint(buf []byte) string {
	if len(buf) == 0 {
		return "the device printed nothing"
	}
	last := buf
	if i := bytes.LastIndexByte(bytes.TrimRight(buf, "\n"), '\n'); i >= 0 {
		last = buf[i+1:]
	}
	last = bytes.TrimRight(last, " \t\n")
	hint := fmt.Sprintf("the device printed %d bytes in %d lines", len(buf), countLines(buf))
	if len(last) == 0 {
		return hint
	}
	hint += fmt.Sprintf("; the last line is %d characters long", len([]rune(string(last))))
	if c := last[len(last)-1]; strings.IndexByte(`>#$%:]) `, c) >= 0 {
		hint += fmt.Sprintf(" and ends with %q, like a prompt of another shape (is this a device of the configured platform?)", string(c))
	}
	return hint
}

func countLines(b []byte) int {
	n := bytes.Count(b, []byte("\n"))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}

// promptLikeLines counts the lines (in the last hintDepth bytes) that match a prompt pattern
// on their own.
func promptLikeLines(buf []byte, patterns []*matcher) int {
	if len(buf) > hintDepth {
		buf = buf[len(buf)-hintDepth:]
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			buf = buf[i+1:]
		}
	}
	n := 0
	for line := range bytes.SplitSeq(buf, []byte("\n")) {
		trimmed := bytes.TrimRight(line, " \t")
		if len(trimmed) == 0 {
			continue
		}
		for _, m := range patterns {
			if m.anchored.Match(trimmed) {
				n++
				break
			}
		}
	}
	return n
}
