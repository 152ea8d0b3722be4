package rtx

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/vpn"
)

func sjis(t *testing.T, s string) string {
	t.Helper()
	b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCheckOutput: failures in English, in Japanese (UTF-8 and the Shift-JIS bytes of the
// default console), the administrator-only message and a wrong password are errors carrying
// the device's text; a configuration that contains error-like words is data; save must say
// it is done.
func TestCheckOutput(t *testing.T) {
	cases := []struct {
		name, cmd, out string
		fail           bool
		scope          platform.ErrorScope
	}{
		{"ok", "ip route 10.0.0.0/16 gateway tunnel 1", "ip route 10.0.0.0/16 gateway tunnel 1\r\n[RTX1210] # ", false, 0},
		{"en invalid", "ipsec ike foo 1", "ipsec ike foo 1\r\nError: Invalid command name\r\n# ", true, platform.ScopeUnknown},
		{"en range", "tunnel select 999", "Error: Parameter out of range\r\n", true, platform.ScopeUnknown},
		{"ja utf8", "ipsec ike foo 1", "ipsec ike foo 1\nエラー: コマンド名を確認してください\n# ", true, platform.ScopeUnknown},
		{"ja sjis", "ipsec ike foo 1", "ipsec ike foo 1\r\n" + sjis(t, "エラー: パラメータの数が不適当です") + "\r\n# ", true, platform.ScopeUnknown},
		{"admin only", "ip route default gateway tunnel 1", "Error: Administrator use only\r\n> ", true, platform.ScopeSession},
		{"admin only ja sjis", "ip route default gateway tunnel 1", sjis(t, "管理レベルでのみ使用できます") + "\r\n> ", true, platform.ScopeSession},
		{"wrong password", "administrator", "Password: \r\nIncorrect password\r\n> ", true, platform.ScopeSession},
		{"description echo holding error words", `description tunnel "x Error: y"`, "description tunnel \"x Error: y\"\r\n# ", false, 0},
		{"read with error words", "show config", "# RTX1210 Rev.14.01.42\ndescription 1 \"Error: not really\"\nip route default gateway 203.0.113.1\n# ", false, 0},
		{"read refused", "show config", "show config\r\nError: Administrator use only\r\n> ", true, platform.ScopeSession},
		{"save en", "save", "Saving ... CONFIG0 Done .\r\n# ", false, 0},
		{"save ja", "save", "セーブ中... CONFIG0 終了\r\n# ", false, 0},
		{"save silent", "save", "# ", true, platform.ScopeSession},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := p.CheckOutput(tc.cmd, tc.out)
			if (err != nil) != tc.fail {
				t.Fatalf("error %v, want failure %v", err, tc.fail)
			}
			var de *platform.DeviceError
			if err != nil {
				if !errors.As(err, &de) || de.Scope != tc.scope {
					t.Fatalf("error %#v, want scope %v", err, tc.scope)
				}
				if strings.Contains(tc.name, "ja") && !strings.Contains(de.Message, "エラー") && !strings.Contains(de.Message, "管理レベル") {
					t.Errorf("the Japanese message is kept, decoded: %q", de.Message)
				}
			}
		})
	}
}

// TestRedact masks every key and password of a listing and of echoed commands.
func TestRedact(t *testing.T) {
	in := "ipsec ike pre-shared-key 1 text s3cr3tPSK\n" +
		`  ipsec ike pre-shared-key 2 text "a#b c"` + "\n" +
		"ipsec ike pre-shared-key 3 0x0123456789abcdef\n" +
		"bgp neighbor pre-shared-key 1 text md5-S3cret\n" +
		"login password *\nadministrator password adm1n\nlogin user admin p4ss\n" +
		"ipsec ike remote address 1 198.51.100.1\n"
	out := p.Redact(in)
	for _, s := range []string{"s3cr3tPSK", "a#b", "0123456789abcdef", "md5-S3cret", "adm1n", "p4ss"} {
		if strings.Contains(out, s) {
			t.Errorf("%q not masked:\n%s", s, out)
		}
	}
	for _, s := range []string{"login password *", "198.51.100.1", "pre-shared-key 1 text " + Mask} {
		if !strings.Contains(out, s) {
			t.Errorf("%q missing:\n%s", s, out)
		}
	}
}

