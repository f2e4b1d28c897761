"""Load claim files and topics.yaml: YAML to validated, typed claims with positions.

Every problem in a file is collected (one bad claim does not hide the next) and
raised together as an `InputError`, each at its file, line and column, with what
to do about it.
"""

from __future__ import annotations

import gc
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from factcmp import schema
from factcmp.model import (
    Claim,
    Count,
    Period,
    Side,
    Source,
    Speaker,
    Tolerance,
    Topic,
)
from factcmp.problems import InputError, Problem
from factcmp.yamlsrc import Document, PathItem, parse, read_text

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


def read_document(path: Path) -> Document:
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            [Problem(file, 0, 0, f"cannot read the file: {exc.strerror}", "io")]
        ) from None
    return parse(read_text(data, file), file)


def load_side(path: Path, side_id: str | None = None) -> Side:
    """Load one side's claim file. The side's id is the file's stem unless given."""
    with collector_paused():
        doc = read_document(path)
        return _SideLoader(doc, side_id or path.stem).load()


def load_topics(path: Path) -> dict[str, Topic]:
    """Load topics.yaml: topic key -> Topic, in the order the file lists them."""
    doc = read_document(path)
    problems: list[Problem] = []
    value = _top_mapping(doc, schema.TOPICS_FILE_KEYS, problems, "topics.yaml")
    topics: dict[str, Topic] = {}
    raw = value.get("topics")
    if raw is not None and not isinstance(raw, dict):
        problems.append(doc.problem(["topics"], "`topics` must be a mapping of topic keys", "type"))
        raw = None
    for order, (key, entry) in enumerate((raw or {}).items()):
        spec = _convert(doc, ["topics", key], entry, schema.TopicSpec, problems)
        if spec is None:
            continue
        tolerance = _tolerance(doc, ["topics", key, "tolerance"], spec.tolerance, problems)
        topics[key] = Topic(key, spec.label or Topic.label_from_key(key), tolerance, order)
    if problems:
        raise InputError(problems)
    return topics


def _tolerance(
    doc: Document, path: list[PathItem], value: str | float | None, problems: list[Problem]
) -> Tolerance:
    if value is None:
        return Tolerance(0, percent=False)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value >= 0 and math.isfinite(value):
            return Tolerance(float(value), percent=False)
    elif isinstance(value, str) and (match := _TOLERANCE.match(value)):
        return Tolerance(float(match.group(1)), percent=bool(match.group(2)))
    problems.append(
        doc.problem(
            path,
            f"tolerance `{value}` is not understood: write a number (`3`) or a percentage (`5%`)",
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
                    [key], f"unknown key `{key}`{_did_you_mean(key, keys)}", "unknown-key", key=True
                )
            )
    for key, required in keys.items():
        if required and key not in value:
            problems.append(
                Problem(doc.file, 1, 1, f"`{key}:` is missing: add it at the top level", "missing")
            )
    version = value.get("factcmp", schema.FORMAT_VERSION)
    if type(version) is not int or version != schema.FORMAT_VERSION:
        problems.append(
            doc.problem(
                ["factcmp"],
                f"`factcmp: {version}` is not a format version this factcmp reads: "
                f"write `factcmp: {schema.FORMAT_VERSION}`",
                "version",
            )
        )
    return value


def _did_you_mean(word: str, choices: Sequence[str] | dict[str, Any]) -> str:
    import difflib

    names = list(choices)
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
        problems.append(_validation_problem(doc, path, str(exc), kind))
        return None


def _validation_problem(doc: Document, base: list[PathItem], error: str, kind: type) -> Problem:
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
    field = next((p for p in reversed(path) if isinstance(p, str)), "value")
    node = doc.node_at(path)
    shown = getattr(node, "value", None) if node is not None and node.tag != "" else None

    if unknown := re.match(r"Object contains unknown field `(.+)`", message):
        key = unknown.group(1)
        fields = _fields_at(kind, path[len(base) :])
        return doc.problem(
            [*path, key],
            f"unknown key `{key}`{_did_you_mean(key, fields)}",
            "unknown-key",
            key=True,
        )
    if missing := re.match(r"Object missing required field `(.+)`", message):
        key = missing.group(1)
        what = "claim" if "claims" in path else f"`{field}`"
        return doc.problem(path, f"this {what} has no `{key}:`: add one", "missing")
    if enum := re.match(r"Invalid enum value '(.*)'", message):
        allowed = {"stance": "affirms or denies", "status": "current, superseded or retracted"}
        return doc.problem(
            path,
            f"`{enum.group(1)}` is not a valid {field}: "
            f"use {allowed.get(field, 'an allowed value')}",
            "value",
        )
    if "RFC3339" in message or ("date" in message and "got `str`" in message):
        return doc.problem(
            path,
            f"`{field}: {shown}` is not a date: write it as YYYY-MM-DD, e.g. 2022-09-14",
            "date",
        )
    if expected := re.match(r"Expected `(.+?)`, got `(.+?)`", message):
        want, got = expected.group(1).replace(" | null", ""), expected.group(2)
        want_words = _TYPE_WORDS.get(want, want.replace("SourceSpec", "a source mapping"))
        if got == "datetime" and want == "date":
            text = f"`{field}` takes a date without a time: write YYYY-MM-DD"
        elif got == "null":
            text = f"`{field}` is empty: give it {want_words} or remove the line"
        elif want == "str" and isinstance(shown, str) and got in ("bool", "int", "float", "date"):
            read_as = {
                "bool": "a yes/no value",
                "int": "a number",
                "float": "a number",
                "date": "a date",
            }[got]
            text = (
                f"`{shown}` is read by YAML as {read_as}, but `{field}` takes text: "
                f'put it in quotes: "{shown}"'
            )
        else:
            text = f"`{field}` must be {want_words}, not {_TYPE_WORDS.get(got, got)}"
        return doc.problem(path, text, "type")
    return doc.problem(path, f"`{field}`: {message}", "invalid")


