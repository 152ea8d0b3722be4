// Package discover is the `discover` command: it reads what one or more devices already hold
// and prints the `import {}` blocks that adopt every object a resource of the provider can
// manage, ready for `terraform plan -generate-config-out=generated.tf`.
//
//	terraform-provider-onpremvpn discover --platform edgeos --host 203.0.113.1 --username ubnt \
//	    --host-key 'SHA256:...' [--device NAME] [--and --device NAME2 --host ...]
//
// The device is reached exactly as the provider reaches it (provider.OpenDevice), with the
// same arguments as flags and the same ONPREMVPN_* environment variables. Secrets are never
// printed: an object that holds one gets a sensitive variable and a comment saying which line
// of the generated configuration to point at it.
package discover

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/provider"
)

// Target is one device to discover: its name in the provider block and how to reach it.
type Target struct {
	Device   string // provider.DefaultDevice for the top-level device
	Settings provider.DeviceSettings
}

// Main runs the command with the process's arguments after `discover` and returns the exit
// code.
func Main(args []string, stdout, stderr io.Writer) int {
	targets, code := parseArgs(args, stderr)
	if code >= 0 {
		return code
	}
	ctx := context.Background()
	var found []provider.Discovery
	for _, t := range targets {
		if t.Settings.InsecureSkipHostKeyCheck {
			fmt.Fprintf(stderr, "discover: WARNING: host key verification is disabled for device %q: whoever can intercept the connection can read what the device prints\n", t.Device)
		}
		if j := t.Settings.Jump; j != nil && j.InsecureSkipHostKeyCheck {
			fmt.Fprintf(stderr, "discover: WARNING: host key verification is disabled for the jump host of device %q\n", t.Device)
		}
		dev, err := provider.OpenDevice(ctx, t.Device, t.Settings)
		if err != nil {
			fmt.Fprintf(stderr, "discover: %v\n", err)
			return 1
		}
		d, err := provider.Discover(ctx, t.Device, dev)
		_ = dev.Close()
		if err != nil {
			fmt.Fprintf(stderr, "discover: %v\n", err)
			return 1
		}
		found = append(found, d)
	}
	if _, err := io.WriteString(stdout, Render(found)); err != nil {
		fmt.Fprintf(stderr, "discover: %v\n", err)
		return 1
	}
	return 0
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, `usage: terraform-provider-onpremvpn discover --platform P --host H --username U [flags] [--and flags of the next device ...]

Prints import {} blocks for every object on the device(s) that a resource of the provider can
manage, for: terraform plan -generate-config-out=generated.tf
Unset flags are taken from the provider's environment variables (ONPREMVPN_PLATFORM,
ONPREMVPN_HOST, ONPREMVPN_PORT, ONPREMVPN_USERNAME, ONPREMVPN_PASSWORD, ONPREMVPN_PRIVATE_KEY,
ONPREMVPN_KNOWN_HOSTS_FILE, ONPREMVPN_HOST_KEY, ONPREMVPN_INSECURE_SKIP_HOST_KEY_CHECK) for
every device; as in the provider, none for the jump host. A device after --and starts from the
previous one's flags (platform, credentials, jump host, options); give it its own --device and
--host.

flags:`)
	fs.PrintDefaults()
}

type optionFlag map[string]string

func (o optionFlag) String() string { return "" }
func (o optionFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("%q is not NAME=VALUE", s)
	}
	o[k] = v
	return nil
}

