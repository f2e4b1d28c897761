"""The facets of a claim, in one table: every key a claim in a claim file may give,
the `Claim` attribute it fills, and what each reader of claims does with it.

Loading (`load.side`), validation (`load.validate`), the comparison's "not compared"
list and its key of distinct claims (`compare.judge`), `changes`, the words of a
claim (`render.words`), JSON, CSV and the SQLite export (`render.jsonout`,
`render.csvout`, `export.rows`, `export.sqlite`, `export.metadata`) read this table
instead of naming the facets one by one. What cannot be table data stays with its
reader, and the table names it (`load`, `check`: "module:function"): the count's
interval, who spoke and where it was reported, the statement a claim takes its
words from, the comparison rules themselves (`compare.judge`).

`Claim` (factcmp.model) and `ClaimSpec` (factcmp.load.schema) stay typed classes
written by hand, so that mypy knows their fields; tests/load/test_facets_table.py
fails when either and this table disagree.

Each output gives the facets in an order of its own, kept from before the table
(JSON keys are only ever added; CSV and SQLite columns keep their places): the
`*_LAYOUT` tuples below. A name in a column layout that no facet gives is one of the
output's own columns (the topic, the verdict, the file and line), which its reader
fills.

Import-light: only the model and the standard library; a column that needs a later
stage's code names it as "module:function" (`resolve`).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any, Literal

import msgspec

from factcmp.model import Claim, Names, Period, count_shown

Value = Callable[[Claim], Any]


class Column(msgspec.Struct, frozen=True):
    """One column (or JSON key) a facet gives in an output, and its value for a claim:
    a function, or "module:function" of a later stage (`resolve`)."""

    name: str
    value: Value | str
    text: bool = True  # CSV: words from the file, made inert (False: factcmp's own)


class SqlColumn(msgspec.Struct, frozen=True):
    """One column of the `claims` table of the SQLite export."""

    name: str
    kind: type  # str or int (INTEGER affinity keeps 105 an integer and 2.5 a real)
    value: Value | str
    about: str | None = None  # what it means, in the Datasette metadata (None: not given)
    refers: Literal["speakers", "sources"] | None = None  # a key of that table's rows
    listed: bool = False  # a list, written as JSON text (as Datasette shows and filters it)


class Facet(msgspec.Struct, frozen=True, kw_only=True):
    """One key of a claim, and what every reader does with it."""

    key: str  # its key in a claim of a claim file (load.schema.ClaimSpec)
    attr: str  # the Claim attribute it fills
    form: str  # what the file gives, in words (docs/format.md)
    also: tuple[str, ...] = ()  # further Claim attributes it fills (said: the time of day)
    required: bool = False
    # how it loads: None, taken as the schema gives it (through `convert`, when set);
    # else the code that builds it ("module:function")
    load: str | None = None
    convert: Callable[[Any], Any] | None = None
    # how it is checked beyond its type: "required" and "text" (not blank), "names" (a
    # list of names, none blank), or the code that checks it ("module:function")
    check: str | None = None
    item: str = ""  # "names": what one item of the list is, in messages ("place")
    longest: int | None = None  # "text": the most characters it may have (a short text)
    choices: str | None = None  # the values allowed, in words, for a message
    words: Value | None = None  # how it shows among a claim's facets (render.words)
    json: tuple[Column, ...] = ()
    csv: tuple[Column, ...] = ()
    sqlite: tuple[SqlColumn, ...] = ()
    changes: bool = True  # whether `changes` compares it
    # how a value reads in a change ("count 105 → 135"); None: the attribute's name alone
    changed: Callable[[Any], str] | None = None
    compared: bool = False  # the comparison reads it: part of what makes claims distinct
    # how an agreement lists it when only one claim gives it ("actor: only Armenia gives
    # one (Azerbaijan)"), and whether it says "one" or "any"
    unchecked: Callable[[Any, Names], str] | None = None
    amount: str = "one"

    @property
    def attrs(self) -> tuple[str, ...]:
        return (self.attr, *self.also)


def resolve(value: Value | str) -> Value:
    """A column's value function, importing "module:function" on first use."""
    if not isinstance(value, str):
        return value
    return _imported(value)


@functools.cache
def _imported(reference: str) -> Value:
    module, _, name = reference.partition(":")
    found: Any = importlib.import_module(module)
    for part in name.split("."):
        found = getattr(found, part)
    return found  # type: ignore[no-any-return]


