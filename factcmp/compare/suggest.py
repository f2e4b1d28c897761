"""Which one-sided topics may be the same as another side's, under another key.

Claims are compared only when their topic keys are equal; two curators who name one
question differently hide a contradiction as two one-sided topics. This module
suggests, for a topic that one side speaks to and another does not, the other
sides' topics it may be the same as, with a score in [0, 1] and reasons in words.
It suggests; the curator decides (`factcmp topics rename`).

A topic of a side is read as a profile: the words of its claims' texts and quotes,
of its label, description and proposition, and of its key; and its facets (counts
and their subjects, actors, places, stances, dates). Two profiles score by

- their words: cosine of TF-IDF vectors, where a word of a known concept
  (killed, died, martyred: death) also counts as the concept;
- their facets: cosine of IDF-weighted facet features (a count on Armenia, Azerbaijan
  as the actor, the place Jermuk under a key that survives transliteration);
- their shape: whether both count, both affirm or deny, both name actors and places;
- their dates: how close the days they were said are.

Deterministic: profiles and candidates are ordered by side and key, ties by the same.
Linear in the number of topics: candidates come from an inverted index of the rare
features only (see `_RARE`), never from a loop over all pairs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import msgspec

from factcmp.compare.similar import key_words, place_key, terms
from factcmp.model import Claim, Names, Side, Topic

DEFAULT_TOP = 3
DEFAULT_MIN_SCORE = 0.3  # what `topics suggest` lists
HINT_SCORE = 0.4  # what `diff` and `brief` mention
HINT_LIMIT = 5000  # one-sided topics the hint looks through, at most

# Chosen on benchmarks/matching.py (docs/topics.md has the figures): words carry the
# most; a facet also counts as one word among them, so a count on the same subject
# weighs as much as a rare shared word.
_WEIGHTS = {"words": 0.55, "facets": 0.1, "shape": 0.2, "dates": 0.1}
_FACET_TF = 1.0
_CROWD = 2  # a profile's crowd: the mean of its best this-many scores
_EXACT_BELOW = 150  # profiles: below this, every eligible pair is scored (22,000 pairs)
_RARE = 40  # above _EXACT_BELOW: candidates come only from features this rare
_SHORTLIST = 25  # candidates per profile scored exactly, at most


class Candidate(msgspec.Struct, frozen=True):
    side: str
    topic: str
    score: float
    reasons: tuple[str, ...]


class Suggestion(msgspec.Struct, frozen=True):
    """A topic of a side, and the other sides' topics it may be the same as."""

    side: str
    topic: str
    candidates: tuple[Candidate, ...]


class _Profile:
    __slots__ = (
        "actors",
        "dates",
        "facets",
        "index",
        "kinds",
        "places",
        "side",
        "stances",
        "subjects",
        "texts",
        "topic",
        "vector",
        "words",
    )

    def __init__(self, index: int, side: str, topic: str) -> None:
        self.index = index
        self.side = side
        self.topic = topic
        self.words: dict[str, float] = {}  # term -> weight (TF, then TF-IDF)
        self.texts: list[str] = []  # what the words were read from
        self.facets: dict[str, float] = {}
        self.kinds: set[str] = set()
        self.dates: set[int] = set()
        self.places: dict[str, str] = {}  # place key -> the name as written
        self.subjects: set[str] = set()
        self.actors: set[str] = set()
        self.stances: set[str] = set()
        self.vector: dict[str, float] = {}


def suggest(
    sides: Sequence[Side],
    topics: dict[str, Topic] | None = None,
    *,
    top: int = DEFAULT_TOP,
    min_score: float = DEFAULT_MIN_SCORE,
) -> list[Suggestion]:
    """For every topic some of the sides speak to and others do not: the other sides'
    topics it may be the same as, best first, at most `top`, none below `min_score`.
    Candidates for a topic of side X are topics X does not speak to, of sides that do
    not speak to it."""
    topics = topics or {}
    names = Names(list(sides))
    grouped = _one_sided(sides)
    profiles = _profiles(sides, grouped, topics, names)
    speaks: dict[str, set[str]] = {}
    for side_id, key in grouped:
        speaks.setdefault(key, set()).add(side_id)
    _weigh(profiles)

    scored = _stand_out(_score_all(profiles, speaks), [p.side for p in profiles])
    out: list[Suggestion] = []
    for p in profiles:
        found = [(score, q) for q, score in scored.get(p.index, {}).items() if score >= min_score]
        if not found:
            continue
        found.sort(key=lambda item: (-item[0], item[1].index))
        candidates = tuple(
            Candidate(q.side, q.topic, round(score, 2), _reasons(p, q, names))
            for score, q in found[:top]
        )
        out.append(Suggestion(p.side, p.topic, candidates))
    return out


