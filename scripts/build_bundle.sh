#!/usr/bin/env bash
# Build the one-folder bundle (build.spec) and smoke-test it the way CI does:
#   checkpoint --help, a small checkpoint demo, and the GUI's --self-test offscreen.
# Prints the build time and the bundle size. Usage: scripts/build_bundle.sh [python]
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${1:-.venv/bin/python}"
SMOKE="$(mktemp -d /tmp/checkpoint-smoke.XXXXXX)"
trap 'rm -rf "$SMOKE"' EXIT

"$PY" -m checkpoint_app.ui.i18n --build
start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN build.spec
build_s=$(( $(date +%s) - start ))

BUNDLE=dist/checkpoint
EXT=""
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) EXT=".exe" ;; esac

echo "== checkpoint --help"
"$BUNDLE/checkpoint$EXT" --help > "$SMOKE/help.txt"
head -n 3 "$SMOKE/help.txt"

echo "== checkpoint demo"
"$BUNDLE/checkpoint$EXT" --data-dir "$SMOKE/data" demo --households 10 --days 1 > "$SMOKE/demo.json"
cat "$SMOKE/demo.json"
"$BUNDLE/checkpoint$EXT" --data-dir "$SMOKE/data" verify-db

echo "== checkpoint-app --self-test (offscreen)"
QT_QPA_PLATFORM=offscreen "$BUNDLE/checkpoint-app$EXT" --self-test --data-dir "$SMOKE/data" | tee "$SMOKE/selftest.json"
grep -q '"ok": true' "$SMOKE/selftest.json"

echo "== bundle"
echo "build time: ${build_s} s"
du -sh "$BUNDLE"
