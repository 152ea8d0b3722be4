package junos

import "strings"

// word is one token of a command line and the column it starts at.
type word struct {
	text string
	col  int
}

// lex splits a CLI line into words and pipe stages: blanks separate words, double quotes
// group (a backslash escapes the next character inside them), `|` outside quotes starts a
// pipe stage. ok is false when a quote is left open.
func lex(line string) (cmd []word, pipes [][]word, ok bool) {
	stages := [][]word{nil}
	var cur strings.Builder
	start := -1
	inQ := false
	flush := func() {
		if start >= 0 {
			stages[len(stages)-1] = append(stages[len(stages)-1], word{cur.String(), start})
			cur.Reset()
			start = -1
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case inQ && c == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
		case inQ && c == '"':
			inQ = false
		case inQ:
			cur.WriteByte(c)
		case c == '"':
			if start < 0 {
				start = i
			}
			inQ = true
		case c == ' ' || c == '\t':
			flush()
		case c == '|':
			flush()
			stages = append(stages, nil)
		default:
			if start < 0 {
				start = i
			}
			cur.WriteByte(c)
		}
	}
	if inQ {
		return nil, nil, false
	}
	flush()
	return stages[0], stages[1:], true
}

// lexTerminal splits load input (curly or set form) into tokens: words, quoted strings,
// and the punctuation { } ; [ ]; # and /* */ comments are skipped. Each token carries its
// line number.
type ltok struct {
	text   string
	quoted bool
	line   int
	col    int
}

func lexTerminal(text string) ([]ltok, bool) {
	var out []ltok
	line, col := 1, 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		col++
		switch {
		case c == '\n':
			line++
			col = 0
		case c == ' ' || c == '\t' || c == '\r':
		case c == '#':
			for i+1 < len(text) && text[i+1] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			j := strings.Index(text[i+2:], "*/")
			if j < 0 {
				return nil, false
			}
			line += strings.Count(text[i:i+2+j], "\n")
			i += j + 3
		case strings.IndexByte("{};[]", c) >= 0:
			out = append(out, ltok{text: string(c), line: line, col: col})
		case c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(text) && text[j] != '"'; j++ {
				if text[j] == '\\' && j+1 < len(text) {
					j++
				}
				if text[j] == '\n' {
					line++
				}
				b.WriteByte(text[j])
			}
			if j >= len(text) {
				return nil, false
			}
			out = append(out, ltok{text: b.String(), quoted: true, line: line, col: col})
			i = j
		default:
			j := i
			for j < len(text) && strings.IndexByte(" \t\r\n{};[]\"", text[j]) < 0 {
				j++
			}
			out = append(out, ltok{text: text[i:j], line: line, col: col})
			col += j - i - 1
			i = j - 1
		}
	}
	return out, true
}
