package simulator

import (
	"context"
	"crypto/dsa" //nolint:staticcheck // ScreenOS host keys are DSA
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"
)

// Main is the standalone simulator command:
//
//	simulate --platform edgeos --listen 127.0.0.1:2222 --username admin --password admin
//	         [--config FILE] [--host-key FILE] [--hostname NAME] [--latency 20ms]
//	         [--commit-delay 1s] [--max-sessions N] [--authorized-keys FILE]
//	         [--option NAME=VALUE ...]
//	simulate --fleet FILE   (several devices, see fleet.go)
//
// It serves until SIGINT or SIGTERM and returns the process exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, args, stdout, stderr, nil)
}

// Run is Main with an explicit context: it serves until ctx ends. started (optional) receives
// the server once it listens.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, started chan<- *Server) int {
	fset := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fset.SetOutput(stderr)
	var (
		platform    = fset.String("platform", "edgeos", "device platform ("+strings.Join(Platforms(), ", ")+")")
		listen      = fset.String("listen", "127.0.0.1:2222", "address to listen on")
		username    = fset.String("username", "admin", "login user name")
		password    = fset.String("password", "admin", "login password")
		configFile  = fset.String("config", "", "file with the initial configuration (set lines)")
		hostKeyFile = fset.String("host-key", "", "OpenSSH/PEM private host key; created when missing, of the type the platform's SSH server has (ssh-dss for screenos, else ed25519)")
		hostname    = fset.String("hostname", "", "device host name (platform default when empty)")
		latency     = fset.Duration("latency", 0, "delay before each command's output")
		commitDelay = fset.Duration("commit-delay", 0, "time a commit takes")
		maxSessions = fset.Int("max-sessions", 0, "maximum concurrent SSH connections (0 = unlimited)")
		authKeys    = fset.String("authorized-keys", "", "authorized_keys file for public-key login")
		forwarding  = fset.Bool("allow-forwarding", false, "act as a jump host: accept direct-tcpip channels to loopback addresses")
		engineOpts  = engineOptionFlag{}
		fleetFile   = fset.String("fleet", "", "a fleet file (JSON) starting several devices of any platforms, one address each; the other device flags are then not used")
	)
	fset.Var(engineOpts, "option", "a platform option of the simulated device, NAME=VALUE (repeatable; rtx: model, revision, admin-password, ...)")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: simulate --platform edgeos --listen 127.0.0.1:2222 --username admin --password admin [flags]")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return 2
	}
	if fset.NArg() > 0 {
		fmt.Fprintf(stderr, "simulate: unexpected argument %q\n", fset.Arg(0))
		fset.Usage()
		return 2
	}
	if *fleetFile != "" {
		return RunFleet(ctx, *fleetFile, stdout, stderr, nil)
	}
	opts := Options{
		Platform: *platform, Hostname: *hostname, Username: *username, Password: *password,
		Latency: *latency, CommitDelay: *commitDelay, MaxSessions: *maxSessions,
		AllowForwarding: *forwarding,
	}
	if len(engineOpts) > 0 {
		opts.EngineOptions = engineOpts
	}
	if *configFile != "" {
		b, err := os.ReadFile(*configFile)
		if err != nil {
			fmt.Fprintf(stderr, "simulate: %v\n", err)
			return 1
		}
		opts.InitialConfig = string(b)
	}
	if *hostKeyFile != "" {
		k, err := loadOrCreateHostKey(*hostKeyFile, func() (string, error) { return profileKeyType(opts) })
		if err != nil {
			fmt.Fprintf(stderr, "simulate: host key: %v\n", err)
			return 1
		}
		opts.HostKey = k
	}
	if *authKeys != "" {
		b, err := os.ReadFile(*authKeys)
		if err != nil {
			fmt.Fprintf(stderr, "simulate: %v\n", err)
			return 1
		}
		for len(strings.TrimSpace(string(b))) > 0 {
			pk, _, _, rest, err := ssh.ParseAuthorizedKey(b)
			if err != nil {
				fmt.Fprintf(stderr, "simulate: %s: %v\n", *authKeys, err)
				return 1
			}
			opts.AuthorizedKeys = append(opts.AuthorizedKeys, pk)
			b = rest
		}
	}
	srv, err := New(opts)
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return 1
	}
	if err := srv.Start(*listen); err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		srv.Close()
		return 1
	}
	fmt.Fprintf(stdout, "listening on %s\n", srv.Addr())
	fmt.Fprintf(stdout, "host key %s\n", srv.Fingerprint())
	fmt.Fprintf(stdout, "host key line: %s", ssh.MarshalAuthorizedKey(srv.HostKey()))
	if started != nil {
		started <- srv
	}
	<-ctx.Done()
	if err := srv.Close(); err != nil {
		fmt.Fprintf(stderr, "simulate: close: %v\n", err)
		return 1
	}
	return 0
}

// loadOrCreateHostKey reads a private key, or generates a key of the type keyType names (the
// engine profile's: ssh-dss for ScreenOS, whose clients offer nothing else) and writes it
// (0600) when the file does not exist.
func loadOrCreateHostKey(path string, keyType func() (string, error)) (ssh.Signer, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return ssh.ParsePrivateKey(b)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	typ, err := keyType()
	if err != nil {
		return nil, err
	}
	var priv any
	var blk *pem.Block
	comment := "simulator host key " + time.Now().UTC().Format(time.RFC3339)
	switch typ {
	case ssh.KeyAlgoDSA: //nolint:staticcheck // the legacy devices' host key type
		k := new(dsa.PrivateKey)
		if err := dsa.GenerateParameters(&k.Parameters, rand.Reader, dsa.L1024N160); err != nil {
			return nil, err
		}
		if err := dsa.GenerateKey(k, rand.Reader); err != nil {
			return nil, err
		}
		// OpenSSL's "DSA PRIVATE KEY" (ssh.ParsePrivateKey reads it; OpenSSH's own format
		// has no DSA writer in x/crypto).
		der, err := asn1.Marshal(struct {
			Version       int
			P, Q, G, Y, X *big.Int
		}{0, k.P, k.Q, k.G, k.Y, k.X})
		if err != nil {
			return nil, err
		}
		priv, blk = k, &pem.Block{Type: "DSA PRIVATE KEY", Bytes: der}
	case ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521:
		curve := map[string]elliptic.Curve{ssh.KeyAlgoECDSA256: elliptic.P256(), ssh.KeyAlgoECDSA384: elliptic.P384(), ssh.KeyAlgoECDSA521: elliptic.P521()}[typ]
		k, err := ecdsa.GenerateKey(curve, rand.Reader)
		if err != nil {
			return nil, err
		}
		if blk, err = ssh.MarshalPrivateKey(k, comment); err != nil {
			return nil, err
		}
		priv = k
	case ssh.KeyAlgoRSA:
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		if blk, err = ssh.MarshalPrivateKey(k, comment); err != nil {
			return nil, err
		}
		priv = k
	default:
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		if blk, err = ssh.MarshalPrivateKey(k, comment); err != nil {
			return nil, err
		}
		priv = k
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(blk), 0o600); err != nil {
		return nil, err
	}
	return ssh.NewSignerFromKey(priv)
}

// profileKeyType is the type of the host key a server of opts makes when none is given
// (SSHProfile.HostKey or HostKeyType): a server is built to ask, and never started.
func profileKeyType(opts Options) (string, error) {
	opts.HostKey = nil
	srv, err := New(opts)
	if err != nil {
		return "", err
	}
	defer srv.Close()
	return srv.HostKey().Type(), nil
}
