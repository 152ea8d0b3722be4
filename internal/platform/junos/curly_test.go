package junos

import (
	"sort"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/setconf"
)

// The curly form of the reference sample reads as the same paths as its `display set` form,
// so it parses to the same model and renders the same lines.
func TestCurlyForm(t *testing.T) {
	set, err := devicePaths(readFile(t, "reference-sample.set.txt"))
	if err != nil {
		t.Fatal(err)
	}
	curly, err := devicePaths(readFile(t, "reference-sample.curly.txt"))
	if err != nil {
		t.Fatal(err)
	}
	norm := func(ps [][]string) string {
		var s []string
		for _, p := range ps {
			s = append(s, setconf.JoinWith(setconf.Junos, p))
		}
		sort.Strings(s)
		return strings.Join(s, "\n")
	}
	if a, b := norm(set), norm(curly); a != b {
		t.Errorf("paths differ:\n--- set\n%s\n--- curly\n%s", a, b)
	}
	cs, err := p.Parse(readFile(t, "reference-sample.curly.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ss, _ := p.Parse(readFile(t, "reference-sample.set.txt"))
	mustEqualConfig(t, cs, ss)

	for _, bad := range []string{"security {\n  ike {\n", "a {\n}\n}\n", "system {\n host-name \"open;\n}\n"} {
		if _, err := p.Parse(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	// Inactive statements and annotations; a string holding braces and ## is data.
	got, err := devicePaths("{master:0}\nprotocols {\n    inactive: bgp {\n        group G { description \"a { b } ## c; d\"; }\n    }\n}\n/* multi\n line */\n")
	if err != nil || len(got) != 1 || strings.Join(got[0], "|") != "protocols|bgp|group|G|description|a { b } ## c; d" {
		t.Errorf("%q %v", got, err)
	}
}
