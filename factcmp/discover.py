"""Find the claims directory and the claim file of each side named by the user.

Looked up, in order: `--claims-dir` / `FACTCMP_CLAIMS` when given; `./claims/`;
the nearest parent directory holding `claims/` (as git finds `.git`). A path to a
`.yaml` file works as a side anywhere.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import msgspec

from factcmp.plain import display_path, escaped

TOPICS_FILES = ("topics.yaml", "topics.yml")  # the topics' labels (factcmp.load)
SHARED_FILES = ("sources.yaml", "sources.yml")  # what any side may cite (factcmp.shared)
NOT_SIDES = (*TOPICS_FILES, *SHARED_FILES)
_SUFFIXES = (".yaml", ".yml")


class DiscoveryError(Exception):
    """A side or a claims folder that cannot be found or read. Its message is one
    line, inert (file and side names are the user's: see factcmp.plain)."""

    def __init__(self, message: str) -> None:
        super().__init__(escaped(display_path(message)))


class SideFile(msgspec.Struct, frozen=True):
    id: str
    path: Path


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
    sorted by id."""
    found: dict[str, SideFile] = {}
    try:
        paths = sorted(claims_dir.iterdir())
    except OSError as exc:
        raise DiscoveryError(
            f"cannot read the claims folder {claims_dir}: {exc.strerror or exc}"
        ) from None
    for path in paths:
        is_side = path.suffix in _SUFFIXES and path.name not in NOT_SIDES
        if is_side and path.is_file():
            found.setdefault(_side_id(path), SideFile(_side_id(path), path))
    return list(found.values())


def resolve_sides(names: list[str], claims_dir: Path | None) -> list[SideFile]:
    """The claim files for the sides named (all sides in the folder when none is)."""
    available = available_sides(claims_dir) if claims_dir else []
    if not names:
        if claims_dir is None:
            raise DiscoveryError(_no_dir_message())
        if len(available) < 2:
            raise DiscoveryError(
                f"{claims_dir} holds {len(available)} claim file(s): comparing needs two sides"
            )
        return available
    by_id = {side.id: side for side in available}
    out: list[SideFile] = []
    for name in names:
        if name.endswith(_SUFFIXES) or os.sep in name or "/" in name:
            path = Path(name)
            if not path.is_file():
                raise DiscoveryError(f"no claim file at {name}")
            out.append(SideFile(_side_id(path), path))
        elif name in by_id:
            out.append(by_id[name])
        elif claims_dir is None:
            raise DiscoveryError(_no_dir_message())
        else:
            raise DiscoveryError(_unknown_side_message(name, claims_dir, available))
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
    return first_file(places(claims_dir, sides, names))


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


def _unknown_side_message(name: str, claims_dir: Path, available: list[SideFile]) -> str:
    import difflib

    ids = [side.id for side in available]
    message = f"no side {name!r} in {claims_dir}"
    close = difflib.get_close_matches(name, ids, n=1, cutoff=0.5)
    message += f": did you mean {close[0]!r}?" if close else "."
    if ids:
        message += f" Available sides: {', '.join(ids)}."
    return message
