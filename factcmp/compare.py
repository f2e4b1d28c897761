"""Compare the sides on every topic: the decision of docs/format.md, step by step.

Step 1 (what is in force) is `factcmp.match`; this module does steps 2 to 5:
every pair of claims in force from two different sides gets a verdict with its
reasons, and a topic takes the strongest verdict over all pairs of sides.
"""

from __future__ import annotations

import itertools

import msgspec

from factcmp.match import Names, SideOnTopic, fold, group_by_topic
from factcmp.model import Claim, Count, Period, Side, Tolerance, Topic
from factcmp.result import Comparison, TopicResult, Verdict

_CONTRA, _DISCREP, _AGREE, _UNJUDGED = (
    Verdict.CONTRADICTION,
    Verdict.DISCREPANCY,
    Verdict.AGREEMENT,
    Verdict.UNJUDGED,
)


class PairVerdict(msgspec.Struct, frozen=True):
    verdict: Verdict
    reasons: tuple[str, ...]


def compare(sides: list[Side], topics: dict[str, Topic] | None = None) -> Comparison:
    """Compare the sides on every topic any of them speaks to."""
    topics = topics or {}
    names = Names(sides)
    results = []
    for key, by_side in group_by_topic(sides, names).items():
        topic = topics.get(key) or Topic(key, Topic.label_from_key(key))
        verdict, reasons = judge_topic(sides, by_side, topic.tolerance, names)
        results.append(
            TopicResult(
                topic,
                verdict,
                reasons,
                {s.id: by_side[s.id].in_force if s.id in by_side else [] for s in sides},
                {s.id: by_side[s.id].history if s.id in by_side else [] for s in sides},
            )
        )
    results.sort(key=lambda r: (r.verdict.rank, r.topic.order, r.topic.key))
    # Every claim is in its topic's claims or history: the result's sides carry only
    # who they are, so that nothing is held (or cached) twice.
    return Comparison([msgspec.structs.replace(s, claims=[]) for s in sides], results)


def judge_topic(
    sides: list[Side], by_side: dict[str, SideOnTopic], tolerance: Tolerance, names: Names
) -> tuple[Verdict, list[str]]:
    speaking = [s for s in sides if s.id in by_side and by_side[s.id].in_force]
    if len(speaking) < 2:
        return Verdict.ONE_SIDED, [_one_sided_reason(sides, by_side, speaking)]
    best: Verdict | None = None
    reasons: dict[str, None] = {}  # ordered, each reason once
    distinct = {s.id: _distinct(by_side[s.id].in_force) for s in speaking}
    for side_a, side_b in itertools.combinations(speaking, 2):
        prefix = f"{side_a.name} vs {side_b.name}: " if len(speaking) > 2 else ""
        for a in distinct[side_a.id]:
            for b in distinct[side_b.id]:
                pair = judge_pair(a, b, tolerance, names)
                if best is None or pair.verdict.rank < best.rank:
                    best, reasons = pair.verdict, {}
                if pair.verdict is best:
                    reasons.update(dict.fromkeys(prefix + reason for reason in pair.reasons))
    assert best is not None
    return best, list(reasons)


def _distinct(claims: list[Claim]) -> list[Claim]:
    """One claim per set of comparable facets: claims that state the same facts judge
    alike against anything, so a topic where a side repeats itself is not compared
    pair by pair for every repetition."""
    seen: dict[tuple[object, ...], Claim] = {}
    for claim in claims:
        facts = (claim.stance, claim.actor, claim.count, claim.subject, claim.period, claim.places)
        seen.setdefault(facts, claim)
    return list(seen.values())


