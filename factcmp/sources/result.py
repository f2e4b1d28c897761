"""What `factcmp sources check` found: a `SourcesReport`, made of values only.

Three outcomes for a URL: **ok** (2xx after redirects), **broken** (the page is
gone or the address leads nowhere) and **unverifiable** (the site would not let a
robot see it, or did not answer in time). For each quote, whether it still stands
on the page it is attributed to. Renderers never judge; these types never format.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import msgspec

Outcome = Literal["ok", "broken", "unverifiable"]
OUTCOMES: tuple[Outcome, ...] = ("broken", "unverifiable", "ok")  # worst first

# found: on the live page (or, with no usable live page, on the archive copy);
# drift: not on the live page, but on its archive copy: the page changed;
# not-found: not on the page that could be read; unchecked: no page could be read
QuoteStatus = Literal["found", "drift", "not-found", "unchecked"]
QUOTE_STATUSES: tuple[QuoteStatus, ...] = ("not-found", "drift", "unchecked", "found")

Field = Literal["url", "archived"]


class Citation(msgspec.Struct, frozen=True):
    """One claim citing a URL through its source's `url` or `archived`. `line` and
        `col` are those of the link in `file` (the claim's file, or the shared sources.yaml
    that defines its source); `claim_line` the claim's."""

    side: str
    claim: str
    file: str
    claim_line: int
    line: int
    col: int
    source: str  # the source's key (a claim's id for a source written inline)
    field: Field
    outlet: str | None = None
    title: str | None = None
    claim_file: str = ""  # the claim's file, when the link is in the shared sources.yaml

    @property
    def claim_at(self) -> str:
        """'file:line' of the citing claim."""
        return f"{self.claim_file or self.file}:{self.claim_line}"


class Fetch(msgspec.Struct):
    """What was learnt about one URL: kept in the results cache as it is."""

    url: str
    outcome: Outcome
    reason: str  # in words: "404 Not Found", "DNS failure: ...", "redirect loop"
    status: int | None = None  # the last HTTP status seen, if any
    final_url: str | None = None  # after redirects
    content_type: str | None = None
    method: str = "GET"  # of the last request: HEAD, or GET where HEAD would not do
    redirects: int = 0
    attempts: int = 0  # requests made, retries and the HEAD-to-GET fallback included
    seconds: float = 0.0
    bytes_read: int = 0  # of the body, decoded; never more than the size cap
    truncated: bool = False  # the body was longer than the size cap
    body_read: bool = False  # the page's text was looked at (a quote cites it)
    text: str | None = None  # normalised text of the page, when it is HTML or text
    text_note: str | None = None  # why there is no text to look for quotes in
    checked_at: float = 0.0  # Unix time


# How a fetch says that its host name did not resolve: not at all ("DNS failure: the
# host name does not exist"), or not for now (EAI_AGAIN, what many machines without a
# network answer)
DNS_FAILURES = ("DNS failure", "DNS lookup failed")
# "could not be checked": never kept in the results cache (see factcmp.sources.check)
NO_NETWORK_WHY = "no network (no host name resolved)"
NO_NETWORK = f"could not be checked: {NO_NETWORK_WHY}"


def no_network(fetches: Sequence[Fetch]) -> bool:
    """Whether `fetches` say there is no network: not one host name resolved (each is
    a DNS failure), rather than each of those pages gone. `sources check` decides so
    for every link it fetched, `source URL` for its one page."""
    return bool(fetches) and all(f.reason.startswith(DNS_FAILURES) for f in fetches)


def as_offline(fetch: Fetch) -> Fetch:
    """`fetch` as no network leaves it: unverifiable, not broken."""
    return msgspec.structs.replace(fetch, outcome="unverifiable", reason=NO_NETWORK)


class UrlResult(msgspec.Struct):
    """A URL's fetch, the claims citing it, and whether it came from the cache."""

    fetch: Fetch
    citations: list[Citation]
    cached: bool = False

    @property
    def url(self) -> str:
        return self.fetch.url

    @property
    def outcome(self) -> Outcome:
        return self.fetch.outcome


class QuoteResult(msgspec.Struct):
    """Whether one claim's quote stands on the page(s) its source links to."""

    side: str
    claim: str
    file: str
    line: int
    quote: str
    status: QuoteStatus
    reason: str
    url: str | None = None  # the source's `url` (None if it has none or it is not a web link)
    archived: str | None = None
    where: Literal["page", "archive"] | None = None  # where it was found


class BadLink(msgspec.Struct, frozen=True):
    """A `url` or `archived` that is not a web address: reported, never fetched."""

    file: str
    line: int
    col: int
    url: str
    field: Field
    source: str
    claims: tuple[str, ...]
    message: str


class SourcesReport(msgspec.Struct):
    files: list[str]
    urls: list[UrlResult]  # worst outcome first, then by URL
    quotes: list[QuoteResult]  # in file order
    bad_links: list[BadLink]
    seconds: float = 0.0
    offline: bool = False  # no host name resolved at all: no link could be checked

    def count(self, outcome: Outcome) -> int:
        return sum(1 for u in self.urls if u.outcome == outcome)

    def count_quotes(self, status: QuoteStatus) -> int:
        return sum(1 for q in self.quotes if q.status == status)

    def failing_outcomes(self, fail_on: str) -> set[Outcome]:
        return {"broken", "unverifiable"} if fail_on == "unverifiable" else {"broken"}

    def failed(self, fail_on: str = "broken") -> bool:
        """Findings that fail a run: a broken link, a quote missing from its page
        (drift included), a link that is not a web address; with
        `fail_on="unverifiable"`, an unverifiable link too."""
        failing = self.failing_outcomes(fail_on)
        return (
            bool(self.bad_links)
            or any(u.outcome in failing for u in self.urls)
            or any(q.status in ("not-found", "drift") for q in self.quotes)
        )
