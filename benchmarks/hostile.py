"""How fast factcmp refuses hostile sizes: the figures the tests no longer bound.

    python benchmarks/hostile.py [--runs N]

The tests check that each of these grows linearly (8 times the input in under 30
times the time, tests/growth.py), which holds on a busy machine; the seconds
themselves are measured here, each the best of N runs:

- 200,000 invisible line separators, each a problem with its position;
- 20,000 unknown keys, 2,000 speakers and 2,000 claims naming a missing speaker;
- the two "billion laughs" files of tests/fixtures/corpus, loaded and checked;
- a brief's text of 200,000 characters that once backtracked for minutes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcmp.check.files import check  # noqa: E402
from factcmp.load.files import load_side  # noqa: E402
from factcmp.load.yamlsrc import parse  # noqa: E402
from factcmp.problems import InputError  # noqa: E402
from factcmp.render.markdown import text  # noqa: E402

BOMBS = sorted((ROOT / "tests" / "fixtures" / "corpus" / "hostile").glob("billion-laughs-*"))


def best_seconds(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def refused(fn: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            fn()
        except InputError:
            return
        raise SystemExit("expected an InputError")

    return run


def many_problems(folder: Path) -> Path:
    keys = "".join(f"k{i}: 1\n" for i in range(20_000))
    speakers = "".join(f"  s{i}: {{name: x}}\n" for i in range(2_000))
    refs = "".join(f"  - {{id: c{i}, topic: t, text: x, by: zz{i}}}\n" for i in range(2_000))
    path = folder / "many.yaml"
    body = keys + "speakers:\n" + speakers + "claims:\n" + refs
    path.write_text("factcmp: 1\nside: {name: A}\n" + body, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as work:
        many = many_problems(Path(work))
        cases: dict[str, Callable[[], object]] = {
            "200,000 invisible characters": refused(
                lambda: parse("a: 1\n" + "\u2028" * 200_000, "f.yaml")
            ),
            "22,000 problems in one file": refused(lambda: load_side(many)),
            **{f"load {b.name}": refused(partial(load_side, b)) for b in BOMBS},
            **{f"check {b.name}": partial(check, [b]) for b in BOMBS},
            "a brief's text of 209,000 characters": lambda: text(
                "x" * 200_000 + "@ and a.b" * 1000
            ),
        }
        print(f"hostile sizes, best of {runs}")
        for name, fn in cases.items():
            print(f"  {name:44s} {best_seconds(fn, runs) * 1000:9.1f} ms")


if __name__ == "__main__":
    main()
