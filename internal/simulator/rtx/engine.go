// Package rtx is the simulator engine of Yamaha RTX routers (RTX810, RTX830, RTX1210,
// RTX1220): the console of an SSH login, `administrator` mode, immediate configuration
// commands with `no` forms and `tunnel select N` / `pp select N` contexts, `show config` in
// the device's format, `save` and the save question on leaving administrator mode, the
// console's language and character set, paging and line wrapping, `rollback timer` /
// `confirm` on the firmware that has them. It registers itself as platform "rtx" with the
// simulator core in init; import it (or internal/simulator/all) before simulator.New. The
// configuration store is internal/simulator/flat. The engine is an independent
// implementation written from the reference (device-cli.md section 2 and the simulator
// checklist 5.3, the Yamaha command reference chapters 1, 4, 8, 14, 15, 29, 56, 57); it
// shares no code with the provider's RTX dialect.
package rtx

// Facts and guesses the engine follows. Evidence marks as in the reference: SEEN (verbatim in a
// tool's source, a device dump or a session log), DOC (the Yamaha command reference),
// INFERRED (deduced; kept plausible, not verified on hardware).
//
// Login and modes:
//   - SSH password (or keyboard-interactive) login lands at `> `, prefixed by `console
//     prompt` [DOC 4.20]. `administrator` asks `Password: ` without echo; the right one gives
//     `# `, a wrong one prints `Incorrect password` (`パスワードが間違っています`) [SEEN
//     rtx-sim]. The administrator password is the `administrator password` line of the
//     configuration (printed `administrator password *`); the engine option admin-password
//     sets it initially; without one an empty answer is right [DOC 2.1].
//   - Configuration commands in user mode: `Error: Administrator use only` [SEEN].
//   - `tunnel select N` gives `tunnelN# `, `pp select N` `ppN# `; `tunnel select none`, `pp
//     select none` and `no tunnel select` / `no pp select` return to `# ` [DOC 56.2].
//     Global commands are accepted inside a context [DOC].
//   - `exit` / `quit` in administrator mode return to `> `, asking `Save new configuration ?
//     (Y/N)` (`新しい設定を保存しますか? (Y/N)`) first when the running configuration differs
//     from the saved one [SEEN netmiko]; Y saves, N does not, another answer asks again. The
//     answer is read as a line (the device reads one key) [deviation]. `exit save` / `quit
//     save` save on the way [DOC 56.3.2]. In user mode `exit` / `quit` log out.
//   - `save [N [comment]]` prints `Saving ... CONFIG0 Done .` / `セーブ中... CONFIG0 終了`
//     [SEEN]; Server.FailNextCommit makes the next save fail with its message; the commit
//     delay is the time a save takes.
//
// Configuration commands (spec.go): every command takes effect at once; a command set again
// replaces its line (identity: the command's name and its numbers); `no <command>` removes
// it, ignores what follows the identity and is silent when nothing was set [DOC 1.4,
// INFERRED]. Values are checked per model: security gateway ids 1..20 (RTX830), 1..100
// (RTX1210, RTX1220), 1..6 (RTX810) [DOC ch15; RTX810 INFERRED], tunnels the same, pp
// 1..30 / 1..100 [DOC 1.6], BGP neighbors 1..32 [DOC ch29]. Refused lines print the
// device's `Error: ...` line (messages.go).
//
// Words are split as the console does (lex.go, DOC 1.5): backslash, single and double
// quotes; an unescaped `#` starts a comment, `|` a pipe (`show config | grep`), `>` a
// redirection (refused: no external memory here), `?` is the help key and does not reach
// the command. `show config` prints a word holding a blank or one of `"'#?|>\` in double
// quotes with `"` and `\` escaped, so that it reads back the same [INFERRED].
//
// `show config` (config.go): the `#` header (model and revision with its build date, MAC
// addresses, memory, `main:` line, `Reporting Date:`) [SEEN]; then the lines in the
// device's order with no blank lines [SEEN dumps]; passwords as `*`; `ipsec ike
// pre-shared-key N text K` in clear text for the administrator (`... N *` in user mode
// [INFERRED]). Ordering inside a tunnel block and of the `ipsec ike` lines (version first,
// then by name, `ipsec auto refresh N` last) follows the reference sample and seed 001
// [SEEN, extrapolated].
//
// Console: `console character` (en.ascii, ja.sjis, ja.euc, ja.utf8; Japanese Shift-JIS by
// default) sets the language of messages and the encoding of output and input; `console
// lines N|infinity` (default 24) pages long output with `---more---` / `---つづく---`;
// `console columns N` (default 80) wraps longer lines. General users may type them too;
// they are configuration lines whoever types them (show config prints them without a save,
// DOC 4.21-4.23 notes), and a session starts with the configured values.
//
// Firmware: `rollback timer <sec>` and `confirm` exist on RTX1210 Rev.14.01.26+, RTX830
// Rev.15.02.03+, RTX1220 [DOC 56.7.31]; elsewhere they are `Invalid command name`. Each
// console (session) has one timer at most, the last armed [DOC 56.7.31: 一つのコンソールあたり、
// 復元タイマーは一つしか動作しない]. A timer restores the whole configuration of the moment it
// was armed when it expires (whatever any session typed since), also after the session that
// armed it was lost (a lost connection stops nothing; the login timer is not modelled); that
// session's `confirm`, `save` and logging out stop it [the per-console reading of save and
// logout INFERRED], as does `restart`. SetSecond shortens the second for tests.
//
// Other hooks and commands: `restart` boots the saved configuration and ends the session;
// Server.HoldLock refuses `administrator` with `Error: Another user is in administrator
// mode` [INFERRED text]; Server.SetOutputPadding adds `dns static a pad-NNNNNNN.invalid
// 192.0.2.N` lines to `show config` only; `bgp configure refresh` is counted
// (BGPRefreshes), `ipsec refresh sa` / `ipsec sa delete` are accepted. The model and
// revision come from the engine options, else from the header of an initial configuration
// printed by show config, else RTX1210 Rev.14.01.42.
//
// SSH (SSHProfile): `SSH-2.0-OpenSSH_7.7`, an RSA host key signing with ssh-rsa (SHA-1)
// only, diffie-hellman-group14-sha1, aes*-ctr and aes128-cbc, hmac-sha2-256 and hmac-sha1,
// exec requests refused; the engine option ssh-sessions limits concurrent connections.

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/flat"
)

