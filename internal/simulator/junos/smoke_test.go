package junos

import "testing"

func TestSmokeSample(t *testing.T) {
	srv := newServer(t, "")
	tm := open(t, srv, "admin")
	t.Log(tm.s.Prompt())
	t.Log(tm.do("configure"))
	t.Log(tm.s.Prompt())
	t.Log(tm.load("set", readFile(t, "testdata/reference-4.3-srx.set")))
	t.Log(tm.do("commit check"))
	t.Log(tm.do("show | compare"))
	t.Log(tm.do("commit"))
	t.Log(tm.do("exit"))
	t.Log(tm.do("show configuration | display set | no-more"))
	t.Log(tm.do("show configuration"))
}
