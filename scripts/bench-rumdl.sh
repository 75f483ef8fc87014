#!/usr/bin/env bash
# notelint against rumdl (its footnote rules MD066-MD068) on the same generated Markdown
# corpus, runs alternated, then notelint's peak memory on a large plain-text corpus.
#
# usage: scripts/bench-rumdl.sh [MB] [RUNS] [BIG_MB]
#   MB      size of the Markdown corpus (default 76)
#   RUNS    paired runs (default 5)
#   BIG_MB  size of the plain-text corpus for the memory figure (default 1000; 0 skips it)
# rumdl is installed from PyPI when missing (`pip install rumdl`).
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-76}
runs=${2:-5}
big=${3:-1000}
dir=bench-data/markdown-$mb
[ -d "$dir" ] || python3 scripts/gen-corpus.py "$dir" --mb "$mb" --format markdown
command -v rumdl >/dev/null || pip install --quiet rumdl
cargo build --release --quiet
notelint=${CARGO_TARGET_DIR:-target}/release/notelint
bytes=$(du -sbL "$dir" | cut -f1)
echo "corpus: $dir, $(find -L "$dir" -type f | wc -l) files, $((bytes / 1000000)) MB; $(rumdl --version)"

time_one() { # label command... -> "label wall cpu peak_kib"
  local label=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o /tmp/bench-rumdl.$$ "$@" >/dev/null 2>&1 || true
  read -r wall user sys kib </tmp/bench-rumdl.$$
  echo "$label $wall $(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}') $kib"
}

for run in $(seq "$runs"); do
  time_one notelint "$notelint" check --format json --no-config "$dir"
  time_one rumdl rumdl check --no-cache -e MD066,MD067,MD068 "$dir"
done | tee /tmp/bench-rumdl-runs.$$
awk -v b="$bytes" '
  { wall[$1] += $2; cpu[$1] += $3; n[$1]++; if ($4 > peak[$1]) peak[$1] = $4 }
  END {
    for (t in n) printf "%s: mean %.2f s wall (%.0f MB/s), %.2f s CPU, peak %.0f MB\n",
      t, wall[t]/n[t], b/1e6/(wall[t]/n[t]), cpu[t]/n[t], peak[t]/1024
    printf "notelint throughput / rumdl throughput: %.2fx wall, %.2fx CPU\n",
      (wall["rumdl"]/n["rumdl"]) / (wall["notelint"]/n["notelint"]),
      (cpu["rumdl"]/n["rumdl"]) / (cpu["notelint"]/n["notelint"])
  }' /tmp/bench-rumdl-runs.$$
rm -f /tmp/bench-rumdl-runs.$$ /tmp/bench-rumdl.$$

if [ "$big" != 0 ]; then
  bigdir=bench-data/text-$big
  [ -d "$bigdir" ] || python3 scripts/gen-corpus.py "$bigdir" --mb "$big" --format text
  /usr/bin/time -f "%e %M" -o /tmp/bench-rumdl-big.$$ \
    "$notelint" check --format json --no-config "$bigdir" >/dev/null 2>&1 || true
  read -r wall kib </tmp/bench-rumdl-big.$$
  rm -f /tmp/bench-rumdl-big.$$
  awk -v w="$wall" -v k="$kib" -v b="$(du -sbL "$bigdir" | cut -f1)" 'BEGIN {
    printf "notelint on %.0f MB of plain text: %.1f s (%.0f MB/s), peak %.0f MB\n", b/1e6, w, b/1e6/w, k/1024 }'
fi
