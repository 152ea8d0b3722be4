package provider

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/device"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/sshcli"
)

// devicePool holds the process's devices; see device.Pool.
var devicePool device.Pool

// poolKey identifies a device by everything that affects how it is reached, secrets hashed,
// so that a changed password or host key gives a new session.
func poolKey(name, platformName string, c sshcli.Config) string {
	b, _ := json.Marshal(struct {
		Name, Platform string
		C              sshcli.Config
	}{name, platformName, c})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
