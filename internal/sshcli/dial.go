package sshcli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// AuthError reports that the server rejected every configured authentication method. It
// never contains the password, key or passphrase.
type AuthError struct {
	User    string   // the login name
	Host    string   // "host:port"
	Methods []string // the methods offered, e.g. ["publickey", "password", "keyboard-interactive"]
	Err     error    // the underlying x/crypto/ssh error
}

func (e *AuthError) Error() string {
	return fmt.Sprintf("ssh authentication failed for %s@%s (tried %s): %v",
		e.User, e.Host, strings.Join(e.Methods, ", "), e.Err)
}

func (e *AuthError) Unwrap() error { return e.Err }

// QuestionError reports a keyboard-interactive question that was not answered because it is
// not a password prompt (a one-time code, a new password, a name...). It is returned inside an
// *AuthError. Question is the server's text, at most maxQuestionQuote characters, quoted with
// every control and non-ASCII character escaped.
type QuestionError struct {
	Question string // quoted and truncated
	Reason   string
}

func (e *QuestionError) Error() string {
	return fmt.Sprintf("keyboard-interactive: the server asked %s, %s; only password questions are answered, with the password", e.Question, e.Reason)
}

// maxQuestionQuote is how many characters of a keyboard-interactive question errors quote.
const maxQuestionQuote = 80

var (
	// passwordQuestion matches the questions answered with the password. The text is what
	// PAM, RADIUS and TACACS+ front ends and the devices' own sshd print: "Password:",
	// "admin@router's password:", "Enter passphrase:". One-time passcodes are not answered:
	// the password would be sent, and possibly logged, as a token code.
	passwordQuestion = regexp.MustCompile(`(?i)pass(word|phrase)`)
	// newPasswordQuestion matches the questions of an expired-password dialog, which must not
	// be answered with the current password.
	newPasswordQuestion = regexp.MustCompile(`(?i)\bnew\b|\bretype\b|\bre-enter\b|\bconfirm`)
)

// answerPasswordQuestions answers keyboard-interactive questions: each question must be a
// password question that is not echoed (echo alone is not enough: a one-time code is not
// echoed either); anything else fails the login with a *QuestionError, so the password is
// never sent in answer to another question. An empty question list, which some servers send
// before the real one, gets an empty answer list.
func answerPasswordQuestions(pw string) ssh.KeyboardInteractiveChallenge {
	return func(_, _ string, questions []string, echos []bool) ([]string, error) {
		answers := make([]string, len(questions))
		for i, q := range questions {
			switch {
			case i < len(echos) && echos[i]:
				return nil, &QuestionError{Question: quoteQuestion(q), Reason: "with the answer echoed, so it is not a password question"}
			case !passwordQuestion.MatchString(q):
				return nil, &QuestionError{Question: quoteQuestion(q), Reason: "which is not a password question"}
			case newPasswordQuestion.MatchString(q):
				return nil, &QuestionError{Question: quoteQuestion(q), Reason: "which asks for a new password (log in with an SSH client to change it)"}
			}
			answers[i] = pw
		}
		return answers, nil
	}
}

// quoteQuestion quotes at most maxQuestionQuote characters of a server's question, escaping
// control characters and everything outside printable ASCII.
func quoteQuestion(q string) string {
	r := []rune(q)
	if len(r) <= maxQuestionQuote {
		return strconv.QuoteToASCII(q)
	}
	return strconv.QuoteToASCII(string(r[:maxQuestionQuote])) + fmt.Sprintf(" (%d more characters)", len(r)-maxQuestionQuote)
}

// watchdog closes registered connections when the Open deadline passes or the caller's
// context is cancelled. It bounds every blocking step of Open, including ones that take no
// context (SSH handshake, session and pty requests) and connections tunnelled through a jump
// host, where net.Conn deadlines are not supported.
type watchdog struct {
	mu      sync.Mutex
	fired   bool
	closers []io.Closer
	stopf   func() bool
}

func newWatchdog(ctx context.Context) *watchdog {
	w := &watchdog{}
	w.stopf = context.AfterFunc(ctx, w.fire)
	return w
}

func (w *watchdog) add(c io.Closer) {
	w.mu.Lock()
	fired := w.fired
	if !fired {
		w.closers = append(w.closers, c)
	}
	w.mu.Unlock()
	if fired {
		_ = c.Close()
	}
}

func (w *watchdog) fire() {
	w.mu.Lock()
	w.fired = true
	cs := w.closers
	w.closers = nil
	w.mu.Unlock()
	for _, c := range cs {
		_ = c.Close()
	}
}

// stop disarms the watchdog; it reports false if the watchdog already fired.
func (w *watchdog) stop() bool {
	if w.stopf() {
		return true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return !w.fired
}

// chain is an established SSH connection, possibly through jump hosts.
type chain struct {
	clients []*ssh.Client // jump hosts first, the target last
	tcp     net.Conn      // the TCP connection of the first hop
}

func (c *chain) target() *ssh.Client { return c.clients[len(c.clients)-1] }

// close closes every hop, target first.
func (c *chain) close() {
	for i := len(c.clients) - 1; i >= 0; i-- {
		_ = c.clients[i].Close()
	}
	if c.tcp != nil {
		_ = c.tcp.Close()
	}
}

// dialChain connects and authenticates to cfg (through cfg.Jump when set). Every step is
// bounded by ctx through the watchdog and, for the TCP connection, a deadline.
func dialChain(ctx context.Context, cfg Config, wd *watchdog) (*chain, error) {
	addr := cfg.addr()
	cc, methods, err := clientConfig(cfg)
	if err != nil {
		return nil, err
	}
	var (
		ch  *chain
		raw net.Conn
	)
	if cfg.Jump != nil {
		jcfg := cfg.Jump.withDefaults()
		if err := jcfg.validate(); err != nil {
			return nil, fmt.Errorf("jump host: %w", err)
		}
		ch, err = dialChain(ctx, jcfg, wd)
		if err != nil {
			return nil, fmt.Errorf("jump host %s: %w", jcfg.addr(), err)
		}
		raw, err = ch.target().DialContext(ctx, "tcp", addr)
		if err != nil {
			ch.close()
			return nil, fmt.Errorf("dial %s through jump host %s: %w", addr, jcfg.addr(), err)
		}
	} else {
		var d net.Dialer
		raw, err = d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("dial %s: %w", addr, err)
		}
		if dl, ok := ctx.Deadline(); ok {
			_ = raw.SetDeadline(dl)
		}
		ch = &chain{tcp: raw}
	}
	wd.add(raw)
	conn, chans, reqs, err := ssh.NewClientConn(raw, addr, cc)
	if err != nil {
		_ = raw.Close()
		ch.close()
		return nil, classifyHandshakeError(err, cfg, methods)
	}
	ch.clients = append(ch.clients, ssh.NewClient(conn, chans, reqs))
	return ch, nil
}

