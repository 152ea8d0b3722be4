package device

import (
	"context"
	"fmt"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Device numbers and other sessions. A platform that numbers objects (platform.Numberer: RTX
// tunnels, gateways, BGP filters and neighbors; ScreenOS access-lists and policy ids) has no
// configuration lock to keep a number free between the read it was chosen from and the
// write: two runs at once each see the same lowest free number. The transaction renders from
// a read of its own (an Immediate platform reads at the start of each batch, see runBatch; a
// Candidate platform with TxSpec.ReadConfig inside the transaction), and before rendering,
// every create whose number another object on the device holds now is settled here: a number
// the provider chose (vpn.Change.NumberChosen) is replaced by a free one, which the caller's
// read-back reports; a number the user gave fails the change with a *NumberTakenError.

// NumberTakenError is a create whose device number another object holds on the device, taken
// since the read the number was checked against (another session's write). Nothing of the
// change was sent.
type NumberTakenError struct {
	Device  string
	Address string
	Kind    vpn.Kind
	Key     string
	Number  int
	Owner   string // the key of the object that holds the number
}

func (e *NumberTakenError) Error() string {
	return fmt.Sprintf("%s %q: number %d is already used by %s %q on device %q (%s): another session wrote it since this run read the configuration; nothing of this change was sent to the device; run again, or give another number",
		e.Kind, e.Key, e.Number, e.Kind, e.Owner, e.Device, e.Address)
}

// settleNumbersLocked returns changes with every create whose number an object of cfg, the
// configuration the transaction renders from, holds under another key settled (see above).
// Objects it renumbers are copies; the caller's objects are not changed.
func (d *Device) settleNumbersLocked(ctx context.Context, cfg *vpn.Config, changes []vpn.Change) ([]vpn.Change, error) {
	p := d.opts.Platform
	out, copied := changes, false
	for i, ch := range changes {
		nb, ok := ch.Object.(vpn.Numbered)
		if ch.Op != vpn.OpCreate || !ok || nb.DeviceNumber() == 0 || !platform.NumbersKind(p, ch.Kind) {
			continue
		}
		owner := vpn.NumberOwner(cfg, ch.Object, nb.DeviceNumber())
		if owner == "" {
			continue
		}
		if !ch.NumberChosen {
			return nil, &NumberTakenError{Device: d.opts.Name, Address: d.opts.Address, Kind: ch.Kind, Key: ch.Key, Number: nb.DeviceNumber(), Owner: owner}
		}
		var reserved []int // the numbers of the batch's other creates of the kind
		for j, other := range out {
			if ob, ok := other.Object.(vpn.Numbered); ok && j != i && other.Op == vpn.OpCreate && other.Kind == ch.Kind {
				reserved = append(reserved, ob.DeviceNumber())
			}
		}
		o := vpn.CloneObject(ch.Object)
		o.(vpn.Numbered).SetDeviceNumber(0)
		if _, err := platform.AssignNumber(p, cfg, o, reserved...); err != nil {
			return nil, d.scoped(d.errorf("%s %q: number %d was taken by %s %q, written by another session since this run read the configuration, and no other is free: %v",
				ch.Kind, ch.Key, nb.DeviceNumber(), ch.Kind, owner, err), platform.ScopeLine)
		}
		d.log(ctx, "info", "a number this run chose was taken by another session since the configuration was read; using a free one",
			map[string]any{"kind": string(ch.Kind), "key": ch.Key, "chosen": nb.DeviceNumber(), "taken_by": owner, "number": o.(vpn.Numbered).DeviceNumber()})
		if !copied {
			out, copied = append([]vpn.Change(nil), changes...), true
		}
		out[i].Object = o
	}
	return out, nil
}
