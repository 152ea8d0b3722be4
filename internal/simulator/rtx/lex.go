package rtx

import "strings"

// lexed is one input line split the way the RTX console splits it (command reference 1.5):
// blanks separate words; a backslash makes the next character literal (`\?`, `\#`, `\|`,
// `\>`, `\\`, `\'`, `\"`, `\ `); single quotes hold everything up to the next single
// quote; double quotes hold everything up to the next double quote, where a backslash
// still escapes; an unescaped `#` outside quotes starts a comment; an unescaped `|` or `>`
// starts a pipe (`| grep`) or a redirection; an unescaped `?` is the console's help key
// and never reaches the command (the help list is not modelled).
type lexed struct {
	toks   []string
	pipe   []string // the words after `|`, nil without a pipe
	hasPip bool
	redir  bool // an unescaped `>`
	ctrl   bool // a word holds a control character
}

func lex(line string) lexed {
	var (
		out    lexed
		cur    strings.Builder
		inWord bool
		quote  rune
		target = &out.toks
	)
	flush := func() {
		if inWord {
			*target = append(*target, cur.String())
			cur.Reset()
			inWord = false
		}
	}
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote == '\'':
			if r == '\'' {
				quote = 0
				continue
			}
			cur.WriteRune(r)
		case quote == '"':
			switch {
			case r == '"':
				quote = 0
			case r == '\\' && i+1 < len(rs):
				i++
				cur.WriteRune(rs[i])
			default:
				cur.WriteRune(r)
			}
		case r == '\\':
			inWord = true
			if i+1 < len(rs) {
				i++
				cur.WriteRune(rs[i])
			}
		case r == '\'' || r == '"':
			inWord = true
			quote = r
		case r == ' ' || r == '\t':
			flush()
		case r == '#':
			flush()
			return out
		case r == '?':
			// the help key: not part of the line
		case r == '|':
			flush()
			out.hasPip = true
			target = &out.pipe
		case r == '>':
			flush()
			out.redir = true
			return out
		default:
			inWord = true
			cur.WriteRune(r)
		}
		if r < 0x20 || r == 0x7f {
			out.ctrl = true
		}
	}
	flush()
	return out
}

// quote prints a word so that lex reads it back as it is: bare when it holds nothing
// special, else in double quotes with `"` and `\` escaped.
func quote(w string) string {
	if w != "" && !strings.ContainsAny(w, " \t\"'#?|>\\") {
		return w
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range w {
		if r == '"' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// join prints tokens as a command line.
func join(toks []string) string {
	q := make([]string, len(toks))
	for i, t := range toks {
		q[i] = quote(t)
	}
	return strings.Join(q, " ")
}
