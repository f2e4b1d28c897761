"""Rewrite claim files in place, changing only the characters that must change.

The loader knows where every value is (factcmp.load.yamlsrc keeps the nodes); an edit
replaces the characters of one scalar, so comments, order, quoting and every other
byte stay. After editing, the file is parsed again and must hold exactly the old
value with the intended changes, or nothing is written.

Writing is all or nothing as far as a program can make it: every new file is
written and flushed beside its target (a link's target: the link stays) first; only
when all are ready, and every file still holds what was read (factcmp.edit.guard: no edit
saved meanwhile is written over), is each renamed over its target (each rename is
atomic). A failure before that point changes nothing; a kill during the renames
leaves each file whole, old or new, and running the same rename again finishes the
job; no temporary file outlives the run.
"""

from __future__ import annotations

import codecs
import contextlib
import difflib
import functools
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from factcmp.atomic import create_atomic, held_signals, prepare_atomic
from factcmp.edit.guard import unchanged
from factcmp.exits import FactcmpError
from factcmp.load.files import read_input
from factcmp.load.yamlsrc import Document, parse, read_text
from factcmp.plain import display_path, escaped
from factcmp.problems import InputError

_BAD_KEY = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]")


class EditError(FactcmpError):
    """An edit that cannot be made safely; the message (one line, inert) says why and
    what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(escaped(display_path(message)))


class PartialWrite(OSError):
    """Some files were replaced, then one could not be: running again finishes."""

    def __init__(self, done: int, total: int, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror)
        self.done, self.total = done, total


class ChangedMeanwhile(Exception):
    """A file no longer held what was read when it was to be replaced (another program
    saved it meanwhile); `done` of `total` files had been replaced before (0: none)."""

    def __init__(self, path: Path, done: int, total: int) -> None:
        super().__init__(
            f"{display_path(path)} changed while factcmp was editing it (another program "
            "saved it): it was left as that program wrote it"
        )
        self.path, self.done, self.total = path, done, total


class Edit(NamedTuple):
    start: int  # character index in the document's text
    end: int
    text: str


class Change(NamedTuple):
    """One file, before and after."""

    path: Path
    before: bytes
    after: bytes


def check_key(key: str) -> None:
    """A topic key that can be written anywhere a key goes: not empty, no spaces or
    control characters."""
    if not key:
        raise EditError("the new topic key is empty")
    if _BAD_KEY.search(key):
        raise EditError(
            f"the topic key {json.dumps(key)} has a space or a control character: "
            "use letters, digits, '.', '-' and '_'"
        )


def scalar_text(value: str, style: str | None) -> str:
    """`value` written as a YAML scalar in the style of the one it replaces (plain,
    'single' or "double" quoted); plain only where YAML reads it back as this
    string in block and flow context alike, else double quoted."""
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if not style and plain_safe(value):
        return value
    return json.dumps(value, ensure_ascii=False)


@functools.lru_cache(maxsize=64)  # a rename writes the same key in every claim
def plain_safe(value: str) -> bool:
    """Whether `value`, written plain (unquoted), reads back as that text, in a block
    mapping and in a flow one alike."""
    for sample in (f"k: {value}\n", f"{{k: {value}}}\n"):
        try:
            if yaml.load(sample, Loader=yaml.CSafeLoader) != {"k": value}:
                return False
        # not YAML, or YAML that cannot be a value: a date that does not exist
        # (2022-02-30: ValueError), a number too long to read; quoted, it is text
        except (yaml.YAMLError, ValueError, OverflowError, ArithmeticError):
            return False
    return True


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    out = []
    last = 0
    for edit in sorted(edits):
        if edit.start < last:
            raise EditError("overlapping edits")  # a bug, not the user's: never write
        out.append(text[last : edit.start])
        out.append(edit.text)
        last = edit.end
    out.append(text[last:])
    return "".join(out)


def read(path: Path) -> tuple[bytes, Document]:
    """A file's bytes, and its document (raises InputError when it is not YAML)."""
    data = read_input(path)
    file = display_path(path)
    return data, parse(read_text(data, file), file)


def encode(data: bytes, text: str) -> bytes:
    """`text` as the file had it: UTF-8, with the byte order mark it had, if any."""
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    return bom + text.encode("utf-8")


def verified(path: Path, data: bytes, doc: Document, edits: Sequence[Edit], want: Any) -> Change:
    """The change that `edits` make to the file, after checking that the edited file
    parses to exactly `want`."""
    text = apply_edits(doc.text, edits)
    try:
        after = parse(text, doc.file).value
    except InputError as exc:  # an edit we made broke the file: refuse, write nothing
        problem = exc.problems[0]
        line = user_line(doc.text, edits, problem.line)
        message = re.sub(
            r"\bline (\d+)",
            lambda m: f"line {user_line(doc.text, edits, int(m.group(1)))}",
            problem.message,
        )
        raise EditError(
            f"{doc.file}:{line}: the edit would not parse ({message}); nothing written"
        ) from None
    except Exception as exc:
        raise EditError(f"{doc.file}: the edit would not parse ({exc}); nothing written") from None
    if after != want:
        raise EditError(f"{doc.file}: the edit would change more than the key; nothing written")
    return Change(path, data, encode(data, text))


