package screenos

import (
	"reflect"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
)

// The mark's lines, and the marks `get config` lists (its own printed form: quoted names and
// the comment after the mask), apart from the address book entries of the user.
func TestMarkLines(t *testing.T) {
	ms := (&ScreenOS{}).Session().Tx.Mark
	if ms == nil {
		t.Fatal("no advisory mark by default")
	}
	key := ms.Key(0xabcdef0123456789)
	if key != "onpremvpn-lock-ef0123456789" {
		t.Errorf("key %q", key)
	}
	if got, want := ms.Set(key, "a1b2c3 mihdq1k0 bob@far-host:4242"), `set address "Trust" "onpremvpn-lock-ef0123456789" 192.0.2.1 255.255.255.255 "a1b2c3 mihdq1k0 bob@far-host:4242"`; got != want {
		t.Errorf("set %q, want %q", got, want)
	}
	if got, want := ms.Unset(key), `unset address "Trust" "onpremvpn-lock-ef0123456789"`; got != want {
		t.Errorf("unset %q, want %q", got, want)
	}
	text := "set address \"Trust\" \"lan\" 192.168.1.0 255.255.255.0\r\n" +
		"set address \"Trust\" \"onpremvpn-lock-ef0123456789\" 192.0.2.1 255.255.255.255 \"a1b2c3 mihdq1k0 bob@far-host:4242\"\r\n" +
		"set address \"Untrust\" \"onpremvpn-lock-000000000001\" 192.0.2.1 255.255.255.255 \"elsewhere\"\r\n" +
		"set address \"Trust\" \"onpremvpn-lock-000000000002\" 192.0.2.1 255.255.255.255\r\n"
	want := []platform.Mark{{Key: "onpremvpn-lock-ef0123456789", Note: "a1b2c3 mihdq1k0 bob@far-host:4242"}, {Key: "onpremvpn-lock-000000000002"}}
	if got := ms.Find(text); !reflect.DeepEqual(got, want) {
		t.Errorf("found %+v, want %+v", got, want)
	}
	if (&ScreenOS{noMark: true}).Session().Tx.Mark != nil {
		t.Error("advisory_lock = off still marks")
	}
}

// A mark is no address a policy may name: a policy on 192.0.2.1/32 in Trust gets an address
// of its own, never the mark's (which the run removes at the end of its batch).
func TestMarkIsNoPolicyAddress(t *testing.T) {
	dev, err := newDevice("set address \"Trust\" \"onpremvpn-lock-ef0123456789\" 192.0.2.1 255.255.255.255 \"a1b2c3 x y\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(dev.addresses["Trust"]) != 0 {
		t.Errorf("the mark reads as an address: %v", dev.addresses)
	}
}
