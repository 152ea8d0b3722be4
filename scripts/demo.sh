#!/usr/bin/env bash
# make demo: runs the provider for real against the built-in EdgeOS simulator.
#   1. starts `terraform-provider-onpremvpn simulate --platform edgeos` on a free loopback port
#   2. installs the provider into a filesystem mirror in both registries' layouts (`make install
#      INSTALL_DIR=...`) and writes a CLI configuration that uses it: the setup the README
#      describes for a local build
#   3. init + apply of examples/quickstart (all six resources), host key pinned
#   4. prints the router's resulting configuration
#   5. shows that a second plan is empty
#   6. destroys, stops the simulator and cleans up
# DEMO_CLI=tofu uses OpenTofu instead of Terraform. KEEP=1 keeps the working folder (.demo: the
# configuration and its state, the plugin mirror, the CLI configuration, the simulator's log and
# the router's configuration after apply) and says what is in it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CLI="$ROOT/bin/${DEMO_CLI:-terraform}"
[ -x "$CLI" ] || { echo "$CLI not found: DEMO_CLI is terraform or tofu (make tools builds both)"; exit 1; }
WORK="$ROOT/.demo"
VERSION="${VERSION:-0.1.0}"
KEEP="${KEEP:-0}"
export TF_CLI_CONFIG_FILE="$WORK/cli.tfrc"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

rm -rf "$WORK"; mkdir -p "$WORK/work"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "starting the EdgeOS simulator"
PASSWORD="demo-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
"$ROOT/bin/terraform-provider-onpremvpn" simulate --platform edgeos --listen 127.0.0.1:0 \
  --username admin --password "$PASSWORD" --hostname edge1 \
  --config examples/quickstart/edgerouter-base.commands --host-key "$WORK/host_key" >"$WORK/simulator.log" 2>&1 &
SIM=$!
cleanup() {
  kill "$SIM" 2>/dev/null || true
  wait "$SIM" 2>/dev/null || true
  if [ "$KEEP" = 1 ]; then
    cat <<EOF

KEEP=1: the working folder stays in $WORK
  work/                    main.tf and its state; run $(basename "$CLI") there with
                           TF_CLI_CONFIG_FILE=$WORK/cli.tfrc
  plugins/                 the filesystem mirror (registry.terraform.io and registry.opentofu.org layouts)
  cli.tfrc                 the CLI configuration that installs the provider from it
  router-after-apply.conf  the router's configuration after apply (secrets masked)
  simulator.log, host_key  the simulator's output and its host key
The simulator has stopped. Remove the folder with: rm -rf $WORK
EOF
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
for _ in $(seq 1 100); do grep -q '^host key line:' "$WORK/simulator.log" 2>/dev/null && break; sleep 0.1; done
cat "$WORK/simulator.log"
ADDR=$(sed -n 's/^listening on //p' "$WORK/simulator.log")
HOST_KEY=$(sed -n 's/^host key line: //p' "$WORK/simulator.log")
[ -n "$ADDR" ] && [ -n "$HOST_KEY" ] || { echo "simulator did not start"; exit 1; }

step "installing the provider into a filesystem mirror"
# The layouts of `make install`: Terraform resolves source = "onpremvpn/onpremvpn" to
# registry.terraform.io/onpremvpn/onpremvpn, OpenTofu to registry.opentofu.org/onpremvpn/onpremvpn.
make --no-print-directory -C "$ROOT" install INSTALL_DIR="$WORK/plugins" VERSION="$VERSION" | sed "s|$WORK/||"
cat >"$WORK/cli.tfrc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$WORK/plugins"
    include = ["registry.terraform.io/onpremvpn/onpremvpn", "registry.opentofu.org/onpremvpn/onpremvpn"]
  }
  direct {
    exclude = ["registry.terraform.io/onpremvpn/onpremvpn", "registry.opentofu.org/onpremvpn/onpremvpn"]
  }
}
EOF
cp examples/quickstart/main.tf "$WORK/work/"
cd "$WORK/work"
export TF_VAR_host="${ADDR%:*}" TF_VAR_port="${ADDR##*:}" TF_VAR_password="$PASSWORD" \
  TF_VAR_host_key="$HOST_KEY" TF_VAR_pre_shared_key="demo-psk-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
"$CLI" init -input=false >"$WORK/init.log" 2>&1 || { cat "$WORK/init.log"; exit 1; }
grep -i '^- install' "$WORK/init.log" || true
"$CLI" version

step "$(basename "$CLI") apply"
"$CLI" apply -input=false -auto-approve

step "the router's configuration now (secrets masked)"
"$CLI" output -raw running_config | tee "$WORK/router-after-apply.conf"

step "a second plan must be empty"
set +e
"$CLI" plan -input=false -detailed-exitcode
code=$?
set -e
if [ "$code" -ne 0 ]; then echo "second plan is not empty (exit $code)"; exit 1; fi
echo "OK: no changes"

step "$(basename "$CLI") destroy"
"$CLI" destroy -input=false -auto-approve
echo
echo "demo finished: applied, verified empty plan, destroyed"
