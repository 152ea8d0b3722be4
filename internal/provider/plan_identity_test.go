package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/sshcli"
)

// failingConn is a session whose every command fails.
type failingConn struct{}

func (failingConn) Send(context.Context, string) (string, error) {
	return "", errors.New("command timeout (1s)")
}
func (failingConn) SendMarked(context.Context, string, string) (string, error) {
	return "", errors.New("command timeout (1s)")
}
func (failingConn) SendTimeout(context.Context, string, time.Duration) (string, error) {
	return "", errors.New("command timeout (1s)")
}
func (failingConn) Alive() bool  { return true }
func (failingConn) Close() error { return nil }

// snapshotError is what the device layer returns from Snapshot when dialling fails with
// dialErr (or, with dialErr nil, when a command fails on an open session).
func snapshotError(t *testing.T, dialErr error) error {
	t.Helper()
	plat, ok := platform.Get("edgeos")
	if !ok {
		t.Fatal("edgeos is not registered")
	}
	d := device.New(device.Options{
		Name:     "branch",
		Address:  "192.0.2.1:22",
		Platform: plat,
		Dial: func(context.Context) (device.Conn, error) {
			if dialErr != nil {
				return nil, dialErr
			}
			return failingConn{}, nil
		},
	})
	_, err := d.Snapshot(context.Background())
	if err == nil {
		t.Fatal("Snapshot succeeded")
	}
	return err
}

// Which failures to read the device fail a plan, and which only warn with plan_offline.
func TestPlanReadDiagnostic(t *testing.T) {
	key := &sshcli.HostKeyError{Host: "192.0.2.1:22", Fingerprint: "SHA256:abc", KeyType: "ssh-ed25519", Reason: sshcli.ReasonMismatch}
	unknown := &sshcli.HostKeyError{Host: "192.0.2.1:22", Fingerprint: "SHA256:abc", KeyType: "ssh-ed25519", Reason: sshcli.ReasonUnknownHost}
	auth := &sshcli.AuthError{User: "admin", Host: "192.0.2.1:22", Methods: []string{"password"}, Err: errors.New("ssh: unable to authenticate")}
	refused := fmt.Errorf("sshcli: 192.0.2.1:22: connecting: dial 192.0.2.1:22: %w", syscall.ECONNREFUSED)
	for _, tc := range []struct {
		name    string
		err     error
		offline bool
		sev     diag.Severity
		summary string
		detail  []string
	}{
		{"host key mismatch", snapshotError(t, fmt.Errorf("sshcli: connecting: %w", key)), false, diag.SeverityError, "Device identity not verified",
			[]string{`Device "branch"`, "intercepted", "out of band", "SHA256:abc"}},
		{"host key mismatch, offline", snapshotError(t, key), true, diag.SeverityError, "Device identity not verified", nil},
		{"unknown host key, offline", snapshotError(t, unknown), true, diag.SeverityError, "Device identity not verified",
			[]string{"not trusted", "host_key"}},
		{"login refused, offline", snapshotError(t, auth), true, diag.SeverityError, "Login refused by the device",
			[]string{`Device "branch"`, "admin@192.0.2.1:22", "password or private_key"}},
		{"nothing listening", snapshotError(t, refused), false, diag.SeverityError, "Cannot connect to the device at plan time",
			[]string{"connection refused", "plan_offline = true"}},
		{"nothing listening, offline", snapshotError(t, refused), true, diag.SeverityWarning, "Device not read at plan time",
			[]string{"connection refused", `plan_offline is set for device "branch"`}},
		{"read fails", snapshotError(t, nil), false, diag.SeverityError, "Device configuration not read at plan time",
			[]string{"command timeout", "plan_offline"}},
		{"read fails, offline", snapshotError(t, nil), true, diag.SeverityWarning, "Device not read at plan time", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := planReadDiagnostic("branch", tc.err, tc.offline)
			if d.Severity() != tc.sev || d.Summary() != tc.summary {
				t.Fatalf("got %v %q, want %v %q (%s)", d.Severity(), d.Summary(), tc.sev, tc.summary, d.Detail())
			}
			for _, w := range tc.detail {
				if !strings.Contains(d.Detail(), w) {
					t.Errorf("detail %q does not contain %q", d.Detail(), w)
				}
			}
			// The environment variable is only offered for the top-level device.
			if strings.Contains(d.Detail(), "ONPREMVPN_PLAN_OFFLINE") {
				t.Errorf("detail %q offers the environment variable for a device of the map", d.Detail())
			}
		})
	}
	if d := planReadDiagnostic(DefaultDevice, snapshotError(t, refused), false); !strings.Contains(d.Detail(), "ONPREMVPN_PLAN_OFFLINE=true") {
		t.Errorf("top-level device: detail %q does not offer ONPREMVPN_PLAN_OFFLINE", d.Detail())
	}
}

func TestPlanOfflineFromEnvironment(t *testing.T) {
	t.Setenv("ONPREMVPN_PLAN_OFFLINE", "true")
	if m := withEnv(deviceModel{PlanOffline: types.BoolNull()}); !m.PlanOffline.ValueBool() {
		t.Error("ONPREMVPN_PLAN_OFFLINE=true not applied")
	}
	if m := withEnv(deviceModel{PlanOffline: types.BoolValue(false)}); m.PlanOffline.ValueBool() {
		t.Error("the environment overrode plan_offline = false")
	}
}

func TestInsecureHostKeys(t *testing.T) {
	m := deviceModel{
		Host:                     types.StringValue("2001:db8::1"),
		Port:                     types.Int64Value(2222),
		InsecureSkipHostKeyCheck: types.BoolValue(true),
		JumpHost:                 &jumpModel{Host: types.StringValue("bastion"), Port: types.Int64Null(), InsecureSkipHostKeyCheck: types.BoolValue(true)},
	}
	got := strings.Join(insecureHostKeys("default", m, true), "; ")
	want := `device "default" ([2001:db8::1]:2222) by ONPREMVPN_INSECURE_SKIP_HOST_KEY_CHECK; the jump host (bastion:22) of device "default"`
	if got != want {
		t.Errorf("insecureHostKeys = %q, want %q", got, want)
	}
	m.InsecureSkipHostKeyCheck = types.BoolValue(false)
	m.JumpHost = nil
	if got := insecureHostKeys("default", m, false); len(got) != 0 {
		t.Errorf("insecureHostKeys = %q for a verified device", got)
	}
}
