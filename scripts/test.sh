#!/usr/bin/env bash
# Installs and builds what is missing (both apps), type-checks every source
# and test file, then runs every test: unit and integration (vitest, real
# SQLite files and HTTP) and end-to-end (the built browser app in Debian's
# Chromium through playwright-core). Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --electron
# A Korean font, so the end-to-end run's screenshots of the Korean UI show Hangul.
bash scripts/ensure-system-deps.sh fonts-nanum
source scripts/env.sh
echo "test: type-checking sources and tests"
npx tsc -p tsconfig.test.json
mkdir -p .test-results
rm -f .test-results/vitest.json
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json "$@" || status=$?
node scripts/test-summary.mjs .test-results/vitest.json || status=$((status == 0 ? 1 : status))
exit "$status"
