"""The real-world corpus's layout and manifest, shared by scripts/realworld.sh and
scripts/realworld-crosscheck.py."""

import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "corpus", "realworld")
DOCS = os.path.join(CORPUS, "docs")


def manifest():
    """The rows of corpus/realworld/manifest.tsv, as dicts keyed by its header."""
    rows = []
    with open(os.path.join(CORPUS, "manifest.tsv"), encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            if line.strip() and not line.startswith("#"):
                rows.append(dict(zip(header, line.rstrip("\n").split("\t"))))
    return rows


def doc_path(row):
    """Where `build` puts a manifest row's document: its name with the file's extension."""
    return os.path.join(DOCS, row["name"] + os.path.splitext(row["path"])[1])
