package edgeos

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

// The EdgeOS CLI is vbash — bash with Vyatta's completion and command functions — in both
// operational and configuration mode, so every input line is first a bash command line. This
// file is the part of bash the simulator models:
//
//   - words: '...' (literal), "..." (backslash escapes only $ ` " \ and newline; $-expansions
//     inside), $'...' (ANSI-C escapes: \n \t \xHH \NNN \uHHHH...), $"..." (as "..."), a
//     backslash outside quotes escapes the next character; adjacent parts form one word, so
//     'Azure'\''s' is the word Azure's;
//   - expansions: $NAME, ${NAME}, $?, $$, $#, $0-$9, $@, $*, $(command) and `command` (run
//     by this interpreter); results of unquoted expansions are split on white space. Pathname
//     expansion finds no file (the home directory is empty), so * ? [ stay as typed. Tilde,
//     brace and history expansion are not modelled;
//   - a # that starts a word starts a comment (interactive_comments is on), also at the start
//     of a line;
//   - lists and pipelines: ; & (run like ;) && || and |, with the exit status in $?;
//     redirections > >> < 2> &> 2>&1 (files are not kept: output written to one is gone); ( and
//     ) are syntax errors ("-vbash: syntax error near unexpected token `('");
//   - an unterminated quote, a trailing backslash or a trailing | && || makes the line
//     incomplete: an interactive shell then prints the continuation prompt "> " and joins the
//     next line (Incomplete, ContinuationPrompt);
//   - built-ins: echo, true, false, :, export, unset, builtin, cd, pwd, and the programs stty,
//     cat, grep/egrep, head, tail, wc, sort; Vyatta's pipe functions match, no-match, count,
//     no-more; more and less page when their output is the terminal;
//   - paging: op-mode `show ...` writing to the terminal, and config-mode `show` and `compare`,
//     pipe their output through $VYATTA_PAGER (default less: pages of rows-1 lines and a ":"
//     prompt; cat or empty: no paging; more: "--More--"); a pipe after the command means the
//     pager does not page.
//
// Configuration mode is a child shell (configure runs newgrp): it starts with a copy of the
// operational shell's variables, and what is set in it is gone after exit.

// shIncomplete is a command line that needs more input: an open quote (quote is ' " or `), a
// trailing backslash or a trailing operator (quote 0).
type shIncomplete struct{ quote byte }

func (e *shIncomplete) Error() string {
	if e.quote != 0 {
		return fmt.Sprintf("unexpected EOF while looking for matching `%c'", e.quote)
	}
	return "syntax error: unexpected end of file"
}

type shSyntaxError struct{ tok string }

func (e *shSyntaxError) Error() string {
	return "syntax error near unexpected token `" + e.tok + "'"
}

// shTok is a word (op == "") or an operator.
type shTok struct {
	op   string // ; & && || | \n ( ) or a redirection: > >> < >& &>
	fd   int    // redirections: the file descriptor redirected
	word string // the raw word, quotes included
}

func shIsMeta(c byte) bool { return strings.IndexByte(" \t\n;&|<>()", c) >= 0 }

// shLex splits a command line into words (quotes kept) and operators, dropping comments.
func shLex(line string) ([]shTok, error) {
	var toks []shTok
	for i := 0; i < len(line); {
		c := line[i]
		next := byte(0)
		if i+1 < len(line) {
			next = line[i+1]
		}
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '\n':
			toks = append(toks, shTok{op: "\n"})
			i++
		case c == '#':
			j := strings.IndexByte(line[i:], '\n')
			if j < 0 {
				return toks, nil
			}
			i += j
		case c == ';':
			if next == ';' {
				return nil, &shSyntaxError{";;"}
			}
			toks = append(toks, shTok{op: ";"})
			i++
		case c == '&':
			switch next {
			case '&':
				toks = append(toks, shTok{op: "&&"})
				i += 2
			case '>':
				toks = append(toks, shTok{op: "&>", fd: 1})
				i += 2
			default:
				toks = append(toks, shTok{op: "&"})
				i++
			}
		case c == '|':
			if next == '|' {
				toks = append(toks, shTok{op: "||"})
				i += 2
			} else {
				toks = append(toks, shTok{op: "|"})
				i++
				if next == '&' {
					i++
				}
			}
		case c == '<' || c == '>':
			fd := 1
			if c == '<' {
				fd = 0
			}
			i += shRedirOp(line, i, fd, &toks)
		case c == '(' || c == ')':
			toks = append(toks, shTok{op: string(c)})
			i++
		default:
			w, j, err := shScanWord(line, i)
			if err != nil {
				return nil, err
			}
			if j < len(line) && (line[j] == '<' || line[j] == '>') && isDigits(w) && len(w) < 3 {
				fd, _ := strconv.Atoi(w)
				i = j + shRedirOp(line, j, fd, &toks)
				continue
			}
			toks = append(toks, shTok{word: w})
			i = j
		}
	}
	return toks, nil
}