# --- values, as the outputs give them ------------------------------------------------


def _iso(date: Any) -> str | None:
    return date.isoformat() if date else None


def _speaker_json(claim: Claim) -> dict[str, Any] | None:
    s = claim.speaker
    return {"key": s.key, "name": s.name, "role": s.role} if s else None


def _source_json(claim: Claim) -> dict[str, Any] | None:
    s = claim.source
    if not s:
        return None
    return {
        "key": s.key,
        "outlet": s.outlet,
        "title": s.title,
        "author": s.author,
        "url": s.url,
        "published": s.published.isoformat() if s.published else None,
        "archived": s.archived,
        "shared": bool(s.file),
    }


def _period_json(claim: Claim) -> dict[str, Any] | None:
    p = claim.period
    if not p:
        return None
    return {"from": _iso(p.start), "to": _iso(p.end)}


def _count_max(claim: Claim) -> Any:
    """No maximum: NULL, as SQLite has no infinity."""
    count = claim.count
    if count is None:
        return None
    return None if count.high == float("inf") else count.high


def _shown(prefix: str, attr: str) -> Value:
    """`prefix value` when the claim gives the facet, for a claim's words."""

    def words(claim: Claim) -> str | None:
        value = getattr(claim, attr)
        return f"{prefix}{value}" if value else None

    return words


def _stance_words(claim: Claim) -> str | None:
    """`denies`, `leaves it undetermined`; nothing for an affirmation (the default)."""
    if claim.undetermined:
        return "leaves it undetermined"
    return "denies" if claim.denies else None


def _plain(attr: str) -> Value:
    return lambda claim: getattr(claim, attr)


def _names(value: Any, names: Names) -> str:
    return names.shown(value)


def _listed(value: Any, _names: Names) -> str:
    return ", ".join(value)


def _own_shown(value: Any, _names: Names) -> str:
    return str(value.shown())


# --- the table: in the order ClaimSpec gives the keys ------------------------------

