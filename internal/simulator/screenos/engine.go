// Package screenos is the simulator engine of Juniper ScreenOS (SSG5 on 6.3, NetScreen-25
// and NetScreen-5GT on 5.4): `set`/`unset` lines applied at once, vrouter, BGP, route-map
// and policy sub-contexts, `save`, `get config` in the device's format, and the legacy SSH
// of these boxes. It registers itself as platform "screenos" with the simulator core in
// init; import it (or internal/simulator/all) before simulator.New. The configuration store
// is an internal/simulator/flat store (spec.go declares the commands); policies are kept
// in evaluation order beside it. The engine is an independent implementation written from
// the CLI reference (device-cli.md section 1 and checklist 5.3) and the device output of
// seed 000; it shares no code with the provider's ScreenOS dialect.
package screenos

// Facts and guesses, with the reference's evidence marks (SEEN, DOC, INFERRED):
//
// Sessions:
//   - SSH identification `SSH-2.0-NetScreen` [SEEN]; key exchanges diffie-hellman-group14-sha1
//     and diffie-hellman-group1-sha1, ciphers aes128-cbc and 3des-cbc, MAC hmac-sha1, an
//     ssh-dss host key, exec requests refused, pty-req and shell accepted [INFERRED, 1.5]
//     (simulator.SSHProfiler).
//   - prompt `<hostname>-> ` [SEEN]; NSRP members add `(M)` or `(B)` after the host name
//     [SEEN NetInfo `HA:...(M)-> `] (SetNSRP); sub-contexts `host(trust-vr)-> `,
//     `host(trust-vr/bgp)-> `, `host(trust-vr/<route-map>-<seq>)-> `, `host(policy:10)-> `,
//     `host(crypto-policy)-> `, `host(url)-> ` [INFERRED]; `exit` leaves one level.
//   - at the top level `exit` closes the session; with unsaved changes it first asks
//     `Configuration modified, save? [y]/n` [SEEN]: y or an empty answer saves and closes, n
//     closes without saving, anything else asks again [INFERRED].
//   - `set console page N` is a configuration line (so it makes the configuration
//     modified) [INFERRED]; interactive output longer than the page length (default 20
//     lines [INFERRED]) is paged with `--- more --- ` [SEEN prompt]: space, Enter, q.
//     `set console page 0` turns paging off [SEEN].
//   - `save` and `save config` write the running configuration to flash and print nothing
//     [INFERRED]. The engine's commit delay is the time a save takes; Server.FailNextCommit
//     makes the next save print its message and write nothing (there are no commits).
//   - `get system` prints `Product Name:`, `Serial Number: X, Control Number: Y`, `Software
//     Version: V, Type: Firewall+VPN` [SEEN pyScreenOSManager] and a few lines more
//     [INFERRED]; `get hostname` prints `Hostname: X` [SEEN]. SetModel selects ssg5
//     (SSG5-Serial, 6.3.0r13.0), ns25 (NetScreen-25, 5.4.0r23.0), ns5gt (NetScreen-5GT,
//     5.4.0r27.0) [SEEN seed 000 versions]. Without SetModel the model is the first of
//     these whose interfaces the initial configuration fits (ssg5 for an empty one).
//     FactoryConfig(model) gives a realistic base configuration per model.
//   - `get config [| include X | exclude X]` (substring, case-sensitive [INFERRED]).
//   - `?` is context help and is never inserted into the line (help.go).
//
// Errors (printed instead of nothing; a successful set/unset prints nothing [SEEN]):
//   - a word the CLI does not know: the caret under it, aligned with the prompt, then
//     `^-----unknown keyword <word>` [SEEN]; an extra word and a word not valid in the
//     current context the same way [INFERRED].
//   - a line that ends too soon: `^-----command not completed` under the end of the line
//     [INFERRED text from the reference's list].
//   - a quote the CLI cannot pair, a quote inside a word, a control character:
//     `^-----parse error` [INFERRED text from the reference's list].
//   - a bad value: the caret under it and `invalid ip address X`, `invalid netmask X`,
//     `invalid value X (lo-hi)`, `name too long` [INFERRED texts].
//   - object errors, without caret [INFERRED texts after the reference's examples]:
//     `<Kind> <name> doesn't exist` when a line names a gateway, proposal, vpn, interface,
//     zone, address or neighbor that does not exist or unsets something absent (`Entry
//     doesn't exist` when it is not a named object), `Can't delete: used by <kind> <name>`
//     when an unset would leave a reference dangling, `VPN id N is in use`, `Policy id N
//     doesn't exist`, `BGP is already configured with AS N`.
//   - while Server.HoldLock holds the lock: `Configuration is locked by <user>` for
//     set/unset/save [INFERRED].
//   - Server.FailCommand messages are printed the way the device refuses a line: under a
//     caret line at the command's first argument (`^-----<message>`), unless the message
//     already holds a caret line or starts with a blank or a line end (printed as given).
//
// Configuration: see spec.go for the commands and the order of `get config`, rest.go for
// the free-order tails, check.go for the references the device enforces, policy.go for
// policies, secret.go for the printed form of preshared keys and MD5 passwords.