func init() { simulator.RegisterEngine("rtx", "RTX1210", newEngine) }

// model is a router model and what depends on it.
type model struct {
	name      string
	rev       string // default firmware revision
	built     string // its build date as the header prints it
	memory    string
	lans      int
	maxGW     int
	maxTunnel int
	maxPP     int
	rollback  string // first revision with rollback timer/confirm; "-" never; "" always
	cols200   string // last revision whose console columns stop at 200; "" never
	rev14     bool   // console character names of Rev.14.01 and later (ja.sjis)
	current   string // the engine's revision
}

var models = map[string]model{
	"RTX810":  {name: "RTX810", rev: "11.01.34", built: "Tue Nov 26 18:26:20 2019", memory: "Memory 128Mbytes, 2LAN, 1BRI", lans: 2, maxGW: 6, maxTunnel: 6, maxPP: 30, rollback: "-", cols200: "99.99.99"},
	"RTX830":  {name: "RTX830", rev: "15.02.30", built: "Fri Sep 29 09:16:06 2023", memory: "Memory 256Mbytes, 2LAN", lans: 2, maxGW: 20, maxTunnel: 20, maxPP: 30, rollback: "15.02.03", cols200: "15.02.13", rev14: true},
	"RTX1210": {name: "RTX1210", rev: "14.01.42", built: "Fri Jul  5 11:17:45 2024", memory: "Memory 256Mbytes, 3LAN, 1BRI", lans: 3, maxGW: 100, maxTunnel: 100, maxPP: 100, rollback: "14.01.26", cols200: "14.01.34", rev14: true},
	"RTX1220": {name: "RTX1220", rev: "15.04.05", built: "Thu Feb 15 10:12:31 2024", memory: "Memory 256Mbytes, 3LAN", lans: 3, maxGW: 100, maxTunnel: 100, maxPP: 100, rollback: "", rev14: true},
}

// revLess compares revisions such as 14.01.26.
func revLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x < y
		}
	}
	return len(pa) < len(pb)
}

func (m *model) hasRollback() bool {
	switch m.rollback {
	case "":
		return true
	case "-":
		return false
	}
	return !revLess(m.current, m.rollback)
}

func (m *model) columnsMax() int {
	if m.cols200 != "" && !revLess(m.cols200, m.current) {
		return 200
	}
	return 4096
}

func (m *model) defaultCharset() string {
	if m.rev14 {
		return "ja.sjis"
	}
	return "sjis"
}

