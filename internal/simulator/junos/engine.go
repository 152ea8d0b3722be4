// Package junos is the simulator engine of Juniper Junos: SRX route-based IPsec (`security
// ike/ipsec`, st0 units, zones) and MX `services ipsec-vpn` with next-hop service sets, plus
// the routing the VPN resources use (static routes, filter-based forwarding, prefix lists
// and policy statements, BGP). It registers itself as platform "junos" with the simulator
// core in init; import it (or internal/simulator/all) before simulator.New. The
// configuration store is an internal/simulator/hier tree checked against the schema in
// schema.go. The engine is an independent implementation of the device written from the
// CLI reference (device-cli.md section 4 and the simulator checklist 5.3) and the Junos
// documentation text of seed 003; it shares no code with the provider's Junos dialect.
package junos

// The engine, its formats and the facts and guesses it follows. Evidence marks as in the
// reference: SEEN (verbatim in a tool's source, a device dump or a session log), DOC (vendor
// documentation), INFERRED (memory or deduction; kept plausible, not verified on hardware).
//
// Sessions and modes:
//   - Operational prompt `user@host> `; configuration mode prints a blank line, the
//     `[edit <path>]` banner and `user@host# ` [SEEN netmiko/noc]. While a commit confirmed
//     is pending the banner is preceded by `# commit confirmed will be rolled back in N
//     minutes` [SEEN reference].
//   - `configure` edits the shared candidate and prints `Entering configuration mode`;
//     after it, other sessions in configuration mode are listed under `Users currently
//     editing the configuration:` and a modified shared candidate adds `The configuration
//     has been changed but not committed` [INFERRED]. A shared candidate keeps its changes when its
//     editor leaves with them uncommitted.
//   - `configure private` gives the session its own copy of the committed configuration and
//     prints `warning: uncommitted changes will be discarded on exit`; it is refused with
//     `error: shared configuration database modified` while the shared candidate holds
//     uncommitted changes [INFERRED]. A private commit merges the session's own changes
//     (statement by statement) into the configuration committed meanwhile [INFERRED].
//   - `configure exclusive` takes the configuration lock (same warning); while it is held,
//     `configure private`/`exclusive` of other sessions are refused and their
//     set/delete/load/rollback/commit fail with `error: configuration database locked by:`,
//     the holder's line `  <user> terminal <tty> (pid <n>) on since <YYYY-MM-DD hh:mm:ss
//     UTC>` and `      exclusive [edit]` [INFERRED layout]. Server.HoldLock(user) acts as
//     another session holding it (since the moment the engine first saw it). Uncommitted
//     changes of an exclusive session are discarded when it leaves or disconnects.
//   - `exit` at a sub-level returns to the previous level; at the top (or `exit
//     configuration-mode`, `quit`) it leaves configuration mode, asking `Exit with
//     uncommitted changes? [yes,no] (yes)` after `The configuration has been changed but not
//     committed` when the candidate differs from the committed configuration [SEEN netmiko
//     for the question]. Operational `exit`/`quit` close the session.
//   - `set cli screen-length N` -> `Screen length set to N`, `set cli screen-width N` ->
//     `Screen width set to N`, `set cli complete-on-space off` -> `Disabling
//     complete-on-space` [SEEN netmiko]. Interactive shells page output longer than the
//     screen length (default: the pty rows, else 24) with `---(more)---` [SEEN]; `| no-more`
//     or screen-length 0 turn it off; exec channels never page.
//   - `show version`: `Hostname:`, `Model:`, `Junos:` lines and the JUNOS Software Release
//     line [INFERRED layout]. The model/version default to srx240h2 / 12.1X46-D40.2;
//     SetModel changes them (an MX: `mx480`, `17.3R3.10`).
//
// Editing:
//   - set/delete/deactivate/activate are checked against the schema: an unknown keyword
//     prints a caret under it and `syntax error.`; a statement ending before its value
//     `syntax error, expecting <data>.`; a keyword that matches several statements
//     `'x' is ambiguous.` and `Possible completions:` [SEEN noc patterns; layout INFERRED];
//     keywords may be abbreviated when unambiguous [INFERRED]. Value checks print the caret
//     and e.g. `Value 99 is not within range (180..86400) at '99'` or `invalid ip address
//     or hostname: 1.2.3 at '1.2.3'` [INFERRED wording].
//   - several leaves of one container may follow each other on one line
//     (`dead-peer-detection interval 10 threshold 3`, `neighbor A peer-as N local-address
//     B`), and a leaf-list may be given as `[ a b ]` [SEEN reference forms].
//   - `delete` without a statement asks `Delete everything under this level? [yes,no] (no)`
//     [INFERRED wording].
//   - setting a single-value leaf replaces its value; a duplicate set is silent; deleting
//     (deactivating) an absent statement prints `warning: statement not found` [SEEN].
//   - deactivated statements print `inactive: ` in braces form and `deactivate <path>`
//     lines after the set lines in display-set form, and are left out of commit checks
//     [INFERRED].
//   - tokens: double quotes group words, a backslash escapes the next character inside
//     them; a token holding a control character is a syntax error. Output quotes a value in double quotes (escaping " and \) when it is empty or
//     holds a blank or one of "'\;{}[]#()&|<>!*?$`=, or a control character [INFERRED].
//
// Reading back:
//   - `show configuration [path] [| display set]` (op) and `show [path] [| display set]`
//     (config: the candidate). Containers list their statements in schema order (the
//     reference sample's order: version, system, chassis, services, security, interfaces,
//     snmp, routing-options, protocols, policy-options, firewall, routing-instances...; ike
//     gateway: ike-policy, address, dead-peer-detection, local-identity, remote-identity,
//     external-interface, local-address, version), tag values and leaf-list values in the
//     order they were set [INFERRED]. display set prints one line per leaf-list value.
//   - op-mode `show configuration` of the whole configuration starts with `## Last commit:
//     <YYYY-MM-DD hh:mm:ss UTC> by <user>` [INFERRED, high confidence].
//   - a secret leaf set without its value (`set ... pre-shared-key ascii-text`) asks `New
//     ascii-text (secret):` and `Retype new ascii-text (secret):` with echo off; different
//     answers print `error: entries do not match` [INFERRED wording].
//   - `show configuration | compare rollback N` (op) compares a revision with the committed
//     configuration; `| display omit` prints the configuration unchanged.
//   - Server.SetOutputPadding adds `system static-host-mapping pad-NNNNNNN.invalid inet
//     192.0.2.N` statements to op-mode `show configuration` output only.
//   - braces form: four spaces per level, `name value;`, `name [ a b ];` for a leaf-list
//     with several values, `## SECRET-DATA` after secret lines; keyless lists print their
//     names as blocks (`interfaces { st0 { unit 0 {`), some containers share a line with
//     their only statement (`family inet {`, `pre-shared-key ascii-text "$9$...";`,
//     `local-identity inet 192.0.2.1;`, `route 10.0.0.0/16 next-hop st0.0;`) and keyword
//     lists are blocks (`system-services { ike; }`) [INFERRED from common dumps].
//   - secrets (`pre-shared-key ascii-text`, BGP `authentication-key`) are stored as typed
//     and printed `$9$`-encoded (secret9.go); a value typed in `$9$` form is taken as
//     already encoded and printed as typed [INFERRED, high confidence].
//   - pipes: `| display set`, `| match RE`, `| except RE`, `| find RE` (Go regular
//     expressions, case-sensitive [INFERRED]), `| last [N]`, `| count` (`Count: N
//     lines`), `| no-more`; config-mode
//     `show | compare [rollback N]`.
//   - `show | compare`: `[edit <path>]` for the deepest statement both sides share, then
//     the removed/added statements in braces form marked `-`/`+` in the first column, a
//     (de)activated statement as it is now marked `!` [INFERRED standard].
//
// Commit:
//   - `commit check` -> `configuration check succeeds`; `commit` -> `commit complete`;
//     `commit confirmed [N]` (default 10) -> `commit confirmed will be automatically rolled
//     back in N minutes unless confirmed` then `commit complete`; a later `commit` or
//     `commit check` confirms; otherwise after N minutes (SetMinute makes a minute shorter
//     for tests) the configuration before the confirmed commit is committed again [SEEN
//     messages]. `commit and-quit` commits and leaves; `commit comment "x"` is recorded.
//   - checks (commit and commit check): missing mandatory statements (ike gateway
//     ike-policy, external-interface, address; ipsec vpn ike gateway and ipsec-policy;
//     MX service-set local-gateway, MX rule match-direction) print `[edit <path>]`, `  '<statement>'`, `    Missing
//     mandatory statement: '<statement>'` and `error: configuration check-out failed:
//     (missing mandatory statements)`; dangling references (ike/ipsec policies and
//     proposals, gateways, bind-interface units that are not configured or not in a zone,
//     an interface in two zones, routing instances and filters, BGP import/export policies
//     `Policy error: Policy X referenced but not defined`, prefix lists, MX rules, dynamic
//     policies and service interfaces, ipsec-inside-interface not the service set's inside
//     interface, more than one local-gateway, external BGP peers without peer-as, BGP
//     without autonomous-system) print
//     `[edit <path>]`, `  '<statement>'`, `    <message>` and `error: configuration
//     check-out failed` [SEEN shape, INFERRED texts].
//   - `rollback [N]` (0-49 kept) loads a committed revision into the candidate: `load
//     complete`; a revision that does not exist: `error: rollback N does not exist`
//     [INFERRED].
//   - `load set|merge|replace|override terminal`: `[Type ^D at a new line to end input]`,
//     the lines (no prompt), Ctrl-D on a new line (a line holding only ^D on exec
//     channels). set input holds set/delete/deactivate/activate lines, others the braces
//     form (`replace:` marks subtrees load replace replaces, override replaces all). Good
//     statements are loaded; each bad one prints `terminal:<line>:(<col>) syntax error:
//     <token>` (or the value message), then `load complete (N errors)`, else `load
//     complete`; a delete of an absent statement adds `warning: statement not found`
//     without counting as an error [INFERRED].
//   - Server.FailNextCommit prints its message then `error: configuration check-out
//     failed`; the commit delay applies to commits that pass their checks.
//
// Sessions use two optional hooks of the simulator core: Ctrl-D is handled by the session
// (simulator.EndOfInputer, ending load ... terminal) and the end of an SSH session is
// reported (simulator.SessionCloser, releasing an exclusive lock and discarding its
// changes). On exec channels a failed command (error, refused commit, load with errors)
// makes the exit status 1.
//
// Simplifications: one schema serves SRX and MX (a real SRX refuses `services ipsec-vpn`,
// an MX `security ike`); subtrees the VPN resources never touch are free-form (loose);
// `commit synchronize`, cluster node output, NETCONF and the FreeBSD shell are not modelled.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/hier"
)

