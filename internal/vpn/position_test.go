package vpn

import "testing"

func TestPositionHolds(t *testing.T) {
	for _, c := range []struct {
		want, placed string
		holds, known bool
	}{
		{"top", "top,before:4", true, true},
		{"top", "top,bottom", true, true},
		{"bottom", "top,bottom", true, true},
		{"top", "after:2,bottom", false, true},
		{"bottom", "after:2,bottom", true, true},
		{"before:4", "after:2, before:4", true, true},
		{"before:4", "after:2,before:40", false, true},
		{"after:2", "after:2", true, true},
		{"after:2", "after:20", false, true},
		{"after:2", "top", false, true},
		{"bottom", "after:2", false, false},
		{"before:4", "top", false, false},
		{"top", "", false, false},
		{"", "top", false, false},
		{"middle", "top,bottom", false, false},
	} {
		if holds, known := PositionHolds(c.want, c.placed); holds != c.holds || known != c.known {
			t.Errorf("PositionHolds(%q, %q) = %v, %v; want %v, %v", c.want, c.placed, holds, known, c.holds, c.known)
		}
	}
}
