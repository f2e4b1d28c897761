"""Start-up time of factcmp beside bare Python imports, measured in one run.

    python benchmarks/startup.py [--runs N]

Prints the median wall time of each command over N runs (interleaved, so that
machine noise hits all alike) and its ratio to the floors. Run from the
repository root (the sample claims are in claims/).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commands() -> dict[str, list[str]]:
    py = sys.executable
    factcmp = shutil.which("factcmp") or "factcmp"
    return {
        "python -c pass": [py, "-c", "pass"],
        'python -c "import yaml"': [py, "-c", "import yaml"],
        'python -c "import click"': [py, "-c", "import click"],
        'python -c "import click, yaml, rich.console, rich.table"': [
            py,
            "-c",
            "import click, yaml, rich.console, rich.table",
        ],
        "factcmp --version": [factcmp, "--version"],
        "factcmp diff armenia azerbaijan": [factcmp, "diff", "armenia", "azerbaijan"],
        "python -m factcmp diff armenia azerbaijan": [
            py,
            "-m",
            "factcmp",
            "diff",
            "armenia",
            "azerbaijan",
        ],
    }


def measure(runs: int) -> dict[str, float]:
    cmds = commands()
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, argv in cmds.items():
            start = time.perf_counter()
            subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    medians = measure(args.runs)
    floor_yaml = medians['python -c "import yaml"']
    floor_click = medians['python -c "import click"']
    floor_all = medians['python -c "import click, yaml, rich.console, rich.table"']
    print(f"median of {args.runs} runs each, interleaved")
    print(f"{'command':60s} {'ms':>7s} {'/yaml':>7s} {'/click':>7s} {'/click+yaml+rich':>17s}")
    for name, seconds in medians.items():
        print(
            f"{name:60s} {seconds * 1000:7.1f} {seconds / floor_yaml:7.2f} "
            f"{seconds / floor_click:7.2f} {seconds / floor_all:17.2f}"
        )


if __name__ == "__main__":
    main()
