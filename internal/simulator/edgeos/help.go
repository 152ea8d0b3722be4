package edgeos

import (
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/hier"
	"sort"
	"strings"
)

// Completion help: vyatta-op binds ? to readline's possible-completions
// (etc/bash_completion.d/vyatta-op: bind '"?": possible-completions', in every interactive
// vbash, operational and configuration mode). Typing ? therefore never inserts it, inside
// quotes too: readline runs the Vyatta completion function, which prints the possible
// completions, and redraws the prompt and the line without the ?. Ctrl-V ? (quoted-insert)
// inserts it; so does `terminal key query-help disable`, which binds ? to self-insert in the
// user's ~/.bashrc. A ? that the shell produces, $'\077' or $'\x3f', is never seen by readline.
//
// The simulator prints "Possible completions:" and one item per line (the items of the
// schema, or the value's type); the device's exact list (first press: names in columns,
// second press: names with help texts) is not reproduced.

var opHelp = [][2]string{
	{"configure", "Enter configure mode"},
	{"exit", "Exit from this shell"},
	{"set", "Set system or shell options"},
	{"show", "Show system information"},
	{"terminal", "Control terminal behaviors"},
}

var opShowHelp = [][2]string{
	{"configuration", "Show running configuration"},
	{"host", "Show host information"},
	{"system", "Show system information"},
	{"version", "Show system version information"},
}

var cfgHelp = [][2]string{
	{"commit", "Commit the current set of changes"},
	{"commit-confirm", "Commit the current set of changes with 'confirm' required"},
	{"compare", "Compare configuration revisions"},
	{"confirm", "Confirm prior commit-confirm"},
	{"delete", "Delete a configuration element"},
	{"discard", "Discard uncommitted changes"},
	{"edit", "Edit a sub-element"},
	{"exit", "Exit from this configuration level"},
	{"load", "Load configuration from a file and replace running configuration"},
	{"merge", "Load configuration from a file and merge running configuration"},
	{"rollback", "Rollback to a prior config revision (requires reboot)"},
	{"run", "Run an operational-mode command"},
	{"save", "Save configuration to a file"},
	{"set", "Set the value of a parameter or create a new element"},
	{"show", "Show the configuration (default values may be suppressed)"},
}

// Help is the completion help for the line typed so far.
func (s *edgeSession) Help(line string) string {
	words := strings.Fields(line)
	cur := ""
	if len(words) > 0 && !strings.HasSuffix(line, " ") && !strings.HasSuffix(line, "\t") {
		cur, words = words[len(words)-1], words[:len(words)-1]
	}
	var items [][2]string
	switch {
	case len(words) == 0 && s.cfgMode:
		items = cfgHelp
	case len(words) == 0:
		items = opHelp
	case !s.cfgMode && words[0] == "show" && len(words) == 1:
		items = opShowHelp
	case s.cfgMode && (words[0] == "set" || words[0] == "delete" || words[0] == "edit" || words[0] == "show"):
		items = s.pathHelp(s.abs(unquoteWords(words[1:])))
	}
	var b strings.Builder
	b.WriteString("Possible completions:\n")
	n := 0
	for _, it := range items {
		if strings.HasPrefix(it[0], cur) || strings.HasPrefix(it[0], "<") {
			b.WriteString("  " + it[0])
			if it[1] != "" {
				b.WriteString("\t" + it[1])
			}
			b.WriteString("\n")
			n++
		}
	}
	if n == 0 {
		return "\n  No help text available\n"
	}
	return b.String()
}

func unquoteWords(ws []string) []string {
	x := &shExpander{literal: true}
	var out []string
	for _, w := range ws {
		out = append(out, x.expand(w)...)
	}
	return out
}

// pathHelp lists what may follow path in the schema.
func (s *edgeSession) pathHelp(path []string) [][2]string {
	p := hier.Pos{S: s.e.schema}
	for _, tok := range path {
		cp, ok := p.Child(tok)
		if !ok {
			return nil
		}
		p = cp
	}
	if p.ValuesBelow() {
		return [][2]string{{"<" + valueKind(p.S) + ">", ""}}
	}
	if p.S.Kind == hier.Loose {
		return [][2]string{{"<text>", ""}}
	}
	var names []string
	for k := range p.S.Kids {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([][2]string, len(names))
	for i, k := range names {
		out[i] = [2]string{k, ""}
	}
	return out
}

// valueKind is how the completion help names the value of a node.
func valueKind(sn *hier.Schema) string {
	switch {
	case sn.Check.Numeric:
		return "number"
	case strings.HasSuffix(sn.Name, "prefix") || sn.Name == "allowed-network" || sn.Name == "exclude" || sn.Name == "route" || sn.Name == "interface-route":
		return "x.x.x.x/x"
	case strings.HasSuffix(sn.Name, "address") || sn.Name == "neighbor" || sn.Name == "next-hop":
		return "x.x.x.x"
	}
	return "text"
}
