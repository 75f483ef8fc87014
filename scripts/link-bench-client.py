#!/usr/bin/env python3
"""The bare client scripts/bench-links.sh times as the floor for a link checker.

usage: link-bench-client.py LINKS_FILE VERDICTS_OUT [CONCURRENCY]

Reads the http:// URLs of LINKS_FILE (one `[n] See URL` line each, as the bench writes them)
and GETs each once, CONCURRENCY (64) at a time, with raw HTTP/1.1 over asyncio streams
(standard library only): no per-host limit, no retries, no HEAD, redirects followed (at most
10). Connections are kept alive and reused per host. Writes {url: final status, or "error"}
as JSON to VERDICTS_OUT and prints the requests it sent.

It does the least a checker must, so its time is what the network and the server cost; a
checker's time above it is its own politeness and retries."""
import asyncio
import json
import re
import sys
from urllib.parse import urljoin, urlsplit

MAX_REDIRECTS = 10

links_file, out_file = sys.argv[1], sys.argv[2]
concurrency = int(sys.argv[3]) if len(sys.argv) > 3 else 64
requests = 0
# Idle keep-alive connections per (host, port).
idle = {}


async def read_response(reader):
    """The status and headers of one response, its body read and dropped."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split(b" ", 2)[1])
    headers = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        k, _, v = line.decode("latin-1").partition(":")
        headers[k.strip().lower()] = v.strip()
    length = int(headers.get("content-length", "0") or 0)
    if length:
        await reader.readexactly(length)
    return status, headers


async def get(url):
    """One GET of `url` on a reused connection (a new one if the reused one was closed)."""
    global requests
    parts = urlsplit(url)
    key = (parts.hostname, parts.port or 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request = (f"GET {path} HTTP/1.1\r\nhost: {parts.netloc}\r\n"
               f"user-agent: bench-bare-client\r\n\r\n").encode()
    for fresh in (False, True):
        pool = idle.setdefault(key, [])
        if pool and not fresh:
            reader, writer = pool.pop()
        else:
            reader, writer = await asyncio.open_connection(*key)
        try:
            writer.write(request)
            await writer.drain()
            status, headers = await read_response(reader)
        except (ConnectionError, asyncio.IncompleteReadError):
            writer.close()
            if fresh:
                raise
            continue
        requests += 1
        if headers.get("connection", "").lower() == "close":
            writer.close()
        else:
            pool.append((reader, writer))
        return status, headers
    raise ConnectionError("unreachable")


async def check(url, limit):
    async with limit:
        current = url
        try:
            for _ in range(MAX_REDIRECTS + 1):
                status, headers = await get(current)
                if 300 <= status < 400 and "location" in headers:
                    current = urljoin(current, headers["location"])
                    continue
                return status
        except (OSError, ValueError, asyncio.IncompleteReadError):
            pass
        return "error"


async def main():
    text = open(links_file, encoding="utf-8").read()
    urls = list(dict.fromkeys(re.findall(r"^\[\d+\] See (http://\S+)$", text, re.M)))
    limit = asyncio.Semaphore(concurrency)
    verdicts = await asyncio.gather(*(check(u, limit) for u in urls))
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump(dict(zip(urls, verdicts)), f)
    print(f"{requests} requests")


if __name__ == "__main__":
    asyncio.run(main())
