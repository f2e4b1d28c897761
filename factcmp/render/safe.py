"""Claim text is untrusted: make it inert before it reaches a terminal.

Control characters (ESC for ANSI and OSC sequences, carriage return, backspace,
...), DEL, C1 controls and bidirectional overrides are shown as visible escapes
(`\\x1b`, `\\u202e`) instead of being passed through: the reader sees that the
text holds something odd, and the terminal never acts on it. Newline and tab stay.
"""

from __future__ import annotations

_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_TABLE: dict[int, str] = {
    code: _escape(code)
    for code in [*range(0x20), *range(0x7F, 0xA0), *_BIDI]
    if code not in (0x09, 0x0A)
}


def inert(text: str) -> str:
    """The text with every character a terminal could act on made visible."""
    return text.translate(_TABLE)


def one_line(text: str) -> str:
    """Inert, and on one line (for CSV cells and headings)."""
    return " ".join(inert(text).split())