func init() { simulator.RegisterEngine("junos", "srx", newEngine) }

const maxRevisions = 50

type revision struct {
	c       *conf
	when    time.Time
	user    string
	comment string
}

type engine struct {
	mu       sync.Mutex
	root     *hier.Schema
	hostname string
	hostName atomic.Value // the committed system host-name (string)
	controls *simulator.Controls
	model    string
	version  string

	committed *conf
	shared    *conf // the shared candidate
	history   []revision

	exclusive *session
	editing   map[*session]bool
	nextPID   int
	nextTTY   int

	holdUser  string
	holdSince time.Time

	minute  time.Duration
	confirm struct {
		timer    *time.Timer
		target   *conf
		gen      int
		deadline time.Time
	}
	closed bool
}

func newEngine(cfg simulator.EngineConfig) (simulator.Engine, error) {
	e := &engine{
		root:     schema(),
		hostname: cfg.Hostname,
		controls: cfg.Controls,
		model:    "srx240h2",
		version:  "12.1X46-D40.2",
		editing:  map[*session]bool{},
		nextPID:  4100,
		minute:   time.Minute,
	}
	c := newConf()
	if strings.TrimSpace(cfg.InitialConfig) != "" {
		var errs []string
		if strings.Contains(cfg.InitialConfig, "{") && !looksLikeSet(cfg.InitialConfig) {
			errs = e.loadCurly(c, cfg.InitialConfig, false)
		} else {
			errs = e.loadSet(c, cfg.InitialConfig)
		}
		if len(errs) > 0 {
			return nil, fmt.Errorf("junos: initial configuration: %s", strings.Join(errs, "; "))
		}
	}
	e.committed = c
	e.hostName.Store(c.t.Value("system", "host-name"))
	e.shared = c.clone()
	e.history = []revision{{c: c.clone(), when: time.Now().UTC(), user: "root"}}
	return e, nil
}

