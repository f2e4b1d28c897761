"""How a run of factcmp ends: its exit statuses, and the base class of the library's
errors, which carries its status. Import-light: `factcmp --version` loads it."""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar


class ExitStatus(IntEnum):
    """How a run of factcmp ends (docs/cli.md): 0 fine, 1 findings, 2 bad input or
    usage; a signal ends it with 128 + its number, a reader that closed standard
    output early with 141 (128 + SIGPIPE, 13 on every POSIX system)."""

    OK = 0
    FINDINGS = 1
    BAD_INPUT = 2
    SIGNAL_BASE = 128
    CLOSED_PIPE = 141


class FactcmpError(Exception):
    """A library error that ends the command: the CLI translates it once, at the door
    (factcmp.commands.running), into its exit status and its message, one line made
    inert. `usage`: the command's usage line goes with it (a side that cannot be
    found, nothing to check), as with a wrong option."""

    exit_status: ClassVar[ExitStatus] = ExitStatus.BAD_INPUT
    usage: ClassVar[bool] = False