def _fields_at(kind: Any, path: Sequence[PathItem]) -> list[str]:
    """The key names a struct type allows at `path` inside `kind` (for did-you-mean)."""
    import typing

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
        self.problems: list[Problem] = []

    def load(self) -> Side:
        doc, problems = self.doc, self.problems
        value = _top_mapping(doc, schema.CLAIM_FILE_KEYS, problems, "claim file")
        side = None
        if "side" in value:
            side = _convert(doc, ["side"], value["side"], schema.SideSpec, problems)
        speakers = self._mapping_of("speakers", value.get("speakers"), schema.SpeakerSpec)
        sources = self._mapping_of("sources", value.get("sources"), schema.SourceSpec)
        specs = self._claims(value.get("claims"))

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

    def _build(
        self,
        specs: list[tuple[int, schema.ClaimSpec]],
        speakers: dict[str, Speaker],
        sources: dict[str, Source],
    ) -> list[Claim]:
        doc, problems = self.doc, self.problems
        claim_nodes = doc.node_at(["claims"])
        nodes = getattr(claim_nodes, "value", [])
        seen: dict[str, int] = {}
        claims: list[Claim] = []
        for index, spec in specs:
            at: list[PathItem] = ["claims", index]
            for key in ("id", "topic", "text"):
                if not getattr(spec, key).strip():
                    problems.append(
                        doc.problem([*at, key], f"`{key}` is empty: fill it in", "empty")
                    )
            if spec.id in seen:
                first = seen[spec.id]
                line, _ = doc.position(["claims", first, "id"])
                problems.append(
                    doc.problem(
                        [*at, "id"],
                        f"claim id `{spec.id}` is used twice in this file (first at line {line}): "
                        "give each claim its own id",
                        "duplicate-id",
                    )
                )
            seen.setdefault(spec.id, index)
            speaker = None
            if spec.by is not None:
                speaker = speakers.get(spec.by)
                if speaker is None:
                    problems.append(
                        doc.problem(
                            [*at, "by"],
                            f"`by: {spec.by}` names no speaker of this file"
                            f"{_did_you_mean(spec.by, speakers)}; declare it under `speakers:`",
                            "unknown-speaker",
                        )
                    )
            source = None
            if isinstance(spec.source, str):
                source = sources.get(spec.source)
                if source is None:
                    problems.append(
                        doc.problem(
                            [*at, "source"],
                            f"`source: {spec.source}` names no source of this file"
                            f"{_did_you_mean(spec.source, sources)}; declare it under `sources:`",
                            "unknown-source",
                        )
                    )
            elif spec.source is not None:
                source = _source(f"{spec.id}", spec.source)
            count = self._count(at, spec.count)
            places = tuple(spec.places) if spec.places is not None else None
            period = Period(spec.period.start, spec.period.end) if spec.period else None
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
                )
            )
        self._check_undated_counts(claims, specs)
        return claims

    def _count(self, at: list[PathItem], spec: float | schema.CountSpec | None) -> Count | None:
        if spec is None:
            return None
        path = [*at, "count"]
        if not isinstance(spec, schema.CountSpec):
            if spec < 0 or not math.isfinite(spec):
                self.problems.append(
                    self.doc.problem(path, f"count `{spec}` must be zero or more", "count")
                )
            return Count(spec, spec, best=spec)
        lo, hi, best = spec.min, spec.max, spec.best
        for name, number in (("min", lo), ("max", hi), ("best", best)):
            if number is not None and (number < 0 or not math.isfinite(number)):
                self.problems.append(
                    self.doc.problem(
                        [*path, name], f"`{name}: {number}` must be zero or more", "count"
                    )
                )
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
        if lo is None and hi is None:
            assert best is not None
            return Count(best, best, best=best)
        return Count(
            lo if lo is not None else 0,
            hi if hi is not None else math.inf,
            best=best,
            given_min=lo,
            given_max=hi,
        )

    def _check_undated_counts(
        self, claims: list[Claim], specs: list[tuple[int, schema.ClaimSpec]]
    ) -> None:
        """An undated count cannot be placed among the same side's other counts on
        its topic and subject: the latest would be a guess, so the file is invalid."""
        groups: dict[tuple[str, str | None], list[tuple[int, Claim]]] = {}
        for (index, _spec), claim in zip(specs, claims, strict=True):
            if claim.count is not None and claim.status == "current":
                key = (claim.topic, claim.subject.casefold() if claim.subject else None)
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
                            f"claim `{claim.id}` gives a count on topic `{claim.topic}` but has no "
                            f"`said:` date, and claim `{other.id}` (line {line}, column {col}) "
                            "gives another count on the same topic and subject, so which one is "
                            "latest cannot be told: give it a `said:` date, or "
                            "`status: superseded` if a later count replaces it",
                            "undated-count",
                        )
                    )


def _source(key: str, spec: schema.SourceSpec) -> Source:
    return Source(
        key, spec.outlet, spec.title, spec.author, spec.url, spec.published, spec.archived
    )


def load_sides(files: Sequence[tuple[str, Path]]) -> list[Side]:
    """Load several sides' files, reporting the problems of all of them at once."""
    sides: list[Side] = []
    problems: list[Problem] = []
    for side_id, path in files:
        try:
            sides.append(load_side(path, side_id))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return sides