import (
	"crypto/dsa"
	"crypto/rand"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/flat"
)

func init() { simulator.RegisterEngine("screenos", "ssg5", newEngine) }

type model struct {
	id, product, version, file string
	hexIDs, v63                bool
	ifaces                     []string
}

var models = map[string]model{
	"ssg5": {id: "ssg5", product: "SSG5-Serial", version: "6.3.0r13.0", file: "ssg5ssg20.6.3.0r13.0", hexIDs: true, v63: true,
		ifaces: []string{"ethernet0/0", "ethernet0/1", "ethernet0/2", "ethernet0/3", "ethernet0/4", "ethernet0/5", "ethernet0/6",
			"bgroup0", "bgroup1", "bgroup2", "bgroup3", "serial0/0", "vlan1"}},
	"ns25": {id: "ns25", product: "NetScreen-25", version: "5.4.0r23.0", file: "ns25.5.4.0r23.0",
		ifaces: []string{"ethernet1", "ethernet2", "ethernet3", "ethernet4", "vlan1"}},
	"ns5gt": {id: "ns5gt", product: "NetScreen-5GT", version: "5.4.0r27.0", file: "ns5gt.5.4.0r27.0",
		ifaces: []string{"trust", "untrust", "serial", "vlan1"}},
}

// Models lists the model names SetModel accepts.
func Models() []string { return []string{"ssg5", "ns25", "ns5gt"} }

type engine struct {
	mu     sync.Mutex
	spec   builtSpec
	ctl    *simulator.Controls
	model  model
	serial string
	nsrp   string
	start  time.Time
	run    *conf
	saved  *conf
}

