"""A real HTTP server on 127.0.0.1 for the `factcmp sources` tests (never the internet).

Every case of issue 5 has a route; routes with state ("500, then 200") take a token
as their last segment, so that each test gets its own state. The server records
every request (method, path, time, headers), the connections open at once and the
requests in flight at once, and how much of the 50 MB body it managed to send.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

QUOTE = "105 of his country's troops have been killed"
# the quote as the page has it: curly quotes and apostrophe, a line break inside
QUOTE_PAGE = """<!doctype html>
<html><head><title>Armenia and Azerbaijan trade blame</title>
<style>p { color: red }</style>
<script>var quote = "nothing to see";</script></head>
<body><article>
<p>Prime Minister Nikol Pashinyan said &ldquo;105 of his
   country’s troops have been killed&rdquo; since fighting erupted.</p>
</article></body></html>
"""
CHANGED_PAGE = """<!doctype html>
<html><head><title>Updated</title></head>
<body><p>This story has been updated. Casualty figures are disputed.</p></body></html>
"""
SCRIPT_ONLY_PAGE = """<!doctype html>
<html><head><title>App</title></head><body><div id="app"></div>
<script>window.story = "105 of his country's troops have been killed";</script>
<style>/* 105 of his country's troops have been killed */</style></body></html>
"""
CHALLENGE_PAGE = """<!doctype html><html><head><title>Just a moment...</title></head>
<body><noscript>Enable JavaScript and cookies to continue</noscript></body></html>
"""
RU_QUOTE = "Азербайджан потерял 50 военнослужащих"
RU_PAGE = (
    "<html><body><p>Министерство заявило: «Азербайджан потерял 50 военнослужащих».</p>"
    "</body></html>"
)
RU_META_PAGE = (
    '<html><head><meta charset="windows-1251"><title>Новости</title></head>'
    "<body><p>Министерство заявило: «Азербайджан потерял 50 военнослужащих».</p></body></html>"
)
PDF = (  # holding the quote's words, which are still not looked for in a PDF
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    b"(105 of his country's troops have been killed)\n%%EOF\n"
)
BIG_SIZE = 50_000_000
BIG_CHUNK = b"<p>" + b"filler text, " * 5000 + b"</p>\n"
BIG_TAIL = b"<p>a quote that is only at the very end</p>"
# `factcmp source`: the news pages it reads (/page/NAME), and one with hostile metadata
SOURCE_PAGES = Path(__file__).parent / "fixtures" / "source-pages"
META_CHARSET_ONLY = ("cp1251.html", "shift_jis.html")  # served without a charset header
HOSTILE_TITLE = (
    "'Quoted': a title # with a hash&#10;and a new line\u2028\x1b[2J\x1b]8;;https://evil.example"
    "\x07click\x1b]8;;\x07 [link=https://x]y[/link]"
)
HOSTILE_PAGE = f"""<html><head><title>ignored</title>
<meta property="og:title" content="{HOSTILE_TITLE}">
<meta property="og:site_name" content="Evil\u202eNews\x1b]52;c;cm0gLXJmIH4=\x07">
<meta name="author" content="- [not, a, list]">
<meta property="article:published_time" content="2022-09-31T10:00:00Z">
<meta property="og:url" content="javascript:alert(1)">
<link rel="canonical" href="data:text/html,<script>alert(1)</script>">
<script type="application/ld+json">{{"@type": "NewsArticle", "url": "file:///etc/passwd",
"author": {{"name": "https://evil.example/"}}}}</script>
</head><body><p>Nothing to see.</p></body></html>
"""
SLOW = 0.3  # seconds the /slow route takes
GATE_WAIT = 5.0  # at most, seconds a /gate request waits for the others of its batch
DRIP_EVERY = 0.05


@dataclass
class Hit:
    method: str
    path: str
    at: float
    headers: dict[str, str]


@dataclass
class Log:
    """What the server saw, safe to read from the test thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    hits: list[Hit] = field(default_factory=list)
    open_connections: int = 0
    max_open_connections: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    in_flight_by_host: Counter[str] = field(default_factory=Counter)
    max_in_flight_by_host: dict[str, int] = field(default_factory=dict)
    big_sent: int = 0
    big_finished: bool = False
    big_done: threading.Event = field(default_factory=threading.Event)
    count: Counter[str] = field(default_factory=Counter)
    gate_arrived: int = 0
    # the connections the server holds; max_open_connections counts those the client
    # still holds too (see _peer_closed), when each opens
    sockets: set[socket.socket] = field(default_factory=set)
    changed: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.changed = threading.Condition(self.lock)  # notified when requests come or go

    def paths(self, method: str | None = None) -> list[str]:
        with self.lock:
            return [h.path for h in self.hits if method is None or h.method == method]

    def of(self, path: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path == path]


