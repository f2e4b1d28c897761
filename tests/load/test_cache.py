"""The parse cache: used when a file is unchanged, never stale, never an error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest

import factcmp.cache
from factcmp.cache import Outputs, ParseCache, default_dir
from factcmp.load.files import load_side
from factcmp.pipeline import compare_files, comparison_key
from factcmp.problems import InputError
from factcmp.result import TopicList
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
    # 3 sides, topics.yaml, the comparison (its index, its topics), its JSON
    assert len(list((tmp_path / "c").glob("*.bin"))) == 7
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


# The cache is never trusted blindly (issue 12) ----------------------------------------


def _capped() -> None:  # pragma: no cover - runs in the child, before factcmp
    """A child process with 1 GiB of address space: reading without limit fails fast."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, /dev/zero and rlimits are POSIX")
@pytest.mark.parametrize("hostile", ["fifo", "link to /dev/zero", "dangling link", "folder"])
def test_an_entry_that_is_not_a_regular_file_is_a_miss(hostile: str, tmp_path: Path) -> None:
    """A FIFO hung `diff` (reading waits for a writer forever); a link to /dev/zero
    read without end (MemoryError). Now: not read, removed, rebuilt; never an error."""
    factcmp_exe = shutil.which("factcmp")
    assert factcmp_exe
    shutil.copytree(CLAIMS, tmp_path / "claims")
    folder = tmp_path / "c"
    env = {**os.environ, "FACTCMP_CACHE_DIR": str(folder), "COLUMNS": "120"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [factcmp_exe, *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            preexec_fn=_capped,
        )

    commands = [["diff", "armenia", "azerbaijan"], ["diff", "--format", "json"]]
    expected = [run(*args, "--no-cache").stdout for args in commands]
    for args in commands:
        run(*args)  # fills the cache: the files, the comparisons, the outputs
    found = sorted(folder.glob("*.bin"))
    assert len(found) >= 6
    for entry in found:
        entry.unlink()
        if hostile == "fifo":
            os.mkfifo(entry)
        elif hostile == "link to /dev/zero":
            entry.symlink_to("/dev/zero")
        elif hostile == "dangling link":
            entry.symlink_to(tmp_path / "nowhere")
        else:
            entry.mkdir()
    for args, output in zip(commands, expected, strict=True):
        done = run(*args)
        assert (done.returncode, done.stderr, done.stdout) == (0, "", output)
    if hostile != "folder":  # removed, and written again as regular files
        assert all(entry.is_file() and not entry.is_symlink() for entry in found)


def test_entries_swapped_between_keys_are_misses(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "cache")
    one, two = ParseCache.key(b"one"), ParseCache.key(b"two")
    cache.put(one, "first")
    cache.put(two, "second")
    a, b = cache.folder / f"{one}.bin", cache.folder / f"{two}.bin"
    a.rename(tmp_path / "swap")
    b.rename(a)
    (tmp_path / "swap").rename(b)
    assert cache.get(one, str) is None
    assert cache.get(two, str) is None
    assert not a.exists()  # removed
    assert not b.exists()


def test_swapped_comparisons_do_not_swap_the_sides(tmp_path: Path) -> None:
    """`diff armenia azerbaijan` printed "Azerbaijan vs Armenia" with the sides' data
    swapped, when the two orders' cached comparisons had been swapped."""
    cache = ParseCache(tmp_path / "cache")
    topics = CLAIMS / "topics.yaml"
    order = [(name, CLAIMS / f"{name}.yaml") for name in ("armenia", "azerbaijan")]
    orders = [order, order[::-1]]
    for sides in orders:
        compare_files(sides, topics, cache=cache)
    data = topics.read_bytes()
    keys = [
        comparison_key([(i, p, p.read_bytes()) for i, p in s], topics, data, None) for s in orders
    ]
    a, b = (cache.folder / f"{key}.bin" for key in keys)
    a.rename(tmp_path / "swap")
    b.rename(a)
    (tmp_path / "swap").rename(b)
    warm = compare_files(order, topics, cache=cache).comparison
    fresh = compare_files(order, topics).comparison
    assert [side.id for side in warm.sides] == ["armenia", "azerbaijan"]
    assert msgspec.msgpack.encode(list(warm.topics)) == msgspec.msgpack.encode(list(fresh.topics))


def test_a_comparison_whose_topics_went_missing_is_compared_again(tmp_path: Path) -> None:
    """The index and the topics of a cached comparison are two entries: topics pruned
    or damaged after the index was read are compared again, never missing."""
    cache = ParseCache(tmp_path / "cache")
    topics = CLAIMS / "topics.yaml"
    sides = [(name, CLAIMS / f"{name}.yaml") for name in ("armenia", "azerbaijan")]
    fresh = compare_files(sides, topics).comparison
    compare_files(sides, topics, cache=cache)
    data = [(i, p, p.read_bytes()) for i, p in sides]
    key = comparison_key(data, topics, topics.read_bytes(), None)
    topics_entry = cache.folder / f"{ParseCache.key(b'', 'topics', key)}.bin"
    for damage in ("removed", "damaged"):
        warm = compare_files(sides, topics, cache=cache).comparison  # the index, read
        assert isinstance(warm.topics, TopicList)
        if damage == "removed":
            topics_entry.unlink()
        else:
            topics_entry.write_bytes(topics_entry.read_bytes()[:-3])
        assert msgspec.msgpack.encode(list(warm.topics)) == msgspec.msgpack.encode(
            list(fresh.topics)
        )
        assert topics_entry.is_file()  # cached again


def test_a_bad_entry_is_removed(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "cache")
    key = ParseCache.key(b"data")
    damages: list[Callable[[bytes], bytes]] = [
        lambda raw: raw[:-1],
        lambda raw: raw + b"more",
        lambda raw: b"x" + raw[1:],
    ]
    for damage in damages:
        cache.put(key, [1, 2, 3])
        [entry] = entries(cache)
        entry.write_bytes(damage(entry.read_bytes()))
        assert cache.get(key, list[int]) is None
        assert entries(cache) == []


def test_an_entry_says_how_long_it_is_and_no_more_is_read(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "cache")
    key = ParseCache.key(b"data")
    cache.put(key, "x" * 1000)
    [entry] = entries(cache)
    raw = entry.read_bytes()
    at = len(factcmp.cache._MAGIC) + factcmp.cache._OWNER  # the payload's length, then its CRC
    assert int.from_bytes(raw[at : at + 8], "big") == len(raw) - at - 8 - 4
    with entry.open("ab") as grow:  # a file longer than its header says: not an entry
        grow.write(b"\0" * 10)
    assert cache.get(key, str) is None


def test_leftover_temporary_files_are_pruned(tmp_path: Path) -> None:
    """A writer killed between writing and renaming leaves `.<key>.bin.*.tmp`."""
    cache = ParseCache(tmp_path / "cache")
    cache.folder.mkdir()
    old = cache.folder / f".{'a' * 40}.bin.k1ll3d.tmp"
    new = cache.folder / f".{'b' * 40}.bin.wr1t1n.tmp"  # another process is writing it
    old.write_bytes(b"half an entry")
    new.write_bytes(b"half an entry")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    cache.put(ParseCache.key(b"data"), "value")
    assert not old.exists()
    assert new.exists()


def test_the_cache_keeps_a_budget_of_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    for number in range(5):
        entry = folder / f"{number:040x}.bin"
        entry.write_bytes(b"x" * 100)
        os.utime(entry, (1000 + number, 1000 + number))
    factcmp.cache.prune(folder, 1000, 250)
    assert sorted(p.name[-5:] for p in folder.glob("*.bin")) == ["3.bin", "4.bin"]  # newest
    factcmp.cache.prune(folder, 1, 10)
    assert [p.name[-5:] for p in folder.glob("*.bin")] == ["4.bin"]  # the newest always


def test_edited_code_never_meets_old_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    """An editable install changed without a new version number: the renderers'
    outputs, and the comparisons, of the old code are not the new code's."""
    old = ParseCache.key(b"data", "output")
    monkeypatch.setattr(factcmp.cache, "_code", lambda: "edited")
    assert ParseCache.key(b"data", "output") != old


# Outputs of a comparison from the cache (issue 12: a warm JSON was 2.4x cold) --------


def _invoke(args: list[str], columns: str = "120") -> tuple[int, str]:
    from click.testing import CliRunner

    from factcmp.cli import main

    done = CliRunner().invoke(main, args, env={"COLUMNS": columns})
    return done.exit_code, done.output


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "--format", "json"],
        ["diff", "--format", "csv"],
        ["diff", "armenia", "azerbaijan"],
        ["diff", "--only", "contradiction", "--format", "json"],
        ["brief", "armenia", "azerbaijan", "--date", "2022-09-15"],
    ],
)
def test_a_warm_output_decodes_no_topic(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CLAIMS, tmp_path / "claims")
    monkeypatch.chdir(tmp_path)
    fresh = _invoke([*args, "--no-cache"])
    assert _invoke(args) == fresh  # fills the cache

    def refuse(*_args: object) -> object:
        raise AssertionError("a topic was decoded: the output was rendered again")

    monkeypatch.setattr(TopicList, "__getitem__", refuse)
    monkeypatch.setattr(TopicList, "__iter__", refuse)
    assert _invoke(args) == fresh


