#!/usr/bin/env bash
# Times `notelint links` (and lychee, when it is on PATH) on links served locally that fail
# in every way a link checker must tell apart, and scores each tool's verdicts.
#
# usage: scripts/bench-links.sh [URLS] [HOST_LIMIT] [MAX_CONCURRENCY] [RUNS]
#   NOTELINT=path/to/notelint  times that binary instead of building this tree's release one.
#
# scripts/link-bench-server.py serves 20 local ports answering after 50 ms and a slow host
# answering after 1 s (8 URLs). Per 40 URLs of a port: 24 pages, 4 dead (404), 2 moved (301),
# 2 chains of three 302s, and one each of 500-once, 500-always, 429-once (Retry-After in
# seconds), 429-once (Retry-After as an HTTP date), 429-always, 503-once and 503-always (with
# Retry-After), all waits 1 s. The intended verdicts: dead for 404; an error for the
# "always" kinds; fine for the rest (a 301 may be reported as moved). Prints wall time, the
# server's request count, the most requests in flight on one port, the retries sent before
# their Retry-After had passed, and the wrong verdicts.
#
# Each run also times scripts/link-bench-client.py, a bare client (one GET per URL, 64 at
# once, no per-host limit, no retries, redirects followed): the floor a checker's time is
# measured against. Its verdicts are scored too (it cannot pass what needs a retry).
#   LYCHEE=no    skips lychee even when it is on PATH.
#   TRACE=DIR    keeps the server's trace of notelint's requests in DIR/notelint-RUN.json
#                ([seconds, port, method, target, status] per request).
set -euo pipefail
cd "$(dirname "$0")/.."
urls=${1:-1800}
host=${2:-4}
global=${3:-64}
runs=${4:-1}
ports=20
base=18400
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

if [ -z "${NOTELINT:-}" ]; then
  cargo build --release --quiet
  NOTELINT=${CARGO_TARGET_DIR:-target}/release/notelint
fi
have_lychee=no
if [ "${LYCHEE:-}" = no ]; then
  :
elif command -v lychee >/dev/null; then
  have_lychee=yes
else
  echo "lychee is not on PATH: timing notelint only (cargo install lychee to compare)"
fi

python3 scripts/link-bench-server.py "$base" "$ports" 0.05 1.0 1 >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$((base - 1))/stats" >/dev/null 2>&1 && break
  sleep 0.1
done

# One note per URL, spread over the ports, and the verdict the server intends for each.
python3 - "$work/links.txt" "$work/intended.json" "$urls" "$base" "$ports" <<'PY'
import json, sys
out, intended_out, n, base, ports = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
cycle = (["page"] * 24 + ["dead"] * 4 + ["moved"] * 2 + ["chain"] * 2
         + ["e500once", "e500always", "r429once", "r429date", "r429always", "r503once", "r503always"]
         + ["page"])