func looksLikeSet(text string) bool {
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		return strings.HasPrefix(l, "set ") || strings.HasPrefix(l, "delete ") || strings.HasPrefix(l, "deactivate ")
	}
	return false
}

// SetMinute makes the engine's minute (commit confirmed timers) last d, for tests. It
// reports false when eng is not a Junos engine.
func SetMinute(eng simulator.Engine, d time.Duration) bool {
	e, ok := eng.(*engine)
	if ok {
		e.mu.Lock()
		e.minute = d
		e.mu.Unlock()
	}
	return ok
}

// SetModel sets what `show version` reports (model such as "mx480", Junos version such as
// "17.3R3.10"). It reports false when eng is not a Junos engine.
func SetModel(eng simulator.Engine, model, version string) bool {
	e, ok := eng.(*engine)
	if ok {
		e.mu.Lock()
		e.model, e.version = model, version
		e.mu.Unlock()
	}
	return ok
}

// ConfirmPending reports whether a commit confirmed waits for its confirmation.
func ConfirmPending(eng simulator.Engine) bool {
	e, ok := eng.(*engine)
	if !ok {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.confirm.target != nil
}

func (e *engine) ServerVersion() string { return "SSH-2.0-OpenSSH_6.1" }

func (e *engine) RunningConfig() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return displaySet(e.root, e.committed, nil)
}

func (e *engine) SavedConfig() string { return e.RunningConfig() }

// Apply changes the committed configuration as another administrator's configure + commit
// would (without commit checks); the shared candidate follows when it was unmodified.
func (e *engine) Apply(lines ...string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.committed.clone()
	if errs := e.loadSet(c, strings.Join(lines, "\n")); len(errs) > 0 {
		return fmt.Errorf("%s", errs[0])
	}
	e.install(c, "root", "")
	return nil
}

func (e *engine) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.closed = true
	if e.confirm.timer != nil {
		e.confirm.timer.Stop()
	}
}

// install makes c the committed configuration (a new revision). A shared candidate
// without changes follows it. Called with e.mu held.
func (e *engine) install(c *conf, user, comment string) {
	if equalConf(e.shared, e.committed) {
		e.shared = c.clone()
	}
	e.committed = c.clone()
	e.hostName.Store(c.t.Value("system", "host-name"))
	e.history = append([]revision{{c: c.clone(), when: time.Now().UTC(), user: user, comment: comment}}, e.history...)
	if len(e.history) > maxRevisions {
		e.history = e.history[:maxRevisions]
	}
}

// armConfirm starts (or restarts) the automatic rollback of a commit confirmed to target.
func (e *engine) armConfirm(target *conf, mins int) {
	if e.confirm.timer != nil {
		e.confirm.timer.Stop()
	}
	if e.confirm.target == nil {
		e.confirm.target = target
	}
	e.confirm.gen++
	gen := e.confirm.gen
	d := time.Duration(mins) * e.minute
	e.confirm.deadline = time.Now().Add(d)
	e.confirm.timer = time.AfterFunc(d, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.closed || e.confirm.gen != gen || e.confirm.target == nil {
			return
		}
		e.install(e.confirm.target, "root", "automatic rollback")
		e.confirm.target = nil
		e.controls.CountCommit()
	})
}

func (e *engine) confirmNow() bool {
	if e.confirm.target == nil {
		return false
	}
	if e.confirm.timer != nil {
		e.confirm.timer.Stop()
	}
	e.confirm.target = nil
	e.confirm.gen++
	return true
}

