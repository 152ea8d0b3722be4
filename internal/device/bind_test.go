package device_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/sshcli"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// boundDialect is a test dialect on top of EdgeOS's text: it prints pre-shared keys in a
// reversible form ("rev:" and the key reversed), declares options, binds to the device's
// facts, and has a login dialog. Its Validate refuses gateways on the model "small" unless
// the option "flavor" is "big".
type boundDialect struct {
	platform.Platform // EdgeOS: parse and render
	facts             vpn.Facts
	options           map[string]string
	login             []platform.Command
	binds             *[]string // every binding, "model/flavor"
}

const factsCommand = "show version"

func (b *boundDialect) Name() string { return "test-bound" }

func (b *boundDialect) Session() platform.SessionSpec {
	s := b.Platform.Session()
	s.Login = b.login
	return s
}

func (b *boundDialect) SecretForm(kind vpn.Kind, field string) platform.SecretForm {
	if kind == vpn.KindIKEGateway && field == "pre_shared_key" {
		return platform.SecretReversible
	}
	return platform.SecretPlaintext
}

func (b *boundDialect) DecodeSecret(_ vpn.Kind, _ string, printed string) (string, error) {
	s, ok := strings.CutPrefix(printed, "rev:")
	if !ok {
		return "", errors.New("not in the rev: form")
	}
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r), nil
}

func (b *boundDialect) Options() []platform.Option {
	return []platform.Option{
		{Name: "flavor", Description: "size", Allowed: []string{"big", "small"}, Default: "small"},
		{Name: "admin_password", Description: "asked before configuring", Sensitive: true},
	}
}

func (b *boundDialect) Bind(facts vpn.Facts, options map[string]string) (platform.Platform, error) {
	if facts.Model == "unsupported" {
		return nil, errors.New("this model has no VPN")
	}
	*b.binds = append(*b.binds, facts.Model+"/"+options["flavor"])
	nb := *b
	nb.facts, nb.options = facts, options
	if pw := options["admin_password"]; pw != "" {
		nb.login = []platform.Command{{Line: "administrator", Expect: `Password: ?$`, Answer: pw, Hidden: true}}
	}
	return &nb, nil
}

func (b *boundDialect) Validate(o vpn.Object) vpn.Errors {
	if _, ok := o.(*vpn.IKEGateway); ok && b.facts.Model == "small" && b.options["flavor"] != "big" {
		return vpn.Errors{{Field: "name", Message: "model small takes no gateway"}}
	}
	return nil
}

// The SSH session answers the login dialog.
var _ interface {
	SendExpect(ctx context.Context, command, expect string, hidden bool) (string, error)
} = (*sshcli.Session)(nil)

// dialogConn adds SendExpect to the fake session; hidden answers are logged as "<hidden>".
type dialogConn struct{ *fakeConn }

func (c dialogConn) SendExpect(ctx context.Context, cmd, expect string, hidden bool) (string, error) {
	if !hidden {
		return c.fakeConn.SendExpect(ctx, cmd, expect, hidden)
	}
	out, err := c.Send(ctx, "<hidden>")
	if err == nil && c.f.reply != nil {
		out, err = c.f.reply(c.n, "hidden:"+cmd)
	}
	return out, err
}

// asksPassword is a device that asks for a password after `administrator`.
func asksPassword(_ int, cmd string) string {
	if cmd == "administrator" {
		return "Password: "
	}
	return ""
}

func referenceWithPSK(t *testing.T, printed string) string {
	t.Helper()
	b, err := os.ReadFile("../platform/edgeos/testdata/reference-sample.commands.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if !strings.Contains(text, "pre-shared-secret s3cr3tPSK") {
		t.Fatal("the reference sample changed")
	}
	return strings.ReplaceAll(text, "pre-shared-secret s3cr3tPSK", "pre-shared-secret "+printed)
}

