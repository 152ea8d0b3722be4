package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

// checkValidator adapts one of the vpn.Check* functions to a string validator, so that the
// schema rejects a malformed value at validate time with the same message the model gives.
type checkValidator struct {
	desc  string
	check func(string) string
}

func (v checkValidator) Description(context.Context) string         { return v.desc }
func (v checkValidator) MarkdownDescription(context.Context) string { return v.desc }

func (v checkValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := v.check(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(shownPath(req.Path), "Invalid value", fieldName(req.Path)+": "+msg)
	}
}

// fieldName writes an attribute path as vpn.FieldError fields are written: rules["20"].prefix,
// proposals[1].encryption, networks["10.0.0.0/8"].
func fieldName(p path.Path) string {
	var b strings.Builder
	for _, st := range p.Steps() {
		switch s := st.(type) {
		case path.PathStepAttributeName:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(string(s))
		case path.PathStepElementKeyInt:
			fmt.Fprintf(&b, "[%d]", int64(s))
		case path.PathStepElementKeyString:
			fmt.Fprintf(&b, "[%q]", string(s))
		case path.PathStepElementKeyValue:
			if v, ok := s.Value.(types.String); ok {
				fmt.Fprintf(&b, "[%q]", v.ValueString())
			} else {
				fmt.Fprintf(&b, "[%s]", s.Value)
			}
		}
	}
	return b.String()
}

func isCIDR() validator.String {
	return checkValidator{"an IPv4 prefix such as 10.0.0.0/16", vpn.CheckCIDR}
}
func isHostCIDR() validator.String {
	return checkValidator{"an IPv4 address with prefix length", vpn.CheckHostCIDR}
}
func isIPv4() validator.String { return checkValidator{"an IPv4 address", vpn.CheckIPv4} }
func isPeer() validator.String {
	return checkValidator{"an IPv4 address or domain name", vpn.CheckPeerAddress}
}
func isName() validator.String {
	return checkValidator{"a name of letters, digits, '_', '.', '-'", vpn.CheckName}
}
func isInterface() validator.String { return checkValidator{"an interface name", vpn.CheckInterface} }
func isSecret() validator.String {
	return checkValidator{"a secret of printable ASCII without spaces or quotes", vpn.CheckSecret}
}
func isText() validator.String {
	return checkValidator{"text without quotes, backslashes or control characters", func(s string) string {
		return vpn.CheckText(s, vpn.MaxDescriptionLength)
	}}
}
func nonEmpty() validator.String { return stringvalidator.LengthAtLeast(1) }
