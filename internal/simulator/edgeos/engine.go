// Package edgeos is the simulator engine of Ubiquiti EdgeOS (the Vyatta 6.3 / VyOS 1.1 CLI).
// It registers itself as platform "edgeos" with the simulator core in init; import it (or
// internal/simulator/all) before simulator.New. The configuration store is a
// internal/simulator/hier tree checked against the schema in schema.go. EdgeOS has no
// configuration lock (sessions edit their own candidate), so Server.HoldLock has no effect
// on it.
package edgeos

import (
	"fmt"
	"net"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/hier"
)

// The engine: Ubiquiti EdgeOS 1.x (the Vyatta 6.3 / VyOS 1.1 CLI). Operational mode with
// `show configuration [commands]`, configuration mode with a per-session candidate,
// commit/save/discard/compare, the Vyatta error messages and commit-time checks of the VPN,
// routing and firewall subsystems. Both modes are vbash: what is typed is first a bash
// command line (quoting, expansions, lists, pipes, comments, built-ins; shell.go) read
// by the core's readline-like editor, with ? bound to completion help (help.go).
//
// Formats:
//   - `show configuration commands`: one `set` line per leaf; children sorted alphabetically,
//     values of numeric tag nodes (rule, proposal, tunnel, table, vif...) numerically,
//     multi-value leaves (address, interface-type...) in the order they were set. Every path
//     component (node name, tag value, leaf value) is put in single quotes when it is empty or
//     holds one of *}{ \t\n\v\f\r [;&`!$><|]?#\~(): and is printed bare otherwise; nothing
//     inside the quotes is escaped (see Quoting below).
//   - curly output (`show configuration`, config-mode `show`): a one-character marker column
//     (' ', or '+', '-', '>' for uncommitted changes in config mode) and four spaces per
//     level; a leaf value is put in double quotes when it is empty or holds one of
//     *}{; \t\n\v\f\r, with nothing escaped; tag values are printed bare; leaves named
//     *password, *pre-shared-secret, *key, *passphrase print as ****************. Empty tag
//     values print as `name v {` `}`.
//   - no value (tag value or leaf value) can hold a single quote, a double quote or a newline:
//     `set` refuses it with "Cannot use the single quote (') character in a value string"
//     (or "double quote (\")", "newline"), then "Value validation failed", "Set failed".
//     Anything else is accepted byte for byte in a txt value (descriptions), UTF-8 included.
//   - `compare`: `[edit <path>]` header for the deepest node both trees share, then the
//     added/removed subtrees with +/- in the marker column.
//   - config-mode messages are framed by a blank line before and after, two-space indented
//     (`Set failed`, `already exists`, `Nothing to delete`, `Invalid command`).
//   - op-mode errors (`Invalid command: show [bogus]`) go to standard error, unframed.
//   - commit failures: for each failing node `[ <path> ]`, the message, a blank line,
//     `[[<path>]] failed`; then `Commit failed`. All subsystems are checked and the commit is
//     all-or-nothing (real Vyatta may commit the subsystems that passed). `commit` without
//     changes prints `No configuration changes to commit` with exit status 1.
//   - the candidate is the running configuration with the session's set/delete operations
//     replayed on it, so commits by other sessions show through (as Vyatta's union mount).
//   - paging: op-mode `show` to the terminal and config-mode `show`/`compare` go through
//     $VYATTA_PAGER (default less: pages of rows-1 lines, 23 by default, and a `:` prompt;
//     cat or empty: no paging); `terminal length 0` sets VYATTA_PAGER=cat, `terminal length
//     N` and `stty rows N` set the rows; a pipe after the command stops paging; `| more`
//     pages by itself with `--More--`. Keys: space = next page, Enter = next line, q = quit;
//     the pager returns by itself after the last line.
//   - Server.SetOutputPadding adds valid `set system static-host-mapping host-name
//     pad-NNNNNNN.invalid inet 192.0.2.N` lines to `show configuration commands`.
//
// Quoting — what the device prints, from the sources (EdgeOS's own vyatta-cfg, a fork of
// Vyatta's 0.99.8+napa6 published in Ubiquiti's GPL archive, mirrored as Lochnair/vyatta-cfg;
// the op template of `show configuration commands` is not in it, the form is confirmed by
// EdgeOS listings such as `host-address '::1'`, `prefix-id ':1'`, `prefix-length /64`):
//   - `show configuration commands` is cli-shell-api showConfig --show-commands:
//     src/cnode/cnode-algorithm.cpp _print_cmds_list quotes each component as above, with
//     '...' and no escaping. VyOS 1.1 differs (vyatta-config-gen-sets.pl quotes every leaf
//     value and writes ' as '\'').
//   - curly: src/cnode/cnode-algorithm.cpp _print_value_str (values), _show_diff (tag
//     values printed with "%s %s", never quoted).
//   - values: src/cli_new.c validate_value refuses ', " and newline before any type check,
//     so a quoted component never holds a quote and the listing is unambiguous.
// Examples (value → `set` form → curly form): `tunnel to DC` → 'tunnel to DC' → "tunnel to
// DC"; `a#b?c` → 'a#b?c' → a#b?c; `$6$salt` → '$6$salt' → $6$salt; `a;b` → 'a;b' → "a;b";
// `10.0.0.0/8` → 10.0.0.0/8; `日本語` → 日本語 → 日本語; `ünï €` → 'ünï €' → "ünï €";
// `` (empty) → '' → "".

