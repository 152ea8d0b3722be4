package platform_test

import (
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

type envDialect struct{ plainDialect }

func (*envDialect) Name() string { return "test-env" }

func (d *envDialect) Bind(vpn.Facts, map[string]string) (platform.Platform, error) { return d, nil }

func (*envDialect) Options() []platform.Option {
	return []platform.Option{
		{Name: "password", Sensitive: true, Env: "ONPREMVPN_TEST_ENV_PASSWORD"},
		{Name: "mode", Default: "a", Env: "ONPREMVPN_TEST_ENV_MODE"},
	}
}

// TestCheckOptionsEnv: an option left out of the device block is taken from its environment
// variable, before its default; a value given in the block wins; an empty variable is unset.
func TestCheckOptionsEnv(t *testing.T) {
	p := &envDialect{}
	t.Setenv("ONPREMVPN_TEST_ENV_PASSWORD", "from-env")
	t.Setenv("ONPREMVPN_TEST_ENV_MODE", "")
	got, err := platform.CheckOptions(p, "r1", nil)
	if err != nil || got["password"] != "from-env" || got["mode"] != "a" {
		t.Fatalf("%v %v", got, err)
	}
	got, err = platform.CheckOptions(p, "r1", map[string]string{"password": "given"})
	if err != nil || got["password"] != "given" {
		t.Fatalf("%v %v", got, err)
	}
	t.Setenv("ONPREMVPN_TEST_ENV_MODE", "b")
	if got, _ := platform.CheckOptions(p, "r1", nil); got["mode"] != "b" {
		t.Fatalf("%v", got)
	}
	if vals := platform.SensitiveOptionValues(p, map[string]string{"password": "from-env"}); len(vals) != 1 || vals[0] != "from-env" {
		t.Fatalf("the value from the environment is masked like any other: %v", vals)
	}
}
