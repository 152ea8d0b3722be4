package rtx

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"
)

func sjis(t testing.TB, s string) string {
	t.Helper()
	out, err := japanese.ShiftJIS.NewDecoder().String(s)
	if err != nil {
		t.Fatalf("not Shift-JIS: %q", s)
	}
	return out
}

// TestErrorTexts checks each refusal's message in English (en.ascii), in Japanese Shift-JIS
// (the default) and in Japanese UTF-8 (ja.utf8).
func TestErrorTexts(t *testing.T) {
	cases := []struct {
		admin  bool
		before []string
		line   string
		en, ja string
	}{
		{true, nil, "frobnicate the router", "Error: Invalid command name", "エラー: コマンド名を確認してください"},
		{true, nil, "ipsec ike versoin 1 2", "Error: Invalid command name", "エラー: コマンド名を確認してください"},
		{true, nil, "ipsec ike version 1", "Error: Insufficient or too many parameters", "エラー: パラメータの数が不適当です"},
		{true, nil, "ipsec ike version", "Error: Insufficient or too many parameters", "エラー: パラメータの数が不適当です"},
		{true, nil, "ipsec ike", "Error: Invalid command name", "エラー: コマンド名を確認してください"},
		{true, nil, "no ipsec", "Error: Invalid command name", "エラー: コマンド名を確認してください"},
		{true, nil, "ip lan1 adress 192.168.0.1/24", "Error: Invalid command name", "エラー: コマンド名を確認してください"},
		{true, nil, "ip route 10.0.0.0/16 gatewy tunnel 1", "Error: Illegal keyword", "エラー: パラメータのキーワードが認識できません"},
		{true, nil, "ipsec ike version 1 2 3", "Error: Insufficient or too many parameters", "エラー: パラメータの数が不適当です"},
		{true, nil, "ipsec ike encryption 1 blowfish-cbc", "Error: Illegal keyword", "エラー: パラメータのキーワードが認識できません"},
		{true, nil, "ipsec sa policy 101 1 esp aes-cbc sha-hmac anti-replay-check=maybe", "Error: Illegal keyword", "エラー: パラメータのキーワードが認識できません"},
		{true, nil, "ipsec ike version one 2", "Error: Parameter must be an integer", "エラー: パラメータは整数で指定してください"},
		{true, nil, "ipsec ike version 101 2", "Error: Parameter out of range", "エラー: パラメータが範囲を越えています"},
		{true, nil, "bgp neighbor 33 65515 169.254.21.2", "Error: Parameter out of range", "エラー: パラメータが範囲を越えています"},
		{true, nil, "ipsec ike local address 1 192.0.2.300", "Error: Unrecognized IP address parameter", "エラー: IPアドレスが認識できません"},
		{true, []string{"tunnel select 1"}, "ip tunnel address 169.254.21.1", "Error: Unrecognized IP address parameter", "エラー: IPアドレスが認識できません"},
		{false, nil, "ipsec ike version 1 2", "Error: Administrator use only", "管理レベルでのみ使用できます"},
		{false, nil, "save", "Error: Administrator use only", "管理レベルでのみ使用できます"},
		{false, nil, "no such thing", "Error: Invalid command name", "エラー: コマンド名を確認してください"},
		{true, nil, "ip pp mtu 1454", "Error: Execute pp select command beforehand", "エラー: 先に pp select コマンドを実行してください"},
	}
	for _, c := range cases {
		for _, cs := range []string{"en.ascii", "ja.sjis", "ja.utf8"} {
			srv := newServer(t, "", nil)
			tm := open(t, srv)
			if cs != "ja.sjis" {
				tm.ok("console character " + cs) // the default is ja.sjis
			}
			if c.admin {
				tm.ok("administrator")
				tm.ok(testAdmin)
			}
			for _, b := range c.before {
				tm.ok(b)
			}
			before := srv.RunningConfig()
			got := tm.do(c.line)
			want := c.en
			switch cs {
			case "ja.sjis":
				got, want = sjis(t, got), c.ja
			case "ja.utf8":
				want = c.ja
			}
			if got != want+"\n" {
				t.Errorf("%s: %q printed %q, want %q", cs, c.line, got, want)
			}
			if !tm.s.LastFailed() {
				t.Errorf("%s: %q not reported as failed", cs, c.line)
			}
			if after := srv.RunningConfig(); after != before {
				t.Errorf("%s: refused %q changed the configuration:\n%s", cs, c.line, after)
			}
		}
	}
}