func init() { simulator.RegisterEngine("edgeos", "ubnt", newEdgeOS) }

type edgeEngine struct {
	schema   *hier.Schema
	hostname string
	ctl      *simulator.Controls
	started  time.Time

	mu        sync.Mutex
	running   *hier.Node
	saved     *hier.Node
	lastLogin map[string]string
	// noQueryHelp: users who ran `terminal key query-help disable` (kept in their ~/.bashrc)
	noQueryHelp map[string]bool
	confirm     *time.Timer   // pending commit-confirm rollback
	minute      time.Duration // how long a minute of commit-confirm lasts (SetMinute)
	closed      bool
}

func newEdgeOS(cfg simulator.EngineConfig) (simulator.Engine, error) {
	e := &edgeEngine{
		schema:    edgeosSchema(),
		hostname:  cfg.Hostname,
		ctl:       cfg.Controls,
		started:   time.Now(),
		running:   hier.NewTree(),
		lastLogin: map[string]string{},
	}
	switch {
	case strings.TrimSpace(cfg.InitialConfig) == "":
	case strings.Contains(cfg.InitialConfig, "{"):
		paths, err := curlyToPaths(cfg.InitialConfig)
		if err != nil {
			return nil, fmt.Errorf("edgeos: initial config: %v", err)
		}
		for _, p := range paths {
			if err := e.applyPath(e.running, true, p); err != nil {
				return nil, fmt.Errorf("edgeos: initial config: %q: %v", strings.Join(p, " "), err)
			}
		}
	default:
		for _, l := range strings.Split(cfg.InitialConfig, "\n") {
			if err := e.applyLine(e.running, l); err != nil {
				return nil, fmt.Errorf("edgeos: initial config: %v", err)
			}
		}
	}
	e.saved = e.running.Clone()
	return e, nil
}

func (e *edgeEngine) ServerVersion() string { return "SSH-2.0-OpenSSH_6.0p1 Debian-4+deb7u7" }

func (e *edgeEngine) RunningConfig() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return renderCommands(e.running, e.schema)
}

func (e *edgeEngine) SavedConfig() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return renderCommands(e.saved, e.schema)
}

// applyLine applies one `set`/`delete` line to t; blank lines and # comments are ignored.
// Words are split and unquoted as vbash does, without expansions.
func (e *edgeEngine) applyLine(t *hier.Node, line string) error {
	toks, err := shWordsLiteral(line)
	if err != nil {
		return fmt.Errorf("%q: %v", line, err)
	}
	if len(toks) == 0 {
		return nil
	}
	if toks[0] != "set" && toks[0] != "delete" {
		return fmt.Errorf("%q: only set and delete lines are accepted", line)
	}
	if err := e.applyPath(t, toks[0] == "set", toks[1:]); err != nil {
		return fmt.Errorf("%q: %v", line, err)
	}
	return nil
}

// applyPath sets or deletes one path in t.
func (e *edgeEngine) applyPath(t *hier.Node, set bool, path []string) error {
	ps, err := resolve(e.schema, path, set)
	if err != nil {
		return err
	}
	if set {
		t.SetPath(path, ps)
	} else {
		t.DeletePath(path, ps)
	}
	return nil
}

func (e *edgeEngine) Apply(lines ...string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, l := range lines {
		if err := e.applyLine(e.running, l); err != nil {
			return err
		}
		_ = e.applyLine(e.saved, l)
	}
	return nil
}

func (e *edgeEngine) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.closed = true
	if e.confirm != nil {
		e.confirm.Stop()
		e.confirm = nil
	}
}

func (e *edgeEngine) NewSession(info simulator.SessionInfo) simulator.CLISession {
	s := &edgeSession{e: e, user: info.User, interactive: info.Interactive, rows: 24, cols: 80}
	if info.Rows > 0 {
		s.rows = info.Rows
	}
	s.opVars = map[string]string{
		"HOME":         "/home/" + info.User,
		"USER":         info.User,
		"LOGNAME":      info.User,
		"SHELL":        "/bin/vbash",
		"PATH":         "/opt/vyatta/sbin:/opt/vyatta/bin:/usr/local/bin:/usr/bin:/bin",
		"VYATTA_PAGER": defaultVyattaPager,
	}
	e.mu.Lock()
	s.host = e.running.Value("system", "host-name")
	if s.host == "" {
		s.host = e.hostname
	}
	if info.Interactive {
		s.lastLogin = e.lastLogin[info.User]
		host, _, _ := net.SplitHostPort(info.RemoteAddr)
		e.lastLogin[info.User] = time.Now().Format("Mon Jan _2 15:04:05 2006") + " from " + host
	}
	s.queryHelp = !e.noQueryHelp[info.User]
	e.mu.Unlock()
	return s
}

// --- session ---

type edgeOp struct {
	del    bool
	tokens []string
	ps     []hier.Pos
}

