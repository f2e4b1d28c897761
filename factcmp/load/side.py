"""Building a `Side` from a claim file's document, section by section (side,
speakers, sources, claims), collecting every problem at its position."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec
import yaml

from factcmp.facets import FACETS
from factcmp.load import schema
from factcmp.load.languages import language_name, tag_for
from factcmp.load.references import References
from factcmp.load.sections import blank_names, make_source, mapping_of, speaker_names
from factcmp.load.validate import PLAIN_NUMBER, after_yaml_problems, convert, finite, top_mapping
from factcmp.load.when import BadTime, parse_said
from factcmp.load.yamlsrc import Document, PathItem, shown
from factcmp.model import (
    Claim,
    Clock,
    Count,
    Side,
    Source,
    Speaker,
)
from factcmp.problems import InputError, Problem

if TYPE_CHECKING:
    from factcmp.load.shared import Shared

T = TypeVar("T")

# what the table of facets says of checking and building them (factcmp.facets)
_REQUIRED = [facet for facet in FACETS if facet.check == "required"]
_TEXTS = [facet for facet in FACETS if facet.check == "text"]
_NAMES = [facet for facet in FACETS if facet.check == "names"]
_WORDS_LONGEST = 60  # a count's `words`: the speaker's few words ("more than a hundred")
_AS_GIVEN = [(facet.key, facet.attr, facet.convert) for facet in FACETS if facet.load is None]


def _taken(spec: schema.ClaimSpec) -> dict[str, Any]:
    """The facets a claim takes as its file gives them (through their `convert`), by
    the Claim attribute they fill."""
    out = {}
    for key, attr, made in _AS_GIVEN:
        value = getattr(spec, key)
        out[attr] = made(value) if made is not None and value is not None else value
    return out


# a BCP 47 language tag, as far as a claim file needs: a language and subtags
LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_NO_QUOTE = (
    "`original:` holds the words as spoken, and `quote:` their translation: add `quote:` "
    "beside it, in the language of the brief"
)
_NO_LANG = (
    "`original:` needs `lang:` beside it, the language the words were spoken in, as a "
    "BCP 47 tag (ru, zh, hy, az)"
)
_NO_ORIGINAL = (
    "`lang:` is the language of `original:`, which is missing: add the words as spoken "
    "under `original:`, or remove `lang:`"
)


class SideLoader:
    """Validates one claim file section by section and builds the `Side`."""

    def __init__(self, doc: Document, side_id: str, shared: Shared | None = None) -> None:
        self.doc = doc
        self.side_id = side_id
        self.shared = shared
        self.side_name = side_id
        self.aliases: tuple[str, ...] = ()
        self.problems: list[Problem] = []
        self.times: dict[int, Clock] = {}  # claim index -> the time of day of its `said`
        self.statement_times: dict[str, Clock] = {}  # the same for statements, by key

    def load(self) -> Side:
        return after_yaml_problems(self.doc, self._load)

    def _load(self) -> Side:
        doc, problems = self.doc, self.problems
        value = top_mapping(doc, schema.CLAIM_FILE_KEYS, problems, "claim file")
        side = None
        if "side" in value:
            side = convert(doc, ["side"], value["side"], schema.SideSpec, problems)
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
        speakers = mapping_of(doc, "speakers", value.get("speakers"), schema.SpeakerSpec, problems)
        sources = mapping_of(doc, "sources", value.get("sources"), schema.SourceSpec, problems)
        statements = self._statements(value.get("statements"))
        specs = self._claims(value.get("claims"))
        refs = References(doc, value, problems, self.shared)
        refs.check()

        if side is not None:
            blank_names(doc, [(["side", "name"], side.name)], problems)
        blank_names(doc, speaker_names(speakers), problems)
        shared = self.shared
        speaker_objs = dict(shared.speakers) if shared else {}
        speaker_objs.update((k, Speaker(k, s.name, s.role)) for k, s in speakers.items())
        source_objs = dict(shared.sources) if shared else {}
        source_objs.update((k, make_source(k, s)) for k, s in sources.items())
        claims = self._build(specs, statements, speaker_objs, source_objs)
        if problems:
            raise InputError(problems)
        assert side is not None
        return Side(
            self.side_id,
            side.name,
            doc.file,
            tuple(side.aliases),
            claims,
            side.role,
        )

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
            spec = convert(self.doc, ["claims", index], entry, schema.ClaimSpec, self.problems)
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
            new, clock = self._said_time(["claims", index], entry)
            if clock is not None:
                self.times[index] = clock
            if new is not entry:
                if out is raw:
                    out = list(raw)
                out[index] = new
        return out

    def _said_time(self, path: list[PathItem], entry: Any) -> tuple[Any, Clock | None]:
        """`entry` with its `said` a date, and the time of day it gave (see
        `_said_times`)."""
        if not isinstance(entry, dict):
            return entry, None
        value = entry.get("said")
        if not isinstance(value, (str, dt.datetime)):
            return entry, None
        at: list[PathItem] = [*path, "said"]
        try:
            parsed = parse_said(value)
        except BadTime as exc:
            written = getattr(self.doc.node_at(at), "value", str(value))
            self.problems.append(
                self.doc.problem(
                    at,
                    f"`said: {shown(written)}` is not a real date and time ({exc}): write "
                    "YYYY-MM-DD, or YYYY-MM-DDTHH:MM with an optional zone, e.g. "
                    "2020-06-16T21:30 or 2020-06-16T21:30+05:30",
                    "date",
                )
            )
            return {k: v for k, v in entry.items() if k != "said"}, None
        if parsed is None:
            return entry, None
        return {**entry, "said": parsed[0]}, parsed[1]

    def _statements(self, raw: Any) -> dict[str, schema.StatementSpec]:
        """The file's `statements:`, each validated, with the times of day kept aside."""
        if isinstance(raw, dict):
            fixed = {}
            for key, entry in raw.items():
                fixed[key], clock = self._said_time(["statements", key], entry)
                if clock is not None:
                    self.statement_times[key] = clock
            raw = fixed
        out = mapping_of(self.doc, "statements", raw, schema.StatementSpec, self.problems)
        for key, spec in out.items():
            at: list[PathItem] = ["statements", key]
            self._check_translation(at, spec.quote, spec.original, spec.lang)
            for name in ("by", "quote"):
                value = getattr(spec, name)
                if value is not None and not value.strip():
                    message = f"`{name}` is empty: fill it in or remove the line"
                    self.problems.append(self.doc.problem([*at, name], message, "empty"))
        return out

    def _build(
        self,
        specs: list[tuple[int, schema.ClaimSpec]],
        statements: dict[str, schema.StatementSpec],
        speakers: dict[str, Speaker],
        sources: dict[str, Source],
    ) -> list[Claim]:
        doc, problems = self.doc, self.problems
        claim_nodes = doc.node_at(["claims"])
        nodes = getattr(claim_nodes, "value", [])
        claims: list[Claim] = []
        for index, spec in specs:
            at: list[PathItem] = ["claims", index]
            for facet in _REQUIRED:
                if not getattr(spec, facet.key).strip():
                    problems.append(
                        doc.problem(
                            [*at, facet.key], f"`{facet.key}` is empty: fill it in", "empty"
                        )
                    )
            told = statements.get(spec.statement) if spec.statement is not None else None
            said = spec.said if told is None else told.said
            said_time = (
                self.times.get(index)
                if told is None
                else self.statement_times.get(spec.statement or "")
            )
            by = spec.by if told is None else told.by
            speaker = speakers.get(by) if by is not None else None
            quoted = spec if told is None or spec.quote is not None else told
            # a claim quoting part of a translated statement quotes the translation too
            original, lang = quoted.original, quoted.lang
            if told is not None and quoted is spec and spec.original is None:
                original, lang = told.original, told.lang
            source_spec = spec.source if told is None else told.source
            source = None
            if isinstance(source_spec, str):
                source = sources.get(source_spec)
            elif source_spec is not None:
                source = make_source(spec.id, source_spec)  # an inline source: the claim's id
            self._check_translation(at, spec.quote, spec.original, spec.lang)
            count = self._count(at, spec.count)
            self._check_facets(at, spec)
            line = nodes[index].start_mark.line + 1 if index < len(nodes) else 0
            claims.append(
                Claim(
                    side=self.side_id,
                    file=doc.file,
                    line=line,
                    speaker=speaker,
                    source=source,
                    said=said,
                    quote=quoted.quote,
                    count=count,
                    said_time=said_time,
                    original=original,
                    lang=lang,
                    **_taken(spec),
                )
            )
        self._check_undated_counts(claims, specs)
        return claims

    def _check_translation(
        self, at: list[PathItem], quote: str | None, original: str | None, lang: str | None
    ) -> None:
        """`quote` in translation, `original` the words as spoken, `lang` their language:
        the three go together (a quote alone is in the language it was spoken in)."""
        if original is not None and not original.strip():
            found = [("original", "`original` is empty: fill it in or remove the line", "empty")]
        else:
            found = [
                (field, message, "translation")
                for wrong, field, message in (
                    (original is not None and quote is None, "original", _NO_QUOTE),
                    (original is not None and lang is None, "original", _NO_LANG),
                    (lang is not None and original is None, "lang", _NO_ORIGINAL),
                )
                if wrong
            ]
        if lang is not None and original is not None and not LANG_TAG.match(lang):
            tag = tag_for(lang)
            message = f"`lang: {shown(lang)}` is not a language tag: " + (
                f"write `lang: {tag}` for {language_name(tag)}"
                if tag
                else "write a BCP 47 tag such as ru, zh, zh-Hans, hy, az"
            )
            found.append(("lang", message, "value"))
        for field, message, rule in found:
            self.problems.append(self.doc.problem([*at, field], message, rule))

    def _check_facets(self, at: list[PathItem], spec: schema.ClaimSpec) -> None:
        """Facets that are set but say nothing: compared, they would give verdicts on
        nothing (`places: []` "differs" from every list of places)."""
        doc, problems = self.doc, self.problems
        for facet in _TEXTS:
            value = getattr(spec, facet.key)
            if value is not None and not value.strip():
                message = f"`{facet.key}` is empty: fill it in or remove the line"
                problems.append(doc.problem([*at, facet.key], message, "empty"))
            elif value is not None and facet.longest and len(value) > facet.longest:
                message = (
                    f"`{facet.key}` is too long ({len(value):,} characters): it is a few "
                    f"words, at most {facet.longest}"
                )
                problems.append(doc.problem([*at, facet.key], message, "value"))
        for facet in _NAMES:
            names = getattr(spec, facet.key)
            if names is None:
                continue
            if not names:
                message = (
                    f"`{facet.key}` is an empty list: name at least one {facet.item} or "
                    "remove the line"
                )
                problems.append(doc.problem([*at, facet.key], message, "empty"))
            for index, name in enumerate(names):
                if not name.strip():
                    message = f"this {facet.item} is empty: name it"
                    problems.append(doc.problem([*at, facet.key, index], message, "empty"))
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
        if lo is not None and hi is not None and lo > hi:
            self.problems.append(
                self.doc.problem(path, f"`min: {lo}` is above `max: {hi}`: swap them", "count")
            )
        if best is not None and ((lo is not None and best < lo) or (hi is not None and best > hi)):
            self.problems.append(
                self.doc.problem([*path, "best"], f"`best: {best}` lies outside min..max", "count")
            )
        words = spec.words
        if words is not None and not words.strip():
            message = "`words` is empty: fill it in or remove the line"
            self.problems.append(self.doc.problem([*path, "words"], message, "empty"))
        elif words is not None and len(words) > _WORDS_LONGEST:
            message = (
                f"`words` is too long ({len(words):,} characters): it is the speaker's few "
                f"words for the figure, at most {_WORDS_LONGEST}"
            )
            self.problems.append(self.doc.problem([*path, "words"], message, "value"))
        if lo is None and hi is None and best is None:
            return None
        return Count.given(best=best, min=lo, max=hi, words=words)

    def _check_number(self, path: list[PathItem], name: str, number: float) -> None:
        """A count must be a finite number, zero or more, written as it is meant: YAML
        1.1 reads `010` as 8 (octal), `0x10` as 16 and `12:30` as 750 (base 60)."""
        node = self.doc.node_at(path)
        written = node.value if isinstance(node, yaml.ScalarNode) else str(number)
        if isinstance(number, int) and not finite(number):
            message = f"`{name}: {shown(written)}` is too large to be a count: check the digits"
        elif not finite(number):
            message = f"`{name}: {shown(written)}` must be a finite number"
        elif number < 0:
            message = f"`{name}: {shown(written)}` must be zero or more"
        elif not PLAIN_NUMBER.match(written):
            message = (
                f"`{name}: {shown(written)}` is read by YAML as {number:g}: "
                "write the number in plain digits (a leading 0 makes it octal, "
                "`0x` hexadecimal, a colon base 60)"
            )
        else:
            return
        self.problems.append(self.doc.problem(path, message, "count"))

    def _said_unread(self, index: int, statement: str | None) -> bool:
        """Whether the claim (or its statement) has a `said:` that could not be read
        (`2022-09-14T25:00`, `2022-02-30`): its own error says so, and the claim is
        not called undated as well."""
        places: list[list[PathItem]] = [["claims", index, "said"]]
        if statement is not None:
            places.append(["statements", statement, "said"])
        return any(self.doc.key_node_at(at) is not None for at in places)

    def _check_undated_counts(
        self, claims: list[Claim], specs: list[tuple[int, schema.ClaimSpec]]
    ) -> None:
        """An undated count cannot be placed among the same side's other counts on
        its topic and subject: the latest would be a guess, so the file is invalid."""
        from factcmp.model import Names, unit_key

        # subjects grouped as the comparison groups them (case, spacing, Unicode form,
        # this side's own names), so no undated count slips through by its spelling
        names = Names([Side(self.side_id, self.side_name, self.doc.file, self.aliases)])
        groups: dict[tuple[str, str | None, str], list[tuple[int, Claim]]] = {}
        for (index, _spec), claim in zip(specs, claims, strict=True):
            if claim.count is not None and claim.status == "current":
                key = (claim.topic, names.key(claim.subject), unit_key(claim))
                groups.setdefault(key, []).append((index, claim))
        for group in groups.values():
            if len(group) < 2:
                continue
            for index, claim in group:
                if claim.dated is None and not self._said_unread(index, claim.statement):
                    other_index, other = next((i, c) for i, c in group if c is not claim)
                    line, col = self.doc.position(["claims", other_index])
                    self.problems.append(
                        self.doc.problem(
                            ["claims", index],
                            f"claim `{shown(claim.id)}` gives a count on topic "
                            f"`{shown(claim.topic)}` but has no `said:` date (nor a source "
                            "with a `published` date), and claim "
                            f"`{shown(other.id)}` (line {line}, column {col}) "
                            "gives another count on the same topic and subject, so which one is "
                            "latest cannot be told: give it a `said:` date, or "
                            "`status: superseded` if a later count replaces it",
                            "undated-count",
                        )
                    )
