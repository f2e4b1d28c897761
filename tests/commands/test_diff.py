"""`factcmp diff` as users run it: the installed command as a subprocess, and click's
CliRunner for the many option combinations."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from factcmp import __version__
from factcmp.cli import main
from tests.conftest import CLAIMS, REPO
from tests.helpers import run, run_in_terminal

FACTCMP = shutil.which("factcmp")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def sample_json(*sides: str) -> dict[str, object]:
    result = invoke("diff", *sides, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert isinstance(data, dict)
    return data


def topic_verdicts(data: dict[str, object]) -> dict[str, str]:
    topics = data["topics"]
    assert isinstance(topics, list)
    return {t["topic"]: t["verdict"] for t in topics}


# The installed command -----------------------------------------------------------


def test_installed_command_prints_the_sample_table() -> None:
    done = run("diff", "armenia", "azerbaijan", env={"COLUMNS": "100"})
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Armenia vs Azerbaijan" in out
    assert out.count("✗ contradiction") == 3
    assert out.count("≠ discrepancy") == 1
    assert "12 topics: ✗ 3 contradictions · ≠ 1 discrepancy · ○ 8 one-sided" in out
    assert "\x1b" not in out  # piped: no escape codes
    assert "Traceback" not in done.stderr


def test_python_dash_m_and_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "factcmp", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"factcmp, version {__version__}"
    assert run("--version").stdout.strip() == f"factcmp, version {__version__}"


def test_help_has_examples() -> None:
    done = run("--help")
    assert done.returncode == 0
    assert "factcmp diff armenia azerbaijan" in done.stdout
    assert "Exit codes" in done.stdout
    diff_help = run("diff", "--help").stdout
    for option in ("--only", "--topic", "--as-of", "--exit-code", "--format", "--claims-dir"):
        assert option in diff_help


def test_installed_command_json_gives_the_sample_verdicts() -> None:
    done = run("diff", "armenia", "azerbaijan", "--format", "json")
    assert done.returncode == 0
    data = json.loads(done.stdout)
    assert data["sides"] == ["armenia", "azerbaijan"]
    verdicts = topic_verdicts(data)
    assert verdicts["russian-outpost"] == "contradiction"
    assert verdicts["shelling"] == "contradiction"
    assert verdicts["ceasefire.violations"] == "contradiction"
    assert verdicts["casualties.military"] == "discrepancy"
    assert verdicts["bodies.handover"] == "one-sided"
    assert data["summary"] == {
        "contradiction": 3,
        "discrepancy": 1,
        "agreement": 0,
        "unjudged": 0,
        "one-sided": 8,
    }


def test_a_terminal_gets_colour_but_never_the_claims_escapes(tmp_path: Path) -> None:
    hostile_dir = hostile_claims(tmp_path)
    output = run_in_terminal([FACTCMP or "factcmp", "diff", "--claims-dir", str(hostile_dir)])
    assert "\x1b[" in output  # colour on a terminal
    assert "\x1b[2J" not in output
    assert "\x1b]" not in output  # no OSC (hyperlinks, clipboard)
    assert "\u202e" not in output
    assert "\\x1b[2J" in output  # shown, inert
    no_color = run_in_terminal(
        [FACTCMP or "factcmp", "diff", "--claims-dir", str(hostile_dir)], {"NO_COLOR": "1"}
    )
    assert "\x1b" not in no_color


# Claim text is data ------------------------------------------------------------------

HOSTILE = [
    "He said [sic] it",
    "[link=https://evil.example]click[/link] and [/] and [bold red]loud",
    "clear \x1b[2J screen",
    "osc \x1b]8;;https://evil.example\x07hidden link\x1b]8;;\x07",
    "clipboard \x1b]52;c;ZXZpbA==\x07",
    "carriage\rreturn and back\bspace",
    "bidi \u202eevil\u202c and \u2066isolate\u2069",
    ":smile: <script>alert(1)</script> **bold**",
]


def hostile_claims(tmp_path: Path) -> Path:
    folder = tmp_path / "claims"
    folder.mkdir()
    for side_id in ("red", "blue"):
        lines = [
            "factcmp: 1",
            f"side: {{name: {json.dumps(side_id.capitalize() + ' [bold]side[/]')}}}",
            "claims:",
        ]
        for i, text in enumerate(HOSTILE):
            lines += [
                f"  - id: c{i}",
                f"    topic: {json.dumps('topic-' + str(i))}",
                f"    text: {json.dumps(text)}",
                f"    quote: {json.dumps(text)}",
                f"    actor: {json.dumps(text if side_id == 'red' else 'x')}",
            ]
        (folder / f"{side_id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_claim_text_is_never_interpreted(tmp_path: Path) -> None:
    folder = hostile_claims(tmp_path)
    result = invoke("diff", "--claims-dir", str(folder), env={"COLUMNS": "250"})
    assert result.exit_code == 0
    out = result.output
    assert "He said [sic] it" in out
    assert "[link=https://evil.example]click[/link]" in out
    assert "[bold red]loud" in out
    assert ":smile: <script>alert(1)</script> **bold**" in out
    assert "Red [bold]side[/]" in out
    for raw in ("\x1b", "\r", "\b", "\x07", "\u202e", "\u2066"):
        assert raw not in out
    for shown in ("\\x1b[2J", "\\x1b]8;;", "\\x0d", "\\x08", "\\u202e", "\\u2066"):
        assert shown in out


def test_csv_is_inert_and_defuses_formulas(tmp_path: Path) -> None:
    folder = hostile_claims(tmp_path)
    (folder / "blue.yaml").write_text(
        "factcmp: 1\nside: {name: Blue}\nclaims:\n"
        '  - {id: f, topic: t, text: "=HYPERLINK(\\"x\\")"}\n',
        encoding="utf-8",
    )
    result = invoke("diff", "--claims-dir", str(folder), "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert "\x1b" not in result.output
    assert any(r["text"] == '\'=HYPERLINK("x")' for r in rows)
    assert len(rows) == len(HOSTILE) + 1


# The table's shape -----------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 200])
def test_table_fits_the_terminal_width(width: int, in_repo: Path) -> None:
    result = invoke("diff", "armenia", "azerbaijan", env={"COLUMNS": str(width)})
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= width
    table = [line for line in lines if line.startswith(("│", "┃"))]
    assert table, "no table rows"
    assert all(len(line) == width for line in table)
    # every word of every claim text is shown (wrapping only at spaces)
    words = set(" ".join(lines).split())
    for text in ("Azerbaijani troops fired on a Russian military outpost", "absolute lie"):
        for word in text.split():
            assert word in words or f"“{word}”" in words or any(word in w for w in words)


def test_three_sides_at_80_columns(in_repo: Path) -> None:
    result = invoke("diff", "armenia", "azerbaijan", "russia", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert max(len(line) for line in result.output.splitlines()) <= 80
    assert "Armenia vs Azerbaijan vs Russia" in result.output


# Options ---------------------------------------------------------------------------


def test_swapped_sides_give_the_same_verdicts(in_repo: Path) -> None:
    forward = sample_json("armenia", "azerbaijan")
    backward = sample_json("azerbaijan", "armenia")
    assert topic_verdicts(forward) == topic_verdicts(backward)
    assert backward["sides"] == ["azerbaijan", "armenia"]


def test_three_sides_and_all_sides_by_default(in_repo: Path) -> None:
    three = sample_json("armenia", "azerbaijan", "russia")
    assert three["sides"] == ["armenia", "azerbaijan", "russia"]
    verdicts = topic_verdicts(three)
    assert verdicts["csto.mission"] == "one-sided"
    assert verdicts["shelling"] == "contradiction"
    everyone = sample_json()
    assert everyone["sides"] == ["armenia", "azerbaijan", "russia"]


def test_only_and_topic_select_rows(in_repo: Path) -> None:
    data = json.loads(
        invoke("diff", "armenia", "azerbaijan", "--only", "discrepancy", "--format", "json").output
    )
    assert [t["topic"] for t in data["topics"]] == ["casualties.military"]
    data = json.loads(
        invoke("diff", "armenia", "azerbaijan", "--topic", "casualties", "--format", "json").output
    )
    assert sorted(t["topic"] for t in data["topics"]) == [
        "casualties.civilian",
        "casualties.military",
    ]
    data = json.loads(
        invoke("diff", "armenia", "azerbaijan", "--topic", "peace.*", "--format", "json").output
    )
    assert sorted(t["topic"] for t in data["topics"]) == [
        "peace.deal-reports",
        "peace.territorial-integrity",
    ]


def test_only_rejects_unknown_verdicts(in_repo: Path) -> None:
    result = invoke("diff", "armenia", "azerbaijan", "--only", "contradictoin")
    assert result.exit_code == 2
    assert "choose from contradiction" in result.output


def test_as_of_compares_what_was_said_by_then(in_repo: Path) -> None:
    data = json.loads(invoke("diff", "--as-of", "2022-09-13", "--format", "json").output)
    assert {t["topic"] for t in data["topics"]} == {"ceasefire.appeal", "csto.mission"}
    bad = invoke("diff", "--as-of", "14/09/2022")
    assert bad.exit_code == 2
    assert "YYYY-MM-DD" in bad.output


def test_exit_code_flag(in_repo: Path) -> None:
    assert invoke("diff", "armenia", "azerbaijan", "--exit-code").exit_code == 1
    assert (
        invoke("diff", "armenia", "azerbaijan", "--exit-code", "--only", "one-sided").exit_code == 0
    )
    assert invoke("diff", "armenia", "azerbaijan").exit_code == 0


def test_csv_has_one_row_per_claim(in_repo: Path) -> None:
    result = invoke("diff", "armenia", "azerbaijan", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    armenia = (CLAIMS / "armenia.yaml").read_text(encoding="utf-8").count("  - id:")
    azerbaijan = (CLAIMS / "azerbaijan.yaml").read_text(encoding="utf-8").count("  - id:")
    assert len(rows) == armenia + azerbaijan
    outpost = [r for r in rows if r["topic"] == "russian-outpost"]
    assert {r["verdict"] for r in outpost} == {"contradiction"}


# Finding the claims ------------------------------------------------------------------


def test_claims_found_from_a_subdirectory() -> None:
    done = run("diff", "armenia", "azerbaijan", "--format", "json", cwd=REPO / "tests")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["files"]["armenia"] == "../claims/armenia.yaml"


def test_claims_dir_option_and_environment(tmp_path: Path) -> None:
    done = run("diff", "armenia", "azerbaijan", "--claims-dir", str(CLAIMS), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = run("diff", "armenia", "azerbaijan", cwd=tmp_path, env={"FACTCMP_CLAIMS": str(CLAIMS)})
    assert done.returncode == 0, done.stderr


def test_paths_work_as_sides(tmp_path: Path) -> None:
    done = run("diff", str(CLAIMS / "armenia.yaml"), str(CLAIMS / "azerbaijan.yaml"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "3 contradictions" in done.stdout


def test_no_claims_directory(tmp_path: Path) -> None:
    done = run("diff", "armenia", "azerbaijan", cwd=tmp_path)
    assert done.returncode == 2
    assert "no claims directory found" in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_side_lists_sides_and_suggests(in_repo: Path) -> None:
    result = invoke("diff", "armenia", "azerbajan")
    assert result.exit_code == 2
    assert "did you mean 'azerbaijan'?" in result.output
    assert "Available sides: armenia, azerbaijan, russia." in result.output


def test_a_single_side_is_a_usage_error(in_repo: Path) -> None:
    result = invoke("diff", "armenia")
    assert result.exit_code == 2
    assert "name at least two sides" in result.output


def test_the_same_side_twice_is_a_usage_error(in_repo: Path) -> None:
    result = invoke("diff", "armenia", "armenia")
    assert result.exit_code == 2
    assert "named twice" in result.output


def test_bad_claim_files_report_every_problem_with_positions(tmp_path: Path) -> None:
    folder = tmp_path / "claims"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        "factcmp: 1\nside: {name: A}\nclaims:\n  - {id: x, topic: t, text: hi, cout: 3}\n",
        encoding="utf-8",
    )
    (folder / "b.yaml").write_text(
        "factcmp: 1\nside: {name: B}\nclaims:\n"
        "  - id: y\n    topic: t\n    text: yo\n    said: 2022-09-31\n",
        encoding="utf-8",
    )
    done = run("diff", cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert re.search(
        r"^claims/a\.yaml:4:\d+: .*unknown key `cout`.*did you mean `count`", done.stderr, re.M
    )
    assert re.search(r"^claims/b\.yaml:7:11: .*2022-09-31", done.stderr, re.M)
    assert "2 problems in 2 files" in done.stderr
    assert done.stdout == ""


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_a_closed_pipe_is_not_an_error_message(  # click and rich both handle EPIPE
    tmp_path: Path, fmt: str
) -> None:
    folder = tmp_path / "claims"
    folder.mkdir()
    for side_id in ("a", "b"):
        lines = ["factcmp: 1", f"side: {{name: {side_id.upper()}}}", "claims:"]
        lines += [
            f"  - {{id: c{i}, topic: t{i}, text: claim {i} {'x' * 200}}}" for i in range(1500)
        ]
        (folder / f"{side_id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert FACTCMP
    done = subprocess.run(
        f"'{FACTCMP}' diff --format {fmt} | head -c 10",
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout
    assert "Traceback" not in done.stderr
    assert "Error" not in done.stderr


def test_only_accepts_the_plurals_the_summary_prints(in_repo: Path) -> None:
    result = invoke("diff", "armenia", "azerbaijan", "--only", "contradictions,discrepancies")
    assert result.exit_code == 0
    assert "3 contradictions · ≠ 1 discrepancy" in result.output


def test_a_topic_filter_matching_nothing_lists_the_topics(in_repo: Path) -> None:
    result = CliRunner().invoke(main, ["diff", "armenia", "azerbaijan", "--topic", "casualty"])
    assert result.exit_code == 0
    assert "no topic matches --topic casualty; the topics are: appeal.allies" in result.stderr


def test_diff_warns_of_a_topic_missing_from_topics_yaml(tmp_path: Path) -> None:
    shutil.copytree(CLAIMS, tmp_path / "claims")
    armenia = tmp_path / "claims" / "armenia.yaml"
    text = armenia.read_text(encoding="utf-8")
    armenia.write_text(text.replace("topic: casualties.military", "topic: casualties.militray"))
    done = run("diff", "armenia", "azerbaijan", cwd=tmp_path)
    assert done.returncode == 0
    assert (
        "factcmp: warning: topic 'casualties.militray' is not in claims/topics.yaml "
        "(did you mean 'casualties.military'?)" in done.stderr
    )


@pytest.mark.parametrize(
    ("line", "where", "hint"),
    [
        ("    topic shelling", "5:5", "a key needs a colon and a space after it"),
        ("    topic: Pashinyan said: no", "5:26", "put the whole value in quotes"),
        ('    topic: "an "information attack""', "5:17", "check this line's quotes"),
    ],
)
def test_common_yaml_mistakes_get_a_hint(tmp_path: Path, line: str, where: str, hint: str) -> None:
    folder = tmp_path / "claims"
    folder.mkdir()
    (folder / "b.yaml").write_text("factcmp: 1\nside: {name: B}\n", encoding="utf-8")
    (folder / "a.yaml").write_text(
        f"factcmp: 1\nside: {{name: A}}\nclaims:\n  - id: a\n{line}\n    text: x\n",
        encoding="utf-8",
    )
    done = run("diff", cwd=tmp_path)
    assert done.returncode == 2
    assert f"claims/a.yaml:{where}: invalid YAML" in done.stderr
    assert hint in done.stderr


def test_a_long_table_stops_at_the_limit_and_says_how_to_see_the_rest(in_repo: Path) -> None:
    result = invoke("diff", "armenia", "azerbaijan", "--limit", "2", env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert result.output.count("✗ contradiction") == 2
    assert "… and 10 more topics not shown (the table stops at 2)" in result.output
    assert "12 topics: ✗ 3 contradictions" in result.output  # the summary counts them all
    everything = invoke("diff", "armenia", "azerbaijan", "--limit", "0", env={"COLUMNS": "120"})
    assert "more topics not shown" not in everything.output
    assert everything.output.count("○ one-sided") == 8


def test_every_unknown_side_is_named_at_once(in_repo: Path) -> None:
    done = CliRunner().invoke(main, ["diff", "armenai", "azerbajan"])
    assert done.exit_code == 2
    message = " ".join(done.output.split())
    assert "'armenai' (did you mean 'armenia'?)" in message
    assert "'azerbajan' (did you mean 'azerbaijan'?)" in message


def test_a_library_error_is_translated_once_at_the_door_with_its_status() -> None:
    """A FactcmpError raised in any command (or a group's subcommand) ends the run
    with its own status and one inert line; a usage one with the command's usage."""
    from factcmp.commands.running import FactcmpGroup
    from factcmp.exits import ExitStatus, FactcmpError

    class Found(FactcmpError):
        exit_status = ExitStatus.FINDINGS

    class Misused(FactcmpError):
        usage = True

    @click.group(cls=FactcmpGroup)
    def top() -> None:
        pass

    @click.group()
    def inner() -> None:
        pass

    @inner.command()
    def deep() -> None:
        raise Found("found \x1b[31mred")

    @click.command()
    def misuse() -> None:
        raise Misused("name a side")

    top.add_command(inner)
    top.add_command(misuse)
    found = CliRunner().invoke(top, ["inner", "deep"])
    assert found.exit_code == 1
    assert found.output == "Error: found \\x1b[31mred\n"
    misused = CliRunner().invoke(top, ["misuse"])
    assert misused.exit_code == 2
    assert "Usage: top misuse" in misused.output
    assert misused.output.endswith("Error: name a side\n")


def test_no_command_catches_a_library_error_only_to_raise_it_again() -> None:
    """The door translates them (factcmp.commands.running.at_the_door)."""
    pattern = re.compile(
        r"except (DiscoveryError|NothingToCheck|EditError|InputError)[^\n]*\n"
        r"\s+(raise (click\.UsageError|BadInput)\((inert\()?str\(exc\)\)*|report_problems)"
    )
    for module in (REPO / "factcmp" / "commands").glob("*.py"):
        found = pattern.search(module.read_text(encoding="utf-8"))
        assert found is None, f"{module.name}: {found and found.group(0)}"