// shRedirOp appends the redirection operator at line[i] and returns its length.
func shRedirOp(line string, i, fd int, toks *[]shTok) int {
	rest := line[i:]
	switch {
	case strings.HasPrefix(rest, ">>"):
		*toks = append(*toks, shTok{op: ">>", fd: fd})
		return 2
	case strings.HasPrefix(rest, ">&"):
		*toks = append(*toks, shTok{op: ">&", fd: fd})
		return 2
	case strings.HasPrefix(rest, ">|"):
		*toks = append(*toks, shTok{op: ">", fd: fd})
		return 2
	case rest[0] == '>':
		*toks = append(*toks, shTok{op: ">", fd: fd})
	default:
		*toks = append(*toks, shTok{op: "<", fd: fd})
	}
	return 1
}

// shScanWord returns the raw word starting at s[i] and the index after it.
func shScanWord(s string, i int) (string, int, error) {
	start := i
	var err error
	for i < len(s) && err == nil {
		c := s[i]
		if shIsMeta(c) || c == '\r' {
			break
		}
		switch c {
		case '\\':
			if i+1 >= len(s) {
				return "", 0, &shIncomplete{}
			}
			i += 2
		case '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return "", 0, &shIncomplete{'\''}
			}
			i += j + 2
		case '"':
			i, err = shScanDouble(s, i+1)
		case '`':
			i, err = shScanBacktick(s, i+1)
		case '$':
			i, err = shScanDollar(s, i)
		default:
			i++
		}
	}
	if err != nil {
		return "", 0, err
	}
	return s[start:i], i, nil
}

// shScanDouble scans from after an opening " to after its closing ".
func shScanDouble(s string, i int) (int, error) {
	for i < len(s) {
		switch s[i] {
		case '\\':
			i += 2
		case '"':
			return i + 1, nil
		case '`':
			j, err := shScanBacktick(s, i+1)
			if err != nil {
				return 0, err
			}
			i = j
		case '$':
			j, err := shScanDollar(s, i)
			if err != nil {
				return 0, err
			}
			i = j
		default:
			i++
		}
	}
	return 0, &shIncomplete{'"'}
}

func shScanBacktick(s string, i int) (int, error) {
	for i < len(s) {
		switch s[i] {
		case '\\':
			i += 2
		case '`':
			return i + 1, nil
		default:
			i++
		}
	}
	return 0, &shIncomplete{'`'}
}

