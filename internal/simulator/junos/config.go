package junos

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/hier"
)

func filterLines(out, pattern string, keep bool) string {
	re, err := regexp.Compile(pattern)
	match := func(l string) bool { return strings.Contains(l, pattern) }
	if err == nil {
		match = re.MatchString
	}
	var b strings.Builder
	for _, l := range strings.SplitAfter(out, "\n") {
		if l == "" {
			continue
		}
		if match(strings.TrimSuffix(l, "\n")) == keep {
			b.WriteString(l)
		}
	}
	return b.String()
}

// cfgCaret points at column col of a line typed at the configuration prompt.
func (s *session) cfgCaret(col int) string {
	p := s.user + "@" + s.host() + "# "
	return strings.Repeat(" ", len(p)+col) + "^\n"
}

var cfgCmds = [][]string{{"set"}, {"delete"}, {"deactivate"}, {"activate"}, {"insert"}, {"edit"}, {"up"}, {"top"}, {"exit"}, {"quit"},
	{"show"}, {"commit"}, {"rollback"}, {"load"}, {"run"}, {"status"}}

func (s *session) configCmd(ws []word, pipes [][]word) (string, bool) {
	toks := texts(ws)
	full, bad, amb := complete(toks[:1], cfgCmds)
	if bad >= 0 {
		if amb != nil {
			return s.fail(s.cfgCaret(ws[0].col) + "'" + toks[0] + "' is ambiguous.\nPossible completions:\n" + listCompletions(amb)), false
		}
		return s.fail(s.cfgCaret(ws[0].col) + "unknown command.\n"), false
	}
	verb := full[0]
	args := ws[1:]
	if verb == "run" {
		if len(args) == 0 {
			return s.fail(s.cfgCaret(len(strings.Join(toks, " "))+1) + "syntax error, expecting <command>.\n"), false
		}
		s.config = false
		out, _ := s.opCmd(args, pipes)
		s.config = true
		if out == "" && len(args) > 0 && (args[0].text == "exit" || args[0].text == "quit") {
			return "", false
		}
		return out, false
	}
	e := s.e
	e.mu.Lock()
	locked := true
	defer func() {
		if locked {
			e.mu.Unlock()
		}
	}()
	switch verb {
	case "set", "delete", "deactivate", "activate":
		return s.editStatement(verb, ws), false
	case "insert":
		if h := e.lockHolder(s); h != "" && s.kind != "private" {
			return s.fail(lockedMsg(h)), false
		}
		toks := append(append([]string(nil), s.edit...), texts(args)...)
		if msg := s.cand().insertPath(e.root, toks); msg != "" {
			if msg == "syntax error." {
				return s.fail(s.cfgCaret(ws[0].col) + msg + "\n"), false
			}
			return s.fail(msg + "\n"), false
		}
		return "", false
	case "edit":
		if len(args) == 0 {
			return "", false
		}
		toks := append(append([]string(nil), s.edit...), texts(args)...)
		paths, serr := split(e.root, toks, false)
		if serr != nil || len(paths) != 1 {
			return s.stmtErr(ws, len(s.edit), serr), false
		}
		ps := resolve(e.root, paths[0])
		if last := ps[len(ps)-1]; !editable(last) {
			return s.fail(s.cfgCaret(args[len(args)-1].col) + "syntax error.\n"), false
		}
		s.stack = append(s.stack, s.edit)
		s.edit = paths[0]
		return "", false
	case "up":
		n := 1
		if len(args) > 0 {
			v, err := strconv.Atoi(args[0].text)
			if err != nil || v < 1 {
				return s.fail(s.cfgCaret(args[0].col) + "syntax error.\n"), false
			}
			n = v
		}
		for ; n > 0 && len(s.edit) > 0; n-- {
			s.edit = s.edit[:len(s.edit)-s.levelLen()]
		}
		s.stack = nil
		return "", false
	case "top":
		if len(args) > 0 {
			saved := s.edit
			s.edit = nil
			e.mu.Unlock()
			locked = false
			out, cl := s.configCmd(args, pipes)
			if s.config && s.edit == nil {
				s.edit = saved
			}
			return out, cl
		}
		s.edit, s.stack = nil, nil
		return "", false
	case "exit", "quit":
		if len(args) > 0 && strings.HasPrefix("configuration-mode", args[0].text) {
			return s.exitConfig(), false
		}
		if len(args) > 0 {
			return s.fail(s.cfgCaret(args[0].col) + "syntax error.\n"), false
		}
		if len(s.edit) > 0 {
			if n := len(s.stack); n > 0 {
				s.edit, s.stack = s.stack[n-1], s.stack[:n-1]
			} else {
				s.edit = nil
			}
			return "", false
		}
		return s.exitConfig(), false
	case "status":
		return "Users currently editing the configuration:\n  " + s.user + " terminal " + s.tty + " (pid " + strconv.Itoa(s.pid) + ") on since " + s.since.Format("2006-01-02 15:04:05 MST") + "\n      [edit]\n", false
	case "show":
		return s.configShow(args, pipes), false
	case "commit":
		out, andQuit := s.commit(args)
		if andQuit {
			out += s.leaveConfig()
		}
		return out, false
	case "rollback":
		return s.rollback(args), false
	case "load":
		return s.startLoad(ws), false
	}
	return s.fail("unknown command.\n"), false
}

