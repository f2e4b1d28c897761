"""The parse cache: validated claim files, kept by the hash of their content.

A claim file that has not changed loads from the cache in a fraction of the time
that reading YAML takes. Nothing is trusted blindly:

- the key hashes the file's bytes, its path and side id, factcmp's version and the
  cache format, so a changed file or a new factcmp never meets an old entry;
- each entry carries a checksum of its payload: a corrupt or truncated entry is
  ignored (and rebuilt), never an error and never shown;
- only files that loaded without problems are cached; entries are written
  atomically, and a cache that cannot be written is simply not used.

Where: `FACTCMP_CACHE_DIR`, else the user's cache folder (`~/.cache/factcmp` on
Linux, `~/Library/Caches/factcmp` on macOS, `%LOCALAPPDATA%\\factcmp\\Cache` on
Windows). `--no-cache` skips it.
"""

from __future__ import annotations

import functools
import os
import sys
import zlib
from pathlib import Path
from typing import TypeVar

import msgspec

from factcmp import __version__

try:  # hashlib's blake2b without loading OpenSSL (a few ms of every start-up)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always has it
    from hashlib import blake2b

T = TypeVar("T")

CACHE_FORMAT = 1
_MAGIC = b"factcmp-cache\x02"
_DIGEST = 20  # bytes of the key's hash
_CHECK = 4  # bytes of the payload's CRC-32
_KEEP = 1000  # entries kept; the oldest go first


@functools.cache
def _layout() -> str:
    """The shape of everything cached: a change to a cached type without a new
    version number (an editable install) still never meets an old entry."""
    from factcmp import model, result

    # every struct of the modules whose types are cached, so a new one is covered
    types = [
        value
        for module in (model, result)
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, msgspec.Struct)
        and value.__module__ == module.__name__
    ]
    # the fields and their annotations as written (strings: cheap to compare)
    shape = repr([(t.__name__, t.__struct_fields__, t.__annotations__) for t in types])
    return blake2b(shape.encode("utf-8"), digest_size=8).hexdigest()


def _checksum(payload: bytes) -> bytes:
    """CRC-32 of an entry: catches a truncated or damaged file (the key, a
    cryptographic hash, already names what the entry is for)."""
    return zlib.crc32(payload).to_bytes(_CHECK, "big")


def default_dir() -> Path:
    configured = os.environ.get("FACTCMP_CACHE_DIR")
    if configured:
        return Path(configured)
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return base / "factcmp" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "factcmp"
    return Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "factcmp"


class ParseCache:
    """Validated files by content hash, in one folder of small binary files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def key(data: bytes, *parts: str) -> str:
        digest = blake2b(digest_size=_DIGEST)
        header = "\0".join([__version__, str(CACHE_FORMAT), msgspec.__version__, _layout(), *parts])
        digest.update(header.encode("utf-8", "surrogateescape") + b"\0")  # odd file names too
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.bin"

    def get(self, key: str, kind: type[T]) -> T | None:
        """The entry, or None when there is none or it does not check out."""
        try:
            payload = unseal(self._path(key).read_bytes(), _MAGIC)
        except OSError:
            return None
        if payload is None:
            return None
        try:
            return msgspec.msgpack.decode(payload, type=kind)
        except (msgspec.DecodeError, msgspec.ValidationError):
            return None

    def put(self, key: str, value: object) -> None:
        """Store an entry; a cache that cannot be written is not an error."""
        from factcmp.atomic import write_atomic

        try:
            payload = msgspec.msgpack.encode(value)
        except (OverflowError, TypeError, ValueError):  # e.g. a count past 2**64
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self._path(key), seal(payload, _MAGIC))
        except OSError:
            return
        prune(self.folder, _KEEP)


def seal(payload: bytes, magic: bytes) -> bytes:
    """An entry as stored: what it is (`magic`), a checksum, the payload."""
    return magic + _checksum(payload) + payload


def unseal(raw: bytes, magic: bytes) -> bytes | None:
    """The payload of a stored entry, or None if it is not one or is damaged."""
    head = len(magic) + _CHECK
    if len(raw) < head or raw[: len(magic)] != magic:
        return None
    payload = raw[head:]
    return payload if _checksum(payload) == raw[len(magic) : head] else None


def prune(folder: Path, keep: int) -> None:
    """Keep the `keep` most recently written entries of a cache folder."""
    try:
        entries = list(folder.glob("*.bin"))
        if len(entries) <= keep:
            return
        entries.sort(key=lambda p: p.stat().st_mtime)
        for old in entries[: len(entries) - keep]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
