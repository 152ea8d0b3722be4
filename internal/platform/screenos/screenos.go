// Package screenos is the Juniper ScreenOS dialect (SSG5, SSG20, NetScreen-25/5GT; ScreenOS
// 5.4 and 6.3). ScreenOS has no candidate configuration: every `set`/`unset` takes effect when
// it is typed, and `save` writes the running configuration to flash. The dialect renders model
// changes as steps with their undo (the Immediate transaction strategy) through flatconf, and
// parses `get config` back into the model. It is pure text in, text out.
//
// Mapping:
//   - IKE gateway G: `set ike gateway "G" address A [id R] Main|Aggr [local-id L]
//     outgoing-interface "IF" [local-address LA] preshare "K" proposal "P1" ...` (IKEv2:
//     `set ike gateway ikev2 "G" ...` without the mode, ScreenOS 6.3 only), `nat-traversal`,
//     `dpd-liveness interval N` / `retry N` (the model's liveness), and one `set ike
//     p1-proposal` per proposal (preshare, group, esp encryption and hash, the gateway's
//     lifetime). The outgoing interface is the one the device already names for the gateway,
//     else the device option outgoing_interface, else the interface holding local_address.
//   - tunnel T: `set vpn "T" gateway "G" replay|no-replay tunnel idletime I proposal "P" ...`,
//     one `set ike p2-proposal` per proposal (no-pfs or the PFS group, the tunnel's lifetime),
//     `bind interface tunnel.N` with the tunnel interface's `zone`, `ip A/L` or `ip unnumbered
//     interface X` and `mtu`, one `proxy-id local-ip L remote-ip R "SVC"` (ANY, TCP-ANY,
//     UDP-ANY, ICMP-ANY by protocol), `monitor [optimized] [rekey]` (monitor = optimized,
//     establish_immediately = rekey) and `df-bit`. The idletime and the id the device prints
//     on the bind line are the device's own.
//   - static route: `route D [interface IF] [gateway G] [preference P]` and source route:
//     `route source S interface IF [gateway G] preference P` in `set vrouter "trust-vr"` (or
//     the routing_instance), with `set source-routing enable` in the same vrouter, typed
//     with a new or changed source route and removed with the last.
//   - prefix list PL: trust-vr `access-list N permit|deny ip PREFIX SEQ` per rule, and the
//     route map that applies it to BGP: `route-map name "PL" permit 1 match ip N`.
//   - BGP neighbor: `set vrouter "VR" protocol bgp AS` and in it `neighbor A remote-as R`,
//     `enable`, ebgp-multihop, hold-time, keepalive, md5-authentication, src-interface,
//     `route-map "PL" in|out`, and the process's `network` lines, `router-id` and `enable`.
//   - security policy: `set policy id N [name "X"] from "Z1" to "Z2" "SRC" "DST" "SVC"
//     permit|deny|reject|tunnel vpn "V" [log]`, further addresses and services in the policy's
//     context (`set policy id N` ... `set src-address "X"` ... `exit`), an address-book entry
//     named after each CIDR (`set address "Zone" "10.0.0.0/16" 10.0.0.0 255.255.0.0`) unless
//     the device has one for it already, and `set policy move` for its position.
//
// Shared objects (proposals, address-book entries, source-routing enable, the BGP process's
// lines) are found on the device by content or created under a name derived from their
// content; each object renders what it needs, so flatconf's Diff removes them with their last
// user. Lines of an unchanged object are spelled as the device spells them.
package screenos

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Name is the value of the provider's platform attribute for this dialect.
const Name = "screenos"

// Options (platform.Binder).
const (
	// OptOutgoingInterface is the interface IKE gateways use when the device names none for
	// them and none holds their local_address.
	OptOutgoingInterface = "outgoing_interface"
	// OptVersion overrides the ScreenOS version the facts report ("5.4" or "6.3").
	OptVersion = "screenos_version"
	// OptAdvisoryLock turns the advisory mark of each batch (mark.go) on or off.
	OptAdvisoryLock = "advisory_lock"
	// OptLockWait is how long another session's advisory mark is waited for.
	OptLockWait = "lock_wait_seconds"
)

// defaultLockWait outlasts a mark left by a lost session (markStale) with time to spare.
const defaultLockWait = 5 * time.Minute

// ScreenOS implements platform.Platform, StepRenderer, SecretReader (one-way), Binder,
// KindSupporter, Numberer and PlanChecker. The zero value is ScreenOS 6.3 without an
// outgoing-interface default.
type ScreenOS struct {
	outgoingInterface string
	v54               bool // ScreenOS 5.x: no IKEv2
	noMark            bool // advisory_lock = "off"
	lockWait          time.Duration
	lockWaitSet       bool
}

var (
	_ platform.Platform      = (*ScreenOS)(nil)
	_ platform.StepRenderer  = (*ScreenOS)(nil)
	_ platform.SecretReader  = (*ScreenOS)(nil)
	_ platform.Binder        = (*ScreenOS)(nil)
	_ platform.KindSupporter = (*ScreenOS)(nil)
	_ platform.Numberer      = (*ScreenOS)(nil)
	_ platform.PlanChecker   = (*ScreenOS)(nil)
	_ platform.KindExplainer = (*ScreenOS)(nil)
	_ platform.Coverer       = (*ScreenOS)(nil)

	_ platform.GatewayThroughInterface = (*ScreenOS)(nil)
)

