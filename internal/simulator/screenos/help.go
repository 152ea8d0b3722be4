package screenos

import (
	"sort"
	"strings"
)

// `?` is bound to context help, as on the device [SEEN honeypot-ssg5 `?` listing of the
// top-level verbs]: typing it prints the words that may come next (or that complete the
// word being typed) and the line again; it is never inserted. A name holding `?` can only
// be typed with the terminal's quoted-insert (Ctrl-V). The listing shows the words only
// (the device adds a description to each [INFERRED layout]); parameters show as <name>.
// Only the verbs this engine implements are listed.

func (s *session) Echo() bool                 { return true }
func (s *session) Incomplete(string) bool     { return false }
func (s *session) ContinuationPrompt() string { return "" }
func (s *session) HelpKey(r rune) bool        { return r == '?' }

func (s *session) Help(line string) string {
	s.e.mu.Lock()
	defer s.e.mu.Unlock()
	words := strings.Fields(line)
	partial := ""
	if len(words) > 0 && !strings.HasSuffix(line, " ") {
		partial, words = words[len(words)-1], words[:len(words)-1]
	}
	var cands []string
	switch {
	case len(words) == 0:
		cands = []string{"exit", "get", "save", "set", "unset"}
	case lower(words[0]) == "get" && len(words) == 1:
		cands = []string{"config", "hostname", "system"}
	case lower(words[0]) == "save" && len(words) == 1:
		cands = []string{"config", "<return>"}
	case lower(words[0]) == "set" || lower(words[0]) == "unset":
		cands = s.nextWords(words[1:])
	}
	seen := map[string]bool{}
	var out []string
	for _, c := range cands {
		if seen[c] || (partial != "" && !strings.HasPrefix(c, lower(partial))) {
			continue
		}
		seen[c] = true
		out = append(out, c)
	}
	sort.Strings(out)
	if len(out) == 0 {
		return "^-----unknown keyword " + partial + "\n"
	}
	return strings.Join(out, "\n") + "\n"
}

func (s *session) nextWords(typed []string) []string {
	if s.cur.policy != 0 {
		if len(typed) == 0 {
			return []string{"dst-address", "service", "src-address"}
		}
		return []string{"<name>"}
	}
	kind := s.cur.ctx.Kind()
	var out []string
	if kind == "" && len(typed) == 0 {
		out = append(out, "policy")
	}
	for _, c := range s.e.spec.spec.Commands {
		if c.Context != kind {
			continue
		}
		pat := strings.Fields(c.Pattern)
		if pat[0] == "unset" {
			continue
		}
		ok := len(typed) < len(pat)
		for i := 0; ok && i < len(typed); i++ {
			if pat[i] == "..." {
				ok = false
				break
			}
			if !isParam(pat[i]) && !strings.EqualFold(pat[i], strings.Trim(typed[i], `"`)) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		next := pat[len(typed)]
		if vals, ok := enums[paramName(next)]; ok && isParam(next) {
			out = append(out, vals...)
			continue
		} else if isParam(next) {
			next = "<" + paramName(next) + ">"
		} else if next == "..." {
			next = "<options>"
		}
		out = append(out, next)
	}
	return out
}