FACETS: tuple[Facet, ...] = (
    Facet(
        key="id", attr="id", form="text, unique in the file", required=True, check="required",
        json=(Column("id", _plain("id")),), csv=(Column("id", _plain("id")),),
        sqlite=(SqlColumn("claim_id", str, _plain("id"), "the claim's id in its side's file"),),
        changes=False,
    ),
    Facet(
        key="topic", attr="topic", form="text: a topic key", required=True, check="required",
        sqlite=(SqlColumn("topic", str, _plain("topic"),
                          "the topic key: claims of different sides on one topic are compared"),),
        changed=str,
    ),
    Facet(
        key="text", attr="text", form="text", required=True, check="required",
        json=(Column("text", _plain("text")),), csv=(Column("text", _plain("text")),),
        sqlite=(SqlColumn("text", str, _plain("text"), "the claim, in the curator's words"),),
    ),
    Facet(
        key="statement", attr="statement", form="a key of `statements:`",
        json=(Column("statement", _plain("statement")),),
        sqlite=(SqlColumn("statement", str, _plain("statement"),
                          "the statement several claims come from, if any"),),
        changes=False,
    ),
    Facet(
        key="by", attr="speaker", form="a key of `speakers:`",
        load="factcmp.load.side:SideLoader._build", check="text",
        json=(Column("speaker", _speaker_json),),
        csv=(Column("speaker", lambda c: c.speaker.shown() if c.speaker else None),),
        sqlite=(SqlColumn("speaker", str, _plain("speaker"), "who made the claim",
                          refers="speakers"),),
    ),
    Facet(
        key="source", attr="source", form="a key of `sources:`, or a source's mapping",
        load="factcmp.load.side:SideLoader._build",
        json=(Column("source", _source_json),),
        csv=(Column("source", lambda c: (c.source.outlet or c.source.title or c.source.key)
                    if c.source else None),),
        sqlite=(SqlColumn("source", str, _plain("source"), "where it was reported",
                          refers="sources"),),
    ),
    Facet(
        key="said", attr="said", also=("said_time",), form="a date, or a date and time",
        load="factcmp.load.side:SideLoader._said_times",
        # revision 3: without `said`, the source's `published` is the day it was reported
        json=(Column("said", lambda c: _iso(c.said)),
              Column("said_at", "factcmp.load.when:iso"),
              Column("reported", lambda c: _iso(c.reported))),
        csv=(Column("said", lambda c: _iso(c.said) or "", text=False),
             Column("reported", lambda c: _iso(c.reported) or "", text=False)),
        sqlite=(SqlColumn("said", str, lambda c: _iso(c.said), "the day the claim was made"),
                SqlColumn("said_at", str, "factcmp.load.when:iso", "the moment (ISO 8601), "
                          "when the file gives a time of day; else empty"),
                SqlColumn("reported", str, lambda c: _iso(c.reported), "the day it was "
                          "reported (its source's published date), when it gives no said")),
        changed=lambda date: str(date.isoformat()),
    ),
    Facet(
        key="quote", attr="quote", form="text: the speaker's words",
        load="factcmp.load.side:SideLoader._build", check="text",
        json=(Column("quote", _plain("quote")),), csv=(Column("quote", _plain("quote")),),
        sqlite=(SqlColumn("quote", str, _plain("quote"),
                          "the speaker's words (a translation when `original` is given)"),),
    ),
    Facet(
        key="original", attr="original", form="text: the words as spoken",
        load="factcmp.load.side:SideLoader._build",
        check="factcmp.load.side:SideLoader._check_translation",
        json=(Column("original", _plain("original")),),
        csv=(Column("original", _plain("original")),),
        sqlite=(SqlColumn("original", str, _plain("original"),
                          "the words as spoken, when `quote` translates them"),),
    ),
    Facet(
        key="lang", attr="lang", form="a BCP 47 language tag",
        load="factcmp.load.side:SideLoader._build",
        check="factcmp.load.side:SideLoader._check_translation",
        json=(Column("lang", _plain("lang")),), csv=(Column("lang", _plain("lang")),),
        sqlite=(SqlColumn("lang", str, _plain("lang"), "the language of `original`"),),
    ),
    Facet(
        key="count", attr="count", form="a number, or {min, max, best, words}",
        load="factcmp.load.side:SideLoader._count",
        check="factcmp.load.side:SideLoader._count",
        words=lambda c: f"count {count_shown(c)}" if c.count is not None else None,
        json=(Column("count", lambda c: c.count.as_json() if c.count else None),),
        csv=(Column("count", lambda c: c.count.shown() if c.count else None),),
        sqlite=(
            SqlColumn("count_best", int, lambda c: c.count.best if c.count else None,
                      "the figure the side gave"),
            SqlColumn("count_min", int, lambda c: c.count.low if c.count else None,
                      "the lowest the figure can be"),
            SqlColumn("count_max", int, _count_max, "the highest (empty: no upper bound)"),
            SqlColumn("count_words", str, lambda c: c.count.words if c.count else None,
                      "the speaker's own words for the figure (hundreds), never compared"),
        ),
        changed=lambda count: str(count.shown()),
        compared=True, unchecked=_own_shown,
    ),
    Facet(
        key="unit", attr="unit", form="a short text: kg, metres, rockets (revision 3)",
        check="text", longest=40,
        # shown with its count ("count 5 kg"); alone only when the claim gives no count
        words=lambda c: f"unit {c.unit}" if c.unit and c.count is None else None,
        json=(Column("unit", _plain("unit")),), csv=(Column("unit", _plain("unit")),),
        sqlite=(SqlColumn("unit", str, _plain("unit"),
                          "what the count counts, when not people (empty: people)"),),
        changed=str, compared=True,  # always compared: no unit means people
    ),
    Facet(
        key="subject", attr="subject", form="a side id or a short name", check="text",
        words=_shown("subject ", "subject"),
        json=(Column("subject", _plain("subject")),),
        csv=(Column("subject", _plain("subject")),),
        sqlite=(SqlColumn("subject", str, _plain("subject"),
                          "whose or what the figure or event is about"),),
        changed=str, compared=True, unchecked=_names,
    ),
    Facet(
        key="actor", attr="actor", form="a side id or a short name", check="text",
        words=_shown("actor ", "actor"),
        json=(Column("actor", _plain("actor")),), csv=(Column("actor", _plain("actor")),),
        sqlite=(SqlColumn("actor", str, _plain("actor"), "who did it"),),
        changed=str, compared=True, unchecked=_names,
    ),
    Facet(
        key="places", attr="places", form="a list of names", convert=tuple,
        check="names", item="place",
        words=lambda c: "places " + ", ".join(c.places) if c.places else None,
        json=(Column("places", lambda c: list(c.places) if c.places is not None else None),),
        csv=(Column("places", lambda c: "; ".join(c.places) if c.places else None),),
        sqlite=(SqlColumn("places", str, lambda c: list(c.places) if c.places else None,
                          "where (a JSON list)", listed=True),),
        compared=True, unchecked=_listed, amount="any",
    ),
    Facet(
        key="stance", attr="stance", form="affirms (the default), denies or undetermined",
        choices="affirms, denies or undetermined",
        words=_stance_words,
        json=(Column("stance", lambda c: c.stance_shown),
              Column("stance_given", lambda c: c.stance is not None)),
        csv=(Column("stance", lambda c: c.stance_shown, text=False),),
        sqlite=(SqlColumn("stance", str, _plain("stance"),
                          "affirms, denies or leaves undetermined the topic's proposition "
                          "(empty: affirms)"),),
        changed=str, compared=True,
    ),
    Facet(
        key="period", attr="period", form="{from: DATE, to: DATE}",
        convert=lambda spec: Period(spec.start, spec.end),
        check="factcmp.load.side:SideLoader._check_facets",
        words=lambda c: f"period {c.period.shown()}" if c.period else None,
        json=(Column("period", _period_json),),
        sqlite=(
            SqlColumn("period_from", str, lambda c: _iso(c.period.start) if c.period else None),
            SqlColumn("period_to", str, lambda c: _iso(c.period.end) if c.period else None),
        ),
        compared=True, unchecked=_own_shown,
    ),
    Facet(
        key="status", attr="status", form="current (the default), superseded or retracted",
        choices="current, superseded or retracted",
        json=(Column("status", _plain("status")),),
        csv=(Column("status", _plain("status"), text=False),),
        sqlite=(SqlColumn("status", str, _plain("status"),
                          "current, superseded or retracted, as the file says"),),
        changed=str,
    ),
)  # fmt: skip


