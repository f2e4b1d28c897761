"""Claim files as they were at a git revision, through the `git` command.

Never a shell; a revision is checked with `git rev-parse --verify` (after
`--end-of-options`, so that no revision is read as an option) before it is used,
and a file is read as bytes with `git show COMMIT:PATH` from the repository's top
folder. No repository, an unknown revision, a shallow clone without it: a
`HistoryError` whose message says which, and what to do.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import msgspec

from factcmp.plain import display_path, escaped


class HistoryError(Exception):
    """The history cannot be read; the message (one line, inert) says why."""

    def __init__(self, message: str) -> None:
        super().__init__(escaped(display_path(message)))


class Revision(msgspec.Struct, frozen=True):
    """A revision as the user named it, the commit it is, and that commit's date."""

    rev: str
    commit: str
    date: str  # the committer date, ISO 8601

    @property
    def short(self) -> str:
        return self.commit[:12]


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, timeout=60, check=False
        )
    except FileNotFoundError:
        raise HistoryError(
            "git is not installed: install it to read claim files' history"
        ) from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise HistoryError(f"cannot run git: {exc}") from None


def toplevel(folder: Path) -> Path:
    """The top folder of the git repository that holds `folder`."""
    done = _git(folder, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise HistoryError(
            f"{folder} is not in a git repository: changes are read from git history "
            "(run git init, and commit the claim files)"
        )
    return Path(done.stdout.decode("utf-8", "surrogateescape").strip())


def resolve(top: Path, rev: str) -> Revision:
    """The commit `rev` names, or a HistoryError saying why there is none."""
    if not rev or rev.startswith("-") or "\0" in rev:
        raise HistoryError(f"{rev!r} is not a revision: name a commit, a branch or a tag")
    done = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if done.returncode != 0:
        shallow = _git(top, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true"
        if shallow:
            raise HistoryError(
                f"no revision {rev!r} in this shallow clone: fetch more history "
                "(git fetch --unshallow, or actions/checkout with fetch-depth: 0)"
            )
        raise HistoryError(
            f"no revision {rev!r} in {top}: name a commit, a branch or a tag (git log)"
        )
    commit = done.stdout.decode("ascii").strip()
    date = _git(top, "show", "-s", "--format=%cI", commit).stdout.decode("ascii").strip()
    return Revision(rev, commit, date)


def file_at(top: Path, commit: str, path: Path) -> bytes | None:
    """The bytes of `path` (inside the repository at `top`) at `commit`; None when the
    file did not exist then."""
    try:
        relative = path.resolve().relative_to(top.resolve())
    except ValueError:
        raise HistoryError(f"{path} is outside the git repository {top}") from None
    spec = f"{commit}:{relative.as_posix()}"
    done = _git(top, "cat-file", "-e", spec)
    if done.returncode != 0:
        return None
    shown = _git(top, "show", spec)
    if shown.returncode != 0:
        raise HistoryError(f"cannot read {path} at {commit[:12]}: {shown.stderr[:200]!r}")
    return shown.stdout
