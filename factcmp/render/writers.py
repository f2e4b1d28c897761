"""The writers of today's formats, one per (command, format) in render/formats.py:
each takes an Output, imports its renderer and writes what the renderer makes.

The renderers take different arguments (the table a console, a limit, a hint; JSON
only the comparison; CSV also says on standard error how the comparison was
narrowed); a writer adapts the one uniform call to its renderer. A new format's
module may take an Output itself and need no writer here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factcmp.check.files import CheckReport
    from factcmp.compare.changes import Changes
    from factcmp.compare.suggest import Suggestion
    from factcmp.compare.timeline import TopicSeries
    from factcmp.load.history import Revision
    from factcmp.model import Side, Topic
    from factcmp.render.formats import Output
    from factcmp.result import Comparison
    from factcmp.sources.result import SourcesReport

    Series = tuple[list[TopicSeries], Comparison]  # timeline's payload
    Changed = tuple[Changes, Revision, Revision | None]  # changes' payload
    Suggested = tuple[list[Side], dict[str, Topic], list[Suggestion]]  # topics suggest's


# diff: the payload is the Comparison; the table's options are limit, hint, history


def diff_table(out: Output[Comparison]) -> None:
    from factcmp.render.table import render_table

    limit = out.options["limit"]
    render_table(
        out.payload,
        out.console,
        limit=limit or None,
        hint=out.options["hint"],
        history=out.options["history"],
    )


def diff_json(out: Output[Comparison]) -> None:
    from factcmp.render.jsonout import render_json

    out.echo(render_json(out.payload), nl=False)


def diff_csv(out: Output[Comparison]) -> None:
    from factcmp.render.csvout import render_csv
    from factcmp.render.safe import one_line
    from factcmp.render.words import selection_words

    out.echo(render_csv(out.payload), nl=False)
    narrowed = selection_words(out.payload)
    if narrowed:  # a CSV file has no place for it: say it beside
        out.echo(f"factcmp: narrowed: {one_line(narrowed)}", err=True)


# timeline: the payload is (the series, the Comparison); the table's option is limit


def timeline_table(out: Output[Series]) -> None:
    import os

    from factcmp.render.timeline import render_table

    topics, comparison = out.payload
    limit: int = out.options["limit"]
    console = out.console
    chart = console.is_terminal and not os.environ.get("NO_COLOR")
    shown = topics[:limit] if limit else topics
    render_table(shown, comparison, console, chart=chart)
    if len(shown) < len(topics):
        console.print(
            f"… and {len(topics) - len(shown):,} more topics with counts not shown "
            f"(the table stops at {limit:,}): narrow with --topic, show more with "
            "--limit N (0: all), or use --format json or csv"
        )


def timeline_json(out: Output[Series]) -> None:
    from factcmp.render.timeline import render_json

    out.echo(render_json(*out.payload), nl=False)


def timeline_csv(out: Output[Series]) -> None:
    from factcmp.render.timeline import render_csv

    out.echo(render_csv(out.payload[0]), nl=False)


# changes: the payload is (the Changes, since, until)


def changes_table(out: Output[Changed]) -> None:
    from factcmp.render.changes import changes_table as table

    table(*out.payload, out.console)


def changes_json(out: Output[Changed]) -> None:
    from factcmp.render.changes import changes_json as as_json

    out.echo(as_json(*out.payload), nl=False)


# check: the payload is the CheckReport


def check_text(out: Output[CheckReport]) -> None:
    if not out.payload.findings:  # one line with nothing to style: rich is never loaded
        from factcmp.render.findings import summary

        out.echo(summary(out.payload))
        return
    from factcmp.render.findings import render_text

    render_text(out.payload, out.console)


def check_json(out: Output[CheckReport]) -> None:
    from factcmp.render.findings import render_json

    out.echo(render_json(out.payload), nl=False)


def check_github(out: Output[CheckReport]) -> None:
    from factcmp.render.findings import render_github

    out.echo(render_github(out.payload), nl=False)


# sources check: the payload is the SourcesReport; github's option is fail_on


def sources_text(out: Output[SourcesReport]) -> None:
    from factcmp.render.sources import render_text

    render_text(out.payload, out.console)


def sources_json(out: Output[SourcesReport]) -> None:
    from factcmp.render.sources import render_json

    out.echo(render_json(out.payload), nl=False)


def sources_github(out: Output[SourcesReport]) -> None:
    from factcmp.render.sources import render_github

    out.echo(render_github(out.payload, out.options["fail_on"]), nl=False)


# topics list: the payload is the Comparison


def topics_list_table(out: Output[Comparison]) -> None:
    from factcmp.render.topics import list_table

    list_table(out.payload, out.console)


def topics_list_json(out: Output[Comparison]) -> None:
    from factcmp.render.topics import list_json

    out.echo(list_json(out.payload), nl=False)


# topics suggest: the payload is (the sides, the topics, the suggestions)


def topics_suggest_table(out: Output[Suggested]) -> None:
    from factcmp.render.topics import suggest_table

    suggest_table(*out.payload, out.console)


def topics_suggest_json(out: Output[Suggested]) -> None:
    from factcmp.render.topics import suggest_json

    sides, _topics, found = out.payload
    out.echo(suggest_json(sides, found), nl=False)
