package flatconf

import "github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"

// PlatformSteps turns steps into the device layer's steps for the Immediate transaction
// strategy (platform.Step: one command each, its undo, and what to send when it is refused).
// Each line of a step's Do becomes one platform step:
//
//   - the step's Undo goes with its last line that is neither a context opener nor a Close
//     line (the line that changes the configuration), so that the step counts as applied
//     exactly when that line went through; a refused line is taken as not applied;
//   - the step's Leave goes with every line after the first, since those run inside the
//     contexts the step opened; a refused first line opened nothing.
//
// Undo lines open and leave their own contexts, so the device layer can run them in reverse
// from the top level, once Leave has taken the session there.
func (s *Syntax) PlatformSteps(steps []Step) []platform.Step {
	var out []platform.Step
	for _, st := range steps {
		effective := len(st.Do) - 1
		for i := len(st.Do) - 1; i >= 0; i-- {
			if !s.structural(st.Do[i]) {
				effective = i
				break
			}
		}
		for i, line := range st.Do {
			ps := platform.Step{Do: platform.Command{Line: line}}
			if i == effective {
				ps.Undo = platform.Lines(st.Undo...)
			}
			if i > 0 {
				ps.Leave = platform.Lines(st.Leave...)
			}
			out = append(out, ps)
		}
	}
	return out
}

// structural reports whether line opens or closes a context rather than changing the
// configuration.
func (s *Syntax) structural(line string) bool {
	if s.isClose(line) {
		return true
	}
	toks, err := s.Quoter.Split(line)
	return err == nil && s.context(toks) != nil
}
