package edgeos

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/all" // registers every engine
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

var p = &EdgeOS{}

func readFile(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// golden compares got with testdata/name, rewriting the file under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs:\n--- got\n%s--- want\n%s", name, got, want)
	}
}

// snapshot parses device text into a snapshot.
func snapshot(t testing.TB, text string) platform.Snapshot {
	t.Helper()
	c, err := p.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return platform.Snapshot{Text: text, Config: c}
}

// apply types lines into the independent EdgeOS simulator holding device (its control API,
// without commit-time checks) and returns what it prints for `show configuration commands`.
// The simulator is written from the CLI reference, not from this dialect, so a wrong idea of
// which leaves replace and which accumulate shows up here.
func apply(t testing.TB, device string, lines []string) string {
	t.Helper()
	srv, err := simulator.New(simulator.Options{Platform: "edgeos", Username: "u", Password: "p", InitialConfig: device})
	if err != nil {
		t.Fatalf("simulator with the device configuration: %v", err)
	}
	defer srv.Close()
	if err := srv.Apply(lines...); err != nil {
		t.Fatalf("the simulator refused rendered lines: %v\n%s", err, strings.Join(lines, "\n"))
	}
	return srv.RunningConfig()
}

// mustEqualConfig compares two configurations including secrets.
func mustEqualConfig(t testing.TB, got, want *vpn.Config) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("configurations differ:\n got: %s\nwant: %s", dump(got), dump(want))
	}
}

// dump prints a configuration with secrets, for failure messages.
func dump(c *vpn.Config) string {
	var b strings.Builder
	for _, o := range c.Objects() {
		j, _ := json.Marshal(o)
		b.WriteString("\n  " + string(o.Kind()) + " " + string(j))
		switch v := o.(type) {
		case *vpn.IKEGateway:
			b.WriteString(" psk=" + v.PreSharedKey)
		case *vpn.BGPNeighbor:
			b.WriteString(" password=" + v.Password)
		}
	}
	return b.String()
}

func normalizedCopy(c *vpn.Config) *vpn.Config {
	out := vpn.NewConfig()
	for _, o := range c.Objects() {
		o = vpn.CloneObject(o)
		p.Normalize(o)
		out.Put(o)
	}
	return out
}

func splitLine(l string) ([]string, error) { return setconf.Split(l) }
