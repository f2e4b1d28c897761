"""The registry of output formats (render/formats.py): every command offers exactly
the formats registered for it, and each (command, format) reaches its writer.

The dispatch is checked on the installed command, run on a copy of the sample: each
registered format's output is recognised by what only that writer writes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from factcmp.cli import main
from factcmp.commands.options import format_option
from factcmp.render import formats
from tests.conftest import CLAIMS

FACTCMP = shutil.which("factcmp")
GIT = shutil.which("git")
BAD_FILE = "factcmp: 1\nside: {name: X}\nclaims: [\n"
QUIET_SIDE = "factcmp: 1\nside: {name: Quiet}\nclaims:\n  - {id: a, topic: t, text: x}\n"


def with_format(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    """Every command under `group` that takes --format, by its path ("topics list")."""
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            yield from with_format(command, f"{path} ")
        elif any(param.name == "fmt" for param in command.params):
            yield path, command


def fmt_param(command: click.Command) -> click.Option:
    (found,) = [p for p in command.params if p.name == "fmt"]
    assert isinstance(found, click.Option)
    return found


COMMANDS = dict(with_format(main))
PAIRS = [(command, fmt) for command in formats.FORMATS for fmt in formats.names(command)]


def test_the_registry_names_every_command_with_a_format_and_no_other() -> None:
    assert set(COMMANDS) == set(formats.FORMATS)
    assert len(COMMANDS) == 7


@pytest.mark.parametrize("command", sorted(formats.FORMATS))
def test_the_format_option_is_the_registry_entry(command: str) -> None:
    param = fmt_param(COMMANDS[command])
    offered = formats.offer(command)
    assert isinstance(param.type, click.Choice)
    assert list(param.type.choices) == formats.names(command)
    assert param.default == offered.default
    assert param.help == offered.help
    assert param.show_default is (offered.default is not None)


@pytest.mark.parametrize("command", sorted(formats.FORMATS))
def test_help_lists_the_registered_formats(command: str) -> None:
    result = CliRunner().invoke(main, [*command.split(), "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    assert f"--format [{'|'.join(formats.names(command))}]" in result.output


def test_a_registered_writer_is_a_function_of_the_module_it_names() -> None:
    for command, fmt in PAIRS:
        assert callable(formats.writer(command, fmt)), (command, fmt)
    with pytest.raises(LookupError, match="changes has no format 'csv'"):
        formats.entry("changes", "csv")


@pytest.mark.parametrize(
    ("command", "fmt"),
    sorted(
        (command, fmt)
        for command in formats.FORMATS
        for fmt in {f for other in formats.FORMATS for f in formats.names(other)}
        if fmt not in formats.names(command)
    ),
)
def test_a_format_of_another_command_is_refused(command: str, fmt: str) -> None:
    result = CliRunner().invoke(main, [*command.split(), "--format", fmt])
    assert result.exit_code == 2
    assert f"Invalid value for '--format': '{fmt}' is not one of" in result.output


def test_a_format_registered_for_one_command_is_offered_by_it_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An entry added to the timeline's formats: the --format that format_option
    builds for the timeline takes it, and that of every other command refuses it."""
    timeline = formats.offer("timeline")
    added = formats.Format("jsonl", "factcmp.render.writers:timeline_json")
    grown = formats.Offer((*timeline.formats, added), timeline.help, default=timeline.default)
    monkeypatch.setitem(formats.FORMATS, "timeline", grown)
    for command in formats.FORMATS:

        @click.command()
        @format_option(command)
        def probe(fmt: str | None) -> None:
            click.echo(f"format {fmt}")

        result = CliRunner().invoke(probe, ["--format", "jsonl"])
        if command == "timeline":
            assert (result.exit_code, result.output) == (0, "format jsonl\n")
        else:
            assert result.exit_code == 2, command


# The dispatch, on the installed command: what each writer's output is known by


def json_with(*keys: str) -> Callable[[str, str], None]:
    def check(out: str, _err: str) -> None:
        assert list(json.loads(out)) == ["factcmp", "format", *keys]

    return check


def csv_with(*header: str) -> Callable[[str, str], None]:
    def check(out: str, _err: str) -> None:
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0] == list(header)
        assert len(rows) > 1

    return check


def text_with(first: str, *also: str) -> Callable[[str, str], None]:
    def check(out: str, _err: str) -> None:
        assert out.lstrip().startswith(first)
        for words in also:
            assert words in out
        with pytest.raises(json.JSONDecodeError):
            json.loads(out)

    return check


