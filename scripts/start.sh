#!/usr/bin/env bash
# Installs and builds what is missing, then serves the browser app on
# http://127.0.0.1:3000 (PORT and HOST override) with the default archive
# (IMAGEPARSER_HOME or the imageparser.archive.location preference override).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
host=${HOST:-127.0.0.1}
port=${PORT:-3000}
echo "ImageParser: serving http://$host:$port"
exec node browser-app/lib/backend/main.js --hostname "$host" --port "$port" "$@"
