"""Compare the sides on every topic: the decision of docs/format.md, step by step
(revision 3).

Step 1 (what is in force) is `factcmp.compare.match`; this module does steps 2 to 6: every
pair of claims in force from two different sides gets a verdict with its reasons;
each pair of sides keeps its own verdict (step 6), and the topic takes the
strongest. Every reason comes twice: plain (`text`, as JSON and CSV give it) and
`cited`, naming who made each claim and when, as the table and the brief show it.
"""

from __future__ import annotations

import itertools
import operator

import msgspec

from factcmp.compare.match import SideOnTopic, group_by_topic
from factcmp.compare.wording import listed, lower_first, who_when
from factcmp.facets import COMPARED, UNCHECKED_LAYOUT, in_order
from factcmp.model import (
    Claim,
    Count,
    Names,
    Period,
    Side,
    Tolerance,
    Topic,
    fold,
    parties_first,
    unit_key,
    unit_of,
)
from factcmp.result import Comparison, PairResult, Reason, TopicResult, Verdict

_CONTRA, _DISCREP, _AGREE, _UNJUDGED = (
    Verdict.CONTRADICTION,
    Verdict.DISCREPANCY,
    Verdict.AGREEMENT,
    Verdict.UNJUDGED,
)


# Where a cited reason names its claims: who made claim a (or b) and when, both, or
# the date alone (beside a side's name, which already says whose claim it is).
_A, _B, _BOTH, _A_DATE, _B_DATE = range(5)


class Said(msgspec.Struct, frozen=True):
    """One reason of a pair of claims: its plain `text`, and the same words as `parts`
    with slots (ints) where the cited form names who made each claim and when."""

    text: str
    parts: tuple[str | int, ...]
    unchecked: bool = False  # a facet only one claim gives: listed after what was compared


class PairVerdict(msgspec.Struct, frozen=True):
    verdict: Verdict
    reasons: tuple[Said, ...]


def compare(sides: list[Side], topics: dict[str, Topic] | None = None) -> Comparison:
    """Compare the sides on every topic any of them speaks to."""
    topics = topics or {}
    sides = parties_first(sides)
    names = Names(sides)
    results = []
    for key, by_side in group_by_topic(sides, names).items():
        topic = topics.get(key) or Topic(key, Topic.label_from_key(key))
        verdict, reasons, pairs = judge_topic(sides, by_side, topic, names)
        results.append(
            TopicResult(
                topic,
                verdict,
                reasons,
                {s.id: by_side[s.id].in_force if s.id in by_side else [] for s in sides},
                {s.id: by_side[s.id].history if s.id in by_side else [] for s in sides},
                pairs,
            )
        )
    results.sort(key=lambda r: (r.verdict.rank, r.topic.order, r.topic.key))
    # Every claim is in its topic's claims or history: the result's sides carry only
    # who they are, so that nothing is held (or cached) twice.
    return Comparison([msgspec.structs.replace(s, claims=[]) for s in sides], results)


def judge_topic(
    sides: list[Side], by_side: dict[str, SideOnTopic], topic: Topic, names: Names
) -> tuple[Verdict, list[str], list[PairResult]]:
    """The topic's verdict and plain reasons, and each pair of sides' own (step 6)."""
    speaking = [s for s in sides if s.id in by_side and by_side[s.id].in_force]
    if len(speaking) < 2:
        return Verdict.ONE_SIDED, [_one_sided_reason(sides, by_side, speaking)], []
    distinct = {s.id: _distinct(by_side[s.id].in_force) for s in speaking}
    # party–party, then party–observer, then observer–observer (revision 3)
    ordered = sorted(
        itertools.combinations(speaking, 2), key=lambda p: p[0].observer + p[1].observer
    )
    pairs = [
        judge_sides(distinct[side_a.id], distinct[side_b.id], topic, names)
        for side_a, side_b in ordered
    ]
    strongest = min((pair.verdict for pair in pairs), key=lambda v: v.rank)
    reasons: dict[str, None] = {}  # ordered, each reason once
    for pair in pairs:
        if pair.verdict is strongest:
            prefix = ""
            if len(pairs) > 1:
                prefix = f"{names.display[pair.sides[0]]} vs {names.display[pair.sides[1]]}: "
            reasons.update(dict.fromkeys(prefix + reason.text for reason in pair.reasons))
    return strongest, list(reasons), pairs


