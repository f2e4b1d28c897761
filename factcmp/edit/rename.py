"""Rename a topic key in the claim files and topics.yaml (`factcmp topics rename`).

Only the key's characters change (factcmp.edit.exact). In topics.yaml, OLD's entry is
renamed to NEW; when NEW already has an entry (with the same label, or `merge`),
NEW's entry is kept and OLD's removed; when some sides keep OLD (`sides`), OLD's
entry stays and a copy of it under NEW is added after it, unless NEW has one.
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Sequence
from pathlib import Path

from factcmp.edit.exact import (
    Change,
    Edit,
    EditError,
    check_key,
    entry_lines,
    line_start,
    read,
    scalar_edit,
    verified,
)
from factcmp.load.files import collector_paused, load_shared, load_topics_data, side_from_document
from factcmp.load.yamlsrc import Document
from factcmp.model import Side, Topic
from factcmp.problems import InputError, Problem


def plan_rename(
    files: Sequence[tuple[str, Path]],
    topics_path: Path | None,
    old: str,
    new: str,
    *,
    only: Sequence[str] = (),
    merge: bool = False,
    shared_path: Path | None = None,
) -> list[Change]:
    """The changes that rename topic `old` to `new` in the claims of `only` (all the
    sides when empty), and in topics.yaml. Raises InputError when a file has
    problems, EditError when the rename is refused."""
    check_key(new)
    if new == old:
        raise EditError(f"the topic is already called {json.dumps(new)}")
    with collector_paused():
        read_files, sides, topics = _load(files, topics_path, shared_path)
    unknown = sorted(set(only) - {side.id for side in sides})
    if unknown:
        raise EditError(f"no side {', '.join(unknown)} among {', '.join(s.id for s in sides)}")
    renaming = {side.id for side in sides if not only or side.id in only}
    users = {s.id for s in sides if any(c.topic == old for c in s.claims)}
    # No claim left with OLD, but topics.yaml still lists it and claims have NEW: a
    # rename stopped before topics.yaml was written; running it again finishes it.
    unfinished = (
        topics is not None
        and old in topics
        and any(c.topic == new for s in sides if s.id in renaming for c in s.claims)
    )
    if not users & renaming and not unfinished:
        raise _not_used(sides, renaming, old, only)

    changes = []
    with collector_paused():  # the edited files are parsed again: millions of objects
        for side_id, path in files:
            if side_id in users & renaming:
                data, doc = read_files[path]
                changes.append(_rename_claims(path, data, doc, old, new))
    if topics_path is not None and topics is not None:
        change = _rename_topic(topics_path, read_files[topics_path], topics, old, new,
                               keep_old=bool(users - renaming), merge=merge)  # fmt: skip
        if change is not None:
            changes.append(change)
    if not changes:  # an unfinished rename's topics.yaml was finished meanwhile
        raise _not_used(sides, renaming, old, only)
    return changes


def _not_used(sides: list[Side], renaming: set[str], old: str, only: Sequence[str]) -> EditError:
    in_use = sorted({c.topic for s in sides if s.id in renaming for c in s.claims})
    close = difflib.get_close_matches(old, in_use, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(json.dumps(c) for c in close)}?" if close else ""
    whose = "no claim" if not only else f"no claim of {', '.join(sorted(renaming))}"
    return EditError(f"{whose} has the topic {json.dumps(old)}{hint}")


def _load(
    files: Sequence[tuple[str, Path]], topics_path: Path | None, shared_path: Path | None
) -> tuple[dict[Path, tuple[bytes, Document]], list[Side], dict[str, Topic] | None]:
    """Every file read once and loaded; every problem of every file at once."""
    problems: list[Problem] = []
    read_files: dict[Path, tuple[bytes, Document]] = {}
    sides: list[Side] = []
    shared = load_shared(shared_path)  # its problems first: the sides refer to it
    for side_id, path in files:
        try:
            data, doc = read(path)
            read_files[path] = (data, doc)
            sides.append(side_from_document(doc, side_id, shared))
        except InputError as exc:
            problems.extend(exc.problems)
    topics = None
    if topics_path is not None:
        try:
            data, doc = read(topics_path)
            read_files[topics_path] = (data, doc)
            topics = load_topics_data(data, topics_path, None)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return read_files, sides, topics


def _rename_claims(path: Path, data: bytes, doc: Document, old: str, new: str) -> Change:
    edits = []
    want = copy.deepcopy(doc.value)  # once: a copy per claim made renaming quadratic
    for i, claim in enumerate(want.get("claims") or []):
        if isinstance(claim, dict) and claim.get("topic") == old:
            edits.append(scalar_edit(doc, ["claims", i, "topic"], new))
            claim["topic"] = new
    return verified(path, data, doc, edits, want)


def _rename_topic(
    path: Path,
    read_file: tuple[bytes, Document],
    topics: dict[str, Topic],
    old: str,
    new: str,
    *,
    keep_old: bool,
    merge: bool,
) -> Change | None:
    data, doc = read_file
    old_entry, new_entry = topics.get(old), topics.get(new)
    if old_entry is None:
        return None
    if new_entry is not None and new_entry.label != old_entry.label and not merge:
        raise EditError(
            f"{doc.file}: {json.dumps(new)} is already listed, as "
            f"{json.dumps(new_entry.label)}, and {json.dumps(old)} as "
            f"{json.dumps(old_entry.label)}: pass --merge to keep {json.dumps(new)}'s entry"
        )
    entries = doc.value["topics"]
    if keep_old:
        if new_entry is not None:
            return None
        start, end = entry_lines(doc, ["topics", old])
        begin, finish = line_start(doc.text, start), line_start(doc.text, end)
        block = doc.text[begin:finish]
        key = scalar_edit(doc, ["topics", old], new, key=True)
        copy = block[: key.start - begin] + key.text + block[key.end - begin :]
        if not copy.endswith("\n"):
            copy = "\n" + copy
        items = list(entries.items())
        at = [k for k, _ in items].index(old) + 1
        want = dict([*items[:at], (new, entries[old]), *items[at:]])
        return verified(path, data, doc, [Edit(finish, finish, copy)],
                        {**doc.value, "topics": want})  # fmt: skip
    if new_entry is not None:  # keep NEW's entry; OLD's goes
        start, end = entry_lines(doc, ["topics", old])
        edit = Edit(line_start(doc.text, start), line_start(doc.text, end), "")
        want = {k: v for k, v in entries.items() if k != old}
        return verified(path, data, doc, [edit], {**doc.value, "topics": want})
    edit = scalar_edit(doc, ["topics", old], new, key=True)
    want = {(new if k == old else k): v for k, v in entries.items()}
    return verified(path, data, doc, [edit], {**doc.value, "topics": want})
