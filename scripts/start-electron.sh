#!/usr/bin/env bash
# Starts the Electron app when the Electron binary is present. The electron
# package downloads that binary from outside the npm registry, which these
# machines cannot reach, so here this script says so and points to the browser app.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ ! -f electron-app/lib/backend/electron-main.js ]; then
  echo "ImageParser: the Electron app is not built yet. Build it with: bash scripts/setup.sh --electron" >&2
  exit 1
fi
electron_dir=$(node -p "require('path').dirname(require.resolve('electron/package.json'))" 2>/dev/null || true)
if [ -z "$electron_dir" ] || [ ! -f "$electron_dir/path.txt" ] || [ ! -e "$electron_dir/dist/$(cat "$electron_dir/path.txt")" ]; then
  cat >&2 <<'MSG'
ImageParser: the Electron app is built (electron-app/lib), but the Electron binary is not installed.
The electron npm package fetches that binary from GitHub, outside the npm registry, and this machine
cannot reach it. Either:
  - run the browser app instead:  npm start   (then open http://127.0.0.1:3000), or
  - on a machine that can reach GitHub: (cd node_modules/electron && node install.js), then npm run start:electron
MSG
  exit 1
fi
exec "$electron_dir/dist/$(cat "$electron_dir/path.txt")" electron-app "$@"
