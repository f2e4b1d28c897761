"""Untrusted text made inert: claim text, keys and file names come from users' files
and folders, and must never act on a terminal, a log or a CI annotation.

Control characters (ESC for ANSI and OSC sequences, carriage return, backspace,
...), DEL, C1 controls and bidirectional overrides are shown as visible escapes
(`\\x1b`, `\\u202e`) instead of being passed through: the reader sees that the text
holds something odd, and nothing acts on it.

- `inert` keeps newline and tab (for multi-line claim text in a table cell);
- `one_line` also folds every run of white space into one space (headings, cells);
- `escaped` keeps every character but puts it on one line, newline and tab made
  visible too (messages: one problem is one line, always);
- `display_path` is a path as text that can be printed and written to JSON;
- `json_text` escapes what JSON encoders leave raw (DEL, C1, bidi controls).

At the bottom of the house: problems, messages and renderers all use it.
"""

from __future__ import annotations

import re
from pathlib import Path

_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_LINES = [0x2028, 0x2029]  # line and paragraph separators: a new line to some readers


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_TABLE: dict[int, str] = {
    code: _escape(code)
    for code in [*range(0x20), *range(0x7F, 0xA0), *_BIDI, *_LINES]
    if code not in (0x09, 0x0A)
}
_LINE_TABLE: dict[int, str] = {**_TABLE, 0x09: "\\t", 0x0A: "\\n"}


def inert(text: str) -> str:
    """The text with every character a terminal could act on made visible."""
    return text.translate(_TABLE)


def one_line(text: str) -> str:
    """Inert, and on one line (for CSV cells and headings)."""
    return " ".join(inert(text).split())


def escaped(text: str) -> str:
    """Every character kept, on one line: newline, tab and every control character
    made visible (`\\n`, `\\t`, `\\x1b`). For messages and file names in them."""
    return text.translate(_LINE_TABLE)


_JSON_TABLE: dict[int, str] = {
    code: f"\\u{code:04x}" for code in [0x7F, *range(0x80, 0xA0), *_BIDI, *_LINES]
}


_JSON_RAW = re.compile("[" + "".join(f"\\u{code:04x}" for code in _JSON_TABLE) + "]")


def json_text(encoded: str) -> str:
    """Encoded JSON with DEL, C1 controls, bidirectional controls and line separators
    written as `\\u` escapes too (encoders escape only U+0000–U+001F): the same
    value to a parser, and nothing a terminal or an editor acts on when shown raw.
    These characters can only stand inside strings, so replacing them is safe."""
    if not _JSON_RAW.search(encoded):  # the common case: one scan, no copy
        return encoded
    return _JSON_RAW.sub(lambda m: _JSON_TABLE[ord(m.group())], encoded)


def display_path(path: Path | str) -> str:
    """A path as text that can be printed and written to JSON: a file name that is
    not valid UTF-8 shows its odd bytes as U+FFFD instead of breaking the output."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