def judge_sides(
    claims_a: list[Claim], claims_b: list[Claim], topic: Topic, names: Names
) -> PairResult:
    """Two sides on one topic: the strongest verdict over every pair of their claims,
    with the reasons of the claim pairs that gave it (one reason per wording, naming
    every claim behind it), and, under a contradiction or a discrepancy, the claim
    pairs that agree all the same."""
    side_a, side_b = claims_a[0].side, claims_b[0].side
    name_a, name_b = names.display.get(side_a, side_a), names.display.get(side_b, side_b)
    who_a = {id(c): (who_when(c, name_a), who_when(c, None)) for c in claims_a}
    who_b = {id(c): (who_when(c, name_b), who_when(c, None)) for c in claims_b}
    best: Verdict | None = None
    found: dict[str, _Cited] = {}
    agreeing: dict[str, _Cited] = {}
    for a in claims_a:
        for b in claims_b:
            pair = judge_pair(a, b, topic, names)
            if best is None or pair.verdict.rank < best.rank:
                best, found = pair.verdict, {}
            who = (*who_a[id(a)], *who_b[id(b)])
            if pair.verdict is best:
                _collect(found, pair.reasons, (a.id, b.id), who)
            if pair.verdict is _AGREE:
                _collect(agreeing, pair.reasons, (a.id, b.id), who)
    assert best is not None
    also = _reasons(agreeing) if best.rank < _AGREE.rank else ()
    return PairResult((side_a, side_b), best, _reasons(found), also)


def _reasons(cited: dict[str, _Cited]) -> tuple[Reason, ...]:
    """The reasons in the order found, what was not compared after what was."""
    ordered = sorted(cited.values(), key=lambda c: c.said.unchecked)
    return tuple(c.reason() for c in ordered)


class _Cited:
    """One wording of a reason and every claim pair that gave it."""

    def __init__(self, said: Said) -> None:
        self.said = said
        self.claims: dict[tuple[str, str], None] = {}
        self.who: list[dict[str, None]] = [{}, {}, {}, {}]  # a, b, a's date, b's date

    def reason(self) -> Reason:
        slots = {
            _A: self.who[0],
            _B: self.who[1],
            _BOTH: {**self.who[0], **self.who[1]},
            _A_DATE: self.who[2],
            _B_DATE: self.who[3],
        }
        cited = "".join(
            part if isinstance(part, str) else f"({'; '.join(slots[part])})"
            for part in self.said.parts
        )
        return Reason(self.said.text, cited, tuple(self.claims))


def _collect(
    into: dict[str, _Cited],
    reasons: tuple[Said, ...],
    ids: tuple[str, str],
    who: tuple[str, str, str, str],
) -> None:
    """Add a claim pair's reasons; `who` is (a, a's date, b, b's date) as cited."""
    for said in reasons:
        cited = into.get(said.text)
        if cited is None:
            cited = into[said.text] = _Cited(said)
        cited.claims[ids] = None
        for slot, words in zip((0, 2, 1, 3), who, strict=True):
            cited.who[slot][words] = None


def _distinct(claims: list[Claim]) -> list[Claim]:
    """One claim per set of comparable facets and attribution: claims that state the
    same facts, by the same speaker on the same day, judge alike and read alike
    against anything, so a side that repeats itself is not compared pair by pair for
    every repetition."""
    seen: dict[tuple[object, ...], Claim] = {}
    for claim in claims:
        facts = (
            _compared(claim),
            claim.speaker.name if claim.speaker else None,
            claim.said,
            claim.said_time,
        )
        seen.setdefault(facts, claim)
    return list(seen.values())


# the facets the comparison reads (factcmp.facets: `compared`), as one value
_compared = operator.attrgetter(*COMPARED)


