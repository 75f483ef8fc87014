#!/usr/bin/env bash
# Times `notelint check` (release build) on generated inputs that once took quadratic time.
# usage: scripts/bench-pathological.sh [BINARY]    (default: target/release/notelint, built)
# BENCH_TIMEOUT (seconds, default 600) stops a run that takes too long.
# Prints one line per input: its name, its size and the wall-clock seconds of one run.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin="${CARGO_TARGET_DIR:-target}/release/notelint"
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

python3 - "$dir" <<'PY'
import sys, os
d = sys.argv[1]
def write(name, text):
    with open(os.path.join(d, name), "w", encoding="utf-8") as f:
        f.write(text)

# 1. One line of 100,000 bracket markers after a word.
write("brackets-one-line.txt", "x" + "[1]" * 100_000 + "\n")

# 2. 100,000 notes: paragraphs citing them, then the notes list.
n = 100_000
body = "".join(f"Claim number {i} is made here.[{i}]\n\n" for i in range(1, n + 1))
notes = "".join(
    f"[{i}] Author {i}, \u201cTitle {i},\u201d Publisher, 2020, https://example.org/{i}.\n"
    for i in range(1, n + 1)
)
write("notes-100k.txt", body + "Notes\n\n" + notes)

# 3. A million footnote references, alone and with their definition.
write("footnote-refs-1m.md", "[^1]" * 1_000_000 + "\n")
write("footnote-refs-1m-defined.md", "[^1]" * 1_000_000 + "\n\n[^1]: note\n")

# 4. A full citation followed by 199,999 Ibid. notes.
n = 200_000
body = "".join(f"Text.[{i}]\n" for i in range(1, n + 1))
notes = "[1] Ellen Kim, \u201cEscape Routes,\u201d NK News, 2020, p. 1.\n" + "".join(
    f"[{i}] Ibid., p. {i}.\n" for i in range(2, n + 1)
)
write("ibid-200k.txt", body + "\nNotes\n\n" + notes)

# HTML: 100,000 markers linking to 100,000 notes, and a page of a million <sup> tags.
n = 100_000
body = "".join(
    f'<p>Claim {i}.<sup id="fnref{i}"><a href="#fn{i}">{i}</a></sup></p>\n' for i in range(1, n + 1)
)
notes = "".join(
    f'<li id="fn{i}">Author {i}, \u201cTitle {i},\u201d Publisher, 2020, '
    f'<a href="https://example.org/{i}">https://example.org/{i}</a>. '
    f'<a href="#fnref{i}">\u21a9</a></li>\n'
    for i in range(1, n + 1)
)
write("html-notes-100k.html",
      "<!DOCTYPE html><html><body>\n" + body + "<h2>Notes</h2><ol>\n" + notes + "</ol></body></html>\n")
write("html-sup-1m.html",
      "<!DOCTYPE html><html><body><p>x" + "<sup>1</sup>" * 1_000_000 + "</p></body></html>\n")

# 5. One post of 5,000 notes and a 5,000-entry bibliography: a third of the notes give an
# entry's URL, a third its title with a slip and no URL, a third a work the bibliography
# lacks. Matching each note with every entry once took quadratic time.
import random
rng = random.Random(5000)
vocab = ("harbour cranes river winter census treaty market famine station survey ledger "
         "council museum railway mission border policy letter school record witness strike "
         "village factory union archive minister hospital committee report").split()
surnames = "Moe Lund Berg Park Holm Silva Vik Roux Dahl Novak Okafor Tanaka".split()
n = 5_000
def title():
    return " ".join(rng.choice(vocab).capitalize() for _ in range(rng.randint(3, 7)))
works = [(f"{rng.choice(surnames)}, Ana", title(), 1990 + rng.randrange(35), i) for i in range(n)]
entries = "".join(
    f"{a}. \u201c{t}.\u201d Review, May 4, {y}. https://example.org/{y}/{i:05}/\n\n"
    for a, t, y, i in sorted(works)
)
def slip(t):
    k = rng.randrange(len(t))
    return t[:k] + rng.choice("aeiou") + t[k + 1:]
notes = []
for k in range(1, n + 1):
    a, t, y, i = works[rng.randrange(n)]
    first = a.split(",")[0]
    if k % 3 == 0:
        notes.append(f"[{k}] Ana {first}, \u201c{t},\u201d Review, May 4, {y}, https://example.org/{y}/{i:05}/\n")
    elif k % 3 == 1:
        notes.append(f"[{k}] Ana {first}, \u201c{slip(t)},\u201d Review, {y}, p. {k}.\n")
    else:
        notes.append(f"[{k}] Ana {first}, \u201c{title()},\u201d Gazette, {y}, p. {k}.\n")
body = "".join(f"Claim number {k} is made here.[{k}]\n\n" for k in range(1, n + 1))
write("bibliography-5k.txt", body + "Bibliography\n" + entries + "".join(notes))
PY

for f in brackets-one-line.txt notes-100k.txt footnote-refs-1m.md footnote-refs-1m-defined.md \
         ibid-200k.txt html-notes-100k.html html-sup-1m.html bibliography-5k.txt; do
  size=$(du -h "$dir/$f" | cut -f1)
  start=$(date +%s.%N)
  status=0
  timeout "${BENCH_TIMEOUT:-600}" "$bin" check --format json "$dir/$f" >/dev/null 2>&1 || status=$?
  end=$(date +%s.%N)
  note=""
  [ "$status" -eq 124 ] && note=" (stopped by the ${BENCH_TIMEOUT:-600} s timeout)"
  [ "$status" -gt 1 ] && [ "$status" -ne 124 ] && note=" (exit $status)"
  awk -v f="$f" -v s="$size" -v a="$start" -v b="$end" -v n="$note" \
    'BEGIN { printf "%-30s %6s %8.2f s%s\n", f, s, b - a, n }'
done
