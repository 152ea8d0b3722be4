package edgeos

import (
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

var _ platform.Coverer = (*EdgeOS)(nil)

// Coverage counts the `set` lines of a `show configuration commands` listing that the objects
// of cfg do not render to: a line is modelled when rendering cfg (as Render would write it
// from nothing, reading the device's tree where the rendering depends on it) gives exactly its
// path. Interfaces other than the tunnels' VTIs, system settings, the process-level BGP timers,
// global IPsec options and firewall rules that are not source routes are therefore counted.
// A listing that does not parse counts every set line.
func (p *EdgeOS) Coverage(text string, cfg *vpn.Config) int {
	lines, err := setconf.ParseListing(text, setconf.Vbash)
	if err != nil {
		n := 0
		for _, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "set ") {
				n++
			}
		}
		return n
	}
	device := make([][]string, len(lines))
	for i, l := range lines {
		device[i] = l.Path
	}
	if cfg == nil {
		cfg = vpn.NewConfig()
	}
	paths, _ := (&renderer{dev: setconf.NewTree(device)}).config(normalizedConfig(p, cfg))
	modelled := make(map[string]bool, len(paths))
	for _, path := range paths {
		modelled[strings.Join(path, "\x00")] = true
	}
	n := 0
	for _, path := range device {
		if !modelled[strings.Join(path, "\x00")] {
			n++
		}
	}
	return n
}
