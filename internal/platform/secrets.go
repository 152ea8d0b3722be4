package platform

import (
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// SecretForm is how a device prints a secret (a pre-shared key, a BGP password) back in its
// configuration, which decides how the provider notices that it changed on the device.
type SecretForm int

const (
	// SecretPlaintext: the device prints the secret as it was written (EdgeOS, Yamaha RTX).
	// State holds it and a change on the device shows as a diff. The zero value.
	SecretPlaintext SecretForm = iota
	// SecretReversible: the device prints an encoding that can be decoded back to the
	// secret (Junos `$9$...`). The device layer decodes it with SecretReader.DecodeSecret
	// right after Parse, so that everything above it sees the plaintext.
	SecretReversible
	// SecretOneWay: the device prints a form the secret cannot be recovered from (ScreenOS).
	// The provider keeps the form the device printed right after its own write, and reports
	// drift when the device's form is no longer that one.
	SecretOneWay
)

func (f SecretForm) String() string {
	switch f {
	case SecretPlaintext:
		return "plaintext"
	case SecretReversible:
		return "reversible"
	case SecretOneWay:
		return "one-way"
	}
	return "unknown"
}

// SecretReader is implemented by platforms whose devices do not print every secret in
// plaintext. A platform that does not implement it prints all secrets in plaintext.
type SecretReader interface {
	// SecretForm returns how the device prints the secret held in field (the model's
	// attribute name, e.g. "pre_shared_key") of objects of kind.
	SecretForm(kind vpn.Kind, field string) SecretForm
	// DecodeSecret returns the plaintext of a secret of the SecretReversible form as the
	// device printed it. An error never quotes the value.
	DecodeSecret(kind vpn.Kind, field, printed string) (string, error)
}

// SecretFormOf returns how p's devices print the secret in field of kind.
func SecretFormOf(p Platform, kind vpn.Kind, field string) SecretForm {
	if sr, ok := p.(SecretReader); ok {
		return sr.SecretForm(kind, field)
	}
	return SecretPlaintext
}
