package platform

import (
	"fmt"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// KindSupporter is implemented by a platform that says which kinds of the model it manages. A
// platform that does not implement it is taken to support every registered kind.
type KindSupporter interface {
	// Kinds lists the kinds the platform can render and parse.
	Kinds() []vpn.Kind
}

// KindExplainer is optionally implemented by a KindSupporter whose kinds depend on a per-device
// choice (a flavor): it says why a kind is not managed, for the plan-time error.
type KindExplainer interface {
	// UnsupportedKind returns why kind k is not managed ("" when there is nothing to add).
	UnsupportedKind(k vpn.Kind) string
}

// Supports reports whether p manages objects of kind k.
func Supports(p Platform, k vpn.Kind) bool {
	ks, ok := p.(KindSupporter)
	if !ok {
		return true
	}
	for _, x := range ks.Kinds() {
		if x == k {
			return true
		}
	}
	return false
}

// UnsupportedKindError is the plan-time error for an object of a kind its device's platform
// does not manage.
type UnsupportedKindError struct {
	Platform string
	Kind     vpn.Kind
	Device   string
	// Supported lists the kinds the platform does manage.
	Supported string
	// Reason is the platform's explanation (KindExplainer), "" when it gives none.
	Reason string
}

func (e *UnsupportedKindError) Error() string {
	msg := fmt.Sprintf("platform %s (device %q) does not support %s objects; it manages: %s", e.Platform, e.Device, e.Kind, e.Supported)
	if e.Reason != "" {
		msg += " (" + e.Reason + ")"
	}
	return msg
}

// CheckKind returns an *UnsupportedKindError when p does not manage kind k, nil otherwise.
func CheckKind(p Platform, device string, k vpn.Kind) error {
	if Supports(p, k) {
		return nil
	}
	var names []string
	for _, x := range p.(KindSupporter).Kinds() {
		names = append(names, string(x))
	}
	e := &UnsupportedKindError{Platform: p.Name(), Kind: k, Device: device, Supported: strings.Join(names, ", ")}
	if x, ok := p.(KindExplainer); ok {
		e.Reason = x.UnsupportedKind(k)
	}
	return e
}

// Numberer is implemented by a platform that numbers objects of some kinds (RTX tunnels,
// ScreenOS access-lists). For such a kind, an object whose number the user leaves out gets the
// lowest free number of the range (vpn.AllocateNumber).
type Numberer interface {
	// NumberRange returns the range of numbers for kind k, false when the platform does not
	// number that kind.
	NumberRange(k vpn.Kind) (vpn.NumberRange, bool)
}

// NumbersKind reports whether p numbers objects of kind k from a range of its own (Numberer).
func NumbersKind(p Platform, k vpn.Kind) bool {
	np, ok := p.(Numberer)
	if !ok {
		return false
	}
	_, ok = np.NumberRange(k)
	return ok
}

// AssignNumber gives o, an object to be written to a device whose configuration is cfg, the
// lowest free number of its kind when p numbers that kind and o has none. It returns whether
// it assigned one. reserved are numbers already handed out to other objects in this run.
func AssignNumber(p Platform, cfg *vpn.Config, o vpn.Object, reserved ...int) (bool, error) {
	nb, ok := o.(vpn.Numbered)
	if !ok || nb.DeviceNumber() != 0 {
		return false, nil
	}
	np, ok := p.(Numberer)
	if !ok {
		return false, nil
	}
	r, ok := np.NumberRange(o.Kind())
	if !ok {
		return false, nil
	}
	n, err := vpn.AllocateNumber(cfg, o.Kind(), o.Key(), r, reserved...)
	if err != nil {
		return false, fmt.Errorf("%s on platform %s: %w", o.Kind(), p.Name(), err)
	}
	nb.SetDeviceNumber(n)
	return true, nil
}

// PlanChecker is implemented by platforms that judge an object at plan time against the rest
// of the device's configuration (Validate sees the object alone). desired is the device's
// configuration as last read with the planned object put in it; objects planned in the same
// run but not yet on the device are not in it, so Render stays the final check. Errors fail
// the plan; warnings are shown and the plan goes on (ScreenOS: a proxy-id that no route sends
// traffic into, a policy shadowed by a broader one above it). Each names the attribute.
// desired shares its objects with the configuration every resource of the plan reads: it is
// read only.
type PlanChecker interface {
	PlanCheck(o vpn.Object, desired *vpn.Config) (errs, warnings vpn.Errors)
}