// parseArgs returns the targets, or an exit code >= 0 when the command must stop.
func parseArgs(args []string, stderr io.Writer) ([]Target, int) {
	var groups [][]string
	cur := []string{}
	for _, a := range args {
		if a == "--and" || a == "-and" {
			groups = append(groups, cur)
			cur = []string{}
			continue
		}
		cur = append(cur, a)
	}
	groups = append(groups, cur)

	var (
		targets []Target
		prev    Target
		seen    = map[string]bool{}
	)
	prev.Device = provider.DefaultDevice
	for i, g := range groups {
		t := prev
		t.Settings.Options = map[string]string{}
		for k, v := range prev.Settings.Options {
			t.Settings.Options[k] = v
		}
		if i > 0 {
			t.Device, t.Settings.Host, t.Settings.Port, t.Settings.HostKey = "", "", 0, ""
		}
		s := &t.Settings
		var keyFile, jumpKeyFile string
		var jump provider.JumpSettings
		if s.Jump != nil {
			jump = *s.Jump
		}
		fs := flag.NewFlagSet("discover", flag.ContinueOnError)
		fs.SetOutput(stderr)
		fs.StringVar(&t.Device, "device", t.Device, "the device's name in the provider's devices map, used in import ids and resource names; \"default\" is the top-level device")
		fs.StringVar(&s.Platform, "platform", s.Platform, "device platform: "+strings.Join(platform.Names(), ", "))
		fs.StringVar(&s.Host, "host", s.Host, "host name or address of the device's SSH server")
		fs.IntVar(&s.Port, "port", s.Port, "SSH port (default 22)")
		fs.StringVar(&s.Username, "username", s.Username, "SSH user name")
		fs.StringVar(&s.Password, "password", s.Password, "password (prefer ONPREMVPN_PASSWORD: a flag shows in the process list)")
		fs.StringVar(&keyFile, "private-key-file", "", "file with the private key for public-key authentication (or ONPREMVPN_PRIVATE_KEY with the key itself)")
		fs.StringVar(&s.PrivateKeyPassphrase, "private-key-passphrase", s.PrivateKeyPassphrase, "passphrase of the private key")
		fs.StringVar(&s.KnownHostsFile, "known-hosts-file", s.KnownHostsFile, "known_hosts file to verify the device's host key (default ~/.ssh/known_hosts)")
		fs.StringVar(&s.HostKey, "host-key", s.HostKey, "the device's pinned host key: an authorized_keys line or a SHA256: fingerprint")
		fs.BoolVar(&s.InsecureSkipHostKeyCheck, "insecure-skip-host-key-check", s.InsecureSkipHostKeyCheck, "accept any host key (labs only)")
		fs.BoolVar(&s.LegacyAlgorithms, "legacy-algorithms", s.LegacyAlgorithms, "also offer legacy SSH algorithms")
		fs.StringVar(&s.ConnectTimeout, "connect-timeout", s.ConnectTimeout, "time to connect and log in, e.g. 15s")
		fs.StringVar(&s.CommandTimeout, "command-timeout", s.CommandTimeout, "time allowed for one command, e.g. 60s")
		fs.Var(optionFlag(s.Options), "option", "a platform option of the device, NAME=VALUE (repeatable)")
		fs.StringVar(&jump.Host, "jump-host", jump.Host, "a bastion host to reach the device through (SSH forwarding)")
		fs.IntVar(&jump.Port, "jump-port", jump.Port, "SSH port of the jump host (default 22)")
		fs.StringVar(&jump.Username, "jump-username", jump.Username, "user name on the jump host")
		fs.StringVar(&jump.Password, "jump-password", jump.Password, "password on the jump host")
		fs.StringVar(&jumpKeyFile, "jump-private-key-file", "", "file with the private key for the jump host")
		fs.StringVar(&jump.KnownHostsFile, "jump-known-hosts-file", jump.KnownHostsFile, "known_hosts file for the jump host's key")
		fs.StringVar(&jump.HostKey, "jump-host-key", jump.HostKey, "pinned host key of the jump host")
		fs.BoolVar(&jump.InsecureSkipHostKeyCheck, "jump-insecure-skip-host-key-check", jump.InsecureSkipHostKeyCheck, "accept any host key from the jump host (labs only)")
		fs.Usage = func() { usage(stderr, fs) }
		if err := fs.Parse(g); err != nil {
			if err == flag.ErrHelp {
				return nil, 0
			}
			return nil, 2
		}
		if fs.NArg() > 0 {
			fmt.Fprintf(stderr, "discover: unexpected argument %q\n", fs.Arg(0))
			return nil, 2
		}
		if keyFile != "" {
			b, err := os.ReadFile(keyFile)
			if err != nil {
				fmt.Fprintf(stderr, "discover: private key: %v\n", err)
				return nil, 1
			}
			s.PrivateKey = string(b)
		}
		if jumpKeyFile != "" {
			b, err := os.ReadFile(jumpKeyFile)
			if err != nil {
				fmt.Fprintf(stderr, "discover: jump host private key: %v\n", err)
				return nil, 1
			}
			jump.PrivateKey = string(b)
		}
		s.Jump = nil
		if jump.Host != "" {
			j := jump
			s.Jump = &j
		}
		if t.Device == "" {
			fmt.Fprintf(stderr, "discover: device %d of the command line (after --and) needs --device NAME\n", i+1)
			return nil, 2
		}
		if strings.ContainsAny(t.Device, "/ \t\r\n") {
			fmt.Fprintf(stderr, "discover: %q cannot be used as a device name: it must contain no '/' or whitespace\n", t.Device)
			return nil, 2
		}
		if seen[t.Device] {
			fmt.Fprintf(stderr, "discover: device %q is given twice\n", t.Device)
			return nil, 2
		}
		seen[t.Device] = true
		prev = t
		t.Settings = t.Settings.WithEnv()
		targets = append(targets, t)
	}
	return targets, -1
}

