"""How long `factcmp export sqlite` takes beside a cold `factcmp diff`, in one run.

    python benchmarks/export.py [--claims N] [--runs R]

Generates two sides of N claims each (benchmarks/generate.py), then times, each in
an empty cache: `diff` (the table, as a reporter runs it) and `export sqlite` of
the same files, R times each, interleaved; prints the medians, the ratio (the issue
asks for under 2x) and the database's size. Needs the `datasette` extra.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.generate import generate  # noqa: E402
from benchmarks.history import timed  # noqa: E402


def cold(folder: Path, *args: str) -> float:
    """One run of factcmp in an empty cache (a new folder each time)."""
    with tempfile.TemporaryDirectory() as cache:
        return timed(folder, Path(cache), *args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=100_000, help="claims per side")
    parser.add_argument("--runs", type=int, default=3, help="runs of each command")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, 2, args.claims, seed=3)
        diff: list[float] = []
        export: list[float] = []
        for _ in range(args.runs):
            diff.append(cold(folder, "diff"))
            export.append(cold(folder, "export", "sqlite", "out.db"))
        cold_diff, cold_export = statistics.median(diff), statistics.median(export)
        size = (folder / "out.db").stat().st_size
    print(f"claims per side: {args.claims:,} (2 sides), {args.runs} runs each, medians")
    print(f"  diff, cold:           {cold_diff:7.2f} s")
    print(f"  export sqlite, cold:  {cold_export:7.2f} s   database {size / 1e6:,.1f} MB")
    print(f"  export / diff:        {cold_export / cold_diff:7.2f}x   (goal: under 2x)")


if __name__ == "__main__":
    main()