def _stand_out(
    scored: dict[int, dict[_Profile, float]], sides: list[str]
) -> dict[int, dict[_Profile, float]]:
    """Each score raised by how far the pair stands out from both topics' best
    matches on each other's side, and lowered as much when it stands below them (the
    cross-domain similarity local scaling of word translation: a topic that resembles
    everything is nobody's best match). Symmetric: p's score for q is q's for p."""
    crowd: dict[tuple[int, str], float] = {}
    by_side: dict[tuple[int, str], list[float]] = {}
    for i, row in scored.items():
        for q, score in row.items():
            by_side.setdefault((i, q.side), []).append(score)
    for key, scores in by_side.items():
        best = sorted(scores, reverse=True)[:_CROWD]
        crowd[key] = sum(best) / len(best)
    return {
        i: {
            q: min(
                1.0, max(0.0, 2 * s - (crowd[i, q.side] + crowd.get((q.index, sides[i]), s)) / 2)
            )
            for q, s in row.items()
        }
        for i, row in scored.items()
    }


def likely_renames(sides: Sequence[Side], topics: dict[str, Topic] | None = None) -> int:
    """How many one-sided topics have a candidate scoring HINT_SCORE or more (what
    `diff` and `brief` mention); -1 when more than HINT_LIMIT topics are one-sided,
    which the hint does not look through (`topics suggest` does)."""
    keys = [{claim.topic for claim in side.claims} for side in sides]
    speakers: dict[str, int] = {}
    for side_keys in keys:
        for key in side_keys:
            speakers[key] = speakers.get(key, 0) + 1
    one_sided = sum(speakers[key] < len(sides) for side_keys in keys for key in side_keys)
    if one_sided > HINT_LIMIT:
        return -1
    return len(suggest(sides, topics, top=1, min_score=HINT_SCORE))


def one_sided_count(sides: Sequence[Side]) -> int:
    """How many (side, topic) pairs some other side does not speak to."""
    return len(_one_sided(sides))


def _one_sided(sides: Sequence[Side]) -> dict[tuple[str, str], list[Claim]]:
    """(side, topic) -> its claims, for topics that some side does not speak to:
    only these ask for candidates, and only these can be candidates."""
    grouped: dict[tuple[str, str], list[Claim]] = {}
    for side in sides:
        for claim in side.claims:
            grouped.setdefault((side.id, claim.topic), []).append(claim)
    speakers: dict[str, int] = {}
    for _side, key in grouped:
        speakers[key] = speakers.get(key, 0) + 1
    return {k: v for k, v in grouped.items() if speakers[k[1]] < len(sides)}


def _profiles(
    sides: Sequence[Side],
    grouped: dict[tuple[str, str], list[Claim]],
    topics: dict[str, Topic],
    names: Names,
) -> list[_Profile]:
    order = {side.id: i for i, side in enumerate(sides)}
    profiles: list[_Profile] = []
    for (side_id, key), claims in sorted(grouped.items(), key=lambda i: (order[i[0][0]], i[0][1])):
        p = _Profile(len(profiles), side_id, key)
        topic = topics.get(key)
        texts = [key_words(key)]
        if topic is not None:
            texts += [topic.label, topic.description or "", topic.claim or ""]
        for claim in claims:
            texts += [claim.text, claim.quote or ""]
            _add_facets(p, claim, names)
        counts = p.words
        for text in texts:
            for term, _word in terms(text):
                counts[term] = counts.get(term, 0.0) + 1.0
        p.texts = texts
        profiles.append(p)
    return profiles


def _add_facets(p: _Profile, claim: Claim, names: Names) -> None:
    features: list[str] = []
    if claim.count is not None:
        p.kinds.add("count")
        subject = names.key(claim.subject) or "?"
        p.subjects.add(subject)
        features.append(f"count:{subject}")
    if claim.actor is not None:
        p.kinds.add("actor")
        actor = names.key(claim.actor) or "?"
        p.actors.add(actor)
        features.append(f"actor:{actor}")
    for place in claim.places or ():
        p.kinds.add("places")
        key = place_key(place)
        p.places.setdefault(key, place)
        features.append(f"place:{key}")
    if claim.stance is not None:
        p.kinds.add("stance")
        p.stances.add(claim.stance)
        features.append("stance")
    if claim.period is not None:
        features.append("period")
    if claim.said is not None:
        p.dates.add(claim.said.toordinal())
    for feature in features:
        p.facets[feature] = 1.0


def _weigh(profiles: list[_Profile]) -> None:
    """TF-IDF on words and IDF on facets, each part normalised to unit length."""
    total = len(profiles)
    df: dict[str, int] = {}
    for p in profiles:
        for term in p.words:
            df[term] = df.get(term, 0) + 1
        for feature in p.facets:
            df["\0" + feature] = df.get("\0" + feature, 0) + 1

    lift = {term: math.log((total + 1) / (n + 1)) + 1.0 for term, n in df.items()}
    log = math.log
    for p in profiles:
        words = {t: (1.0 + log(tf) if tf > 1 else 1.0) * lift[t] for t, tf in p.words.items()}
        if _FACET_TF:
            for f in p.facets:
                words["@" + f] = _FACET_TF * lift["\0" + f]
        facets = {f: lift["\0" + f] for f in p.facets}
        for part, prefix in ((words, ""), (facets, "\0")):
            norm = math.sqrt(sum(v * v for v in part.values())) or 1.0
            vector = p.vector
            for term, value in part.items():
                vector[prefix + term] = value / norm
        p.words = words