// lockHolder describes who holds the configuration lock against s: "" when nobody.
func (e *engine) lockHolder(s *session) string {
	if u, ok := e.controls.LockHolder(); ok {
		if u != e.holdUser {
			e.holdUser, e.holdSince = u, time.Now().UTC()
		}
		return fmt.Sprintf("  %s terminal p9 (pid 4242) on since %s\n      exclusive [edit]\n", u, e.holdSince.Format("2006-01-02 15:04:05 MST"))
	}
	e.holdUser = ""
	if x := e.exclusive; x != nil && x != s {
		return fmt.Sprintf("  %s terminal %s (pid %d) on since %s\n      exclusive [edit]\n", x.user, x.tty, x.pid, x.since.Format("2006-01-02 15:04:05 MST"))
	}
	return ""
}

func lockedMsg(holder string) string {
	return "error: configuration database locked by:\n" + holder
}

// --- loading text into a configuration ---

// loadSet applies set/delete/deactivate/activate lines to c and returns one message per
// bad line ("terminal:N:(C) ...").
func (e *engine) loadSet(c *conf, text string) []string {
	errs, _ := e.loadSetW(c, text)
	return errs
}

// loadSetW is loadSet that also returns the warnings (a delete of an absent statement).
func (e *engine) loadSetW(c *conf, text string) (errs, warns []string) {
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		ws, pipes, ok := lex(line)
		if !ok || len(pipes) > 0 || len(ws) == 0 {
			errs = append(errs, fmt.Sprintf("terminal:%d:(%d) syntax error: %s", i+1, len(line), t))
			continue
		}
		verb := ws[0].text
		switch verb {
		case "set", "delete", "deactivate", "activate":
		case "insert":
			if msg := c.insertPath(e.root, texts(ws[1:])); msg != "" {
				errs = append(errs, fmt.Sprintf("terminal:%d:(%d) %s", i+1, ws[0].col+1, strings.TrimSuffix(strings.TrimPrefix(msg, "error: "), ".")))
			}
			continue
		default:
			errs = append(errs, fmt.Sprintf("terminal:%d:(%d) syntax error: %s", i+1, ws[0].col+1, verb))
			continue
		}
		toks := texts(ws[1:])
		paths, serr := split(e.root, toks, verb == "set")
		if serr == nil && verb != "set" && verb != "delete" && tagNameOnly(e.root, paths) {
			serr = &stmtError{index: len(toks), expecting: "<data>"}
		}
		if serr != nil {
			col := len(line)
			tok := ""
			if serr.index < len(toks) {
				col, tok = ws[1+serr.index].col+1, toks[serr.index]
			}
			msg := "syntax error: " + tok
			if serr.msg != "" && serr.msg != syntaxMsg {
				msg = serr.msg
			}
			errs = append(errs, fmt.Sprintf("terminal:%d:(%d) %s", i+1, col, msg))
			continue
		}
		if w := applyVerb(e.root, c, verb, paths); w != "" {
			warns = append(warns, w)
		}
	}
	return errs, warns
}

func texts(ws []word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.text
	}
	return out
}

// applyVerb applies one checked statement; it returns "warning: statement not found" when a
// delete/deactivate/activate finds nothing.
func applyVerb(root *hier.Schema, c *conf, verb string, paths [][]string) string {
	for _, p := range paths {
		switch verb {
		case "set":
			c.setPath(root, p)
		case "delete":
			if !c.deletePath(root, p) {
				return "warning: statement not found"
			}
		case "deactivate", "activate":
			if c.t.Path(p...) == nil {
				return "warning: statement not found"
			}
			sp := stmtPath(root, p)
			if verb == "deactivate" {
				c.inactive[pathKey(sp)] = true
			} else {
				delete(c.inactive, pathKey(sp))
			}
		}
	}
	return ""
}

// tagNameOnly reports whether a (de)activate names a tag without its value (`deactivate
// routing-options static route`), which the device refuses.
func tagNameOnly(root *hier.Schema, paths [][]string) bool {
	for _, p := range paths {
		ps := resolve(root, p)
		if last := ps[len(ps)-1]; !last.AtValue && last.S.Kind == hier.Tag {
			return true
		}
	}
	return false
}

// stmtPath is the statement a path names for deactivate: a leaf's name rather than its
// value.
func stmtPath(root *hier.Schema, p []string) []string {
	ps := resolve(root, p)
	last := ps[len(ps)-1]
	if last.AtValue && (last.S.Kind == hier.Leaf || last.S.Kind == hier.Multi) {
		return p[:len(p)-1]
	}
	return p
}