def _one_sided_reason(
    sides: list[Side], by_side: dict[str, SideOnTopic], speaking: list[Side]
) -> str:
    with_history = [s.name for s in sides if s.id in by_side and not by_side[s.id].in_force]
    if speaking:
        reason = f"only {speaking[0].name} has a claim in force on this topic"
    else:
        reason = "no side has a claim in force on this topic"
    if with_history:
        reason += f"; {listed(with_history)} only in the history (superseded or retracted)"
    return reason


class _Words:
    """The wording of one pair of claims' reasons."""

    def __init__(self, a: Claim, b: Claim, names: Names) -> None:
        self.a, self.b, self.names = a, b, names
        self.side_a = names.display.get(a.side, a.side)
        self.side_b = names.display.get(b.side, b.side)

    @staticmethod
    def vs(head: str, value_a: str, value_b: str, tail: str = "") -> Said:
        """`head a vs b tail`; cited, each value followed by who gave it and when."""
        return Said(
            f"{head}{value_a} vs {value_b}{tail}",
            (f"{head}{value_a} ", _A, f" vs {value_b} ", _B, tail),
        )

    @staticmethod
    def both(head: str, tail: str = "") -> Said:
        """`head tail`; cited, with both claims' who and when after `head`."""
        return Said(head + tail, (head + " ", _BOTH, tail))

    @staticmethod
    def plain(text: str) -> Said:
        return Said(text, (text,))


def judge_pair(a: Claim, b: Claim, topic: Topic, names: Names) -> PairVerdict:
    """Step 3 of the decision, for one claim of each of two sides."""
    words = _Words(a, b, names)
    if not (a.affirms and b.affirms):
        return _judge_stances(a, b, topic, words)

    found: dict[Verdict, list[Said]] = {_CONTRA: [], _DISCREP: [], _AGREE: []}
    if a.actor is not None and b.actor is not None:
        actor_a, actor_b = names.shown(a.actor), names.shown(b.actor)
        if names.key(a.actor) != names.key(b.actor):
            found[_CONTRA].append(words.vs("actor: ", actor_a, actor_b))
        else:
            same = names.shown(a.actor, b.actor)  # as both wrote it, when they did
            found[_AGREE].append(words.both(f"same actor: {same}"))
    if a.count is not None and b.count is not None:
        verdict, reason = _judge_counts(a, b, a.count, b.count, topic.tolerance, words)
        found[verdict].append(reason)
    if a.places is not None and b.places is not None:
        common = {fold(p) for p in a.places} & {fold(p) for p in b.places}
        if common:
            shown = [p for p in a.places if fold(p) in common]
            found[_AGREE].append(words.both(f"places in common: {', '.join(shown)}"))
        else:
            found[_DISCREP].append(
                words.vs("places differ: ", ", ".join(a.places), ", ".join(b.places))
            )
    if found[_CONTRA]:  # what else differs is worth reading beside a contradiction
        return PairVerdict(_CONTRA, (*found[_CONTRA], *found[_DISCREP]))
    if found[_DISCREP]:
        return PairVerdict(_DISCREP, tuple(found[_DISCREP]))
    if found[_AGREE]:
        return PairVerdict(_AGREE, (*found[_AGREE], *_unchecked(words)))
    # step 3: two claims that both state `affirms` agree; revision 3: on a topic that
    # states its proposition, so do two that do not, unless a facet both set differs
    # (the same test as for stances)
    both_stated = a.stance is not None and b.stance is not None
    if _states(topic) and not both_stated and (differences := _differences(words)):
        return PairVerdict(
            _UNJUDGED, (_other_things("affirmations of different things", differences, words),)
        )
    if both_stated or _states(topic):
        return PairVerdict(_AGREE, (words.both("both affirm", _about(topic)), *_unchecked(words)))
    return PairVerdict(_UNJUDGED, (words.plain("no comparable facet"),))


def _states(topic: Topic) -> bool:
    """The topic states its proposition (`claim:` in topics.yaml)."""
    return bool(topic.claim and topic.claim.strip())


def _other_things(lead: str, differences: list[tuple[str, str, str]], words: _Words) -> Said:
    """`a denial of something else: subjects differ: India vs China; 500 vs 10–50`: each
    difference, the first cited (each value followed by who gave it and when)."""
    (label, value_a, value_b), *rest = differences
    tail = "".join(f"; {_differ(more)}{x} vs {y}" for more, x, y in rest)
    return words.vs(f"{lead}: {_differ(label)}", value_a, value_b, tail)


