package device_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// ScreenOS and RTX lock nothing between sessions, so each batch marks the configuration with
// an advisory mark (platform.MarkSpec): a line of the device's own configuration that other
// runs of the provider read and wait for. These tests drive two Devices (two Terraform runs)
// against one simulator and judge by what the simulator saw typed and holds.

// markCase is one platform whose dialect marks its batches.
type markCase struct {
	name string
	// start starts the simulator and returns a way to open a run's Device on it.
	start func(t *testing.T) (*simulator.Server, func(tweaks ...func(*device.Options)) *device.Device)
	// mark matches a mark's line, as typed and as the configuration lists it; its first group
	// is the mark's key.
	mark *regexp.Regexp
	// foreign writes a mark with key number n and note, as another session would; unset
	// removes it.
	foreign func(n int, note string) string
	unset   func(n int) string
	// number of a prefix list of run r (0: the provider chooses).
	number func(r, i int) int
}

var markCases = []markCase{
	{
		name: "screenos",
		start: func(t *testing.T) (*simulator.Server, func(...func(*device.Options)) *device.Device) {
			sim, _ := screenosRuns(t)
			// A session turns paging off with a configuration line: start as sessions leave
			// the device.
			if err := sim.Apply("set console page 0"); err != nil {
				t.Fatal(err)
			}
			return sim, func(tw ...func(*device.Options)) *device.Device { return screenosDeviceFor(t, sim, tw...) }
		},
		mark: regexp.MustCompile(`(?m)^(?:un)?set address "Trust" "(onpremvpn-lock-[0-9a-f]{12})"`),
		foreign: func(n int, note string) string {
			return fmt.Sprintf(`set address "Trust" "onpremvpn-lock-%012x" 192.0.2.1 255.255.255.255 "%s"`, n, note)
		},
		unset:  func(n int) string { return fmt.Sprintf(`unset address "Trust" "onpremvpn-lock-%012x"`, n) },
		number: func(r, i int) int { return 1 + r*40 + i },
	},
	{
		name: "rtx",
		start: func(t *testing.T) (*simulator.Server, func(...func(*device.Options)) *device.Device) {
			sim, _ := rtxRuns(t)
			return sim, func(tw ...func(*device.Options)) *device.Device { return rtxDeviceFor(t, sim, tw...) }
		},
		mark: regexp.MustCompile(`(?m)^(?:no )?description (2[01][0-9]{6})\b(?: "onpremvpn-lock |$)`),
		foreign: func(n int, note string) string {
			return fmt.Sprintf(`description %d "onpremvpn-lock %s"`, 20000000+n, note)
		},
		unset:  func(n int) string { return fmt.Sprintf("no description %d", 20000000+n) },
		number: func(r, i int) int { return 1 + r*40 + i },
	},
}

func dialectOption(name, value string) func(*device.Options) {
	return func(o *device.Options) { o.DialectOptions[name] = value }
}

// indexOf is the index of the first command of log at or after from that contains s, -1 when
// none does.
func indexOf(log []string, from int, s string) int {
	for i := from; i < len(log); i++ {
		if strings.Contains(log[i], s) {
			return i
		}
	}
	return -1
}

// firstRun starts a's batch of n prefix lists and returns once ready (nil: a's mark is on the
// device); wait waits for the batch and returns its errors.
func firstRun(t *testing.T, sim *simulator.Server, c markCase, a *device.Device, n int, ready func() bool) (changes []vpn.Change, wait func() []error) {
	t.Helper()
	for i := range n {
		changes = append(changes, create(runList(0, i, 10, c.number(0, i))))
	}
	if ready == nil {
		ready = func() bool { return c.mark.MatchString(sim.RunningConfig()) }
	}
	var (
		errs []error
		wg   sync.WaitGroup
	)
	wg.Add(1)
	go func() { defer wg.Done(); errs = applyConcurrently(a, changes) }()
	for deadline := time.Now().Add(20 * time.Second); !ready(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			wg.Wait()
			t.Fatal("the first run's batch never got that far")
		}
	}
	return changes, func() []error { wg.Wait(); return errs }
}

