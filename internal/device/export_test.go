package device

import "time"

// SetMarkStale makes every advisory mark seen unchanged for d abandoned (see
// platform.MarkSpec.Stale) until the test ends.
func SetMarkStale(d time.Duration) func() {
	markStaleOverride = d
	return func() { markStaleOverride = 0 }
}

// ProcessMark is the id of this process in the notes of its marks.
func ProcessMark() string { return processMark }
