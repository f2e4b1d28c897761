"""Fetch URLs as a good HTTP citizen. With factcmp.sources.pools (the client and its
connection pools), the only modules of factcmp that import httpx.

- One `httpx.AsyncClient`, fed by a bounded set of worker tasks (`Limits.workers`),
  never one task per URL: thousands of requests handed to `asyncio.gather` at once
  crawl through httpcore's connection pool.
- At most `Limits.per_host` requests in flight to one host name. A free worker
  takes the next URL whose host has a free slot, so one big site does not hold up
  the others. A slot is held for one request: not across redirects to other hosts,
  nor while waiting to retry.
- A deadline per URL (`Limits.deadline`) over everything: every hop, retry and
  wait. httpx's timeouts are per operation, and a server sending a byte a second
  would hold a request forever. The clock starts when the URL's first request can go.
- Redirects followed by hand, at most `Limits.max_redirects` hops, each one checked
  (only http and https); a redirect's body is not read.
- HEAD when the page's text is not needed and the host answers HEAD properly; GET
  where HEAD fails (405, or any status but 2xx: some servers answer 404 to HEAD
  and 200 to GET).
- Bodies streamed and read up to `Limits.max_bytes`, then the connection is closed.
- 408, 429 and 5xx retried with exponential backoff (plus jitter), honouring
  `Retry-After`; a `Retry-After` beyond `Limits.retry_after_cap` or the deadline is
  not waited for. Timeouts and dropped connections are retried too; DNS failures,
  refused connections and TLS failures are not (they would fail the same way).
- A User-Agent naming factcmp and its version.
- The environment is trusted deliberately, as far as newsrooms need it: proxies
  (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`) and CA bundles
  (`SSL_CERT_FILE`, `SSL_CERT_DIR`). No credentials are ever sent: httpx (0.24 on)
  does not read `.netrc`, and no auth is configured.
"""

from __future__ import annotations

import asyncio
import email.utils
import errno
import random
import socket
import ssl
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import httpx

from factcmp.sources.limits import Limits, shown_size
from factcmp.sources.pools import POOL, make_client, pool_index
from factcmp.sources.result import Fetch, Outcome
from factcmp.sources.text import is_bot_wall, media_type, page_from_body

RETRYABLE = frozenset({408, 429, 500, 502, 503, 504})
UNVERIFIABLE = {
    401: "the page needs a login",
    403: "refused: bot protection, or a login",
    407: "a proxy wants a login",
    429: "rate limited",
    999: "refused to robots",
}
_SMALL_BODY = 16 * 1024  # a redirect body this small is read, to keep the connection


@dataclass(frozen=True)
class Job:
    """A URL to check; `need_body`: a quote is to be looked for on the page."""

    url: str
    need_body: bool = False


@dataclass
class _Answer:
    """What one request (after its redirects) or the failure to make it gave."""

    status: int | None = None
    phrase: str = ""
    final_url: str | None = None
    content_type: str | None = None
    retry_after: str | None = None
    bot_wall: str | None = None
    body: bytes | None = None
    truncated: bool = False
    body_note: str | None = None
    redirects: int = 0
    location: str = ""
    method: str = "GET"
    error: tuple[Outcome, str] | None = None
    retryable: bool = False
    definitive: bool = False  # an error another method or a retry would not fix
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300


class _Hosts:
    """Slots per host name: at most `per_host` requests in flight to each. Slots are
    numbered (0 to per_host - 1) so that a request can be put in a connection pool
    by its slot (see factcmp.sources.pools)."""

    def __init__(self, per_host: int) -> None:
        self.per_host = per_host
        self.busy: dict[str, set[int]] = {}
        self._waiters: list[asyncio.Future[None]] = []

    def try_acquire(self, host: str) -> int | None:
        busy = self.busy.setdefault(host, set())
        if len(busy) >= self.per_host:
            return None
        slot = next(i for i in range(self.per_host) if i not in busy)
        busy.add(slot)
        return slot

    async def wait_for_release(self) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(future)
        try:
            await future
        finally:
            if future in self._waiters:
                self._waiters.remove(future)

    async def acquire(self, host: str) -> int:
        while (slot := self.try_acquire(host)) is None:
            await self.wait_for_release()
        return slot

    def release(self, host: str, slot: int) -> None:
        self.busy[host].discard(slot)
        waiters, self._waiters = self._waiters, []
        for future in waiters:
            if not future.done():
                future.set_result(None)


