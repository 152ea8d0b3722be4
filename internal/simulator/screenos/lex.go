package screenos

import (
	"strings"
	"unicode/utf8"
)

// token is one word of a command line: its text without quotes and the display column it
// starts at (for the caret of an error).
type token struct {
	s      string
	col    int
	quoted bool
}

// lexError is a line the tokenizer refuses, with the column to put the caret under.
type lexError struct {
	col int
	msg string
}

// lex splits a line the way the ScreenOS CLI does [INFERRED beyond what the reference
// shows]: blanks separate words; a word that starts with a double quote runs to the next
// double quote, blanks included, and the quotes are not part of it; there is no escape
// character (a backslash is an ordinary character), so a name cannot hold a double quote:
// a quote inside a word, a closing quote glued to more text and an unterminated quote are
// parse errors. Control characters are refused wherever they are.
func lex(line string) ([]token, *lexError) {
	var out []token
	col := 0
	i := 0
	for i < len(line) {
		c := line[i]
		if c == ' ' || c == '\t' {
			i++
			col++
			continue
		}
		start := col
		if c == '"' {
			j := strings.IndexByte(line[i+1:], '"')
			if j < 0 {
				return nil, &lexError{col: start, msg: "parse error"}
			}
			text := line[i+1 : i+1+j]
			if bad := ctrlIndex(text); bad >= 0 {
				return nil, &lexError{col: start + 1 + width(text[:bad]), msg: "parse error"}
			}
			i += j + 2
			col = start + 2 + width(text)
			if i < len(line) && line[i] != ' ' && line[i] != '\t' {
				return nil, &lexError{col: col, msg: "parse error"}
			}
			out = append(out, token{s: text, col: start, quoted: true})
			continue
		}
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' {
			if line[j] == '"' {
				return nil, &lexError{col: start + width(line[i:j]), msg: "parse error"}
			}
			j++
		}
		text := line[i:j]
		if bad := ctrlIndex(text); bad >= 0 {
			return nil, &lexError{col: start + width(text[:bad]), msg: "parse error"}
		}
		out = append(out, token{s: text, col: start})
		col = start + width(text)
		i = j
	}
	return out, nil
}

func ctrlIndex(s string) int {
	for i, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return i
		}
	}
	return -1
}

func width(s string) int { return utf8.RuneCountInString(s) }

// quote prints a name the way `get config` does: always between double quotes.
func quote(s string) string { return `"` + s + `"` }
