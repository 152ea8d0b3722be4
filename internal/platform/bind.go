package platform

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Option is one per-device setting a dialect accepts in the `options` map of a device block
// of the provider (for example a flavor, a CLI generation, a lock mode or a password the CLI
// asks for before configuring).
type Option struct {
	// Name is the key in the `options` map: lower case, digits and underscores.
	Name string
	// Description says what the option changes, for the documentation and error messages.
	Description string
	// Allowed, when set, lists every value the option takes.
	Allowed []string
	// Default is the value used when the device block leaves the option out; "" means none.
	Default string
	// Check, when set, validates a value beyond Allowed and returns why it is refused,
	// without quoting the value when Sensitive.
	Check func(value string) error
	// Sensitive marks a secret (a password): never quoted in messages or logs, and masked in
	// the device's output.
	Sensitive bool
	// Env, when set, names an environment variable that gives the value when the device
	// block leaves the option out (before Default); e.g. a password kept out of the
	// configuration. An empty variable counts as unset.
	Env string
}

// Binder is implemented by platforms whose rendering, validation or session depend on the
// device: its facts (model, OS version) and the options of its device block. The device layer
// binds the platform once with the options alone (facts empty: the device has not been
// reached, and the session's transport settings are taken from this binding), then again
// once the facts are read on the first session; Validate, Render, Parse and the transaction
// then use the bound platform. A platform that does not implement Binder takes no options
// and is used as it is.
type Binder interface {
	// Options declares the options the platform accepts.
	Options() []Option
	// Bind returns the platform for one device. options holds every declared option (the
	// defaults filled in) and has been checked against the declarations. facts is the zero
	// value, apart from Platform, before the device has been reached. The result must have
	// the same Name and should keep implementing the same optional interfaces.
	Bind(facts vpn.Facts, options map[string]string) (Platform, error)
}

// OptionsOnly is implemented by a Binder whose binding depends on the options of its device
// block alone, never on the device's facts (EdgeOS: the same CLI on every model and release).
// The device layer binds it once, with the options, and never reads facts or opens a session
// to bind it.
type OptionsOnly interface {
	OptionsOnly() bool
}

// NeedsFacts reports whether p is bound to the device's facts: it is a Binder that is not
// OptionsOnly.
func NeedsFacts(p Platform) bool {
	if _, ok := p.(Binder); !ok {
		return false
	}
	oo, ok := p.(OptionsOnly)
	return !ok || !oo.OptionsOnly()
}

// OptionsOf returns the options p declares, sorted by name; none when p is no Binder.
func OptionsOf(p Platform) []Option {
	b, ok := p.(Binder)
	if !ok {
		return nil
	}
	opts := append([]Option(nil), b.Options()...)
	sort.Slice(opts, func(i, j int) bool { return opts[i].Name < opts[j].Name })
	return opts
}

// CheckOptions validates the options given for the device named device against what p
// declares and returns them with the defaults filled in. An error names the device, the
// option and the names or values allowed; it quotes no value of a sensitive option.
func CheckOptions(p Platform, device string, given map[string]string) (map[string]string, error) {
	decl := OptionsOf(p)
	byName := map[string]Option{}
	for _, o := range decl {
		byName[o.Name] = o
	}
	var names []string
	for n := range given {
		names = append(names, n)
	}
	sort.Strings(names)
	var problems []string
	for _, n := range names {
		o, ok := byName[n]
		if !ok {
			if len(decl) == 0 {
				problems = append(problems, fmt.Sprintf("option %q is unknown: platform %s takes no options", n, p.Name()))
			} else {
				problems = append(problems, fmt.Sprintf("option %q is unknown: platform %s takes %s", n, p.Name(), optionNames(decl)))
			}
			continue
		}
		v := given[n]
		if len(o.Allowed) > 0 && !contains(o.Allowed, v) {
			shown := strconv.Quote(v)
			if o.Sensitive {
				shown = "the value given"
			}
			problems = append(problems, fmt.Sprintf("option %q: %s is not allowed; use one of %s", n, shown, quoteAll(o.Allowed)))
			continue
		}
		if o.Check != nil {
			if err := o.Check(v); err != nil {
				problems = append(problems, fmt.Sprintf("option %q: %v", n, err))
			}
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("device %q: %s", device, strings.Join(problems, "; "))
	}
	out := map[string]string{}
	for _, o := range decl {
		if v, ok := given[o.Name]; ok {
			out[o.Name] = v
		} else if v := optionFromEnv(o); v != "" {
			out[o.Name] = v
		} else if o.Default != "" {
			out[o.Name] = o.Default
		}
	}
	return out, nil
}

// SensitiveOptionValues returns the values of the sensitive options in options, for
// redaction.
func SensitiveOptionValues(p Platform, options map[string]string) []string {
	var out []string
	for _, o := range OptionsOf(p) {
		if v := options[o.Name]; o.Sensitive && v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Bind returns p bound to facts and options (see Binder), or p itself when it is no Binder.
// options must have been through CheckOptions.
func Bind(p Platform, facts vpn.Facts, options map[string]string) (Platform, error) {
	b, ok := p.(Binder)
	if !ok {
		return p, nil
	}
	if options == nil {
		options = map[string]string{}
	}
	if facts.Platform == "" {
		facts.Platform = p.Name()
	}
	bound, err := b.Bind(facts, options)
	if err != nil {
		return nil, err
	}
	if bound == nil || bound.Name() != p.Name() {
		return nil, fmt.Errorf("platform %s: binding returned another platform", p.Name())
	}
	return bound, nil
}

func optionNames(decl []Option) string {
	names := make([]string, len(decl))
	for i, o := range decl {
		names[i] = o.Name
	}
	return quoteAll(names)
}

func quoteAll(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

func contains(vals []string, v string) bool {
	for _, a := range vals {
		if a == v {
			return true
		}
	}
	return false
}