type edgeSession struct {
	e           *edgeEngine
	user, host  string
	interactive bool
	lastLogin   string

	cfgMode bool
	level   []string // edit level (absolute path)
	ops     []edgeOp // the candidate is the running config with these applied

	// the shell
	opVars, cfgVars map[string]string // variables of the operational and the configuration shell
	positional      []string          // $1... (op-mode `set X` is bash's set built-in)
	status          int               // $?
	failed          bool              // the current command failed
	closing         bool              // the session ends after this line
	depth           int               // command substitution nesting
	segs            []segment         // output of the current Exec
	// the terminal
	rows, cols int
	echoOff    bool // stty -echo
	queryHelp  bool // ? shows completion help (readline: "?": possible-completions)
}

func (s *edgeSession) Banner() string {
	b := "Welcome to EdgeOS\n\n" +
		"Use of this device is subject to the Ubiquiti Networks licence agreement (see the Web UI).\n\n" +
		"Linux " + s.host + " 3.10.14-UBNT #1 SMP Wed Feb 19 09:14:32 UTC 2020 mips\n"
	if s.lastLogin != "" {
		b += "Last login: " + s.lastLogin + "\n"
	}
	return b
}

func (s *edgeSession) Prompt() string {
	if !s.cfgMode {
		return s.user + "@" + s.host + ":~$ "
	}
	return s.editLine() + "\n" + s.user + "@" + s.host + "# "
}

func (s *edgeSession) editLine() string {
	if len(s.level) == 0 {
		return "[edit]"
	}
	return "[edit " + strings.Join(s.level, " ") + "]"
}

// LastFailed reports a non-zero exit status of the last command line.
func (s *edgeSession) LastFailed() bool { return s.status != 0 }

func (s *edgeSession) Segments() []simulator.Segment {
	out := make([]simulator.Segment, len(s.segs))
	for i, sg := range s.segs {
		out[i] = sg.Segment
	}
	return out
}

// Exec runs one command line as vbash does (see shell.go).
func (s *edgeSession) Exec(line string) (string, bool) {
	s.segs, s.closing = nil, false
	s.runSource(line)
	var b strings.Builder
	for _, sg := range s.segs {
		b.WriteString(sg.Text)
	}
	return b.String(), s.closing
}

func (s *edgeSession) Echo() bool                  { return !s.echoOff }
func (s *edgeSession) Incomplete(text string) bool { return shIncompleteLine(text) }
func (s *edgeSession) ContinuationPrompt() string  { return "> " }
func (s *edgeSession) HelpKey(r rune) bool         { return r == '?' && s.queryHelp }

const (
	cfgWrapper = "/opt/vyatta/sbin/vyatta-cfg-cmd-wrapper"
	opWrapper  = "/opt/vyatta/bin/vyatta-op-cmd-wrapper"
)

func (s *edgeSession) fail(text string) string {
	s.failed = true
	return text
}

// res is the result of a command that printed out and failed when s.fail was called.
func (s *edgeSession) res(out string) shResult {
	r := shResult{out: out}
	if s.failed {
		r.status = 1
	}
	return r
}

// enterConfig starts the configuration shell: a child of the operational shell (configure
// runs newgrp), with a copy of its variables.
func (s *edgeSession) enterConfig() {
	s.cfgMode, s.level, s.ops = true, nil, nil
	s.cfgVars = cloneVars(s.opVars)
	s.readKeyBindings()
}

// leaveConfig ends the configuration shell; its variables are gone.
func (s *edgeSession) leaveConfig() {
	s.cfgMode, s.level, s.ops, s.cfgVars = false, nil, nil, nil
	s.readKeyBindings()
}

// readKeyBindings re-reads the user's key bindings (~/.bashrc), as a new vbash and configure do.
func (s *edgeSession) readKeyBindings() {
	s.e.mu.Lock()
	s.queryHelp = !s.e.noQueryHelp[s.user]
	s.e.mu.Unlock()
}

// --- operational mode ---

// opCmd runs an operational-mode command (a Vyatta op template, `_vyatta_op_run`).
func (s *edgeSession) opCmd(argv []string) shResult {
	s.failed = false
	if len(argv) == 0 {
		return shResult{}
	}
	switch argv[0] {
	case "configure":
		if len(argv) > 1 {
			return s.opErr(invalidOp(argv, 1))
		}
		s.enterConfig()
		return shResult{}
	case "exit", "logout":
		s.closing = true
		return shResult{}
	case "terminal":
		return s.terminal(argv)
	case "set":
		// Vyatta 6.3's op-mode `set` has no `terminal` node: `set <word>` is bash's set
		// built-in (it sets $1), anything longer is not a command.
		switch len(argv) {
		case 1:
			return shResult{out: s.setListing()}
		case 2:
			s.positional = argv[1:]
			return shResult{}
		}
		return s.opErr(invalidOp(argv, 2))
	case "show":
		out := s.showOp(argv)
		if s.failed {
			return s.opErr(out)
		}
		return shResult{out: out, pager: "vyatta"}
	}
	return s.opErr(invalidOp(argv, 0))
}

