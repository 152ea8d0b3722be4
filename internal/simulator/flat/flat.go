// Package flat is a configuration store for simulator engines of line-oriented CLIs whose
// commands take effect at once (ScreenOS, Yamaha RTX): flat command lines, context blocks
// (ScreenOS `set vrouter "trust-vr"` ... `exit`, RTX `tunnel select 1` ... `tunnel select
// none`), a negation form that removes what a line set (`unset`, `no`), and setting a line
// again in place of the old one.
//
// An engine declares its commands in a Spec: each Command is a pattern of keywords and
// <parameters> whose first Key words identify the line, so that a line with the same
// identity replaces it, and the negation of the identity (or of a shorter prefix of it, down
// to MinNegate words) removes it with every line it identifies. A Command that Enters a
// context opens a block; the lines typed there belong to it. The one-line form (opener and
// command on one line: `set vrouter trust-vr route ...`) works without entering the context.
//
// The store parses tokens, not text: the engine splits and unquotes a line its device's
// way, prints the configuration its device's way (Blocks gives the blocks in order) and
// turns an *Error into its device's message.
package flat

import (
	"strings"
)

// Spec declares a CLI's commands.
type Spec struct {
	Commands []*Command
	// Set is a word every configuration line starts with ("set" for ScreenOS, "" for RTX);
	// it is not part of the stored tokens.
	Set string
	// Negate is the word that removes ("unset", "no").
	Negate string
	// Exit lines close the innermost context ("exit"); Top lines close them all ("tunnel
	// select none").
	Exit, Top []string
	// Params check the values of <parameters> by name: the device's message, "" when valid.
	// A parameter without a check accepts any value.
	Params map[string]func(v string) string
	// FoldCase matches keywords case-insensitively (ScreenOS); stored lines use the
	// keyword as the Command spells it.
	FoldCase bool
	// GlobalEverywhere makes top-level commands valid inside a context too (RTX: `ipsec ike`
	// lines typed after `tunnel select 1`); they are stored at the top level. Otherwise a
	// context admits only the commands declared for it (ScreenOS).
	GlobalEverywhere bool
}

// Command is one command form.
type Command struct {
	// Pattern is the words of the command: keywords, <name> parameters (checked by
	// Spec.Params[name]) and, last, "..." for any further tokens (checked by Rest).
	Pattern string
	// Key is how many leading pattern words identify a line; 0 means all but "...".
	Key int
	// MinNegate is the fewest words a negation may give (a prefix of the key removes every
	// line and block it identifies); 0 means Key.
	MinNegate int
	// Context is the kind of context the command belongs to ("" = top level).
	Context string
	// Enters makes the command open a context of this kind; the line identifies the block.
	Enters string
	// Rest checks the tokens matched by "...": the device's message, "" when valid.
	Rest func(rest []string) string
	// Keep makes the block an opener creates stay (and print) while it is empty (ScreenOS
	// `set vrouter "untrust-vr"` / `exit`); other empty blocks are not printed.
	Keep bool

	words []string
}

func (c *Command) pattern() []string {
	if c.words == nil {
		c.words = strings.Fields(c.Pattern)
	}
	return c.words
}

func (c *Command) key() int {
	w := c.pattern()
	n := len(w)
	if n > 0 && w[n-1] == "..." {
		n--
	}
	if c.Key > 0 && c.Key < n {
		return c.Key
	}
	return n
}

func (c *Command) minNegate() int {
	if c.MinNegate > 0 && c.MinNegate < c.key() {
		return c.MinNegate
	}
	return c.key()
}

// ErrKind says why a line was refused.
type ErrKind int

const (
	Unknown      ErrKind = iota // the word at Index is not a command word there
	Incomplete                  // the line ends before the command does
	Extra                       // the word at Index is one too many
	BadValue                    // the parameter at Index failed its check; Msg says why
	WrongContext                // the command exists but not in this context
	NotFound                    // a negation matched nothing configured
)

// Error is a refused line. Index counts the tokens passed to Exec (the Set and Negate words
// included).
type Error struct {
	Kind  ErrKind
	Index int
	Msg   string
}

func (e *Error) Error() string {
	switch e.Kind {
	case Unknown:
		return "unknown keyword"
	case Incomplete:
		return "command not completed"
	case Extra:
		return "too many parameters"
	case BadValue:
		return e.Msg
	case WrongContext:
		return "not valid in this context"
	}
	return "not configured"
}