def _one_sided_reason(
    sides: list[Side], by_side: dict[str, SideOnTopic], speaking: list[Side]
) -> str:
    with_history = [s.name for s in sides if s.id in by_side and not by_side[s.id].in_force]
    if speaking:
        reason = f"only {speaking[0].name} has a claim in force on this topic"
    else:
        reason = "no side has a claim in force on this topic"
    if with_history:
        reason += f"; {_and(with_history)} only in the history (superseded or retracted)"
    return reason


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def judge_pair(a: Claim, b: Claim, tolerance: Tolerance, names: Names) -> PairVerdict:
    """Step 3 of the decision, for one claim of each of two sides."""
    if a.denies != b.denies:
        name_a, name_b = names.display.get(a.side, a.side), names.display.get(b.side, b.side)
        return PairVerdict(
            _CONTRA,
            (f"stance: {name_a} {_stance(a)}, {name_b} {_stance(b)}",),
        )
    if a.denies and b.denies:
        return PairVerdict(_AGREE, ("both deny",))

    found: dict[Verdict, list[str]] = {_CONTRA: [], _DISCREP: [], _AGREE: []}
    if a.actor is not None and b.actor is not None:
        if names.key(a.actor) != names.key(b.actor):
            found[_CONTRA].append(f"actor: {names.shown(a.actor)} vs {names.shown(b.actor)}")
        else:
            found[_AGREE].append(f"same actor: {names.shown(a.actor)}")
    if a.count is not None and b.count is not None:
        verdict, reason = _judge_counts(a, b, a.count, b.count, tolerance, names)
        found[verdict].append(reason)
    if a.places is not None and b.places is not None:
        common = {fold(p) for p in a.places} & {fold(p) for p in b.places}
        if common:
            shown = [p for p in a.places if fold(p) in common]
            found[_AGREE].append(f"places in common: {', '.join(shown)}")
        else:
            found[_DISCREP].append(f"places differ: {', '.join(a.places)} vs {', '.join(b.places)}")
    if found[_CONTRA]:  # what else differs is worth reading beside a contradiction
        return PairVerdict(_CONTRA, (*found[_CONTRA], *found[_DISCREP]))
    for verdict in (_DISCREP, _AGREE):
        if found[verdict]:
            return PairVerdict(verdict, tuple(found[verdict]))
    if a.stance is not None and b.stance is not None:
        return PairVerdict(_AGREE, ("both affirm",))
    return PairVerdict(_UNJUDGED, ("no comparable facet",))


def _stance(claim: Claim) -> str:
    return "denies" if claim.denies else "affirms"


def _judge_counts(
    a: Claim, b: Claim, ca: Count, cb: Count, tolerance: Tolerance, names: Names
) -> tuple[Verdict, str]:
    figures = f"count {ca.shown()} vs {cb.shown()}"
    subject_differs = (
        a.subject is not None
        and b.subject is not None
        and names.key(a.subject) != names.key(b.subject)
    )
    period_differs = a.period is not None and b.period is not None and a.period != b.period
    if subject_differs or period_differs:
        scope = []
        if subject_differs:
            assert a.subject is not None
            assert b.subject is not None
            scope.append(f"subjects differ: {names.shown(a.subject)} vs {names.shown(b.subject)}")
        if period_differs:
            assert a.period is not None
            assert b.period is not None
            scope.append(f"periods differ: {_period(a.period)} vs {_period(b.period)}")
        return _DISCREP, f"{figures}, {'; '.join(scope)}"
    subject = a.subject or b.subject
    about = f", subject {names.shown(subject)}" if subject else ""
    if disjoint_beyond(ca, cb, tolerance):
        return _CONTRA, figures + about
    apart = ca.high < cb.low or cb.high < ca.low
    within = f" (within the tolerance of {tolerance})" if apart else ""
    return _AGREE, f"{figures}{about}{within}"


def _period(period: Period) -> str:
    return period.shown()


def disjoint_beyond(a: Count, b: Count, tolerance: Tolerance) -> bool:
    """Step 4: are the intervals apart by more than the tolerance allows?"""
    if a.high < b.low:
        gap, near_a, near_b = b.low - a.high, a.high, b.low
    elif b.high < a.low:
        gap, near_a, near_b = a.low - b.high, a.low, b.high
    else:
        return False
    return gap > tolerance.allowed(near_a, near_b)