// loadCurly merges (replace: honour `replace:` marks; override is done by the caller) the
// braces form into c.
func (e *engine) loadCurly(c *conf, text string, replace bool) []string {
	toks, ok := lexTerminal(text)
	if !ok {
		return []string{"terminal:1:(0) syntax error: unterminated string or comment"}
	}
	var errs []string
	i := 0
	var parse func(prefix []string) bool
	parse = func(prefix []string) bool {
		for i < len(toks) {
			if toks[i].text == "}" && !toks[i].quoted {
				i++
				return true
			}
			var words []string
			first := toks[i]
			inactive, repl := false, false
			for i < len(toks) {
				t := toks[i]
				if !t.quoted && (t.text == "{" || t.text == ";" || t.text == "}") {
					break
				}
				switch {
				case !t.quoted && len(words) == 0 && t.text == "inactive:":
					inactive = true
				case !t.quoted && len(words) == 0 && t.text == "replace:":
					repl = true
				default:
					words = append(words, t.text)
				}
				i++
			}
			if i >= len(toks) {
				errs = append(errs, fmt.Sprintf("terminal:%d:(%d) syntax error: missing ';' or '}'", first.line, first.col))
				return false
			}
			full := append(append([]string(nil), prefix...), words...)
			end := toks[i]
			i++
			if end.text == "}" {
				errs = append(errs, fmt.Sprintf("terminal:%d:(%d) syntax error: missing ';'", end.line, end.col))
				return false
			}
			if len(words) == 0 {
				if end.text == "{" {
					errs = append(errs, fmt.Sprintf("terminal:%d:(%d) syntax error: {", end.line, end.col))
					return false
				}
				continue
			}
			paths, serr := split(e.root, full, end.text == ";")
			if serr != nil {
				tok := ""
				if serr.index < len(full) {
					tok = full[serr.index]
				}
				msg := "syntax error: " + tok
				if serr.msg != "" && serr.msg != syntaxMsg {
					msg = serr.msg
				}
				errs = append(errs, fmt.Sprintf("terminal:%d:(%d) %s", first.line, first.col, msg))
				if end.text == "{" {
					skipBlock(toks, &i)
				}
				continue
			}
			if repl && replace {
				c.deletePath(e.root, stmtPath(e.root, full))
			}
			applyVerb(e.root, c, "set", paths)
			if inactive {
				c.inactive[pathKey(stmtPath(e.root, full))] = true
			}
			if end.text == "{" {
				if !parse(full) {
					return false
				}
			}
		}
		return len(prefix) == 0
	}
	if !parse(nil) && len(errs) == 0 {
		errs = append(errs, "terminal: syntax error: missing '}'")
	}
	return errs
}

func skipBlock(toks []ltok, i *int) {
	depth := 1
	for *i < len(toks) && depth > 0 {
		t := toks[*i]
		if !t.quoted && t.text == "{" {
			depth++
		} else if !t.quoted && t.text == "}" {
			depth--
		}
		*i++
	}
}

// --- sessions ---

type question int

const (
	noQuestion question = iota
	askExit
	askSecret  // a secret leaf set without its value: typed twice, hidden
	askSecret2 // the retype
	askDelete  // `delete` without a statement
)

// pendingSecret is a set waiting for its secret value.
type pendingSecret struct {
	paths [][]string // the statement's paths; the last one ends at the secret's name
	name  string
	first string
}

type session struct {
	e           *engine
	user        string
	tty         string
	pid         int
	since       time.Time
	interactive bool

	config  bool
	kind    string // "", "private", "exclusive"
	private *conf
	base    *conf // the committed configuration the private copy started from
	edit    []string
	stack   [][]string

	screenLength int
	screenWidth  int
	page         int
	failed       bool
	asking       question
	secret       pendingSecret

	loading  string // "", "set", "merge", "replace", "override"
	loadText []string
	closed   bool
}

func (e *engine) NewSession(info simulator.SessionInfo) simulator.CLISession {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := &session{e: e, user: info.User, pid: e.nextPID, tty: "p" + strconv.Itoa(e.nextTTY), since: time.Now().UTC(), interactive: info.Interactive, screenWidth: 80}
	e.nextPID++
	e.nextTTY++
	if info.Interactive {
		s.screenLength = 24
		if info.Rows > 0 {
			s.screenLength = info.Rows
		}
	}
	return s
}

func (s *session) Banner() string {
	return "--- JUNOS " + s.e.version + " built 2015-09-25 23:43:32 UTC\n"
}

// host is the committed host name (the prompt's); safe without e.mu.
func (s *session) host() string {
	if h, _ := s.e.hostName.Load().(string); h != "" {
		return h
	}
	return s.e.hostname
}

func (s *session) Prompt() string {
	s.e.mu.Lock()
	defer s.e.mu.Unlock()
	if s.loading != "" {
		return ""
	}
	if !s.config {
		return s.user + "@" + s.host() + "> "
	}
	var b strings.Builder
	b.WriteString("\n")
	if s.e.confirm.target != nil {
		mins := int((time.Until(s.e.confirm.deadline) + s.e.minute - 1) / max(s.e.minute, 1))
		fmt.Fprintf(&b, "# commit confirmed will be rolled back in %d minutes\n", max(mins, 0))
	}
	if len(s.edit) == 0 {
		b.WriteString("[edit]\n")
	} else {
		b.WriteString("[edit " + joinPath(s.e.root, s.edit) + "]\n")
	}
	b.WriteString(s.user + "@" + s.host() + "# ")
	return b.String()
}

func (s *session) PageLength() int {
	if s.page <= 1 {
		return 0
	}
	return s.page - 1
}
func (s *session) PagerPrompt() string { return "---(more)---" }
func (s *session) LastFailed() bool    { return s.failed }

func (s *session) Question() (string, bool, bool) {
	switch s.asking {
	case askExit:
		return "Exit with uncommitted changes? [yes,no] (yes) ", false, true
	case askSecret:
		return "New " + s.secret.name + " (secret):", true, true
	case askSecret2:
		return "Retype new " + s.secret.name + " (secret):", true, true
	case askDelete:
		return "Delete everything under this level? [yes,no] (no) ", false, true
	}
	return "", false, false
}

