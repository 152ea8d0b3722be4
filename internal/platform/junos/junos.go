// Package junos is the Juniper Junos dialect: the SRX flavor (`security ike` / `security
// ipsec` route-based VPNs, the default) and the MX flavor (`services ipsec-vpn` with next-hop
// service sets, mx.go), chosen per device by the option flavor. It renders model changes to `set`/`delete`/`insert` lines and parses
// `show configuration | display set` output back into the model. It is pure text in, text
// out, built on setconf (the Junos quoter, field tables, ordered lists and Diff) like the
// EdgeOS dialect, and on junos9 for the `$9$` form in which Junos prints secrets.
//
// Mapping (SRX):
//   - IKE gateway <G>: `security ike gateway <G>` (address, external-interface, local-address,
//     version v1-only|v2-only, dead-peer-detection interval/threshold from liveness,
//     no-nat-traversal, local-identity / remote-identity as inet, hostname or
//     user-at-hostname), its `security ike policy` (mode, proposals, pre-shared-key
//     ascii-text) and one `security ike proposal` per model proposal (authentication-method
//     pre-shared-keys, dh-group, authentication-algorithm, encryption-algorithm, and
//     lifetime-seconds = the gateway's lifetime, left out when it is the default 28800);
//     `host-inbound-traffic system-services ike` on the security zone of the external
//     interface. The external interface is the one the device already names for the
//     gateway, else the device option external_interface, else the interface that holds
//     local_address on the device.
//   - tunnel <T>: `security ipsec vpn <T>` (bind-interface st0.N, ike gateway, ike
//     ipsec-policy, ike no-anti-replay, establish-tunnels immediately, df-bit, vpn-monitor
//     destination-ip, proxy-identity for the one selector of a VPN that has one on the
//     device, else one `traffic-selector` per selector), its `security ipsec policy`
//     (perfect-forward-secrecy keys, proposals) and `security ipsec proposal`s (protocol
//     esp; lifetime-seconds = the tunnel's lifetime, left out at the default 3600); the
//     `interfaces st0 unit N` (description, family inet address or unnumbered, mtu); the
//     unit's membership `security zones security-zone <Zone> interfaces st0.N`; tcp_mss is
//     the one global `security flow tcp-mss ipsec-vpn mss`.
//   - static route: `[routing-instances <RI>] routing-options static route <D> next-hop <X>`
//     with `preference` for distance.
//   - source route: filter-based forwarding: a term of `firewall family inet filter
//     <Ruleset>` (from source-address, destination-address; then routing-instance <FI>)
//     followed by the filter's final accept term, the filter applied as `family inet filter
//     input` on the ingress interface unit, a forwarding instance <FI> (`instance-type
//     forwarding` and a static route for the destination, or 0.0.0.0/0, to the target), and
//     `routing-options interface-routes rib-group inet <RG>` with `rib-groups <RG> import-rib`
//     inet.0 and <FI>.inet.0 so that the instance resolves the interface.
//   - prefix list: `policy-options prefix-list <Name> <prefix>`.
//   - BGP neighbor: `[routing-instances <RI>] protocols bgp group <G> neighbor <A>` (peer-as,
//     local-as when it is not the instance's autonomous-system, local-address, multihop ttl,
//     hold-time, import/export, authentication-key, description, keep all), the group's
//     `type`, the instance's `routing-options autonomous-system` and `router-id`, a
//     `policy-options policy-statement` per prefix list applied (term 1 from prefix-list <PL>
//     then accept, term 2 then reject), and `host-inbound-traffic protocols bgp` on the zone
//     of the tunnel whose address holds the neighbor.
//
// Shared objects (proposals, policies, policy statements, forwarding instances, zone
// memberships, host-inbound services, the rib group) are found on the device by content, or
// created under a name derived from their content or first user, when first needed; they are
// rendered by every object that needs them, so setconf.Diff removes them with the last one;
// a policy statement the device still applies elsewhere (another protocol, a group outside
// the model) is kept. A st0 or service unit that the device gives to something outside the
// model is refused, never taken.
//
// What the dialect cannot express yet (Validate refuses each, naming the attribute and SRX):
//   - on MX (flavor = "mx", see mx.go): source routes, tunnel zones, addresses, tcp_mss,
//     descriptions, monitors, establish_immediately, df_bit set/copy, more than one traffic
//     selector, gateway liveness and nat_traversal, interface-style service sets and
//     service-set-level ipsec-vpn-options other than local-gateway;
//   - policy-based tunnels (tunnels without tunnel_interface need security policies with
//     `then permit tunnel ipsec-vpn`, which the model does not describe);
//   - the strongSwan-style dpd block (SRX takes liveness: interval and threshold), ike
//     connection_type, gateway descriptions, nat_traversal = true and anti_replay = true
//     (the defaults, which the device cannot tell from unset);
//   - traffic selector protocols and ports; vpn-monitor interval and threshold (global
//     vpn-monitor-options on SRX); unnumbered_interface (an st0 unit without an address is
//     unnumbered already); AES-GCM in IPsec proposals (SRX takes no authentication algorithm
//     with GCM, the model requires an integrity); tunnel numbers;
//   - prefix lists with deny rules, ge/le, descriptions or numbers; rule sequences other than
//     1, 2, 3, ... with prefixes in ascending order (a Junos prefix-list is a set);
//   - BGP networks (Junos announces through export policies), keepalive other than
//     hold_time / 3, update_source as an interface name;
//   - source routes in a routing instance, with a preference, a table, a rule number or a
//     description;
//   - a BGP neighbor without a setting its device group holds for all its neighbors (render
//     refuses it, naming the group and the statement);
//   - more than one import or export policy on a neighbor (the first is read);
//   - a new order of the same proposals (a policy's proposals are compared as a set).
//
// Sessions: the account must land in the CLI (`user@host>`); root lands in the FreeBSD shell
// (`root@host%`), which the prompt pattern does not take for a CLI prompt.
package junos

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/junos9"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Name is the value of the provider's platform attribute for this dialect.
const Name = "junos"

