package rtx

import (
	"reflect"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
)

// The mark's lines, the marks `show config` lists, and the ids a user's description holds.
func TestMarkLines(t *testing.T) {
	ms := (&RTX{}).Session().Tx.Mark
	if ms == nil {
		t.Fatal("no advisory mark by default")
	}
	for _, tok := range []uint64{0, 1473999, 1474000, ^uint64(0)} {
		if k := ms.Key(tok); k < "20000000" || k > "21473999" || len(k) != 8 {
			t.Errorf("token %d: key %q outside 20000000-21473999", tok, k)
		}
	}
	key := ms.Key(5)
	if got, want := ms.Set(key, "a1b2c3 mihdq1k0 bob@far-host:4242"), `description 20000005 "onpremvpn-lock a1b2c3 mihdq1k0 bob@far-host:4242"`; got != want {
		t.Errorf("set %q, want %q", got, want)
	}
	if got, want := ms.Unset(key), "no description 20000005"; got != want {
		t.Errorf("unset %q, want %q", got, want)
	}
	text := "description 1 \"the office router\"\r\n" +
		"description 20000005 \"onpremvpn-lock a1b2c3 mihdq1k0 bob@far-host:4242\"\r\n" +
		"description 20000006 \"kept by the user\"\r\n" +
		"description 21474001 \"AZURE-GW-0\"\r\n" +
		"description 9 \"onpremvpn-lock outside the range\"\r\n"
	want := []platform.Mark{{Key: "20000005", Note: "a1b2c3 mihdq1k0 bob@far-host:4242"}}
	if got := ms.Find(text); !reflect.DeepEqual(got, want) {
		t.Errorf("found %+v, want %+v", got, want)
	}
	if ms.InUse(text, "20000005") || !ms.InUse(text, "20000006") || ms.InUse(text, "20000007") {
		t.Error("InUse: a mark's id is free, a user's description's taken, an absent one free")
	}
	if got := (&RTX{rollback: true, timer: 3 * time.Second}).Session().Tx.Mark.Stale; got != 2*time.Minute {
		t.Errorf("a 3-second timer: stale after %s, want the 2-minute floor", got)
	}
	if got := (&RTX{rollback: true, timer: 3 * time.Second}).Session().Tx.RevertWindow; got != 3*time.Second {
		t.Errorf("revert window %s, want the timer", got)
	}
	if ms.Find("description +0000005 \"onpremvpn-lock x\"\n") != nil {
		t.Error("a signed id reads as a mark")
	}
	if (&RTX{noMark: true}).Session().Tx.Mark != nil {
		t.Error("advisory_lock = off still marks")
	}
	if got := (&RTX{rollback: true}).Session().Tx.Mark.Stale; got <= RollbackTimer*time.Second {
		t.Errorf("a mark under the rollback timer is abandoned after %s, before the timer can revert", got)
	}
}