def _score_all(
    profiles: list[_Profile], speaks: dict[str, set[str]]
) -> dict[int, dict[_Profile, float]]:
    def eligible(p: _Profile, q: _Profile) -> bool:
        return q.side != p.side and p.side not in speaks[q.topic] and q.side not in speaks[p.topic]

    scored: dict[int, dict[_Profile, float]] = {}
    if len(profiles) < _EXACT_BELOW:
        for p in profiles:
            scored[p.index] = {q: _score(p, q) for q in profiles if eligible(p, q)}
        return scored
    postings: dict[str, list[_Profile]] = {}
    for p in profiles:
        for term in p.vector:
            postings.setdefault(term, []).append(p)
    for p in profiles:
        partial: dict[_Profile, float] = {}
        for term, weight in p.vector.items():
            posting = postings[term]
            if len(posting) > _RARE:
                continue
            for q in posting:
                if q is not p:
                    partial[q] = partial.get(q, 0.0) + weight * q.vector[term]
        shortlist = sorted(partial, key=lambda q: (-partial[q], q.index))
        shortlist = [q for q in shortlist if eligible(p, q)][:_SHORTLIST]
        scored[p.index] = {q: _score(p, q) for q in shortlist}
    return scored


def _score(p: _Profile, q: _Profile) -> float:
    """How likely p and q are one question, in [0, 1]."""
    words = facets = 0.0
    small, large = (p.vector, q.vector) if len(p.vector) <= len(q.vector) else (q.vector, p.vector)
    for term, weight in small.items():
        other = large.get(term)
        if other is not None:
            if term.startswith("\0"):
                facets += weight * other
            else:
                words += weight * other
    union = p.kinds | q.kinds
    shape = len(p.kinds & q.kinds) / len(union) if union else 1.0
    dates = 0.0
    if p.dates and q.dates:
        gap = min(abs(a - b) for a in p.dates for b in _nearest(q.dates, p.dates))
        dates = 1.0 / (1.0 + gap / 2)
    score = (
        _WEIGHTS["words"] * words
        + _WEIGHTS["facets"] * facets
        + _WEIGHTS["shape"] * shape
        + _WEIGHTS["dates"] * dates
    )
    return min(1.0, max(0.0, score))


def _nearest(dates: set[int], around: set[int]) -> Iterable[int]:
    """Enough of `dates` to find the smallest gap to `around`: all of them when few."""
    if len(dates) * len(around) <= 400:
        return dates
    ordered = sorted(dates)
    return [ordered[0], ordered[-1], *ordered[:: max(1, len(ordered) // 20)]]


def _reasons(p: _Profile, q: _Profile, names: Names) -> tuple[str, ...]:
    out = []
    for subject in sorted(p.subjects & q.subjects):
        out.append(f"both give a count on {names.shown(subject)}")
    for actor in sorted(p.actors & q.actors):
        out.append(f"both name {names.shown(actor)} as the actor")
    same = sorted(set(p.places) & set(q.places))
    if same:
        shown = []
        for key in same:
            a, b = p.places[key], q.places[key]
            shown.append(a if a.casefold() == b.casefold() else f"{a} / {b}")
        out.append("same places: " + ", ".join(shown))
    if p.stances and q.stances:
        stances = p.stances | q.stances
        if p.stances != q.stances and stances == {"affirms", "denies"}:
            out.append("one side affirms, the other denies")
        elif "undetermined" in stances:
            out.append("both speak to a proposition (affirm, deny or leave it undetermined)")
        else:
            out.append("both affirm or deny a proposition")
    surface: dict[str, str] = {}
    for text in p.texts:
        for term, word in terms(text):
            surface.setdefault(term, word)
    shared = [
        (p.words[t] * q.words[t], surface[t])
        for t in p.words.keys() & q.words.keys()
        if t[0] not in "~@"
    ]
    shared.sort(key=lambda item: (-item[0], item[1].casefold()))
    if shared:
        out.append("shared words: " + ", ".join(w.casefold() for _, w in shared[:5]))
    concepts = sorted(t[1:] for t in p.words.keys() & q.words.keys() if t.startswith("~"))
    if concepts:
        out.append("both speak of " + ", ".join(concepts))
    if p.dates and q.dates:
        gap = min(abs(a - b) for a in p.dates for b in _nearest(q.dates, p.dates))
        if gap == 0:
            out.append("said on the same day")
        elif gap <= 3:
            out.append(f"said within {gap} day{'s' if gap > 1 else ''} of each other")
    return tuple(out)
