package rtx

import (
	"fmt"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
)

// Console is the quoting of the RTX console (command reference 1.5, "コマンドの入力文字数とエスケ
// ープシーケンスについて"): in a parameter, `?`, `#`, `|` and `>` are typed as `\?`, `'?'` or
// `"?"` (and so on), a blank as `\ `, `' '` or `" "`, a single quote as `\'` or `"'"`, a
// double quote as `\"` or `'"'`, and a backslash as `\\` only. So a backslash escapes the
// next character everywhere; an unescaped `#` starts a comment, `?` calls the command help,
// `|` a pipe and `>` a redirection.
//
// Quote writes a token bare when it holds only letters, digits and `_.:/@+,=%-*`, else in
// double quotes with `"` and `\` escaped by a backslash, so that each of the characters
// above reaches the command as itself. flatconf.DoubleQuotes (ScreenOS) has no escapes and
// cannot be used here: a backslash in a value would be read as an escape by the RTX.
// `show config` prints values the same way, so a listing is read with the same rules.
var Console setconf.Quoter = console{}

type console struct{}

func (console) Quote(s string) string {
	bare := s != ""
	for i := 0; i < len(s) && bare; i++ {
		c := s[i]
		bare = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_.:/@+,=%-*", c) >= 0
	}
	if bare {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// Split reads a line as the console does: blanks separate words; a backslash makes the next
// character literal, inside double quotes too; single quotes hold everything up to the next
// single quote; double quotes up to the next unescaped double quote; parts join into one word.
// An unescaped `#` outside quotes ends the line (a comment). A `?`, `|` or `>` outside quotes
// is refused: the console would not pass it to the command.
func (console) Split(line string) ([]string, error) {
	var (
		out    []string
		cur    strings.Builder
		inWord bool
	)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch c {
		case ' ', '\t', '\r':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		case '\\':
			if i+1 >= len(line) {
				return nil, fmt.Errorf("a backslash ends the line at column %d", i+1)
			}
			i++
			cur.WriteByte(line[i])
			inWord = true
		case '\'':
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unterminated single quote at column %d", i+1)
			}
			cur.WriteString(line[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case '"':
			inWord = true
			closed := false
			for i++; i < len(line); i++ {
				if line[i] == '\\' && i+1 < len(line) {
					i++
					cur.WriteByte(line[i])
					continue
				}
				if line[i] == '"' {
					closed = true
					break
				}
				cur.WriteByte(line[i])
			}
			if !closed {
				return nil, fmt.Errorf("unterminated double quote")
			}
		case '#':
			if inWord {
				out = append(out, cur.String())
			}
			return out, nil
		case '?', '|', '>':
			return nil, fmt.Errorf("unquoted %q at column %d: the console reads it as help, a pipe or a redirection", c, i+1)
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}

func (q console) SplitPrinted(line string) ([]string, error) { return q.Split(line) }
