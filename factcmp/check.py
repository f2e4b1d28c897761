"""`factcmp check`: every problem in every claim file, for curators and CI.

Three layers, each adding findings, none stopping the next file:

1. the loader's own problems (YAML, structure, references, values): errors that
   also stop `diff`;
2. lint rules on one file's raw YAML (`_FileLint`): things a loader can accept
   but a newsroom should not (future dates, unused speakers, non-web links, ...);
3. cross-file rules over the sides that loaded (`_cross_file`): topics missing
   from topics.yaml, facets two sides cannot be compared on, a side's two counts
   on the same day.

A finding is a `Problem` with a severity (error or warning) and a rule id; the
rule ids are documented in docs/check.md.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeGuard

import msgspec

from factcmp.discover import TOPICS_FILE
from factcmp.load import (
    collector_paused,
    load_topics,
    read_document,
    side_from_document,
)
from factcmp.match import Names, fold
from factcmp.model import Claim, Side, Topic
from factcmp.plain import display_path, escaped
from factcmp.problems import InputError, Problem
from factcmp.rules import severity
from factcmp.urls import is_web_url
from factcmp.when import BadTime, orderable, parse_said, said_iso, same_moment_unknown
from factcmp.yamlsrc import Document, PathItem, shown

ERROR, WARNING = "error", "warning"
_SUFFIXES = (".yaml", ".yml")
_TOPIC_FILES = (TOPICS_FILE, "topics.yml")
_SPACE = re.compile(r"\s")
_QUOTE_MARKS = "\"'“”‘’«»„‚‹›「」"


class CheckReport(msgspec.Struct):
    files: list[str]
    findings: list[Problem]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def failed(self, *, strict: bool) -> bool:
        return any(f.severity == ERROR or strict for f in self.findings)


class NothingToCheck(Exception):
    """No claim file under the paths given (or none readable). Its message is one
    line, inert: the paths are the user's."""

    def __init__(self, message: str) -> None:
        super().__init__(escaped(display_path(message)))


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files named, and those below the folders named, sorted, once each."""
    found: dict[Path, Path] = {}  # resolved -> as named, so a file named twice counts once
    for path in paths:
        if path.is_dir():
            try:
                os.scandir(path).close()
            except OSError as exc:  # rglob would skip it silently: say why instead
                raise NothingToCheck(f"cannot read {path}: {exc.strerror or exc}") from None
            for child in sorted(path.rglob("*")):
                if child.suffix in _SUFFIXES and child.is_file() and not _hidden(child, path):
                    found.setdefault(child.resolve(), child)
        elif path.is_file():
            found.setdefault(path.resolve(), path)
        else:
            raise NothingToCheck(f"{path}: no such file or folder")
    if not found:
        raise NothingToCheck("no .yaml claim files to check under " + ", ".join(map(str, paths)))
    return list(found.values())


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def check(paths: list[Path], *, strict: bool = False, today: dt.date | None = None) -> CheckReport:
    """Check the claim files and topics files among `paths` (files or folders)."""
    with collector_paused():
        return _check(paths, strict, today or dt.date.today())


def _check(paths: list[Path], strict: bool, today: dt.date) -> CheckReport:
    files = collect_files(paths)
    findings: list[Problem] = []
    sides: list[Side] = []
    docs: dict[str, Document] = {}
    topic_files: dict[Path, dict[str, Topic] | None] = {}
    for path in sorted(
        files, key=lambda p: _TOPIC_FILES.index(p.name) if p.name in _TOPIC_FILES else 0
    ):
        if path.name in _TOPIC_FILES:
            loaded = _load_topics(path, findings)  # always checked; topics.yaml wins for use
            topic_files.setdefault(path.parent, loaded)
    for path in files:  # a topics.yaml beside a claim file applies even if not named
        folder = path.parent
        if path.name not in _TOPIC_FILES and folder not in topic_files:
            beside = [folder / name for name in _TOPIC_FILES if (folder / name).is_file()]
            topic_files[folder] = _load_topics(beside[0], []) if beside else None
    for path in files:
        if path.name in _TOPIC_FILES:
            continue
        lint = _FileLint(today, topic_files.get(path.parent), strict)
        found = _check_claim_file(path, lint, findings)
        if found is not None:
            side, doc = found
            sides.append(side)
            docs[side.file] = doc
    findings += _cross_file(sides, docs, topic_files)
    # the severity of every finding is the registry's (factcmp.rules), whatever the
    # code that found it said
    findings = [
        p if p.severity == severity(p.rule, strict=strict)
        else msgspec.structs.replace(p, severity=severity(p.rule, strict=strict))
        for p in findings
    ]  # fmt: skip
    findings.sort(key=lambda p: (p.file, p.line, p.col, p.rule))
    return CheckReport([escaped(display_path(f)) for f in files], findings)


def _load_topics(path: Path, findings: list[Problem]) -> dict[str, Topic] | None:
    """The topics of a topics.yaml; when it has problems, still the keys it lists, so
    that claim files are checked against them in the same run."""
    try:
        return load_topics(path)
    except InputError as exc:
        findings.extend(exc.problems)
    try:
        listed = read_document(path).value.get("topics")
    except (InputError, AttributeError):
        return None
    return {key: Topic(key, key) for key in listed} if isinstance(listed, dict) else None


def _check_claim_file(
    path: Path, lint: _FileLint, findings: list[Problem]
) -> tuple[Side, Document] | None:
    file = display_path(path)
    try:
        if path.open("rb").read(3) == codecs.BOM_UTF8:
            findings.append(
                _warn(
                    Problem(
                        file,
                        1,
                        1,
                        "the file starts with a byte-order mark: save it as UTF-8 without BOM",
                        "yaml-bom",
                    )
                )
            )
        doc = read_document(path)
    except OSError as exc:
        findings.append(Problem(file, 0, 0, f"cannot read the file: {exc.strerror}", "io"))
        return None
    except InputError as exc:
        findings.extend(exc.problems)
        return None
    side: Side | None = None
    try:
        side = side_from_document(doc, path.stem)
    except InputError as exc:
        findings.extend(exc.problems)
    findings.extend(lint.run(doc))
    return (side, doc) if side is not None else None


def _is_date(value: object) -> TypeGuard[dt.date]:
    """A date, not a date and time (the loader reports those; lint compares dates)."""
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _said_date(value: object) -> dt.date | None:
    """The date of a `said` value, given with a time of day or not (a value that is
    no date is the loader's to report)."""
    if _is_date(value):
        return value
    try:
        parsed = parse_said(value)
    except BadTime:
        return None
    return parsed[0] if parsed else None


def _section(value: dict[str, Any], key: str, kind: type) -> Any:
    """A top-level section if it has the right shape, else an empty one."""
    section = value.get(key)
    return section if isinstance(section, kind) else kind()


def _warn(problem: Problem) -> Problem:
    return msgspec.structs.replace(problem, severity=WARNING)


class _FileLint:
    """Rules on one claim file's raw values: they run even when the loader refused
    the file, so that one run reports everything."""

    def __init__(self, today: dt.date, topics: dict[str, Topic] | None, strict: bool) -> None:
        self.today = today
        self.topics = topics
        self.strict = strict

    def run(self, doc: Document) -> list[Problem]:
        self.doc = doc
        self.findings: list[Problem] = []
        value = doc.value
        if not isinstance(value, dict):
            return []
        self._tabs()
        speakers = _section(value, "speakers", dict)
        sources = _section(value, "sources", dict)
        claims = _section(value, "claims", list)
        published: dict[str, dt.date] = {}
        for key, source in sources.items():
            if isinstance(source, dict):
                self._source(["sources", key], source)
                if _is_date(source.get("published")):
                    published[key] = source["published"]
        used_by: set[str] = set()
        used_sources: set[str] = set()
        for index, claim in enumerate(claims):
            if not isinstance(claim, dict):
                continue
            at: list[PathItem] = ["claims", index]
            if isinstance(claim.get("by"), str):
                used_by.add(claim["by"])
            source = claim.get("source")
            if isinstance(source, str):
                used_sources.add(source)
            elif isinstance(source, dict):
                self._source([*at, "source"], source)
            self._claim(at, claim, published.get(source) if isinstance(source, str) else None)
        unused = (
            (
                "speakers",
                speakers,
                used_by,
                "speaker",
                "claim is `by:` it",
                "attribute a claim to it",
            ),
            (
                "sources",
                sources,
                used_sources,
                "source",
                "claim cites it",
                "cite it with `source:`",
            ),
        )
        for section, declared, used, noun, why, fix in unused:
            for key in declared:
                if key not in used:
                    message = f"{noun} `{shown(key)}` is declared but no {why}: remove it, or {fix}"
                    self._add([section, key], message, f"unused-{noun}", WARNING, key=True)
        return self.findings

    def _add(
        self,
        path: list[PathItem],
        message: str,
        rule: str,
        severity: str = ERROR,
        *,
        key: bool = False,
    ) -> None:
        problem = self.doc.problem(path, message, rule, key=key)
        self.findings.append(_warn(problem) if severity == WARNING else problem)

    def _tabs(self) -> None:
        # libyaml refuses tabs that indent; a tab inside a value is legal YAML but shows
        # differently in every editor and diff, so it is flagged too
        text = self.doc.text
        if "\t" not in text:
            return
        for number, line in enumerate(text.splitlines(), 1):
            col = line.find("\t")
            if col >= 0:
                self.findings.append(
                    _warn(
                        Problem(
                            self.doc.file, number, col + 1, "tab character: use spaces", "yaml-tab"
                        )
                    )
                )

    def _claim(self, at: list[PathItem], claim: dict[str, Any], published: dt.date | None) -> None:
        topic = claim.get("topic")
        if isinstance(topic, str) and topic.strip():
            self._topic([*at, "topic"], topic)
        claim_id = claim.get("id")
        if isinstance(claim_id, str) and _SPACE.search(claim_id):
            suggestion = re.sub(r"\s+", "-", claim_id.strip())
            self._add(
                [*at, "id"],
                f"claim id `{shown(claim_id)}` has spaces: ids are referred "
                f"to by briefs and CI, so keep them to one word, e.g. `{shown(suggestion)}`",
                "id-format",
            )
        quote = claim.get("quote")
        if isinstance(quote, str) and len(quote.strip()) > 1:
            words = quote.strip()
            if words[0] in _QUOTE_MARKS and words[-1] in _QUOTE_MARKS:
                self._add(
                    [*at, "quote"],
                    "the quote is wrapped in quotation marks, and factcmp "
                    "adds its own: keep only the quoted words",
                    "quote-marks",
                    WARNING,
                )
        said = _said_date(claim.get("said"))
        if said is not None:
            if said > self.today:
                self._add(
                    [*at, "said"],
                    f"`said: {said}` is in the future: a claim cannot "
                    "have been made yet; check the date",
                    "future-date",
                )
            elif published is not None and said > published:
                self._add(
                    [*at, "said"],
                    f"`said: {said}` is after its source was published "
                    f"({published}): the source cannot report it; check both dates",
                    "said-after-published",
                )
        period = claim.get("period")
        if isinstance(period, dict):
            for key in ("from", "to"):
                value = period.get(key)
                if _is_date(value) and value > self.today:
                    self._add(
                        [*at, "period", key], f"`{key}: {value}` is in the future", "future-date"
                    )
        places = claim.get("places")
        if isinstance(places, list):
            seen: dict[str, int] = {}
            for index, place in enumerate(places):
                if not isinstance(place, str):
                    continue
                folded = fold(place)
                if folded in seen:
                    self._add(
                        [*at, "places", index],
                        f"place `{shown(place)}` is listed twice "
                        f"(also item {seen[folded] + 1}): remove one",
                        "duplicate-place",
                        WARNING,
                    )
                seen.setdefault(folded, index)

    def _topic(self, at: list[PathItem], topic: str) -> None:
        if self.topics is not None and topic not in self.topics:
            message = (
                f"topic `{shown(topic)}` is not in topics.yaml: add it there "
                f"(with a label), or fix the spelling{_close(topic, self.topics)}"
            )
            self._add(at, message, "unknown-topic", ERROR if self.strict else WARNING)
        elif self.topics is None and self.strict:
            message = (
                f"topic `{shown(topic)}` is in no topics.yaml: --strict wants every "
                "topic listed in a topics.yaml beside the claim files"
            )
            self._add(at, message, "unknown-topic")

    def _source(self, path: list[PathItem], source: dict[str, Any]) -> None:
        for key in ("url", "archived"):
            url = source.get(key)
            if isinstance(url, str) and url.strip() and not is_web_url(url):
                self._add(
                    [*path, key],
                    f"`{key}: {shown(url)}` is not a web address: write "
                    "a full http:// or https:// link",
                    "url",
                )
        published = source.get("published")
        if _is_date(published) and published > self.today:
            self._add(
                [*path, "published"], f"`published: {published}` is in the future", "future-date"
            )


def _cross_file(
    sides: list[Side], docs: dict[str, Document], topic_files: dict[Path, dict[str, Topic] | None]
) -> list[Problem]:
    findings: list[Problem] = []
    folders: dict[Path, list[Side]] = {}
    for side in sides:
        folders.setdefault(Path(side.file).parent, []).append(side)
    for folder, group in folders.items():  # one folder of claim files: one dispute
        names = Names(group)
        for side in group:
            findings += _count_conflicts(side, docs[side.file], names)
        findings += _facet_mismatches(group, docs)
        findings += _similar_topic_keys(group, docs, topic_files.get(folder) or {})
    return findings


def _similar_topic_keys(
    sides: list[Side], docs: dict[str, Document], listed: dict[str, Topic]
) -> list[Problem]:
    """Topic keys of different files that look like one key misspelt or reworded
    (`casualties.militry`, `casualties-military`): their claims are never compared."""
    from factcmp.similar import similar_pairs

    first: dict[str, dict[str, int]] = {}  # topic -> file -> index of its first claim
    for side in sides:
        for index, claim in enumerate(side.claims):
            first.setdefault(claim.topic, {}).setdefault(side.file, index)
    findings = []
    for a, b in similar_pairs(first):
        files_a, files_b = first[a], first[b]
        if set(files_a) == set(files_b) and len(files_a) == 1:
            continue  # one file's two keys: its curator's choice
        # the slip is likelier the key topics.yaml lacks, else the rarer: warn there
        rare, common = (
            (a, b) if (a in listed, len(files_a)) < (b in listed, len(files_b)) else (b, a)
        )
        if (a in listed, len(files_a)) == (b in listed, len(files_b)):
            rare, common = (a, b) if min(files_a) > min(files_b) else (b, a)
        for file, index in first[rare].items():
            elsewhere = sorted(f for f in first[common] if f != file)
            if not elsewhere:
                continue
            message = (
                f"topic `{shown(rare)}` looks like `{shown(common)}` of "
                f"{shown(Path(elsewhere[0]).name)} "
                "misspelt or reworded: claims are compared only when their keys are equal; "
                f"if they are one topic, run `factcmp topics rename {shown(rare)} "
                f"{shown(common)}`"
            )
            problem = docs[file].problem(["claims", index, "topic"], message, "topic-similar")
            findings.append(_warn(problem))
    return findings


def _count_conflicts(side: Side, doc: Document, names: Names) -> list[Problem]:
    """One side's two current counts on a topic, subject and day that differ, when
    their times do not tell which came later."""
    findings = []
    earlier: dict[tuple[str, str | None, dt.date], list[int]] = {}
    for index, claim in enumerate(side.claims):
        if claim.status != "current" or claim.count is None or claim.said is None:
            continue
        key = (claim.topic, names.key(claim.subject), claim.said)
        group = earlier.setdefault(key, [])
        first = next(
            (
                side.claims[i]
                for i in group
                if _differ(side.claims[i], claim) and same_moment_unknown(side.claims[i], claim)
            ),
            None,
        )
        group.append(index)
        if first is None:
            continue
        assert first.count is not None
        if first.said_time is None or claim.said_time is None:
            when = f"on the same day ({claim.said})"
            fix = (
                "if one updates the other, give both a time of day (e.g. `said: "
                f"{claim.said}T21:30`) or mark the older"
            )
        elif orderable([first, claim]):
            when = f"at the same time ({said_iso(first)} and {said_iso(claim)})"
            fix = "if one replaces the other, correct its time or mark the older"
        else:
            when = (
                f"on the same day, one time with a zone and one without ({said_iso(first)} "
                f"and {said_iso(claim)})"
            )
            fix = "give both times a zone (e.g. `+05:30`), or neither, or mark the older"
        message = (
            f"claim `{shown(claim.id)}` gives count {claim.count.shown()} on "
            f"`{shown(claim.topic)}`, and claim `{shown(first.id)}` (line {first.line}) gives "
            f"{first.count.shown()} for the same topic and subject {when}: which is the "
            f"later cannot be told. {fix[:1].upper()}{fix[1:]} `status: superseded`; "
            "if they disagree, correct one"
        )
        findings.append(doc.problem(["claims", index, "count"], message, "count-conflict"))
    return findings


def _differ(a: Claim, b: Claim) -> bool:
    assert a.count is not None
    assert b.count is not None
    return (a.count.low, a.count.high) != (b.count.low, b.count.high)


_FACETS = ("count", "actor", "places")


def _facet_mismatches(sides: list[Side], docs: dict[str, Document]) -> list[Problem]:
    """Two sides on one topic with no comparable facet in common (one gives a count,
    the other an actor): factcmp can only call that unjudged."""
    used: dict[str, dict[str, tuple[set[str], int]]] = {}  # topic -> file -> facets, claim
    denied: set[str] = set()  # topics a denial makes comparable (stance decides)
    for side in sides:
        for index, claim in enumerate(side.claims):
            kinds = {k for k in _FACETS if getattr(claim, k) is not None}
            if claim.status == "current" and claim.denies:
                denied.add(claim.topic)
            if claim.status == "current" and kinds:
                entry = used.setdefault(claim.topic, {}).setdefault(side.file, (set(), index))
                entry[0].update(kinds)
    by_id = {side.file: side for side in sides}
    findings = []
    for topic, per_side in used.items():
        if topic in denied:
            continue
        listed = list(per_side.items())
        for i, (id_a, (kinds_a, _)) in enumerate(listed):
            for id_b, (kinds_b, index_b) in listed[i + 1 :]:
                if kinds_a & kinds_b:
                    continue
                side_a, side_b = by_id[id_a], by_id[id_b]
                message = (
                    f"on topic `{shown(topic)}`, {shown(side_a.name)} gives {_words(kinds_a)} "
                    f"and {shown(side_b.name)} gives {_words(kinds_b)}: with no facet in common "
                    "factcmp cannot judge one against the other; give both the same kind of fact"
                )
                problem = docs[side_b.file].problem(["claims", index_b], message, "facet-mismatch")
                findings.append(_warn(problem))
    return findings


def _close(word: str, topics: dict[str, Topic]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(topics), n=1, cutoff=0.75)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _words(kinds: set[str]) -> str:
    ordered = [k for k in _FACETS if k in kinds]
    return " and ".join(f"`{k}`" for k in ordered)
