package simulator

import (
	"bufio"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/ssh"
)

// input reads the client's bytes one at a time. It remembers whether the last line ended
// with "\r" so that the "\n" of a "\r\n" pair is skipped even when it arrives in a later
// packet, also while the pager waits for a key.
type input struct {
	r      *bufio.Reader
	lastCR bool
	flush  func() // called before a read that would block
}

func (in *input) readByte() (byte, error) {
	for {
		if in.r.Buffered() == 0 && in.flush != nil {
			in.flush()
		}
		b, err := in.r.ReadByte()
		if err != nil {
			return 0, err
		}
		if in.lastCR {
			in.lastCR = false
			if b == '\n' {
				continue
			}
		}
		return b, nil
	}
}

// output buffers echo bytes and writes them in as few packets as practical.
type output struct {
	w   io.Writer
	buf []byte
	err error
}

func (o *output) add(s string) { o.buf = append(o.buf, s...) }

func (o *output) flush() {
	if len(o.buf) == 0 || o.err != nil {
		o.buf = o.buf[:0]
		return
	}
	_, o.err = o.w.Write(o.buf)
	o.buf = o.buf[:0]
}

func (o *output) write(s string) {
	o.add(s)
	o.flush()
}

// runShell drives an interactive shell: banner, prompt, a readline-like line editor with
// echo, and one command at a time in input order.
//
// The editor works on UTF-8: the bytes of a multi-byte character are buffered until it is
// complete and then inserted and echoed as one; backspace removes the last character with
// the zero-width (combining) characters after it, as readline does in a UTF-8 locale, and
// erases as many columns as it took (2 for East Asian wide characters); Ctrl-U erases the
// line, Ctrl-W the last word, Ctrl-V inserts the next key as typed (readline's
// quoted-insert), Ctrl-C abandons the line. Sessions implementing LineEditor can turn echo
// off, bind a key to completion help (EdgeOS: ?) and ask for continuation lines; sessions
// implementing Asker can ask a question whose answer is read with echo off (a password).
func (s *Server) runShell(cs *connState, ch ssh.Channel, cli CLISession) uint32 {
	out := &output{w: ch}
	in := &input{r: bufio.NewReaderSize(ch, 4096), flush: out.flush}
	ed, _ := cli.(LineEditor)
	// hidden: the line being typed answers a hidden question; asking: any question.
	var hidden, asking bool
	promptOf := func() string {
		if a, ok := cli.(Asker); ok {
			var p string
			if p, hidden, asking = a.Question(); asking {
				return p
			}
		}
		hidden, asking = false, false
		return cli.Prompt()
	}
	out.write(crlf(cli.Banner() + promptOf()))
	echo := func() bool { return !hidden && (ed == nil || ed.Echo()) }
	show := func(text string) {
		if echo() {
			out.add(text)
		}
	}
	var (
		line    []byte // the line being typed
		pending []byte // bytes of a UTF-8 character not complete yet
		again   []byte // bytes read but to be handled again
		acc     string // earlier lines of an incomplete command
		quoted  bool   // Ctrl-V: the next key is inserted as typed
		prompt  = promptOf()
	)
	erase := func(w int) {
		show(strings.Repeat("\b", w) + strings.Repeat(" ", w) + strings.Repeat("\b", w))
	}
	insert := func(ch []byte) {
		line = append(line, ch...)
		r, _ := utf8.DecodeRune(ch)
		if r < 0x20 || r == 0x7f {
			show("^" + string(rune(ch[0]^0x40))) // readline shows control characters as ^X
		} else {
			show(string(ch))
		}
	}
	for {
		var b byte
		if len(again) > 0 {
			b, again = again[0], again[1:]
		} else {
			var err error
			if b, err = in.readByte(); err != nil || out.err != nil {
				return 0
			}
		}
		if len(pending) > 0 || b >= 0x80 {
			pending = append(pending, b)
			if !utf8.FullRune(pending) {
				continue
			}
			r, size := utf8.DecodeRune(pending)
			ch := append([]byte(nil), pending[:size]...)
			again = append(pending[size:], again...)
			pending = pending[:0]
			if !quoted && !asking && ed != nil && ed.HelpKey(r) {
				out.add("\r\n" + crlf(ed.Help(acc+string(line))) + crlf(prompt))
				show(string(line))
				continue
			}
			quoted = false
			insert(ch)
			continue
		}
		if quoted {
			quoted = false
			insert([]byte{b})
			continue
		}
		switch {
		case b == '\r' || b == '\n':
			in.lastCR = b == '\r'
			if hidden {
				out.add("\r\n") // the line end getpass prints after a hidden answer
			}
			show("\r\n")
			cmd := acc + string(line)
			line = line[:0]
			if !asking && ed != nil && ed.Incomplete(cmd) {
				acc, prompt = cmd+"\n", ed.ContinuationPrompt()
				out.write(prompt)
				continue
			}
			acc = ""
			if closeSess, dropped := s.runCommand(cs, cli, cmd, out, in); dropped {
				return 0
			} else if closeSess {
				out.flush()
				return 0
			}
			prompt = promptOf()
			out.write(crlf(prompt))
		case !asking && ed != nil && ed.HelpKey(rune(b)):
			out.add("\r\n" + crlf(ed.Help(acc+string(line))) + crlf(prompt))
			show(string(line))
		case b == 0x7f || b == 0x08:
			if len(line) == 0 {
				out.add("\a")
				continue
			}
			w := 0
			for len(line) > 0 {
				r, size := utf8.DecodeLastRune(line)
				line = line[:len(line)-size]
				rw := runeWidth(r)
				w += rw
				if rw > 0 {
					break
				}
			}
			erase(w)
		case b == 0x15: // Ctrl-U: erase the line
			erase(textWidth(line))
			line = line[:0]
		case b == 0x17: // Ctrl-W: erase the last word
			n := len(line)
			for n > 0 && line[n-1] == ' ' {
				n--
			}
			for n > 0 && line[n-1] != ' ' {
				n--
			}
			erase(textWidth(line[n:]))
			line = line[:n]
		case b == 0x16: // Ctrl-V: quoted-insert
			quoted = true
		case b == 0x03: // Ctrl-C: abandon the line
			line, acc = line[:0], ""
			out.add("^C\r\n")
			prompt = promptOf() // a pending question is asked again
			out.write(crlf(prompt))
		case b == 0x04: // Ctrl-D on an empty line behaves like `exit`
			if eoi, ok := cli.(EndOfInputer); ok && len(line) == 0 && acc == "" && !asking {
				if text, handled := eoi.EndOfInput(); handled {
					out.add(crlf(text))
					prompt = promptOf()
					out.write(crlf(prompt))
					continue
				}
			}
			if len(line) == 0 && acc == "" && !asking {
				out.add("exit\r\n")
				if closeSess, dropped := s.runCommand(cs, cli, "exit", out, in); dropped || closeSess {
					out.flush()
					return 0
				}
				prompt = promptOf()
				out.write(crlf(prompt))
			}
		case b == 0x1b: // escape sequence (arrow keys...): swallow it
			skipEscape(in)
		case b < 0x20:
			// other control characters (tab, bell...) are ignored
		default:
			insert([]byte{b})
		}
	}
}

