"""`factcmp check`: every problem in every claim file, for curators and CI.

Three layers, each adding findings, none stopping the next file:

1. the loader's own problems (YAML, structure, references, values): errors that
   also stop `diff`;
2. lint rules on one file's raw YAML (`factcmp.check.lint`): things a loader can accept
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
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from factcmp.check.lint import ERROR, FileLint, Used, warn
from factcmp.check.lint import section as _section
from factcmp.check.rules import severity
from factcmp.exits import FactcmpError
from factcmp.load.discover import (
    NOT_SIDES,
    SHARED_FILES,
    TOPICS_FILES,
    first_file,
    outside_message,
    outside_target,
)
from factcmp.load.files import (
    collector_paused,
    load_topics,
    read_document,
    side_from_document,
)
from factcmp.load.shared import Shared, keys_only, shared_from_document
from factcmp.load.when import orderable, said_iso, same_moment_unknown
from factcmp.load.yamlsrc import Document, shown
from factcmp.model import Claim, Names, Side, Topic, fold, unit_key
from factcmp.plain import display_path, escaped
from factcmp.problems import InputError, Problem

if TYPE_CHECKING:
    from factcmp.cache import ParseCache

_SUFFIXES = (".yaml", ".yml")


class CheckReport(msgspec.Struct):
    files: list[str]
    findings: list[Problem]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def failed(self, *, strict: bool) -> bool:
        return any(f.severity == ERROR or strict for f in self.findings)


class NothingToCheck(FactcmpError):
    """No claim file under the paths given (or none readable). Its message is one
    line, inert: the paths are the user's."""

    usage = True

    def __init__(self, message: str) -> None:
        super().__init__(escaped(display_path(message)))


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The YAML files named, and those below the folders named, sorted, once each;
    and a problem for each file below a folder that is a link out of the repository
    (never read: see factcmp.load.discover). A file named is read wherever it is."""
    found: dict[Path, Path] = {}  # resolved -> as named, so a file named twice counts once
    refused: list[Problem] = []
    for path in paths:
        if path.is_dir():
            try:
                os.scandir(path).close()
            except OSError as exc:  # rglob would skip it silently: say why instead
                raise NothingToCheck(f"cannot read {path}: {exc.strerror or exc}") from None
            for child in sorted(path.rglob("*")):
                if child.suffix in _SUFFIXES and child.is_file() and not _hidden(child, path):
                    target = outside_target(child)
                    if target is None:
                        found.setdefault(child.resolve(), child)
                    else:
                        message = outside_message(child, target)
                        refused.append(Problem(display_path(child), 1, 1, message, "link-outside"))
        elif path.is_file():
            found.setdefault(path.resolve(), path)
        else:
            raise NothingToCheck(f"{path}: no such file or folder")
    if not found and not refused:
        raise NothingToCheck("no .yaml claim files to check under " + ", ".join(map(str, paths)))
    return list(found.values()), refused


def _inside(beside: Path | None) -> Path | None:
    """A topics.yaml or sources.yaml found beside a claim file, unless it is a link
    out of the repository (then it is not read; named, or in a folder named, it is
    reported as such)."""
    return beside if beside is None or outside_target(beside) is None else None


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def check(
    paths: list[Path],
    *,
    strict: bool = False,
    today: dt.date | None = None,
    cache: ParseCache | None = None,
) -> CheckReport:
    """Check the claim files and topics files among `paths` (files or folders). With a
    `cache`, a topics.yaml that loaded without a problem before is not parsed again
    (it is cached only then, so the findings are the same)."""
    with collector_paused():
        return _check(paths, strict, today or dt.date.today(), cache)


def _check(
    paths: list[Path], strict: bool, today: dt.date, cache: ParseCache | None
) -> CheckReport:
    files, refused = collect_files(paths)
    findings: list[Problem] = list(refused)
    sides: list[Side] = []
    docs: dict[str, Document] = {}
    topic_files: dict[Path, dict[str, Topic] | None] = {}
    shared = _SharedFiles(files, FileLint(today, None, strict), findings)
    for path in sorted(
        files, key=lambda p: TOPICS_FILES.index(p.name) if p.name in TOPICS_FILES else 0
    ):
        if path.name in TOPICS_FILES:
            loaded = _load_topics(path, findings, cache)  # always checked; .yaml wins for use
            topic_files.setdefault(path.parent, loaded)
    for path in files:  # a topics.yaml beside a claim file applies even if not named
        folder = path.parent
        if path.name not in NOT_SIDES and folder not in topic_files:
            beside = _inside(first_file(folder / name for name in TOPICS_FILES))
            topic_files[folder] = _load_topics(beside, [], cache) if beside else None
    for path in files:
        if path.name in NOT_SIDES:
            continue
        lint = FileLint(today, topic_files.get(path.parent), strict)
        doc = _read_checked(path, findings)
        if doc is None:
            shared.unread.add(path.parent)  # what its claims cite is not known
            continue
        found = shared.of(path.parent)
        try:
            side = side_from_document(doc, path.stem, found)
            sides.append(side)
            docs[side.file] = doc
        except InputError as exc:
            findings.extend(exc.problems)
        findings.extend(lint.run(doc, found))
        shared.used(path.parent, lint.used)
    findings += _cross_file(sides, docs, topic_files)
    findings += shared.unused()
    # the severity of every finding is the registry's (factcmp.check.rules), whatever the
    # code that found it said
    findings = [
        p if p.severity == severity(p.rule, strict=strict)
        else msgspec.structs.replace(p, severity=severity(p.rule, strict=strict))
        for p in findings
    ]  # fmt: skip
    findings.sort(key=lambda p: (p.file, p.line, p.col, p.rule))
    return CheckReport([escaped(display_path(f)) for f in files], findings)


def _load_topics(
    path: Path, findings: list[Problem], cache: ParseCache | None
) -> dict[str, Topic] | None:
    """The topics of a topics.yaml; when it has problems, still the keys it lists, so
    that claim files are checked against them in the same run."""
    try:
        return load_topics(path, cache)
    except InputError as exc:
        findings.extend(exc.problems)
    try:
        listed = read_document(path).value.get("topics")
    except (InputError, AttributeError):
        return None
    return {key: Topic(key, key) for key in listed} if isinstance(listed, dict) else None


def _read_checked(path: Path, findings: list[Problem]) -> Document | None:
    """The file's document, or None with why it cannot be read or parsed."""
    file = display_path(path)
    try:
        if path.open("rb").read(3) == codecs.BOM_UTF8:
            message = "the file starts with a byte-order mark: save it as UTF-8 without BOM"
            findings.append(warn(Problem(file, 1, 1, message, "yaml-bom")))
        return read_document(path)
    except OSError as exc:
        findings.append(Problem(file, 0, 0, f"cannot read the file: {exc.strerror}", "io"))
    except InputError as exc:
        findings.extend(exc.problems)
    return None