// shScanDollar scans a $ construct at s[i] and returns the index after it.
func shScanDollar(s string, i int) (int, error) {
	if i+1 >= len(s) {
		return i + 1, nil
	}
	switch s[i+1] {
	case '\'':
		for j := i + 2; j < len(s); j++ {
			switch s[j] {
			case '\\':
				j++
			case '\'':
				return j + 1, nil
			}
		}
		return 0, &shIncomplete{'\''}
	case '"':
		return shScanDouble(s, i+2)
	case '{':
		j := strings.IndexByte(s[i+2:], '}')
		if j < 0 {
			return 0, &shIncomplete{'}'}
		}
		return i + 2 + j + 1, nil
	case '(':
		depth := 1
		for j := i + 2; j < len(s); j++ {
			switch s[j] {
			case '\\':
				j++
			case '\'':
				k := strings.IndexByte(s[j+1:], '\'')
				if k < 0 {
					return 0, &shIncomplete{'\''}
				}
				j += k + 1
			case '"':
				k, err := shScanDouble(s, j+1)
				if err != nil {
					return 0, err
				}
				j = k - 1
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, &shIncomplete{')'}
	}
	return i + 1, nil
}

// --- parse ---

type shRedir struct {
	op     string
	fd     int
	target string
}

type shCmd struct {
	words  []string
	redirs []shRedir
}

type shPipeline []shCmd

// shAndOr is pipelines joined by && and ||.
type shAndOr struct {
	pipes []shPipeline
	ops   []string
}

// shParse builds the command list of a lexed line.
func shParse(toks []shTok) ([]shAndOr, error) {
	var list []shAndOr
	i := 0
	skipNewlines := func() {
		for i < len(toks) && toks[i].op == "\n" {
			i++
		}
	}
	parseCmd := func() (shCmd, error) {
		var c shCmd
		for i < len(toks) {
			t := toks[i]
			switch t.op {
			case "":
				c.words = append(c.words, t.word)
				i++
				continue
			case ">", ">>", "<", ">&", "&>":
				if i+1 >= len(toks) || toks[i+1].op != "" {
					if i+1 >= len(toks) || toks[i+1].op == "\n" {
						return c, &shSyntaxError{"newline"}
					}
					return c, &shSyntaxError{toks[i+1].op}
				}
				c.redirs = append(c.redirs, shRedir{op: t.op, fd: t.fd, target: toks[i+1].word})
				i += 2
				continue
			case "(", ")":
				return c, &shSyntaxError{t.op}
			}
			break
		}
		if len(c.words) == 0 && len(c.redirs) == 0 {
			if i >= len(toks) {
				return c, &shIncomplete{}
			}
			tok := toks[i].op
			if tok == "\n" {
				tok = "newline"
			}
			return c, &shSyntaxError{tok}
		}
		return c, nil
	}
	parsePipeline := func() (shPipeline, error) {
		var p shPipeline
		for {
			c, err := parseCmd()
			if err != nil {
				return nil, err
			}
			p = append(p, c)
			if i < len(toks) && toks[i].op == "|" {
				i++
				skipNewlines()
				continue
			}
			return p, nil
		}
	}
	for {
		skipNewlines()
		if i >= len(toks) {
			return list, nil
		}
		var ao shAndOr
		for {
			p, err := parsePipeline()
			if err != nil {
				return nil, err
			}
			ao.pipes = append(ao.pipes, p)
			if i < len(toks) && (toks[i].op == "&&" || toks[i].op == "||") {
				ao.ops = append(ao.ops, toks[i].op)
				i++
				skipNewlines()
				continue
			}
			break
		}
		list = append(list, ao)
		if i < len(toks) {
			switch toks[i].op {
			case ";", "&", "\n":
				i++
			default:
				return nil, &shSyntaxError{toks[i].op}
			}
		}
	}
}

// shIncompleteLine reports whether an interactive shell waits for more input after line.
func shIncompleteLine(line string) bool {
	toks, err := shLex(line)
	var inc *shIncomplete
	if errors.As(err, &inc) {
		return true
	}
	if err != nil {
		return false
	}
	_, err = shParse(toks)
	return errors.As(err, &inc)
}

// --- expansion ---

// shExpander expands words. run executes a command substitution and returns its output; nil
// leaves $(...) and `...` as typed (used for the control API's lines).
type shExpander struct {
	vars    func(string) (string, bool)
	run     func(src string) string
	literal bool // no $ expansions at all (quote removal only)
}

type shFields struct {
	out  []string
	cur  strings.Builder
	have bool // the current field exists (it may be empty: '' or "")
}

func (f *shFields) lit(s string) { f.cur.WriteString(s); f.have = true }

// split adds the result of an unquoted expansion: split on white space.
func (f *shFields) split(s string) {
	if s == "" {
		return
	}
	isSpace := func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' }
	if isSpace(rune(s[0])) {
		f.end()
	}
	for i, part := range strings.FieldsFunc(s, isSpace) {
		if i > 0 {
			f.end()
		}
		f.cur.WriteString(part)
		f.have = true
	}
	if isSpace(rune(s[len(s)-1])) {
		f.end()
	}
}

func (f *shFields) end() {
	if f.have {
		f.out = append(f.out, f.cur.String())
	}
	f.cur.Reset()
	f.have = false
}

// expand turns a raw word into fields.
func (x *shExpander) expand(raw string) []string {
	var f shFields
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			if i+1 < len(raw) && raw[i+1] != '\n' {
				f.lit(raw[i+1 : i+2])
			}
			i += 2
		case c == '\'':
			j := strings.IndexByte(raw[i+1:], '\'')
			f.lit(raw[i+1 : i+1+j])
			i += j + 2
		case c == '"':
			j, _ := shScanDouble(raw, i+1)
			f.lit(x.double(raw[i+1 : j-1]))
			i = j
		case c == '$' && i+1 < len(raw) && raw[i+1] == '\'':
			j, _ := shScanDollar(raw, i)
			f.lit(ansiC(raw[i+2 : j-1]))
			i = j
		case c == '$' && i+1 < len(raw) && raw[i+1] == '"':
			j, _ := shScanDollar(raw, i)
			f.lit(x.double(raw[i+2 : j-1]))
			i = j
		case c == '$' && !x.literal:
			v, j := x.dollar(raw, i)
			f.split(v)
			i = j
		case c == '`' && !x.literal && x.run != nil:
			j, _ := shScanBacktick(raw, i+1)
			f.split(x.run(unescapeBacktick(raw[i+1 : j-1])))
			i = j
		default:
			_, size := utf8.DecodeRuneInString(raw[i:])
			f.lit(raw[i : i+size])
			i += size
		}
	}
	f.end()
	return f.out
}

