package sshcli

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// Reasons carried by HostKeyError.Reason.
const (
	ReasonUnknownHost = "unknown host" // no key is known for the host
	ReasonMismatch    = "mismatch"     // keys are known for the host but the presented one is not among them
	ReasonRevoked     = "revoked"      // the presented key is marked @revoked in the known_hosts file
)

// HostKeyError reports that the server's host key could not be verified. The connection is
// always refused when it is returned; nothing is ever accepted silently.
type HostKeyError struct {
	Host        string        // the address checked, "host:port"
	Fingerprint string        // SHA256 fingerprint of the key the server presented ("SHA256:...")
	KeyType     string        // type of the presented key, e.g. "ssh-ed25519"
	Reason      string        // ReasonUnknownHost, ReasonMismatch or ReasonRevoked
	Expected    []string      // for a mismatch: the accepted keys, "<type> <fingerprint>"
	Detail      string        // where the expectation came from (known_hosts path, pinned key), may be empty
	Key         ssh.PublicKey // the presented key
}

// Error describes the failure with the presented fingerprint and, for an unknown host, how to
// trust the key.
func (e *HostKeyError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ssh host key verification failed for %s: %s: the server presented %s key %s",
		e.Host, e.Reason, e.KeyType, e.Fingerprint)
	switch e.Reason {
	case ReasonMismatch:
		if len(e.Expected) > 0 {
			fmt.Fprintf(&b, ", expected %s", strings.Join(e.Expected, " or "))
		}
		b.WriteString("; the device's key has changed or the connection is being intercepted")
	case ReasonRevoked:
		b.WriteString(", which is marked @revoked")
	}
	if e.Detail != "" {
		fmt.Fprintf(&b, " (%s)", e.Detail)
	}
	if e.Reason == ReasonUnknownHost {
		fmt.Fprintf(&b, "; to trust this key, set host_key = %q, or add a %q line to a known_hosts_file, "+
			"or set insecure_skip_host_key_check = true to disable verification",
			e.Fingerprint, knownhosts.Normalize(e.Host)+" "+e.KeyType+" <key>")
	}
	return b.String()
}

// KnownHostsLine returns the known_hosts line that would trust the presented key for the host
// (knownhosts.Line, so non-22 ports are written as "[host]:port").
func (e *HostKeyError) KnownHostsLine() string {
	if e.Key == nil {
		return ""
	}
	return knownhosts.Line([]string{e.Host}, e.Key)
}

func newHostKeyError(host string, key ssh.PublicKey, reason, detail string) *HostKeyError {
	return &HostKeyError{
		Host:        host,
		Fingerprint: ssh.FingerprintSHA256(key),
		KeyType:     key.Type(),
		Reason:      reason,
		Detail:      detail,
		Key:         key,
	}
}

// HostKeyCallback builds the host-key check for cfg and returns, when the accepted key types
// are known (pinned authorized_keys line, or keys for the host in the known_hosts file), the
// host key algorithms to negotiate so that the server presents a key of a pinned type; nil
// means "no preference".
//
// Exactly one source of trust is used:
//   - InsecureSkipHostKeyCheck: accept any key (explicit opt-out);
//   - HostKey: a pinned key, either an authorized_keys (or known_hosts) line such as
//     "ssh-ed25519 AAAA..." or a "SHA256:..." fingerprint;
//   - KnownHostsFile: an OpenSSH known_hosts file (hashed entries, markers and patterns
//     supported by golang.org/x/crypto/ssh/knownhosts);
//   - none of them: the user's ~/.ssh/known_hosts; if it does not exist every key is refused
//     with a HostKeyError that prints the presented fingerprint.
//
// Setting more than one of them is an error. Verification failures are *HostKeyError.
func HostKeyCallback(cfg Config) (ssh.HostKeyCallback, []string, error) {
	cfg = cfg.withDefaults()
	n := 0
	for _, set := range []bool{cfg.InsecureSkipHostKeyCheck, cfg.HostKey != "", cfg.KnownHostsFile != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return nil, nil, errors.New("sshcli: set only one of known_hosts_file, host_key and insecure_skip_host_key_check")
	}
	switch {
	case cfg.InsecureSkipHostKeyCheck:
		return ssh.InsecureIgnoreHostKey(), nil, nil // #nosec G106 -- explicit opt-out
	case cfg.HostKey != "":
		return pinnedCallback(strings.TrimSpace(cfg.HostKey))
	case cfg.KnownHostsFile != "":
		return knownHostsCallback(cfg.KnownHostsFile, cfg.addr())
	}
	home, err := os.UserHomeDir()
	if err == nil {
		path := filepath.Join(home, ".ssh", "known_hosts")
		_, err = os.Stat(path)
		if err == nil {
			return knownHostsCallback(path, cfg.addr())
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("sshcli: default known_hosts file: %w", err)
		}
		err = fmt.Errorf("%s does not exist", path)
	}
	detail := fmt.Sprintf("no known_hosts_file or host_key is configured and the default known_hosts file cannot be used: %v", err)
	return func(hostname string, _ net.Addr, key ssh.PublicKey) error {
		return newHostKeyError(hostname, key, ReasonUnknownHost, detail)
	}, nil, nil
}

