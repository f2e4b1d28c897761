"""A `sources:` entry for a claim file: its key, its YAML text, and adding it to a file.

Every field read from the page's structured metadata is written as it is; a field
that was guessed, or not found, gets a comment saying so (`# guessed from <title>`,
`# not found: fill in`). Page text is untrusted: each value is put on one line, with
control characters, terminal escapes and bidirectional controls made visible
(factcmp.plain), and cut at `MAX_LENGTH` characters; each is written as a YAML scalar
that reads back as exactly that text (quoted where plain text would not).

Adding an entry to a file changes no other byte: the entry's lines go after the last
entry of its `sources:` mapping (or replace an empty `{}` or null value, or come in a
new `sources:` section before `statements:` / `claims:`). The file is parsed again
and must hold exactly what it held plus the entry, or nothing is written; then it is
written atomically, a link's target in its place, and only if no other program saved
the file meanwhile (factcmp.edit.exact.write_all); a new shared file is never written over
one that appeared meanwhile.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from factcmp.edit.exact import (
    Change,
    EditError,
    create_new,
    encode,
    line_start,
    read,
    scalar_text,
    write_all,
)
from factcmp.load.yamlsrc import Document, parse
from factcmp.plain import display_path, inert
from factcmp.sources.meta import HOST_GUESS, PageMeta, one_line, site_label

MAX_LENGTH = 400
NOT_FOUND = "not found: fill in"
_UNWRITABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")
_AFTER_SOURCES = ("statements", "claims")  # top-level keys that come after `sources`
# Cyrillic in Latin letters, for keys only (ТАСС -> tass): outlets in this work often
# write their names so, and a key is typed on keyboards
_CYRILLIC = str.maketrans(
    dict(zip("абвгдезийклмнопрстуфхцыэіїєґ", "abvgdezijklmnoprstufhcyeiieg", strict=True))
    | {"ё": "e", "ж": "zh", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu", "я": "ya",
       "ъ": "", "ь": ""}
)  # fmt: skip
_HEADER = """\
# Sources that any side's claims may cite (an agency report, a joint statement),
# defined once for all sides: see docs/format.md. `factcmp source URL --write` adds one.
factcmp: 1
"""


@dataclass(frozen=True)
class Line:
    """One field of an entry: its value (None: empty) and the comment beside it."""

    name: str
    value: str | dt.date | None
    comment: str | None = None


@dataclass(frozen=True)
class Entry:
    key: str
    lines: tuple[Line, ...]

    def value(self) -> dict[str, Any]:
        """The entry as YAML reads it back."""
        return {line.name: line.value for line in self.lines}


def clean(text: str, limit: int | None = MAX_LENGTH) -> tuple[str, bool]:
    """Untrusted text made safe to print and write: on one line, controls visible, at
    most MAX_LENGTH characters. Also says whether it was cut. Lone surrogates (JSON-LD
    can hold `\\ud800`) and U+FFFE/U+FFFF, which YAML refuses, are made visible too."""
    text = inert(one_line(text.replace("\ufeff", "")))
    text = _UNWRITABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    if limit is None or len(text) <= limit:  # a URL is never cut: it would not lead anywhere
        return text, False
    return text[: limit - 1].rstrip() + "…", True


def entry_from(meta: PageMeta, key: str) -> Entry:
    """The entry for a page's metadata; a comment on every field guessed or not found."""
    lines = []
    for name in ("outlet", "title", "author", "published", "url"):
        found = getattr(meta, name)
        value, comment = found.value, found.guess
        if isinstance(value, str):
            value, cut = clean(value, None if name == "url" else MAX_LENGTH)
            if cut:
                comment = "; ".join(filter(None, [comment, f"cut at {MAX_LENGTH} characters"]))
        if value is None or value == "":
            value, comment = None, NOT_FOUND
        lines.append(Line(name, value, clean(comment)[0] if comment else None))
    return Entry(key, tuple(lines))


def skeleton(url: str, key: str) -> Entry:
    """An entry holding only the URL, for a page that could not be read."""
    host = _host(url)
    return Entry(
        key,
        (
            Line("outlet", host, HOST_GUESS) if host else Line("outlet", None, NOT_FOUND),
            *(Line(name, None, NOT_FOUND) for name in ("title", "author", "published")),
            Line("url", clean(url, None)[0]),
        ),
    )


def _host(url: str) -> str | None:
    try:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return None
    return clean(host)[0] or None


def derive_key(meta: PageMeta | None, url: str, taken: Container[str] = ()) -> str:
    """`outlet-YYYY-MM-DD` (`ap-2022-09-14`): the outlet's name as a slug, or the site's
    label in its host name when the outlet's name has no Latin letters or is a guess
    from the host; `-2`, `-3` added until no key in `taken` is the same."""
    base = ""
    if meta is not None and meta.outlet.value and meta.outlet.guess != HOST_GUESS:
        base = _slug(meta.outlet.value)
    base = base or _slug(site_label(_host(url) or "")) or "source"
    if meta is not None and meta.published.value is not None:
        base = f"{base}-{meta.published.value.isoformat()}"
    key, count = base, 1
    while key in taken:
        count += 1
        key = f"{base}-{count}"
    return key


