"""Load claim files and topics.yaml: YAML to validated, typed claims with positions.

Every problem in a file is collected (one bad claim does not hide the next) and
raised together as an `InputError`, each at its file, line and column, with what
to do about it.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import math
import re
import typing
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar

import msgspec
import yaml

from factcmp import schema
from factcmp.model import (
    Claim,
    Clock,
    Count,
    Period,
    Side,
    Source,
    Speaker,
    Tolerance,
    Topic,
)
from factcmp.plain import display_path
from factcmp.problems import InputError, Problem
from factcmp.when import BadTime, parse_said
from factcmp.yamlsrc import Document, PathItem, parse_all, read_text, shown

if TYPE_CHECKING:
    from factcmp.cache import ParseCache

T = TypeVar("T")

_ERROR_AT = re.compile(r"^(?P<msg>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_PATH_ITEM = re.compile(r"\.([^.\[]+)|\[(\d+)\]|\[\.\.\.\]")
_TYPE_WORDS = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "int | float": "a number",
    "bool": "a yes/no value",
    "null": "empty",
    "array": "a list",
    "object": "a mapping (`key: value` lines)",
    "date": "a date (YYYY-MM-DD)",
    "datetime": "a date and time",
}
# How a number is written in a claim file: digits, `_` between them, a fraction and an
# exponent; not YAML 1.1's octal, hexadecimal, binary or base-60 forms.
_PLAIN_NUMBER = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$")
_TOLERANCE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")


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
    file = display_path(path)
    return parse_all(read_text(read_input(path), file), file)


def load_side(path: Path, side_id: str | None = None, cache: ParseCache | None = None) -> Side:
    """Load one side's claim file. The side's id is the file's stem unless given.
    With a `cache`, an unchanged file is not parsed again (see factcmp.cache)."""
    return load_side_data(read_input(path), path, side_id or path.stem, cache)


def load_side_data(data: bytes, path: Path, side_id: str, cache: ParseCache | None) -> Side:
    """`load_side` for a file already read."""
    file = display_path(path)
    return _cached(
        cache,
        data,
        ["side", file, side_id],
        Side,
        lambda: _SideLoader(parse_all(read_text(data, file), file), side_id).load(),
    )


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


def side_from_document(doc: Document, side_id: str) -> Side:
    """Validate an already parsed claim file (for `check`, which also lints `doc`)."""
    with collector_paused():
        return _SideLoader(doc, side_id).load()


def load_topics(path: Path, cache: ParseCache | None = None) -> dict[str, Topic]:
    """Load topics.yaml: topic key -> Topic, in the order the file lists them."""
    return load_topics_data(read_input(path), path, cache)


def load_topics_data(data: bytes, path: Path, cache: ParseCache | None) -> dict[str, Topic]:
    """`load_topics` for a file already read."""
    file = display_path(path)
    return _cached(
        cache,
        data,
        ["topics", file],
        dict[str, Topic],
        lambda: _load_topics(parse_all(read_text(data, file), file)),
    )


def _load_topics(doc: Document) -> dict[str, Topic]:
    return _after_yaml_problems(doc, lambda: _topics_from(doc))


def _after_yaml_problems(doc: Document, validate: Callable[[], T]) -> T:
    """Validate a document even when its values had problems, so that one run reports
    all of them: the value problems first, then every other one, less those at the
    same place (a date that does not exist is not also "empty")."""
    try:
        result = validate()
    except InputError as exc:
        taken = {(p.line, p.col) for p in doc.problems}
        rest = [p for p in exc.problems if (p.line, p.col) not in taken]
        raise InputError([*doc.problems, *rest]) from None
    if doc.problems:
        raise InputError(doc.problems)
    return result


def _topics_from(doc: Document) -> dict[str, Topic]:
    problems: list[Problem] = []
    value = _top_mapping(doc, schema.TOPICS_FILE_KEYS, problems, "topics.yaml")
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
            spec = _convert(doc, ["topics", key], entry, schema.TopicSpec, problems)
            if spec is not None:
                specs[key] = spec
    for order, (key, spec) in enumerate(specs.items()):
        tolerance = _tolerance(doc, ["topics", key, "tolerance"], spec.tolerance, problems)
        label = spec.label.strip() if _visible(spec.label) else None
        label = label or Topic.label_from_key(key)
        claim = spec.claim.strip() if _visible(spec.claim) else None
        topics[key] = Topic(key, label, tolerance, order, spec.description, claim)
    if problems:
        raise InputError(problems)
    return topics


def _visible(text: str | None) -> TypeGuard[str]:
    """Whether `text` shows anything: not empty, blank or only invisible characters
    (zero-width spaces, joiners, marks)."""
    return text is not None and any(
        not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text
    )


def _tolerance(
    doc: Document, path: list[PathItem], value: str | float | None, problems: list[Problem]
) -> Tolerance:
    if value is None:
        return Tolerance(0, percent=False)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value >= 0 and _finite(value):
            return Tolerance(float(value), percent=False)
    elif isinstance(value, str) and (match := _TOLERANCE.match(value)):
        return Tolerance(float(match.group(1)), percent=bool(match.group(2)))
    problems.append(
        doc.problem(
            path,
            f"tolerance `{shown(value)}` is not understood: "
            "write a number (`3`) or a percentage (`5%`)",
            "value",
        )
    )
    return Tolerance(0, percent=False)


def _top_mapping(
    doc: Document, keys: dict[str, bool], problems: list[Problem], what: str
) -> dict[str, Any]:
    value = doc.value
    if value is None:
        raise InputError(
            [
                Problem(
                    doc.file, 1, 1, f"the file is empty: a {what} starts with `factcmp: 1`", "empty"
                )
            ]
        )
    if not isinstance(value, dict):
        raise InputError(
            [
                doc.problem(
                    [],
                    f"a {what} is a mapping of {', '.join(f'`{k}:`' for k in keys)}; "
                    "this file holds something else",
                    "type",
                )
            ]
        )
    for key in value:
        if key not in keys:
            problems.append(
                doc.problem(
                    [key],
                    f"unknown key `{shown(key)}`{_did_you_mean(key, keys)}",
                    "unknown-key",
                    key=True,
                )
            )
    for key, required in keys.items():
        if required and key not in value:
            problems.append(
                Problem(doc.file, 1, 1, f"`{key}:` is missing: add it at the top level", "missing")
            )
    version = value.get("factcmp", schema.FORMAT_VERSION)
    if type(version) is not int or version != schema.FORMAT_VERSION:
        written = getattr(doc.node_at(["factcmp"]), "value", version)
        written = shown(written) if isinstance(written, str) else "(a list or mapping)"
        problems.append(
            doc.problem(
                ["factcmp"],
                f"`factcmp: {written}` is not a format version this factcmp reads: "
                f"write `factcmp: {schema.FORMAT_VERSION}`",
                "version",
            )
        )
    return value


def _finite(number: float) -> bool:
    try:
        return math.isfinite(number)
    except OverflowError:  # an int too large for a float
        return False


def _did_you_mean(word: str, choices: Sequence[str] | dict[str, Any]) -> str:
    return _suggest(word, tuple(choices))


@functools.lru_cache(maxsize=1024)
def _suggest(word: str, names: tuple[str, ...]) -> str:
    import difflib

    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    if close:
        return f": did you mean `{close[0]}`?"
    return f" (expected one of: {', '.join(names)})" if names else ""


def _convert(
    doc: Document,
    path: list[PathItem],
    value: Any,
    kind: type[T],
    problems: list[Problem],
) -> T | None:
    try:
        return msgspec.convert(value, kind)
    except msgspec.ValidationError as exc:
        # msgspec stops at the first error; look at every field to report them all
        found = _struct_problems(doc, path, value, kind)
        problems.extend(found or [_validation_problem(doc, path, str(exc), kind)])
        return None


def _struct_types(kind: Any) -> list[type[msgspec.Struct]]:
    return [
        a
        for a in (kind, *typing.get_args(kind))
        if isinstance(a, type) and issubclass(a, msgspec.Struct)
    ]


def _struct_problems(doc: Document, path: list[PathItem], value: Any, kind: Any) -> list[Problem]:
    """Every problem of a mapping meant to be a struct (`kind` or a union holding one),
    field by field. Empty if `value` is no mapping: the caller reports msgspec's error."""
    structs = _struct_types(kind)
    if not isinstance(value, dict) or len(structs) != 1:
        return []
    fields = _struct_fields(structs[0])
    found: list[Problem] = []
    for key in value:
        if key not in fields:
            found.append(
                doc.problem(
                    [*path, key],
                    f"unknown key `{shown(key)}`{_did_you_mean(key, list(fields))}",
                    "unknown-key",
                    key=True,
                )
            )
    for name, field in fields.items():
        at = [*path, name]
        if name not in value:
            if field.required:
                found.append(
                    doc.problem(path, f"this {_what(path)} has no `{name}:`: add one", "missing")
                )
        elif value[name] is None and field.required:
            found.append(doc.problem(at, f"`{name}` is empty: fill it in", "empty"))
        else:
            try:
                msgspec.convert(value[name], field.type)
            except msgspec.ValidationError as exc:
                nested = _struct_problems(doc, at, value[name], field.type)
                nested = nested or _list_problems(doc, at, value[name], field.type)
                found.extend(nested or [_validation_problem(doc, at, str(exc), field.type)])
    return found


