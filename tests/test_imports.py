"""Start-up hygiene: a command imports only what it uses (checked in a fresh process)."""

from __future__ import annotations

import json
import subprocess
import sys

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


def imported(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    modules = json.loads(done.stderr.rsplit("MODULES ", 1)[1])
    return {name.split(".")[0] for name in modules}


HTTP = {"httpx", "httpcore", "anyio", "h11", "ssl", "asyncio"}
NEVER = {"jsonschema", "check_jsonschema", "cmarkgfm", "hypothesis", "pytest"}


@pytest.mark.parametrize(
    ("args", "absent"),
    [
        (["--version"], HTTP | NEVER | {"yaml", "msgspec", "rich", "difflib"}),
        (["--help"], HTTP | NEVER | {"yaml", "msgspec", "rich"}),
        (["diff", "armenia", "azerbaijan"], HTTP | NEVER | {"difflib"}),
        (["diff", "armenia", "azerbaijan", "--format", "json"], HTTP | NEVER | {"rich"}),
        (["diff", "--format", "csv"], HTTP | NEVER | {"rich"}),
        (["brief", "armenia", "azerbaijan"], HTTP | NEVER | {"rich"}),
        (["check"], HTTP | NEVER),
        (["schema"], HTTP | NEVER | {"yaml", "rich"}),
    ],
)
def test_commands_import_only_what_they_use(args: list[str], absent: set[str]) -> None:
    assert imported(*args) & absent == set()
