package sshcli

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// Test SSH server: a tiny echoing CLI behind x/crypto/ssh, on 127.0.0.1 only.

const (
	testUser     = "admin"
	testPassword = "s3cret-Pa55"
	testPrompt   = "user@host:~$ "
)

type serverOpts struct {
	kbdOnly       bool          // offer keyboard-interactive only (no "password" method)
	authorizedKey ssh.PublicKey // accept this key for public-key auth
	noPassword    bool          // refuse password based methods
	legacy        bool          // restrict to diffie-hellman-group1-sha1 / aes128-cbc / hmac-sha1
	silent        bool          // accept TCP and never speak
	forward       bool          // allow "direct-tcpip" channels (jump host)
	ecdsaFirst    bool          // also offer an ECDSA host key (which x/crypto clients prefer)
	banner        string        // printed before the first prompt
	quietStart    bool          // print no prompt until the first line is received
	startDelay    time.Duration // wait this long before printing the first prompt
	kbdQuestions  []string      // keyboard-interactive questions (default "Password: ", not echoed)
	kbdEchos      []bool        // their echo flags (default false)
	kbdEmptyFirst bool          // send an empty question list before the questions
	titlePrompt   bool          // set the window title in every prompt, as Debian's .bashrc does for xterm
}

type testServer struct {
	t       *testing.T
	ln      net.Listener
	addr    string
	host    string
	port    int
	hostKey ssh.Signer // the ed25519 host key
	cfg     *ssh.ServerConfig
	opts    serverOpts

	mu        sync.Mutex
	conns     []net.Conn
	commands  []string
	ptyWidths []int
	forwards  []string
	answers   [][]string // keyboard-interactive answers received
	closed    bool
	wg        sync.WaitGroup
}

func newEd25519Signer(t *testing.T) ssh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func startServer(t *testing.T, opts serverOpts) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &testServer{t: t, ln: ln, addr: ln.Addr().String(), opts: opts, hostKey: newEd25519Signer(t)}
	host, port, _ := net.SplitHostPort(s.addr)
	s.host = host
	s.port, _ = strconv.Atoi(port)

	cfg := &ssh.ServerConfig{ServerVersion: "SSH-2.0-TestCLI_1.0"}
	if !opts.noPassword {
		if !opts.kbdOnly {
			cfg.PasswordCallback = func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
				if c.User() == testUser && string(pw) == testPassword {
					return nil, nil
				}
				return nil, fmt.Errorf("bad password")
			}
		}
		questions, echos := opts.kbdQuestions, opts.kbdEchos
		if questions == nil {
			questions = []string{"Password: "}
		}
		if echos == nil {
			echos = make([]bool, len(questions))
		}
		cfg.KeyboardInteractiveCallback = func(c ssh.ConnMetadata, client ssh.KeyboardInteractiveChallenge) (*ssh.Permissions, error) {
			if opts.kbdEmptyFirst {
				ans, err := client("", "", nil, nil)
				if err != nil {
					return nil, err
				}
				if len(ans) != 0 {
					return nil, fmt.Errorf("%d answers to no question", len(ans))
				}
			}
			ans, err := client("", "", questions, echos)
			if err != nil {
				return nil, err
			}
			s.mu.Lock()
			s.answers = append(s.answers, ans)
			s.mu.Unlock()
			if c.User() != testUser || len(ans) != len(questions) {
				return nil, fmt.Errorf("bad answers")
			}
			for _, a := range ans {
				if a != testPassword {
					return nil, fmt.Errorf("bad password")
				}
			}
			return nil, nil
		}
	}
	if opts.authorizedKey != nil {
		want := string(opts.authorizedKey.Marshal())
		cfg.PublicKeyCallback = func(c ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
			if c.User() == testUser && string(k.Marshal()) == want {
				return nil, nil
			}
			return nil, fmt.Errorf("unknown key")
		}
	}
	if opts.legacy {
		cfg.KeyExchanges = []string{ssh.InsecureKeyExchangeDH1SHA1}
		cfg.Ciphers = []string{ssh.InsecureCipherAES128CBC}
		cfg.MACs = []string{ssh.HMACSHA1}
	}
	if opts.ecdsaFirst {
		priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		es, err := ssh.NewSignerFromKey(priv)
		if err != nil {
			t.Fatal(err)
		}
		cfg.AddHostKey(es)
	}
	cfg.AddHostKey(s.hostKey)
	s.cfg = cfg

	s.wg.Add(1)
	go s.acceptLoop()
	t.Cleanup(s.close)
	return s
}

func (s *testServer) close() {
	s.mu.Lock()
	s.closed = true
	conns := s.conns
	s.mu.Unlock()
	_ = s.ln.Close()
	for _, c := range conns {
		_ = c.Close()
	}
	s.wg.Wait()
}

func (s *testServer) track(c io.Closer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		_ = c.Close()
		return false
	}
	if nc, ok := c.(net.Conn); ok {
		s.conns = append(s.conns, nc)
	}
	return true
}

