package rtx

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/flat"
)

type session struct {
	e           *engine
	user        string
	interactive bool
	admin       bool
	ctx         flat.Context
	cs          charset
	lines       int // 0: infinity
	columns     int
	question    string // "password", "save" or ""
	page        int    // page length of the last output, 0 for none
	failed      bool
	loggedOut   bool
}

func (e *engine) NewSession(info simulator.SessionInfo) simulator.CLISession {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := &session{e: e, user: info.User, interactive: info.Interactive, lines: 24, columns: 80}
	cs := e.m.defaultCharset()
	if v, ok := e.setting("console", "character"); ok {
		cs = v
	}
	s.cs = charsetOf(cs)
	if v, ok := e.setting("console", "lines"); ok {
		s.setLines(v)
	}
	if v, ok := e.setting("console", "columns"); ok {
		s.columns, _ = strconv.Atoi(v)
	}
	return s
}

func (s *session) setLines(v string) {
	if v == "infinity" {
		s.lines = 0
		return
	}
	s.lines, _ = strconv.Atoi(v)
}

// Banner is printed when the shell starts [INFERRED layout].
func (s *session) Banner() string {
	e := s.e
	return s.cs.encode(fmt.Sprintf("\n%s Rev.%s (%s)\n  Copyright (c) 1994-2024 Yamaha Corporation. All Rights Reserved.\n  To display the software copyright statement, use 'show copyright' command.\n  %s\n  %s\n\n",
		e.m.name, e.m.current, e.m.built, strings.Join(e.macs(), ", "), e.m.memory))
}

func (s *session) Prompt() string {
	s.e.mu.Lock()
	prefix, _ := s.e.setting("console", "prompt")
	s.e.mu.Unlock()
	mark := "> "
	if s.admin {
		mark = "# "
		if s.ctx.Depth() > 0 {
			op := s.ctx.Openers()[0]
			mark = op[0] + op[2] + "# "
		}
	}
	return s.cs.encode(prefix + mark)
}

// --- simulator.Pager, Asker, FailureFormatter, Failer, SessionCloser ---

func (s *session) PageLength() int {
	if !s.interactive {
		return 0
	}
	return s.page
}

func (s *session) PagerPrompt() string { return s.cs.encode(s.cs.text("more")) }

func (s *session) LastFailed() bool { return s.failed }

func (s *session) Question() (string, bool, bool) {
	switch s.question {
	case "password":
		return "Password: ", true, true
	case "save":
		return s.cs.encode(s.cs.text("save-prompt") + " "), false, true
	}
	return "", false, false
}

func (s *session) Answer(line string) (string, bool) {
	q := s.question
	s.question = ""
	s.page = 0
	e := s.e
	e.mu.Lock()
	defer e.mu.Unlock()
	switch q {
	case "password":
		if _, held := e.controls.LockHolder(); held {
			s.failed = true
			return s.out(s.cs.text("one-admin") + "\n"), false
		}
		if s.cs.decode(line) != e.adminPassword() {
			s.failed = true
			return s.out(s.cs.text("password") + "\n"), false
		}
		s.admin, s.ctx = true, flat.Context{}
		return "", false
	case "save":
		switch strings.TrimSpace(line) {
		case "Y", "y":
			out, ok := s.doSave("0")
			if ok {
				s.leaveAdmin()
			}
			return out, false
		case "N", "n":
			s.leaveAdmin()
			return "", false
		}
		s.question = "save" // asked again
		return "", false
	}
	return "", false
}

// FormatFailure prints a FailCommand message as the device prints a refused command.
func (s *session) FormatFailure(_, msg string) string {
	s.failed = true
	msg = strings.TrimRight(msg, "\n")
	if !strings.HasPrefix(msg, "Error:") && !strings.HasPrefix(msg, "エラー:") {
		if s.cs.japanese {
			msg = "エラー: " + msg
		} else {
			msg = "Error: " + msg
		}
	}
	return s.cs.encode(msg) + "\n"
}

// CloseSession: a session that logged out stopped its rollback timer already. A session
// lost with its timer running (the connection dropped, no quit/exit) leaves the timer
// running, and the configuration is restored when it expires: command reference 56.7.31
// restores on the timer's (or the login timer's) timeout and stops the timer only on
// confirm, save, quit/exit logout, restart and load, so a lost connection, which the safety
// net exists for, stops nothing [DOC, the lost session's case INFERRED]. The login timer is
// not modelled.
func (s *session) CloseSession() {
	e := s.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if s.loggedOut {
		e.stopRollback(s)
	}
}

func (s *session) leaveAdmin() {
	s.admin, s.ctx = false, flat.Context{}
}

// out finishes UTF-8 output: wrapped at the console's columns, encoded, paged when longer
// than the console's lines.
func (s *session) out(text string) string {
	if text == "" {
		return ""
	}
	text = wrap(text, s.columns)
	s.page = s.lines
	return s.cs.encode(text)
}

func (s *session) fail(key string) string {
	s.failed = true
	return s.out(s.cs.text(key) + "\n")
}

