package provider

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Test-only dialects, registered under names no real platform has. They speak EdgeOS's text
// (so that the reference sample parses) and differ in what the generic code must handle:
// how secrets read back, options, and SSH algorithms.
const (
	testOneWay     = "test-oneway"
	testReversible = "test-reversible"
	testOptions    = "test-options"
)

type testDialect struct {
	platform.Platform // EdgeOS text
	name              string
	form              platform.SecretForm
}

func (d *testDialect) Name() string { return d.name }

func (d *testDialect) SecretForm(kind vpn.Kind, field string) platform.SecretForm {
	if kind == vpn.KindIKEGateway && field == "pre_shared_key" {
		return d.form
	}
	return platform.SecretPlaintext
}

// DecodeSecret reverses "rev:" + the key reversed.
func (d *testDialect) DecodeSecret(_ vpn.Kind, _ string, printed string) (string, error) {
	s, ok := strings.CutPrefix(printed, "rev:")
	if !ok {
		return "", errors.New("not in the rev: form")
	}
	b := []byte(s)
	slices.Reverse(b)
	return string(b), nil
}

// optionsDialect declares options and needs legacy SSH algorithms.
type optionsDialect struct {
	testDialect
	options map[string]string
}

func (d *optionsDialect) Options() []platform.Option {
	return []platform.Option{
		{Name: "flavor", Description: "Which kind of box", Allowed: []string{"branch", "datacenter"}, Default: "branch"},
		{Name: "commit_minutes", Description: "Minutes to confirm", Check: func(v string) error {
			if v != "1" && v != "10" {
				return errors.New("must be 1 or 10")
			}
			return nil
		}},
	}
}

func (d *optionsDialect) Bind(_ vpn.Facts, options map[string]string) (platform.Platform, error) {
	nd := *d
	nd.options = options
	return &nd, nil
}

func (d *optionsDialect) Session() platform.SessionSpec {
	s := d.Platform.Session()
	s.KeyExchanges = []string{"diffie-hellman-group1-sha1"}
	s.HostKeyAlgorithms = []string{"ssh-dss"}
	if d.options["flavor"] == "datacenter" {
		s.Ciphers = []string{"aes128-cbc"}
	}
	return s
}

func init() {
	edge, ok := platform.Get("edgeos")
	if !ok {
		panic("edgeos is not registered")
	}
	platform.Register(&testDialect{Platform: edge, name: testOneWay, form: platform.SecretOneWay})
	platform.Register(&testDialect{Platform: edge, name: testReversible, form: platform.SecretReversible})
	platform.Register(&optionsDialect{testDialect: testDialect{Platform: edge, name: testOptions}})
}

// scriptedConn is a session to a device whose configuration the test changes.
type scriptedConn struct {
	mu     sync.Mutex
	config string
}

func (c *scriptedConn) set(config string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.config = config
}

func (c *scriptedConn) Send(_ context.Context, cmd string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cmd == "show configuration commands" {
		return c.config, nil
	}
	return "", nil
}

func (c *scriptedConn) SendMarked(ctx context.Context, cmd, marker string) (string, error) {
	return c.Send(ctx, strings.TrimSuffix(cmd, "; echo "+marker))
}

func (c *scriptedConn) SendTimeout(ctx context.Context, cmd string, _ time.Duration) (string, error) {
	return c.Send(ctx, cmd)
}
func (c *scriptedConn) Alive() bool  { return true }
func (c *scriptedConn) Close() error { return nil }

// withPSK is the EdgeOS reference sample with its gateway IKE0's key printed as printed.
func withPSK(t *testing.T, printed string) string {
	t.Helper()
	b, err := os.ReadFile("../platform/edgeos/testdata/reference-sample.commands.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "pre-shared-secret s3cr3tPSK") {
		t.Fatal("the reference sample changed")
	}
	return strings.ReplaceAll(string(b), "pre-shared-secret s3cr3tPSK", "pre-shared-secret "+printed)
}