// opErr is an op-mode error: printed on standard error, exit status 1.
func (s *edgeSession) opErr(msg string) shResult {
	s.failed = true
	return shResult{err: msg, status: 1}
}

func (s *edgeSession) setListing() string {
	var names []string
	for k := range s.vars() {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		fmt.Fprintf(&b, "%s=%s\n", k, shellQuoteValue(s.vars()[k]))
	}
	return b.String()
}

// shellQuoteValue quotes v as bash's `set` lists variables.
func shellQuoteValue(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}

// invalidOp is the op-mode error for the token at index bad.
func invalidOp(toks []string, bad int) string {
	if bad >= len(toks) {
		return "Invalid command: " + strings.Join(toks, " ") + "\n"
	}
	prefix := strings.Join(toks[:bad], " ")
	if prefix != "" {
		prefix += " "
	}
	return "Invalid command: " + prefix + "[" + toks[bad] + "]\n"
}

// terminal is Vyatta 6.3's op-mode `terminal` (templates/terminal): length N (0: VYATTA_PAGER=cat,
// else stty rows N), width N (stty columns N), pager [PROGRAM], key query-help enable|disable.
func (s *edgeSession) terminal(argv []string) shResult {
	if len(argv) < 2 {
		return s.opErr(invalidOp(argv, len(argv)))
	}
	switch argv[1] {
	case "length", "width":
		if len(argv) != 3 {
			return s.opErr(invalidOp(argv, min(2, len(argv)-1)+boolInt(len(argv) > 3)))
		}
		n, err := strconv.Atoi(argv[2])
		if err != nil || n < 0 {
			return s.opErr(invalidOp(argv, 2))
		}
		switch {
		case argv[1] == "width":
			s.cols = n
		case n == 0:
			s.vars()["VYATTA_PAGER"] = "cat"
		default:
			s.rows = n
		}
		return shResult{}
	case "pager":
		switch len(argv) {
		case 2:
			s.vars()["VYATTA_PAGER"] = defaultVyattaPager
		case 3:
			s.vars()["VYATTA_PAGER"] = argv[2]
		default:
			return s.opErr(invalidOp(argv, 3))
		}
		return shResult{}
	case "key":
		if len(argv) != 4 || argv[2] != "query-help" || (argv[3] != "enable" && argv[3] != "disable") {
			return s.opErr(invalidOp(argv, min(len(argv)-1, 3)))
		}
		// Stored in ~/.bashrc as `bind '"?": self-insert' # vyatta key binding`: it stays for
		// this user's later sessions.
		s.e.mu.Lock()
		if s.e.noQueryHelp == nil {
			s.e.noQueryHelp = map[string]bool{}
		}
		s.e.noQueryHelp[s.user] = argv[3] == "disable"
		s.e.mu.Unlock()
		s.queryHelp = argv[3] == "enable"
		return shResult{}
	}
	return s.opErr(invalidOp(argv, 1))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *edgeSession) showOp(toks []string) string {
	if len(toks) < 2 {
		return s.fail(invalidOp(toks, 1))
	}
	e := s.e
	switch toks[1] {
	case "configuration":
		e.mu.Lock()
		defer e.mu.Unlock()
		switch {
		case len(toks) == 2:
			r := &curly{mask: true}
			r.children(e.running, e.running, hier.Pos{S: e.schema}, 0)
			return r.b.String()
		case len(toks) == 3 && toks[2] == "commands":
			return e.padded(renderCommands(e.running, e.schema))
		}
		return s.fail(invalidOp(toks, 2))
	case "version":
		if len(toks) > 2 {
			return s.fail(invalidOp(toks, 2))
		}
		return "Version:      v1.10.11\n" +
			"Build ID:     5274269\n" +
			"Build on:     02/19/20 09:14\n" +
			"Copyright:    2012-2019 Ubiquiti Networks, Inc.\n" +
			"HW model:     EdgeRouter X 5-Port\n" +
			"HW S/N:       F09FC2A1B2C3\n" +
			"Uptime:       " + e.uptime() + "\n"
	case "system":
		if len(toks) == 3 && toks[2] == "uptime" {
			return e.uptime() + "\n"
		}
		return s.fail(invalidOp(toks, 2))
	case "host":
		if len(toks) == 3 && toks[2] == "name" {
			return s.host + "\n"
		}
		return s.fail(invalidOp(toks, 2))
	}
	return s.fail(invalidOp(toks, 1))
}

// padded adds the lines of SetOutputPadding to a `show configuration commands` listing, where
// they sort (before the first line that sorts after them).
func (e *edgeEngine) padded(listing string) string {
	n := e.ctl.OutputPadding()
	if n <= 0 {
		return listing
	}
	const first = "set system static-host-mapping host-name pad-"
	at := len(listing)
	for i := 0; i < len(listing); {
		j := strings.IndexByte(listing[i:], '\n') + i + 1
		if listing[i:j-1] > first {
			at = i
			break
		}
		i = j
	}
	var b strings.Builder
	b.Grow(len(listing) + n + 128)
	b.WriteString(listing[:at])
	for i, written := 1, 0; written < n; i++ {
		l := fmt.Sprintf("%s%07d.invalid inet 192.0.2.%d\n", first, i, i%254+1)
		b.WriteString(l)
		written += len(l)
	}
	b.WriteString(listing[at:])
	return b.String()
}

