package edgeos

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
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

// apply simulates EdgeOS: it applies set and delete lines to a `show configuration commands`
// listing and prints the result the way the device does (sorted, quoted when needed).
func apply(t testing.TB, device string, lines []string) string {
	t.Helper()
	ls, err := setconf.ParseLines(device)
	if err != nil {
		t.Fatal(err)
	}
	var paths [][]string
	for _, l := range ls {
		paths = append(paths, l.Path)
	}
	remove := func(prefix []string, exactOnly bool) {
		out := paths[:0]
		for _, q := range paths {
			under := len(q) >= len(prefix) && reflect.DeepEqual(q[:len(prefix)], prefix)
			if under && (!exactOnly || len(q) == len(prefix)) {
				continue
			}
			out = append(out, q)
		}
		paths = out
	}
	for _, l := range lines {
		toks, err := setconf.Split(l)
		if err != nil || len(toks) < 2 {
			t.Fatalf("bad line %q: %v", l, err)
		}
		path := toks[1:]
		switch toks[0] {
		case "delete":
			remove(path, false)
		case "set":
			if len(path) >= 2 && schema.IsValueLeaf(path[:len(path)-1]) {
				remove(path[:len(path)-1], false)
			}
			for i := 1; i < len(path); i++ {
				remove(path[:i], true) // a valueless node that now has children
			}
			remove(path, true)
			paths = append(paths, path)
		default:
			t.Fatalf("unexpected verb in %q", l)
		}
	}
	sort.Slice(paths, func(i, j int) bool {
		a, b := paths[i], paths[j]
		for k := 0; k < len(a) && k < len(b); k++ {
			if c := setconf.Compare(a[k], b[k]); c != 0 {
				return c < 0
			}
		}
		return len(a) < len(b)
	})
	var b strings.Builder
	for _, q := range paths {
		b.WriteString("set " + setconf.Join(q) + "\n")
	}
	return b.String()
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
