#!/usr/bin/env bash
# Set everything up (see scripts/setup.sh), then open the gate app.
#   ./run-app.sh            the app on the default data folder (your user data dir)
#   ./run-app.sh --demo     first fill a fresh data folder with a realistic demo compound
# Other arguments go to the app (e.g. --data-dir DIR, --lang en).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
app_args=()
cli_args=()
demo=0
while (($#)); do
  case "$1" in
    --demo) demo=1 ;;
    --data-dir) cli_args+=("$1" "$2"); app_args+=("$1" "$2"); shift ;;
    --data-dir=*) cli_args+=("$1"); app_args+=("$1") ;;
    *) app_args+=("$1") ;;
  esac
  shift
done
if [ "$demo" = 1 ]; then
  if out=$(.venv/bin/checkpoint "${cli_args[@]}" demo --households 120 --days 7 2>&1); then
    echo "demo compound created"
  else
    echo "no demo made: ${out##*$'\n'}"
  fi
fi
exec .venv/bin/checkpoint-app "${app_args[@]}"