// TestAdministratorLogin: `administrator` asks a hidden Password:, a wrong one prints
// Incorrect password (in the session's language) and stays in user mode.
func TestAdministratorLogin(t *testing.T) {
	srv := newServer(t, "", nil)
	tm := open(t, srv)
	if p := tm.s.Prompt(); p != "> " {
		t.Fatalf("user prompt %q", p)
	}
	tm.ok("administrator")
	if q, hidden, ok := tm.s.Question(); !ok || !hidden || q != "Password: " {
		t.Fatalf("question %q hidden=%v ok=%v", q, hidden, ok)
	}
	if got := sjis(t, tm.do("wrong")); got != "パスワードが間違っています\n" {
		t.Fatalf("wrong password printed %q", got)
	}
	if tm.s.Prompt() != "> " {
		t.Fatal("wrong password gave administrator mode")
	}
	tm.ok("console character en.ascii")
	tm.ok("administrator")
	tm.want(testAdmin+"x", "Incorrect password\n")
	tm.ok("administrator")
	tm.ok(testAdmin)
	if p := tm.s.Prompt(); p != "# " {
		t.Fatalf("administrator prompt %q", p)
	}
	// the administrator password is a configuration line, printed masked
	if !strings.Contains(srv.RunningConfig(), "\nadministrator password *\n") {
		t.Fatalf("no masked administrator password:\n%s", srv.RunningConfig())
	}
	// without an administrator password an empty answer is right
	srv2, err := newServerNoAdmin(t)
	if err != nil {
		t.Fatal(err)
	}
	tm2 := open(t, srv2)
	tm2.ok("administrator")
	tm2.ok("")
	if tm2.s.Prompt() != "# " {
		t.Fatal("empty administrator password refused")
	}
}

// TestTunnelPrompt: tunnel select N gives tunnelN#, with the console prompt prefix; none
// and no tunnel select return to #.
func TestTunnelPrompt(t *testing.T) {
	srv := newServer(t, "", nil)
	tm := open(t, srv).admin()
	tm.ok("tunnel select 1")
	if p := tm.s.Prompt(); p != "tunnel1# " {
		t.Fatalf("prompt %q", p)
	}
	tm.ok("tunnel select none")
	if p := tm.s.Prompt(); p != "# " {
		t.Fatalf("prompt %q", p)
	}
	tm.ok(`console prompt "[RTX1210] "`)
	tm.ok("tunnel select 12")
	if p := tm.s.Prompt(); p != "[RTX1210] tunnel12# " {
		t.Fatalf("prompt %q", p)
	}
	tm.ok("no tunnel select")
	if p := tm.s.Prompt(); p != "[RTX1210] # " {
		t.Fatalf("prompt %q", p)
	}
	tm.ok("pp select 1")
	if p := tm.s.Prompt(); p != "[RTX1210] pp1# " {
		t.Fatalf("prompt %q", p)
	}
	tm.ok("pp select none")
	tm.want("tunnel select 101", "Error: Parameter out of range\n")
	tm.want("tunnel select 1 2", "Error: Insufficient or too many parameters\n")
	if !strings.Contains(srv.RunningConfig(), "\nconsole prompt \"[RTX1210] \"\n") {
		t.Fatalf("console prompt not printed quoted:\n%s", srv.RunningConfig())
	}
}

