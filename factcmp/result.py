"""The result of a comparison: what every renderer (table, JSON, CSV, brief) reads.

Renderers never compare; the comparison never formats. This module is the
contract between the two.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol, overload

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


class Reason(msgspec.Struct, frozen=True, array_like=True):
    """One reason of a pair of sides' verdict: plain (`text`, as JSON gives it), with
    who made each claim and when (`cited`, as people read it), and the pairs of claims
    behind it (their ids, in the order of the pair's sides)."""

    text: str
    cited: str
    claims: tuple[tuple[str, str], ...]


class PairResult(msgspec.Struct, frozen=True, array_like=True):
    """Two sides' own verdict on a topic (step 6 of the decision): the strongest over
    every pair of their claims in force, with the reasons of the pairs that gave it;
    under a contradiction or a discrepancy, `agreeing` holds the claim pairs that agree
    all the same (a third party that corroborates one side's figure, say)."""

    sides: tuple[str, str]
    verdict: Verdict
    reasons: tuple[Reason, ...]
    agreeing: tuple[Reason, ...] = ()


class TopicResult(msgspec.Struct):
    """One topic: the verdict, why, and every claim of every side on it."""

    topic: Topic
    verdict: Verdict
    reasons: list[str]
    claims: dict[str, list[Claim]]  # side id -> claims in force, for every side compared
    history: dict[str, list[Claim]]  # side id -> claims not in force, for every side
    # every pair of sides with claims in force on the topic, in the order of the sides
    pairs: list[PairResult] = msgspec.field(default_factory=list)


class TopicIndex(msgspec.Struct, frozen=True, array_like=True):
    """What is known of a topic without its claims: enough to count and select."""

    key: str
    verdict: Verdict
    listed: bool  # in topics.yaml
    speaking: tuple[str, ...] = ()  # the sides with a claim on it, in force or history


class TopicList(Sequence[TopicResult]):
    """Topic results kept encoded (a cache entry) and decoded when first read, so that
    a table of the first 50 of 100,000 topics decodes 50. `entries` answer counts and
    selections without decoding anything; the encoded topics may be given as a
    function that reads them, called when the first topic is."""

    _decoder = msgspec.msgpack.Decoder(TopicResult)

    def __init__(
        self, index: list[TopicIndex], blobs: list[bytes] | Callable[[], list[bytes]]
    ) -> None:
        self.entries = index
        self._read = blobs
        self._read_blobs: list[bytes] | None = blobs if isinstance(blobs, list) else None

    @property
    def _blobs(self) -> list[bytes]:
        if self._read_blobs is None:
            assert callable(self._read)
            self._read_blobs = self._read()
        return self._read_blobs

    def __len__(self) -> int:
        return len(self.entries)

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
        return TopicList([self.entries[i] for i in keep], lambda: [self._blobs[i] for i in keep])


class Selection(msgspec.Struct, frozen=True):
    """How a comparison was narrowed, so that every output can say so: a brief of
    "4 contradictions" must not read as if that were everything."""

    as_of: dt.date | None = None
    only: tuple[Verdict, ...] | None = None  # the verdicts kept, strongest first
    topics: tuple[str, ...] | None = None  # the --topic patterns
    all_topics: int = 0  # topics before --only and --topic
    undated: int = 0  # undated claims that `as_of` left out

    @property
    def narrowed(self) -> bool:
        return self.as_of is not None or self.only is not None or self.topics is not None


class Memo(Protocol):
    """Where the outputs rendered from one comparison are kept (factcmp.cache.Outputs),
    so that an unchanged comparison is not rendered again."""

    def subset(self, keep: Sequence[int]) -> Memo:
        """The memo of the comparison narrowed to the topics at these positions."""
        ...

    def get(self, parts: Sequence[str]) -> str | None: ...

    def put(self, parts: Sequence[str], text: str) -> None: ...


class Comparison(msgspec.Struct):
    """Every topic any side speaks to, strongest verdict first. `sides` say who the
    sides are (their `claims` are empty: each claim is in its topic's result).
    `selection` says how the topics and claims were narrowed, if they were. `memo`,
    when the comparison came through the cache, keeps what was rendered of it."""

    sides: list[Side]
    topics: Sequence[TopicResult] = msgspec.field(default_factory=list)
    selection: Selection = msgspec.field(default_factory=Selection)
    memo: Memo | None = None

    def index(self) -> list[TopicIndex]:
        """Key, verdict and listing of every topic, in order, without decoding any."""
        if isinstance(self.topics, TopicList):
            return self.topics.entries
        return [
            TopicIndex(
                t.topic.key,
                t.verdict,
                t.topic.order != Topic.UNLISTED,
                tuple(side for side in t.claims if t.claims[side] or t.history[side]),
            )
            for t in self.topics
        ]

    def summary(self) -> dict[Verdict, int]:
        counts = dict.fromkeys(Verdict, 0)
        for entry in self.index():
            counts[entry.verdict] += 1
        return counts

    def select(self, keep: list[int], selection: Selection) -> Comparison:
        """The comparison narrowed to the topics at these positions, as `selection`
        describes."""
        memo = self.memo.subset(keep) if self.memo is not None else None
        if isinstance(self.topics, TopicList):
            return Comparison(self.sides, self.topics.subset(keep), selection, memo)
        return Comparison(self.sides, [self.topics[i] for i in keep], selection, memo)

    def rendered(self, parts: Sequence[str], render: Callable[[], str]) -> str:
        """`render()`, or what it gave before for this comparison, these `parts` (the
        format and whatever else the text depends on) and this selection."""
        if self.memo is None:
            return render()
        key = [*parts, msgspec.json.encode(self.selection).decode("utf-8")]
        text = self.memo.get(key)
        if text is None:
            text = render()
            self.memo.put(key, text)
        return text


class CachedComparison(msgspec.Struct, array_like=True):
    """A comparison as factcmp.pipeline caches it, without its topics: the sides, how
    many undated claims `as_of` left out, how many one-sided topics may be another
    side's (factcmp.compare.suggest.likely_renames) and the index. The topics, each encoded
    on its own (see TopicList), are an entry of their own, read only when a topic is:
    an output cached whole needs none."""

    sides: list[Side]
    undated: int
    maybe_same: int
    index: list[TopicIndex]
