#!/usr/bin/env bash
# Runs every test of the solution and ends with one summary line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
# s3rver (the S3 emulator of the storage and AppHost tests), pinned by tests/s3rver/package-lock.json.
if [ ! -f tests/s3rver/node_modules/s3rver/bin/s3rver.js ]; then
  npm ci --prefix tests/s3rver --no-audit --no-fund --loglevel=error
fi
log=$(mktemp)
dotnet test Forecast.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# dotnet test prints one "Passed!/Failed!/Skipped! - Failed: a, Passed: b, Skipped: c, Total: d" line per test assembly.
awk -F'[:,]' '/(Passed|Failed|Skipped)! +- +Failed:/ { failed += $2; passed += $4; skipped += $6 }
  END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
rm -f "$log"
exit "$status"
