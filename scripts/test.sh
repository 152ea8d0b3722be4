#!/usr/bin/env bash
# Runs every test, the way CI does, and prints how long each part took. Every fuzz target's seed
# corpus (with each input fuzzing ever found, under testdata/fuzz) runs in the unit phase, so the
# result does not depend on chance; `make fuzz` explores new inputs (FUZZTIME per target).
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
phase acc-terraform make --no-print-directory testacc-terraform
phase acc-tofu   make --no-print-directory testacc-tofu

echo
echo "=== timings (seconds)"
for p in vet docs release unit acc-terraform acc-tofu; do
  printf '  %-14s %5d\n' "$p" "${took[$p]}"
done
