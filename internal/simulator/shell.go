package simulator

import (
	"bufio"
	"io"
	"strings"
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

// runShell drives an interactive shell: banner, prompt, line editing with echo, and one
// command at a time in input order.
func (s *Server) runShell(cs *connState, ch ssh.Channel, cli CLISession) uint32 {
	out := &output{w: ch}
	in := &input{r: bufio.NewReaderSize(ch, 4096), flush: out.flush}
	out.write(crlf(cli.Banner() + cli.Prompt()))
	var line []byte
	for {
		b, err := in.readByte()
		if err != nil || out.err != nil {
			return 0
		}
		switch {
		case b == '\r' || b == '\n':
			in.lastCR = b == '\r'
			out.add("\r\n")
			cmd := string(line)
			line = line[:0]
			if closeSess, dropped := s.runCommand(cs, cli, cmd, out, in); dropped {
				return 0
			} else if closeSess {
				out.flush()
				return 0
			}
			out.write(crlf(cli.Prompt()))
		case b == 0x7f || b == 0x08:
			if len(line) > 0 {
				_, size := utf8.DecodeLastRune(line)
				line = line[:len(line)-size]
				out.add("\b \b")
			}
		case b == 0x03: // Ctrl-C: abandon the line
			line = line[:0]
			out.add("^C\r\n")
			out.write(crlf(cli.Prompt()))
		case b == 0x15: // Ctrl-U: erase the line
			for range utf8.RuneCount(line) {
				out.add("\b \b")
			}
			line = line[:0]
		case b == 0x04: // Ctrl-D on an empty line behaves like `exit`
			if len(line) == 0 {
				out.add("exit\r\n")
				if closeSess, dropped := s.runCommand(cs, cli, "exit", out, in); dropped || closeSess {
					out.flush()
					return 0
				}
				out.write(crlf(cli.Prompt()))
			}
		case b == 0x1b: // escape sequence (arrow keys...): swallow it
			skipEscape(in)
		case b < 0x20:
			// other control characters (tab, bell...) are ignored
		default:
			line = append(line, b)
			out.add(string(b))
		}
	}
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
// paging. dropped reports that the connection was closed.
func (s *Server) runCommand(cs *connState, cli CLISession, cmd string, out *output, in *input) (closeSess, dropped bool) {
	if strings.TrimSpace(cmd) != "" {
		s.record(cmd)
	}
	var text string
	injected := false
	if msg, ok := s.controls.matchFailure(cmd); ok && strings.TrimSpace(cmd) != "" {
		text, injected = msg, true
		if !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
	} else {
		text, closeSess = cli.Exec(cmd)
	}
	if strings.TrimSpace(cmd) != "" && s.controls.tickDrop() {
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
	if p, ok := cli.(Pager); ok && in != nil {
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
