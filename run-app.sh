#!/usr/bin/env bash
# Set everything up (see scripts/setup.sh), then open the gate app.
#   ./run-app.sh            the app on the default data folder (your user data dir)
#   ./run-app.sh --demo     first fill a fresh data folder with a realistic demo compound
# Other arguments go to the app (e.g. --data-dir DIR, --lang en).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
args=()
demo=0
for a in "$@"; do
  if [ "$a" = "--demo" ]; then demo=1; else args+=("$a"); fi
done
if [ "$demo" = 1 ]; then
  .venv/bin/checkpoint "${args[@]}" demo --households 120 --days 7 >/dev/null 2>&1 \
    || echo "(demo data already there: opening it)"
fi
exec .venv/bin/checkpoint-app "${args[@]}"