func testDevice(t *testing.T, name string, conn *scriptedConn) *device.Device {
	t.Helper()
	p, ok := platform.Get(name)
	if !ok {
		t.Fatalf("%s is not registered", name)
	}
	return device.New(device.Options{Name: "site", Address: "192.0.2.1:22", Platform: p,
		Dial: func(context.Context) (device.Conn, error) { return conn, nil }})
}

// fakePrivate is private state.
type fakePrivate map[string][]byte

func (p fakePrivate) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return p[key], nil
}

func (p fakePrivate) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	p[key] = value
	return nil
}

// deviceGateway reads IKE0 as the device has it now.
func deviceGateway(t *testing.T, dev *device.Device) vpn.Object {
	t.Helper()
	dev.Invalidate()
	o, err := dev.Get(context.Background(), vpn.KindIKEGateway, "IKE0")
	if err != nil || o == nil {
		t.Fatalf("Get = %v, %v", o, err)
	}
	return o
}

// readGateway runs the secret part of Read on a copy of state.
func readGateway(t *testing.T, dev *device.Device, state ikeGatewayModel, priv fakePrivate) ikeGatewayModel {
	t.Helper()
	m := state
	if d := secretOnRead(context.Background(), secretFormOf(dev.Platform(), vpn.KindIKEGateway, &m), &m, deviceGateway(t, dev), priv); d.HasError() {
		t.Fatal(d)
	}
	return m
}

// writeGateway runs the secret part of a create with the planned model.
func writeGateway(t *testing.T, dev *device.Device, planned ikeGatewayModel, priv fakePrivate) ikeGatewayModel {
	t.Helper()
	m := planned
	if d := secretAfterWrite(context.Background(), secretFormOf(dev.Platform(), vpn.KindIKEGateway, &m), &m, deviceGateway(t, dev), priv); d.HasError() {
		t.Fatal(d)
	}
	return m
}

func TestOneWaySecretSensitive(t *testing.T) {
	conn := &scriptedConn{config: withPSK(t, "Zq3lX2wBNaVtB5sG0rCJ")}
	dev := testDevice(t, testOneWay, conn)
	priv := fakePrivate{}
	planned := ikeGatewayModel{PreSharedKey: types.StringValue("s3cr3tPSK"), PSKWOVersion: types.Int64Null()}

	state := writeGateway(t, dev, planned, priv)
	if state.PreSharedKey.ValueString() != "s3cr3tPSK" {
		t.Fatalf("after the write, state holds %q; want the planned key", state.PreSharedKey)
	}
	if priv[secretPrivateKey] == nil || strings.Contains(string(priv[secretPrivateKey]), "Zq3lX2wBNaVtB5sG0rCJ") {
		t.Fatalf("private state = %q; want a salted hash of the device's form", priv[secretPrivateKey])
	}
	// Plan after plan: the device prints the same form, state keeps the key (no diff).
	for i := 0; i < 3; i++ {
		if got := readGateway(t, dev, state, priv); got.PreSharedKey.ValueString() != "s3cr3tPSK" {
			t.Fatalf("read %d: state holds %q; want the key unchanged", i, got.PreSharedKey)
		}
	}
	// Someone sets another key on the device: its form changes, and state shows it.
	conn.set(withPSK(t, "OtherFormOtherKey"))
	if got := readGateway(t, dev, state, priv); got.PreSharedKey.ValueString() != "OtherFormOtherKey" {
		t.Fatalf("after a change on the device, state holds %q; want the device's form (a diff)", got.PreSharedKey)
	}
	// Or removes it.
	conn.set(strings.ReplaceAll(withPSK(t, "x"), "authentication pre-shared-secret x\n", ""))
	if got := readGateway(t, dev, state, priv); !got.PreSharedKey.IsNull() {
		t.Fatalf("after the key was removed, state holds %q; want null", got.PreSharedKey)
	}
	// Just imported: nothing was captured, state holds the device's form.
	conn.set(withPSK(t, "Zq3lX2wBNaVtB5sG0rCJ"))
	imported := ikeGatewayModel{PreSharedKey: types.StringNull(), PSKWOVersion: types.Int64Null()}
	if got := readGateway(t, dev, imported, fakePrivate{}); got.PreSharedKey.ValueString() != "Zq3lX2wBNaVtB5sG0rCJ" {
		t.Fatalf("after an import, state holds %q", got.PreSharedKey)
	}
}

