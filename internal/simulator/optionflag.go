package simulator

import (
	"fmt"
	"sort"
	"strings"
)

// engineOptionFlag collects repeated `--option NAME=VALUE` flags.
type engineOptionFlag map[string]string

func (f engineOptionFlag) String() string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k+"="+f[k])
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

func (f engineOptionFlag) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("option %q is not NAME=VALUE", v)
	}
	f[strings.TrimSpace(name)] = value
	return nil
}