// Option names and values (platform.Binder).
const (
	OptFlavor            = "flavor"
	OptConfigureMode     = "configure_mode"
	OptCommitConfirmed   = "commit_confirmed_minutes"
	OptExternalInterface = "external_interface"
	OptLoad              = "load"
	OptLockWait          = "lock_wait_seconds"

	FlavorSRX = "srx"
	FlavorMX  = "mx"

	ModePrivate   = "private"
	ModeExclusive = "exclusive"

	LoadTerminal = "terminal"
	LoadLines    = "lines"
)

// Junos implements platform.Platform, platform.SecretReader (pre-shared keys and BGP
// authentication keys print as `$9$...`, reversible with junos9), platform.Binder (the
// options above) and platform.KindSupporter. The zero value is the SRX flavor with
// `configure private`, a plain commit and the batch loaded with `load set terminal`.
type Junos struct {
	flavor            string
	mode              string
	confirmMinutes    int
	externalInterface string
	lines             bool // send lines one by one instead of `load set terminal`
	lockWait          time.Duration
	lockWaitSet       bool // lockWait was given (0 reports a held lock at once)
}

var (
	_ platform.Platform      = (*Junos)(nil)
	_ platform.SecretReader  = (*Junos)(nil)
	_ platform.Binder        = (*Junos)(nil)
	_ platform.KindSupporter = (*Junos)(nil)
	_ platform.Deferrer      = (*Junos)(nil)
	_ platform.KindExplainer = (*Junos)(nil)
)

func init() { platform.Register(&Junos{}) }

// Name returns "junos".
func (*Junos) Name() string { return Name }

// Options declares the per-device options.
func (*Junos) Options() []platform.Option {
	return []platform.Option{
		{Name: OptFlavor, Description: "srx: security ike/ipsec route-based VPNs on st0 units; mx: services ipsec-vpn rules with next-hop service sets (no source routes yet)", Allowed: []string{FlavorSRX, FlavorMX}, Default: FlavorSRX},
		{Name: OptConfigureMode, Description: "the candidate a transaction edits: configure private (a private candidate) or configure exclusive (locks the shared one)", Allowed: []string{ModePrivate, ModeExclusive}, Default: ModePrivate},
		{Name: OptCommitConfirmed, Description: "minutes of `commit confirmed N`, confirmed after the configuration is read back; empty for a plain commit", Check: checkMinutes},
		{Name: OptExternalInterface, Description: "the SRX interface unit IKE gateways use when the device names none for them and none holds their local_address (e.g. ge-0/0/0.0)", Check: checkUnit},
		{Name: OptLoad, Description: "terminal: the batch is one `load set terminal` paste; lines: one command per line", Allowed: []string{LoadTerminal, LoadLines}, Default: LoadTerminal},
		{Name: OptLockWait, Description: "seconds to wait for a configuration lock another user holds before reporting it (naming the user); 0 reports at once", Check: checkLockWait, Default: "120"},
	}
}

func checkLockWait(v string) error { return platform.CheckSeconds(v, 0, 3600) }

func checkMinutes(v string) error {
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("%q is not a number of minutes between 1 and 65535", v)
	}
	return nil
}

var unitRE = regexp.MustCompile(`^[a-z][a-z0-9]*(-[0-9]+/[0-9]+/[0-9]+(:[0-9]+)?|[0-9]+)\.[0-9]+$`)

