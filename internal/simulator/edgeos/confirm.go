package edgeos

import (
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

// SetMinute makes the engine's minute (the commit-confirm timer) last d, for tests. It
// reports false when eng is not an EdgeOS engine.
func SetMinute(eng simulator.Engine, d time.Duration) bool {
	e, ok := eng.(*edgeEngine)
	if ok {
		e.mu.Lock()
		e.minute = d
		e.mu.Unlock()
	}
	return ok
}

// ConfirmPending reports whether a commit-confirm waits for its `confirm`.
func ConfirmPending(eng simulator.Engine) bool {
	e, ok := eng.(*edgeEngine)
	if !ok {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.confirm != nil
}