// double is the content of "..." after expansion.
func (x *shExpander) double(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			switch s[i+1] {
			case '$', '`', '"', '\\':
				b.WriteByte(s[i+1])
			case '\n':
			default:
				b.WriteString(s[i : i+2])
			}
			i += 2
		case c == '$' && !x.literal:
			v, j := x.dollar(s, i)
			b.WriteString(v)
			i = j
		case c == '`' && !x.literal && x.run != nil:
			j, _ := shScanBacktick(s, i+1)
			b.WriteString(x.run(unescapeBacktick(s[i+1 : j-1])))
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// dollar expands the $ construct at s[i]; it returns the value and the index after it.
func (x *shExpander) dollar(s string, i int) (string, int) {
	if i+1 >= len(s) {
		return "$", i + 1
	}
	c := s[i+1]
	switch {
	case c == '(':
		j, err := shScanDollar(s, i)
		if err != nil || x.run == nil {
			return s[i:], len(s)
		}
		if strings.HasPrefix(s[i:], "$((") {
			return "", j // arithmetic is not modelled
		}
		return strings.TrimRight(x.run(s[i+2:j-1]), "\n"), j
	case c == '{':
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return s[i:], len(s)
		}
		v, _ := x.vars(s[i+2 : i+j])
		return v, i + j + 1
	case c == '?' || c == '$' || c == '#' || c == '@' || c == '*' || c == '-' || c == '!' || (c >= '0' && c <= '9'):
		v, _ := x.vars(string(c))
		return v, i + 2
	case c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z'):
		j := i + 1
		for j < len(s) && (s[j] == '_' || s[j]|0x20 >= 'a' && s[j]|0x20 <= 'z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		v, _ := x.vars(s[i+1 : j])
		return v, j
	}
	return "$", i + 1
}

func unescapeBacktick(s string) string {
	r := strings.NewReplacer("\\`", "`", "\\\\", "\\", "\\$", "$")
	return r.Replace(s)
}

// ansiC decodes the inside of $'...'.
func ansiC(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch c := s[i]; c {
		case 'a':
			b.WriteByte(7)
		case 'b':
			b.WriteByte(8)
		case 'e', 'E':
			b.WriteByte(0x1b)
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case '\\', '\'', '"', '?':
			b.WriteByte(c)
		case 'c':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i] & 0x1f)
			}
		case 'x', 'u', 'U':
			max := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
			j := i + 1
			for j < len(s) && j-i-1 < max && strings.IndexByte("0123456789abcdefABCDEF", s[j]) >= 0 {
				j++
			}
			if j == i+1 {
				b.WriteString("\\" + string(c))
				continue
			}
			n, _ := strconv.ParseUint(s[i+1:j], 16, 32)
			if c == 'x' {
				b.WriteByte(byte(n))
			} else {
				b.WriteRune(rune(n))
			}
			i = j - 1
		default:
			if c >= '0' && c <= '7' {
				j := i
				for j < len(s) && j-i < 3 && s[j] >= '0' && s[j] <= '7' {
					j++
				}
				n, _ := strconv.ParseUint(s[i:j], 8, 16)
				b.WriteByte(byte(n))
				i = j - 1
				continue
			}
			b.WriteByte('\\')
			b.WriteByte(c)
		}
	}
	return b.String()
}

