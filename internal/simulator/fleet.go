package simulator

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/ssh/knownhosts"
)

// A fleet file starts several simulated devices at once, of any platforms, one address each,
// for trying a configuration with several devices (the provider's `devices` map) or for a CI
// job that tests a module against a fleet:
//
//	{
//	  "username": "admin", "password": "admin",
//	  "known_hosts": "sim_known_hosts",
//	  "host_key_dir": "sim-keys",
//	  "devices": [
//	    {"name": "edge1", "platform": "edgeos", "listen": "127.0.0.1:2201", "config": "edge1.commands"},
//	    {"name": "srx1",  "platform": "junos",  "listen": "127.0.0.1:2202", "latency": "20ms"},
//	    {"name": "rtx1",  "platform": "rtx",    "listen": "127.0.0.1:2203", "options": {"model": "RTX830"}}
//	  ]
//	}
//
// Relative paths are relative to the fleet file. known_hosts, when set, is (re)written with
// each device's address and host key, ready for the provider's known_hosts_file;
// host_key_dir, when set, keeps each device's host key in <dir>/<name> across runs.

// Fleet is a fleet file.
type Fleet struct {
	Username   string        `json:"username"`
	Password   string        `json:"password"`
	KnownHosts string        `json:"known_hosts"`
	HostKeyDir string        `json:"host_key_dir"`
	Devices    []FleetDevice `json:"devices"`
}

// FleetDevice is one device of a fleet.
type FleetDevice struct {
	Name        string            `json:"name"`
	Platform    string            `json:"platform"`
	Listen      string            `json:"listen"`
	Config      string            `json:"config"`
	Hostname    string            `json:"hostname"`
	Options     map[string]string `json:"options"`
	Latency     string            `json:"latency"`
	CommitDelay string            `json:"commit_delay"`
	MaxSessions int               `json:"max_sessions"`
}

// LoadFleet reads and checks a fleet file.
func LoadFleet(path string) (*Fleet, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f Fleet
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(f.Devices) == 0 {
		return nil, fmt.Errorf("%s: no devices", path)
	}
	if f.Username == "" || f.Password == "" {
		return nil, fmt.Errorf("%s: username and password are required", path)
	}
	dir := filepath.Dir(path)
	rel := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	f.KnownHosts, f.HostKeyDir = rel(f.KnownHosts), rel(f.HostKeyDir)
	names, addrs := map[string]bool{}, map[string]bool{}
	for i := range f.Devices {
		d := &f.Devices[i]
		switch {
		case d.Name == "" || strings.ContainsAny(d.Name, `/\ `):
			return nil, fmt.Errorf("%s: device %d: a name without spaces or slashes is required", path, i+1)
		case names[d.Name]:
			return nil, fmt.Errorf("%s: device %q is listed twice", path, d.Name)
		case d.Listen == "":
			return nil, fmt.Errorf("%s: device %q: listen (host:port) is required", path, d.Name)
		case addrs[d.Listen] && !strings.HasSuffix(d.Listen, ":0"):
			return nil, fmt.Errorf("%s: devices share the address %s", path, d.Listen)
		}
		if _, _, err := lookupEngine(d.Platform); err != nil {
			return nil, fmt.Errorf("%s: device %q: %v", path, d.Name, err)
		}
		names[d.Name], addrs[d.Listen] = true, true
		d.Config = rel(d.Config)
	}
	return &f, nil
}

// RunFleet starts every device of the fleet file, prints each one's address and host key,
// writes the known_hosts file when asked, and serves until ctx ends. started (optional)
// receives the servers in the file's order.
func RunFleet(ctx context.Context, path string, stdout, stderr io.Writer, started chan<- []*Server) int {
	f, err := LoadFleet(path)
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return 2
	}
	var servers []*Server
	stopAll := func() {
		for _, s := range servers {
			s.Close()
		}
	}
	var known strings.Builder
	for _, d := range f.Devices {
		srv, err := startFleetDevice(f, d)
		if err != nil {
			fmt.Fprintf(stderr, "simulate: device %q: %v\n", d.Name, err)
			stopAll()
			return 1
		}
		servers = append(servers, srv)
		fmt.Fprintf(stdout, "%s: %s listening on %s, host key %s\n", d.Name, d.Platform, srv.Addr(), srv.Fingerprint())
		host, port, _ := net.SplitHostPort(srv.Addr())
		fmt.Fprintf(&known, "%s\n", knownhosts.Line([]string{knownhosts.Normalize(net.JoinHostPort(host, port))}, srv.HostKey()))
	}
	if f.KnownHosts != "" {
		if err := os.WriteFile(f.KnownHosts, []byte(known.String()), 0o644); err != nil {
			fmt.Fprintf(stderr, "simulate: known_hosts: %v\n", err)
			stopAll()
			return 1
		}
		fmt.Fprintf(stdout, "known_hosts written to %s\n", f.KnownHosts)
	}
	if started != nil {
		started <- servers
	}
	<-ctx.Done()
	code := 0
	for _, s := range servers {
		if err := s.Close(); err != nil {
			fmt.Fprintf(stderr, "simulate: close: %v\n", err)
			code = 1
		}
	}
	return code
}

func startFleetDevice(f *Fleet, d FleetDevice) (*Server, error) {
	opts := Options{
		Platform: d.Platform, Hostname: d.Hostname, Username: f.Username, Password: f.Password,
		MaxSessions: d.MaxSessions, EngineOptions: d.Options,
	}
	var err error
	if d.Latency != "" {
		if opts.Latency, err = time.ParseDuration(d.Latency); err != nil {
			return nil, fmt.Errorf("latency: %v", err)
		}
	}
	if d.CommitDelay != "" {
		if opts.CommitDelay, err = time.ParseDuration(d.CommitDelay); err != nil {
			return nil, fmt.Errorf("commit_delay: %v", err)
		}
	}
	if d.Config != "" {
		b, err := os.ReadFile(d.Config)
		if err != nil {
			return nil, err
		}
		opts.InitialConfig = string(b)
	}
	if f.HostKeyDir != "" {
		if err := os.MkdirAll(f.HostKeyDir, 0o700); err != nil {
			return nil, err
		}
		if opts.HostKey, err = loadOrCreateHostKey(filepath.Join(f.HostKeyDir, d.Name), func() (string, error) { return profileKeyType(opts) }); err != nil {
			return nil, fmt.Errorf("host key: %v", err)
		}
	}
	srv, err := New(opts)
	if err != nil {
		return nil, err
	}
	if err := srv.Start(d.Listen); err != nil {
		srv.Close()
		return nil, err
	}
	return srv, nil
}
