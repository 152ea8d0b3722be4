package platform

import (
	"fmt"
	"strconv"
	"time"
)

// Marks: an advisory lock written into the configuration, for Immediate platforms whose
// devices lock nothing (ScreenOS, RTX: two sessions type lines into the same running
// configuration, and each line is active when typed). A dialect that sets TxSpec.Mark
// declares a harmless configuration line that carries a key and a short note (ScreenOS: an
// address book entry named after the key, the note as its comment; RTX: a system
// description, its id the key). The device layer keeps this protocol for every batch of such
// a platform:
//
//  1. Enter (when the platform has Enter commands);
//  2. write the session's own mark (Set) and read the whole configuration: that read is
//     the one the batch renders from;
//  3. if the read shows another live mark, remove the own one, leave, and wait for the other
//     to go (TxSpec.LockWait, with backoff), naming it; otherwise arm the SafetyNet (a
//     session that waits arms none) and type the batch, renewing the mark as it goes;
//  4. remove the own mark (Unset) before Save, and before Abort on any failure.
//
// A batch cut off under the SafetyNet leaves its mark (written before the timer, so a revert
// keeps it), and its process types nothing on the device for TxSpec.RevertWindow.
//
// Two sessions that both write and then read cannot both miss each other's mark: the one
// that reads second sees both, and only a session whose read shows no other mark goes on.
// Both may see each other and both step back; the random backoff lets one through. Marks are
// respected only by clients that keep this protocol (this provider); a person at the console
// is not stopped by one. A mark left behind by a session that was lost (the process killed,
// the device unreachable) is taken for abandoned once it has been seen unchanged for
// MarkSpec.Stale (the holder rewrites its mark while a batch runs, so a live mark changes),
// or at once when it is this process's own from an earlier session.
type MarkSpec struct {
	// Key returns the device's key of the mark of a session with the random token (the same
	// token gives the same key). Different tokens should give different keys: two sessions
	// sharing a key overwrite each other's mark.
	Key func(token uint64) string
	// Set returns the line that writes the mark key with note; Unset the line that removes
	// it. note is printable ASCII of letters, digits, spaces and ".:@_-", at most
	// MaxMarkNote bytes.
	Set   func(key, note string) string
	Unset func(key string) string
	// Find returns the marks in a configuration as ReadConfig prints it.
	Find func(text string) []Mark
	// InUse, when set, reports whether a configuration holds key for something other than a
	// mark (an RTX description id the user gave a description): the session then takes
	// another token. nil: a key never names anything else.
	InUse func(text, key string) bool
	// Stale is how long a mark seen unchanged is taken for abandoned; it must exceed the
	// time a device may still revert the batch of a lost session by itself (the SafetyNet's
	// timer), during which another session's lines could be reverted with it.
	Stale time.Duration
}

// Mark is one advisory mark found in a configuration.
type Mark struct {
	Key, Note string
}

// MaxMarkNote is the longest note the device layer writes into a mark.
const MaxMarkNote = 44

// CheckSeconds refuses a value that is not a whole number of seconds between lo and hi
// (empty is accepted: the default applies): the check of a dialect's option in seconds
// (lock_wait_seconds, rollback_timer_seconds).
func CheckSeconds(v string, lo, hi int) error {
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return fmt.Errorf("%q is not a number of seconds between %d and %d", v, lo, hi)
	}
	return nil
}

// SecondsOption reads the option name of a Binder's options as a duration checked by
// CheckSeconds; set is false when the option is empty (the dialect's default applies).
func SecondsOption(options map[string]string, name string, lo, hi int) (d time.Duration, set bool, err error) {
	v := options[name]
	if v == "" {
		return 0, false, nil
	}
	if err := CheckSeconds(v, lo, hi); err != nil {
		return 0, false, fmt.Errorf("option %q: %v", name, err)
	}
	n, _ := strconv.Atoi(v)
	return time.Duration(n) * time.Second, true, nil
}
