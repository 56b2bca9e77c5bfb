#!/usr/bin/env bash
# Installs the Debian packages ImageParser needs when they are missing.
# keytar (through @theia/core) needs libsecret-1-dev and pkg-config,
# native-keymap (through @theia/electron) needs libxkbfile-dev, the
# end-to-end tests drive Debian's Chromium, the corpus tests compare
# PSD composites with ImageMagick's, and the OCR phase reads Korean and
# English with Tesseract's language data from the system tessdata folder
# (tesseract-ocr-kor, tesseract-ocr-eng: nothing is downloaded at run time),
# and the BullMQ job engine's tests run Debian's redis-server in the
# foreground (the package's own service is not needed). Extra packages given as arguments are
# ensured too (the benchmarks add their baselines this way: the archive
# bench, bench/run.sh archive-bench, asks for Debian's sqlite3 and its .backup).
set -euo pipefail

packages=(libsecret-1-dev pkg-config libxkbfile-dev chromium imagemagick tesseract-ocr-kor tesseract-ocr-eng redis-server "$@")
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "imageparser: installing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo_cmd=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo_cmd=(sudo -n)
else
  echo "imageparser: these Debian packages are missing: ${missing[*]}" >&2
  echo "imageparser: run as root (or with password-less sudo), or install them first:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
