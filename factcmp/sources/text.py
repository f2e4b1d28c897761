"""A web page's bytes to plain text, and whether a quote stands in it.

Decoding follows the order browsers use: a byte-order mark, then the charset of
the HTTP `Content-Type` header, then the page's own `<meta charset>` (or
`http-equiv`), then UTF-8 with replacement characters. HTML goes through the
standard library's `html.parser` (no regular expression ever looks at HTML):
`<script>`, `<style>`, `<template>` and `<noscript>` are dropped, block elements
separate words and inline ones do not, entities are decoded.

A quote is found when its normalised text is a substring of the page's normalised
text: factcmp.load.quotes says how quotes and pages are normalised.
"""

from __future__ import annotations

import codecs
import contextlib
from html.parser import HTMLParser

import msgspec

from factcmp.load.quotes import normalise

_DROPPED = frozenset({"script", "style", "template", "noscript"})
# Elements that do not separate words: "abso<em>lute</em>" is one word.
_INLINE = frozenset(
    {"a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn",
     "em", "font", "i", "ins", "kbd", "mark", "nobr", "q", "s", "samp", "small", "span",
     "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr"}
)  # fmt: skip
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_PRESCAN = 4096  # bytes in which a <meta charset> counts (HTML's own rule: 1024)
# Python codecs no web page is in: a page declaring one is read as UTF-8.
_NOT_FOR_PAGES = frozenset({"idna", "punycode", "unicode-escape", "raw-unicode-escape", "utf-7"})
# The WHATWG encoding standard reads these labels as windows-1252.
_AS_1252 = frozenset({"ascii", "us-ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1"})

# Titles of the pages bot protection serves instead of the page asked for.
BOT_WALL_TITLES = frozenset(
    {
        "just a moment...",
        "attention required! | cloudflare",
        "are you a robot?",
        "verify you are human",
        "ddos-guard",
        "one more step",
    }
)


class Page(msgspec.Struct, frozen=True):
    """A page as far as quotes are concerned: its normalised text and title."""

    text: str
    title: str = ""


def media_type(content_type: str | None) -> tuple[str, str | None]:
    """`text/html; charset=UTF-8` -> ("text/html", "UTF-8")."""
    if not content_type:
        return "", None
    kind, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return kind.strip().lower(), charset


def is_textual(content_type: str | None, body: bytes) -> str | None:
    """ "html" or "text" when quotes can be looked for in the body, else None. With no
    `Content-Type`, the first bytes decide."""
    kind, _ = media_type(content_type)
    if kind in _HTML_TYPES:
        return "html"
    if kind.startswith("text/"):
        return "text"
    if kind:
        return None
    head = body[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<p", b"<!--")):
        return "html"
    if b"\0" in head or head.startswith(b"%pdf"):
        return None
    try:
        body[:4096].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < 4090:  # not merely a character cut at the end of the sample
            return None
    return "text"


def _codec(label: str | None, *, in_page: bool = False) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _AS_1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
        b"x".decode(name, errors="replace")  # "base64", "rot13": not text encodings
    except (LookupError, UnicodeError, ValueError):
        return None
    if name in _NOT_FOR_PAGES:
        return None
    if in_page and name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a page read as ASCII to find its <meta> is not UTF-16 (HTML's rule)
    return name


def _bom(body: bytes) -> str | None:
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return name
    return None


class _MetaCharset(HTMLParser):
    """Finds `<meta charset=...>` or `<meta http-equiv=content-type content=...>`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charset: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "meta" or self.charset:
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        if values.get("charset"):
            self.charset = values["charset"]
        elif values.get("http-equiv", "").lower() == "content-type":
            self.charset = media_type(values.get("content", ""))[1]

    handle_startendtag = handle_starttag


def declared_charset(body: bytes) -> str | None:
    """The charset a page declares in its first bytes, if any."""
    finder = _MetaCharset()
    with contextlib.suppress(Exception):  # html.parser is lenient; a last line of defence
        finder.feed(body[:_PRESCAN].decode("latin-1"))
    return finder.charset


def decode(body: bytes, content_type: str | None, *, html_page: bool = True) -> tuple[str, str]:
    """(text, codec): BOM, then the header's charset, then (HTML) the page's meta
    charset, then UTF-8; bytes that do not decode become U+FFFD."""
    codec = _bom(body) or _codec(media_type(content_type)[1])
    if codec is None and html_page:
        codec = _codec(declared_charset(body), in_page=True)
    codec = codec or "utf-8"
    try:
        return body.decode(codec, errors="replace"), codec
    except (LookupError, UnicodeError, ValueError):  # a codec that cannot replace
        return body.decode("utf-8", errors="replace"), "utf-8"


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._dropped = 0
        self._in_title = False

    def _boundary(self, tag: str) -> None:
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self._dropped += 1
        elif tag == "title":
            self._in_title = True
        self._boundary(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self._dropped = max(0, self._dropped - 1)
        elif tag == "title":
            self._in_title = False
        self._boundary(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._boundary(tag)  # <br/>, <img/>: a boundary, and nothing opened

    def handle_data(self, data: str) -> None:
        if self._dropped:
            return
        self.parts.append(data)
        if self._in_title:
            self.title.append(data)


def html_text(markup: str) -> tuple[str, str]:
    """(text, title) of an HTML document, as a reader sees them (not normalised)."""
    parser = _TextExtractor()
    with contextlib.suppress(Exception):  # html.parser is lenient; keep what was read
        parser.feed(markup)
        parser.close()
    return "".join(parser.parts), " ".join("".join(parser.title).split())


def page_from_body(body: bytes, content_type: str | None) -> Page | None:
    """The normalised text of a page, or None when it is neither HTML nor text."""
    kind = is_textual(content_type, body)
    if kind is None:
        return None
    text, _ = decode(body, content_type, html_page=kind == "html")
    if kind == "html":
        text, title = html_text(text)
        return Page(normalise(text), title)
    return Page(normalise(text))


def is_bot_wall(page: Page) -> bool:
    """A bot-protection page served in place of the page (with a 200)."""
    return page.title.casefold() in BOT_WALL_TITLES
