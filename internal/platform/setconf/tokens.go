// Package setconf is the engine that hierarchical set-style CLI dialects share (EdgeOS/VyOS
// today, Junos next): the platform's quoting (a Quoter: Vbash, Junos) for typed lines and for
// the device's listing, a tree view of configuration paths for parsing, field tables that a
// dialect declares once for render, parse and the diff schema (Field, Block), path patterns
// that describe the schema (where objects begin, single-value leaves, ordered lists), and
// Diff, which turns two renderings of the model plus the device's own configuration into the
// `set`, `delete` and `insert` lines to push. It names no vendor's configuration: the tables
// and the schema live in the dialect.
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

// SplitTokens splits a line into whitespace-separated tokens as bash reads the words of a
// command: single quotes (no escapes inside), double quotes (backslash escapes the next
// character), ANSI-C quotes $'...' (backslash escapes: \\ \' \" \n \t \r \a \b \e \f \v,
// octal \NNN, hex \xHH), a backslash outside quotes escaping the next character, and adjacent
// quoted and unquoted parts forming one token. An unterminated quote is an error.
func SplitTokens(line string) ([]Token, error) {
	var (
		out   []Token
		cur   strings.Builder
		in    bool // inside a token
		start int
	)
	begin := func(i int) {
		if !in {
			in, start = true, i
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			if in {
				out = append(out, Token{Text: cur.String(), Start: start, End: i})
				cur.Reset()
				in = false
			}
		case c == '$' && i+1 < len(line) && line[i+1] == '\'':
			begin(i)
			j, err := ansiC(line, i+2, &cur)
			if err != nil {
				return nil, err
			}
			i = j
		case c == '\'':
			begin(i)
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unterminated single quote at column %d", i+1)
			}
			cur.WriteString(line[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			begin(i)
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
		case c == '\\' && i+1 < len(line):
			begin(i)
			i++
			cur.WriteByte(line[i])
		default:
			begin(i)
			cur.WriteByte(c)
		}
	}
	if in {
		out = append(out, Token{Text: cur.String(), Start: start, End: len(line)})
	}
	return out, nil
}

// ansiC reads the body of a $'...' quote starting at line[i] into cur and returns the index
// of the closing quote.
func ansiC(line string, i int, cur *strings.Builder) (int, error) {
	simple := map[byte]byte{'\\': '\\', '\'': '\'', '"': '"', '?': '?', 'n': '\n', 't': '\t', 'r': '\r', 'a': 7, 'b': 8, 'e': 27, 'E': 27, 'f': 12, 'v': 11}
	for ; i < len(line); i++ {
		c := line[i]
		if c == '\'' {
			return i, nil
		}
		if c != '\\' || i+1 >= len(line) {
			cur.WriteByte(c)
			continue
		}
		i++
		e := line[i]
		switch {
		case simple[e] != 0:
			cur.WriteByte(simple[e])
		case e >= '0' && e <= '7':
			n, k := 0, 0
			for ; k < 3 && i+k < len(line) && line[i+k] >= '0' && line[i+k] <= '7'; k++ {
				n = n*8 + int(line[i+k]-'0')
			}
			cur.WriteByte(byte(n))
			i += k - 1
		case e == 'x' && i+1 < len(line) && isHex(line[i+1]):
			n, k := 0, 1
			for ; k <= 2 && i+k < len(line) && isHex(line[i+k]); k++ {
				n = n*16 + hexVal(line[i+k])
			}
			cur.WriteByte(byte(n))
			i += k - 1
		default:
			cur.WriteByte('\\')
			cur.WriteByte(e)
		}
	}
	return 0, fmt.Errorf("unterminated $' quote")
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func hexVal(c byte) int {
	switch {
	case c >= 'a':
		return int(c-'a') + 10
	case c >= 'A':
		return int(c-'A') + 10
	}
	return int(c - '0')
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

// Quote is Vbash's quoting. It returns s as one token that bash reads back as s: unchanged when it is plain, in
// single quotes otherwise, and as an ANSI-C quote $'...' when s holds a character that single
// quotes cannot carry through an interactive shell: a single quote, '?' (bound to completion
// help in the EdgeOS shell, so never typed: written \077), '!' (history expansion: \041), a
// backslash or a control character.
func Quote(s string) string {
	switch {
	case plain(s):
		return s
	case !strings.ContainsAny(s, "'?!\\") && !hasControl(s):
		return "'" + s + "'"
	}
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '?' || c == '!' || c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}

// Join quotes each token with Vbash and joins them with single spaces. Split(Join(t)) == t.
func Join(tokens []string) string {
	q := make([]string, len(tokens))
	for i, t := range tokens {
		q[i] = Quote(t)
	}
	return strings.Join(q, " ")
}

// ParseLinesWith is ParseLines with the platform's own reading of a printed line: device
// output is not shell input (EdgeOS prints quotes without escapes, for example).
func ParseLinesWith(text string, split func(string) ([]string, error)) ([]Line, error) {
	var out []Line
	for i, raw := range strings.Split(text, "\n") {
		s := strings.TrimSpace(raw)
		if !strings.HasPrefix(s, "set ") && !strings.HasPrefix(s, "set\t") {
			continue
		}
		toks, err := split(s)
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

// Line is one configuration line of the device's output with its 1-based line number.
type Line struct {
	Number int
	Path   []string
}

// ParseLines reads the `set` lines of a configuration listing (`show configuration commands`)
// into paths, ignoring every other line (prompts, echoes, blank lines). A malformed `set` line
// is an error naming the line number and the line.
func ParseLines(text string) ([]Line, error) { return ParseLinesWith(text, Split) }

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
