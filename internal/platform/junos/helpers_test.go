package junos

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
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

var p = &Junos{}

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

// decoded is what the device layer does after Parse: `$9$` secrets become plaintext.
func decoded(t testing.TB, c *vpn.Config) *vpn.Config {
	t.Helper()
	for _, o := range c.Objects() {
		spec, _ := vpn.SpecOf(o.Kind())
		if spec.SecretFields == nil {
			continue
		}
		for field, ref := range spec.SecretFields(o) {
			if *ref == "" || p.SecretForm(o.Kind(), field) != platform.SecretReversible {
				continue
			}
			plain, err := p.DecodeSecret(o.Kind(), field, *ref)
			if err != nil {
				continue // compared as printed, like the device layer does
			}
			*ref = plain
		}
	}
	return c
}

// snapshot parses device text into a snapshot, secrets decoded as the device layer does.
func snapshot(t testing.TB, text string) platform.Snapshot {
	t.Helper()
	c, err := p.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return platform.Snapshot{Text: text, Config: decoded(t, c)}
}

// apply applies set/delete/insert lines to a configuration listing the way Junos edits its
// candidate: `set` adds a path (a single-value leaf the schema knows replaces its value),
// `delete` removes a path and everything under it, `insert` moves a list entry. The device
// prints secrets in `$9$` form. It returns the new listing. It is deliberately simple and
// independent of Diff: it knows nothing of objects, only paths.
func apply(t testing.TB, device string, lines []string) string {
	t.Helper()
	listing, err := setconf.ParseListing(device, setconf.Junos)
	if err != nil {
		t.Fatal(err)
	}
	var paths [][]string
	for _, l := range listing {
		paths = append(paths, l.Path)
	}
	for _, line := range lines {
		toks, err := setconf.Junos.Split(line)
		if err != nil || len(toks) < 2 {
			t.Fatalf("unreadable line %q: %v", line, err)
		}
		verb, path := toks[0], toks[1:]
		switch verb {
		case "set":
			path = encodeSecrets(path)
			if singleValue(path) {
				var kept [][]string
				for _, q := range paths {
					if !(len(q) == len(path) && reflect.DeepEqual(q[:len(q)-1], path[:len(path)-1])) {
						kept = append(kept, q)
					}
				}
				paths = kept
			}
			dup := false
			for _, q := range paths {
				dup = dup || reflect.DeepEqual(q, path) || hasPrefix(q, path)
			}
			if !dup {
				// A path that extends a bare node replaces it.
				var kept [][]string
				for _, q := range paths {
					if !hasPrefix(path, q) {
						kept = append(kept, q)
					}
				}
				paths = append(kept, path)
			}
		case "delete":
			var kept [][]string
			found := false
			for _, q := range paths {
				if hasPrefix(q, path) {
					found = true
					continue
				}
				kept = append(kept, q)
			}
			if !found {
				t.Fatalf("delete of a statement the device does not have (warning: statement not found): %q", line)
			}
			paths = kept
		case "insert":
			// insert <list...> <key> before|after <keyword> <key>
			n := len(path)
			where, other := path[n-3], path[n-1]
			entry := path[:n-3]
			list, key := entry[:len(entry)-1], entry[len(entry)-1]
			var moved, rest [][]string
			for _, q := range paths {
				if hasPrefix(q, entry) {
					moved = append(moved, q)
				} else {
					rest = append(rest, q)
				}
			}
			otherEntry := append(append([]string(nil), list...), other)
			idx := -1
			for i, q := range rest {
				if hasPrefix(q, otherEntry) {
					if where == "before" && idx < 0 {
						idx = i
					}
					if where == "after" {
						idx = i + 1
					}
				}
			}
			if idx < 0 || len(moved) == 0 {
				t.Fatalf("insert of %s relative to a missing entry: %q", key, line)
			}
			paths = append(rest[:idx:idx], append(moved, rest[idx:]...)...)
		default:
			t.Fatalf("unexpected verb in %q", line)
		}
	}
	var b strings.Builder
	for _, q := range paths {
		b.WriteString("set " + setconf.JoinWith(setconf.Junos, q) + "\n")
	}
	return b.String()
}

func hasPrefix(p, prefix []string) bool {
	return len(p) >= len(prefix) && reflect.DeepEqual(p[:len(prefix)], prefix)
}

// singleValue reports whether the schema takes the path's last token as the one value of a
// leaf.
func singleValue(path []string) bool {
	return len(path) >= 2 && (schema.IsValueLeaf(path[:len(path)-1]) || schemaMX.IsValueLeaf(path[:len(path)-1]))
}

// encodeSecrets prints secrets as the device does: `$9$` with a fixed salt.
func encodeSecrets(path []string) []string {
	out := append([]string(nil), path...)
	n := len(out)
	if n >= 2 && (out[n-2] == "ascii-text" || out[n-2] == "authentication-key") && !strings.HasPrefix(out[n-1], "$9$") {
		enc, err := junos9EncodeWith(out[n-1])
		if err == nil {
			out[n-1] = enc
		}
	}
	return out
}

// mustEqualConfig compares two configurations including secrets.
func mustEqualConfig(t testing.TB, got, want *vpn.Config) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("configurations differ:\n got: %s\nwant: %s", dump(got), dump(want))
	}
}

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

func configOf(objs ...vpn.Object) *vpn.Config {
	c := vpn.NewConfig()
	for _, o := range objs {
		c.Put(o)
	}
	return c
}

func marshal(t testing.TB, c *vpn.Config) string {
	t.Helper()
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}
