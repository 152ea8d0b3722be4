package platform

import (
	"os"
	"strings"
)

// Additive hooks used by the Yamaha RTX dialect; generic, vendor-neutral.
//
// TxSpec.SafetyNet (platform.go) extends TxSpec.Confirm to the Immediate strategy. The device
// layer keeps this protocol for an Immediate transaction whose TxSpec.SafetyNet is set:
//
//  1. Enter; then every SafetyNet command (its output judged by CheckOutput like Enter's);
//  2. the steps in order; on the first refused step, Leave, the undo of the applied steps
//     in reverse, then Abort (the dialect puts Confirm's commands there when the timer must
//     be stopped after the undo), nothing saved;
//  3. after the last step, read the configuration back over the same session
//     (TxSpec.ReadConfig, else SessionSpec.ReadConfig) and parse it; a read that fails is a
//     ScopeSession failure: the device layer sends nothing more and the device reverts by
//     itself when the timer expires (report that the batch was rolled back by the device);
//  4. Confirm (stops the timer); then Save and Exit as for any Immediate transaction.
//
// A session lost between SafetyNet and Confirm is retried on a new session after the device
// has had the time to revert; the retry reads the device and decides from what it holds.

// optionFromEnv returns the value of o's environment variable, "" when it has none.
func optionFromEnv(o Option) string {
	if o.Env == "" {
		return ""
	}
	return strings.TrimRight(os.Getenv(o.Env), "\r\n")
}
