"""Markdown that shows claim text as text, whatever it holds (GitHub-flavoured).

Claim text is untrusted: in a brief it must render as exactly its visible text and
nothing else. So, in `text()`:

- every character markdown could act on is backslash-escaped: emphasis, code,
  links and images, raw HTML and comments (`<`), entities (`&`), strikethrough,
  table pipes, headings;
- whitespace, newlines included, folds to single spaces, so no text can end a table
  row or start a block;
- GFM's autolinks (`http://`, `www.`, `a@b.c`) and GitHub's `@mention` and `#123`
  references are broken with an invisible WORD JOINER (U+2060), which keeps the
  visible text as it was;
- terminal controls are made inert, as everywhere (`safe.inert`).

`link()` emits a link only for an http(s) URL, percent-encoding what could end it.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from factcmp.render.safe import one_line

WORD_JOINER = "\u2060"
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!$])")
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=www)(\.)")
_REFERENCE = re.compile(r"([@#])(?=\w)")
_LINE_START = re.compile(r"^(\d*)((?<=\d)[.)]|(?<!\d)[-+=])")


def text(value: str) -> str:
    """`value` as inline markdown that renders to exactly its (inert) visible text."""
    plain = one_line(value)
    plain = _REFERENCE.sub(lambda m: m.group(1) + WORD_JOINER, plain)
    escaped = _SPECIAL.sub(r"\\\1", plain)
    escaped = _AUTOLINK.sub(lambda m: "\\" + (m.group(1) or m.group(2)), escaped)
    # at the start of a line, `- x`, `+ x`, `1. x`, `2) x` and `=` would open a list
    # or underline a heading: escape the marker wherever the text may land
    return _LINE_START.sub(r"\1\\\2", escaped, count=1)


def is_web_url(url: str | None) -> bool:
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def link(label: str, url: str | None) -> str | None:
    """A markdown link to an http(s) URL, or None for anything else."""
    if url is None or not is_web_url(url):
        return None
    safe = quote(one_line(url).strip(), safe="/:?#[]@!$&'*+,;=%-._~")
    safe = safe.replace("(", "%28").replace(")", "%29")
    return f"[{text(label)}](<{safe}>)"


def cell(value: str) -> str:
    """Table cell text: `text()` already escapes `|` and folds newlines."""
    return text(value) or " "
