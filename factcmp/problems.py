"""Problems found in a user's input: values with a position, never printed here.

Library code collects `Problem`s and raises `InputError` with all of them at once;
the CLI decides how to show them (`file:line:col: message`) and which exit code to use.
"""

from __future__ import annotations

import msgspec

from factcmp.exits import FactcmpError
from factcmp.plain import display_path, escaped


class Problem(msgspec.Struct, frozen=True, order=True):
    """One thing wrong in an input file, at a 1-based line and column.

    Made safe as it is made: the file and the message are one line each, with every
    control character visible (a key or a file name holding a newline cannot forge a
    second problem or a CI annotation), and the position is at least 1:1 (a file that
    cannot be read at all is reported at its first line)."""

    file: str
    line: int
    col: int
    message: str
    rule: str = "error"
    severity: str = "error"

    def __post_init__(self) -> None:
        force = msgspec.structs.force_setattr
        force(self, "file", escaped(display_path(self.file)))
        force(self, "message", escaped(self.message))
        force(self, "line", max(1, self.line))
        force(self, "col", max(1, self.col))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class InputError(FactcmpError):
    """Raised with every problem found, so a user fixes them all in one go; shown one
    `file:line:col: message` a line, with their count."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
