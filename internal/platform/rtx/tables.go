package rtx

import (
	"sort"
	"strconv"
	"strings"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// Model algorithm names and their RTX keywords (ch15: ipsec ike encryption / hash / group,
// ipsec sa policy).
var (
	ikeEncryption = map[string]string{"aes128": "aes-cbc", "aes256": "aes256-cbc", "3des": "3des-cbc", "des": "des-cbc"}
	ikeHash       = map[string]string{"md5": "md5", "sha1": "sha", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
	dhGroups      = map[int]string{1: "modp768", 2: "modp1024", 5: "modp1536", 14: "modp2048"}
	espEncryption = ikeEncryption
	espHash       = map[string]string{"md5": "md5-hmac", "sha1": "sha-hmac", "sha256": "sha256-hmac", "sha384": "sha384-hmac", "sha512": "sha512-hmac"}
)

// Device defaults: a setting at its default is not listed by `show config`, so it is not
// rendered either (an explicit default would never read back and would be typed again).
const (
	defaultIKEVersion = 1
	defaultDuration   = 28800 // ipsec ike duration isakmp-sa / ike-sa / ipsec-sa
	defaultESP        = "aes128"
)

// defaultProposal is the IKE proposal of a gateway without encryption, hash or group lines
// (ch15: 3des-cbc, sha, modp1024).
var defaultProposal = vpn.IKEProposal{Encryption: "3des", Integrity: "sha1", DHGroup: 2}

// Names of gateways and prefix lists live in system descriptions (`description ID TEXT`, ch4
// 4.56) at fixed ids: gateway N at gatewayDescriptionBase+N, prefix list N at
// prefixListDescriptionBase+N, inside the range 1..21474836 of description ids and far above
// the small ids people number their own descriptions with.
const (
	gatewayDescriptionBase    = 21474000
	prefixListDescriptionBase = 21474100
	maxPrefixListNumber       = 700
	maxDescription            = 64 // ASCII characters of a description (ch4 4.56)
)

// reverse returns value -> key of m.
func reverse[K comparable](m map[K]string) map[string]K {
	out := map[string]K{}
	for k, v := range m {
		out[v] = k
	}
	return out
}

var (
	ikeEncryptionOf = reverse(ikeEncryption)
	ikeHashOf       = reverse(ikeHash)
	dhGroupOf       = reverse(dhGroups)
	espEncryptionOf = reverse(espEncryption)
	espHashOf       = reverse(espHash)
)

func keys[V any](m map[string]V) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func groupNames() string {
	var ns []int
	for g := range dhGroups {
		ns = append(ns, g)
	}
	sort.Ints(ns)
	var out []string
	for _, g := range ns {
		out = append(out, strconv.Itoa(g))
	}
	return strings.Join(out, ", ")
}

// modelLimits are the numbers a model takes (ch15: security gateway ids; ch14: tunnels; ch29:
// BGP neighbors).
type modelLimits struct {
	gateways int // security gateway ids and tunnel interfaces 1..gateways
	// rollback: firmware revision from which `rollback timer` / `confirm` exist (ch56
	// 56.7.30); "" = never, "*" = every revision of the model.
	rollback string
}

var models = map[string]modelLimits{
	"RTX810":  {gateways: 6},
	"RTX830":  {gateways: 20, rollback: "15.02.03"},
	"RTX840":  {gateways: 20, rollback: "*"},
	"RTX1200": {gateways: 100},
	"RTX1210": {gateways: 100, rollback: "14.01.26"},
	"RTX1220": {gateways: 100, rollback: "*"},
	"RTX1300": {gateways: 100, rollback: "*"},
}

// unknownModel is used before the device is reached and for models not in the table: the
// widest range, the device being the judge.
var unknownModel = modelLimits{gateways: 100}

const (
	maxBGPNeighbors = 32
	// Source-route filters are allocated from here: the top of the model's rule range
	// (1..9999), clear of the low numbers people give security filters. A number an
	// unmanaged ip filter already has is refused at render.
	filterAllocMin = 9000
	filterAllocMax = 9999
	maxFilter      = 21474836
)

// revAtLeast compares dotted revisions ("14.01.42" >= "14.01.26").
func revAtLeast(rev, min string) bool {
	a, b := strings.Split(rev, "."), strings.Split(min, ".")
	for i := 0; i < len(a) && i < len(b); i++ {
		x, err1 := strconv.Atoi(a[i])
		y, err2 := strconv.Atoi(b[i])
		if err1 != nil || err2 != nil {
			return false
		}
		if x != y {
			return x > y
		}
	}
	return len(a) >= len(b)
}
