"""Claim files as they were at a git revision, read through factcmp.load.git's safe door.

Never a shell, never a command that could run a filter or a hook: a revision is
checked with `git rev-parse --verify` (after `--end-of-options`, so that no
revision is read as an option) before it is used; the files of a folder at a
revision come from `git ls-tree`, and their bytes from `git cat-file --batch
--follow-symlinks`, which follows a link inside the revision's own tree (a file
that was a link then is read as what it led to) and says when a link leads out of
the repository (refused, as discovery refuses such a link today). No repository,
an unknown revision, a shallow clone without it: a `HistoryError` whose message
says which, and what to do.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import msgspec

from factcmp.load import git
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


def _run(top: Path, *args: str, stdin: bytes | None = None) -> git.Done:
    try:
        return git.run(top, *args, stdin=stdin)
    except git.GitError as exc:
        raise HistoryError(str(exc)) from None


def toplevel(folder: Path) -> Path:
    """The top folder of the git repository that holds `folder` (where its `.git`
    is: see factcmp.load.git.find_top)."""
    top = git.find_top(folder)
    if top is None or _run(top, "rev-parse", "--git-dir").code != 0:
        raise HistoryError(
            f"{folder} is not in a git repository: changes are read from git history "
            "(run git init, and commit the claim files)"
        )
    return top


def split_range(spec: str) -> tuple[str, str | None, bool]:
    """REV, REV1..REV2 or REV1...REV2 as (first, second or None, symmetric). An empty
    end is HEAD, as git reads `A..` and `..B`."""
    for dots, symmetric in (("...", True), ("..", False)):
        first, found, second = spec.partition(dots)
        if found:
            return first or "HEAD", second or "HEAD", symmetric
    return spec, None, False


def resolve(top: Path, rev: str) -> Revision:
    """The commit `rev` names, or a HistoryError saying why there is none."""
    if not rev or rev.startswith("-") or "\0" in rev or "\n" in rev:
        raise HistoryError(f"{rev!r} is not a revision: name a commit, a branch or a tag")
    done = _run(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if done.code != 0:
        shallow = _run(top, "rev-parse", "--is-shallow-repository").out.strip() == b"true"
        if shallow:
            raise HistoryError(
                f"no revision {rev!r} in this shallow clone: fetch more history "
                "(git fetch --unshallow, or actions/checkout with fetch-depth: 0)"
            )
        raise HistoryError(
            f"no revision {rev!r} in {top}: name a commit, a branch or a tag (git log)"
        )
    commit = done.out.decode("ascii").strip()
    return Revision(rev, commit, _committer_date(top, commit))


def merge_base(top: Path, first: Revision, second: Revision) -> Revision:
    """Where `first` and `second` forked: what `git diff A...B` compares B with."""
    done = _run(top, "merge-base", first.commit, second.commit)
    if done.code != 0:
        raise HistoryError(
            f"{first.rev} and {second.rev} have no common ancestor: "
            f"compare them with {first.rev}..{second.rev}"
        )
    commit = done.out.decode("ascii").strip()
    return Revision(f"{first.rev}...{second.rev}", commit, _committer_date(top, commit))


def _committer_date(top: Path, commit: str) -> str:
    """The commit's committer date, ISO 8601 with its offset (as git's %cI)."""
    head = _run(top, "cat-file", "commit", commit).out.split(b"\n\n", 1)[0]
    for line in head.split(b"\n"):
        if line.startswith(b"committer "):
            stamp, zone = line.rsplit(b" ", 2)[1:]
            sign = -1 if zone.startswith(b"-") else 1
            offset = dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5])) * sign
            when = dt.datetime.fromtimestamp(int(stamp), dt.timezone(offset))
            return when.isoformat()
    return ""


def inside(top: Path, path: Path) -> str:
    """`path` as git names it in the repository at `top` (`/`-separated, from the
    top), taken as written: a link in the working tree is not followed, since the
    revision may have held a file there."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(top))
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        raise HistoryError(f"{path} is outside the git repository {top}")
    return Path(relative).as_posix()


def names_at(top: Path, commit: str, folder: Path) -> list[str]:
    """The names of the entries of `folder` at `commit` (files and links)."""
    prefix = inside(top, folder)
    prefix = "" if prefix == "." else prefix + "/"
    done = _run(top, "ls-tree", "-z", "--name-only", "--full-tree", commit, "--", prefix or ".")
    if done.code != 0:
        return []
    names = [n.decode("utf-8", "surrogateescape") for n in done.out.split(b"\0") if n]
    return [n[len(prefix) :] for n in names if n.startswith(prefix) and "/" not in n[len(prefix) :]]


def files_at(top: Path, commit: str, paths: Sequence[Path]) -> dict[Path, bytes | None]:
    """The bytes of each of `paths` (inside the repository at `top`) at `commit`;
    None for a path that held no file then. A link in the revision's tree is
    followed within it; one that leads out of the repository is refused."""
    found: dict[Path, bytes | None] = {}
    asked = [(path, inside(top, path)) for path in paths]
    for path, name in asked:
        if "\n" in name or "\r" in name:
            raise HistoryError(f"cannot read {path} at a revision: its name holds a line break")
    if not asked:
        return found
    stdin = "".join(f"{commit}:{name}\n" for _, name in asked).encode("utf-8", "surrogateescape")
    done = _run(top, "cat-file", "--batch", "--follow-symlinks", stdin=stdin)
    if done.code != 0:
        raise HistoryError(f"cannot read the claim files at {commit[:12]}: {done.err[:200]!r}")
    out, at = done.out, 0
    for path, _ in asked:
        end = out.index(b"\n", at)
        header = out[at:end].split(b" ")
        at = end + 1
        if header[-1] == b"missing":
            found[path] = None
            continue
        size = int(header[-1]) if header[0] in (b"symlink", b"dangling", b"loop", b"notdir") \
            else int(header[2])  # fmt: skip
        body = out[at : at + size]
        at += size + 1
        if header[0] == b"symlink":
            target = body.decode("utf-8", "replace")
            raise HistoryError(
                f"{path} at {commit[:12]} is a link to {target}, outside the repository: "
                "factcmp reads no file outside it"
            )
        found[path] = body if header[1:2] == [b"blob"] else None
    return found


def file_at(top: Path, commit: str, path: Path) -> bytes | None:
    """The bytes of `path` at `commit` (see files_at); None when there was no file."""
    return files_at(top, commit, [path])[path]
