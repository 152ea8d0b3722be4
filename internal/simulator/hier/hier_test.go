package hier

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// A made-up schema in the shape of a set-style VPN configuration:
//
//	vpn ipsec esp-group NAME { lifetime N; proposal N { encryption X } }
//	interfaces vti NAME { address A (multi); disable }
//	service ...   (loose)
func testSchema() *Schema {
	num := Check{Numeric: true, Fn: func(v string) string {
		if _, err := strconv.ParseUint(v, 10, 32); err != nil {
			return "not a number"
		}
		return ""
	}}
	word := Check{Fn: func(v string) string {
		if strings.ContainsAny(v, " \t") {
			return "no spaces"
		}
		return ""
	}}
	return Cont("",
		Cont("vpn", Cont("ipsec", TagNode("esp-group", word,
			LeafNode("lifetime", num),
			TagNode("proposal", num, LeafNode("encryption", Check{})),
		))),
		Cont("interfaces", TagNode("vti", word, MultiNode("address", Check{}), FlagNode("disable"))),
		LooseCont("service"),
	)
}

func noQuote(v string) string {
	if strings.Contains(v, "'") {
		return "quote"
	}
	return ""
}

func TestResolve(t *testing.T) {
	r := Resolver{Root: testSchema(), Forbidden: noQuote}
	ps, err := r.Resolve(strings.Fields("vpn ipsec esp-group E1 proposal 1 encryption aes256"), true)
	if err != nil {
		t.Fatal(err)
	}
	kinds := []Kind{Container, Container, Tag, Tag, Tag, Tag, Leaf, Leaf}
	vals := []bool{false, false, false, true, false, true, false, true}
	for i, p := range ps {
		if p.S.Kind != kinds[i] || p.AtValue != vals[i] {
			t.Errorf("token %d: kind %v value %v", i, p.S.Kind, p.AtValue)
		}
	}
	for _, c := range []struct {
		path      string
		needValue bool
		kind      ErrKind
		index     int
		msg       string
	}{
		{"vpn ipsec bogus", true, BadPath, 2, ""},
		{"vpn ipsec esp-group E1 lifetime x", true, BadValue, 5, "not a number"},
		{"vpn ipsec esp-group E1 lifetime", true, NeedsValue, 4, ""},
		{"interfaces vti it's", true, BadValue, 2, "quote"},
		{"interfaces vti vti0 disable extra", true, BadPath, 4, ""},
		{"interfaces vti a\tb", true, BadPath, 2, ""}, // a control character, not forbidden
	} {
		_, err := r.Resolve(strings.Split(strings.ReplaceAll(c.path, "a\tb", "a\x01b"), " "), c.needValue)
		pe, ok := err.(*PathError)
		if !ok || pe.Kind != c.kind || pe.Index != c.index || pe.Msg != c.msg {
			t.Errorf("%q: %#v", c.path, err)
		}
	}
	// delete may stop at a leaf without its value; loose nodes take anything.
	if _, err := r.Resolve(strings.Fields("vpn ipsec esp-group E1 lifetime"), false); err != nil {
		t.Error(err)
	}
	if _, err := r.Resolve(strings.Fields("service dns forwarding cache-size 100"), true); err != nil {
		t.Error(err)
	}
}

func TestSetDeleteAndOrder(t *testing.T) {
	r := Resolver{Root: testSchema()}
	tree := NewTree()
	set := func(line string) bool {
		t.Helper()
		toks := strings.Fields(line)
		ps, err := r.Resolve(toks, true)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		return tree.SetPath(toks, ps)
	}
	del := func(line string) Missing {
		t.Helper()
		toks := strings.Fields(line)
		ps, err := r.Resolve(toks, false)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		return tree.DeletePath(toks, ps)
	}
	set("vpn ipsec esp-group E1 lifetime 3600")
	if !set("vpn ipsec esp-group E1 lifetime 3600") {
		t.Error("setting the same value again is not reported as existing")
	}
	set("vpn ipsec esp-group E1 lifetime 1800") // a single-value leaf takes the new value
	if got := tree.Value("vpn", "ipsec", "esp-group", "E1", "lifetime"); got != "1800" || len(tree.Path("vpn", "ipsec", "esp-group", "E1", "lifetime").Kids) != 1 {
		t.Fatalf("lifetime %q", got)
	}
	for _, n := range []string{"10", "2", "1"} {
		set("vpn ipsec esp-group E1 proposal " + n + " encryption aes128")
	}
	set("interfaces vti vti0 address 10.0.0.2/30")
	set("interfaces vti vti0 address 10.0.0.1/30")
	e1 := Root(r.Root)
	for _, k := range []string{"vpn", "ipsec", "esp-group"} {
		e1, _ = e1.Child(k)
	}
	props, _ := e1.Child("E1")
	props, _ = props.Child("proposal")
	if got := SortedKeys(props, tree.Path("vpn", "ipsec", "esp-group", "E1", "proposal")); !reflect.DeepEqual(got, []string{"1", "2", "10"}) {
		t.Errorf("numeric tag values: %q", got)
	}
	addr := Root(r.Root)
	for _, k := range []string{"interfaces", "vti", "vti0", "address"} {
		addr, _ = addr.Child(k)
	}
	if got := SortedKeys(addr, tree.Path("interfaces", "vti", "vti0", "address")); !reflect.DeepEqual(got, []string{"10.0.0.2/30", "10.0.0.1/30"}) {
		t.Errorf("multi-value leaf keeps the order set: %q", got)
	}

	before := tree.Clone()
	if del("vpn ipsec esp-group E1 lifetime 900") != MissingValue {
		t.Error("deleting a value the leaf does not have")
	}
	if del("interfaces vti vti9") != MissingNode {
		t.Error("deleting a missing node")
	}
	// Deleting the last leaf of a tag value keeps the tag value (it exists on its own), but
	// prunes containers left empty.
	if del("interfaces vti vti0 address 10.0.0.2/30") != Found || del("interfaces vti vti0 address 10.0.0.1/30") != Found {
		t.Fatal("delete")
	}
	if tree.Path("interfaces", "vti", "vti0") == nil || tree.Path("interfaces", "vti", "vti0", "address") != nil {
		t.Error("tag value pruned, or empty leaf kept")
	}
	del("vpn ipsec esp-group E1")
	if tree.Path("vpn") != nil {
		t.Error("empty containers kept after deleting their last child")
	}
	if Equal(before, tree) || before.Path("vpn", "ipsec", "esp-group", "E1") == nil {
		t.Error("Clone shares nodes with the original")
	}
}

func TestWalkMarksSecrets(t *testing.T) {
	s := testSchema()
	s.Walk(func(n *Schema) { n.Secret = n.Name == "encryption" })
	p := s.Kids["vpn"].Kids["ipsec"].Kids["esp-group"].Kids["proposal"].Kids["encryption"]
	if !p.Secret || s.Kids["vpn"].Secret {
		t.Fatal("Walk did not reach every node once")
	}
}