// markRelease is the index of the first removal of the mark key in log, from from on, -1 when
// none.
func markRelease(c markCase, log []string, from int, key string) int {
	for i := max(from, 0); i < len(log); i++ {
		if m := c.mark.FindStringSubmatch(log[i]); m != nil && m[1] == key && (strings.HasPrefix(log[i], "unset ") || strings.HasPrefix(log[i], "no ")) {
			return i
		}
	}
	return -1
}

// A second run that starts while a first one's batch is on the device waits for the first to
// remove its mark, says whom it waits for, and only then types; the first keeps its mark
// fresh while its batch runs, so the second never takes it for abandoned; nothing of either
// is lost and no mark stays.
func TestAdvisoryMarkMakesTheSecondRunWait(t *testing.T) {
	defer device.SetMarkStale(time.Second)()
	const each = 30
	for _, c := range markCases {
		t.Run(c.name, func(t *testing.T) {
			sim, newDev := c.start(t)
			// The first run's batch takes about three times the stale time: only its renewals
			// keep its mark live.
			sim.SetLatency(40 * time.Millisecond)
			logsB := &logSink{}
			// Two processes, as two Terraform runs are: the second judges the first's mark
			// by its note alone.
			a, b := newDev(), device.AnotherProcess(newDev(withLogger(logsB), dialectOption("lock_wait_seconds", "60")))
			changesA, waitA := firstRun(t, sim, c, a, each, nil)
			listB := runList(1, 0, 10, c.number(1, 0))
			start := time.Now()
			errB := b.Apply(context.Background(), create(listB))
			waited := time.Since(start)
			for i, err := range waitA() {
				if err != nil {
					t.Errorf("first run, %s: %v", changesA[i], err)
				}
			}
			if errB != nil {
				t.Fatalf("second run: %v", errB)
			}
			log := sim.CommandLog()
			setA := slices.IndexFunc(log, c.mark.MatchString)
			keyA := c.mark.FindStringSubmatch(log[setA])[1]
			releaseA := markRelease(c, log, setA+1, keyA)
			if releaseA < 0 {
				t.Fatalf("the first run never removed its mark %s", keyA)
			}
			lastA := indexOf(log, 0, changesA[each-1].Key)
			firstB := indexOf(log, 0, listB.Name)
			if lastA < 0 || firstB < 0 {
				t.Fatalf("the lists were not typed: last of the first run at %d, the second run's at %d", lastA, firstB)
			}
			if !(lastA < releaseA && releaseA < firstB) {
				t.Errorf("typed out of turn: the first run's last list at %d, its mark removed at %d, the second run's list at %d:\n%s",
					lastA, releaseA, firstB, strings.Join(log[setA:], "\n"))
			}
			logText := logsB.text()
			if !strings.Contains(logText, "waiting") || !regexp.MustCompile(`onpremvpn run \S+@\S+:\d+ \(advisory mark `+keyA).MatchString(logText) {
				t.Errorf("the second run does not say whom it waits for:\n%s", logText)
			}
			if strings.Contains(logText, "abandoned") {
				t.Errorf("the second run took a live mark for abandoned (waited %s):\n%s", waited, logText)
			}
			for _, cfg := range []string{sim.RunningConfig(), sim.SavedConfig()} {
				if m := c.mark.FindString(cfg); m != "" {
					t.Errorf("a mark stayed on the device: %s", m)
				}
				for _, ch := range append(changesA, create(listB)) {
					if !strings.Contains(cfg, ch.Key) {
						t.Errorf("%s is missing on the device", ch.Key)
					}
				}
			}
		})
	}
}