// levelLen is how many tokens the innermost edit level takes (a tag value: 2).
func (s *session) levelLen() int {
	ps := resolve(s.e.root, s.edit)
	if last := ps[len(ps)-1]; last.AtValue && len(s.edit) >= 2 {
		return 2
	}
	return 1
}

func (s *session) exitConfig() string {
	if s.modified() {
		s.asking = askExit
		return "The configuration has been changed but not committed\n"
	}
	return s.leaveConfig()
}

func (s *session) stmtErr(ws []word, baseLen int, serr *stmtError) string {
	if serr == nil {
		return s.fail(s.cfgCaret(ws[len(ws)-1].col) + "syntax error.\n")
	}
	idx := serr.index - baseLen + 1 // ws[0] is the verb
	if idx >= len(ws) || idx < 1 {
		last := ws[len(ws)-1]
		col := last.col + len(last.text) + 1
		exp := serr.expecting
		if exp == "" {
			exp = "<command>"
		}
		return s.fail(s.cfgCaret(col) + "syntax error, expecting " + exp + ".\n")
	}
	w := ws[idx]
	switch {
	case serr.ambiguous != nil:
		return s.fail(s.cfgCaret(w.col) + "'" + w.text + "' is ambiguous.\nPossible completions:\n" + listCompletions(serr.ambiguous))
	case serr.expecting != "":
		return s.fail(s.cfgCaret(w.col) + "syntax error, expecting " + serr.expecting + ".\n")
	case serr.msg != "" && serr.msg != syntaxMsg:
		return s.fail(s.cfgCaret(w.col) + serr.msg + " at '" + w.text + "'\n")
	}
	return s.fail(s.cfgCaret(w.col) + "syntax error.\n")
}

func (s *session) editStatement(verb string, ws []word) string {
	e := s.e
	toks := append(append([]string(nil), s.edit...), texts(ws[1:])...)
	if len(ws) == 1 {
		if verb == "delete" {
			// `delete` alone deletes everything under the edit level, after a question
			s.asking = askDelete
			return ""
		}
		if len(s.edit) == 0 {
			col := len(ws[0].text) + 1
			return s.fail(s.cfgCaret(col) + "syntax error, expecting <command>.\n")
		}
	}
	if verb == "set" {
		// a secret leaf without its value asks for it twice, hidden
		if ps, err := split(e.root, toks, false); err == nil && len(ps) > 0 {
			last := ps[len(ps)-1]
			if pos := resolve(e.root, last); !pos[len(pos)-1].AtValue && pos[len(pos)-1].S.Secret {
				s.secret = pendingSecret{paths: ps, name: last[len(last)-1]}
				s.asking = askSecret
				return ""
			}
		}
	}
	paths, serr := split(e.root, toks, verb == "set")
	if serr == nil && verb != "set" && verb != "delete" && tagNameOnly(e.root, paths) {
		serr = &stmtError{index: len(toks), expecting: "<data>"}
	}
	if serr != nil {
		return s.stmtErr(ws, len(s.edit), serr)
	}
	if h := e.lockHolder(s); h != "" && s.kind != "private" {
		return s.fail(lockedMsg(h))
	}
	if w := applyVerb(e.root, s.cand(), verb, paths); w != "" {
		return w + "\n"
	}
	return ""
}