def _peer_closed(sock: socket.socket) -> bool:
    """Whether the client has closed this connection. On 127.0.0.1 the client's close
    reaches the server's socket before the client can connect again, so this counts
    the connections the client holds, whatever the load, where the handler threads'
    own bookkeeping lags behind (a thread that has not run yet still counts its
    connection open)."""
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False  # open, nothing to read
    except OSError:
        return True


class SourcesServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # socketserver's 5 would drop connections under load
    log: Log
    stopping: threading.Event

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client hanging up (the size cap, a deadline) is expected here

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SourcesServer
    counted_out = False  # see count_out

    def setup(self) -> None:
        super().setup()
        log = self.server.log
        with log.lock:
            log.open_connections += 1
            log.sockets.add(self.connection)
            held = sum(not _peer_closed(sock) for sock in log.sockets)
            log.max_open_connections = max(log.max_open_connections, held)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            log = self.server.log
            with log.lock:
                log.open_connections -= 1
                log.sockets.discard(self.connection)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._route("GET")

    def do_HEAD(self) -> None:
        self._route("HEAD")

    def _route(self, method: str) -> None:
        path = urlsplit(self.path).path
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        log = self.server.log
        self.counted_out = False
        with log.lock:
            log.hits.append(Hit(method, path, time.monotonic(), dict(self.headers.items())))
            log.count[path] += 1
            seen = log.count[path]
            log.in_flight += 1
            log.max_in_flight = max(log.max_in_flight, log.in_flight)
            log.in_flight_by_host[host] += 1
            log.max_in_flight_by_host[host] = max(
                log.max_in_flight_by_host.get(host, 0), log.in_flight_by_host[host]
            )
        try:
            route = path.strip("/").split("/")[0]
            handler: Callable[[str, str, int], None] = getattr(
                self, "r_" + route.replace("-", "_"), self.r_missing
            )
            handler(method, path, seen)
        finally:
            self.count_out(host)

    def count_out(self, host: str | None = None) -> None:
        """This request is no longer in flight (once, whoever calls it first)."""
        if self.counted_out:
            return
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0] if host is None else host
        log = self.server.log
        with log.lock:
            self.counted_out = True
            log.in_flight -= 1
            log.in_flight_by_host[host] -= 1
            log.changed.notify_all()

    def send(
        self,
        method: str,
        status: int,
        body: bytes = b"",
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(body)

    def page(self, method: str, html: str) -> None:
        self.send(method, 200, html.encode("utf-8"))

    # --- the routes --------------------------------------------------------------

    def r_missing(self, method: str, path: str, seen: int) -> None:
        self.send(method, 404, b"<p>Not here</p>")

    def r_quote(self, method: str, path: str, seen: int) -> None:
        self.page(method, QUOTE_PAGE)

    def r_changed(self, method: str, path: str, seen: int) -> None:
        self.page(method, CHANGED_PAGE)

    def r_archive(self, method: str, path: str, seen: int) -> None:
        self.page(method, QUOTE_PAGE.replace("<title>", "<title>[archived] "))

    def r_script_only(self, method: str, path: str, seen: int) -> None:
        self.page(method, SCRIPT_ONLY_PAGE)

    def r_status(self, method: str, path: str, seen: int) -> None:
        self.send(method, int(path.rsplit("/", 1)[1]), b"<p>status</p>")

    def r_flaky(self, method: str, path: str, seen: int) -> None:
        if seen == 1:
            self.send(method, 500, b"<p>oops</p>")
        else:
            self.page(method, QUOTE_PAGE)

    def r_down(self, method: str, path: str, seen: int) -> None:
        self.send(method, 503, b"<p>down</p>")

    def r_rate(self, method: str, path: str, seen: int) -> None:
        if seen == 1:
            self.send(method, 429, b"<p>slow down</p>", headers={"Retry-After": "1"})
        else:
            self.page(method, QUOTE_PAGE)

    def r_rate_forever(self, method: str, path: str, seen: int) -> None:
        self.send(method, 429, b"<p>slow down</p>", headers={"Retry-After": "1"})

    def r_rate_long(self, method: str, path: str, seen: int) -> None:
        self.send(method, 429, b"<p>come back later</p>", headers={"Retry-After": "3600"})

    def r_chain(self, method: str, path: str, seen: int) -> None:
        n = int(path.rsplit("/", 1)[1])
        if n == 0:
            self.page(method, QUOTE_PAGE)
            return
        status = (301, 302, 307, 308)[n % 4]
        # relative and absolute Locations alike
        target = f"/chain/{n - 1}" if n % 2 else f"{self.server.base}/chain/{n - 1}"
        self.send(method, status, b"", headers={"Location": target})

    def r_loop(self, method: str, path: str, seen: int) -> None:
        other = "/loop/b" if path.endswith("/a") else "/loop/a"
        self.send(method, 302, b"", headers={"Location": other})

    def r_to_file(self, method: str, path: str, seen: int) -> None:
        self.send(method, 302, b"", headers={"Location": "file:///etc/passwd"})

    def r_nohead(self, method: str, path: str, seen: int) -> None:
        if method == "HEAD":
            self.send(method, 405, b"", headers={"Allow": "GET"})
        else:
            self.page(method, QUOTE_PAGE)

    def r_head404(self, method: str, path: str, seen: int) -> None:
        if method == "HEAD":
            self.send(method, 404, b"")
        else:
            self.page(method, QUOTE_PAGE)

    def r_bot(self, method: str, path: str, seen: int) -> None:
        self.send(method, 403, b"<p>challenge</p>", headers={"cf-mitigated": "challenge"})

    def r_challenge(self, method: str, path: str, seen: int) -> None:
        self.page(method, CHALLENGE_PAGE)

    def r_cp1251(self, method: str, path: str, seen: int) -> None:
        self.send(method, 200, RU_PAGE.encode("cp1251"), "text/html; charset=windows-1251")

    def r_cp1251_meta(self, method: str, path: str, seen: int) -> None:
        self.send(method, 200, RU_META_PAGE.encode("cp1251"), "text/html")

    def r_doc(self, method: str, path: str, seen: int) -> None:
        self.send(method, 200, PDF, "application/pdf")

    def r_page(self, method: str, path: str, seen: int) -> None:
        """A page of tests/fixtures/source-pages; the ones in other encodings than UTF-8
        declare theirs only in a <meta>."""
        name = path.rsplit("/", 1)[1]
        try:
            body = (SOURCE_PAGES / name).read_bytes()
        except OSError:
            self.send(method, 404, b"<p>no such page</p>")
            return
        charset = "" if name in META_CHARSET_ONLY else "; charset=utf-8"
        self.send(method, 200, body, "text/html" + charset)

    def r_moved(self, method: str, path: str, seen: int) -> None:
        self.send(method, 301, b"", headers={"Location": "/page/" + path.rsplit("/", 1)[1]})

    def r_hostile(self, method: str, path: str, seen: int) -> None:
        self.page(method, HOSTILE_PAGE)

    def r_slow(self, method: str, path: str, seen: int) -> None:
        time.sleep(SLOW)
        self.page(method, QUOTE_PAGE)

    def r_gate(self, method: str, path: str, seen: int) -> None:
        """/gate/WIDTH/TOTAL/NAME: concurrency measured at the server, whatever the load.

        Each request waits until WIDTH requests are in flight at once (or all TOTAL of
        its test have come, or GATE_WAIT passed), then SLOW more, in which a client
        that keeps no limit sends more; a client that keeps its limit WIDTH is seen to
        reach it, however slowly the machine runs. The request counts itself out
        before it answers, so the client cannot start the next one before the server
        has counted this one out, and `max_in_flight` never counts one too many.
        """
        width, total = (int(n) for n in path.split("/")[2:4])
        log = self.server.log
        with log.changed:
            log.gate_arrived += 1
            log.changed.notify_all()
            log.changed.wait_for(
                lambda: log.in_flight >= width or log.gate_arrived >= total, GATE_WAIT
            )
        self.server.stopping.wait(SLOW)
        self.count_out()
        self.page(method, QUOTE_PAGE)

    def r_drip(self, method: str, path: str, seen: int) -> None:
        """Headers at once, then a byte every DRIP_EVERY seconds: per-operation
        timeouts never fire, only a deadline ends it."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        if method == "HEAD":
            return
        try:
            for _ in range(100_000):
                if self.server.stopping.wait(DRIP_EVERY):
                    break
                self.wfile.write(b"a")
        except OSError:
            pass
        self.close_connection = True

    def r_big(self, method: str, path: str, seen: int) -> None:
        """50 MB, the only copy of the quote at the very end; records what was sent."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(BIG_SIZE))
        self.end_headers()
        if method == "HEAD":
            return
        log = self.server.log
        sent = 0
        try:
            while sent < BIG_SIZE - len(BIG_TAIL):
                chunk = BIG_CHUNK[: BIG_SIZE - len(BIG_TAIL) - sent]
                self.wfile.write(chunk)
                sent += len(chunk)
                with log.lock:
                    log.big_sent = sent
            self.wfile.write(BIG_TAIL)
            sent += len(BIG_TAIL)
            with log.lock:
                log.big_sent, log.big_finished = sent, True
        except OSError:
            self.close_connection = True
        finally:
            log.big_done.set()


@contextmanager
def serve() -> Iterator[SourcesServer]:
    """A fresh server on a free port of 127.0.0.1, in a background thread."""
    server = SourcesServer(("127.0.0.1", 0), Handler)
    server.log = Log()
    server.stopping = threading.Event()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def closed_port() -> int:
    """A port of 127.0.0.1 with nothing listening: connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
