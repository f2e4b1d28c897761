"""Problems found in a user's input: values with a position, never printed here.

Library code collects `Problem`s and raises `InputError` with all of them at once;
the CLI decides how to show them (`file:line:col: message`) and which exit code to use.
"""

from __future__ import annotations

import msgspec


class Problem(msgspec.Struct, frozen=True, order=True):
    """One thing wrong in an input file, at a 1-based line and column."""

    file: str
    line: int
    col: int
    message: str
    rule: str = "error"
    severity: str = "error"

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col}: {self.message}"
        return f"{self.file}: {self.message}"


class InputError(Exception):
    """Raised with every problem found, so a user fixes them all in one go."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