// wrap breaks lines longer than cols display columns.
func wrap(text string, cols int) string {
	if cols <= 0 {
		return text
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		w := 0
		for _, r := range line {
			if r == '\n' {
				b.WriteRune(r)
				continue
			}
			rw := 1
			if r >= 0x1100 && !(r >= 0xff61 && r <= 0xff9f) {
				rw = 2
			}
			if w+rw > cols {
				b.WriteByte('\n')
				w = 0
			}
			b.WriteRune(r)
			w += rw
		}
	}
	return b.String()
}

func (s *session) Exec(raw string) (string, bool) {
	s.failed, s.page = false, 0
	e := s.e
	line := s.cs.decode(raw)
	lx := lex(line)
	if len(lx.toks) == 0 {
		if lx.hasPip {
			return s.fail(mInvalidCommand), false
		}
		return "", false
	}
	if lx.ctrl {
		return s.fail(mKeyword), false
	}
	t := lx.toks
	cmd := t[0]
	switch {
	case cmd == "exit" || cmd == "quit":
		if len(t) > 2 || (len(t) == 2 && t[1] != "save") {
			return s.fail(mParams), false
		}
		if !s.admin {
			e.mu.Lock()
			e.stopRollback(s)
			e.mu.Unlock()
			s.loggedOut = true
			return "", true
		}
		e.mu.Lock()
		defer e.mu.Unlock()
		if len(t) == 2 {
			out, ok := s.doSave("0")
			if ok {
				s.leaveAdmin()
			}
			return out, false
		}
		if e.dirty() {
			s.question = "save"
			return "", false
		}
		s.leaveAdmin()
		return "", false
	case cmd == "administrator" && len(t) == 1:
		if !s.admin {
			s.question = "password"
		}
		return "", false
	case cmd == "show" || (cmd == "less" && len(t) > 1 && t[1] == "config"):
		return s.show(t[1:], lx)
	}
	if lx.hasPip || lx.redir {
		return s.fail(mKeyword), false
	}
	if cmd == "console" && len(t) >= 2 && (t[1] == "character" || t[1] == "lines" || t[1] == "columns") {
		return s.console(t)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !s.admin {
		// a command of administrator mode, or no command at all
		if known := e.knownCommand(s.ctx, t); known {
			return s.fail(mAdminOnly), false
		}
		return s.fail(mInvalidCommand), false
	}
	switch {
	case cmd == "save":
		if len(t) > 3 {
			return s.fail(mParams), false
		}
		n := "0"
		if len(t) > 1 {
			if msg := intRange(0, 4)(t[1]); msg != "" {
				return s.fail(msg), false
			}
			n = t[1]
		}
		out, _ := s.doSave(n)
		return out, false
	case cmd == "rollback" || cmd == "confirm":
		return s.rollback(t)
	case len(t) >= 2 && cmd == "bgp" && t[1] == "configure":
		if len(t) != 3 || t[2] != "refresh" {
			return s.fail(mParams), false
		}
		e.bgpRefreshes++
		return "", false
	case cmd == "ipsec" && len(t) >= 2 && (t[1] == "refresh" || (t[1] == "sa" && len(t) >= 3 && t[2] == "delete")):
		return "", false // operations on security associations: nothing to model
	case cmd == "restart":
		// a reboot boots the saved configuration and stops a rollback timer; this session
		// ends (other sessions are left connected: a simplification)
		if len(t) != 1 {
			return s.fail(mParams), false
		}
		e.stopRollback(nil)
		e.running = e.saved.Clone()
		s.loggedOut = true
		return "", true
	}
	ctx, msg := e.execConfig(s.ctx, t)
	if msg != "" {
		return s.fail(msg), false
	}
	s.ctx = ctx
	if cmd == "console" && len(t) == 3 && t[1] == "prompt" {
		return "", false
	}
	return "", false
}

// knownCommand reports whether toks is a configuration command (tried on a copy).
func (e *engine) knownCommand(ctx flat.Context, toks []string) bool {
	switch toks[0] {
	case "save", "rollback", "confirm", "restart":
		return true
	case "bgp":
		if len(toks) > 1 && toks[1] == "configure" {
			return true
		}
	}
	cp := e.running.Clone()
	_, err := cp.Exec(flat.Context{}, toks)
	if err == nil {
		return true
	}
	fe, ok := err.(*flat.Error)
	return ok && !(fe.Kind == flat.Unknown && fe.Index <= 1)
}

// doSave saves (e.mu held).
func (s *session) doSave(n string) (string, bool) {
	e := s.e
	if msg, ok := e.controls.TakeCommitFailure(); ok {
		return s.FormatFailure("", msg), false
	}
	if !e.controls.CommitWait() {
		return "", false
	}
	e.save(s)
	text := s.cs.text("saving")
	text = strings.Replace(text, "CONFIG0", "CONFIG"+n, 1)
	return s.out(text + "\n"), true
}

func (s *session) console(t []string) (string, bool) {
	if len(t) != 3 {
		return s.fail(mParams), false
	}
	e := s.e
	e.mu.Lock()
	defer e.mu.Unlock()
	check := e.sp.flat.Params[map[string]string{"character": "charset", "lines": "lines", "columns": "columns"}[t[1]]]
	if msg := check(t[2]); msg != "" {
		return s.fail(msg), false
	}
	// a configuration line whoever types it: general users may run these three, and show
	// config prints them without a save [DOC 4.21-4.23 notes]
	if _, msg := e.execConfig(flat.Context{}, t); msg != "" {
		return s.fail(msg), false
	}
	switch t[1] {
	case "character":
		s.cs = charsetOf(t[2])
	case "lines":
		s.setLines(t[2])
	case "columns":
		s.columns, _ = strconv.Atoi(t[2])
	}
	return "", false
}

func (s *session) rollback(t []string) (string, bool) {
	e := s.e
	if !e.m.hasRollback() {
		return s.fail(mInvalidCommand), false
	}
	if t[0] == "confirm" {
		if len(t) != 1 {
			return s.fail(mParams), false
		}
		e.stopRollback(s)
		return "", false
	}
	if len(t) < 2 || t[1] != "timer" {
		if len(t) < 2 {
			return s.fail(mParams), false
		}
		return s.fail(mInvalidCommand), false
	}
	if len(t) != 3 {
		return s.fail(mParams), false
	}
	if msg := intRange(1, 21474836)(t[2]); msg != "" {
		return s.fail(msg), false
	}
	n, _ := strconv.Atoi(t[2])
	e.armRollback(s, n)
	return "", false
}

// show runs the show commands: config (whole, one tunnel, one pp), environment.
func (s *session) show(args []string, lx lexed) (string, bool) {
	if lx.redir {
		return s.fail(mKeyword), false
	}
	e := s.e
	e.mu.Lock()
	var text string
	switch {
	case len(args) >= 1 && args[0] == "config":
		switch {
		case len(args) == 1:
			text = e.header() + e.sp.render(e.running, s.admin, e.controls.OutputPadding())
		case len(args) == 3 && (args[1] == "tunnel" || args[1] == "pp"):
			full := e.sp.render(e.running, s.admin, 0)
			text = section(full, args[1]+" select "+args[2])
		default:
			e.mu.Unlock()
			return s.fail(mParams), false
		}
	case len(args) == 1 && args[0] == "environment":
		text = e.environment()
	default:
		e.mu.Unlock()
		return s.fail(mInvalidCommand), false
	}
	e.mu.Unlock()
	if lx.hasPip {
		var msg string
		if text, msg = grep(text, lx.pipe); msg != "" {
			return s.fail(msg), false
		}
	}
	return s.out(text), false
}

// section is the block of full that opener starts.
func section(full, opener string) string {
	var b strings.Builder
	in := false
	for _, l := range strings.SplitAfter(full, "\n") {
		switch {
		case strings.TrimRight(l, "\n") == opener:
			in = true
		case in && !strings.HasPrefix(l, " "):
			in = false
		}
		if in {
			b.WriteString(l)
		}
	}
	return b.String()
}

// grep filters lines (`| grep [-i] [-v] PATTERN`).
func grep(text string, pipe []string) (string, string) {
	if len(pipe) == 0 || pipe[0] != "grep" {
		return "", mInvalidCommand
	}
	args := pipe[1:]
	ci, inv := false, false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-i":
			ci = true
		case "-v":
			inv = true
		default:
			return "", mKeyword
		}
		args = args[1:]
	}
	if len(args) != 1 {
		return "", mParams
	}
	pat := args[0]
	if ci {
		pat = "(?i)" + pat
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return "", mKeyword
	}
	var b strings.Builder
	for _, l := range strings.SplitAfter(text, "\n") {
		if l == "" {
			continue
		}
		if re.MatchString(strings.TrimRight(l, "\n")) != inv {
			b.WriteString(l)
		}
	}
	return b.String(), ""
}