// shWordsLiteral splits a line into words with quote removal only (no expansion, no
// comments in the middle of a line): the form of the lines given to the control API.
func shWordsLiteral(line string) ([]string, error) {
	toks, err := shLex(line)
	if err != nil {
		return nil, err
	}
	x := &shExpander{literal: true}
	var out []string
	for _, t := range toks {
		if t.op != "" {
			return nil, fmt.Errorf("unexpected %q", t.op)
		}
		out = append(out, x.expand(t.word)...)
	}
	return out, nil
}

// --- execution ---

// shResult is what one command did.
type shResult struct {
	out, err string
	status   int
	pager    string // "vyatta": the output goes through $VYATTA_PAGER; "more", "less"
}

const defaultVyattaPager = "less --buffers=64 --auto-buffers --no-lessopen --QUIT-AT-EOF --quit-if-one-screen --RAW-CONTROL-CHARS --squeeze-blank-lines --no-init"

// vars is the variable table of the current shell (operational or configuration mode).
func (s *edgeSession) vars() map[string]string {
	if s.cfgMode {
		if s.cfgVars == nil {
			s.cfgVars = cloneVars(s.opVars)
		}
		return s.cfgVars
	}
	return s.opVars
}

func cloneVars(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (s *edgeSession) lookupVar(name string) (string, bool) {
	switch name {
	case "?":
		return strconv.Itoa(s.status), true
	case "$":
		return "4242", true
	case "0":
		return "-vbash", true
	case "#":
		return strconv.Itoa(len(s.positional)), true
	case "@", "*":
		return strings.Join(s.positional, " "), true
	case "-":
		return "himBH", true
	case "!":
		return "", false
	}
	if n, err := strconv.Atoi(name); err == nil {
		if n >= 1 && n <= len(s.positional) {
			return s.positional[n-1], true
		}
		return "", false
	}
	v, ok := s.vars()[name]
	return v, ok
}

func (s *edgeSession) expander() *shExpander {
	return &shExpander{vars: s.lookupVar, run: s.substitute}
}

// substitute runs a command substitution and returns its standard output; what it prints on
// standard error goes to the terminal.
func (s *edgeSession) substitute(src string) string {
	if s.depth > 8 {
		return ""
	}
	s.depth++
	defer func() { s.depth-- }()
	var out strings.Builder
	saved := s.segs
	s.segs = nil
	s.runSource(src)
	for _, sg := range s.segs {
		if sg.stderr {
			saved = append(saved, sg)
		} else {
			out.WriteString(sg.Text)
		}
	}
	s.segs = saved
	return out.String()
}

// runSource runs a command line (a list of pipelines).
func (s *edgeSession) runSource(src string) {
	toks, err := shLex(src)
	var list []shAndOr
	if err == nil {
		list, err = shParse(toks)
	}
	if err != nil {
		msg := "-vbash: " + err.Error() + "\n"
		var inc *shIncomplete
		if errors.As(err, &inc) && inc.quote != 0 {
			msg += "-vbash: syntax error: unexpected end of file\n"
		}
		s.emit(shResult{err: msg, status: 2}, false)
		s.status = 2
		return
	}
	for _, ao := range list {
		for k, p := range ao.pipes {
			if k > 0 && (ao.ops[k-1] == "&&") != (s.status == 0) {
				continue
			}
			r := s.runPipeline(p)
			s.status = r.status
			s.emit(r, len(p) == 1 || r.pager == "more" || r.pager == "less")
			if s.closing {
				return
			}
		}
	}
}

// segment is a piece of a command's terminal output; Page > 0 pages it.
type segment struct {
	simulator.Segment
	stderr bool
}

// emit appends the output of a pipeline; toTerminal tells whether its last command writes to
// the terminal (no pipe after it).
func (s *edgeSession) emit(r shResult, toTerminal bool) {
	if r.err != "" {
		s.segs = append(s.segs, segment{Segment: simulator.Segment{Text: r.err}, stderr: true})
	}
	if r.out == "" {
		return
	}
	sg := simulator.Segment{Text: r.out}
	if s.interactive && toTerminal {
		switch r.pager {
		case "vyatta":
			sg.Page, sg.Prompt = s.pagerFor(s.vars()["VYATTA_PAGER"])
		case "more":
			sg.Page, sg.Prompt = s.pageLines(), "--More--"
		case "less":
			sg.Page, sg.Prompt = s.pageLines(), ":"
		}
	}
	s.segs = append(s.segs, segment{Segment: sg})
}

func (s *edgeSession) pageLines() int { return max(s.rows-1, 1) }

// pagerFor is how $VYATTA_PAGER pages (`eval "... | ${VYATTA_PAGER:-cat}"`).
func (s *edgeSession) pagerFor(pager string) (int, string) {
	switch strings.Fields(pager + " cat")[0] {
	case "less":
		return s.pageLines(), ":"
	case "more":
		return s.pageLines(), "--More--"
	}
	return 0, ""
}

// runPipeline runs the commands of a pipeline, each reading the output of the one before.
func (s *edgeSession) runPipeline(p shPipeline) shResult {
	var (
		input string
		errs  strings.Builder
		last  shResult
	)
	x := s.expander()
	for i, c := range p {
		var argv []string
		for _, w := range c.words {
			argv = append(argv, x.expand(w)...)
		}
		r := s.runCmd(argv, input, i < len(p)-1)
		r = s.redirect(r, c.redirs, x)
		errs.WriteString(r.err)
		input, last = r.out, r
		if s.closing {
			break
		}
	}
	last.err = errs.String()
	return last
}

// redirect applies a command's redirections to its result. Files are not kept.
func (s *edgeSession) redirect(r shResult, rs []shRedir, x *shExpander) shResult {
	for _, rd := range rs {
		target := strings.Join(x.expand(rd.target), " ")
		switch {
		case rd.op == "<":
			r.err += "-vbash: " + target + ": No such file or directory\n"
			r.out, r.status = "", 1
		case rd.op == "&>":
			r.out, r.err = "", ""
		case rd.op == ">&" && target == "1" && rd.fd == 2:
			r.out += r.err
			r.err = ""
		case rd.op == ">&" && target == "2" && rd.fd == 1:
			r.err += r.out
			r.out = ""
		case rd.fd == 2:
			r.err = ""
		case rd.fd == 1:
			r.out = ""
		}
	}
	return r
}

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// runCmd runs one simple command. outPiped tells whether its output goes to another command.
func (s *edgeSession) runCmd(argv []string, input string, outPiped bool) shResult {
	// Leading NAME=value words are assignments; alone they set shell variables.
	n := 0
	for n < len(argv) {
		name, _, ok := strings.Cut(argv[n], "=")
		if !ok || !identRe.MatchString(name) {
			break
		}
		n++
	}
	if n == len(argv) {
		for _, a := range argv {
			name, v, _ := strings.Cut(a, "=")
			s.vars()[name] = v
		}
		return shResult{}
	}
	argv = argv[n:]
	if r, ok := s.builtin(argv, input, outPiped); ok {
		return r
	}
	if rest, ok := cutArgv(argv, cfgWrapper); ok {
		switch strings.Join(rest, " ") {
		case "begin":
			s.cfgMode, s.level, s.ops = true, nil, nil
			return shResult{}
		case "end":
			s.leaveConfig()
			return shResult{}
		}
		s.cfgMode = true
		return s.configCmd(rest)
	}
	if rest, ok := cutArgv(argv, opWrapper); ok {
		return s.opCmd(rest)
	}
	if s.cfgMode {
		return s.configCmd(argv)
	}
	return s.opCmd(argv)
}

func cutArgv(argv []string, cmd string) ([]string, bool) {
	if len(argv) > 0 && argv[0] == cmd {
		return argv[1:], true
	}
	return nil, false
}

// builtin runs the shell built-ins and the few programs modelled in both modes.
func (s *edgeSession) builtin(argv []string, input string, outPiped bool) (shResult, bool) {
	switch argv[0] {
	case "builtin":
		if len(argv) == 1 {
			return shResult{}, true
		}
		if r, ok := s.builtin(argv[1:], input, outPiped); ok {
			return r, true
		}
		return shResult{err: "-vbash: builtin: " + argv[1] + ": not a shell builtin\n", status: 1}, true
	case "true", ":":
		return shResult{}, true
	case "false":
		return shResult{status: 1}, true
	case "echo":
		return shResult{out: echo(argv[1:])}, true
	case "export":
		return s.export(argv[1:]), true
	case "unset":
		for _, a := range argv[1:] {
			if a != "-v" && a != "-f" {
				delete(s.vars(), a)
			}
		}
		return shResult{}, true
	case "cd":
		return shResult{}, true
	case "pwd":
		return shResult{out: "/home/" + s.user + "\n"}, true
	case "stty":
		return s.stty(argv[1:]), true
	case "cat", "no-more":
		return shResult{out: input}, true
	case "more", "less":
		if outPiped {
			return shResult{out: input}, true
		}
		return shResult{out: input, pager: argv[0]}, true
	case "grep", "egrep", "fgrep":
		return grep(argv, input), true
	case "match", "no-match":
		if len(argv) < 2 {
			return shResult{err: "Usage: grep [OPTION]... PATTERN [FILE]...\nTry `grep --help' for more information.\n", status: 2}, true
		}
		opts := []string{"grep", "-E", "-e", argv[1]}
		if argv[0] == "no-match" {
			opts = []string{"grep", "-E", "-v", "-e", argv[1]}
		}
		return grep(opts, input), true
	case "count":
		return shResult{out: strconv.Itoa(strings.Count(input, "\n")) + "\n"}, true
	case "wc":
		return shResult{out: strconv.Itoa(strings.Count(input, "\n")) + "\n"}, true
	case "head", "tail":
		return headTail(argv, input), true
	case "sort":
		lines := strings.SplitAfter(input, "\n")
		if lines[len(lines)-1] == "" {
			lines = lines[:len(lines)-1]
		}
		sort.Strings(lines)
		return shResult{out: strings.Join(lines, "")}, true
	}
	return shResult{}, false
}

// echo is bash's echo built-in (xpg_echo off).
func echo(args []string) string {
	newline, escapes := true, false
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' && strings.Trim(args[0][1:], "neE") == "" {
		for _, c := range args[0][1:] {
			switch c {
			case 'n':
				newline = false
			case 'e':
				escapes = true
			case 'E':
				escapes = false
			}
		}
		args = args[1:]
	}
	out := strings.Join(args, " ")
	if escapes {
		if i := strings.Index(out, `\c`); i >= 0 {
			out, newline = out[:i], false
		}
		out = ansiC(strings.ReplaceAll(out, `\0`, `\`))
	}
	if newline {
		out += "\n"
	}
	return out
}

func (s *edgeSession) export(args []string) shResult {
	if len(args) == 0 || (len(args) == 1 && args[0] == "-p") {
		var names []string
		for k := range s.vars() {
			names = append(names, k)
		}
		sort.Strings(names)
		var b strings.Builder
		for _, k := range names {
			fmt.Fprintf(&b, "declare -x %s=%q\n", k, s.vars()[k])
		}
		return shResult{out: b.String()}
	}
	var r shResult
	for _, a := range args {
		if a == "-n" || a == "-p" || a == "-f" {
			continue
		}
		name, v, hasValue := strings.Cut(a, "=")
		if !identRe.MatchString(name) {
			r.err += "-vbash: export: `" + a + "': not a valid identifier\n"
			r.status = 1
			continue
		}
		if hasValue {
			s.vars()[name] = v
		} else if _, ok := s.vars()[name]; !ok {
			s.vars()[name] = ""
		}
	}
	return r
}

// stty is coreutils' stty on the session's pty.
func (s *edgeSession) stty(args []string) shResult {
	if !s.interactive {
		return shResult{err: "stty: standard input: Inappropriate ioctl for device\n", status: 1}
	}
	if len(args) == 0 || args[0] == "-a" || args[0] == "--all" || args[0] == "-g" {
		return shResult{out: fmt.Sprintf("speed 38400 baud; rows %d; columns %d; line = 0;\n", s.rows, s.cols)}
	}
	flags := map[string]bool{"icanon": true, "isig": true, "iexten": true, "ixon": true, "ixoff": true,
		"icrnl": true, "onlcr": true, "opost": true, "echoe": true, "echok": true, "echoctl": true,
		"echoke": true, "crtscts": true, "istrip": true, "inlcr": true, "igncr": true, "ocrnl": true}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch a {
		case "size":
			return shResult{out: fmt.Sprintf("%d %d\n", s.rows, s.cols)}
		case "echo", "sane", "cooked":
			s.echoOff = false
		case "-echo":
			s.echoOff = true
		case "raw", "-raw", "-cooked":
		case "rows", "cols", "columns":
			if i+1 >= len(args) {
				return shResult{err: "stty: missing argument to `" + a + "'\nTry `stty --help' for more information.\n", status: 1}
			}
			i++
			n, err := strconv.Atoi(args[i])
			if err != nil || n < 0 {
				return shResult{err: "stty: invalid integer argument `" + args[i] + "'\nTry `stty --help' for more information.\n", status: 1}
			}
			if a == "rows" {
				s.rows = n
			} else {
				s.cols = n
			}
		default:
			if !flags[strings.TrimPrefix(a, "-")] {
				return shResult{err: "stty: invalid argument `" + a + "'\nTry `stty --help' for more information.\n", status: 1}
			}
		}
	}
	return shResult{}
}

