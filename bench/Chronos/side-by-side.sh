#!/usr/bin/env bash
# Ours against the REAL chronos-forecasting pipelines on this machine, in one run: for each case the reference
# (python/real_reference.py) and our bench (bench/Chronos, bench/Chronos2) run back to back, ROUNDS times alternating
# (which side goes first alternates too); each pair gives a ratio (ours series/s ÷ the reference's), and the case's
# median ratio is printed with the load average. bf16 cases are ours in bfloat16 against the reference in float32.
#
# Needs the reference set up as in shared/reference/chronos/python-reference/README.md (Debian python3-torch 1.13,
# OpenBLAS-openmp, chronos-forecasting + transformers + huggingface_hub + einops sources): point CHRONOS_REFERENCE_ENV
# at a shell file that exports PYTHONPATH, LD_LIBRARY_PATH and PYTHON for it. Without it this says so and stops.
#
# Usage: CHRONOS_REFERENCE_ENV=/path/env.sh bench/Chronos/side-by-side.sh [rounds] [case …]
# Cases: bolt-small-1 bolt-small-256 bolt-base-1 bolt-base-256 bolt-small-256-bf16 bolt-base-256-bf16 t5-small-1
#        t5-small-16 chronos2-1 chronos2-256 chronos2-1-bf16 chronos2-256-bf16
set -euo pipefail
cd "$(dirname "$0")"
if [[ -z "${CHRONOS_REFERENCE_ENV:-}" || ! -f "${CHRONOS_REFERENCE_ENV}" ]]; then
  echo "The real reference is not set up: set CHRONOS_REFERENCE_ENV to a shell file exporting PYTHONPATH, LD_LIBRARY_PATH" >&2
  echo "and PYTHON for the chronos-forecasting pipeline (recipe: shared/reference/chronos/python-reference/README.md)." >&2
  exit 2
fi
# shellcheck disable=SC1090
source "$CHRONOS_REFERENCE_ENV"
python=${PYTHON:-python3}
if ! "$python" python/real_reference.py check 2>/dev/null; then
  echo "The real reference does not import with $CHRONOS_REFERENCE_ENV ($python: torch, transformers, chronos.chronos2)." >&2
  exit 2
fi
rounds=${1:-3}
shift || true
cases=("${@:-bolt-small-1 bolt-small-256 bolt-base-1 bolt-base-256 bolt-small-256-bf16 t5-small-1 chronos2-1}")
dotnet build -c Release --nologo -v q -m:1 . >/dev/null
dotnet build -c Release --nologo -v q -m:1 ../Chronos2 >/dev/null

ours() {  # prints: seconds series/s peak-MiB
  local case=$1
  if [[ $case == chronos2-* ]]; then
    local name; name=$([[ $case == *-bf16 ]] && echo bf16 || echo fp32)-$(echo "$case" | cut -d- -f2)
    BENCH_THREADS=2 dotnet ../Chronos2/bin/Release/net10.0/Chronos2.Bench.dll --case "$name" \
      | awk -F'|' '{gsub(/ /,""); print $5, $6, $7}'
  else
    dotnet bin/Release/net10.0/Chronos.Bench.dll --case "$case" | awk -F'|' '{gsub(/ /,""); print $6, $7, $8}'
  fi
}

reference() {  # prints: seconds series/s peak-MiB (float32)
  local case=${1%-bf16}
  "$python" python/real_reference.py "$case" | awk '/^REF/ {print $3, $4, $5}'
}

echo "| case | round | load 1 min | reference s | reference series/s | reference peak MiB | ours s | ours series/s | ours peak MiB | ours ÷ reference |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for case in ${cases[*]}; do
  ratios=()
  for round in $(seq 1 "$rounds"); do
    if (( round % 2 == 1 )); then
      read -r ref_s ref_rate ref_peak < <(reference "$case")
      read -r our_s our_rate our_peak < <(ours "$case")
    else
      read -r our_s our_rate our_peak < <(ours "$case")
      read -r ref_s ref_rate ref_peak < <(reference "$case")
    fi
    load=$(cut -d' ' -f1 /proc/loadavg)
    ratio=$(awk -v a="$our_rate" -v b="$ref_rate" 'BEGIN { printf "%.2f", a / b }')
    ratios+=("$ratio")
    echo "| $case | $round | $load | $ref_s | $ref_rate | $ref_peak | $our_s | $our_rate | $our_peak | ${ratio}× |"
  done
  median=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
  echo "| **$case** | median of $rounds | | | | | | | | **${median}×** |"
done
