package setconf

import (
	"reflect"
	"strings"
	"testing"
)

type fieldsObj struct {
	Name  string
	Life  int
	AS    int64
	Soft  bool
	Enc   string
	Addrs string
}

var fieldsBlock = Block[fieldsObj]{Root: "obj *", Fields: []Field[fieldsObj]{
	Text("description", func(o *fieldsObj) *string { return &o.Name }),
	Number("life", func(o *fieldsObj) *int { return &o.Life }),
	Number64("remote-as", func(o *fieldsObj) *int64 { return &o.AS }),
	Presence("soft inbound", func(o *fieldsObj) *bool { return &o.Soft }),
	Constant[fieldsObj]("mode", "tunnel"),
	Mapped("encryption", func(o *fieldsObj) *string { return &o.Enc }, [][2]string{{"aes128gcm", "aes128gcm128"}}),
	Multi(Text("address", func(o *fieldsObj) *string { return &o.Addrs })),
}}

// One table drives render, parse and the schema's single-value leaves.
func TestBlock(t *testing.T) {
	o := fieldsObj{Name: "two words", Life: 3600, AS: 4200000000, Soft: true, Enc: "aes128gcm", Addrs: "10.0.0.1/30"}
	var lines []string
	var paths [][]string
	fieldsBlock.Render(&o, func(parts ...[]string) {
		var p []string
		for _, x := range parts {
			p = append(p, x...)
		}
		paths = append(paths, p)
		lines = append(lines, JoinWith(Vbash, p))
	}, []string{"obj", "X"})
	want := []string{
		"obj X description 'two words'", "obj X life 3600", "obj X remote-as 4200000000",
		"obj X soft inbound", "obj X mode tunnel", "obj X encryption aes128gcm128", "obj X address 10.0.0.1/30",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("render:\n%s", strings.Join(lines, "\n"))
	}
	var back fieldsObj
	fieldsBlock.Parse(&back, NewTree(paths).Get("obj", "X"))
	if !reflect.DeepEqual(back, o) {
		t.Errorf("parse = %+v, want %+v", back, o)
	}
	var empty fieldsObj
	n := 0
	fieldsBlock.Render(&empty, func(...[]string) { n++ })
	if n != 1 {
		t.Errorf("an empty object rendered %d paths, want only the constant", n)
	}
	leaves := fieldsBlock.ValueLeaves()
	wantLeaves := []string{"obj * description", "obj * life", "obj * remote-as", "obj * mode", "obj * encryption"}
	if !reflect.DeepEqual(leaves, wantLeaves) {
		t.Errorf("ValueLeaves = %q", leaves)
	}
}
