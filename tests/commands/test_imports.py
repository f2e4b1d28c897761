"""Start-up hygiene: a command imports only what it uses (checked in a fresh process)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PROBE = """
import json, sys
from factcmp.cli import main
sys.argv = ["factcmp", *json.loads(sys.argv[1])]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)))
"""


def imported(*args: str, full: bool = False) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    modules = json.loads(done.stderr.rsplit("MODULES ", 1)[1])
    return set(modules) if full else {name.split(".")[0] for name in modules}


HTTP = {"httpx", "httpcore", "anyio", "h11", "ssl", "asyncio"}
NEVER = {"jsonschema", "check_jsonschema", "cmarkgfm", "hypothesis", "pytest",
         "sqlite_utils", "datasette", "sqlite3"}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "absent"),
    [
        (["--version"], HTTP | NEVER | {"yaml", "msgspec", "rich", "difflib"}),
        (["--help"], HTTP | NEVER | {"yaml", "msgspec", "rich"}),
        (["diff", "armenia", "azerbaijan"], HTTP | NEVER | {"difflib"}),
        (["diff", "armenia", "azerbaijan", "--format", "json"], HTTP | NEVER | {"rich"}),
        (["diff", "--format", "csv"], HTTP | NEVER | {"rich"}),
        (["brief", "armenia", "azerbaijan"], HTTP | NEVER | {"rich"}),
        (["check"], HTTP | NEVER | {"hashlib", "_hashlib"}),  # OpenSSL: a few ms
        (["schema"], HTTP | NEVER | {"yaml", "rich"}),
        (["export", "--help"], HTTP | NEVER | {"yaml", "rich"}),
        (["topics", "list"], HTTP | NEVER),
        (["timeline"], HTTP | NEVER),
    ],
)
def test_commands_import_only_what_they_use(args: list[str], absent: set[str]) -> None:
    assert imported(*args) & absent == set()


SUGGESTER = {"factcmp.compare.suggest", "factcmp.compare.similar"}
EDITOR = {"factcmp.edit.exact", "factcmp.edit.rename", "difflib"}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "absent"),
    [
        (["--version"], SUGGESTER | EDITOR),
        (["--help"], SUGGESTER | EDITOR),
        (["topics", "--help"], SUGGESTER | EDITOR | {"rich", "yaml"}),
        (["check"], {"factcmp.compare.suggest", "factcmp.edit.exact", "factcmp.edit.rename"}),
        (["schema"], SUGGESTER | EDITOR),
        (["sources", "check", "--help"], SUGGESTER | EDITOR),
        (["topics", "list", "--format", "json"], EDITOR | {"rich"}),
        (["topics", "suggest", "--format", "json"], EDITOR | {"rich"}),
        (["topics", "rename", "shelling", "x", "--dry-run"], SUGGESTER | {"rich"} | HTTP),
    ],
)
def test_the_suggester_and_the_editor_load_only_where_used(
    args: list[str], absent: set[str]
) -> None:
    assert imported(*args, full=True) & absent == set()


def test_a_warm_diff_does_not_run_the_suggester() -> None:
    imported("diff", "armenia", "azerbaijan")  # the cache now holds the comparison and hint
    assert imported("diff", "armenia", "azerbaijan", full=True) & SUGGESTER == set()


def test_a_warm_diff_does_not_import_yaml() -> None:
    imported("diff", "armenia", "azerbaijan")  # fills the cache
    assert "yaml" not in imported("diff", "armenia", "azerbaijan")


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["diff", "armenia", "azerbaijan"],
        ["brief", "armenia", "azerbaijan"],
        ["timeline"],
        ["check"],
        ["changes", "--help"],
    ],
)
def test_the_chart_library_loads_only_for_a_chart(args: list[str]) -> None:
    assert "vl_convert" not in imported(*args)


SOURCE_READER = {"factcmp.sources.meta", "factcmp.sources.entry"}


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["--help"],
        ["diff", "armenia", "azerbaijan"],
        ["brief", "armenia", "azerbaijan"],
        ["check"],
        ["schema"],
        ["sources", "check", "--help"],
        ["topics", "list", "--format", "json"],
    ],
)
def test_the_page_metadata_reader_loads_only_for_source(args: list[str]) -> None:
    assert imported(*args, full=True) & SOURCE_READER == set()


def test_source_help_imports_no_http_nor_the_reader() -> None:
    assert imported("source", "--help", full=True) & (SOURCE_READER | HTTP) == set()


def test_a_clean_check_loads_no_rich_and_one_with_findings_does(tmp_path: Path) -> None:
    """A clean run prints one line with nothing to style (CI's every push)."""
    assert "rich" not in imported("check")  # the sample claims are clean
    bad = tmp_path / "x.yaml"
    bad.write_text("factcmp: 1\nside: {name: X}\nclaims: [\n", encoding="utf-8")
    assert "rich" in imported("check", str(bad))
