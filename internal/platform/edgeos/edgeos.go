// Package edgeos is the Ubiquiti EdgeOS 1.x dialect (Vyatta 6.3 / VyOS 1.1 syntax). It renders
// model changes to `set`/`delete` lines and parses `show configuration commands` output back
// into the model. It is pure text in, text out.
//
// Mapping:
//   - IKE gateway: `vpn ipsec ike-group <Name>` and `vpn ipsec site-to-site peer <PeerAddress>`
//     (authentication, connection-type, description, ike-group, local-address);
//   - tunnel: `vpn ipsec esp-group <Name>` plus either `interfaces vti <Interface>` with the
//     peer's `vti bind`/`vti esp-group` (route-based) or one numbered `tunnel <n>` of the peer
//     per traffic selector (policy-based); tcp_mss is the shared `firewall options mss-clamp`
//     for interface type vti;
//   - static route: `protocols static interface-route` or `protocols static route`;
//   - source route: a routing table `protocols static table <Table>`, a rule of the
//     `firewall modify <Ruleset>` ruleset and the ruleset's `firewall in modify` binding on
//     the ingress interface;
//   - prefix list: `policy prefix-list <Name>`;
//   - BGP neighbor: `protocols bgp <LocalAS> neighbor <Address>` and the process's
//     `network` lines (the union of all neighbors' networks).
package edgeos

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Name is the value of the provider's platform attribute for this dialect.
const Name = "edgeos"

// EdgeOS implements platform.Platform. It prints pre-shared keys and BGP passwords in
// plaintext (platform.SecretPlaintext, so it implements no platform.SecretReader). Its one
// per-device option, commit_confirmed_minutes, depends on nothing the device reports: it is
// a platform.Binder that is platform.OptionsOnly, bound without reading the device's facts,
// since its text does not depend on the router's model or release.
type EdgeOS struct {
	// confirmMinutes > 0 commits with `commit-confirm N`, read back, then `confirm`.
	confirmMinutes int
}

// OptCommitConfirmed is the option that makes commits confirmed.
const OptCommitConfirmed = "commit_confirmed_minutes"

// Options declares the per-device options.
func (*EdgeOS) Options() []platform.Option {
	return []platform.Option{{
		Name: OptCommitConfirmed,
		Description: "minutes of `commit-confirm N`: the router reboots into its previous configuration unless the commit is confirmed; " +
			"the provider reads the configuration back over the same session and then sends `confirm`; empty for a plain commit",
		Check: checkMinutes,
	}}
}

func checkMinutes(v string) error {
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1440 {
		return fmt.Errorf("%q is not a number of minutes between 1 and 1440", v)
	}
	return nil
}

// OptionsOnly reports that the binding depends on the options alone (platform.OptionsOnly).
func (*EdgeOS) OptionsOnly() bool { return true }

// Bind returns the dialect for one device's options; the registered dialect itself when
// none is set.
func (e *EdgeOS) Bind(_ vpn.Facts, options map[string]string) (platform.Platform, error) {
	v := options[OptCommitConfirmed]
	if v == "" {
		return e, nil
	}
	if err := checkMinutes(v); err != nil {
		return nil, fmt.Errorf("option %q: %v", OptCommitConfirmed, err)
	}
	n, _ := strconv.Atoi(v)
	return &EdgeOS{confirmMinutes: n}, nil
}

var _ platform.Platform = (*EdgeOS)(nil)

func init() { platform.Register(&EdgeOS{}) }

// Name returns "edgeos".
func (*EdgeOS) Name() string { return Name }

// PromptPattern matches the operational prompt `user@host:~$ ` and the configuration prompt
// `user@host# ` at the end of the output.
const PromptPattern = `[A-Za-z0-9_.\-]+@[A-Za-z0-9_.\-]+(?::[^\s$#]*)?[$#] ?$`

