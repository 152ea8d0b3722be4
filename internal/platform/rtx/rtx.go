// Package rtx is the Yamaha RTX dialect (RTX810, RTX830, RTX840, RTX1200, RTX1210, RTX1220,
// RTX1300): flat commands that take effect at once, removed by their `no` form, `tunnel
// select N` blocks, the `administrator` level, `save`, and `show config`. It is pure text in,
// text out; flatconf does the listing and the diff.
//
// Mapping (RTX identifies everything by number; the model's numbers are vpn.Numbered):
//   - IKE gateway number G (gateway_number): the `ipsec ike ... G` lines (version,
//     encryption, hash, group, duration ike-sa/isakmp-sa, keepalive use, local address/name,
//     nat-traversal, pre-shared-key, remote address/name, and for IKEv2 proposal-limitation,
//     message-id-control and child-exchange type 2) and `ipsec auto refresh G on|off` for the
//     connection type (with the global `ipsec auto refresh on` while any gateway initiates).
//     Its name (and description) is the system description `description 21474000+G "NAME
//     [DESCRIPTION]"`; a gateway without one reads back as "gatewayG".
//   - VPN tunnel number N (tunnel_number): `ipsec sa policy P G esp ENC HASH
//     [anti-replay-check=...]` (P = N for a new tunnel, the device's id for an existing one),
//     the gateway-keyed `ipsec ike pfs G`, the PFS group as the second word of `ipsec ike group
//     G`, `ipsec ike duration ipsec-sa G`, and the block `tunnel select N` with `description
//     tunnel "NAME [DESCRIPTION]"`, `ipsec tunnel P`, `ipsec tunnel outer df-bit`, `ip tunnel
//     address`, `ip tunnel mtu`, `ip tunnel tcp mss limit`, `tunnel enable N`. A block without a
//     description reads back as "tunnelN"; the tunnel interface is "tunnelN".
//   - Static route: a `gateway tunnel N|NEXTHOP [metric M]` segment of `ip route DEST`;
//     source route with rule F: `ip filter F pass SRC * * * *` and a `gateway ... filter F`
//     segment of `ip route DEST|default`, before the static segment. Segments the model does
//     not hold stay on the line.
//   - Prefix list number L: `bgp import filter L [reject] equal|include|refines PREFIX...`
//     (and `bgp export filter L ...` while a neighbor filters received routes with it), named by the system
//     description 21474100+L; without one it reads back as "bgp-filterL".
//   - BGP neighbor number B: `bgp neighbor B AS ADDR [hold-time=H] [local-address=U]`, `bgp
//     neighbor pre-shared-key B text KEY`, `bgp import AS static filter L` (what is announced: prefix_list_out), `bgp export AS filter
//     L` (what is accepted: prefix_list_in), the process lines `bgp autonomous-system`, `bgp router id`, `bgp use on`, and `bgp
//     configure refresh` after any BGP change.
package rtx

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/japanese"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Name is the value of the provider's platform attribute for this dialect.
const Name = "rtx"

// Option names and the environment variable of the administrator password.
const (
	OptionAdministratorPassword = "administrator_password"
	EnvAdministratorPassword    = "ONPREMVPN_RTX_ADMINISTRATOR_PASSWORD"
	// RollbackTimer is the default of the safety-net timer armed for a batch where the
	// firmware has it, in seconds (option rollback_timer_seconds).
	RollbackTimer = 600
	// OptionRollbackTimer sets it.
	OptionRollbackTimer = "rollback_timer_seconds"
	// OptionAdvisoryLock turns the advisory mark of each batch (mark.go) on or off.
	OptionAdvisoryLock = "advisory_lock"
	// OptionLockWait is how long another session's advisory mark is waited for.
	OptionLockWait = "lock_wait_seconds"
	// defaultLockWait outlasts a mark left by a session lost under the rollback timer
	// (markStale) with time to spare.
	defaultLockWait = 15 * time.Minute
)

// RTX implements platform.Platform, platform.StepRenderer, platform.Binder,
// platform.KindSupporter and platform.Numberer. Devices print secrets in plaintext to the
// administrator (platform.SecretPlaintext: no SecretReader).
type RTX struct {
	facts       vpn.Facts
	limits      modelLimits
	password    string
	rollback    bool
	noMark      bool // advisory_lock = "off"
	lockWait    time.Duration
	lockWaitSet bool
	timer       time.Duration // rollback timer; 0: RollbackTimer seconds
}

var (
	_ platform.Platform      = (*RTX)(nil)
	_ platform.StepRenderer  = (*RTX)(nil)
	_ platform.Binder        = (*RTX)(nil)
	_ platform.KindSupporter = (*RTX)(nil)
	_ platform.KindExplainer = (*RTX)(nil)
	_ platform.Numberer      = (*RTX)(nil)
	_ platform.Coverer       = (*RTX)(nil)
)

