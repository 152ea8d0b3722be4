// Package junos9 decodes and encodes the Junos `$9$` secret form, the reversible obfuscation
// in which Junos prints pre-shared keys and authentication keys (`pre-shared-key ascii-text
// "$9$..."`). It is an obfuscation, not encryption: anyone can reverse it.
//
// The form is "$9$", a salt character, a number of random characters set by the salt (0 to
// 3), then each byte of the secret as a group of 2 to 4 characters. The characters are the 65
// of an alphabet made of four families; the salt's family sets how many random characters
// follow it. Each character of a group stands for the distance ("gap") from the character
// before it along the alphabet, minus one; the gaps of a group are the digits of the byte in
// a mixed radix that cycles through seven weight lists.
package junos9

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Prefix starts every secret in this form.
const Prefix = "$9$"

// families make up the alphabet; a salt from family i is followed by 3-i random characters.
var families = [4]string{"QzF3n6/9CAtpu0O", "B1IREhcSyrleKvMW8LXx", "7N-dVbwsY2g4oaJZGUDj", "iHkq.mPf5T"}

// weights are the radixes of the gaps of the n-th byte: byte n uses weights[n%7], and its
// value is the sum of gap*weight over the group (mod 256).
var weights = [7][]int{{1, 4, 32}, {1, 16, 32}, {1, 8, 32}, {1, 64}, {1, 32}, {1, 4, 16, 128}, {1, 32, 64}}

var (
	alphabet = strings.Join(families[:], "")
	index    = map[byte]int{}
	extra    = map[byte]int{}
)

func init() {
	for f, fam := range families {
		for i := 0; i < len(fam); i++ {
			extra[fam[i]] = 3 - f
		}
	}
	for i := 0; i < len(alphabet); i++ {
		index[alphabet[i]] = i
	}
}

// Is reports whether s looks like a secret in this form: the prefix and only alphabet
// characters after it.
func Is(s string) bool {
	if !strings.HasPrefix(s, Prefix) || len(s) == len(Prefix) {
		return false
	}
	for i := len(Prefix); i < len(s); i++ {
		if _, ok := index[s[i]]; !ok {
			return false
		}
	}
	return true
}

// ErrMalformed is returned for text that is not a well-formed `$9$` secret. The error never
// quotes the text.
var ErrMalformed = errors.New("not a well-formed $9$ secret")

// Decode returns the secret s stands for.
func Decode(s string) (string, error) {
	if !Is(s) {
		return "", ErrMalformed
	}
	rest := s[len(Prefix):]
	salt := rest[0]
	rest = rest[1:]
	if len(rest) < extra[salt] {
		return "", fmt.Errorf("%w: shorter than its salt requires", ErrMalformed)
	}
	rest = rest[extra[salt]:]
	prev := salt
	var out []byte
	for len(rest) > 0 {
		w := weights[len(out)%len(weights)]
		if len(rest) < len(w) {
			return "", fmt.Errorf("%w: the last group is incomplete", ErrMalformed)
		}
		num := 0
		for i, weight := range w {
			c := rest[i]
			gap := (index[c]-index[prev]+len(alphabet))%len(alphabet) - 1
			num += gap * weight
			prev = c
		}
		out = append(out, byte(num%256))
		rest = rest[len(w):]
	}
	return string(out), nil
}

// Encode returns secret in the `$9$` form with a random salt, as a Junos device would print
// it (the device picks its own salt, so the same secret has many forms).
func Encode(secret string) string {
	salt := alphabet[randInt(len(alphabet))]
	pad := make([]byte, extra[salt])
	for i := range pad {
		pad[i] = alphabet[randInt(len(alphabet))]
	}
	s, _ := EncodeWith(secret, salt, string(pad))
	return s
}

// EncodeWith is Encode with the salt character and the random characters given, for
// reproducible output. pad must be as long as the salt requires (0 to 3 characters).
func EncodeWith(secret string, salt byte, pad string) (string, error) {
	if _, ok := index[salt]; !ok {
		return "", errors.New("junos9: the salt is not in the alphabet")
	}
	if len(pad) != extra[salt] {
		return "", fmt.Errorf("junos9: this salt takes %d random characters, got %d", extra[salt], len(pad))
	}
	for i := 0; i < len(pad); i++ {
		if _, ok := index[pad[i]]; !ok {
			return "", errors.New("junos9: a random character is not in the alphabet")
		}
	}
	var b strings.Builder
	b.WriteString(Prefix)
	b.WriteByte(salt)
	b.WriteString(pad)
	prev := salt
	for n := 0; n < len(secret); n++ {
		w := weights[n%len(weights)]
		v := int(secret[n])
		gaps := make([]int, len(w))
		for i := len(w) - 1; i >= 0; i-- {
			gaps[i] = v / w[i]
			v %= w[i]
		}
		for _, g := range gaps {
			c := alphabet[(index[prev]+g+1)%len(alphabet)]
			b.WriteByte(c)
			prev = c
		}
	}
	return b.String(), nil
}

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic("junos9: no randomness: " + err.Error())
	}
	return int(v.Int64())
}
