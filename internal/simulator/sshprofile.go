package simulator

import "golang.org/x/crypto/ssh"

// SSHProfile is the SSH side of a device that speaks a restricted algorithm set (an old
// firewall offering only SHA-1 key exchanges and CBC ciphers with a DSA host key). Empty
// lists keep x/crypto's defaults.
type SSHProfile struct {
	KeyExchanges, Ciphers, MACs []string
	// HostKey makes the device's host key when Options.HostKey is nil (ssh-dss for ScreenOS);
	// nil keeps the core's fresh ed25519 key.
	HostKey func() (ssh.Signer, error)
	// ShellOnly refuses exec requests; pty-req and shell are accepted.
	ShellOnly bool
}

// SSHProfiler is implemented by engines whose device restricts its SSH algorithms, host key
// type or channel requests. Engines that do not implement it get the core's defaults.
type SSHProfiler interface {
	SSHProfile() SSHProfile
}

// FailureShaper is implemented by sessions that print an injected command failure
// (Server.FailCommand, FailCommandOnce) the way their device prints a refused command, for
// instance under a caret line aligned with the prompt. It receives the command line and the
// injected message and returns the output; the configuration is not changed.
type FailureShaper interface {
	ShapeFailure(line, message string) string
}