func init() { platform.Register(&RTX{limits: unknownModel}) }

// Name returns "rtx".
func (*RTX) Name() string { return Name }

// Options declares the administrator password.
func (*RTX) Options() []platform.Option {
	return []platform.Option{{
		Name:        OptionAdministratorPassword,
		Description: "the password of the RTX `administrator` level, asked for before every configuration change",
		Sensitive:   true,
		Env:         EnvAdministratorPassword,
		Check: func(v string) error {
			if strings.ContainsAny(v, "\r\n") {
				return fmt.Errorf("must not contain a line break")
			}
			return nil
		},
	}, {
		Name:        OptionAdvisoryLock,
		Description: "on: each batch marks the configuration as in use with a system description (`description 2NNNNNNN \"onpremvpn-lock ...\"`) that other runs of this provider wait for, and removes it before the save; off: no mark (two runs at once can then collide)",
		Allowed:     []string{"on", "off"},
		Default:     "on",
	}, {
		Name:        OptionRollbackTimer,
		Description: "seconds of the `rollback timer` each batch runs under on firmware that has it: a session lost before `confirm` leaves the router to restore its configuration when the timer runs out, and no batch is typed on the router until then",
		Check:       func(v string) error { return platform.CheckSeconds(v, 1, 3600) },
		Default:     strconv.Itoa(RollbackTimer),
	}, {
		Name:        OptionLockWait,
		Description: "seconds to wait for another run's advisory mark before reporting it (naming the run); 0 reports at once. A mark left by a lost session is taken for abandoned after the rollback timer and one more minute (at least 2 minutes; 2 minutes on firmware without the timer)",
		Check:       func(v string) error { return platform.CheckSeconds(v, 0, 3600) },
		Default:     "900",
	}}
}

// Bind returns the dialect for one device: the number ranges of its model, whether its
// firmware has `rollback timer`, and the administrator password.
func (*RTX) Bind(facts vpn.Facts, options map[string]string) (platform.Platform, error) {
	b := &RTX{facts: facts, limits: unknownModel, password: options[OptionAdministratorPassword], noMark: options[OptionAdvisoryLock] == "off"}
	var err error
	if b.timer, _, err = platform.SecondsOption(options, OptionRollbackTimer, 1, 3600); err != nil {
		return nil, err
	}
	if b.lockWait, b.lockWaitSet, err = platform.SecondsOption(options, OptionLockWait, 0, 3600); err != nil {
		return nil, err
	}
	if l, ok := models[strings.ToUpper(facts.Model)]; ok {
		b.limits = l
		rev := strings.TrimPrefix(facts.Version, "Rev.")
		b.rollback = l.rollback == "*" || l.rollback != "" && revAtLeast(rev, l.rollback)
	}
	return b, nil
}

// Kinds lists the six kinds; RTX has no security zones (no security_policy).
func (*RTX) Kinds() []vpn.Kind {
	return []vpn.Kind{vpn.KindIKEGateway, vpn.KindTunnel, vpn.KindSourceRoute, vpn.KindStaticRoute, vpn.KindPrefixList, vpn.KindBGPNeighbor}
}

// UnsupportedKind explains the missing kind.
func (*RTX) UnsupportedKind(k vpn.Kind) string {
	if k == vpn.KindSecurityPolicy {
		return "an RTX has no security zones; filter traffic with ip filter on the interfaces"
	}
	return ""
}

// NumberRange is where numbers are allocated: gateways and tunnels 1..the model's maximum,
// prefix lists 1..700, BGP neighbors 1..32, source-route filters 9000..9999.
func (p *RTX) NumberRange(k vpn.Kind) (vpn.NumberRange, bool) {
	switch k {
	case vpn.KindIKEGateway, vpn.KindTunnel:
		return vpn.NumberRange{Min: 1, Max: p.limits.gateways}, true
	case vpn.KindPrefixList:
		return vpn.NumberRange{Min: 1, Max: maxPrefixListNumber}, true
	case vpn.KindBGPNeighbor:
		return vpn.NumberRange{Min: 1, Max: maxBGPNeighbors}, true
	case vpn.KindSourceRoute:
		return vpn.NumberRange{Min: filterAllocMin, Max: filterAllocMax}, true
	}
	return vpn.NumberRange{}, false
}

// PromptPattern matches the prompts: `> ` (user), `# ` (administrator), with a `console
// prompt` prefix such as `[RTX1210] ` and a selected interface such as `tunnel1# `.
const PromptPattern = `(?:^|\n)(?:[^\r\n#>"]{0,80}?)(?:(?:tunnel|pp)[0-9]+)?[>#] ?$`

// promptLine matches a prompt line in a listing (with an echoed command after it).
var promptLine = regexp.MustCompile(`^\[[^\]]*\] ?(?:(?:tunnel|pp)[0-9]+)?[>#]|^(?:tunnel|pp)[0-9]+[>#]|^[>#]$`)

