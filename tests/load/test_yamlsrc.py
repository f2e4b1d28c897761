"""factcmp.load.yamlsrc: safe YAML parsing with positions, on hostile and broken input.

Every failure must be an `InputError` whose problems carry the exact 1-based line and
column a curator's editor shows; nothing else may escape, and no tag is ever executed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcmp.load.yamlsrc import Document, parse, read_text, shown
from factcmp.problems import InputError, Problem
from tests.growth import assert_linear


def problems(text: str) -> list[Problem]:
    with pytest.raises(InputError) as info:
        parse(text, "f.yaml")
    return info.value.problems


def one(text: str) -> Problem:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def at(problem: Problem) -> tuple[int, int]:
    return problem.line, problem.col


# --- plain values -------------------------------------------------------------------


def test_plain_values_keep_yaml_meaning() -> None:
    doc = parse("a: 1\nb: no\nc: 2022-09-14\nd: [x, 'y']\ne: ~\nf: 1.5\ng: 010\n", "f.yaml")
    assert doc.value == {
        "a": 1,
        "b": False,
        "c": dt.date(2022, 9, 14),
        "d": ["x", "y"],
        "e": None,
        "f": 1.5,
        "g": 8,
    }


def test_empty_text_has_no_value() -> None:
    assert parse("", "f.yaml").value is None
    assert parse("# just a comment\n", "f.yaml").value is None


def test_date_with_one_digit_month_is_text_not_a_date() -> None:
    assert parse("said: 2022-9-14\n", "f.yaml").value == {"said": "2022-9-14"}


def test_datetime_stays_a_datetime() -> None:
    value = parse("said: 2022-09-14T10:00:00\n", "f.yaml").value
    assert value == {"said": dt.datetime(2022, 9, 14, 10, 0)}


def test_equals_sign_and_merge_marker_are_text() -> None:
    # YAML 1.1 resolves a plain `=` to !!value and `<<` to !!merge; both are plain text
    # here (they used to be refused as tags nobody wrote).
    doc = parse("text: =\nquote: <<\nplaces: [=, <<]\n", "f.yaml")
    assert doc.value == {"text": "=", "quote": "<<", "places": ["=", "<<"]}


def test_merge_key_is_an_ordinary_key() -> None:
    assert parse("<<: {a: 1}\n", "f.yaml").value == {"<<": {"a": 1}}


def test_anchor_without_alias_is_harmless() -> None:
    assert parse("a: &x 1\n", "f.yaml").value == {"a": 1}


# --- positions ------------------------------------------------------------------------


def test_document_positions_of_values_and_keys() -> None:
    doc = parse("top:\n  list:\n    - first\n    - {k: v}\n", "f.yaml")
    assert doc.position(["top", "list", 0]) == (3, 7)
    assert doc.position(["top", "list", 1, "k"]) == (4, 11)
    assert doc.position(["top", "list", 1, "k"], key=True) == (4, 8)
    assert doc.position(["top"], key=True) == (1, 1)
    # a path that does not exist stops at the deepest node found
    assert doc.position(["top", "list", 5]) == (3, 5)
    assert doc.problem(["top", "list", 0], "m", "r") == Problem("f.yaml", 3, 7, "m", "r")


def test_document_without_nodes_points_at_the_start() -> None:
    doc = Document("f.yaml", None, None)
    assert doc.position(["anything"]) == (1, 1)


def test_columns_count_characters_after_armenian_and_azerbaijani_text() -> None:
    doc = parse("- {a: Հայաստան, b: x}\n- {a: Azərbaycan, b: y}\n", "f.yaml")
    # `Հայաստան` is 8 characters (16 bytes in UTF-8): `b` is at column 17
    assert doc.position([0, "b"], key=True) == (1, 17)
    assert doc.position([1, "b"], key=True) == (2, 19)


# --- duplicate keys, aliases, tags ----------------------------------------------------


def test_duplicate_key_names_both_positions() -> None:
    problem = one("claim:\n  count: 1\n  text: x\n  count: 2\n")
    assert at(problem) == (4, 3)
    assert problem.rule == "yaml-duplicate-key"
    assert "duplicate key `count`" in problem.message
    assert "first at line 2, column 3" in problem.message


def test_duplicate_keys_in_quotes_are_still_duplicates() -> None:
    problem = one('a: 1\n"a": 2\n')
    assert at(problem) == (2, 1)
    assert "first at line 1, column 1" in problem.message


def test_every_duplicate_key_is_reported() -> None:
    found = problems("a: 1\nb: 2\na: 3\nb: 4\n")
    assert [at(p) for p in found] == [(3, 1), (4, 1)]


def test_alias_is_refused_at_its_position() -> None:
    problem = one("a: &x [1, 2]\nb:\n  c: *x\n")
    assert at(problem) == (3, 6)
    assert problem.rule == "yaml-alias"
    assert "*x" in problem.message


def test_self_containing_alias_is_refused() -> None:
    assert at(one("a: &a [*a]\n")) == (1, 8)


def bomb(width: int, depth: int = 11) -> str:
    """A "billion laughs": `width` ** `depth` strings once its aliases are expanded."""
    lines = ['l0: &l0 "lol"']
    for level in range(1, depth + 1):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_at_its_first_alias() -> None:
    assert at(one(bomb(9))) == (2, 10)


def test_a_wider_billion_laughs_takes_no_longer_to_refuse() -> None:
    # 8 times as wide at depth 4 is 4,096 times the strings: walking them would show
    assert_linear(lambda width: bomb(width, depth=4), problems, 10, repeats=5)


@pytest.mark.parametrize(
    ("text", "position", "tag"),
    [
        (
            "a: !!python/object/apply:os.system ['true']\n",
            (1, 4),
            "!!python/object/apply:os.system",
        ),
        ("- !!python/name:os.system ''\n", (1, 3), "!!python/name:os.system"),
        ("a:\n  b: !!python/object/new:dict {}\n", (2, 6), "!!python/object/new:dict"),
        ("a: !!binary aGVsbG8=\n", (1, 4), "!!binary"),
        ("a: !!set {x}\n", (1, 4), "!!set"),
        ("a: !local x\n", (1, 4), "!local"),
        ("a: !!str [1]\n", (1, 4), "!!str"),
    ],
)
def test_tags_outside_plain_yaml_are_refused(
    text: str, position: tuple[int, int], tag: str
) -> None:
    problem = one(text)
    assert at(problem) == position
    assert problem.rule == "yaml-tag"
    assert f"`{tag}`" in problem.message


def test_tagged_key_is_refused() -> None:
    problem = one("? !!python/object/apply:os.getcwd []\n: x\n")
    assert at(problem) == (1, 3)
    assert problem.rule == "yaml-key"


def test_standard_tags_on_scalars_are_allowed() -> None:
    doc = parse("a: !!str 1\nb: !!int 2\nc: !!float 3\nd: !!bool yes\ne: !!null ''\n", "f.yaml")
    assert doc.value == {"a": "1", "b": 2, "c": 3.0, "d": True, "e": None}


def test_python_tag_payload_is_never_executed(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    payload = f'claims: !!python/object/apply:builtins.open ["{target}", "w"]\n'
    # the payload is real: an unsafe loader runs it and creates the file
    control = tmp_path / "control"
    yaml.unsafe_load(payload.replace(str(target), str(control)))["claims"].close()
    assert control.exists()

    problem = one(payload)
    assert at(problem) == (1, 9)
    assert not target.exists()


def test_shell_payload_in_a_nested_value_is_never_executed(tmp_path: Path) -> None:
    target = tmp_path / "touched"
    text = f"a:\n  - b: !!python/object/apply:os.system ['touch {target}']\n"
    assert at(one(text)) == (2, 8)
    assert not target.exists()


# --- scalars that cannot be what they say ---------------------------------------------


def test_impossible_date_is_reported_at_its_line() -> None:
    problem = one("a: 1\nsaid: 2022-09-31\n")
    assert at(problem) == (2, 7)
    assert problem.rule == "yaml-bad-date"
    assert "`2022-09-31` is not a real date" in problem.message
    assert "YYYY-MM-DD" in problem.message


def test_impossible_datetime_and_year_zero() -> None:
    assert at(one("a: 2022-09-14 25:00:00\n")) == (1, 4)
    assert at(one("b: [0000-01-01]\n")) == (1, 5)


def test_timezone_offset_out_of_range_is_a_bad_date() -> None:
    problem = one("a: 2022-09-14T10:00:00+99:00\n")
    assert at(problem) == (1, 4)
    assert problem.rule == "yaml-bad-date"


def test_explicit_timestamp_tag_on_text() -> None:
    # used to escape as AttributeError from PyYAML's timestamp constructor
    problem = one("a: !!timestamp abc\n")
    assert at(problem) == (1, 4)
    assert "`abc` is not a real date" in problem.message


@pytest.mark.parametrize("tag", ["!!int", "!!float"])
@pytest.mark.parametrize("value", ["abc", "", "-", "0b", "1:", "."])
def test_explicit_number_tag_on_text(tag: str, value: str) -> None:
    # `!!int ` (empty) used to escape as IndexError from PyYAML's int constructor
    problem = one(f"a:\n  - {tag} '{value}'\n")
    assert at(problem) == (2, 5)
    assert f"`{value}` is not a number" in problem.message
    assert "date" not in problem.message


@pytest.mark.parametrize("tag", ["!!bool", "!!null"])
def test_explicit_bool_or_null_tag_on_other_text(tag: str) -> None:
    problem = one(f"a: {tag} maybe\n")
    assert at(problem) == (1, 4)
    assert "`maybe` cannot be read" in problem.message


def test_number_with_more_digits_than_python_converts() -> None:
    # Python refuses int() of more than 4300 digits: this used to be reported as
    # "not a real date" with Python's advice to call sys.set_int_max_str_digits()
    problem = one("count: 1" + "0" * 5000 + "\n")
    assert at(problem) == (1, 8)
    assert "is not a number" in problem.message
    assert "sys." not in problem.message
    assert len(problem.message) < 200


# --- syntax and encoding ----------------------------------------------------------------


def test_second_document_is_refused() -> None:
    problem = one("a: 1\n---\nb: 2\n")
    assert at(problem) == (2, 1)
    assert "one YAML document" in problem.message


def test_tab_indentation() -> None:
    problem = one("a:\n  b: 1\n\tc: 2\n")
    assert at(problem) == (3, 1)
    assert "indent with spaces, not tabs" in problem.message


def test_unclosed_flow_sequence() -> None:
    problem = one("a: [1, 2\nb: 3\n")
    assert problem.line >= 1
    assert problem.col >= 1
    assert problem.message.startswith("invalid YAML: ")


def test_nul_character_position() -> None:
    problem = one("a: b\nc: d\x00e\n")
    assert at(problem) == (2, 5)
    assert "U+0000" in problem.message
    assert "control character" in problem.message


def test_control_character_after_armenian_text() -> None:
    # libyaml reports a byte offset; it used to be read as a character offset, so the
    # problem was placed past the end of the line (here at 3:1)
    problem = one("a: 1\nb: Հայաստան Ազգային\x01\n")
    assert at(problem) == (2, 20)
    assert "U+0001" in problem.message


def test_escape_character_is_refused_with_its_position() -> None:
    assert at(one("text: Azərbaycan \x1b[2J\n")) == (1, 18)


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\u2028", "LINE SEPARATOR"),
        ("\u2029", "PARAGRAPH SEPARATOR"),
        ("\x85", "NEXT LINE"),
    ],
)
def test_line_separators_editors_do_not_show_are_refused(char: str, name: str) -> None:
    # libyaml breaks lines there: every later position would be off by a line, and a
    # plain scalar holding one failed with a baffling syntax error at the wrong line
    found = problems(f"a: 1\ntext: Հայ{char}աստան\nquote: x{char}\n")
    assert [at(p) for p in found] == [(2, 10), (3, 9)]
    assert all(name in p.message for p in found)


@pytest.mark.slow
def test_many_invisible_characters_are_reported_in_linear_time() -> None:
    # positions used to be found by rescanning the text for each one: 200,000 took 7 s
    # (from 25,000, large enough that a rescan per character outgrows the linear work)
    assert_linear(lambda n: "a: 1\n" + "\u2028" * n, problems, 25_000, repeats=2)
    found = problems("a: 1\n" + "\u2028" * 20_000)
    assert len(found) == 20_000
    assert at(found[-1]) == (2, 20_000)


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("a: x\r\rb: c\x01\n", (3, 5)),  # old Mac line ends: libyaml counts each CR
        ("a: x\r\nb: c\x01\r\n", (2, 5)),  # Windows line ends: one line each
        ("a: x\rb: \u2028\n", (2, 4)),
        ("a: x\r\nb: \u2028\n", (2, 4)),
    ],
)
def test_positions_with_carriage_returns(text: str, position: tuple[int, int]) -> None:
    assert at(one(text)) == position


def test_syntax_error_after_carriage_returns_agrees() -> None:
    assert at(one("a: x\r\rb: c: d\n")) == (3, 5)


def test_bad_byte_after_carriage_returns() -> None:
    with pytest.raises(InputError) as info:
        read_text(b"a: 1\rb: \xff\r", "f.yaml")
    assert at(info.value.problems[0]) == (2, 4)


def test_byte_order_mark_inside_the_file_is_refused() -> None:
    problem = one("a: 1\n\ufeffb: 2\n")
    assert at(problem) == (2, 1)
    assert "BYTE ORDER MARK" in problem.message


def test_deep_nesting_is_refused() -> None:
    problem = one("a: " + "[" * 100_000)
    assert problem.line == 1
    assert problem.col >= 1
    assert "nests too deeply" in problem.message


def test_nesting_libyaml_accepts_but_no_claim_file_needs() -> None:
    problem = one("x: " + "[" * 80 + "]" * 80 + "\n")
    assert problem.message == "the YAML nests too deeply to be a claim file"
    assert at(problem) == (1, 68)  # the 65th `[`


def test_read_text_reports_the_first_bad_byte() -> None:
    data = "a: 1\nb: Հայ".encode() + b"\xff\xfe rest\n"
    with pytest.raises(InputError) as info:
        read_text(data, "f.yaml")
    [problem] = info.value.problems
    assert at(problem) == (2, 7)
    assert "byte 0xff is not UTF-8" in problem.message


def test_read_text_with_byte_order_mark_and_bad_byte() -> None:
    # the mark used to shift the byte offset: the message named the wrong byte (0x3a)
    data = b"\xef\xbb\xbfa: 1\nbb: \xe9t\xe9\n"
    with pytest.raises(InputError) as info:
        read_text(data, "f.yaml")
    [problem] = info.value.problems
    assert at(problem) == (2, 5)
    assert "byte 0xe9" in problem.message


def test_read_text_accepts_a_byte_order_mark() -> None:
    assert read_text(b"\xef\xbb\xbfa: 1\n", "f.yaml") == "a: 1\n"


def test_latin1_file_is_refused_at_the_first_accented_letter() -> None:
    data = "factcmp: 1\nside:\n  name: Azərbaycan\nnote: café\n".encode().replace(
        "café".encode(), "café".encode("latin-1")
    )
    with pytest.raises(InputError) as info:
        read_text(data, "f.yaml")
    assert at(info.value.problems[0]) == (4, 10)


# --- shown ------------------------------------------------------------------------------


def test_shown_makes_values_safe_for_one_line_messages() -> None:
    assert shown("a\nb\x1b[2J") == "a\\nb\\x1b[2J"
    assert shown("x" * 100) == "x" * 40 + "…"
    assert shown("Հայաստան") == "Հայաստան"
    assert shown(12) == "12"


# --- random input -----------------------------------------------------------------------

TOKENS = [
    "factcmp: 1\n",
    "side:\n  name: A\n",
    "claims:\n",
    "  - id: x\n",
    "    topic: t\n",
    "    text: y\n",
    "    count: ",
    "a",
    "b: ",
    ": ",
    "\n",
    "  ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "!!int ",
    "!!float ",
    "!!bool ",
    "!!null ",
    "!!timestamp ",
    "!!str ",
    "!!python/object/apply:os.system ",
    "! ",
    "!<tag:yaml.org,2002:str> ",
    '"',
    "'",
    "\\",
    "# c",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "? ",
    "|\n",
    ">-\n",
    "<<",
    "=",
    "~",
    "2022-09-31",
    "2022-9-14",
    "2022-09-14T10:00:00+99:00",
    "2022-09-14 25:00:00",
    "no",
    "On",
    "010",
    "0x1F",
    "12:30",
    "1_000",
    ".inf",
    ".nan",
    "-1",
    "1" + "0" * 5000,
    "Հայաստան",
    "Azərbaycan",
    "\t",
    "\r",
    "\x00",
    "\x01",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "\U0001f600",
]


def _must_fail_cleanly(text: str) -> None:
    try:
        parse(text, "f.yaml")
    except InputError as exc:
        found = exc.problems
    else:
        return
    _assert_positioned(found)


def _assert_positioned(found: list[Problem]) -> None:
    assert found
    for problem in found:
        assert problem.line >= 1
        assert problem.col >= 1
        assert problem.message
        assert "\n" not in problem.message


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_random_text_gives_a_value_or_input_error(text: str) -> None:
    _must_fail_cleanly(text)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_random_yaml_like_text_gives_a_value_or_input_error(text: str) -> None:
    _must_fail_cleanly(text)


@settings(max_examples=400, deadline=None)
@given(st.binary())
def test_random_bytes_give_a_value_or_input_error(data: bytes) -> None:
    try:
        text = read_text(data, "f.yaml")
    except InputError as exc:
        _assert_positioned(exc.problems)
    else:
        _must_fail_cleanly(text)
