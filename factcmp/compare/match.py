"""Match claims across sides: group them by topic, and split each side's claims on
a topic into those in force and their history (step 1 of the decision).

Linear in the number of claims: one pass to group, one sort per small group.
"""

from __future__ import annotations

import msgspec

from factcmp.load.when import latest
from factcmp.model import Claim, Names, Side, unit_key


class SideOnTopic(msgspec.Struct):
    """One side's claims on one topic."""

    in_force: list[Claim] = msgspec.field(default_factory=list)
    history: list[Claim] = msgspec.field(default_factory=list)


def group_by_topic(sides: list[Side], names: Names) -> dict[str, dict[str, SideOnTopic]]:
    """topic key -> side id -> that side's claims on it (only sides that have any)."""
    grouped: dict[str, dict[str, list[Claim]]] = {}
    for side in sides:
        for claim in side.claims:
            grouped.setdefault(claim.topic, {}).setdefault(side.id, []).append(claim)
    return {
        topic: {side_id: split_in_force(claims, names) for side_id, claims in by_side.items()}
        for topic, by_side in grouped.items()
    }


def split_in_force(claims: list[Claim], names: Names) -> SideOnTopic:
    """Current claims are in force, except that of several counts on the same subject
    and unit (revision 3: 5 kg of explosive does not replace a death toll) only the
    latest are (by `said`, and by its time on the same day when every such
    count gives one: see factcmp.load.when); superseded and retracted claims, and the
    older counts, are history. Order within each list follows the file."""
    result = SideOnTopic()
    counts: dict[tuple[str | None, str], list[Claim]] = {}
    for claim in claims:
        if claim.status == "current" and claim.count is not None:
            counts.setdefault((names.key(claim.subject), unit_key(claim)), []).append(claim)
    in_force = {id(c) for group in counts.values() for c in latest(group)}
    for claim in claims:
        older = claim.count is not None and id(claim) not in in_force
        if claim.status != "current" or older:
            result.history.append(claim)
        else:
            result.in_force.append(claim)
    return result
