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

// AnotherProcess makes d mark the device as a Device of another process would, so that d
// judges the marks of this process's other Devices as another process's (by the time they
// stay unchanged), and they judge d's so.
func AnotherProcess(d *Device) *Device {
	d.mu.Lock()
	d.procMark = randomHex(3)
	d.mu.Unlock()
	return d
}
