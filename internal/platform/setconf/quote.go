package setconf

import (
	"fmt"
	"strings"
)

// Quoter is how one platform writes a token of a command line and reads lines back. Diff
// quotes with it and ParseListing reads the device's listing with it, so a dialect names its
// platform's quoting once. Vbash and Junos are the two set-style platforms.
type Quoter interface {
	// Quote returns token as one word that the device reads back as token.
	Quote(token string) string
	// Split reads a typed command line into unquoted tokens, as the device's command line
	// reads it: Split(Join(q, t)) == t for every token list without line breaks.
	Split(line string) ([]string, error)
	// SplitPrinted reads one line of the device's configuration listing, which is not always
	// what the command line accepts (EdgeOS prints quotes without escaping them).
	SplitPrinted(line string) ([]string, error)
}

// Vbash is EdgeOS/VyOS: commands are typed into vbash, so tokens are quoted as bash reads
// them (see Quote), and `show configuration commands` prints components bare or in single
// quotes with nothing escaped inside.
var Vbash Quoter = vbash{}

// Junos is the Junos CLI: a token that is not plain is written in double quotes with a
// backslash before each double quote and backslash inside; `show configuration | display
// set` prints values the same way (`pre-shared-key ascii-text "$9$..."`).
var Junos Quoter = junos{}

type vbash struct{}

func (vbash) Quote(s string) string                      { return Quote(s) }
func (vbash) Split(line string) ([]string, error)        { return Split(line) }
func (vbash) SplitPrinted(line string) ([]string, error) { return splitVyattaOutput(line) }

type junos struct{}

// Quote writes s bare when it is plain, else in double quotes with \" and \\ escaped.
func (junos) Quote(s string) string {
	if plain(s) {
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

// Split reads whitespace-separated tokens; a double-quoted part may hold white space, and a
// backslash inside it takes the next character literally. Outside quotes every character is
// literal. A token may join quoted and bare parts. An unterminated quote is an error.
func (q junos) Split(line string) ([]string, error) {
	toks, _, err := q.tokens(line)
	return toks, err
}

// tokens is Split that also reports which tokens were written bare (without any quote).
func (junos) tokens(line string) ([]string, []bool, error) {
	var (
		out  []string
		bare []bool
		cur  strings.Builder
		in   bool
		quot bool
	)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			if in {
				out, bare = append(out, cur.String()), append(bare, !quot)
				cur.Reset()
				in, quot = false, false
			}
		case c == '"':
			in, quot = true, true
			j := i + 1
			for ; j < len(line) && line[j] != '"'; j++ {
				if line[j] == '\\' && j+1 < len(line) {
					j++
				}
				cur.WriteByte(line[j])
			}
			if j >= len(line) {
				return nil, nil, fmt.Errorf("unterminated double quote at column %d", i+1)
			}
			i = j
		default:
			in = true
			cur.WriteByte(c)
		}
	}
	if in {
		out, bare = append(out, cur.String()), append(bare, !quot)
	}
	return out, bare, nil
}

func (q junos) SplitPrinted(line string) ([]string, error) { return q.Split(line) }

// SplitPrintedLines reads a listing line that may hold several values of a leaf-list in
// brackets, `set routing-options rib-groups RG import-rib [ inet.0 VPN-VR.inet.0 ]`, as one
// path per value; a line without a bare trailing bracket list is one path.
func (q junos) SplitPrintedLines(line string) ([][]string, error) {
	toks, bare, err := q.tokens(line)
	if err != nil {
		return nil, err
	}
	n := len(toks)
	if n == 0 || toks[n-1] != "]" || !bare[n-1] {
		return [][]string{toks}, nil
	}
	open := -1
	for i := n - 2; i >= 0; i-- {
		if toks[i] == "[" && bare[i] {
			open = i
			break
		}
	}
	if open < 0 {
		return [][]string{toks}, nil
	}
	var out [][]string
	for _, v := range toks[open+1 : n-1] {
		out = append(out, append(toks[:open:open], v))
	}
	return out, nil
}

// ListSplitter is implemented by a Quoter whose listing may print several values of a
// leaf-list on one line (Junos); ParseListing then reads such a line as one path per value.
type ListSplitter interface {
	SplitPrintedLines(line string) ([][]string, error)
}

// JoinWith quotes each token with q and joins them with single spaces.
func JoinWith(q Quoter, tokens []string) string {
	s := make([]string, len(tokens))
	for i, t := range tokens {
		s[i] = q.Quote(t)
	}
	return strings.Join(s, " ")
}

// ParseListing reads the `set` lines of a configuration listing with the platform's reading
// of printed lines; see ParseLines.
func ParseListing(text string, q Quoter) ([]Line, error) {
	ls, ok := q.(ListSplitter)
	if !ok {
		return ParseLinesWith(text, q.SplitPrinted)
	}
	var out []Line
	for i, raw := range strings.Split(text, "\n") {
		s := strings.TrimSpace(raw)
		if !strings.HasPrefix(s, "set ") && !strings.HasPrefix(s, "set\t") {
			continue
		}
		paths, err := ls.SplitPrintedLines(s)
		if err != nil {
			return nil, &LineError{Number: i + 1, Line: s, Err: err}
		}
		for _, p := range paths {
			if len(p) >= 2 {
				out = append(out, Line{Number: i + 1, Path: p[1:]})
			}
		}
	}
	return out, nil
}

// splitVyattaOutput splits one line of `show configuration commands` output the way EdgeOS
// prints it (vyatta-cfg, cnode-algorithm.cpp): path components separated by single spaces,
// each printed bare, or in single quotes when it is empty or holds white space or one of the
// shell's special characters. Nothing inside the quotes is escaped, so the output is not
// shell input: a value written by hand that holds a single quote (EdgeOS refuses one in a
// `set`, but a hand-edited config.boot can carry it) prints as 'Azure's gateway'. A quoted
// component therefore ends at a quote that is followed by a space or the end of the line,
// and a bare component may hold quotes (Azure's). VyOS 1.1's output, which quotes every
// value, reads the same way.
func splitVyattaOutput(line string) ([]string, error) {
	var out []string
	i := 0
	for i < len(line) {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			break
		}
		if line[i] != '\'' {
			j := strings.IndexAny(line[i:], " \t")
			if j < 0 {
				j = len(line) - i
			}
			out = append(out, line[i:i+j])
			i += j
			continue
		}
		// A quoted component: the closing quote is the first one followed by white space
		// or the end of the line.
		end := -1
		for k := i + 1; k < len(line); k++ {
			if line[k] == '\'' && (k+1 == len(line) || line[k+1] == ' ' || line[k+1] == '\t') {
				end = k
				break
			}
		}
		if end < 0 {
			return nil, fmt.Errorf("unterminated single quote at column %d", i+1)
		}
		out = append(out, line[i+1:end])
		i = end + 1
	}
	return out, nil
}
