package flat

import "strings"

// Exec applies one line, split into tokens, typed in context ctx, and returns the context
// the session is in afterwards. A line that sets what is already set with the same identity
// replaces it in place; a negation removes the lines and blocks it identifies and fails with
// NotFound when there are none. Exit and Top lines leave contexts (Exit at the top level
// does nothing: the engine decides what it means there).
func (s *Store) Exec(ctx Context, toks []string) (Context, error) {
	line := strings.Join(toks, " ")
	for _, e := range s.spec.Exit {
		if s.kwEqual(line, e) {
			if ctx.Depth() == 0 {
				return ctx, nil
			}
			return ctx.pop(1), nil
		}
	}
	for _, e := range s.spec.Top {
		if s.kwEqual(line, e) {
			return Context{}, nil
		}
	}
	if len(toks) == 0 {
		return ctx, nil
	}
	negate, base := false, 0
	switch {
	case s.spec.Negate != "" && s.kwEqual(toks[0], s.spec.Negate):
		negate, base = true, 1
	case s.spec.Set != "":
		if !s.kwEqual(toks[0], s.spec.Set) {
			return ctx, &Error{Kind: Unknown, Index: 0}
		}
		base = 1
	}
	return s.apply(ctx, toks[base:], base, negate)
}

// match is the result of matching tokens against one command.
type match struct {
	cmd      *Command
	canon    []string // canonical tokens (for a negation: the identifying prefix given)
	literals int      // keywords matched, to prefer the most specific command
	err      *Error
	oneLine  bool // an opener followed by more tokens
}

func isParam(w string) bool { return strings.HasPrefix(w, "<") && strings.HasSuffix(w, ">") }

func (s *Store) match(c *Command, toks []string, base int, negate bool) match {
	w := c.pattern()
	m := match{cmd: c}
	if negate && c.Enters == "" {
		if k := c.key(); len(toks) > k {
			toks = toks[:k] // what follows the identity is ignored
		}
	}
	for i, word := range w {
		if word == "..." {
			rest := toks[i:]
			if c.Rest != nil && !negate {
				if msg := c.Rest(rest); msg != "" {
					m.err = &Error{Kind: BadValue, Index: base + i, Msg: msg}
					return m
				}
			}
			m.canon = append(m.canon, rest...)
			return m
		}
		if i >= len(toks) {
			if !negate || i < c.minNegate() {
				m.err = &Error{Kind: Incomplete, Index: base + len(toks)}
			}
			return m
		}
		switch {
		case isParam(word):
			if chk := s.spec.Params[strings.Trim(word, "<>")]; chk != nil {
				if msg := chk(toks[i]); msg != "" {
					m.err = &Error{Kind: BadValue, Index: base + i, Msg: msg}
					return m
				}
			}
			m.canon = append(m.canon, toks[i])
		case s.kwEqual(word, toks[i]):
			m.canon = append(m.canon, word)
			m.literals++
		default:
			m.err = &Error{Kind: Unknown, Index: base + i}
			return m
		}
	}
	if len(toks) > len(w) {
		if c.Enters != "" {
			m.oneLine = true
			return m
		}
		m.err = &Error{Kind: Extra, Index: base + len(w)}
	}
	return m
}

// best matches toks against every command in cmds: the most specific match, or the error of
// the command that matched furthest.
func (s *Store) best(cmds []*Command, toks []string, base int, negate bool) match {
	var ok, bad *match
	for _, c := range cmds {
		m := s.match(c, toks, base, negate)
		if m.err == nil {
			if ok == nil || m.literals > ok.literals {
				ok = &m
			}
			continue
		}
		if bad == nil || m.err.Index > bad.err.Index || (m.err.Index == bad.err.Index && m.err.Kind > bad.err.Kind && m.err.Kind <= BadValue) {
			bad = &m
		}
	}
	if ok != nil {
		return *ok
	}
	if bad != nil {
		return *bad
	}
	return match{err: &Error{Kind: Unknown, Index: base}}
}

func (s *Store) commandsIn(kind string) []*Command {
	var out []*Command
	for _, c := range s.spec.Commands {
		if c.Context == kind || (kind != "" && c.Context == "" && s.spec.GlobalEverywhere) {
			out = append(out, c)
		}
	}
	return out
}

// at is the context a command of kind `kind` is stored in when typed in ctx: ctx itself, or
// the nearest enclosing context of that kind (the top level for global commands).
func at(ctx Context, kind string) Context {
	for ctx.Depth() > 0 && ctx.Kind() != kind {
		ctx = ctx.pop(1)
	}
	return ctx
}

func (s *Store) apply(ctx Context, toks []string, base int, negate bool) (Context, error) {
	m := s.best(s.commandsIn(ctx.Kind()), toks, base, negate)
	if m.err != nil {
		if m.err.Kind == Unknown || m.err.Kind == Extra {
			// a command of another context?
			if other := s.best(s.spec.Commands, toks, base, negate); other.err == nil {
				return ctx, &Error{Kind: WrongContext, Index: base}
			}
		}
		return ctx, m.err
	}
	c := m.cmd
	home := at(ctx, c.Context)
	parent := s.block(home)
	if parent == nil {
		return ctx, &Error{Kind: WrongContext, Index: base}
	}
	if c.Enters != "" && (m.oneLine || !negate) {
		key := m.canon[:c.key()]
		b := findBlock(parent, key)
		if b == nil {
			if negate {
				return ctx, &Error{Kind: NotFound, Index: base}
			}
			b = &Block{Opener: &Line{Cmd: c, Tokens: m.canon}}
			parent.Blocks = append(parent.Blocks, b)
		} else if !negate && !m.oneLine {
			b.Opener = &Line{Cmd: c, Tokens: m.canon} // lines are shared with clones: replace, never change
		}
		sub := home.push(key, c.Enters)
		if m.oneLine {
			n := len(c.pattern())
			if _, err := s.apply(sub, toks[n:], base+n, negate); err != nil {
				return ctx, err
			}
			return ctx, nil
		}
		return sub, nil
	}
	if negate {
		if !remove(parent, m.canon) {
			return ctx, &Error{Kind: NotFound, Index: base}
		}
		return ctx, nil
	}
	key := m.canon[:c.key()]
	for i, l := range parent.Lines {
		if equalTokens(l.Tokens[:l.Cmd.key()], key) {
			parent.Lines[i] = &Line{Cmd: c, Tokens: m.canon} // lines are shared with clones
			return ctx, nil
		}
	}
	parent.Lines = append(parent.Lines, &Line{Cmd: c, Tokens: m.canon})
	return ctx, nil
}

func findBlock(parent *Block, key []string) *Block {
	for _, b := range parent.Blocks {
		if equalTokens(b.Opener.Tokens[:b.Opener.Cmd.key()], key) {
			return b
		}
	}
	return nil
}

// remove deletes the lines and blocks of parent that prefix identifies.
func remove(parent *Block, prefix []string) bool {
	found := false
	lines := parent.Lines[:0:0]
	for _, l := range parent.Lines {
		if hasPrefix(l.Tokens[:l.Cmd.key()], prefix) {
			found = true
			continue
		}
		lines = append(lines, l)
	}
	blocks := parent.Blocks[:0:0]
	for _, b := range parent.Blocks {
		if hasPrefix(b.Opener.Tokens[:b.Opener.Cmd.key()], prefix) {
			found = true
			continue
		}
		blocks = append(blocks, b)
	}
	parent.Lines, parent.Blocks = lines, blocks
	return found
}