// Line is one configuration line: its command and canonical tokens (keywords spelt as in
// the pattern; without the Set word).
type Line struct {
	Cmd    *Command
	Tokens []string
}

// Text is the tokens joined with single spaces.
func (l *Line) Text() string { return strings.Join(l.Tokens, " ") }

// Block is a context block and the lines and blocks in it, in the order they were first set.
// The top level is a Block without an opener.
type Block struct {
	Opener *Line // nil at the top level
	Lines  []*Line
	Blocks []*Block
}

// Context is where a session types: the identities of the opened blocks, outermost first.
// The zero Context is the top level.
type Context struct {
	path [][]string // each block's key tokens
	kind []string
}

// Kind is the kind of the innermost context, "" at the top level.
func (c Context) Kind() string {
	if len(c.kind) == 0 {
		return ""
	}
	return c.kind[len(c.kind)-1]
}

// Depth is the number of open contexts.
func (c Context) Depth() int { return len(c.path) }

// Openers are the opener lines' tokens, outermost first (for a prompt: `tunnel1# `).
func (c Context) Openers() [][]string {
	out := make([][]string, len(c.path))
	for i, p := range c.path {
		out[i] = append([]string(nil), p...)
	}
	return out
}

func (c Context) push(key []string, kind string) Context {
	return Context{
		path: append(append([][]string(nil), c.path...), key),
		kind: append(append([]string(nil), c.kind...), kind),
	}
}

func (c Context) pop(n int) Context {
	return Context{path: c.path[:len(c.path)-n], kind: c.kind[:len(c.kind)-n]}
}

// Store is a configuration.
type Store struct {
	spec *Spec
	top  *Block
}

// New is an empty configuration.
func New(spec *Spec) *Store { return &Store{spec: spec, top: &Block{}} }

// Top is the top-level block.
func (s *Store) Top() *Block { return s.top }

// Clone is a deep copy (the saved configuration, a snapshot to roll back to).
func (s *Store) Clone() *Store { return &Store{spec: s.spec, top: s.top.clone()} }

func (b *Block) clone() *Block {
	n := &Block{Opener: b.Opener, Lines: append([]*Line(nil), b.Lines...)}
	for _, c := range b.Blocks {
		n.Blocks = append(n.Blocks, c.clone())
	}
	return n
}

// Render prints the configuration: each line, each block's opener, its contents indented
// by indent per level, and close (when not empty) at the opener's indentation. Lines come
// before blocks at each level, in the order they were first set.
func (s *Store) Render(set, indent, close string) string {
	var b strings.Builder
	var walk func(bl *Block, depth int)
	walk = func(bl *Block, depth int) {
		pre := strings.Repeat(indent, depth)
		for _, l := range bl.Lines {
			b.WriteString(pre + set + l.Text() + "\n")
		}
		for _, c := range bl.Blocks {
			if c.empty() {
				continue
			}
			b.WriteString(pre + set + c.Opener.Text() + "\n")
			walk(c, depth+1)
			if close != "" {
				b.WriteString(pre + close + "\n")
			}
		}
	}
	if set != "" {
		set += " "
	}
	walk(s.top, 0)
	return b.String()
}

func (s *Store) kwEqual(a, b string) bool {
	if s.spec.FoldCase {
		return strings.EqualFold(a, b)
	}
	return a == b
}

func equalTokens(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func hasPrefix(toks, prefix []string) bool {
	return len(toks) >= len(prefix) && equalTokens(toks[:len(prefix)], prefix)
}

// block finds the block of ctx; nil when it no longer exists.
func (s *Store) block(ctx Context) *Block {
	b := s.top
	for _, key := range ctx.path {
		var next *Block
		for _, c := range b.Blocks {
			if equalTokens(c.Opener.Tokens[:c.Opener.Cmd.key()], key) {
				next = c
				break
			}
		}
		if next == nil {
			return nil
		}
		b = next
	}
	return b
}

// empty reports a block that holds nothing and need not be kept.
func (b *Block) empty() bool {
	if b.Opener.Cmd.Keep || len(b.Lines) > 0 {
		return false
	}
	for _, c := range b.Blocks {
		if !c.empty() {
			return false
		}
	}
	return true
}

// Lines is the lines of the block of ctx (nil when it does not exist).
func (s *Store) Lines(ctx Context) []*Line {
	if b := s.block(ctx); b != nil {
		return b.Lines
	}
	return nil
}
