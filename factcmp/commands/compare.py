"""`diff` and `brief`: the comparison, as a table, JSON, CSV or a markdown brief."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from factcmp.compare.timeline import TopicSeries
    from factcmp.result import Comparison

from factcmp.commands.common import (
    EPILOG,
    EXIT_CLOSED_PIPE,
    EXIT_FINDINGS,
    BadInput,
    compare_asked,
    inert,
)
from factcmp.commands.options import (
    Asked,
    output_options,
    parse_date,
    selection_options,
    since_option,
)

BRIEF_EPILOG = """\b
Examples:
  factcmp brief armenia azerbaijan > brief.md
  factcmp brief armenia azerbaijan -o brief.md --date 2022-09-15
  factcmp brief armenia azerbaijan --only contradiction --title "Where they clash"
"""


@click.command(epilog=EPILOG, short_help="Show where the sides contradict or agree.")
@selection_options
@click.option(
    "--exit-code",
    is_flag=True,
    help="Exit 1 when a contradiction is shown (as `git diff --exit-code` does).",
)
@output_options(
    "diff",
    "Show at most N topics in the table (strongest verdicts first; 0: all). "
    "JSON and CSV always hold every topic.",
)
@click.option(
    "--history",
    type=click.Choice(["compact", "full", "none"]),
    default="compact",
    show_default=True,
    help="A side's earlier figures in the table: one line per subject, a row each, or "
    "none. JSON and CSV always hold every claim.",
)
@since_option()
def diff(
    asked: Asked, exit_code: bool, fmt: str, limit: int, history: str, since: str | None
) -> None:
    """Show where the SIDEs contradict each other, agree, or speak alone.

    A SIDE is the name of a claim file in the claims folder (armenia for
    claims/armenia.yaml) or a path to a .yaml file. With no SIDE, every side in
    the claims folder is compared.
    """
    from factcmp.load.files import collector_paused
    from factcmp.render.formats import Output, for_people, write
    from factcmp.result import Verdict

    if since and not for_people("diff", fmt):
        raise click.UsageError(
            "--since is for the table and the brief; scripts read changes from "
            f"factcmp changes {since} --format json"
        )
    with collector_paused():
        selected = compare_asked(asked)
        comparison = selected.comparison
        out = Output(comparison, limit=limit, hint=selected.hint, history=history)
        write("diff", fmt, out)
        if since:  # a format for people: the changes go below, on its console
            from factcmp.commands.time import changes_since
            from factcmp.render.changes import changes_table

            out.console.print()
            changes_table(*changes_since(since, asked.sides, asked.claims_dir), out.console)

    if exit_code and any(t.verdict is Verdict.CONTRADICTION for t in comparison.topics):
        sys.exit(EXIT_FINDINGS)


def _charts_folder(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """--charts DIR: a folder, or a name for a new one (made when the chart is
    written); anything else is a usage error, before anything is read or written."""
    if value and os.path.lexists(value) and not os.path.isdir(value):
        what = "a file" if os.path.isfile(value) else "not a folder"
        raise click.BadParameter(
            f"{inert(value)} is {what}: --charts takes the folder to write the chart into "
            "(made if missing), e.g. --charts charts"
        )
    return value


@click.command(epilog=BRIEF_EPILOG)
@selection_options
@click.option(
    "-o",
    "--output",
    default="-",
    metavar="FILE",
    help="Write the brief to FILE (atomically: the old file or the new, never half; with "
    "its chart, or neither); - is standard output (the default).",
)
@click.option(
    "--title", metavar="TEXT", help="The brief's title (default: 'A vs B: what each side claims')."
)
@click.option(
    "--date",
    "date",
    callback=parse_date,
    metavar="DATE",
    help="The generation date to print (YYYY-MM-DD; default: today), for reproducible briefs.",
)
@click.option("--caveat", metavar="TEXT", help="The closing caveat, instead of the default one.")
@click.option("--no-caveat", is_flag=True, help="Leave the closing caveat out.")
@click.option(
    "--charts",
    metavar="DIR",
    callback=_charts_folder,
    help="Write the chart of how the figures moved into DIR, made if missing (default: "
    "beside the brief with -o: brief.md gets brief-figures.svg; none on standard output).",
)
@since_option()
def brief(
    asked: Asked,
    output: str,
    title: str | None,
    date: dt.date | None,
    caveat: str | None,
    no_caveat: bool,
    charts: str | None,
    since: str | None,
) -> None:
    """Write a markdown brief of what the SIDEs claim, for editors.

    The same comparison as `diff`, as GitHub-flavoured markdown: a summary, a
    section per verdict with every claim attributed and referenced, the sources,
    and a caveat that the claims are attributed, not verified.
    """
    from factcmp.load.files import collector_paused
    from factcmp.load.provenance import provenance
    from factcmp.render.brief import DEFAULT_CAVEAT, render_brief

    with collector_paused():
        selection = compare_asked(asked)
        since_lines = _since_lines(since, asked, selection.comparison) if since else None
        figures, chart = _figures(selection.comparison, output, charts)
        text = render_brief(
            selection.comparison,
            hint=selection.hint,
            since=since_lines,
            figures=figures,
            date=date or dt.date.today(),
            title=title,
            provenance=provenance(selection.files),
            caveat=None if no_caveat else (caveat if caveat is not None else DEFAULT_CAVEAT),
        )
    _write_brief(text, output, chart, charts)


def _since_lines(since: str, asked: Asked, comparison: Comparison) -> list[str]:
    """The brief's first section with --since: what changed since the revision."""
    from factcmp.commands.time import changes_since
    from factcmp.render.changes import changes_markdown

    found = changes_since(since, asked.sides, asked.claims_dir)
    names = {side.id: side.name for side in comparison.sides}
    return changes_markdown(*found, names)


