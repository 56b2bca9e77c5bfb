#!/usr/bin/env bash
# Installs and builds whatever is missing or out of date, and nothing else.
#   scripts/setup.sh                the browser app (what `npm start` needs)
#   scripts/setup.sh --electron     the browser app and the Electron app
#   scripts/setup.sh --force-build  rebuild even when nothing changed
#   scripts/setup.sh --compile-only install and compile the extensions, bundle no app
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

apps=(browser-app)
force=0
for arg in "$@"; do
  case "$arg" in
    --electron) apps+=(electron-app) ;;
    --force-build) force=1; apps+=(electron-app) ;;
    --compile-only) apps=() ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

bash scripts/ensure-system-deps.sh

# Install when the lockfile or any manifest changed since the last install.
install_stamp=node_modules/.imageparser-install
manifests_hash=$(cat package-lock.json package.json */package.json packages/*/package.json extensions/*/package.json | sha256sum | cut -d' ' -f1)
if [ ! -f "$install_stamp" ] || [ "$(cat "$install_stamp")" != "$manifests_hash" ]; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
  echo "$manifests_hash" > "$install_stamp"
fi

echo "setup: compiling the packages and extensions (tsc -b)"
npx tsc -b tsconfig.json

# Theia's own menus, dialogs and Settings in Korean: VS Code's translations,
# converted from the installed language pack into the keys Theia looks up.
vscode_ko=extensions/archive-core/lib/i18n/vscode.ko.json
converter=extensions/archive-core/lib/node/i18n/vscode-language-pack.js
if [ ! -f "$vscode_ko" ] || [ "$install_stamp" -nt "$vscode_ko" ] || [ "$converter" -nt "$vscode_ko" ] || [ locales/theia-ko.json -nt "$vscode_ko" ]; then
  node extensions/archive-core/lib/node/i18n/build-vscode-translations.js ko
fi

# Bundle an app when anything it is made of is newer than its last bundle.
for app in "${apps[@]+"${apps[@]}"}"; do
  stamp="$app/lib/.imageparser-bundle"
  if [ "$force" = 1 ] || [ ! -f "$stamp" ] \
     || [ -n "$(find packages/*/lib packages/*/src extensions/*/lib extensions/*/src locales "$app/package.json" "$app/esbuild.mjs" configs scripts/build-electron-app.js "$install_stamp" -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    echo "setup: bundling $app"
    npm run -s bundle --workspace "$app"
    touch "$stamp"
  fi
done
