package acctest

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform/junos9"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

// The Junos simulator and the provider encode `$9$` secrets with two independent
// implementations: whatever key the simulated router stores, it prints in a form the
// provider's decoder reads back exactly, and a form the provider encodes is kept as typed.
func TestJunos9AgreesWithTheSimulator(t *testing.T) {
	keys := []string{"s3cr3t-PSK", "a#b!c*d?e{f}", "k;ey with space", "é-ü-日本", "x", strings.Repeat("Az0", 40)}
	for _, key := range keys {
		srv, err := simulator.New(simulator.Options{Platform: "junos", Username: Username, Password: Password})
		if err != nil {
			t.Fatal(err)
		}
		encoded := junos9.Encode(key + "-typed-encoded")
		if err := srv.Apply(
			`set security ike policy P1 pre-shared-key ascii-text "`+strings.ReplaceAll(strings.ReplaceAll(key, `\`, `\\`), `"`, `\"`)+`"`,
			`set security ike policy P2 pre-shared-key ascii-text "`+encoded+`"`,
		); err != nil {
			srv.Close()
			t.Fatalf("%q: %v", key, err)
		}
		printed := map[string]string{}
		for _, l := range strings.Split(srv.RunningConfig(), "\n") {
			f := strings.Fields(l)
			if len(f) == 8 && f[3] == "policy" && f[5] == "pre-shared-key" {
				printed[f[4]] = strings.Trim(f[7], `"`)
			}
		}
		srv.Close()
		if !junos9.Is(printed["P1"]) {
			t.Errorf("%q: the simulator printed %q, not a $9$ form", key, printed["P1"])
			continue
		}
		if got, err := junos9.Decode(printed["P1"]); err != nil || got != key {
			t.Errorf("%q: the simulator's %q decodes to %q, %v", key, printed["P1"], got, err)
		}
		if printed["P2"] != encoded {
			t.Errorf("%q: an encoded key typed as %q prints as %q", key, encoded, printed["P2"])
		}
	}
}