func (s *session) Answer(line string) (string, bool) {
	switch s.asking {
	case askSecret:
		s.secret.first, s.asking = line, askSecret2
		return "", false
	case askSecret2:
		s.asking = noQuestion
		sec := s.secret
		s.secret = pendingSecret{}
		if line != sec.first {
			s.failed = true
			return "error: entries do not match\n", false
		}
		s.e.mu.Lock()
		defer s.e.mu.Unlock()
		if h := s.e.lockHolder(s); h != "" && s.kind != "private" {
			return s.fail(lockedMsg(h)), false
		}
		last := len(sec.paths) - 1
		sec.paths[last] = append(sec.paths[last], line)
		applyVerb(s.e.root, s.cand(), "set", sec.paths)
		return "", false
	}
	if s.asking == askDelete {
		s.asking = noQuestion
		if a := strings.ToLower(strings.TrimSpace(line)); a != "yes" && a != "y" {
			return "", false
		}
		s.e.mu.Lock()
		defer s.e.mu.Unlock()
		if h := s.e.lockHolder(s); h != "" && s.kind != "private" {
			return s.fail(lockedMsg(h)), false
		}
		c := s.cand()
		if len(s.edit) == 0 {
			*c = *newConf()
		} else if n := c.t.Path(s.edit...); n != nil {
			for _, k := range n.Keys() {
				c.deletePath(s.e.root, append(append([]string(nil), s.edit...), k))
			}
		}
		return "", false
	}
	s.asking = noQuestion
	a := strings.ToLower(strings.TrimSpace(line))
	switch a {
	case "", "yes", "y", "ye":
		s.e.mu.Lock()
		defer s.e.mu.Unlock()
		return s.leaveConfig(), false
	case "no", "n":
		return "", false
	}
	s.asking = askExit
	return "Please answer 'yes' or 'no'.\n", false
}

func (s *session) EndOfInput() (string, bool) {
	if s.loading == "" {
		return "", false
	}
	s.e.mu.Lock()
	defer s.e.mu.Unlock()
	return s.finishLoad(), true
}

func (s *session) CloseSession() {
	s.e.mu.Lock()
	defer s.e.mu.Unlock()
	if s.config {
		s.leaveConfig()
	}
	s.closed = true
}

// leaveConfig leaves configuration mode; exclusive and private changes are discarded.
// Called with e.mu held.
func (s *session) leaveConfig() string {
	e := s.e
	if s.kind == "exclusive" && e.exclusive == s {
		e.shared = e.committed.clone()
		e.exclusive = nil
	}
	delete(e.editing, s)
	s.config, s.kind, s.private, s.base, s.edit, s.stack = false, "", nil, nil, nil, nil
	return "Exiting configuration mode\n"
}

func (s *session) cand() *conf {
	if s.kind == "private" {
		return s.private
	}
	return s.e.shared
}

func (s *session) modified() bool {
	if s.kind == "private" {
		return !equalConf(s.private, s.base)
	}
	return !equalConf(s.e.shared, s.e.committed)
}

// Exec runs one line.
func (s *session) Exec(line string) (string, bool) {
	s.failed = false
	s.page = s.screenLength
	if s.loading != "" {
		if strings.TrimRight(line, "\r") == "\x04" {
			s.e.mu.Lock()
			defer s.e.mu.Unlock()
			return s.finishLoad(), false
		}
		s.loadText = append(s.loadText, line)
		return "", false
	}
	ws, pipes, ok := lex(line)
	if !ok {
		s.failed = true
		return s.caret(len(line)) + "syntax error, expecting <quoted-string>.\n", false
	}
	if len(ws) == 0 {
		return "", false
	}
	var out string
	var closeSess bool
	if s.config {
		out, closeSess = s.configCmd(ws, pipes)
	} else {
		out, closeSess = s.opCmd(ws, pipes)
	}
	return out, closeSess
}

// caret points at column col of the typed line (after the prompt).
func (s *session) caret(col int) string {
	p := s.user + "@" + s.host() + "> "
	return strings.Repeat(" ", len(p)+col) + "^\n"
}

func (s *session) fail(out string) string { s.failed = true; return out }

// --- operational mode ---

