"""The registry of output formats: for each command, the formats it offers, its
--format help and default, and the writer of each format.

The --format option (commands/options.py: format_option) and each command's dispatch
(`write`) both read this table, so a format is offered by the commands it is
registered for and by no other. A writer is named as "module:function" and imported
only when its format is asked for: this module imports nothing heavy, so reading the
registry (every command does, to build its options) costs no start-up.

A writer takes one `Output`: what the command read (the payload), the options the
format needs, and a console made on first use. Adding a format is a module with its
writer in render/ and one `Format` line below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

P = TypeVar("P")


class Output(Generic[P]):
    """What a command hands its format's writer: the payload it read (a comparison,
    a report, …), the options the formats of that command may need (`options`), and
    the console of the formats for people, made on first use (so that no other
    format loads rich) unless the command made it already."""

    def __init__(self, payload: P, *, console: Console | None = None, **options: Any) -> None:
        self.payload = payload
        self.options = options
        self._console = console

    @property
    def console(self) -> Console:
        if self._console is None:
            from factcmp.render.table import make_console

            self._console = make_console()
        return self._console

    def echo(self, text: str, *, nl: bool = True, err: bool = False) -> None:
        """Write `text` to standard output (or error), as the commands write."""
        import click

        click.echo(text, nl=nl, err=err)


class Format:
    """One format of one command: its --format name and its writer,
    "module:function", a function that takes an Output. `people`: the format is for
    people, on the console, where a table of changes (--since) or a progress bar may
    go too. (Plain classes, not NamedTuples: the registry is read at every start.)"""

    __slots__ = ("name", "people", "writer")

    def __init__(self, name: str, writer: str, *, people: bool = False) -> None:
        self.name = name
        self.writer = writer
        self.people = people

    def __repr__(self) -> str:
        return f"Format({self.name!r}, {self.writer!r}, people={self.people})"


class Offer:
    """The formats a command offers, in the order --help lists them, the help of its
    --format, and its default (None: the command picks one, commands/options.py:
    pick_format)."""

    __slots__ = ("default", "formats", "help")

    def __init__(
        self, formats: tuple[Format, ...], help: str, *, default: str | None = "table"
    ) -> None:
        self.formats = formats
        self.help = help
        self.default = default


_W = "factcmp.render.writers"
_TABLE_JSON_HELP = "table for people, json for scripts (docs/json.md)."
_ANNOTATIONS_HELP = (
    "text for people (the default), json for scripts, github for GitHub Actions "
    "annotations (the default when GITHUB_ACTIONS=true)."
)

FORMATS: dict[str, Offer] = {
    "diff": Offer(
        (
            Format("table", f"{_W}:diff_table", people=True),
            Format("json", f"{_W}:diff_json"),
            Format("csv", f"{_W}:diff_csv"),
        ),
        "Output format: a table for people, JSON (docs/json.md) or CSV for scripts.",
    ),
    "timeline": Offer(
        (
            Format("table", f"{_W}:timeline_table", people=True),
            Format("json", f"{_W}:timeline_json"),
            Format("csv", f"{_W}:timeline_csv"),
        ),
        "table for people (with a chart in a terminal), json or csv for scripts.",
    ),
    "changes": Offer(
        (
            Format("table", f"{_W}:changes_table", people=True),
            Format("json", f"{_W}:changes_json"),
        ),
        "table for people, json for scripts (docs/changes.md).",
    ),
    "check": Offer(
        (
            Format("text", f"{_W}:check_text", people=True),
            Format("json", f"{_W}:check_json"),
            Format("github", f"{_W}:check_github"),
        ),
        _ANNOTATIONS_HELP,
        default=None,
    ),
    "sources check": Offer(
        (
            Format("text", f"{_W}:sources_text", people=True),
            Format("json", f"{_W}:sources_json"),
            Format("github", f"{_W}:sources_github"),
        ),
        _ANNOTATIONS_HELP,
        default=None,
    ),
    "topics list": Offer(
        (
            Format("table", f"{_W}:topics_list_table", people=True),
            Format("json", f"{_W}:topics_list_json"),
        ),
        _TABLE_JSON_HELP,
    ),
    "topics suggest": Offer(
        (
            Format("table", f"{_W}:topics_suggest_table", people=True),
            Format("json", f"{_W}:topics_suggest_json"),
        ),
        _TABLE_JSON_HELP,
    ),
}


def offer(command: str) -> Offer:
    """What `command` (its path after `factcmp`: "diff", "topics list") offers."""
    return FORMATS[command]


def names(command: str) -> list[str]:
    """The --format choices of `command`, in order."""
    return [f.name for f in FORMATS[command].formats]


def entry(command: str, fmt: str) -> Format:
    """The format `fmt` of `command`; LookupError when it does not offer it."""
    for found in FORMATS[command].formats:
        if found.name == fmt:
            return found
    raise LookupError(f"{command} has no format {fmt!r}: {', '.join(names(command))}")


def for_people(command: str, fmt: str) -> bool:
    """Whether `fmt` is one of `command`'s formats for people (a table, text)."""
    return entry(command, fmt).people


def writer(command: str, fmt: str) -> Callable[[Output[Any]], None]:
    """The writer of `command`'s format `fmt`, imported now."""
    import importlib

    module, _, function = entry(command, fmt).writer.partition(":")
    found: Callable[[Output[Any]], None] = getattr(importlib.import_module(module), function)
    return found


def write(command: str, fmt: str, out: Output[Any]) -> None:
    """Write `out` as `command`'s format `fmt`: the dispatch every command makes."""
    writer(command, fmt)(out)