func (e *edgeEngine) uptime() string {
	d := time.Since(e.started)
	days := int(d.Hours()) / 24
	return fmt.Sprintf("%s up %d days, %2d:%02d,  1 user,  load average: 0.08, 0.03, 0.01",
		time.Now().Format("15:04:05"), days, int(d.Hours())%24, int(d.Minutes())%60)
}

// --- configuration mode ---

// candidate is the running configuration with this session's changes applied. The caller
// holds e.mu.
func (s *edgeSession) candidateLocked() *hier.Node {
	c := s.e.running.Clone()
	for _, op := range s.ops {
		if op.del {
			c.DeletePath(op.tokens, op.ps)
		} else {
			c.SetPath(op.tokens, op.ps)
		}
	}
	return c
}

func (s *edgeSession) candidate() (cand, running *hier.Node) {
	s.e.mu.Lock()
	defer s.e.mu.Unlock()
	return s.candidateLocked(), s.e.running
}

func (s *edgeSession) changed() bool {
	c, r := s.candidate()
	return !hier.Equal(c, r)
}

// cfgError is the framed two-space-indented message block of a failed config command.
func (s *edgeSession) cfgError(lines []string, verb string) string {
	s.failed = true
	var b strings.Builder
	b.WriteString("\n")
	for _, l := range lines {
		b.WriteString("  " + l + "\n")
	}
	if verb != "" {
		b.WriteString("  " + verb + " failed\n")
	}
	b.WriteString("\n")
	return b.String()
}

func cfgNote(msg string) string { return "\n  " + msg + "\n\n" }

func (s *edgeSession) abs(args []string) []string {
	return append(append([]string(nil), s.level...), args...)
}

// configCmd runs a configuration-mode command.
func (s *edgeSession) configCmd(argv []string) shResult {
	s.failed = false
	if len(argv) == 0 {
		return shResult{}
	}
	args := argv[1:]
	switch argv[0] {
	case "set":
		return s.res(s.setCmd(args))
	case "delete":
		return s.res(s.deleteCmd(args))
	case "edit":
		return s.res(s.editCmd(args))
	case "up":
		s.up()
		return shResult{}
	case "top":
		s.level = nil
		return shResult{}
	case "exit", "quit":
		return s.res(s.exitCmd(args))
	case "commit":
		switch {
		case len(args) == 0, args[0] == "comment" && len(args) >= 2:
			out := s.commit(0)
			r := s.res(out)
			if out == noChanges {
				r.status = 1 // vyatta-cfg's commit function returns 1
			}
			return r
		case args[0] == "confirm":
			return s.res(s.fail("Use commit-confirm command\n"))
		}
		return s.res(s.fail(cfgNote("Invalid command: commit [" + args[0] + "]")))
	case "commit-confirm":
		mins := 10
		if len(args) > 0 {
			n, err := strconv.Atoi(args[0])
			if err != nil || n < 1 {
				return s.res(s.fail("Invalid minutes value [" + args[0] + "]\n"))
			}
			mins = n
		}
		return s.res(s.commit(mins))
	case "confirm":
		return s.res(s.confirmCmd())
	case "discard":
		if !s.changed() {
			return shResult{out: "No changes have been discarded\n"}
		}
		s.ops = nil
		return shResult{out: "Changes have been discarded\n"}
	case "save":
		return s.res(s.save())
	case "compare":
		r := s.res(s.compare(args))
		r.pager = "vyatta"
		return r
	case "show":
		r := s.res(s.showCfg(args))
		r.pager = "vyatta"
		return r
	case "run":
		if len(args) == 0 {
			return s.res(s.fail(cfgNote("Invalid command: [run]")))
		}
		return s.opCmd(args)
	case "load", "merge":
		if s.changed() {
			return s.res(s.fail("Cannot load: configuration modified.\nCommit or discard the changes before loading a config file.\n"))
		}
		return s.res(s.fail("Cannot load: loading configuration files is not supported by this device.\n"))
	case "rollback":
		if len(args) == 0 {
			return s.res(s.fail("Error: must include a revision # to rollback to\n"))
		}
		return s.res(s.fail("Error: revision " + args[0] + " not found\n"))
	}
	return s.res(s.fail(cfgNote("Invalid command: [" + argv[0] + "]")))
}

func (s *edgeSession) setCmd(args []string) string {
	path := s.abs(args)
	if len(args) == 0 {
		return s.cfgError([]string{"Configuration path: [] is not valid"}, "Set")
	}
	ps, err := resolve(s.e.schema, path, true)
	if err != nil {
		return s.cfgError(err.(*pathError).lines, "Set")
	}
	cand, _ := s.candidate()
	if cand.SetPath(path, ps) {
		return cfgNote("Configuration path: [" + strings.Join(path, " ") + "] already exists")
	}
	s.ops = append(s.ops, edgeOp{tokens: path, ps: ps})
	return ""
}