BY_KEY: dict[str, Facet] = {facet.key: facet for facet in FACETS}

# --- where each output puts them --------------------------------------------------

# a claim's facets in words, in this order (render.words.facets)
WORDS_LAYOUT = ("stance", "count", "unit", "subject", "actor", "places", "period")
# what an agreement lists as not compared, in this order (compare.judge._unchecked)
UNCHECKED_LAYOUT = ("actor", "count", "subject", "places", "period")
# what `changes` compares, in this order (each facet's attributes: said, said_time)
CHANGES_LAYOUT = (
    "topic", "text", "quote", "original", "lang", "count", "unit", "subject", "actor",
    "places", "stance", "period", "status", "said", "by", "source",
)  # fmt: skip
# a claim in JSON (docs/json.md): its keys, in this order
JSON_LAYOUT = (
    "id", "text", "status", "stance", "stance_given", "said", "said_at", "reported", "speaker",
    "source", "quote", "original", "lang", "statement", "count", "unit", "subject",
    "actor", "places", "period", "file", "line",
)  # fmt: skip
# the CSV of `diff --format csv` (docs/cli.md): its columns, in this order
CSV_LAYOUT = (
    "topic", "label", "verdict", "side", "in_force", "id", "text", "count", "subject",
    "actor", "places", "stance", "status", "said", "speaker", "quote", "original",
    "lang", "source", "file", "line", "reasons",
    "reported", "unit",  # revision 3: new columns go last, so that every column keeps its place
)  # fmt: skip
# the `claims` table of the SQLite export: its columns, in this order
SQLITE_LAYOUT = (
    "id", "side", "claim_id", "topic", "topic_label", "verdict", "in_force", "status",
    "text", "quote", "original", "lang", "speaker", "source", "statement", "said",
    "said_at", "count_best", "count_min", "count_max", "subject", "actor", "places",
    "stance", "period_from", "period_to", "file", "line",
    "reported", "count_words", "unit",  # revision 3: new columns go last
)  # fmt: skip


def in_order(layout: tuple[str, ...]) -> tuple[Facet, ...]:
    """The facets a layout of facet keys names, in its order."""
    return tuple(BY_KEY[key] for key in layout)


def columns(output: Literal["json", "csv"]) -> dict[str, Column]:
    """The columns the facets give in an output, by name."""
    return {c.name: c for facet in FACETS for c in getattr(facet, output)}


def sqlite_columns() -> dict[str, SqlColumn]:
    """The columns the facets give in the SQLite export's `claims` table, by name."""
    return {c.name: c for facet in FACETS for c in facet.sqlite}


# the attributes that make claims distinct to the comparison (compare.judge._distinct)
COMPARED = tuple(facet.attr for facet in FACETS if facet.compared)
