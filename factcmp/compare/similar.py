"""Words as the topic suggester compares them: folded, stemmed, with the concepts of
conflict reporting, and place names reduced to a key that survives transliteration.

Plain Python on purpose: the suggester runs inside `diff` (its hint), and nothing
here is worth an import a diff would pay for.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

# Words that say nothing about what a claim is about.
_STOP = """a an the of to in on at by for from with and or but not no nor is are was were be
    been being has have had do does did it its this that these those as which who whom
    whose what when where there their they them he she his her we our us you your i me my
    than then so such into over under about after before during between against also
    only very more most some any all each other own same can could will would shall
    should may might must said says say told tells according per via while since until
    up down out off there here if because however would been one two"""
STOP_WORDS = frozenset(_STOP.split())

# The concepts a dispute is argued in. Two curators describe the same fact in
# different words ("killed", "died", "martyred", "lost"); each word here also counts
# as its concept, so that the words meet.
CONCEPTS: dict[str, str] = {
    "death": (
        "kill killed killing dead death deaths die died dying fatal fatalities fatality "
        "martyr martyred martyrs perish perished casualty casualties toll bodies lost loss "
        "losses lives succumbed"
    ),
    "injury": "wound wounded wounds injure injured injuries injury hurt",
    "capture": (
        "capture captured captive captives seize seized seizure detain detained detention "
        "arrest arrested custody prisoner prisoners hostage hostages held"
    ),
    "attack": (
        "attack attacked attacks shell shelled shelling fire fired firing shoot shot shots "
        "strike strikes struck bomb bombed bombing artillery rocket rockets missile "
        "missiles opened assault offensive aggression"
    ),
    "territory": (
        "border borders territory territorial frontier waters airspace sovereignty lac loc boundary"
    ),
    "violation": (
        "intrude intruded intrusion violate violated violation violations cross crossed "
        "crossing incursion enter entered infiltrate infiltrated trespass breach breached"
    ),
    "ceasefire": "ceasefire truce armistice",
    "aircraft": "aircraft jet jets plane planes fighter fighters helicopter drone drones uav "
    "airplane",
    "troops": (
        "soldier soldiers troops servicemen serviceman military army personnel sailors "
        "crew officer officers servicemembers forces"
    ),
    "civilian": "civilian civilians resident residents villagers population",
    "vessel": "ship ships vessel vessels boat boats tugboat tug navy naval",
    "talks": "talk talks negotiation negotiations dialogue meeting meetings",
    "falsehood": (
        "lie lies false fake untrue baseless disinformation misinformation propaganda "
        "fabricated fabrication fiction"
    ),
    "provocation": "provocation provocations provoke provoked provocative",
}

_TOKEN = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def fold(text: str) -> str:
    """Case folded, compatibility forms unified, accents dropped (Ağdam → agdam)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A light English stemmer: killed, kills, killing → kill; casualties → casualty;
    capture, captured → captur. Words in other scripts are left as they are."""
    if len(word) <= 4 or not word.isascii():
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                return word
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "ls":
        word = word[:-1]  # stopped → stopp → stop
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


_CONCEPT_OF = {stem(fold(w)): c for c, words in CONCEPTS.items() for w in words.split()}


def terms(text: str) -> list[tuple[str, str]]:
    """The terms of a text, each with the (folded) word it came from: stems of the
    words that are not stop words, numbers as they are, runs of Chinese, Japanese or
    Korean characters as overlapping pairs, and `~concept` for a word of a known
    concept."""
    out: list[tuple[str, str]] = []
    for word in _TOKEN.findall(text.lower() if text.isascii() else text.casefold()):
        out.extend(_word_terms(word))
    return out


@functools.lru_cache(maxsize=1 << 16)
def _word_terms(word: str) -> tuple[tuple[str, str], ...]:
    word = fold(word)
    if _CJK.search(word):
        if len(word) == 1:
            return ((word, word),)
        return tuple((word[i : i + 2], word[i : i + 2]) for i in range(len(word) - 1))
    if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
        return ()
    stemmed = stem(word)
    concept = _CONCEPT_OF.get(stemmed)
    if concept is None:
        return ((stemmed, word),)
    return ((stemmed, word), ("~" + concept, word))


def key_words(key: str) -> str:
    """A topic key's words: `casualties.military-dead_toll` → casualties military dead toll."""
    return " ".join(re.split(r"[._\-\s]+", key))


