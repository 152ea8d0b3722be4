// Package flatconf is the engine that flat CLI dialects share (ScreenOS, Yamaha RTX): CLIs
// whose configuration is a list of lines, some of them inside a context block (ScreenOS
// `set vrouter "trust-vr"` ... `exit`, RTX `tunnel select 1` ... `tunnel select none`), where
// every line takes effect at once and a line is removed by its negated form (`unset`, `no`).
//
// A dialect declares its Syntax: its verbs, quoting, contexts and the commands the model
// manages, each with the words that identify it and the objects it defines and uses. From
// that, Parse reads a configuration listing into entries with their context, Format prints
// entries back as a listing, and Diff turns the device's entries and two renderings of the
// model into Steps, each with the lines that undo it, ordered so that nothing is created
// before what it uses nor deleted before what uses it. It names no vendor: the tables live in
// the dialect.
package flatconf

import (
	"strings"
	"sync"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
)

// Syntax is one flat CLI.
type Syntax struct {
	// Quoter writes and reads the tokens of a line (usually DoubleQuotes).
	Quoter setconf.Quoter
	// Verb starts every configuration line ("set" on ScreenOS); "" when lines have none (RTX).
	Verb string
	// NoVerb is the negated form: it replaces Verb ("unset"), or, when Verb is "", it is put
	// before the line ("no").
	NoVerb string
	// Contexts are the lines that open a context block.
	Contexts []Context
	// Commands are the lines the model manages, most specific first. A line that matches
	// none is still an entry (Parse keeps it, Diff leaves it alone unless the model rendered
	// it), identified by all of its words.
	Commands []Command
	// Ignore reports listing lines that are not configuration (headers, comments, prompts).
	// Lines that do not start with Verb or NoVerb are ignored too when Verb is set.
	Ignore func(line string) bool
	// Rewrite turns the words of a listed line into the words the line is typed with, for
	// the few lines a device prints with more than was typed (ScreenOS prints the tunnel id
	// assigned to a VPN binding: `set vpn "X" id 0x1 bind interface tunnel.1`). Optional.
	Rewrite func(words []string) []string
}

// Context is a line that opens a context block.
type Context struct {
	// Open matches the whole opener line without the verb, e.g. "vrouter *", "tunnel select *".
	Open string
	// Close is the line that leaves the context ("exit", "tunnel select none").
	Close string
	// Indented: in the listing the context's lines are indented and the context ends at the
	// next line that is not (RTX prints no `tunnel select none`).
	Indented bool
	// Fold > 0 says the CLI also takes a context's line in one-line form: Verb, the first
	// Fold words of the opener, then the line's words (ScreenOS `set vrouter trust-vr route
	// ...`; `set protocol bgp 65000` folds as `protocol bgp`). Steps use the one-line form when
	// every context of a line folds, so that no step leaves the session inside a context.
	Fold int
	// Create says the opener is itself a line that makes something (ScreenOS `set protocol
	// bgp 65000` starts the BGP instance): when a step needs the context and no line of the
	// device is in it, Diff first types the opener on its own, undone by the negated first
	// Fold words (`unset vrouter trust-vr protocol bgp`). Contexts typed as blocks need no
	// such step: typing the block opens it.
	Create bool
	// Kind and Name: every line in the context belongs to the object (Kind, opener word
	// Name), e.g. ("tunnel", 2) for `tunnel select 1`. Kind "" declares no object.
	Kind string
	Name int
}

// Command is a line the model manages.
type Command struct {
	// Pattern matches the first words of the line (without the verb), e.g. "ip route *".
	Pattern string
	// In matches the opener of the innermost context the line must be in ("vrouter *");
	// "" is the top level.
	In string
	// Key is how many leading words identify the line; the rest is its value, and a line
	// with the same key and another value replaces it (an update: the old line is typed
	// again to undo it). 0: every word identifies the line (a multi-valued command such as a
	// ScreenOS route: a changed line is a delete and a create).
	Key int
	// Owns: deleting the line (its negated key) removes every line of the context whose
	// words start with the key (ScreenOS `unset ike gateway "X"` removes its dpd-liveness and
	// nat-traversal lines). Diff then drops those lines' own deletes and restores them all
	// on undo.
	Owns bool
	// Defines is the object the line creates or is part of; Uses are the objects it needs.
	Defines *Ref
	Uses    []Ref
}

// Ref names an object by kind and by where its name stands in a line's words: word At, or,
// when After is set, the word following the first After keyword past the Pattern's words
// before the last.
type Ref struct {
	Kind  string
	At    int
	After string
}

