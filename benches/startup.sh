#!/usr/bin/env bash
# Time from process start to the first complete frame of the navigator on the
# embedded catalog. The binary writes that time (measured from the first line
# of main) to $PAGERBOOK_STARTUP_PROBE and exits; `script` gives it a terminal.
# Usage: benches/startup.sh [runs]   (after cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
bin=target/release/pagerbook
probe=$(mktemp)
trap 'rm -f "$probe"' EXIT
times=()
for _ in $(seq "$runs"); do
  rm -f "$probe"
  PAGERBOOK_STARTUP_PROBE=$probe TERM=xterm-256color script -qec "$bin" /dev/null >/dev/null
  times+=("$(cat "$probe")")
done
printf '%s\n' "${times[@]}" | sort -n | awk -v runs="$runs" '
  { t[NR] = $1 }
  END {
    printf "first frame, %d runs: median %.1f ms, p90 %.1f ms, max %.1f ms\n",
      runs, t[int((NR + 1) / 2)] / 1000, t[int(NR * 0.9 + 0.5)] / 1000, t[NR] / 1000
  }'
# Whole process, exec to exit after the first frame, for comparison.
if command -v hyperfine >/dev/null; then
  PAGERBOOK_STARTUP_PROBE=$probe TERM=xterm-256color hyperfine -N -w 3 -r "$runs" \
    "script -qec $bin /dev/null" 2>/dev/null | grep -E 'Time|Range' || true
fi