// Options the engine takes (simulator.Options.EngineOptions, `simulate --option`).
const (
	OptModel         = "model"          // RTX830, RTX1210 (default), RTX1220, RTX810
	OptRevision      = "revision"       // firmware revision, e.g. 14.01.20 or Rev.14.01.20
	OptAdminPassword = "admin-password" // the administrator password (default: none)
	OptSSHSessions   = "ssh-sessions"   // concurrent SSH connections allowed (default: unlimited)
)

type engine struct {
	mu       sync.Mutex
	m        *model
	sp       *spec
	running  *flat.Store
	saved    *flat.Store
	controls *simulator.Controls
	sshMax   int
	second   time.Duration
	now      func() time.Time

	// rb are the rollback timers, one per session that armed one.
	rb           map[*session]*rollback
	bgpRefreshes int
	closed       bool
}

var headerRE = regexp.MustCompile(`^#\s*(RTX\d+)\s+Rev\.(\d+\.\d+\.\d+)`)

func newEngine(cfg simulator.EngineConfig) (simulator.Engine, error) {
	name, rev := "", ""
	// a configuration printed by show config names its model and revision in its header
	if first, _, _ := strings.Cut(strings.TrimLeft(cfg.InitialConfig, "\r\n"), "\n"); headerRE.MatchString(first) {
		m := headerRE.FindStringSubmatch(first)
		name, rev = m[1], m[2]
	}
	var admin *string
	sshMax := 0
	keys := make([]string, 0, len(cfg.Options))
	for k := range cfg.Options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := cfg.Options[k]
		switch k {
		case OptModel:
			name = strings.ToUpper(strings.TrimSpace(v))
		case OptRevision:
			rev = strings.TrimPrefix(strings.TrimSpace(v), "Rev.")
		case OptAdminPassword:
			admin = &v
		case OptSSHSessions:
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("rtx: option %s: %q is not a number of sessions", k, v)
			}
			sshMax = n
		default:
			return nil, fmt.Errorf("rtx: unknown option %q (known: %s, %s, %s, %s)", k, OptModel, OptRevision, OptAdminPassword, OptSSHSessions)
		}
	}
	if name == "" {
		name = "RTX1210"
	}
	mv, ok := models[name]
	if !ok {
		return nil, fmt.Errorf("rtx: unknown model %q (known: RTX810, RTX830, RTX1210, RTX1220)", name)
	}
	m := &mv
	m.current = m.rev
	if rev != "" {
		if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(rev) {
			return nil, fmt.Errorf("rtx: revision %q is not like 14.01.42", rev)
		}
		m.current = rev
	}
	e := &engine{m: m, sp: buildSpec(m), controls: cfg.Controls, sshMax: sshMax, second: time.Second, now: time.Now}
	e.running = flat.New(e.sp.flat)
	if admin != nil && *admin != "" {
		if _, msg := e.execConfig(flat.Context{}, []string{"administrator", "password", *admin}); msg != "" {
			return nil, fmt.Errorf("rtx: option %s: %s", OptAdminPassword, charsetOf("en.ascii").text(msg))
		}
	}
	if err := e.load(cfg.InitialConfig); err != nil {
		return nil, fmt.Errorf("rtx: initial configuration: %w", err)
	}
	e.saved = e.running.Clone()
	return e, nil
}

// load types configuration lines as an administrator does, from the top level.
func (e *engine) load(text string) error {
	ctx := flat.Context{}
	for i, raw := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		lx := lex(raw)
		if len(lx.toks) == 0 {
			continue
		}
		var msg string
		if lx.ctrl || lx.hasPip || lx.redir {
			msg = mKeyword
		} else {
			ctx, msg = e.execConfig(ctx, lx.toks)
		}
		if msg != "" {
			return fmt.Errorf("line %d %q: %s", i+1, strings.TrimSpace(raw), charsetOf("en.ascii").text(msg))
		}
	}
	return nil
}

// tunnelCtx is the context of `tunnel select N` (or pp), made from the top level.
func (e *engine) selectCtx(kind, num string) (flat.Context, string) {
	ctx, err := e.running.Exec(flat.Context{}, []string{kind, "select", num})
	if err != nil {
		return flat.Context{}, e.errMsg(err, []string{kind, "select", num})
	}
	return ctx, ""
}

