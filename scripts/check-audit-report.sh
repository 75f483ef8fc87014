#!/usr/bin/env bash
# Opens an audit report (`notelint links --report FILE.html`) in headless Chromium and fails
# when the page logs anything to the console (a script error, a blocked external load), when
# its sort script does not run, when it lacks the totals and posts tables or a chart, or when
# clicking a column heading does not sort the posts table.
#
#   scripts/check-audit-report.sh FILE.html
#
# Two loads: the file as it is (console and DOM checked), then a copy with a probe script
# that records errors from the start and clicks a heading after the report's own script.
# Skips, saying so and exiting 0, when Chromium is not installed; CHROMIUM names another
# binary. Make a sample with:
#   NOTELINT_AUDIT_SAMPLE=/tmp/audit.html cargo test --test audit
set -euo pipefail

if [[ $# -ne 1 || ! -f $1 ]]; then
    echo "usage: $0 FILE.html" >&2
    exit 2
fi
report=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")

chromium=${CHROMIUM:-}
if [[ -z $chromium ]]; then
    for candidate in chromium chromium-browser google-chrome; do
        if command -v "$candidate" >/dev/null 2>&1; then
            chromium=$(command -v "$candidate")
            break
        fi
    done
fi
if [[ -z $chromium || ! -x $chromium ]]; then
    echo "SKIP: Chromium not found (install chromium or set CHROMIUM=/path/to/chrome); $1 not checked"
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Loads $1 (a file path) headless; the DOM after scripts goes to $2, the browser log to $3.
load() {
    local profile
    profile=$(mktemp -d "$work/profile.XXXXXX")
    timeout 90 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --enable-logging=stderr --v=0 \
        --virtual-time-budget=3000 --dump-dom "file://$1" >"$2" 2>"$3"
}

failed=0
fail() {
    echo "FAIL: $*"
    failed=1
}

# Every console message counts: the report logs nothing of its own, and Chromium reports
# script errors and loads refused by the page's Content-Security-Policy there.
console_errors() {
    if grep -a ':CONSOLE' "$1" >"$work/console.txt"; then
        fail "console messages in $2:"
        sed 's/^/    /' "$work/console.txt"
    fi
}

# 1. The report as it is.
if ! load "$report" "$work/dom.html" "$work/log.txt"; then
    fail "Chromium did not load $1 (see its log below)"
    tail -n 20 "$work/log.txt"
fi
console_errors "$work/log.txt" "the report"
grep -q 'data-sortable="ready"' "$work/dom.html" || fail "the sort script did not finish"
grep -q '<table id="totals"' "$work/dom.html" || fail "no totals table"
grep -q '<table id="posts"' "$work/dom.html" || fail "no posts table"

# 2. A copy with probes: one right after <head> that records errors before the report's
# script runs, one before </body> that sorts the posts table and writes its verdict.
early='<script>window.__auditErrors=[];window.addEventListener("error",function(e){__auditErrors.push("error: "+e.message)});document.addEventListener("securitypolicyviolation",function(e){__auditErrors.push("blocked: "+e.blockedURI)});</script>'
late=$(cat <<'JS'
<script>
(function () {
  var problems = [];
  function fail(m) { problems.push(m); }
  if (document.documentElement.getAttribute("data-sortable") !== "ready") { fail("the sort script did not finish"); }
  ["totals", "posts"].forEach(function (id) {
    var t = document.getElementById(id);
    if (!t || !t.tBodies.length || !t.tBodies[0].rows.length) { fail("no table #" + id + " with rows"); }
  });
  if (!document.querySelector("svg") && !document.getElementById("chart-posts-empty")) { fail("no chart"); }
  var posts = document.getElementById("posts");
  if (posts && posts.tHead && posts.tBodies.length) {
    var heads = posts.tHead.rows[0].cells, col = -1;
    for (var i = 0; i < heads.length; i++) { if (heads[i].textContent.trim() === "Cited") { col = i; } }
    if (col < 0) { fail("no Cited column in the posts table"); } else {
      var values = function () {
        return Array.prototype.map.call(posts.tBodies[0].rows, function (r) { return parseFloat(r.cells[col].textContent); });
      };
      var before = posts.tBodies[0].rows.length;
      heads[col].click(); var up = values();
      heads[col].click(); var down = values();
      for (var j = 1; j < up.length; j++) {
        if (up[j - 1] > up[j]) { fail("ascending sort out of order"); break; }
        if (down[j - 1] < down[j]) { fail("descending sort out of order"); break; }
      }
      if (posts.tBodies[0].rows.length !== before) { fail("sorting lost rows"); }
      if (heads[col].getAttribute("aria-sort") !== "descending") { fail("aria-sort not set"); }
    }
  }
  problems = problems.concat(window.__auditErrors || []);
  var out = document.createElement("pre");
  out.id = "audit-check";
  out.textContent = problems.length ? "AUDIT-CHECK FAIL: " + problems.join(" | ") : "AUDIT-CHECK OK";
  document.body.appendChild(out);
})();
</script>
JS
)
probe="$work/probe.html"
EARLY=$early LATE=$late awk '
    { line = $0 }
    !late_done && index(line, "</body>") { print ENVIRON["LATE"]; late_done = 1 }
    { print line }
    !early_done && index(line, "<head>") { print ENVIRON["EARLY"]; early_done = 1 }
' "$report" >"$probe"
if ! load "$probe" "$work/probe-dom.html" "$work/probe-log.txt"; then
    fail "Chromium did not load the probed copy"
fi
console_errors "$work/probe-log.txt" "the probed copy"
verdict=$(grep -ao '<pre id="audit-check">[^<]*' "$work/probe-dom.html" || true)
verdict=${verdict#<pre id=\"audit-check\">}
case $verdict in
    "AUDIT-CHECK OK") ;;
    "") fail "the probe did not run (no <head> or </body> in the report?)" ;;
    *) fail "${verdict#AUDIT-CHECK FAIL: }" ;;
esac

if [[ $failed -ne 0 ]]; then
    echo "$1: the report does not render cleanly"
    exit 1
fi
rows=$(grep -c '^<tr><td' "$work/dom.html" || true)
echo "OK: $1 renders in $("$chromium" --version 2>/dev/null | head -n 1) without errors; tables sort ($rows table rows)"