// TestParseFacts reads `show environment` in English and in Shift-JIS, and the prompt's name.
func TestParseFacts(t *testing.T) {
	out := "RTX1210 BootROM Ver. 1.04\r\nRTX1210 FlashROM Table Ver. 1.02\r\nRTX1210 Rev.14.01.42 (Fri Jul  5 11:17:45 2024)\r\n  main:  RTX1210 ver=00 serial=S4K000000\r\nCPU:   1%(5sec)\r\n[branch-rtx] # "
	f := p.ParseFacts(out)
	if f != (vpn.Facts{Platform: Name, Model: "RTX1210", Version: "Rev.14.01.42", Hostname: "branch-rtx"}) {
		t.Errorf("facts %+v", f)
	}
	f = p.ParseFacts(sjis(t, "RTX830 Rev.15.02.10 (Tue Oct  1 10:00:00 2024)\r\n起動時刻: 2025/10/01\r\n> "))
	if f.Model != "RTX830" || f.Version != "Rev.15.02.10" {
		t.Errorf("facts %+v", f)
	}
}

// TestBind: ranges by model, the rollback timer by firmware revision, the password in the
// administrator dialog only, hidden.
func TestBind(t *testing.T) {
	cases := []struct {
		model, rev string
		gateways   int
		rollback   bool
	}{
		{"RTX830", "Rev.15.02.03", 20, true},
		{"RTX830", "Rev.15.02.01", 20, false},
		{"RTX1210", "Rev.14.01.26", 100, true},
		{"RTX1210", "Rev.14.01.20", 100, false},
		{"RTX1220", "Rev.15.04.01", 100, true},
		{"RTX810", "Rev.11.01.34", 6, false},
		{"", "", 100, false},
	}
	for _, tc := range cases {
		b := mustBind(vpn.Facts{Model: tc.model, Version: tc.rev}, map[string]string{OptionAdministratorPassword: "pw"})
		r, _ := b.NumberRange(vpn.KindTunnel)
		g, _ := b.NumberRange(vpn.KindIKEGateway)
		if r.Max != tc.gateways || g.Max != tc.gateways {
			t.Errorf("%s: tunnels 1..%d, gateways 1..%d, want 1..%d", tc.model, r.Max, g.Max, tc.gateways)
		}
		tx := b.Session().Tx
		if (len(tx.SafetyNet) > 0) != tc.rollback || (len(tx.Confirm) > 0) != tc.rollback {
			t.Errorf("%s %s: safety net %v, confirm %v, want %v", tc.model, tc.rev, tx.SafetyNet, tx.Confirm, tc.rollback)
		}
		if tc.rollback && (tx.SafetyNet[0].Line != "rollback timer 600" || tx.Confirm[0].Line != "confirm") {
			t.Errorf("%v %v", tx.SafetyNet, tx.Confirm)
		}
	}
	s := p.Session()
	if s.Tx.Strategy != platform.Immediate || s.ExecUsable || s.EndMarker != nil {
		t.Errorf("session %+v", s)
	}
	adm := s.Login[0]
	if adm.Line != "administrator" || adm.Answer != "adm1n-Pw" || !adm.Hidden || !regexp.MustCompile(adm.Expect).MatchString("Password: ") {
		t.Errorf("administrator dialog %+v", adm)
	}
	for _, c := range s.Login[1:] {
		if strings.Contains(c.Line, "adm1n-Pw") || c.Hidden {
			t.Errorf("the password goes only to the administrator prompt: %+v", c)
		}
	}
	var lines []string
	for _, c := range s.Login {
		lines = append(lines, c.Line)
	}
	if got := strings.Join(lines[1:], ","); got != "console lines infinity,console columns 200,console character en.ascii" {
		t.Errorf("console settings %q", got)
	}
	if !regexp.MustCompile(Logout[0].Expect).MatchString("Save new configuration ? (Y/N)") || Logout[0].Answer != "N" ||
		!regexp.MustCompile(Logout[0].Expect).MatchString("新しい設定を保存しますか? (Y/N)") {
		t.Errorf("logout %+v", Logout[0])
	}
	opts := p.Options()
	if len(opts) != 4 || !opts[0].Sensitive || opts[0].Env != EnvAdministratorPassword || opts[1].Name != OptionAdvisoryLock || opts[2].Name != OptionRollbackTimer || opts[3].Name != OptionLockWait {
		t.Errorf("options %+v", opts)
	}
	if !platform.Supports(p, vpn.KindBGPNeighbor) || platform.Supports(p, vpn.KindSecurityPolicy) {
		t.Error("kinds")
	}
	if err := platform.CheckKind(p, "r1", vpn.KindSecurityPolicy); err == nil || !strings.Contains(err.Error(), "no security zones") {
		t.Errorf("security policy: %v", err)
	}
}

