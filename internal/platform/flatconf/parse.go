package flatconf

import (
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
)

// Parse reads a configuration listing into entries, in listing order, each with the openers
// of its enclosing contexts. Opener lines are not entries (a block with no line in it leaves
// nothing). A Close line leaves the innermost context, and is ignored at the top level (the
// end of a block the Syntax does not declare); an indented context also ends at the next line
// that is not indented. A line that cannot be split (an unterminated quote) is a
// *setconf.LineError, whose message names the line number only: callers redact Line before
// showing it.
func (s *Syntax) Parse(text string) ([]Entry, error) {
	type open struct {
		words  []string
		ctx    *Context
		indent int
	}
	var stack []open
	var out []Entry
	for i, raw := range strings.Split(text, "\n") {
		raw = strings.TrimRight(raw, " \t\r")
		line := strings.TrimLeft(raw, " \t")
		if line == "" || s.Ignore != nil && s.Ignore(line) {
			continue
		}
		indent := len(raw) - len(line)
		for n := len(stack); n > 0 && stack[n-1].ctx.Indented && indent <= stack[n-1].indent; n = len(stack) {
			stack = stack[:n-1]
		}
		if s.isClose(line) {
			if n := len(stack); n > 0 {
				stack = stack[:n-1]
			}
			continue
		}
		toks, err := s.Quoter.SplitPrinted(line)
		if err != nil {
			return nil, &setconf.LineError{Number: i + 1, Line: line, Err: err}
		}
		negated := false
		switch {
		case s.Verb != "" && len(toks) > 0 && toks[0] == s.Verb:
			toks = toks[1:]
		case s.Verb != "" && len(toks) > 0 && toks[0] == s.NoVerb:
			toks, negated = toks[1:], true
		case s.Verb != "":
			continue // not configuration
		case s.NoVerb != "" && len(toks) > 1 && toks[0] == s.NoVerb:
			toks, negated = toks[1:], true
		}
		if len(toks) == 0 {
			continue
		}
		if c := s.context(toks); c != nil && !negated {
			stack = append(stack, open{words: toks, ctx: c, indent: indent})
			continue
		}
		if s.Rewrite != nil {
			toks = s.Rewrite(toks)
		}
		e := Entry{Words: toks, Negated: negated, Line: i + 1}
		for _, o := range stack {
			e.Context = append(e.Context, o.words)
		}
		out = append(out, e)
	}
	return out, nil
}

// isClose reports whether line is the Close line of some context.
func (s *Syntax) isClose(line string) bool {
	for _, c := range s.Contexts {
		if c.Close != "" && line == c.Close {
			return true
		}
	}
	return false
}

// Format prints entries as the device lists them: consecutive entries of one context in one
// block, opened by the openers and, for contexts that are not indented, closed by their Close
// line; an indented context's lines are indented by one space per level. Parse(Format(es))
// gives es back (without line numbers) when no entry's words are themselves an opener or a
// Close line.
func (s *Syntax) Format(entries []Entry) string {
	var b strings.Builder
	var cur [][]string
	write := func(depth int, words []string, negated bool) {
		b.WriteString(strings.Repeat(" ", s.indent(cur[:depth])))
		b.WriteString(s.line(words, negated))
		b.WriteByte('\n')
	}
	closeTo := func(n int) {
		for len(cur) > n {
			if c := s.context(cur[len(cur)-1]); c != nil && !c.Indented && c.Close != "" {
				b.WriteString(strings.Repeat(" ", s.indent(cur[:len(cur)-1])))
				b.WriteString(c.Close)
				b.WriteByte('\n')
			}
			cur = cur[:len(cur)-1]
		}
	}
	for _, e := range entries {
		common := 0
		for common < len(cur) && common < len(e.Context) && ctxID(cur[:common+1]) == ctxID(e.Context[:common+1]) {
			common++
		}
		closeTo(common)
		for len(cur) < len(e.Context) {
			words := e.Context[len(cur)]
			write(len(cur), words, false)
			cur = append(cur, words)
		}
		write(len(cur), e.Words, e.Negated)
	}
	closeTo(0)
	return b.String()
}

// indent is the listing indentation inside the given contexts.
func (s *Syntax) indent(ctx [][]string) int {
	n := 0
	for _, w := range ctx {
		if c := s.context(w); c != nil && c.Indented {
			n++
		}
	}
	return n
}

// line writes words as one typed line, with the verb or its negation.
func (s *Syntax) line(words []string, negated bool) string {
	verb := s.Verb
	if negated {
		verb = s.NoVerb
	}
	q := setconfJoin(s, words)
	if verb == "" {
		return q
	}
	return verb + " " + q
}
