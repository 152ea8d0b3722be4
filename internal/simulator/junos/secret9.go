package junos

import (
	"hash/fnv"
	"strings"
)

// The `$9$` reversible obfuscation Junos prints secrets in, written from the public
// description of the algorithm (the alphabet split into four "families", a salt character
// followed by a number of random characters fixed by the salt's family, then each byte of
// the plain text as 2-4 characters whose distances from the previous character, in the
// alphabet order, are the byte's digits in a mixed radix that cycles through seven
// patterns). Confidence: high that this is the device's format; the salt and the random
// characters here are derived from the plain text, so the same secret prints the same way
// (the device picks them at random once and keeps them).

var nineFamilies = []string{"QzF3n6/9CAtpu0O", "B1IREhcSyrleKvMW8LXx", "7N-dVbwsY2g4oaJZGUDj", "iHkq.mPf5T"}

var (
	nineAlpha []byte
	nineIndex = map[byte]int{}
	nineExtra = map[byte]int{}
)

var nineEncoding = [][]int{{1, 4, 32}, {1, 16, 32}, {1, 8, 32}, {1, 64}, {1, 32}, {1, 4, 16, 128}, {1, 32, 64}}

func init() {
	for f, fam := range nineFamilies {
		for i := 0; i < len(fam); i++ {
			nineExtra[fam[i]] = 3 - f
		}
		nineAlpha = append(nineAlpha, fam...)
	}
	for i, c := range nineAlpha {
		nineIndex[c] = i
	}
}

// encode9 obfuscates plain as `$9$...`.
func encode9(plain string) string {
	h := fnv.New64a()
	h.Write([]byte(plain))
	seed := h.Sum64()
	next := func() byte {
		seed = seed*6364136223846793005 + 1442695040888963407
		return nineAlpha[(seed>>33)%uint64(len(nineAlpha))]
	}
	salt := next()
	var b strings.Builder
	b.WriteString("$9$")
	b.WriteByte(salt)
	for i := 0; i < nineExtra[salt]; i++ {
		b.WriteByte(next())
	}
	prev := salt
	for i := 0; i < len(plain); i++ {
		enc := nineEncoding[i%len(nineEncoding)]
		ord := int(plain[i])
		gaps := make([]int, len(enc))
		for j := len(enc) - 1; j >= 0; j-- {
			gaps[j] = ord / enc[j]
			ord %= enc[j]
		}
		for _, g := range gaps {
			c := nineAlpha[(g+nineIndex[prev]+1)%len(nineAlpha)]
			b.WriteByte(c)
			prev = c
		}
	}
	return b.String()
}

// decode9 reverses encode9 (and the device's encoding); ok is false when s is not a
// well-formed `$9$` string.
func decode9(s string) (string, bool) {
	if !strings.HasPrefix(s, "$9$") || len(s) < 4 {
		return "", false
	}
	chars := s[3:]
	for i := 0; i < len(chars); i++ {
		if _, ok := nineIndex[chars[i]]; !ok {
			return "", false
		}
	}
	first := chars[0]
	skip := 1 + nineExtra[first]
	if len(chars) < skip {
		return "", false
	}
	chars = chars[skip:]
	prev := first
	var out []byte
	for len(chars) > 0 {
		dec := nineEncoding[len(out)%len(nineEncoding)]
		if len(chars) < len(dec) {
			return "", false
		}
		num := 0
		for j := range dec {
			c := chars[j]
			gap := (nineIndex[c]-nineIndex[prev]+len(nineAlpha))%len(nineAlpha) - 1
			num += gap * dec[j]
			prev = c
		}
		chars = chars[len(dec):]
		out = append(out, byte(num%256))
	}
	return string(out), true
}
