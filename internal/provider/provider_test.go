package provider

import (
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

func TestSecretHashDiffers(t *testing.T) {
	if string(secretHash("a")) == string(secretHash("b")) || string(secretHash("a")) != string(secretHash("a")) {
		t.Fatal("secretHash is not a function of the secret")
	}
}
