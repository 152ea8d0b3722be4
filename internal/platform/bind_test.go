package platform_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// optDialect declares options; plainDialect declares none. Neither is registered.
type plainDialect struct{ platform.Platform }

func (plainDialect) Name() string { return "test-plain" }

type optDialect struct {
	plainDialect
	bound map[string]string
}

func (*optDialect) Name() string { return "test-opts" }

func (*optDialect) Options() []platform.Option {
	return []platform.Option{
		{Name: "mode", Allowed: []string{"private", "exclusive"}, Default: "private"},
		{Name: "minutes", Check: func(v string) error {
			if v != "1" && v != "5" {
				return errors.New("must be 1 or 5")
			}
			return nil
		}},
		{Name: "secret", Sensitive: true, Allowed: []string{"only-this"}},
	}
}

func (o *optDialect) Bind(_ vpn.Facts, options map[string]string) (platform.Platform, error) {
	return &optDialect{bound: options}, nil
}

func TestCheckOptions(t *testing.T) {
	p := &optDialect{}
	got, err := platform.CheckOptions(p, "site-a", map[string]string{"minutes": "5"})
	if err != nil || got["mode"] != "private" || got["minutes"] != "5" || len(got) != 2 {
		t.Fatalf("CheckOptions = %v, %v; want the default mode filled in", got, err)
	}
	cases := []struct {
		given map[string]string
		want  []string
		not   string
	}{
		{map[string]string{"flavour": "x"}, []string{`device "site-a"`, `option "flavour" is unknown`, `platform test-opts takes "minutes", "mode", "secret"`}, ""},
		{map[string]string{"mode": "shared"}, []string{`device "site-a"`, `option "mode": "shared" is not allowed; use one of "private", "exclusive"`}, ""},
		{map[string]string{"minutes": "3"}, []string{`option "minutes": must be 1 or 5`}, ""},
		{map[string]string{"secret": "hunter2"}, []string{`option "secret": the value given is not allowed`}, "hunter2"},
	}
	for _, c := range cases {
		_, err := platform.CheckOptions(p, "site-a", c.given)
		if err == nil {
			t.Fatalf("CheckOptions(%v) succeeded", c.given)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("CheckOptions(%v) = %v; want %q in it", c.given, err, w)
			}
		}
		if c.not != "" && strings.Contains(err.Error(), c.not) {
			t.Errorf("CheckOptions(%v) quotes a sensitive value: %v", c.given, err)
		}
	}
	if _, err := platform.CheckOptions(plainDialect{}, "edge", map[string]string{"x": "y"}); err == nil || !strings.Contains(err.Error(), "platform test-plain takes no options") {
		t.Fatalf("an option for a platform without options: %v", err)
	}
	if got, err := platform.CheckOptions(plainDialect{}, "edge", nil); err != nil || len(got) != 0 {
		t.Fatalf("no options: %v, %v", got, err)
	}
}

func TestBind(t *testing.T) {
	plain := plainDialect{}
	if p, err := platform.Bind(plain, vpn.Facts{}, nil); err != nil || p != platform.Platform(plain) {
		t.Fatalf("a platform without Binder is used as it is: %v, %v", p, err)
	}
	p, err := platform.Bind(&optDialect{}, vpn.Facts{}, map[string]string{"mode": "exclusive"})
	if err != nil || p.(*optDialect).bound["mode"] != "exclusive" {
		t.Fatalf("Bind = %v, %v", p, err)
	}
	if vals := platform.SensitiveOptionValues(&optDialect{}, map[string]string{"secret": "s", "mode": "private"}); len(vals) != 1 || vals[0] != "s" {
		t.Fatalf("SensitiveOptionValues = %v", vals)
	}
}

func TestSecretFormOf(t *testing.T) {
	if f := platform.SecretFormOf(plainDialect{}, vpn.KindIKEGateway, "pre_shared_key"); f != platform.SecretPlaintext || f.String() != "plaintext" {
		t.Fatalf("a platform without SecretReader prints secrets in plaintext, got %v", f)
	}
}
