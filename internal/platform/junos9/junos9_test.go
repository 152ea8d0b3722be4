package junos9

import (
	"errors"
	"strings"
	"testing"
)

// A public example (the netmeld junos-type9-decode README): its salt is '2', of the third
// family, so one random character ('G') follows it.
const publicExample = "$9$2GgZjHkPQ39.PhrvLVb.P5Tz6"

func TestDecodePublicExample(t *testing.T) {
	got, err := Decode(publicExample)
	if err != nil || got != "password" {
		t.Fatalf("Decode = %q, %v; want password", got, err)
	}
}

func TestEncodeWithReproducesThePublicExample(t *testing.T) {
	got, err := EncodeWith("password", '2', "G")
	if err != nil || got != publicExample {
		t.Fatalf("EncodeWith = %q, %v; want %q", got, err, publicExample)
	}
}

func TestRoundTrip(t *testing.T) {
	secrets := []string{"", "a", "lc", "S3cr3t-PSK with spaces", `quote"and\backslash`, strings.Repeat("0123456789", 20), "\x00\x7f\xff non-ascii é"}
	for _, s := range secrets {
		for i := 0; i < 20; i++ { // random salts of every family
			enc := Encode(s)
			if !strings.HasPrefix(enc, Prefix) {
				t.Fatalf("Encode(%q) = %q", s, enc)
			}
			got, err := Decode(enc)
			if err != nil || got != s {
				t.Fatalf("Decode(Encode(%q)) = %q, %v (form %q)", s, got, err, enc)
			}
		}
	}
	// Every salt, with its number of random characters.
	for i := 0; i < len(alphabet); i++ {
		salt := alphabet[i]
		enc, err := EncodeWith("key", salt, strings.Repeat("Q", extra[salt]))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := Decode(enc); err != nil || got != "key" {
			t.Fatalf("salt %q: Decode = %q, %v", salt, got, err)
		}
	}
}

func TestGroupsCycleThroughTheWeights(t *testing.T) {
	// Group lengths follow the weight lists: 3,3,3,2,2,4,3 then again.
	enc, _ := EncodeWith("abcdefgh", 'Q', "xyz")
	if want := len(Prefix) + 1 + 3 + 3 + 3 + 3 + 2 + 2 + 4 + 3 + 3; len(enc) != want {
		t.Fatalf("len(%q) = %d, want %d", enc, len(enc), want)
	}
}

func TestMalformed(t *testing.T) {
	for _, s := range []string{"", "$9$", "plain", "$8$abc", "$9$Q", "$9$Qab", "$9$2G g", publicExample[:len(publicExample)-1]} {
		_, err := Decode(s)
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("Decode(%q) = %v, want ErrMalformed", s, err)
		} else if len(s) > 4 && strings.Contains(err.Error(), s[3:]) {
			t.Errorf("Decode(%q): the error quotes the text: %v", s, err)
		}
	}
	if _, err := EncodeWith("x", 'Q', ""); err == nil {
		t.Error("a salt of the first family without its three random characters was accepted")
	}
	if _, err := EncodeWith("x", '!', ""); err == nil {
		t.Error("a salt outside the alphabet was accepted")
	}
	if Is("$9$") || Is("$9$ab!") || !Is(publicExample) {
		t.Error("Is is wrong")
	}
}
