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
	"regexp"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Name is the value of the provider's platform attribute for this dialect.
const Name = "edgeos"

// EdgeOS implements platform.Platform.
type EdgeOS struct{}

var _ platform.Platform = (*EdgeOS)(nil)

func init() { platform.Register(&EdgeOS{}) }

// Name returns "edgeos".
func (*EdgeOS) Name() string { return Name }

// PromptPattern matches the operational prompt `user@host:~$ ` and the configuration prompt
// `user@host# ` at the end of the output.
const PromptPattern = `[A-Za-z0-9_.\-]+@[A-Za-z0-9_.\-]+(?::[^\s$#]*)?[$#] ?$`

// Session describes the vbash CLI.
func (*EdgeOS) Session() platform.SessionSpec {
	return platform.SessionSpec{
		PromptPattern: PromptPattern,
		ReturnChar:    "\n",
		OnOpen:        []string{"terminal length 0", "terminal width 512"},
		ReadConfig:    "show configuration commands",
		Facts:         "show version",
		Tx: platform.TxSpec{
			Enter:  []string{"configure"},
			Commit: []string{"commit"},
			Save:   []string{"save"},
			Abort:  []string{"discard", "exit discard"},
			Exit:   []string{"exit"},
		},
	}
}

var (
	// failures are the texts vyatta-cfg prints when a command or a commit fails.
	failures = []string{
		"is not valid", "Set failed", "Delete failed", "Value validation failed", "Commit failed",
		"Invalid command", "is ambiguous", "Cannot exit", "Failed to generate committed config",
	}
	subsystemFailed = regexp.MustCompile(`\[\[[^\]]*\]\] failed`)
	// benign are warnings that mean the line had nothing to do; the `Set failed`/`Delete
	// failed` that may accompany them is part of the same message.
	benign   = []string{"already exists", "Nothing to delete"}
	promptRE = regexp.MustCompile(PromptPattern)
	// noise are lines that are never part of a message: edit levels and subsystem headers.
	noise = regexp.MustCompile(`^\[edit.*\]$|^\[ [^\]]* \]$`)
)

// CheckOutput returns a *platform.DeviceError carrying the device's message when output
// reports a failure. "already exists" and "Nothing to delete" are success.
func (*EdgeOS) CheckOutput(command, output string) error {
	var msg []string
	isBenign, failed := false, false
	for _, raw := range strings.Split(output, "\n") {
		l := strings.TrimSpace(raw)
		if l == "" || l == command || noise.MatchString(l) || promptRE.MatchString(l) {
			continue
		}
		for _, b := range benign {
			isBenign = isBenign || strings.Contains(l, b)
		}
		msg = append(msg, l)
	}
	for _, l := range msg {
		if isBenign && (l == "Set failed" || l == "Delete failed" || containsAny(l, benign)) {
			continue
		}
		failed = failed || containsAny(l, failures) || subsystemFailed.MatchString(l)
	}
	if !failed {
		return nil
	}
	return &platform.DeviceError{Command: command, Message: strings.Join(msg, "; ")}
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
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

// secretLeaf reports whether a leaf name holds a secret.
func secretLeaf(name string) bool {
	return name == "pre-shared-secret" || name == "secret" || name == "passphrase" || strings.HasSuffix(name, "password")
}

var secretFallback = regexp.MustCompile(`((?:^|\s)(?:pre-shared-secret|secret|passphrase|\S*password)\s+).*$`)

// Redact masks the values of secret leaves (pre-shared-secret, password, ...) in `set` lines,
// echoed commands and curly-brace output. A line that cannot be tokenized has everything after
// a secret keyword masked.
func (*EdgeOS) Redact(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		toks, err := setconf.SplitTokens(l)
		if err != nil {
			lines[i] = secretFallback.ReplaceAllString(l, "${1}"+Mask)
			continue
		}
		n := len(toks)
		if n >= 2 && secretLeaf(toks[n-2].Text) && toks[n-1].Text != "{" {
			last := toks[n-1]
			lines[i] = l[:last.Start] + Mask + l[last.End:]
		}
	}
	return strings.Join(lines, "\n")
}
