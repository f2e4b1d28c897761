"""The parse cache: validated claim files, kept by the hash of their content.

A claim file that has not changed loads from the cache in a fraction of the time
that reading YAML takes. Nothing is trusted blindly:

- the key hashes the file's bytes, its path and side id, factcmp's version and the
  cache format, so a changed file or a new factcmp never meets an old entry;
- an entry is read only if it is a regular file (opened without following a
  symbolic link and without waiting: a FIFO, a device or a link to one is not
  read), and no more of it than its header says it holds;
- each entry names the key it was written for, so an entry copied or renamed to
  another key's name is not taken for that key's;
- each entry carries a checksum of its payload: a corrupt or truncated entry is
  ignored (and rebuilt), never an error and never shown;
- an entry that does not check out is removed, and is a miss;
- only files that loaded without problems are cached; entries are written
  atomically, and a cache that cannot be written is simply not used.

Besides files and comparisons, the cache keeps rendered outputs (JSON, CSV, the
body of a brief) of a comparison, keyed by the comparison's key, the format and
exactly which topics were selected (`Outputs`).

Where: `FACTCMP_CACHE_DIR`, else the user's cache folder (`~/.cache/factcmp` on
Linux, `~/Library/Caches/factcmp` on macOS, `%LOCALAPPDATA%\\factcmp\\Cache` on
Windows). `--no-cache` skips it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import sys
import time
import zlib
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

import msgspec

from factcmp import __version__

try:  # hashlib's blake2b without loading OpenSSL (a few ms of every start-up)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always has it
    from hashlib import blake2b

T = TypeVar("T")

CACHE_FORMAT = 2
_MAGIC = b"factcmp-cache\x03"
_DIGEST = 20  # bytes of the key's hash
_OWNER = 16  # bytes of the hash of the key an entry was written for
_LENGTH = 8  # bytes of the payload's length
_CHECK = 4  # bytes of the payload's CRC-32
_HEAD = len(_MAGIC) + _OWNER + _LENGTH + _CHECK
_KEEP = 1000  # entries kept; the oldest go first
_BUDGET = 2 << 30  # bytes kept (outputs of large comparisons are large); the oldest go first
_CHUNK = 1 << 30  # bytes asked of one read (some systems refuse more than 2 GiB)
_STALE = 60.0  # seconds after which a temporary file left by a killed writer is removed
# Open an entry only as a regular file: never through a symbolic link, and without
# waiting for a writer (a FIFO would block the read forever). fstat then says what it is.
_OPEN = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


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


@functools.cache
def _code() -> str:
    """The size and time of every module of factcmp: an edit to an editable install
    (a renderer, the comparison) without a new version number never meets entries,
    outputs above all, that the old code wrote."""
    package = Path(__file__).parent
    seen: list[str] = []
    folders = [package]
    try:
        while folders:
            with os.scandir(folders.pop()) as scan:
                for item in scan:
                    if item.name.endswith(".py"):
                        info = item.stat()
                        seen.append(f"{item.path}\0{info.st_size}\0{info.st_mtime_ns}")
                    elif item.is_dir() and not item.name.startswith((".", "__")):
                        folders.append(Path(item.path))
    except OSError:  # pragma: no cover - not installed as files: a version is the code
        return ""
    seen.sort()
    return blake2b("\n".join(seen).encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()


def _checksum(payload: bytes) -> bytes:
    """CRC-32 of an entry: catches a truncated or damaged file (the key, a
    cryptographic hash, already names what the entry is for)."""
    return zlib.crc32(payload).to_bytes(_CHECK, "big")


def _owner(key: str) -> bytes:
    """What an entry records of the key it was written for."""
    return blake2b(key.encode("utf-8", "surrogateescape"), digest_size=_OWNER).digest()


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
        fixed = [__version__, str(CACHE_FORMAT), msgspec.__version__, _layout(), _code()]
        header = "\0".join([*fixed, *parts])
        digest.update(header.encode("utf-8", "surrogateescape") + b"\0")  # odd file names too
        digest.update(data)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.bin"

    def get(self, key: str, kind: type[T]) -> T | None:
        """The entry, or None when there is none or it does not check out (and then
        it is removed)."""
        payload = self.get_bytes(key)
        if payload is None:
            return None
        try:
            return msgspec.msgpack.decode(payload, type=kind)
        except (msgspec.DecodeError, msgspec.ValidationError):
            _remove(self._path(key))
            return None

    def get_bytes(self, key: str) -> bytes | None:
        """The payload stored under `key`, or None (see `read_entry`)."""
        return read_entry(self._path(key), _MAGIC, _owner(key))

    def put(self, key: str, value: object) -> None:
        """Store an entry; a cache that cannot be written is not an error."""
        try:
            payload = msgspec.msgpack.encode(value)
        except (OverflowError, TypeError, ValueError):  # e.g. a count past 2**64
            return
        self.put_bytes(key, payload)

    def put_bytes(self, key: str, payload: bytes) -> None:
        """Store `payload` under `key`; a cache that cannot be written is not an error."""
        from factcmp.atomic import write_atomic

        head = _MAGIC + _owner(key) + len(payload).to_bytes(_LENGTH, "big") + _checksum(payload)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self._path(key), head + payload)
        except OSError:
            return
        prune(self.folder, _KEEP, _BUDGET)


class Outputs:
    """Rendered outputs of one comparison (factcmp.result.Memo): text kept under the
    comparison's key, what is rendered and the exact topics rendered."""

    def __init__(self, cache: ParseCache, key: str) -> None:
        self.cache = cache
        self.key = key

    def subset(self, keep: Sequence[int]) -> Outputs:
        """The outputs of the comparison narrowed to the topics at these positions."""
        positions = array("q", keep).tobytes()
        return Outputs(self.cache, ParseCache.key(positions, "subset", self.key))

    def _key(self, parts: Sequence[str]) -> str:
        return ParseCache.key(b"", "output", self.key, *parts)

    def get(self, parts: Sequence[str]) -> str | None:
        key = self._key(parts)
        payload = self.cache.get_bytes(key)
        if payload is None:
            return None
        try:
            return payload.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:  # the checksum held, yet it is not text: not ours
            _remove(self.cache._path(key))
            return None

    def put(self, parts: Sequence[str], text: str) -> None:
        try:
            payload = text.encode("utf-8", "surrogatepass")
        except UnicodeEncodeError:  # pragma: no cover - str holds no other invalid text
            return
        self.cache.put_bytes(self._key(parts), payload)