// environment is `show environment` [INFERRED layout].
func (e *engine) environment() string {
	macs := e.macs()
	var b strings.Builder
	fmt.Fprintf(&b, "%s BootROM Ver. 1.04\n", e.m.name)
	fmt.Fprintf(&b, "%s Rev.%s (%s)\n", e.m.name, e.m.current, e.m.built)
	fmt.Fprintf(&b, "  main:  %s ver=00 serial=S4K000000 MAC-Address=%s\n", e.m.name, strings.Join(macs, " MAC-Address="))
	b.WriteString("CPU:   1%(5sec)   1%(1min)   1%(5min)    Memory:  18% used\n")
	b.WriteString("Packet-buffer:   0%(small)   0%(middle)   2%(large)   0%(huge) used\n")
	b.WriteString("Firmware: exec0\n")
	b.WriteString("IP Routing Process: Fast\n")
	fmt.Fprintf(&b, "Boot time: %s\n", e.now().Add(-72*3600e9).Format("2006/01/02 15:04:05 -07:00"))
	fmt.Fprintf(&b, "Current time: %s\n", e.now().Format("2006/01/02 15:04:05 -07:00"))
	b.WriteString("Elapsed time from boot: 3days 00:00:00\n")
	b.WriteString("Security Class Level: 1, Forget: ON, Telnet: OFF\n")
	return b.String()
}