class _Queue:
    """The URLs waiting, by host. `take` hands out a URL whose host has a free slot,
    with that slot taken, going round the hosts in turn."""

    def __init__(self, jobs: Sequence[Job], hosts: _Hosts) -> None:
        self._hosts = hosts
        self._pending: OrderedDict[str, deque[Job]] = OrderedDict()
        for job in jobs:
            self._pending.setdefault(host_of(job.url), deque()).append(job)

    async def take(self) -> tuple[Job, tuple[str, int]] | None:
        while self._pending:
            for host in list(self._pending):
                slot = self._hosts.try_acquire(host)
                if slot is not None:
                    waiting = self._pending[host]
                    job = waiting.popleft()
                    if waiting:
                        self._pending.move_to_end(host)
                    else:
                        del self._pending[host]
                    return job, (host, slot)
            await self._hosts.wait_for_release()
        return None


def host_of(url: str) -> str:
    """The host name a URL's requests go to ("" when it is not a valid URL)."""
    try:
        return httpx.URL(url).host
    except (httpx.InvalidURL, TypeError, ValueError):
        return ""


@dataclass
class _Visit:
    """One URL's check as it goes: what the deadline message says, and the slot
    reserved for its first request."""

    job: Job
    reserved: tuple[str, int] | None  # (host, slot)
    started: float
    attempts: int = 0
    retries: int = 0
    status: int | None = None
    method: str = "HEAD"
    phase: str = "connecting"
    bytes_read: int = 0


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """`Retry-After` in seconds (a number, or an HTTP date), or None if absent or odd."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def transport_answer(exc: Exception, timeout: float) -> _Answer:
    """A request that got no HTTP answer, in words, with whether to retry it."""
    causes = list(_causes(exc))
    if isinstance(exc, httpx.TimeoutException):
        doing = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for data"
        return _Answer(
            error=("unverifiable", f"timed out {doing} (nothing for {timeout:g} s)"),
            retryable=True,
        )
    if isinstance(exc, httpx.ConnectError):
        for cause in causes:
            if isinstance(cause, socket.gaierror):
                if cause.errno == socket.EAI_AGAIN:
                    return _Answer(
                        error=("unverifiable", "DNS lookup failed for now"), retryable=True
                    )
                return _Answer(
                    error=("broken", "DNS failure: the host name does not exist"),
                    definitive=True,
                )
            if isinstance(cause, ConnectionRefusedError) or (
                isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED
            ):
                return _Answer(error=("broken", "connection refused"), definitive=True)
            if isinstance(cause, ssl.SSLError):
                why = getattr(cause, "verify_message", None) or cause.reason or str(cause)
                why = why.replace("_", " ").lower() if why.isupper() else why
                return _Answer(error=("broken", f"TLS failure: {why}"), definitive=True)
        text = str(exc).lower()
        if "name or service not known" in text or "nodename nor servname" in text:
            return _Answer(
                error=("broken", "DNS failure: the host name does not exist"), definitive=True
            )
        if "refused" in text:
            return _Answer(error=("broken", "connection refused"), definitive=True)
        if "ssl" in text or "certificate" in text or "tls" in text:
            return _Answer(error=("broken", f"TLS failure: {exc}"), definitive=True)
        return _Answer(error=("broken", f"cannot connect: {exc}"), retryable=True)
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return _Answer(error=("broken", f"not a usable address: {exc}"), definitive=True)
    if isinstance(exc, httpx.RemoteProtocolError):
        if "location" in str(exc).lower():
            return _Answer(error=("broken", f"bad redirect: {exc}"), definitive=True)
        return _Answer(error=("broken", f"the server broke HTTP: {exc}"), retryable=True)
    if isinstance(exc, httpx.TransportError):  # ReadError, WriteError, ...
        return _Answer(
            error=("unverifiable", f"the connection was cut: {exc or type(exc).__name__}"),
            retryable=True,
        )
    return _Answer(error=("unverifiable", f"{type(exc).__name__}: {exc}"), definitive=True)


def classify(answer: _Answer) -> tuple[Outcome, str]:
    """A URL's outcome from its final answer."""
    if answer.error is not None:
        return answer.error
    status = answer.status or 0
    said = f"{status} {answer.phrase}".strip()
    if answer.bot_wall:
        return "unverifiable", f"{said}: {answer.bot_wall}"
    if 200 <= status < 300:
        return "ok", said
    if status in UNVERIFIABLE:
        return "unverifiable", f"{said}: {UNVERIFIABLE[status]}"
    if status in (404, 410):
        return "broken", said
    if 300 <= status < 400:
        return "broken", f"{said}: a redirect without a usable Location"
    return "broken", said