def user_line(text: str, edits: Sequence[Edit], line: int) -> int:
    """The 1-based line of `text` that 1-based `line` of the edited text comes from (the
    line where an edit starts, for a line the edit wrote)."""
    shift = 0  # lines the edits so far added
    counted, at = 0, 1  # text[:counted] holds at - 1 line breaks
    for edit in sorted(edits):
        at += text.count("\n", counted, edit.start)
        counted = edit.start
        first = at + shift  # the edit's first line, in the edited text
        if line < first:
            break
        added = edit.text.count("\n") - text.count("\n", edit.start, edit.end)
        if line <= first + edit.text.count("\n"):
            return at
        shift += added
    return line - shift


def scalar_edit(doc: Document, path: Sequence[str | int], new: str, *, key: bool = False) -> Edit:
    node = doc.key_node_at(path) if key else doc.node_at(path)
    if not isinstance(node, yaml.ScalarNode):
        raise EditError(f"{doc.file}: nothing to rename at {'.'.join(map(str, path))}")
    if node.style in ("|", ">"):
        line, col = doc.position(path, key=key)
        raise EditError(
            f"{doc.file}:{line}:{col}: the key is written as a block scalar (| or >): "
            "write it on one line, then rename"
        )
    start = _content_start(doc.text, node.start_mark.index, node.end_mark.index)
    return Edit(start, node.end_mark.index, scalar_text(new, node.style))


def _content_start(text: str, start: int, end: int) -> int:
    """Where a scalar's characters start, after its properties (a tag such as `!!str`,
    an anchor `&a`), which the node's start mark includes and an edit keeps."""
    at = start
    while at < end and text[at] in "!&":
        while at < end and not text[at].isspace():
            at += 1  # the property (a tag or anchor holds no space)
        while at < end and (text[at].isspace() or text[at] == "#"):
            if text[at] == "#":  # a comment between the property and the value
                newline = text.find("\n", at, end)
                at = end if newline < 0 else newline
            else:
                at += 1
    return at


def unified_diff(changes: Sequence[Change]) -> str:
    """The changes as a unified diff, `git apply`-able from the current folder."""
    out = []
    for change in changes:
        name = display_path(change.path)
        before = change.before.decode("utf-8", "replace").splitlines(keepends=True)
        after = change.after.decode("utf-8", "replace").splitlines(keepends=True)
        for line in difflib.unified_diff(before, after, f"a/{name}", f"b/{name}"):
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def write_all(changes: Sequence[Change]) -> None:
    """Write every change, all or nothing (see the module's docstring). A file that no
    longer holds what was read (another program saved it meanwhile) is never
    replaced: ChangedMeanwhile. A link is kept: its target is written. A temporary
    file is never left behind, whatever stops the writing (an error, a signal)."""
    ready: list[tuple[str, Path, Change]] = []  # temporary file, target, change
    done = 0
    try:
        for change in changes:
            target = Path(os.path.realpath(change.path))
            with held_signals():  # made and listed as one step, for `finally` to remove
                ready.append((prepare_atomic(target, change.after), target, change))
        for _tmp, target, change in ready:  # all checked first: refused, nothing changes
            _check(target, change, 0, len(ready))
        for tmp, target, change in ready:
            _check(target, change, done, len(ready))  # again, as late as can be
            os.replace(tmp, target)
            done += 1
    except OSError as exc:
        if done == 0:
            raise
        raise PartialWrite(done, len(ready), exc) from None
    finally:
        for tmp, _target, _change in ready[done:]:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def create_new(path: Path, text: str) -> None:
    """Write a new file at `path` (atomic.create_atomic), never over a file that
    appeared there meanwhile: ChangedMeanwhile then."""
    try:
        create_atomic(path, text)
    except FileExistsError:
        raise ChangedMeanwhile(path, 0, 1) from None


def _check(target: Path, change: Change, done: int, total: int) -> None:
    if not unchanged(target, change.before):
        raise ChangedMeanwhile(change.path, done, total)


def entry_lines(doc: Document, path: Sequence[str]) -> tuple[int, int]:
    """The lines (0-based, end exclusive) of the block mapping entry at `path`: from
    its key's line to the last line of its value, leaving the comments and blank
    lines after it (they belong to what follows)."""
    key = doc.key_node_at(path)
    parent = doc.node_at(path[:-1])
    value = doc.node_at(path)
    if key is None or value is None or not isinstance(parent, yaml.MappingNode):
        raise EditError(f"{doc.file}: no entry {'.'.join(path)}")
    if parent.flow_style:
        raise EditError(
            f"{doc.file}: the topics are written as a flow mapping {{…}}: "
            "edit the file by hand (or write one topic per line)"
        )
    lines = doc.text.splitlines(keepends=True)
    end = value.end_mark.line + (1 if value.end_mark.column > 0 else 0)
    # A block collection ends where the next token starts: the next entry's key, on a
    # line that is not this entry's.
    following = [
        k.start_mark.line for k, _v in parent.value if k.start_mark.index > key.end_mark.index
    ]
    if following:
        end = min(end, following[0])
    while end - 1 > key.start_mark.line and lines[end - 1].strip()[:1] in ("", "#"):
        end -= 1
    return key.start_mark.line, end


def line_start(text: str, line: int) -> int:
    """The character index where 0-based `line` starts (len(text) past the end)."""
    index = 0
    for _ in range(line):
        found = text.find("\n", index)
        if found < 0:
            return len(text)
        index = found + 1
    return index