def _list_problems(doc: Document, path: list[PathItem], value: Any, kind: Any) -> list[Problem]:
    """Every bad item of a list (msgspec stops at the first); empty if `value` is no
    list or `kind` holds no list type."""
    item_type = next(
        (
            typing.get_args(t)[0]
            for t in (kind, *typing.get_args(kind))
            if typing.get_origin(t) is list
        ),
        None,
    )
    if item_type is None or not isinstance(value, list):
        return []
    found = []
    for index, item in enumerate(value):
        try:
            msgspec.convert(item, item_type)
        except msgspec.ValidationError as exc:
            found.append(_validation_problem(doc, [*path, index], str(exc), item_type))
    return found


@functools.cache
def _struct_fields(kind: type[msgspec.Struct]) -> dict[str, msgspec.structs.FieldInfo]:
    return {f.encode_name: f for f in msgspec.structs.fields(kind)}


def _what(path: Sequence[PathItem]) -> str:
    if len(path) == 2 and path[0] == "claims":
        return "claim"
    return f"`{shown(next((p for p in reversed(path) if isinstance(p, str)), 'value'))}`"


def _type_words(want: str) -> str:
    if want in _TYPE_WORDS:
        return _TYPE_WORDS[want]
    words: list[str] = []
    for part in want.split(" | "):
        word = _TYPE_WORDS.get(part, part)
        if part in ("int", "float"):
            word = "a number"
        if word not in words:
            words.append(word)
    return " or ".join(words)


