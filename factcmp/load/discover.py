"""Find the claims directory and the claim file of each side named by the user.

Looked up, in order: `--claims-dir` / `FACTCMP_CLAIMS` when given; `./claims/`;
the nearest parent directory holding `claims/` (as git finds `.git`). A path to a
`.yaml` file works as a side anywhere.

A file found by looking (a side in the claims folder, topics.yaml, sources.yaml)
must stay inside the repository that holds the folder it was found in (the git top
folder, or the folder's parent when there is no git): a link that leads out of it
(`claims/env.yaml -> /proc/self/environ`, which a pull request can add) is refused
with one line naming the link, and never read. A file named on the command line is
read wherever it is: the user asked for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import msgspec

from factcmp.exits import FactcmpError
from factcmp.plain import display_path, escaped

TOPICS_FILES = ("topics.yaml", "topics.yml")  # the topics' labels (factcmp.load.files)
SHARED_FILES = ("sources.yaml", "sources.yml")  # what any side may cite (factcmp.load.shared)
NOT_SIDES = (*TOPICS_FILES, *SHARED_FILES)
_SUFFIXES = (".yaml", ".yml")


class DiscoveryError(FactcmpError):
    """A side or a claims folder that cannot be found or read. Its message is one
    line, inert (file and side names are the user's: see factcmp.plain)."""

    usage = True


class LinkOutside(DiscoveryError):
    """A topics.yaml or sources.yaml, found while loading, that links out of its
    repository: bad input, not a usage error."""

    usage = False

    def __init__(self, message: str) -> None:
        super().__init__(escaped(display_path(message)))


class SideFile(msgspec.Struct, frozen=True):
    id: str
    path: Path


def repository_root(folder: Path) -> Path:
    """The folder that files found in `folder` must stay inside, resolved: the top of
    the git repository holding it (where its `.git` is), else `folder`'s parent."""
    from factcmp.load.git import find_top

    top = find_top(folder)
    return Path(os.path.realpath(top if top is not None else Path(os.path.abspath(folder)).parent))


def outside_target(path: Path) -> str | None:
    """Where `path` (a file found by looking) really leads, when that is outside the
    repository holding its folder (see repository_root); None when it stays inside."""
    root = str(repository_root(path.parent))
    real = os.path.realpath(path)
    if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
        return None
    return real


def refuse_outside(path: Path, error: type[DiscoveryError] = DiscoveryError) -> Path:
    """`path`, or `error` when it is a link leading out of its repository."""
    target = outside_target(path)
    if target is not None:
        raise error(outside_message(path, target))
    return path


def _link_text(path: Path, target: str) -> str:
    """What the link says (`/proc/self/environ`), else where it resolved."""
    try:
        return os.readlink(path)
    except OSError:  # not a link itself: a folder on its way is
        return target


def outside_message(path: Path, target: str) -> str:
    return (
        f"{path} is a link to {_link_text(path, target)}, outside the repository "
        f"({repository_root(path.parent)}): factcmp does not follow links out of it; "
        "name the file on the command line to use it on purpose"
    )


def find_claims_dir(explicit: str | None = None, start: Path | None = None) -> Path | None:
    if explicit:
        path = Path(explicit)
        if not path.is_dir():
            raise DiscoveryError(f"claims directory {explicit!r} does not exist or is not a folder")
        return path
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "claims"
        if candidate.is_dir():
            return Path(os.path.relpath(candidate))
    return None


def available_sides(claims_dir: Path) -> list[SideFile]:
    """Every claim file in the folder (topics.yaml and sources.yaml are not sides),
    sorted by id; a DiscoveryError when one is a link out of the repository."""
    found = _listed(claims_dir)
    for side in found:
        refuse_outside(side.path)
    return found


def is_side_name(name: str) -> bool:
    """Whether a file called `name` in a claims folder is a side's claim file."""
    return name.endswith(_SUFFIXES) and name not in NOT_SIDES


def side_id(name: str) -> str:
    """The id of the side whose claim file is called `name`."""
    return _side_id(Path(name))


def _listed(claims_dir: Path) -> list[SideFile]:
    """Every claim file in the folder, links out of the repository included."""
    found: dict[str, SideFile] = {}
    try:
        paths = sorted(claims_dir.iterdir())
    except OSError as exc:
        raise DiscoveryError(
            f"cannot read the claims folder {claims_dir}: {exc.strerror or exc}"
        ) from None
    for path in paths:
        if is_side_name(path.name) and path.is_file():
            found.setdefault(_side_id(path), SideFile(_side_id(path), path))
    return list(found.values())


def resolve_sides(names: list[str], claims_dir: Path | None) -> list[SideFile]:
    """The claim files for the sides named (all sides in the folder when none is)."""
    available = _listed(claims_dir) if claims_dir else []
    if not names:
        if claims_dir is None:
            raise DiscoveryError(_no_dir_message())
        if len(available) < 2:
            raise DiscoveryError(
                f"{claims_dir} holds {len(available)} claim file(s): comparing needs two sides"
            )
        return [SideFile(side.id, refuse_outside(side.path)) for side in available]
    by_id = {side.id: side for side in available}
    out: list[SideFile] = []
    unknown: list[str] = []
    for name in names:
        if name.endswith(_SUFFIXES) or os.sep in name or "/" in name:
            path = Path(name)  # named on purpose: read wherever it is
            if not path.is_file():
                raise DiscoveryError(f"no claim file at {name}")
            out.append(SideFile(_side_id(path), path))
        elif name in by_id:
            out.append(SideFile(name, refuse_outside(by_id[name].path)))
        elif claims_dir is None:
            raise DiscoveryError(_no_dir_message())
        else:
            unknown.append(name)
    if unknown and claims_dir is not None:
        raise DiscoveryError(_unknown_side_message(unknown, claims_dir, available))
    seen: set[str] = set()
    for side in out:
        if side.id in seen:
            raise DiscoveryError(f"side {side.id!r} is named twice: name each side once")
        seen.add(side.id)
    if len(out) < 2:
        raise DiscoveryError(
            f"only one side given ({out[0].id}): name at least two sides to compare, "
            f"e.g. `factcmp diff {out[0].id} OTHER`"
        )
    return out


def topics_file(claims_dir: Path | None, sides: list[SideFile]) -> Path | None:
    """topics.yaml beside the first side's file (sides named by id are in the claims
    directory), else in the claims directory."""
    return _beside(claims_dir, sides, TOPICS_FILES)


def shared_file(claims_dir: Path | None, sides: list[SideFile]) -> Path | None:
    """The shared sources.yaml, found as topics.yaml is."""
    return _beside(claims_dir, sides, SHARED_FILES)


def _beside(claims_dir: Path | None, sides: list[SideFile], names: tuple[str, ...]) -> Path | None:
    found = first_file(places(claims_dir, sides, names))
    return None if found is None else refuse_outside(found, LinkOutside)


def first_file(paths: Iterable[Path]) -> Path | None:
    """The first of `paths` that is a file."""
    return next((path for path in paths if path.is_file()), None)


def places(claims_dir: Path | None, sides: list[SideFile], names: tuple[str, ...]) -> list[Path]:
    """Where a file of one of `names` (topics.yaml, sources.yaml) is looked for, in
    order: beside the first side's file, then in the claims folder (`changes` looks
    there in each revision, whatever the working tree holds)."""
    folders = [side.path.parent for side in sides[:1]]
    folders += [claims_dir] if claims_dir else []
    return [folder / name for folder in folders for name in names]


def _side_id(path: Path) -> str:
    """The file's stem; bytes that are not UTF-8 (rare file names) become U+FFFD."""
    return path.stem.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _no_dir_message() -> str:
    return (
        "no claims directory found: run factcmp in a folder that has claims/ "
        "(or below one), or name it with --claims-dir DIR or FACTCMP_CLAIMS=DIR"
    )


def _unknown_side_message(names: list[str], claims_dir: Path, available: list[SideFile]) -> str:
    """Every unknown side at once, each with its did-you-mean."""
    import difflib

    ids = [side.id for side in available]

    def guess(name: str) -> str | None:
        close = difflib.get_close_matches(name, ids, n=1, cutoff=0.5)
        return close[0] if close else None

    if len(names) == 1:
        close = guess(names[0])
        message = f"no side {names[0]!r} in {claims_dir}"
        message += f": did you mean {close!r}?" if close else "."
    else:
        each = [
            f"{name!r} (did you mean {close!r}?)" if (close := guess(name)) else repr(name)
            for name in names
        ]
        message = f"no side {', '.join(each[:-1])} or {each[-1]} in {claims_dir}."
    if ids:
        message += f" Available sides: {', '.join(ids)}."
    return message