// TestNoFormsAndOverwrite: a command set again replaces its line, `no` removes it whatever
// follows the identity, and is silent when nothing is set; `tunnel enable N` typed at the
// top level lands in tunnel N.
func TestNoFormsAndOverwrite(t *testing.T) {
	srv := newServer(t, "", nil)
	tm := open(t, srv).admin()
	tm.ok("ipsec ike encryption 1 aes-cbc")
	tm.ok("ipsec ike encryption 1 aes256-cbc")
	tm.ok("ip route 10.0.0.0/16 gateway tunnel 1")
	tm.ok("ip route 10.0.0.0/16 gateway tunnel 2 hide gateway tunnel 3 weight 0")
	cfg := srv.RunningConfig()
	if strings.Contains(cfg, "ipsec ike encryption 1 aes-cbc\n") || !strings.Contains(cfg, "\nipsec ike encryption 1 aes256-cbc\n") ||
		strings.Count(cfg, "ip route 10.0.0.0/16") != 1 || !strings.Contains(cfg, "ip route 10.0.0.0/16 gateway tunnel 2 hide gateway tunnel 3 weight 0\n") {
		t.Fatalf("set again did not replace:\n%s", cfg)
	}
	tm.ok("no ipsec ike encryption 1 3des-cbc whatever follows")
	tm.ok("no ip route 10.0.0.0/16 gateway tunnel 9")
	tm.ok("no ipsec ike hash 7") // nothing set: silent
	if cfg := srv.RunningConfig(); strings.Contains(cfg, "ipsec ike encryption") || strings.Contains(cfg, "ip route") {
		t.Fatalf("no did not remove:\n%s", cfg)
	}
	tm.ok("tunnel enable 5")
	tm.ok("tunnel select 5")
	tm.ok("ip tunnel address 169.254.21.1/30")
	tm.ok("tunnel select none")
	if !strings.Contains(srv.RunningConfig(), "tunnel select 5\n ip tunnel address 169.254.21.1/30\n tunnel enable 5\n") {
		t.Fatalf("tunnel 5 block:\n%s", srv.RunningConfig())
	}
	tm.ok("no tunnel enable 5")
	tm.ok("tunnel select 5")
	tm.ok("no ip tunnel address")
	tm.ok("tunnel select none")
	if strings.Contains(srv.RunningConfig(), "tunnel select 5") {
		t.Fatalf("an empty tunnel block is printed:\n%s", srv.RunningConfig())
	}
}

// TestSaveQuestion: leaving administrator mode with unsaved changes asks Save new
// configuration ? (Y/N); N keeps the saved configuration, Y saves; exit save saves.
func TestSaveQuestion(t *testing.T) {
	srv := newServer(t, "", nil)
	tm := open(t, srv).admin()
	saved := srv.SavedConfig()
	tm.ok("ip lan1 address 192.168.100.1/24")
	tm.ok("exit")
	if q, hidden, ok := tm.s.Question(); !ok || hidden || q != "Save new configuration ? (Y/N) " {
		t.Fatalf("question %q hidden=%v ok=%v", q, hidden, ok)
	}
	tm.ok("maybe") // asked again
	if _, _, ok := tm.s.Question(); !ok {
		t.Fatal("another answer did not ask again")
	}
	tm.ok("N")
	if tm.s.Prompt() != "> " || srv.SavedConfig() != saved {
		t.Fatalf("N: prompt %q, saved:\n%s", tm.s.Prompt(), srv.SavedConfig())
	}
	tm.ok("administrator")
	tm.ok(testAdmin)
	tm.ok("exit")
	tm.want("Y", "Saving ... CONFIG0 Done .\n")
	if tm.s.Prompt() != "> " || !strings.Contains(srv.SavedConfig(), "ip lan1 address 192.168.100.1/24") {
		t.Fatalf("Y: prompt %q, saved:\n%s", tm.s.Prompt(), srv.SavedConfig())
	}
	if srv.Stats().Saves != 1 {
		t.Fatalf("saves %d", srv.Stats().Saves)
	}
	// nothing changed: no question
	tm.ok("administrator")
	tm.ok(testAdmin)
	tm.ok("quit")
	if _, _, ok := tm.s.Question(); ok || tm.s.Prompt() != "> " {
		t.Fatal("asked without changes")
	}
	// exit save
	tm.ok("administrator")
	tm.ok(testAdmin)
	tm.ok("ip lan2 address 192.0.2.1/24")
	tm.want("exit save", "Saving ... CONFIG0 Done .\n")
	if !strings.Contains(srv.SavedConfig(), "ip lan2 address 192.0.2.1/24") {
		t.Fatal("exit save did not save")
	}
	// Japanese: the question and the save message in Shift-JIS
	tm2 := open(t, srv)
	if got := tm2.do("no such command"); got != "Error: Invalid command name\n" {
		t.Fatalf("a new session does not start with the configured console character: %q", got)
	}
	tm2.ok("console character ja.sjis")
	tm2.ok("administrator")
	tm2.ok(testAdmin)
	tm2.ok("ip lan3 address 192.0.2.129/25")
	tm2.ok("quit")
	q, _, _ := tm2.s.Question()
	if got := sjis(t, q); got != "新しい設定を保存しますか? (Y/N) " {
		t.Fatalf("Japanese question %q", got)
	}
	if got := sjis(t, tm2.do("y")); got != "セーブ中... CONFIG0 終了\n" {
		t.Fatalf("Japanese save %q", got)
	}
	// user-mode exit logs out
	if _, closeSess := tm2.s.Exec("exit"); !closeSess {
		t.Fatal("exit in user mode did not log out")
	}
}