func (s *session) opCmd(ws []word, pipes [][]word) (string, bool) {
	cmds := [][]string{{"show", "configuration"}, {"show", "version"}, {"show", "system", "commit"}, {"configure"}, {"set", "cli"}, {"exit"}, {"quit"}}
	toks := texts(ws)
	full, bad, amb := complete(toks, cmds)
	if bad >= 0 {
		if amb != nil {
			return s.fail(s.caret(ws[bad].col) + "'" + toks[bad] + "' is ambiguous.\nPossible completions:\n" + listCompletions(amb)), false
		}
		return s.fail(s.caret(ws[bad].col) + "unknown command.\n"), false
	}
	switch full[0] {
	case "exit", "quit":
		return "", true
	case "configure":
		if len(toks) > 2 {
			return s.fail(s.caret(ws[2].col) + "syntax error.\n"), false
		}
		kind := ""
		if len(toks) == 2 {
			switch {
			case strings.HasPrefix("private", toks[1]):
				kind = "private"
			case strings.HasPrefix("exclusive", toks[1]):
				kind = "exclusive"
			default:
				return s.fail(s.caret(ws[1].col) + "syntax error.\n"), false
			}
		}
		return s.configure(kind), false
	case "set":
		return s.setCLI(ws[2:]), false
	}
	// show ...
	switch full[1] {
	case "version":
		s.e.mu.Lock()
		defer s.e.mu.Unlock()
		out := fmt.Sprintf("Hostname: %s\nModel: %s\nJunos: %s\nJUNOS Software Release [%s]\n", s.host(), s.e.model, s.e.version, s.e.version)
		return s.pipe(out, pipes), false
	case "system":
		s.e.mu.Lock()
		defer s.e.mu.Unlock()
		var b strings.Builder
		for i, r := range s.e.history {
			fmt.Fprintf(&b, "%d   %s by %s via cli\n", i, r.when.Format("2006-01-02 15:04:05 MST"), r.user)
			if r.comment != "" {
				fmt.Fprintf(&b, "    %s\n", r.comment)
			}
		}
		return s.pipe(b.String(), pipes), false
	}
	// show configuration [path]
	s.e.mu.Lock()
	defer s.e.mu.Unlock()
	for _, p := range pipes {
		if len(p) >= 1 && strings.HasPrefix("compare", p[0].text) && len(p[0].text) >= 3 {
			// show configuration | compare rollback N
			if len(p) != 3 || p[1].text != "rollback" {
				return s.fail("syntax error, expecting <command>.\n"), false
			}
			n, err := strconv.Atoi(p[2].text)
			if err != nil || n < 0 || n >= len(s.e.history) {
				return s.fail("error: rollback " + p[2].text + " does not exist\n"), false
			}
			return s.pipe(compare(s.e.root, s.e.history[n].c, s.e.committed), withoutCompare(pipes)), false
		}
	}
	header := ""
	if len(ws) == 2 && !hasDisplaySet(pipes) {
		r := s.e.history[0]
		header = "## Last commit: " + r.when.Format("2006-01-02 15:04:05 MST") + " by " + r.user + "\n"
	}
	return s.showConfH(s.padded(s.e.committed), ws[2:], nil, pipes, header), false
}

func withoutCompare(pipes [][]word) [][]word {
	var rest [][]word
	for _, q := range pipes {
		if len(q) == 0 || !strings.HasPrefix("compare", q[0].text) {
			rest = append(rest, q)
		}
	}
	return rest
}

// padded is c with the extra lines Server.SetOutputPadding asks for: static host mappings
// under system, at least n bytes of display-set lines in all.
func (s *session) padded(c *conf) *conf {
	n := s.e.controls.OutputPadding()
	if n <= 0 {
		return c
	}
	c = c.clone()
	total := 0
	for i := 1; total < n; i++ {
		name := fmt.Sprintf("pad-%07d.invalid", i)
		addr := fmt.Sprintf("192.0.2.%d", i%254+1)
		c.setPath(s.e.root, []string{"system", "static-host-mapping", name, "inet", addr})
		total += len("set system static-host-mapping  inet \n") + len(name) + len(addr)
	}
	return c
}

// complete expands abbreviated command words against the known commands; bad is the
// index of the first word that matches none (or several: amb), -1 when all match.
func complete(toks []string, cmds [][]string) (full []string, bad int, amb []string) {
	cands := cmds
	for i, t := range toks {
		var next [][]string
		seen := map[string]bool{}
		var names []string
		exact := false
		for _, c := range cands {
			if i < len(c) && c[i] == t {
				exact = true
			}
		}
		for _, c := range cands {
			if i >= len(c) {
				if i > 0 {
					return full, -1, nil // the rest are arguments
				}
				continue
			}
			if (exact && c[i] == t) || (!exact && strings.HasPrefix(c[i], t)) {
				next = append(next, c)
				if !seen[c[i]] {
					seen[c[i]] = true
					names = append(names, c[i])
				}
			}
		}
		if len(names) == 0 {
			return nil, i, nil
		}
		if len(names) > 1 {
			sort.Strings(names)
			return nil, i, names
		}
		full = append(full, names[0])
		cands = next
	}
	for _, c := range cands {
		if len(c) > len(full) {
			return nil, len(toks) - 1, nil
		}
	}
	return full, -1, nil
}

func listCompletions(names []string) string {
	var b strings.Builder
	for _, n := range names {
		b.WriteString("  " + n + "\n")
	}
	return b.String()
}

func (s *session) setCLI(args []word) string {
	if len(args) < 1 {
		return s.fail("syntax error, expecting <command>.\n")
	}
	what := args[0].text
	switch {
	case strings.HasPrefix("screen-length", what) && len(what) >= 8 && len(args) == 2:
		n, err := strconv.Atoi(args[1].text)
		if err != nil || n < 0 || n > 100000 {
			return s.fail(s.caret(args[1].col) + "Value " + args[1].text + " is not within range (0..100000)\n")
		}
		s.screenLength = n
		return fmt.Sprintf("Screen length set to %d\n", n)
	case strings.HasPrefix("screen-width", what) && len(what) >= 8 && len(args) == 2:
		n, err := strconv.Atoi(args[1].text)
		if err != nil || (n != 0 && (n < 40 || n > 1024)) {
			return s.fail(s.caret(args[1].col) + "Value " + args[1].text + " is not within range (40..1024)\n")
		}
		s.screenWidth = n
		return fmt.Sprintf("Screen width set to %d\n", n)
	case what == "complete-on-space" && len(args) == 2 && (args[1].text == "off" || args[1].text == "on"):
		if args[1].text == "off" {
			return "Disabling complete-on-space\n"
		}
		return "Enabling complete-on-space\n"
	}
	return s.fail(s.caret(args[0].col) + "syntax error.\n")
}

