"""Shared fixtures: where the repository and the shared corpus are."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis bounds the time an example takes (200 ms) and the time it takes to make
# the data: wall-clock bounds that a busy machine breaks. The examples are still
# shrunk and replayed; no test here is about how fast one example runs.
settings.register_profile("factcmp", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("factcmp")

REPO = Path(__file__).resolve().parent.parent
CLAIMS = REPO / "claims"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile factcmp's modules once, before any test runs the installed command.
    Where PYTHONDONTWRITEBYTECODE is set (some CI images and containers), every
    `factcmp` a test starts would otherwise compile every module it imports again, a
    fifth of the suite's processor time; Python still reads the compiled files."""
    if hasattr(session.config, "workerinput"):  # a pytest-xdist worker: done once
        return
    import compileall

    compileall.compile_dir(REPO / "factcmp", quiet=2)


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test with the repository as the working directory (claims/ found)."""
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("FACTCMP_CLAIMS", raising=False)
    return REPO


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own parse cache, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("FACTCMP_CACHE_DIR", str(folder))
    return folder