func newBound(t *testing.T, f *fakeDevice, options map[string]string, withDialog bool, log device.Logger) (*device.Device, *[]string) {
	t.Helper()
	binds := &[]string{}
	base := &boundDialect{Platform: edgeos(t), binds: binds}
	checked, err := platform.CheckOptions(base, deviceName, options)
	if err != nil {
		t.Fatal(err)
	}
	// plainConn hides the fake's SendExpect: a session that cannot answer prompts.
	dial := func(ctx context.Context) (device.Conn, error) {
		c, err := f.dial(ctx)
		if err != nil {
			return nil, err
		}
		return plainConn{c}, nil
	}
	if withDialog {
		dial = func(ctx context.Context) (device.Conn, error) {
			c, err := f.dial(ctx)
			if err != nil {
				return nil, err
			}
			return dialogConn{c.(*fakeConn)}, nil
		}
	}
	return device.New(device.Options{Name: deviceName, Address: "192.0.2.1:22", Platform: base, Dial: dial, DialectOptions: checked, Logger: log}), binds
}

// plainConn is a session with only the methods of device.Conn.
type plainConn struct{ device.Conn }

func TestReversibleSecretIsDecodedOnRead(t *testing.T) {
	f := &fakeDevice{config: referenceWithPSK(t, "rev:KSPt3rc3s")}
	d, _ := newBound(t, f, nil, false, nil)
	o, err := d.Get(context.Background(), vpn.KindIKEGateway, "IKE0")
	if err != nil || o == nil {
		t.Fatalf("Get = %v, %v", o, err)
	}
	if got := o.(*vpn.IKEGateway).PreSharedKey; got != "s3cr3tPSK" {
		t.Fatalf("pre-shared key = %q, want the decoded s3cr3tPSK", got)
	}
	// Both forms are masked in anything the device layer shows.
	if got := d.Redact("x rev:KSPt3rc3s y s3cr3tPSK"); strings.Contains(got, "KSPt3rc3s") || strings.Contains(got, "s3cr3tPSK") {
		t.Fatalf("Redact left a secret: %q", got)
	}
}

func TestUndecodableSecretIsComparedAsPrinted(t *testing.T) {
	f := &fakeDevice{config: referenceWithPSK(t, "garbledValue")}
	var logged []string
	d, _ := newBound(t, f, nil, false, func(_ context.Context, level, msg string, _ map[string]any) {
		logged = append(logged, level+": "+msg)
	})
	o, err := d.Get(context.Background(), vpn.KindIKEGateway, "IKE0")
	if err != nil || o == nil {
		t.Fatalf("Get = %v, %v", o, err)
	}
	if got := o.(*vpn.IKEGateway).PreSharedKey; got != "garbledValue" {
		t.Fatalf("pre-shared key = %q, want it as printed", got)
	}
	all := strings.Join(logged, "\n")
	if !strings.Contains(all, "warn: the pre_shared_key of ike_gateway \"IKE0\" does not decode") || strings.Contains(all, "garbledValue") {
		t.Fatalf("log:\n%s", all)
	}
}

func TestPlaintextSecretIsNotDecoded(t *testing.T) {
	f := &fakeDevice{config: referenceWithPSK(t, "rev:KSPt3rc3s")}
	d := f.newDevice(t) // EdgeOS: plaintext
	// EdgeOS takes no options and does not depend on facts: nothing is dialled to bind it.
	if d.Dialect(context.Background()) != edgeos(t) || f.dialCount() != 0 {
		t.Fatalf("binding EdgeOS dialled %d times", f.dialCount())
	}
	o, err := d.Get(context.Background(), vpn.KindIKEGateway, "IKE0")
	if err != nil || o.(*vpn.IKEGateway).PreSharedKey != "rev:KSPt3rc3s" {
		t.Fatalf("Get = %v, %v", o, err)
	}
}

