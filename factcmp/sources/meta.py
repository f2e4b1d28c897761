"""What a news page says about itself: outlet, title, author, date and canonical URL.

Read from its structured metadata, most trusted first: JSON-LD (the first
`NewsArticle` or other article type, in an object, a list or an `@graph`, following
`@id` references), OpenGraph and `article:` tags, `<meta name=...>` (author, byl,
dc.creator, pubdate, ...) and microdata on `<meta>` and `<time>`, `<link
rel=canonical>`. What is not there is guessed, and says so (`Found.guess`): the title
and outlet from `<title>`, the date from a `<time>` or the URL, the outlet from the
host name. Parsed with `html.parser` (no regular expression looks at HTML); text comes
back as the page has it: making it safe to show is factcmp.sources.entry's job.

`fetch_meta` fetches the page with `sources check`'s fetcher (its limits, user agent,
redirects, size cap, deadline, retries) and decodes it as factcmp.sources.text does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import html
import json
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import urljoin, urlsplit

from factcmp.load.urls import is_web_url

if TYPE_CHECKING:
    from factcmp.sources.limits import Limits
    from factcmp.sources.result import Fetch

T = TypeVar("T")

# schema.org types of a news page's main object, the more specific first
_ARTICLE_TYPES = (
    ("NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
     "BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicQuestionNewsArticle"),
    ("Article", "Report", "LiveBlogPosting", "BlogPosting", "SatiricalArticle"),
)  # fmt: skip
_ORGANISATIONS = ("publisher", "sourceOrganization", "provider")
_AUTHOR_META = ("author", "article:author", "og:article:author", "byl", "dc.creator",
                "dcterms.creator", "sailthru.author", "parsely-author")  # fmt: skip
_DATE_META = ("article:published_time", "og:article:published_time", "datepublished",
              "article:published", "og:published_time", "pubdate", "publishdate",
              "publish-date", "publish_date", "publisheddate", "date", "dc.date",
              "dc.date.issued", "dcterms.issued", "dcterms.date", "sailthru.date",
              "parsely-pub-date")  # fmt: skip
_TITLE_META = ("og:title", "twitter:title", "title", "dc.title", "headline")
_SEPARATORS = (" | ", " — ", " – ", " - ", " :: ", " · ", " « ", " » ")
_ELLIPSES = ("...", "…")
HOST_GUESS = "guessed from the host name"
_MAX_NODES = 5000  # JSON-LD objects looked at, at most: a page could hold millions
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:$|T)")
_SLASH_DATE = re.compile(r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})(?:$|\s)")
_PATH_DATE = re.compile(r"/((?:19|20)\d\d)[/-]?(\d{1,2})[/-]?(\d{1,2})(?=[/_.-]|$)")
_WRAPPERS = (("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("/*<![CDATA[*/", "/*]]>*/"))
_SPACES = re.compile("[ \t\n\r\f\v\x1c-\x1f\x85\u2028\u2029]+")
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Found(Generic[T]):
    """A field's value (None: not found), and why it is a guess: None when read from
    the page's structured metadata, else a few words for a YAML comment."""

    value: T | None
    guess: str | None = None


@dataclass(frozen=True)
class PageMeta:
    outlet: Found[str]
    title: Found[str]
    author: Found[str]
    published: Found[dt.date]
    url: Found[str]


@dataclass(frozen=True)
class Read:
    """A page's metadata, or why the page could not be read (one line, in words)."""

    meta: PageMeta | None
    problem: str | None = None


def fetch_meta(url: str, limits: Limits) -> Read:
    """Fetch the page at `url` as `sources check` fetches a page whose quote it looks
    for, and read its metadata."""
    import asyncio

    from factcmp.sources.fetch import Fetcher, Job
    from factcmp.sources.pools import make_client
    from factcmp.sources.result import NO_NETWORK_WHY, no_network
    from factcmp.sources.text import decode, is_textual, media_type

    kept: list[tuple[bytes, str | None]] = [(b"", None)]

    async def run() -> Fetch:
        async with make_client(limits) as client:
            # the link checker's fetcher, keeping the body it reads for quotes (a bot
            # wall served with a 200 still makes the page unverifiable)
            fetcher = Fetcher(client, limits, on_page=lambda *page: kept.append(page))
            return await fetcher.check(Job(url, need_body=True))

    fetch = asyncio.run(run())
    if no_network([fetch]):  # its host name did not resolve: as sources check says
        return Read(None, NO_NETWORK_WHY)
    body, content_type = kept[-1]
    if fetch.outcome != "ok":
        return Read(None, f"{fetch.outcome}: {fetch.reason}")
    if is_textual(content_type, body) != "html":
        return Read(None, f"not an HTML page ({media_type(content_type)[0] or 'unknown type'})")
    markup, _codec = decode(body, content_type)
    return Read(read_meta(markup, fetch.final_url or url))


