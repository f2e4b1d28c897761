"""The parse cache: used when a file is unchanged, never stale, never an error."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import msgspec
import pytest

import factcmp.cache
from factcmp.cache import ParseCache, default_dir
from factcmp.load import load_side
from factcmp.problems import InputError
from tests.conftest import CLAIMS

CLAIM_FILE = """factcmp: 1
side: {name: Red}
claims:
  - {id: a, topic: t, text: first text, count: 105}
"""


def claim_file(tmp_path: Path, text: str = CLAIM_FILE) -> Path:
    path = tmp_path / "red.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def entries(cache: ParseCache) -> list[Path]:
    return sorted(cache.folder.glob("*.bin"))


def test_an_unchanged_file_is_read_from_the_cache(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "cache")
    path = claim_file(tmp_path)
    first = load_side(path, cache=cache)
    assert first.claims[0].count is not None
    assert first.claims[0].count.best == 105
    [entry] = entries(cache)
    # Prove the hit: store a different value under the file's key; the next load
    # returns it, so it came from the cache and not from the YAML.
    key = entry.stem
    changed = msgspec.structs.replace(first, name="From the cache")
    cache.put(key, changed)
    assert load_side(path, cache=cache).name == "From the cache"
    assert load_side(path).name == "Red"  # without the cache: the file


def test_the_cache_gives_what_the_file_gives(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "cache")
    for name in ("armenia", "azerbaijan", "russia"):
        fresh = load_side(CLAIMS / f"{name}.yaml")
        load_side(CLAIMS / f"{name}.yaml", cache=cache)
        cached = load_side(CLAIMS / f"{name}.yaml", cache=cache)
        assert msgspec.msgpack.encode(cached) == msgspec.msgpack.encode(fresh)
        assert [type(c.count.best) for c in cached.claims if c.count] == [
            type(c.count.best) for c in fresh.claims if c.count
        ]


def test_a_changed_file_is_never_stale_even_with_the_same_size_and_time(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "cache")
    path = claim_file(tmp_path)
    assert load_side(path, cache=cache).claims[0].text == "first text"
    stat = path.stat()
    path.write_text(CLAIM_FILE.replace("first", "other"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    assert load_side(path, cache=cache).claims[0].text == "other text"


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # truncated
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]),  # one bit flipped in the payload
        lambda raw: b"not a cache entry at all",
        lambda raw: b"",
    ],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(tmp_path: Path, damage: object) -> None:
    assert callable(damage)
    cache = ParseCache(tmp_path / "cache")
    path = claim_file(tmp_path)
    load_side(path, cache=cache)
    [entry] = entries(cache)
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    assert load_side(path, cache=cache).claims[0].text == "first text"
    assert entry.read_bytes() == good  # rebuilt


def test_a_new_factcmp_version_does_not_meet_old_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = b"factcmp: 1\n"
    old = ParseCache.key(data, "side", "red.yaml", "red")
    monkeypatch.setattr(factcmp.cache, "__version__", "99.0.0")
    assert ParseCache.key(data, "side", "red.yaml", "red") != old


def test_files_with_problems_are_never_cached(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "cache")
    path = claim_file(tmp_path, CLAIM_FILE.replace("count: 105", "cout: 105"))
    for _ in range(2):
        with pytest.raises(InputError):
            load_side(path, cache=cache)
    assert entries(cache) == []


def test_an_unwritable_cache_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    cache = ParseCache(blocker / "cache")
    path = claim_file(tmp_path)
    assert load_side(path, cache=cache).name == "Red"
    assert load_side(path, cache=cache).name == "Red"


def test_default_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTCMP_CACHE_DIR", "/somewhere/else")
    assert default_dir() == Path("/somewhere/else")
    monkeypatch.delenv("FACTCMP_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg")
    if os.name == "posix" and os.uname().sysname == "Linux":
        assert default_dir() == Path("/xdg/factcmp")


def test_the_command_uses_the_cache_and_no_cache_skips_it(tmp_path: Path, cache_dir: Path) -> None:
    factcmp_exe = shutil.which("factcmp")
    assert factcmp_exe
    shutil.copytree(CLAIMS, tmp_path / "claims")
    env = {**os.environ, "FACTCMP_CACHE_DIR": str(tmp_path / "c")}

    def run(*args: str) -> str:
        done = subprocess.run(
            [factcmp_exe, "diff", "--format", "json", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    uncached = run("--no-cache")
    assert not (tmp_path / "c").exists()
    assert run() == uncached  # fills the cache
    assert len(list((tmp_path / "c").glob("*.bin"))) == 5  # 3 sides, topics, the comparison
    assert run() == uncached  # read from it


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "--format", "json"],
        ["diff", "--format", "csv"],
        ["diff", "armenia", "azerbaijan"],
        ["diff", "azerbaijan", "armenia", "--only", "contradiction,one-sided", "--limit", "3"],
        ["diff", "--topic", "casualties", "--format", "json"],
        ["diff", "russia", "armenia", "--as-of", "2022-09-13", "--format", "json"],
        ["brief", "armenia", "azerbaijan", "russia", "--date", "2022-09-15"],
        ["brief", "--only", "discrepancy", "--date", "2022-09-15"],
    ],
)
def test_output_from_the_cache_is_the_output_without_it(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from factcmp.cli import main

    shutil.copytree(CLAIMS, tmp_path / "claims")  # outside git: no commit in briefs
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTCMP_CACHE_DIR", str(tmp_path / "cache"))
    runner = CliRunner()
    fresh = runner.invoke(main, [*args, "--no-cache"], env={"COLUMNS": "120"})
    cold = runner.invoke(main, args, env={"COLUMNS": "120"})  # fills the cache
    warm = runner.invoke(main, args, env={"COLUMNS": "120"})  # reads it
    assert fresh.exit_code == cold.exit_code == warm.exit_code == 0
    assert fresh.output == cold.output == warm.output
    assert list((tmp_path / "cache").glob("*.bin"))


def test_a_cached_comparison_decodes_only_what_is_read(tmp_path: Path) -> None:
    from factcmp.pipeline import compare_files
    from factcmp.result import TopicList

    cache = ParseCache(tmp_path / "cache")
    sides = [(s, CLAIMS / f"{s}.yaml") for s in ("armenia", "azerbaijan")]
    cold = compare_files(sides, CLAIMS / "topics.yaml", cache=cache).comparison
    warm = compare_files(sides, CLAIMS / "topics.yaml", cache=cache).comparison
    assert isinstance(warm.topics, TopicList)
    assert not isinstance(cold.topics, TopicList)
    assert warm.index() == cold.index()
    assert warm.summary() == cold.summary()
    assert msgspec.msgpack.encode(list(warm.topics)) == msgspec.msgpack.encode(list(cold.topics))
    assert [t.topic.key for t in warm.topics[:2]] == [t.topic.key for t in cold.topics[:2]]
