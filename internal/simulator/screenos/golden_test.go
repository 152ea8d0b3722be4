package screenos

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGoldenGetConfig: `get config` of each seed 000 device, loaded as the initial
// configuration, is byte for byte the golden file (header with the size, the device's
// section order, the encoded preshared key of host "ssg5" on that model, `id` on the bind
// lines in the model's format). The golden files were checked by hand against the seed.
func TestGoldenGetConfig(t *testing.T) {
	for _, m := range Models() {
		l := newLocal(t, m, readTestdata(t, "seed000_"+m+".txt"))
		l.ok("set console page 0", "unset console page")
		got := l.run("get config")
		path := "testdata/golden_get_config_" + m + ".txt"
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if want := readTestdata(t, "golden_get_config_"+m+".txt"); got != want {
			t.Errorf("%s differs from %s:\n%s", m, path, lineDiff(lines(want), lines(got)))
		}
	}
}
