"""The terminal table of `factcmp diff`: one row per topic, a column per side.

Every piece of claim text goes through `inert()` and into a rich `Text`, never a
markup string: `[sic]` stays `[sic]`, `[link=...]` stays text, ESC is shown as
`\\x1b`. A claim's `text` and `quote` keep their line breaks (inside their cell);
everything else (labels, reasons, names, facets, the Narrowed line) is put on one
line, so that no value can print a line that looks like factcmp's own. Colour and
escape codes are the console's business: none when piped or under NO_COLOR (see
`make_console`).
"""

from __future__ import annotations

import os
import sys
from typing import IO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from factcmp.load.when import on_short, said_iso
from factcmp.model import Claim
from factcmp.render.safe import inert, one_line
from factcmp.render.words import (
    PLURAL,
    SYMBOL,
    agreeing,
    at_issue,
    cited_reasons,
    facets,
    figure,
    history_label,
    pair_name,
    pair_reasons,
    selection_words,
)
from factcmp.result import Comparison, TopicResult, Verdict

STYLE = {
    verdict: (SYMBOL[verdict], style)
    for verdict, style in (
        (Verdict.CONTRADICTION, "bold red"),
        (Verdict.DISCREPANCY, "bold yellow"),
        (Verdict.AGREEMENT, "bold green"),
        (Verdict.UNJUDGED, "bold blue"),
        (Verdict.ONE_SIDED, "cyan"),
    )
}
WIDE = 120  # from this console width on, the table also shows topic keys


def _terminal_width(file: IO[str]) -> int:
    try:
        return max(20, os.get_terminal_size(file.fileno()).columns)
    except (AttributeError, OSError, ValueError):
        return 80


def make_console(file: IO[str] | None = None, width: int | None = None) -> Console:
    """A console that writes no escape codes when piped, under NO_COLOR or TERM=dumb.
    A nonsensical COLUMNS (0, -5, abc, or too narrow for any layout) counts as unknown:
    the terminal's own width, else 80."""
    plain = bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"
    columns = os.environ.get("COLUMNS")
    if width is None and columns is not None and not (columns.isdigit() and int(columns) >= 20):
        width = _terminal_width(file or sys.stdout)
    return Console(
        file=file,
        width=width,
        highlight=False,
        emoji=False,
        markup=False,
        color_system=None if plain else "auto",
        soft_wrap=False,
    )


def summary_text(comparison: Comparison) -> Text:
    counts = comparison.summary()
    total = len(comparison.topics)
    text = Text(f"{total} topic{'s' if total != 1 else ''}: ")
    parts = [(v, n) for v, n in counts.items() if n]
    if not parts:
        text.append("nothing to compare")
    for i, (verdict, n) in enumerate(parts):
        if i:
            text.append(" · ")
        symbol, style = STYLE[verdict]
        text.append(f"{symbol} {n} {PLURAL[verdict][n != 1]}", style=style)
    return text


MIN_TOPIC, MIN_SIDE, MIN_VERDICT = 12, 14, 16


