package provider

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
)

// deviceOptions reads the `options` map of a device block and checks it against what the
// platform declares (platform.CheckOptions), with the defaults filled in.
func deviceOptions(name string, plat platform.Platform, m types.Map) (map[string]string, error) {
	given := map[string]string{}
	if !m.IsNull() {
		if m.IsUnknown() {
			return nil, fmt.Errorf("device %q: options must be known before apply", name)
		}
		for k, v := range m.Elements() {
			s, ok := v.(types.String)
			if !ok || s.IsUnknown() {
				return nil, fmt.Errorf("device %q: option %q must be known before apply", name, k)
			}
			if s.IsNull() {
				return nil, fmt.Errorf("device %q: option %q has no value", name, k)
			}
			given[k] = s.ValueString()
		}
	}
	return platform.CheckOptions(plat, name, given)
}

// optionsKey is the options in a stable order, for the device pool's key.
func optionsKey(options map[string]string) string {
	names := make([]string, 0, len(options))
	for n := range options {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%q=%q;", n, options[n])
	}
	return b.String()
}

// optionsDoc describes the options of every registered platform, for the schema.
func optionsDoc() string {
	var parts []string
	for _, name := range platform.Names() {
		p, _ := platform.Get(name)
		opts := platform.OptionsOf(p)
		if len(opts) == 0 {
			parts = append(parts, "`"+name+"` takes none")
			continue
		}
		var each []string
		for _, o := range opts {
			d := "`" + o.Name + "`: " + strings.TrimSuffix(o.Description, ".")
			if len(o.Allowed) > 0 {
				d += " (one of `" + strings.Join(o.Allowed, "`, `") + "`)"
			}
			if o.Default != "" {
				d += ", default `" + o.Default + "`"
			}
			if o.Env != "" {
				d += ", from the environment variable `" + o.Env + "` when the map leaves it out"
			}
			each = append(each, d)
		}
		parts = append(parts, "`"+name+"` takes "+strings.Join(each, "; "))
	}
	return "Options by platform: " + strings.Join(parts, ". ") + "."
}

// anySensitiveOption reports whether a registered platform declares a secret option, which
// makes the whole `options` map sensitive.
func anySensitiveOption() bool {
	for _, name := range platform.Names() {
		p, _ := platform.Get(name)
		for _, o := range platform.OptionsOf(p) {
			if o.Sensitive {
				return true
			}
		}
	}
	return false
}

var (
	supportedAlgorithms = ssh.SupportedAlgorithms()
	insecureAlgorithms  = ssh.InsecureAlgorithms()
)

// Algorithm lists of golang.org/x/crypto/ssh, by kind: the defaults and the legacy ones.
var (
	kexDefaults     = [2][]string{supportedAlgorithms.KeyExchanges, insecureAlgorithms.KeyExchanges}
	cipherDefaults  = [2][]string{supportedAlgorithms.Ciphers, insecureAlgorithms.Ciphers}
	macDefaults     = [2][]string{supportedAlgorithms.MACs, insecureAlgorithms.MACs}
	hostKeyDefaults = [2][]string{supportedAlgorithms.HostKeys, insecureAlgorithms.HostKeys}
)

// algorithms is the list of one kind of SSH algorithm to offer: the device block's own list
// when it gives one; otherwise, when the platform needs algorithms beyond the defaults
// (platform.SessionSpec), the defaults (and the legacy ones with legacy_algorithms) followed
// by those; otherwise nil, which leaves the choice to the transport.
func algorithms(user, needed []string, legacy bool, defaults [2][]string) []string {
	if user != nil {
		return user
	}
	if len(needed) == 0 {
		return nil
	}
	out := append([]string(nil), defaults[0]...)
	if legacy {
		out = appendNew(out, defaults[1])
	}
	return appendNew(out, needed)
}

func appendNew(list, more []string) []string {
	for _, a := range more {
		found := false
		for _, b := range list {
			found = found || a == b
		}
		if !found {
			list = append(list, a)
		}
	}
	return list
}
