#!/usr/bin/env python3
"""Writes a synthetic corpus of blog posts with numbered notes for notelint's benchmarks.

usage: gen-corpus.py OUT_DIR [--mb 100] [--format text|markdown|html] [--seed 1]

Each file is a page of several posts in the shape scraped blogs have: indented paragraphs
with markers, a bibliography, a notes list with full citations, short forms, Ibid. chains
and URLs (some wrapped onto the next line), and page furniture between posts. The text is
made up from word lists; it only has to look like prose to the parser.
"""
import argparse
import os
import random

WORDS = ("the archive record harbour council report border policy survey ledger river "
         "village market witness letter station museum treaty famine railway census "
         "committee minister mission school hospital factory union strike winter").split()
NAMES = ["Lind", "Berg", "Holm", "Dahl", "Moe", "Vik", "Aas", "Roux", "Merle", "Lopes",
         "Okafor", "Tanaka", "Novak", "Silva", "Kowalski", "Haddad", "Mendes", "Park"]
FIRST = ["Anna", "Jon", "Eva", "Karl", "Mira", "Paul", "Sofia", "Tomas", "Lea", "Omar"]
PUBS = ["Coastal Review", "Northern History", "Archive Notes", "Policy Quarterly",
        "The Harbour Times", "Regional Studies"]


def sentence(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def title(rng):
    return " ".join(rng.choice(WORDS).capitalize() for _ in range(rng.randint(3, 7)))


def full_citation(rng, i):
    name, first = rng.choice(NAMES), rng.choice(FIRST)
    year = rng.randint(1990, 2025)
    slug = title(rng).lower().replace(" ", "-")
    url = f"https://{rng.choice(PUBS).lower().replace(' ', '-')}.example.org/{year}/{i:03d}/{slug}/"
    return (f"{first} {name}, “{title(rng)},” {rng.choice(PUBS)}, May {rng.randint(1, 28)}, {year}, ", url)


def post_text(rng, n_notes, fmt, post=0):
    notes = []
    last_full = None
    for i in range(1, n_notes + 1):
        r = rng.random()
        if last_full and r < 0.3:
            notes.append(("Ibid." if rng.random() < 0.5 else f"Ibid., {rng.randint(2, 300)}.", None))
        elif last_full and r < 0.4:
            notes.append((last_full[0].split(",")[0].split()[-1] + ", “" + last_full[1] + ".”", None))
        else:
            text, url = full_citation(rng, i)
            last_full = (text, text.split("“")[1].split(",”")[0])
            notes.append((text, url))
    paragraphs, n = [], 1
    while n <= n_notes:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            s = sentence(rng, rng.randint(8, 20))
            if n <= n_notes and rng.random() < 0.7:
                s += fmt_marker(fmt, n, post)
                n += 1
            sentences.append(s)
        paragraphs.append(" ".join(sentences))
    return paragraphs, notes


def fmt_marker(fmt, n, post=0):
    if fmt == "markdown":
        return f"[^{n}]"
    if fmt == "html":
        # Ids carry the post's number, so that the posts of one page do not share them.
        return f'<sup><a href="#fn-{post}-{n}" id="ref-{post}-{n}">[{n}]</a></sup>'
    return f"[{n}]"


def render(rng, fmt, posts):
    out = []
    if fmt == "html":
        out.append("<!DOCTYPE html><html><head><title>Blog</title></head><body>\n")
    for p in range(posts):
        n_notes = rng.randint(15, 70)
        paragraphs, notes = post_text(rng, n_notes, fmt, p)
        head = title(rng)
        if fmt == "text":
            out.append(f"{head}\n\n{rng.randint(1, 12)}/{rng.randint(1, 28)}/2025\n\n0 Comments\n\n")
            out.extend(f"          {p}\n\u00a0\n" for p in paragraphs)
            out.append("\nBibliography\n")
            for text, url in notes:
                if url:
                    out.append(f"{text}{url}\n\n")
            out.append("\n")
            for i, (text, url) in enumerate(notes, 1):
                if url and rng.random() < 0.2:
                    out.append(f"[{i}] {text}\n{url}\n")
                else:
                    out.append(f"[{i}] {text}{url or ''}\n")
            out.append("0 Comments\n\n")
        elif fmt == "markdown":
            out.append(f"# {head}\n\n")
            out.extend(f"{p}\n\n" for p in paragraphs)
            out.append("## Notes\n\n")
            for i, (text, url) in enumerate(notes, 1):
                out.append(f"[^{i}]: {text}{url or ''}\n")
            out.append("\n")
        else:
            out.append(f"<article><h1>{head}</h1>\n")
            out.extend(f"<p>{p}</p>\n" for p in paragraphs)
            out.append('<section class="footnotes"><ol>\n')
            for i, (text, url) in enumerate(notes, 1):
                link = f'<a href="{url}">{url}</a>' if url else ""
                out.append(f'<li id="fn-{p}-{i}"><p>{text}{link} <a href="#ref-{p}-{i}">↩</a></p></li>\n')
            out.append("</ol></section></article>\n")
    if fmt == "html":
        out.append("</body></html>\n")
    return "".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--format", choices=["text", "markdown", "html"], default="text")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    ext = {"text": "txt", "markdown": "md", "html": "html"}[args.format]
    os.makedirs(args.out, exist_ok=True)
    target, written, i = args.mb * 1_000_000, 0, 0
    while written < target:
        # A Markdown file is one post: its footnote labels are global to the file.
        posts = 1 if args.format == "markdown" else rng.randint(3, 6)
        data = render(rng, args.format, posts).encode()
        with open(os.path.join(args.out, f"page-{i:05d}.{ext}"), "wb") as f:
            f.write(data)
        written += len(data)
        i += 1
    print(f"{i} files, {written / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