_NUMBER_FIELDS = ("count", "best", "min", "max")


def _validation_problem(doc: Document, base: list[PathItem], error: str, kind: Any) -> Problem:
    """Turn msgspec's message into a sentence a curator can act on, at the right place."""
    match = _ERROR_AT.match(error)
    message = match.group("msg") if match else error
    path = list(base)
    dict_key_unknown = False
    where = (match.group("path") if match else None) or ""
    for attr, index in _PATH_ITEM.findall(where):
        if attr:
            path.append(attr)
        elif index:
            path.append(int(index))
        else:
            dict_key_unknown = True
    if dict_key_unknown:  # msgspec does not name dict keys; point at the section
        path = list(base)
    field = shown(next((p for p in reversed(path) if isinstance(p, str)), "value"))
    node = doc.node_at(path)
    raw = getattr(node, "value", None) if node is not None and node.tag != "" else None
    value = shown(raw) if isinstance(raw, str) else None

    if unknown := re.match(r"Object contains unknown field `(.+)`", message, re.S):
        key = unknown.group(1)
        fields = _fields_at(kind, path[len(base) :])
        return doc.problem(
            [*path, key],
            f"unknown key `{shown(key)}`{_did_you_mean(key, fields)}",
            "unknown-key",
            key=True,
        )
    if missing := re.match(r"Object missing required field `(.+)`", message):
        key = missing.group(1)
        return doc.problem(path, f"this {_what(path)} has no `{key}:`: add one", "missing")
    if enum := re.match(r"Invalid enum value '(.*)'", message, re.S):
        allowed = {"stance": "affirms or denies", "status": "current, superseded or retracted"}
        return doc.problem(
            path,
            f"`{shown(enum.group(1))}` is not a valid {field}: "
            f"use {allowed.get(field, 'an allowed value')}",
            "value",
        )
    if "RFC3339" in message or ("date" in message and "got `str`" in message):
        return doc.problem(
            path,
            f"`{field}: {value}` is not a date: write it as YYYY-MM-DD, e.g. 2022-09-14",
            "date",
        )
    if expected := re.match(r"Expected `(.+?)`, got `(.+?)`", message):
        want, got = expected.group(1).replace(" | null", ""), expected.group(2)
        want_words = _type_words(want)
        if len(path) == 2 and path[0] == "claims" and want == "object":
            text = (
                "a claim is a mapping of `id:`, `topic:`, `text:` and the other keys, "
                f"not {_TYPE_WORDS.get(got, got)}"
            )
        elif got == "datetime" and want == "date":
            text = f"`{field}` takes a date without a time: write YYYY-MM-DD"
        elif got == "null" and path and isinstance(path[-1], int):
            text = f"item {path[-1] + 1} of `{field}` is empty: write it, or remove it"
        elif got == "null":
            text = f"`{field}` is empty: give it {want_words} or remove the line"
        elif want.startswith("str") and value is not None and got in _READ_AS:
            text = (
                f"`{value}` is read by YAML as {_READ_AS[got]}, but `{field}` takes text: "
                f'put it in quotes: "{value}"'
            )
            return doc.problem(path, text, "yaml-1.1")
        elif want.startswith("date") and got in ("int", "float") and value is not None:
            text = (
                f"`{value}` is read by YAML as a number, but `{field}` takes a date: "
                "write it as YYYY-MM-DD, e.g. 2022-09-14"
            )
            return doc.problem(path, text, "yaml-1.1")
        elif field in _NUMBER_FIELDS and got == "str" and value is not None:
            text = f"`{field}: {value}` is not a number: write digits only, e.g. `{field}: 105`"
            if field == "count":
                text += ", or an interval, e.g. `count: {min: 100, max: 110}`"
        else:
            text = f"`{field}` must be {want_words}, not {_TYPE_WORDS.get(got, got)}"
        return doc.problem(path, text, "type")
    return doc.problem(path, f"`{field}`: {shown(message, 200)}", "invalid")