intends = {"dead": "dead", "e500always": "error", "r429always": "error", "r503always": "error"}
urls, intended = [], {}
for i in range(1, n + 1):
    # Each port goes through the whole cycle, the ports out of step with each other.
    kind = cycle[(i // ports + 3 * (i % ports)) % len(cycle)]
    tail = f"3/{i}" if kind == "chain" else str(i)
    urls.append(f"http://127.0.0.1:{base + i % ports}/{kind}/{tail}")
for i in range(1, 9):
    urls.append(f"http://127.0.0.1:{base + ports}/page/slow{i}")
for u in urls:
    intended[u] = intends.get(u.split("/")[3], "ok")
with open(out, "w") as f:
    f.write("".join(f"Claim {i}.[{i}] " for i in range(1, len(urls) + 1)) + "\n\n")
    for i, u in enumerate(urls, 1):
        f.write(f"[{i}] See {u}\n")
json.dump(intended, open(intended_out, "w"))
PY

stats() { curl -fs "http://127.0.0.1:$((base - 1))/stats"; }
reset() { curl -fs "http://127.0.0.1:$((base - 1))/reset" >/dev/null; }
now() { date +%s.%N; }

# Wrong verdicts: "notelint" and the bare client tell dead from error; lychee only says a
# link failed, so it is scored on failed or not.
score() {
  python3 - "$1" "$2" "$work/intended.json" <<'PY'
import json, re, sys
tool, report, intended = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
got = {u: "ok" for u in intended}
try:
    d = json.load(open(report))
except (OSError, ValueError):
    d = {}
if tool == "notelint":
    for x in d.get("diagnostics", []):
        m = re.search(r"(http://\S+?)(?::? |:$|\)|$)", x["message"])
        if not m:
            continue
        url = m.group(1).rstrip(".:")
        if x["rule"] == "dead-link":
            got[url] = "dead"
        elif x["rule"] == "link-error":
            got[url] = "error"
    want = intended
elif tool == "bare":
    for url, status in d.items():
        if status == "error" or status == 429 or status >= 500:
            got[url] = "error"
        elif status in (404, 410):
            got[url] = "dead"
        elif not 200 <= status < 300:
            got[url] = "error"
    want = intended
else:
    for key in ("error_map", "fail_map"):
        for items in (d.get(key) or {}).values():
            for it in items:
                got[it["url"]] = "failed"
    want = {u: ("ok" if v == "ok" else "failed") for u, v in intended.items()}
wrong = sorted(u for u in want if got.get(u) != want[u])
print(f"{len(wrong)} wrong verdicts of {len(want)}" + (f" (e.g. {wrong[0]}: {got.get(wrong[0])}, intended {want[wrong[0]]})" if wrong else ""))
PY
}

report() {
  python3 -c 'import json,sys
s=json.loads(sys.argv[1])
print("%d requests, at most %d at once on a port, %d retries before their Retry-After"
      % (s["total"], s["most_at_once_per_port"], s["retried_before_retry_after"]))' "$1"
}

total=$(wc -l <"$work/links.txt")
echo "$((total - 2)) URLs on $ports ports + a slow host; host limit $host, global limit $global"
for run in $(seq "$runs"); do
  reset
  t0=$(now)
  "$NOTELINT" links "$work/links.txt" --allow-private --no-cache --no-progress --format json \
    --host-concurrency "$host" --max-concurrency "$global" >"$work/notelint.json" || true
  t1=$(now)
  printf 'run %s: notelint %.2f s: %s; %s\n' "$run" "$(echo "$t1 - $t0" | bc)" \
    "$(report "$(stats)")" "$(score notelint "$work/notelint.json")"
  if [ -n "${TRACE:-}" ]; then
    mkdir -p "$TRACE"
    curl -fs "http://127.0.0.1:$((base - 1))/trace" >"$TRACE/notelint-$run.json"
  fi
  reset
  t2=$(now)
  python3 scripts/link-bench-client.py "$work/links.txt" "$work/bare.json" "$global" >/dev/null
  t3=$(now)
  printf '       bare client %.2f s: %s; %s\n' "$(echo "$t3 - $t2" | bc)" \
    "$(report "$(stats)")" "$(score bare "$work/bare.json")"
  if [ "$have_lychee" = yes ]; then
    for mode in defaults limits; do
      reset
      extra=()
      if [ "$mode" = limits ]; then
        extra=(--host-concurrency "$host" --max-concurrency "$global" --host-request-interval 0s)
      fi
      t2=$(now)
      lychee --no-progress --format json --output "$work/lychee.json" "${extra[@]}" \
        "$work/links.txt" >/dev/null 2>&1 || true
      t3=$(now)
      printf '       lychee (%s) %.2f s: %s; %s\n' "$mode" "$(echo "$t3 - $t2" | bc)" \
        "$(report "$(stats)")" "$(score lychee "$work/lychee.json")"
    done
  fi
done
