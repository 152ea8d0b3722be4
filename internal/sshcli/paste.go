package sshcli

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Paste sends lines to a device that is reading a block of input (Junos `load set terminal`,
// entered beforehand with SendExpect), each followed by the return character and without
// waiting for anything between them, then end (for Junos "\x04", Ctrl-D, sent as is, without a
// return), and waits for the prompt. The whole batch costs one round trip instead of one per
// line. It returns what the device printed after the last line was sent: the device's verdict
// on the block (Junos "load complete", or its per-line errors) and anything it echoed late.
//
// The wait for the prompt is bounded by ctx and by the session's CommandTimeout; a failure
// closes the session, as Send does. Lines must be single lines; errors quote none of them.
func (s *Session) Paste(ctx context.Context, lines []string, end string) (string, error) {
	const what = "(pasted lines)"
	for i, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			return "", s.cmdError(what, false, fmt.Errorf("line %d of the paste is not a single line", i+1))
		}
	}
	if !s.Alive() {
		return "", s.cmdError(what, false, ErrClosed)
	}
	if err := ctx.Err(); err != nil {
		return "", s.cmdError(what, false, err)
	}
	cctx, cancel := context.WithTimeout(ctx, s.cmdTimeout)
	defer cancel()
	cctx = context.WithValue(cctx, timeoutKey{}, s.cmdTimeout)
	stop := context.AfterFunc(cctx, func() { _ = s.tr.Close() })
	out, err := s.paste(cctx, lines, end)
	stop()
	if err != nil {
		_ = s.Close()
		return "", err
	}
	return out, nil
}

func (s *Session) paste(ctx context.Context, lines []string, end string) (string, error) {
	const what = "(pasted lines)"
	ch := s.driver.Channel
	if _, err := ch.ReadAll(); err != nil {
		return "", s.cmdError(what, false, s.connErr(ctx, err))
	}
	s.tr.consumed()
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l)
		b.Write(ch.ReturnChar)
	}
	b.WriteString(end)
	if err := ch.Write([]byte(b.String()), true); err != nil {
		return "", s.cmdError(what, false, s.connErr(ctx, err))
	}
	patterns := []*matcher{s.prompt}
	var start int
	buf, err := s.readUntil(ctx, nil, func(b []byte) bool {
		var ok bool
		start, ok = findPrompt(b, patterns)
		return ok
	})
	if err != nil {
		e := s.connErr(ctx, err)
		if errors.Is(e, ErrOutputTooLarge) {
			return "", s.cmdError(what, false, e)
		}
		return "", s.cmdError(what, false, fmt.Errorf("waiting for the prompt after the paste: %w; %s", e, s.outputHint(buf, patterns)))
	}
	s.mu.Lock()
	s.lastPrompt = string(buf[start:])
	s.mu.Unlock()
	return strings.Trim(string(buf[:start]), "\n"), nil
}