class _Reader(HTMLParser):
    """Collects what metadata needs in one pass: JSON-LD blocks, <meta> tags by
    name/property/itemprop, rel=canonical, <title>, the <time> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.json_ld: list[str] = []
        self.meta: dict[str, list[str]] = {}
        self.canonical: str | None = None
        self.title: str | None = None
        self.times: list[tuple[str, bool]] = []  # (datetime, marked as the published date)
        self._script: list[str] | None = None
        self._title: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "script" and values.get("type", "").strip().lower() == "application/ld+json":
            self._script = []
        elif tag == "meta":
            content = values.get("content")
            if content is not None:
                for attr in ("property", "name", "itemprop"):
                    key = values.get(attr, "").strip().lower()
                    if key:
                        self.meta.setdefault(key, []).append(content)
        elif tag == "link":
            rels = values.get("rel", "").lower().split()
            if "canonical" in rels and self.canonical is None and values.get("href"):
                self.canonical = values["href"]
        elif tag == "title" and self.title is None and self._title is None:
            self._title = []
        elif tag == "time" and values.get("datetime"):
            marked = values.get("itemprop", "").lower() == "datepublished" or "pubdate" in values
            self.times.append((values["datetime"], marked))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)  # <script/> opens nothing

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.json_ld.append("".join(self._script))
            self._script = None
        elif tag == "title" and self._title is not None:
            self.title = one_line("".join(self._title))
            self._title = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        elif self._title is not None:
            self._title.append(data)


def read_meta(markup: str, page_url: str) -> PageMeta:
    """The metadata of an HTML page fetched from `page_url` (after redirects)."""
    reader = _Reader()
    with contextlib.suppress(Exception):  # html.parser is lenient; keep what was read
        reader.feed(markup)
        reader.close()
    nodes = list(_json_ld_nodes(reader.json_ld))
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 1}
    article = _article(nodes)
    meta = reader.meta
    hosts = _host_names(page_url)
    outlet = _outlet(article, by_id, meta)
    names = [outlet or "", *hosts]
    page = _split_title(reader.title, names, loose=True) if reader.title else None
    return PageMeta(
        outlet=_outlet_found(outlet, page, hosts),
        title=_title(article, meta, page, names),
        author=_author(article, by_id, meta),
        published=_published(article, meta, reader.times, page_url),
        url=_url(article, meta, reader.canonical, page_url),
    )


# --- JSON-LD --------------------------------------------------------------------------


def _json_ld_nodes(blocks: list[str]) -> Iterator[dict[str, Any]]:
    """Every JSON object in the JSON-LD blocks, breadth first, at most _MAX_NODES."""
    queue: deque[Any] = deque()
    for block in blocks:
        queue.extend(_json_values(block))
    seen = 0
    while queue and seen < _MAX_NODES:
        item = queue.popleft()
        if isinstance(item, list):
            queue.extend(item)
        elif isinstance(item, dict):
            seen += 1
            yield item
            queue.extend(v for v in item.values() if isinstance(v, (dict, list)))


def _json_values(block: str) -> Iterator[Any]:
    """The JSON values of one block: sites wrap them in HTML comments or CDATA, and
    some put two objects in one block."""
    text = block.strip()
    for opening, closing in _WRAPPERS:
        if text.startswith(opening) and text.endswith(closing):
            text = text[len(opening) : -len(closing)].strip()
    decoder = json.JSONDecoder(strict=False)  # raw line breaks in strings are common
    at = 0
    while at < len(text):
        try:
            value, at = decoder.raw_decode(text, at)
        except (ValueError, RecursionError):
            return
        yield value
        while at < len(text) and text[at] in " \t\r\n;,":
            at += 1


def _types(node: dict[str, Any]) -> list[str]:
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return [k.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for k in kinds if isinstance(k, str)]


def _article(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    for family in _ARTICLE_TYPES:
        for node in nodes:
            if any(kind in family for kind in _types(node)):
                return node
    return {}


def _text(value: Any) -> str | None:
    """A JSON-LD value as one line of text (entities some sites double-encode decoded)."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if not isinstance(value, str):
        return None
    if "&" in value:
        value = html.unescape(value)
    return one_line(value) or None