class _SharedFiles:
    """The shared sources.yaml of each folder: checked when named (or in a folder
    named), and used to load the claim files beside it either way. One with problems
    still gives its keys, so that the claims citing them are not wrongly refused."""

    def __init__(self, files: list[Path], lint: FileLint, findings: list[Problem]) -> None:
        self.lint, self.findings = lint, findings
        self.loaded: dict[Path, Shared | None] = {}
        self.checked: dict[Path, Document] = {}  # folder -> its sources.yaml, when checked
        self.names: dict[Path, Used] = {}  # folder -> what its claim files name
        self.unread: set[Path] = set()  # folders with a claim file that cannot be read
        named = sorted((p for p in files if p.name in SHARED_FILES),
                       key=lambda p: SHARED_FILES.index(p.name))  # fmt: skip
        for path in named:
            doc = _read_checked(path, findings)
            shared = self._load(doc, findings) if doc else None
            if doc is not None:
                findings.extend(lint.shared_file(doc))
            if path.parent in self.loaded:  # sources.yml beside sources.yaml
                message = (
                    f"{path.parent / SHARED_FILES[0]} is the shared sources file of this "
                    f"folder, and this one is never read: move its entries there and "
                    "delete it"
                )
                findings.append(Problem(display_path(path), 1, 1, message, "two-shared-files"))
                continue
            self.loaded[path.parent] = shared
            if doc is not None:
                self.checked[path.parent] = doc

    def of(self, folder: Path) -> Shared | None:
        if folder not in self.loaded:  # one beside a claim file applies even if not named
            beside = _inside(first_file(folder / name for name in SHARED_FILES))
            doc = _read_checked(beside, []) if beside else None
            self.loaded[folder] = self._load(doc, []) if doc else None
        return self.loaded[folder]

    @staticmethod
    def _load(doc: Document, findings: list[Problem]) -> Shared | None:
        try:
            return shared_from_document(doc)
        except InputError as exc:
            findings.extend(exc.problems)
        return keys_only(doc)

    def used(self, folder: Path, used: Used) -> None:
        """Note what a claim file beside a checked sources.yaml names (as its lint
        found it)."""
        if folder in self.checked:
            names = self.names.setdefault(folder, Used())
            names.speakers |= used.speakers
            names.sources |= used.sources

    def unused(self) -> list[Problem]:
        """What a checked sources.yaml defines and no claim file beside it names; not
        judged while a claim file beside it cannot be read (its YAML has an error):
        that file may cite any of them."""
        out: list[Problem] = []
        for folder, doc in self.checked.items():
            if not isinstance(doc.value, dict) or folder in self.unread:
                continue
            used = self.names.get(folder, Used())
            self.lint.doc, self.lint.findings = doc, out
            for noun, names in (("speaker", used.speakers), ("source", used.sources)):
                self.lint.unused(_section(doc.value, f"{noun}s", dict), names, noun)
        return out


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
        findings += _facet_mismatches(group, docs, topic_files.get(folder) or {})
        findings += _similar_topic_keys(group, docs, topic_files.get(folder) or {})
        findings += _aliases_as_places(group, docs, names)
    return findings


