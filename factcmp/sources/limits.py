"""How hard and how long `factcmp sources check` may try: the limits, their
defaults, and the parsing of the sizes and durations users write (`5MB`, `1h`)."""

from __future__ import annotations

import math
import re

import msgspec

from factcmp import __version__

USER_AGENT = f"factcmp/{__version__} (source link checker; +https://pypi.org/project/factcmp/)"

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.I)
_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "k": 1000,
    "kb": 1000,
    "ki": 1024,
    "kib": 1024,
    "m": 1000**2,
    "mb": 1000**2,
    "mi": 1024**2,
    "mib": 1024**2,
    "g": 1000**3,
    "gb": 1000**3,
    "gi": 1024**3,
    "gib": 1024**3,
}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$", re.I)
_DURATION_UNITS = {"ms": 0.001, "": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


class Limits(msgspec.Struct, frozen=True):
    """The limits of one run. Every time is in seconds."""

    workers: int = 20  # requests in flight at once, over all hosts
    per_host: int = 4  # requests in flight at once to one host name (any port)
    deadline: float = 30.0  # a URL's whole check: every hop, retry and wait
    timeout: float = 10.0  # one network operation: connect, a read, a write
    retries: int = 2  # after a 429, 5xx, timeout or dropped connection
    max_redirects: int = 10
    max_bytes: int = 5_000_000  # of a page's (decoded) body read to look for quotes
    retry_after_cap: float = 30.0  # a longer Retry-After is not waited for
    backoff: float = 0.5  # the first wait before a retry; doubled each time
    user_agent: str = USER_AGENT

    def __post_init__(self) -> None:
        if min(self.workers, self.per_host, self.max_bytes) < 1:
            raise ValueError("workers, per_host and max_bytes must be at least 1")
        if min(self.deadline, self.timeout) <= 0:
            raise ValueError("deadline and timeout must be more than 0 seconds")
        if min(self.retries, self.max_redirects, self.retry_after_cap, self.backoff) < 0:
            raise ValueError("retries, redirects and waits cannot be negative")


def parse_size(text: str) -> int:
    """`5MB` (10^6), `512KiB` (2^10), `1000000` -> bytes; ValueError if not a size."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a size: write e.g. 5MB, 512KB or 1MiB")
    unit = (match.group(2) or "").lower()
    try:
        size = float(match.group(1)) * _SIZE_UNITS[unit]
        if not math.isfinite(size):
            raise OverflowError
        whole = int(size)
    except OverflowError:
        raise ValueError(f"{text!r} is too large: write e.g. 5MB, 512KB or 1GB") from None
    if whole < 1:
        raise ValueError(f"{text!r} reads nothing: write at least 1 byte, e.g. 5MB")
    return whole


def parse_duration(text: str) -> float:
    """`1h`, `30m`, `90s`, `2d`, `500ms`, `45` (seconds) -> seconds."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration: write e.g. 1h, 30m, 90s or 2d")
    seconds = float(match.group(1)) * _DURATION_UNITS[(match.group(2) or "").lower()]
    if not math.isfinite(seconds):
        raise ValueError(f"{text!r} is too long a time: write e.g. 1h, 30m, 90s or 2d")
    return seconds


def shown_size(size: int) -> str:
    """A byte count as people read it: 5 MB, 512 KB, 900 bytes."""
    for unit, factor in (("GB", 1000**3), ("MB", 1000**2), ("KB", 1000)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} byte{'s' if size != 1 else ''}"
