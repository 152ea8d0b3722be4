package flatconf

// Identity returns e's context and key words as one comparable string: two entries with the
// same identity are the same configuration line with possibly different values (Diff
// updates one into the other). Dialects use it to keep a device's own spelling of a line
// that means what they rendered (ScreenOS `hour 8` for `second 28800`).
func (s *Syntax) Identity(e Entry) string { return s.identity(e) }

// Key returns the words that identify e (its command's Key leading words, else all of them).
func (s *Syntax) Key(e Entry) []string { return s.key(e) }

// Context returns the context that the opener words (without the verb) open, or nil.
func (s *Syntax) Context(words []string) *Context { return s.context(words) }
