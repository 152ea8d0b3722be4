package edgeos

import (
	"fmt"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// largeConfig is the seed plus n prefix lists of 10 rules and n static routes: a busy router.
func largeConfig(tb testing.TB, n int) string {
	var b strings.Builder
	b.WriteString(readFile(tb, "seed004.commands.txt"))
	for i := 0; i < n; i++ {
		for r := 1; r <= 10; r++ {
			fmt.Fprintf(&b, "set policy prefix-list PL%d rule %d action permit\n", i, r*10)
			fmt.Fprintf(&b, "set policy prefix-list PL%d rule %d description 'rule %d of list %d'\n", i, r*10, r, i)
			fmt.Fprintf(&b, "set policy prefix-list PL%d rule %d prefix 10.%d.%d.0/24\n", i, r*10, i%250, r)
		}
		fmt.Fprintf(&b, "set protocols static interface-route 172.%d.%d.0/24 next-hop-interface vti0\n", 16+i/250, i%250)
	}
	return b.String()
}

// BenchmarkParse reads a router with 200 prefix lists (6,000+ lines): the cost of the one
// configuration read per plan.
func BenchmarkParse(b *testing.B) {
	text := largeConfig(b, 200)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Parse(text); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(strings.Count(text, "\n")), "lines")
}

// BenchmarkRenderOneChange renders a one-attribute change on that router: what each batch
// costs on the provider side.
func BenchmarkRenderOneChange(b *testing.B) {
	snap := snapshot(b, largeConfig(b, 200))
	desired := snap.Config.Clone()
	desired.Tunnels()["FOO0"].Lifetime = 3600
	b.ReportAllocs()
	var lines []string
	for b.Loop() {
		var err error
		if lines, err = p.Render(snap, desired); err != nil {
			b.Fatal(err)
		}
	}
	if len(lines) != 1 {
		b.Fatalf("want one line, got %q", lines)
	}
}

// BenchmarkRenderCreate50 renders 50 new prefix lists at once, a large batch.
func BenchmarkRenderCreate50(b *testing.B) {
	snap := snapshot(b, largeConfig(b, 200))
	desired := snap.Config.Clone()
	for i := 0; i < 50; i++ {
		desired.Put(&vpn.PrefixList{Name: fmt.Sprintf("NEW%d", i), Rules: []vpn.PrefixRule{{Sequence: 10, Action: "permit", Prefix: "192.168.0.0/16", LE: 24}}})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Render(snap, desired); err != nil {
			b.Fatal(err)
		}
	}
}
