"""Promises kept under abuse (issue 12): one problem is one line and nothing is raw,
file names that are not UTF-8 print, an unreadable folder or file is named with its
reason, and a nonsensical COLUMNS is ignored."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest

import factcmp
from factcmp.problems import Problem

REPO = Path(__file__).resolve().parents[2]
EXE = shutil.which("factcmp") or "factcmp"
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
FORGED = "::error file=claims/b.yaml,line=1::forged"
FORGED_BY_NAME = "::error file=x,line=1::forged"

SIDE = """\
factcmp: 1
side: {{name: {name}}}
speakers:
  mod: {{name: Ministry}}
sources:
  wire: {{outlet: Wire, url: "https://example.org/1", published: 2022-09-14}}
claims:
  - id: c1
    topic: shelling
    text: The other side shelled first.
    by: {by}
    source: wire
    said: 2022-09-14
    actor: {other}
"""


def run(
    *args: str | bytes, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [EXE, *args],
        cwd=cwd,
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
    )


def dispute(tmp_path: Path, by: str = "mod", names: tuple[str, str] = ("a", "b")) -> Path:
    folder = tmp_path / "claims"
    folder.mkdir()
    a, b = names
    (folder / f"{a}.yaml").write_text(SIDE.format(name="A", by=json.dumps(by), other="b"))
    (folder / f"{b}.yaml").write_text(SIDE.format(name="B", by="mod", other="a"))
    return folder


def lines_of(output: bytes) -> list[str]:
    return output.decode("utf-8", "replace").splitlines()


def assert_inert(output: bytes) -> None:
    text = output.decode("utf-8", "replace")
    assert not RAW.search(text.replace("\n", "").replace("\t", "")), repr(text[:500])
    assert not any(line.startswith((FORGED, FORGED_BY_NAME)) for line in text.splitlines()), text


# --- 2: line and escape injection ------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "key",
    [
        f"x\n{FORGED}",
        "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
        "mo\x1b[2Jd\r",
        "x\u2028y\u202e",
    ],
)
def test_a_key_cannot_forge_a_line_or_an_escape(tmp_path: Path, key: str) -> None:
    dispute(tmp_path, by=key)
    for fmt in ("text", "github", "json"):
        done = run("check", "--format", fmt, cwd=tmp_path)
        assert done.returncode == 1  # an unknown speaker: an error
        assert_inert(done.stdout + done.stderr)
        if fmt == "github":
            annotations = [ln for ln in lines_of(done.stdout) if ln.startswith("::")]
            assert len(annotations) == 2, done.stdout  # the unknown speaker; mod unused
        if fmt == "json":
            for finding in json.loads(done.stdout)["findings"]:
                assert "\n" not in finding["message"]
    done = run("diff", cwd=tmp_path)
    assert done.returncode == 2
    assert_inert(done.stdout + done.stderr)
    problems = [ln for ln in lines_of(done.stderr) if re.match(r".+:\d+:\d+: ", ln)]
    assert len(problems) == 1, done.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [f"a\n{FORGED_BY_NAME}", "a\x1b[31mred", "a\x07bell", "a\u202egnp.yaml"],
)
def test_a_file_name_cannot_forge_a_line_or_an_escape(tmp_path: Path, name: str) -> None:
    folder = dispute(tmp_path, names=(name, "b"))
    (folder / f"{name}.yaml").write_text("factcmp: 1\nside: {name: A}\nclaims: [{id: x}]\n")
    for fmt in ("text", "github", "json"):
        done = run("check", "--format", fmt, cwd=tmp_path)
        assert done.returncode == 1
        assert_inert(done.stdout + done.stderr)
        if fmt == "github":
            for line in lines_of(done.stdout)[:-1]:
                assert line.startswith(("::error file=", "::warning file=")), line
    for command in (["diff"], ["brief"], ["topics", "list"]):
        done = run(*command, cwd=tmp_path)
        assert done.returncode == 2
        assert_inert(done.stdout + done.stderr)


def test_a_named_path_with_an_osc_52_sequence_prints_inert(tmp_path: Path) -> None:
    done = run("check", "\x1b]52;c;ZXZpbA==\x07x.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert b"no such file or folder" in done.stderr
    assert_inert(done.stdout + done.stderr)


def test_a_problem_is_one_line_at_a_position() -> None:
    problem = Problem("a\nb.yaml", 0, 0, "bad\n::error::x\x1b[0m")
    assert str(problem) == "a\\nb.yaml:1:1: bad\\n::error::x\\x1b[0m"


# --- 3: file names that are not UTF-8 -------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file names are always UTF-8")
def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    folder = dispute(tmp_path)
    odd = os.fsencode(folder) + b"/b\xff.yaml"
    os.rename(folder / "b.yaml", odd)
    strict = {"PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"}
    for command in (["brief"], ["diff"], ["diff", "--format", "json"], ["topics", "list"]):
        done = run(*command, cwd=tmp_path, env=strict)
        assert done.returncode == 0, done.stderr
        assert b"Traceback" not in done.stderr
    brief = run("brief", cwd=tmp_path, env=strict).stdout.decode("utf-8")
    assert "b\ufffd.yaml" in brief
    done = run("check", "--format", "json", cwd=tmp_path, env=strict)
    assert done.returncode == 0, done.stderr
    files = json.loads(done.stdout)["files"]
    assert any(f.endswith("b\ufffd.yaml") for f in files)


# --- 5: unreadable folders and files --------------------------------------------------


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A folder under /tmp that another user may enter (pytest's tmp_path is root's)."""
    folder = Path(tempfile.mkdtemp(prefix="factcmp-abuse-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


NOBODY = ["--reuid=65534", "--regid=65534", "--clear-groups"]


def _runtime_distributions() -> list[metadata.Distribution]:
    """factcmp's distribution and every one it needs to run (extras left out)."""
    seen: dict[str, metadata.Distribution] = {}
    todo = ["factcmp"]
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name in seen:
            continue
        try:
            seen[name] = dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a requirement for another platform or Python
        for requirement in dist.requires or []:
            if "extra ==" not in requirement.replace("extra==", "extra =="):
                todo.append(re.split(r"[^A-Za-z0-9._-]", requirement, maxsplit=1)[0])
    return list(seen.values())


def _reachable_copy(folder: Path) -> Path:
    """factcmp and what it imports, copied under `folder` (which another user may
    enter), for a clone or a virtualenv in a folder that user cannot enter."""
    site = folder / "site-packages"
    for dist in _runtime_distributions():
        for file in dist.files or []:
            source = Path(str(dist.locate_file(file)))
            if ".." in file.parts or not source.is_file():
                continue  # scripts in bin/, and factcmp's own files (an editable install)
            (site / file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, site / file)
    package = Path(factcmp.__file__).parent
    shutil.copytree(package, site / "factcmp", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    for path in [site, *site.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return site


def as_nobody(folder: Path) -> tuple[list[str], dict[str, str]]:
    """The installed command as a user who cannot read what root can, and its
    environment. When that user cannot run the installed command (the clone or its
    virtualenv lies in a folder it cannot enter, as a `mktemp -d` folder), the same
    code runs from a copy under `folder`, with the interpreter the virtualenv links
    to; the test is skipped, saying why, only when that user cannot run even that."""
    if os.geteuid() != 0:
        return [EXE], {}
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.skip("running as root without setpriv")
    installed = [setpriv, *NOBODY, EXE]
    if _cannot_run(installed, {}) is None:
        return installed, {}
    python = os.path.realpath(sys.executable)
    copied = [setpriv, *NOBODY, python, "-m", "factcmp"]
    env = {"PYTHONPATH": str(_reachable_copy(folder)), "PYTHONNOUSERSITE": "1"}
    why = _cannot_run(copied, env)
    if why is not None:
        pytest.skip(f"user nobody cannot run {EXE}, nor {python} on a copy: {why}")
    return copied, env


def _cannot_run(command: list[str], env: dict[str, str]) -> str | None:
    """Why `command --version` fails, or None when it runs."""
    done = subprocess.run(
        [*command, "--version"], capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, **env}, cwd="/",
    )  # fmt: skip
    if done.returncode == 0:
        return None
    return done.stderr.strip()[-300:] or f"exit {done.returncode}"


def run_as(
    command: tuple[list[str], dict[str, str]], *args: str, cwd: Path
) -> subprocess.CompletedProcess[str]:
    cache = cwd / "cache"
    cache.mkdir(exist_ok=True)
    cache.chmod(0o777)
    argv, env = command
    return subprocess.run(
        [*argv, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **env, "FACTCMP_CACHE_DIR": str(cache), "HOME": str(cwd)},
    )


def test_an_unreadable_claims_folder_is_named_with_the_reason(open_tmp: Path) -> None:
    tmp_path = open_tmp
    folder = dispute(tmp_path)
    prefix = as_nobody(tmp_path / "runtime")
    folder.chmod(0o000)
    try:
        for command in (["diff"], ["brief"], ["sources", "check"], ["check"]):
            done = run_as(prefix, *command, cwd=tmp_path)
            assert done.returncode == 2, (command, done.stderr)
            assert "Traceback" not in done.stderr
            assert "claims" in done.stderr
            assert "Permission denied" in done.stderr, done.stderr
    finally:
        folder.chmod(0o755)


def test_an_unreadable_file_is_a_problem_at_line_1(open_tmp: Path) -> None:
    tmp_path = open_tmp
    folder = dispute(tmp_path)
    prefix = as_nobody(tmp_path / "runtime")
    (folder / "b.yaml").chmod(0o000)
    try:
        done = run_as(prefix, "diff", cwd=tmp_path)
        assert done.returncode == 2
        assert "claims/b.yaml:1:1: cannot read the file: Permission denied" in done.stderr
        done = run_as(prefix, "check", "--format", "github", cwd=tmp_path)
        assert "::error file=claims/b.yaml,line=1,col=1," in done.stdout
        done = run_as(prefix, "check", "--format", "json", cwd=tmp_path)
        [finding] = [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "io"]
        assert (finding["line"], finding["col"]) == (1, 1)
    finally:
        (folder / "b.yaml").chmod(0o644)


# --- 6: a nonsensical COLUMNS ---------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("columns", ["0", "-5", "abc", "3", ""])
def test_a_nonsensical_width_is_treated_as_unknown(columns: str) -> None:
    env = {"COLUMNS": columns}
    wide = run("diff", "armenia", "azerbaijan", cwd=REPO, env={"COLUMNS": "80"})
    done = run("diff", "armenia", "azerbaijan", cwd=REPO, env=env)
    assert done.returncode == 0
    assert done.stdout == wide.stdout
    bad = REPO / "tests" / "fixtures" / "check"
    found = sorted(bad.rglob("*.yaml"))[0]
    checked = run("check", str(found), cwd=REPO, env=env)
    assert checked.stdout == run("check", str(found), cwd=REPO, env={"COLUMNS": "80"}).stdout
    assert b"checked" in checked.stdout or b"error" in checked.stdout


# --- 9: one huge claim text ---------------------------------------------------------


def test_a_huge_claim_text_is_capped_in_the_table_and_whole_in_json(tmp_path: Path) -> None:
    folder = tmp_path / "claims"
    folder.mkdir()
    big = "word " * 400_000  # 2 MB: 4 s of table layout before the cap
    for name, other, text in (("a", "b", big.strip()), ("b", "a", "short")):
        (folder / f"{name}.yaml").write_text(
            f"factcmp: 1\nside: {{name: {name.upper()}}}\nclaims:\n  - id: c1\n"
            f'    topic: t\n    text: "{text}"\n    actor: {other}\n'
        )
    done = run("diff", "--no-cache", cwd=tmp_path)
    assert done.returncode == 0
    assert len(done.stdout) < 20_000
    assert b"more" in done.stdout  # "… [1,998,805 more characters: see --format json …]"
    data = json.loads(run("diff", "--format", "json", cwd=tmp_path).stdout)
    [claim] = data["topics"][0]["claims"]["a"]
    assert claim["text"] == big.strip()


# --- 11: option values that are not sizes or durations ------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--max-size", "0"),
        ("--max-size", "0.5"),
        ("--max-size", "0KB"),
        ("--max-size", "9" * 400),
        ("--max-size", "1e999"),
        ("--max-age", "9" * 400),
        ("--max-age", "1e999"),
    ],
)
def test_sources_options_are_validated(option: str, value: str) -> None:
    claims = REPO / "tests" / "fixtures" / "sources" / "claims"
    done = run("sources", "check", option, value, "--claims-dir", str(claims), cwd=REPO)
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr
    assert f"Invalid value for '{option}'".encode() in done.stderr


# --- 13: JSON escapes what encoders leave raw -----------------------------------------

ODD = "x\x7fy\x9bz\u202ew\u2028v"


@pytest.mark.parametrize(
    "command",
    [
        ["check", "--format", "json"],
        ["topics", "list", "--format", "json"],
        ["topics", "suggest", "--format", "json", "--min-score", "0"],
        ["diff", "--format", "json"],
    ],
)
def test_json_escapes_del_c1_and_bidi_controls(tmp_path: Path, command: list[str]) -> None:
    folder = dispute(tmp_path, by=ODD)
    (folder / "a.yaml").write_text(
        SIDE.format(name=json.dumps(ODD), by="mod", other="b")
        .replace("The other side shelled first.", json.dumps(ODD))
        .replace("topic: shelling", f"topic: {json.dumps('t' + ODD)}")
    )
    done = run(*command, cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    text = done.stdout.decode("utf-8")
    assert not RAW.search(text.replace("\n", "")), repr(text[:300])
    json.loads(text)
    if command[0] != "check":  # check's messages show the key escaped as \x7f already
        assert "\\u007f" in text


# --- a comma inside {…} that cuts a value in two (issue 14, the YAML trap) ----------


def test_a_comma_inside_a_flow_mapping_gets_a_hint(tmp_path: Path) -> None:
    folder = tmp_path / "claims"
    folder.mkdir()
    speaker = "zhao: {name: Zhao Lijian, role: Spokesperson, Ministry of Foreign Affairs}"
    (folder / "china.yaml").write_text(
        f"factcmp: 1\nside: {{name: China}}\nspeakers:\n  {speaker}\nclaims: []\n"
    )
    done = run("check", "--format", "json", cwd=tmp_path)
    [finding] = [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "unknown-key"]
    assert (finding["line"], finding["col"]) == (4, 49)
    assert "a comma inside `{…}` ended the value before it" in finding["message"]
    assert '"…, Ministry of Foreign Affairs"' in finding["message"]
    typo = (
        (folder / "china.yaml")
        .read_text()
        .replace("role: Spokesperson, Ministry of Foreign Affairs", "rol: Spokesperson")
    )
    (folder / "china.yaml").write_text(typo)
    done = run("check", "--format", "json", cwd=tmp_path)
    [finding] = [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "unknown-key"]
    assert "did you mean `role`?" in finding["message"]
    assert "comma" not in finding["message"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("line", "words", "col"),
    [
        ("    text: 'India's troops held'", "India", 18),
        ("    quote: 'We didn't cross the line'", "We didn", 21),
        ("  - {id: b, topic: t, text: 'Nepal's view'}", "Nepal", 36),
        ("    quote: 'The soldiers' families will be told'", "The soldiers", 27),
    ],
)
def test_an_apostrophe_inside_single_quotes_gets_a_hint(
    tmp_path: Path, line: str, words: str, col: int
) -> None:
    folder = tmp_path / "claims"
    folder.mkdir()
    claim = "  - id: a\n    topic: t\n    text: x\n" if not line.startswith("  -") else ""
    (folder / "india.yaml").write_text(
        f"factcmp: 1\nside: {{name: India}}\nclaims:\n{claim}{line}\n", encoding="utf-8"
    )
    done = run("check", "--format", "json", cwd=tmp_path)
    [finding] = json.loads(done.stdout)["findings"]
    assert (finding["rule"], finding["line"], finding["col"]) == (
        "yaml-syntax",
        7 if claim else 4,
        col,
    )
    assert f"the `'` after `{words}` ends the text in single quotes" in finding["message"]
    assert f"('{words}''" in finding["message"]
    # a line whose quotes are right gets no such hint
    (folder / "india.yaml").write_text(
        "factcmp: 1\nside: {name: India}\nclaims:\n  - id: a\n    topic: t\n"
        "    text: 'India''s troops held'\n    quote: 'x' y\n",
        encoding="utf-8",
    )
    done = run("check", "--format", "json", cwd=tmp_path)
    [finding] = json.loads(done.stdout)["findings"]
    assert finding["rule"] == "yaml-syntax"
    assert "ends the text in single quotes" not in finding["message"]


def test_a_comma_that_leaves_one_word_gets_the_hint_too(tmp_path: Path) -> None:
    folder = tmp_path / "claims"
    folder.mkdir()
    (folder / "china.yaml").write_text(
        "factcmp: 1\nside: {name: China}\nspeakers:\n"
        "  zhao: {name: Zhao Lijian, role: Spokesman, Beijing}\n"
        "  wang: {name: Wang Yi, rol: Foreign Minister}\nclaims: []\n",
        encoding="utf-8",
    )
    done = run("check", "--format", "json", cwd=tmp_path)
    found = [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "unknown-key"]
    messages = {f["line"]: f["message"] for f in found}
    assert "a comma inside `{…}` ended the value before it" in messages[4]
    assert "did you mean `role`?" in messages[5]  # a typo with a value stays a typo