def narrowed_csv(out: str, err: str) -> None:
    csv_with(*DIFF_CSV)(out, err)
    assert err.startswith("factcmp: narrowed: ")  # CSV's line beside, on standard error


def github_annotations(out: str, _err: str) -> None:
    assert out.startswith("::error file=")


DIFF_CSV = ("topic", "label", "verdict", "side", "in_force", "id", "text", "count", "subject",
            "actor", "places", "stance", "status", "said", "speaker", "quote", "original",
            "lang", "source", "file", "line", "reasons", "reported", "unit")  # fmt: skip
DIFF_JSON = ("sides", "side_names", "files", "side_roles", "summary", "selection", "topics")
SOURCES_JSON = ("files", "summary", "links", "quotes", "bad_links")
TIMELINE_CSV = ("topic", "label", "side", "subject", "period_from", "period_to", "claim",
                "said", "count_best", "count_min", "count_max", "stance", "in_force",
                "reported", "unit", "count_words")  # fmt: skip

# (command, format): the arguments after the command, and what its output is known by
RUNS: dict[tuple[str, str], tuple[list[str], Callable[[str, str], None]]] = {
    ("diff", "table"): (["armenia", "azerbaijan"], text_with("Armenia vs Azerbaijan", "┏━")),
    ("diff", "json"): ([], json_with(*DIFF_JSON)),
    ("diff", "csv"): (["--topic", "shelling"], narrowed_csv),
    ("timeline", "table"): ([], text_with("Military deaths (casualties.military)")),
    ("timeline", "json"): ([], json_with("sides", "selection", "topics")),
    ("timeline", "csv"): ([], csv_with(*TIMELINE_CSV)),
    ("changes", "table"): ([], text_with("Changes from ", "Nothing changed in the claims")),
    ("changes", "json"): ([], json_with("since", "until", "claims", "files", "topics")),
    ("check", "text"): (["bad.yaml"], text_with("bad.yaml", "bad.yaml:4:1: error: ")),
    ("check", "json"): (["bad.yaml"], json_with("files", "summary", "findings")),
    ("check", "github"): (["bad.yaml"], github_annotations),
    ("sources check", "text"): (["quiet.yaml"], text_with("no links to check in 1 file")),
    ("sources check", "json"): (["quiet.yaml"], json_with(*SOURCES_JSON)),
    ("sources check", "github"): (["quiet.yaml"], text_with("0 links: ✗ 0 broken")),
    ("topics list", "table"): ([], text_with("Topic", "Label", "Armenia", "Verdict")),
    ("topics list", "json"): ([], json_with("sides", "topics")),
    ("topics suggest", "table"): ([], text_with("┏━", "One-sided topic", "May be the same as")),
    ("topics suggest", "json"): ([], json_with("sides", "suggestions")),
}


def test_every_registered_format_has_a_run() -> None:
    assert sorted(RUNS) == sorted(PAIRS)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample claims in a git repository of its own (for `changes`),
    with a claim file with problems and a side with no links beside it."""
    folder = tmp_path_factory.mktemp("sample")
    shutil.copytree(CLAIMS, folder / "claims")
    (folder / "bad.yaml").write_text(BAD_FILE, encoding="utf-8")
    (folder / "quiet.yaml").write_text(QUIET_SIDE, encoding="utf-8")
    if GIT is not None:
        env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
        for args in (
            ["init", "-q"],
            ["add", "claims"],
            ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "x"],
        ):
            subprocess.run([GIT, *args], cwd=folder, env=env, check=True)
    return folder


@pytest.mark.skipif(FACTCMP is None, reason="the factcmp command is not installed")
@pytest.mark.parametrize(("command", "fmt"), sorted(RUNS))
def test_the_dispatch_reaches_the_registered_writer(
    command: str, fmt: str, sample: Path, tmp_path: Path
) -> None:
    if command == "changes" and GIT is None:
        pytest.skip("git is needed")
    args, recognised = RUNS[command, fmt]
    env: dict[str, Any] = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FACTCMP_", "FORCE_COLOR", "NO_COLOR", "TERM", "GITHUB_"))
    }
    env |= {"COLUMNS": "100", "FACTCMP_CACHE_DIR": str(tmp_path / "cache")}
    assert FACTCMP is not None
    done = subprocess.run(
        [FACTCMP, *command.split(), *args, "--format", fmt],
        cwd=sample,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == (1 if command == "check" else 0), done.stderr
    recognised(done.stdout, done.stderr)
