package junos

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
)

// devicePaths reads a configuration listing into paths: the `display set` form, or, when the
// text holds no `set` line but statements ending in `{` or `;`, the curly form that `show
// configuration` prints without `| display set`.
func devicePaths(text string) ([][]string, error) {
	lines, err := setconf.ParseListing(text, setconf.Junos)
	if err != nil {
		return nil, err
	}
	if len(lines) == 0 && curlyRE.MatchString(text) {
		return parseCurly(text)
	}
	paths := make([][]string, len(lines))
	for i, l := range lines {
		paths[i] = l.Path
	}
	return paths, nil
}

// curlyRE finds a line of the curly form: a statement ending in `{` or `;`.
var curlyRE = regexp.MustCompile(`(?m)^\s*[^\s#/].*[{;](\s*##.*)?\s*$`)

// parseCurly reads the curly form: `name {` opens a level, `}` closes it, `statement;` is a
// leaf, `leaf [ a b ];` a leaf-list (one path per value), strings in double quotes with
// backslash escapes, `## ...` comments to the end of the line, `/* ... */` annotations,
// `inactive:`/`protect:` markers (dropped, as `display set` prints such statements as set
// lines too). Lines that are prompts, `[edit]` levels or cluster node lines are skipped. An
// unterminated string or an unbalanced brace is an error naming the line.
func parseCurly(text string) ([][]string, error) {
	var (
		out    [][]string
		stack  [][]string // the statement of each open level
		cur    []string
		list   []string
		inList bool
	)
	flush := func() {
		var prefix []string
		for _, s := range stack {
			prefix = append(prefix, s...)
		}
		if inList {
			for _, v := range list {
				out = append(out, append(append(append([]string(nil), prefix...), cur...), v))
			}
		} else if len(cur) > 0 {
			out = append(out, append(append([]string(nil), prefix...), cur...))
		}
		cur, list, inList = nil, nil, false
	}
	add := func(tok string) {
		if len(cur) == 0 && !inList && (tok == "inactive:" || tok == "protect:") {
			return
		}
		if inList {
			list = append(list, tok)
		} else {
			cur = append(cur, tok)
		}
	}
	inComment := false
	for n, raw := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		l := strings.TrimSpace(raw)
		if !inComment && (l == "" || promptLineRE.MatchString(l) || noise.MatchString(l)) {
			continue
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if inComment {
				if strings.HasPrefix(l[i:], "*/") {
					inComment = false
					i++
				}
				continue
			}
			switch {
			case c == ' ' || c == '\t':
			case c == '#' && i+1 < len(l) && l[i+1] == '#':
				i = len(l)
			case strings.HasPrefix(l[i:], "/*"):
				inComment = true
				i++
			case c == '{':
				var prefix []string
				prefix = append(prefix, cur...)
				stack = append(stack, prefix)
				cur = nil
			case c == '}':
				if len(cur) > 0 {
					flush()
				}
				if len(stack) == 0 {
					return nil, &setconf.LineError{Number: n + 1, Line: raw, Err: fmt.Errorf("unbalanced }")}
				}
				stack = stack[:len(stack)-1]
			case c == ';':
				flush()
			case c == '[' && !inList:
				inList = true
			case c == ']' && inList:
			case c == '"':
				var b strings.Builder
				j := i + 1
				for ; j < len(l) && l[j] != '"'; j++ {
					if l[j] == '\\' && j+1 < len(l) {
						j++
					}
					b.WriteByte(l[j])
				}
				if j >= len(l) {
					return nil, &setconf.LineError{Number: n + 1, Line: raw, Err: fmt.Errorf("unterminated double quote at column %d", i+1)}
				}
				add(b.String())
				i = j
			default:
				j := i
				for j < len(l) && !strings.ContainsRune(" \t{};\"[]", rune(l[j])) {
					j++
				}
				if j == i { // a bracket out of place is a token of its own
					j++
				}
				add(l[i:j])
				i = j - 1
			}
		}
	}
	if len(stack) != 0 {
		return nil, fmt.Errorf("the configuration ends inside %d open block(s)", len(stack))
	}
	return out, nil
}

// promptLineRE is a prompt, possibly followed by the echoed command.
var promptLineRE = regexp.MustCompile(`^[A-Za-z0-9_.\-]+@[A-Za-z0-9_.\-]+[>#%]( .*)?$`)
