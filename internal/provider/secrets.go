package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// A secret (pre-shared key, BGP password) is given either as a sensitive attribute or as a
// write-only attribute with a version, and the device prints it back in one of three forms
// (platform.SecretForm). What state and private state keep, and how drift is noticed:
//
//   - plaintext and reversible (the device layer has decoded it): the object read holds the
//     key itself. With the sensitive attribute, state holds what the device has, so a key
//     changed on the device shows as a diff. Write-only: private state keeps a salted hash
//     of the key read back right after the write; when the device's key no longer matches
//     it, the version reads as -1 so that the plan shows an update that writes the
//     configured key again.
//   - one-way: the object read holds only the device's form of the key. Private state keeps
//     a salted hash of that form, captured right after the write, for both ways of giving
//     the key. With the sensitive attribute, state keeps the key the user wrote while the
//     device's form is unchanged; once it changes (or the device shows no key), state holds
//     the device's form, which the plan shows as a change of the sensitive value. Write-only:
//     as above, the version reads as -1. After an import nothing was captured yet, so the
//     first plan writes the configured key once.

// secretFormOf returns how plat's devices print sm's secret.
func secretFormOf(plat platform.Platform, kind vpn.Kind, sm secretModel) platform.SecretForm {
	return platform.SecretFormOf(plat, kind, secretField(sm))
}

// secretField is the model's name of sm's secret: its write-only attribute without "_wo"
// (pre_shared_key, password).
func secretField(sm secretModel) string {
	wo, _ := sm.secretPaths()
	return strings.TrimSuffix(wo.String(), "_wo")
}

// secretAfterWrite sets the secret in m (through sm) and private state after a create or an
// update, from got, the object read back right after the write.
func secretAfterWrite(ctx context.Context, form platform.SecretForm, sm secretModel, got vpn.Object, priv privateState) diag.Diagnostics {
	plain, version := sm.secretFields()
	printed := sm.getSecret(got)
	switch {
	case !version.IsNull():
		return priv.SetKey(ctx, secretPrivateKey, newSecretCheck(printed))
	case plain.IsNull():
		return nil
	case form == platform.SecretOneWay:
		// State keeps the planned key; what the device printed for it is remembered.
		return priv.SetKey(ctx, secretPrivateKey, newSecretCheck(printed))
	}
	*plain = types.StringValue(printed)
	return nil
}

// privateGetter is the part of the read request's private state the secrets use.
type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// secretOnRead sets the secret in m (through sm, which holds the prior state) from got, the
// object as the device has it now.
func secretOnRead(ctx context.Context, form platform.SecretForm, sm secretModel, got vpn.Object, priv privateGetter) diag.Diagnostics {
	plain, version := sm.secretFields()
	printed := sm.getSecret(got)
	want, diags := priv.GetKey(ctx, secretPrivateKey)
	if !version.IsNull() {
		// Write-only.
		if want != nil && (!secretMatches(want, printed) || form == platform.SecretOneWay && printed == "") {
			*version = types.Int64Value(-1)
		}
		return diags
	}
	if form == platform.SecretOneWay && !plain.IsNull() && want != nil && printed != "" && secretMatches(want, printed) {
		// The device still prints what it printed after the write: state keeps the key.
		return diags
	}
	// Managed through the sensitive attribute (or just imported): state holds what the
	// device has, so a key changed on the device shows as a diff.
	if printed != "" {
		*plain = types.StringValue(printed)
	} else {
		*plain = types.StringNull()
	}
	return diags
}

// withoutOneWaySecret returns o without its secret when the platform prints that secret
// one-way (what the device prints is not the key, so only the rest can be compared), else o.
func withoutOneWaySecret(plat platform.Platform, kind vpn.Kind, m objectModel, o vpn.Object) vpn.Object {
	sm, ok := m.(secretModel)
	if !ok || secretFormOf(plat, kind, sm) != platform.SecretOneWay {
		return o
	}
	o = vpn.CloneObject(o)
	sm.setSecret(o, "")
	return o
}
