package junos

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

// Whatever is typed, the session does not panic and the candidate's display-set form
// loads back into the same configuration (quoting of hostile values included).
func FuzzConfigLines(f *testing.F) {
	for _, s := range []string{
		`set interfaces ge-0/0/0 description "x\"y\\z # ; { } [ ] é"`,
		`set security ike policy P pre-shared-key ascii-text "$9$abc\"\\"`,
		"set policy-options prefix-list PL 10.0.0.0/8\ndelete policy-options prefix-list PL 10.0.0.0/8",
		"set routing-options rib-groups R import-rib [ inet.0 X.inet.0 ]\ndeactivate routing-options rib-groups R",
		"edit protocols bgp group G\nset neighbor 192.0.2.1 peer-as 1 description \"admin@srx# \"\nup\nshow | compare",
		"set system \"\" \"\x01\"\nset security zones security-zone \"a b\" interfaces st0.0",
		"load merge terminal",
		"set snmp community \"pub lic\" authorization read-only\nrollback 0\ncommit check",
		"set \"security\" ike gateway \"G W\" address vpn.example.net",
		"set system login message \"line1\\nline2\"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		srv, err := simulator.New(simulator.Options{Platform: "junos", Username: "u", Password: "p"})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		s := srv.Engine().NewSession(simulator.SessionInfo{User: "u"}).(*session)
		defer s.CloseSession()
		s.Exec("configure")
		for _, l := range strings.Split(input, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "commit") || strings.HasPrefix(strings.TrimSpace(l), "exit") || strings.HasPrefix(strings.TrimSpace(l), "quit") || strings.HasPrefix(strings.TrimSpace(l), "top exit") {
				continue
			}
			s.Exec(l)
			if _, _, asking := s.Question(); asking {
				s.Answer("no")
			}
		}
		if s.loading != "" {
			s.EndOfInput()
		}
		if !s.config {
			return
		}
		s.e.mu.Lock()
		set := displaySet(s.e.root, s.cand(), nil)
		braces := showCurly(s.e.root, s.cand(), nil)
		s.e.mu.Unlock()
		c := newConf()
		if errs := s.e.loadSet(c, set); len(errs) > 0 {
			t.Fatalf("display set does not load back: %v\n%s", errs, set)
		}
		if again := displaySet(s.e.root, c, nil); again != set {
			t.Fatalf("display set changed on reload:\n%s\nvs\n%s", set, again)
		}
		c2 := newConf()
		if errs := s.e.loadCurly(c2, braces, false); len(errs) > 0 {
			t.Fatalf("braces form does not load back: %v\n%s", errs, braces)
		}
		if again := displaySet(s.e.root, c2, nil); again != set {
			t.Fatalf("braces form reloads differently:\n%s\nvs\n%s", set, again)
		}
	})
}
