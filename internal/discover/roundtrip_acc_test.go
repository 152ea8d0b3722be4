package discover_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/acctest"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/platform"
	"github.com/onpremvpn/terraform-provider-onpremvpn/internal/simulator"
)

// The adoption round trip, driven with the real CLI the way a user runs it (terraform-plugin-
// testing cannot run -generate-config-out): against a simulator preloaded with a seed
// configuration,
//
//	discover > imports.tf
//	plan -generate-config-out=generated.tf
//	the sed commands discover printed (each secret pointed at its variable)
//	validate; plan is imports only, every one a no-op; apply changes nothing on the device
//	a second plan is empty (-detailed-exitcode 0)
//
// under the CLI of TF_ACC_TERRAFORM_PATH (make testacc runs it with Terraform 1.8.5 and with
// OpenTofu 1.12.6). The provider is a freshly built binary the CLI finds through a
// dev_overrides CLI configuration, so nothing is downloaded.

// roundTrip is one seed of one platform.
type roundTrip struct {
	name     string
	platform string
	config   string            // the simulator's initial configuration
	device   string            // --device; "" for the top-level device
	secrets  map[string]string // TF_VAR_ values: the secrets the user knows
	imports  int               // objects discover must find
	options  map[string]string // the device's platform options (--option, options = {})
	// oneWay is the number of objects whose secret the device prints one-way (ScreenOS):
	// nothing tells whether the configured key is the device's, so the adoption plan writes
	// it once, an update of the secret alone.
	oneWay int
}

// hostileEdgeOS adds to seed 004 objects whose text is hostile to HCL, comments, shells and
// the session (EdgeOS itself refuses double quotes and braces in values; the provider refuses
// backslashes, which discover flags: see TestAccObjectsDataSource).
const hostileEdgeOS = `set policy prefix-list PL-2 description 'Azure # west ? é $HOME 100% ; <gw>'
set policy prefix-list PL-2 rule 10 description 'Error: % Invalid input admin@edge1:~$'
set policy prefix-list PL-2 rule 10 action permit
set policy prefix-list PL-2 rule 10 prefix 10.9.0.0/16
set protocols static route 10.9.0.0/16 next-hop 192.0.2.9
`

var roundTrips = []roundTrip{
	{name: "seed004", platform: "edgeos", config: acctest.Seed004, secrets: map[string]string{"foo0_pre_shared_key": "seed-Secret-004"}, imports: 5},
	{name: "seed004-hostile-named-device", platform: "edgeos", config: acctest.Seed004 + "\n" + hostileEdgeOS, device: "site-2",
		secrets: map[string]string{"site_2_foo0_pre_shared_key": "seed-Secret-004"}, imports: 7},
	{name: "seed002-srx", platform: "junos", config: acctest.JunosSRXSeed002,
		secrets: map[string]string{"azure_gw_0_pre_shared_key": "aliazu12345", "azure_gw_1_pre_shared_key": "aliazu12345"}, imports: 9},
	{name: "seed003-mx", platform: "junos", config: strings.Replace(acctest.JunosMXSeed003, `"mx pre-shared key; \"quoted\" #1"`, `"hand-Made#Key1"`, 1),
		options: map[string]string{"flavor": "mx"}, secrets: map[string]string{"ike_pol_pre_shared_key": "hand-Made#Key1"}, imports: 4},
	// Seed 000 on the two NetScreens (the SSG5 of the seed leaves its source routes at the
	// default preference, which the plan refuses: seed 000's pitfall 4).
	{name: "seed000-ns25", platform: "screenos", config: acctest.ScreenOSSeed000["ns25"],
		secrets: map[string]string{"azure_gateway_ike_pre_shared_key": "s3cr3t-PSK-value"}, imports: 11, oneWay: 1},
	{name: "seed000-ns5gt", platform: "screenos", config: acctest.ScreenOSSeed000["ns5gt"],
		secrets: map[string]string{"azure_gateway_ike_pre_shared_key": "s3cr3t-PSK-value"}, imports: 9, oneWay: 1},
	{name: "seed002-rtx", platform: "rtx", config: acctest.RTXSeed002,
		secrets: map[string]string{"vwan_instance0_pre_shared_key": "aliazu12345", "vwan_instance1_pre_shared_key": "aliazu12345"}, imports: 10},
}