func (s *session) configShow(args []word, pipes [][]word) string {
	for _, p := range pipes {
		if len(p) >= 1 && strings.HasPrefix("compare", p[0].text) {
			old := s.e.committed
			if s.kind == "private" {
				old = s.base
			}
			if len(p) == 3 && p[1].text == "rollback" {
				n, err := strconv.Atoi(p[2].text)
				if err != nil || n < 0 || n >= len(s.e.history) {
					return s.fail("error: rollback " + p[2].text + " does not exist\n")
				}
				old = s.e.history[n].c
			} else if len(p) != 1 {
				return s.fail("syntax error.\n")
			}
			return s.pipe(compare(s.e.root, old, s.cand()), withoutCompare(pipes))
		}
	}
	return s.showConf(s.cand(), args, s.edit, pipes)
}

// --- commit ---

func (s *session) commit(args []word) (string, bool) {
	e := s.e
	check, confirmed, andQuit := false, false, false
	mins := 10
	comment := ""
	for i := 0; i < len(args); i++ {
		a := args[i].text
		switch {
		case a == "check":
			check = true
		case strings.HasPrefix("confirmed", a) && len(a) >= 4:
			confirmed = true
			if i+1 < len(args) {
				if n, err := strconv.Atoi(args[i+1].text); err == nil {
					if n < 1 || n > 65535 {
						return s.fail(s.cfgCaret(args[i+1].col) + "Value " + args[i+1].text + " is not within range (1..65535) at '" + args[i+1].text + "'\n"), false
					}
					mins = n
					i++
				}
			}
		case a == "and-quit":
			andQuit = true
		case a == "comment" && i+1 < len(args):
			comment = args[i+1].text
			i++
		case a == "synchronize":
		default:
			return s.fail(s.cfgCaret(args[i].col) + "syntax error.\n"), false
		}
	}
	if h := e.lockHolder(s); h != "" {
		return s.fail(lockedMsg(h)), false
	}
	// next is what the commit installs: the candidate, or for a private session its changes
	// merged into what is committed at that moment.
	next := func() (*conf, string) {
		n := s.cand().clone()
		if s.kind == "private" {
			n = mergePrivate(e, s.base, s.private, e.committed)
		}
		return n, validate(n.active())
	}
	cand, errs := next()
	if errs != "" {
		return s.fail(errs), false
	}
	if check {
		e.confirmNow()
		return "configuration check succeeds\n", false
	}
	if !equalConf(cand, e.committed) {
		if msg, ok := e.controls.TakeCommitFailure(); ok {
			return s.fail(strings.TrimRight(msg, "\n") + "\nerror: configuration check-out failed\n"), false
		}
	}
	if d := e.controls.CommitDelay(); d > 0 {
		e.mu.Unlock()
		ok := e.controls.CommitWait()
		e.mu.Lock()
		if !ok {
			return s.fail("error: commit failed\n"), false
		}
		// Another session may have committed, or typed into the shared candidate, while
		// this commit waited for the database: build what is installed again, so that
		// nothing of either is lost.
		if cand, errs = next(); errs != "" {
			return s.fail(errs), false
		}
	}
	prev := e.committed.clone()
	wasPending := e.confirm.target != nil
	if !confirmed {
		e.confirmNow()
	}
	e.install(cand, s.user, comment)
	if s.kind == "private" {
		s.private, s.base = cand.clone(), cand.clone()
	}
	if s.kind == "exclusive" || s.kind == "" {
		e.shared = cand.clone()
	}
	e.controls.CountCommit()
	if confirmed {
		target := prev
		if wasPending {
			target = nil // keep the original rollback target
		}
		e.armConfirm(target, mins)
		return fmt.Sprintf("commit confirmed will be automatically rolled back in %d minutes unless confirmed\ncommit complete\n", mins), andQuit
	}
	return "commit complete\n", andQuit
}