// execConfig applies one configuration line in ctx (e.mu held) and returns the new context
// and a message key ("" when accepted).
func (e *engine) execConfig(ctx flat.Context, toks []string) (flat.Context, string) {
	body, negate := toks, false
	if len(toks) > 0 && toks[0] == "no" {
		body, negate = toks[1:], true
	}
	if len(body) >= 2 && (body[0] == "tunnel" || body[0] == "pp") && body[1] == "select" {
		if negate {
			return flat.Context{}, "" // `no tunnel select`: back to the top level
		}
		if len(body) != 3 {
			return ctx, mParams
		}
		if body[2] == "none" {
			return flat.Context{}, ""
		}
	}
	// `tunnel enable N` / `pp enable N` act on interface N wherever they are typed
	if len(body) == 3 && (body[0] == "tunnel" || body[0] == "pp") && body[1] == "enable" && body[2] != "all" {
		sel, msg := e.selectCtx(body[0], body[2])
		if msg != "" {
			return ctx, msg
		}
		if _, err := e.running.Exec(sel, toks); err != nil && !isNotFound(err) {
			return ctx, e.errMsg(err, toks)
		}
		return ctx, ""
	}
	if need := contextOf(body); need != "" && ctx.Kind() != need {
		if need == "pp" {
			return ctx, mPPSelect
		}
		return ctx, mTunnelSelect
	}
	if ctx.Depth() > 0 {
		// the block may be gone (a rollback restored an older configuration): select it again
		op := ctx.Openers()[0]
		ctx, _ = e.selectCtx(op[0], op[2])
	}
	next, err := e.running.Exec(ctx, toks)
	if err != nil && !isNotFound(err) {
		return ctx, e.errMsg(err, toks)
	}
	return next, ""
}

// contextOf is the interface a command must be typed in ("pp", "tunnel"), "" for global
// commands.
func contextOf(body []string) string {
	if len(body) == 0 {
		return ""
	}
	two := ""
	if len(body) > 1 {
		two = body[1]
	}
	switch {
	case body[0] == "ppp" || body[0] == "pppoe",
		body[0] == "pp" && two != "select" && two != "disable" && two != "enable",
		(body[0] == "ip" || body[0] == "description") && two == "pp":
		return "pp"
	case body[0] == "tunnel" && (two == "encapsulation" || two == "endpoint"),
		(body[0] == "ip" || body[0] == "description" || body[0] == "ipsec") && two == "tunnel":
		return "tunnel"
	}
	return ""
}

func isNotFound(err error) bool {
	fe, ok := err.(*flat.Error)
	return ok && fe.Kind == flat.NotFound
}

// errMsg turns a store error into a message key.
func (e *engine) errMsg(err error, toks []string) string {
	fe, ok := err.(*flat.Error)
	if !ok {
		return mInvalidCommand
	}
	switch fe.Kind {
	case flat.Unknown:
		return mInvalidCommand
	case flat.Incomplete:
		if e.partialName(toks) {
			return mInvalidCommand // `ipsec ike`: not a command name yet
		}
		return mParams
	case flat.Extra:
		return mParams
	case flat.BadValue:
		return fe.Msg
	case flat.WrongContext:
		body := toks
		if len(body) > 0 && body[0] == "no" {
			body = body[1:]
		}
		if len(body) > 0 && (body[0] == "pp" || body[0] == "ppp" || body[0] == "pppoe" ||
			(len(body) > 1 && (body[0] == "ip" || body[0] == "description") && body[1] == "pp")) {
			return mPPSelect
		}
		return mTunnelSelect
	}
	return ""
}

// partialName reports whether toks (a `no` dropped) are the first words of a command
// whose next word is a keyword: the name of the command is not complete.
func (e *engine) partialName(toks []string) bool {
	if len(toks) > 0 && toks[0] == "no" {
		toks = toks[1:]
	}
	for _, c := range e.sp.flat.Commands {
		w := strings.Fields(c.Pattern)
		if len(w) <= len(toks) {
			continue
		}
		ok := true
		for i, t := range toks {
			if !strings.HasPrefix(w[i], "<") && w[i] != t {
				ok = false
				break
			}
		}
		if ok && !strings.HasPrefix(w[len(toks)], "<") && w[len(toks)] != "..." {
			return true
		}
	}
	return false
}

// adminPassword is the `administrator password` of the running configuration.
func (e *engine) adminPassword() string {
	for _, l := range e.running.Top().Lines {
		if l.Cmd.Pattern == "administrator password ..." && len(l.Tokens) > 2 {
			return l.Tokens[2]
		}
	}
	return ""
}

// setting is the value of a top-level single-word setting such as `console lines`.
func (e *engine) setting(words ...string) (string, bool) {
	for _, l := range e.running.Top().Lines {
		if len(l.Tokens) == len(words)+1 && strings.Join(l.Tokens[:len(words)], " ") == strings.Join(words, " ") {
			return l.Tokens[len(words)], true
		}
	}
	return "", false
}

