#!/usr/bin/env bash
# Builds the one-folder desktop bundle (dist/rig-advisor/) with PyInstaller, smoke-runs it offscreen and
# packs dist/rig-advisor-<version>-linux-<arch>.tar.gz with the .desktop file and icon.
# Usage: packaging/build.sh        (needs: pip install -e ".[package]"; Debian binutils libpython3.11)
set -euo pipefail
cd "$(dirname "$0")/.."
# Install the app + PyInstaller only when missing (a dev or CI environment usually has them already).
python3 -c "import PyInstaller, advisor" 2>/dev/null || python3 -m pip install -q --disable-pip-version-check -e ".[package]"
rm -rf build/pyinstaller dist/rig-advisor
python3 -m PyInstaller --noconfirm --clean --log-level WARN \
  --workpath build/pyinstaller --distpath dist packaging/rig-advisor.spec
install -m 644 packaging/rig-advisor.desktop packaging/rig-advisor.png dist/rig-advisor/

# Smoke run: the built app opens its main window offscreen and exits 0, on a throwaway database.
smoke_dir=$(mktemp -d)
QT_QPA_PLATFORM=offscreen RIG_ADVISOR_DATA_DIR="$smoke_dir" dist/rig-advisor/rig-advisor --smoke
RIG_ADVISOR_DATA_DIR="$smoke_dir" dist/rig-advisor/rig-advisor catalog list models --json > /dev/null
# A PDF report from the bundle (reportlab, fonts, charts all packaged).
scenario=$(RIG_ADVISOR_DATA_DIR="$smoke_dir" dist/rig-advisor/rig-advisor scenario list --json |
  python3 -c "import json, sys; print(json.load(sys.stdin)[0]['name'])")
RIG_ADVISOR_DATA_DIR="$smoke_dir" dist/rig-advisor/rig-advisor report --scenario "$scenario" -o "$smoke_dir/smoke.pdf"
test -s "$smoke_dir/smoke.pdf"
rm -rf "$smoke_dir"

version=$(python3 -c "import advisor; print(advisor.__version__)")
archive="dist/rig-advisor-${version}-linux-$(uname -m).tar.gz"
tar -C dist -czf "$archive" rig-advisor
echo "bundle: $(du -sh dist/rig-advisor | cut -f1) in dist/rig-advisor; archive: $(du -h "$archive" | cut -f1) $archive"
