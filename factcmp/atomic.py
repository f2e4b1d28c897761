"""Write a file so that readers see the old content or the new, never half of it;
and write where `-o` points, whatever it names, alone or with other files
(`Outputs`: a brief and its chart, all written or none)."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write `text` to a temporary file beside `path`, flush it to disk, then rename
    it over `path` (atomic on POSIX and Windows). A run killed at any moment leaves
    the old file, or none, untouched; the temporary file is removed on errors, and
    when a signal that Python handles (Ctrl-C, or factcmp's SIGTERM and SIGHUP)
    arrives."""
    tmp = prepare_atomic(path, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def prepare_atomic(path: Path, text: str | bytes) -> str:
    """The first half of write_atomic: `text` in a temporary file beside `path`,
    flushed to disk, with `path`'s mode (or the mode open() would give a new file).
    Returns the temporary file's name, for the caller to rename over `path`; removed
    on errors and signals, as write_atomic says."""
    folder = path.parent
    mode = None
    with contextlib.suppress(FileNotFoundError):
        mode = path.stat().st_mode & 0o7777
    # Such a signal is held off from before the temporary file exists until the
    # `try` that removes it is entered: one arriving as mkstemp returns would
    # otherwise leave the file behind.
    held = _hold_signals()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except BaseException:
        _release_signals(held)
        raise
    try:
        _release_signals(held)  # a signal held meanwhile is raised here
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is None:  # a new file gets the mode open() would give it
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


_HELD = [getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)]


def _hold_signals() -> set[int | signal.Signals] | None:
    """Block SIGINT, SIGTERM and SIGHUP for this thread; the old mask (None where
    signals cannot be blocked, as on Windows)."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)


def _release_signals(held: set[int | signal.Signals] | None) -> None:
    """Restore the mask `_hold_signals` returned: a signal that arrived meanwhile is
    delivered now, its Python handler run before this returns."""
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


@contextlib.contextmanager
def held_signals() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP held off while the block runs, delivered after it
    (for a temporary file to be made and listed for removal as one step)."""
    held = _hold_signals()
    try:
        yield
    finally:
        _release_signals(held)  # a signal held meanwhile is raised here


_REFUSED = {
    stat.S_IFDIR: "a directory",
    stat.S_IFSOCK: "a socket",
    stat.S_IFBLK: "a block device",
}


def write_output(name: str, text: str) -> None:
    """Write `text` where `-o NAME` points, as a shell's `>` would, but never half:

    - standard output or standard error (/dev/stdout, /dev/fd/2, ...): written to
      sys.stdout or sys.stderr, so that `>>` appends and a pipe stays a pipe;
    - a character device or a FIFO (/dev/null, a terminal, a named pipe): written
      through, as they cannot be replaced;
    - a regular file, or nothing yet: written atomically (write_atomic). A symbolic
      link is followed: its final target is written, the link kept;
    - anything else (a directory, a socket, a block device): refused, nothing written.

    Raises OSError, with a `strerror` fit for a one-line message, when the output
    cannot be written or is refused."""
    if _written_through(name):
        _write_stream(name, text)
    else:
        write_atomic(Path(os.path.realpath(name)), text)


def _written_through(name: str) -> bool:
    """Whether write_output writes `name` through (standard output or error, a
    character device, a FIFO) rather than replacing a regular file (or making one);
    OSError for what it refuses."""
    if not name or name.endswith("/"):
        raise IsADirectoryError(errno.EISDIR, "it is a directory; -o takes a file name")
    info = _stat(name)
    if info is None or (stat.S_ISREG(info.st_mode) and not _is_std(info)):
        return False
    kind = stat.S_IFMT(info.st_mode)
    if _is_std(info) or kind in (stat.S_IFCHR, stat.S_IFIFO):
        return True
    what = _REFUSED.get(kind, "not a file")
    code = errno.EISDIR if kind == stat.S_IFDIR else errno.EINVAL
    raise OSError(code, f"it is {what}; -o takes a regular file, a character device or a FIFO")


