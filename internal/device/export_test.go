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

// SetMarkToken gives d's advisory marks the key of token.
func SetMarkToken(d *Device, token uint64) {
	d.mu.Lock()
	d.markToken = token
	d.mu.Unlock()
}