def _differ(label: str) -> str:
    """`subjects differ: `; nothing for the figures of a denial, which say themselves."""
    return f"{label} differ: " if label else ""


def _judge_stances(a: Claim, b: Claim, topic: Topic, words: _Words) -> PairVerdict:
    """A stance speaks to one proposition (revisions 2 and 3): a denial, or a claim
    that leaves the question undetermined, meets a claim only when no facet that both
    set differs, and a denial of a figure only a figure it is not disjoint from;
    else the pair is unjudged."""
    differences = _differences(words) or _figures_apart(words, topic)
    if differences:
        if a.undetermined or b.undetermined:
            lead = "about different things"
        elif a.denies and b.denies:
            lead = "denials of different things"
        else:
            lead = "a denial of something else"
        return PairVerdict(_UNJUDGED, (_other_things(lead, differences, words),))
    if a.denies and b.denies:
        return PairVerdict(_AGREE, (words.both("both deny", _about(topic)), *_unchecked(words)))
    if a.undetermined and b.undetermined:
        return PairVerdict(
            _AGREE, (words.both("both leave it undetermined", _about(topic)), *_unchecked(words))
        )
    if a.undetermined or b.undetermined:
        return PairVerdict(_DISCREP, (_undetermined_against(a, b, topic, words),))
    # the side that affirms first, whatever the order of the sides
    (affirms, by_a, slot_a), (denies, by_d, slot_d) = (
        ((words.side_a, a, _A_DATE), (words.side_b, b, _B_DATE))
        if b.denies
        else ((words.side_b, b, _B_DATE), (words.side_a, a, _A_DATE))
    )
    if _states(topic):
        head, joint, tail = "", " / ", _about(topic)
    else:
        head, joint, tail = "stance: ", ", ", ""
    affirms, denies = f"{affirms} affirms", f"{denies} denies"
    if by_a.count is not None and by_d.count is not None:
        # a figure and the denial of a figure: say which figures
        affirms += f" {by_a.count.shown()}"
        denies += f" {by_d.count.shown()}"
        subject = by_a.subject or by_d.subject
        shown = words.names.shown(subject, by_a.subject, by_d.subject) if subject else ""
        tail = (f", subject {shown}" if subject else "") + tail
    return PairVerdict(
        _CONTRA,
        (
            Said(
                f"{head}{affirms}{joint}{denies}{tail}",
                (f"{head}{affirms} ", slot_a, f"{joint}{denies} ", slot_d, tail),
            ),
        ),
    )


def _undetermined_against(a: Claim, b: Claim, topic: Topic, words: _Words) -> Said:
    """`Rights Watch leaves it undetermined; Northland denies` (revision 3): the side
    that cannot tell first, whatever the order of the sides; cited, each side's name
    followed by its claim's date."""
    (open_side, slot_o), (other, by_other, slot_x) = (
        ((words.side_a, _A_DATE), (words.side_b, b, _B_DATE))
        if a.undetermined
        else ((words.side_b, _B_DATE), (words.side_a, a, _A_DATE))
    )
    head, tail = ("", _about(topic)) if _states(topic) else ("stance: ", "")
    undetermined = f"{open_side} leaves it undetermined"
    other = f"{other} {'denies' if by_other.denies else 'affirms'}"
    by_open = b if by_other is a else a
    if by_open.count is not None and by_other.count is not None:
        # a figure left undetermined, and a figure given or denied: say which figures
        undetermined = f"{open_side} leaves {by_open.count.shown()} undetermined"
        other += f" {by_other.count.shown()}"
        subject = by_open.subject or by_other.subject
        tail = (f", subject {words.names.shown(subject)}" if subject else "") + tail
    return Said(
        f"{head}{undetermined}; {other}{tail}",
        (f"{head}{undetermined} ", slot_o, f"; {other} ", slot_x, tail),
    )


