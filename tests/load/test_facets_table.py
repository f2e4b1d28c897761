"""The table of facets (factcmp.facets) agrees with Claim and with the schema, every
layout of an output names each facet's columns once, and every facet reaches every
output the table says it does: a facet missing from the table, from Claim or from
ClaimSpec, or a column in no layout, fails here."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import typing
from pathlib import Path

import msgspec
import pytest

from factcmp import facets
from factcmp.facets import FACETS, Facet, resolve
from factcmp.load.schema import ClaimSpec
from factcmp.model import Claim

# a claim's attributes that say where it is, not what it claims: no facet fills them
WHERE = {"side", "file", "line"}
# the columns each output fills itself (the topic, the verdict, where the claim is)
OWN = {
    "json": {"file", "line"},
    "csv": {"topic", "label", "verdict", "side", "in_force", "file", "line", "reasons"},
    "sqlite": {"id", "side", "topic_label", "verdict", "in_force", "file", "line"},
}
LAYOUT = {"json": facets.JSON_LAYOUT, "csv": facets.CSV_LAYOUT, "sqlite": facets.SQLITE_LAYOUT}


def test_the_table_has_the_schemas_keys_in_its_order() -> None:
    fields = msgspec.structs.fields(ClaimSpec)
    assert [facet.key for facet in FACETS] == [field.encode_name for field in fields]
    assert {f.key: f.required for f in FACETS} == {f.encode_name: f.required for f in fields}


def test_every_claim_attribute_that_is_a_facet_is_in_the_table_once() -> None:
    attributes = [attr for facet in FACETS for attr in facet.attrs]
    assert len(attributes) == len(set(attributes))
    assert set(attributes) == {f.name for f in msgspec.structs.fields(Claim)} - WHERE


def test_the_allowed_values_are_the_schemas() -> None:
    """The words a message gives for the allowed values name every one of them."""
    types = typing.get_type_hints(ClaimSpec)
    for facet in FACETS:
        values = literal_values(types[facet.key])
        if values:
            assert facet.choices is not None, facet.key
            assert [v for v in values if str(v) not in facet.choices] == [], facet.key
        else:
            assert facet.choices is None, facet.key


def literal_values(kind: object) -> list[object]:
    """The values of the Literal types in a type (`Literal["a", "b"] | None`)."""
    if typing.get_origin(kind) is typing.Literal:
        return list(typing.get_args(kind))
    return [value for arg in typing.get_args(kind) for value in literal_values(arg)]


@pytest.mark.parametrize("output", ["json", "csv", "sqlite"])
def test_each_column_layout_names_every_facets_columns_once(output: str) -> None:
    layout = LAYOUT[output]
    assert len(layout) == len(set(layout))
    given = [c.name for facet in FACETS for c in getattr(facet, output)]
    assert len(given) == len(set(given))
    assert set(layout) - OWN[output] == set(given)
    assert not OWN[output] & set(given)


@pytest.mark.parametrize(
    ("layout", "has"),
    [
        (facets.WORDS_LAYOUT, lambda f: f.words is not None),
        (facets.UNCHECKED_LAYOUT, lambda f: f.unchecked is not None),
        (facets.CHANGES_LAYOUT, lambda f: f.changes),
    ],
)
def test_each_facet_layout_names_the_facets_that_show_there(
    layout: tuple[str, ...], has: typing.Callable[[Facet], bool]
) -> None:
    assert len(layout) == len(set(layout))
    assert set(layout) == {facet.key for facet in FACETS if has(facet)}


def test_what_an_agreement_lists_as_not_compared_is_compared() -> None:
    assert all(facets.BY_KEY[key].compared for key in facets.UNCHECKED_LAYOUT)


def test_every_reference_to_code_names_code_that_exists() -> None:
    references: list[object] = [f.load for f in FACETS]
    references += [f.check for f in FACETS]
    references += [c.value for f in FACETS for c in (*f.json, *f.csv)]
    references += [c.value for f in FACETS for c in f.sqlite]
    named = [r for r in references if isinstance(r, str) and ":" in r]
    assert named  # the table does name some
    for reference in named:
        assert callable(resolve(reference)), reference
    checks = {f.check for f in FACETS if f.check and ":" not in f.check}
    assert checks == {"required", "text", "names"}
    assert all(f.item for f in FACETS if f.check == "names")


# --- every facet reaches every output: a claim that gives them all -----------------

# A value for every key of a claim. A facet added to the table without a value here
# fails `test_the_claim_gives_every_facet`.
EVERY = """\
  - id: every-facet
    topic: casualties.military
    text: Every facet, given.
    by: mod
    source: ap
    said: 2022-09-14T10:30+04:00
    quote: "105 of his country's troops"
    original: "105 военнослужащих"
    lang: ru
    count: {best: 105, min: 100, max: 110, words: about a hundred}
    unit: troops
    subject: armenia
    actor: azerbaijan
    places: [Jermuk, Goris]
    stance: affirms
    period: {from: 2022-09-13, to: 2022-09-14}
    status: current
  - id: from-statement
    topic: casualties.military
    text: A claim that takes who, where and when from its statement.
    statement: briefing