def _slug(text: str) -> str:
    text = text.lower().translate(_CYRILLIC)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(ch if ch.isalnum() else " " for ch in ascii_text.lower()).split()
    slug = ""
    for word in words:
        if len(slug) + len(word) > 30:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "-".join(words)[:30]


def check_key(key: str) -> None:
    if not key or len(key) > 100 or any(ch.isspace() or not ch.isprintable() for ch in key):
        raise EditError(
            f"{inert(key)!r} cannot be a source key: use letters, digits, '.', '-' and '_' "
            "(at most 100 characters)"
        )


# --- YAML text ---------------------------------------------------------------------------


def entry_text(entry: Entry, indent: int = 2, step: int = 2, newline: str = "\n") -> str:
    """The entry's lines: its key at `indent`, its fields `step` further in."""
    out = [f"{' ' * indent}{scalar_text(entry.key, None)}:"]
    for line in entry.lines:
        text = f"{' ' * (indent + step)}{line.name}:"
        if isinstance(line.value, dt.date):
            text += f" {line.value.isoformat()}"
        elif line.value is not None:
            text += f" {scalar_text(line.value, None)}"
        if line.comment:
            text += f"  # {line.comment}"
        out.append(text)
    return newline.join(out) + newline


def printed(entry: Entry) -> str:
    """The entry under a `sources:` heading, ready to paste."""
    return "sources:\n" + entry_text(entry)


# --- adding it to a file -------------------------------------------------------------------


def source_keys(path: Path) -> list[str]:
    """The keys of the file's `sources:` mapping; none when the file does not exist
    (raises InputError when it does not parse)."""
    if not path.exists():
        return []
    value = read(path)[1].value
    sources = value.get("sources") if isinstance(value, dict) else None
    return list(sources) if isinstance(sources, dict) else []


def keys_taken(target: Path | None) -> dict[str, Path]:
    """The source keys a new key in `target` must not repeat, each with the file that
    defines it: `target`'s own (raises InputError when it does not parse), then those
    of the files beside it (`_beside`; one that does not parse is passed over: check
    reports its problems). A key in both a side and sources.yaml is an error."""
    from factcmp.problems import InputError

    if target is None:
        return {}
    taken = dict.fromkeys(source_keys(target), target)
    for other in _beside(target):
        with contextlib.suppress(InputError):
            taken = dict.fromkeys(source_keys(other), other) | taken
    return taken


def _beside(target: Path) -> list[Path]:
    """The files whose source keys a new key in `target` must not repeat: for a side's
    file, the shared sources file beside it; for that one, every side's file."""
    from factcmp.load.discover import SHARED_FILES, DiscoveryError, available_sides, shared_file

    if target.name not in SHARED_FILES:
        shared = shared_file(target.parent, [])
        return [shared] if shared is not None else []
    with contextlib.suppress(DiscoveryError):  # an unreadable folder: check will say so
        return [side.path for side in available_sides(target.parent)]
    return []


def add_to_file(path: Path, entry: Entry, *, shared: bool) -> bool:
    """Add the entry to the file's `sources:`; a shared sources file that does not exist
    is created (True is returned then). Raises EditError (nothing written) when the key
    is there already or the result would not be the file plus the entry, InputError
    when the file does not parse, OSError when it cannot be written."""
    if shared and not os.path.lexists(path):  # a dangling link is not written over
        text = _HEADER + printed(entry)
        _verify(text, display_path(path), {"factcmp": 1, "sources": {entry.key: entry.value()}})
        create_new(path, text)
        return True
    write_all([addition(path, entry, shared=shared)])
    return False


def addition(path: Path, entry: Entry, *, shared: bool) -> Change:
    """The file, before and after the entry is added (raises as add_to_file does)."""
    data, doc = read(path)
    text, want = _inserted(doc, entry, shared=shared)
    _verify(text, doc.file, want)
    return Change(path, data, encode(data, text))


def _verify(text: str, file: str, want: dict[str, Any]) -> None:
    try:
        after = parse(text, file).value
    except Exception as exc:  # our insertion broke the file: refuse, write nothing
        raise EditError(f"{file}: the entry would not parse ({exc}); nothing written") from None
    if after != want:
        raise EditError(f"{file}: adding the entry would change more; nothing written")