func (s *testServer) acceptLoop() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		if !s.track(c) {
			return
		}
		if s.opts.silent {
			continue // keep the connection open, never say anything
		}
		s.wg.Add(1)
		go s.serveConn(c)
	}
}

func (s *testServer) serveConn(c net.Conn) {
	defer s.wg.Done()
	defer c.Close()
	sc, chans, reqs, err := ssh.NewServerConn(c, s.cfg)
	if err != nil {
		return
	}
	defer sc.Close()
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		switch nc.ChannelType() {
		case "session":
			ch, creqs, err := nc.Accept()
			if err != nil {
				continue
			}
			s.wg.Add(1)
			go s.serveSession(ch, creqs)
		case "direct-tcpip":
			if !s.opts.forward {
				_ = nc.Reject(ssh.Prohibited, "forwarding disabled")
				continue
			}
			s.wg.Add(1)
			go s.forward(nc)
		default:
			_ = nc.Reject(ssh.UnknownChannelType, "unsupported")
		}
	}
}

// forward handles a "direct-tcpip" channel (RFC 4254 7.2) by dialling the target.
func (s *testServer) forward(nc ssh.NewChannel) {
	defer s.wg.Done()
	var p struct {
		Host     string
		Port     uint32
		OrigHost string
		OrigPort uint32
	}
	if err := ssh.Unmarshal(nc.ExtraData(), &p); err != nil {
		_ = nc.Reject(ssh.ConnectionFailed, "bad payload")
		return
	}
	target := net.JoinHostPort(p.Host, strconv.Itoa(int(p.Port)))
	tc, err := net.DialTimeout("tcp", target, 5*time.Second)
	if err != nil {
		_ = nc.Reject(ssh.ConnectionFailed, err.Error())
		return
	}
	if !s.track(tc) {
		return
	}
	ch, reqs, err := nc.Accept()
	if err != nil {
		_ = tc.Close()
		return
	}
	go ssh.DiscardRequests(reqs)
	s.mu.Lock()
	s.forwards = append(s.forwards, target)
	s.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(ch, tc); _ = ch.CloseWrite(); done <- struct{}{} }()
	go func() { _, _ = io.Copy(tc, ch); done <- struct{}{} }()
	<-done
	_ = ch.Close()
	_ = tc.Close()
	<-done
}

func (s *testServer) serveSession(ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer s.wg.Done()
	defer ch.Close()
	width := 80
	shell := make(chan struct{})
	go func() {
		started := false
		for r := range reqs {
			switch r.Type {
			case "pty-req":
				var p struct {
					Term          string
					Cols, Rows    uint32
					Width, Height uint32
					Modes         string
				}
				if err := ssh.Unmarshal(r.Payload, &p); err == nil {
					width = int(p.Cols)
					s.mu.Lock()
					s.ptyWidths = append(s.ptyWidths, width)
					s.mu.Unlock()
				}
				_ = r.Reply(true, nil)
			case "shell":
				_ = r.Reply(!started, nil)
				if !started {
					started = true
					close(shell)
				}
			default:
				_ = r.Reply(r.Type == "env" || r.Type == "window-change", nil)
			}
		}
	}()
	select {
	case <-shell:
	case <-time.After(5 * time.Second):
		return
	}
	s.cli(ch, width)
}

// cli is the command interpreter: it echoes every character, wraps the echo at the terminal
// width (like a naive terminal would), runs a line on CR or LF and prints the prompt.
func (s *testServer) cli(ch ssh.Channel, width int) {
	if s.opts.banner != "" {
		_, _ = io.WriteString(ch, s.opts.banner)
	}
	if s.opts.startDelay > 0 {
		time.Sleep(s.opts.startDelay)
	}
	prompt := testPrompt
	if s.opts.titlePrompt {
		prompt = "\x1b]0;user@host: ~\x07" + testPrompt
	}
	if !s.opts.quietStart {
		_, _ = io.WriteString(ch, prompt)
	}
	col := len(testPrompt)
	var line []byte
	lastCR := false
	hidden := false // the current line is a password: no echo
	buf := make([]byte, 4096)
	for {
		n, err := ch.Read(buf)
		if err != nil {
			return
		}
		for _, b := range buf[:n] {
			if b == '\n' && lastCR {
				lastCR = false
				continue
			}
			lastCR = b == '\r'
			if b != '\r' && b != '\n' {
				line = append(line, b)
				if hidden {
					continue
				}
				_, _ = ch.Write([]byte{b})
				if col++; col >= width {
					_, _ = io.WriteString(ch, "\r\n")
					col = 0
				}
				continue
			}
			_, _ = io.WriteString(ch, "\r\n")
			cmd := string(line)
			line = nil
			s.mu.Lock()
			s.commands = append(s.commands, cmd)
			s.mu.Unlock()
			var out string
			var showPrompt, exit bool
			switch {
			case hidden:
				hidden = false
				out, showPrompt = "denied\r\n", true
				if cmd == testPassword {
					out = "granted\r\n"
				}
			case cmd == "administrator":
				out, hidden = "Password: ", true
			case streamCommand(ch, cmd):
				showPrompt = true
			default:
				out, showPrompt, exit = runCommand(cmd)
			}
			if out != "" {
				_, _ = io.WriteString(ch, out)
			}
			if exit {
				_, _ = ch.SendRequest("exit-status", false, binary.BigEndian.AppendUint32(nil, 0))
				return
			}
			if showPrompt {
				_, _ = io.WriteString(ch, prompt)
			}
			col = len(testPrompt)
		}
	}
}