func TestOneWaySecretWriteOnly(t *testing.T) {
	conn := &scriptedConn{config: withPSK(t, "Zq3lX2wBNaVtB5sG0rCJ")}
	dev := testDevice(t, testOneWay, conn)
	priv := fakePrivate{}
	planned := ikeGatewayModel{PreSharedKey: types.StringNull(), PSKWOVersion: types.Int64Value(3)}
	state := writeGateway(t, dev, planned, priv)
	for i := 0; i < 3; i++ {
		if got := readGateway(t, dev, state, priv); got.PSKWOVersion.ValueInt64() != 3 || !got.PreSharedKey.IsNull() {
			t.Fatalf("read %d: version %v, key %v; want 3 and null", i, got.PSKWOVersion, got.PreSharedKey)
		}
	}
	conn.set(withPSK(t, "OtherFormOtherKey"))
	if got := readGateway(t, dev, state, priv); got.PSKWOVersion.ValueInt64() != -1 {
		t.Fatalf("after a change on the device, version = %v; want -1", got.PSKWOVersion)
	}
}

func TestReversibleSecretComparesThePlaintext(t *testing.T) {
	conn := &scriptedConn{config: withPSK(t, "rev:KSPt3rc3s")}
	dev := testDevice(t, testReversible, conn)
	priv := fakePrivate{}
	state := writeGateway(t, dev, ikeGatewayModel{PreSharedKey: types.StringValue("s3cr3tPSK"), PSKWOVersion: types.Int64Null()}, priv)
	if state.PreSharedKey.ValueString() != "s3cr3tPSK" {
		t.Fatalf("after the write, state holds %q", state.PreSharedKey)
	}
	if got := readGateway(t, dev, state, priv); got.PreSharedKey.ValueString() != "s3cr3tPSK" {
		t.Fatalf("read: %q; want the decoded key", got.PreSharedKey)
	}
	conn.set(withPSK(t, "rev:wen")) // the device now has "new"
	if got := readGateway(t, dev, state, priv); got.PreSharedKey.ValueString() != "new" {
		t.Fatalf("after a change on the device: %q; want the decoded new key", got.PreSharedKey)
	}
	// Write-only: compared with the decoded key.
	priv = fakePrivate{}
	conn.set(withPSK(t, "rev:KSPt3rc3s"))
	wo := writeGateway(t, dev, ikeGatewayModel{PreSharedKey: types.StringNull(), PSKWOVersion: types.Int64Value(1)}, priv)
	if !secretMatches(priv[secretPrivateKey], "s3cr3tPSK") {
		t.Fatal("the write-only check was not made from the decoded key")
	}
	if got := readGateway(t, dev, wo, priv); got.PSKWOVersion.ValueInt64() != 1 {
		t.Fatalf("version = %v", got.PSKWOVersion)
	}
}

func TestPlaintextSecretUnchanged(t *testing.T) {
	conn := &scriptedConn{config: withPSK(t, "s3cr3tPSK")}
	dev := testDevice(t, "edgeos", conn)
	priv := fakePrivate{}
	state := writeGateway(t, dev, ikeGatewayModel{PreSharedKey: types.StringValue("s3cr3tPSK"), PSKWOVersion: types.Int64Null()}, priv)
	if state.PreSharedKey.ValueString() != "s3cr3tPSK" || priv[secretPrivateKey] != nil {
		t.Fatalf("after the write: %q, private %q", state.PreSharedKey, priv[secretPrivateKey])
	}
	conn.set(withPSK(t, "changedOnDevice"))
	if got := readGateway(t, dev, state, priv); got.PreSharedKey.ValueString() != "changedOnDevice" {
		t.Fatalf("read: %q", got.PreSharedKey)
	}
}

