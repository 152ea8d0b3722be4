#!/usr/bin/env bash
# Runs every test, the way CI does, and prints how long each part took.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A took
phase() { # name command...
  local name=$1; shift
  local start=$SECONDS
  echo "=== $name: $*"
  "$@"
  took[$name]=$((SECONDS - start))
}

phase vet        make --no-print-directory lint
phase docs       bash scripts/docs.sh --check
phase release    make --no-print-directory release-check
phase unit       make --no-print-directory unit
phase fuzz       make --no-print-directory fuzz
phase acc-terraform make --no-print-directory testacc-terraform
phase acc-tofu   make --no-print-directory testacc-tofu

echo
echo "=== timings (seconds)"
for p in vet docs release unit fuzz acc-terraform acc-tofu; do
  printf '  %-14s %5d\n' "$p" "${took[$p]}"
done
