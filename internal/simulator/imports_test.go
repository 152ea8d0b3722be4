package simulator

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// forbiddenImports are the provider's own packages. The simulators are an independent
// implementation of what the devices accept and print; if they shared the provider's
// dialects, model or transport, the acceptance tests would prove nothing. internal/sshcli is
// included: simulator tests talk SSH with golang.org/x/crypto/ssh directly, so that the
// provider's client cannot paper over a simulator bug (or the other way round).
var forbiddenImports = []string{
	"internal/platform",
	"internal/device",
	"internal/provider",
	"internal/vpn",
	"internal/sshcli",
}

// modulePath reads the module path from the go.mod above dir.
func modulePath(t *testing.T, dir string) string {
	t.Helper()
	for d := dir; ; d = filepath.Dir(d) {
		b, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			for _, l := range strings.Split(string(b), "\n") {
				if f := strings.Fields(l); len(f) == 2 && f[0] == "module" {
					return f[1]
				}
			}
			t.Fatalf("%s/go.mod has no module line", d)
		}
		if filepath.Dir(d) == d {
			t.Fatal("go.mod not found")
		}
	}
}

// importViolations parses every .go file under root (tests included, testdata skipped) and
// lists "file: import" for each import of a forbidden package of module mod.
func importViolations(root, mod string) ([]string, error) {
	var bad []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" || (strings.HasPrefix(d.Name(), ".") && path != root) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			for _, fb := range forbiddenImports {
				full := mod + "/" + fb
				if p == full || strings.HasPrefix(p, full+"/") {
					rel, _ := filepath.Rel(root, path)
					bad = append(bad, rel+": "+p)
				}
			}
		}
		return nil
	})
	sort.Strings(bad)
	return bad, err
}

// Nothing under internal/simulator, tests included, imports the provider's packages.
func TestSimulatorImportsNoProviderPackage(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	mod := modulePath(t, wd)
	bad, err := importViolations(wd, mod)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Fatalf("internal/simulator must not import the provider's packages (%s):\n%s",
			strings.Join(forbiddenImports, ", "), strings.Join(bad, "\n"))
	}
}

// The check finds a forbidden import in a nested test file, and accepts the allowed ones.
func TestImportViolationsDetects(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, src string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("ok.go", "package x\nimport (\n\t\"strings\"\n\t\"example.com/m/internal/simulator/hier\"\n\t\"example.com/m/internal/platformx\"\n)\n")
	write("eng/deep/a_test.go", "package deep\nimport _ \"example.com/m/internal/platform/edgeos\"\n")
	write("eng/b.go", "package eng\nimport s \"example.com/m/internal/sshcli\"\n")
	write("eng/testdata/c.go", "package c\nimport \"example.com/m/internal/device\"\n")
	bad, err := importViolations(dir, "example.com/m")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.Join("eng", "b.go") + ": example.com/m/internal/sshcli",
		filepath.Join("eng", "deep", "a_test.go") + ": example.com/m/internal/platform/edgeos",
	}
	if strings.Join(bad, "\n") != strings.Join(want, "\n") {
		t.Fatalf("violations:\n%s\nwant:\n%s", strings.Join(bad, "\n"), strings.Join(want, "\n"))
	}
}
