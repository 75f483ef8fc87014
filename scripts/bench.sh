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
  /usr/bin/time -f '%e %M' -o /tmp/notelint-bench.$$ \
    target/release/notelint check --format json "$dir" >/dev/null || true
  read -r secs kb </tmp/notelint-bench.$$
  echo "run $run: ${secs}s, peak ${kb} KiB"
  if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; peak=$kb; fi
done
rm -f /tmp/notelint-bench.$$
awk -v b="$bytes" -v s="$best" -v k="$peak" -v f="$format" -v c="$(nproc)" 'BEGIN {
  printf "%s: %.1f MB in %.2f s = %.0f MB/s on %d cores, peak memory %.0f MB\n", f, b/1e6, s, b/1e6/s, c, k/1024 }'