def _write_stream(name: str, text: str) -> None:
    """Write to standard output or error when `name` is one of them (whatever it is: a
    file, a pipe, a terminal, a socket), else through the device or FIFO `name`."""
    info = _stat(name)
    if info is not None:
        for fd, stream in ((1, sys.stdout), (2, sys.stderr)):
            if _is_fd(info, fd):
                stream.write(text)
                stream.flush()
                return
    _write_through(name, text.encode("utf-8"))


class Outputs:
    """Files written together, as write_output writes one (a brief and its chart):

        with Outputs() as outputs:
            outputs.add("brief.md", text)
            outputs.add("brief-figures.svg", svg)

    `add` refuses what write_output refuses and writes a regular file's text beside
    it, flushed, not yet in its place; a file that cannot be written raises OSError
    (its `filename` the name given) and nothing is in place yet. When the block ends
    every file is put in place, the last added first (add first the file that links
    to the others); when it raises, every temporary file is removed and nothing is
    written. Standard output, a device or a FIFO is written when the block ends."""

    def __init__(self) -> None:
        self._ready: list[tuple[str, str, str | None]] = []  # name, text, temporary file

    def add(self, name: str, text: str) -> None:
        held = _hold_signals()  # until the temporary file is listed, for __exit__ to remove
        try:
            temp = None if _written_through(name) else prepare_atomic(_final(name), text)
            self._ready.append((name, text, temp))
        except OSError as exc:
            exc.filename = name
            raise
        finally:
            _release_signals(held)  # a signal held meanwhile is raised here

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if kind is None:
                while self._ready:
                    name, text, temp = self._ready[-1]
                    try:
                        if temp is None:
                            _write_stream(name, text)
                        else:
                            os.replace(temp, _final(name))
                    except OSError as exc:
                        exc.filename = name
                        raise
                    self._ready.pop()
        finally:
            for _name, _text, temp in self._ready:
                if temp is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(temp)
            self._ready.clear()


def _final(name: str) -> Path:
    """The file `name` leads to, through every link (the links are kept)."""
    return Path(os.path.realpath(name))


def writes_a_file(name: str) -> bool:
    """Whether write_output(name, ...) writes a regular file (a new one, or one a link
    leads to), rather than standard output, a device or a FIFO, or refusing: a file
    beside which others (a brief's chart) may be written."""
    if not name or name.endswith("/"):
        return False
    try:
        info = _stat(name)
    except OSError:  # a link loop, no permission: write_output will say so
        return False
    if info is None:
        return True
    return stat.S_ISREG(info.st_mode) and not _is_std(info)


def _stat(name: str) -> os.stat_result | None:
    """What `name` leads to, through every link; None when there is nothing yet."""
    try:
        return os.stat(name)
    except FileNotFoundError:
        return None  # a new file, or a link to one


def _is_std(info: os.stat_result) -> bool:
    """Whether `info` is the file open as standard output or standard error."""
    return _is_fd(info, 1) or _is_fd(info, 2)


def _is_fd(info: os.stat_result, fd: int) -> bool:
    """Whether `info` is the file open as descriptor `fd`."""
    try:
        return os.path.samestat(info, os.fstat(fd))
    except OSError:  # fd not open
        return False


def _write_through(name: str, data: bytes) -> None:
    """Write `data` to the device or FIFO `name` (waits for a FIFO's reader, as `>`
    does). Never creates a file: a device that went away is an error."""
    fd = os.open(name, os.O_WRONLY | os.O_NOCTTY)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def create_atomic(path: Path, text: str | bytes) -> None:
    """Write `path` as write_atomic does, but only as a new file: FileExistsError when
    anything is there, a file, a folder or a symbolic link (dangling or not), even one
    that appeared a moment ago. The file is linked into place from its temporary
    file, which is atomic and never replaces; where the file system has no hard
    links, it is created exclusively (O_EXCL) and written."""
    tmp = ""
    try:
        with held_signals():  # made and named as one step, for `finally` to remove
            tmp = prepare_atomic(path, text)
        try:
            os.link(tmp, path)  # fails when anything is at `path`: nothing is replaced
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            _create_exclusively(path, text)
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _create_exclusively(path: Path, text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
