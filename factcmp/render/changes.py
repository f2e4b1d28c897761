"""`changes` as a table for people and JSON for scripts (docs/changes.md). Every
key, id and label is data: printed through `one_line`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from factcmp import __version__
from factcmp.compare.changes import Changes, ClaimChange, ClaimRef
from factcmp.load.history import Revision
from factcmp.plain import json_text
from factcmp.render.safe import one_line
from factcmp.render.words import SYMBOL

if TYPE_CHECKING:
    from rich.console import Console

JSON_VERSION = 1


def _revision(revision: Revision | None) -> dict[str, str] | None:
    if revision is None:
        return None
    return {"rev": revision.rev, "commit": revision.commit, "date": revision.date}


def _ref(ref: ClaimRef | ClaimChange) -> dict[str, Any]:
    out: dict[str, Any] = {"side": ref.side, "id": ref.id, "topic": ref.topic}
    if isinstance(ref, ClaimChange):
        out["fields"] = list(ref.fields)
    return out


def changes_json(found: Changes, since: Revision, until: Revision | None) -> str:
    data = {
        "factcmp": __version__,
        "format": JSON_VERSION,
        "since": _revision(since),
        "until": _revision(until),  # null: the working tree
        "claims": {
            "added": [_ref(r) for r in found.added],
            "removed": [_ref(r) for r in found.removed],
            "changed": [_ref(r) for r in found.changed],
        },
        "files": {
            "added": list(found.files_added),
            "removed": list(found.files_removed),
            "renamed": [
                {"before": r.before, "after": r.after, "was": r.was, "side": r.side}
                for r in found.files_renamed
            ],
        },
        "topics": [
            {
                "topic": t.topic,
                "before": t.before.value if t.before else None,
                "after": t.after.value if t.after else None,
            }
            for t in found.topics
        ],
    }
    encoded = msgspec.json.format(msgspec.json.encode(data), indent=2).decode("utf-8")
    return json_text(encoded) + "\n"


def heading(since: Revision, until: Revision | None) -> str:
    what = f"{until.short} ({until.date[:10]})" if until else "the working tree"
    return f"Changes from {since.short} ({since.date[:10]}, {since.rev}) to {what}"


def changes_table(
    found: Changes, since: Revision, until: Revision | None, console: Console
) -> None:
    from rich.text import Text

    console.print(Text(one_line(heading(since, until)), style="bold"))
    if not found:
        console.print("Nothing changed in the claims or the verdicts.")
        return
    if found.topics:
        console.print(Text("\nVerdicts", style="bold underline"))
        for t in found.topics:
            before = f"{SYMBOL[t.before]} {t.before.value}" if t.before else "(no topic)"
            after = f"{SYMBOL[t.after]} {t.after.value}" if t.after else "(topic gone)"
            line = Text(f"  {one_line(t.label)} ({one_line(t.topic)}): ")
            line.append(f"{before} → {after}", style="bold" if t.after else "dim")
            console.print(line, soft_wrap=True)
    files = [
        *(f"  {one_line(r.before)} → {one_line(r.after)} (renamed)" for r in found.files_renamed),
        *(f"  {one_line(name)} (new)" for name in found.files_added),
        *(f"  {one_line(name)} (gone: its claims are removed)" for name in found.files_removed),
    ]
    if files:
        console.print(Text(f"\nSide files ({len(files)})", style="bold underline"))
        for entry in files:
            console.print(Text(entry), soft_wrap=True)
    for title, refs in (("Added", found.added), ("Removed", found.removed)):
        if refs:
            console.print(Text(f"\n{title} claims ({len(refs)})", style="bold underline"))
            for ref in refs:
                console.print(
                    Text(f"  {one_line(ref.side)} {one_line(ref.id)} on {one_line(ref.topic)}"),
                    soft_wrap=True,
                )
    if found.changed:
        console.print(Text(f"\nChanged claims ({len(found.changed)})", style="bold underline"))
        for change in found.changed:
            what = "; ".join(change.shown)
            console.print(
                Text(
                    f"  {one_line(change.side)} {one_line(change.id)} on "
                    f"{one_line(change.topic)}: {one_line(what)}"
                ),
                soft_wrap=True,
            )
    counts = [
        f"{len(found.topics)} verdict(s) changed",
        f"{len(found.added)} claim(s) added",
        f"{len(found.removed)} removed",
        f"{len(found.changed)} changed",
    ]
    console.print(Text("\n" + ", ".join(counts), style="bold"))


def changes_markdown(
    found: Changes, since: Revision, until: Revision | None, names: dict[str, str]
) -> list[str]:
    """The brief's first section: what changed since the revision, in sentences an
    editor reads (names, not ids, where there are names)."""
    from factcmp.render import markdown as md

    def side(side_id: str) -> str:
        return md.text(names.get(side_id, side_id))

    def claim(ref: ClaimRef | ClaimChange) -> str:
        return f"{side(ref.side)}, claim {md.text(ref.id)} on {md.text(ref.topic)}"

    when = f"{until.short} ({until.date[:10]})" if until else ""
    title = f"What changed since {since.short} ({since.date[:10]})"
    out = [f"## {title}{' to ' + when if when else ''}", ""]
    if not found:
        return [*out, "Nothing changed in the claims or the verdicts.", ""]
    for t in found.topics:
        before = t.before.value if t.before else "no topic"
        after = t.after.value if t.after else "topic gone"
        out.append(f"- **{md.text(t.label)}**: {before} → **{after}**")
    for rename in found.files_renamed:
        out.append(f"- Renamed: {md.text(rename.before)} is now {md.text(rename.after)}")
    for verb, paths in (("New", found.files_added), ("Gone", found.files_removed)):
        out.extend(f"- {verb} claim file: {md.text(path)}" for path in paths)
    for verb, refs in (("New", found.added), ("Removed", found.removed)):
        for ref in refs:
            out.append(f"- {verb} claim: {claim(ref)}")
    for change in found.changed:
        out.append(f"- Changed: {claim(change)}: {md.text('; '.join(change.shown))}")
    return [*out, ""]