// classifyHandshakeError turns x/crypto handshake failures into AuthError, keeps HostKeyError
// reachable with errors.As and explains algorithm negotiation failures.
func classifyHandshakeError(err error, cfg Config, methods []string) error {
	var hke *HostKeyError
	if errors.As(err, &hke) {
		return hke
	}
	var qe *QuestionError
	if errors.As(err, &qe) {
		return &AuthError{User: cfg.Username, Host: cfg.addr(), Methods: methods, Err: qe}
	}
	if strings.Contains(err.Error(), "unable to authenticate") {
		return &AuthError{User: cfg.Username, Host: cfg.addr(), Methods: methods, Err: err}
	}
	var ane *ssh.AlgorithmNegotiationError
	if errors.As(err, &ane) {
		hint := "set the matching algorithm lists"
		if !cfg.LegacyAlgorithms {
			hint = "if the device only supports old algorithms, set legacy_algorithms = true or " + hint
		}
		return fmt.Errorf("%w (%s)", err, hint)
	}
	return err
}

// clientConfig builds the x/crypto client configuration: auth methods, host-key check and
// algorithm lists. It returns the names of the auth methods for error messages.
func clientConfig(cfg Config) (*ssh.ClientConfig, []string, error) {
	hostKeyCB, pinnedAlgos, err := HostKeyCallback(cfg)
	if err != nil {
		return nil, nil, err
	}
	var (
		auth    []ssh.AuthMethod
		methods []string
	)
	if len(cfg.PrivateKey) > 0 {
		signer, err := parsePrivateKey(cfg.PrivateKey, cfg.PrivateKeyPassphrase)
		if err != nil {
			return nil, nil, err
		}
		auth = append(auth, ssh.PublicKeys(signer))
		methods = append(methods, "publickey")
	}
	if cfg.Password != "" {
		pw := cfg.Password
		auth = append(auth, ssh.Password(pw), ssh.KeyboardInteractive(answerPasswordQuestions(pw)))
		methods = append(methods, "password", "keyboard-interactive")
	}
	if len(auth) == 0 {
		return nil, nil, errors.New("sshcli: no authentication method: set a password or a private key")
	}

	cc := &ssh.ClientConfig{
		User:              cfg.Username,
		Auth:              auth,
		HostKeyCallback:   hostKeyCB,
		HostKeyAlgorithms: cfg.HostKeyAlgorithms,
	}
	cc.KeyExchanges = cfg.KeyExchanges
	cc.Ciphers = cfg.Ciphers
	cc.MACs = cfg.MACs
	if cfg.LegacyAlgorithms {
		sup, ins := ssh.SupportedAlgorithms(), ssh.InsecureAlgorithms()
		if cc.KeyExchanges == nil {
			cc.KeyExchanges = union(sup.KeyExchanges, ins.KeyExchanges)
		}
		if cc.Ciphers == nil {
			cc.Ciphers = union(sup.Ciphers, ins.Ciphers)
		}
		if cc.MACs == nil {
			cc.MACs = union(sup.MACs, ins.MACs)
		}
		if cc.HostKeyAlgorithms == nil {
			cc.HostKeyAlgorithms = union(sup.HostKeys, ins.HostKeys)
		}
	}
	if len(pinnedAlgos) > 0 {
		// Only negotiate key types that are pinned, otherwise a server with several host keys
		// may present one of another type and fail the check as a mismatch.
		var keep []string
		for _, a := range cc.HostKeyAlgorithms {
			if slices.Contains(pinnedAlgos, a) {
				keep = append(keep, a)
			}
		}
		if len(keep) == 0 {
			keep = pinnedAlgos
		}
		cc.HostKeyAlgorithms = keep
	}
	return cc, methods, nil
}

// parsePrivateKey parses a PEM or OpenSSH private key, encrypted or not. Errors never include
// the key material or the passphrase.
func parsePrivateKey(key []byte, passphrase string) (ssh.Signer, error) {
	signer, err := ssh.ParsePrivateKey(key)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		if passphrase == "" {
			return nil, errors.New("sshcli: private key is encrypted: set private_key_passphrase")
		}
		signer, err = ssh.ParsePrivateKeyWithPassphrase(key, []byte(passphrase))
		if err != nil {
			return nil, fmt.Errorf("sshcli: decrypt private key (wrong passphrase?): %w", err)
		}
		return signer, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sshcli: parse private key: %w", err)
	}
	return signer, nil
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// clearDeadline removes the Open deadline from the first hop's TCP connection.
func (c *chain) clearDeadline() {
	if c.tcp != nil {
		_ = c.tcp.SetDeadline(time.Time{})
	}
}