// Session describes the vbash CLI.
func (e *EdgeOS) Session() platform.SessionSpec {
	spec := platform.SessionSpec{
		PromptPattern: PromptPattern,
		ReturnChar:    "\n",
		OnOpen:        []string{"terminal length 0", "terminal width 512"},
		ReadConfig:    "show configuration commands",
		EndMarker:     func(command, marker string) string { return command + "; echo " + marker },
		Facts:         "show version",
		// x/crypto's default SSH algorithms suit every EdgeOS 1.x release (OpenSSH 6+).
		// Commands given on the exec channel run without vbash's configuration
		// functions, so only the interactive shell is used. Login asks nothing more.
		ExecUsable: false,
		Tx: platform.TxSpec{
			// A candidate per session: `configure` takes no lock, and a lost session's
			// candidate is dropped with it.
			Strategy: platform.Candidate,
			Enter:    platform.Lines("configure"),
			Commit:   platform.Lines("commit"),
			Save:     platform.Lines("save"),
			Abort:    platform.Lines("discard", "exit discard"),
			Exit:     platform.Lines("exit"),
			// A commit that touches VPN or routing restarts daemons; on a loaded
			// EdgeRouter it takes tens of seconds.
			CommitTimeout: 5 * time.Minute,
			// vbash runs operational commands from configuration mode with `run`.
			ReadConfig: "run show configuration commands",
		},
	}
	if e.confirmMinutes > 0 {
		// vyatta-cfg's commit-confirm commits and schedules a reboot into the previous
		// configuration unless `confirm` follows. Some releases ask "Proceed? [confirm]"
		// before committing [INFERRED]; the question is answered when it is asked.
		spec.Tx.Commit = []platform.Command{{
			Line:   "commit-confirm " + strconv.Itoa(e.confirmMinutes),
			Expect: `Proceed\? \[confirm\]\s*$`,
			Answer: "y",
		}}
		spec.Tx.Confirm = platform.Lines("confirm")
	}
	return spec
}

var (
	// failureLines are whole lines by which vyatta-cfg reports that a command or a commit
	// failed: the last line of a framed set/delete message, the commit summary, the
	// subsystem status. They are matched as the device prints them, a line of their own
	// (after the two-space indent of a framed message), never as words inside a line.
	failureLines = regexp.MustCompile(`^(Set failed|Delete failed|Commit failed|Value validation failed|Failed to generate committed config|\[\[[^\]\r\n]*\]\] failed)$`)
	// failureStarts begin a line that reports a failure by itself.
	failureStarts = regexp.MustCompile(`^(Invalid command: |Cannot exit: |Cannot load: |Error: )`)
	// benign are messages that mean the line had nothing to do; the `Set failed`/`Delete
	// failed` that may accompany them is part of the same message.
	benign   = regexp.MustCompile(`^(Configuration path: \[.*\] already exists|Nothing to delete \(.*\))$`)
	promptRE = regexp.MustCompile(PromptPattern)
	// noise are lines that are never part of a message: edit levels and subsystem headers.
	noise = regexp.MustCompile(`^\[edit.*\]$|^\[ [^\]]* \]$`)
)

// readCommands are the commands whose output is configuration.
var readCommands = map[string]bool{"show configuration commands": true, "run show configuration commands": true}

// CheckOutput returns a *platform.DeviceError carrying the device's message when output
// reports a failure. "already exists" and "Nothing to delete" are success.
//
// The output of a configuration read is data: it succeeds when every line is a `set`
// command, and fails otherwise without quoting the configuration (only a first line in the
// form of a shell error is quoted). The output of other commands is judged by the failure
// lines vyatta-cfg prints, in their position.
func (*EdgeOS) CheckOutput(command, output string) error {
	if readCommands[command] {
		return checkRead(command, output)
	}
	var msg []string
	isBenign, failed := false, false
	for _, raw := range strings.Split(output, "\n") {
		l := strings.TrimSpace(raw)
		if l == "" || l == command || noise.MatchString(l) || promptRE.MatchString(l) {
			continue
		}
		isBenign = isBenign || benign.MatchString(l)
		msg = append(msg, l)
	}
	for _, l := range msg {
		if isBenign && (l == "Set failed" || l == "Delete failed" || benign.MatchString(l)) {
			continue
		}
		failed = failed || failureLines.MatchString(l) || failureStarts.MatchString(l)
	}
	if command == "save" && !failed && !containsLine(msg, "Done") {
		failed = true
		if len(msg) == 0 {
			msg = []string{"save printed nothing; it prints Done when the configuration is saved"}
		}
	}
	if !failed {
		return nil
	}
	return &platform.DeviceError{Command: command, Message: strings.Join(msg, "; ")}
}

