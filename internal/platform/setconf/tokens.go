// Package setconf holds what set-style CLI dialects (EdgeOS/VyOS, later Junos) share: splitting
// and quoting `set` lines, a tree view of configuration paths for parsing, path patterns that
// describe a configuration schema, and Diff, which turns two renderings of the model plus the
// device's own configuration into the `set` and `delete` lines to push.
//
// A path is a configuration line without its verb, split into unquoted tokens, e.g.
// []string{"vpn", "ipsec", "esp-group", "ESP0", "lifetime", "3600"}.
package setconf

import (
	"fmt"
	"strings"
)

// Token is one token of a line and where it was found.
type Token struct {
	Text       string // the token with quotes removed
	Start, End int    // byte offsets of the raw token in the line, quotes included
}

// SplitTokens splits a line into whitespace-separated tokens, honouring single quotes (no escapes
// inside), double quotes (backslash escapes the next character) and adjacent quoted and unquoted
// parts forming one token, as a POSIX shell does. An unterminated quote is an error.
func SplitTokens(line string) ([]Token, error) {
	var (
		out   []Token
		cur   strings.Builder
		in    bool // inside a token
		start int
	)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			if in {
				out = append(out, Token{Text: cur.String(), Start: start, End: i})
				cur.Reset()
				in = false
			}
		case c == '\'':
			if !in {
				in, start = true, i
			}
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unterminated single quote at column %d", i+1)
			}
			cur.WriteString(line[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			if !in {
				in, start = true, i
			}
			j := i + 1
			for ; j < len(line) && line[j] != '"'; j++ {
				if line[j] == '\\' && j+1 < len(line) {
					j++
				}
				cur.WriteByte(line[j])
			}
			if j >= len(line) {
				return nil, fmt.Errorf("unterminated double quote at column %d", i+1)
			}
			i = j
		default:
			if !in {
				in, start = true, i
			}
			cur.WriteByte(c)
		}
	}
	if in {
		out = append(out, Token{Text: cur.String(), Start: start, End: len(line)})
	}
	return out, nil
}

// Split splits a line into unquoted tokens; see SplitTokens.
func Split(line string) ([]string, error) {
	toks, err := SplitTokens(line)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, nil
	}
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out, nil
}

// plain reports whether a token can be written without quotes: it is not empty and has only
// characters that neither a shell nor the CLI treats specially.
func plain(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("_.:/@+,=%-", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// Quote returns s as one token: unchanged when it is plain, in single quotes otherwise, and in
// double quotes with backslash escapes when it contains a single quote itself.
func Quote(s string) string {
	switch {
	case plain(s):
		return s
	case !strings.Contains(s, "'"):
		return "'" + s + "'"
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' || c == '$' || c == '`' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// Join quotes each token as needed and joins them with single spaces. Split(Join(t)) == t.
func Join(tokens []string) string {
	q := make([]string, len(tokens))
	for i, t := range tokens {
		q[i] = Quote(t)
	}
	return strings.Join(q, " ")
}

// Line is one configuration line of the device's output with its 1-based line number.
type Line struct {
	Number int
	Path   []string
}

// ParseLines reads the `set` lines of a configuration listing (`show configuration commands`)
// into paths, ignoring every other line (prompts, echoes, blank lines). A malformed `set` line
// is an error naming the line number and the line.
func ParseLines(text string) ([]Line, error) {
	var out []Line
	for i, raw := range strings.Split(text, "\n") {
		s := strings.TrimSpace(raw)
		if !strings.HasPrefix(s, "set ") && !strings.HasPrefix(s, "set\t") {
			continue
		}
		toks, err := Split(s)
		if err != nil {
			return nil, &LineError{Number: i + 1, Line: s, Err: err}
		}
		if len(toks) < 2 {
			continue
		}
		out = append(out, Line{Number: i + 1, Path: toks[1:]})
	}
	return out, nil
}

// LineError is a malformed line. Line may hold configuration and secrets: Error never
// shows it, and callers that display it redact it first.
type LineError struct {
	Number int
	Line   string
	Err    error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Number, e.Err) }

// Unwrap returns the underlying error.
func (e *LineError) Unwrap() error { return e.Err }
