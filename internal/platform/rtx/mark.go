package rtx

import (
	"strconv"
	"strings"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
)

// The advisory mark (platform.MarkSpec): several users may be administrators at once on
// models with SSH [DOC ch2 2.1], and nothing locks the configuration between them, so each
// batch marks it with a system description, which "only describes and does not affect
// operation" [DOC ch4 4.56]:
//
//	description 20345678 "onpremvpn-lock NOTE"
//
// The id is the session's, between markMin and markMax, below the ids the dialect gives
// gateway and prefix-list names (21474000 and up). Parse ignores these descriptions.

const (
	markMin  = 20000000
	markMax  = gatewayDescriptionBase - 1
	markText = "onpremvpn-lock"
)

// markStale: a session lost under the rollback timer leaves a batch the router may still
// revert until the timer runs out; its mark (written before the timer is armed, so the revert
// keeps it) must outlive that, or a session that took over would see its own lines reverted
// with it: the timer and one more minute. Without the timer, and at least, two minutes.
func (p *RTX) markStale() time.Duration {
	stale := 2 * time.Minute
	if p.rollback {
		stale = max(stale, p.rollbackTimer()+time.Minute)
	}
	return stale
}

func (p *RTX) markSpec() *platform.MarkSpec {
	return &platform.MarkSpec{
		Key: func(token uint64) string { return strconv.FormatUint(markMin+token%(markMax-markMin+1), 10) },
		Set: func(key, note string) string {
			return "description " + key + " " + console{}.Quote(markText+" "+note)
		},
		Unset: func(key string) string { return "no description " + key },
		Find:  findMarks,
		InUse: descriptionInUse,
		Stale: p.markStale(),
	}
}

// descriptionInUse reports whether `show config` holds a system description with id key that
// is not a mark: writing the mark there would replace the user's description.
func descriptionInUse(text, key string) bool {
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, "\r")
		if rest, ok := strings.CutPrefix(l, "description "+key+" "); ok && !strings.HasPrefix(strings.Trim(rest, `"`), markText+" ") {
			return true
		}
	}
	return false
}

// findMarks lists the marks in `show config` output.
func findMarks(text string) []platform.Mark {
	var out []platform.Mark
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, "\r")
		if !strings.HasPrefix(l, "description ") || !strings.Contains(l, markText) {
			continue
		}
		w, err := console{}.Split(l)
		if err != nil || len(w) != 3 {
			continue
		}
		n, err := strconv.Atoi(w[1])
		note, ok := strings.CutPrefix(w[2], markText+" ")
		if err != nil || len(w[1]) != 8 || w[1][0] == '+' || n < markMin || n > markMax || !ok {
			continue
		}
		out = append(out, platform.Mark{Key: w[1], Note: note})
	}
	return out
}
