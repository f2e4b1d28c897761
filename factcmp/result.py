"""The result of a comparison: what every renderer (table, JSON, CSV, brief) reads.

Renderers never compare; the comparison never formats. This module is the
contract between the two.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Sequence
from typing import overload

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


class TopicIndex(msgspec.Struct, frozen=True, array_like=True):
    """What is known of a topic without its claims: enough to count and select."""

    key: str
    verdict: Verdict
    listed: bool  # in topics.yaml


class TopicList(Sequence[TopicResult]):
    """Topic results kept encoded (a cache entry) and decoded when first read, so that
    a table of the first 50 of 100,000 topics decodes 50. `entries` answer counts and
    selections without decoding anything."""

    _decoder = msgspec.msgpack.Decoder(TopicResult)

    def __init__(self, index: list[TopicIndex], blobs: list[bytes]) -> None:
        self.entries = index
        self._blobs = blobs

    def __len__(self) -> int:
        return len(self._blobs)

    @overload
    def __getitem__(self, item: int) -> TopicResult: ...

    @overload
    def __getitem__(self, item: slice) -> list[TopicResult]: ...

    def __getitem__(self, item: int | slice) -> TopicResult | list[TopicResult]:
        if isinstance(item, slice):
            return [self._decoder.decode(blob) for blob in self._blobs[item]]
        return self._decoder.decode(self._blobs[item])

    def __iter__(self) -> Iterator[TopicResult]:
        decode = self._decoder.decode
        return (decode(blob) for blob in self._blobs)

    def subset(self, keep: list[int]) -> TopicList:
        return TopicList([self.entries[i] for i in keep], [self._blobs[i] for i in keep])


class Comparison(msgspec.Struct):
    """Every topic any side speaks to, strongest verdict first. `sides` say who the
    sides are (their `claims` are empty: each claim is in its topic's result)."""

    sides: list[Side]
    topics: Sequence[TopicResult] = msgspec.field(default_factory=list)

    def index(self) -> list[TopicIndex]:
        """Key, verdict and listing of every topic, in order, without decoding any."""
        if isinstance(self.topics, TopicList):
            return self.topics.entries
        return [
            TopicIndex(t.topic.key, t.verdict, t.topic.order != Topic.UNLISTED) for t in self.topics
        ]

    def summary(self) -> dict[Verdict, int]:
        counts = dict.fromkeys(Verdict, 0)
        for entry in self.index():
            counts[entry.verdict] += 1
        return counts

    def select(self, keep: list[int]) -> Comparison:
        """The comparison narrowed to the topics at these positions."""
        if isinstance(self.topics, TopicList):
            return Comparison(self.sides, self.topics.subset(keep))
        return Comparison(self.sides, [self.topics[i] for i in keep])