func (s *edgeSession) deleteCmd(args []string) string {
	path := s.abs(args)
	if len(args) == 0 {
		return s.cfgError([]string{"Configuration path: [] is not valid"}, "Delete")
	}
	ps, err := resolve(s.e.schema, path, false)
	if err != nil {
		return s.cfgError(err.(*pathError).lines, "Delete")
	}
	cand, _ := s.candidate()
	switch cand.DeletePath(path, ps) {
	case hier.MissingNode:
		return cfgNote("Nothing to delete (the specified node does not exist)")
	case hier.MissingValue:
		return cfgNote("Nothing to delete (the specified value does not exist)")
	}
	s.ops = append(s.ops, edgeOp{del: true, tokens: path, ps: ps})
	return ""
}

// editCmd moves the edit level. The level must be a valid container or tag value; it does
// not have to exist yet (nothing is created until a `set`).
func (s *edgeSession) editCmd(args []string) string {
	path := s.abs(args)
	if len(args) == 0 {
		return s.cfgError([]string{"Configuration path: [] is not valid"}, "Edit")
	}
	ps, err := resolve(s.e.schema, path, true)
	if err != nil {
		return s.cfgError(err.(*pathError).lines, "Edit")
	}
	last := ps[len(ps)-1]
	if last.S.Kind == hier.Flag || (last.AtValue && last.S.Kind != hier.Tag) {
		return s.cfgError([]string{"The specified configuration node is not valid as an edit level"}, "Edit")
	}
	s.level = path
	return ""
}

func (s *edgeSession) up() {
	if len(s.level) == 0 {
		return
	}
	ps, err := resolve(s.e.schema, s.level, false)
	n := len(s.level) - 1
	if err == nil && ps[n].AtValue && ps[n].S.Kind == hier.Tag {
		n--
	}
	s.level = s.level[:n]
}

func (s *edgeSession) exitCmd(args []string) string {
	if len(args) == 1 && args[0] == "discard" {
		s.leaveConfig()
		return ""
	}
	if len(args) > 0 {
		return s.fail(cfgNote("Invalid command: exit [" + args[0] + "]"))
	}
	if len(s.level) > 0 {
		s.up()
		return ""
	}
	if s.changed() {
		return s.fail("Cannot exit: configuration modified.\nUse 'exit discard' to discard the changes and exit.\n")
	}
	s.leaveConfig()
	e := s.e
	e.mu.Lock()
	unsaved := !hier.Equal(e.running, e.saved)
	e.mu.Unlock()
	if unsaved {
		return "Warning: configuration changes have not been saved.\n"
	}
	return ""
}

const noChanges = "No configuration changes to commit\n"

// commit makes the candidate active after the commit-time checks. confirmMins > 0 is
// commit-confirm: without `confirm` the previous configuration comes back after that time.
func (s *edgeSession) commit(confirmMins int) string {
	if !s.changed() {
		return noChanges
	}
	e := s.e
	if !e.ctl.CommitWait() {
		return s.fail("Commit failed\n")
	}
	if msg, ok := e.ctl.TakeCommitFailure(); ok {
		if !strings.Contains(msg, "Commit failed") {
			msg = "[ vpn ]\n" + strings.TrimRight(msg, "\n") + "\n\n[[vpn]] failed\nCommit failed\n"
		}
		return s.fail(msg)
	}
	e.mu.Lock()
	cand := s.candidateLocked()
	if errs := e.validate(cand); len(errs) > 0 {
		e.mu.Unlock()
		var b strings.Builder
		for _, ce := range errs {
			fmt.Fprintf(&b, "[ %s ]\n%s\n\n[[%s]] failed\n", ce.path, ce.msg, ce.path)
		}
		b.WriteString("Commit failed\n")
		return s.fail(b.String())
	}
	prev := e.running
	e.running = cand
	out := ""
	if confirmMins > 0 {
		if e.confirm != nil {
			e.confirm.Stop()
		}
		minute := e.minute
		if minute <= 0 {
			minute = time.Minute
		}
		e.confirm = time.AfterFunc(time.Duration(confirmMins)*minute, func() {
			e.mu.Lock()
			defer e.mu.Unlock()
			if !e.closed {
				e.running = prev
				e.confirm = nil
			}
		})
		out = fmt.Sprintf("commit confirm will be automatically reboot in %d minutes unless confirmed\n", confirmMins)
	}
	e.mu.Unlock()
	s.ops = nil
	e.ctl.CountCommit()
	return out
}

func (s *edgeSession) confirmCmd() string {
	e := s.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.confirm == nil {
		return s.fail("No confirm pending\n")
	}
	e.confirm.Stop()
	e.confirm = nil
	return ""
}

func (s *edgeSession) save() string {
	out := ""
	if s.changed() {
		out = "Warning: you have uncommitted changes that will not be saved.\n\n"
	}
	e := s.e
	// Writing config.boot takes the device's commit time too (the benchmark's "1 s per
	// commit or save").
	e.ctl.CommitWait()
	e.mu.Lock()
	e.saved = e.running.Clone()
	e.mu.Unlock()
	e.ctl.CountSave()
	return out + "Saving configuration to '/config/config.boot'...\nDone\n"
}

