"""What the commands share: exit codes, the error for bad input, the claims folder,
and the library's comparison as asked, with its notices printed (the loading and
narrowing are factcmp.pipeline's; the options are in factcmp.commands.options).

Import-light, as cli.py is: whatever a command needs is imported when it runs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

import click

from factcmp.exits import ExitStatus

if TYPE_CHECKING:
    from pathlib import Path

    from factcmp.commands.options import Asked
    from factcmp.pipeline import Selected
    from factcmp.problems import Problem

# The exit statuses (factcmp.exits.ExitStatus). Ended by a signal (Ctrl-C: SIGINT,
# kill: SIGTERM, a closed terminal: SIGHUP): 128 + its number, as a shell reports it. A
# reader that closed standard output early (`factcmp diff | head`) ends the run as
# SIGPIPE ends cat or grep: 141, silently.
EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = ExitStatus.OK, ExitStatus.FINDINGS, ExitStatus.BAD_INPUT
EXIT_SIGNAL_BASE, EXIT_CLOSED_PIPE = ExitStatus.SIGNAL_BASE, ExitStatus.CLOSED_PIPE
EPILOG = """\b
Examples:
  factcmp diff armenia azerbaijan
  factcmp diff armenia azerbaijan russia --only contradiction,discrepancy
  factcmp diff armenia azerbaijan --format json > result.json
  factcmp diff --topic casualties --as-of 2022-09-14
  factcmp diff claims/armenia.yaml claims/azerbaijan.yaml
  factcmp brief armenia azerbaijan -o brief.md
  factcmp check

Exit codes: 0 fine, 1 findings (diff --exit-code: a contradiction shown),
2 bad input or usage, 130 Ctrl-C, 141 output closed early (docs/cli.md).
Docs: docs/format.md (claim files), docs/json.md.
"""


class BadInput(click.ClickException):
    """A problem with the user's files: exit 2, like a usage error."""

    exit_code = EXIT_BAD_INPUT


def report_problems(problems: list[Problem]) -> NoReturn:
    from factcmp.render.safe import inert

    for problem in problems:
        click.echo(inert(str(problem)), err=True)
    files = len({p.file for p in problems})
    noun = "problem" if len(problems) == 1 else "problems"
    click.echo(
        f"factcmp: {len(problems)} {noun} in {files} file{'s' if files != 1 else ''}; "
        f"fix {'it' if len(problems) == 1 else 'them'} and run again",
        err=True,
    )
    sys.exit(EXIT_BAD_INPUT)


def inert(text: str) -> str:
    from factcmp.render.safe import inert

    return inert(text)


def claims_folder(claims_dir: str | None, what: str) -> Path:
    """The claims folder (as `find_claims_dir` finds it), or a usage error (exit 2)
    that says what else the command takes: `what`, e.g. "name files or folders to
    check"."""
    from factcmp.load.discover import find_claims_dir

    folder = find_claims_dir(claims_dir)
    if folder is None:
        raise click.UsageError(
            f"no claims directory found: {what}, or run in a folder that has claims/ "
            "(or below one), or set --claims-dir / FACTCMP_CLAIMS"
        )
    return folder


def tell(notices: Sequence[str]) -> None:
    """Print the library's notices (inert lines) on standard error, in order."""
    for line in notices:
        click.echo(line, err=True)


def compare_asked(asked: Asked) -> Selected:
    """factcmp.pipeline.compare_selected of what the command was asked, its notices
    printed on standard error before the command shows anything."""
    from factcmp.pipeline import compare_selected

    sides, claims_dir, only, topics, as_of, no_cache = asked
    selected = compare_selected(
        sides, claims_dir, only=only, topics=topics, as_of=as_of, no_cache=no_cache
    )
    tell(selected.notices)
    return selected
