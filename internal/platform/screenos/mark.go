package screenos

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
)

// The advisory mark (platform.MarkSpec): ScreenOS locks nothing between sessions [device-cli.md
// 1.1 "Sessions and locking": `exec config lock` is INFERRED and is a rollback, not a lock
// between administrators], so each batch marks the configuration with an address book entry
// of the Trust zone, named after the session, its note as the entry's comment:
//
//	set address "Trust" "onpremvpn-lock-0123456789ab" 192.0.2.1 255.255.255.255 "NOTE"
//
// An address no policy uses changes no traffic; 192.0.2.1 is a documentation address
// (RFC 5737). Parse leaves these entries out of the model.

// markPrefix starts the name of every mark.
const markPrefix = "onpremvpn-lock-"

// markZone holds the marks: Trust is a predefined zone of every ScreenOS device.
const markZone = "Trust"

// markStale: ScreenOS has no rollback timer, so a mark unchanged for two minutes (four
// renewals missed) belongs to a session that is gone.
const markStale = 2 * time.Minute

var markSpec = &platform.MarkSpec{
	Key: func(token uint64) string { return fmt.Sprintf("%s%012x", markPrefix, token&0xffffffffffff) },
	Set: func(key, note string) string {
		return fmt.Sprintf(`set address "%s" "%s" 192.0.2.1 255.255.255.255 "%s"`, markZone, key, note)
	},
	Unset: func(key string) string { return fmt.Sprintf(`unset address "%s" "%s"`, markZone, key) },
	Find:  findMarks,
	Stale: markStale,
}

// findMarks lists the marks in `get config` output.
func findMarks(text string) []platform.Mark {
	var out []platform.Mark
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, "\r")
		if !strings.HasPrefix(l, "set address ") || !strings.Contains(l, markPrefix) {
			continue
		}
		w, err := quoter{}.SplitPrinted(l)
		if err != nil || len(w) < 5 || w[2] != markZone || !isMark(w[3]) {
			continue
		}
		m := platform.Mark{Key: w[3]}
		if len(w) == 7 {
			m.Note = w[6]
		}
		out = append(out, m)
	}
	return out
}

// isMark reports whether an address name is an advisory mark's: the prefix and twelve
// lower-case hex digits, nothing else (a name another party wrote otherwise is no mark, and
// is never typed back in an unset).
func isMark(name string) bool { return markName.MatchString(name) }

var markName = regexp.MustCompile(`^onpremvpn-lock-[0-9a-f]{12}$`)