func TestDeviceOptions(t *testing.T) {
	p, _ := platform.Get(testOptions)
	opts := func(kv ...string) types.Map {
		m := map[string]attr.Value{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = types.StringValue(kv[i+1])
		}
		return types.MapValueMust(types.StringType, m)
	}
	got, err := deviceOptions("site", p, types.MapNull(types.StringType))
	if err != nil || got["flavor"] != "branch" {
		t.Fatalf("no options: %v, %v; want the default flavor", got, err)
	}
	if _, err := deviceOptions("site", p, opts("flavor", "campus")); err == nil ||
		!strings.Contains(err.Error(), `device "site"`) || !strings.Contains(err.Error(), `option "flavor": "campus" is not allowed; use one of "branch", "datacenter"`) {
		t.Fatalf("a bad value: %v", err)
	}
	if _, err := deviceOptions("site", p, opts("colour", "red")); err == nil || !strings.Contains(err.Error(), `option "colour" is unknown: platform test-options takes "commit_minutes", "flavor"`) {
		t.Fatalf("an unknown option: %v", err)
	}
	if _, err := deviceOptions("site", p, types.MapUnknown(types.StringType)); err == nil || !strings.Contains(err.Error(), "must be known") {
		t.Fatalf("unknown options: %v", err)
	}
	edge, _ := platform.Get("edgeos")
	if _, err := deviceOptions("edge1", edge, opts("flavor", "x")); err == nil || !strings.Contains(err.Error(), `device "edge1": option "flavor" is unknown: platform edgeos takes "commit_confirmed_minutes"`) {
		t.Fatalf("an option for edgeos: %v", err)
	}

	// buildDevice refuses them, naming the device; the dialect is bound to the options.
	m := deviceModel{Platform: types.StringValue(testOptions), Host: types.StringValue("192.0.2.1"), Username: types.StringValue("u"), Password: types.StringValue("p"),
		Options: opts("commit_minutes", "3")}
	if _, err := buildDevice(context.Background(), "site", m); err == nil || !strings.Contains(err.Error(), `device "site": option "commit_minutes": must be 1 or 10`) {
		t.Fatalf("buildDevice = %v", err)
	}
	m.Options = opts("flavor", "datacenter")
	d, err := buildDevice(context.Background(), "site", m)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Platform().(*optionsDialect).options; got["flavor"] != "datacenter" {
		t.Fatalf("the device's dialect is bound to %v", got)
	}
	m.Options = opts("flavor", "branch")
	if d2, err := buildDevice(context.Background(), "site", m); err != nil || d2 == d {
		t.Fatalf("other options must give another device: %v", err)
	}
}

