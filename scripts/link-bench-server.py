#!/usr/bin/env python3
"""Local HTTP servers for scripts/bench-links.sh: PORTS ports from BASE, each answering every
request after LATENCY seconds; /dead/... answers 404, anything else 200. Keep-alive HTTP/1.1.

A control port (BASE - 1) answers GET /stats with the request counts as JSON and GET /reset
clears them."""
import asyncio
import json
import sys

base = int(sys.argv[1]) if len(sys.argv) > 1 else 18400
ports = int(sys.argv[2]) if len(sys.argv) > 2 else 20
latency = float(sys.argv[3]) if len(sys.argv) > 3 else 0.05

stats = {}


def reset():
    stats.clear()
    stats.update(total=0, head=0, get=0, other=0, connections=0, busy={}, most={}, urls={})


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


def serve(port):
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
                stats["urls"][key] = stats["urls"].get(key, 0) + 1
                busy = stats["busy"].get(port, 0) + 1
                stats["busy"][port] = busy
                stats["most"][port] = max(stats["most"].get(port, 0), busy)
                await asyncio.sleep(latency)
                stats["busy"][port] -= 1
                dead = target.startswith("/dead/")
                body = b"not found\n" if dead else b"<!doctype html><title>ok</title>ok\n"
                status = b"404 Not Found" if dead else b"200 OK"
                writer.write(
                    b"HTTP/1.1 " + status + b"\r\ncontent-type: text/html\r\ncontent-length: "
                    + str(len(body)).encode() + b"\r\n\r\n" + (b"" if method == "HEAD" else body)
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
    else:
        urls = stats["urls"]
        body = json.dumps({
            "total": stats["total"], "head": stats["head"], "get": stats["get"],
            "other": stats["other"], "connections": stats["connections"], "distinct": len(urls),
            "most_at_once_per_port": max(stats["most"].values(), default=0),
            "max_requests_per_url": max(urls.values(), default=0),
        }).encode()
    writer.write(b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: "
                 + str(len(body)).encode() + b"\r\n\r\n" + body)
    await writer.drain()
    writer.close()


async def main():
    servers = [await asyncio.start_server(serve(p), "127.0.0.1", p, backlog=1024)
               for p in range(base, base + ports)]
    servers.append(await asyncio.start_server(control, "127.0.0.1", base - 1))
    print(f"serving {ports} ports from {base}, control on {base - 1}", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
