package provider

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func i64(n int64) *int64 { return &n }

func okInput() azurePolicyInput {
	return azurePolicyInput{IKEEncryption: "aes256", IKEIntegrity: "sha256", DHGroup: 14, ESPEncryption: "aes256", ESPIntegrity: "sha256"}
}

func TestAzurePolicyMapping(t *testing.T) {
	cases := []struct {
		name string
		edit func(*azurePolicyInput)
		want azurePolicy
	}{
		{"defaults", func(*azurePolicyInput) {},
			azurePolicy{"AES256", "SHA256", "DHGroup14", "AES256", "SHA256", "None", 3600, 102400000, "IKEv2"}},
		{"gcm both phases, ecp, pfs, lifetimes, ikev1", func(in *azurePolicyInput) {
			in.IKEEncryption, in.IKEIntegrity, in.DHGroup = "aes256gcm", "sha384", 20
			in.ESPEncryption, in.ESPIntegrity, in.PFSGroup = "aes128gcm", "sha1", 19
			in.IKELifetime, in.ESPLifetime, in.SADatasize, in.IKEVersion = i64(28800), i64(27000), i64(1024), i64(1)
		}, azurePolicy{"GCMAES256", "SHA384", "ECP384", "GCMAES128", "GCMAES128", "ECP256", 27000, 1024, "IKEv1"}},
		{"legacy", func(in *azurePolicyInput) {
			in.IKEEncryption, in.IKEIntegrity, in.DHGroup = "3des", "md5", 2
			in.ESPEncryption, in.ESPIntegrity, in.PFSGroup = "des", "sha1", 24
		}, azurePolicy{"DES3", "MD5", "DHGroup2", "DES", "SHA1", "PFS24", 3600, 102400000, "IKEv2"}},
		{"group 14 pfs and group 1", func(in *azurePolicyInput) { in.DHGroup, in.PFSGroup = 1, 14 },
			azurePolicy{"AES256", "SHA256", "DHGroup1", "AES256", "SHA256", "PFS2048", 3600, 102400000, "IKEv2"}},
	}
	for _, c := range cases {
		in := okInput()
		c.edit(&in)
		got, errs := mapAzurePolicy(in)
		if len(errs) > 0 {
			t.Errorf("%s: unexpected errors %v", c.name, errs)
		}
		if got != c.want {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
}

// Every value the provider's own resources accept maps to a value azurerm's schema accepts, or
// fails with an error naming the attribute.
func TestAzurePolicyEveryDeviceValue(t *testing.T) {
	azIKEEnc := set("DES", "DES3", "AES128", "AES192", "AES256", "GCMAES128", "GCMAES256")
	azIKEInt := set("GCMAES128", "GCMAES256", "MD5", "SHA1", "SHA256", "SHA384")
	azDH := set("DHGroup1", "DHGroup14", "DHGroup2", "DHGroup2048", "DHGroup24", "ECP256", "ECP384", "None")
	azESPEnc := set("AES128", "AES192", "AES256", "DES", "DES3", "GCMAES128", "GCMAES192", "GCMAES256", "None")
	azESPInt := set("GCMAES128", "GCMAES192", "GCMAES256", "MD5", "SHA1", "SHA256")
	azPFS := set("ECP256", "ECP384", "PFS1", "PFS14", "PFS2", "PFS2048", "PFS24", "PFSMM", "None")
	for _, enc := range vpn.Encryptions {
		for _, integ := range vpn.Integrities {
			for _, dh := range append([]int{0}, vpn.DHGroups...) {
				in := azurePolicyInput{IKEEncryption: enc, IKEIntegrity: integ, DHGroup: int64(dh), ESPEncryption: enc, ESPIntegrity: integ, PFSGroup: int64(dh)}
				got, errs := mapAzurePolicy(in)
				failed := map[string]bool{}
				for _, e := range errs {
					failed[e.Path.String()] = true
					if !strings.Contains(e.Message, "Azure") {
						t.Errorf("%+v: error does not cite Azure: %s", in, e.Message)
					}
				}
				check := func(attr, v string, allowed map[string]bool) {
					if failed[attr] {
						return
					}
					if !allowed[v] {
						t.Errorf("%+v: %s = %q is not in azurerm's allowed values and no error names %s", in, attr, v, attr)
					}
				}
				check("gateway.proposals[0].encryption", got.IKEEncryption, azIKEEnc)
				check("gateway.proposals[0].integrity", got.IKEIntegrity, azIKEInt)
				check("tunnel.proposals[0].encryption", got.IPsecEncryption, azESPEnc)
				check("tunnel.proposals[0].integrity", got.IPsecIntegrity, azESPInt)
				check("tunnel.pfs_group", got.PFSGroup, azPFS)
				if !failed["gateway.proposals[0].dh_group"] {
					check("gateway.proposals[0].dh_group", got.DHGroup, azDH)
				}
				if strings.HasPrefix(got.IPsecEncryption, "GCM") != strings.HasPrefix(got.IPsecIntegrity, "GCM") && !failed["tunnel.proposals[0].integrity"] {
					t.Errorf("%+v: GCM encryption %s with integrity %s", in, got.IPsecEncryption, got.IPsecIntegrity)
				}
			}
		}
	}
}

func set(vs ...string) map[string]bool {
	m := map[string]bool{}
	for _, v := range vs {
		m[v] = true
	}
	return m
}

func TestAzurePolicyErrors(t *testing.T) {
	cases := []struct {
		name string
		edit func(*azurePolicyInput)
		path string
		want string
	}{
		{"sha512 ike", func(in *azurePolicyInput) { in.IKEIntegrity = "sha512" }, "gateway.proposals[0].integrity", `"sha512"`},
		{"sha384 esp", func(in *azurePolicyInput) { in.ESPIntegrity = "sha384" }, "tunnel.proposals[0].integrity", "md5, sha1, sha256"},
		{"dh 5", func(in *azurePolicyInput) { in.DHGroup = 5 }, "gateway.proposals[0].dh_group", "DH group 5"},
		{"dh 0", func(in *azurePolicyInput) { in.DHGroup = 0 }, "gateway.proposals[0].dh_group", "1, 2, 14, 19, 20, 24"},
		{"pfs 21", func(in *azurePolicyInput) { in.PFSGroup = 21 }, "tunnel.pfs_group", "PFS group 21"},
		{"ike lifetime", func(in *azurePolicyInput) { in.IKELifetime = i64(3600) }, "gateway.lifetime", "28800"},
		{"sa lifetime", func(in *azurePolicyInput) { in.ESPLifetime = i64(299) }, "tunnel.lifetime", "at least 300"},
		{"datasize", func(in *azurePolicyInput) { in.SADatasize = i64(1023) }, "tunnel.lifetime_kilobytes", "at least 1024"},
		{"ike version", func(in *azurePolicyInput) { in.IKEVersion = i64(3) }, "gateway.ike_version", "IKE version 3"},
		{"hostile encryption", func(in *azurePolicyInput) { in.IKEEncryption = "aes\"256\n% Invalid $x#?" }, "gateway.proposals[0].encryption", `"aes\"256\n% Invalid $x#?"`},
	}
	for _, c := range cases {
		in := okInput()
		c.edit(&in)
		_, errs := mapAzurePolicy(in)
		if len(errs) != 1 {
			t.Errorf("%s: want one error, got %v", c.name, errs)
			continue
		}
		if errs[0].Path.String() != c.path || !strings.Contains(errs[0].Message, c.want) {
			t.Errorf("%s: got %s: %s; want %s containing %q", c.name, errs[0].Path, errs[0].Message, c.path, c.want)
		}
	}
	// Errors are all reported at once.
	_, errs := mapAzurePolicy(azurePolicyInput{IKEEncryption: "x", IKEIntegrity: "sha512", DHGroup: 5, ESPEncryption: "y", ESPIntegrity: "sha512", PFSGroup: 5})
	if len(errs) != 6 {
		t.Errorf("want 6 errors, got %d: %v", len(errs), errs)
	}
}
