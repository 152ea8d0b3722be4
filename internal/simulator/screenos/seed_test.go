package screenos

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

var presharePrinted = regexp.MustCompile(`preshare "([A-Za-z0-9+/=]+)"`)

// TestSeedConfigsOverSSH types every line of the three seed 000 configurations (SSG5 6.3,
// NetScreen-25 and NetScreen-5GT 5.4) into a fresh device of that model over SSH, and
// checks that `get config` prints them back: the same lines in the same order (the device's
// section order), plus the host name line the seed dumps leave out, with the preshared key
// printed encoded instead of in plaintext.
func TestSeedConfigsOverSSH(t *testing.T) {
	for _, model := range Models() {
		t.Run(model, func(t *testing.T) {
			seed := readTestdata(t, "seed000_"+model+".txt")
			srv := newServer(t, model, simulator.Options{})
			sh := openShell(t, dial(t, srv))
			sh.login()
			for _, line := range lines(seed) {
				if out := sh.cmd(line); out != "" {
					t.Fatalf("%s -> %q", line, out)
				}
			}
			if out := sh.cmd("set console page 0"); out != "" {
				t.Fatal(out)
			}
			got := sh.cmd("get config")
			header, body, _ := strings.Cut(got, "\n")
			if want := "Total Config size " + itoa(len(body)) + ":"; header != want {
				t.Errorf("header %q, want %q", header, want)
			}
			m := presharePrinted.FindStringSubmatch(body)
			if m == nil || m[1] == "s3cr3t-PSK-value" || strings.Contains(got, "s3cr3t-PSK-value") {
				t.Fatalf("preshare not printed encoded:\n%s", body)
			}
			want := strings.ReplaceAll(seed, `preshare "s3cr3t-PSK-value"`, `preshare "`+m[1]+`"`)
			want = strings.Replace(want, "set pki authority", "set hostname ssg5\nset pki authority", 1)
			want = strings.Replace(want, "set console page 0\n", "", 1)
			gotLines := lines(strings.Replace(body, "set console page 0\n", "", 1))
			if strings.Join(gotLines, "\n") != strings.Join(lines(want), "\n") {
				t.Errorf("get config differs from the seed:\n%s", lineDiff(lines(want), gotLines))
			}
			// the running configuration is modified: leaving asks to save
			m0 := sh.mark()
			sh.send("exit\n")
			sh.waitFor(m0, saveRe)
			sh.send("y\n")
			sh.waitEOF()
			if srv.SavedConfig() != srv.RunningConfig() {
				t.Error("answer y did not save")
			}

			// round trip: the printed configuration typed into a fresh engine prints the same
			l := newLocal(t, model, "")
			for _, line := range lines(body) {
				if out := l.run(line); out != "" {
					t.Fatalf("round trip: %s -> %q", line, out)
				}
			}
			if again := l.run("get config"); again != got {
				t.Errorf("round trip differs:\n%s", lineDiff(lines(got), lines(again)))
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// lineDiff shows the lines only one side has and the first position where they differ.
func lineDiff(want, got []string) string {
	var b strings.Builder
	in := func(list []string) map[string]int {
		m := map[string]int{}
		for _, l := range list {
			m[l]++
		}
		return m
	}
	w, g := in(want), in(got)
	for _, l := range want {
		if g[l] == 0 {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range got {
		if w[l] == 0 {
			b.WriteString("+ " + l + "\n")
		}
	}
	for i := range min(len(want), len(got)) {
		if want[i] != got[i] {
			b.WriteString("first difference at line " + fmtInt(i+1) + ": want " + want[i] + " got " + got[i] + "\n")
			break
		}
	}
	return b.String()
}
