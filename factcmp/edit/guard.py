"""No edit is lost to a command that rewrites a user's file (`topics rename`,
`source --write`):

- `folder_lock`: one such command at a time in a claims folder. The lock is an
  advisory `flock` on the folder itself (no lock file is made; the system drops it
  when the process ends, however it ends); a second command waits for the first, up
  to `WAIT` seconds, then is refused (`FolderBusy`). Where a folder cannot be locked
  (Windows, a file system without locks) the check below still guards.
- `unchanged`: just before a file is replaced, it must still hold the bytes that
  were read (its size first, then its content). A file another program saved
  meanwhile (an editor, a script appending a claim) is never replaced.

What remains is the instant between that check and the rename over the file, and a
program that keeps the file open and writes into it after the rename (its write
goes to the old file): neither can be closed without the other program's help.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from factcmp.exits import FactcmpError
from factcmp.plain import display_path

WAIT = 60.0  # seconds a command waits for another one writing in the same folder
_POLL = 0.05


class FolderBusy(FactcmpError):
    """Another factcmp command held the folder's lock for `WAIT` seconds."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"{display_path(folder)}: another factcmp command (topics rename, source "
            f"--write) kept the folder locked for {WAIT:.0f} s: try again when it has finished"
        )
        self.folder = folder


@contextlib.contextmanager
def folder_lock(folder: Path, wait: float = WAIT) -> Iterator[None]:
    """Hold the exclusive lock of `folder` while the block runs (see the module's
    docstring); raises FolderBusy when another process holds it for `wait` seconds."""
    fd = _open_folder(folder)
    try:
        if fd is not None:
            _lock(fd, folder, wait)
        yield
    finally:
        if fd is not None:
            os.close(fd)  # closing the last descriptor releases the lock


def _open_folder(folder: Path) -> int | None:
    try:
        import fcntl  # noqa: F401  (POSIX only)
    except ImportError:
        return None
    try:
        return os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # not readable: the check before each replace still guards
        return None


def _lock(fd: int, folder: Path, wait: float) -> None:
    import fcntl

    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise FolderBusy(folder) from None
            time.sleep(_POLL)
        except OSError:  # a file system without locks
            return


def unchanged(path: Path, before: bytes) -> bool:
    """Whether the file at `path` (a link's target: pass the resolved path) still holds
    exactly `before`: its size, then its bytes. A file gone or unreadable has changed."""
    try:
        if os.stat(path).st_size != len(before):
            return False
        with open(path, "rb") as handle:
            return handle.read(len(before) + 1) == before
    except OSError:
        return False