// runeWidth is the number of terminal columns r takes (wcwidth): 0 for combining and
// format characters, 2 for East Asian wide and full-width characters and for control
// characters (shown as ^X), 1 otherwise.
func runeWidth(r rune) int {
	switch {
	case r < 0x20 || r == 0x7f:
		return 2
	case r < 0x300:
		return 1
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) || r == 0x200b:
		return 0
	}
	for _, w := range wideRanges {
		if r >= w[0] && r <= w[1] {
			return 2
		}
	}
	return 1
}

// wideRanges are the East Asian Wide and Full-width blocks (after Markus Kuhn's wcwidth).
var wideRanges = [][2]rune{
	{0x1100, 0x115f}, {0x2e80, 0x303e}, {0x3041, 0x33ff}, {0x3400, 0x4dbf}, {0x4e00, 0x9fff},
	{0xa000, 0xa4cf}, {0xac00, 0xd7a3}, {0xf900, 0xfaff}, {0xfe10, 0xfe19}, {0xfe30, 0xfe6f},
	{0xff00, 0xff60}, {0xffe0, 0xffe6}, {0x1f300, 0x1f64f}, {0x1f900, 0x1f9ff},
	{0x20000, 0x2fffd}, {0x30000, 0x3fffd},
}

func textWidth(b []byte) int {
	w := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		w += runeWidth(r)
		b = b[size:]
	}
	return w
}