def read_entry(path: Path, magic: bytes, owner: bytes) -> bytes | None:
    """The payload of the entry at `path`, written with `magic` for `owner`, or None.
    What is there and is not such an entry (not a regular file, a symbolic link,
    damaged, truncated, written for another key) is removed. Reads only from a
    regular file, and no more than its header says the entry holds."""
    try:
        fd = os.open(path, _OPEN)
    except FileNotFoundError:
        return None
    except OSError:  # a symbolic link (ELOOP), unreadable: not an entry
        _remove(path)
        return None
    try:
        payload = _checked(fd, magic, owner)
    except MemoryError:  # an entry too large for this process: a miss, kept
        return None
    except OSError:
        payload = None
    finally:
        os.close(fd)
    if payload is None:
        _remove(path)
    return payload


def _checked(fd: int, magic: bytes, owner: bytes) -> bytes | None:
    """The payload of the open entry `fd`, or None if it is not a good one."""
    info = os.fstat(fd)
    head_size = len(magic) + len(owner) + _LENGTH + _CHECK
    if not stat.S_ISREG(info.st_mode) or info.st_size < head_size:
        return None
    head = _read_exactly(fd, head_size)
    if head is None or head[: len(magic)] != magic:
        return None
    at = len(magic)
    if head[at : at + len(owner)] != owner:
        return None  # written for another key
    at += len(owner)
    length = int.from_bytes(head[at : at + _LENGTH], "big")
    if head_size + length != info.st_size:
        return None  # truncated, or more than was written
    payload = _read_exactly(fd, length)
    if payload is None or _checksum(payload) != head[at + _LENGTH :]:
        return None
    return payload


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of the regular file at `path` if it holds at most `limit`, else None
    (a FIFO, a device, a symbolic link, a folder: never read; too large: not read)."""
    try:
        fd = os.open(path, _OPEN)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        return _read_exactly(fd, info.st_size)
    except OSError:
        return None
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    """Remove what is at `path` (a bad entry: the next write replaces it)."""
    with contextlib.suppress(OSError):
        os.unlink(path)


def _read_exactly(fd: int, size: int) -> bytes | None:
    """`size` bytes of an open file, or None if it ends before."""
    chunks = []
    while size > 0:
        chunk = os.read(fd, min(size, _CHUNK))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


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


def prune(folder: Path, keep: int, budget: int | None = None) -> None:
    """Keep the `keep` most recently written entries of a cache folder (and, with a
    `budget`, no more bytes of them than that, the newest entry always kept); remove
    temporary files that a writer killed before renaming them left behind."""
    entries: list[os.DirEntry[str]] = []
    now = time.time()
    try:
        with os.scandir(folder) as scan:
            for item in scan:
                name = item.name
                if name.endswith(".bin"):
                    entries.append(item)
                elif name.startswith(".") and name.endswith(".tmp") and ".bin." in name:
                    with contextlib.suppress(OSError):
                        if now - item.stat(follow_symlinks=False).st_mtime > _STALE:
                            os.unlink(item.path)
    except OSError:
        return
    if len(entries) <= keep and budget is None:
        return
    dated: list[tuple[float, int, str]] = []
    for item in entries:
        with contextlib.suppress(OSError):
            info = item.stat(follow_symlinks=False)
            dated.append((info.st_mtime, info.st_size, item.path))
    dated.sort(reverse=True)  # newest first
    total = 0
    for count, (_, size, path) in enumerate(dated):
        total += size
        if count >= keep or (budget is not None and count and total > budget):
            with contextlib.suppress(OSError):
                os.unlink(path)