def _names(value: Any, by_id: dict[str, dict[str, Any]], depth: int = 0) -> list[str]:
    """The names of an author or publisher value: a string, an object with a name, an
    @id reference, a list of them, or (as some sites write it) JSON inside a string."""
    if depth > 4:
        return []
    if isinstance(value, list):
        return [name for item in value for name in _names(item, by_id, depth + 1)]
    if isinstance(value, dict):
        if "name" not in value and isinstance(value.get("@id"), str):
            value = by_id.get(value["@id"], {})
        name = _text(value.get("name"))
        return [name] if name and not _is_link(name) else []
    text = _text(value)
    if not text or _is_link(text):
        return []
    if text[:1] in "{[":
        try:
            return _names(json.loads(text), by_id, depth + 1)
        except (ValueError, RecursionError):
            return []
    return [text]


def _is_link(text: str) -> bool:
    return text.startswith(("http://", "https://", "//", "/", "@"))


# --- the fields ------------------------------------------------------------------------


def _first_meta(meta: dict[str, list[str]], keys: tuple[str, ...]) -> tuple[str, str] | None:
    for key in keys:
        for value in meta.get(key, []):
            text = one_line(value)
            if text:
                return key, text
    return None


def _outlet_found(
    outlet: str | None, page: tuple[str, str | None] | None, hosts: list[str]
) -> Found[str]:
    if outlet:
        return Found(outlet)
    if page and page[1]:
        return Found(page[1], "guessed from <title>")
    return Found(hosts[0], HOST_GUESS) if hosts else Found(None)


def _outlet(
    article: dict[str, Any], by_id: dict[str, dict[str, Any]], meta: dict[str, list[str]]
) -> str | None:
    for key in _ORGANISATIONS:
        names = _names(article.get(key), by_id)
        if names:
            return names[0]
    found = _first_meta(meta, ("og:site_name", "application-name"))
    return found[1] if found else None


def _title(
    article: dict[str, Any],
    meta: dict[str, list[str]],
    page: tuple[str, str | None] | None,
    names: list[str],
) -> Found[str]:
    headline = _text(article.get("headline")) or _text(article.get("name"))
    from_meta = _first_meta(meta, _TITLE_META)
    from_page = page[0] if page else None
    if headline and headline.endswith(_ELLIPSES):  # cut short for search engines
        stem = headline.rstrip(".…").rstrip()
        for longer, where in ((from_meta and from_meta[1], "og:title"), (from_page, "<title>")):
            if longer and len(longer) > len(stem) and longer.startswith(stem):
                return Found(longer, f"completed from {where}: the JSON-LD headline is cut short")
    if headline:
        return Found(headline)
    if from_meta:
        key, text = from_meta
        cut = _split_title(text, names, loose=False)[0]
        return Found(cut, f"guessed: {key} without the site's name" if cut != text else None)
    if from_page:
        return Found(from_page, "guessed from <title>")
    return Found(None)


def _split_title(title: str, names: list[str], *, loose: bool) -> tuple[str, str | None]:
    """(headline, the site's name beside it) of a title, cut at a part naming the site
    ("Headline | DW | 19.01.2020", "DW - Headline"). A <title> (`loose`) is also cut at
    its first " | " ("Headline | Section | Site") and before a short last part after
    " - " ("Headline - Xinhua"); dashes alone stand in headlines too."""
    for separator in _SEPARATORS:
        parts = [part.strip() for part in title.split(separator)]
        if len(parts) < 2:
            continue
        if loose and separator == " | " and len(parts[0]) >= 8:
            sites = [part for part in parts[1:] if _has_letter(part)]
            return parts[0], sites[-1] if sites else None
        for at in range(1, len(parts)):
            if _names_site(parts[at], names):
                return separator.join(parts[:at]), parts[at]
        if _names_site(parts[0], names):
            return separator.join(parts[1:]), parts[0]
        tail = parts[-1]
        short = len(tail.split()) <= 3 and len(tail) <= 30 and _has_letter(tail)
        if loose and separator == " - " and short:
            return separator.join(parts[:-1]), tail
    return title, None