def _write_brief(text: str, output: str, chart: tuple[str, str] | None, charts: str | None) -> None:
    """The brief to -o FILE with its chart (both, atomically, or neither), or to
    standard output."""
    from factcmp.atomic import Outputs
    from factcmp.plain import display_path

    try:
        with Outputs() as outputs:  # the brief and its chart, or neither
            if output != "-":
                outputs.add(output, text)  # first: its error is the one to name
            if chart is not None:
                if charts:
                    Path(charts).mkdir(parents=True, exist_ok=True)
                outputs.add(*chart)
    except BrokenPipeError:  # a FIFO's reader left early: as with `| head`, silently
        sys.exit(EXIT_CLOSED_PIPE)
    except OSError as exc:
        name = display_path(exc.filename)
        raise BadInput(inert(f"cannot write {name}: {exc.strerror or exc}")) from None
    if output == "-":
        click.echo(text, nl=False)


def _figures(
    comparison: Comparison, output: str, charts: str | None
) -> tuple[list[str], tuple[str, str] | None]:
    """The brief's "How the figures moved": its lines and, when the brief goes to a
    file (or with --charts), its chart to write as SVG beside the brief or into
    --charts, linked from the lines: (the chart's file, its SVG). Both are kept with a
    cached comparison, so that a warm brief decodes no topic."""
    import importlib.util
    from urllib.parse import quote

    from factcmp.atomic import writes_a_file
    from factcmp.render.figures import NoCharts, chart_svg, figures, section

    found: list[TopicSeries] | None = None

    def moved() -> list[TopicSeries]:  # the series, worked out once if at all
        nonlocal found
        if found is None:
            found = figures(comparison)
        return found

    to_file = output != "-" and writes_a_file(output)  # not stdout, a device, a FIFO
    stem = Path(output).stem if to_file else "brief"
    if charts:
        svg_path: Path | None = Path(charts) / f"{stem}-figures.svg"
    else:
        svg_path = Path(output).with_name(f"{stem}-figures.svg") if to_file else None
    image = None
    chart = None
    if svg_path is not None:
        if importlib.util.find_spec("vl_convert") is None:
            svg = ""
            if moved():
                click.echo(f"factcmp: no chart in the brief: {NoCharts.HOW}", err=True)
        else:
            svg = comparison.rendered(["figures-svg"], lambda: chart_svg(moved(), comparison))
        if svg:
            chart = (str(svg_path), svg)
            base = Path(output).parent if to_file else Path.cwd()
            image = quote(Path(os.path.relpath(svg_path, base)).as_posix())
    text = comparison.rendered(
        ["figures-section", image or ""],
        lambda: "\n".join(section(moved(), comparison, image)),
    )
    return (text.split("\n") if text else []), chart