func newEngine(cfg simulator.EngineConfig) (simulator.Engine, error) {
	e := &engine{spec: buildSpec(), ctl: cfg.Controls, start: time.Now()}
	boot := []string{`set vrouter "untrust-vr"`, "exit", `set vrouter "trust-vr"`, "exit", "set hostname " + cfg.Hostname}
	// The model is the first (ssg5, ns25, ns5gt) whose interfaces the initial configuration
	// fits; SetModel changes it afterwards.
	var first error
	for _, m := range Models() {
		e.model = models[m]
		e.setSerial(cfg.Hostname)
		c := &conf{st: flat.New(e.spec.spec), vpnIDs: map[string]int{}}
		err := e.applyLines(c, append(boot, strings.Split(cfg.InitialConfig, "\n")...))
		if err == nil {
			e.run, e.saved = c, c.clone()
			return e, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, fmt.Errorf("screenos: initial configuration: %w", first)
}

func (e *engine) setSerial(host string) {
	h := fnv.New64a()
	h.Write([]byte(e.model.id + "/" + host))
	e.serial = fmt.Sprintf("0168%012d", h.Sum64()%1000000000000)
}

// SetModel makes the engine a given model ("ssg5", "ns25", "ns5gt"): what `get system`
// reports, the physical interfaces, 6.3-only commands (`ike gateway ikev2`, `ike ikev2`)
// and the tunnel id format of `bind interface` lines (hex on 6.3). It reports false when
// eng is not a ScreenOS engine or the model is unknown.
func SetModel(eng simulator.Engine, name string) bool {
	e, ok := eng.(*engine)
	m, known := models[lower(name)]
	if !ok || !known {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	host := e.hostname()
	e.model = m
	e.setSerial(host)
	return true
}

// SetNSRP makes the prompt show an NSRP cluster role: "M" (master), "B" (backup) or ""
// (standalone). It reports false when eng is not a ScreenOS engine or role is invalid.
func SetNSRP(eng simulator.Engine, role string) bool {
	e, ok := eng.(*engine)
	if !ok || (role != "" && role != "M" && role != "B") {
		return false
	}
	e.mu.Lock()
	e.nsrp = role
	e.mu.Unlock()
	return true
}

func (e *engine) ServerVersion() string { return "SSH-2.0-NetScreen" }

var (
	dsaOnce sync.Once
	dsaKey  ssh.Signer
	dsaErr  error
)

// SSHProfile is the legacy algorithm set of the device (simulator.SSHProfiler).
func (e *engine) SSHProfile() simulator.SSHProfile {
	return simulator.SSHProfile{
		KeyExchanges: []string{ssh.InsecureKeyExchangeDH14SHA1, ssh.InsecureKeyExchangeDH1SHA1},
		Ciphers:      []string{ssh.InsecureCipherAES128CBC, ssh.InsecureCipherTripleDESCBC},
		MACs:         []string{ssh.HMACSHA1},
		HostKey: func() (ssh.Signer, error) {
			dsaOnce.Do(func() {
				var k dsa.PrivateKey
				if dsaErr = dsa.GenerateParameters(&k.Parameters, rand.Reader, dsa.L1024N160); dsaErr != nil {
					return
				}
				if dsaErr = dsa.GenerateKey(&k, rand.Reader); dsaErr != nil {
					return
				}
				dsaKey, dsaErr = ssh.NewSignerFromKey(&k)
			})
			return dsaKey, dsaErr
		},
		RefuseExec: true,
	}
}

// hostname is the configured host name (the prompt follows it).
func (e *engine) hostname() string {
	if e.run == nil {
		return ""
	}
	for _, l := range e.run.st.Top().Lines {
		if l.Tokens[0] == "hostname" {
			return l.Tokens[1]
		}
	}
	return ""
}

func (e *engine) printSecret(v string) string {
	if _, ok := e.decodeSecret(v); ok {
		return v
	}
	return e.encodeSecret(v)
}

func (e *engine) getConfig(c *conf, pad int) string {
	b := e.render(c, pad)
	return fmt.Sprintf("Total Config size %d:\n", len(b)) + b
}

func (e *engine) RunningConfig() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.getConfig(e.run, 0)
}

func (e *engine) SavedConfig() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.getConfig(e.saved, 0)
}

// Apply types lines (context lines and exits included) into the running configuration as
// another administrator would, then saves.
func (e *engine) Apply(lines ...string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.run.clone()
	if err := e.applyLines(c, lines); err != nil {
		return err
	}
	e.run, e.saved = c, c.clone()
	return nil
}

func (e *engine) applyLines(c *conf, lines []string) error {
	var cur cursor
	for _, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		toks, lerr := lex(line)
		if lerr != nil {
			return fmt.Errorf("%s: %s", line, lerr.msg)
		}
		if lower(toks[0].s) == "exit" && len(toks) == 1 {
			cur.exit(c)
			continue
		}
		if v := lower(toks[0].s); v != "set" && v != "unset" {
			return fmt.Errorf("%s: unknown keyword %s", line, toks[0].s)
		}
		if ce := e.configure(c, &cur, toks); ce != nil {
			return fmt.Errorf("%s: %s", line, ce.msg)
		}
	}
	return nil
}

func (e *engine) Close() {}

// cursor is where a session types: a flat context, or a policy's context.
type cursor struct {
	ctx    flat.Context
	policy int // policy id of the policy context, 0 when not in one
}

func (cur *cursor) exit(c *conf) bool {
	switch {
	case cur.policy != 0:
		cur.policy = 0
	case cur.ctx.Depth() > 0:
		cur.ctx, _ = c.st.Exec(cur.ctx, []string{"exit"})
	default:
		return false
	}
	return true
}

// cliErr is a refused line: a caret error at a column, or an object error.
type cliErr struct {
	col   int
	caret bool
	msg   string
}

func caretAt(col int, msg string) *cliErr { return &cliErr{col: col, caret: true, msg: msg} }
func objErr(msg string) *cliErr           { return &cliErr{msg: msg} }

