package sshcli

import (
	"bytes"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"

	"github.com/scrapli/scrapligo/transport"
	"github.com/scrapli/scrapligo/util"
	"golang.org/x/crypto/ssh"
)

// termType is the terminal type requested with the pty.
const termType = "xterm"

// maxQueuedChunks bounds scrapligo's channel queue. scrapligo's read goroutine reads the
// transport as fast as it can and appends every read to an unbounded queue
// (channel.Channel.Q), whether or not anyone is reading it: between commands, or while a
// command's output floods in faster than the session consumes it. Read therefore waits while
// the queue holds this many chunks; each chunk is at most one read (scrapligo asks for 8 KiB),
// so the queue holds at most about 1 MiB. While Read waits, x/crypto/ssh stops extending the
// channel's flow-control window, which bounds its own buffer (2 MiB) and stops the device.
const maxQueuedChunks = 128

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
	gone      chan struct{} // closed when the connection ends or Close is called
	goneOnce  sync.Once

	// Back-pressure (see maxQueuedChunks). queue is set before the driver opens and so
	// before scrapligo's read goroutine, the only caller of Read, starts.
	queue   *util.Queue
	drained chan struct{} // a token after the session dequeued something
	readBuf []byte        // used by Read only
}

var _ transport.Implementation = (*sshTransport)(nil)

func newSSHTransport(c *chain) *sshTransport {
	t := &sshTransport{conn: c, gone: make(chan struct{}), drained: make(chan struct{}, 1)}
	go func() {
		_ = c.target().Wait()
		t.dead.Store(true)
		t.markGone()
	}()
	return t
}

func (t *sshTransport) markGone() { t.goneOnce.Do(func() { close(t.gone) }) }

// bound makes Read wait while q (scrapligo's channel queue) is full.
func (t *sshTransport) bound(q *util.Queue) { t.queue = q }

// consumed tells a waiting Read that the session took something off the queue.
func (t *sshTransport) consumed() {
	select {
	case t.drained <- struct{}{}:
	default:
	}
}

// waitForRoom blocks while the queue is full; it fails when the transport is gone.
func (t *sshTransport) waitForRoom() error {
	if t.queue == nil {
		return nil
	}
	for t.queue.GetDepth() >= maxQueuedChunks {
		select {
		case <-t.gone:
			return io.EOF
		case <-t.drained:
		}
	}
	return nil
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
		t.markGone()
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

// Read reads up to n bytes of shell output; it blocks while scrapligo's queue is full (see
// maxQueuedChunks) and until data arrives or the connection ends (io.EOF). The slice returned
// is exactly as long as what was read, so queued chunks hold no unused capacity.
func (t *sshTransport) Read(n int) ([]byte, error) {
	if t.stdout == nil {
		return nil, io.EOF
	}
	if err := t.waitForRoom(); err != nil {
		return nil, err
	}
	if len(t.readBuf) < n {
		t.readBuf = make([]byte, n)
	}
	n, err := t.stdout.Read(t.readBuf[:n])
	if n > 0 {
		return bytes.Clone(t.readBuf[:n]), nil
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
