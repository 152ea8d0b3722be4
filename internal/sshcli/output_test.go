package sshcli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// edgeOSLikePrompt is the shape of the EdgeOS dialect's prompt pattern: it has no "^", so
// before prompts had to start a line, "description ops@site#" at the end of a read matched it.
const edgeOSLikePrompt = `[A-Za-z0-9_.\-]+@[A-Za-z0-9_.\-]+(?::[^\s$#]*)?[$#] ?$`

func mustMatchers(t *testing.T, patterns ...string) []*matcher {
	t.Helper()
	var out []*matcher
	for _, p := range patterns {
		m, err := newMatcher(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// A prompt is recognised only at the start of a line: for every way the output can be cut in
// two, a prefix is taken as ending with a prompt only when it ends with the real prompt.
func TestFindPromptLineStartEveryBoundary(t *testing.T) {
	const prompt = "admin@edge1:~$ "
	body := "\nset interfaces ethernet eth0 description ops@site#\n" +
		"set system login user ops full-name admin@edge1:~$\n" + // a whole prompt inside a line
		"set system host-name edge1\n"
	full := body + prompt
	for _, pattern := range []string{edgeOSLikePrompt, DefaultPromptPattern, `\S+@\S+[$#] ?$`} {
		ms := mustMatchers(t, pattern)
		for i := 0; i <= len(full); i++ {
			start, ok := findPrompt([]byte(full[:i]), ms)
			// "admin@edge1:~$" (without the trailing space) is already a complete prompt.
			want := i >= len(full)-1
			if ok != want || (ok && start != len(body)) {
				t.Fatalf("pattern %q, output cut at %d (%q): findPrompt = %d, %v; want %v at %d",
					pattern, i, full[max(0, i-20):i], start, ok, want, len(body))
			}
		}
	}
}

func TestFindPromptShapes(t *testing.T) {
	ms := mustMatchers(t, DefaultPromptPattern)
	for _, tc := range []struct {
		buf   string
		start int
		ok    bool
	}{
		{"router# ", 0, true},
		{"router#   \t", 0, true},     // trailing blanks
		{"out\nrouter#", 4, true},     // after a newline
		{"out\nrouter# \n", 0, false}, // the prompt must end the output
		{"out router#", 0, false},     // mid-line
		{strings.Repeat("x", 3000), 0, false},
		{strings.Repeat("x", 3000) + "\nr#", 3001, true}, // beyond the search depth
	} {
		start, ok := findPrompt([]byte(tc.buf), ms)
		if ok != tc.ok || start != tc.start {
			t.Errorf("findPrompt(%.40q) = %d, %v; want %d, %v", tc.buf, start, ok, tc.start, tc.ok)
		}
	}
	// Terminal control sequences may start the prompt's line: a window title (whole, or as
	// scrapligo's ANSI stripping leaves it), a CSI sequence split across reads. Not mid-line.
	for _, pattern := range []string{edgeOSLikePrompt, DefaultPromptPattern} {
		ms := mustMatchers(t, pattern)
		for _, tc := range []struct {
			buf string
			ok  bool
		}{
			{"out\n\x1b]0;ubnt@ubnt: ~\x07ubnt@ubnt:~$ ", true},
			{"out\n;ubnt@ubnt: ~\x07ubnt@ubnt:~$ ", true},
			{"out\n\x1b[?1034h\x1b]0;t\x07ubnt@ubnt:~$ ", true},
			{"out\nset description x\x1b]0;t\x07ubnt@ubnt:~$ ", false},
			{"out\nset description ;x\x07ubnt@ubnt:~$ ", false},
		} {
			start, ok := findPrompt([]byte(tc.buf), ms)
			if ok != tc.ok || (ok && start != 4) {
				t.Errorf("pattern %q: findPrompt(%q) = %d, %v; want %v at 4", pattern, tc.buf, start, ok, tc.ok)
			}
		}
	}
	// A multi-line prompt (Junos "[edit]" line) is matched from the first line it spans.
	junos := mustMatchers(t, `(\[edit[^\]]*\]\n)?\S+@\S+# ?$`)
	if start, ok := findPrompt([]byte("out\n\n[edit]\nops@srx# "), junos); !ok || start != 5 {
		t.Errorf("multi-line prompt: %d, %v", start, ok)
	}
}

// The device prints a configuration line ending like a prompt, then the rest after a pause, so
// that the first part arrives alone: the command must not end there.
func TestPromptLikeLineAtReadBoundary(t *testing.T) {
	for _, title := range []bool{false, true} {
		t.Run(fmt.Sprintf("title=%v", title), func(t *testing.T) { testPromptLikeLineAtReadBoundary(t, title) })
	}
}

func testPromptLikeLineAtReadBoundary(t *testing.T, title bool) {
	srv := startServer(t, serverOpts{titlePrompt: title})
	cfg := srv.config()
	cfg.PromptPattern = edgeOSLikePrompt
	s := openT(t, cfg)
	want := strings.ReplaceAll(strings.TrimRight(splitConfig[0]+splitConfig[1], "\r\n"), "\r", "")
	if got := sendT(t, s, "show split-config"); got != want {
		t.Errorf("show split-config = %q, want %q", got, want)
	}
	if !strings.HasSuffix(s.Prompt(), testPrompt) {
		t.Errorf("Prompt() = %q", s.Prompt())
	}
	if got := sendT(t, s, "show lines"); got != "line 1\nline 2\nline 3" {
		t.Errorf("show lines = %q", got)
	}
}

// markerFeed runs SendMarked's end test over full, fed as the successive prefixes ends[0],
// ends[1], ... (as readUntil does), and returns the first prefix length it accepted.
func markerFeed(full, marker string, ms []*matcher, ends []int) (n, outEnd, promptStart int) {
	scan := &markerScan{marker: []byte(marker), found: -1}
	for _, e := range ends {
		if o, p, ok := scan.done([]byte(full[:e]), ms); ok {
			return e, o, p
		}
	}
	return -1, 0, 0
}

// SendMarked's end test, over output cut at every byte boundary and fed byte by byte: neither
// prompt-looking lines before the marker nor the marker inside the echoed command end it.
func TestMarkerEveryBoundary(t *testing.T) {
	const (
		marker = "onpremvpn-end-1f3a9c"
		prompt = "admin@edge1:~$ "
	)
	ms := mustMatchers(t, edgeOSLikePrompt)
	body := "\nshow configuration commands; echo " + marker + "\n" + // a device that re-echoes the line
		"set interfaces ethernet eth0 description ops@site#\n" +
		"admin@edge1:~$ \n" + // a whole prompt-looking line
		"set system host-name edge1\n"
	full := body + marker + "\n" + prompt
	for i := 0; i <= len(full); i++ {
		n, outEnd, promptStart := markerFeed(full, marker, ms, []int{i, len(full)})
		want := len(full)
		if i >= len(full)-1 {
			want = i
		}
		if n != want {
			t.Fatalf("cut at %d (%q): accepted at %d, want %d", i, full[max(0, i-20):i], n, want)
		}
		if outEnd != len(body) || promptStart != len(body)+len(marker)+1 {
			t.Fatalf("cut at %d: outEnd %d, promptStart %d", i, outEnd, promptStart)
		}
	}
	ends := make([]int, 0, len(full))
	for i := 1; i <= len(full); i++ {
		ends = append(ends, i)
	}
	if n, _, _ := markerFeed(full, marker, ms, ends); n != len(full)-1 {
		t.Fatalf("byte by byte: accepted at %d, want %d", n, len(full)-1)
	}
}

func TestSendMarked(t *testing.T) {
	srv := startServer(t, serverOpts{})
	cfg := srv.config()
	cfg.PromptPattern = edgeOSLikePrompt
	s := openT(t, cfg)
	const marker = "onpremvpn-end-5e0c1d2b"
	for _, tc := range []struct{ cmd, want string }{
		{"show lines", "line 1\nline 2\nline 3"},
		{"show fake-prompt", "first\nuser@host:~$ \nlast"},
		{"show split-config", strings.ReplaceAll(strings.TrimRight(splitConfig[0]+splitConfig[1], "\r\n"), "\r", "")},
		{"terminal length 0", ""},
	} {
		got, err := s.SendMarked(context.Background(), tc.cmd+"; echo "+marker, marker)
		if err != nil {
			t.Fatalf("SendMarked(%q): %v", tc.cmd, err)
		}
		if got != tc.want {
			t.Errorf("SendMarked(%q) = %q, want %q", tc.cmd, got, tc.want)
		}
		if s.Prompt() != testPrompt {
			t.Errorf("Prompt() = %q", s.Prompt())
		}
	}

	for _, bad := range []string{"", " m", "a\nb"} {
		if _, err := s.SendMarked(context.Background(), "show lines; echo x", bad); err == nil {
			t.Errorf("marker %q accepted", bad)
		}
	}
	if !s.Alive() {
		t.Fatal("a refused marker closed the session")
	}

	// A device that does not print the marker: the prompt alone does not end the command.
	cfg.CommandTimeout = 300 * time.Millisecond
	s2 := openT(t, cfg)
	_, err := s2.SendMarked(context.Background(), "show lines", marker)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a timeout", err)
	}
	for _, want := range []string{"end marker", "ending with a prompt", "the end marker was not seen"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "line 1") {
		t.Errorf("error %q quotes the output", err)
	}
}

// Errors never quote what the device printed: here a pre-shared key, printed before the
// command times out.
func TestErrorsDoNotQuoteOutput(t *testing.T) {
	srv := startServer(t, serverOpts{})
	cfg := srv.config()
	cfg.CommandTimeout = 300 * time.Millisecond
	for _, marked := range []bool{false, true} {
		s := openT(t, cfg)
		var err error
		if marked {
			_, err = s.SendMarked(context.Background(), "show secret-then-hang; echo END-X", "END-X")
		} else {
			_, err = s.Send(context.Background(), "show secret-then-hang")
		}
		if err == nil {
			t.Fatal("want a timeout")
		}
		if strings.Contains(err.Error(), "TopSecretPSK") || strings.Contains(err.Error(), "pre-shared") {
			t.Errorf("error %q quotes the device's output", err)
		}
		if !strings.Contains(err.Error(), "show secret-then-hang") || !strings.Contains(err.Error(), "bytes in 2 lines") {
			t.Errorf("error %q lacks the command or the size hint", err)
		}
	}
}

// heapPeak samples the heap until stop is called and returns the highest HeapAlloc seen.
func heapPeak() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

func heapNow() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

const mib = 1 << 20

// A command whose output exceeds MaxOutputBytes fails with ErrOutputTooLarge, closes the
// session, and the memory used stays near the limit.
func TestMaxOutputBytes(t *testing.T) {
	srv := startServer(t, serverOpts{})
	cfg := srv.config()
	cfg.MaxOutputBytes = 2 * mib
	cfg.CommandTimeout = 30 * time.Second
	s := openT(t, cfg)
	if got := sendT(t, s, "flood 100000"); len(got) != 1563*63-1 { // 1563 lines, "\r" dropped
		t.Fatalf("flood 100000 returned %d bytes", len(got))
	}

	base := heapNow()
	stop := heapPeak()
	_, err := s.Send(context.Background(), "flood 67108864")
	peak := stop()
	if !errors.Is(err, ErrOutputTooLarge) {
		t.Fatalf("err = %v, want ErrOutputTooLarge", err)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("output exceeded %d bytes", cfg.MaxOutputBytes)) || !strings.Contains(err.Error(), "flood 67108864") {
		t.Errorf("error %q does not say the limit or the command", err)
	}
	if strings.Contains(err.Error(), "xxxx") {
		t.Errorf("error %q quotes output", err)
	}
	if s.Alive() {
		t.Error("session alive after ErrOutputTooLarge")
	}
	grew := int64(peak) - int64(base)
	t.Logf("heap: base %.1f MiB, peak %.1f MiB (+%.1f MiB) for MaxOutputBytes 2 MiB and 64 MiB of output",
		float64(base)/mib, float64(peak)/mib, float64(grew)/mib)
	// The buffer, scrapligo's queue and x/crypto's window hold about 5 MiB; the garbage the GC
	// has not collected yet doubles that. Without the limit the buffer alone reaches 64 MiB.
	if grew > 32*mib {
		t.Errorf("heap grew by %.1f MiB while reading with MaxOutputBytes = 2 MiB", float64(grew)/mib)
	}

	// The banner counts too.
	big := startServer(t, serverOpts{banner: strings.Repeat("banner line\r\n", 200000)})
	bcfg := big.config()
	bcfg.MaxOutputBytes = mib
	if _, err := Open(context.Background(), bcfg); !errors.Is(err, ErrOutputTooLarge) {
		t.Errorf("Open with a 2.6 MB banner: err = %v, want ErrOutputTooLarge", err)
	}
}

// While no command runs, a device that keeps printing is held back: scrapligo's read loop
// stops when its queue is full and x/crypto stops extending the SSH window, so the heap does
// not grow with what the device prints.
func TestOutputHeldBackWhileIdle(t *testing.T) {
	srv := startServer(t, serverOpts{})
	cfg := srv.config()
	cfg.MaxOutputBytes = 4 * mib
	s := openT(t, cfg)
	base := heapNow()
	stop := heapPeak()
	sendT(t, s, "flood-later 268435456") // returns at the first prompt; 256 MiB follow
	time.Sleep(1500 * time.Millisecond)
	peak := stop()
	grew := int64(peak) - int64(base)
	t.Logf("heap while idle with 256 MiB pending: base %.1f MiB, peak %.1f MiB (+%.1f MiB)",
		float64(base)/mib, float64(peak)/mib, float64(grew)/mib)
	if grew > 8*mib {
		t.Errorf("heap grew by %.1f MiB while the session was idle", float64(grew)/mib)
	}
	if d := s.driver.Channel.Q.GetDepth(); d > maxQueuedChunks {
		t.Errorf("scrapligo queue holds %d chunks, want at most %d", d, maxQueuedChunks)
	}
	// The next command drains what was held back and then hits the limit.
	if _, err := s.Send(context.Background(), "echo x"); !errors.Is(err, ErrOutputTooLarge) {
		t.Errorf("err = %v, want ErrOutputTooLarge", err)
	}
}

// CheckOnOpen sees each on-open command and its output; an error fails Open naming the command.
func TestCheckOnOpen(t *testing.T) {
	srv := startServer(t, serverOpts{})
	cfg := srv.config()
	var seen []string
	cfg.OnOpen = []string{"terminal length 0", "terminal width 512"}
	cfg.CheckOnOpen = func(command, output string) error {
		seen = append(seen, command+"="+output)
		if strings.HasPrefix(output, "% unknown command") {
			return errors.New("invalid command")
		}
		return nil
	}
	_, err := Open(context.Background(), cfg)
	if err == nil {
		t.Fatal("Open succeeded although an on-open command failed")
	}
	for _, want := range []string{srv.addr, `on-open command`, `"terminal width 512"`, "invalid command"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if len(seen) != 2 || seen[0] != "terminal length 0=" {
		t.Errorf("CheckOnOpen saw %q", seen)
	}

	cfg.OnOpen = []string{"terminal length 0"}
	openT(t, cfg)
}

// Config is hashed as JSON by the provider's session pool: a func field must not break that.
func TestConfigMarshalsWithCheckOnOpen(t *testing.T) {
	c := Config{Host: "h", CheckOnOpen: func(string, string) error { return nil }}
	c.Jump = &Config{Host: "j", CheckOnOpen: c.CheckOnOpen}
	if _, err := json.Marshal(c); err != nil {
		t.Fatal(err)
	}
}

func TestLoginHint(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "the device printed nothing"},
		{"Welcome\nedge1:~> ", `2 lines; the last line is 8 characters long and ends with ">"`},
		{"secret banner text\n", "the device printed 19 bytes in 1 lines; the last line is 18 characters long"},
	} {
		got := loginHint([]byte(tc.in))
		if !strings.Contains(got, tc.want) {
			t.Errorf("loginHint(%q) = %q, want it to contain %q", tc.in, got, tc.want)
		}
		if regexp.MustCompile(`Welcome|edge1|secret`).MatchString(got) {
			t.Errorf("loginHint(%q) = %q quotes the banner", tc.in, got)
		}
	}
}