def column_widths(width: int, n_sides: int) -> list[int] | None:
    """Content widths of Topic, each side, Verdict for a terminal `width` wide; None
    when the sides would get too narrow to read (then the stacked layout is used).
    Set here rather than by rich's ratios, which fold words to honour a ratio."""
    content = width - (3 * (n_sides + 2) + 1)  # borders and one space of padding a side
    topic = max(MIN_TOPIC, content * 16 // 100)
    verdict = max(MIN_VERDICT, content * 22 // 100)
    side = (content - topic - verdict) // n_sides
    if side < MIN_SIDE:
        return None
    spare = content - topic - verdict - side * n_sides
    return [topic, *([side] * n_sides), verdict + spare]


def build_table(
    comparison: Comparison, widths: list[int], *, wide: bool = True, history: str = "compact"
) -> Table:
    """The table; `wide` adds each topic's key under its label (for `--topic`);
    `history` as in `_side_cell`."""
    sides = comparison.sides
    title = " vs ".join(one_line(side.name) for side in sides)
    table = Table(title=Text(title, style="bold"), show_lines=True, highlight=False)
    table.add_column("Topic", width=widths[0], overflow="fold")
    for side, width in zip(sides, widths[1:-1], strict=True):
        table.add_column(Text(one_line(side.name)), width=width, overflow="fold")
    table.add_column("Verdict", width=widths[-1], overflow="fold")
    names = {side.id: side.name for side in sides}
    for result in comparison.topics:
        table.add_row(
            _topic_cell(result, show_key=wide and len(result.topic.key) <= widths[0]),
            *(_side_cell(result, side.id, history) for side in sides),
            _verdict_cell(result, names),
        )
    return table


def render_table(
    comparison: Comparison,
    console: Console,
    *,
    limit: int | None = None,
    hint: str | None = None,
    history: str = "compact",
) -> None:
    """The table (or, when too narrow, the stacked layout) and the summary. With a
    `limit`, only the first `limit` topics are laid out (they come strongest verdict
    first): laying out 10,000 rows takes rich seconds, and nobody reads them on screen.
    `hint` is a line printed after the summary (one-sided topics that may be another
    side's). A comparison from the cache gives the text laid out of it before for a
    console of the same width, colours and encoding (`Comparison.rendered`): rich's
    layout is most of a warm `diff`."""
    if comparison.memo is None or console.legacy_windows or console.is_jupyter:
        _render_table(comparison, console, limit=limit, hint=hint, history=history)
        return
    import rich

    try:
        rich_code = os.stat(rich.__file__ or "").st_mtime_ns  # a new rich lays out anew
    except OSError:
        rich_code = 0
    console_is = [console.width, console.color_system, console.encoding, console.is_terminal]
    key = ["table", repr(console_is), str(rich_code), str(limit), hint or "", history]

    def render() -> str:
        with console.capture() as capture:
            _render_table(comparison, console, limit=limit, hint=hint, history=history)
        return capture.get()

    console.file.write(comparison.rendered(key, render))
    console.file.flush()


def _render_table(
    comparison: Comparison,
    console: Console,
    *,
    limit: int | None,
    hint: str | None,
    history: str = "compact",
) -> None:
    shown = comparison
    hidden = 0
    if limit is not None and len(comparison.topics) > limit:
        shown = Comparison(comparison.sides, comparison.topics[:limit])
        hidden = len(comparison.topics) - limit
    if shown.topics:
        widths = column_widths(console.width, len(shown.sides))
        if widths is None:
            render_stacked(shown, console, history=history)
        else:
            wide = console.width >= WIDE
            console.print(build_table(shown, widths, wide=wide, history=history))
    if hidden:
        console.print(
            Text(
                f"… and {hidden:,} more topics not shown (the table stops at {limit:,}): "
                "narrow with --only or --topic, show more with --limit N (0: all), or use "
                "--format json or csv",
                style="bold",
            )
        )
    console.print(summary_text(comparison))
    narrowed = selection_words(comparison)
    if narrowed:
        console.print(Text("Narrowed: " + one_line(narrowed), style="bold"))
    if hint:
        console.print(Text(one_line(hint), style="yellow"))
    files = Text("Claims from: ", style="dim")
    for i, side in enumerate(comparison.sides):
        if i:
            files.append(" · ", style="dim")
        files.append(f"{one_line(side.name)} {one_line(side.file)}", style="dim")
    console.print(files)


def render_stacked(comparison: Comparison, console: Console, *, history: str = "compact") -> None:
    """One block per topic, sides one under the other: for narrow terminals and many
    sides, where table columns would break every other word."""
    console.print(Text(" vs ".join(one_line(s.name) for s in comparison.sides), style="bold"))
    width = max(console.width - 2, 8)
    names = {s.id: s.name for s in comparison.sides}
    for result in comparison.topics:
        out = Text()
        heading = Text()
        symbol, style = STYLE[result.verdict]
        heading.append(f"{symbol} {result.verdict.value}", style=style)
        heading.append(" · ")
        heading.append(one_line(result.topic.label), style="bold")
        blocks = [heading]
        if result.topic.claim:
            blocks.append(
                Text(f"at issue: {one_line(at_issue(result.topic) or '')}", style="italic")
            )
        blocks += _reason_lines(result, names)
        for side in comparison.sides:
            if result.claims[side.id] or result.history[side.id]:
                block = Text(one_line(side.name) + ": ", style="bold")
                block.append_text(_side_cell(result, side.id, history))
                blocks.append(block)
        for number, block in enumerate(blocks):
            indent = "" if number == 0 else "  "  # the heading, then all else indented
            for line in block.wrap(console, width + 2 - len(indent)):
                line.rstrip()
                out.append("\n" + indent)
                out.append_text(line)
        console.print(out, soft_wrap=True)


def _topic_cell(result: TopicResult, *, show_key: bool) -> Text:
    text = Text(one_line(result.topic.label), style="bold")
    if result.topic.claim:
        text.append("\n")
        text.append(f"at issue: {one_line(at_issue(result.topic) or '')}", style="italic")
    if show_key and result.topic.label != result.topic.key:
        text.append("\n")
        text.append(one_line(result.topic.key), style="dim")
    return text


def _verdict_cell(result: TopicResult, names: dict[str, str]) -> Text:
    symbol, style = STYLE[result.verdict]
    text = Text(f"{symbol} {result.verdict.value}", style=style)
    for line in _reason_lines(result, names):
        text.append("\n")
        text.append_text(line)
    return text


def _reason_lines(result: TopicResult, names: dict[str, str]) -> list[Text]:
    """The reasons under a verdict, each naming who said what and when; with several
    pairs of sides, one line per pair with its own verdict (step 6), so that the
    strongest verdict does not hide a third party that corroborates one side."""
    agree_symbol, agree_style = STYLE[Verdict.AGREEMENT]
    if len(result.pairs) < 2:
        lines = [Text(one_line(reason)) for reason in cited_reasons(result)]
        also = agreeing(result.pairs[0]) if result.pairs else None
        if also:
            line = Text(agree_symbol, style=agree_style)
            line.append(" agree: " + one_line(also))
            lines.append(line)
        return lines
    lines = []
    for pair in result.pairs:
        symbol, style = STYLE[pair.verdict]
        line = Text(one_line(pair_name(pair, names)) + " ")
        line.append(symbol, style=style)
        line.append(" " + one_line(pair_reasons(pair)))
        also = agreeing(pair)
        if also:
            line.append("; ")
            line.append(agree_symbol, style=agree_style)
            line.append(" agree: " + one_line(also))
        lines.append(line)
    return lines


HISTORY = ("compact", "full", "none")


def _side_cell(result: TopicResult, side_id: str, history: str = "compact") -> Text:
    """A side's claims in force, then its history: `full`, each claim as a row of its
    own; `compact`, a side's earlier figures and denials on a subject as one line
    ("earlier: 49 on 13 Sep, 105 on 14 Sep"), other history in full; `none`, none."""
    text = Text()
    for claim in result.claims[side_id]:
        if text:
            text.append("\n\n")
        _claim(text, claim, dim=False)
    past = [] if history == "none" else result.history[side_id]
    earlier: dict[str | None, list[Claim]] = {}
    for claim in past:
        if history == "compact" and claim.count is not None and claim.status != "retracted":
            earlier.setdefault(claim.subject, []).append(claim)  # each figure says its unit
            continue
        if text:
            text.append("\n\n")
        text.append(f"[{history_label(claim)}] ", style="dim italic")
        _claim(text, claim, dim=True)
    for subject, claims in earlier.items():
        if text:
            text.append("\n\n")
        figures = ", ".join(
            figure(c) + (f" {on_short(c)}" if c.dated else "")
            for c in claims
            if c.count is not None
        )
        on = f" ({subject})" if subject and len(earlier) > 1 else ""
        text.append(one_line(capped(f"earlier{on}: {figures}")), style="dim")
    if not text:
        text.append("—", style="dim")
    return text


def _earlier(claim: Claim) -> str:
    """`105 on 14 Sep 2022`, `not 40 on 23 Jun 2020`, `480 reported 18 Oct 2023`,
    `49` (undated)."""
    assert claim.count is not None
    shown = figure(claim)
    return f"{shown} {on_short(claim)}" if claim.dated else shown


CELL_LIMIT = 1200  # characters of one claim's text (or quote) that a table cell lays out


def capped(value: str, limit: int = CELL_LIMIT) -> str:
    """The start of a long value, cut at a space, and how much is left out: a cell
    need not lay out megabytes (rich's wrapping is not linear in them); JSON, CSV and
    the brief hold the whole text."""
    if len(value) <= limit:
        return value
    cut = value.rfind(" ", limit // 2, limit)
    cut = cut if cut > 0 else limit
    rest = len(value) - cut
    return f"{value[:cut]} … [{rest:,} more characters: see --format json or the brief]"


def _claim(text: Text, claim: Claim, *, dim: bool) -> None:
    base = "dim" if dim else ""
    text.append(inert(capped(claim.text)), style=base)
    if claim.quote:
        text.append("\n")
        text.append(f"“{inert(capped(claim.quote))}”", style=f"{base} italic".strip())
        if claim.original:
            from factcmp.load.languages import translated_from

            text.append(f" ({translated_from(claim.lang)})", style="dim")
    shown = facets(claim)
    if shown:
        text.append("\n")
        line = one_line(capped(" · ".join(shown)))
        text.append(line, style="magenta" if not dim else "dim")
    who = []
    if claim.speaker:
        who.append(claim.speaker.shown())
    if claim.dated:
        who.append(said_iso(claim))  # "reported 26 Nov 2023" without `said`
    if claim.source and (claim.source.outlet or claim.source.title):
        who.append(f"via {claim.source.outlet or claim.source.title}")
    where = f"{os.path.basename(claim.file)}:{claim.line}"
    text.append("\n")
    text.append(
        "— " + one_line(capped(", ".join(who)) + (" · " if who else "") + where), style="dim"
    )