// Entry is one configuration line with its context.
type Entry struct {
	// Context holds the words of each enclosing context's opener (without the verb),
	// outermost first.
	Context [][]string
	// Words are the line's words without the verb.
	Words []string
	// Negated: the line is in negated form (a listing's `unset flow no-tcp-seq-check`).
	Negated bool
	// Line is the 1-based line number in the listing, 0 for rendered entries.
	Line int

	opener bool // Diff's step that types a Create context's opener: Words are the opener's
}

func (e Entry) String() string {
	var b strings.Builder
	for _, c := range e.Context {
		b.WriteString(strings.Join(c, " "))
		b.WriteString(" / ")
	}
	if e.Negated {
		b.WriteString("! ")
	}
	b.WriteString(strings.Join(e.Words, " "))
	return b.String()
}

// patterns caches compiled patterns: a Syntax is declared once by a dialect and read by
// concurrent renders, so it is never written to.
var patterns sync.Map // string -> setconf.Pattern

func pattern(p string) setconf.Pattern {
	if v, ok := patterns.Load(p); ok {
		return v.(setconf.Pattern)
	}
	c := setconf.ParsePattern(p)
	patterns.Store(p, c)
	return c
}

// context returns the context that words open, or nil.
func (s *Syntax) context(words []string) *Context {
	for i := range s.Contexts {
		c := &s.Contexts[i]
		if open := pattern(c.Open); len(open) == len(words) && open.Match(words) {
			return c
		}
	}
	return nil
}

// command returns the command e is an instance of, or nil.
func (s *Syntax) command(e Entry) *Command {
	for i := range s.Commands {
		c := &s.Commands[i]
		if !pattern(c.Pattern).Match(e.Words) {
			continue
		}
		in := pattern(c.In)
		if len(in) == 0 {
			if len(e.Context) == 0 {
				return c
			}
			continue
		}
		if n := len(e.Context); n > 0 && len(e.Context[n-1]) == len(in) && in.Match(e.Context[n-1]) {
			return c
		}
	}
	return nil
}

// key returns the words that identify e.
func (s *Syntax) key(e Entry) []string {
	if c := s.command(e); c != nil && c.Key > 0 && c.Key <= len(e.Words) {
		return e.Words[:c.Key]
	}
	return e.Words
}

// identity is e's context and key as one comparable string.
func (s *Syntax) identity(e Entry) string {
	return ctxID(e.Context) + "\x01" + strings.Join(s.key(e), "\x00")
}

func ctxID(ctx [][]string) string {
	parts := make([]string, len(ctx))
	for i, c := range ctx {
		parts[i] = strings.Join(c, "\x00")
	}
	return strings.Join(parts, "\x02")
}

// object is a (kind, name) pair.
type object struct{ kind, name string }

// defines returns the objects e creates or is part of: its command's Defines and every
// enclosing context's object.
func (s *Syntax) defines(e Entry) []object {
	var out []object
	for _, ctx := range e.Context {
		if c := s.context(ctx); c != nil && c.Kind != "" && c.Name < len(ctx) {
			out = append(out, object{c.Kind, ctx[c.Name]})
		}
	}
	if e.opener {
		return append(out, contextObject(append(e.Context[:len(e.Context):len(e.Context)], e.Words)))
	}
	if c := s.command(e); c != nil && c.Defines != nil {
		if name, ok := c.resolve(*c.Defines, e.Words); ok {
			out = append(out, object{c.Defines.Kind, name})
		}
	}
	return out
}

// contextObject is the object a Create context's opener makes.
func contextObject(ctx [][]string) object { return object{"\x00context", ctxID(ctx)} }

// created returns the depths of e's contexts whose opener must exist before e is typed in
// one-line form.
func (s *Syntax) created(ctx [][]string) []int {
	var out []int
	for i, w := range ctx {
		if c := s.context(w); c != nil && c.Create && c.Fold > 0 {
			out = append(out, i)
		}
	}
	return out
}

// uses returns the objects e needs.
func (s *Syntax) uses(e Entry) []object {
	var out []object
	for _, i := range s.created(e.Context) {
		out = append(out, contextObject(e.Context[:i+1]))
	}
	c := s.command(e)
	if c == nil {
		return out
	}
	for _, r := range c.Uses {
		if name, ok := c.resolve(r, e.Words); ok {
			out = append(out, object{r.Kind, name})
		}
	}
	return out
}

func (c *Command) resolve(r Ref, words []string) (string, bool) {
	if r.After == "" {
		if r.At < len(words) {
			return words[r.At], true
		}
		return "", false
	}
	from := len(pattern(c.Pattern)) - 1
	if from < 0 {
		from = 0
	}
	for i := from; i+1 < len(words); i++ {
		if words[i] == r.After {
			return words[i+1], true
		}
	}
	return "", false
}