func (s *edgeSession) compare(args []string) string {
	e := s.e
	e.mu.Lock()
	cand, other := s.candidateLocked(), e.running
	if len(args) == 1 && args[0] == "saved" {
		other = e.saved
	} else if len(args) > 0 {
		e.mu.Unlock()
		return s.fail(cfgNote("Invalid command: compare [" + args[0] + "]"))
	}
	d := diffSections(cand, other, e.schema)
	e.mu.Unlock()
	if d == "" {
		return "No changes between working and active configurations.\n"
	}
	return d
}

// showCfg prints the candidate (curly, secrets masked) with change markers.
func (s *edgeSession) showCfg(args []string) string {
	path := s.abs(args)
	e := s.e
	e.mu.Lock()
	cand, run := s.candidateLocked(), e.running
	e.mu.Unlock()
	r := &curly{mask: true}
	root := hier.Pos{S: e.schema}
	if len(path) == 0 {
		r.children(cand, run, root, 0)
		return r.b.String()
	}
	ps, err := resolve(e.schema, path, false)
	if err != nil {
		return s.cfgError(err.(*pathError).lines, "Show")
	}
	a, o := cand.Path(path...), run.Path(path...)
	if a == nil && o == nil {
		return "Configuration under specified path is empty\n"
	}
	n := len(path)
	last := ps[n-1]
	switch {
	case last.S.Kind == hier.Container || last.S.Kind == hier.Loose || (last.S.Kind == hier.Tag && last.AtValue):
		r.children(a, o, last, 0)
	case last.AtValue: // a leaf value: show the leaf line
		if n < 2 {
			break
		}
		r.key(path[n-2], cand.Path(path[:n-1]...), run.Path(path[:n-1]...), posAt(root, ps, n-3), 0)
	default: // a leaf, flag or tag name
		r.key(path[n-1], a, o, posAt(root, ps, n-2), 0)
	}
	if r.b.Len() == 0 {
		return "Configuration under specified path is empty\n"
	}
	return r.b.String()
}

func posAt(root hier.Pos, ps []hier.Pos, i int) hier.Pos {
	if i < 0 {
		return root
	}
	return ps[i]
}

// --- commit-time checks ---

type commitErr struct{ path, msg string }

func sortedNumeric(keys []string) []string {
	out := append([]string(nil), keys...)
	hier.SortNumeric(out)
	return out
}

func sortedKeysOf(t *hier.Node) []string {
	k := t.Keys()
	sort.Strings(k)
	return k
}

// validate runs the subsystem checks in commit priority order: interfaces, firewall,
// policy, protocols, vpn.
func (e *edgeEngine) validate(c *hier.Node) []commitErr {
	var errs []commitErr

	// interfaces: firewall rulesets referenced by interfaces must exist.
	checkFw := func(base []string, fw *hier.Node) {
		for _, dir := range sortedKeysOf(fw) {
			d := fw.Get(dir)
			for _, kind := range []string{"modify", "name"} {
				if name := d.Value(kind); name != "" && c.Path("firewall", kind, name) == nil {
					errs = append(errs, commitErr{
						path: strings.Join(append(base, "firewall", dir, kind), " "),
						msg:  fmt.Sprintf("Firewall %s rule set [%s] does not exist", kind, name),
					})
				}
			}
		}
	}
	for _, typ := range []string{"ethernet", "switch", "vti"} {
		for _, ifn := range sortedKeysOf(c.Path("interfaces", typ)) {
			in := c.Path("interfaces", typ, ifn)
			checkFw([]string{"interfaces", typ, ifn}, in.Get("firewall"))
			for _, vif := range sortedNumeric(in.Get("vif").Keys()) {
				checkFw([]string{"interfaces", typ, ifn, "vif", vif}, in.Path("vif", vif, "firewall"))
			}
		}
	}

	// firewall: a modify rule's routing table must be configured.
	for _, rs := range sortedKeysOf(c.Path("firewall", "modify")) {
		rules := c.Path("firewall", "modify", rs, "rule")
		for _, n := range sortedNumeric(rules.Keys()) {
			if t := rules.Value(n, "modify", "table"); t != "" && t != "main" && c.Path("protocols", "static", "table", t) == nil {
				errs = append(errs, commitErr{
					path: "firewall modify " + rs + " rule " + n + " modify table",
					msg:  fmt.Sprintf("Table %s is not configured under \"protocols static table\"", t),
				})
			}
		}
	}

	// policy prefix-list rules.
	for _, pl := range sortedKeysOf(c.Path("policy", "prefix-list")) {
		rules := c.Path("policy", "prefix-list", pl, "rule")
		for _, n := range sortedNumeric(rules.Keys()) {
			r := rules.Get(n)
			p := "policy prefix-list " + pl + " rule " + n
			if r.Value("action") == "" {
				errs = append(errs, commitErr{p, "You must specify an action"})
				continue
			}
			pfx := r.Value("prefix")
			if pfx == "" {
				errs = append(errs, commitErr{p, "You must specify a prefix"})
				continue
			}
			bits := netip.MustParsePrefix(pfx).Bits()
			ge, _ := strconv.Atoi(r.Value("ge"))
			le, _ := strconv.Atoi(r.Value("le"))
			if r.Value("ge") != "" && ge <= bits {
				errs = append(errs, commitErr{p, "ge must be greater than prefix length"})
			} else if r.Value("le") != "" && (le < bits || (r.Value("ge") != "" && le < ge)) {
				errs = append(errs, commitErr{p, "le must be greater than or equal to ge and to the prefix length"})
			}
		}
	}

	// protocols bgp.
	asns := sortedKeysOf(c.Path("protocols", "bgp"))
	if len(asns) > 1 {
		errs = append(errs, commitErr{"protocols bgp", "Only one BGP AS number can be configured, found: " + strings.Join(asns, ", ")})
	}
	for _, as := range asns {
		nbrs := c.Path("protocols", "bgp", as, "neighbor")
		for _, nb := range sortedKeysOf(nbrs) {
			n := nbrs.Get(nb)
			base := "protocols bgp " + as + " neighbor " + nb
			if n.Value("remote-as") == "" && n.Value("peer-group") == "" {
				errs = append(errs, commitErr{base, "remote-as or peer-group must be defined for neighbor " + nb})
			}
			for _, dir := range []string{"import", "export"} {
				if pl := n.Value("prefix-list", dir); pl != "" && c.Path("policy", "prefix-list", pl) == nil {
					errs = append(errs, commitErr{base + " prefix-list " + dir, "prefix-list " + pl + " doesn't exist"})
				}
				if rm := n.Value("route-map", dir); rm != "" && c.Path("policy", "route-map", rm) == nil {
					errs = append(errs, commitErr{base + " route-map " + dir, "route-map " + rm + " doesn't exist"})
				}
			}
		}
	}

	// vpn: like vpn-config.pl, stop at the first problem.
	if msg := e.validateVPN(c); msg != "" {
		errs = append(errs, commitErr{"vpn", "VPN configuration error: " + msg})
	}
	return errs
}