func (s *session) configure(kind string) string {
	e := s.e
	e.mu.Lock()
	defer e.mu.Unlock()
	var b strings.Builder
	var others []string
	var sessions []*session
	for o := range e.editing {
		sessions = append(sessions, o)
	}
	sort.Slice(sessions, func(i, j int) bool { return sessions[i].pid < sessions[j].pid })
	for _, o := range sessions {
		mode := "[edit]"
		if o.kind != "" {
			mode = o.kind + " [edit]"
		}
		others = append(others, fmt.Sprintf("  %s terminal %s (pid %d) on since %s\n      %s\n", o.user, o.tty, o.pid, o.since.Format("2006-01-02 15:04:05 MST"), mode))
	}
	holder := e.lockHolder(s)
	if kind != "" && holder != "" {
		return s.fail(lockedMsg(holder))
	}
	if kind != "" && !equalConf(e.shared, e.committed) {
		return s.fail("error: shared configuration database modified\n")
	}
	if kind == "" && holder != "" && e.exclusive == nil {
		others = append(others, holder)
	}
	if kind != "" {
		b.WriteString("warning: uncommitted changes will be discarded on exit\n")
	}
	b.WriteString("Entering configuration mode\n")
	if len(others) > 0 {
		b.WriteString("Users currently editing the configuration:\n" + strings.Join(others, ""))
	}
	if kind == "" && !equalConf(e.shared, e.committed) {
		b.WriteString("The configuration has been changed but not committed\n")
	}
	s.config, s.kind, s.edit, s.stack = true, kind, nil, nil
	switch kind {
	case "private":
		s.private, s.base = e.committed.clone(), e.committed.clone()
	case "exclusive":
		e.exclusive = s
	}
	e.editing[s] = true
	return b.String()
}

// pipe applies the pipe stages (other than display set) to out.
func (s *session) pipe(out string, pipes [][]word) string {
	for _, p := range pipes {
		if len(p) == 0 {
			return s.fail("syntax error, expecting <command>.\n")
		}
		cmd := p[0].text
		arg := ""
		if len(p) > 1 {
			arg = strings.Join(texts(p[1:]), " ")
		}
		switch {
		case strings.HasPrefix("no-more", cmd) && len(cmd) >= 2:
			s.page = 0
		case strings.HasPrefix("match", cmd) && len(cmd) >= 1 && arg != "":
			out = filterLines(out, arg, true)
		case strings.HasPrefix("except", cmd) && len(cmd) >= 2 && arg != "":
			out = filterLines(out, arg, false)
		case strings.HasPrefix("find", cmd) && len(cmd) >= 1 && arg != "":
			// from the first matching line on
			ls := strings.SplitAfter(out, "\n")
			out = ""
			for i, l := range ls {
				if filterLines(l, arg, true) != "" {
					out = strings.Join(ls[i:], "")
					break
				}
			}
		case strings.HasPrefix("last", cmd) && len(cmd) >= 2:
			n := 0
			if arg != "" {
				v, err := strconv.Atoi(arg)
				if err != nil || v < 1 {
					return s.fail("syntax error, expecting <number>.\n")
				}
				n = v
			} else if s.screenLength > 1 {
				n = s.screenLength - 1
			}
			if ls := lines(out); n > 0 && len(ls) > n && out != "" {
				out = strings.Join(ls[len(ls)-n:], "\n") + "\n"
			}
		case strings.HasPrefix("count", cmd) && len(cmd) >= 2:
			out = fmt.Sprintf("Count: %d lines\n", strings.Count(out, "\n"))
		case strings.HasPrefix("display", cmd) && len(cmd) >= 1 && (arg == "set" || arg == "omit"):
			// handled by the caller
		default:
			return s.fail("syntax error, expecting <command>.\n")
		}
	}
	return out
}

func hasDisplaySet(pipes [][]word) bool {
	for _, p := range pipes {
		if len(p) == 2 && strings.HasPrefix("display", p[0].text) && p[1].text == "set" {
			return true
		}
	}
	return false
}

// showConf prints c (or the subtree at base+args) in braces or display-set form.
func (s *session) showConf(c *conf, args []word, base []string, pipes [][]word) string {
	return s.showConfH(c, args, base, pipes, "")
}

// showConfH is showConf with a header line before the configuration (op mode's `## Last
// commit: ...`).
func (s *session) showConfH(c *conf, args []word, base []string, pipes [][]word, header string) string {
	path := append([]string(nil), base...)
	if len(args) > 0 {
		toks := append(append([]string(nil), base...), texts(args)...)
		paths, serr := split(s.e.root, toks, false)
		if serr != nil || len(paths) != 1 {
			col := 0
			if serr != nil && serr.index-len(base) < len(args) && serr.index >= len(base) {
				col = args[serr.index-len(base)].col
			}
			return s.fail(s.caret(col) + "syntax error.\n")
		}
		path = paths[0]
	}
	var out string
	if hasDisplaySet(pipes) {
		out = displaySet(s.e.root, c, path)
	} else {
		out = header + showCurly(s.e.root, c, path)
	}
	return s.pipe(out, pipes)
}

func lines(s string) []string { return strings.Split(strings.TrimRight(s, "\n"), "\n") }
