"""The result of a comparison: what every renderer (table, JSON, CSV, brief) reads.

Renderers never compare; the comparison never formats. This module is the
contract between the two.
"""

from __future__ import annotations

import enum

import msgspec

from factcmp.model import Claim, Side, Topic


class Verdict(enum.Enum):
    """The five verdicts, strongest first (a topic takes the strongest found)."""

    CONTRADICTION = "contradiction"
    DISCREPANCY = "discrepancy"
    AGREEMENT = "agreement"
    UNJUDGED = "unjudged"
    ONE_SIDED = "one-sided"

    @property
    def rank(self) -> int:
        """0 for the strongest verdict; used to sort and to pick the strongest."""
        return _ORDER.index(self)

    @classmethod
    def parse(cls, word: str) -> Verdict:
        return cls(word.strip().lower().replace("_", "-").replace("onesided", "one-sided"))


_ORDER = list(Verdict)


class TopicResult(msgspec.Struct):
    """One topic: the verdict, why, and every claim of every side on it."""

    topic: Topic
    verdict: Verdict
    reasons: list[str]
    claims: dict[str, list[Claim]]  # side id -> claims in force, for every side compared
    history: dict[str, list[Claim]]  # side id -> claims not in force, for every side


class Comparison(msgspec.Struct):
    """Every topic any side speaks to, strongest verdict first. `sides` say who the
    sides are (their `claims` are empty: each claim is in its topic's result)."""

    sides: list[Side]
    topics: list[TopicResult] = msgspec.field(default_factory=list)

    def summary(self) -> dict[Verdict, int]:
        counts = dict.fromkeys(Verdict, 0)
        for topic in self.topics:
            counts[topic.verdict] += 1
        return counts

    def only(self, verdicts: set[Verdict]) -> Comparison:
        return Comparison(self.sides, [t for t in self.topics if t.verdict in verdicts])
