"""Output of `factcmp sources check`: tables for people, JSON, GitHub annotations.

URLs, titles and quotes come from claim files and web servers: every one goes
through `inert()` into a rich `Text` (never a markup string), so `[link=...]`
stays text and an escape sequence is shown, not obeyed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from factcmp import __version__
from factcmp.plain import json_text
from factcmp.render.findings import _escape_data, _escape_property
from factcmp.render.safe import inert
from factcmp.sources.result import (
    OUTCOMES,
    QUOTE_STATUSES,
    Citation,
    Outcome,
    QuoteResult,
    QuoteStatus,
    SourcesReport,
    UrlResult,
)

JSON_VERSION = 1
OUTCOME_STYLE: dict[Outcome, tuple[str, str, str]] = {
    "broken": ("✗", "bold red", "Broken"),
    "unverifiable": ("?", "bold yellow", "Unverifiable"),
    "ok": ("✓", "bold green", "OK"),
}
QUOTE_STYLE: dict[QuoteStatus, tuple[str, str, str]] = {
    "not-found": ("✗", "bold red", "not found"),
    "drift": ("≠", "bold red", "drift"),
    "unchecked": ("?", "bold yellow", "unchecked"),
    "found": ("✓", "bold green", "found"),
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_text(report: SourcesReport) -> Text:
    text = Text(_plural(len(report.urls), "link") + ": ")
    for i, outcome in enumerate(OUTCOMES):
        symbol, style, _ = OUTCOME_STYLE[outcome]
        text.append(" · " if i else "")
        text.append(f"{symbol} {report.count(outcome)} {outcome}", style=style)
    cached = sum(1 for u in report.urls if u.cached)
    if cached:
        text.append(f" ({cached} from the cache)", style="dim")
    if report.quotes:
        text.append("; " + _plural(len(report.quotes), "quote") + ": ")
        shown = [s for s in QUOTE_STATUSES if report.count_quotes(s)]
        for i, status in enumerate(shown):
            symbol, style, word = QUOTE_STYLE[status]
            text.append(" · " if i else "")
            text.append(f"{symbol} {report.count_quotes(status)} {word}", style=style)
    if report.bad_links:
        text.append("; ")
        text.append(_plural(len(report.bad_links), "bad link"), style="bold red")
    text.append(f" ({report.seconds:.1f} s)", style="dim")
    return text


def _cited_as(citations: Iterable[Citation]) -> Text:
    text = Text()
    seen: set[tuple[str, str, str]] = set()
    for c in citations:
        key = (c.file, c.source, c.field)
        if key in seen:
            continue
        seen.add(key)
        if text:
            text.append("\n")
        words = ", ".join(inert(w) for w in (c.outlet, f"“{c.title}”" if c.title else None) if w)
        text.append(words or inert(c.source))
        if c.field == "archived":
            text.append(" (archive copy)", style="dim")
    return text


def _claims(citations: Iterable[Citation]) -> Text:
    text = Text()
    for c in citations:
        if text:
            text.append("\n")
        text.append(inert(c.claim_at), style="dim")
        text.append(" " + inert(c.claim))
    return text


def _url_table(outcome: Outcome, urls: list[UrlResult]) -> Table:
    symbol, style, title = OUTCOME_STYLE[outcome]
    table = Table(
        title=Text(f"{symbol} {title} ({len(urls)})", style=style),
        title_justify="left",
        show_lines=True,
        highlight=False,
    )
    table.add_column("URL", overflow="fold", ratio=3)
    table.add_column("Status", overflow="fold", ratio=2)
    table.add_column("Final URL", overflow="fold", ratio=2)
    table.add_column("Cited as", overflow="fold", ratio=2)
    table.add_column("Claims", overflow="fold", ratio=2)
    for u in urls:
        f = u.fetch
        status = Text(inert(f.reason), style=style if outcome != "ok" else "")
        if u.cached:
            status.append(" (cached)", style="dim")
        if f.text_note:
            status.append("\n" + inert(f.text_note), style="dim")
        final = f.final_url if f.final_url and f.final_url != f.url else "—"
        cited, claims = _cited_as(u.citations), _claims(u.citations)
        table.add_row(Text(inert(f.url)), status, Text(inert(final)), cited, claims)
    return table


def _quote_table(quotes: list[QuoteResult]) -> Table:
    table = Table(
        title=Text(f"Quotes ({len(quotes)})", style="bold"),
        title_justify="left",
        show_lines=True,
        highlight=False,
    )
    table.add_column("Claim", overflow="fold", ratio=2)
    table.add_column("Quote", overflow="fold", ratio=4)
    table.add_column("Result", overflow="fold", ratio=3)
    order = {status: i for i, status in enumerate(QUOTE_STATUSES)}
    for q in sorted(quotes, key=lambda q: order[q.status]):
        symbol, style, word = QUOTE_STYLE[q.status]
        claim = Text(inert(f"{q.file}:{q.line}"), style="dim")
        claim.append("\n" + inert(q.claim))
        result = Text(f"{symbol} {word}", style=style)
        result.append("\n" + inert(q.reason))
        table.add_row(claim, Text(f"“{inert(q.quote)}”", style="italic"), result)
    return table


def render_text(report: SourcesReport, console: Console) -> None:
    """A table per outcome (broken first), the quotes, the bad links, a summary."""
    if not report.urls and not report.bad_links:
        console.print(Text(f"no links to check in {_plural(len(report.files), 'file')}"))
        return
    for outcome in OUTCOMES:
        urls = [u for u in report.urls if u.outcome == outcome]
        if urls:
            console.print(_url_table(outcome, urls))
    if report.quotes:
        console.print(_quote_table(report.quotes))
    if report.bad_links:
        console.print(Text(f"Bad links ({len(report.bad_links)})", style="bold red"))
    for bad in report.bad_links:
        line = Text(inert(f"{bad.file}:{bad.line}:{bad.col}: "))
        line.append("error", style="bold red")
        line.append(": " + inert(bad.message) + " ")
        line.append("[bad-link]", style="dim")
        console.print(line, soft_wrap=True)
    console.print(summary_text(report))


def report_json(report: SourcesReport) -> dict[str, object]:
    """The report as JSON data (docs/sources.md documents every key)."""
    summary: dict[str, object] = {"links": len(report.urls)}
    summary.update({outcome: report.count(outcome) for outcome in OUTCOMES})
    summary.update(
        cached=sum(1 for u in report.urls if u.cached),
        quotes={status: report.count_quotes(status) for status in QUOTE_STATUSES},
        bad_links=len(report.bad_links),
        seconds=report.seconds,
    )
    return {
        "factcmp": __version__,
        "format": JSON_VERSION,
        "files": report.files,
        "summary": summary,
        "links": [
            {
                "url": u.fetch.url,
                "outcome": u.fetch.outcome,
                "reason": u.fetch.reason,
                "status": u.fetch.status,
                "final_url": u.fetch.final_url,
                "redirects": u.fetch.redirects,
                "content_type": u.fetch.content_type,
                "method": u.fetch.method,
                "requests": u.fetch.attempts,
                "seconds": u.fetch.seconds,
                "bytes_read": u.fetch.bytes_read,
                "truncated": u.fetch.truncated,
                "text_note": u.fetch.text_note,
                "cached": u.cached,
                "checked_at": u.fetch.checked_at,
                "cited_by": [
                    {
                        "side": c.side,
                        "claim": c.claim,
                        "file": c.file,
                        "claim_line": c.claim_line,
                        "claim_file": c.claim_file or c.file,
                        "line": c.line,
                        "col": c.col,
                        "source": c.source,
                        "field": c.field,
                        "outlet": c.outlet,
                        "title": c.title,
                    }
                    for c in u.citations
                ],
            }
            for u in report.urls
        ],
        "quotes": [
            {
                "side": q.side,
                "claim": q.claim,
                "file": q.file,
                "line": q.line,
                "quote": q.quote,
                "status": q.status,
                "where": q.where,
                "reason": q.reason,
                "url": q.url,
                "archived": q.archived,
            }
            for q in report.quotes
        ],
        "bad_links": [
            {
                "file": b.file,
                "line": b.line,
                "col": b.col,
                "url": b.url,
                "field": b.field,
                "source": b.source,
                "claims": list(b.claims),
                "message": b.message,
            }
            for b in report.bad_links
        ],
    }


def render_json(report: SourcesReport) -> str:
    return json_text(json.dumps(report_json(report), ensure_ascii=False, indent=2)) + "\n"


def _annotation(command: str, file: str, line: int, col: int, rule: str, message: str) -> str:
    props = [f"file={_escape_property(file)}"]
    if line:
        props.append(f"line={line}")
        if col:
            props.append(f"col={col}")
    props.append(f"title={_escape_property('factcmp ' + rule)}")
    return f"::{command} {','.join(props)}::{_escape_data(inert(message))}"


def render_github(report: SourcesReport, fail_on: str = "broken") -> str:
    """GitHub Actions annotations: one per link (at its `url:` or `archived:` line)
    and per quote, errors for what fails the run, warnings for the rest."""
    failing = report.failing_outcomes(fail_on)
    out = []
    for bad in report.bad_links:
        out.append(_annotation("error", bad.file, bad.line, bad.col, "bad-link", bad.message))
    for u in report.urls:
        if u.outcome == "ok":
            continue
        command = "error" if u.outcome in failing else "warning"
        rule = f"{u.outcome}-link"
        at: dict[tuple[str, int, int], list[str]] = {}
        for c in u.citations:
            at.setdefault((c.file, c.line, c.col), []).append(c.claim)
        for (file, line, col), claims in at.items():
            message = f"{u.url} is {u.outcome}: {u.fetch.reason} (cited by {', '.join(claims)})"
            out.append(_annotation(command, file, line, col, rule, message))
    for q in report.quotes:
        if q.status == "found":
            continue
        command = "error" if q.status in ("not-found", "drift") else "notice"
        message = f"quote of {q.claim} {QUOTE_STYLE[q.status][2]}: “{q.quote}”: {q.reason}"
        out.append(_annotation(command, q.file, q.line, 0, f"quote-{q.status}", message))
    out.append(summary_text(report).plain)
    return "\n".join(out) + "\n"
