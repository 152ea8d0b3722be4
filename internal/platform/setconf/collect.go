package setconf

import (
	"fmt"
	"strings"
)

// Collector gathers the paths a dialect's renderer emits, each once, and the first
// inconsistency between objects it finds when Strict (a renderer of the device's current
// objects is lenient: it renders what it can). A dialect's renderer embeds it.
type Collector struct {
	Strict bool
	paths  [][]string
	seen   map[string]bool
	err    error
}

// Emit adds the concatenation of parts as one path, unless it was emitted already.
func (c *Collector) Emit(parts ...[]string) {
	var p []string
	for _, x := range parts {
		p = append(p, x...)
	}
	k := strings.Join(p, "\x00")
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	if !c.seen[k] {
		c.seen[k] = true
		c.paths = append(c.paths, p)
	}
}

// Fail records the first inconsistency when Strict; rendering goes on, and Result reports it.
func (c *Collector) Fail(format string, args ...any) {
	if c.Strict && c.err == nil {
		c.err = fmt.Errorf(format, args...)
	}
}

// Result returns the paths emitted, or the first inconsistency recorded.
func (c *Collector) Result() ([][]string, error) {
	if c.err != nil {
		return nil, c.err
	}
	return c.paths, nil
}

// Paths returns the paths emitted so far, in order.
func (c *Collector) Paths() [][]string { return c.paths }

// SetPaths replaces the paths emitted so far (a renderer that reorders entries whose order
// matters); each is then known as emitted.
func (c *Collector) SetPaths(paths [][]string) {
	c.paths, c.seen = nil, nil
	for _, p := range paths {
		c.Emit(p)
	}
}

// Emitted reports whether path itself was emitted.
func (c *Collector) Emitted(path []string) bool { return c.seen[strings.Join(path, "\x00")] }