func TestDialectIsBoundToOptionsThenFacts(t *testing.T) {
	f := &fakeDevice{config: referenceWithPSK(t, "rev:x"), reply: func(_ int, cmd string) (string, error) {
		if cmd == factsCommand {
			return "Version:      v9.9\nHW model:     small\n", nil
		}
		return "", nil
	}}
	d, binds := newBound(t, f, nil, false, nil)
	gw := gateway("g", "k")
	// Before the device is reached: options only (the default flavor), no facts.
	if errs := d.Platform().Validate(gw); len(errs) != 0 {
		t.Fatalf("Validate before facts = %v", errs)
	}
	// Dialect reaches the device to bind its facts, without reading the configuration.
	if errs := d.Dialect(context.Background()).Validate(gw); len(errs) != 1 || errs[0].Message != "model small takes no gateway" {
		t.Fatalf("Validate after facts = %v, want the model's refusal", errs)
	}
	if cmds := commandsOf(f.log(), 1); fmt.Sprint(cmds) != "["+factsCommand+"]" {
		t.Fatalf("Dialect sent %q", cmds)
	}
	if _, err := d.Snapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
	if errs := d.Platform().Validate(gw); len(errs) != 1 || errs[0].Message != "model small takes no gateway" {
		t.Fatalf("Validate after facts = %v, want the model's refusal", errs)
	}
	if want := []string{"/small", "small/small"}; fmt.Sprint(*binds) != fmt.Sprint(want) {
		t.Fatalf("bindings = %v, want %v", *binds, want)
	}
	facts, err := d.Facts(context.Background())
	if err != nil || facts.Model != "small" || facts.Version != "v9.9" || facts.Platform != "test-bound" {
		t.Fatalf("Facts = %+v, %v", facts, err)
	}
	// A new session binds again without reading the facts again.
	d.Close()
	d.Invalidate()
	if _, err := d.Snapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(strings.Join(f.log(), "\n"), ": "+factsCommand); n != 1 {
		t.Fatalf("the facts were read %d times, want once per Device:\n%s", n, strings.Join(f.log(), "\n"))
	}

	// The option changes what the bound dialect accepts.
	f2 := &fakeDevice{config: f.config, reply: f.reply}
	d2, _ := newBound(t, f2, map[string]string{"flavor": "big"}, false, nil)
	if _, err := d2.Snapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
	if errs := d2.Platform().Validate(gw); len(errs) != 0 {
		t.Fatalf("Validate with flavor big = %v", errs)
	}
}

func TestBindingRefusedByTheFactsFailsTheSession(t *testing.T) {
	f := &fakeDevice{config: baseConfig, reply: func(_ int, cmd string) (string, error) {
		if cmd == factsCommand {
			return "HW model: unsupported\n", nil
		}
		return "", nil
	}}
	d, _ := newBound(t, f, nil, false, nil)
	_, err := d.Snapshot(context.Background())
	if err == nil || !strings.Contains(err.Error(), `model "unsupported"`) || !strings.Contains(err.Error(), "this model has no VPN") || !strings.Contains(err.Error(), deviceName) {
		t.Fatalf("Snapshot = %v", err)
	}
	for _, l := range f.log() {
		if strings.HasSuffix(l, readConfig) {
			t.Fatalf("the configuration was read on a session the dialect refused: %v", f.log())
		}
	}
}

func TestLoginDialogRunsOnEverySession(t *testing.T) {
	const pw = "adm1nPassw0rd"
	f := &fakeDevice{config: baseConfig, ask: asksPassword}
	d, _ := newBound(t, f, map[string]string{"admin_password": pw}, true, nil)
	if _, err := d.Snapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
	d.Close()
	d.Invalidate()
	if _, err := d.Snapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
	for s := 1; s <= 2; s++ {
		cmds := commandsOf(f.log(), s)
		if len(cmds) < 2 || cmds[0] != "administrator" || cmds[1] != "<hidden>" {
			t.Fatalf("session %d began with %q, want the login dialog first", s, cmds)
		}
	}
	if got := d.Redact("the password is " + pw); strings.Contains(got, pw) {
		t.Fatalf("the option's password is not masked: %q", got)
	}
}

func TestLoginDialogFailureNeverQuotesTheAnswer(t *testing.T) {
	const pw = "adm1nPassw0rd"
	f := &fakeDevice{config: baseConfig, ask: asksPassword, reply: func(_ int, cmd string) (string, error) {
		if cmd == "hidden:"+pw {
			return "", errors.New("timed out after sending " + pw)
		}
		return "", nil
	}}
	d, _ := newBound(t, f, map[string]string{"admin_password": pw}, true, nil)
	_, err := d.Snapshot(context.Background())
	if err == nil || !strings.Contains(err.Error(), "login dialog, step 1") || strings.Contains(err.Error(), pw) {
		t.Fatalf("Snapshot = %v", err)
	}
	// A session that cannot answer prompts cannot run a dialog.
	d2, _ := newBound(t, &fakeDevice{config: baseConfig, ask: asksPassword}, map[string]string{"admin_password": pw}, false, nil)
	if _, err := d2.Snapshot(context.Background()); err == nil || !strings.Contains(err.Error(), "cannot answer the device's questions") {
		t.Fatalf("Snapshot without SendExpect = %v", err)
	}
}
