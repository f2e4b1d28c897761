"""The `factcmp` command line: the group, and where each command lives.

Kept thin and import-light: each command (factcmp/commands/) imports what it needs
when it runs, so `factcmp --version` and `factcmp --help` pay only for click.

Exit codes: 0 fine; 1 findings (with `diff --exit-code`: a contradiction shown);
2 bad input (a claim file with problems) or bad usage, or standard output that
cannot be written; 128 + the signal's number when a signal ends the run (130
Ctrl-C), and 141 when the reader of standard output closes it early (see
factcmp/commands/running.py, where they are decided for every command).
"""

from __future__ import annotations

import click

from factcmp import __version__
from factcmp.commands.check import check, schema
from factcmp.commands.common import (
    EPILOG,
)
from factcmp.commands.compare import brief, diff
from factcmp.commands.export import export
from factcmp.commands.init import init
from factcmp.commands.running import FactcmpGroup
from factcmp.commands.source import source
from factcmp.commands.sources import sources
from factcmp.commands.time import changes, timeline
from factcmp.commands.topics import topics


@click.group(
    cls=FactcmpGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EPILOG,
)
@click.version_option(__version__, "-V", "--version", prog_name="factcmp")
def main() -> None:
    """Compare what the sides of a dispute claim.

    Reads hand-curated YAML claim files, one per side (claims/armenia.yaml,
    claims/azerbaijan.yaml), matches claims on the same topic across sides and
    shows where the sides contradict each other, where they agree, and what only
    one side says.
    """


for command in (
    diff,
    brief,
    check,
    schema,
    sources,
    source,
    topics,
    changes,
    timeline,
    init,
    export,
):
    main.add_command(command)
