"""factcmp.load.files: claim files to validated claims, and every problem at its place.

Each test writes a small claim file and asserts the exact line and column of each
problem (1-based, columns in characters), and that the message says what to do.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcmp.load.files import load_side, load_sides, load_topics
from factcmp.problems import InputError
from tests.growth import assert_linear
from tests.helpers import CLAIM, HEAD, at, one, problems_of, write

REPO = Path(__file__).resolve().parents[2]


def claim_with(extra: str) -> str:
    """HEAD, then CLAIM with `extra` lines (four-space indented keys) from line 13 on."""
    return HEAD + CLAIM + extra


# --- files that load --------------------------------------------------------------------


@pytest.mark.parametrize("side", ["armenia", "azerbaijan", "russia"])
def test_sample_claim_files_load_with_the_line_of_each_claim(side: str) -> None:
    path = REPO / "claims" / f"{side}.yaml"
    loaded = load_side(path)
    assert loaded.id == side
    assert loaded.claims
    lines = path.read_text(encoding="utf-8").splitlines()
    for claim in loaded.claims:
        assert claim.file == str(path)
        assert lines[claim.line - 1].strip() == f"- id: {claim.id}"


def test_a_full_claim_loads(tmp_path: Path) -> None:
    text = claim_with(
        "    by: pashinyan\n"
        "    source: ap-0914\n"
        "    said: 2022-09-14\n"
        "    count: {best: 105, min: 100, max: 110}\n"
        "    subject: armenia\n"
        "    places: [Jermuk, Verin Shorzha]\n"
        "    stance: denies\n"
        "    status: superseded\n"
        "    period: {from: 2022-09-13, to: 2022-09-14}\n"
        '    quote: "105 of his country\'s troops"\n'
    )
    side = load_side(write(tmp_path, text))
    assert side.id == "armenia"
    assert side.name == "Armenia"
    [claim] = side.claims
    assert claim.line == 10
    assert claim.speaker is not None
    assert claim.speaker.name == "Nikol Pashinyan"
    assert claim.source is not None
    assert claim.source.outlet == "AP"
    assert claim.said == dt.date(2022, 9, 14)
    assert claim.count is not None
    assert (claim.count.low, claim.count.high, claim.count.best) == (100, 110, 105)
    assert claim.places == ("Jermuk", "Verin Shorzha")
    assert claim.stance == "denies"
    assert claim.status == "superseded"
    assert claim.period is not None
    assert claim.period.start == dt.date(2022, 9, 13)


def test_claim_line_is_the_line_of_its_dash_id(tmp_path: Path) -> None:
    text = (
        HEAD
        + "  # a comment\n"  # 10
        + "\n"  # 11
        + "  - id: first\n"  # 12
        + "    topic: t\n"
        + "    text: x\n"
        + "\n"  # 15
        + "  # another\n"  # 16
        + "  - id: second\n"  # 17
        + "    topic: t\n"
        + "    text: y\n"
        + "  - {id: third, topic: t, text: z}\n"  # 20
    )
    side = load_side(write(tmp_path, text))
    assert [(c.id, c.line) for c in side.claims] == [("first", 12), ("second", 17), ("third", 20)]


def test_quoted_yaml_words_stay_text(tmp_path: Path) -> None:
    text = claim_with('    subject: "no"\n    places: ["On", Off-road]\n')
    [claim] = load_side(write(tmp_path, text)).claims
    assert claim.subject == "no"
    assert claim.places == ("On", "Off-road")


def test_side_id_may_be_given(tmp_path: Path) -> None:
    assert load_side(write(tmp_path, claim_with("")), "arm").id == "arm"


# --- YAML-level problems, through load_side ------------------------------------------------


def test_duplicate_key_names_both_positions(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    count: 1\n    count: 2\n"))
    assert at(problem) == (14, 5)
    assert "duplicate key `count` (first at line 13, column 5)" in problem.message
    assert problem.file == str(tmp_path / "armenia.yaml")


def test_alias_is_refused_at_the_alias(tmp_path: Path) -> None:
    text = HEAD + "  - id: &i c1\n    topic: *i\n    text: x\n"
    problem = one(tmp_path, text)
    assert at(problem) == (11, 12)
    assert "alias *i is not allowed" in problem.message


def test_impossible_date(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    said: 2022-09-31\n"))
    assert at(problem) == (13, 11)
    assert "`2022-09-31` is not a real date" in problem.message


def test_date_without_leading_zeros_is_text_and_says_how_to_write_it(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    said: 2022-9-14\n"))
    assert at(problem) == (13, 11)
    assert problem.message == (
        "`said: 2022-9-14` is not a date: write it as YYYY-MM-DD, e.g. 2022-09-14"
    )


def test_datetime_where_a_date_is_wanted(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    source: {outlet: X, published: 2022-09-14T10:00:00}\n"))
    assert at(problem) == (13, 36)
    assert problem.message == "`published` takes a date without a time: write YYYY-MM-DD"


def test_datetime_in_a_period(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    period: {from: 2022-09-13, to: 2022-09-14 10:00:00}\n"))
    assert at(problem) == (13, 36)
    assert "`to` takes a date without a time" in problem.message


def test_python_tag_is_refused_and_not_run(tmp_path: Path) -> None:
    target = tmp_path / "created-by-payload"
    text = claim_with(f'    quote: !!python/object/apply:builtins.open ["{target}", "w"]\n')
    problem = one(tmp_path, text)
    assert at(problem) == (13, 12)
    assert problem.rule == "yaml-tag"
    assert not target.exists()


def test_empty_file(tmp_path: Path) -> None:
    problem = one(tmp_path, "")
    assert at(problem) == (1, 1)
    assert "the file is empty" in problem.message
    assert "`factcmp: 1`" in problem.message


def test_file_of_comments_only_is_empty(tmp_path: Path) -> None:
    assert "the file is empty" in one(tmp_path, "# nothing yet\n\n").message


def test_a_list_instead_of_a_mapping(tmp_path: Path) -> None:
    problem = one(tmp_path, "- id: c1\n  topic: t\n  text: x\n")
    assert at(problem) == (1, 1)
    assert "a claim file is a mapping of `factcmp:`, `side:`" in problem.message


def test_a_scalar_instead_of_a_mapping(tmp_path: Path) -> None:
    assert at(one(tmp_path, "\n\njust some words\n")) == (3, 1)


def test_second_document(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("---\nfactcmp: 1\n"))
    assert at(problem) == (13, 1)
    assert problem.message == "a claim file holds one YAML document: remove the second `---`"


def test_tab_indentation(tmp_path: Path) -> None:
    problem = one(tmp_path, HEAD + "  - id: c1\n    topic: t\n\ttext: x\n")
    assert at(problem) == (12, 1)
    assert "indent with spaces, not tabs" in problem.message


def test_non_utf8_bytes(tmp_path: Path) -> None:
    data = claim_with("    subject: Yerevan\n").encode().replace(b"Yerevan", b"Yer\xe9van")
    problem = one(tmp_path, data)
    assert at(problem) == (13, 17)
    assert problem.message == "byte 0xe9 is not UTF-8 text: save the file as UTF-8"


def test_nul_character(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    quote: a\x00b\n"))
    assert at(problem) == (13, 13)
    assert "control character U+0000" in problem.message


def test_control_character_after_azerbaijani_text(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    quote: Azərbaycan Respublikası\x07\n"))
    assert at(problem) == (13, 35)


def test_line_separator_pasted_into_a_text(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    quote: first\u2028second\n    subject: x\n"))
    assert at(problem) == (13, 17)
    assert "LINE SEPARATOR (U+2028)" in problem.message


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_side(tmp_path / "missing.yaml")
    [problem] = info.value.problems
    assert problem.rule == "io"
    assert "cannot read the file" in problem.message


# --- non-ASCII text before a problem -------------------------------------------------------


def test_column_after_armenian_text_counts_characters(tmp_path: Path) -> None:
    line = "  - {id: c1, topic: t, text: Հայաստանի զինված ուժեր, cout: 1}\n"
    assert line.index("cout") + 1 == 54  # characters; in UTF-8 bytes it is 75
    problem = one(tmp_path, HEAD + line)
    assert at(problem) == (10, 54)
    assert problem.message == "unknown key `cout`: did you mean `count`?"


def test_column_after_azerbaijani_text_counts_characters(tmp_path: Path) -> None:
    line = "  - {id: c1, topic: t, text: Azərbaycan Silahlı Qüvvələri, said: 2022-02-30}\n"
    assert line.index("2022") + 1 == 66
    problem = one(tmp_path, HEAD + line)
    assert at(problem) == (10, 66)
    assert problem.rule == "yaml-bad-date"


def test_column_after_armenian_key_in_block_style(tmp_path: Path) -> None:
    text = claim_with("    quote: «Հայաստան» ասաց\n    count: շատ\n")
    problem = one(tmp_path, text)
    assert at(problem) == (14, 12)
    assert "`count: շատ` is not a number" in problem.message


# --- wrong types ---------------------------------------------------------------------------


def test_count_that_is_a_word(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    count: many\n"))
    assert at(problem) == (13, 12)
    assert problem.message == (
        "`count: many` is not a number: write digits only, e.g. `count: 105`, "
        "or an interval, e.g. `count: {min: 100, max: 110}`"
    )


def test_count_with_thousands_separator(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    count: 1,200\n"))
    assert at(problem) == (13, 12)
    assert "`count: 1,200` is not a number" in problem.message


def test_count_that_is_a_boolean(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    count: yes\n"))
    assert at(problem) == (13, 12)
    assert (
        problem.message
        == "`count` must be a number or a mapping (`key: value` lines), not a yes/no value"
    )


def test_places_as_text_instead_of_a_list(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    places: Jermuk\n"))
    assert at(problem) == (13, 13)
    assert problem.message == "`places` must be a list, not text"


def test_claim_that_is_text(tmp_path: Path) -> None:
    problem = one(tmp_path, HEAD + "  - Azerbaijan shelled Jermuk\n")
    assert at(problem) == (10, 5)
    assert problem.message.startswith("a claim is a mapping of `id:`, `topic:`, `text:`")


def test_claims_that_is_a_mapping(tmp_path: Path) -> None:
    problem = one(tmp_path, HEAD + "  c1: {topic: t, text: x}\n")
    assert at(problem) == (10, 3)
    assert problem.message == "`claims` must be a list of claims (`- id: ...`)"


def test_speaker_that_is_text(tmp_path: Path) -> None:
    text = HEAD.replace("  mod: {name: Ministry of Defence}", "  mod: Ministry of Defence")
    problem = one(tmp_path, text)
    assert at(problem) == (5, 8)
    assert problem.message == "`mod` must be a mapping (`key: value` lines), not text"


# --- YAML 1.1 words and numbers where text is wanted -----------------------------------------


def test_subject_no_is_a_boolean_and_must_be_quoted(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    subject: no\n"))
    assert at(problem) == (13, 14)
    assert problem.message == (
        '`no` is read by YAML as a yes/no value, but `subject` takes text: put it in quotes: "no"'
    )


def test_place_on_is_a_boolean_and_must_be_quoted(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    places: [Jermuk, On]\n"))
    assert at(problem) == (13, 22)
    assert 'put it in quotes: "On"' in problem.message
    assert "`places`" in problem.message


def test_id_010_is_a_number_and_must_be_quoted(tmp_path: Path) -> None:
    problem = one(tmp_path, HEAD + "  - id: 010\n    topic: t\n    text: x\n")
    assert at(problem) == (10, 9)
    assert problem.message == (
        '`010` is read by YAML as a number, but `id` takes text: put it in quotes: "010"'
    )


def test_alias_word_that_is_a_date(tmp_path: Path) -> None:
    text = HEAD.replace("  name: Armenia\n", "  name: Armenia\n  aliases: [Yerevan, 2022-09-14]\n")
    problem = one(tmp_path, text)
    assert at(problem) == (4, 22)
    assert 'read by YAML as a date, but `aliases` takes text: put it in quotes: "2022-09-14"' in (
        problem.message
    )


@pytest.mark.parametrize(
    ("written", "read_as"),
    [("010", "8"), ("0x10", "16"), ("12:30", "750"), ("0b11", "3")],
)
def test_count_in_a_yaml_1_1_number_form_is_refused(
    tmp_path: Path, written: str, read_as: str
) -> None:
    # these used to load silently as 8, 16, 750 and 3
    problem = one(tmp_path, claim_with(f"    count: {written}\n"))
    assert at(problem) == (13, 12)
    assert f"`count: {written}` is read by YAML as {read_as}" in problem.message
    assert "plain digits" in problem.message


def test_count_with_underscores_and_exponent_is_plain(tmp_path: Path) -> None:
    text = claim_with("    count: {min: 1_000, max: 1.5e+3}\n")
    [claim] = load_side(write(tmp_path, text)).claims
    assert claim.count is not None
    assert (claim.count.low, claim.count.high) == (1000, 1500)


# --- unknown keys --------------------------------------------------------------------------


def test_unknown_key_in_a_claim(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    cout: 105\n"))
    assert at(problem) == (13, 5)
    assert problem.message == "unknown key `cout`: did you mean `count`?"
    assert problem.rule == "unknown-key"


def test_unknown_top_level_key(tmp_path: Path) -> None:
    problem = one(tmp_path, HEAD.replace("sources:", "sorces:") + CLAIM)
    assert at(problem) == (7, 1)
    assert problem.message == "unknown key `sorces`: did you mean `sources`?"


def test_unknown_top_level_key_without_a_close_match(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("zzz: 1\n"))
    assert at(problem) == (13, 1)
    assert (
        "expected one of: factcmp, side, speakers, sources, statements, claims" in problem.message
    )


def test_unknown_key_in_side(tmp_path: Path) -> None:
    text = HEAD.replace("  name: Armenia\n", "  name: Armenia\n  alias: [Yerevan]\n")
    problem = one(tmp_path, text)
    assert at(problem) == (4, 3)
    assert problem.message == "unknown key `alias`: did you mean `aliases`?"


def test_unknown_key_in_a_speaker(tmp_path: Path) -> None:
    text = HEAD.replace("{name: Ministry of Defence}", "{nme: Ministry of Defence}")
    found = problems_of(write(tmp_path, text))
    assert [(at(p), p.message) for p in found] == [
        ((5, 8), "this `mod` has no `name:`: add one"),
        ((5, 9), "unknown key `nme`: did you mean `name`?"),
    ]


def test_unknown_key_in_a_source(tmp_path: Path) -> None:
    problem = one(tmp_path, HEAD.replace("{outlet: AP}", "{outlt: AP}") + CLAIM)
    assert at(problem) == (8, 13)
    assert problem.message == "unknown key `outlt`: did you mean `outlet`?"


def test_unknown_key_in_an_inline_source(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    source: {outlet: AP, titel: x}\n"))
    assert at(problem) == (13, 26)
    assert problem.message == "unknown key `titel`: did you mean `title`?"


def test_unknown_key_in_a_count(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    count: {best: 1, mni: 0}\n"))
    assert at(problem) == (13, 22)
    assert problem.message == "unknown key `mni`: did you mean `min`?"


def test_unknown_key_in_a_period(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    period:\n      form: 2022-09-13\n"))
    assert at(problem) == (14, 7)
    assert problem.message == "unknown key `form`: did you mean `from`?"


def test_invisible_character_in_a_key_is_shown(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    \u200bcount: 1\n"))
    assert at(problem) == (13, 5)
    assert problem.message == "unknown key `\\u200bcount`: did you mean `count`?"


# --- required fields and values --------------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "kept"),
    [
        ("id", "    topic: t\n    text: x\n"),
        ("topic", "    id: c1\n    text: x\n"),
        ("text", "    id: c1\n    topic: t\n"),
    ],
)
def test_missing_required_field(tmp_path: Path, missing: str, kept: str) -> None:
    problem = one(tmp_path, HEAD + "  -\n" + kept)
    assert at(problem) == (11, 5)
    assert problem.message == f"this claim has no `{missing}:`: add one"


def test_missing_side_and_version(tmp_path: Path) -> None:
    found = problems_of(write(tmp_path, "claims: []\n"))
    assert [(at(p), p.message) for p in found] == [
        ((1, 1), "`factcmp:` is missing: add it at the top level"),
        ((1, 1), "`side:` is missing: add it at the top level"),
    ]


def test_empty_text(tmp_path: Path) -> None:
    text = HEAD + '  - id: c1\n    topic: t\n    text: ""\n'
    problem = one(tmp_path, text)
    assert at(problem) == (12, 11)
    assert problem.message == "`text` is empty: fill it in"


def test_text_left_blank(tmp_path: Path) -> None:
    # used to advise "or remove the line", which would make `text:` missing
    text = HEAD + "  - id: c1\n    topic: t\n    text:\n"
    problem = one(tmp_path, text)
    assert at(problem) == (12, 10)  # where the value is missing, right after `text:`
    assert problem.message == "`text` is empty: fill it in"


def test_whitespace_only_id(tmp_path: Path) -> None:
    problem = one(tmp_path, HEAD + '  - id: "  "\n    topic: t\n    text: x\n')
    assert at(problem) == (10, 9)
    assert problem.message == "`id` is empty: fill it in"


def test_stance_deny(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    stance: deny\n"))
    assert at(problem) == (13, 13)
    assert problem.message == "`deny` is not a valid stance: use affirms, denies or undetermined"


def test_status_old(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    status: old\n"))
    assert at(problem) == (13, 13)
    assert problem.message == "`old` is not a valid status: use current, superseded or retracted"


def test_format_version_2(tmp_path: Path) -> None:
    problem = one(tmp_path, ("factcmp: 2\n" + HEAD[len("factcmp: 1\n") :]) + CLAIM)
    assert at(problem) == (1, 10)
    assert problem.message == (
        "`factcmp: 2` is not a format version this factcmp reads: write `factcmp: 1`"
    )


def test_format_version_shows_what_the_file_says(tmp_path: Path) -> None:
    # used to show Python's `True`
    problem = one(tmp_path, ("factcmp: yes\n" + HEAD[len("factcmp: 1\n") :]) + CLAIM)
    assert at(problem) == (1, 10)
    assert problem.message.startswith("`factcmp: yes` is not a format version")


def test_a_quoted_format_version_says_to_drop_the_quotes(tmp_path: Path) -> None:
    problem = one(tmp_path, ('factcmp: "1"\n' + HEAD[len("factcmp: 1\n") :]) + CLAIM)
    assert at(problem) == (1, 10)
    assert problem.message == (
        '`factcmp: "1"` is in quotes, which makes it text: the version is a number; '
        "write `factcmp: 1` without quotes"
    )


def test_facets_set_to_nothing(tmp_path: Path) -> None:
    # these used to load: `places: []` then "differed" from every list of places
    text = claim_with(
        "    places: []\n"  # 13
        "    subject: ' '\n"
        "    actor: ''\n"
        "    by: ''\n"  # 16
        "    period: {}\n"
        "  - id: c2\n"  # 18
        "    topic: t\n"
        "    text: y\n"
        "    places: [Jermuk, '']\n"  # 21
        "    period: {from: 2022-09-14, to: 2022-09-01}\n"
    )
    found = problems_of(write(tmp_path, text))
    assert [(at(p), p.message) for p in found] == [
        ((13, 13), "`places` is an empty list: name at least one place or remove the line"),
        ((14, 14), "`subject` is empty: fill it in or remove the line"),
        ((15, 12), "`actor` is empty: fill it in or remove the line"),
        ((16, 9), "`by` is empty: fill it in or remove the line"),
        ((17, 13), "a period needs `from`, `to` or both"),
        ((21, 22), "this place is empty: name it"),
        ((22, 13), "`from: 2022-09-14` is after `to: 2022-09-01`: swap them"),
    ]


# --- counts -----------------------------------------------------------------------------


def test_negative_count(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    count: -5\n"))
    assert at(problem) == (13, 12)
    assert problem.message == "`count: -5` must be zero or more"


def test_negative_min(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    count: {min: -1, max: 10}\n"))
    assert at(problem) == (13, 18)
    assert problem.message == "`min: -1` must be zero or more"


def test_min_above_max(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    count: {min: 110, max: 100}\n"))
    assert at(problem) == (13, 12)
    assert problem.message == "`min: 110` is above `max: 100`: swap them"


def test_best_outside_the_interval(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    count: {best: 5, min: 10, max: 20}\n"))
    assert at(problem) == (13, 19)
    assert problem.message == "`best: 5` lies outside min..max"


def test_count_mapping_without_numbers(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    count: {}\n"))
    assert at(problem) == (13, 12)
    assert problem.message == "a count mapping needs `best`, `min` or `max`"


@pytest.mark.parametrize("written", [".inf", "-.inf", ".nan", ".NaN"])
def test_count_that_is_not_finite(tmp_path: Path, written: str) -> None:
    problem = one(tmp_path, claim_with(f"    count: {written}\n"))
    assert at(problem) == (13, 12)
    assert problem.message == f"`count: {written}` must be a finite number"


def test_count_too_large_for_a_float(tmp_path: Path) -> None:
    # used to escape as OverflowError from math.isfinite
    problem = one(tmp_path, claim_with("    count: 1" + "0" * 400 + "\n"))
    assert at(problem) == (13, 12)
    assert "is too large to be a count" in problem.message


# --- references --------------------------------------------------------------------------------


def test_unknown_speaker_with_did_you_mean(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    by: mdo\n"))
    assert at(problem) == (13, 9)
    assert (
        problem.message
        == "`by: mdo` names nothing under `speakers:` in this file: did you mean `mod`?"
    )
    assert problem.rule == "unknown-speaker"


def test_unknown_source_with_did_you_mean(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    source: ap-0915\n"))
    assert at(problem) == (13, 13)
    assert problem.message == (
        "`source: ap-0915` names nothing under `sources:` in this file: did you mean `ap-0914`?"
    )
    assert problem.rule == "unknown-source"


def test_unknown_source_lists_the_choices(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with("    source: reuters\n"))
    assert problem.message == (
        "`source: reuters` names nothing under `sources:` in this file: "
        "use one of ap-0914, or add it under `sources:`"
    )


def test_speaker_reference_in_a_file_without_speakers(tmp_path: Path) -> None:
    text = "factcmp: 1\nside: {name: A}\nclaims:\n  - {id: c, topic: t, text: x, by: mod}\n"
    problem = one(tmp_path, text)
    assert at(problem) == (4, 36)
    assert (
        problem.message
        == "`by: mod` names nothing under `speakers:` in this file: add it under `speakers:`"
    )


def test_speaker_with_a_problem_still_counts_as_declared(tmp_path: Path) -> None:
    # the reference used to be reported too, as if `mod` were not declared at all
    text = HEAD.replace("{name: Ministry of Defence}", "{name: Ministry, rol: x}")
    found = problems_of(write(tmp_path, text + CLAIM + "    by: mod\n"))
    assert [(at(p), p.message) for p in found] == [
        ((5, 25), "unknown key `rol`: did you mean `role`?"),
    ]


def test_broken_speakers_section_does_not_flag_every_reference(tmp_path: Path) -> None:
    text = (
        "factcmp: 1\nside:\n  name: Armenia\nspeakers:\n  - mod\nsources:\n"
        "  ap-0914: {outlet: AP}\nclaims:\n"
    )
    found = problems_of(write(tmp_path, text + CLAIM + "    by: mod\n"))
    assert [(at(p), p.rule) for p in found] == [((5, 3), "type")]


def test_reference_with_a_newline_stays_on_one_line(tmp_path: Path) -> None:
    problem = one(tmp_path, claim_with('    by: "mod\\n\\u001b[2J"\n'))
    assert at(problem) == (13, 9)
    assert "\n" not in problem.message
    assert "\x1b" not in problem.message
    assert "`by: mod\\n\\x1b[2J`" in problem.message


# --- claim ids and the undated-count rule --------------------------------------------------


def test_duplicate_claim_ids_name_both_lines(tmp_path: Path) -> None:
    text = HEAD + CLAIM + "  - id: c1\n    topic: t\n    text: y\n"
    problem = one(tmp_path, text)
    assert at(problem) == (13, 9)
    assert "claim id `c1` is used twice in this file (first at line 10)" in problem.message


def test_duplicate_id_of_a_claim_with_another_problem(tmp_path: Path) -> None:
    # duplicate ids and references used to be checked only on claims that validated
    text = HEAD + CLAIM + "  - id: c1\n    topic: t\n    text: y\n    count: many\n    by: mdo\n"
    found = problems_of(write(tmp_path, text))
    assert [(at(p), p.rule) for p in found] == [
        ((13, 9), "duplicate-id"),
        ((16, 12), "type"),
        ((17, 9), "unknown-speaker"),
    ]


def undated_pair(first_extra: str = "", second_extra: str = "    said: 2022-09-15\n") -> str:
    return (
        HEAD
        + "  - id: killed-early\n"  # 10
        + "    topic: casualties.military\n"
        + "    text: 50 troops killed.\n"
        + "    count: 50\n"
        + "    subject: armenia\n"
        + first_extra
        + "  - id: killed-later\n"
        + "    topic: casualties.military\n"
        + "    text: 105 troops killed.\n"
        + "    count: 105\n"
        + "    subject: Armenia\n"
        + second_extra
    )


def test_undated_count_among_counts_on_the_same_topic_and_subject(tmp_path: Path) -> None:
    problem = one(tmp_path, undated_pair())
    assert at(problem) == (10, 5)
    assert problem.rule == "undated-count"
    assert "claim `killed-early` gives a count on topic `casualties.military`" in problem.message
    assert "claim `killed-later` (line 15, column 5)" in problem.message
    assert "`said:` date" in problem.message


def test_two_undated_counts_are_both_reported(tmp_path: Path) -> None:
    found = problems_of(write(tmp_path, undated_pair(second_extra="")))
    assert [at(p) for p in found] == [(10, 5), (15, 5)]
    assert "(line 15, column 5)" in found[0].message
    assert "(line 10, column 5)" in found[1].message


@pytest.mark.parametrize(
    ("first_extra", "second_extra"),
    [
        ("    said: 2022-09-14\n", "    said: 2022-09-15\n"),  # both dated
        ("    status: superseded\n", "    said: 2022-09-15\n"),  # the undated one replaced
        ("    status: retracted\n", ""),
        ("", "    status: superseded\n"),
    ],
)
def test_undated_count_that_is_allowed(tmp_path: Path, first_extra: str, second_extra: str) -> None:
    side = load_side(write(tmp_path, undated_pair(first_extra, second_extra)))
    assert [c.id for c in side.claims] == ["killed-early", "killed-later"]


def test_undated_counts_on_different_subjects_are_allowed(tmp_path: Path) -> None:
    text = undated_pair(second_extra="").replace("subject: Armenia", "subject: azerbaijan")
    assert len(load_side(write(tmp_path, text)).claims) == 2


# --- all problems at once ------------------------------------------------------------------


def test_every_problem_of_a_file_at_once(tmp_path: Path) -> None:
    text = (
        "factcmp: 2\n"  # 1
        "side:\n"
        "  nam: Armenia\n"  # 3
        "speakers:\n"
        "  mod: {name: Ministry of Defence}\n"
        "claims:\n"
        "  - id: c1\n"  # 7
        "    topic: t\n"
        "    text: x\n"
        "    stance: deny\n"  # 10
        "    status: old\n"
        "    cout: 1\n"
        "    count: many\n"  # 13
        "  - id: c2\n"
        "    topic: t\n"
        "    text: y\n"
        "    by: mdo\n"  # 17
        "  - id: c1\n"  # 18
        "    topic: t\n"
        "    text: z\n"
        "    said: 2022-9-14\n"  # 21
    )
    found = problems_of(write(tmp_path, text))
    assert [(at(p), p.rule) for p in found] == [
        ((1, 10), "version"),
        ((3, 3), "missing"),
        ((3, 3), "unknown-key"),
        ((10, 13), "value"),
        ((11, 13), "value"),
        ((12, 5), "unknown-key"),
        ((13, 12), "type"),
        ((17, 9), "unknown-speaker"),
        ((18, 9), "duplicate-id"),
        ((21, 11), "date"),
    ]


def test_yaml_problems_are_reported_together(tmp_path: Path) -> None:
    text = claim_with(
        "    said: 2022-02-30\n    count: 1\n    count: 2\n    quote: !!binary eA==\n"
    )
    found = problems_of(write(tmp_path, text))
    assert [(at(p), p.rule) for p in found] == [
        ((13, 11), "yaml-bad-date"),
        ((15, 5), "yaml-duplicate-key"),
        ((16, 12), "yaml-tag"),
    ]


def test_problems_of_two_files_are_reported_together(tmp_path: Path) -> None:
    armenia = write(tmp_path, claim_with("    count: -1\n"), "armenia.yaml")
    azerbaijan = write(tmp_path, "factcmp: 1\nside: {nme: Azerbaijan}\n", "azerbaijan.yaml")
    good = write(tmp_path, claim_with(""), "russia.yaml")
    with pytest.raises(InputError) as info:
        load_sides([("armenia", armenia), ("russia", good), ("azerbaijan", azerbaijan)])
    assert [(p.file, at(p), p.rule) for p in info.value.problems] == [
        (str(armenia), (13, 12), "count"),
        (str(azerbaijan), (2, 7), "missing"),
        (str(azerbaijan), (2, 8), "unknown-key"),
    ]


def test_load_sides_loads_good_files(tmp_path: Path) -> None:
    a = write(tmp_path, claim_with(""), "a.yaml")
    b = write(tmp_path, claim_with(""), "b.yaml")
    assert [s.id for s in load_sides([("one", a), ("two", b)])] == ["one", "two"]


# --- hostile sizes ------------------------------------------------------------------------


def _many_problems(tmp_path: Path, n: int) -> Path:
    """10 n unknown keys, n speakers and n claims naming a speaker that is not there."""
    keys = "".join(f"k{i}: 1\n" for i in range(10 * n))
    speakers = "".join(f"  s{i}: {{name: x}}\n" for i in range(n))
    refs = "".join(f"  - {{id: c{i}, topic: t, text: x, by: zz{i}}}\n" for i in range(n))
    text = "factcmp: 1\nside: {name: A}\n" + keys + "speakers:\n" + speakers + "claims:\n" + refs
    return write(tmp_path, text, f"n{n}.yaml")


def test_many_problems_are_found_in_linear_time(tmp_path: Path) -> None:
    # finding a key's position used to rescan its mapping for every problem: 20,000
    # unknown keys took 15 s; and did-you-mean compared each bad reference with every
    # speaker
    assert_linear(lambda n: _many_problems(tmp_path, n), problems_of, 125)
    found = problems_of(_many_problems(tmp_path, 1_000))
    assert len(found) == 11_000
    assert at(found[0]) == (3, 1)
    assert (
        found[-1].message
        == "`by: zz999` names nothing under `speakers:` in this file: add it under `speakers:`"
    )


# --- topics.yaml ------------------------------------------------------------------------------


def test_topics_file(tmp_path: Path) -> None:
    text = (
        "factcmp: 1\ntopics:\n  casualties.military:\n    label: Military deaths\n"
        "    tolerance: 5%\n  shelling: {tolerance: 3}\n"
    )
    topics = load_topics(write(tmp_path, text, "topics.yaml"))
    assert list(topics) == ["casualties.military", "shelling"]
    assert topics["casualties.military"].label == "Military deaths"
    assert topics["casualties.military"].tolerance.percent
    assert topics["shelling"].tolerance.value == 3


def test_topics_file_problems(tmp_path: Path) -> None:
    text = (
        "factcmp: 1\n"
        "topics:\n"
        "  a: {lable: x}\n"  # 3
        "  b: {tolerance: -5%}\n"  # 4
        "  c: {tolerance: 1" + "0" * 400 + "}\n"  # 5
        "  d: {tolerance: .nan}\n"  # 6
    )
    with pytest.raises(InputError) as info:
        load_topics(write(tmp_path, text, "topics.yaml"))
    found = info.value.problems
    assert [(at(p), p.rule) for p in found] == [
        ((3, 7), "unknown-key"),
        ((4, 18), "value"),
        ((5, 18), "value"),
        ((6, 18), "value"),
    ]
    assert found[0].message == "unknown key `lable`: did you mean `label`?"
    assert found[1].message.startswith("tolerance `-5%` is not understood")


# --- random claim files -----------------------------------------------------------------

PIECES = [
    HEAD,
    CLAIM,
    "claims:\n",
    "  - id: ",
    "    topic: ",
    "    text: ",
    "    count: ",
    "    said: ",
    "    by: ",
    "    source: ",
    "    places: ",
    "    period: ",
    "    stance: ",
    "    status: ",
    "    subject: ",
    "{min: ",
    "max: ",
    "best: ",
    "{from: ",
    "to: ",
    "cout: ",
    "}",
    "[",
    "]",
    ", ",
    "\n",
    "  ",
    "- ",
    "mod",
    "ap-0914",
    "c1",
    "x",
    "''",
    "no",
    "On",
    "010",
    "12:30",
    "-1",
    ".inf",
    "1" + "0" * 400,
    "2022-09-14",
    "2022-09-31",
    "2022-9-14",
    "2022-09-14T10:00:00",
    "deny",
    "superseded",
    "&a ",
    "*a",
    "!!python/object/apply:os.system ",
    "!!int ",
    "Հայաստան",
    "\t",
    "\x00",
    "\u2028",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_random_claim_files_load_or_give_positioned_problems(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("random") / "armenia.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_side(path)
    except InputError as exc:
        found = exc.problems
    else:
        return
    assert found
    for problem in found:
        assert problem.line >= 1
        assert problem.col >= 1
        assert "\n" not in problem.message
