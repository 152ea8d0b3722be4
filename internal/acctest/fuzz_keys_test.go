package acctest

import (
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
	// A server built for its key only, never started.
	srv, err := simulator.New(simulator.Options{Platform: platformName, Username: Username, Password: Password})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	k, _ := fuzzKeys.LoadOrStore(platformName, srv.HostSigner())
	return k.(ssh.Signer)
}
