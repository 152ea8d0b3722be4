// Command terraform-provider-onpremvpn serves the Terraform provider, or, with the `simulate`
// subcommand, runs an SSH device simulator for trying the provider without hardware, and with
// `discover`, prints the import blocks that adopt what a router already holds.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/discover"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/provider"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
	_ "github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator/all" // registers every engine
)

// version is stamped at build time (-ldflags "-X main.version=..."; goreleaser and make build).
var version = "dev"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "simulate" {
		os.Exit(simulator.Main(os.Args[2:], os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 && os.Args[1] == "discover" {
		os.Exit(discover.Main(os.Args[2:], os.Stdout, os.Stderr))
	}
	var debug, showVersion bool
	flag.BoolVar(&debug, "debug", false, "run with support for debuggers like delve")
	flag.BoolVar(&showVersion, "version", false, "print the provider's version and exit")
	flag.Parse()
	if showVersion {
		fmt.Println("terraform-provider-onpremvpn", version)
		return
	}
	quietUnlessShown()
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/onpremvpn/onpremvpn",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}

// quietUnlessShown turns the plugin SDK's and the provider's logs off when Terraform (or
// OpenTofu) will not show them: the CLI shows a provider's logs only with TF_LOG or
// TF_LOG_PROVIDER set in its environment, which the provider inherits. Unset, the plugin SDK
// still formats every trace line as JSON for the CLI to throw away, which costs a plan of 500
// resources most of its CPU time. Any TF_LOG* setting keeps the logs as they are.
func quietUnlessShown() {
	for _, kv := range os.Environ() {
		if name, value, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") && value != "" {
			return
		}
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_PROVIDER"} {
		_ = os.Setenv(name, "off")
	}
}