func checkUnit(v string) error {
	if v != "" && !unitRE.MatchString(v) {
		return fmt.Errorf("%q is not a Junos interface unit such as ge-0/0/0.0", v)
	}
	return nil
}

// Bind returns the dialect for one device's options: the flavor (srx, or mx for services
// ipsec-vpn, see mx.go), the configure mode, commit confirmed minutes and the rest.
func (*Junos) Bind(_ vpn.Facts, options map[string]string) (platform.Platform, error) {
	j := &Junos{flavor: FlavorSRX, mode: ModePrivate}
	if v := options[OptFlavor]; v != "" {
		j.flavor = v
	}
	if j.flavor != FlavorSRX && j.flavor != FlavorMX {
		return nil, fmt.Errorf("option %q: %q is not a Junos flavor (srx, mx)", OptFlavor, j.flavor)
	}
	if v := options[OptConfigureMode]; v != "" {
		if v != ModePrivate && v != ModeExclusive {
			return nil, fmt.Errorf("option %q: %q is not private or exclusive", OptConfigureMode, v)
		}
		j.mode = v
	}
	if v := options[OptCommitConfirmed]; v != "" {
		if err := checkMinutes(v); err != nil {
			return nil, fmt.Errorf("option %q: %v", OptCommitConfirmed, err)
		}
		j.confirmMinutes, _ = strconv.Atoi(v)
	}
	if v := options[OptExternalInterface]; v != "" {
		if err := checkUnit(v); err != nil {
			return nil, fmt.Errorf("option %q: %v", OptExternalInterface, err)
		}
		j.externalInterface = v
	}
	var err error
	if j.lockWait, j.lockWaitSet, err = platform.SecondsOption(options, OptLockWait, 0, 3600); err != nil {
		return nil, err
	}
	j.lines = options[OptLoad] == LoadLines
	return j, nil
}

// PromptPattern matches `user@host> ` (operational) and `user@host# ` (configuration) at the
// start of a line. The `[edit ...]` line and a cluster's `{primary:node0}` line come before
// the prompt line and stay in the output.
const PromptPattern = `^[A-Za-z0-9_.\-]+@[A-Za-z0-9_.\-]+[>#] ?$`

// ReadConfig prints the committed configuration as `set` lines without the pager.
const ReadConfig = "show configuration | display set | no-more"

// defaultLockWait is how long a lock another user holds is waited for by default.
const defaultLockWait = 2 * time.Minute

// txReadConfig is ReadConfig from configuration mode: the committed configuration, which a
// private candidate starts from.
const txReadConfig = "run " + ReadConfig

// exitConfig leaves configuration mode; should the candidate still differ (a rollback that
// did not run), Junos asks before discarding it, and the answer is yes: nothing uncommitted
// is kept.
var exitConfig = platform.Command{Line: "exit configuration-mode", Expect: `Exit with uncommitted changes\? \[yes,no\] \(yes\) ?$`, Answer: "yes"}

// loadInvitation is what `load set terminal` prints before the block is typed.
const loadInvitation = `\[Type \^D at a new line to end input\]\s*$`

// ctrlD ends `load set terminal`.
const ctrlD = "\x04"

// Session describes the Junos CLI.
//
// End of a read: Junos has no `echo` and no pipe that prints a chosen line (`| count`
// replaces the output, `| append`/`| save` write to files), and one command line runs one
// command, so no end marker can be appended (EndMarker is nil). The read ends at the prompt,
// which is safe because the prompt pattern is anchored at the start of a line and every line
// of `display set` output starts with `set ` or `deactivate ` (values never hold a line
// break: the CLI prints them quoted and escaped), so no configuration line can look like a
// prompt; the read's CheckOutput then refuses any line that is not such a command.
func (j *Junos) Session() platform.SessionSpec {
	enter := "configure private"
	if j.mode == ModeExclusive {
		enter = "configure exclusive"
	}
	lockWait := defaultLockWait
	if j.lockWaitSet {
		lockWait = j.lockWait
	}
	tx := platform.TxSpec{
		Strategy: platform.Candidate,
		Enter:    platform.Lines(enter),
		Check:    platform.Lines("commit check"),
		Commit:   platform.Lines("commit"),
		// rollback 0 discards the candidate; exit configuration-mode leaves even with
		// uncommitted changes (it would ask otherwise; after rollback 0 there are none).
		Abort:         []platform.Command{{Line: "rollback 0"}, exitConfig},
		Exit:          []platform.Command{exitConfig},
		CommitTimeout: 10 * time.Minute,
		ReadConfig:    txReadConfig,
		LockWait:      lockWait,
	}
	if j.confirmMinutes > 0 {
		tx.Commit = platform.Lines("commit confirmed " + strconv.Itoa(j.confirmMinutes))
		tx.Confirm = platform.Lines("commit")
	}
	if !j.lines {
		// `load set terminal` answers with an invitation, not a prompt; the block ends with
		// Ctrl-D, after which Junos prints `load complete` (or the lines it refused) and its
		// prompt.
		tx.Paste = &platform.PasteSpec{Start: platform.Command{Line: "load set terminal", Expect: loadInvitation}, End: ctrlD}
	}
	return platform.SessionSpec{
		PromptPattern: PromptPattern,
		ReturnChar:    "\n",
		OnOpen:        []string{"set cli screen-length 0", "set cli screen-width 1024", "set cli complete-on-space off"},
		ReadConfig:    ReadConfig,
		Facts:         "show version | no-more",
		// Junos runs a CLI command given on the exec channel, but the interactive shell is
		// the one that configures; keep one path.
		ExecUsable: false,
		Tx:         tx,
	}
}