// configure applies one set/unset line to c (which the caller discards on error).
func (e *engine) configure(c *conf, cur *cursor, toks []token) *cliErr {
	negate := lower(toks[0].s) == "unset"
	if cur.policy != 0 {
		return e.policyContext(c, cur, toks, negate)
	}
	if cur.ctx.Depth() == 0 && len(toks) > 1 && lower(toks[1].s) == "policy" {
		return e.policyCommand(c, cur, toks, negate)
	}
	ft := make([]string, len(toks))
	cols := make([]int, len(toks))
	for i, t := range toks {
		ft[i], cols[i] = t.s, t.col
	}
	insert := func(at int, words ...string) {
		col := cols[len(cols)-1] + 1
		if at < len(cols) {
			col = cols[at]
		}
		ft = append(ft[:at:at], append(words, ft[at:]...)...)
		nc := make([]int, len(words))
		for i := range nc {
			nc[i] = col
		}
		cols = append(cols[:at:at], append(nc, cols[at:]...)...)
	}
	remove := func(at, n int) {
		ft = append(ft[:at:at], ft[at+n:]...)
		cols = append(cols[:at:at], cols[at+n:]...)
	}
	if !e.model.v63 {
		for i := 1; i < len(ft) && i <= 3; i++ {
			if strings.EqualFold(ft[i], "ikev2") && strings.EqualFold(ft[1], "ike") {
				return caretAt(cols[i], "unknown keyword "+ft[i])
			}
		}
	}
	// `set route ...` at the top level is the default vrouter's route [SEEN reference]
	if cur.ctx.Depth() == 0 && len(ft) > 1 && strings.EqualFold(ft[1], "route") {
		insert(1, "vrouter", "trust-vr")
	}
	// vrouter names are case-insensitive; the device prints them in lower case
	start := 1 // where the command proper starts (after set/unset and a one-line vrouter)
	vrName := ""
	if cur.ctx.Depth() > 0 {
		vrName = cur.ctx.Openers()[0][1]
	}
	if cur.ctx.Depth() == 0 && len(ft) > 2 && strings.EqualFold(ft[1], "vrouter") {
		ft[2] = lower(ft[2])
		vrName = ft[2]
		if len(ft) > 3 {
			start = 3
		}
	}
	// `protocol bgp enable` (one-line, or in the vrouter) means the configured instance
	if vrName != "" && len(ft) > start+1 && strings.EqualFold(ft[start], "protocol") && strings.EqualFold(ft[start+1], "bgp") &&
		(cur.ctx.Kind() == "vrouter" || start == 3) {
		as := e.bgpAS(c, vrName)
		switch {
		case len(ft) > start+2 && isNumber(ft[start+2]):
			if as != "" && as != strings.TrimLeft(ft[start+2], "0") && !negate {
				return objErr("BGP is already configured with AS " + as)
			}
		case len(ft) > start+2 && as != "":
			insert(start+2, as)
		case len(ft) > start+2:
			return caretAt(cols[start+2], "unknown keyword "+ft[start+2])
		}
	}
	// `set vpn "X" id N bind interface tunnel.1`: the id as `get config` prints it
	wantID := -1
	if len(ft) > start+4 && strings.EqualFold(ft[start], "vpn") && strings.EqualFold(ft[start+2], "id") && strings.EqualFold(ft[start+4], "bind") {
		n, err := strconv.ParseUint(ft[start+3], 0, 16)
		if err != nil || n == 0 {
			return caretAt(cols[start+3], "invalid value "+ft[start+3])
		}
		wantID = int(n)
		remove(start+2, 2)
	}
	// `set address "Z" "N" 10.1.0.0/16` is stored as address and mask [SEEN both forms]
	if len(ft) > start+3 && strings.EqualFold(ft[start], "address") && strings.Contains(ft[start+3], "/") {
		if msg := checkCIDR(ft[start+3]); msg != "" {
			return caretAt(cols[start+3], msg)
		}
		ip, bits, _ := strings.Cut(ft[start+3], "/")
		n, _ := strconv.Atoi(bits)
		m := uint32(0xffffffff) << (32 - n)
		if n == 0 {
			m = 0
		}
		ft[start+3] = ip
		insert(start+4, fmt.Sprintf("%d.%d.%d.%d", m>>24, m>>16&0xff, m>>8&0xff, m&0xff))
	}
	if len(ft) > start+1 && strings.EqualFold(ft[start], "unset") {
		return caretAt(cols[start], "unknown keyword "+ft[start])
	}
	if negate && len(ft) == 3 && strings.EqualFold(ft[1], "vrouter") {
		return objErr("Can't delete: vrouter " + ft[2] + " is predefined") // [INFERRED text]
	}
	before := e.problems(c)
	if negate && len(ft) == 4 && strings.EqualFold(ft[1], "ike") && strings.EqualFold(ft[2], "gateway") && hasV2Gateway(c, ft[3]) {
		// `unset ike gateway "X"` removes an IKEv2 gateway and its settings too
		ft = []string{"unset", "ike", "gateway", "ikev2", ft[3]}
		cols = []int{cols[0], cols[1], cols[2], cols[3], cols[3]}
		_, _ = c.st.Exec(cur.ctx, []string{"unset", "ike", "gateway", ft[4]})
	}
	ctx, err := c.st.Exec(cur.ctx, ft)
	viaAlt := false
	if err != nil && negate {
		// a default turned off is kept as an `unset ...` line
		alt := append([]string{"set"}, ft[1:start]...)
		alt = append(alt, "unset")
		alt = append(alt, ft[start:]...)
		if _, err2 := c.st.Exec(cur.ctx, alt); err2 == nil {
			err, viaAlt = nil, true
		}
	}
	if err != nil {
		return e.flatError(err, ft, cols, negate)
	}
	if blk := e.blockFor(c, cur.ctx, vrName, start); blk != nil && len(ft) > start && !viaAlt {
		removeUnset(blk, ft[start:], negate)
	}
	// keep the tunnel ids: a new vpn gets the next free id [INFERRED]; a requested id is
	// taken when free
	for _, l := range c.st.Top().Lines {
		if l.Tokens[0] == "vpn" && l.Tokens[2] == "gateway" {
			if _, ok := c.vpnIDs[l.Tokens[1]]; !ok {
				c.vpnIDs[l.Tokens[1]] = nextID(c)
			}
		}
	}
	for name := range c.vpnIDs {
		if !vpnExists(c, name) {
			delete(c.vpnIDs, name)
		}
	}
	if wantID > 0 {
		name := ft[start+1]
		for other, id := range c.vpnIDs {
			if id == wantID && other != name {
				return objErr(fmt.Sprintf("VPN id %d is in use", wantID))
			}
		}
		if _, ok := c.vpnIDs[name]; ok {
			c.vpnIDs[name] = wantID
		}
	}
	dedupe(c)
	if p := newProblem(before, e.problems(c)); p != nil {
		if negate && p.del != "" {
			return objErr(p.del)
		}
		return objErr(p.set)
	}
	cur.ctx = ctx
	return nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseUint(s, 10, 32)
	return err == nil
}

