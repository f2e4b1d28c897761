"""Which links factcmp treats as web pages: http(s) with a host, nothing else.

Low in the house: `check` (a `url` that is not a web address is an error) and the
renderers (a brief links only web pages) both ask it.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def is_web_url(url: str | None) -> bool:
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
