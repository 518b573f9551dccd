#!/usr/bin/env bash
# Set up a development/test environment from nothing: Debian packages (as root), a virtual
# environment in .venv with the app and its test tools, and the compiled translations.
# Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

mapfile -t PKGS < <(grep -vE '^\s*(#|$)' scripts/debian-packages.txt | awk '{print $1}')
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: these Debian packages are missing; install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
  echo "setup: Python 3.11 or newer is needed (found $("$PY" --version 2>&1))" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# pip, quiet when it works; its whole output and a failure when it does not.
pip_quiet() {
  local log
  log=$(mktemp)
  if ! .venv/bin/python -m pip "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "setup: pip $* failed" >&2
    exit 1
  fi
  rm -f "$log"
}
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  pip_quiet install -q --upgrade pip
  pip_quiet install -q -e ".[test,build]"
  # Fail loudly if the install does not work here (QtMultimedia also needs libpulse0 from apt).
  QT_LOGGING_RULES="qt.multimedia.*=false" \
    .venv/bin/python -c "import checkpoint_app, PySide6.QtWidgets, PySide6.QtMultimedia, zxingcpp, reportlab, pytest"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
# The screens' English translations: .ts sources in assets/i18n, compiled .qm (not in git).
.venv/bin/python -m checkpoint_app.ui.i18n --build
echo "setup: ready ($ROOT/.venv)"
