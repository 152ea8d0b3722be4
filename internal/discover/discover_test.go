package discover

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/provider"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func TestIdentifier(t *testing.T) {
	for in, want := range map[string]string{
		"FOO0":              "foo0",
		"172.16.0.254/32":   "172_16_0_254_32",
		"Azure GW (west)":   "azure_gw_west",
		"réseau--ü":         "r_seau",
		`"; rm -rf / #${x}`: "rm_rf_x",
		"":                  "",
		"___":               "",
	} {
		if got := Identifier(in); got != want {
			t.Errorf("Identifier(%q) = %q, want %q", in, got, want)
		}
	}
}

// hostile returns a discovery whose keys and summaries hold what a device may print.
func hostile() []provider.Discovery {
	obj := func(k vpn.Kind, key, summary string, secrets ...string) provider.DiscoveredObject {
		return provider.DiscoveredObject{Kind: k, ResourceType: "onpremvpn_" + string(k), Key: key,
			ImportID: "default/" + key, Summary: summary, Secrets: secrets}
	}
	return []provider.Discovery{{
		Device: provider.DefaultDevice, Platform: "edgeos", Unmodelled: 3, Counted: true,
		Objects: []provider.DiscoveredObject{
			obj(vpn.KindIKEGateway, "FOO0", "peer 192.0.2.1", "pre_shared_key"),
			obj(vpn.KindIKEGateway, "foo0", "peer 192.0.2.2\n}\nimport {", "pre_shared_key"),
			obj(vpn.KindPrefixList, `P"${x}%{y}\é`, "1 rule(s) # not\r\na comment"),
			func() provider.DiscoveredObject {
				o := obj(vpn.KindStaticRoute, "10.0.0.0/8", "10.0.0.0/8, via 192.0.2.9")
				o.Problems = []string{"next_hop: not an address\n}"}
				return o
			}(),
			obj(vpn.KindBGPNeighbor, "10.0.0.1,routing_instance=blue", "AS 1 to AS 2", "password"),
		},
	}, {
		Device: "site-2", Platform: "edgeos",
		Objects: []provider.DiscoveredObject{{Kind: vpn.KindIKEGateway, ResourceType: "onpremvpn_ike_gateway", Key: "FOO0",
			ImportID: "site-2/FOO0", Summary: "peer 198.51.100.1", Secrets: []string{"pre_shared_key"}}},
	}}
}

// The output is valid HCL whatever the device prints: one import block per object, ids kept
// literally (no template is evaluated), names unique and safe, one sensitive variable per
// secret, and no summary text escapes its comment.
func TestRenderHostile(t *testing.T) {
	out := Render(hostile())
	if again := Render(hostile()); again != out {
		t.Fatal("Render is not deterministic")
	}
	f, diags := hclsyntax.ParseConfig([]byte(out), "imports.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("not valid HCL: %s\n%s", diags, out)
	}
	body := f.Body.(*hclsyntax.Body)
	var ids, tos, vars []string
	for _, b := range body.Blocks {
		switch b.Type {
		case "import":
			v, d := b.Body.Attributes["id"].Expr.Value(nil)
			if d.HasErrors() {
				t.Fatalf("id of an import block is not a literal: %s", d)
			}
			ids = append(ids, v.AsString())
			tos = append(tos, string(out[b.Body.Attributes["to"].Expr.Range().Start.Byte:b.Body.Attributes["to"].Expr.Range().End.Byte]))
		case "variable":
			vars = append(vars, b.Labels[0])
			if _, ok := b.Body.Attributes["sensitive"]; !ok {
				t.Errorf("variable %s is not sensitive", b.Labels[0])
			}
		default:
			t.Errorf("unexpected block %s", b.Type)
		}
	}
	wantIDs := []string{"default/FOO0", "default/foo0", `default/P"${x}%{y}\é`, "default/10.0.0.0/8", "default/10.0.0.1,routing_instance=blue", "site-2/FOO0"}
	if strings.Join(ids, "\n") != strings.Join(wantIDs, "\n") {
		t.Errorf("import ids:\n%q\nwant\n%q", ids, wantIDs)
	}
	wantTos := []string{
		"onpremvpn_ike_gateway.foo0", "onpremvpn_ike_gateway.foo0_2", "onpremvpn_prefix_list.p_x_y",
		"onpremvpn_static_route.static_route_10_0_0_0_8", "onpremvpn_bgp_neighbor.bgp_neighbor_10_0_0_1_routing_instance_blue",
		"onpremvpn_ike_gateway.site_2_foo0",
	}
	if strings.Join(tos, "\n") != strings.Join(wantTos, "\n") {
		t.Errorf("addresses:\n%q\nwant\n%q", tos, wantTos)
	}
	wantVars := []string{"foo0_pre_shared_key", "foo0_2_pre_shared_key", "bgp_neighbor_10_0_0_1_routing_instance_blue_password", "site_2_foo0_pre_shared_key"}
	if strings.Join(vars, "\n") != strings.Join(wantVars, "\n") {
		t.Errorf("variables:\n%q\nwant\n%q", vars, wantVars)
	}
	if !strings.Contains(out, `# Device "default" (platform edgeos): 5 objects; 3 lines of its configuration no resource manages`) {
		t.Errorf("no device header with the count:\n%s", out)
	}
	if !strings.Contains(out, "# WARNING: the resource refuses this object as the device holds it: next_hop: not an address?}.\n") {
		t.Errorf("no warning for an object the resource refuses:\n%s", out)
	}
	if strings.Contains(out, "site-2\" (platform edgeos): 1 object;") {
		t.Errorf("a device whose platform cannot count shows a count:\n%s", out)
	}
}

// The printed sed command is the edit the round trip (roundtrip_acc_test.go) runs verbatim.
func TestSedCommand(t *testing.T) {
	if !strings.Contains(Render(hostile()), `sed -i '/^resource "onpremvpn_ike_gateway" "foo0" {/,/^}/ s/^\( *pre_shared_key *\)= null # sensitive$/\1= var.foo0_pre_shared_key/' generated.tf`) {
		t.Error("the printed sed command changed; keep the guide in step")
	}
}

func TestArgs(t *testing.T) {
	var stderr bytes.Buffer
	t.Setenv("ONPREMVPN_PASSWORD", "env-Pa55")
	ts, code := parseArgs([]string{"--platform", "edgeos", "--host", "192.0.2.10", "--username", "u", "--option", "a=b",
		"--and", "--device", "site-2", "--host", "192.0.2.11", "--port", "2200"}, &stderr)
	if code >= 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if len(ts) != 2 || ts[0].Device != provider.DefaultDevice || ts[1].Device != "site-2" {
		t.Fatalf("targets %+v", ts)
	}
	if s := ts[1].Settings; s.Platform != "edgeos" || s.Username != "u" || s.Host != "192.0.2.11" || s.Port != 2200 || s.Password != "env-Pa55" || s.Options["a"] != "b" {
		t.Errorf("second device does not inherit the first's platform, credentials and options: %+v", s)
	}
	for _, bad := range [][]string{
		{"--host", "h", "--and", "--host", "h2"},        // no --device for the second
		{"--host", "h", "--and", "--device", "default"}, // twice the same
		{"--device", "a/b"},                             // not a device name
		{"--option", "novalue"},                         // not NAME=VALUE
		{"stray"},                                       // positional
	} {
		stderr.Reset()
		if _, code := parseArgs(bad, &stderr); code != 2 {
			t.Errorf("%q: exit %d, want 2 (%s)", bad, code, stderr.String())
		}
	}
}
