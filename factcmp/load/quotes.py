"""Whether a quote stands in a text: the one normalised form quotes and texts are
compared in.

Normalising undoes what copy editing and web pages change without changing the words:
Unicode compatibility forms (NFKC: no-break spaces, ligatures, `…`), curly and straight
quotes and apostrophes, dashes (and the spaces around them), soft hyphens and
zero-width characters, runs of whitespace and line breaks, HTML entities in the quote,
and case. An ellipsis in a quote (`...`, `…`, `[...]`) marks words left out: the parts
must appear in order.

Low in the house: `check` (a quote that another claim's quote holds) and `sources`
(a quote found in the page a link serves) both ask it.
"""

from __future__ import annotations

import html
import re
import unicodedata

_QUOTES_DASHES = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′‵`´‹›", "'"),
        **dict.fromkeys("“”„‟″‶«»", '"'),
        **dict.fromkeys("‐‑‒–—―−⸺⸻﹘﹣－", "-"),
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", None),
    }
)
# a dash with the spaces and dashes around it, once whitespace runs are single spaces
# (`\s*-[\s-]*` on the raw text is quadratic on a long run of spaces with no dash)
_DASH = re.compile(r" ?-[ -]*")
_ELLIPSIS = re.compile(r"\s*[\[(]?\s*\.{3,}\s*[\])]?\s*")
_EDGES = " \"'.,;:"


def normalise(text: str) -> str:
    """The form in which quotes and pages are compared (see the module docstring)."""
    text = text.translate(_QUOTES_DASHES)
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES_DASHES).casefold()
    return _DASH.sub("-", " ".join(text.split()))


def quote_parts(quote: str) -> list[str]:
    """A quote's normalised parts: split at ellipses, edge punctuation trimmed
    (a quote often leaves off the comma or full stop the page has)."""
    text = normalise(html.unescape(quote))
    parts = (part.strip(_EDGES) for part in _ELLIPSIS.split(text))
    return [part for part in parts if part]


def contains_quote(page_text: str, quote: str) -> bool:
    """Whether the quote stands in `page_text` (already normalised), its parts in order."""
    parts = quote_parts(quote)
    if not parts:
        return False
    at = 0
    for part in parts:
        found = page_text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True
