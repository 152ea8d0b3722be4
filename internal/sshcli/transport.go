package sshcli

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"

	"github.com/scrapli/scrapligo/transport"
	"golang.org/x/crypto/ssh"
)

// termType is the terminal type requested with the pty.
const termType = "xterm"

// sshTransport is the scrapligo transport.Implementation used by Session. The SSH connection
// (TCP, handshake, host key, auth, jump hosts) is established by Open in this package before
// the scrapligo driver exists, because scrapligo has no context and cannot bound the
// handshake; the transport's own Open only starts the interactive shell (pty + shell).
type sshTransport struct {
	conn *chain

	// Set by Open, before scrapligo starts its read goroutine; read-only afterwards.
	session *ssh.Session
	stdin   io.WriteCloser
	stdout  io.Reader

	dead      atomic.Bool // the SSH connection ended or Close was called
	closeOnce sync.Once
}

var _ transport.Implementation = (*sshTransport)(nil)

func newSSHTransport(c *chain) *sshTransport {
	t := &sshTransport{conn: c}
	go func() {
		_ = c.target().Wait()
		t.dead.Store(true)
	}()
	return t
}

// Open requests a pty of a.TermWidth x a.TermHeight with echo on and starts a shell.
func (t *sshTransport) Open(a *transport.Args) error {
	sess, err := t.conn.target().NewSession()
	if err != nil {
		return err
	}
	modes := ssh.TerminalModes{
		ssh.ECHO:          1,
		ssh.TTY_OP_ISPEED: 115200,
		ssh.TTY_OP_OSPEED: 115200,
	}
	if err := sess.RequestPty(termType, a.TermHeight, a.TermWidth, modes); err != nil {
		_ = sess.Close()
		return err
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		_ = sess.Close()
		return err
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		_ = sess.Close()
		return err
	}
	if err := sess.Shell(); err != nil {
		_ = sess.Close()
		return err
	}
	t.session, t.stdin, t.stdout = sess, stdin, stdout
	return nil
}

// Close closes the shell and every SSH hop. It is idempotent and safe to call concurrently
// with Read and Write, which then fail.
func (t *sshTransport) Close() error {
	var err error
	t.closeOnce.Do(func() {
		t.dead.Store(true)
		if t.session != nil {
			_ = t.session.Close()
		}
		err = t.conn.target().Close()
		t.conn.close()
		if errors.Is(err, net.ErrClosed) || errors.Is(err, io.EOF) {
			err = nil
		}
	})
	return err
}

// IsAlive reports whether the SSH connection is still up.
func (t *sshTransport) IsAlive() bool { return !t.dead.Load() }

// Read reads up to n bytes of shell output; it blocks until data arrives or the connection
// ends (io.EOF).
func (t *sshTransport) Read(n int) ([]byte, error) {
	if t.stdout == nil {
		return nil, io.EOF
	}
	b := make([]byte, n)
	n, err := t.stdout.Read(b)
	if n > 0 {
		return b[:n], nil
	}
	return nil, err
}

// Write sends b to the shell.
func (t *sshTransport) Write(b []byte) error {
	if t.stdin == nil || t.dead.Load() {
		return io.ErrClosedPipe
	}
	_, err := t.stdin.Write(b)
	return err
}
