package screenos

import "testing"

func TestSmoke(t *testing.T) {
	l := newLocal(t, "ssg5", "")
	for _, line := range lines(readTestdata(t, "seed000_ssg5.txt")) {
		if out := l.run(line); out != "" {
			t.Errorf("%s -> %q", line, out)
		}
	}
	t.Log(l.run("get config"))
}