def _aliases_as_places(sides: list[Side], docs: dict[str, Document], names: Names) -> list[Problem]:
    """A side's alias that a claim also gives as a place (revision 3): a subject or
    actor written with that word is taken for the side, which a curator who meant the
    place would not see."""
    owners = {fold(alias): side for side in sides for alias in side.aliases}
    findings = []
    for side in sides:
        for index, claim in enumerate(side.claims):
            for n, place in enumerate(claim.places or ()):
                owner = owners.get(fold(place))
                if owner is None or names.key(place) != owner.id:
                    continue  # an alias two sides share names neither
                message = (
                    f"place `{shown(place)}` of claim `{shown(claim.id)}` is also an alias of "
                    f"side {shown(owner.name)} ({os.path.basename(owner.file)}): a `subject` or "
                    f"`actor` written `{shown(place)}` is taken for that side; if the place is "
                    "meant there, drop the alias and write the side's id where the side is meant"
                )
                problem = docs[side.file].problem(
                    ["claims", index, "places", n], message, "alias-place"
                )
                findings.append(warn(problem))
    return findings


def _similar_topic_keys(
    sides: list[Side], docs: dict[str, Document], listed: dict[str, Topic]
) -> list[Problem]:
    """Topic keys of different files that look like one key misspelt or reworded
    (`casualties.militry`, `casualties-military`): their claims are never compared."""
    from factcmp.compare.similar import similar_pairs

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
            findings.append(warn(problem))
    return findings


def _count_conflicts(side: Side, doc: Document, names: Names) -> list[Problem]:
    """One side's two current counts on a topic, subject and day that differ, when
    their times do not tell which came later."""
    findings = []
    earlier: dict[tuple[str, str | None, str, dt.date], list[int]] = {}
    for index, claim in enumerate(side.claims):
        if claim.status != "current" or claim.count is None or claim.dated is None:
            continue
        key = (claim.topic, names.key(claim.subject), unit_key(claim), claim.dated)
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
            when = f"on the same day ({claim.dated})"
            fix = (
                "if one updates the other, give both a time of day (e.g. `said: "
                f"{claim.dated}T21:30`) or mark the older"
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
            f"claim `{shown(claim.id)}` gives count {claim.count.shown(claim.unit)} on "
            f"`{shown(claim.topic)}`, and claim `{shown(first.id)}` (line {first.line}) gives "
            f"{first.count.shown(first.unit)} for the same topic and subject {when}: which is the "
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


def _facet_mismatches(
    sides: list[Side], docs: dict[str, Document], topics: dict[str, Topic]
) -> list[Problem]:
    """Two sides on one topic with no comparable facet in common (one gives a count,
    the other an actor): factcmp can only call that unjudged. Not on a topic where
    stance decides: one with a denial or a claim left undetermined, or one that
    states its claim (revision 3: affirmations of it are comparable)."""
    used: dict[str, dict[str, tuple[set[str], int]]] = {}  # topic -> file -> facets, claim
    denied = {key for key, topic in topics.items() if topic.claim and topic.claim.strip()}
    for side in sides:
        for index, claim in enumerate(side.claims):
            kinds = {k for k in _FACETS if getattr(claim, k) is not None}
            if claim.status == "current" and not claim.affirms:
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
                findings.append(warn(problem))
    return findings


def _words(kinds: set[str]) -> str:
    ordered = [k for k in _FACETS if k in kinds]
    return " and ".join(f"`{k}`" for k in ordered)