_SOUNDS = (
    ("dzh", "j"),
    ("zh", "j"),
    ("dj", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("sch", "s"),
    ("sh", "s"),
    ("tch", "c"),
    ("ch", "c"),
    ("tz", "c"),
    ("ts", "c"),
    ("ph", "f"),
    ("w", "v"),
    ("y", "i"),
    ("q", "k"),
    ("x", "ks"),
)


@functools.lru_cache(maxsize=1 << 14)
def place_key(name: str) -> str:
    """A place name reduced so that transliterations meet: Kalbajar and Kelbajar,
    Ağdam and Aghdam, Kerch and Kertsch give the same key. Letters outside the Latin
    script are kept as they are."""
    word = "".join(c for c in fold(name) if c.isalnum())
    for written, sound in _SOUNDS:
        word = word.replace(written, sound)
    if not word:
        return word
    kept = [word[0]] + [c for c in word[1:] if c not in "aeiou"]
    out: list[str] = []
    for c in kept:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


class _Shape(NamedTuple):
    """A topic key as `similar_keys` compares it, worked out once per key."""

    ordered: tuple[str, ...]  # its folded words, sorted
    joined: str  # its folded words run together, in order
    digits: str  # the digits of `joined`, in order


@functools.lru_cache(maxsize=1 << 16)
def _shape(key: str) -> _Shape:
    words = key_words(fold(key)).split()
    joined = "".join(words)
    return _Shape(tuple(sorted(words)), joined, re.sub(r"\D", "", joined))


def similar_keys(a: str, b: str) -> bool:
    """Whether two topic keys look like one key misspelt or reworded:
    `casualties.military` beside `casualties.militry`, `casualties-military` or
    `military.casualties`; not keys whose numbers differ."""
    if a == b:
        return False
    shape_a, shape_b = _shape(a), _shape(b)
    if shape_a.ordered == shape_b.ordered:  # the same words, in any order
        return True
    if shape_a.digits != shape_b.digits:
        return False  # topic.1 and topic.2, casualties.2022 and casualties.2023: different
    joined_a, joined_b = shape_a.joined, shape_b.joined
    if min(len(joined_a), len(joined_b)) < 6:
        return False
    return _edits_at_most(joined_a, joined_b, 1 if len(joined_a) < 10 else 2)


_MAX_BUCKET = 50  # a bucket of hundreds is a family (topic.1, topic.2): no pair is a slip


def similar_pairs(keys: Iterable[str]) -> list[tuple[str, str]]:
    """The pairs of `keys` that `similar_keys` finds alike, each once, sorted. Near
    linear: candidates meet in buckets (the sorted words; each key with one
    character left out, which brings together keys one edit apart), never in a loop
    over all pairs; and in a bucket only keys that can be alike are compared (the
    same words, or the same numbers), each pair once."""
    shapes = {key: _shape(key) for key in sorted(set(keys))}
    if not _any_can_pair(shapes.values()):
        return []  # thousands of numbered topics, each its own number: nothing to compare
    buckets: dict[str, list[str]] = {}
    for key, shape in shapes.items():
        for variant in _variants(shape):
            buckets.setdefault(variant, []).append(key)
    pairs: set[tuple[str, str]] = set()
    compared: set[tuple[str, str]] = set()
    for variant, members in buckets.items():
        if not 1 < len(members) <= _MAX_BUCKET:
            continue
        if variant.startswith("w:"):  # the same words: every two are alike
            pairs.update(itertools.combinations(members, 2))  # sorted: smaller first
            continue
        for group in _groups(members, shapes):
            for pair in itertools.combinations(group, 2):
                if pair not in compared:
                    compared.add(pair)
                    if similar_keys(*pair):
                        pairs.add(pair)
    return sorted(pairs)


def _any_can_pair(shapes: Iterable[_Shape]) -> bool:
    """Whether two keys have the same numbers, or the same words: no others are alike."""
    digits: set[str] = set()
    words: set[tuple[str, ...]] = set()
    for shape in shapes:
        if shape.digits in digits or shape.ordered in words:
            return True
        digits.add(shape.digits)
        words.add(shape.ordered)
    return False


def _variants(shape: _Shape) -> set[str]:
    """The buckets a key goes in: its sorted words; its words run together, and that
    with each character left out in turn (for six characters or more)."""
    joined = shape.joined
    variants = {"w:" + " ".join(shape.ordered), "d:" + joined}
    if len(joined) >= 6:
        variants.update("d:" + joined[:i] + joined[i + 1 :] for i in range(len(joined)))
    return variants


def _groups(members: list[str], shapes: dict[str, _Shape]) -> list[list[str]]:
    """The members of a bucket that `similar_keys` may find alike, in groups: those
    with the same numbers, and those with the same words (whatever their numbers)."""
    by_digits: dict[str, list[str]] = {}
    by_words: dict[tuple[str, ...], list[str]] = {}
    for key in members:
        shape = shapes[key]
        by_digits.setdefault(shape.digits, []).append(key)
        by_words.setdefault(shape.ordered, []).append(key)
    return [g for g in (*by_digits.values(), *by_words.values()) if len(g) > 1]


def _edits_at_most(a: str, b: str, limit: int) -> bool:
    """Whether a becomes b in at most `limit` insertions, deletions or substitutions
    (a banded Levenshtein: linear in the keys' length)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [limit + 1] * len(b)
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != b[j - 1])
            )
        previous = current
    return previous[len(b)] <= limit