// TestFailNextCommitFailsSave: the generic commit fault makes the next save fail.
func TestFailNextCommitFailsSave(t *testing.T) {
	srv := newServer(t, "", nil)
	tm := open(t, srv).admin()
	tm.ok("ip lan1 address 192.168.100.1/24")
	srv.FailNextCommit("Error: Failed to save")
	tm.want("save", "Error: Failed to save\n")
	if strings.Contains(srv.SavedConfig(), "ip lan1") {
		t.Fatal("failed save saved")
	}
	tm.want("save", "Saving ... CONFIG0 Done .\n")
	if !strings.Contains(srv.SavedConfig(), "ip lan1") {
		t.Fatal("save did not save")
	}
}

// TestRollbackTimer: rollback timer / confirm exist from RTX1210 Rev.14.01.26 and RTX830
// Rev.15.02.03; the timer restores the configuration of the moment it was armed when it
// expires, also after its session was lost, and confirm, save and logout stop it.
func TestRollbackTimer(t *testing.T) {
	for _, c := range []struct {
		model, rev string
		has        bool
	}{
		{"RTX1210", "14.01.20", false}, {"RTX1210", "14.01.26", true}, {"RTX830", "15.02.02", false},
		{"RTX830", "15.02.03", true}, {"RTX1220", "", true}, {"RTX810", "", false},
	} {
		srv := newServer(t, "", map[string]string{OptModel: c.model, OptRevision: c.rev})
		tm := open(t, srv).admin()
		got := tm.do("rollback timer 60")
		if c.has != (got == "") {
			t.Errorf("%s %s: rollback timer printed %q", c.model, c.rev, got)
		}
		if !c.has && got != "Error: Invalid command name\n" {
			t.Errorf("%s %s: %q", c.model, c.rev, got)
		}
		if got := tm.do("confirm"); c.has != (got == "") {
			t.Errorf("%s %s: confirm printed %q", c.model, c.rev, got)
		}
	}

	waitFor := func(cond func() bool) bool {
		for end := time.Now().Add(2 * time.Second); time.Now().Before(end); time.Sleep(2 * time.Millisecond) {
			if cond() {
				return true
			}
		}
		return false
	}
	// expiry
	srv := newServer(t, "ip lan1 address 192.168.100.1/24\n", nil)
	SetSecond(srv.Engine(), time.Millisecond)
	tm := open(t, srv).admin()
	tm.ok("rollback timer 30")
	tm.ok("ip lan1 address 10.0.0.1/24")
	tm.ok("tunnel select 1")
	tm.ok("ip tunnel address 169.254.21.1/30")
	if !waitFor(func() bool { return !RollbackPending(srv.Engine()) }) {
		t.Fatal("the timer did not expire")
	}
	cfg := srv.RunningConfig()
	if !strings.Contains(cfg, "ip lan1 address 192.168.100.1/24") || strings.Contains(cfg, "tunnel select 1") {
		t.Fatalf("not rolled back:\n%s", cfg)
	}
	// the session still works in its context after the rollback
	tm.ok("ip tunnel address 169.254.21.5/30")
	if !strings.Contains(srv.RunningConfig(), "tunnel select 1\n ip tunnel address 169.254.21.5/30\n") {
		t.Fatalf("after rollback:\n%s", srv.RunningConfig())
	}

	// confirm keeps the changes
	SetSecond(srv.Engine(), 20*time.Millisecond)
	tm.ok("tunnel select none")
	tm.ok("rollback timer 1")
	tm.ok("ip lan2 address 192.0.2.1/24")
	tm.ok("confirm")
	time.Sleep(60 * time.Millisecond)
	if !strings.Contains(srv.RunningConfig(), "ip lan2 address 192.0.2.1/24") {
		t.Fatal("confirmed change rolled back")
	}
	// save stops it
	tm.ok("rollback timer 1")
	tm.ok("ip lan3 address 192.0.2.129/25")
	tm.want("save", "Saving ... CONFIG0 Done .\n")
	time.Sleep(60 * time.Millisecond)
	if RollbackPending(srv.Engine()) || !strings.Contains(srv.RunningConfig(), "ip lan3 address") {
		t.Fatal("save did not stop the timer")
	}
	// a lost session leaves its timer running: the change stays until the timer expires,
	// then the configuration is restored; a logged-out one keeps its changes
	SetSecond(srv.Engine(), 5*time.Millisecond)
	tm2 := open(t, srv).admin()
	tm2.ok("rollback timer 40")
	tm2.ok("no ip lan3 address")
	tm2.s.CloseSession()
	if !RollbackPending(srv.Engine()) || strings.Contains(srv.RunningConfig(), "ip lan3 address") {
		t.Fatalf("a lost session stopped its timer or lost its change at once:\n%s", srv.RunningConfig())
	}
	if !waitFor(func() bool { return !RollbackPending(srv.Engine()) }) {
		t.Fatal("the lost session's timer did not expire")
	}
	if !strings.Contains(srv.RunningConfig(), "ip lan3 address") {
		t.Fatalf("a lost session's change outlived its timer:\n%s", srv.RunningConfig())
	}
	SetSecond(srv.Engine(), time.Hour)
	tm3 := open(t, srv).admin()
	tm3.ok("rollback timer 60")
	tm3.ok("no ip lan3 address")
	tm3.ok("exit")
	tm3.ok("N")
	if _, closeSess := tm3.s.Exec("exit"); !closeSess {
		t.Fatal("no logout")
	}
	tm3.s.CloseSession()
	if RollbackPending(srv.Engine()) || strings.Contains(srv.RunningConfig(), "ip lan3 address") {
		t.Fatalf("logout did not keep the changes:\n%s", srv.RunningConfig())
	}
	tm.want("rollback timer 0", "Error: Parameter out of range\n")
	tm.want("rollback timer", "Error: Insufficient or too many parameters\n")
}

