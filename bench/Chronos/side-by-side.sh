#!/usr/bin/env bash
# Chronos-Bolt float32 against the Python reference's computation on this machine, side by side: for each case the
# Python proxy (python/bolt_reference_ops.py, Debian's torch 1.13.1 + OpenBLAS) and our bench run back to back, ROUNDS
# times alternating, and each pair gives a ratio (ours series/s ÷ Python's). Needs: apt-get install python3-torch
# libopenblas0-openmp. Usage: bench/Chronos/side-by-side.sh [rounds] [case …] (cases: bolt-small-256 bolt-small-1
# bolt-base-256 bolt-base-1).
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-2}
shift || true
cases=("${@:-bolt-small-256 bolt-small-1 bolt-base-256 bolt-base-1}")
dotnet build -c Release --nologo -v q . >/dev/null
bench=bin/Release/net10.0/Chronos.Bench.dll
echo "| case | round | Python s | Python series/s | Python peak MiB | ours s | ours series/s | ours peak MiB | ours ÷ Python |"
echo "|---|---|---|---|---|---|---|---|---|"
for case in ${cases[*]}; do
  model=${case%-*}
  batch=${case##*-}
  for round in $(seq 1 "$rounds"); do
    read -r _ _ py_s py_rate py_peak < <(/usr/bin/python3 python/bolt_reference_ops.py "$model" "$batch")
    ours=$(dotnet "$bench" --case "$case")
    ours_s=$(echo "$ours" | awk -F'|' '{gsub(/ /,"",$6); print $6}')
    ours_rate=$(echo "$ours" | awk -F'|' '{gsub(/ /,"",$7); print $7}')
    ours_peak=$(echo "$ours" | awk -F'|' '{gsub(/ /,"",$9); print $9}')
    ratio=$(awk -v a="$ours_rate" -v b="$py_rate" 'BEGIN { printf "%.2f×", a / b }')
    echo "| $case | $round | $py_s | $py_rate | $py_peak | $ours_s | $ours_rate | $ours_peak | **$ratio** |"
  done
done
