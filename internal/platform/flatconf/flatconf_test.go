package flatconf

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

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
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s differs; got:\n%s", name, got)
	}
}

func parse(t *testing.T, s *Syntax, name string) []Entry {
	t.Helper()
	es, err := s.Parse(read(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// managed keeps the entries the table's commands cover: what a dialect would render from
// its model.
func managed(s *Syntax, es []Entry) []Entry {
	var out []Entry
	for _, e := range es {
		if s.command(e) != nil {
			e.Line = 0
			out = append(out, e)
		}
	}
	return out
}

func dumpEntries(es []Entry) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "%d: %s\n", e.Line, e)
	}
	return b.String()
}

func dumpSteps(steps []Step) string {
	var b strings.Builder
	for i, st := range steps {
		fmt.Fprintf(&b, "step %d\n", i+1)
		for _, l := range st.Do {
			fmt.Fprintf(&b, "  do   %s\n", l)
		}
		for _, l := range st.Undo {
			fmt.Fprintf(&b, "  undo %s\n", l)
		}
		for _, l := range st.Leave {
			fmt.Fprintf(&b, "  leave %s\n", l)
		}
	}
	return b.String()
}

func stripLines(es []Entry) []Entry {
	out := make([]Entry, len(es))
	for i, e := range es {
		e.Line = 0
		out[i] = e
	}
	return out
}

// The seeds parse into entries with their contexts, format back into a listing, and that
// listing parses into the same entries.
func TestParseFormatSeeds(t *testing.T) {
	for _, c := range []struct {
		name string
		s    *Syntax
		file string
	}{
		{"screenos", screenOS(), "screenos_seed000.txt"},
		{"rtx-typed", rtx(), "rtx_seed001.txt"},
		{"rtx-listing", rtx(), "rtx_show_config.txt"},
	} {
		t.Run(c.name, func(t *testing.T) {
			es := parse(t, c.s, c.file)
			golden(t, strings.TrimSuffix(c.file, ".txt")+".entries.golden.txt", dumpEntries(es))
			text := c.s.Format(es)
			golden(t, strings.TrimSuffix(c.file, ".txt")+".format.golden.txt", text)
			back, err := c.s.Parse(text)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(stripLines(back), stripLines(es)) {
				t.Errorf("Parse(Format) differs:\n%s", dumpEntries(back))
			}
		})
	}
}

// Facts the goldens show, checked by name so that a wrong golden cannot hide them.
func TestParseContexts(t *testing.T) {
	es := parse(t, screenOS(), "screenos_seed000.txt")
	var route, bind *Entry
	for i, e := range es {
		switch {
		case strings.Join(e.Words, " ") == "route source 192.168.1.0/24 interface tunnel.1":
			route = &es[i]
		case len(e.Words) > 2 && e.Words[0] == "vpn" && e.Words[1] == "Azure-VPN_A" && e.Words[2] == "bind":
			bind = &es[i]
		}
	}
	if route == nil || !reflect.DeepEqual(route.Context, [][]string{{"vrouter", "trust-vr"}}) {
		t.Errorf("the source route is not in the trust-vr block: %+v", route)
	}
	if bind == nil || strings.Join(bind.Words, " ") != "vpn Azure-VPN_A bind interface tunnel.1" {
		t.Errorf("the VPN binding was not rewritten to its typed form: %+v", bind)
	}
	r := parse(t, rtx(), "rtx_show_config.txt")
	var psk, filter *Entry
	for i, e := range r {
		switch {
		case len(e.Words) > 2 && e.Words[2] == "pre-shared-key":
			psk = &r[i]
		case e.Words[0] == "ip" && e.Words[1] == "filter":
			filter = &r[i]
		}
	}
	if psk == nil || !reflect.DeepEqual(psk.Context, [][]string{{"tunnel", "select", "1"}}) {
		t.Errorf("the PSK line is not in tunnel 1: %+v", psk)
	}
	if filter == nil || filter.Context != nil {
		t.Errorf("the filter after the tunnel block is still in the block: %+v", filter)
	}
	typed := parse(t, rtx(), "rtx_seed001.txt")
	if n := len(typed); n == 0 || !typed[6].Negated || typed[len(typed)-1].Words[0] != "tunnel" {
		t.Errorf("typed block: %s", dumpEntries(typed))
	}
	if _, err := rtx().Parse("ip route 10.0.0.0/8 gateway tunnel 1\nconsole prompt \"open\n"); err == nil || !strings.Contains(err.Error(), "line 2") || strings.Contains(err.Error(), "open") {
		t.Errorf("an unterminated quote: %v (want the line number, not the line)", err)
	}
}

