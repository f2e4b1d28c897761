"""Match claims across sides: group them by topic, and split each side's claims on
a topic into those in force and their history (step 1 of the decision).

Linear in the number of claims: one pass to group, one sort per small group.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from factcmp.model import Claim, Side


class SideOnTopic(msgspec.Struct):
    """One side's claims on one topic."""

    in_force: list[Claim] = msgspec.field(default_factory=list)
    history: list[Claim] = msgspec.field(default_factory=list)


def group_by_topic(sides: list[Side]) -> dict[str, dict[str, SideOnTopic]]:
    """topic key -> side id -> that side's claims on it (only sides that have any)."""
    grouped: dict[str, dict[str, list[Claim]]] = {}
    for side in sides:
        for claim in side.claims:
            grouped.setdefault(claim.topic, {}).setdefault(side.id, []).append(claim)
    return {
        topic: {side_id: split_in_force(claims) for side_id, claims in by_side.items()}
        for topic, by_side in grouped.items()
    }


def split_in_force(claims: list[Claim]) -> SideOnTopic:
    """Current claims are in force, except that of several counts on the same subject
    only those with the latest `said` are; superseded and retracted claims, and the
    older counts, are history. Order within each list follows the file."""
    result = SideOnTopic()
    latest: dict[str | None, dt.date | None] = {}
    for claim in claims:
        if claim.status == "current" and claim.count is not None:
            key = subject_key(claim.subject)
            if key not in latest or _later(claim.said, latest[key]):
                latest[key] = claim.said
    for claim in claims:
        older = claim.count is not None and claim.said != latest.get(subject_key(claim.subject))
        if claim.status != "current" or older:
            result.history.append(claim)
        else:
            result.in_force.append(claim)
    return result


def subject_key(subject: str | None) -> str | None:
    return subject.strip().casefold() if subject is not None else None


def _later(a: dt.date | None, b: dt.date | None) -> bool:
    if a is None:
        return False
    return b is None or a > b