func vpnExists(c *conf, name string) bool {
	for _, l := range c.st.Top().Lines {
		if l.Tokens[0] == "vpn" && l.Tokens[1] == name && l.Tokens[2] == "gateway" {
			return true
		}
	}
	return false
}

func nextID(c *conf) int {
	max := 0
	for _, id := range c.vpnIDs {
		if id > max {
			max = id
		}
	}
	return max + 1
}

func (e *engine) bgpAS(c *conf, vr string) string {
	for _, b := range c.st.Top().Blocks {
		if b.Opener.Cmd.Enters == "vrouter" && lower(b.Opener.Tokens[1]) == lower(vr) {
			for _, s := range b.Blocks {
				if s.Opener.Cmd.Enters == "bgp" {
					return s.Opener.Tokens[2]
				}
			}
		}
	}
	return ""
}

// blockFor is the block whose `unset ...` lines a command typed at ctx affects: the
// vrouter's for vrouter commands, the top level for global ones.
func (e *engine) blockFor(c *conf, ctx flat.Context, vr string, start int) *flat.Block {
	if ctx.Depth() == 0 && start == 1 {
		return c.st.Top()
	}
	if ctx.Depth() > 1 || (ctx.Depth() == 1 && ctx.Kind() != "vrouter") {
		return nil
	}
	for _, b := range c.st.Top().Blocks {
		if b.Opener.Cmd.Enters == "vrouter" && lower(b.Opener.Tokens[1]) == lower(vr) {
			return b
		}
	}
	return nil
}

// removeUnset drops the stored `unset` lines a set of the same line (exact) or an unset of
// a prefix (prefix) replaces.
func removeUnset(b *flat.Block, words []string, prefix bool) {
	kept := b.Lines[:0:0]
	for _, l := range b.Lines {
		if unsetForm(l) && foldMatch(l.Tokens[1:], words, prefix) {
			continue
		}
		kept = append(kept, l)
	}
	b.Lines = kept
}

func foldMatch(toks, words []string, prefix bool) bool {
	if len(toks) < len(words) || (!prefix && len(toks) != len(words)) {
		return false
	}
	for i, w := range words {
		if !strings.EqualFold(toks[i], w) {
			return false
		}
	}
	return true
}

