package screenos

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
)

// Preshared keys and BGP MD5 passwords are stored as typed and printed in an encoded form
// that looks one-way to a reader [INFERRED from the reference: "stored obfuscated ... not the
// plaintext"]: base64 of a 6-byte nonce derived from the value, the value enciphered with a
// key derived from the device's serial number, and a 4-byte tag. The same value prints the
// same on one device (and on another device with the same serial, so a listing pasted back
// reads the same), a different value prints differently. A value typed in this device's
// encoded form (it decodes with a valid tag) is taken as the encoded form of its plaintext,
// so `get config` output pasted back configures the same key.

func (e *engine) secretKey() []byte {
	h := sha256.Sum256([]byte("screenos-secret/" + e.serial))
	return h[:]
}

func keystream(key, nonce []byte, n int) []byte {
	out := make([]byte, 0, n+32)
	var ctr [4]byte
	for i := uint32(0); len(out) < n; i++ {
		binary.BigEndian.PutUint32(ctr[:], i)
		m := hmac.New(sha256.New, key)
		m.Write(nonce)
		m.Write(ctr[:])
		out = m.Sum(out)
	}
	return out[:n]
}

func (e *engine) encodeSecret(plain string) string {
	key := e.secretKey()
	m := hmac.New(sha256.New, key)
	m.Write([]byte("nonce/" + plain))
	nonce := m.Sum(nil)[:6]
	ks := keystream(key, nonce, len(plain))
	ct := make([]byte, len(plain))
	for i := range ct {
		ct[i] = plain[i] ^ ks[i]
	}
	t := hmac.New(sha256.New, key)
	t.Write(nonce)
	t.Write(ct)
	buf := append(append(append([]byte(nil), nonce...), ct...), t.Sum(nil)[:4]...)
	return base64.StdEncoding.EncodeToString(buf)
}

// decodeSecret returns the plaintext of a value in this device's encoded form.
func (e *engine) decodeSecret(s string) (string, bool) {
	buf, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(buf) < 11 {
		return "", false
	}
	key := e.secretKey()
	nonce, ct, tag := buf[:6], buf[6:len(buf)-4], buf[len(buf)-4:]
	t := hmac.New(sha256.New, key)
	t.Write(nonce)
	t.Write(ct)
	if !hmac.Equal(t.Sum(nil)[:4], tag) {
		return "", false
	}
	ks := keystream(key, nonce, len(ct))
	p := make([]byte, len(ct))
	for i := range p {
		p[i] = ct[i] ^ ks[i]
	}
	return string(p), true
}
