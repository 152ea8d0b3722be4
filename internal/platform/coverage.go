package platform

import "github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"

// Coverer is implemented by a platform that can tell how much of a device's configuration its
// dialect models: after Parse, which configuration lines belong to none of the objects it
// read. Discovery (the onpremvpn_objects data source, the `discover` command) reports the
// count, so a user adopting a router sees what the provider will leave alone.
type Coverer interface {
	// Coverage returns the number of configuration lines of text (the output of
	// Session().ReadConfig) that no object of cfg (Parse(text)) accounts for. Lines that carry
	// no configuration (comments, blank lines, the platform's banners) are not counted.
	Coverage(text string, cfg *vpn.Config) (unmodelled int)
}

// Unmodelled returns the count of p's Coverer, and false when p does not implement it.
func Unmodelled(p Platform, text string, cfg *vpn.Config) (int, bool) {
	c, ok := p.(Coverer)
	if !ok {
		return 0, false
	}
	return c.Coverage(text, cfg), true
}