// Render prints the import blocks (and the variables for secrets) for the discovered
// devices. Resource names are derived from the objects' keys (and the device's name when it
// is not the top-level device), deterministically: the same devices give the same text.
func Render(found []provider.Discovery) string {
	var b strings.Builder
	names := newNamer()
	vars := map[string]bool{}
	type secretVar struct{ name, address, attr string }
	var secretVars []secretVar
	b.WriteString("# Generated by `terraform-provider-onpremvpn discover`. Next:\n")
	b.WriteString("#   terraform plan -generate-config-out=generated.tf\n")
	b.WriteString("# then point each secret in generated.tf at its variable as noted below, and apply:\n")
	b.WriteString("# every object is imported and nothing on the device changes.\n")
	for _, d := range found {
		fmt.Fprintf(&b, "\n# Device %s (platform %s): %s", comment(strconv.Quote(d.Device)), comment(d.Platform), plural(len(d.Objects), "object"))
		if d.Counted {
			fmt.Fprintf(&b, "; %s of its configuration no resource manages (left alone)", plural(d.Unmodelled, "line"))
		}
		b.WriteString(".\n")
		for _, o := range d.Objects {
			name := names.name(o.ResourceType, d.Device, o)
			address := o.ResourceType + "." + name
			fmt.Fprintf(&b, "\n# %s %s: %s\n", o.Kind, comment(o.Key), comment(o.Summary))
			for _, p := range o.Problems {
				fmt.Fprintf(&b, "# WARNING: the resource refuses this object as the device holds it: %s.\n", comment(p))
				b.WriteString("#   Change it on the device, or in generated.tf (which then changes the device).\n")
			}
			for _, attr := range o.Secrets {
				v := uniqueName(vars, name+"_"+attr)
				secretVars = append(secretVars, secretVar{v, address, attr})
				fmt.Fprintf(&b, "# Holds a secret, %s, never printed. After generating, point it at var.%s:\n", attr, v)
				fmt.Fprintf(&b, "#   sed -i '/^resource \"%s\" \"%s\" {/,/^}/ s/^\\( *%s *\\)= null # sensitive$/\\1= var.%s/' generated.tf\n",
					o.ResourceType, name, attr, v)
			}
			fmt.Fprintf(&b, "import {\n  to = %s\n  id = %s\n}\n", address, hclString(o.ImportID))
		}
	}
	for _, v := range secretVars {
		fmt.Fprintf(&b, "\nvariable %s {\n  description = %s\n  type        = string\n  sensitive   = true\n}\n",
			hclString(v.name), hclString(fmt.Sprintf("The %s of %s, as the device has it.", v.attr, v.address)))
	}
	return b.String()
}

// namer hands out resource names, unique per resource type.
type namer struct{ used map[string]map[string]bool }

func newNamer() *namer { return &namer{used: map[string]map[string]bool{}} }

func (n *namer) name(typ, device string, o provider.DiscoveredObject) string {
	if n.used[typ] == nil {
		n.used[typ] = map[string]bool{}
	}
	base := Identifier(o.Key)
	if device != provider.DefaultDevice {
		base = Identifier(device + "_" + o.Key)
	}
	if base == "" || !isLetter(rune(base[0])) {
		base = string(o.Kind) + "_" + base
		base = strings.TrimSuffix(base, "_")
	}
	return uniqueName(n.used[typ], base)
}

func uniqueName(used map[string]bool, base string) string {
	name := base
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("%s_%d", base, i)
	}
	used[name] = true
	return name
}

// Identifier turns any text into a Terraform name: lower-case ASCII letters, digits and
// underscores, no run of underscores, none at either end. It may be empty or start with a
// digit; callers prefix it.
func Identifier(s string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(s) {
		if r < unicode.MaxASCII && (isLetter(r) || r >= '0' && r <= '9') {
			b.WriteRune(r)
			under = false
			continue
		}
		if !under && b.Len() > 0 {
			b.WriteByte('_')
			under = true
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// hclString quotes s as an HCL string literal: escapes, and template sequences (`${`, `%{`)
// doubled so that they stay literal text.
func hclString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteRune(r)
			b.WriteRune(r)
		case unicode.IsControl(r) || !unicode.IsPrint(r) && r != ' ':
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// comment keeps device text on one comment line.
func comment(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || !unicode.IsPrint(r) && r != ' ' {
			return '?'
		}
		return r
	}, s)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
