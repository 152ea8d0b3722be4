package platform

import "github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"

// PositionJudge is implemented by platforms on which objects of a kind are ordered (ScreenOS
// security policies, evaluated top down). Parse gives such an object the position it holds on
// the device in the platform's canonical form (e.g. "top", "after:3"), which need not be the
// form the user wrote ("before:5" may hold just as well). On read, a position the object
// still holds is kept as the user wrote it; only one that no longer holds is drift.
type PositionJudge interface {
	// PositionHolds reports whether the object of kind and key in cfg (a parsed device
	// configuration) stands where position says.
	PositionHolds(cfg *vpn.Config, kind vpn.Kind, key, position string) bool
}
