package edgeos

import (
	"fmt"
	"strings"
)

// splitOutput splits one line of `show configuration commands` output the way EdgeOS prints
// it (vyatta-cfg, cnode-algorithm.cpp): path components separated by single spaces, each
// printed bare, or in single quotes when it is empty or holds white space or one of the
// shell's special characters. Nothing inside the quotes is escaped, so the output is not
// shell input: a value written by hand that holds a single quote (EdgeOS refuses one in a
// `set`, but a hand-edited config.boot can carry it) prints as 'Azure's gateway'. A quoted
// component therefore ends at a quote that is followed by a space or the end of the line,
// and a bare component may hold quotes (Azure's). VyOS 1.1's output, which quotes every
// value, reads the same way.
func splitOutput(line string) ([]string, error) {
	var out []string
	i := 0
	for i < len(line) {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) {
			break
		}
		if line[i] != '\'' {
			j := strings.IndexAny(line[i:], " \t")
			if j < 0 {
				j = len(line) - i
			}
			out = append(out, line[i:i+j])
			i += j
			continue
		}
		// A quoted component: the closing quote is the first one followed by white space
		// or the end of the line.
		end := -1
		for k := i + 1; k < len(line); k++ {
			if line[k] == '\'' && (k+1 == len(line) || line[k+1] == ' ' || line[k+1] == '\t') {
				end = k
				break
			}
		}
		if end < 0 {
			return nil, fmt.Errorf("unterminated single quote at column %d", i+1)
		}
		out = append(out, line[i+1:end])
		i = end + 1
	}
	return out, nil
}
