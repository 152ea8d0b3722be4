package acctest

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

var fuzzKeys sync.Map // platform name -> ssh.Signer

// fuzzHostKey is one host key of the platform's type for the whole fuzz process. A fresh
// simulator per input would otherwise generate a DSA (ScreenOS) or RSA (RTX) key for every
// input, and spend most of the fuzzing time on key generation instead of inputs.
func fuzzHostKey(t testing.TB, platformName string) ssh.Signer {
	t.Helper()
	if k, ok := fuzzKeys.Load(platformName); ok {
		return k.(ssh.Signer)
	}
	// A server asked for its SSH profile only (it makes a key of its own once), never started.
	srv, err := simulator.New(simulator.Options{Platform: platformName, Username: Username, Password: Password})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var k ssh.Signer
	prof, _ := srv.Engine().(simulator.SSHProfiler)
	switch {
	case prof != nil && prof.SSHProfile().HostKey != nil:
		k, err = prof.SSHProfile().HostKey()
	case prof != nil && prof.SSHProfile().HostKeyType == "rsa":
		var rk *rsa.PrivateKey
		if rk, err = rsa.GenerateKey(rand.Reader, 2048); err == nil {
			k, err = ssh.NewSignerFromKey(rk)
		}
	default:
		k = ed25519Signer(t)
	}
	if err != nil {
		t.Fatal(err)
	}
	actual, _ := fuzzKeys.LoadOrStore(platformName, k)
	return actual.(ssh.Signer)
}

func ed25519Signer(t testing.TB) ssh.Signer {
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
