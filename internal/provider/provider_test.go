package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
)

func TestFieldPath(t *testing.T) {
	cases := map[string]path.Path{
		"name":                  path.Root("name"),
		"proposals[0].dh_group": path.Root("proposals").AtListIndex(0).AtName("dh_group"),
		"dpd.interval":          path.Root("dpd").AtName("interval"),
		"rules[12].le":          path.Root("rules").AtListIndex(12).AtName("le"),
	}
	for in, want := range cases {
		if got := fieldPath(in); !got.Equal(want) {
			t.Errorf("fieldPath(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestSecretCheck(t *testing.T) {
	c1, c2 := newSecretCheck("psk-One"), newSecretCheck("psk-One")
	if string(c1) == string(c2) {
		t.Fatal("two checks of one secret are equal: no salt")
	}
	if strings.Contains(string(c1), "psk-One") {
		t.Fatal("the check contains the secret")
	}
	if !secretMatches(c1, "psk-One") || !secretMatches(c2, "psk-One") {
		t.Fatal("the secret does not match its own check")
	}
	if secretMatches(c1, "psk-Two") {
		t.Fatal("another secret matches")
	}
	if !secretMatches([]byte(`"legacy"`), "x") {
		t.Fatal("an unreadable check must not invent drift")
	}
}
