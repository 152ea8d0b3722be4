package screenos

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

const (
	savePrompt  = "Configuration modified, save? [y]/n "
	morePrompt  = "--- more --- "
	defaultPage = 20 // [INFERRED] page length before `set console page`
)

type session struct {
	e      *engine
	info   simulator.SessionInfo
	cur    cursor
	asking bool
	page   int
}

func (e *engine) NewSession(info simulator.SessionInfo) simulator.CLISession {
	return &session{e: e, info: info}
}

// Banner: the device prints nothing before the prompt on SSH [INFERRED].
func (s *session) Banner() string { return "" }

func (s *session) Prompt() string {
	e := s.e
	e.mu.Lock()
	defer e.mu.Unlock()
	return s.promptLocked()
}

func (s *session) promptLocked() string {
	e := s.e
	p := e.hostname()
	if e.nsrp != "" {
		p += "(" + e.nsrp + ")"
	}
	switch {
	case s.cur.policy != 0:
		p += "(policy:" + strconv.Itoa(s.cur.policy) + ")"
	case s.cur.ctx.Depth() > 0:
		op := s.cur.ctx.Openers()
		switch op[0][0] {
		case "vrouter":
			ctx := lower(op[0][1])
			if len(op) > 1 {
				switch op[1][0] {
				case "protocol":
					ctx += "/bgp"
				case "route-map":
					ctx += "/" + op[1][2] + "-" + op[1][len(op[1])-1]
				}
			}
			p += "(" + ctx + ")"
		case "crypto-policy":
			p += "(crypto-policy)"
		default:
			p += "(" + op[0][0] + ")"
		}
	}
	return p + "-> "
}

// Question is the save dialog of `exit` with unsaved changes (simulator.Asker).
func (s *session) Question() (string, bool, bool) {
	if s.asking {
		return savePrompt, false, true
	}
	return "", false, false
}

func (s *session) Answer(line string) (string, bool) {
	switch lower(strings.TrimSpace(line)) {
	case "y", "":
		s.e.mu.Lock()
		out, _ := s.e.save()
		s.e.mu.Unlock()
		s.asking = false
		return out, true
	case "n":
		s.asking = false
		return "", true
	}
	return "", false // asked again
}

// PageLength and PagerPrompt page long output on interactive shells (simulator.Pager).
func (s *session) PageLength() int     { return s.page }
func (s *session) PagerPrompt() string { return morePrompt }

// FormatFailure prints an injected failure the way ScreenOS refuses a line
// (simulator.FailureShaper).
func (s *session) FormatFailure(line, msg string) string {
	if strings.HasPrefix(msg, "\n") || strings.HasPrefix(msg, " ") {
		return msg
	}
	s.e.mu.Lock()
	pw := width(s.promptLocked())
	s.e.mu.Unlock()
	col := 0
	if toks, err := lex(line); err == nil && len(toks) > 0 {
		col = toks[0].col
		if len(toks) > 1 {
			col = toks[1].col
		}
	}
	if !strings.Contains(msg, "^-----") {
		msg = "^-----" + msg
	}
	return strings.Repeat(" ", pw+col) + msg
}

// save writes the running configuration to flash. It takes the engine's commit delay (a
// flash write) and fails with the message of Server.FailNextCommit, which for a device
// without commits stands for the next save failing (the saved configuration unchanged).
func (e *engine) save() (string, bool) {
	e.ctl.CommitWait()
	if msg, fail := e.ctl.TakeCommitFailure(); fail {
		if !strings.HasSuffix(msg, "\n") {
			msg += "\n"
		}
		return msg, false
	}
	e.saved = e.run.clone()
	e.ctl.CountSave()
	return "", true
}

func (e *engine) dirty() bool { return e.render(e.run, 0) != e.render(e.saved, 0) }

func (e *engine) consolePage(c *conf) int {
	for _, l := range c.st.Top().Lines {
		if l.Tokens[0] == "console" && l.Tokens[1] == "page" {
			return atoi(l.Tokens[2])
		}
	}
	return defaultPage
}

func (s *session) errText(ce *cliErr) string {
	if !ce.caret {
		return ce.msg + "\n"
	}
	return strings.Repeat(" ", width(s.promptLocked())+ce.col) + "^-----" + ce.msg + "\n"
}

