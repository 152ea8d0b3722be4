#!/usr/bin/env bash
# Builds the Terraform and OpenTofu CLIs from the Go module proxy (they cannot be downloaded
# here) into a cache outside the clone, keyed by version, and links them into ./bin.
# A second clone on the same machine reuses the cached binaries.
set -euo pipefail

TERRAFORM_VERSION="${TERRAFORM_VERSION:-1.8.5}"
TOFU_VERSION="${TOFU_VERSION:-1.12.6}"
TFPLUGINDOCS_VERSION="${TFPLUGINDOCS_VERSION:-0.25.0}"
GORELEASER_VERSION="${GORELEASER_VERSION:-2.15.1}"
CACHE="${ONPREMVPN_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-onpremvpn/tools}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/bin"
mkdir -p "$CACHE" "$BIN"

log() { printf '[tools] %s\n' "$*" >&2; }

build_terraform() {
  local dst="$CACHE/terraform-$TERRAFORM_VERSION/terraform"
  if [ ! -x "$dst" ]; then
    log "building terraform v$TERRAFORM_VERSION (about 5 minutes on 2 cores)"
    local start=$SECONDS tmp
    tmp="$(mktemp -d "$CACHE/.terraform-XXXXXX")"
    GOBIN="$tmp" GOFLAGS=-mod=mod go install -ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no" "github.com/hashicorp/terraform@v$TERRAFORM_VERSION"
    mkdir -p "$(dirname "$dst")" && mv "$tmp/terraform" "$dst" && rm -rf "$tmp"
    log "terraform built in $((SECONDS - start))s"
  fi
  ln -sf "$dst" "$BIN/terraform"
}

build_tofu() {
  local dst="$CACHE/tofu-$TOFU_VERSION/tofu"
  if [ ! -x "$dst" ]; then
    log "building tofu v$TOFU_VERSION (about 5 minutes on 2 cores)"
    local start=$SECONDS dir tmp
    dir="$(go mod download -json "github.com/opentofu/opentofu@v$TOFU_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    [ -d "$dir" ] || { log "go mod download gave no directory for opentofu v$TOFU_VERSION"; exit 1; }
    tmp="$(mktemp -d "$CACHE/.tofu-XXXXXX")"
    cp -r "$dir/." "$tmp/src" && chmod -R u+w "$tmp/src"
    (cd "$tmp/src" && go build -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$tmp/tofu" ./cmd/tofu)
    mkdir -p "$(dirname "$dst")" && mv "$tmp/tofu" "$dst" && rm -rf "$tmp"
    log "tofu built in $((SECONDS - start))s"
  fi
  ln -sf "$dst" "$BIN/tofu"
}

build_tfplugindocs() {
  local dst="$CACHE/tfplugindocs-$TFPLUGINDOCS_VERSION/tfplugindocs"
  if [ ! -x "$dst" ]; then
    log "building tfplugindocs v$TFPLUGINDOCS_VERSION"
    local tmp; tmp="$(mktemp -d "$CACHE/.tfplugindocs-XXXXXX")"
    GOBIN="$tmp" go install "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@v$TFPLUGINDOCS_VERSION"
    mkdir -p "$(dirname "$dst")" && mv "$tmp/tfplugindocs" "$dst" && rm -rf "$tmp"
  fi
  ln -sf "$dst" "$BIN/tfplugindocs"
}

# goreleaser, for `goreleaser check` of .goreleaser.yml in make test. Built like tofu, from the
# module's directory in the module cache, so that it also builds offline once the module and
# its dependencies are in the cache (`go install ...@v` would ask the proxy for deprecations).
build_goreleaser() {
  local dst="$CACHE/goreleaser-$GORELEASER_VERSION/goreleaser"
  if [ ! -x "$dst" ]; then
    log "building goreleaser v$GORELEASER_VERSION (3 to 10 minutes on 2 cores)"
    local start=$SECONDS dir tmp
    dir="$(go mod download -json "github.com/goreleaser/goreleaser/v2@v$GORELEASER_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    [ -d "$dir" ] || { log "go mod download gave no directory for goreleaser v$GORELEASER_VERSION"; exit 1; }
    tmp="$(mktemp -d "$CACHE/.goreleaser-XXXXXX")"
    cp -r "$dir/." "$tmp/src" && chmod -R u+w "$tmp/src"
    (cd "$tmp/src" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w -X main.version=$GORELEASER_VERSION" -o "$tmp/goreleaser" .)
    mkdir -p "$(dirname "$dst")" && mv "$tmp/goreleaser" "$dst" && rm -rf "$tmp"
    log "goreleaser built in $((SECONDS - start))s"
  fi
  ln -sf "$dst" "$BIN/goreleaser"
}

# An empty CLI config: a missing TF_CLI_CONFIG_FILE makes the CLIs print a warning that breaks
# terraform-exec's version check.
: > "$BIN/cli.tfrc"

targets=("${@:-terraform tofu}")
for t in ${targets[@]}; do
  case "$t" in
    terraform) build_terraform ;;
    tofu) build_tofu ;;
    tfplugindocs) build_tfplugindocs ;;
    goreleaser) build_goreleaser ;;
    *) log "unknown tool $t"; exit 2 ;;
  esac
done
