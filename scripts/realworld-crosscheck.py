#!/usr/bin/env python3
"""Independent cross-check of the real-world corpus (issue 15).

Finds candidate note defects in corpus/realworld/docs/ WITHOUT notelint, so that the
labels' "missed" lists can be filled from a second opinion and recall measured:

  Markdown (.md, .markdown)  parsed with markdown-it-py + its footnote plugin (and the
                             front-matter plugin, so line numbers stay right):
                             - references [^x] with no definition (the text stays literal),
                             - definitions never referenced, definitions with no content,
                             - duplicate definitions (markdown-it keeps the last one silently).
                             [^x] written inside raw HTML blocks is reported separately: CommonMark
                             leaves it raw, kramdown-style generators may not.
  HTML (.html, .htm, .xhtml) - href="#x" whose target x is neither an id nor an <a name> in the
                               same file,
                             - href="FILE#x" to another file of the same repository directory
                               that is in the corpus (EPUB chapters -> endnotes.xhtml#note-N,
                               endnotes -> chapter-N.xhtml#noteref-N): checked against that file's
                               ids; links to files outside the corpus are counted, not checked,
                             - duplicate ids (or names) that some link targets.
  reStructuredText (.rst)    [N]_ references with no ".. [N]" target, and targets never referenced.
  plain text (.txt)          (stops at Project Gutenberg's licence text)
                             [N] in running text with no "[N]" note line, and note lines
                             ("[N] ...", "[Footnote N: ...]") with no marker: CANDIDATES ONLY,
                             they must be read.

Every line printed is a candidate; a real defect is one a reader of the document confirms.

Requires: python3 >= 3.8, markdown-it-py and mdit-py-plugins for the Markdown check
(`pip install markdown-it-py mdit-py-plugins`). Without them the script stops with a message.

Usage: scripts/realworld-crosscheck.py [--json] [NAME...]   (default: every document)
"""
import html
import html.parser
import json
import os
import re
import sys
import urllib.parse

try:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin
except ImportError:
    sys.exit("realworld-crosscheck: the Markdown check needs markdown-it-py and mdit-py-plugins;\n"
             "install them with `pip install markdown-it-py mdit-py-plugins` and run again.")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from realworld_corpus import doc_path, manifest  # noqa: E402


def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    return data.decode("utf-8", errors="replace")


# ---------------------------------------------------------------- Markdown

FN_REF = re.compile(r"\[\^([^\]\s]+)\]")


def check_markdown(text):
    md = MarkdownIt("commonmark").use(front_matter_plugin).use(footnote_plugin)
    # The plugin's tail rule drops unreferenced definitions from the token stream; keep them.
    md.disable("footnote_tail")
    env = {}
    tokens = md.parse(text, env)
    out = []
    defs = {}  # label -> [lines]
    refs = {}  # label -> first line
    literal = []  # (label, line) [^x] left as text
    in_html = []  # (label, line) [^x] inside raw HTML blocks (comments excluded)

    for k, t in enumerate(tokens):
        if t.type == "footnote_reference_open":
            line = (t.map[0] + 1) if t.map else 0
            defs.setdefault(t.meta.get("label"), []).append(line)
            if k + 1 < len(tokens) and tokens[k + 1].type == "footnote_reference_close":
                out.append((line, "empty-definition",
                            f"[^{t.meta.get('label')}]: has no content (a body indented under 4 spaces falls out of it)"))
        elif t.type == "html_block":
            if t.content.lstrip().startswith("<!--"):
                continue  # commented out: not rendered at all
            for m in FN_REF.finditer(t.content):
                in_html.append((m.group(1), t.map[0] + 1 + t.content.count("\n", 0, m.start())))
        elif t.type == "inline":
            line = t.map[0] + 1 if t.map else 0
            run, run_line = [], line

            def flush():
                for m in FN_REF.finditer("".join(run)):
                    literal.append((m.group(1), run_line))
                run.clear()
            for c in t.children or []:
                if c.type == "text":
                    if not run:
                        run_line = line
                    run.append(c.content)
                    continue
                flush()
                if c.type in ("softbreak", "hardbreak"):
                    line += 1
                elif c.type == "footnote_ref":
                    refs.setdefault(c.meta.get("label"), line)
                elif c.type == "html_inline":
                    line += c.content.count("\n")
            flush()
    for label, line in literal:
        out.append((line, "undefined-reference", f"[^{label}] has no definition; it renders literally"))
    for label, lines in defs.items():
        if label not in refs:
            html_uses = [l for lab, l in in_html if lab == label]
            note = (f" (written inside raw HTML at line {html_uses[0]}: CommonMark leaves it raw)"
                    if html_uses else "")
            out.append((lines[0], "unreferenced-definition", f"[^{label}]: is never referenced{note}"))
        if len(lines) > 1:
            out.append((lines[1], "duplicate-definition",
                        f"[^{label}]: defined {len(lines)} times (lines {', '.join(map(str, lines))})"))
    for label, line in in_html:
        if label not in defs:
            out.append((line, "undefined-reference-in-html", f"[^{label}] inside raw HTML, no definition"))
    return out


