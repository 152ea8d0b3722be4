package vpn

import (
	"fmt"
	"strings"
)

// Keys and import ids.
//
// An object's key is its primary identity (a name, a prefix, an address), optionally qualified
// by further attributes that distinguish objects sharing it: two static routes to one prefix in
// different routing instances, say. The key is written as the primary value followed, for
// every qualifier that is set, by KeySeparator, the qualifier's attribute name, '=' and its
// value, in the order the kind declares its KeyAttrs:
//
//	10.0.0.0/16                              a route in the default instance (today's form)
//	10.0.0.0/16,routing_instance=trust-vr    the same prefix in ScreenOS's trust-vr
//
// So an object without qualifiers keeps the key it always had, and a key says which part is
// which. Qualifier values are names (CheckName), which never contain the separator or '='.
// Import ids are `<device>/<key>`.

// KeySeparator separates the parts of a composite key.
const KeySeparator = ","

// KeyOf builds the key of an object of kind k from its key parts, aligned with the kind's
// KeyAttrs (primary first); empty qualifiers are left out.
func KeyOf(k Kind, parts ...string) string {
	attrs := mustSpec(k).KeyAttrs
	if len(parts) != len(attrs) {
		panic(fmt.Sprintf("vpn: kind %s has %d key parts, got %d", k, len(attrs), len(parts)))
	}
	var b strings.Builder
	b.WriteString(parts[0])
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			b.WriteString(KeySeparator + attrs[i] + "=" + parts[i])
		}
	}
	return b.String()
}

// ParseKey splits a key of kind k into its parts, aligned with the kind's KeyAttrs; absent
// qualifiers are "". It rejects an empty primary, an unknown or repeated qualifier and
// qualifiers out of order, naming what is wrong without quoting anything but the key.
func ParseKey(k Kind, key string) ([]string, error) {
	spec, ok := SpecOf(k)
	if !ok {
		return nil, fmt.Errorf("unknown kind %q", k)
	}
	fields := strings.Split(key, KeySeparator)
	parts := make([]string, len(spec.KeyAttrs))
	parts[0] = fields[0]
	if parts[0] == "" {
		return nil, fmt.Errorf("key %q: the %s is empty", key, spec.KeyAttrs[0])
	}
	next := 1
	for _, f := range fields[1:] {
		name, value, ok := strings.Cut(f, "=")
		if !ok || value == "" {
			return nil, fmt.Errorf("key %q: %q is not <attribute>=<value>", key, f)
		}
		i := indexOf(spec.KeyAttrs, name)
		switch {
		case i < 1:
			return nil, fmt.Errorf("key %q: %s is not part of a %s key (%s)", key, name, k, KeyForm(k))
		case i < next:
			return nil, fmt.Errorf("key %q: %s is repeated or out of order (%s)", key, name, KeyForm(k))
		}
		parts[i], next = value, i+1
	}
	return parts, nil
}

// KeyForm describes the key of kind k for messages and documentation, e.g.
// `<destination>[,routing_instance=<routing_instance>]`.
func KeyForm(k Kind) string {
	attrs := mustSpec(k).KeyAttrs
	var b strings.Builder
	b.WriteString("<" + attrs[0] + ">")
	for _, a := range attrs[1:] {
		b.WriteString("[" + KeySeparator + a + "=<" + a + ">]")
	}
	return b.String()
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