_READ_AS = {"bool": "a yes/no value", "int": "a number", "float": "a number", "date": "a date"}


def _fields_at(kind: Any, path: Sequence[PathItem]) -> list[str]:
    """The key names a struct type allows at `path` inside `kind` (for did-you-mean)."""
    current: Any = kind
    for item in path:
        if isinstance(item, int):
            args = typing.get_args(current)
            current = args[0] if args else current
            continue
        for f in msgspec.structs.fields(current):
            if f.encode_name == item:
                current = f.type
                break
        current = next(
            (
                a
                for a in typing.get_args(current)
                if isinstance(a, type) and issubclass(a, msgspec.Struct)
            ),
            current,
        )
    if isinstance(current, type) and issubclass(current, msgspec.Struct):
        return [f.encode_name for f in msgspec.structs.fields(current)]
    return []


class _SideLoader:
    """Validates one claim file section by section and builds the `Side`."""

    def __init__(self, doc: Document, side_id: str) -> None:
        self.doc = doc
        self.side_id = side_id
        self.side_name = side_id
        self.aliases: tuple[str, ...] = ()
        self.problems: list[Problem] = []
        self.times: dict[int, Clock] = {}  # claim index -> the time of day of its `said`

    def load(self) -> Side:
        return _after_yaml_problems(self.doc, self._load)

    def _load(self) -> Side:
        doc, problems = self.doc, self.problems
        value = _top_mapping(doc, schema.CLAIM_FILE_KEYS, problems, "claim file")
        side = None
        if "side" in value:
            side = _convert(doc, ["side"], value["side"], schema.SideSpec, problems)
            if side is not None:
                self.side_name, self.aliases = side.name, tuple(side.aliases)
            if side is not None and side.id is not None and side.id != self.side_id:
                problems.append(
                    doc.problem(
                        ["side", "id"],
                        f"`id: {shown(side.id)}` does not match the file name: a side's id is "
                        f"its file's stem (`{shown(self.side_id)}`); rename the file or remove "
                        "the `id:` line",
                        "side-id",
                    )
                )
        speakers = self._mapping_of("speakers", value.get("speakers"), schema.SpeakerSpec)
        sources = self._mapping_of("sources", value.get("sources"), schema.SourceSpec)
        specs = self._claims(value.get("claims"))
        self._check_references(value.get("claims"), value.get("speakers"), value.get("sources"))

        self._check_names(side, speakers)
        speaker_objs = {k: Speaker(k, s.name, s.role) for k, s in speakers.items()}
        source_objs = {k: _source(k, s) for k, s in sources.items()}
        claims = self._build(specs, speaker_objs, source_objs)
        if problems:
            raise InputError(problems)
        assert side is not None
        return Side(
            self.side_id,
            side.name,
            doc.file,
            tuple(side.aliases),
            claims,
        )

    def _check_names(
        self, side: schema.SideSpec | None, speakers: dict[str, schema.SpeakerSpec]
    ) -> None:
        """A name is what every output shows: it cannot be blank."""
        blank = [(["side", "name"], side.name)] if side is not None else []
        blank += [(["speakers", k, "name"], s.name) for k, s in speakers.items()]
        blank += [(["speakers", k, "role"], s.role) for k, s in speakers.items() if s.role]
        for path, value in blank:
            if not value.strip():
                message = f"`{path[-1]}` is empty: fill it in (it is what readers see)"
                self.problems.append(self.doc.problem(path, message, "empty"))

    def _mapping_of(self, key: str, raw: Any, kind: type[T]) -> dict[str, T]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problems.append(
                self.doc.problem([key], f"`{key}` must be a mapping of keys to entries", "type")
            )
            return {}
        out: dict[str, T] = {}
        for name, entry in raw.items():
            spec = _convert(self.doc, [key, name], entry, kind, self.problems)
            if spec is not None:
                out[name] = spec
        return out

    def _claims(self, raw: Any) -> list[tuple[int, schema.ClaimSpec]]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problems.append(
                self.doc.problem(
                    ["claims"], "`claims` must be a list of claims (`- id: ...`)", "type"
                )
            )
            return []
        raw = self._said_times(raw)
        try:  # the fast path: one call for the whole list
            specs = msgspec.convert(raw, list[schema.ClaimSpec])
            return list(enumerate(specs))
        except msgspec.ValidationError:
            pass
        out = []
        for index, entry in enumerate(raw):
            spec = _convert(self.doc, ["claims", index], entry, schema.ClaimSpec, self.problems)
            if spec is not None:
                out.append((index, spec))
        return out

    def _said_times(self, raw: list[Any]) -> list[Any]:
        """Claims whose `said` gives a time of day (`2020-06-16T21:30`): the time is
        kept aside (`self.times`, by claim index) and the date validated as any other,
        so the schema sees a date. A date and time that is no real moment is reported
        here, once."""
        out = raw
        for index, entry in enumerate(raw):
            if not isinstance(entry, dict):
                continue
            value = entry.get("said")
            if not isinstance(value, (str, dt.datetime)):
                continue
            path: list[PathItem] = ["claims", index, "said"]
            try:
                parsed = parse_said(value)
            except BadTime as exc:
                written = getattr(self.doc.node_at(path), "value", str(value))
                self.problems.append(
                    self.doc.problem(
                        path,
                        f"`said: {shown(written)}` is not a real date and time ({exc}): write "
                        "YYYY-MM-DD, or YYYY-MM-DDTHH:MM with an optional zone, e.g. "
                        "2020-06-16T21:30 or 2020-06-16T21:30+05:30",
                        "date",
                    )
                )
                parsed = None
                entry = {k: v for k, v in entry.items() if k != "said"}
            else:
                if parsed is None:
                    continue
                self.times[index] = parsed[1]
                entry = {**entry, "said": parsed[0]}
            if out is raw:
                out = list(raw)
            out[index] = entry
        return out

    def _check_references(self, raw: Any, speakers: Any, sources: Any) -> None:
        """Claim ids used twice, and `by:` and `source:` keys that name nothing. Checked on
        the claims as written, so that a claim with another problem is checked too; a
        speaker or source declared with a problem of its own still counts as declared."""
        if not isinstance(raw, list):
            return
        doc, problems = self.doc, self.problems
        seen: dict[str, int] = {}
        for index, entry in enumerate(raw):
            if not isinstance(entry, dict):
                continue
            at: list[PathItem] = ["claims", index]
            claim_id = entry.get("id")
            if isinstance(claim_id, str) and claim_id.strip():
                if claim_id in seen:
                    line, _ = doc.position(["claims", seen[claim_id], "id"])
                    problems.append(
                        doc.problem(
                            [*at, "id"],
                            f"claim id `{shown(claim_id)}` is used twice in this file "
                            f"(first at line {line}): give each claim its own id",
                            "duplicate-id",
                        )
                    )
                seen.setdefault(claim_id, index)
            for key, section, names, rule in (
                ("by", "speakers", speakers, "unknown-speaker"),
                ("source", "sources", sources, "unknown-source"),
            ):
                name = entry.get(key)
                if (
                    isinstance(name, str)
                    and name.strip()  # an empty one is reported as empty
                    and (names is None or isinstance(names, dict))
                ):
                    declared = names or {}
                    if name not in declared:
                        problems.append(
                            doc.problem(
                                [*at, key], _unknown_reference(key, name, section, declared), rule
                            )
                        )

    def _build(
        self,
        specs: list[tuple[int, schema.ClaimSpec]],
        speakers: dict[str, Speaker],
        sources: dict[str, Source],
    ) -> list[Claim]:
        doc, problems = self.doc, self.problems
        claim_nodes = doc.node_at(["claims"])
        nodes = getattr(claim_nodes, "value", [])
        claims: list[Claim] = []
        for index, spec in specs:
            at: list[PathItem] = ["claims", index]
            for key in ("id", "topic", "text"):
                if not getattr(spec, key).strip():
                    problems.append(
                        doc.problem([*at, key], f"`{key}` is empty: fill it in", "empty")
                    )
            speaker = speakers.get(spec.by) if spec.by is not None else None
            source = None
            if isinstance(spec.source, str):
                source = sources.get(spec.source)
            elif spec.source is not None:
                source = _source(f"{spec.id}", spec.source)
            count = self._count(at, spec.count)
            places = tuple(spec.places) if spec.places is not None else None
            period = Period(spec.period.start, spec.period.end) if spec.period else None
            self._check_facets(at, spec)
            line = nodes[index].start_mark.line + 1 if index < len(nodes) else 0
            claims.append(
                Claim(
                    side=self.side_id,
                    id=spec.id,
                    topic=spec.topic,
                    text=spec.text,
                    file=doc.file,
                    line=line,
                    speaker=speaker,
                    source=source,
                    said=spec.said,
                    quote=spec.quote,
                    count=count,
                    subject=spec.subject,
                    actor=spec.actor,
                    places=places,
                    stance=spec.stance,
                    period=period,
                    status=spec.status,
                    said_time=self.times.get(index),
                )
            )
        self._check_undated_counts(claims, specs)
        return claims

    def _check_facets(self, at: list[PathItem], spec: schema.ClaimSpec) -> None:
        """Facets that are set but say nothing: compared, they would give verdicts on
        nothing (`places: []` "differs" from every list of places)."""
        doc, problems = self.doc, self.problems
        for key in ("subject", "actor", "by", "quote"):
            value = getattr(spec, key)
            if value is not None and not value.strip():
                problems.append(
                    doc.problem(
                        [*at, key], f"`{key}` is empty: fill it in or remove the line", "empty"
                    )
                )
        if spec.places is not None:
            if not spec.places:
                problems.append(
                    doc.problem(
                        [*at, "places"],
                        "`places` is an empty list: name at least one place or remove the line",
                        "empty",
                    )
                )
            for index, place in enumerate(spec.places):
                if not place.strip():
                    problems.append(
                        doc.problem([*at, "places", index], "this place is empty: name it", "empty")
                    )
        if spec.period is not None:
            start, end = spec.period.start, spec.period.end
            if start is None and end is None:
                problems.append(
                    doc.problem([*at, "period"], "a period needs `from`, `to` or both", "period")
                )
            elif start is not None and end is not None and start > end:
                problems.append(
                    doc.problem(
                        [*at, "period"],
                        f"`from: {start}` is after `to: {end}`: swap them",
                        "period",
                    )
                )

    def _count(self, at: list[PathItem], spec: float | schema.CountSpec | None) -> Count | None:
        if spec is None:
            return None
        path = [*at, "count"]
        if not isinstance(spec, schema.CountSpec):
            self._check_number(path, "count", spec)
            return Count.given(best=spec)
        lo, hi, best = spec.min, spec.max, spec.best
        for name, number in (("min", lo), ("max", hi), ("best", best)):
            if number is not None:
                self._check_number([*path, name], name, number)
        if lo is None and hi is None and best is None:
            self.problems.append(
                self.doc.problem(path, "a count mapping needs `best`, `min` or `max`", "count")
            )
            return None
        if lo is not None and hi is not None and lo > hi:
            self.problems.append(
                self.doc.problem(path, f"`min: {lo}` is above `max: {hi}`: swap them", "count")
            )
        if best is not None and ((lo is not None and best < lo) or (hi is not None and best > hi)):
            self.problems.append(
                self.doc.problem([*path, "best"], f"`best: {best}` lies outside min..max", "count")
            )
        return Count.given(best=best, min=lo, max=hi)

    def _check_number(self, path: list[PathItem], name: str, number: float) -> None:
        """A count must be a finite number, zero or more, written as it is meant: YAML
        1.1 reads `010` as 8 (octal), `0x10` as 16 and `12:30` as 750 (base 60)."""
        node = self.doc.node_at(path)
        written = node.value if isinstance(node, yaml.ScalarNode) else str(number)
        if isinstance(number, int) and not _finite(number):
            message = f"`{name}: {shown(written)}` is too large to be a count: check the digits"
        elif not _finite(number):
            message = f"`{name}: {shown(written)}` must be a finite number"
        elif number < 0:
            message = f"`{name}: {shown(written)}` must be zero or more"
        elif not _PLAIN_NUMBER.match(written):
            message = (
                f"`{name}: {shown(written)}` is read by YAML as {number:g}: "
                "write the number in plain digits (a leading 0 makes it octal, "
                "`0x` hexadecimal, a colon base 60)"
            )
        else:
            return
        self.problems.append(self.doc.problem(path, message, "count"))

    def _check_undated_counts(
        self, claims: list[Claim], specs: list[tuple[int, schema.ClaimSpec]]
    ) -> None:
        """An undated count cannot be placed among the same side's other counts on
        its topic and subject: the latest would be a guess, so the file is invalid."""
        from factcmp.match import Names

        # subjects grouped as the comparison groups them (case, spacing, Unicode form,
        # this side's own names), so no undated count slips through by its spelling
        names = Names([Side(self.side_id, self.side_name, self.doc.file, self.aliases)])
        groups: dict[tuple[str, str | None], list[tuple[int, Claim]]] = {}
        for (index, _spec), claim in zip(specs, claims, strict=True):
            if claim.count is not None and claim.status == "current":
                key = (claim.topic, names.key(claim.subject))
                groups.setdefault(key, []).append((index, claim))
        for group in groups.values():
            if len(group) < 2:
                continue
            for index, claim in group:
                if claim.said is None:
                    other_index, other = next((i, c) for i, c in group if c is not claim)
                    line, col = self.doc.position(["claims", other_index])
                    self.problems.append(
                        self.doc.problem(
                            ["claims", index],
                            f"claim `{shown(claim.id)}` gives a count on topic "
                            f"`{shown(claim.topic)}` but has no `said:` date, and claim "
                            f"`{shown(other.id)}` (line {line}, column {col}) "
                            "gives another count on the same topic and subject, so which one is "
                            "latest cannot be told: give it a `said:` date, or "
                            "`status: superseded` if a later count replaces it",
                            "undated-count",
                        )
                    )


def _unknown_reference(key: str, name: str, section: str, choices: dict[str, Any]) -> str:
    import difflib

    text = f"`{key}: {shown(name)}` names nothing under `{section}:` in this file"
    # difflib compares with every choice: bounded, so that a file with thousands of
    # speakers and bad references cannot take minutes
    if len(choices) <= _MAX_SUGGEST:
        close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
        if close:
            return f"{text}: did you mean `{close[0]}`?"
    if 0 < len(choices) <= 10:
        return f"{text}: use one of {', '.join(choices)}, or add it under `{section}:`"
    return f"{text}: add it under `{section}:`"


_MAX_SUGGEST = 100


def _source(key: str, spec: schema.SourceSpec) -> Source:
    return Source(
        key, spec.outlet, spec.title, spec.author, spec.url, spec.published, spec.archived
    )


def load_sides(files: Sequence[tuple[str, Path]], cache: ParseCache | None = None) -> list[Side]:
    """Load several sides' files, reporting the problems of all of them at once."""
    sides: list[Side] = []
    problems: list[Problem] = []
    for side_id, path in files:
        try:
            sides.append(load_side(path, side_id, cache))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return sides
