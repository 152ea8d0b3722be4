package sshcli

import (
	"context"
	"strings"
)

// SendMarked is a stand-in until the transport reads up to the marker itself.
func (s *Session) SendMarked(ctx context.Context, command, marker string) (string, error) {
	out, err := s.Send(ctx, command)
	if err != nil {
		return "", err
	}
	if i := strings.Index(out, "\n"+marker); i >= 0 {
		return out[:i], nil
	}
	if strings.HasPrefix(out, marker) {
		return "", nil
	}
	return out, nil
}