def _inserted(doc: Document, entry: Entry, *, shared: bool) -> tuple[str, dict[str, Any]]:
    """The file's text with the entry added, and the value it must then parse to."""
    text, root, file = doc.text, doc.root, doc.file
    newline = "\r\n" if "\r\n" in text else "\n"
    want: dict[str, Any] = copy.deepcopy(doc.value) if isinstance(doc.value, dict) else {}
    if root is None and shared:  # empty, or comments only
        want.update({"factcmp": 1, "sources": {entry.key: entry.value()}})
        section = f"factcmp: 1{newline}sources:{newline}{entry_text(entry, newline=newline)}"
        return _append(text, section, newline), want
    if root is None:
        raise EditError(f"{file}: the file is empty: a side's file starts with `factcmp: 1`")
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise EditError(f"{file}: not a mapping written one key per line: add the entry by hand")
    found = doc.entry(root, "sources")
    sources = want.get("sources")
    if isinstance(sources, dict) and entry.key in sources:
        line = doc.position(["sources", entry.key], key=True)[0]
        raise EditError(
            f"{file}:{line}: source {entry.key!r} is there already: nothing written "
            "(choose another key with --id)"
        )
    existing = sources if isinstance(sources, dict) else {}
    want["sources"] = {**existing, entry.key: entry.value()}
    if found is None:
        indent = root.value[0][0].start_mark.column if root.value else 0
        section = " " * indent + f"sources:{newline}"
        section += entry_text(entry, indent + 2, 2, newline)
        return _new_section(doc, root, section, newline), want
    key_node, value = found
    if isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null"):
        return _replace_empty(doc, key_node, value, entry, newline), want
    if isinstance(value, yaml.MappingNode) and value.flow_style and not value.value:
        return _replace_empty(doc, key_node, value, entry, newline), want
    if isinstance(value, yaml.MappingNode) and not value.flow_style:
        return _after_last(doc, value, entry, newline), want
    line = key_node.start_mark.line + 1
    raise EditError(
        f"{file}:{line}: `sources:` is not a mapping written one entry per line "
        "(a flow mapping {…}?): write it one source per line, or add the entry by hand"
    )


def _append(text: str, block: str, newline: str) -> str:
    if text and not text.endswith(("\n", "\r")):
        text += newline
    return text + block


def _new_section(doc: Document, root: yaml.MappingNode, section: str, newline: str) -> str:
    """A new `sources:` section before the first key that comes after it (and the
    comments right above that key), else at the end."""
    after = [key for key, _value in root.value if key.value in _AFTER_SOURCES]
    if not after:
        return _append(doc.text, section, newline)
    lines = doc.text.splitlines(keepends=True)
    at = after[0].start_mark.line
    while at > 0 and lines[at - 1].lstrip().startswith("#"):
        at -= 1
    start = line_start(doc.text, at)
    return doc.text[:start] + section + newline + doc.text[start:]


def _replace_empty(
    doc: Document, key_node: yaml.Node, value: yaml.Node, entry: Entry, newline: str
) -> str:
    """`sources:`, `sources: ~` or `sources: {}` (a comment after it stays) followed by
    the entry's lines."""
    text = doc.text
    line = key_node.start_mark.line
    implicit = isinstance(value, yaml.ScalarNode) and value.value == "" and not value.style
    if not implicit:  # `~`, `null` or `{}` goes; a comment after it stays
        if value.start_mark.line != line:
            raise EditError(f"{doc.file}:{line + 1}: write `sources:` and its value on one line")
        start, end = value.start_mark.index, value.end_mark.index
        if not text[end : line_start(text, line + 1)].strip():
            while start > key_node.end_mark.index + 1 and text[start - 1] == " ":
                start -= 1
        text = text[:start] + text[end:]
    lines = entry_text(entry, key_node.start_mark.column + 2, 2, newline)
    return _insert_lines(text, line + 1, lines, newline)


def _after_last(doc: Document, mapping: yaml.MappingNode, entry: Entry, newline: str) -> str:
    """The entry after the last one of a block `sources:` mapping, at the same indent;
    comments and blank lines after it that belong to what follows stay after."""
    indent = mapping.value[0][0].start_mark.column
    step = 2
    for key, value in mapping.value:
        if isinstance(value, yaml.MappingNode) and not value.flow_style and value.value:
            step = value.value[0][0].start_mark.column - key.start_mark.column
            break
    last_key, last_value = mapping.value[-1]
    lines = doc.text.splitlines(keepends=True)

    def comment(at: int, deeper: bool) -> bool:
        text = lines[at].lstrip()
        return text.startswith("#") and (len(lines[at]) - len(text) > indent) == deeper

    end = last_value.end_mark.line + (1 if last_value.end_mark.column > 0 else 0)
    while end - 1 > last_key.start_mark.line and end - 1 < len(lines):
        if lines[end - 1].strip() and not comment(end - 1, deeper=False):
            break  # blank lines and comments at the keys' indent belong to what follows
        end -= 1
    while end < len(lines) and comment(end, deeper=True):
        end += 1  # comments indented under the last entry stay with it
    return _insert_lines(doc.text, end, entry_text(entry, indent, step, newline), newline)


def _insert_lines(text: str, line: int, block: str, newline: str) -> str:
    start = line_start(text, line)
    if start == len(text) and text and not text.endswith(("\n", "\r")):
        block = newline + block
    return text[:start] + block + text[start:]