class Fetcher:
    """Checks URLs with one client; `run` takes them all and gives a `Fetch` each."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        limits: Limits,
        on_done: Callable[[Fetch], None] | None = None,
        on_page: Callable[[bytes, str | None], None] | None = None,
    ) -> None:
        """`on_done` hears of each fetch as it ends; `on_page` gets each page body
        read for quotes, with its Content-Type (`factcmp source` reads its metadata)."""
        self.client = client
        self.limits = limits
        self.on_done = on_done
        self.on_page = on_page
        self.hosts = _Hosts(limits.per_host)
        self.no_head: set[str] = set()  # hosts that refused a HEAD with 405 or 501

    async def run(self, jobs: Sequence[Job]) -> list[Fetch]:
        queue = _Queue(jobs, self.hosts)
        results: dict[str, Fetch] = {}

        async def worker() -> None:
            while (item := await queue.take()) is not None:
                job, slot = item
                fetch = await self.check(job, slot)
                results[job.url] = fetch
                if self.on_done is not None:
                    self.on_done(fetch)

        count = max(1, min(self.limits.workers, len(jobs)))
        await asyncio.gather(*(worker() for _ in range(count)))
        return [results[job.url] for job in jobs]

    async def check(self, job: Job, reserved: tuple[str, int] | None = None) -> Fetch:
        """One URL, within its deadline; never raises (but for cancellation)."""
        loop = asyncio.get_running_loop()
        visit = _Visit(job, reserved, loop.time())
        try:
            try:
                answer = await asyncio.wait_for(self._visit(visit), self.limits.deadline)
            finally:
                if visit.reserved is not None:
                    self.hosts.release(*visit.reserved)
                    visit.reserved = None
        except asyncio.TimeoutError:
            return self._fetch(visit, None)
        except Exception as exc:  # a bug must not stop the other URLs being checked
            answer = _Answer(error=("unverifiable", f"could not be checked: {exc!r}"))
        fetch = self._fetch(visit, answer)
        if answer.body is not None and fetch.outcome == "ok":
            try:
                await self._read_page(fetch, answer)
            except Exception as exc:  # as above: one odd page must not stop the run
                fetch.text, fetch.text_note = None, f"its text could not be read: {exc!r}"
        return fetch

    def _fetch(self, visit: _Visit, answer: _Answer | None) -> Fetch:
        seconds = asyncio.get_running_loop().time() - visit.started
        base = Fetch(
            url=visit.job.url,
            outcome="unverifiable",
            reason="",
            status=visit.status,
            method=visit.method,
            attempts=visit.attempts,
            seconds=round(seconds, 3),
            bytes_read=visit.bytes_read,
            checked_at=time.time(),
        )
        if answer is None:
            base.reason = (
                f"no answer within the {self.limits.deadline:g} s deadline ({visit.phase})"
            )
            return base
        outcome, reason = classify(answer)
        if outcome != "ok" and visit.retries:
            reason += f" (after {visit.retries} retr{'y' if visit.retries == 1 else 'ies'})"
        if answer.note:
            reason += f"; {answer.note}"
        base.outcome, base.reason = outcome, reason
        base.status = answer.status
        base.final_url = answer.final_url
        base.content_type = answer.content_type
        base.method = answer.method if answer.status is not None else visit.method
        base.redirects = answer.redirects
        base.truncated = answer.truncated
        base.text_note = answer.body_note
        return base

    async def _read_page(self, fetch: Fetch, answer: _Answer) -> None:
        """The page's text for quotes (parsed in a thread: the loop keeps serving the
        other requests); a bot wall served with a 200 makes the URL unverifiable."""
        body = answer.body or b""
        fetch.body_read = True
        if self.on_page is not None:
            self.on_page(body, answer.content_type)
        page = await asyncio.to_thread(page_from_body, body, answer.content_type)
        if page is None:
            kind = media_type(answer.content_type)[0] or "unknown type"
            fetch.text_note = f"not HTML or text ({kind})"
        elif is_bot_wall(page):
            fetch.outcome = "unverifiable"
            fetch.reason = f"{fetch.reason}: a bot wall stood in for the page ({page.title!r})"
        else:
            fetch.text = page.text
            if answer.truncated:
                fetch.text_note = (
                    f"only the first {shown_size(self.limits.max_bytes)} read "
                    "(the page is larger; see --max-size)"
                )

    async def _visit(self, visit: _Visit) -> _Answer:
        """Requests until an answer stands: HEAD or GET, then retries with backoff."""
        host = host_of(visit.job.url)
        head = not visit.job.need_body and host not in self.no_head
        loop = asyncio.get_running_loop()
        while True:
            answer = await self._follow(visit, "HEAD" if head else "GET")
            if head and not answer.ok and not answer.definitive:
                head = False  # HEAD is unreliable: what does GET say?
                if answer.status in (405, 501):
                    self.no_head.add(host)
                if not answer.retryable:
                    continue
            if not answer.retryable or visit.retries >= self.limits.retries:
                return answer
            wait = self.limits.backoff * 2**visit.retries * (1 + random.random() / 4)
            asked = retry_after_seconds(answer.retry_after)
            if asked is not None and asked > self.limits.retry_after_cap:
                answer.note = (
                    f"asked to retry after {asked:g} s, more than factcmp waits "
                    f"({self.limits.retry_after_cap:g} s)"
                )
                return answer
            wait = max(wait, asked or 0.0)
            left = visit.started + self.limits.deadline - loop.time()
            if wait >= left:
                answer.note = (
                    f"no time left to retry within the {self.limits.deadline:g} s deadline"
                )
                return answer
            said = f"{answer.status}" if answer.status else "an error"
            visit.phase = f"waiting {wait:.1f} s to retry after {said}"
            await asyncio.sleep(wait)
            visit.retries += 1

    async def _follow(self, visit: _Visit, method: str) -> _Answer:
        """One request and its redirects, each hop checked."""
        try:
            request = self.client.build_request(method, visit.job.url)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            return transport_answer(exc, self.limits.timeout)
        chain = [str(request.url)]
        for hops in range(self.limits.max_redirects + 1):
            try:
                answer, redirect = await self._send(visit, request)
            except httpx.HTTPError as exc:
                return transport_answer(exc, self.limits.timeout)
            if redirect is None:
                answer.redirects, answer.final_url = hops, chain[-1]
                return answer
            if redirect.url.scheme not in ("http", "https"):
                return _Answer(
                    status=answer.status,
                    error=("broken", f"redirected to a non-web address: {answer.location}"),
                    definitive=True,
                    redirects=hops + 1,
                    final_url=str(redirect.url),
                    method=method,
                )
            chain.append(str(redirect.url))
            request = redirect
        looped = len(set(chain)) < len(chain)
        why = (
            "redirect loop: " + " → ".join(chain[-3:])
            if looped
            else f"too many redirects (more than {self.limits.max_redirects})"
        )
        return _Answer(
            status=visit.status,
            error=("broken", why),
            definitive=True,
            redirects=len(chain) - 1,
            final_url=chain[-1],
            method=method,
        )

    async def _send(
        self, visit: _Visit, request: httpx.Request
    ) -> tuple[_Answer, httpx.Request | None]:
        """One request, in a slot of its host: the answer, and the next request if it
        is a redirect. The body is read only when a quote is to be looked for."""
        host = request.url.host
        if visit.reserved is not None and visit.reserved[0] == host:
            slot = visit.reserved[1]  # the slot `take` reserved for the first request
            visit.reserved = None
        else:
            visit.phase = f"waiting for a free slot for {host}"
            slot = await self.hosts.acquire(host)
        request.extensions[POOL] = pool_index(host, slot)
        try:
            visit.attempts += 1
            visit.method = request.method
            visit.phase = f"waiting for {host} to answer"
            response = await self.client.send(request, stream=True, follow_redirects=False)
            try:
                visit.status = response.status_code
                if response.next_request is not None:
                    length = response.headers.get("content-length", "")
                    if length.isdigit() and int(length) <= _SMALL_BODY:
                        await response.aread()
                    location = response.headers.get("location", "")
                    return _Answer(status=response.status_code, location=location), (
                        response.next_request
                    )
                answer = _Answer(
                    status=response.status_code,
                    phrase=response.reason_phrase,
                    content_type=response.headers.get("content-type"),
                    retry_after=response.headers.get("retry-after"),
                    method=request.method,
                )
                if response.headers.get("cf-mitigated", "").lower() == "challenge":
                    answer.bot_wall = "a bot wall (Cloudflare challenge)"
                answer.retryable = answer.status in RETRYABLE and not answer.bot_wall
                if request.method == "GET" and visit.job.need_body and answer.ok:
                    visit.phase = f"reading the page ({response.status_code})"
                    try:
                        answer.body, answer.truncated = await self._read(response, visit)
                    except httpx.DecodingError as exc:
                        answer.body, answer.body_note = None, f"the body cannot be decoded: {exc}"
                return answer, None
            finally:
                await response.aclose()
        finally:
            self.hosts.release(host, slot)

    async def _read(self, response: httpx.Response, visit: _Visit) -> tuple[bytes, bool]:
        """The body, decoded, up to the size cap: (bytes, whether there was more)."""
        cap = self.limits.max_bytes
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            room = cap - size
            if len(chunk) > room:
                chunks.append(chunk[:room])
                visit.bytes_read = cap
                return b"".join(chunks), True
            chunks.append(chunk)
            size += len(chunk)
            visit.bytes_read = size
        return b"".join(chunks), False


async def fetch_all(
    jobs: Sequence[Job], limits: Limits, on_done: Callable[[Fetch], None] | None = None
) -> list[Fetch]:
    """Check every job's URL (each once: pass distinct URLs), in the jobs' order."""
    if not jobs:
        return []
    async with make_client(limits) as client:
        return await Fetcher(client, limits, on_done).run(jobs)
