#!/usr/bin/env bash
# The whole test suite (`npm test`, and what CI runs): real infrastructure, static checks, every
# unit and integration test in one Vitest run, and a one-line summary.
set -uo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false FORCE_COLOR=${FORCE_COLOR:-0}
mkdir -p test-results
started=$(date +%s)
phase() { printf '\n== %s (%s s) ==\n' "$1" "$(( $(date +%s) - started ))"; }

phase "infrastructure: Docker engine and local images"
bash scripts/infra/up.sh || { echo "infrastructure setup failed" >&2; exit 1; }

# no cache: the whole suite checks the tree as it is, not what an earlier run on this machine saw
phase "static checks: lint (module boundaries) and typecheck"
npx nx run-many -t lint typecheck --outputStyle=static --skip-nx-cache || { echo "static checks failed" >&2; exit 1; }

phase "tests: unit and integration (Testcontainers: Kafka, PostgreSQL)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
rc=$?
bash scripts/infra/sweep.sh

phase "summary"
node scripts/test-summary.mjs test-results/vitest.json || rc=1
exit $rc
