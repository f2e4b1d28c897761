"""Output of `factcmp check`: text for people, JSON for scripts, GitHub annotations.

Every format lists the same findings in the same order (by file, line, column).
Messages quote the user's values already made printable (`yamlsrc.shown`); the
text report also makes the quoted source lines inert.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from factcmp import __version__
from factcmp.check.files import CheckReport
from factcmp.check.lint import ERROR, WARNING
from factcmp.plain import json_text
from factcmp.render.safe import inert

if TYPE_CHECKING:
    from rich.console import Console

JSON_VERSION = 1


def summary(report: CheckReport) -> str:
    errors, warnings = report.count(ERROR), report.count(WARNING)
    files = len({f.file for f in report.findings})
    checked = len(report.files)
    if not report.findings:
        return f"{checked} file{'s' if checked != 1 else ''} checked: no problems"
    return (
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''} in {files} "
        f"file{'s' if files != 1 else ''} ({checked} checked)"
    )


def render_text(report: CheckReport, console: Console) -> None:
    """Grouped by file; each finding with the line it points at."""
    from rich.text import Text

    current = None
    lines: list[str] = []
    # a link out of the repository is never read, not even for an excerpt
    unread = {p.file for p in report.findings if p.rule == "link-outside"}
    for problem in report.findings:
        if problem.file != current:
            if current is not None:
                console.print()
            current = problem.file
            lines = [] if problem.file in unread else _source_lines(problem.file)
            console.print(Text(inert(problem.file), style="bold underline"), soft_wrap=True)
        style = "bold red" if problem.severity == ERROR else "bold yellow"
        text = Text()
        text.append(inert(f"{problem.file}:{problem.line}:{problem.col}: "))
        text.append(problem.severity, style=style)
        text.append(": " + inert(problem.message) + " ")
        text.append(f"[{problem.rule}]", style="dim")
        console.print(text, soft_wrap=True)  # one line each, as editors and CI parse them
        if 0 < problem.line <= len(lines):
            source = inert(lines[problem.line - 1].lstrip("\ufeff").expandtabs(1).rstrip())
            console.print(Text(f"  {problem.line:>4} | {source}", style="dim"), soft_wrap=True)
            console.print(Text(" " * (9 + problem.col - 1) + "^", style=style), soft_wrap=True)
    console.print(Text(summary(report), style="bold"), soft_wrap=True)


def _source_lines(file: str) -> list[str]:
    try:
        return Path(file).read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return []


def render_json(report: CheckReport) -> str:
    data = {
        "factcmp": __version__,
        "format": JSON_VERSION,
        "files": report.files,
        "summary": {"errors": report.count(ERROR), "warnings": report.count(WARNING)},
        "findings": [
            {
                "file": p.file,
                "line": p.line,
                "col": p.col,
                "severity": p.severity,
                "rule": p.rule,
                "message": p.message,
            }
            for p in report.findings
        ],
    }
    return json_text(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(report: CheckReport) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    out = []
    for p in report.findings:
        command = "error" if p.severity == ERROR else "warning"
        props = [f"file={_escape_property(p.file)}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.col}"]
        props.append(f"title={_escape_property('factcmp ' + p.rule)}")
        out.append(f"::{command} {','.join(props)}::{_escape_data(p.message)}")
    out.append(summary(report))
    return "\n".join(out) + "\n"