func (e *edgeEngine) validateVPN(c *hier.Node) string {
	ipsec := c.Path("vpn", "ipsec")
	peers := ipsec.Path("site-to-site", "peer")
	espExists := func(g string) bool { return ipsec.Path("esp-group", g) != nil }
	vtiOwner := map[string]string{}
	for _, p := range sortedKeysOf(peers) {
		peer := peers.Get(p)
		tunnels, vti := peer.Get("tunnel"), peer.Get("vti")
		if tunnels != nil && vti != nil {
			return fmt.Sprintf("Both Vti and tunnel(s) configured for peer %q", p)
		}
		if tunnels == nil && vti == nil {
			return fmt.Sprintf("No tunnels configured for peer %q.  At least one tunnel required.", p)
		}
		ike := peer.Value("ike-group")
		if ike == "" {
			return fmt.Sprintf("No IKE group specified for peer %q.", p)
		}
		if ipsec.Path("ike-group", ike) == nil {
			return fmt.Sprintf("The IKE group %q specified for peer %q has not been configured.", ike, p)
		}
		if peer.Value("local-address") == "" && peer.Value("dhcp-interface") == "" {
			return fmt.Sprintf("No local-address specified for peer %q", p)
		}
		mode := peer.Value("authentication", "mode")
		if (mode == "" || mode == "pre-shared-secret") && peer.Value("authentication", "pre-shared-secret") == "" {
			return fmt.Sprintf("No 'pre-shared-secret' specified for peer %q", p)
		}
		def := peer.Value("default-esp-group")
		for _, n := range sortedNumeric(tunnels.Keys()) {
			t := tunnels.Get(n)
			esp := t.Value("esp-group")
			if esp == "" {
				esp = def
			}
			if esp == "" {
				return fmt.Sprintf("No ESP group specified for peer %q tunnel %s.", p, n)
			}
			if !espExists(esp) {
				return fmt.Sprintf("The ESP group %q specified for peer %q tunnel %s has not been configured.", esp, p, n)
			}
			l, r := t.Value("local", "prefix"), t.Value("remote", "prefix")
			if l != "" && l == r {
				return fmt.Sprintf("Peer %q tunnel %s: local prefix and remote prefix cannot be the same.", p, n)
			}
		}
		if vti != nil {
			bind := vti.Value("bind")
			if bind == "" {
				return fmt.Sprintf("No vti bind interface specified for peer %q.", p)
			}
			if c.Path("interfaces", "vti", bind) == nil {
				return fmt.Sprintf("The VTI interface %q bound to peer %q has not been configured.", bind, p)
			}
			if other, dup := vtiOwner[bind]; dup {
				return fmt.Sprintf("VTI interface %q is bound to both peer %q and peer %q.", bind, other, p)
			}
			vtiOwner[bind] = p
			esp := vti.Value("esp-group")
			if esp == "" {
				esp = def
			}
			if esp == "" {
				return fmt.Sprintf("No ESP group specified for peer %q vti.", p)
			}
			if !espExists(esp) {
				return fmt.Sprintf("The ESP group %q specified for peer %q vti has not been configured.", esp, p)
			}
		}
	}
	return ""
}
