"""Throughput of `factcmp sources check` beside a plain sync `httpx.Client` loop.

    python benchmarks/sources.py [--urls 500] [--latency 0.05] [--workers 50] [--per-host 50]

One run: starts a local asyncio HTTP server on 127.0.0.1 that answers every request
after `--latency` seconds (keep-alive, as many connections as asked), writes a claim
file citing `--urls` distinct pages on it (each claim with a quote, so factcmp GETs
every page and looks for the quote in it), then times

- the installed `factcmp sources check` (a subprocess, start-up included, no cache),
  with the limits raised by the options printed, and
- a plain `for url in urls: client.get(url)` loop over one `httpx.Client`,

and prints both and their ratio. The issue's target is at least 15x.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

QUOTE = "an absolute lie"
BODY = (
    "<!doctype html><html><head><title>Page</title></head><body>"
    "<p>The ministry called the report “an absolute lie” on Wednesday.</p></body></html>"
).encode()


async def _answer(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, latency: float
) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            method = head.split(b" ", 1)[0]
            await asyncio.sleep(latency)
            body = b"" if method == b"HEAD" else BODY
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(BODY), body)
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


@contextmanager
def latency_server(latency: float) -> Iterator[str]:
    """An HTTP/1.1 server on a free port of 127.0.0.1, answering after `latency` s."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    address: list[str] = []

    async def start() -> asyncio.Server:
        server = await asyncio.start_server(
            lambda r, w: _answer(r, w, latency), "127.0.0.1", 0, backlog=1024
        )
        host, port = server.sockets[0].getsockname()[:2]
        address.append(f"http://{host}:{port}")
        ready.set()
        return server

    def run() -> None:
        asyncio.set_event_loop(loop)
        server = loop.run_until_complete(start())
        loop.run_forever()
        server.close()
        loop.run_until_complete(server.wait_closed())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield address[0]
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def write_claims(folder: Path, urls: list[str]) -> Path:
    lines = ["factcmp: 1", "side: {name: Benchmark}", "sources:"]
    lines += [f"  s{i}: {{outlet: Wire, url: '{url}'}}" for i, url in enumerate(urls)]
    lines.append("claims:")
    lines += [
        f"  - {{id: c{i}, topic: t{i}, text: Claim {i}., source: s{i}, quote: {QUOTE}}}"
        for i in range(len(urls))
    ]
    path = folder / "claims" / "benchmark.yaml"
    path.parent.mkdir()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def time_factcmp(path: Path, options: list[str], urls: int) -> float:
    factcmp = shutil.which("factcmp")
    if factcmp is None:
        sys.exit("the factcmp command is not installed: pip install -e .")
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    started = time.perf_counter()
    done = subprocess.run(
        [factcmp, "sources", "check", str(path), "--format", "json", *options],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - started
    data = json.loads(done.stdout)
    summary = data["summary"]
    if done.returncode != 0 or summary["ok"] != urls or summary["quotes"]["found"] != urls:
        sys.exit(f"factcmp did not find every page ok and every quote: {summary}")
    return seconds


def time_sync_loop(urls: list[str]) -> float:
    started = time.perf_counter()
    with httpx.Client(trust_env=False) as client:
        for url in urls:
            response = client.get(url)
            response.raise_for_status()
            if QUOTE not in response.text:
                sys.exit(f"{url}: the quote is not there")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--urls", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--per-host", type=int, default=50)
    args = parser.parse_args()
    options = ["--workers", str(args.workers), "--per-host", str(args.per_host), "--no-cache"]
    with latency_server(args.latency) as base, tempfile.TemporaryDirectory() as tmp:
        urls = [f"{base}/page/{i}" for i in range(args.urls)]
        path = write_claims(Path(tmp), urls)
        ours = time_factcmp(path, options, args.urls)
        sync = time_sync_loop(urls)
    n = args.urls
    print(f"server: 127.0.0.1, every answer after {args.latency * 1000:.0f} ms; {n} distinct URLs")
    print(
        f"factcmp sources check {' '.join(options)}: {ours:.2f} s, {n / ours:.0f} URLs/s "
        "(a subprocess: start-up, YAML, GET, quote matching included)"
    )
    print(f"sync httpx.Client loop: {sync:.2f} s, {n / sync:.1f} URLs/s")
    print(f"factcmp sources check is {sync / ours:.1f}x the sync loop (target: at least 15x)")


if __name__ == "__main__":
    main()
