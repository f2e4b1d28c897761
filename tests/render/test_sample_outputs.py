"""The sample's outputs, byte for byte, as the installed command writes them.

The golden files were written by factcmp as it stood before the stages became
packages (commit 33ef7e9); a change that only moves code must leave them as they are.
`FACTCMP_UPDATE_GOLDEN=1` rewrites them, for a change that means to alter an output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CLAIMS, REPO

GOLDEN = REPO / "tests" / "golden"
FACTCMP = shutil.which("factcmp")

CASES = {
    "sample-diff.txt": ["diff", "armenia", "azerbaijan"],
    "sample-diff.json": ["diff", "armenia", "azerbaijan", "--format", "json"],
    "sample-diff.csv": ["diff", "armenia", "azerbaijan", "--format", "csv"],
    "sample-timeline.txt": ["timeline", "armenia", "azerbaijan"],
    "sample-timeline.json": ["timeline", "armenia", "azerbaijan", "--format", "json"],
    "sample-timeline.csv": ["timeline", "armenia", "azerbaijan", "--format", "csv"],
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample claims outside any git repository."""
    folder = tmp_path_factory.mktemp("sample")
    shutil.copytree(CLAIMS, folder / "claims")
    return folder


@pytest.mark.skipif(FACTCMP is None, reason="the factcmp command is not installed")
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_sample_output_is_byte_identical_to_its_golden_file(
    name: str, sample: Path, tmp_path: Path
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FACTCMP_", "FORCE_COLOR", "NO_COLOR", "TERM"))
    }
    env |= {"COLUMNS": "100", "FACTCMP_CACHE_DIR": str(tmp_path / "cache")}
    assert FACTCMP is not None
    done = subprocess.run(
        [FACTCMP, *CASES[name]], cwd=sample, env=env, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    if os.environ.get("FACTCMP_UPDATE_GOLDEN"):
        (GOLDEN / name).write_bytes(done.stdout)
    assert done.stdout == (GOLDEN / name).read_bytes()
