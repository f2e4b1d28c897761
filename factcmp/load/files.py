"""Load claim files and topics.yaml: YAML to validated, typed claims with positions.

Every problem in a file is collected (one bad claim does not hide the next) and
raised together as an `InputError`, each at its file, line and column, with what
to do about it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import msgspec

from factcmp.load import schema
from factcmp.load.shared import Shared
from factcmp.model import (
    Side,
    Topic,
)
from factcmp.plain import display_path
from factcmp.problems import InputError, Problem

if TYPE_CHECKING:
    from factcmp.cache import ParseCache
    from factcmp.load.yamlsrc import Document

# What reads YAML (factcmp.load.yamlsrc, .sideload, .validate: PyYAML) is imported only
# when a file is parsed: a run that finds every file in the cache never loads it.

T = TypeVar("T")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: loading makes millions of objects and no
    cycles, and the collector's passes over them cost more than the load itself."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_input(path: Path) -> bytes:
    """A file's bytes, or an `InputError` saying why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            [Problem(display_path(path), 0, 0, f"cannot read the file: {exc.strerror}", "io")]
        ) from None


def read_document(path: Path) -> Document:
    from factcmp.load.yamlsrc import parse_all, read_text

    file = display_path(path)
    return parse_all(read_text(read_input(path), file), file)


def load_side(
    path: Path,
    side_id: str | None = None,
    cache: ParseCache | None = None,
    shared: Shared | None = None,
) -> Side:
    """Load one side's claim file. The side's id is the file's stem unless given;
    `shared` is what the shared sources.yaml defines, if there is one. With a `cache`,
    an unchanged file is not parsed again (see factcmp.cache)."""
    return load_side_data(read_input(path), path, side_id or path.stem, cache, shared)


def load_side_data(
    data: bytes,
    path: Path,
    side_id: str,
    cache: ParseCache | None,
    shared: Shared | None = None,
) -> Side:
    """`load_side` for a file already read."""
    file = display_path(path)

    def build() -> Side:
        from factcmp.load.side import SideLoader
        from factcmp.load.yamlsrc import parse_all, read_text

        return SideLoader(parse_all(read_text(data, file), file), side_id, shared).load()

    parts = ["side", file, side_id]
    if shared is not None:
        parts += [shared.file, shared.digest]
    return _cached(cache, data, parts, Side, build)


def load_shared(path: Path | None, cache: ParseCache | None = None) -> Shared | None:
    """The shared sources.yaml at `path` (None when there is none)."""
    return None if path is None else load_shared_data(read_input(path), path, cache)


def load_shared_data(data: bytes, path: Path, cache: ParseCache | None) -> Shared:
    """`load_shared` for a file already read."""
    file = display_path(path)

    def build() -> Shared:
        from factcmp.cache import ParseCache
        from factcmp.load.shared import shared_from_document
        from factcmp.load.yamlsrc import parse_all, read_text

        shared = shared_from_document(parse_all(read_text(data, file), file))
        return msgspec.structs.replace(shared, digest=ParseCache.key(data))

    return _cached(cache, data, ["shared", file], Shared, build)


def _cached(
    cache: ParseCache | None, data: bytes, parts: list[str], kind: type[T], build: Callable[[], T]
) -> T:
    """`build()` with the collector paused, or its cached result for these bytes; what
    is built is cached only when it built without problems (`build` raises)."""
    with collector_paused():
        key = cache.key(data, *parts) if cache else ""
        if cache and (cached := cache.get(key, kind)) is not None:
            return cached
        value = build()
        if cache:
            cache.put(key, value)
        return value


def side_from_document(doc: Document, side_id: str, shared: Shared | None = None) -> Side:
    """Validate an already parsed claim file (for `check`, which also lints `doc`)."""
    from factcmp.load.side import SideLoader

    with collector_paused():
        return SideLoader(doc, side_id, shared).load()


def load_topics(path: Path, cache: ParseCache | None = None) -> dict[str, Topic]:
    """Load topics.yaml: topic key -> Topic, in the order the file lists them."""
    return load_topics_data(read_input(path), path, cache)


def load_topics_data(data: bytes, path: Path, cache: ParseCache | None) -> dict[str, Topic]:
    """`load_topics` for a file already read."""
    file = display_path(path)

    def build() -> dict[str, Topic]:
        from factcmp.load.yamlsrc import parse_all, read_text

        return _load_topics(parse_all(read_text(data, file), file))

    return _cached(cache, data, ["topics", file], dict[str, Topic], build)


def _load_topics(doc: Document) -> dict[str, Topic]:
    from factcmp.load.validate import after_yaml_problems

    return after_yaml_problems(doc, lambda: _topics_from(doc))


def _topics_from(doc: Document) -> dict[str, Topic]:
    from factcmp.load.validate import convert, parse_tolerance, top_mapping, visible

    problems: list[Problem] = []
    value = top_mapping(doc, schema.TOPICS_FILE_KEYS, problems, "topics.yaml")
    topics: dict[str, Topic] = {}
    raw = value.get("topics")
    if raw is not None and not isinstance(raw, dict):
        problems.append(doc.problem(["topics"], "`topics` must be a mapping of topic keys", "type"))
        raw = None
    try:  # the fast path: one call for the whole mapping
        specs = msgspec.convert(raw or {}, dict[str, schema.TopicSpec])
    except msgspec.ValidationError:
        specs = {}
        for key, entry in (raw or {}).items():
            spec = convert(doc, ["topics", key], entry, schema.TopicSpec, problems)
            if spec is not None:
                specs[key] = spec
    for order, (key, spec) in enumerate(specs.items()):
        tolerance = parse_tolerance(doc, ["topics", key, "tolerance"], spec.tolerance, problems)
        label = spec.label.strip() if visible(spec.label) else None
        label = label or Topic.label_from_key(key)
        claim = spec.claim.strip() if visible(spec.claim) else None
        topics[key] = Topic(key, label, tolerance, order, spec.description, claim)
    if problems:
        raise InputError(problems)
    return topics


def load_sides(
    files: Sequence[tuple[str, Path]],
    cache: ParseCache | None = None,
    shared_path: Path | None = None,
) -> list[Side]:
    """Load several sides' files (and the shared sources.yaml at `shared_path`, if
    any), reporting the problems of all of them at once."""
    sides: list[Side] = []
    problems: list[Problem] = []
    shared = load_shared(shared_path, cache)  # its problems first: sides refer to it
    for side_id, path in files:
        try:
            sides.append(load_side(path, side_id, cache, shared))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return sides