// StaticRouteGatewayThroughInterface: `set route D interface IF gateway G` names both
// [SEEN device-cli.md 1.2.4, seed 000].
func (*ScreenOS) StaticRouteGatewayThroughInterface() bool { return true }

func init() { platform.Register(&ScreenOS{}) }

// Name returns "screenos".
func (*ScreenOS) Name() string { return Name }

// Options declares the per-device options.
func (*ScreenOS) Options() []platform.Option {
	return []platform.Option{
		{Name: OptOutgoingInterface, Description: "the interface IKE gateways go out of when the device names none for them and none holds their local_address (e.g. ethernet0/0, ethernet3, untrust)", Check: checkIfaceOption},
		{Name: OptVersion, Description: "the ScreenOS release family when the device's facts do not tell: 6.3 (IKEv2 gateways) or 5.4 (IKEv1 only)", Allowed: []string{"5.4", "6.3"}},
		{Name: OptAdvisoryLock, Description: "on: each batch marks the configuration as in use with an address book entry (`onpremvpn-lock-...` in zone Trust) that other runs of this provider wait for, and removes it before the save; off: no mark (two runs at once can then collide)", Allowed: []string{"on", "off"}, Default: "on"},
		{Name: OptLockWait, Description: "seconds to wait for another run's advisory mark before reporting it (naming the run); 0 reports at once", Check: func(v string) error { return platform.CheckSeconds(v, 0, 3600) }, Default: "300"},
	}
}

var ifaceRE = regexp.MustCompile(`^[a-z][a-z0-9]*(?:/[0-9]+)*(?:\.[0-9]+)?$`)

func checkIfaceOption(v string) error {
	if v != "" && !ifaceRE.MatchString(v) {
		return fmt.Errorf("%q is not a ScreenOS interface name such as ethernet0/0", v)
	}
	return nil
}

// Bind returns the dialect for one device: ScreenOS 5.x (from the facts' version, or the
// option screenos_version) takes no IKEv2 gateways.
func (*ScreenOS) Bind(facts vpn.Facts, options map[string]string) (platform.Platform, error) {
	s := &ScreenOS{outgoingInterface: options[OptOutgoingInterface]}
	v := options[OptVersion]
	if v == "" {
		v = facts.Version
	}
	s.v54 = strings.HasPrefix(v, "5.")
	s.noMark = options[OptAdvisoryLock] == "off"
	var err error
	if s.lockWait, s.lockWaitSet, err = platform.SecondsOption(options, OptLockWait, 0, 3600); err != nil {
		return nil, err
	}
	return s, nil
}

// Kinds lists the kinds the dialect manages: all seven.
func (*ScreenOS) Kinds() []vpn.Kind {
	return []vpn.Kind{vpn.KindIKEGateway, vpn.KindTunnel, vpn.KindSourceRoute, vpn.KindStaticRoute, vpn.KindPrefixList, vpn.KindBGPNeighbor, vpn.KindSecurityPolicy}
}

// UnsupportedKind has nothing to add: every kind is managed.
func (*ScreenOS) UnsupportedKind(vpn.Kind) string { return "" }

// NumberRange numbers policies (policy ids) and prefix lists (trust-vr access-list ids).
func (*ScreenOS) NumberRange(k vpn.Kind) (vpn.NumberRange, bool) {
	switch k {
	case vpn.KindSecurityPolicy:
		return policyRange, true
	case vpn.KindPrefixList:
		return aclRange, true
	}
	return vpn.NumberRange{}, false
}

// SecretForm: ScreenOS prints pre-shared keys and BGP MD5 keys in its own one-way form.
func (*ScreenOS) SecretForm(vpn.Kind, string) platform.SecretForm { return platform.SecretOneWay }

// DecodeSecret is never called for a one-way form.
func (*ScreenOS) DecodeSecret(kind vpn.Kind, field, _ string) (string, error) {
	return "", fmt.Errorf("%s %s: ScreenOS prints secrets in a one-way form that cannot be decoded", kind, field)
}

// PromptPattern matches `ssg5-> `, `HA:NAME(M)-> ` and the sub-context prompts
// (`ssg5(trust-vr)-> `, `ssg5(policy:10)-> `). No line of `get config` can match it: every
// configuration line starts with set, unset or exit followed by a space, or is `exit` or the
// `Total Config size N:` header, and the pattern allows no space before `->` outside
// parentheses that follow the host name directly.
const PromptPattern = `^[\w.:-]+(?:\([^()\n]*\))*-> ?$`

