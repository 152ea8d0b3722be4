package junos

import "testing"

// Encodings made by other public implementations of the algorithm (netconan's tests) decode
// to their plain text here: the alphabet and the radix patterns agree.
func TestDecode9KnownVectors(t *testing.T) {
	for enc, plain := range map[string]string{
		"$9$nnet/9pOBEyrv":               "abc",
		"$9$nnet/p01RhrKM":               "123",
		"$9$nnet9pBcSe8xdApK8xdg4aZUi.5": "netconan",
		"$9$aaZGiq.5F39":                 "abc",
		"$9$aaZikmfT3/C":                 "123",
		"$9$aaGi.Qz6t0IDi/t0IrlKM8xds":   "netconan",
	} {
		if got, ok := decode9(enc); !ok || got != plain {
			t.Errorf("decode9(%q) = %q, %v; want %q", enc, got, ok, plain)
		}
	}
}