// TestPromptPattern matches the prompts and nothing a listing's last line could be.
func TestPromptPattern(t *testing.T) {
	re := regexp.MustCompile("(?m)" + PromptPattern)
	for _, s := range []string{"> ", "# ", "[RTX1210] # ", "[RTX1210] > ", "tunnel1# ", "[RTX1210] tunnel12# ", "x\r\n# "} {
		if !re.MatchString(s) {
			t.Errorf("%q is a prompt", s)
		}
	}
	for _, s := range []string{"description 1 \"x # \"", "ip filter 1 pass * * * * *", "console prompt \"[RTX] # \""} {
		if re.MatchString(s) {
			t.Errorf("%q is no prompt", s)
		}
	}
}

// TestNumbers: allocation ranges per kind, and AssignNumber picking the lowest free one.
func TestNumbers(t *testing.T) {
	b := mustBind(vpn.Facts{Model: "RTX830", Version: "Rev.15.02.10"}, nil)
	want := map[vpn.Kind]vpn.NumberRange{
		vpn.KindIKEGateway: {Min: 1, Max: 20}, vpn.KindTunnel: {Min: 1, Max: 20}, vpn.KindBGPNeighbor: {Min: 1, Max: 32},
		vpn.KindPrefixList: {Min: 1, Max: 700}, vpn.KindSourceRoute: {Min: 9000, Max: 9999},
	}
	for k, r := range want {
		if got, ok := b.NumberRange(k); !ok || got != r {
			t.Errorf("%s: %v, want %v", k, got, r)
		}
	}
	if _, ok := b.NumberRange(vpn.KindStaticRoute); ok {
		t.Error("static routes have no number")
	}
	cfg := parse(t, read(t, "seed002_vwan.txt"))
	g := &vpn.IKEGateway{Name: "new"}
	if ok, err := platform.AssignNumber(b, cfg, g); !ok || err != nil || g.Number != 3 {
		t.Errorf("assigned %d (%v, %v), want 3", g.Number, ok, err)
	}
	if es := b.Validate(&vpn.IKEGateway{Name: "x", Number: 21}); !hasField(es, "gateway_number", "between 1 and 20") {
		t.Errorf("gateway 21 on an RTX830: %v", es)
	}
	if es := b.Validate(&vpn.Tunnel{Name: "x", Number: 21}); !hasField(es, "tunnel_number", "between 1 and 20") {
		t.Errorf("tunnel 21 on an RTX830: %v", es)
	}
	if es := b.Validate(&vpn.BGPNeighbor{Number: 33}); !hasField(es, "neighbor_number", "between 1 and 32") {
		t.Errorf("neighbor 33: %v", es)
	}
}

func hasField(es vpn.Errors, field, msg string) bool {
	for _, e := range es {
		if e.Field == field && strings.Contains(e.Message, msg) {
			return true
		}
	}
	return false
}

// TestCoverage counts the reference sample's lines the model leaves alone: the login and
// administrator passwords, the login user, the console settings, the two LAN addresses, the
// two sshd lines, and the global `ipsec auto refresh on` that no gateway's connection_type
// asks for (its gateway sets no `ipsec auto refresh 1`).
func TestCoverage(t *testing.T) {
	text := read(t, "reference_show_config.txt")
	n, ok := platform.Unmodelled(p, text, parse(t, text))
	if !ok || n != 10 {
		t.Errorf("unmodelled %d, want 10", n)
	}
}
