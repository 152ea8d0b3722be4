package vpn

import "fmt"

// NumberRange is the range of numbers a dialect gives objects of one kind (RTX tunnels 1..N
// by model, ScreenOS access-lists 1..99), inclusive.
type NumberRange struct {
	Min, Max int
}

// Numbered is implemented by the kinds that can carry a device number (Tunnel, PrefixList,
// IKEGateway, BGPNeighbor, SecurityPolicy, SourceRoute: its rule, the EdgeOS firewall modify rule
// or the RTX ip filter).
type Numbered interface {
	Object
	// DeviceNumber returns the number, 0 when unset.
	DeviceNumber() int
	// SetDeviceNumber sets it.
	SetDeviceNumber(n int)
}

func (t *Tunnel) DeviceNumber() int             { return t.Number }
func (t *Tunnel) SetDeviceNumber(n int)         { t.Number = n }
func (p *PrefixList) DeviceNumber() int         { return p.Number }
func (p *PrefixList) SetDeviceNumber(n int)     { p.Number = n }
func (g *IKEGateway) DeviceNumber() int         { return g.Number }
func (g *IKEGateway) SetDeviceNumber(n int)     { g.Number = n }
func (b *BGPNeighbor) DeviceNumber() int        { return b.Number }
func (b *BGPNeighbor) SetDeviceNumber(n int)    { b.Number = n }
func (r *SourceRoute) DeviceNumber() int        { return r.Rule }
func (r *SourceRoute) SetDeviceNumber(n int)    { r.Rule = n }
func (p *SecurityPolicy) DeviceNumber() int     { return p.Number }
func (p *SecurityPolicy) SetDeviceNumber(n int) { p.Number = n }

// AllocateNumber returns the lowest number of r that no object of kind k in cfg uses, other
// than the object keyed except (the one being numbered, so that an update keeps its number
// free for itself), and that is not in reserved (numbers already handed out in this run). It
// is a pure function of its arguments: the same configuration gives the same number.
func AllocateNumber(cfg *Config, k Kind, except string, r NumberRange, reserved ...int) (int, error) {
	if r.Min < 1 || r.Max < r.Min {
		return 0, fmt.Errorf("invalid number range %d..%d for %s", r.Min, r.Max, k)
	}
	used := map[int]bool{}
	for _, n := range reserved {
		used[n] = true
	}
	for _, o := range cfg.OfKind(k) {
		if nb, ok := o.(Numbered); ok && o.Key() != except {
			used[nb.DeviceNumber()] = true
		}
	}
	for n := r.Min; n <= r.Max; n++ {
		if !used[n] {
			return n, nil
		}
	}
	return 0, fmt.Errorf("every %s number from %d to %d is in use", k, r.Min, r.Max)
}

// NumberOwner returns the key of another object of o's kind in cfg with number n, or "".
func NumberOwner(cfg *Config, o Object, n int) string {
	for _, other := range cfg.OfKind(o.Kind()) {
		if nb, ok := other.(Numbered); ok && other.Key() != o.Key() && nb.DeviceNumber() == n {
			return other.Key()
		}
	}
	return ""
}