def test_what_an_output_depends_on_is_in_its_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A brief's date and title, a table's width, a selection: each gives its own
    output, never one cached for another."""
    shutil.copytree(CLAIMS, tmp_path / "claims")
    monkeypatch.chdir(tmp_path)
    brief = ["brief", "armenia", "azerbaijan"]
    _invoke([*brief, "--date", "2022-09-15"])
    _invoke(["diff", "armenia", "azerbaijan"])
    _invoke(["diff", "--format", "json"])
    for args, columns in [
        ([*brief, "--date", "2022-09-16"], "120"),
        ([*brief, "--date", "2022-09-15", "--title", "Other", "--no-caveat"], "120"),
        (["diff", "armenia", "azerbaijan"], "80"),
        (["diff", "armenia", "azerbaijan", "--limit", "2"], "120"),
        (["diff", "azerbaijan", "armenia"], "120"),
        (["diff", "--format", "json", "--topic", "casualties"], "120"),
        (["diff", "--format", "json", "--only", "agreement"], "120"),
    ]:
        assert _invoke(args, columns) == _invoke([*args, "--no-cache"], columns), args
        assert _invoke(args, columns) == _invoke([*args, "--no-cache"], columns), args


def test_narrowed_outputs_are_keyed_by_the_topics_kept(tmp_path: Path) -> None:
    outputs = Outputs(ParseCache(tmp_path), ParseCache.key(b"comparison"))
    outputs.subset([0, 1]).put(["json"], "the first two")
    assert outputs.subset([0, 1]).get(["json"]) == "the first two"
    assert outputs.subset([1, 2]).get(["json"]) is None
    assert outputs.get(["json"]) is None


@pytest.mark.parametrize("hostile", ["fifo", "link to /dev/zero"])
def test_the_sources_results_cache_reads_only_regular_files(tmp_path: Path, hostile: str) -> None:
    """Like the parse cache, the results of `sources check` are never read from a FIFO
    (which hung) or through a link to /dev/zero (which read without end)."""
    probe = f"""
import time
from pathlib import Path
from factcmp.sources.cache import ResultsCache
cache = ResultsCache(Path({str(tmp_path)!r}), 3600)
path = cache._path("https://example.org/")
path.parent.mkdir(parents=True, exist_ok=True)
if {hostile!r} == "fifo":
    import os
    os.mkfifo(path)
else:
    path.symlink_to("/dev/zero")
print(cache.get("https://example.org/", need_body=True))
"""
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=_capped,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "None\n", "")
