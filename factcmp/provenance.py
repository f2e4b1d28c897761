"""Where claim files come from: their git commit, and whether they have changed since.

Asks git (when it is installed and the files are in a repository); anything else
gives no commit rather than an error, since a brief is still worth having.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import msgspec

from factcmp.plain import display_path


class Provenance(msgspec.Struct, frozen=True):
    """Where the claims came from: the files, and their git commit if known."""

    files: list[str]
    commit: str | None = None
    dirty: bool = False


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def provenance(files: list[str]) -> Provenance:
    """The files (as text that prints: see display_path), the last commit that
    touched any of them, and uncommitted changes."""
    shown = [display_path(f) for f in files]
    if not files:
        return Provenance(shown)
    folder = Path(files[0]).resolve().parent
    paths = [str(Path(f).resolve()) for f in files]
    commit = _git(folder, "log", "-1", "--format=%H", "--", *paths)
    if not commit or not commit.strip():
        return Provenance(shown)
    status = _git(folder, "status", "--porcelain", "--", *paths)
    return Provenance(shown, commit.strip(), dirty=bool(status and status.strip()))
