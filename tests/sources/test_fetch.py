"""Fetching as a good HTTP citizen, against a real server on 127.0.0.1 that the
tests start (tests/sources_server.py): every case of issue 5 gets its outcome within
its deadline, and the limits (per host, overall, size) hold at the server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from factcmp import __version__
from factcmp.load.quotes import normalise
from factcmp.sources.fetch import Job, fetch_all, retry_after_seconds
from factcmp.sources.limits import Limits
from factcmp.sources.result import Fetch
from tests import sources_server
from tests.sources_server import QUOTE, RU_QUOTE, SourcesServer, closed_port, serve

# small deadlines and backoff keep the suite fast; every bound below is meaningful
FAST = Limits(
    workers=16, per_host=16, deadline=3.0, timeout=2.0, retries=2, backoff=0.05,
    max_bytes=1_000_000,
)  # fmt: skip


@pytest.fixture(scope="module")
def server() -> Iterator[SourcesServer]:
    with serve() as running:
        yield running


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx honours proxy variables (on purpose): the tests must reach 127.0.0.1."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("all_proxy", raising=False)


def fetch(url: str, need_body: bool = False, limits: Limits = FAST) -> Fetch:
    [result] = asyncio.run(fetch_all([Job(url, need_body)], limits))
    return result


def hits(server: SourcesServer, path: str) -> list[tuple[str, float]]:
    return [(h.method, h.at) for h in server.log.of(path)]


# --- ok ----------------------------------------------------------------------------


def test_a_page_with_a_quote_is_read_with_one_get(server: SourcesServer) -> None:
    result = fetch(f"{server.base}/quote/read", need_body=True)
    assert (result.outcome, result.status, result.method) == ("ok", 200, "GET")
    assert result.body_read
    assert result.text is not None
    assert normalise(QUOTE) in result.text
    assert [m for m, _ in hits(server, "/quote/read")] == ["GET"]


def test_a_page_without_a_quote_gets_a_head(server: SourcesServer) -> None:
    result = fetch(f"{server.base}/quote/head")
    assert (result.outcome, result.method, result.text) == ("ok", "HEAD", None)
    assert [m for m, _ in hits(server, "/quote/head")] == ["HEAD"]


def test_the_user_agent_names_factcmp_and_its_version(server: SourcesServer) -> None:
    fetch(f"{server.base}/quote/agent")
    [hit] = server.log.of("/quote/agent")
    assert hit.headers["User-Agent"].startswith(f"factcmp/{__version__} ")


def test_head_refused_with_405_falls_back_to_get_and_is_remembered(
    server: SourcesServer,
) -> None:
    limits = Limits(workers=1, per_host=1, deadline=3.0, timeout=2.0, backoff=0.05)
    urls = [f"{server.base}/nohead/first", f"{server.base}/quote/after-nohead"]
    first, second = asyncio.run(fetch_all([Job(u) for u in urls], limits))
    assert (first.outcome, first.method, first.status) == ("ok", "GET", 200)
    assert [m for m, _ in hits(server, "/nohead/first")] == ["HEAD", "GET"]
    # the host answered 405 to a HEAD: the next URL there goes straight to GET
    assert second.outcome == "ok"
    assert [m for m, _ in hits(server, "/quote/after-nohead")] == ["GET"]


def test_head_404_where_get_is_200_is_ok(server: SourcesServer) -> None:
    result = fetch(f"{server.base}/head404/x")
    assert (result.outcome, result.status) == ("ok", 200)
    assert [m for m, _ in hits(server, "/head404/x")] == ["HEAD", "GET"]


def test_a_redirect_chain_is_followed_by_hand(server: SourcesServer) -> None:
    result = fetch(f"{server.base}/chain/5", need_body=True)
    assert (result.outcome, result.redirects) == ("ok", 5)
    assert result.final_url == f"{server.base}/chain/0"
    assert result.text is not None
    assert normalise(QUOTE) in result.text
    for n in range(6):
        assert len(hits(server, f"/chain/{n}")) == 1


def test_500_then_200_is_ok_after_a_retry(server: SourcesServer) -> None:
    result = fetch(f"{server.base}/flaky/once")
    assert (result.outcome, result.status) == ("ok", 200)
    assert len(hits(server, "/flaky/once")) == 2


def test_429_waits_as_long_as_retry_after_says(server: SourcesServer) -> None:
    result = fetch(f"{server.base}/rate/once")
    assert (result.outcome, result.status) == ("ok", 200)
    (_, first), (_, second) = hits(server, "/rate/once")
    assert second - first >= 0.95  # Retry-After: 1, though the backoff is 0.05 s


@pytest.mark.parametrize(
    ("path", "charset_from"),
    [("/cp1251/header", "the header"), ("/cp1251-meta/meta", "a meta tag")],
)
def test_a_windows_1251_page_with_its_charset_declared(
    server: SourcesServer, path: str, charset_from: str
) -> None:
    result = fetch(server.base + path, need_body=True)
    assert result.outcome == "ok"
    assert result.text is not None
    assert normalise(RU_QUOTE) in result.text, charset_from


def test_a_pdf_is_ok_but_has_no_text_to_look_in(server: SourcesServer) -> None:
    result = fetch(f"{server.base}/doc/report.pdf", need_body=True)
    assert (result.outcome, result.text) == ("ok", None)
    assert result.text_note == "not HTML or text (application/pdf)"


# --- broken ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410])
def test_gone_pages_are_broken(server: SourcesServer, status: int) -> None:
    result = fetch(f"{server.base}/status/{status}")
    assert (result.outcome, result.status) == ("broken", status)


def test_5xx_for_good_is_broken_after_the_retries(server: SourcesServer) -> None:
    result = fetch(f"{server.base}/down/always")
    assert (result.outcome, result.status) == ("broken", 503)
    assert "after 2 retries" in result.reason
    assert len(hits(server, "/down/always")) == 3  # the first request and 2 retries


def test_a_redirect_loop_is_broken(server: SourcesServer) -> None:
    result = fetch(f"{server.base}/loop/a")
    assert result.outcome == "broken"
    assert result.reason.startswith("redirect loop: ")
    assert len(hits(server, "/loop/a") + hits(server, "/loop/b")) <= FAST.max_redirects + 1


def test_too_many_redirects_is_broken_and_stops_asking(server: SourcesServer) -> None:
    limits = Limits(deadline=3.0, timeout=2.0, max_redirects=2)
    result = fetch(f"{server.base}/chain/9", limits=limits)
    assert (result.outcome, result.reason) == ("broken", "too many redirects (more than 2)")
    assert not hits(server, "/chain/6")  # 9 -> 8 -> 7 -> 6 is three hops: never asked


def test_a_redirect_to_a_local_file_is_not_followed(server: SourcesServer) -> None:
    result = fetch(f"{server.base}/to-file/x")
    assert result.outcome == "broken"
    assert result.reason == "redirected to a non-web address: file:///etc/passwd"


def test_connection_refused_is_broken() -> None:
    result = fetch(f"http://127.0.0.1:{closed_port()}/story")
    assert (result.outcome, result.reason, result.attempts) == ("broken", "connection refused", 1)


def test_tls_failure_is_broken(server: SourcesServer) -> None:
    result = fetch(server.base.replace("http://", "https://") + "/quote/tls")
    assert result.outcome == "broken"
    assert result.reason.startswith("TLS failure: ")
    assert result.attempts == 1  # not retried: it would fail the same way


# --- unverifiable ------------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403, 429, 999])
def test_refusals_are_unverifiable_not_broken(server: SourcesServer, status: int) -> None:
    limits = Limits(deadline=3.0, timeout=2.0, retries=0)
    result = fetch(f"{server.base}/status/{status}", limits=limits)
    assert (result.outcome, result.status) == ("unverifiable", status)


def test_429_for_good_is_unverifiable_after_the_retries(server: SourcesServer) -> None:
    limits = Limits(deadline=3.0, timeout=2.0, retries=1, backoff=0.05)
    result = fetch(f"{server.base}/rate-forever/x", need_body=True, limits=limits)
    assert (result.outcome, result.status) == ("unverifiable", 429)
    assert len(hits(server, "/rate-forever/x")) == 2


def test_a_retry_after_beyond_the_cap_is_not_waited_for(server: SourcesServer) -> None:
    result = fetch(f"{server.base}/rate-long/x")
    assert (result.outcome, result.status) == ("unverifiable", 429)
    # given up at once: a wait would have met the 3 s deadline, whose reason differs
    assert "asked to retry after 3600 s" in result.reason
    assert result.attempts == 1
    assert len(hits(server, "/rate-long/x")) == 1


@pytest.mark.parametrize("path", ["/bot/x", "/challenge/x"])
def test_bot_walls_are_unverifiable(server: SourcesServer, path: str) -> None:
    result = fetch(server.base + path, need_body=True)
    assert result.outcome == "unverifiable"
    assert "bot wall" in result.reason


def test_a_slow_drip_body_ends_at_the_deadline(server: SourcesServer) -> None:
    limits = Limits(deadline=1.0, timeout=0.9)  # a byte comes every 0.05 s: never idle
    started = time.monotonic()
    result = fetch(f"{server.base}/drip/x", need_body=True, limits=limits)
    elapsed = time.monotonic() - started
    assert result.outcome == "unverifiable"
    assert result.reason.startswith("no answer within the 1 s deadline (reading the page")
    assert elapsed >= 1.0  # not before the deadline
    # and not long after: the server sends at most a byte every DRIP_EVERY, fewer when busy
    assert 0 < result.bytes_read <= 2 * limits.deadline / sources_server.DRIP_EVERY


# --- the limits, seen from the server ----------------------------------------------


def test_the_size_cap_stops_reading() -> None:
    with serve() as server:
        limits = Limits(deadline=10.0, timeout=5.0, max_bytes=1_000_000)
        result = fetch(f"{server.base}/big/x", need_body=True, limits=limits)
        assert server.log.big_done.wait(10), "the server is still sending"
        assert (result.outcome, result.truncated) == ("ok", True)
        assert result.bytes_read == limits.max_bytes
        assert result.text_note == "only the first 1 MB read (the page is larger; see --max-size)"
        # the client hung up: the server could not send the 50 MB
        assert not server.log.big_finished
        assert server.log.big_sent < sources_server.BIG_SIZE // 2


# The limits are measured at the server, not by the clock (which a busy machine
# stretches): /gate holds each request until the limit is reached, then a while more,
# in which a client that ignored the limit would send more (tests/sources_server.py).
ROOMY = Limits(workers=10, per_host=3, deadline=30.0, timeout=20.0)


def test_the_per_host_limit_holds_at_the_server() -> None:
    with serve() as server:
        jobs = [Job(f"{server.base}/gate/3/12/{i}") for i in range(12)]
        results = asyncio.run(fetch_all(jobs, ROOMY))
        assert all(r.outcome == "ok" for r in results)
        assert server.log.max_in_flight == 3  # reached, never passed
        assert server.log.max_open_connections <= 3
        assert len(server.log.paths()) == 12  # each once


def test_each_host_has_its_own_slots() -> None:
    with serve() as server:
        port = server.server_address[1]
        limits = Limits(workers=8, per_host=3, deadline=30.0, timeout=20.0)
        jobs = [
            Job(f"http://{host}:{port}/gate/6/12/{host}-{i}")
            for i in range(6)
            for host in ("127.0.0.1", "localhost")
        ]
        results = asyncio.run(fetch_all(jobs, limits))
        assert all(r.outcome == "ok" for r in results)
        assert server.log.max_in_flight_by_host == {"127.0.0.1": 3, "localhost": 3}
        assert server.log.max_in_flight == 6  # 3 to each host at once


def test_the_global_limit_holds_at_the_server() -> None:
    with serve() as server:
        limits = Limits(workers=4, per_host=10, deadline=30.0, timeout=20.0)
        jobs = [Job(f"{server.base}/gate/4/12/global-{i}") for i in range(12)]
        results = asyncio.run(fetch_all(jobs, limits))
        assert all(r.outcome == "ok" for r in results)
        assert server.log.max_in_flight == 4


def test_many_urls_run_concurrently_and_each_once() -> None:
    with serve() as server:
        limits = Limits(workers=20, per_host=20, deadline=30.0, timeout=20.0)
        jobs = [Job(f"{server.base}/gate/20/40/many-{i}") for i in range(40)]
        results = asyncio.run(fetch_all(jobs, limits))
        assert [r.url for r in results] == [j.url for j in jobs]
        assert all(r.outcome == "ok" for r in results)
        assert sorted(server.log.paths()) == sorted(f"/gate/20/40/many-{i}" for i in range(40))
        assert server.log.max_in_flight == 20  # a sync loop has 1 in flight


def test_the_proxy_of_the_environment_is_used(
    server: SourcesServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Newsrooms sit behind proxies: HTTP_PROXY is honoured. The test server plays
    the proxy; without it, the request would meet a closed port."""
    monkeypatch.setenv("HTTP_PROXY", server.base)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    elsewhere = f"localhost:{closed_port()}"
    result = fetch(f"http://{elsewhere}/quote/proxied")
    assert (result.outcome, result.status) == ("ok", 200)
    [hit] = server.log.of("/quote/proxied")
    assert hit.headers["Host"] == elsewhere


def test_no_proxy_is_honoured(server: SourcesServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    assert fetch(f"{server.base}/quote/direct").outcome == "ok"


def test_an_invalid_url_is_a_result_not_a_crash() -> None:
    results = asyncio.run(fetch_all([Job("http://[::1/"), Job("ftp://127.0.0.1/x")], FAST))
    assert [r.outcome for r in results] == ["broken", "broken"]
    assert all(r.reason.startswith("not a usable address") for r in results)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("3", 3.0), (" 120 ", 120.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 10.0), ("soon", None)],
)
def test_retry_after_values(value: str, seconds: float | None) -> None:
    now = 1445412470.0  # 10 s before the date above
    assert retry_after_seconds(value, now=now) == seconds
