package rtx

import (
	"os"
	"strings"
	"testing"
)

// TestSeedsTypedAndPrinted types every line of the seed configurations in administrator
// mode and compares `show config` with the golden file; typing the printed configuration
// into a fresh engine prints the same again.
func TestSeedsTypedAndPrinted(t *testing.T) {
	for _, name := range []string{"seed001_durations", "seed001_defaults", "seed002_bgp"} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, "", nil)
			tm := open(t, srv).admin()
			tm.typeLines(readFile(t, "testdata/"+name+".txt"))
			got := tm.do("show config")
			if os.Getenv("UPDATE_GOLDEN") != "" {
				os.WriteFile("testdata/"+name+".golden", []byte(got), 0o644)
			}
			want := readFile(t, "testdata/"+name+".golden")
			if got != want {
				t.Fatalf("show config:\n%s\nwant:\n%s", got, want)
			}
			if rc := srv.RunningConfig(); rc != got {
				t.Fatalf("RunningConfig differs from show config:\n%s", rc)
			}
			// the printed configuration typed into a fresh engine prints the same
			srv2 := newServer(t, "", nil)
			tm2 := open(t, srv2).admin()
			tm2.typeLines(strings.ReplaceAll(got, "administrator password *\n", ""))
			if got2 := tm2.do("show config"); got2 != got {
				t.Fatalf("retyped configuration prints:\n%s\nwant:\n%s", got2, got)
			}
		})
	}
}
