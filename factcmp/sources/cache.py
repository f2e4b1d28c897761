"""The results cache of `factcmp sources check`: what was learnt about each URL
(outcome, status, final URL, the page's normalised text), reused for `max_age`
seconds, so that a CI re-run does not fetch the same pages again.

One small file per URL, named by a hash of the URL and factcmp's version, holding
a CRC-32 of its compressed payload: an entry that is damaged, truncated, from
another version or for another URL is ignored (and replaced), never an error.
Entries are written atomically; a cache that cannot be written is not used.
An entry fetched without the page's text (a HEAD) does not answer a run that now
has a quote to look for on that page.

Where: `--cache-dir`, else a `sources` folder in factcmp's cache folder
(`factcmp.cache.default_dir()`, which honours `FACTCMP_CACHE_DIR`).
"""

from __future__ import annotations

import hashlib
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import msgspec

from factcmp import __version__
from factcmp.atomic import write_atomic
from factcmp.cache import prune, read_regular, seal, unseal
from factcmp.sources.result import Fetch

CACHE_FORMAT = 1
_MAGIC = b"factcmp-sources\x01"
_KEEP = 5000  # entries kept; the least recently written go first


class _Entry(msgspec.Struct):
    version: str
    url: str
    fetch: Fetch


_MAX_ENTRY = 256 * 1024 * 1024  # bytes an entry may hold, stored or inflated


def default_folder() -> Path:
    from factcmp.cache import default_dir

    return default_dir() / "sources"


class ResultsCache:
    def __init__(self, folder: Path, max_age: float, now: Callable[[], float] = time.time) -> None:
        self.folder = folder
        self.max_age = max_age
        self.now = now

    def _path(self, url: str) -> Path:
        digest = hashlib.blake2b(digest_size=20)
        digest.update(f"{__version__}\0{CACHE_FORMAT}\0{url}".encode())
        return self.folder / f"{digest.hexdigest()}.bin"

    def get(self, url: str, need_body: bool) -> Fetch | None:
        """The fetch of `url` if one is cached, younger than `max_age`, and (when a
        quote is to be looked for) one that read the page."""
        raw = read_regular(self._path(url), _MAX_ENTRY)  # never a FIFO or /dev/zero
        payload = unseal(raw, _MAGIC) if raw is not None else None
        if payload is None:
            return None
        try:
            inflate = zlib.decompressobj()
            data = inflate.decompress(payload, _MAX_ENTRY)
            if inflate.unconsumed_tail:  # inflates past any real entry: not one
                return None
            entry = msgspec.msgpack.decode(data, type=_Entry)
        except (zlib.error, msgspec.DecodeError, msgspec.ValidationError):
            return None
        fetch = entry.fetch
        if entry.version != __version__ or entry.url != url or fetch.url != url:
            return None
        age = self.now() - fetch.checked_at
        if not 0 <= age <= self.max_age:
            return None
        if need_body and fetch.outcome == "ok" and not fetch.body_read:
            return None
        return fetch

    def put(self, fetch: Fetch) -> None:
        """Keep a fetch; a cache folder that cannot be written is not an error."""
        payload = zlib.compress(
            msgspec.msgpack.encode(_Entry(__version__, fetch.url, fetch)), level=6
        )
        data = seal(payload, _MAGIC)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self._path(fetch.url), data)
        except OSError:
            pass

    def prune(self) -> None:
        """Keep the most recently written entries only (once a run, not per entry)."""
        prune(self.folder, _KEEP)
