#!/usr/bin/env bash
# Installs and builds what is missing (both apps), type-checks every source
# and test file, then runs every test: unit and integration (vitest, real
# SQLite files and HTTP), end-to-end (the built browser app in Debian's
# Chromium through playwright-core), then the chaos test on its own (with
# arguments, only the vitest run they select). Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --electron
# A Korean font, so the end-to-end run's screenshots of the Korean UI show Hangul; Noto CJK and DejaVu render the OCR tests' images.
bash scripts/ensure-system-deps.sh fonts-nanum fonts-noto-cjk fonts-dejavu-core
source scripts/env.sh
echo "test: type-checking sources and tests"
npx tsc -p tsconfig.test.json
mkdir -p .test-results
rm -f .test-results/vitest.json .test-results/chaos.json
status=0
npx vitest run --project unit --project e2e --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json "$@" || status=$?
# The chaos test (the indexer killed at random points, one to two minutes) runs alone, so it neither slows nor is slowed by the others.
if [ "$#" -eq 0 ]; then
  npx vitest run --project chaos --reporter=default --reporter=json --outputFile.json=.test-results/chaos.json || status=$?
fi
node scripts/test-summary.mjs .test-results/vitest.json .test-results/chaos.json || status=$((status == 0 ? 1 : status))
exit "$status"
