"""The one door to the `git` command: read-only questions, asked so that nothing in
the files a pull request brings can make git run a command.

factcmp runs on untrusted pull requests in CI. Git obeys the configuration of the
repository it finds, and finds a repository in any folder holding `HEAD`,
`objects/` and `refs/` (ordinary files a pull request can add to `claims/`); that
configuration can name commands (`core.fsmonitor`, filters, textconv, external
diffs, pagers, hooks). So every call here:

- names the repository explicitly (`--git-dir TOP/.git --work-tree TOP`): TOP is
  found by looking for `.git` from the claims folder upwards, in Python, and a
  folder that merely looks like a repository is never taken for one
  (`safe.bareRepository=explicit` besides);
- runs with a clean environment: no `GIT_*` variable of the caller's (a hook's
  `GIT_DIR` or `GIT_INDEX_FILE`), no system configuration, no pager, no prompt, no
  optional locks, no lazy fetch;
- overrides what could run a command: fsmonitor, hooks, pagers, and any transport;
- asks only plumbing that reads objects and refs (`rev-parse`, `rev-list`,
  `cat-file`, `ls-tree`), never `status`, `diff` or `show`, which can run filters
  and textconv. Whether a working file has uncommitted changes is worked out here,
  by hashing its bytes as git hashes a blob, not by asking git to look.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import subprocess

# Configuration given on the command line wins over every file's.
_SAFE_CONFIG = (
    "safe.bareRepository=explicit",
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.untrackedCache=false",
    "protocol.allow=never",
    "gc.auto=0",
    "maintenance.auto=false",
)
_SAFE_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_NO_LAZY_FETCH": "1",
    "GIT_NO_REPLACE_OBJECTS": "1",
    "LC_ALL": "C",
}
TIMEOUT = 60  # seconds: a guard against a hung git, not a measure of anything


class GitError(Exception):
    """Git is not installed, or could not be run; the message says which."""


class Done(NamedTuple):
    code: int
    out: bytes
    err: bytes


def find_top(folder: Path) -> Path | None:
    """The top folder of the git repository holding `folder`: the nearest folder,
    from `folder` itself upwards, that has a `.git` (a folder, or the file a
    worktree or submodule has). None when there is none. Git is not asked: git would
    take a folder that looks like a bare repository for one."""
    here = Path(os.path.abspath(folder))
    for candidate in (here, *here.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


def environment() -> dict[str, str]:
    """The environment git runs in: the caller's without any GIT_* variable, plus
    ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(_SAFE_ENV)
    return env


def command(top: Path, *args: str) -> list[str]:
    """The argument list that runs `git ARGS` on the repository at `top`, safely."""
    config = [part for pair in _SAFE_CONFIG for part in ("-c", pair)]
    return [
        "git",
        "--no-pager",
        "--no-optional-locks",
        "--git-dir",
        str(top / ".git"),
        "--work-tree",
        str(top),
        *config,
        *args,
    ]


def run(top: Path, *args: str, stdin: bytes | None = None, timeout: float = TIMEOUT) -> Done:
    """Run `git ARGS` on the repository at `top` (see the module's docstring), in
    `top`, and return its exit code and output. Raises GitError when git cannot be
    run at all."""
    import subprocess

    try:
        done: subprocess.CompletedProcess[bytes] = subprocess.run(
            command(top, *args),
            input=stdin,
            capture_output=True,
            timeout=timeout,
            check=False,
            cwd=top,
            env=environment(),
        )
    except FileNotFoundError:
        raise GitError("git is not installed: install it to read claim files' history") from None
    except (OSError, ValueError) as exc:
        raise GitError(f"cannot run git: {exc}") from None
    except subprocess.SubprocessError as exc:
        raise GitError(f"git did not answer: {exc}") from None
    return Done(done.returncode, done.stdout, done.stderr)


def blob_id(data: bytes, algorithm: str = "sha1") -> str:
    """The object id git gives a blob holding `data` (as `git hash-object
    --no-filters` would)."""
    import hashlib  # here: loading OpenSSL costs every command that never hashes a blob

    digest = hashlib.new(algorithm)
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


def object_format(top: Path) -> str:
    """The repository's hash: sha1, or sha256."""
    done = run(top, "rev-parse", "--show-object-format")
    name = done.out.decode("ascii", "replace").strip() if done.code == 0 else ""
    return name if name in ("sha1", "sha256") else "sha1"


def tracked_ids(top: Path, commit: str, relative: list[str]) -> dict[str, str] | None:
    """The blob id of each of `relative` (paths inside the repository, `/`-separated)
    at `commit`, for those that are regular files there; None when git cannot say."""
    done = run(top, "ls-tree", "-z", "--full-tree", commit, "--", *relative)
    if done.code != 0:
        return None
    ids: dict[str, str] = {}
    for entry in done.out.split(b"\0"):
        head, tab, name = entry.partition(b"\t")
        parts = head.split()
        if tab and len(parts) == 3 and parts[1] == b"blob" and parts[0] != b"120000":
            ids[name.decode("utf-8", "surrogateescape")] = parts[2].decode("ascii")
    return ids


def same_as_committed(data: bytes, committed: str | None, algorithm: str) -> bool:
    """Whether a working file's bytes are the blob `committed`: as they are, or with
    CRLF line ends made LF (what `core.autocrlf` checks out)."""
    if committed is None:
        return False
    if blob_id(data, algorithm) == committed:
        return True
    return b"\r\n" in data and blob_id(data.replace(b"\r\n", b"\n"), algorithm) == committed