// grep is GNU grep on its standard input: -E -F -v -i -c -e PATTERN; a pattern without -E is
// a basic regular expression.
func grep(argv []string, input string) shResult {
	var (
		ext, fixed, invert, icase, count bool
		pattern                          *string
	)
	ext = argv[0] == "egrep"
	fixed = argv[0] == "fgrep"
	args := argv[1:]
	for len(args) > 0 {
		a := args[0]
		if a == "--" {
			args = args[1:]
			break
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		args = args[1:]
		for j := 1; j < len(a); j++ {
			switch a[j] {
			case 'E':
				ext = true
			case 'F':
				fixed = true
			case 'v':
				invert = true
			case 'i':
				icase = true
			case 'c':
				count = true
			case 'e':
				p := a[j+1:]
				if p == "" && len(args) > 0 {
					p, args = args[0], args[1:]
				}
				pattern = &p
				j = len(a)
			default:
				return shResult{err: fmt.Sprintf("grep: invalid option -- '%c'\nUsage: grep [OPTION]... PATTERN [FILE]...\nTry `grep --help' for more information.\n", a[j]), status: 2}
			}
		}
	}
	if pattern == nil {
		if len(args) == 0 {
			return shResult{err: "Usage: grep [OPTION]... PATTERN [FILE]...\nTry `grep --help' for more information.\n", status: 2}
		}
		pattern, args = &args[0], args[1:]
	}
	if len(args) > 0 {
		return shResult{err: "grep: " + args[0] + ": No such file or directory\n", status: 2}
	}
	expr := *pattern
	switch {
	case fixed:
		expr = regexp.QuoteMeta(expr)
	case !ext:
		expr = breToERE(expr)
	}
	if icase {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return shResult{err: "grep: Invalid regular expression\n", status: 2}
	}
	var b strings.Builder
	n := 0
	for _, l := range strings.SplitAfter(input, "\n") {
		if l == "" {
			continue
		}
		if re.MatchString(strings.TrimSuffix(l, "\n")) != invert {
			n++
			b.WriteString(l)
		}
	}
	r := shResult{out: b.String()}
	if count {
		r.out = strconv.Itoa(n) + "\n"
	}
	if n == 0 {
		r.status = 1
	}
	return r
}

// breToERE converts a POSIX basic regular expression to the extended syntax: \( \) \{ \} \|
// \+ \? are operators, the bare characters are literal.
func breToERE(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p) && strings.IndexByte("(){}|+?", p[i+1]) >= 0:
			b.WriteByte(p[i+1])
			i++
		case c == '\\' && i+1 < len(p):
			b.WriteString(p[i : i+2])
			i++
		case strings.IndexByte("(){}|+?", c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func headTail(argv []string, input string) shResult {
	n := 10
	for i := 1; i < len(argv); i++ {
		a := argv[i]
		switch {
		case a == "-n" && i+1 < len(argv):
			i++
			a = argv[i]
		case strings.HasPrefix(a, "-n"):
			a = a[2:]
		case strings.HasPrefix(a, "-"):
			a = a[1:]
		}
		v, err := strconv.Atoi(a)
		if err != nil {
			return shResult{err: argv[0] + ": invalid number of lines: `" + a + "'\n", status: 1}
		}
		n = v
	}
	lines := strings.SplitAfter(input, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if n > len(lines) {
		n = len(lines)
	}
	if argv[0] == "head" {
		return shResult{out: strings.Join(lines[:n], "")}
	}
	return shResult{out: strings.Join(lines[len(lines)-n:], "")}
}
