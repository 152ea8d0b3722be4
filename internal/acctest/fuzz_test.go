package acctest

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/edgeos" // registers "edgeos"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/sshcli"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// FuzzEdgeOSThroughSimulator: any objects that pass validation, rendered by the EdgeOS
// dialect and TYPED into the (independently written) EdgeOS simulator, read back as exactly
// those objects. So no accepted input — quotes, separators, comments, unicode, look-alike
// keywords, characters the interactive shell binds to keys — can make the device configure
// anything else.
//
// The lines go the way the provider sends them: the provider's SSH transport (sshcli: a pty
// and an interactive vbash, each line typed and its echo awaited) and the dialect's session
// protocol (paging off, configure, each line checked with CheckOutput, commit, exit), then the
// dialect's ReadConfig is read back and parsed. The simulator is reached only over SSH.
//
// Runs as a seed-corpus test under plain `go test`, and as a fuzzer:
//
//	go test -run '^$' -fuzz '^FuzzEdgeOSThroughSimulator$' -fuzztime 15s ./internal/acctest
func FuzzEdgeOSThroughSimulator(f *testing.F) {
	f.Add("AZURE", "Deny Local Gateway Address", "s3cr3t-PSK", "BGP", "vti0")
	f.Add("a.b-c_d", "tunnel to DC; set system host-name pwned", "a#b!c*d?e{f}", "X", "vti7")
	f.Add("Z", "ünïcødé € description", "~user$(reboot)", "PL-1", "vti12")
	f.Add("n", "x | delete vpn", "p;commit", "delete", "vti0")
	f.Add("jp", "日本語の説明 😀 ＦＵＬＬ e\u0301", "`reboot`", "PL", "vti3")
	f.Add("c", "a # not a comment", "$HOME", "P", "vti1")
	f.Fuzz(func(t *testing.T, name, desc, secret, plName, vti string) {
		p, ok := platform.Get("edgeos")
		if !ok {
			t.Fatal("edgeos not registered")
		}
		var objs []vpn.Object
		keep := func(o vpn.Object) bool {
			p.Normalize(o)
			return len(o.Validate()) == 0 && len(p.Validate(o)) == 0
		}
		gw := &vpn.IKEGateway{Name: name, PeerAddress: "198.51.100.1", LocalAddress: "203.0.113.1", IKEVersion: 2,
			PreSharedKey: secret, Lifetime: 28800, Description: desc,
			Proposals: []vpn.IKEProposal{{Encryption: "aes256", Integrity: "sha256", DHGroup: 14}}}
		tu := &vpn.Tunnel{Name: name, Gateway: name, Lifetime: 3600, Interface: vti, Description: desc,
			Proposals: []vpn.IPsecProposal{{Encryption: "aes128", Integrity: "sha1"}}}
		if keep(gw) && keep(tu) {
			objs = append(objs, gw, tu)
		}
		pl := &vpn.PrefixList{Name: plName, Description: desc, Rules: []vpn.PrefixRule{{Sequence: 5, Action: "permit", Prefix: "10.0.0.0/8", Description: desc}}}
		if keep(pl) {
			objs = append(objs, pl)
		}
		n := &vpn.BGPNeighbor{Address: "169.254.21.1", LocalAS: 65510, RemoteAS: 65515, Password: secret, Description: desc, Networks: []string{"192.168.1.0/24"}}
		if keep(pl) {
			n.PrefixListIn = plName
		}
		if keep(n) {
			objs = append(objs, n)
		}
		sr := &vpn.SourceRoute{Source: "192.168.9.0/24", Interface: vti, Table: 9, Description: desc, IngressInterface: "eth1"}
		if keep(sr) {
			objs = append(objs, sr)
		}
		if len(objs) == 0 {
			return
		}
		want := vpn.NewConfig()
		for _, o := range objs {
			want.Put(o)
		}
		lines, err := p.Render(platform.Snapshot{Config: vpn.NewConfig()}, want)
		if err != nil {
			t.Fatalf("render of valid objects failed: %v", err)
		}
		// vyatta-op binds ? to completion help in the interactive shell, inside quotes too:
		// a typed ? never reaches the router. The dialect must write it as $'\077'.
		for _, l := range lines {
			if strings.Contains(l, "?") {
				t.Fatalf("a rendered line types ?, which EdgeOS's shell takes for completion help: %q", l)
			}
		}
		got, device, err := typeIntoSimulator(t, p, lines)
		if err != nil {
			t.Fatalf("%v\nlines:\n%s", err, strings.Join(lines, "\n"))
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("the device holds other objects than intended\nlines:\n%s\ndevice:\n%s", strings.Join(lines, "\n"), device)
		}
	})
}

// typeIntoSimulator types lines into a fresh EdgeOS simulator over SSH with the provider's
// transport and the dialect's session protocol, commits, and parses what the device reads
// back. It returns the parsed model and the device's listing.
func typeIntoSimulator(t *testing.T, p platform.Platform, lines []string) (*vpn.Config, string, error) {
	t.Helper()
	srv, err := simulator.New(simulator.Options{Platform: "edgeos", Username: Username, Password: Password})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	spec := p.Session()
	host, port := splitHostPort(t, srv.Addr())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sess, err := sshcli.Open(ctx, sshcli.Config{
		Host: host, Port: port, Username: Username, Password: Password,
		HostKey:        srv.Fingerprint(),
		PromptPattern:  spec.PromptPattern,
		ReturnChar:     spec.ReturnChar,
		OnOpen:         spec.OnOpen,
		ConnectTimeout: 10 * time.Second,
		CommandTimeout: time.Second, // the simulator answers in milliseconds
	})
	if err != nil {
		t.Fatalf("ssh to the simulator: %v", err)
	}
	defer sess.Close()
	send := func(cmd string, check bool) error {
		out, err := sess.Send(ctx, cmd)
		if err != nil {
			return err
		}
		if check {
			if err := p.CheckOutput(cmd, out); err != nil {
				return err
			}
		}
		return nil
	}
	steps := func(cmds []platform.Command, check bool) error {
		for _, c := range cmds {
			if err := send(c.Line, check); err != nil {
				return err
			}
		}
		return nil
	}
	if err := steps(spec.Tx.Enter, true); err != nil {
		return nil, "", err
	}
	for _, l := range lines {
		if err := send(l, true); err != nil {
			return nil, "", &refusedError{err}
		}
	}
	if err := steps(spec.Tx.Commit, true); err != nil {
		return nil, "", err
	}
	if err := steps(spec.Tx.Exit, true); err != nil {
		return nil, "", err
	}
	listing, err := sess.Send(ctx, spec.ReadConfig)
	if err != nil {
		return nil, "", err
	}
	got, err := p.Parse(listing)
	if err != nil {
		return nil, listing, &parseError{err}
	}
	return got, listing, nil
}

type refusedError struct{ err error }

func (e *refusedError) Error() string { return "typing a rendered line: " + e.err.Error() }

type parseError struct{ err error }

func (e *parseError) Error() string { return "parse of the device's configuration: " + e.err.Error() }

func splitHostPort(t *testing.T, addr string) (string, int) {
	t.Helper()
	i := strings.LastIndexByte(addr, ':')
	port := 0
	for _, c := range addr[i+1:] {
		port = port*10 + int(c-'0')
	}
	return addr[:i], port
}
