"""The README's commands are the ones that work, and CI runs its test command."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner

from factcmp.cli import main
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, re.S)


VENV = "python -m venv .venv && . .venv/bin/activate"


def test_ci_runs_the_readme_test_command() -> None:
    test_command = "python -m pip install -e '.[test]' && python -m pytest"
    assert [VENV, test_command] in [block.splitlines() for block in shell_blocks()]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_the_readme_sets_up_in_a_virtual_environment_and_gives_the_everyday_tests() -> None:
    blocks = [block.splitlines() for block in shell_blocks()]
    assert blocks[0][0] == VENV  # before anything is installed
    assert ['python -m pytest -m "not slow" -n auto'] in blocks


def test_readme_run_command_is_the_sample_diff() -> None:
    assert "python -m pip install . && factcmp diff armenia azerbaijan" in shell_blocks()[0]


def test_readme_links_exist() -> None:
    for target in re.findall(r"\]\(([^)#:]+)\)", README):
        assert (REPO / target).exists(), target


def test_readme_brief_excerpt_is_from_the_golden_brief() -> None:
    excerpt = re.search(r"```markdown\n(.*?)```", README, re.S)
    assert excerpt
    golden = (REPO / "tests" / "golden" / "sample-brief.md").read_text(encoding="utf-8")
    for line in excerpt.group(1).splitlines():
        assert line in golden.splitlines(), line


def test_readme_table_excerpt_is_real_output(monkeypatch: pytest.MonkeyPatch) -> None:
    marker = re.search(r"<!-- output: (.*?) -->\n```text\n(.*?)```", README, re.S)
    assert marker
    words = shlex.split(marker.group(1))
    env = dict(w.split("=", 1) for w in words if "=" in w.split()[0] and w[0].isupper())
    args = [w for w in words if w not in {f"{k}={v}" for k, v in env.items()}]
    assert args[0] == "factcmp"
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, args[1:], env=env)
    assert result.exit_code == 0

    def lines(text: str) -> list[str]:
        return [line.rstrip() for line in text.rstrip().splitlines()]

    assert lines(marker.group(2)) == lines(result.output)
