"""What changed between two states of the claim files: claims added, removed and
changed (by side and id, with the fields that changed), and topics whose verdict
changed, new contradictions first.

Plain comparison of two loaded states; where they come from (a git revision, the
working tree) is factcmp.load.history's and the command's business.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from factcmp.facets import CHANGES_LAYOUT, in_order
from factcmp.model import Claim, Side
from factcmp.result import Comparison, Verdict

# The fields of a claim that say something (its facets' attributes, as
# factcmp.facets.CHANGES_LAYOUT orders them); where it sits in its file does not.
FIELDS = tuple(attr for facet in in_order(CHANGES_LAYOUT) for attr in facet.attrs)
# how a value reads in a change ("count 105 → 135"), by field; a field missing reads
# as its name alone
_CHANGED = {f.attr: f.changed for f in in_order(CHANGES_LAYOUT) if f.changed is not None}


class ClaimRef(msgspec.Struct, frozen=True):
    side: str
    id: str
    topic: str


class ClaimChange(msgspec.Struct, frozen=True):
    side: str
    id: str
    topic: str
    fields: tuple[str, ...]
    shown: tuple[str, ...]  # each field as people read it: "count 105 → 135"


class TopicChange(msgspec.Struct, frozen=True):
    topic: str
    label: str
    before: Verdict | None
    after: Verdict | None


class FileRename(msgspec.Struct, frozen=True):
    before: str  # the file as it was named then
    after: str  # and now
    was: str  # the side's id then
    side: str  # and now


class Changes(msgspec.Struct, frozen=True):
    added: tuple[ClaimRef, ...] = ()
    removed: tuple[ClaimRef, ...] = ()
    changed: tuple[ClaimChange, ...] = ()
    topics: tuple[TopicChange, ...] = ()
    # side files, as named: new since, gone since, renamed (their claims compared as
    # one side's)
    files_added: tuple[str, ...] = ()
    files_removed: tuple[str, ...] = ()
    files_renamed: tuple[FileRename, ...] = ()

    @property
    def verdicts_changed(self) -> bool:
        return bool(self.topics)

    def __bool__(self) -> bool:
        return bool(
            self.added or self.removed or self.changed or self.topics
            or self.files_added or self.files_removed or self.files_renamed
        )  # fmt: skip


def _value(claim: Claim, field: str) -> object:
    """What a claim says in `field`: a speaker or source by what it says, not by the
    file defining it (the shared sources.yaml of a revision is `sources.yaml@rev`;
    moving an entry into sources.yaml changes no claim)."""
    value = getattr(claim, field)
    if field in ("speaker", "source") and value is not None and value.file:
        return msgspec.structs.replace(value, file="")
    return value


def diff_states(
    before: Sequence[Side], after: Sequence[Side], old: Comparison, new: Comparison
) -> Changes:
    """The changes from `before` (compared as `old`) to `after` (compared as `new`)."""
    order = {side.id: i for i, side in enumerate([*after, *before])}
    was = _by_id(before)
    now = _by_id(after)
    added = [ClaimRef(s, i, now[s, i].topic) for s, i in now.keys() - was.keys()]
    removed = [ClaimRef(s, i, was[s, i].topic) for s, i in was.keys() - now.keys()]
    changed = []
    for key in now.keys() & was.keys():
        fields = [f for f in FIELDS if _value(was[key], f) != _value(now[key], f)]
        if fields:
            shown = tuple(_shown(f, was[key], now[key]) for f in fields)
            changed.append(ClaimChange(key[0], key[1], now[key].topic, tuple(fields), shown))

    def claim_order(ref: ClaimRef | ClaimChange) -> tuple[int, str, str]:
        return (order.get(ref.side, 0), ref.topic, ref.id)

    return Changes(
        tuple(sorted(added, key=claim_order)),
        tuple(sorted(removed, key=claim_order)),
        tuple(sorted(changed, key=claim_order)),
        _topic_changes(old, new),
    )


def _by_id(sides: Sequence[Side]) -> dict[tuple[str, str], Claim]:
    return {(side.id, claim.id): claim for side in sides for claim in side.claims}


def _shown(field: str, before: Claim, after: Claim) -> str:
    words = _CHANGED.get(field)
    if words is None:
        return field
    a, b = getattr(before, field), getattr(after, field)
    return f"{field} {words(a) if a else 'none'} → {words(b) if b else 'none'}"


def _topic_changes(old: Comparison, new: Comparison) -> tuple[TopicChange, ...]:
    before = {entry.key: entry.verdict for entry in old.index()}
    after = {entry.key: entry.verdict for entry in new.index()}
    labels = {t.topic.key: t.topic.label for t in old.topics}
    labels.update({t.topic.key: t.topic.label for t in new.topics})
    found = [
        TopicChange(key, labels.get(key, key), before.get(key), after.get(key))
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    ]

    def rank(change: TopicChange) -> tuple[int, int, str]:
        new_contradiction = (
            change.after is Verdict.CONTRADICTION and change.before is not Verdict.CONTRADICTION
        )
        kind = 0 if new_contradiction else 1 if change.before and change.after else 2
        strength = change.after.rank if change.after else len(Verdict)
        return (kind, strength, change.topic)

    return tuple(sorted(found, key=rank))