func (s *session) Exec(line string) (string, bool) {
	e := s.e
	e.mu.Lock()
	defer e.mu.Unlock()
	s.page = 0
	toks, lerr := lex(line)
	if lerr != nil {
		return s.errText(caretAt(lerr.col, lerr.msg)), false
	}
	if len(toks) == 0 {
		return "", false
	}
	switch lower(toks[0].s) {
	case "exit":
		if len(toks) > 1 {
			return s.errText(caretAt(toks[1].col, "unknown keyword "+toks[1].s)), false
		}
		if s.cur.exit(e.run) {
			return "", false
		}
		if e.dirty() {
			s.asking = true
			return "", false
		}
		return "", true
	case "set", "unset":
		if u, held := e.ctl.LockHolder(); held {
			return "Configuration is locked by " + u + "\n", false
		}
		c := e.run.clone()
		cur := s.cur
		if ce := e.configure(c, &cur, toks); ce != nil {
			return s.errText(ce), false
		}
		e.run, s.cur = c, cur
		return "", false
	case "save":
		if len(toks) > 1 && lower(toks[1].s) != "config" {
			return s.errText(caretAt(toks[1].col, "unknown keyword "+toks[1].s)), false
		}
		if len(toks) > 2 {
			return s.errText(caretAt(toks[2].col, "unknown keyword "+toks[2].s)), false
		}
		if u, held := e.ctl.LockHolder(); held {
			return "Configuration is locked by " + u + "\n", false
		}
		out, _ := e.save()
		return out, false
	case "get":
		out, ce := s.get(toks)
		if ce != nil {
			return s.errText(ce), false
		}
		if s.info.Interactive {
			s.page = e.consolePage(e.run)
		}
		return out, false
	}
	return s.errText(caretAt(toks[0].col, "unknown keyword "+toks[0].s)), false
}

func (s *session) get(toks []token) (string, *cliErr) {
	e := s.e
	var filters [][2]string
	cmd := toks
	for i, t := range toks {
		if t.s == "|" && !t.quoted {
			cmd = toks[:i]
			rest := toks[i:]
			for len(rest) > 0 {
				if len(rest) < 3 {
					end := rest[len(rest)-1]
					return "", caretAt(end.col+width(end.s)+1, notCompleted)
				}
				op := lower(rest[1].s)
				if op != "include" && op != "exclude" {
					return "", caretAt(rest[1].col, "unknown keyword "+rest[1].s)
				}
				filters = append(filters, [2]string{op, rest[2].s})
				rest = rest[3:]
				if len(rest) > 0 && (rest[0].s != "|" || rest[0].quoted) {
					return "", caretAt(rest[0].col, "unknown keyword "+rest[0].s)
				}
			}
			break
		}
	}
	if len(cmd) < 2 {
		end := cmd[len(cmd)-1]
		return "", caretAt(end.col+width(end.s)+1, notCompleted)
	}
	if len(cmd) > 2 {
		return "", caretAt(cmd[2].col, "unknown keyword "+cmd[2].s)
	}
	var out string
	switch lower(cmd[1].s) {
	case "config":
		out = e.getConfig(e.run, e.ctl.OutputPadding())
	case "hostname":
		out = "Hostname: " + e.hostname() + "\n"
	case "system":
		out = e.system()
	default:
		return "", caretAt(cmd[1].col, "unknown keyword "+cmd[1].s)
	}
	for _, f := range filters {
		var kept []string
		for _, l := range strings.SplitAfter(out, "\n") {
			if l == "" {
				continue
			}
			if strings.Contains(l, f[1]) == (f[0] == "include") {
				kept = append(kept, l)
			}
		}
		out = strings.Join(kept, "")
	}
	return out, nil
}

// system is `get system` [SEEN: Product Name, Serial Number/Control Number, Software
// Version/Type lines; the other lines INFERRED].
func (e *engine) system() string {
	up := time.Since(e.start)
	var b strings.Builder
	fmt.Fprintf(&b, "Product Name: %s\n", e.model.product)
	fmt.Fprintf(&b, "Serial Number: %s, Control Number: 00000000\n", e.serial)
	fmt.Fprintf(&b, "Hardware Version: 0710(0)-(00), FPGA checksum: 00000000, VLAN1 IP (0.0.0.0)\n")
	fmt.Fprintf(&b, "Flash Type: Samsung\n")
	fmt.Fprintf(&b, "Software Version: %s, Type: Firewall+VPN\n", e.model.version)
	fmt.Fprintf(&b, "BOOT Loader Version: 1.3.2\n")
	fmt.Fprintf(&b, "Base Mac: 0010.db%s.%s\n", e.serial[len(e.serial)-6:len(e.serial)-4], e.serial[len(e.serial)-4:])
	fmt.Fprintf(&b, "File Name: %s, Checksum: 00000000\n", e.model.file)
	fmt.Fprintf(&b, "Date %s, Daylight Saving Time disabled\n", time.Now().UTC().Format("01/02/2006 15:04:05"))
	fmt.Fprintf(&b, "Up %d hours %d minutes %d seconds Since %s\n", int(up.Hours()), int(up.Minutes())%60, int(up.Seconds())%60,
		e.start.UTC().Format("2 Jan 2006 15:04:05"))
	fmt.Fprintf(&b, "Total Device Resets: 0\n")
	fmt.Fprintf(&b, "System in NAT/route mode.\n")
	return b.String()
}
