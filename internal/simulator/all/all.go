// Package all registers every simulator engine with the simulator core. Import it for its
// side effect where any platform may be simulated: the `simulate` command and the test
// harnesses.
package all

import (
	// Each engine registers itself with simulator.RegisterEngine in its init.
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/edgeos"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/junos"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/rtx"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/screenos"
)
