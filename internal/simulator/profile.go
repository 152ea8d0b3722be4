package simulator

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"fmt"

	"golang.org/x/crypto/ssh"
)

// SSHProfile is how an engine's device speaks SSH where it differs from the defaults of
// golang.org/x/crypto/ssh: the host key type it generates, the signature algorithms its host
// key offers, the key exchanges, ciphers and MACs it accepts, whether it serves exec
// requests, and its own session limit. Zero fields keep the defaults.
type SSHProfile struct {
	// HostKeyType is the type of the host key generated when Options.HostKey is nil: "rsa"
	// (2048 bits) or "" / "ed25519".
	HostKeyType string
	// HostKey, when set, makes the host key instead (a type the core does not generate, such
	// as ScreenOS's ssh-dss); HostKeyType is then ignored.
	HostKey func() (ssh.Signer, error)
	// HostKeyAlgorithms restricts the signature algorithms the host key offers, in
	// preference order (an old OpenSSH on RSA: ssh.KeyAlgoRSA only). Applied to a given
	// Options.HostKey too when its type supports them.
	HostKeyAlgorithms []string
	// KeyExchanges, Ciphers and MACs replace the server's algorithm lists.
	KeyExchanges, Ciphers, MACs []string
	// RefuseExec refuses exec requests (a device whose SSH server only runs a shell).
	RefuseExec bool
	// MaxSessions limits concurrent SSH connections when Options.MaxSessions is 0 (a device
	// that allows one SSH session at a time).
	MaxSessions int
}

// SSHProfiler is implemented by engines whose SSH server differs from the defaults.
type SSHProfiler interface {
	SSHProfile() SSHProfile
}

// FailureFormatter is implemented by sessions that print a command refused by FailCommand
// or FailCommandOnce the way their device prints a refused command (RTX: an `Error: ...`
// line in the session's language and character set; ScreenOS: a caret line under the
// command's first argument). It receives the refused command line and the injected message;
// the configuration is not changed. Without it the message is printed as given.
type FailureFormatter interface {
	FormatFailure(line, message string) string
}

// profileOf is the engine's SSH profile, the zero profile when it has none.
func profileOf(e Engine) SSHProfile {
	if p, ok := e.(SSHProfiler); ok {
		return p.SSHProfile()
	}
	return SSHProfile{}
}

// newHostKey generates a host key of the profile's type.
func newHostKey(p SSHProfile) (ssh.Signer, error) {
	if p.HostKey != nil {
		return p.HostKey()
	}
	switch p.HostKeyType {
	case "", "ed25519":
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		return ssh.NewSignerFromKey(priv)
	case "rsa":
		priv, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		return ssh.NewSignerFromKey(priv)
	}
	return nil, fmt.Errorf("simulator: unknown host key type %q", p.HostKeyType)
}

// restrictHostKey limits the signature algorithms of k to the profile's list.
func restrictHostKey(k ssh.Signer, p SSHProfile) (ssh.Signer, error) {
	if len(p.HostKeyAlgorithms) == 0 {
		return k, nil
	}
	as, ok := k.(ssh.AlgorithmSigner)
	if !ok {
		return nil, fmt.Errorf("simulator: host key %s cannot be restricted to %v", k.PublicKey().Type(), p.HostKeyAlgorithms)
	}
	return ssh.NewSignerWithAlgorithms(as, p.HostKeyAlgorithms)
}