// ParseFacts reads `show version`: `Hostname:`, `Model:` and `Junos:` (or the older `JUNOS
// Software Release [...]`).
func (*Junos) ParseFacts(output string) vpn.Facts {
	f := vpn.Facts{Platform: Name}
	for _, l := range strings.Split(output, "\n") {
		l = strings.TrimSpace(l)
		k, v, ok := strings.Cut(l, ":")
		if ok {
			v = strings.TrimSpace(v)
			switch strings.TrimSpace(k) {
			case "Hostname":
				f.Hostname = v
			case "Model":
				f.Model = v
			case "Junos", "JUNOS":
				if f.Version == "" {
					f.Version = v
				}
			}
		}
		if m := releaseRE.FindStringSubmatch(l); m != nil && f.Version == "" {
			f.Version = m[1]
		}
	}
	return f
}

var releaseRE = regexp.MustCompile(`^JUNOS .*Software (?:Suite|Release) \[([^\]]+)\]`)

// Kinds lists the kinds the flavor manages: all six on SRX; on MX all but source routes.
func (j *Junos) Kinds() []vpn.Kind {
	if j.flavor == FlavorMX {
		return []vpn.Kind{vpn.KindIKEGateway, vpn.KindPrefixList, vpn.KindTunnel, vpn.KindStaticRoute, vpn.KindBGPNeighbor}
	}
	return []vpn.Kind{vpn.KindIKEGateway, vpn.KindPrefixList, vpn.KindTunnel, vpn.KindStaticRoute, vpn.KindSourceRoute, vpn.KindBGPNeighbor}
}

// UnsupportedKind implements platform.KindExplainer: names the flavor that cannot express k.
func (j *Junos) UnsupportedKind(k vpn.Kind) string {
	if j.flavor == FlavorMX && k == vpn.KindSourceRoute {
		return `the Junos MX flavor (option flavor = "mx") cannot express source routes yet: filter-based forwarding is rendered for SRX only`
	}
	return ""
}

// Deferred implements platform.Deferrer: on MX an IKE gateway renders to nothing until a
// tunnel uses it (its peer address lives in the tunnel's rule).
func (j *Junos) Deferred(o vpn.Object, desired *vpn.Config) string {
	if g, ok := o.(*vpn.IKEGateway); ok && j.flavor == FlavorMX && desired != nil {
		return mxGatewayDeferred(g, desired)
	}
	return ""
}

// SecretForm: the pre-shared key and the BGP password print as `$9$...`.
func (*Junos) SecretForm(kind vpn.Kind, field string) platform.SecretForm {
	switch {
	case kind == vpn.KindIKEGateway && field == "pre_shared_key", kind == vpn.KindBGPNeighbor && field == "password":
		return platform.SecretReversible
	}
	return platform.SecretPlaintext
}

// DecodeSecret decodes a `$9$` secret; text not in that form is returned as printed.
func (*Junos) DecodeSecret(_ vpn.Kind, _ string, printed string) (string, error) {
	if !strings.HasPrefix(printed, junos9.Prefix) {
		return printed, nil
	}
	return junos9.Decode(printed)
}

// sameSecret reports whether two secrets, each plaintext or `$9$`, stand for the same key.
func sameSecret(a, b string) bool {
	if a == b {
		return true
	}
	return plainSecret(a) == plainSecret(b) && plainSecret(a) != ""
}

func plainSecret(s string) string {
	if strings.HasPrefix(s, junos9.Prefix) {
		p, err := junos9.Decode(s)
		if err != nil {
			return ""
		}
		return p
	}
	return s
}