"""
SIDE = """\
factcmp: 1
side: {name: Armenia}
speakers:
  mod: {name: Ministry of Defence}
sources:
  ap: {outlet: AP, title: Clashes, published: 2022-09-14}
statements:
  # no `said`: its claim is reported on its source's date (revision 3)
  briefing: {by: mod, source: ap}
claims:
"""
OTHER = """\
factcmp: 1
side: {name: Azerbaijan}
claims:
  - {id: other, topic: casualties.military, text: Another figure., count: 50}
"""


@pytest.fixture
def claims(tmp_path: Path) -> Path:
    folder = tmp_path / "claims"
    folder.mkdir()
    (folder / "armenia.yaml").write_text(SIDE + EVERY, encoding="utf-8")
    (folder / "azerbaijan.yaml").write_text(OTHER, encoding="utf-8")
    return folder


def factcmp(*args: str, cwd: Path) -> str:
    done = subprocess.run(["factcmp", *args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_claim_gives_every_facet() -> None:
    given = {line.split(":")[0].strip(" -") for line in EVERY.splitlines()}  # both claims
    assert given == {facet.key for facet in FACETS}


def test_every_facet_reaches_json_csv_and_sqlite(claims: Path) -> None:
    folder = claims.parent
    out = json.loads(factcmp("diff", "--format", "json", cwd=folder))
    (topic,) = out["topics"]
    given = topic["claims"]["armenia"]
    assert [list(claim) for claim in given] == [list(facets.JSON_LAYOUT)] * 2
    for facet in FACETS:
        for column in facet.json:
            assert any(c[column.name] not in (None, [], {}) for c in given), column.name

    rows = list(csv.reader(io.StringIO(factcmp("diff", "--format", "csv", cwd=folder))))
    assert rows[0] == list(facets.CSV_LAYOUT)
    given = [dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[3] == "armenia"]
    assert len(given) == 2
    for facet in FACETS:
        for column in facet.csv:
            assert any(row[column.name] for row in given), column.name

    factcmp("export", "sqlite", "out.db", cwd=folder)
    db = sqlite3.connect(folder / "out.db")
    db.row_factory = sqlite3.Row
    names = [r[1] for r in db.execute("pragma table_info(claims)")]
    assert names == list(facets.SQLITE_LAYOUT)
    found = db.execute("select * from claims where side = 'armenia'").fetchall()
    db.close()
    assert len(found) == 2
    for facet in FACETS:
        for sql in facet.sqlite:
            assert any(row[sql.name] is not None for row in found), sql.name


def test_changes_lists_every_facet_it_compares(claims: Path) -> None:
    """Every facet `changes` compares, changed at once in one claim: each of its
    attributes is listed, in the table's order."""
    folder = claims.parent
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=folder, check=True)
    subprocess.run([*git, "add", "-A"], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-qm", "before"], cwd=folder, check=True)
    changed = {
        "topic: casualties.military": "topic: casualties.civilian",
        "text: Every facet, given.": "text: Every facet, changed.",
        "by: mod": "by: spokesman",
        "source: ap": "source: rferl",
        "said: 2022-09-14T10:30+04:00": "said: 2022-09-15T11:00+04:00",
        'quote: "105 of': 'quote: "106 of',
        'original: "105': 'original: "106',
        "lang: ru": "lang: hy",
        "best: 105": "best: 106",
        "unit: troops": "unit: soldiers",
        "subject: armenia": "subject: russia",
        "actor: azerbaijan": "actor: russia",
        "Jermuk, Goris": "Jermuk",
        "stance: affirms": "stance: denies",
        "to: 2022-09-14": "to: 2022-09-15",
        "status: current": "status: superseded",
    }
    side = SIDE.replace("  mod: {", "  spokesman: {name: Spokesman}\n  mod: {")
    side = side.replace("  ap: {", "  rferl: {outlet: RFE/RL}\n  ap: {")
    claim, rest = EVERY.split("  - id: from-statement")
    for before, after in changed.items():
        assert claim.count(before) == 1, before
        claim = claim.replace(before, after)
    text = side + claim + "  - id: from-statement" + rest
    (claims / "armenia.yaml").write_text(text, encoding="utf-8")
    out = json.loads(factcmp("changes", "--format", "json", cwd=folder))
    (change,) = out["claims"]["changed"]
    expected = [a for f in facets.in_order(facets.CHANGES_LAYOUT) for a in f.attrs]
    assert change["fields"] == expected
