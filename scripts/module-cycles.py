#!/usr/bin/env python3
"""Lists import cycles between the library's top-level modules (src/*.rs and src/*/).

A module "imports" another when its non-test code names `crate::OTHER` (or `super::` from a
top-level folder's files, which stays inside the module). Test modules (`#[cfg(test)]` to the
end of a file, where this project keeps them) are left out: tests may use anything. Prints
each strongly connected group of two or more modules, or "no cycles"; exits 1 on a cycle.
"""
import os
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
graph = {}
for folder, _, files in os.walk(root):
    for name in files:
        if not name.endswith(".rs"):
            continue
        path = os.path.join(folder, name)
        rel = os.path.relpath(path, root)[:-3].split(os.sep)
        top = rel[0] if rel[0] not in ("lib", "main") else "lib"
        text = open(path, encoding="utf-8").read()
        text = text.split("#[cfg(test)]", 1)[0]
        text = re.sub(r"//[^\n]*", "", text)
        deps = graph.setdefault(top, set())
        for m in re.finditer(r"\bcrate::(\w+)", text):
            if m.group(1) != top:
                deps.add(m.group(1))
graph.pop("lib", None)
for deps in graph.values():
    deps.discard("lib")

# Tarjan's strongly connected components.
index, low, on, stack, out = {}, {}, set(), [], []
def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v); on.add(v)
    for w in graph.get(v, ()):
        if w not in graph:
            continue
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            out.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in sorted(graph):
    if v not in index:
        visit(v)
if not out:
    print(f"no cycles among {len(graph)} modules")
    sys.exit(0)
for comp in out:
    print("cycle:", ", ".join(comp))
    for v in comp:
        print(f"  {v} -> {', '.join(sorted(d for d in graph[v] if d in comp))}")
sys.exit(1)