// shellError is the first line of a read that the shell refused: vbash's and vyatta-op's
// own messages, which never contain configuration.
var shellError = regexp.MustCompile(`^(Invalid command: .{0,120}|-?vbash: .{0,120}|Error: .{0,120})$`)

func checkRead(command, output string) error {
	for i, raw := range strings.Split(output, "\n") {
		l := strings.TrimSpace(raw)
		if l == "" || strings.HasPrefix(l, "set ") {
			continue
		}
		if shellError.MatchString(l) {
			return &platform.DeviceError{Command: command, Message: l}
		}
		return &platform.DeviceError{Command: command, Message: fmt.Sprintf(
			"the output is not a configuration in `set` commands: line %d is not a `set` command (the line is not shown: it may hold configuration)", i+1)}
	}
	return nil
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

// ParseFacts reads `show version`: `Version:` and `HW model:`. The hostname is not printed
// there and stays empty unless a `Hostname:` line is present.
func (*EdgeOS) ParseFacts(output string) vpn.Facts {
	f := vpn.Facts{Platform: Name}
	for _, l := range strings.Split(output, "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "Version":
			f.Version = v
		case "HW model":
			f.Model = v
		case "Hostname", "Host name":
			f.Hostname = v
		}
	}
	return f
}

// Mask replaces secrets in redacted text.
const Mask = "****************"

// secretKeyword reports whether the token after name holds a secret, wherever the pair is on
// the line: leaf values (pre-shared-secret, *password, md5-key, private-key, plaintext-key,
// secret, passphrase, key) and tag values that are secrets themselves (the SNMP
// `community <name>`).
//
// `key` alone is a secret leaf only in configuration (a `set`/`delete` line, a curly leaf, a
// vyatta-cfg message quoting a path): in prose ("ssh host key mismatch") it is a word.
func secretKeyword(name string, config bool) bool {
	switch name {
	case "pre-shared-secret", "secret", "passphrase", "community", "shared-secret":
		return true
	case "key":
		return config
	}
	return strings.HasSuffix(name, "password") || strings.HasSuffix(name, "-key") || strings.HasSuffix(name, "-secret")
}

// configLine reports whether tokens are configuration: a set or delete command (possibly after
// a prompt), a vyatta-cfg path message, or a short curly-form line.
func configLine(toks []setconf.Token) bool {
	for i, t := range toks {
		switch {
		case t.Text == "set" || t.Text == "delete" || t.Text == "Configuration":
			return true
		case i == 0 && promptRE.MatchString(t.Text):
			continue
		}
		break
	}
	return len(toks) <= 3
}

var secretFallback = regexp.MustCompile(`((?:^|\s)(?:pre-shared-secret|secret|passphrase|community|\S*password|\S*-key|\S*-secret)\s+).*$`)

// Redact masks the value after every secret keyword (see secretKeyword) in `set` lines,
// echoed commands, error messages and curly-brace output, wherever it is on the line. A line
// that cannot be tokenized has everything after its first secret keyword masked.
func (*EdgeOS) Redact(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		toks, err := setconf.SplitTokens(l)
		if err != nil {
			lines[i] = secretFallback.ReplaceAllString(l, "${1}"+Mask)
			continue
		}
		var b strings.Builder
		last := 0
		config := configLine(toks)
		for j := 0; j+1 < len(toks); j++ {
			name := strings.Trim(toks[j].Text, "[]")
			next := toks[j+1]
			if !secretKeyword(name, config) || next.Text == "{" || next.Text == Mask {
				continue
			}
			b.WriteString(l[last:next.Start])
			b.WriteString(Mask)
			if strings.HasSuffix(l[next.Start:next.End], "]") {
				b.WriteString("]")
			}
			last = next.End
			j++
		}
		if last > 0 {
			b.WriteString(l[last:])
			lines[i] = b.String()
		}
	}
	return strings.Join(lines, "\n")
}