// Diffs of two versions: the steps and their undo lines.
func TestDiffGolden(t *testing.T) {
	for _, c := range []struct {
		name     string
		s        *Syntax
		from, to string
	}{
		{"screenos", screenOS(), "screenos_seed000.txt", "screenos_v2.txt"},
		{"rtx", rtx(), "rtx_v1.txt", "rtx_v2.txt"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dev := parse(t, c.s, c.from)
			steps := c.s.Diff(dev, managed(c.s, dev), managed(c.s, parse(t, c.s, c.to)))
			golden(t, "diff_"+c.name+".golden.txt", dumpSteps(steps))
		})
	}
}

// A line in one-line form needs its Create context first: ScreenOS's BGP instance
// (`set vrouter trust-vr protocol bgp 65000`) is typed on its own before the first neighbor,
// and only when the device has no BGP line.
func TestDiffCreatesContext(t *testing.T) {
	s := screenOS()
	bgp := [][]string{{"vrouter", "trust-vr"}, {"protocol", "bgp", "65000"}}
	after := []Entry{
		{Context: bgp, Words: []string{"neighbor", "169.254.255.1", "enable"}},
		{Context: bgp, Words: []string{"neighbor", "169.254.255.1", "remote-as", "7224"}},
	}
	dev, err := s.Parse("set vrouter \"trust-vr\"\nunset add-default-route\nexit\n")
	if err != nil {
		t.Fatal(err)
	}
	want := `step 1
  do   set vrouter trust-vr protocol bgp 65000
  undo unset vrouter trust-vr protocol bgp
step 2
  do   set vrouter trust-vr protocol bgp neighbor 169.254.255.1 remote-as 7224
  undo unset vrouter trust-vr protocol bgp neighbor 169.254.255.1 remote-as
step 3
  do   set vrouter trust-vr protocol bgp neighbor 169.254.255.1 enable
  undo unset vrouter trust-vr protocol bgp neighbor 169.254.255.1 enable
`
	if got := dumpSteps(s.Diff(dev, nil, after)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// The reference's listing of a BGP instance: the instance exists, no opener step.
	dev, err = s.Parse("set vrouter \"trust-vr\"\nset protocol bgp 65000\nset hold-time 30\nset enable\nexit\nexit\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := dumpSteps(s.Diff(dev, nil, after)); strings.Contains(got, "bgp 65000") || strings.Count(got, "step") != 2 {
		t.Errorf("an existing instance was created again:\n%s", got)
	}
}

// A multi-valued command (Key 0: every word identifies the line) changes by a delete and a
// create; a keyed one is typed again and undone by typing the old line.
func TestDiffMultiValuedAndKeyed(t *testing.T) {
	s := screenOS()
	vr := [][]string{{"vrouter", "trust-vr"}}
	dev, err := s.Parse("set flow vpn-tcp-mss 1387\nset vrouter \"trust-vr\"\nset route 10.0.0.0/16 interface tunnel.1\nexit\n")
	if err != nil {
		t.Fatal(err)
	}
	before := managed(s, dev)
	after := []Entry{
		{Words: []string{"flow", "vpn-tcp-mss", "1350"}},
		{Context: vr, Words: []string{"route", "10.0.0.0/16", "interface", "tunnel.2"}},
	}
	want := `step 1
  do   unset vrouter trust-vr route 10.0.0.0/16 interface tunnel.1
  undo set vrouter trust-vr route 10.0.0.0/16 interface tunnel.1
step 2
  do   set flow vpn-tcp-mss 1350
  undo set flow vpn-tcp-mss 1387
step 3
  do   set vrouter trust-vr route 10.0.0.0/16 interface tunnel.2
  undo unset vrouter trust-vr route 10.0.0.0/16 interface tunnel.2
`
	if got := dumpSteps(s.Diff(dev, before, after)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := s.Diff(dev, before, before); len(got) != 0 {
		t.Errorf("no change gave steps: %s", dumpSteps(got))
	}
}

// A line the model rendered that the device lists negated (turned off behind the model's
// back) is not typed back on by its delete.
func TestDiffNegatedOnDevice(t *testing.T) {
	s := screenOS()
	dev, err := s.Parse("unset flow vpn-tcp-mss\n")
	if err != nil {
		t.Fatal(err)
	}
	before := []Entry{{Words: []string{"flow", "vpn-tcp-mss"}}}
	if got := s.Diff(dev, before, nil); len(got) != 0 {
		t.Errorf("steps: %s", dumpSteps(got))
	}
}

// One Syntax serves concurrent renders (run with -race).
func TestSyntaxConcurrent(t *testing.T) {
	s := screenOS()
	v1, v2 := read(t, "screenos_seed000.txt"), read(t, "screenos_v2.txt")
	done := make(chan string)
	for i := 0; i < 4; i++ {
		go func() {
			a, _ := s.Parse(v1)
			b, _ := s.Parse(v2)
			done <- dumpSteps(s.Diff(a, managed(s, a), managed(s, b)))
		}()
	}
	first := <-done
	for i := 1; i < 4; i++ {
		if got := <-done; got != first {
			t.Error("concurrent diffs differ")
		}
	}
}
