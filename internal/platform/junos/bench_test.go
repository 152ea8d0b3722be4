package junos

import (
	"fmt"
	"strings"
	"testing"
)

// largeConfig is the seed-002 SRX plus n prefix lists of 10 prefixes, n static routes and n
// more VPNs on their own st0 units: a busy SRX.
func largeConfig(tb testing.TB, n int) string {
	var b strings.Builder
	b.WriteString(readFile(tb, "seed002-srx.set.txt"))
	for i := 0; i < n; i++ {
		for r := 1; r <= 10; r++ {
			fmt.Fprintf(&b, "set policy-options prefix-list PL%d 10.%d.%d.0/24\n", i, i%250, r)
		}
		fmt.Fprintf(&b, "set routing-options static route 172.%d.%d.0/24 next-hop st0.%d\n", 16+i/250, i%250, i+2)
		fmt.Fprintf(&b, "set security ipsec vpn V%d bind-interface st0.%d\n", i, i+2)
		fmt.Fprintf(&b, "set security ipsec vpn V%d ike gateway AZURE-GW-0\n", i)
		fmt.Fprintf(&b, "set security ipsec vpn V%d ike ipsec-policy AZURE-IPSEC\n", i)
		fmt.Fprintf(&b, "set security zones security-zone vpn interfaces st0.%d\n", i+2)
		fmt.Fprintf(&b, "set interfaces st0 unit %d family inet address 169.254.%d.%d/30\n", i+2, 100+i/60, (i%60)*4+1)
	}
	return b.String()
}

// BenchmarkParse reads an SRX with 200 more VPNs and prefix lists (4,000+ lines): the cost of
// the one configuration read per plan.
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

// BenchmarkRenderOneChange renders a one-attribute change on that SRX: what each batch costs
// before it reaches the device.
func BenchmarkRenderOneChange(b *testing.B) {
	text := largeConfig(b, 200)
	snap := snapshot(b, text)
	want := snap.Config.Clone()
	want.BGPNeighbors()["169.254.21.2"].Description = "changed"
	b.ReportAllocs()
	for b.Loop() {
		lines, err := p.Render(snap, want)
		if err != nil || len(lines) != 1 {
			b.Fatalf("%v %q", err, lines)
		}
	}
}