func (e *engine) flatError(err error, ft []string, cols []int, negate bool) *cliErr {
	fe, ok := err.(*flat.Error)
	if !ok {
		return objErr(err.Error())
	}
	colOf := func(i int) int {
		if i < len(cols) {
			return cols[i]
		}
		last := len(cols) - 1
		return cols[last] + width(ft[last]) + 1
	}
	word := func(i int) string {
		if i < len(ft) {
			return ft[i]
		}
		return ""
	}
	switch fe.Kind {
	case flat.Unknown, flat.Extra, flat.WrongContext:
		return caretAt(colOf(fe.Index), "unknown keyword "+word(fe.Index))
	case flat.Incomplete:
		return caretAt(colOf(len(ft)), notCompleted)
	case flat.BadValue:
		msg := fe.Msg
		idx := fe.Index
		if off, m, ok := strings.Cut(msg, "\x00"); ok {
			n, _ := strconv.Atoi(off)
			idx += n
			msg = m
		}
		if msg == notCompleted {
			return caretAt(colOf(len(ft)), notCompleted)
		}
		return caretAt(colOf(idx), msg)
	case flat.NotFound:
		return objErr(notFoundText(ft))
	}
	return objErr(err.Error())
}

// notFoundText names what an unset did not find.
func notFoundText(ft []string) string {
	w := func(i int) string {
		if i < len(ft) {
			return ft[i]
		}
		return ""
	}
	start := 1
	if strings.EqualFold(w(1), "vrouter") && len(ft) > 3 {
		start = 3
		if strings.EqualFold(w(3), "protocol") && len(ft) > 6 {
			start = 6 // protocol bgp AS neighbor ...
		}
	}
	n := len(ft) - start // words naming what was to be removed
	switch lower(w(start)) {
	case "ike":
		switch lower(w(start + 1)) {
		case "gateway":
			if lower(w(start+2)) == "ikev2" && n == 4 {
				return "Gateway " + w(start+3) + " doesn't exist"
			}
			if n == 3 {
				return "Gateway " + w(start+2) + " doesn't exist"
			}
		case "p1-proposal", "p2-proposal":
			return "Proposal " + w(start+2) + " doesn't exist"
		}
	case "vpn":
		if n == 2 {
			return "VPN " + w(start+1) + " doesn't exist"
		}
	case "address":
		return "Address " + w(start+2) + " doesn't exist in zone " + w(start+1)
	case "interface":
		if n == 2 {
			return "Interface " + w(start+1) + " doesn't exist"
		}
	case "neighbor":
		if n == 2 {
			return "Neighbor " + w(start+1) + " doesn't exist"
		}
	case "route":
		return "Route entry doesn't exist"
	}
	return "Entry doesn't exist"
}

func hasV2Gateway(c *conf, name string) bool {
	for _, l := range c.st.Top().Lines {
		if len(l.Tokens) > 4 && l.Tokens[0] == "ike" && l.Tokens[2] == "ikev2" && l.Tokens[3] == name && strings.Contains(l.Cmd.Pattern, "ikev2") {
			return true
		}
	}
	return false
}

// dedupe keeps one line per identity where the identity is not a prefix of the line: a
// neighbor's route-map per direction, an access-list entry per list and sequence number.
// The line set last wins and takes the place of the one it replaces.
func dedupe(c *conf) {
	for _, vr := range c.st.Top().Blocks {
		if vr.Opener.Cmd.Enters != "vrouter" {
			continue
		}
		vr.Lines = dedupeLines(vr.Lines, func(t []string) string {
			if t[0] == "access-list" && len(t) == 6 {
				return t[1] + " " + t[5]
			}
			return ""
		})
		for _, b := range vr.Blocks {
			if b.Opener.Cmd.Enters == "bgp" {
				b.Lines = dedupeLines(b.Lines, func(t []string) string {
					if t[0] == "neighbor" && len(t) == 5 && t[2] == "route-map" {
						return t[1] + " " + lower(t[4])
					}
					return ""
				})
			}
		}
	}
}

func dedupeLines(ls []*flat.Line, id func([]string) string) []*flat.Line {
	last := map[string]*flat.Line{}
	for _, l := range ls {
		if k := id(l.Tokens); k != "" {
			last[k] = l
		}
	}
	out := ls[:0:0]
	placed := map[string]bool{}
	for _, l := range ls {
		k := id(l.Tokens)
		if k == "" {
			out = append(out, l)
			continue
		}
		if !placed[k] {
			placed[k] = true
			out = append(out, last[k])
		}
	}
	return out
}