func (e *engine) macs() []string {
	out := make([]string, e.m.lans)
	for i := range out {
		out[i] = fmt.Sprintf("00:a0:de:12:34:%02x", 0x56+i)
	}
	return out
}

// header is the `#` comment block `show config` starts with.
func (e *engine) header() string {
	macs := e.macs()
	main := fmt.Sprintf("# main:  %s ver=00 serial=S4K000000", e.m.name)
	for _, m := range macs {
		main += " MAC-Address=" + m
	}
	return fmt.Sprintf("# %s Rev.%s (%s)\n# MAC Address : %s\n# %s\n%s\n# Reporting Date: %s\n",
		e.m.name, e.m.current, e.m.built, strings.Join(macs, ", "), e.m.memory, main, e.now().Format("Jan 2 15:04:05 2006"))
}

func (e *engine) dirty() bool {
	return e.sp.render(e.running, true, 0) != e.sp.render(e.saved, true, 0)
}

// save writes the running configuration to flash (e.mu held); it stops s's rollback timer.
func (e *engine) save(s *session) {
	e.saved = e.running.Clone()
	e.stopRollback(s)
	e.controls.CountSave()
}

// rollback is one session's rollback timer: the configuration it restores.
type rollback struct {
	snap  *flat.Store
	timer *time.Timer
}

// stopRollback stops s's timer, or every session's when s is nil (e.mu held).
func (e *engine) stopRollback(s *session) {
	for owner, rb := range e.rb {
		if s == nil || owner == s {
			rb.timer.Stop()
			delete(e.rb, owner)
		}
	}
}

// armRollback starts the rollback timer of s (e.mu held); s's last one armed counts.
func (e *engine) armRollback(s *session, secs int) {
	e.stopRollback(s)
	rb := &rollback{snap: e.running.Clone()}
	rb.timer = time.AfterFunc(time.Duration(secs)*e.second, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.closed || e.rb[s] != rb {
			return
		}
		e.running = rb.snap
		delete(e.rb, s)
	})
	if e.rb == nil {
		e.rb = map[*session]*rollback{}
	}
	e.rb[s] = rb
}

// --- simulator.Engine ---

func (e *engine) ServerVersion() string { return "SSH-2.0-OpenSSH_7.7" }

// SSHProfile is the SSH server of RTX1210-era firmware.
func (e *engine) SSHProfile() simulator.SSHProfile {
	return simulator.SSHProfile{
		HostKeyType:       "rsa",
		HostKeyAlgorithms: []string{ssh.KeyAlgoRSA},
		KeyExchanges:      []string{ssh.InsecureKeyExchangeDH14SHA1},
		Ciphers:           []string{ssh.CipherAES128CTR, ssh.CipherAES192CTR, ssh.CipherAES256CTR, ssh.InsecureCipherAES128CBC},
		MACs:              []string{ssh.HMACSHA256, ssh.HMACSHA1},
		RefuseExec:        true,
		MaxSessions:       e.sshMax,
	}
}

func (e *engine) RunningConfig() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.header() + e.sp.render(e.running, true, 0)
}

func (e *engine) SavedConfig() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.header() + e.sp.render(e.saved, true, 0)
}

// Apply types lines as another administrator would and saves them.
func (e *engine) Apply(lines ...string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	keep := e.running.Clone()
	if err := e.load(strings.Join(lines, "\n")); err != nil {
		e.running = keep
		return err
	}
	e.saved = e.running.Clone()
	return nil
}

func (e *engine) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.closed = true
	e.stopRollback(nil)
}

// --- controls for tests ---

// SetSecond makes the engine's second (rollback timers) last d. It reports false when eng
// is not an RTX engine.
func SetSecond(eng simulator.Engine, d time.Duration) bool {
	e, ok := eng.(*engine)
	if ok {
		e.mu.Lock()
		e.second = d
		e.mu.Unlock()
	}
	return ok
}

// RollbackPending reports whether a rollback timer runs.
func RollbackPending(eng simulator.Engine) bool {
	e, ok := eng.(*engine)
	if !ok {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.rb) > 0
}

// BGPRefreshes counts `bgp configure refresh` commands.
func BGPRefreshes(eng simulator.Engine) int {
	e, ok := eng.(*engine)
	if !ok {
		return 0
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.bgpRefreshes
}

// Model reports the simulated model and firmware revision ("RTX1210", "14.01.42").
func Model(eng simulator.Engine) (name, revision string) {
	e, ok := eng.(*engine)
	if !ok {
		return "", ""
	}
	return e.m.name, e.m.current
}
