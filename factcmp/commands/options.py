"""The options the commands share, and their parsers: verdicts (--only), dates
(--as-of), the claims folder, deadlines, the output format, --since, and the options
every comparing command takes (`selection_options`, which gathers them as `Asked`).

Import-light, as cli.py is: click, and the registry of formats (render/formats.py),
which imports no renderer.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

import click

VERDICT_WORDS = ("contradiction", "discrepancy", "agreement", "unjudged", "one-sided")


def parse_only(_ctx: click.Context, _param: click.Parameter, value: str | None) -> set[str]:
    if not value:
        return set(VERDICT_WORDS)
    plurals = {"contradictions": "contradiction", "discrepancies": "discrepancy",
               "agreements": "agreement"}  # fmt: skip
    words = {plurals.get(w, w) for w in (w.strip().lower() for w in value.split(",")) if w}
    if not words:
        raise click.BadParameter(f"name at least one verdict: {', '.join(VERDICT_WORDS)}")
    unknown = sorted(words - set(VERDICT_WORDS))
    if unknown:
        raise click.BadParameter(
            f"{', '.join(unknown)}: choose from {', '.join(VERDICT_WORDS)} (comma-separated)"
        )
    return words


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date: write YYYY-MM-DD") from None


F = TypeVar("F", bound=Callable[..., Any])


def claims_dir_option(
    help: str = "Folder of claim files (default: ./claims, or the nearest parent's claims/). "
    "Env: FACTCMP_CLAIMS.",
) -> Callable[[F], F]:
    """--claims-dir: where the claim files are, for every command that reads them."""
    return click.option("--claims-dir", envvar="FACTCMP_CLAIMS", metavar="DIR", help=help)


def deadline_options(what: str) -> Callable[[F], F]:
    """--deadline and --timeout, for the commands that fetch pages; `what` is what
    the deadline is for ("a URL", "the page")."""

    def decorate(function: F) -> F:
        function = click.option(
            "--timeout",
            type=click.FloatRange(min=0, min_open=True),
            default=10.0,
            show_default=True,
            metavar="SECONDS",
            help="Give up on one connect or read that gets nothing for this long.",
        )(function)
        return click.option(
            "--deadline",
            type=click.FloatRange(min=0, min_open=True),
            default=30.0,
            show_default=True,
            metavar="SECONDS",
            help=f"Give up on {what} after this long, redirects, retries and waits included.",
        )(function)

    return decorate


def format_option(command: str) -> Callable[[F], F]:
    """--format, as every command spells it (the value reaches the command as `fmt`):
    the choices, help and default that render/formats.py registers for `command`;
    with no default (None), the command picks one (pick_format)."""
    from factcmp.render.formats import names, offer

    offered = offer(command)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(names(command)),
        default=offered.default,
        show_default=offered.default is not None,
        help=offered.help,
    )


def output_options(command: str, limit_help: str) -> Callable[[F], F]:
    """--format (as render/formats.py registers it for `command`) and --limit N, for
    the commands that print a table of topics (diff, timeline)."""

    def decorate(function: F) -> F:
        function = click.option(
            "--limit",
            type=click.IntRange(min=0),
            default=50,
            show_default=True,
            metavar="N",
            help=limit_help,
        )(function)
        return format_option(command)(function)

    return decorate


def since_option() -> Callable[[F], F]:
    """--since REV, for the commands that can say what changed since a revision."""
    return click.option(
        "--since",
        metavar="REV",
        help="Also say what changed since REV, a git revision (or REV1..REV2): claims "
        "added, removed, changed, and verdicts that changed (docs/changes.md).",
    )


def pick_format(fmt: str | None) -> str:
    """The format asked for, else github annotations under GitHub Actions, else text."""
    import os

    if fmt is not None:
        return fmt
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


class Asked(NamedTuple):
    """What a comparing command was asked to compare and show (selection_options)."""

    sides: tuple[str, ...]
    claims_dir: str | None
    only: set[str]
    topics: tuple[str, ...]
    as_of: dt.date | None
    no_cache: bool


def selection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every comparing command shares: which sides, topics, verdicts. The
    command receives them as one `asked` (an Asked), before its own options."""

    @functools.wraps(command)
    def gathered(**options: Any) -> Any:
        asked = Asked(*(options.pop(name) for name in Asked._fields))
        return command(asked, **options)

    decorators = [
        click.argument("sides", nargs=-1, metavar="[SIDE]..."),
        claims_dir_option(),
        click.option(
            "--only",
            callback=parse_only,
            metavar="VERDICTS",
            help="Show only these verdicts, comma-separated: " + ",".join(VERDICT_WORDS) + ".",
        ),
        click.option(
            "--topic",
            "topics",
            multiple=True,
            metavar="TOPIC",
            help="Show only this topic; a parent (casualties) or a glob (casualties.*) works. "
            "Repeatable.",
        ),
        click.option(
            "--as-of",
            callback=parse_date,
            metavar="DATE",
            help="Compare what each side had claimed by this date (YYYY-MM-DD); "
            "undated claims are left out.",
        ),
        click.option(
            "--no-cache",
            is_flag=True,
            help="Read every file afresh, without the parse cache (FACTCMP_CACHE_DIR).",
        ),
    ]
    wrapped: Callable[..., Any] = gathered
    for decorator in reversed(decorators):
        wrapped = decorator(wrapped)
    return wrapped