// pinnedCallback accepts exactly one key, given as a fingerprint or as a key line.
func pinnedCallback(pin string) (ssh.HostKeyCallback, []string, error) {
	if strings.HasPrefix(pin, "SHA256:") {
		want := strings.TrimRight(pin, "=")
		return func(hostname string, _ net.Addr, key ssh.PublicKey) error {
			if ssh.FingerprintSHA256(key) == want {
				return nil
			}
			e := newHostKeyError(hostname, key, ReasonMismatch, "pinned host_key fingerprint; if the device has several host key types, pin the full key line or set host_key_algorithms")
			e.Expected = []string{want}
			return e
		}, nil, nil
	}
	if strings.HasPrefix(pin, "MD5:") {
		return nil, nil, errors.New("sshcli: host_key: MD5 fingerprints are not supported, use the SHA256 fingerprint or the public key line")
	}
	pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(pin))
	if err != nil {
		// Also accept a known_hosts line ("host ssh-ed25519 AAAA...").
		var err2 error
		if _, _, pub, _, _, err2 = ssh.ParseKnownHosts([]byte(pin)); err2 != nil {
			return nil, nil, fmt.Errorf("sshcli: host_key: want an authorized_keys line (\"ssh-ed25519 AAAA...\") or a \"SHA256:...\" fingerprint: %w", err)
		}
	}
	want := pub.Marshal()
	expected := []string{pub.Type() + " " + ssh.FingerprintSHA256(pub)}
	return func(hostname string, _ net.Addr, key ssh.PublicKey) error {
		if bytes.Equal(key.Marshal(), want) {
			return nil
		}
		e := newHostKeyError(hostname, key, ReasonMismatch, "pinned host_key")
		e.Expected = expected
		return e
	}, algorithmsForKeyType(pub.Type()), nil
}

// knownHostsCallback wraps knownhosts.New with typed errors and finds the key types the file
// holds for addr.
func knownHostsCallback(path, addr string) (ssh.HostKeyCallback, []string, error) {
	cb, err := knownhosts.New(path)
	if err != nil {
		return nil, nil, fmt.Errorf("sshcli: known_hosts file: %w", err)
	}
	wrapped := func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		err := cb(hostname, remote, key)
		if err == nil {
			return nil
		}
		var ke *knownhosts.KeyError
		var re *knownhosts.RevokedError
		switch {
		case errors.As(err, &re):
			return newHostKeyError(hostname, key, ReasonRevoked, fmt.Sprintf("%s:%d", re.Revoked.Filename, re.Revoked.Line))
		case errors.As(err, &ke) && len(ke.Want) == 0:
			return newHostKeyError(hostname, key, ReasonUnknownHost, "no entry for "+knownhosts.Normalize(hostname)+" in "+path)
		case errors.As(err, &ke):
			e := newHostKeyError(hostname, key, ReasonMismatch, "known_hosts file "+path)
			for _, k := range ke.Want {
				e.Expected = append(e.Expected, fmt.Sprintf("%s %s (%s:%d)", k.Key.Type(), ssh.FingerprintSHA256(k.Key), k.Filename, k.Line))
			}
			return e
		}
		return err
	}
	return wrapped, knownKeyAlgorithms(cb, addr), nil
}

// knownKeyAlgorithms lists the host key algorithms matching the plain keys cb knows for addr.
// knownhosts has no lookup API, so it asks cb about a fresh random key: the resulting
// KeyError lists every known key for the host in Want.
func knownKeyAlgorithms(cb ssh.HostKeyCallback, addr string) []string {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil
	}
	probe, err := ssh.NewPublicKey(pub)
	if err != nil {
		return nil
	}
	var ke *knownhosts.KeyError
	if err := cb(addr, &net.TCPAddr{IP: net.IPv4zero}, probe); !errors.As(err, &ke) {
		return nil
	}
	var algos []string
	for _, k := range ke.Want {
		for _, a := range algorithmsForKeyType(k.Key.Type()) {
			if !slices.Contains(algos, a) {
				algos = append(algos, a)
			}
		}
	}
	return algos
}

// algorithmsForKeyType maps a public key type to the host key (signature) algorithms that make
// a server present a key of that type.
func algorithmsForKeyType(t string) []string {
	if t == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{t}
}