// splitConfig is printed by "show split-config": a configuration line that ends like a
// prompt, then (after a pause, so that it arrives in another read) the rest.
var splitConfig = [2]string{
	"set system host-name edge1\r\nset interfaces ethernet eth0 description ops@site#",
	"\r\nset interfaces ethernet eth0 address 192.0.2.1/24\r\n",
}

// streamCommand runs the commands whose output is written in several pieces; it reports
// false for other commands. "cmd; echo X" runs cmd, then prints X on a line of its own.
func streamCommand(ch ssh.Channel, cmd string) bool {
	if first, marker, ok := strings.Cut(cmd, "; echo "); ok {
		if !streamCommand(ch, first) {
			out, _, _ := runCommand(first)
			_, _ = io.WriteString(ch, out)
		}
		_, _ = io.WriteString(ch, marker+"\r\n")
		return true
	}
	switch {
	case cmd == "show split-config":
		_, _ = io.WriteString(ch, splitConfig[0])
		time.Sleep(100 * time.Millisecond)
		_, _ = io.WriteString(ch, splitConfig[1])
		return true
	case cmd == "show secret-then-hang":
		_, _ = io.WriteString(ch, "set vpn ipsec site-to-site peer 198.51.100.1 authentication pre-shared-secret TopSecretPSK\r\n")
		_, _ = io.Copy(io.Discard, ch) // never a prompt: wait for the client to give up
		return true
	case strings.HasPrefix(cmd, "flood "):
		n, _ := strconv.Atoi(strings.TrimPrefix(cmd, "flood "))
		flood(ch, n)
		return true
	case strings.HasPrefix(cmd, "flood-later "):
		// Print a prompt at once, then flood while the client is idle.
		n, _ := strconv.Atoi(strings.TrimPrefix(cmd, "flood-later "))
		_, _ = io.WriteString(ch, testPrompt)
		time.Sleep(200 * time.Millisecond)
		flood(ch, n)
		return true
	}
	return false
}

// flood writes n bytes, rounded up to whole lines of 64 characters ("\r\n" included), in
// 32 KiB writes; it stops when the channel fails.
func flood(ch ssh.Channel, n int) {
	const lineLen = 64
	line := strings.Repeat("x", lineLen-2) + "\r\n"
	chunk := []byte(strings.Repeat(line, 512))
	for n = (n + lineLen - 1) / lineLen * lineLen; n > 0; {
		k := min(n, len(chunk))
		if _, err := ch.Write(chunk[:k]); err != nil {
			return
		}
		n -= k
	}
}

// runCommand returns a command's output ("\r\n" line ends), whether to print the prompt
// afterwards, and whether to end the session.
func runCommand(cmd string) (out string, prompt, exit bool) {
	switch {
	case cmd == "":
		return "", true, false
	case cmd == "show lines":
		return "line 1\r\nline 2\r\nline 3\r\n", true, false
	case cmd == "show fake-prompt":
		return "first\r\nuser@host:~$ \r\nlast\r\n", true, false
	case cmd == "show indented":
		return "  a  \r\n\tb\r\n", true, false
	case strings.HasPrefix(cmd, "echo "):
		return strings.TrimPrefix(cmd, "echo ") + "\r\n", true, false
	case strings.HasPrefix(cmd, "hang"):
		return "working...\r\n", false, false
	case strings.HasPrefix(cmd, "sleep "):
		d, _ := time.ParseDuration(strings.TrimPrefix(cmd, "sleep "))
		time.Sleep(d)
		return "slept\r\n", true, false
	case cmd == "terminal length 0":
		return "", true, false
	case cmd == "exit":
		return "logout\r\n", false, true
	}
	return "% unknown command: " + cmd + "\r\n", true, false
}

func (s *testServer) kbdAnswers() [][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]string(nil), s.answers...)
}

func (s *testServer) recorded() (commands []string, widths []int, forwards []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.commands...), append([]int(nil), s.ptyWidths...), append([]string(nil), s.forwards...)
}

// config returns a client Config for this server with password auth and a pinned host key.
func (s *testServer) config() Config {
	return Config{
		Host:           s.host,
		Port:           s.port,
		Username:       testUser,
		Password:       testPassword,
		HostKey:        string(ssh.MarshalAuthorizedKey(s.hostKey.PublicKey())),
		ConnectTimeout: 5 * time.Second,
		CommandTimeout: 5 * time.Second,
		PromptPattern:  `^\S+@\S+:\S*[$#] ?$`,
	}
}
