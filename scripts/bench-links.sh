#!/usr/bin/env bash
# Times `notelint links` against lychee on the same links, served locally.
#
# usage: scripts/bench-links.sh [URLS] [HOST_LIMIT] [MAX_CONCURRENCY] [RUNS]
#
# 20 local ports answer after 50 ms; one URL in five is dead (404). Both tools get the same
# per-host and global limits, no cache, and no pause between requests to a host (lychee's
# --host-request-interval 0). Prints wall times, request counts and whether both found the
# same dead links. Installs lychee with cargo if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
urls=${1:-2000}
host=${2:-4}
global=${3:-64}
runs=${4:-3}
ports=20
base=18400
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

command -v lychee >/dev/null || cargo install lychee --locked
cargo build --release --quiet
notelint=${CARGO_TARGET_DIR:-target}/release/notelint

python3 scripts/link-bench-server.py "$base" "$ports" 0.05 >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$((base - 1))/stats" >/dev/null 2>&1 && break
  sleep 0.1
done

# One note per URL, spread over the ports; every fifth URL is dead.
python3 - "$work/links.txt" "$urls" "$base" "$ports" <<'PY'
import sys
out, n, base, ports = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
with open(out, "w") as f:
    f.write("".join(f"Claim {i}.[{i}] " for i in range(1, n + 1)) + "\n\n")
    for i in range(1, n + 1):
        kind = "dead" if i % 5 == 0 else "page"
        f.write(f"[{i}] See http://127.0.0.1:{base + i % ports}/{kind}/{i}\n")
PY

stats() { curl -fs "http://127.0.0.1:$((base - 1))/stats"; }
reset() { curl -fs "http://127.0.0.1:$((base - 1))/reset" >/dev/null; }
now() { date +%s.%N; }

dead_notelint() {
  python3 -c 'import json,sys,re
d=json.load(open(sys.argv[1]))
print("\n".join(sorted(re.search(r"(http\S+)", x["message"]).group(1) for x in d["diagnostics"] if x["rule"]=="dead-link")))' "$1"
}
dead_lychee() {
  python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
urls=set()
for m in ("error_map","fail_map"):
    for items in (d.get(m) or {}).values():
        for it in items: urls.add(it["url"])
print("\n".join(sorted(urls)))' "$1"
}

echo "$urls URLs on $ports ports, 50 ms per response; host limit $host, global limit $global"
for run in $(seq "$runs"); do
  reset
  t0=$(now)
  "$notelint" links "$work/links.txt" --allow-private --no-cache --no-progress --format json \
    --host-concurrency "$host" --max-concurrency "$global" >"$work/notelint.json" || true
  t1=$(now)
  ns=$(stats)
  reset
  t2=$(now)
  lychee --no-progress --format json --output "$work/lychee.json" \
    --host-concurrency "$host" --max-concurrency "$global" --host-request-interval 0s \
    "$work/links.txt" >/dev/null 2>&1 || true
  t3=$(now)
  ls=$(stats)
  dead_notelint "$work/notelint.json" >"$work/dead-notelint"
  dead_lychee "$work/lychee.json" >"$work/dead-lychee"
  same=no
  cmp -s "$work/dead-notelint" "$work/dead-lychee" && same=yes
  printf 'run %s: notelint %.2f s %s\n       lychee   %.2f s %s\n       dead links: notelint %s, lychee %s, same set: %s\n' \
    "$run" "$(echo "$t1 - $t0" | bc)" "$ns" "$(echo "$t3 - $t2" | bc)" "$ls" \
    "$(wc -l <"$work/dead-notelint")" "$(wc -l <"$work/dead-lychee")" "$same"
done
