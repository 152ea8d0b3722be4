// Package sshcli is the SSH transport of the provider: it opens an interactive CLI session
// (pty + shell) on a network device and runs one command at a time, returning what the device
// printed without the echoed command and the trailing prompt.
//
// The SSH layer is golang.org/x/crypto/ssh, configured here (host-key verification on by
// default, password / keyboard-interactive / public-key auth, algorithm lists with an opt-in
// for legacy algorithms, jump host, timeouts). The CLI layer is scrapligo v1.4.3's generic
// driver with a custom transport (never scrapligo's "system" transport) and auth bypass: the
// driver owns the read loop, strips "\r" and ANSI escapes, and queues what the device prints;
// this package drives the channel itself so that every wait honours a context (see Send).
//
// Nothing in this package logs; scrapligo's logger is left off. Errors never contain the
// password, key or passphrase; commands and output quoted in errors go through the session's
// redactor (SetRedactor).
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
)

// ErrClosed is returned (wrapped) by Send and SendExpect on a session that is closed or whose
// connection is gone.
var ErrClosed = errors.New("sshcli: session is closed")

// Config describes how to reach and log in to a device. The zero value of each optional field
// means its default. Config holds secrets (Password, PrivateKey, PrivateKeyPassphrase): never
// print it.
type Config struct {
	Host     string // host name or IP address (IPv6 with or without brackets)
	Port     int    // TCP port, default 22
	Username string

	// Password is used for both "password" and "keyboard-interactive" auth (every
	// keyboard-interactive question is answered with it).
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
	// device (default DefaultPromptPattern). A prompt is recognised only at the very end of
	// what the device has printed so far (trailing spaces and tabs allowed), so output lines
	// that merely look like prompts do not end a command.
	PromptPattern string
	ReturnChar    string   // sent after each command, default "\n"
	OnOpen        []string // commands sent after the first prompt (paging off etc.)
	TermWidth     int      // pty width, default 511 so long commands do not wrap
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

// Session is an open interactive CLI session. Send, Prompt and SetRedactor must be used by
// one goroutine at a time (the caller serializes commands); Close and Alive may be called
// concurrently with them.
type Session struct {
	addr       string
	driver     *generic.Driver
	tr         *sshTransport
	prompt     *regexp.Regexp
	cmdTimeout time.Duration

	mu         sync.Mutex
	lastPrompt string
	redact     func(string) string

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
}

// Open connects to cfg.Host, verifies its host key, authenticates, starts a shell with a pty
// of cfg.TermWidth columns, waits for the first prompt and sends cfg.OnOpen. Everything up to
// the first prompt is bounded by cfg.ConnectTimeout and ctx. Most devices print a prompt as
// soon as the shell starts; if none has come within min(1s, ConnectTimeout/4), a return is
// sent to ask for one.
//
// Errors: *HostKeyError (verification failed), *AuthError (credentials rejected), errors
// wrapping context.DeadlineExceeded (connect timeout) or context.Canceled; all name host:port.
func Open(ctx context.Context, cfg Config) (*Session, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	addr := cfg.addr()
	re, err := regexp.Compile("(?m)" + cfg.PromptPattern)
	if err != nil {
		return nil, fmt.Errorf("sshcli: %s: prompt pattern: %w", addr, err)
	}

	octx, cancel := context.WithTimeout(ctx, cfg.ConnectTimeout)
	defer cancel()
	wd := newWatchdog(octx)
	stage := "connecting"
	fail := func(err error) error {
		switch {
		case ctx.Err() != nil:
			return fmt.Errorf("sshcli: %s: %s: %w", addr, stage, ctx.Err())
		case octx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded):
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
		options.WithPromptPattern(re),
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
	s := &Session{
		addr:       addr,
		driver:     drv,
		tr:         tr,
		prompt:     re,
		cmdTimeout: cfg.CommandTimeout,
	}

	stage = "starting the shell"
	if err := drv.Open(); err != nil {
		wd.stop()
		_ = tr.Close()
		return nil, fail(err)
	}
	stage = "waiting for the first prompt"
	prompts := []*regexp.Regexp{re}
	buf, err := s.firstPrompt(octx, prompts, min(firstPromptGrace, cfg.ConnectTimeout/4))
	if !wd.stop() && err == nil {
		err = errors.New("connection closed by the connect timeout")
	}
	if err != nil {
		_ = s.Close()
		if octx.Err() == nil {
			err = fmt.Errorf("%w; last output: %q", err, s.tail(buf))
		} else {
			err = fmt.Errorf("no prompt matching %q; last output: %q", cfg.PromptPattern, s.tail(buf))
		}
		return nil, fail(err)
	}
	start, _ := findPrompt(buf, prompts)
	s.lastPrompt = string(buf[start:])
	conn.clearDeadline()

	for _, c := range cfg.OnOpen {
		if _, err := s.Send(ctx, c); err != nil {
			_ = s.Close()
			return nil, fmt.Errorf("on-open command: %w", err)
		}
	}
	return s, nil
}

// SetRedactor installs f, applied to every command and every piece of device output that this
// session puts into an error message. Use it to mask secrets (pre-shared keys, passwords) sent
// in commands. nil removes it.
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
// The wait is bounded by ctx and by the session's CommandTimeout. A command that fails in any
// way (timeout, cancellation, transport error) leaves the device in an unknown state, so the
// session is closed and Alive reports false. Errors name host:port and the command (through
// the redactor) and quote the last output received.
//
// The device must echo what it receives (the pty is requested with ECHO on, which all
// supported platforms honour). command must be a single line.
func (s *Session) Send(ctx context.Context, command string) (string, error) {
	return s.send(ctx, command, nil, false)
}

// SendExpect is Send for interactive dialogs: it also stops when the output ends with a match
// of expect (a Go regexp, multi-line mode), e.g. `Password: ?$` after "administrator" on a
// Yamaha RTX or `save\? \[y\]/n ?$` on ScreenOS; Prompt then returns the matched text. With
// hidden set, command is not expected to be echoed (devices turn echo off for passwords) and
// is never quoted in errors. expect may be nil.
func (s *Session) SendExpect(ctx context.Context, command, expect string, hidden bool) (string, error) {
	var re *regexp.Regexp
	if expect != "" {
		var err error
		if re, err = regexp.Compile("(?m)" + expect); err != nil {
			return "", s.cmdError(command, hidden, fmt.Errorf("expect pattern: %w", err), nil)
		}
	}
	return s.send(ctx, command, re, hidden)
}

func (s *Session) send(ctx context.Context, command string, expect *regexp.Regexp, hidden bool) (string, error) {
	if strings.ContainsAny(command, "\r\n") {
		return "", s.cmdError(command, hidden, errors.New("command must be a single line"), nil)
	}
	if !s.Alive() {
		return "", s.cmdError(command, hidden, ErrClosed, nil)
	}
	if err := ctx.Err(); err != nil {
		return "", s.cmdError(command, hidden, err, nil) // nothing sent: the session stays usable
	}
	cctx, cancel := context.WithTimeout(ctx, s.cmdTimeout)
	defer cancel()
	// scrapligo's writes take no context: close the connection if ctx ends while one blocks.
	stop := context.AfterFunc(cctx, func() { _ = s.tr.Close() })

	out, err := s.exchange(cctx, command, expect, hidden)
	stop()
	if err != nil {
		_ = s.Close()
		return "", err
	}
	return out, nil
}

// exchange runs one command on the channel; see Send and SendExpect.
func (s *Session) exchange(ctx context.Context, command string, expect *regexp.Regexp, hidden bool) (string, error) {
	ch := s.driver.Channel
	fail := func(what string, err error, buf []byte) (string, error) {
		err = s.connErr(ctx, err)
		if what != "" {
			err = fmt.Errorf("%s: %w", what, err)
		}
		return "", s.cmdError(command, hidden, err, buf)
	}
	// Drop anything printed since the last prompt (late output, asynchronous messages).
	if _, err := ch.ReadAll(); err != nil {
		return fail("", err, nil)
	}
	if err := ch.Write([]byte(command), true); err != nil {
		return fail("", err, nil)
	}
	if command != "" && !hidden {
		input := []byte(command)
		buf, err := s.readUntil(ctx, nil, func(b []byte) bool { return util.BytesRoughlyContains(input, b) })
		if err != nil {
			return fail("waiting for the device to echo the command", err, buf)
		}
	}
	if err := ch.WriteReturn(); err != nil {
		return fail("", err, nil)
	}
	patterns := []*regexp.Regexp{s.prompt}
	if expect != nil {
		patterns = append(patterns, expect)
	}
	var start int
	buf, err := s.readUntil(ctx, nil, func(b []byte) bool {
		var ok bool
		start, ok = findPrompt(b, patterns)
		return ok
	})
	if err != nil {
		want := fmt.Sprintf("a prompt matching %q", s.prompt.String())
		if expect != nil {
			want += fmt.Sprintf(" or %q", expect.String())
		}
		return fail("waiting for "+want, err, buf)
	}
	s.mu.Lock()
	s.lastPrompt = string(buf[start:])
	s.mu.Unlock()

	out := buf[:start]
	// The echo of the return key; some devices echo the whole line again only now.
	out = bytes.TrimPrefix(out, []byte("\n"))
	if rest, ok := bytes.CutPrefix(out, []byte(command+"\n")); ok && command != "" && !hidden {
		out = rest
	}
	return strings.Trim(string(out), "\n"), nil
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
func (s *Session) firstPrompt(ctx context.Context, prompts []*regexp.Regexp, grace time.Duration) ([]byte, error) {
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

// readUntil appends channel output to buf until done reports true, ctx ends or the
// connection fails; it returns what it has in every case.
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
		buf = append(buf, b...)
		if done(buf) {
			return buf, nil
		}
	}
}

// promptSearchDepth is how many trailing bytes are searched for the prompt.
const promptSearchDepth = 2048

// findPrompt reports where the prompt starts when buf ends with a prompt: the last match of
// one of the patterns must be followed only by spaces or tabs (or the pattern must match once
// those are trimmed).
func findPrompt(buf []byte, patterns []*regexp.Regexp) (int, bool) {
	off := 0
	if len(buf) > promptSearchDepth {
		off = len(buf) - promptSearchDepth
		if i := bytes.IndexByte(buf[off:], '\n'); i >= 0 {
			off += i + 1
		}
	}
	tail := buf[off:]
	trimmed := bytes.TrimRight(tail, " \t")
	for _, re := range patterns {
		for _, t := range [][]byte{tail, trimmed} {
			locs := re.FindAllIndex(t, -1)
			if len(locs) == 0 {
				continue
			}
			last := locs[len(locs)-1]
			if len(bytes.TrimRight(t[last[1]:], " \t")) == 0 {
				return off + last[0], true
			}
		}
	}
	return 0, false
}

// connErr explains a channel error: a context error, or a closed connection.
func (s *Session) connErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("command timeout (%s): %w", s.cmdTimeout, ctx.Err())
		}
		return ctx.Err()
	}
	if errors.Is(err, util.ErrConnectionError) || !s.tr.IsAlive() {
		return fmt.Errorf("%w: connection lost (%v)", ErrClosed, err)
	}
	return err
}

// cmdError wraps err with the address, the redacted command and the redacted tail of output.
func (s *Session) cmdError(command string, hidden bool, err error, output []byte) error {
	shown := "<hidden>"
	if !hidden {
		shown = s.redacted(command)
	}
	if hidden && command != "" {
		output = bytes.ReplaceAll(output, []byte(command), []byte(shown))
	}
	msg := fmt.Sprintf("sshcli: %s: command %q", s.addr, shown)
	if len(output) > 0 {
		return fmt.Errorf("%s: %w; last output: %q", msg, err, s.tail(output))
	}
	return fmt.Errorf("%s: %w", msg, err)
}

// tailBytes is how much output error messages quote.
const tailBytes = 300

// tail returns the redacted end of b for error messages.
func (s *Session) tail(b []byte) string {
	out := s.redacted(string(b))
	if len(out) > tailBytes {
		out = "..." + out[len(out)-tailBytes:]
	}
	return out
}
