"""Where claim files come from: their git commit, and whether they have changed since.

Asks git (when it is installed and the files are in a repository), through
factcmp.load.git's safe door; anything else gives no commit rather than an error, since
a brief is still worth having.
"""

from __future__ import annotations

import os
from pathlib import Path

import msgspec

from factcmp.plain import display_path


class Provenance(msgspec.Struct, frozen=True):
    """Where the claims came from: the files, and their git commit if known."""

    files: list[str]
    commit: str | None = None
    dirty: bool = False


def provenance(files: list[str]) -> Provenance:
    """The files (as text that prints: see display_path), the last commit that
    touched any of them, and whether any of them differs from that commit (an
    uncommitted change, or a file git does not track)."""
    from factcmp.load import git

    shown = [display_path(f) for f in files]
    if not files:
        return Provenance(shown)
    top = git.find_top(Path(files[0]).parent)
    if top is None:
        return Provenance(shown)
    real_top = os.path.realpath(top)
    relative: list[str] = []
    for file in files:
        inside = os.path.relpath(os.path.realpath(file), real_top)
        if inside == os.pardir or inside.startswith(os.pardir + os.sep):
            return Provenance(shown)  # a file from outside the repository: no commit vouches
        relative.append(Path(inside).as_posix())
    try:
        found = git.run(top, "rev-list", "-1", "HEAD", "--", *relative)
        commit = found.out.decode("ascii", "replace").strip() if found.code == 0 else ""
        if not commit:
            return Provenance(shown)
        committed = git.tracked_ids(top, "HEAD", relative)
        algorithm = git.object_format(top)
    except git.GitError:
        return Provenance(shown)
    committed = committed or {}  # git could not list them: nothing vouches for them
    dirty = False
    for file, path in zip(files, relative, strict=False):
        try:
            data = Path(file).read_bytes()
        except OSError:
            dirty = True
            break
        if not git.same_as_committed(data, committed.get(path), algorithm):
            dirty = True
            break
    return Provenance(shown, commit, dirty=dirty)
