package device

import (
	"context"
	"fmt"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// This file binds the dialect to the device (platform.Binder: its facts and the options of
// its device block), runs the platform's login dialog on each new session, and decodes the
// secrets a device prints in a reversible form (platform.SecretReader).

// initDialect binds the platform with the options alone, at New: nothing is known of the
// device yet. The provider has checked the options (platform.CheckOptions), so an error here
// is reported by every operation.
func (d *Device) initDialect() {
	d.base = d.opts.Platform
	d.secrets.add(platform.SensitiveOptionValues(d.base, d.opts.DialectOptions)...)
	p, err := platform.Bind(d.base, vpn.Facts{Platform: d.base.Name()}, d.opts.DialectOptions)
	if err != nil {
		d.bindErr = d.errorf("platform %s: %v", d.base.Name(), err)
		p = d.base
	}
	d.setDialectLocked(p)
}

// setDialectLocked makes p the dialect every later operation uses.
func (d *Device) setDialectLocked(p platform.Platform) {
	d.opts.Platform = p
	d.dialect.Store(&p)
}

// openedLocked runs on a session just opened, before anything else uses it: the platform's
// login dialog, then, for a platform that depends on the device (platform.Binder), the facts
// command and the binding to the facts. It runs once per session; the facts are read once
// per Device.
func (d *Device) openedLocked(ctx context.Context, c Conn) error {
	if d.bindErr != nil {
		return d.bindErr
	}
	for i, st := range d.opts.Platform.Session().Login {
		out, err := d.sendCmdOnLocked(ctx, c, st, 0)
		if err != nil {
			return d.errorf("login dialog, step %d: %s", i+1, d.Redact(err.Error()))
		}
		if err := d.opts.Platform.CheckOutput(st.Line, out); err != nil {
			return d.errorf("login dialog, step %d: the device refused it: %s", i+1, d.Redact(err.Error()))
		}
	}
	if !platform.NeedsFacts(d.base) {
		return nil
	}
	if d.facts == nil {
		spec := d.opts.Platform.Session()
		d.stats.Commands++
		out, err := c.Send(ctx, spec.Facts)
		if err != nil {
			return d.errorf("cannot read the device's facts with %q: %s", spec.Facts, d.Redact(err.Error()))
		}
		f := d.opts.Platform.ParseFacts(out)
		f.Platform = d.base.Name()
		d.facts = &f
	}
	p, err := platform.Bind(d.base, *d.facts, d.opts.DialectOptions)
	if err != nil {
		return d.errorf("platform %s on this device (model %q, version %q): %v", d.base.Name(), d.facts.Model, d.facts.Version, err)
	}
	d.setDialectLocked(p)
	return nil
}

// decodeSecrets replaces the secrets cfg holds in a reversible form by their plaintext, as
// the platform declares (platform.SecretReader). A secret that does not decode is left as the
// device printed it, so that it shows as a change, and is logged without its value.
func (d *Device) decodeSecrets(ctx context.Context, cfg *vpn.Config) {
	sr, ok := d.opts.Platform.(platform.SecretReader)
	if !ok {
		return
	}
	for _, o := range cfg.Objects() {
		for field, ref := range secretRefs(o) {
			if *ref == "" || sr.SecretForm(o.Kind(), field) != platform.SecretReversible {
				continue
			}
			d.secrets.add(*ref)
			plain, err := sr.DecodeSecret(o.Kind(), field, *ref)
			if err != nil {
				d.log(ctx, "warn", fmt.Sprintf("the %s of %s %q does not decode (%v); it is compared as printed", field, o.Kind(), o.Key(), err), nil)
				continue
			}
			*ref = plain
		}
	}
}

// secretRefs returns the secrets of o by the model's attribute name (the kind registry's
// SecretFields).
func secretRefs(o vpn.Object) map[string]*string {
	if spec, ok := vpn.SpecOf(o.Kind()); ok && spec.SecretFields != nil {
		return spec.SecretFields(o)
	}
	return nil
}

// Dialect is Platform bound to the device's facts where the platform depends on them
// (platform.Binder): it opens the first session to read them when none was opened yet. When
// the device cannot be reached, it is the dialect bound to the options alone; the error is
// the next operation's to report.
func (d *Device) Dialect(ctx context.Context) platform.Platform {
	if platform.NeedsFacts(d.base) {
		d.mu.Lock()
		if d.facts == nil {
			_, _ = d.connLocked(ctx)
		}
		d.mu.Unlock()
	}
	return d.Platform()
}
