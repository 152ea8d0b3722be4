#!/usr/bin/env bash
# make docs: regenerates docs/ from templates/, examples/ and the provider's schema, offline.
#
# tfplugindocs would build the provider and download Terraform itself; here the schema is
# extracted with the CLIs in bin/ and handed to it with --providers-schema:
#   1. build tfplugindocs if missing (scripts/tools.sh tfplugindocs)
#   2. go build the provider into a temporary plugin directory under
#      registry.terraform.io/hashicorp/onpremvpn/0.0.1/<os>_<arch>/
#   3. `init -plugin-dir` + `providers schema -json` in that directory
#   4. terraform fmt -check of examples/, tfplugindocs generate, tfplugindocs validate
# `scripts/docs.sh --check` also fails when the regenerated docs/ differs from what was there
# (for CI: docs/ must be committed up to date).
#
# The schema is read with OpenTofu by default: Terraform 1.8.5 predates write-only attributes
# and drops `write_only` from `providers schema -json`, so pre_shared_key_wo and password_wo
# would not be documented as write-only. DOCS_SCHEMA_CLI=terraform uses bin/terraform instead.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN="$ROOT/bin"
NAME=onpremvpn
SCHEMA_CLI="$BIN/${DOCS_SCHEMA_CLI:-tofu}"
export TF_CLI_CONFIG_FILE="$BIN/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

log() { printf '[docs] %s\n' "$*" >&2; }

# quiet runs a command with its output in a file, shown only when it fails.
quiet() {
  local out="$WORK/$1.log"; shift
  "$@" >"$out" 2>&1 || { grep -v '\[DEBUG\]' "$out" >&2; log "failed: $*"; exit 1; }
}

[ -x "$BIN/tfplugindocs" ] || bash scripts/tools.sh tfplugindocs
for cli in "$BIN/terraform" "$SCHEMA_CLI"; do
  [ -x "$cli" ] || { log "$cli is missing; run make tools"; exit 1; }
done
[ -f "$BIN/cli.tfrc" ] || : >"$BIN/cli.tfrc"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/onpremvpn-docs.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
CHECK=false
[ "${1:-}" = "--check" ] && CHECK=true
if $CHECK; then mkdir -p "$WORK/before" && { [ ! -d docs ] || cp -R docs "$WORK/before/"; }; fi

log "checking the format of examples/"
"$BIN/terraform" fmt -check -recursive -diff examples/

log "building the provider"
PLUGIN="$WORK/plugins/registry.terraform.io/hashicorp/$NAME/0.0.1/$(go env GOOS)_$(go env GOARCH)"
mkdir -p "$PLUGIN"
go build -o "$PLUGIN/terraform-provider-$NAME" .

log "reading the provider schema with $(basename "$SCHEMA_CLI")"
cat >"$WORK/main.tf" <<EOF
terraform {
  required_providers {
    $NAME = {
      source = "registry.terraform.io/hashicorp/$NAME"
    }
  }
}
EOF
(
  cd "$WORK"
  quiet init "$SCHEMA_CLI" init -input=false -plugin-dir="$WORK/plugins"
  "$SCHEMA_CLI" providers schema -json >"$WORK/schema.json"
)

log "generating docs/"
quiet generate "$BIN/tfplugindocs" generate --provider-dir "$ROOT" --provider-name "$NAME" \
  --providers-schema "$WORK/schema.json" --website-temp-dir "$WORK/website"

log "validating docs/"
quiet validate "$BIN/tfplugindocs" validate --provider-dir "$ROOT" --provider-name "$NAME" \
  --providers-schema "$WORK/schema.json"

if $CHECK && ! diff -ru "$WORK/before/docs" docs >&2; then
  log "docs/ was out of date; commit the regenerated files"
  exit 1
fi
log "docs/ is up to date: $(find docs -name '*.md' | wc -l) pages"