// Session describes the RTX console.
//
// Reads end at the prompt: the RTX has no echo command and no command separator, so no end
// marker can be printed after `show config` (EndMarker is nil). That is safe because the
// configuration cannot end in a prompt: every line of `show config` is a command or a `#`
// header, values holding `#`, `>` or spaces are printed in double quotes, and paging is off
// (`console lines infinity`), so the only line that ends in `# ` or `> ` with nothing after it
// is the prompt printed when the listing is complete.
func (p *RTX) Session() platform.SessionSpec {
	enter := platform.Command{
		Line:   "administrator",
		Expect: `(?:Password|パスワード): ?$`,
		Answer: p.password,
		Hidden: true,
	}
	tx := platform.TxSpec{
		Strategy: platform.Immediate,
		Save:     platform.Lines("save"),
		// Saving to flash takes a few seconds on a loaded router.
		CommitTimeout: 2 * time.Minute,
		LockWait:      defaultLockWait,
	}
	if p.lockWaitSet {
		tx.LockWait = p.lockWait
	}
	if !p.noMark {
		tx.Mark = p.markSpec()
	}
	if p.rollback {
		// The device reverts by itself if the session is lost before `confirm`.
		tx.SafetyNet = platform.Lines("rollback timer " + strconv.Itoa(int(p.rollbackTimer()/time.Second)))
		tx.RevertWindow = p.rollbackTimer()
		tx.Confirm = platform.Lines("confirm")
		// After a failed batch the undo has restored the configuration: stop the timer.
		tx.Abort = platform.Lines("confirm")
	}
	return platform.SessionSpec{
		PromptPattern: PromptPattern,
		ReturnChar:    "\r",
		// The administrator level first: the console settings are configuration commands,
		// and only the administrator sees pre-shared keys in `show config`. Then no paging,
		// no wrapping, and English messages in ASCII.
		Login: []platform.Command{
			enter,
			{Line: "console lines infinity"},
			{Line: "console columns 200"},
			{Line: "console character en.ascii"},
		},
		ReadConfig: "show config",
		Facts:      "show environment",
		// RTX1210-era firmware (OpenSSH 7.x based) signs host keys and accepts client keys
		// only with ssh-rsa (SHA-1), and older revisions offer only diffie-hellman-group14-sha1
		// and CBC ciphers.
		KeyExchanges:      []string{"diffie-hellman-group14-sha1"},
		Ciphers:           []string{"aes128-cbc", "aes256-cbc", "3des-cbc"},
		HostKeyAlgorithms: []string{"ssh-rsa"},
		// The RTX has no exec channel: commands are typed into the console.
		ExecUsable: false,
		Tx:         tx,
	}
}

// Logout leaves the administrator level and the console. The device asks "Save new
// configuration ? (Y/N)" when something is unsaved; the answer is N, since a batch is saved
// only when it succeeded (the transaction's Save).
var Logout = []platform.Command{
	{Line: "exit", Expect: `(?:Save new configuration \? \(Y/N\)|新しい設定を保存しますか\s*\? ?\(Y/N\))\s*$`, Answer: "N"},
	{Line: "exit"},
}

// Messages by which the RTX reports a failure: the `Error:` / `エラー:` family on a line of its
// own (ch2 and the reference's table), the administrator-only message and a wrong
// administrator password.
var (
	errorLine = regexp.MustCompile(`^(?:Error: |Error:$|エラー ?[:：]|管理レベルでのみ使用できます|Administrator use only|Incorrect password|パスワードが間違っています)`)
	saveDone  = regexp.MustCompile(`Done|終了`)
)

// readCommands print data: configuration or facts.
var readCommands = map[string]bool{"show config": true, "show environment": true}

// decode returns the output as UTF-8: text in Shift-JIS (the console default on Japanese
// models) is converted, so that Japanese messages are recognized in either encoding.
func decode(output string) string {
	if strings.ToValidUTF8(output, "") == output {
		return output
	}
	b, err := japanese.ShiftJIS.NewDecoder().Bytes([]byte(output))
	if err != nil {
		return output
	}
	return string(b)
}

