"""`factcmp sources check` as a library call: sides in, a `SourcesReport` out.

    report = check_sources(sides, Limits(per_host=2), cache=ResultsCache(folder, 3600))

Collects the links, takes what the cache knows, fetches the rest (httpx is
imported only then), and judges each quote against its page and archive copy.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import Literal

from factcmp.load.quotes import contains_quote
from factcmp.model import Side
from factcmp.sources.cache import ResultsCache
from factcmp.sources.collect import QuoteTask, collect
from factcmp.sources.limits import Limits
from factcmp.sources.result import (
    OUTCOMES,
    Fetch,
    Field,
    QuoteResult,
    QuoteStatus,
    SourcesReport,
    UrlResult,
    as_offline,
    no_network,
)

Where = Literal["page", "archive"] | None


_NO_NAME = "DNS failure"
# "could not be checked": never kept in the results cache (see below)
NO_NETWORK = "could not be checked: no network (no host name resolved)"


def check_sources(
    sides: Sequence[Side],
    limits: Limits | None = None,
    *,
    cache: ResultsCache | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_done: Callable[[Fetch], None] | None = None,
) -> SourcesReport:
    """Check every link and quote of `sides`. `on_start(total, cached)` is called once
    the URLs are known, `on_done(fetch)` as each URL fetched is done (progress)."""
    return asyncio.run(
        check_sources_async(sides, limits, cache=cache, on_start=on_start, on_done=on_done)
    )


async def check_sources_async(
    sides: Sequence[Side],
    limits: Limits | None = None,
    *,
    cache: ResultsCache | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_done: Callable[[Fetch], None] | None = None,
) -> SourcesReport:
    """`check_sources` for callers already in an event loop."""
    started = time.perf_counter()
    offline = False
    plan = collect(sides)
    fetches: dict[str, tuple[Fetch, bool]] = {}
    jobs = []
    for target in plan.targets:
        cached = cache.get(target.url, target.need_body) if cache else None
        if cached is not None:
            fetches[target.url] = (cached, True)
        else:
            jobs.append((target.url, target.need_body))
    if on_start is not None:
        on_start(len(plan.targets), len(fetches))
    if jobs:
        from factcmp.sources.fetch import Job, fetch_all

        done = await fetch_all([Job(u, n) for u, n in jobs], limits or Limits(), on_done)
        offline = no_network(done)
        if offline:  # not one host name resolved: no network, not a page gone
            done = [as_offline(f) for f in done]
        for fetch in done:
            fetches[fetch.url] = (fetch, False)
            if cache is not None and not fetch.reason.startswith("could not be checked"):
                cache.put(fetch)
        if cache is not None:
            cache.prune()
    urls = [UrlResult(fetches[t.url][0], t.citations, fetches[t.url][1]) for t in plan.targets]
    urls.sort(key=lambda u: (OUTCOMES.index(u.outcome), u.url))
    pages = {url: fetch for url, (fetch, _) in fetches.items()}
    return SourcesReport(
        files=plan.files,
        urls=urls,
        quotes=[judge_quote(task, pages) for task in plan.quotes],
        bad_links=plan.bad_links,
        seconds=round(time.perf_counter() - started, 3),
        offline=bool(jobs) and offline,
    )


def _look(task: QuoteTask, field: Field, pages: dict[str, Fetch]) -> tuple[bool | None, str]:
    """Whether the quote is on the page of the source's `field` link: None when the
    page cannot tell, with why."""
    url = task.url if field == "url" else task.archived
    if url is None:
        if field in task.bad:
            return None, f"its `{field}` is not a web address"
        return None, f"the source has no `{field}`"
    fetch = pages.get(url)
    if fetch is None:
        return None, "not fetched"
    if fetch.outcome != "ok":
        return None, f"{fetch.outcome} ({fetch.reason})"
    if fetch.text is None:
        return None, fetch.text_note or "its text could not be read"
    if contains_quote(fetch.text, task.quote):
        return True, ""
    if fetch.truncated:
        return None, f"not in the part read: {fetch.text_note}"
    return False, ""


def judge_quote(task: QuoteTask, pages: dict[str, Fetch]) -> QuoteResult:
    """Whether the quote stands on its page; the archive copy tells drift apart."""
    live, why_live = _look(task, "url", pages)
    archive, why_archive = _look(task, "archived", pages)
    has_archive = task.archived is not None or "archived" in task.bad

    def result(status: QuoteStatus, reason: str, where: Where = None) -> QuoteResult:
        return QuoteResult(
            side=task.side,
            claim=task.claim,
            file=task.file,
            line=task.line,
            quote=task.quote,
            status=status,
            reason=reason,
            url=task.url,
            archived=task.archived,
            where=where,
        )

    if live:
        return result("found", "on the page", "page")
    if live is False:
        if archive:
            return result("drift", "not on the page any more, but on its archive copy")
        if archive is False:
            return result("not-found", "neither on the page nor on its archive copy")
        extra = f" (the archive copy: {why_archive})" if has_archive else ""
        return result("not-found", "not on the page" + extra)
    if archive:
        return result("found", f"on the archive copy (the page: {why_live})", "archive")
    if archive is False:
        return result("not-found", f"not on the archive copy (the page: {why_live})")
    reason = f"the page: {why_live}"
    if has_archive:
        reason += f"; the archive copy: {why_archive}"
    return result("unchecked", reason)
