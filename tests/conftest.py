"""Shared fixtures: where the repository and the shared corpus are."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CLAIMS = REPO / "claims"


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