def _figures_apart(words: _Words, topic: Topic) -> list[tuple[str, str, str]]:
    """A denial of a figure meets only that figure (revision 3): where a denying claim
    gives a count and the other claim gives one too, counts disjoint beyond the
    tolerance make them about different things (`500 vs 10–50`). Only a denial: a
    figure left undetermined meets any figure of the same scope, as step 3 says."""
    a, b = words.a, words.b
    if not (a.denies or b.denies) or a.count is None or b.count is None:
        return []
    if not disjoint_beyond(a.count, b.count, topic.tolerance):
        return []
    return [("", a.count.shown(), b.count.shown())]


def _about(topic: Topic) -> str:
    """`: the Galwan Valley is Chinese territory`, when the topic states its claim."""
    if topic.claim and topic.claim.strip():
        return ": " + lower_first(topic.claim).rstrip(". ")
    return ""


def _differences(words: _Words) -> list[tuple[str, str, str]]:
    """The facets that both claims set and that differ: what makes two claims about
    different things. Each as (facet, value of a, value of b)."""
    a, b, names = words.a, words.b, words.names
    out = []
    for label, one, other in (("actors", a.actor, b.actor), ("subjects", a.subject, b.subject)):
        if one is not None and other is not None and names.key(one) != names.key(other):
            out.append((label, names.shown(one), names.shown(other)))
    if a.period is not None and b.period is not None and a.period != b.period:
        out.append(("periods", _period(a.period), _period(b.period)))
    if (
        a.places is not None
        and b.places is not None
        and not {fold(p) for p in a.places} & {fold(p) for p in b.places}
    ):
        out.append(("places", ", ".join(a.places), ", ".join(b.places)))
    if a.count is not None and b.count is not None and unit_key(a) != unit_key(b):
        out.append(("units", unit_of(a), unit_of(b)))  # revision 3: where both give a count
    return out


def _unchecked(words: _Words) -> list[Said]:
    """What an agreement did not compare: the facets that only one claim gives."""
    a, b, names = words.a, words.b, words.names
    out = []
    for facet, listed_as in _UNCHECKED:
        value_a, value_b = getattr(a, facet.attr), getattr(b, facet.attr)
        if (value_a is None) == (value_b is None):
            continue
        side, value = (words.side_a, value_a) if value_b is None else (words.side_b, value_b)
        text = f"{facet.key}: only {side} gives {facet.amount} ({listed_as(value, names)})"
        out.append(Said(text, (text,), unchecked=True))
    return out


# what an agreement lists when only one claim gives it, in order, and how it shows
_UNCHECKED = [(facet, facet.unchecked) for facet in in_order(UNCHECKED_LAYOUT) if facet.unchecked]


def _judge_counts(
    a: Claim, b: Claim, ca: Count, cb: Count, tolerance: Tolerance, words: _Words
) -> tuple[Verdict, Said]:
    """Step 3's counts: a different scope (subject, period, unit) is a discrepancy;
    in one scope, disjoint beyond the tolerance is a contradiction, else an agreement
    when both counts are bounded and a discrepancy when either is open (revision 3)."""
    names = words.names
    shown_a, shown_b = ca.shown(a.unit), cb.shown(b.unit)
    # a different scope: subjects or periods that both set and that differ, and
    # (revision 3) units, always compared (none: people)
    scope = [
        f"{label} differ: {x} vs {y}"
        for label, x, y in _differences(words)
        if label in ("subjects", "periods", "units")
    ]
    if scope:
        return _DISCREP, words.vs("count ", shown_a, shown_b, f", {'; '.join(scope)}")
    subject = a.subject or b.subject
    about = f", subject {names.shown(subject, a.subject, b.subject)}" if subject else ""
    if disjoint_beyond(ca, cb, tolerance):
        return _CONTRA, words.vs("count ", shown_a, shown_b, about)
    apart = ca.high < cb.low or cb.high < ca.low
    within = f" (within the tolerance of {tolerance})" if apart else ""
    if ca.open or cb.open:
        # both can be true, but an open bound does not confirm a figure
        tail = f"{about}{within}: consistent, not confirming"
        return _DISCREP, words.vs("count ", shown_a, shown_b, tail)
    return _AGREE, words.vs("count ", shown_a, shown_b, f"{about}{within}")


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
