#!/usr/bin/env python3
"""Local HTTP servers for scripts/bench-links.sh.

usage: link-bench-server.py [BASE] [PORTS] [LATENCY] [SLOW_LATENCY] [RETRY_AFTER]

PORTS ports from BASE answer every request after LATENCY seconds; one more port (BASE + PORTS)
is a slow host answering after SLOW_LATENCY seconds. The first path segment says what a URL
does (the bench scores each tool's verdict against it):

  /page/...        200                          /dead/...        404
  /moved/...       301 to /page/...             /chain/N/...     N 302 hops, then /page/...
  /e500once/...    500, then 200                /e500always/...  500 every time
  /r429once/...    429 Retry-After: SECONDS, then 200
  /r429date/...    429 Retry-After: an HTTP date SECONDS ahead, then 200
  /r429always/...  429 Retry-After: SECONDS every time
  /r503once/...    503 Retry-After: SECONDS, then 200
  /r503always/...  503 Retry-After: SECONDS every time

"Once" counts requests to the URL (any method). Keep-alive HTTP/1.1.

A control port (BASE - 1) answers GET /stats with the request counts as JSON (also the most
requests in flight at once on one port, and retries that came before the Retry-After window
their URL was given had passed), GET /trace with every request since the last reset as
[seconds since the reset, port, method, target, status], and GET /reset clears them."""
import asyncio
import email.utils
import json
import sys
import time

base = int(sys.argv[1]) if len(sys.argv) > 1 else 18400
ports = int(sys.argv[2]) if len(sys.argv) > 2 else 20
latency = float(sys.argv[3]) if len(sys.argv) > 3 else 0.05
slow_latency = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
retry_after = int(sys.argv[5]) if len(sys.argv) > 5 else 1

stats = {}


def reset():
    stats.clear()
    stats.update(total=0, head=0, get=0, other=0, connections=0, busy={}, most={}, urls={},
                 window={}, early=0, limited=0, trace=[], t0=time.time())


reset()


async def read_head(reader):
    lines = []
    while True:
        line = await reader.readline()
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            return lines
        lines.append(line.decode("latin-1").rstrip("\r\n"))


def answer(port, target, seen):
    """The status line, extra headers and body for the `seen`-th request to `target`."""
    parts = target.split("?")[0].strip("/").split("/")
    kind = parts[0]
    rest = "/".join(parts[1:])
    ok = (b"200 OK", [], b"<!doctype html><title>ok</title>ok\n")
    if kind == "dead":
        return b"404 Not Found", [], b"not found\n"
    if kind == "moved":
        return b"301 Moved Permanently", [f"location: /page/{rest}"], b""
    if kind == "chain":
        left = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        tail = "/".join(parts[2:])
        to = f"/chain/{left - 1}/{tail}" if left > 1 else f"/page/{tail}"
        return b"302 Found", [f"location: {to}"], b""
    if kind == "e500once" and seen == 1 or kind == "e500always":
        return b"500 Internal Server Error", [], b"oops\n"
    limited = (kind in ("r429once", "r429date", "r503once") and seen == 1
               or kind in ("r429always", "r503always"))
    if limited:
        now = time.time()
        if kind == "r429date":
            # An HTTP date has whole seconds: ask for one more so the wait is never short.
            until = int(now) + retry_after + 1
            value = email.utils.formatdate(until, usegmt=True)
        else:
            until = now + retry_after
            value = str(retry_after)
        stats["window"][f"{port}{target}"] = until
        stats["limited"] += 1
        status = b"503 Service Unavailable" if kind.startswith("r503") else b"429 Too Many Requests"
        return status, [f"retry-after: {value}"], b"slow down\n"
    return ok


def serve(port, delay):
    async def handle(reader, writer):
        stats["connections"] += 1
        try:
            while True:
                head = await read_head(reader)
                if not head:
                    break
                method, target = head[0].split(" ")[:2]
                length = 0
                for h in head[1:]:
                    k, _, v = h.partition(":")
                    if k.strip().lower() == "content-length":
                        length = int(v.strip() or 0)
                if length:
                    await reader.readexactly(length)
                stats["total"] += 1
                stats[method.lower() if method in ("HEAD", "GET") else "other"] += 1
                key = f"{port}{target}"
                seen = stats["urls"].get(key, 0) + 1
                stats["urls"][key] = seen
                # A retry before the window its URL was given has passed (a second of slack
                # for the HTTP date's rounding is not needed: the date is rounded up).
                if stats["window"].get(key, 0) > time.time() + 0.005:
                    stats["early"] += 1
                busy = stats["busy"].get(port, 0) + 1
                stats["busy"][port] = busy
                stats["most"][port] = max(stats["most"].get(port, 0), busy)
                arrived = time.time()
                await asyncio.sleep(delay)
                stats["busy"][port] -= 1
                status, headers, body = answer(port, target, seen)
                stats["trace"].append((round(arrived - stats["t0"], 4), port, method, target,
                                       int(status[:3])))
                extra = "".join(f"{h}\r\n" for h in headers).encode()
                writer.write(
                    b"HTTP/1.1 " + status + b"\r\ncontent-type: text/html\r\n" + extra
                    + b"content-length: " + str(len(body)).encode() + b"\r\n\r\n"
                    + (b"" if method == "HEAD" else body)
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            writer.close()

    return handle


async def control(reader, writer):
    head = await read_head(reader)
    if head and "/reset" in head[0]:
        reset()
        body = b"{}"
    elif head and "/trace" in head[0]:
        body = json.dumps(stats["trace"]).encode()
    else:
        urls = stats["urls"]
        body = json.dumps({
            "total": stats["total"], "head": stats["head"], "get": stats["get"],
            "other": stats["other"], "connections": stats["connections"], "distinct": len(urls),
            "most_at_once_per_port": max(stats["most"].values(), default=0),
            "max_requests_per_url": max(urls.values(), default=0),
            "rate_limited": stats["limited"], "retried_before_retry_after": stats["early"],
        }).encode()
    writer.write(b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: "
                 + str(len(body)).encode() + b"\r\n\r\n" + body)
    await writer.drain()
    writer.close()


async def main():
    servers = [await asyncio.start_server(serve(p, latency), "127.0.0.1", p, backlog=1024)
               for p in range(base, base + ports)]
    servers.append(await asyncio.start_server(serve(base + ports, slow_latency), "127.0.0.1",
                                              base + ports, backlog=1024))
    servers.append(await asyncio.start_server(control, "127.0.0.1", base - 1))
    print(f"serving {ports} ports from {base} ({latency} s), a slow host on {base + ports} "
          f"({slow_latency} s), control on {base - 1}", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