// With lock_wait_seconds = 0, another run's mark fails the batch at once with a message that
// names the run (user, host and process the mark carries), the device, and how to remove the
// mark; nothing of the batch is typed and the device is as before.
func TestAdvisoryMarkNamesTheOtherRun(t *testing.T) {
	for _, c := range markCases {
		t.Run(c.name, func(t *testing.T) {
			sim, newDev := c.start(t)
			if err := sim.Apply(c.foreign(0xbeef, "a1b2c3 mihdq1k0 bob@far-host:4242")); err != nil {
				t.Fatal(err)
			}
			before, saved := sim.RunningConfig(), sim.SavedConfig()
			d := newDev(dialectOption("lock_wait_seconds", "0"))
			err := d.Apply(context.Background(), create(runList(1, 0, 10, c.number(1, 0))))
			var le *device.LockError
			if !errors.As(err, &le) {
				t.Fatalf("got %v, want a *device.LockError", err)
			}
			msg := err.Error()
			for _, want := range []string{deviceName, "locked by onpremvpn run bob@far-host:4242", "remove the mark with"} {
				if !strings.Contains(msg, want) {
					t.Errorf("the error does not say %q: %s", want, msg)
				}
			}
			if got := sim.RunningConfig(); got != before {
				t.Errorf("the device changed:\nbefore:\n%s\nnow:\n%s", before, got)
			}
			if sim.SavedConfig() != saved {
				t.Error("the saved configuration changed")
			}
			if strings.Contains(strings.Join(sim.CommandLog(), "\n"), "RUN1-00") {
				t.Error("the batch was typed")
			}
		})
	}
}

// A mark that stays unchanged (its session is gone: the process was killed, the device
// unreachable) is taken for abandoned after the platform's time, removed, and the run goes
// on; a mark this process left from an earlier session is its own and taken over at once.
func TestAdvisoryMarkAbandoned(t *testing.T) {
	defer device.SetMarkStale(500 * time.Millisecond)()
	for _, c := range markCases {
		t.Run(c.name, func(t *testing.T) {
			for _, k := range []struct {
				name, note string
				atOnce     bool
			}{
				{"another process", "a1b2c3 mihdq1k0 bob@far-host:4242", false},
				{"this process", device.ProcessMark() + " mihdq1k0 me@here:1", true},
			} {
				t.Run(k.name, func(t *testing.T) {
					sim, newDev := c.start(t)
					if err := sim.Apply(c.foreign(0xdead, k.note)); err != nil {
						t.Fatal(err)
					}
					logs := &logSink{}
					wait := "10"
					if k.atOnce {
						wait = "0"
					}
					d := newDev(withLogger(logs), dialectOption("lock_wait_seconds", wait))
					start := time.Now()
					if err := d.Apply(context.Background(), create(runList(1, 0, 10, c.number(1, 0)))); err != nil {
						t.Fatal(err)
					}
					if took := time.Since(start); !k.atOnce && took < 500*time.Millisecond {
						t.Errorf("took the mark over after %s, before it was unchanged for 500ms", took)
					}
					if !strings.Contains(logs.text(), "removing an abandoned advisory mark") {
						t.Errorf("no word of the abandoned mark:\n%s", logs.text())
					}
					cfg := sim.RunningConfig()
					if m := c.mark.FindString(cfg); m != "" {
						t.Errorf("a mark stayed on the device: %s", m)
					}
					if !strings.Contains(cfg, "RUN1-00") {
						t.Error("the run's list is not on the device")
					}
				})
			}
		})
	}
}

// advisory_lock = "off" writes no mark.
func TestAdvisoryMarkOff(t *testing.T) {
	for _, c := range markCases {
		t.Run(c.name, func(t *testing.T) {
			sim, newDev := c.start(t)
			d := newDev(dialectOption("advisory_lock", "off"))
			if err := d.Apply(context.Background(), create(runList(1, 0, 10, c.number(1, 0)))); err != nil {
				t.Fatal(err)
			}
			if slices.ContainsFunc(sim.CommandLog(), c.mark.MatchString) {
				t.Error("a mark was written")
			}
		})
	}
}

// A mark never takes the place of something the user keeps under its key: on RTX the key is a
// system description id, and a description of the user's with that id stays as it was (the
// run takes another id).
func TestAdvisoryMarkKeepsOffTheUsersDescription(t *testing.T) {
	c := markCases[1]
	sim, newDev := c.start(t)
	const users = `description 20000005 "kept by the user"`
	if err := sim.Apply(users); err != nil {
		t.Fatal(err)
	}
	d := newDev()
	device.SetMarkToken(d, 5) // key 20000005
	if err := d.Apply(context.Background(), create(runList(1, 0, 10, c.number(1, 0)))); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sim.RunningConfig(), users) || !strings.Contains(sim.SavedConfig(), users) {
		t.Errorf("the user's description was replaced:\n%s", sim.RunningConfig())
	}
	for _, l := range sim.CommandLog() {
		if strings.HasPrefix(l, "description 20000005 ") || l == "no description 20000005" {
			t.Errorf("typed %q", l)
		}
	}
	if !slices.ContainsFunc(sim.CommandLog(), c.mark.MatchString) {
		t.Error("no mark was written")
	}
}

