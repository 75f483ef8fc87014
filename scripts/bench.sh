#!/usr/bin/env bash
# Throughput and peak memory of `notelint check` on a generated corpus.
# usage: scripts/bench.sh [FORMAT] [MB]     FORMAT: text (default), markdown or html
set -euo pipefail
cd "$(dirname "$0")/.."
format=${1:-text}
mb=${2:-100}
dir=bench-data/$format-$mb
[ -d "$dir" ] || python3 scripts/gen-corpus.py "$dir" --mb "$mb" --format "$format"
cargo build --release --quiet
bytes=$(du -sb "$dir" | cut -f1)
best=
for run in 1 2 3; do
  /usr/bin/time -f '%e %M %U' -o /tmp/notelint-bench.$$ \
    "${CARGO_TARGET_DIR:-target}/release/notelint" check --format json "$dir" >/dev/null || true
  read -r secs kb user </tmp/notelint-bench.$$
  echo "run $run: ${secs}s wall, ${user}s user CPU, peak ${kb} KiB"
  if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; peak=$kb; cpu=$user; fi
done
rm -f /tmp/notelint-bench.$$
# On a shared machine wall time depends on the neighbours; user CPU time does much less.
# Peak memory should not grow with the corpus: a run holds two files per thread at a time
# (src/pipeline/ordered.rs) and keeps counts, not reports; the JSON output spools its
# diagnostics past 4 MiB to a temporary file. 1 GB of text peaks near 19 MB.
awk -v b="$bytes" -v s="$best" -v u="$cpu" -v k="$peak" -v f="$format" -v c="$(nproc)" 'BEGIN {
  printf "%s: %.1f MB in %.2f s = %.0f MB/s on %d cores (%.2f s user CPU = %.0f MB per CPU-second), peak memory %.0f MB\n", f, b/1e6, s, b/1e6/s, c, u, b/1e6/u, k/1024 }'
