#!/usr/bin/env bash
# Real-world accuracy harness (issue 15): rebuilds the corpus listed in
# corpus/realworld/manifest.tsv from repository snapshots, runs the release
# binary on every document and scores its findings against the hand labels in
# corpus/realworld/expected/NAME.json.
#
#   scripts/realworld.sh fetch-check            which manifest repositories have no snapshot here
#   scripts/realworld.sh build                  rebuild corpus/realworld/docs/ from the snapshots
#   scripts/realworld.sh score [--bin PATH] [--strict] [--family N] [--doc NAME]
#                                               score every document (writes corpus/realworld/results/);
#                                               documents of one repository folder run together too
#   scripts/realworld.sh label-template NAME... write or extend expected/NAME.json with "?" verdicts
#
# Snapshots are bare git directories under $REALWORLD_MIRROR (default /work/.mirror), one per
# repository, named OWNER+NAME/repo (or OWNER+NAME/repo/.git). The script never fetches: bring a
# missing repository with the snapshot tool first. See corpus/realworld/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export REALWORLD_ROOT="$ROOT"
export REALWORLD_MIRROR="${REALWORLD_MIRROR:-/work/.mirror}"

cmd=${1:-}
[[ -n "$cmd" ]] || { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
shift

exec python3 - "$cmd" "$@" <<'PY'
import json, os, re, shutil, subprocess, sys, collections

ROOT = os.environ["REALWORLD_ROOT"]
MIRROR = os.environ["REALWORLD_MIRROR"]
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from realworld_corpus import CORPUS, DOCS, doc_path, manifest  # noqa: E402
EXPECTED = os.path.join(CORPUS, "expected")
RESULTS = os.path.join(CORPUS, "results")
# Documents of one repository folder, copied back under their paths to be linted in one run.
RUNS = os.path.join(CORPUS, "runs")
# Rules whose findings are remarks about the reading, not claims of a defect.
REMARKS = {"notes-unrecognized"}
FAMILIES = {
    "1": "GFM footnotes (site generators)",
    "2": "hand-numbered Markdown notes",
    "3": "HTML / XHTML notes",
    "4": "plain text and transcripts",
    "5": "scholarly notes (Ibid., op. cit., short forms)",
    "6": "numbered references, non-note brackets",
}
# How far (in lines) a label may have drifted from its finding and still match it
# when the exact line has no finding with that rule and text.
DRIFT = 50


def gitdir(repo):
    base = os.path.join(MIRROR, repo.replace("/", "+", 1))
    for cand in (os.path.join(base, "repo", ".git"), os.path.join(base, "repo"), base):
        if os.path.isfile(os.path.join(cand, "HEAD")) and os.path.isdir(os.path.join(cand, "objects")):
            return cand
    return None


def fetch_check(_args):
    missing = sorted({r["repo"] for r in manifest() if gitdir(r["repo"]) is None})
    repos = {r["repo"] for r in manifest()}
    for repo in missing:
        print(f"missing: {repo}   (bring it with the snapshot tool: fetch github:{repo})")
    print(f"{len(repos) - len(missing)} of {len(repos)} repositories present in {MIRROR}")
    return 1 if missing else 0


def build(_args):
    os.makedirs(DOCS, exist_ok=True)
    bad = 0
    rows = manifest()
    for row in rows:
        g = gitdir(row["repo"])
        if g is None:
            print(f"skip {row['name']}: no snapshot of {row['repo']}", file=sys.stderr)
            bad += 1
            continue
        p = subprocess.run(["git", "--git-dir", g, "show", f"{row['commit']}:{row['path']}"],
                           capture_output=True)
        if p.returncode != 0:
            print(f"skip {row['name']}: {p.stderr.decode(errors='replace').strip()}", file=sys.stderr)
            bad += 1
            continue
        with open(doc_path(row), "wb") as f:
            f.write(p.stdout)
    print(f"built {len(rows) - bad} of {len(rows)} documents into {os.path.relpath(DOCS, ROOT)}")
    return 1 if bad else 0


def span_text(data, off, length):
    try:
        t = data[off:off + length].decode("utf-8", errors="replace")
    except Exception:
        return ""
    t = " ".join(t.split())
    return t[:80]


def run_files(binary, paths, cwd=None):
    """Runs the binary once on `paths` (relative to `cwd`); returns {path: findings}."""
    p = subprocess.run([binary, "check", "--no-config", "--no-progress", "--format", "json", *paths],
                       capture_output=True, cwd=cwd)
    if p.returncode not in (0, 1):
        raise SystemExit(f"{binary} failed on {' '.join(paths)[:300]} (exit {p.returncode}): {p.stderr.decode(errors='replace')[:500]}")
    report = json.loads(p.stdout)
    out, data = {path: [] for path in paths}, {}
    for d in report.get("diagnostics", []):
        path = d.get("path")
        if path not in out:
            raise SystemExit(f"{binary} reported {path!r}, which it was not given")
        if path not in data:
            with open(os.path.join(cwd or ".", path), "rb") as f:
                data[path] = f.read()
        out[path].append({
            "rule": d["rule"], "severity": d["severity"], "line": d.get("line", 0),
            "text": span_text(data[path], d.get("offset", 0), d.get("length", 0)),
            "message": d.get("message", ""),
        })
    return out


def run_bin(binary, path):
    return run_files(binary, [path])[path]


def run_groups(rows):
    """The documents that share a repository folder (and commit), two or more: an EPUB's
    chapters and its endnotes file link to each other and are checked together."""
    groups = collections.defaultdict(list)
    for row in rows:
        groups[(row["repo"], row["commit"], os.path.dirname(row["path"]))].append(row)
    return {key: g for key, g in groups.items() if len(g) >= 2}


def run_together(binary, group):
    """Copies the documents of `group` from docs/ back under their repository paths in
    runs/OWNER+NAME@COMMIT/ and lints them in one run; returns {name: findings}."""
    first = group[0]
    base = os.path.join(RUNS, first["repo"].replace("/", "+", 1) + "@" + first["commit"][:12])
    for row in group:
        dest = os.path.join(base, row["path"])
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(doc_path(row), dest)
    found = run_files(binary, [row["path"] for row in group], cwd=base)
    return {row["name"]: found[row["path"]] for row in group}


class Findings:
    """Each document's findings: from the run of its folder when it shares one with other
    documents of the manifest, else from a run of the document alone."""

    def __init__(self, binary, rows):
        self.binary = binary
        self.group_of = {}
        for key, group in run_groups(rows).items():
            for row in group:
                self.group_of[row["name"]] = group
        self.together = {}

    def of(self, row):
        group = self.group_of.get(row["name"])
        if group is None:
            return run_bin(self.binary, doc_path(row)), None
        if row["name"] not in self.together:
            self.together.update(run_together(self.binary, group))
        return self.together[row["name"]], len(group)


def load_labels(name):
    path = os.path.join(EXPECTED, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def match(labels, findings):
    """Pairs label i with finding j: same rule and span text, same line first, else the
    nearest line within DRIFT. Returns {label index: finding index}."""
    pairs, taken = {}, set()
    for exact in (True, False):
        for i, lab in enumerate(labels):
            if i in pairs:
                continue
            best = None
            for j, fd in enumerate(findings):
                if j in taken or fd["rule"] != lab.get("rule") or fd["text"] != lab.get("text", fd["text"]):
                    continue
                dist = abs(fd["line"] - lab.get("line", fd["line"]))
                if (exact and dist == 0) or (not exact and dist <= DRIFT):
                    if best is None or dist < best[0]:
                        best = (dist, j)
            if best is not None:
                pairs[i] = best[1]
                taken.add(best[1])
    return pairs


FOLDED = re.compile(r"\(the same on lines? ([0-9, and]+)\)")


def folded(label, findings):
    """Whether a finding of the label's rule names the label's line among the other places of
    one fault it reports once ("… (the same on lines 189, 191 and 193)")."""
    for fd in findings:
        m = FOLDED.search(fd["message"]) if fd["rule"] == label.get("rule") else None
        if m and str(label.get("line")) in re.findall(r"[0-9]+", m.group(1)):
            return True
    return False


def missed_found(item, findings):
    for fd in findings:
        if item.get("rule") in (None, "*", fd["rule"]) and abs(fd["line"] - item.get("line", -99)) <= 1:
            return True
    return False


def pct(a, b):
    return f"{100.0 * a / b:5.1f}%" if b else "    -"


def score(args):
    binary = os.path.join(ROOT, "target", "release", "notelint")
    strict, only_family, only_doc = False, None, None
    it = iter(args)
    for a in it:
        if a == "--bin":
            binary = next(it)
        elif a == "--strict":
            strict = True
        elif a == "--family":
            only_family = next(it)
        elif a == "--doc":
            only_doc = next(it)
        else:
            raise SystemExit(f"unknown option {a}")
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"no binary at {binary}: run `cargo build --release` or pass --bin")
    os.makedirs(RESULTS, exist_ok=True)
    Z = lambda: collections.Counter()
    by_rule, by_family, by_sev = collections.defaultdict(Z), collections.defaultdict(Z), collections.defaultdict(Z)
    per_doc_false, regressions, unlabelled, gone_false = [], [], [], []
    docs_per_family = collections.Counter()
    labelled_docs = 0
    runs = Findings(binary, manifest())
    together_docs, only_together, only_alone = 0, [], []
    for row in manifest():
        if only_family and row["family"] != only_family or only_doc and row["name"] != only_doc:
            continue
        path = doc_path(row)
        if not os.path.exists(path):
            raise SystemExit(f"{path} missing: run `scripts/realworld.sh build` first")
        fam = row["family"]
        docs_per_family[fam] += 1
        findings, group_size = runs.of(row)
        if group_size is not None:
            # What running the folder together changes, against the document alone.
            together_docs += 1
            alone = run_bin(binary, path)
            key = lambda f: (f["rule"], f["line"], f["text"], f["message"])
            alone_keys, together_keys = collections.Counter(map(key, alone)), collections.Counter(map(key, findings))
            for k in (together_keys - alone_keys):
                only_together.append(f"{row['name']}:{k[1]}: {k[0]} {k[2]!r}: {k[3]}")
            for k in (alone_keys - together_keys):
                only_alone.append(f"{row['name']}:{k[1]}: {k[0]} {k[2]!r}: {k[3]}")
        with open(os.path.join(RESULTS, row["name"] + ".json"), "w", encoding="utf-8") as f:
            json.dump(findings, f, indent=1)
        lab = load_labels(row["name"])
        labels = (lab or {}).get("findings", [])
        missed = (lab or {}).get("missed", [])
        labelled_docs += lab is not None
        pairs = match(labels, findings)
        verdict_of = {j: labels[i].get("verdict", "?") for i, j in pairs.items()}
        nfalse = 0
        for j, fd in enumerate(findings):
            v = verdict_of.get(j, "?")
            kind = {"true": "true", "false": "false"}.get(v, "unlabelled")
            for c in (by_rule[fd["rule"]], by_family[fam], by_sev[fd["severity"]]):
                c["findings"] += 1
                c[kind] += 1
            if kind == "false":
                nfalse += 1
            if kind == "unlabelled":
                unlabelled.append(f"{row['name']}:{fd['line']}: {fd['rule']} {fd['text']!r}")
        for i, l in enumerate(labels):
            v = l.get("verdict", "?")
            if v == "true":
                # A remark (notes-unrecognized) that is accurate is no defect found.
                if l["rule"] not in REMARKS:
                    for c in (by_rule[l["rule"]], by_family[fam]):
                        c["known"] += 1
                        c["found"] += i in pairs or folded(l, findings)
                if i not in pairs and not folded(l, findings):
                    regressions.append(f"{row['name']}:{l.get('line')}: TRUE {l['rule']} {l.get('text')!r} disappeared")
            elif v == "false" and i not in pairs and not l.get("gone"):
                gone_false.append(f"{row['name']}:{l.get('line')}: {l['rule']} {l.get('text')!r}")
            elif v == "false" and i in pairs and l.get("gone"):
                regressions.append(f"{row['name']}:{l.get('line')}: FALSE {l['rule']} {l.get('text')!r} came back")
        true_rules_lines = {(labels[i]["rule"], labels[i].get("line")) for i in pairs
                            if labels[i].get("verdict") == "true"}
        for m in missed:
            hit = missed_found(m, findings)
            # A missed defect that a finding labelled TRUE now reports is counted once, there.
            if hit and any(r == m.get("rule") for r, _ in true_rules_lines):
                continue
            for c in (by_rule[m.get("rule", "*")], by_family[fam]):
                c["known"] += 1
                c["found"] += hit
        if nfalse > 2:
            per_doc_false.append((nfalse, row["name"]))

    cols = ("findings", "true", "false", "unlabelled")
    def table(title, keys, counters, names=None):
        print(f"\n{title:<48} {'findings':>8} {'true':>5} {'false':>5} {'unlab':>6} {'precision':>9} {'known':>6} {'found':>6} {'recall':>7}")
        tot = collections.Counter()
        for k in keys:
            c = counters[k]
            tot.update(c)
            label = f"{k} {names[k]}"[:48] if names else k
            print(f"{label:<48} {c['findings']:>8} {c['true']:>5} {c['false']:>5} {c['unlabelled']:>6} "
                  f"{pct(c['true'], c['true'] + c['false']):>9} {c['known']:>6} {c['found']:>6} {pct(c['found'], c['known']):>7}")
        print(f"{'total':<48} {tot['findings']:>8} {tot['true']:>5} {tot['false']:>5} {tot['unlabelled']:>6} "
              f"{pct(tot['true'], tot['true'] + tot['false']):>9} {tot['known']:>6} {tot['found']:>6} {pct(tot['found'], tot['known']):>7}")

    print(f"documents: {sum(docs_per_family.values())} ({labelled_docs} labelled); per family: "
          + ", ".join(f"{k}: {docs_per_family[k]}" for k in sorted(docs_per_family)))
    print(f"run together with the other documents of their folder: {together_docs}; "
          f"findings only then: {len(only_together)}; only alone: {len(only_alone)}")
    for t in only_together:
        print("  together: " + t)
    for t in only_alone:
        print("  alone:    " + t)
    table("per rule", sorted(by_rule, key=lambda r: -by_rule[r]["findings"]), by_rule)
    table("per family", sorted(by_family), by_family, FAMILIES)
    table("per severity", [s for s in ("error", "warning", "info") if s in by_sev], by_sev)
    if per_doc_false:
        print("\ndocuments with more than 2 false findings:")
        for n, name in sorted(per_doc_false, reverse=True):
            print(f"  {n:4} {name}")
    if gone_false:
        print(f"\nfalse findings no longer reported ({len(gone_false)}; mark them \"gone\": true to guard them):")
        for g in gone_false[:50]:
            print("  " + g)
    if unlabelled:
        print(f"\nunlabelled findings: {len(unlabelled)} (label them with `scripts/realworld.sh label-template NAME`)")
        for u in unlabelled[:40]:
            print("  " + u)
        if len(unlabelled) > 40:
            print(f"  ... and {len(unlabelled) - 40} more (see corpus/realworld/results/)")
    if regressions:
        print(f"\nREGRESSIONS ({len(regressions)}):")
        for r in regressions:
            print("  " + r)
        return 1
    return 1 if strict and unlabelled else 0


def label_template(args):
    binary = os.path.join(ROOT, "target", "release", "notelint")
    names = []
    it = iter(args)
    for a in it:
        if a == "--bin":
            binary = next(it)
        else:
            names.append(a)
    if not names:
        raise SystemExit("usage: scripts/realworld.sh label-template [--bin PATH] NAME...")
    rows = {r["name"]: r for r in manifest()}
    runs = Findings(binary, manifest())
    os.makedirs(EXPECTED, exist_ok=True)
    for name in names:
        if name not in rows:
            raise SystemExit(f"{name} is not in the manifest")
        findings, _ = runs.of(rows[name])
        lab = load_labels(name) or {"findings": [], "missed": []}
        pairs = match(lab["findings"], findings)
        taken = set(pairs.values())
        for j, fd in enumerate(findings):
            if j not in taken:
                lab["findings"].append({"rule": fd["rule"], "line": fd["line"], "text": fd["text"],
                                        "verdict": "?", "reason": "", "message": fd["message"]})
        lab["findings"].sort(key=lambda l: (l.get("line", 0), l.get("rule", "")))
        lab.setdefault("missed", [])
        with open(os.path.join(EXPECTED, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(lab, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"{name}: {len(findings)} findings, {len(findings) - len(taken)} new \"?\" labels")
    return 0


cmds = {"fetch-check": fetch_check, "build": build, "score": score, "label-template": label_template}
cmd = sys.argv[1]
if cmd not in cmds:
    raise SystemExit(f"unknown command {cmd}: one of {', '.join(cmds)}")
sys.exit(cmds[cmd](sys.argv[2:]))
PY