// A mark is never saved: when its removal before the save is lost with the session, the save
// waits for the retry on a new session, which removes the mark first.
func TestAdvisoryMarkNeverSaved(t *testing.T) {
	for _, c := range markCases {
		t.Run(c.name, func(t *testing.T) {
			sim, newDev := c.start(t)
			d := newDev()
			device.SetMarkToken(d, 5)
			sim.DropAt(c.unset(5), false)
			if err := d.Apply(context.Background(), create(runList(1, 0, 10, c.number(1, 0)))); err != nil {
				t.Fatal(err)
			}
			for _, cfg := range []string{sim.RunningConfig(), sim.SavedConfig()} {
				if m := c.mark.FindString(cfg); m != "" {
					t.Errorf("the mark stayed: %s", m)
				}
				if !strings.Contains(cfg, "RUN1-00") {
					t.Error("the list is not on the device, or not saved")
				}
			}
		})
	}
}

// A run that waits arms no rollback timer of its own: it types nothing but its mark, a read
// and the mark's removal while another run's batch is on the device (a timer of the waiter's,
// cut off with its session, would revert the holder's lines).
func TestAdvisoryMarkWaiterArmsNoTimer(t *testing.T) {
	c := markCases[1]
	sim, newDev := c.start(t)
	sim.SetLatency(30 * time.Millisecond)
	logsB := &logSink{}
	a, b := newDev(), newDev(withLogger(logsB), dialectOption("lock_wait_seconds", "60"))
	_, waitA := firstRun(t, sim, c, a, 20, nil)
	if err := b.Apply(context.Background(), create(runList(1, 0, 10, c.number(1, 0)))); err != nil {
		t.Fatal(err)
	}
	waitA()
	if !strings.Contains(logsB.text(), "waiting") {
		t.Fatal("the second run never waited")
	}
	log := sim.CommandLog()
	setA := slices.IndexFunc(log, c.mark.MatchString)
	relA := markRelease(c, log, setA+1, c.mark.FindStringSubmatch(log[setA])[1])
	timers := 0
	for _, l := range log[setA:relA] {
		if strings.HasPrefix(l, "rollback timer ") {
			timers++
		}
	}
	if timers != 1 {
		t.Errorf("%d rollback timers armed during the first run's batch, want its own only:\n%s", timers, strings.Join(log[setA:relA+1], "\n"))
	}
}

// A run undoing a refused batch keeps its mark live: a waiting run never takes it for
// abandoned and types nothing before the undo is done and the mark removed.
func TestAdvisoryMarkRenewedWhileUndoing(t *testing.T) {
	// The undo of 23 lists (a line each, 50 ms) takes about four times the stale time; the
	// mark is renewed every 75 ms, so a pause of over 200 ms in the undoing run (a loaded
	// machine) is what it takes to be wrong.
	defer device.SetMarkStale(300 * time.Millisecond)()
	c := markCases[0]
	sim, newDev := c.start(t)
	sim.SetLatency(50 * time.Millisecond)
	logsB := &logSink{}
	a, b := newDev(), device.AnotherProcess(newDev(withLogger(logsB), dialectOption("lock_wait_seconds", "60")))
	sim.FailCommandOnce("10.0.23.0", "invalid for the test")
	_, waitA := firstRun(t, sim, c, a, 24, func() bool { return indexOf(sim.CommandLog(), 0, "10.0.23.0") >= 0 })
	if err := b.Apply(context.Background(), create(runList(1, 0, 10, c.number(1, 0)))); err != nil {
		t.Fatal(err)
	}
	waitA()
	if strings.Contains(logsB.text(), "abandoned") {
		t.Errorf("the waiting run took the undoing run's mark for abandoned:\n%s", logsB.text())
	}
	log := sim.CommandLog()
	refused := indexOf(log, 0, "10.0.23.0")
	var keyA string
	for i := refused; i >= 0; i-- {
		if m := c.mark.FindStringSubmatch(log[i]); m != nil {
			keyA = m[1]
			break
		}
	}
	relA, firstB := markRelease(c, log, refused, keyA), indexOf(log, 0, "RUN1-00")
	if relA < 0 || firstB < relA {
		t.Errorf("the waiting run typed at %d, the undoing run removed its mark at %d", firstB, relA)
	}
}

