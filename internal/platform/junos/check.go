package junos

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
)

var (
	promptRE = regexp.MustCompile(PromptPattern)
	// noise is never part of a message: edit levels, a cluster's node line, the caret under
	// a bad token, the load prompt, the banner above the prompt while a commit confirmed
	// waits for its confirmation (reference 4: `# commit confirmed will be rolled back in 5
	// minutes`).
	noise = regexp.MustCompile(`^(\[edit.*\]|\{[A-Za-z0-9:_\-]+\}|\^|\[Type \^D at a new line to end input\]|# commit confirmed will be rolled back in [0-9]+ minutes?)$`)
	// failure lines, matched at the start of a line as the CLI prints them.
	failureRE = regexp.MustCompile(`^(syntax error|unknown command\.|'[^']*' is ambiguous\.|error: |terminal:[0-9]+:|load complete \([0-9]+ errors?\)|[Mm]issing mandatory statement|invalid value|Value .* is not within range)`)
	lockRE    = regexp.MustCompile(`^error: configuration database (locked|modified)|^error: shared configuration database modified`)
	// benign lines: a delete of an absent statement, the private candidate's notice.
	benignRE = regexp.MustCompile(`^warning: (statement not found|uncommitted changes will be discarded on exit)`)
	// configEcho are lines of configuration the CLI echoes (a paste): data, never judged.
	configEcho = regexp.MustCompile(`^(set|delete|insert|deactivate|activate|annotate) `)
)

// isRead reports whether command prints the configuration.
func isRead(command string) bool {
	c := strings.TrimPrefix(command, "run ")
	return strings.HasPrefix(c, "show configuration") && strings.Contains(c, "display set")
}

// CheckOutput returns a *platform.DeviceError carrying the device's message when output
// reports a failure.
//
// A read (`show configuration | display set`) is data: it succeeds when every line is a
// `set` or `deactivate` command (or an `[edit]` line, a cluster node line or a `##` comment)
// and fails otherwise without quoting the configuration; only the CLI's own error line is
// quoted. For other commands, failures are recognised by lines in position: `syntax
// error...`, `unknown command.`, `'x' is ambiguous.`, `error: ...` (`configuration check-out
// failed`, `commit failed`), `terminal:N:` lines and `load complete (N errors)` of a load,
// missing mandatory statements. `warning: statement not found` (a delete of something
// absent) and `warning: uncommitted changes will be discarded on exit` are success. `error:
// configuration database locked by` is platform.ScopeLock, with the holder the device names
// on the next line. Echoed configuration lines are never judged. A commit that prints no
// `commit complete`, or a check without `configuration check succeeds`, is a failure.
func (*Junos) CheckOutput(command, output string) error {
	if isRead(command) {
		return checkRead(command, output)
	}
	var msg []string
	failed, lock := false, false
	holder := ""
	raw := strings.Split(strings.ReplaceAll(output, "\r", ""), "\n")
	var lines []string
	for _, r := range raw {
		l := strings.TrimSpace(r)
		if l == "" || l == command || noise.MatchString(l) || promptRE.MatchString(l) || configEcho.MatchString(l) {
			continue
		}
		lines = append(lines, l)
	}
	for i, l := range lines {
		switch {
		case benignRE.MatchString(l):
			continue
		case lockRE.MatchString(l):
			failed, lock = true, true
			if _, h, ok := strings.Cut(l, "locked by:"); ok && strings.TrimSpace(h) != "" {
				holder = strings.TrimSpace(h)
			} else if i+1 < len(lines) && !failureRE.MatchString(lines[i+1]) {
				holder = lines[i+1]
			}
		case strings.HasPrefix(l, "Users currently editing the configuration"):
			if i+1 < len(lines) && holder == "" {
				holder = lines[i+1]
			}
		case failureRE.MatchString(l):
			failed = true
		}
		msg = append(msg, l)
	}
	if !failed {
		switch {
		case command == "commit check":
			if !hasLine(lines, "configuration check succeeds") {
				failed = true
			}
		case strings.HasPrefix(command, "commit"):
			if !hasLine(lines, "commit complete") {
				failed = true
			}
		}
		if failed && len(msg) == 0 {
			msg = []string{fmt.Sprintf("%s printed nothing; the device prints %q when it succeeds", command, map[bool]string{true: "configuration check succeeds", false: "commit complete"}[command == "commit check"])}
		}
	}
	if !failed {
		return nil
	}
	e := &platform.DeviceError{Command: command, Message: strings.Join(msg, "; ")}
	if lock {
		e.Scope, e.Holder = platform.ScopeLock, holder
	}
	return e
}

func hasLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want || strings.HasSuffix(l, " "+want) {
			return true
		}
	}
	return false
}

// readError is the CLI's own refusal of a read command; it never contains configuration.
var readError = regexp.MustCompile(`^(syntax error.{0,80}|unknown command\.|error: .{0,120})$`)

func checkRead(command, output string) error {
	for i, raw := range strings.Split(strings.ReplaceAll(output, "\r", ""), "\n") {
		l := strings.TrimSpace(raw)
		switch {
		case l == "", strings.HasPrefix(l, "set "), strings.HasPrefix(l, "deactivate "),
			strings.HasPrefix(l, "## "), noise.MatchString(l), l == command:
			continue
		case readError.MatchString(l):
			return &platform.DeviceError{Command: command, Message: l}
		}
		return &platform.DeviceError{Command: command, Message: fmt.Sprintf(
			"the output is not a configuration in `set` commands: line %d is not a `set` command (the line is not shown: it may hold configuration)", i+1)}
	}
	return nil
}

// Mask replaces secrets in redacted text.
const Mask = "****************"

var (
	// nineRE is a `$9$` secret anywhere (bare, quoted, in curly output).
	nineRE = regexp.MustCompile(`\$9\$[^\s";]*`)
	// hashRE is a crypt hash (`$1$`, `$5$`, `$6$`) of an encrypted-password.
	hashRE = regexp.MustCompile(`\$[156]\$[^\s";]*`)
	// secretLeafRE is a secret leaf and its value, quoted (with escapes) or bare, wherever it
	// stands on a line; an unterminated quoted value is masked to the end of the line.
	secretLeafRE = regexp.MustCompile(`((?:^|[\s{])(?:ascii-text|hexadecimal|authentication-key|encrypted-password|plain-text-password-value|simple-password|secret|community|shared-secret|pre-shared-secret|password)\s+)("(?:[^"\\]|\\.)*"|"[^\n]*|[^\s;{}]+)`)
	// keyLeafRE is `key <value>` (an md5 key), a secret leaf in configuration lines only: in
	// prose ("host key") it is a word.
	keyLeafRE = regexp.MustCompile(`((?:^|\s)key\s+)("(?:[^"\\]|\\.)*"|"[^\n]*|[^\s;{}]+)`)
	configRE  = regexp.MustCompile(`^(\S+@\S+[>#] )?(set|delete|deactivate|activate) |;\s*(## SECRET-DATA)?$`)
)

// Redact masks `$9$` values and crypt hashes wherever they stand, and the value of every
// secret leaf (ascii-text, hexadecimal, authentication-key, encrypted-password, secret,
// community, and `key` in configuration lines) in `set` lines, echoed commands, curly-brace
// output and messages.
func (*Junos) Redact(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		l = nineRE.ReplaceAllString(l, Mask)
		l = hashRE.ReplaceAllString(l, Mask)
		l = secretLeafRE.ReplaceAllString(l, "${1}"+Mask)
		if configRE.MatchString(l) {
			l = keyLeafRE.ReplaceAllString(l, "${1}"+Mask)
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}