func TestPlatformSSHAlgorithms(t *testing.T) {
	p, _ := platform.Get(testOptions)
	bound, _ := platform.Bind(p, vpn.Facts{}, map[string]string{"flavor": "datacenter"})
	m := deviceModel{Host: types.StringValue("192.0.2.1"), Username: types.StringValue("u")}
	sc, err := sshConfig(m, bound)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sc.KeyExchanges[:len(kexDefaults[0])], kexDefaults[0]) || sc.KeyExchanges[len(sc.KeyExchanges)-1] != "diffie-hellman-group1-sha1" {
		t.Fatalf("key exchanges = %v; want the defaults, then what the platform needs", sc.KeyExchanges)
	}
	if !slices.Contains(sc.HostKeyAlgorithms, "ssh-dss") || !slices.Contains(sc.Ciphers, "aes128-cbc") || sc.MACs != nil {
		t.Fatalf("host keys %v, ciphers %v, MACs %v", sc.HostKeyAlgorithms, sc.Ciphers, sc.MACs)
	}
	// legacy_algorithms adds the legacy ones before the platform's.
	m.LegacyAlgorithms = types.BoolValue(true)
	sc, _ = sshConfig(m, bound)
	for _, a := range kexDefaults[1] {
		if !slices.Contains(sc.KeyExchanges, a) {
			t.Fatalf("legacy %s missing from %v", a, sc.KeyExchanges)
		}
	}
	// The user's lists win.
	m.KexAlgorithms = []string{"curve25519-sha256"}
	sc, _ = sshConfig(m, bound)
	if !slices.Equal(sc.KeyExchanges, []string{"curve25519-sha256"}) {
		t.Fatalf("key exchanges = %v; want the user's list", sc.KeyExchanges)
	}
	// EdgeOS declares nothing: the transport's defaults, as before.
	edge, _ := platform.Get("edgeos")
	sc, _ = sshConfig(deviceModel{Host: types.StringValue("h"), Username: types.StringValue("u")}, edge)
	if sc.KeyExchanges != nil || sc.Ciphers != nil || sc.MACs != nil || sc.HostKeyAlgorithms != nil {
		t.Fatalf("edgeos: %v %v %v %v", sc.KeyExchanges, sc.Ciphers, sc.MACs, sc.HostKeyAlgorithms)
	}
}

func TestOptionsInSchema(t *testing.T) {
	top := deviceAttributes(true)["options"]
	nested := deviceAttributes(false)["options"]
	if top == nil || nested == nil {
		t.Fatal("options is missing from a device block")
	}
	desc := top.GetDescription()
	for _, want := range []string{"`edgeos` takes `commit_confirmed_minutes`: minutes of `commit-confirm N`", "`test-options` takes `commit_minutes`: Minutes to confirm; `flavor`: Which kind of box (one of `branch`, `datacenter`), default `branch`"} {
		if !strings.Contains(desc, want) {
			t.Errorf("the description lacks %q:\n%s", want, desc)
		}
	}
	// Only options that declare an environment variable name one (RTX's administrator
	// password), each right after the option.
	if n, m := strings.Count(desc, "ONPREMVPN_"), strings.Count(desc, "from the environment variable `ONPREMVPN_"); n != m {
		t.Errorf("%d environment variables named, %d of them as an option's:\n%s", n, m, desc)
	}
}

// A gateway already on a one-way device is the planned one when everything but the key is
// equal: the device's form of the key is not the key.
func TestSameObjectIgnoresOneWaySecrets(t *testing.T) {
	oneWay, _ := platform.Get(testOneWay)
	edge, _ := platform.Get("edgeos")
	have := deviceGateway(t, testDevice(t, testOneWay, &scriptedConn{config: withPSK(t, "Zq3lX2wBNaVtB5sG0rCJ")}))
	want := vpn.CloneObject(have)
	want.(*vpn.IKEGateway).PreSharedKey = "s3cr3tPSK"
	m := &ikeGatewayModel{}
	if !sameObject(oneWay, withoutOneWaySecret(oneWay, vpn.KindIKEGateway, m, have), withoutOneWaySecret(oneWay, vpn.KindIKEGateway, m, want)) {
		t.Fatal("one-way: the same gateway with the key in the device's form differs")
	}
	if have.(*vpn.IKEGateway).PreSharedKey != "Zq3lX2wBNaVtB5sG0rCJ" {
		t.Fatal("the device's object was changed")
	}
	if sameObject(edge, withoutOneWaySecret(edge, vpn.KindIKEGateway, m, have), withoutOneWaySecret(edge, vpn.KindIKEGateway, m, want)) {
		t.Fatal("plaintext: another key must differ")
	}
	want.(*vpn.IKEGateway).Description = "other"
	if sameObject(oneWay, withoutOneWaySecret(oneWay, vpn.KindIKEGateway, m, have), withoutOneWaySecret(oneWay, vpn.KindIKEGateway, m, want)) {
		t.Fatal("one-way: another description must differ")
	}
}
