package device

import (
	"context"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Preview returns the configuration lines that applying ch alone would send to the device
// now: rendered from the current snapshot (with the objects held for later), as the next
// transaction would render them, with every secret masked. It may read the device's
// configuration but sends nothing to change it. The transaction's own commands (entering
// configuration mode, commit, save) are not included; when several changes are applied
// together, their lines are rendered together and may differ (a shared object created once).
func (d *Device) Preview(ctx context.Context, ch vpn.Change) ([]string, error) {
	if ch.Object != nil {
		d.secrets.add(objectSecrets(ch.Object)...)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	snap, err := d.snapshotLocked(ctx)
	if err != nil {
		return nil, err
	}
	_, steps, err := d.renderLocked(ctx, snap, []vpn.Change{ch}, nil)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(steps))
	for _, s := range steps {
		out = append(out, d.Redact(s.Do.Line))
	}
	return out, nil
}
