"""Every file of the YAML corpus (tests/fixtures/corpus, see its README.md) used as a
claim file: the YAML test suite's invalid and valid documents, and hostile files (YAML
bombs, Python-object tags). Each must load or give clean `file:line:col` problems, never
a traceback; the command line must exit 2 on them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factcmp.load.files import load_side
from factcmp.problems import InputError

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "fixtures" / "corpus"

FILES = sorted(CORPUS.rglob("*.yaml"))
HOSTILE = [f for f in FILES if f.parent.name == "hostile"]
BOMBS = [f for f in HOSTILE if f.name.startswith("billion-laughs")]
PYTHON_TAGS = [f for f in HOSTILE if f.name.startswith("pyyaml-tag")]
ERRORS = [f for f in FILES if f.parent.name == "error"]


def _ids(files: list[Path]) -> list[str]:
    return [str(f.relative_to(CORPUS)) for f in files]


def _params(files: list[Path]) -> list[object]:
    """The files as test parameters, each named by its path in the corpus."""
    return [pytest.param(f, id=i) for f, i in zip(files, _ids(files), strict=True)]


def _factcmp() -> str:
    """The installed `factcmp` command of the interpreter running the tests."""
    beside = Path(sys.executable).parent / "factcmp"
    found = str(beside) if beside.exists() else shutil.which("factcmp")
    if found is None:
        pytest.fail("the `factcmp` command is not installed: pip install -e .")
    return found


def test_corpus_is_complete() -> None:
    assert len(ERRORS) == 94
    assert len([f for f in FILES if f.parent.name == "valid"]) == 133
    assert len(BOMBS) == 2
    assert len(PYTHON_TAGS) == 2


@pytest.mark.parametrize("path", _params(FILES))
def test_corpus_file_loads_or_gives_positioned_problems(path: Path) -> None:
    try:
        load_side(path)
    except InputError as exc:
        found = exc.problems
    else:
        return
    assert found
    for problem in found:
        assert problem.file == str(path)
        assert problem.line >= 1, problem
        assert problem.col >= 1, problem
        assert problem.message
        assert "\n" not in problem.message


@pytest.mark.parametrize("path", _params(BOMBS))
def test_yaml_bomb_is_refused_at_its_first_alias(path: Path) -> None:
    # refused before anything walks it: tests/load/test_yamlsrc.py shows that a bomb 4,096
    # times as large takes no longer to refuse
    with pytest.raises(InputError) as info:
        load_side(path)
    [problem] = info.value.problems
    assert problem.rule == "yaml-alias"
    first = next(n for n, line in enumerate(path.read_text().splitlines(), 1) if "*" in line)
    assert problem.line == first


@pytest.mark.parametrize("path", _params(PYTHON_TAGS))
def test_python_object_tag_is_refused(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[object] = []
    monkeypatch.setattr(time, "sleep", lambda *args: slept.append(args))
    with pytest.raises(InputError) as info:
        load_side(path)
    assert slept == []  # time.sleep(10) was not run
    [problem] = info.value.problems
    assert (problem.line, problem.col) == (1, 1)
    assert problem.rule == "yaml-tag"
    assert "!!python/object/apply:" in problem.message


def _cli_sample() -> list[Path]:
    # the hostile files, and every eighth of the invalid documents
    return HOSTILE + ERRORS[::8]


@pytest.mark.slow
@pytest.mark.parametrize("path", _params(_cli_sample()))
def test_command_line_exits_2_without_traceback(path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "FACTCMP_CLAIMS"}
    result = subprocess.run(
        [_factcmp(), "diff", str(path), "claims/azerbaijan.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:")
    line, col = first[len(str(path)) + 1 :].split(":")[:2]
    assert int(line) >= 1
    assert int(col) >= 1


def test_a_python_tag_runs_nothing_in_the_installed_command(tmp_path: Path) -> None:
    ran = tmp_path / "ran"
    side = tmp_path / "evil.yaml"
    side.write_text(f'factcmp: 1\nside: !!python/object/apply:os.mkdir ["{ran}"]\n')
    result = subprocess.run(
        [_factcmp(), "diff", str(side), "claims/azerbaijan.yaml"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"{side}:2:7: ")
    assert not ran.exists()


def test_the_corpus_lies_in_the_repository_so_a_clone_runs_every_test() -> None:
    assert CORPUS.is_relative_to(REPO)
    assert (CORPUS / "yaml-test-suite" / "LICENSE").is_file()
    assert (CORPUS / "hostile" / "LICENSE-PayloadsAllTheThings").is_file()
    outside = ("parent / " + '"shared"', "/work" + "/shared")  # spelt so as not to match here
    for test in (REPO / "tests").glob("*.py"):
        text = test.read_text(encoding="utf-8")
        assert not [o for o in outside if o in text], test