// Session describes the CLI. Reads end at the prompt: ScreenOS has no echo or command chaining
// to print an end marker, and the prompt pattern cannot match a line of the configuration
// (see PromptPattern). Paging is turned off at login (`set console page 0`).
func (s *ScreenOS) Session() platform.SessionSpec {
	tx := platform.TxSpec{
		Strategy: platform.Immediate,
		Save:     platform.Lines("save"),
		LockWait: defaultLockWait,
	}
	if s.lockWaitSet {
		tx.LockWait = s.lockWait
	}
	if !s.noMark {
		tx.Mark = markSpec
	}
	return platform.SessionSpec{
		PromptPattern: PromptPattern,
		ReturnChar:    "\n",
		OnOpen:        []string{"set console page 0"},
		ReadConfig:    "get config",
		Facts:         "get system",
		// ScreenOS 5.4/6.3 offer SHA-1 key exchange, CBC ciphers and DSA host keys only.
		// diffie-hellman-group14-sha1 is among the library's defaults already; group1 is
		// what 5.x offers. No hmac-md5 (not implemented, and weaker than hmac-sha1) and no
		// des-cbc.
		KeyExchanges:      []string{"diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1"},
		Ciphers:           []string{"aes128-cbc", "3des-cbc"},
		MACs:              []string{"hmac-sha1"},
		HostKeyAlgorithms: []string{"ssh-dss"},
		ExecUsable:        false,
		Tx:                tx,
	}
}

// Caret lines and messages of refused commands.
var (
	caretLine   = regexp.MustCompile(`^\s*\^-+\s*(.*)$`)
	failureLine = regexp.MustCompile(`(?i)^(?:unknown keyword|command not completed|parse error|invalid|failed command|error|can'?t|cannot|.*doesn'?t exist|.*does not exist|.*not found|.*already exists|.*is in use|.*used by)`)
)

// CheckOutput judges what the device printed for one command. A successful `set`/`unset`
// prints nothing; a refused one prints a caret line (`^-----unknown keyword X`), or an
// object error on the line after the command. A read's output is configuration text, whose
// words are never taken for a failure: only a caret line in first position fails it.
func (*ScreenOS) CheckOutput(command, output string) error {
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(output, "\r", ""), "\n") {
		if t := strings.TrimSpace(l); t != "" && t != strings.TrimSpace(command) {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return nil
	}
	read := command == "get config" || command == "get system" || strings.HasPrefix(command, "get ")
	if m := caretLine.FindStringSubmatch(lines[0]); m != nil {
		return &platform.DeviceError{Command: command, Message: strings.TrimSpace(m[1]), Scope: platform.ScopeLine}
	}
	if read {
		return nil
	}
	if command == "save" {
		for _, l := range lines {
			if failureLine.MatchString(strings.TrimSpace(l)) {
				return &platform.DeviceError{Command: command, Message: strings.TrimSpace(l), Scope: platform.ScopeSession}
			}
		}
		return nil // save prints a short progress line
	}
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if caretLine.MatchString(t) {
			return &platform.DeviceError{Command: command, Message: strings.TrimSpace(caretLine.FindStringSubmatch(t)[1]), Scope: platform.ScopeLine}
		}
	}
	// A set/unset prints nothing when it succeeds: anything else is the device's complaint.
	return &platform.DeviceError{Command: command, Message: strings.TrimSpace(strings.Join(lines, " ")), Scope: platform.ScopeLine}
}

// ParseFacts reads `get system`: `Product Name: SSG5-Serial`, `Software Version: 6.3.0r13.0,
// Type: Firewall+VPN`, and the host name from `Hostname:` or the prompt.
func (*ScreenOS) ParseFacts(output string) vpn.Facts {
	f := vpn.Facts{Platform: Name}
	for _, l := range strings.Split(strings.ReplaceAll(output, "\r", ""), "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "Product Name":
			f.Model = v
		case "Software Version":
			f.Version, _, _ = strings.Cut(v, ",")
			f.Version = strings.TrimSpace(f.Version)
		case "Hostname", "Host Name", "Host name":
			f.Hostname = v
		}
	}
	return f
}

// Mask replaces secrets in redacted text.
const Mask = "****************"

// secretValue is a keyword whose next token is a secret, and that token.
var secretValue = regexp.MustCompile(`(?i)(\b(?:preshare|md5-authentication|password|seed-preshare|authentication-key)\s+)("[^"]*"?|\S+)`)

// Redact masks pre-shared keys, BGP MD5 keys and passwords.
func (*ScreenOS) Redact(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = secretValue.ReplaceAllStringFunc(l, func(m string) string {
			sub := secretValue.FindStringSubmatch(m)
			return sub[1] + `"` + Mask + `"`
		})
	}
	return strings.Join(lines, "\n")
}

// Coverage counts the configuration lines of text that no object of cfg accounts for
// (platform.Coverer): every listed line but those the dialect renders for cfg's objects.
// Context openers and exits are structure, not counted.
func (s *ScreenOS) Coverage(text string, cfg *vpn.Config) int {
	dev, err := newDevice(text)
	if err != nil {
		return 0
	}
	mine, _ := s.render(dev, cfg, func(vpn.Object) bool { return false }, false)
	ours := map[string]bool{}
	for _, e := range mine {
		ours[syntax.Identity(e)] = true
	}
	n := 0
	for _, e := range dev.entries {
		if !ours[syntax.Identity(e)] {
			n++
		}
	}
	return n
}