// CheckOutput returns a *platform.DeviceError when the device refused command. The message is
// judged line by line after the command's echo: a line starting with an error text is a
// failure. The output of a read is data: only its first line may be an error (a read refused
// as a whole), never a configuration line. `save` must report that it is done.
func (p *RTX) CheckOutput(command, output string) error {
	out := decode(output)
	var lines []string
	for _, raw := range strings.Split(out, "\n") {
		l := strings.TrimSpace(strings.TrimRight(raw, "\r"))
		if l == "" || l == command || strings.HasSuffix(l, " "+command) && promptLine.MatchString(l) {
			continue
		}
		if promptLine.MatchString(l) && !strings.Contains(l, " ") {
			continue
		}
		lines = append(lines, l)
	}
	if readCommands[command] {
		if len(lines) > 0 && errorLine.MatchString(lines[0]) {
			return &platform.DeviceError{Command: command, Message: lines[0], Scope: platform.ScopeSession}
		}
		return nil
	}
	for _, l := range lines {
		if errorLine.MatchString(l) {
			scope := platform.ScopeUnknown
			if strings.Contains(l, "Administrator use only") || strings.Contains(l, "管理レベル") || strings.Contains(l, "assword") || strings.Contains(l, "パスワード") {
				scope = platform.ScopeSession
			}
			return &platform.DeviceError{Command: command, Message: strings.Join(lines, "; "), Scope: scope}
		}
	}
	if command == "save" && !saveDone.MatchString(strings.Join(lines, " ")) {
		msg := strings.Join(lines, "; ")
		if msg == "" {
			msg = "save printed nothing; the RTX prints Done when the configuration is saved"
		}
		return &platform.DeviceError{Command: command, Message: msg, Scope: platform.ScopeSession}
	}
	return nil
}

// revisionLine is the first line of `show environment` and of the `show config` header:
// `RTX1210 Rev.14.01.42 (Fri Jul  5 11:17:45 2024)`.
var revisionLine = regexp.MustCompile(`(?m)^#?\s*((?:RTX|NVR|vRX)[0-9A-Za-z]*)\s+(Rev\.[0-9.]+)`)

// promptName is the `console prompt` prefix of a prompt, `[RTX1210] # `.
var promptName = regexp.MustCompile(`(?m)^\[([^\]\r\n]{1,64})\] ?[>#]`)

// ParseFacts reads `show environment`: the model and firmware revision; the hostname is the
// `console prompt` prefix of a prompt in the output, when there is one.
func (*RTX) ParseFacts(output string) vpn.Facts {
	out := decode(output)
	f := vpn.Facts{Platform: Name}
	if m := revisionLine.FindStringSubmatch(out); m != nil {
		f.Model, f.Version = m[1], m[2]
	}
	if m := promptName.FindStringSubmatch(out); m != nil {
		f.Hostname = strings.TrimSpace(m[1])
	}
	return f
}

// Mask replaces secrets in redacted text.
const Mask = "********"

var secretRE = []*regexp.Regexp{
	// ipsec ike pre-shared-key G text KEY | G 0xHEX; bgp neighbor pre-shared-key B text KEY
	regexp.MustCompile(`(pre-shared-key\s+\S+\s+(?:text\s+)?)("(?:[^"\\]|\\.)*"?|\S+)`),
	// login password / administrator password [encrypted] X
	regexp.MustCompile(`((?:login|administrator)\s+password\s+(?:encrypted\s+)?)(\S+)`),
	// login user NAME PASSWORD, pp auth username NAME PASSWORD
	regexp.MustCompile(`((?:login user|auth username|auth myname)\s+\S+\s+)(\S+)`),
}

// Redact masks every pre-shared key and password, wherever the line stands (a listing, an
// echoed command, an error).
func (*RTX) Redact(text string) string {
	for _, re := range secretRE {
		text = re.ReplaceAllStringFunc(text, func(m string) string {
			sub := re.FindStringSubmatch(m)
			if sub[2] == "*" {
				return m
			}
			return sub[1] + Mask
		})
	}
	return text
}

// Normalize fills the tunnel interface from the tunnel number and the number from the
// interface, and writes a gateway's IKEv1
// mode and NAT traversal the way they read back: the RTX negotiates aggressive mode exactly
// when an IKEv1 gateway has a local name (main mode, the default, reads back unset), and
// NAT traversal off is the default.
func (*RTX) Normalize(o vpn.Object) {
	switch v := o.(type) {
	case *vpn.Tunnel:
		if v.Interface == "" && v.Number != 0 {
			v.Interface = "tunnel" + strconv.Itoa(v.Number)
		}
		if n, ok := tunnelNumber(v.Interface); ok && v.Number == 0 {
			v.Number = n // tunnel_interface "tunnelN" is tunnel number N
		}
	case *vpn.IKEGateway:
		if v.IKEVersion == 1 && v.LocalID != "" && v.Mode == "" {
			v.Mode = vpn.IKEModeAggressive
		}
		if v.IKEVersion == 1 && v.LocalID == "" && v.Mode == vpn.IKEModeMain {
			v.Mode = ""
		}
		if v.NATTraversal != nil && !*v.NATTraversal {
			v.NATTraversal = nil
		}
	}
}

// rollbackTimer is the rollback timer of a batch.
func (p *RTX) rollbackTimer() time.Duration {
	if p.timer > 0 {
		return p.timer
	}
	return RollbackTimer * time.Second
}
