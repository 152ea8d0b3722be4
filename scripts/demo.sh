#!/usr/bin/env bash
# make demo: runs the provider for real against the built-in EdgeOS simulator.
#   1. starts `terraform-provider-onpremvpn simulate --platform edgeos` on a free loopback port
#   2. terraform init + apply of examples/quickstart (all six resources), host key pinned
#   3. prints the router's resulting configuration
#   4. shows that a second plan is empty
#   5. destroys, stops the simulator and cleans up
# DEMO_CLI=tofu uses OpenTofu instead of Terraform.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CLI="$ROOT/bin/${DEMO_CLI:-terraform}"
WORK="$ROOT/.demo"
VERSION=0.1.0
OS_ARCH="$(go env GOOS)_$(go env GOARCH)"
export TF_CLI_CONFIG_FILE="$ROOT/bin/cli.tfrc"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

rm -rf "$WORK"; mkdir -p "$WORK/work"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "starting the EdgeOS simulator"
PASSWORD="demo-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
"$ROOT/bin/terraform-provider-onpremvpn" simulate --platform edgeos --listen 127.0.0.1:0 \
  --username admin --password "$PASSWORD" --hostname edge1 \
  --config examples/quickstart/edgerouter-base.commands --host-key "$WORK/host_key" >"$WORK/simulator.log" 2>&1 &
SIM=$!
cleanup() { kill "$SIM" 2>/dev/null || true; wait "$SIM" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 1 100); do grep -q '^host key line:' "$WORK/simulator.log" 2>/dev/null && break; sleep 0.1; done
cat "$WORK/simulator.log"
ADDR=$(sed -n 's/^listening on //p' "$WORK/simulator.log")
HOST_KEY=$(sed -n 's/^host key line: //p' "$WORK/simulator.log")
[ -n "$ADDR" ] && [ -n "$HOST_KEY" ] || { echo "simulator did not start"; exit 1; }

step "installing the provider into a local plugin directory"
PLUGIN="$WORK/plugins/registry.terraform.io/onpremvpn/onpremvpn/$VERSION/$OS_ARCH"
mkdir -p "$PLUGIN"
cp "$ROOT/bin/terraform-provider-onpremvpn" "$PLUGIN/terraform-provider-onpremvpn_v$VERSION"
cp examples/quickstart/main.tf "$WORK/work/"
cd "$WORK/work"
export TF_VAR_host="${ADDR%:*}" TF_VAR_port="${ADDR##*:}" TF_VAR_password="$PASSWORD" \
  TF_VAR_host_key="$HOST_KEY" TF_VAR_pre_shared_key="demo-psk-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
"$CLI" init -input=false -plugin-dir="$WORK/plugins" >/dev/null
"$CLI" version

step "$(basename "$CLI") apply"
"$CLI" apply -input=false -auto-approve

step "the router's configuration now (secrets masked)"
"$CLI" output -raw running_config

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