def _names_site(part: str, names: list[str]) -> bool:
    key = _key(part)
    keys = [k for k in (_key(n) for n in names) if len(k) > 1]
    return len(key) > 1 and any(key == k or k in key or key in k for k in keys)


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def one_line(text: str) -> str:
    """Text on one line: line breaks, tabs and runs of spaces become one space (an
    ideographic or no-break space is kept: it is part of the text)."""
    return _SPACES.sub(" ", text).strip()


def _key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _author(
    article: dict[str, Any], by_id: dict[str, dict[str, Any]], meta: dict[str, list[str]]
) -> Found[str]:
    names = _names(article.get("author"), by_id) or _names(article.get("creator"), by_id)
    if not names:
        for key in _AUTHOR_META:
            names = [_BY.sub("", v) for v in meta.get(key, []) if v.strip() and not _is_link(v)]
            if names:
                break
    unique = list(dict.fromkeys(one_line(n) for n in names if n.strip()))
    return Found(", ".join(unique) if unique else None)


def _published(
    article: dict[str, Any],
    meta: dict[str, list[str]],
    times: list[tuple[str, bool]],
    page_url: str,
) -> Found[dt.date]:
    structured = [_text(article.get("datePublished"))]
    structured += [found[1] for key in _DATE_META if (found := _first_meta(meta, (key,)))]
    for text in structured:
        if text and (day := parse_date(text)):
            return Found(day)
    for text, marked in times:
        if marked and (day := parse_date(text)):
            return Found(day)
    for text, _marked in times[:1]:
        if day := parse_date(text):
            return Found(day, "guessed from the first <time> on the page")
    match = _PATH_DATE.search(urlsplit(page_url).path)
    if match and (day := _date(*match.groups())):
        return Found(day, "guessed from the URL")
    return Found(None)


def parse_date(text: str) -> dt.date | None:
    """The day of a date as pages write it: ISO 8601 (the day as written, whatever the
    time zone), 20220914, 2022/09/14, or an e-mail style date."""
    for pattern in (_ISO_DATE, _COMPACT_DATE, _SLASH_DATE):
        match = pattern.match(text)
        if match:
            return _date(*match.groups())
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        found = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return found if 1900 <= found.year <= 2100 else None


def _url(
    article: dict[str, Any], meta: dict[str, list[str]], canonical: str | None, page_url: str
) -> Found[str]:
    entity = article.get("mainEntityOfPage")
    if isinstance(entity, dict):
        entity = entity.get("@id") or entity.get("url")
    og_url = _first_meta(meta, ("og:url",))
    for candidate in (article.get("url"), entity, og_url and og_url[1], canonical):
        text = _text(candidate)
        resolved = urljoin(page_url, text) if text else ""
        if is_web_url(resolved) and _printable(resolved):
            return Found(resolved)
    return Found(page_url, "the address fetched: the page names no canonical URL")


def _printable(url: str) -> bool:
    return all(ch.isprintable() and not ch.isspace() for ch in url)


def _host_names(url: str) -> list[str]:
    """The host without www. and the like ("apnews.com"), then its site label ("apnews")."""
    host = (urlsplit(url).hostname or "").lower()
    for prefix in ("www.", "m.", "amp.", "mobile."):
        host = host.removeprefix(prefix)
    return [host, site_label(host)] if host else []


def site_label(host: str) -> str:
    """The label naming a site in its host name: apnews.com -> apnews, bbc.co.uk -> bbc,
    english.news.cn -> news."""
    if host.replace(".", "").isdigit() or ":" in host:
        return ""  # an IP address names no site
    labels = [label for label in host.split(".") if label]
    if len(labels) > 1:
        labels.pop()
        if len(labels) > 1 and labels[-1] in ("co", "com", "org", "net", "gov", "ac", "edu"):
            labels.pop()
    return labels[-1] if labels else host
