"""How long `factcmp changes` takes beside `factcmp diff`, in one run.

    python benchmarks/history.py [--claims N]

Makes a git repository of two sides of N claims each (benchmarks/generate.py),
commits it, changes every tenth count of one side and commits again, then times,
each in an empty cache and then warm: `diff` of the working tree, and `changes
HEAD~1..HEAD` (both revisions read through git). Prints the times and the ratios
the issue asks for: changes cold within 2x a cold diff, warm within 2x a warm diff.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.generate import generate  # noqa: E402


def git(folder: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.org"}  # fmt: skip
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=env)


def timed(folder: Path, cache: Path, *args: str) -> float:
    env = {**os.environ, "FACTCMP_CACHE_DIR": str(cache)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "factcmp", *args], cwd=folder, env=env, capture_output=True
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"factcmp {' '.join(args)} failed: {done.stderr.decode()[:500]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=100_000, help="claims per side")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = generate(folder, 2, args.claims, seed=3)
        git(folder, "init", "-q")
        git(folder, "add", "-A")
        git(folder, "commit", "-q", "-m", "first")
        text = paths[0].read_text(encoding="utf-8")
        counter = iter(range(10**9))
        text = re.sub(
            r"count: (\d+)\n",
            lambda m: f"count: {int(m.group(1)) + 1}\n" if next(counter) % 10 == 0 else m[0],
            text,
        )
        paths[0].write_text(text, encoding="utf-8")
        git(folder, "commit", "-q", "-am", "second")
        cold_diff = timed(folder, folder / "c1", "diff", "--format", "json")
        warm_diff = timed(folder, folder / "c1", "diff", "--format", "json")
        cold = timed(folder, folder / "c2", "changes", "HEAD~1..HEAD", "--format", "json")
        warm = timed(folder, folder / "c2", "changes", "HEAD~1..HEAD", "--format", "json")
    print(f"{args.claims:,} claims a side, two revisions:")
    print(f"  diff cold {cold_diff:7.2f} s   changes cold {cold:7.2f} s   "
          f"{cold / cold_diff:.2f}x a cold diff (target <= 2x)")  # fmt: skip
    print(f"  diff warm {warm_diff:7.2f} s   changes warm {warm:7.2f} s   "
          f"{warm / warm_diff:.2f}x a warm diff (target <= 2x)")  # fmt: skip


if __name__ == "__main__":
    main()
