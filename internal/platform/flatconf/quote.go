package flatconf

import (
	"fmt"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
)

// DoubleQuotes is the quoting of ScreenOS and RTX: a token that is empty or holds anything
// but letters, digits and `_.:/@+,=%-*` is written in double quotes, and a listing prints
// names the same way (ScreenOS quotes every object name: `set vrouter "trust-vr"`). Neither
// CLI has an escape inside the quotes, so a token holding a double quote or a line break
// cannot be written; dialects reject such values before rendering (Quote writes them
// anyway and the line would not read back).
var DoubleQuotes setconf.Quoter = doubleQuotes{}

type doubleQuotes struct{}

func (doubleQuotes) Quote(s string) string {
	if s == "" {
		return `""`
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("_.:/@+,=%-*", c) >= 0:
		default:
			return `"` + s + `"`
		}
	}
	return s
}

// Split reads white-space-separated tokens; a double-quoted part may hold white space and
// ends at the next double quote. A token may join quoted and bare parts.
func (doubleQuotes) Split(line string) ([]string, error) {
	var (
		out []string
		cur strings.Builder
		in  bool
	)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		case c == '"':
			in = true
			j := strings.IndexByte(line[i+1:], '"')
			if j < 0 {
				return nil, fmt.Errorf("unterminated double quote at column %d", i+1)
			}
			cur.WriteString(line[i+1 : i+1+j])
			i += j + 1
		default:
			in = true
			cur.WriteByte(c)
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out, nil
}

func (q doubleQuotes) SplitPrinted(line string) ([]string, error) { return q.Split(line) }

func setconfJoin(s *Syntax, words []string) string { return setconf.JoinWith(s.Quoter, words) }
