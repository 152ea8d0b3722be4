package platform_test

import (
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
)

func TestOnlyLineAndCommitErrorsAreSplit(t *testing.T) {
	want := map[platform.ErrorScope]bool{
		platform.ScopeUnknown: false, platform.ScopeSession: false, platform.ScopeLock: false,
		platform.ScopeLine: true, platform.ScopeCommit: true,
	}
	for s, split := range want {
		if s.Splittable() != split {
			t.Errorf("%s.Splittable() = %v, want %v", s, s.Splittable(), split)
		}
	}
}

func TestLinesAreCommandsWithoutQuestions(t *testing.T) {
	got := platform.Lines("configure", "commit")
	if len(got) != 2 || got[0] != (platform.Command{Line: "configure"}) || got[1] != (platform.Command{Line: "commit"}) {
		t.Errorf("Lines = %+v", got)
	}
	if (platform.TxSpec{}).Strategy != platform.Candidate {
		t.Error("the zero TxSpec is not a candidate transaction")
	}
}
