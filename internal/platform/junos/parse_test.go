package junos

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// The SRX sample of the CLI reference (section 4.3) and a seed-002-shaped SRX (two tunnels to
// Azure vWAN's two instances, BGP over 169.254.21.x, hold time 180, prefix lists in and out)
// parse to their golden models, and rendering the parsed model back onto the same device
// changes nothing.
func TestParseGolden(t *testing.T) {
	for _, name := range []string{"reference-sample", "seed002-srx"} {
		t.Run(name, func(t *testing.T) {
			text := readFile(t, name+".set.txt")
			if err := p.CheckOutput(ReadConfig, body(text)); err != nil {
				t.Fatalf("the read is refused: %v", err)
			}
			snap := snapshot(t, text)
			golden(t, name+".golden.json", marshal(t, snap.Config))
			lines, err := p.Render(snap, snap.Config)
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) != 0 {
				t.Errorf("re-rendering the parsed configuration changes the device:\n%s", strings.Join(lines, "\n"))
			}
		})
	}
}

func TestParseSecrets(t *testing.T) {
	c, err := p.Parse(readFile(t, "seed002-srx.set.txt"))
	if err != nil {
		t.Fatal(err)
	}
	g := c.IKEGateways()["AZURE-GW-0"]
	if g == nil || !strings.HasPrefix(g.PreSharedKey, "$9$") {
		t.Fatalf("the key is not read as printed: %+v", g)
	}
	plain, err := p.DecodeSecret(vpn.KindIKEGateway, "pre_shared_key", g.PreSharedKey)
	if err != nil || plain != "aliazu12345" {
		t.Fatalf("decoded %q, %v", plain, err)
	}
	if p.SecretForm(vpn.KindIKEGateway, "pre_shared_key") != platform.SecretReversible || p.SecretForm(vpn.KindBGPNeighbor, "password") != platform.SecretReversible {
		t.Error("secrets are not declared reversible")
	}
	// The reference sample's placeholder is not a real $9$ value: it is an error, never a
	// wrong plaintext, and the error does not quote it.
	_, err = p.DecodeSecret(vpn.KindIKEGateway, "pre_shared_key", "$9$AbCdEfGhIjKlMnOpQrStUv")
	if err == nil || strings.Contains(err.Error(), "AbCd") {
		t.Errorf("placeholder: %v", err)
	}
	if s, err := p.DecodeSecret(vpn.KindIKEGateway, "pre_shared_key", "plain"); s != "plain" || err != nil {
		t.Errorf("plaintext: %q %v", s, err)
	}
}

// A leaf-list printed in brackets reads like one value per line; the curly form's noise
// (prompts, [edit], deactivate) is ignored; a malformed line is an error without the secret.
func TestParseForms(t *testing.T) {
	a := readFile(t, "reference-sample.set.txt")
	b := strings.Replace(a, "set routing-options rib-groups RG-VPN import-rib inet.0\nset routing-options rib-groups RG-VPN import-rib VPN-VR.inet.0\n",
		"set routing-options rib-groups RG-VPN import-rib [ inet.0 VPN-VR.inet.0 ]\n", 1)
	if a == b {
		t.Fatal("sample changed")
	}
	ca, _ := p.Parse(a)
	cb, err := p.Parse(b + "\n[edit]\ndeactivate protocols bgp group AWS neighbor 169.254.255.1\n")
	if err != nil {
		t.Fatal(err)
	}
	mustEqualConfig(t, cb, ca)
	_, err = p.Parse("set security ike policy P pre-shared-key ascii-text \"$9$abc\nset x \"open\n")
	if err == nil || strings.Contains(err.Error(), "abc") {
		t.Errorf("malformed: %v", err)
	}
}

// body is a captured listing without its first line (the prompt and the command) and its
// last prompt, as the session returns the output.
func body(text string) string {
	lines := strings.Split(strings.TrimRight(text, "\n "), "\n")
	return strings.Join(lines[1:len(lines)-1], "\n")
}
