package edgeos

import (
	"strings"
	"testing"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
)

// On the router of seed 004 (as it printed its configuration), discovery leaves exactly the
// lines no resource manages: interfaces, services, system, global firewall and IPsec options,
// the BGP process's timers and the reauthentication settings of the peer and its groups.
func TestCoverageSeed004(t *testing.T) {
	text := readFile(t, "seed004.commands.txt")
	cfg, err := p.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	n, ok := platform.Unmodelled(p, text, cfg)
	if !ok {
		t.Fatal("EdgeOS does not implement platform.Coverer")
	}
	if n != 27 {
		t.Errorf("unmodelled lines: got %d, want 27", n)
	}
	// Without the objects, every set line is unmodelled.
	sets := 0
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "set ") {
			sets++
		}
	}
	if got := p.Coverage(text, nil); got != sets {
		t.Errorf("with no objects: %d unmodelled, want every one of the %d set lines", got, sets)
	}
	// Removing one modelled line's object from the model makes its lines unmodelled.
	cfg.Remove("prefix_list", "BGP")
	if got := p.Coverage(text, cfg); got != 27+18 {
		t.Errorf("without the prefix list: %d unmodelled, want %d", got, 27+18)
	}
}

// Hostile text: quoted values, comments and prompt-like lines are not configuration; an
// unterminated quote makes the listing unreadable, and then every set line counts.
func TestCoverageHostileText(t *testing.T) {
	text := strings.Join([]string{
		"# set vpn ipsec looks like a line",
		"admin@edge1:~$ ",
		"set policy prefix-list 'P$1' rule 10 action permit",
		"set policy prefix-list 'P$1' rule 10 prefix 10.0.0.0/8",
		"set policy prefix-list 'P$1' rule 10 description 'Error: not # a ? comment'",
		"set system host-name 'r\u00e9seau'",
	}, "\n")
	cfg, err := p.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Coverage(text, cfg); got != 1 {
		t.Errorf("got %d unmodelled lines, want 1 (the host name)", got)
	}
	if got := p.Coverage(text+"\nset system domain-name 'open", cfg); got != 5 {
		t.Errorf("unreadable listing: got %d, want all 5 set lines", got)
	}
}
