#!/usr/bin/env bash
# Runs one benchmark: installs and compiles what is missing, ensures the
# baseline tools it compares against, then runs bench/lib/<name>.js.
#   bash bench/run.sh ingest-bench [options]
set -euo pipefail
cd "$(dirname "$0")/.."
name="$1"; shift
bash scripts/setup.sh --compile-only
case "$name" in
  ingest-bench) bash scripts/ensure-system-deps.sh libvips-tools imagemagick time ;;
  scroll-bench|serve-bench) bash scripts/setup.sh ;;
  # The OCR section compares the OCR phase with Tesseract's command line.
  ocr-bench-section|phases-bench) bash scripts/ensure-system-deps.sh tesseract-ocr ;;
  # The fleet bench runs BullMQ on Debian's redis-server (in the default list).
  fleet-bench) bash scripts/ensure-system-deps.sh ;;
  # The archive bench compares export with Debian's sqlite3 .backup.
  archive-bench) bash scripts/ensure-system-deps.sh sqlite3 ;;
esac
npx tsc -p bench/tsconfig.json
exec node bench/lib/bench/"$name".js "$@"
