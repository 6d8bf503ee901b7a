#!/usr/bin/env bash
# Installs everything Rig Advisor needs on a fresh Debian 12 machine: the Debian libraries Qt, the PDF
# renderer, PostgreSQL and PyInstaller need (only when run as root), then the Python package with its
# test extra (editable). Usage: scripts/install.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 fonts-dejavu-core
  xvfb xauth libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1
  poppler-utils postgresql binutils libpython3.11
  # PDF report fonts (TrueType outlines: reportlab cannot embed the CFF fonts of fonts-noto-cjk or the
  # bitmap emoji of fonts-noto-color-emoji): Noto per script, Japanese, Chinese, Korean, monochrome emoji
  fonts-noto-core fonts-ipafont-gothic fonts-droid-fallback fonts-nanum fonts-symbola
)

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  echo "not root: skipping Debian packages (${DEBIAN_PACKAGES[*]})" >&2
fi

python3 -m pip install -q --disable-pip-version-check -e ".[test]"