func skipEscape(in *input) {
	b, err := in.readByte()
	if err != nil || (b != '[' && b != 'O') {
		return
	}
	for {
		b, err = in.readByte()
		if err != nil || (b >= 0x40 && b <= 0x7e) {
			return
		}
	}
}

// runCommand executes one line: logging, injected failures, latency, connection drops and
// paging. When the session has a question pending (Asker), the line is its answer: it goes
// to Answer, is never matched by FailCommand rules, and is not logged when hidden. dropped
// reports that the connection was closed.
func (s *Server) runCommand(cs *connState, cli CLISession, cmd string, out *output, in *input) (closeSess, dropped bool) {
	asker, _ := cli.(Asker)
	var asking, hidden bool
	if asker != nil {
		_, hidden, asking = asker.Question()
	}
	blank := strings.TrimSpace(cmd) == ""
	if !blank && !hidden {
		s.record(cmd)
	}
	if !asking && !blank && s.controls.partitionHits(cmd) {
		out.buf = out.buf[:0]
		cs.nc.Close()
		return true, true
	}
	var text string
	injected := false
	if asking {
		text, closeSess = asker.Answer(cmd)
		injected = true // no paging of an answer's output
	} else if msg, ok := s.controls.matchFailure(cmd); ok && !blank {
		text, injected = msg, true
		if f, ok := cli.(FailureFormatter); ok {
			text = f.FormatFailure(cmd, msg)
		}
		if !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
	} else {
		text, closeSess = cli.Exec(cmd)
	}
	if (!blank || asking) && (s.controls.tickDrop() || (!asking && s.controls.dropAfterRun(cmd))) {
		out.buf = out.buf[:0]
		cs.nc.Close()
		return true, true
	}
	if !s.controls.Sleep(s.controls.getLatency()) {
		return true, true
	}
	if sg, ok := cli.(Segmenter); ok && in != nil && !injected {
		for _, seg := range sg.Segments() {
			if !pageText(out, in, seg.Text, seg.Page, seg.Prompt) {
				return true, false
			}
		}
		return closeSess, false
	}
	page := 0
	prompt := ""
	if p, ok := cli.(Pager); ok && in != nil && !injected {
		page, prompt = p.PageLength(), p.PagerPrompt()
	}
	if !pageText(out, in, text, page, prompt) {
		return true, false
	}
	return closeSess, false
}

// pageText writes text, paging it when page > 0 and it is longer than a page: a page, then
// prompt; space shows the next page, Enter one more line, q quits. It returns by itself after
// the last line. It reports false when the input is gone.
func pageText(out *output, in *input, text string, page int, prompt string) bool {
	if page <= 0 {
		out.write(crlf(text))
		return true
	}
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) <= page {
		out.write(crlf(text))
		return true
	}
	pos := page
	out.write(crlf(strings.Join(lines[:pos], "")))
	for pos < len(lines) {
		out.write(prompt)
		b, err := in.readByte()
		if err != nil {
			return false
		}
		n := 0
		switch b {
		case ' ', 'f':
			n = page
		case '\r', '\n', 'j':
			in.lastCR = b == '\r'
			n = 1
		case 'q', 'Q':
			out.write("\r\x1b[K")
			return true
		default:
			out.write("\r\x1b[K")
			continue
		}
		end := min(pos+n, len(lines))
		out.write("\r\x1b[K" + crlf(strings.Join(lines[pos:end], "")))
		pos = end
	}
	return true
}

// runExec runs an exec request: each line of the command in order, without prompts.
func (s *Server) runExec(cs *connState, ch ssh.Channel, cli CLISession, command string) uint32 {
	out := &output{w: ch}
	var status uint32
	for _, line := range strings.Split(strings.ReplaceAll(command, "\r\n", "\n"), "\n") {
		if a, ok := cli.(Asker); ok {
			if _, _, asking := a.Question(); asking {
				// the line answers the question, even when it is empty
				if closeSess, dropped := s.runCommand(cs, cli, line, out, nil); dropped {
					return 255
				} else if closeSess || out.err != nil {
					break
				}
				continue
			}
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		closeSess, dropped := s.runCommand(cs, cli, line, out, nil)
		if dropped {
			return 255
		}
		if f, ok := cli.(Failer); ok && f.LastFailed() {
			status = 1
		}
		if closeSess || out.err != nil {
			break
		}
	}
	out.flush()
	return status
}