// mergePrivate applies the changes a private session made (base -> priv) to committed, the
// way the session typed them [INFERRED]: a statement the session deleted (the topmost one base
// has and priv has not) is deleted with everything below it, and the statements it added are
// set in the order they have in its candidate, so that ordered statements (the terms of a
// policy) keep their order and a deleted neighbor does not leave its empty tag value behind.
func mergePrivate(e *engine, base, priv, committed *conf) *conf {
	if equalConf(base, committed) {
		return priv.clone()
	}
	out := committed.clone()
	var del func(path []string)
	del = func(path []string) {
		for _, k := range base.t.Path(path...).Keys() {
			p := append(append([]string(nil), path...), k)
			if priv.t.Path(p...) == nil {
				out.deletePath(e.root, p)
				continue
			}
			del(p)
		}
	}
	del(nil)
	var add func(path []string)
	add = func(path []string) {
		n := priv.t.Path(path...)
		if len(n.Kids) == 0 {
			if len(path) > 0 && base.t.Path(path...) == nil {
				out.setPath(e.root, path)
			}
			return
		}
		for _, k := range n.Keys() {
			add(append(append([]string(nil), path...), k))
		}
	}
	add(nil)
	for k := range priv.inactive {
		if !base.inactive[k] {
			out.inactive[k] = true
		}
	}
	for k := range base.inactive {
		if !priv.inactive[k] {
			delete(out.inactive, k)
		}
	}
	return out
}

func (s *session) rollback(args []word) string {
	e := s.e
	n := 0
	if len(args) > 1 {
		return s.fail(s.cfgCaret(args[1].col) + "syntax error.\n")
	}
	if len(args) == 1 {
		v, err := strconv.Atoi(args[0].text)
		if err != nil || v < 0 || v > 49 {
			return s.fail(s.cfgCaret(args[0].col) + "syntax error.\n")
		}
		n = v
	}
	if n >= len(e.history) {
		return s.fail(fmt.Sprintf("error: rollback %d does not exist\n", n))
	}
	if h := e.lockHolder(s); h != "" && s.kind != "private" {
		return s.fail(lockedMsg(h))
	}
	if s.kind == "private" {
		s.private = e.history[n].c.clone()
	} else {
		e.shared = e.history[n].c.clone()
	}
	return "load complete\n"
}

// --- load terminal ---

func (s *session) startLoad(ws []word) string {
	toks := texts(ws)
	if len(toks) != 3 || toks[2] != "terminal" {
		if len(toks) < 3 {
			last := ws[len(ws)-1]
			return s.fail(s.cfgCaret(last.col+len(last.text)+1) + "syntax error, expecting <command>.\n")
		}
		return s.fail(s.cfgCaret(ws[2].col) + "syntax error.\n")
	}
	switch toks[1] {
	case "set", "merge", "replace", "override":
	default:
		return s.fail(s.cfgCaret(ws[1].col) + "syntax error.\n")
	}
	if h := s.e.lockHolder(s); h != "" && s.kind != "private" {
		return s.fail(lockedMsg(h))
	}
	s.loading, s.loadText = toks[1], nil
	return "[Type ^D at a new line to end input]\n"
}

// finishLoad applies the text typed since load ... terminal. Called with e.mu held.
func (s *session) finishLoad() string {
	e := s.e
	kind, text := s.loading, strings.Join(s.loadText, "\n")
	s.loading, s.loadText = "", nil
	c := s.cand()
	work := c.clone()
	var errs, warns []string
	switch kind {
	case "set":
		errs, warns = e.loadSetW(work, text)
	case "override":
		work = newConf()
		errs = e.loadCurly(work, text, false)
	default:
		errs = e.loadCurly(work, text, kind == "replace")
	}
	if kind == "override" && len(errs) > 0 {
		return s.fail(strings.Join(errs, "\n") + "\nerror: load failed\n")
	}
	*c = *work
	pre := ""
	for _, w := range warns {
		pre += w + "\n"
	}
	if len(errs) > 0 {
		s.failed = true
		return pre + strings.Join(errs, "\n") + fmt.Sprintf("\nload complete (%d errors)\n", len(errs))
	}
	return pre + "load complete\n"
}

// editable reports whether `edit` can stop at p: a container, a tag value or a loose node.
func editable(p hier.Pos) bool {
	switch {
	case p.S.Kind == hier.Loose:
		return true
	case p.AtValue:
		return p.S.Kind == hier.Tag
	}
	return p.S.Kind == hier.Container
}
