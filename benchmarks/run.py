"""factcmp's speed, each figure a ratio to a floor measured in the same run.

    python benchmarks/run.py [--runs N] [--sizes 1000,10000,100000] [--only SECTION]

Sections: startup (a warm diff of the sample), load, diff (table, json, csv and brief, each
cold and warm: the ratios), check, rename (topics rename of 2,500 to 20,000 claims). Every
figure is the median of N runs (interleaved with its floor where both are commands; one run
of each diff at 100,000 claims). Generated
corpora go to a temporary folder (benchmarks/generate.py). Run from the repository root with
factcmp installed; `check` also needs check-jsonschema (the test extra).
"""

from __future__ import annotations

import argparse
import compileall
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# As on a user's machine: Python may use and write bytecode caches (a session or CI
# may set PYTHONDONTWRITEBYTECODE, which would time the compiler on every start).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def commands_medians(
    commands: dict[str, list[str]],
    runs: int,
    cwd: Path,
    env: dict[str, str] | None = None,
    *,
    warm_up: bool = True,
) -> dict[str, float]:
    """Median wall time of each command, the commands interleaved run by run."""
    env = env or ENV
    times: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values() if warm_up else ():  # bytecode written, files in memory
        subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(runs):
        for name, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(
                argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def row(name: str, seconds: float, floor: float, floor_name: str, target: str = "") -> None:
    ratio = seconds / floor
    print(f"  {name:58s} {seconds * 1000:9.1f} ms  {ratio:6.2f}x {floor_name}  {target}")


def factcmp_exe() -> str:
    exe = shutil.which("factcmp")
    if not exe:
        sys.exit("factcmp is not installed: pip install -e '.[test]'")
    return exe


# Sections ----------------------------------------------------------------------------


def startup(runs: int, work: Path) -> None:
    print("start-up (the sample claims; diff warm: its comparison and table in the cache)")
    py, exe = sys.executable, factcmp_exe()
    floors = {
        "import yaml": [py, "-c", "import yaml"],
        "import click": [py, "-c", "import click"],
        "import click, yaml": [py, "-c", "import click, yaml"],
        "import click, yaml, rich.console, rich.table": [
            py,
            "-c",
            "import click, yaml, rich.console, rich.table",
        ],
    }
    ours = {
        "factcmp --version": [exe, "--version"],
        "factcmp diff armenia azerbaijan": [exe, "diff", "armenia", "azerbaijan"],
    }
    env = {**ENV, "FACTCMP_CACHE_DIR": str(work / "startup-cache")}
    m = commands_medians({**floors, **ours}, runs, ROOT, env=env)  # the warm-up fills the cache
    for name in floors:
        print(f"  floor: python -c {name!r:49s} {m[name] * 1000:9.1f} ms")
    row("factcmp --version", m["factcmp --version"], m["import click"], "import click", "(≤1.2x)")
    row(
        "factcmp --version",
        m["factcmp --version"],
        m["import click, yaml"],
        "import click, yaml",
    )
    row(
        "factcmp diff armenia azerbaijan",
        m["factcmp diff armenia azerbaijan"],
        m["import click, yaml, rich.console, rich.table"],
        "import click, yaml, rich",
        "(≤1.2x)",
    )
    row(
        "factcmp diff armenia azerbaijan",
        m["factcmp diff armenia azerbaijan"],
        m["import yaml"],
        "import yaml",
    )


def load(runs: int, sizes: list[int], work: Path) -> None:
    import yaml

    from factcmp.load.files import load_side

    print("loading one file: factcmp's loader (positions, duplicate keys, validation)")
    print("  against bare yaml.load(..., Loader=yaml.CSafeLoader) on the same file")
    for size in sizes:
        path = generate(work / f"load-{size}", 1, size)[0]
        text = path.read_text(encoding="utf-8")

        def bare(text: str = text) -> object:
            return yaml.load(text, Loader=yaml.CSafeLoader)

        def ours(path: Path = path) -> object:
            return load_side(path)

        n = max(1, runs if size <= 10_000 else runs // 2)
        floor = median_seconds(bare, n)
        seconds = median_seconds(ours, n)
        gc.collect()
        target = "(≤1x)" if size <= 1000 else "(≤0.5x)"
        print(
            f"  {size:>7,} claims: factcmp {size / seconds:9,.0f} claims/s, "
            f"bare CSafeLoader {size / floor:9,.0f} claims/s: "
            f"factcmp takes {seconds / floor:5.2f}x the time {target}"
        )


FORMATS = {
    "table": ["diff"],
    "json": ["diff", "--format", "json"],
    "csv": ["diff", "--format", "csv"],
    "brief": ["brief", "--date", "2022-09-30"],
}


def diff(runs: int, sizes: list[int], work: Path) -> None:
    from factcmp.load.files import load_side, load_topics

    exe = factcmp_exe()
    print(
        "diff (table, json, csv) and brief, two sides of N claims each; cold: --no-cache; "
        "warm: files unchanged, the cache filled by one run of each"
    )
    for size in sizes:
        folder = work / f"diff-{size}"
        generate(folder, 2, size)
        claims = folder / "claims"
        n = max(1, runs if size <= 10_000 else 1)

        def load_all(claims: Path = claims) -> object:
            return (
                load_side(claims / "sidea.yaml"),
                load_side(claims / "sideb.yaml"),
                load_topics(claims / "topics.yaml"),
            )

        load_time = median_seconds(load_all, n)
        cache = {**ENV, "FACTCMP_CACHE_DIR": str(folder / "cache")}
        for args in FORMATS.values():  # fills the cache: the comparison, then each output
            subprocess.run([exe, *args], cwd=folder, env=cache, stdout=subprocess.DEVNULL)
        # (a single run of minutes needs no warm-up: the fill above was one)
        cold = commands_medians(
            {name: [exe, *args, "--no-cache"] for name, args in FORMATS.items()},
            n,
            folder,
            warm_up=n > 1,
        )
        warm = commands_medians(
            {name: [exe, *args] for name, args in FORMATS.items()}, n, folder, env=cache
        )
        if size <= 10_000:  # every row laid out (the first time: then it is cached too)
            start = time.perf_counter()
            argv = [exe, "diff", "--limit", "0"]
            subprocess.run(argv, cwd=folder, env=cache, stdout=subprocess.DEVNULL)
            warm["all rows"] = time.perf_counter() - start
        per = 2 * size / 1e6  # µs per claim
        cold_target = ", target <3x" if size >= 100_000 else ""
        warm_target = " (target >=10x)" if size >= 100_000 else ""
        print(
            f"  {size:>7,} claims a side: loading them {load_time:6.2f} s; cold: table "
            f"{cold['table']:6.2f} s ({cold['table'] / per:5.1f} µs/claim, "
            f"{cold['table'] / load_time:4.2f}x the load{cold_target})"
            + "".join(
                f", {name} {cold[name]:6.2f} s ({cold[name] / per:5.1f} µs/claim)"
                for name in FORMATS
                if name != "table"
            )
        )
        print(
            f"  {'':>7} warm, and how many times faster than cold{warm_target}: "
            + ", ".join(
                f"{name} {warm[name]:6.2f} s ({cold[name] / warm[name]:5.1f}x)" for name in FORMATS
            )
            + (
                f"; the table with every row (--limit 0), laid out {warm['all rows']:6.2f} s"
                if "all rows" in warm
                else ""
            )
        )


def check(runs: int, work: Path) -> None:
    """`factcmp check` against check-jsonschema validating the same files with factcmp's
    own schema (`factcmp schema`), interleaved run by run: the ratios of the medians of
    their wall times and of their CPU times.
    check-jsonschema comes with the test extra (`pip install -e '.[test]'`, or
    `pip install 'check-jsonschema>=0.29'`). The corpus: 100 files of 100 claims, each
    file with topics of its own beside the shared ones, thousands of topic keys in all
    (which the topic-similar rule must not compare two by two)."""
    exe = factcmp_exe()
    other = shutil.which("check-jsonschema")
    folder = work / "check"
    files = generate(folder, 2, 100, files=50)
    keys = {
        line.strip()
        for path in files
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("    topic: ")
    }
    print(f"check: 100 files of 100 claims each, {len(keys):,} topic keys")
    schema = folder / "schema.json"
    schema.write_text(
        subprocess.run([exe, "schema"], capture_output=True, text=True, check=True).stdout,
        encoding="utf-8",
    )
    commands = {
        "factcmp check": [exe, "check", str(folder / "claims")],
        "--no-cache": [exe, "check", "--no-cache", str(folder / "claims")],
    }
    if other:
        commands["check-jsonschema"] = [other, "--schemafile", str(schema), *map(str, files)]
    wall, cpu = _wall_and_cpu(
        commands, runs, folder, {**ENV, "FACTCMP_CACHE_DIR": str(folder / "cache")}
    )
    ours = "factcmp check"
    if not other:
        print(
            f"  {ours} {wall[ours]:.2f} s, {cpu[ours]:.2f} s of CPU (check-jsonschema is not "
            "installed: pip install -e '.[test]')"
        )
        return
    theirs = "check-jsonschema"
    print(
        f"  {ours} {wall[ours]:.2f} s ({cpu[ours]:.2f} s of CPU), {theirs} {wall[theirs]:.2f} s "
        f"({cpu[theirs]:.2f} s of CPU): factcmp is {wall[theirs] / wall[ours]:.1f}x faster "
        f"(target >=12x); in CPU time, which other work on the machine disturbs less, "
        f"{cpu[theirs] / cpu[ours]:.1f}x"
    )
    cold = "--no-cache"
    print(
        f"  with --no-cache (topics.yaml parsed again, as in a CI job with no cache) "
        f"{wall[cold]:.2f} s ({cpu[cold]:.2f} s of CPU): {wall[theirs] / wall[cold]:.1f}x "
        f"faster, {cpu[theirs] / cpu[cold]:.1f}x in CPU time"
    )


def _wall_and_cpu(
    commands: dict[str, list[str]], runs: int, cwd: Path, env: dict[str, str]
) -> tuple[dict[str, float], dict[str, float]]:
    """Median wall time and CPU time (user + system) of each command, interleaved run by
    run after one warm-up run of each."""
    import resource

    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    quiet = subprocess.DEVNULL
    for argv in commands.values():
        subprocess.run(argv, cwd=cwd, env=env, stdout=quiet, stderr=quiet)
    for _ in range(runs):
        for name, argv in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(argv, cwd=cwd, env=env, stdout=quiet, stderr=quiet)
            walls[name].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            cpus[name].append(used)
    return (
        {name: statistics.median(times) for name, times in walls.items()},
        {name: statistics.median(times) for name, times in cpus.items()},
    )


RENAME_SIZES = (2_500, 5_000, 10_000, 20_000)


def rename(runs: int, work: Path) -> None:
    """`topics rename` of a topic every claim of a side has: time per claim flat as the
    claims grow (it was quadratic: 136 s at 4,000), against a bare parse of the files."""
    import re

    exe = factcmp_exe()
    print(
        "topics rename, every claim of one side on the renamed topic (renamed there and "
        "back, run by run); floor: python parsing the side's file and topics.yaml with "
        "yaml.CSafeLoader"
    )
    for size in RENAME_SIZES:
        folder = work / f"rename-{size}"
        [path] = generate(folder, 1, size)
        claims = folder / "claims"
        path.write_text(
            re.sub(r"(?m)^    topic: .*$", "    topic: deaths", path.read_text("utf-8")), "utf-8"
        )
        with (claims / "topics.yaml").open("a", encoding="utf-8") as topics:
            topics.write("  deaths: {label: Deaths}\n")
        parse = (
            "import sys, yaml\n"
            "for name in sys.argv[1:]:\n"
            "    with open(name, encoding='utf-8') as f: yaml.load(f, Loader=yaml.CSafeLoader)"
        )
        command = [exe, "topics", "rename", "--claims-dir", str(claims)]
        m = commands_medians(
            {
                "there": [*command[:3], "deaths", "killed", *command[3:]],
                "back": [*command[:3], "killed", "deaths", *command[3:]],
                "floor": [sys.executable, "-c", parse, str(path), str(claims / "topics.yaml")],
            },
            max(1, runs if size <= 10_000 else runs // 2),
            folder,
        )
        seconds = (m["there"] + m["back"]) / 2
        print(
            f"  {size:>7,} claims renamed: {seconds:6.2f} s ({seconds / size * 1e6:5.1f} "
            f"µs/claim), {seconds / m['floor']:4.2f}x the bare parse ({m['floor']:5.2f} s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--only", choices=["startup", "load", "diff", "check", "rename"])
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.perf_counter()
    compileall.compile_dir(ROOT / "factcmp", quiet=1)
    with tempfile.TemporaryDirectory(prefix="factcmp-bench-") as tmp:
        work = Path(tmp)
        if args.only in (None, "startup"):
            startup(max(args.runs, 11), work)
        if args.only in (None, "load"):
            load(args.runs, sizes, work)
        if args.only in (None, "diff"):
            diff(args.runs, sizes, work)
        if args.only in (None, "check"):
            check(max(1, args.runs // 2), work)
        if args.only in (None, "rename"):
            rename(max(1, args.runs // 2), work)
    print(f"(benchmark took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