func TestAccDiscoverRoundTrip(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make testacc runs it under Terraform and OpenTofu)")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH must name the terraform or tofu binary to run")
	}
	// Every landed platform (a dialect and a simulator) has a round trip.
	covered := map[string]bool{}
	for _, rt := range roundTrips {
		covered[rt.platform] = true
	}
	for _, p := range simulator.Platforms() {
		if _, ok := platform.Get(p); ok && !covered[p] {
			t.Errorf("platform %s has a dialect and a simulator but no discovery round trip: add its seeds to roundTrips", p)
		}
	}

	bin := buildProvider(t)
	for _, rt := range roundTrips {
		t.Run(rt.platform+"/"+rt.name, func(t *testing.T) { runRoundTrip(t, cli, bin, rt) })
	}
}

// buildProvider builds the provider binary into a directory of its own and returns it.
func buildProvider(t *testing.T) string {
	dir := t.TempDir()
	out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-onpremvpn"), "github.com/onpremvpn/terraform-provider-onpremvpn").CombinedOutput()
	if err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	return dir
}

func runRoundTrip(t *testing.T, cli, bin string, rt roundTrip) {
	sim := acctest.Start(t, rt.platform, rt.config)
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tfrc := filepath.Join(t.TempDir(), "dev.tfrc")
	if err := os.WriteFile(tfrc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/onpremvpn/onpremvpn" = %[1]q
    "registry.opentofu.org/onpremvpn/onpremvpn" = %[1]q
  }
  direct {}
}
`, bin)), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+tfrc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"ONPREMVPN_PASSWORD="+acctest.Password, "TF_DATA_DIR="+filepath.Join(dir, ".terraform"))
	for k, v := range rt.secrets {
		env = append(env, "TF_VAR_"+k+"="+v)
	}
	run := func(name string, args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = dir, env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		err := cmd.Run()
		t.Logf("%s %s: %s", filepath.Base(name), strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			return out.String(), ee.ExitCode()
		case err != nil:
			t.Fatalf("%s: %v", name, err)
		}
		return out.String(), 0
	}

	// 1. discover, with the provider's environment variables for the password.
	args := []string{"discover", "--platform", rt.platform, "--host", "127.0.0.1", "--port", sim.Port(), "--username", acctest.Username, "--host-key", sim.HostKeyLine()}
	if rt.device != "" {
		args = append(args, "--device", rt.device)
	}
	var optionsHCL []string
	for k, v := range rt.options {
		args = append(args, "--option", k+"="+v)
		optionsHCL = append(optionsHCL, fmt.Sprintf("%s = %q", k, v))
	}
	sort.Strings(optionsHCL)
	cmd := exec.Command(filepath.Join(bin, "terraform-provider-onpremvpn"), args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	imports, err := cmd.Output()
	if err != nil {
		t.Fatalf("discover: %v\n%s", err, stderr.String())
	}
	for _, v := range rt.secrets {
		if strings.Contains(string(imports), v) {
			t.Fatalf("discover printed a secret:\n%s", imports)
		}
	}
	if n := strings.Count(string(imports), "\nimport {"); n != rt.imports {
		t.Fatalf("discover found %d objects, want %d:\n%s", n, rt.imports, imports)
	}
	write("imports.tf", string(imports))
	device := "platform = " + fmt.Sprintf("%q", rt.platform) + "\n  host     = \"127.0.0.1\"\n  port     = " + sim.Port() +
		"\n  username = \"" + acctest.Username + "\"\n  host_key = " + fmt.Sprintf("%q", sim.HostKeyLine())
	if len(optionsHCL) > 0 {
		device += "\n  options  = { " + strings.Join(optionsHCL, ", ") + " }"
	}
	block := "provider \"onpremvpn\" {\n  " + device + "\n}\n"
	if rt.device != "" {
		block = fmt.Sprintf("provider \"onpremvpn\" {\n  devices = {\n    %q = {\n      %s\n      password = %q\n    }\n  }\n}\n", rt.device, device, acctest.Password)
	}
	write("provider.tf", "terraform {\n  required_providers {\n    onpremvpn = { source = \"onpremvpn/onpremvpn\" }\n  }\n}\n\n"+block)
	before := sim.RunningConfig()

	// 2. Generate the configuration. With a secret on the device the plan stops at the
	// secret, which the generated configuration cannot hold, after writing the file.
	out, code := run(cli, "plan", "-input=false", "-no-color", "-generate-config-out=generated.tf")
	if len(rt.secrets) == 0 && code != 0 || len(rt.secrets) > 0 && !strings.Contains(out, "pre_shared_key") {
		t.Fatalf("plan -generate-config-out: exit %d\n%s", code, out)
	}
	generated, err := os.ReadFile(filepath.Join(dir, "generated.tf"))
	if err != nil {
		t.Fatalf("no generated.tf: %v\n%s", err, out)
	}
	for _, v := range rt.secrets {
		if strings.Contains(string(generated), v) || strings.Contains(out, v) {
			t.Fatalf("a secret reached the generated configuration or the output")
		}
	}

	// 3. Run the edits discover printed, verbatim.
	seds := regexp.MustCompile(`(?m)^#   (sed -i .* generated\.tf)$`).FindAllStringSubmatch(string(imports), -1)
	if len(seds) != len(rt.secrets) {
		t.Fatalf("discover printed %d secret edits for %d secrets:\n%s", len(seds), len(rt.secrets), imports)
	}
	for _, s := range seds {
		if out, code := run("sh", "-c", s[1]); code != 0 {
			t.Fatalf("%s: exit %d\n%s", s[1], code, out)
		}
	}
	generated, _ = os.ReadFile(filepath.Join(dir, "generated.tf"))
	for v := range rt.secrets {
		if !strings.Contains(string(generated), "= var."+v+"\n") {
			t.Fatalf("the edit did not point the secret at var.%s:\n%s", v, generated)
		}
	}

	// 4. validate, with only the secret variables filled.
	if out, code := run(cli, "validate", "-no-color"); code != 0 {
		t.Fatalf("validate: exit %d\n%s\ngenerated.tf:\n%s", code, out, generated)
	}

	// 5. The plan imports every object and changes none.
	if out, code := run(cli, "plan", "-input=false", "-no-color", "-out=adopt.tfplan"); code != 0 {
		t.Fatalf("plan: exit %d\n%s\ngenerated.tf:\n%s", code, out, generated)
	}
	js, code := run(cli, "show", "-json", "adopt.tfplan")
	if code != 0 {
		t.Fatalf("show -json: exit %d\n%s", code, js)
	}
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions   []string        `json:"actions"`
				Importing json.RawMessage `json:"importing"`
				Before    map[string]any  `json:"before"`
				After     map[string]any  `json:"after"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(js[strings.Index(js, "{"):]), &plan); err != nil {
		t.Fatalf("plan JSON: %v", err)
	}
	var changes []string
	secretOnly := 0
	for _, rc := range plan.ResourceChanges {
		if rt.oneWay > 0 && strings.Join(rc.Change.Actions, ",") == "update" && onlySecretDiffers(rc.Change.Before, rc.Change.After) {
			secretOnly++
			continue
		}
		if strings.Join(rc.Change.Actions, ",") != "no-op" || len(rc.Change.Importing) == 0 || string(rc.Change.Importing) == "null" {
			changes = append(changes, fmt.Sprintf("%s: %v (importing %s)", rc.Address, rc.Change.Actions, rc.Change.Importing))
		}
	}
	sort.Strings(changes)
	if secretOnly != rt.oneWay {
		changes = append(changes, fmt.Sprintf("%d updates of a one-way secret alone, want %d", secretOnly, rt.oneWay))
	}
	if len(changes) > 0 || len(plan.ResourceChanges) != rt.imports {
		t.Fatalf("want %d imports and no change; got %d resource changes, these not a plain import:\n%s\ngenerated.tf:\n%s",
			rt.imports, len(plan.ResourceChanges), strings.Join(changes, "\n"), generated)
	}

	// 6. Apply imports and leaves the device as it was.
	if out, code := run(cli, "apply", "-input=false", "-no-color", "adopt.tfplan"); code != 0 || !strings.Contains(out, fmt.Sprintf("Resources: %d imported, 0 added, %d changed, 0 destroyed", rt.imports, rt.oneWay)) {
		t.Fatalf("apply: exit %d\n%s", code, out)
	}
	if after := sim.RunningConfig(); after != before {
		t.Fatalf("adopting changed the device:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// 7. A second plan is empty.
	if out, code := run(cli, "plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
		t.Fatalf("second plan: exit %d (2 = changes)\n%s", code, out)
	}
}

// onlySecretDiffers reports whether the planned values differ from the prior ones in a secret
// attribute only (pre_shared_key, password).
func onlySecretDiffers(before, after map[string]any) bool {
	n := 0
	for k, v := range after {
		if fmt.Sprint(before[k]) == fmt.Sprint(v) {
			continue
		}
		if k != "pre_shared_key" && k != "password" {
			return false
		}
		n++
	}
	return n > 0
}
