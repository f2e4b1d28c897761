"""Markdown that shows claim text as text, whatever it holds (GitHub-flavoured).

Claim text is untrusted: in a brief it must render as exactly its visible text and
nothing else. So, in `text()`:

- every character markdown could act on is backslash-escaped: emphasis, code,
  links and images, raw HTML and comments (`<`), entities (`&`), strikethrough,
  table pipes, headings;
- whitespace, newlines included, folds to single spaces, so no text can end a table
  row or start a block;
- GFM's autolinks (`http://`, `www.`) are broken with a backslash before `:` or `.`;
  an e-mail address, a GitHub `@mention` and an issue reference `#123`, which no
  escape breaks, go in a code span, where neither GFM nor GitHub links anything;
- invisible characters (zero-width spaces, word joiners, soft hyphens, byte-order
  marks) are left out: a brief travels into CMSs by copy and paste, and so would
  they. Zero-width joiners and non-joiners, which some scripts and emoji need, stay;
- terminal controls and bidirectional overrides are made inert, as everywhere
  (`safe.inert`).

`link()` emits a link only for an http(s) URL, percent-encoding what could end it.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from factcmp.load.urls import is_web_url
from factcmp.render.safe import inert, one_line

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!$])")
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=www)(\.)")
# what GitHub or GFM would link and no backslash stops: e-mail addresses, @mentions
# and #123 references (a `#` before a word is no reference)
# Any word holding `@` goes whole into a code span: GFM's e-mail autolinks are laxer
# than any pattern we would keep in step with (`www.-@.www`, `xmpp:a@-b.c` link).
# (from the start of a word, or after an opening bracket or quote, only: linear;
# brackets, quotes and a word's closing punctuation stay outside the span)
_LINKABLE = re.compile(
    r"(?<![^\s(\[{<\"'“‘])[^\s@()\[\]{}<>\"'“”‘’]*@[^\s()\[\]{}<>\"'“”‘’]*"
    r"|(?<![\w&`])#\d+\b"
)
_CLOSING = re.compile(r"[.,;:!?]+$")
_LINE_START = re.compile(r"^(\d*)((?<=\d)[.)]|(?<!\d)[-+=])")
# Format characters (Unicode category Cf) but the joiners, and the fillers that show
# nothing: left out of a brief. Bidirectional controls never get here: `inert()` has
# already made them visible escapes.
_INVISIBLE_RANGES = [
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x0600, 0x0605), (0x061C, 0x061C),
    (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2),
    (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180E, 0x180E), (0x200B, 0x200B),
    (0x200E, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
    (0x3164, 0x3164), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
]  # fmt: skip
_INVISIBLE: dict[int, None] = {
    code: None for low, high in _INVISIBLE_RANGES for code in range(low, high + 1)
}


def text(value: str) -> str:
    """`value` as inline markdown that renders to exactly its (inert) visible text."""
    plain = " ".join(inert(value).translate(_INVISIBLE).split())
    if "@" not in plain and "#" not in plain:
        return _LINE_START.sub(r"\1\\\2", _escaped(plain), count=1)
    out = []
    start = 0
    for match in _LINKABLE.finditer(plain):
        word = _CLOSING.sub("", match.group())
        if not re.search(r"[^\W_]", word):  # a lone "@" (a price @ 5) links nothing
            continue
        out.append(_escaped(plain[start : match.start()]))
        out.append(_code(word))
        start = match.start() + len(word)
    out.append(_escaped(plain[start:]))
    # at the start of a line, `- x`, `+ x`, `1. x`, `2) x` and `=` would open a list
    # or underline a heading: escape the marker wherever the text may land
    return _LINE_START.sub(r"\1\\\2", "".join(out), count=1)


def _code(word: str) -> str:
    """`word` as a code span, fenced by more backticks than any run it holds (padded
    with spaces when it starts or ends with one, which the span then strips)."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", word)), default=0) + 1)
    pad = " " if word.startswith("`") or word.endswith("`") else ""
    return f"{fence}{pad}{word}{pad}{fence}"


def _escaped(plain: str) -> str:
    escaped = _SPECIAL.sub(r"\\\1", plain)
    return _AUTOLINK.sub(lambda m: "\\" + (m.group(1) or m.group(2)), escaped)


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