// TestModelRanges: security gateway ids and tunnels 1..20 on RTX830, 1..100 on RTX1210 and
// RTX1220; LAN interfaces per model; the header names the model.
func TestModelRanges(t *testing.T) {
	for _, c := range []struct {
		model      string
		gw, lan    int
		header     string
		memoryLine string
	}{
		{"RTX830", 20, 2, "# RTX830 Rev.15.02.30 (", "# Memory 256Mbytes, 2LAN\n"},
		{"RTX1210", 100, 3, "# RTX1210 Rev.14.01.42 (", "# Memory 256Mbytes, 3LAN, 1BRI\n"},
		{"RTX1220", 100, 3, "# RTX1220 Rev.15.04.05 (", "# Memory 256Mbytes, 3LAN\n"},
		{"RTX810", 6, 2, "# RTX810 Rev.11.01.34 (", "# Memory 128Mbytes, 2LAN, 1BRI\n"},
	} {
		srv := newServer(t, "", map[string]string{OptModel: c.model})
		tm := open(t, srv).admin()
		tm.ok("ipsec ike version " + itoa(c.gw) + " 2")
		tm.want("ipsec ike version "+itoa(c.gw+1)+" 2", "Error: Parameter out of range\n")
		tm.ok("tunnel select " + itoa(c.gw))
		tm.ok("tunnel select none")
		tm.want("tunnel select "+itoa(c.gw+1), "Error: Parameter out of range\n")
		tm.ok("ip lan" + itoa(c.lan) + " address 192.0.2.1/24")
		tm.want("ip lan"+itoa(c.lan+1)+" address 192.0.2.1/24", "Error: Illegal keyword\n")
		tm.ok("bgp neighbor 32 65515 169.254.21.2")
		cfg := srv.RunningConfig()
		if !strings.HasPrefix(cfg, c.header) || !strings.Contains(cfg, c.memoryLine) {
			t.Errorf("%s header:\n%s", c.model, cfg)
		}
		env := tm.do("show environment")
		if !strings.Contains(env, c.model+" Rev.") {
			t.Errorf("%s show environment:\n%s", c.model, env)
		}
	}
	// console columns stop at 200 up to RTX1210 Rev.14.01.34 and RTX830 Rev.15.02.13
	for _, c := range []struct{ model, rev, want201 string }{
		{"RTX1210", "14.01.34", "Error: Parameter out of range\n"}, {"RTX1210", "14.01.38", ""},
		{"RTX830", "15.02.13", "Error: Parameter out of range\n"}, {"RTX830", "15.02.14", ""},
	} {
		tm := open(t, newServer(t, "", map[string]string{OptModel: c.model, OptRevision: c.rev}))
		tm.ok("console character en.ascii")
		tm.want("console columns 201", c.want201)
		tm.want("console columns 79", "Error: Parameter out of range\n")
	}
	if _, err := newServerErr(map[string]string{OptModel: "RTX9999"}); err == nil {
		t.Error("unknown model accepted")
	}
	if _, err := newServerErr(map[string]string{"colour": "blue"}); err == nil {
		t.Error("unknown option accepted")
	}
	// the header of a printed configuration selects the model
	srv := newServer(t, "# RTX830 Rev.15.02.03 (Mon Jan  1 00:00:00 2020)\nip lan1 address 192.168.100.1/24\n", map[string]string{})
	if m, r := Model(srv.Engine()); m != "RTX830" || r != "15.02.03" {
		t.Fatalf("model %s %s", m, r)
	}
}

// One rollback timer per console [DOC 56.7.31]: another session's `rollback timer` and
// `confirm` leave a session's timer running, and when it expires it restores the whole
// configuration of the moment it was armed, what the other session typed since included.
func TestRollbackTimerPerConsole(t *testing.T) {
	srv := newServer(t, "ip lan1 address 192.168.100.1/24\n", nil)
	SetSecond(srv.Engine(), 50*time.Millisecond)
	a, b := open(t, srv).admin(), open(t, srv).admin()
	a.ok("rollback timer 4") // 200 ms
	a.ok("ip lan1 address 10.0.0.1/24")
	b.ok("rollback timer 100")
	b.ok("confirm")
	b.ok("ip lan2 address 10.9.9.1/24")
	if !RollbackPending(srv.Engine()) {
		t.Fatal("the other session's confirm stopped this session's timer")
	}
	time.Sleep(400 * time.Millisecond)
	cfg := srv.RunningConfig()
	if !strings.Contains(cfg, "ip lan1 address 192.168.100.1/24") || strings.Contains(cfg, "10.9.9.1") {
		t.Errorf("the expired timer did not restore the configuration of its moment:\n%s", cfg)
	}
	if RollbackPending(srv.Engine()) {
		t.Error("a timer still runs")
	}
}