// Two device blocks that name one router differently (an address and a host name) are two
// Devices of one process: the marks still keep their batches apart.
func TestAdvisoryMarkSameRouterTwoNames(t *testing.T) {
	c := markCases[0]
	sim, newDev := c.start(t)
	sim.SetLatency(30 * time.Millisecond)
	a := newDev()
	b := newDev(dialectOption("lock_wait_seconds", "60"), func(o *device.Options) {
		o.Address = strings.Replace(o.Address, "127.0.0.1", "localhost", 1)
	})
	changesA, waitA := firstRun(t, sim, c, a, 20, nil)
	if err := b.Apply(context.Background(), create(runList(1, 0, 10, c.number(1, 0)))); err != nil {
		t.Fatal(err)
	}
	waitA()
	log := sim.CommandLog()
	if lastA, firstB := indexOf(log, 0, changesA[19].Key), indexOf(log, 0, "RUN1-00"); firstB < lastA {
		t.Errorf("the second device typed at %d, inside the first one's batch (its last list at %d)", firstB, lastA)
	}
}

// RTX: a batch cut off under the rollback timer (the session lost before `confirm`) may be
// reverted by the router until the timer runs out, taking along whatever is typed meanwhile.
// No batch of this process is typed there before: not this device's next one, not another
// device block's for the same router; the cut-off batch's mark stays live meanwhile. A session
// lost before the timer was armed (at the read the batch renders from) is retried at once.
func TestAdvisoryMarkWaitsOutAPendingRevert(t *testing.T) {
	c := markCases[1]
	t.Run("cut off under the timer", func(t *testing.T) {
		sim, newDev := c.start(t)
		timer := dialectOption("rollback_timer_seconds", "2")
		a, b := newDev(timer), newDev(timer, dialectOption("lock_wait_seconds", "60"))
		mustApply(t, a, create(runList(2, 0, 10, 9))) // the facts are read, the timer known
		sim.DropAt("confirm", false)
		var ue *device.UnconfirmedError
		if err := a.Apply(context.Background(), create(runList(0, 0, 10, c.number(0, 0)))); !errors.As(err, &ue) {
			t.Fatalf("got %v, want the batch reported unconfirmed", err)
		}
		cut := time.Now()
		sim.Heal()
		for i, d := range []*device.Device{a, b} {
			if err := d.Apply(context.Background(), create(runList(1, i, 10, c.number(1, i)))); err != nil {
				t.Fatal(err)
			}
			if took := time.Since(cut); took < 2*time.Second {
				t.Errorf("typed %s after the cut-off, before its 2-second timer ran out", took)
			}
		}
		for _, cfg := range []string{sim.RunningConfig(), sim.SavedConfig()} {
			if strings.Contains(cfg, "RUN0-00") || !strings.Contains(cfg, "RUN1-00") {
				t.Errorf("want the cut-off batch reverted and the later one kept:\n%s", cfg)
			}
			if m := c.mark.FindString(cfg); m != "" {
				t.Errorf("a mark stayed: %s", m)
			}
		}
	})
	t.Run("lost before the timer", func(t *testing.T) {
		sim, newDev := c.start(t)
		d := newDev()
		mustApply(t, d, create(runList(2, 0, 10, 9)))
		sim.DropAt("show config", false)
		if err := d.Apply(context.Background(), create(runList(1, 0, 10, c.number(1, 0)))); err != nil {
			t.Fatalf("not retried: %v", err)
		}
		if !strings.Contains(sim.SavedConfig(), "RUN1-00") {
			t.Error("the retry did not apply and save the list")
		}
	})
}
