package device_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
)

// infoRecords returns the info-level records of logs, one per line.
func infoRecords(l *logSink) []string {
	var out []string
	for _, r := range strings.Split(l.text(), "\n") {
		if strings.HasPrefix(r, "info ") {
			out = append(out, r)
		}
	}
	return out
}

// What TF_LOG=info shows of a write to a slow EdgeRouter: the session being opened, the
// changes being applied, the commit and the save with how long they took, and every command
// the device was slow to answer (with secrets masked).
func TestProgressIsLoggedAtInfo(t *testing.T) {
	logs := &logSink{}
	sim := startSim(t, baseConfig)
	d := deviceFor(t, sim, withLogger(logs), func(o *device.Options) { o.SlowCommand = 250 * time.Millisecond })
	sim.SetCommitDelay(400 * time.Millisecond)
	psk := `s3cr#et?$x%ok`
	// EdgeOS holds a gateway until a tunnel uses it: the tunnel's apply writes both.
	mustApply(t, d, create(gateway("AZURE", psk)), create(tunnel("AZURE", "AZURE")))

	info := infoRecords(logs)
	text := strings.Join(info, "\n")
	if strings.Contains(logs.text(), psk) || strings.Contains(logs.text(), "s3cr") {
		t.Fatalf("a log record holds the pre-shared key:\n%s", logs.text())
	}
	want := []*regexp.Regexp{
		regexp.MustCompile(`^info opening an SSH session map\[address:127\.0\.0\.1:\d+ device:` + deviceName + `\]$`),
		regexp.MustCompile(`^info applying changes map\[changes:create vpn_tunnel "AZURE" device:` + deviceName + ` lines:\d+\]$`),
		regexp.MustCompile(`^info committing map\[device:` + deviceName + ` lines:\d+\]$`),
		regexp.MustCompile(`^info the device was slow to answer map\[command:commit device:` + deviceName + ` took:\d`),
		regexp.MustCompile(`^info committed map\[device:` + deviceName + ` took:(4\d\d|[5-9]\d\d)ms\]$`),
		regexp.MustCompile(`^info saving the configuration map\[device:` + deviceName + `\]$`),
		regexp.MustCompile(`^info saved map\[device:` + deviceName + ` took:`),
	}
	i := 0
	for _, r := range info {
		if i < len(want) && want[i].MatchString(r) {
			i++
		}
	}
	if i < len(want) {
		t.Fatalf("info records lack, in order, %s:\n%s", want[i], text)
	}

	// A device slow on every command: each is logged, secrets masked.
	logs2 := &logSink{}
	sim.SetCommitDelay(0)
	sim.SetLatency(120 * time.Millisecond)
	d2 := deviceFor(t, sim, withLogger(logs2), func(o *device.Options) { o.SlowCommand = 100 * time.Millisecond })
	mustApply(t, d2, update(gateway("AZURE", psk+"2")))
	if n := strings.Count(logs2.text(), "committed"); n != 1 {
		t.Errorf("want one commit, got %d", n)
	}
	slow := 0
	for _, r := range infoRecords(logs2) {
		if strings.Contains(r, "slow to answer") {
			slow++
		}
	}
	if slow < 3 {
		t.Errorf("want every slow command logged, got %d:\n%s", slow, logs2.text())
	}
	if strings.Contains(logs2.text(), "s3cr") {
		t.Fatalf("a log record holds the pre-shared key:\n%s", logs2.text())
	}
	if !strings.Contains(logs2.text(), "pre-shared-secret ****") {
		t.Errorf("the slow command setting the key is not logged masked:\n%s", logs2.text())
	}
}

// Waiting for a configuration lock shows at info level while it lasts and when it ends.
func TestLockWaitProgressIsLoggedAtInfo(t *testing.T) {
	tries := 0
	f := &fakeDevice{config: baseConfig, reply: func(_ int, cmd string) (string, error) {
		if cmd == "configure exclusive" {
			if tries++; tries <= 1 {
				return "LOCKED user Z (pid 4242) on since 2026-11-30 11:00:00 UTC, idle 00:01:00", nil
			}
		}
		return "", nil
	}}
	d, logs := newTxDevice(t, f, candidate(t, func(tx *platform.TxSpec) { tx.LockWait = 10 * time.Second }))
	if err := d.Apply(context.Background(), create(prefixList("PL-1"))); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(infoRecords(logs), "\n")
	for _, re := range []string{
		`info the configuration is locked by another user; waiting map\[device:\S+ holder:user Z`,
		`info the configuration lock was released; going on map\[device:\S+ waited:\d`,
		`info committing map`,
	} {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("no info record %s:\n%s", re, text)
		}
	}
}