# ---------------------------------------------------------------- HTML

class Collect(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = {}    # id or name -> [lines]
        self.links = []  # (href, line)

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        a = dict(attrs)
        for key in ("id",):
            if a.get(key):
                self.ids.setdefault(a[key], []).append(line)
        if tag == "a" and a.get("name"):
            if a.get("name") != a.get("id"):
                self.ids.setdefault(a["name"], []).append(line)
        if tag == "a" and a.get("href") is not None:
            self.links.append((a["href"], line))

    handle_startendtag = handle_starttag


def parse_html(path):
    c = Collect()
    try:
        c.feed(read_text(path))
        c.close()
    except Exception as e:  # a broken document is itself a finding for the reader
        print(f"warning: {path}: {e}", file=sys.stderr)
    return c


_html_cache = {}


def parsed(path):
    if path not in _html_cache:
        _html_cache[path] = parse_html(path)
    return _html_cache[path]


def check_html(row, by_repo_path, stats):
    path = doc_path(row)
    c = parsed(path)
    out = []
    targeted = set()
    base_dir = os.path.dirname(row["path"])
    for href, line in c.links:
        href = href.strip()
        if not href or "#" not in href or re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
            continue
        file_part, frag = href.split("#", 1)
        frag = urllib.parse.unquote(html.unescape(frag))
        if not frag:
            continue
        if file_part in ("", os.path.basename(row["path"])):
            targeted.add(frag)
            if frag not in c.ids:
                out.append((line, "fragment-no-target", f'href="{href}": no id or name "{frag}" in this file'))
            continue
        target = os.path.normpath(os.path.join(base_dir, urllib.parse.unquote(file_part)))
        other = by_repo_path.get((row["repo"], target))
        if other is None:
            stats["cross_file_unchecked"] += 1
            continue
        stats["cross_file_checked"] += 1
        oc = parsed(doc_path(other))
        if frag not in oc.ids:
            out.append((line, "cross-file-no-target",
                        f'href="{href}": no id or name "{frag}" in {other["name"]} (same book, in the corpus)'))
    for ident, lines in c.ids.items():
        if len(lines) > 1 and ident in targeted:
            out.append((lines[1], "duplicate-target",
                        f'id/name "{ident}" appears {len(lines)} times (lines {", ".join(map(str, lines))}) and is linked to'))
    return out


# ---------------------------------------------------------------- reStructuredText

RST_REF = re.compile(r"\[(\d+|#[\w-]*)\]_")
RST_DEF = re.compile(r"^\s*\.\.\s+\[(\d+|#[\w-]*)\]")


def check_rst(text):
    out = []
    refs, defs = {}, {}
    for n, line in enumerate(text.split("\n"), 1):
        m = RST_DEF.match(line)
        if m:
            defs.setdefault(m.group(1), []).append(n)
            continue
        for r in RST_REF.finditer(line):
            refs.setdefault(r.group(1), n)
    for lab, n in refs.items():
        if lab.startswith("#"):
            continue
        if lab not in defs:
            out.append((n, "undefined-reference", f"[{lab}]_ has no .. [{lab}] target (docutils error)"))
    for lab, ns in defs.items():
        if lab.startswith("#"):
            continue
        if lab not in refs:
            out.append((ns[0], "unreferenced-definition", f".. [{lab}] is never referenced"))
        if len(ns) > 1:
            out.append((ns[1], "duplicate-definition", f".. [{lab}] defined {len(ns)} times"))
    return out


# ---------------------------------------------------------------- plain text

TXT_NOTE = re.compile(r"^\s*\[(?:Footnote\s+)?(\d{1,3}|[A-Z])(?:[:\]])")
TXT_MARK = re.compile(r"\[(\d{1,3}|[A-Z])\]")


GUTENBERG_SMALL_PRINT = re.compile(r"START\*\*THE SMALL PRINT|\*\*\* ?END OF (THE|THIS) PROJECT GUTENBERG", re.I)


def check_text(text):
    out = []
    notes, marks = {}, {}
    for n, line in enumerate(text.split("\n"), 1):
        if GUTENBERG_SMALL_PRINT.search(line):
            break  # licence boilerplate: its [1] [2] are enumerations
        m = TXT_NOTE.match(line)
        rest_start = 0
        if m:
            notes.setdefault(m.group(1), []).append(n)
            rest_start = m.end()
        for r in TXT_MARK.finditer(line, rest_start):
            marks.setdefault(r.group(1), []).append(n)
    for lab, ns in marks.items():
        if lab not in notes:
            out.append((ns[0], "marker-no-note", f"[{lab}] in running text ({len(ns)}x), no [{lab}] note line"))
    for lab, ns in notes.items():
        if lab not in marks:
            out.append((ns[0], "note-no-marker", f"note [{lab}] has no [{lab}] in running text"))
        elif len(ns) > len(marks[lab]):
            out.append((ns[1], "more-notes-than-markers",
                        f"[{lab}]: {len(ns)} note lines, {len(marks[lab])} markers (candidate: per-chapter numbering?)"))
    return out


# ---------------------------------------------------------------- main

def main(argv):
    as_json = "--json" in argv
    names = [a for a in argv if not a.startswith("--")]
    rows = manifest()
    by_repo_path = {(r["repo"], os.path.normpath(r["path"])): r for r in rows}
    stats = {"cross_file_checked": 0, "cross_file_unchecked": 0}
    result = {}
    for row in rows:
        if names and row["name"] not in names:
            continue
        path = doc_path(row)
        if not os.path.exists(path):
            sys.exit(f"{path} missing: run `scripts/realworld.sh build` first")
        ext = os.path.splitext(path)[1].lower()
        if ext in (".md", ".markdown"):
            found = check_markdown(read_text(path))
        elif ext in (".html", ".htm", ".xhtml", ".xht"):
            found = check_html(row, by_repo_path, stats)
        elif ext == ".rst":
            found = check_rst(read_text(path))
        elif ext == ".txt":
            found = check_text(read_text(path))
        else:
            found = []
        if found:
            result[row["name"]] = sorted(found)
    if as_json:
        json.dump({"candidates": result, "stats": stats}, sys.stdout, indent=1)
        print()
    else:
        for name, found in result.items():
            for line, kind, msg in found:
                print(f"{name}:{line}: {kind}: {msg}")
        total = sum(len(v) for v in result.values())
        print(f"\n{total} candidates in {len(result)} documents; cross-file fragment links: "
              f"{stats['cross_file_checked']} checked against a file of the corpus, "
              f"{stats['cross_file_unchecked']} to files outside it (not checked)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
