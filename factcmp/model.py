"""The loaded claims, as the rest of factcmp sees them.

`factcmp.load.files` builds these from validated claim files; `match` and `compare`
read them; renderers show them. Each claim knows the file and line it came from.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from typing import ClassVar

import msgspec


def format_number(value: float) -> str:
    """105 not 105.0; 1,200 with a thousands separator for readability."""
    if value == math.inf:
        return "∞"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


class Count(msgspec.Struct, frozen=True):
    """A count as an interval [low, high]; `best` is the figure a side gave, if any."""

    # int | float, not float: a count stays 105, never 105.0, through the cache
    low: int | float
    high: int | float
    best: int | float | None = None
    given_min: int | float | None = None
    given_max: int | float | None = None
    words: str | None = None  # the speaker's own words ("hundreds"): shown, never compared

    @classmethod
    def given(
        cls,
        best: float | None = None,
        min: float | None = None,
        max: float | None = None,
        words: str | None = None,
    ) -> Count:
        """The interval of a count as a file gives it (step 4 of the decision):
        `105` is [105, 105]; `{min: 100}` is [100, inf); `{max: 100}` is [0, 100];
        with `min` or `max` the interval is [min, max] and `best` is what is shown."""
        if min is None and max is None:
            if best is None:
                raise ValueError("a count needs best, min or max")
            return cls(best, best, best=best, words=words)
        return cls(
            min if min is not None else 0,
            max if max is not None else math.inf,
            best=best,
            given_min=min,
            given_max=max,
            words=words,
        )

    @property
    def open(self) -> bool:
        """An open bound (`at least`, `up to`): only one of `min` and `max` given. A
        figure, or a range with both ends, is bounded (revision 3, step 3)."""
        return (self.given_min is None) != (self.given_max is None)

    def shown(self, unit: str | None = None) -> str:
        """`105`, `100–110`, `at least 100`, `5 kg` with a unit; with the speaker's
        words, `hundreds (at least 100)`."""
        if self.words is not None:
            return f"{self.words} ({self.figure(unit)})"
        return self.figure(unit)

    def figure(self, unit: str | None = None) -> str:
        """The count as figures (and its unit, if given), without the speaker's words."""
        return f"{self._figure()} {unit}" if unit else self._figure()

    def _figure(self) -> str:
        if self.best is not None:
            if self.given_min is None and self.given_max is None:
                return format_number(self.best)
            return f"{format_number(self.best)} ({self._range()})"
        return self._range()

    def _range(self) -> str:
        if self.given_min is not None and self.given_max is not None:
            if self.given_min == self.given_max:
                return format_number(self.given_min)
            return f"{format_number(self.given_min)}–{format_number(self.given_max)}"
        if self.given_min is not None:
            return f"at least {format_number(self.given_min)}"
        if self.given_max is not None:
            return f"up to {format_number(self.given_max)}"
        return format_number(self.low)

    def as_json(self) -> float | dict[str, float | str]:
        if (
            self.given_min is None
            and self.given_max is None
            and self.best is not None
            and self.words is None
        ):
            return self.best
        out: dict[str, float | str] = {}
        if self.best is not None:
            out["best"] = self.best
        if self.given_min is not None:
            out["min"] = self.given_min
        if self.given_max is not None:
            out["max"] = self.given_max
        if self.words is not None:
            out["words"] = self.words
        return out


class Tolerance(msgspec.Struct, frozen=True):
    """How far apart two counts may be and still agree: absolute, or a percentage."""

    value: int | float
    percent: bool = False

    def allowed(self, near_a: float, near_b: float) -> float:
        if self.percent:
            return max(near_a, near_b) * self.value / 100
        return self.value

    def __str__(self) -> str:
        return f"{format_number(self.value)}%" if self.percent else format_number(self.value)


NO_TOLERANCE = Tolerance(0, percent=False)


class Topic(msgspec.Struct, frozen=True):
    key: str
    label: str
    tolerance: Tolerance = NO_TOLERANCE
    order: int = 1 << 30  # UNLISTED: topics not in topics.yaml sort after the listed ones
    description: str | None = None
    claim: str | None = None  # the proposition a stance affirms, denies or leaves undetermined

    UNLISTED: ClassVar[int] = 1 << 30

    @staticmethod
    def label_from_key(key: str) -> str:
        words = key.replace(".", " ").replace("-", " ").replace("_", " ").split()
        return " ".join(words).capitalize() if words else key


class Speaker(msgspec.Struct, frozen=True):
    key: str
    name: str
    role: str | None = None
    file: str = ""  # the shared sources.yaml that defines it; "" for the claim's own file

    def shown(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


class Source(msgspec.Struct, frozen=True):
    key: str
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    url: str | None = None
    published: dt.date | None = None
    archived: str | None = None
    file: str = ""  # the shared sources.yaml that defines it; "" for the claim's own file


class Period(msgspec.Struct, frozen=True):
    start: dt.date | None
    end: dt.date | None

    def shown(self) -> str:
        start = self.start.isoformat() if self.start else "…"
        end = self.end.isoformat() if self.end else "…"
        return f"{start} to {end}"


class Clock(msgspec.Struct, frozen=True):
    """The time of day a claim was made, when the file gives one (`said:
    2020-06-16T21:30+05:30`); `offset` is the zone's minutes east of UTC, None when
    the file gives no zone."""

    hour: int
    minute: int
    second: int = 0
    offset: int | None = None


class Claim(msgspec.Struct, frozen=True, eq=False):
    """One claim of one side. Compared by identity: two claims are never 'equal'."""

    side: str
    id: str
    topic: str
    text: str
    file: str
    line: int
    speaker: Speaker | None = None
    source: Source | None = None
    said: dt.date | None = None
    quote: str | None = None
    count: Count | None = None
    subject: str | None = None
    actor: str | None = None
    places: tuple[str, ...] | None = None
    stance: str | None = None
    period: Period | None = None
    status: str = "current"
    said_time: Clock | None = None  # the time of day on `said`, when given
    original: str | None = None  # the quote in its own language; `quote` translates it
    lang: str | None = None  # the language of `original` (a BCP 47 tag)
    statement: str | None = None  # the key of the statement it comes from, if any
    unit: str | None = None  # what a count counts, when not people (`kg`, `rockets`)

    @property
    def denies(self) -> bool:
        return self.stance == "denies"

    @property
    def undetermined(self) -> bool:
        """It says the topic's proposition is not (yet) known (revision 3)."""
        return self.stance == "undetermined"

    @property
    def affirms(self) -> bool:
        """It asserts the proposition: `stance: affirms`, or no stance (the default)."""
        return self.stance is None or self.stance == "affirms"

    @property
    def stance_shown(self) -> str:
        """`affirms`, `denies` or `undetermined`: the stance, the default filled in."""
        return self.stance or "affirms"

    @property
    def reported(self) -> dt.date | None:
        """The day the claim was reported, when it gives no `said` (nor its
        statement): its source's `published` (step 1, revision 3). A reported claim
        is ordered by that day and shown as reported, never as said."""
        if self.said is None and self.source is not None:
            return self.source.published
        return None

    @property
    def dated(self) -> dt.date | None:
        """The claim's date for ordering: `said`, else the day it was reported."""
        return self.said if self.said is not None else self.reported


class Side(msgspec.Struct):
    """Everything one side has claimed, from one claim file."""

    id: str
    name: str
    file: str
    aliases: tuple[str, ...] = ()
    claims: list[Claim] = msgspec.field(default_factory=list)
    role: str = "party"  # or "observer" (revision 3): outputs list the parties first

    @property
    def observer(self) -> bool:
        return self.role == "observer"


def parties_first(sides: list[Side]) -> list[Side]:
    """The sides in the order given, the parties before the observers (revision 3)."""
    return sorted(sides, key=lambda side: side.observer)


PEOPLE = "people"  # what a count without `unit` counts (revision 3)


def unit_of(claim: Claim) -> str:
    """What a claim's count counts, as written: its `unit`, else people."""
    return claim.unit if claim.unit is not None else PEOPLE


def unit_key(claim: Claim) -> str:
    """A claim's unit as compared: folded, so `KG` and `kg` are one unit, and a
    claim without `unit` counts people."""
    return fold(unit_of(claim))


def count_shown(claim: Claim) -> str:
    """A claim's count as every output says it, with its unit: `5 kg`, `hundreds (at
    least 100)`; empty when it gives none."""
    return claim.count.shown(claim.unit) if claim.count is not None else ""


def fold(word: str) -> str:
    """A name as compared: one Unicode form (NFKC: `Türkiye` typed either way, fullwidth
    letters), spacing collapsed, case folded."""
    return " ".join(unicodedata.normalize("NFKC", word).split()).casefold()


class Names:
    """Resolves a subject or actor to a side id through the sides' ids, names and
    aliases, case-insensitively, so that `Armenian`, `Armenia` and `armenia` are the
    same actor. Ids and names win over aliases; a word that two sides claim on the
    same footing resolves to neither, so the order of the sides never matters."""

    def __init__(self, sides: list[Side]) -> None:
        self.display = {side.id: side.name for side in sides}
        self.ids: dict[str, str] = {}
        for level in (lambda s: (s.id, s.name), lambda s: s.aliases):
            found: dict[str, set[str]] = {}
            for side in sides:
                for word in level(side):
                    found.setdefault(fold(word), set()).add(side.id)
            for word, owners in found.items():
                if word not in self.ids and len(owners) == 1:
                    self.ids[word] = next(iter(owners))
                elif word not in self.ids:
                    self.ids[word] = word  # ambiguous: the word stands for itself
        # the words a side lists as aliases that name it (an id written as an alias
        # too, `Southland` for `southland`), less its name: shown as written
        self.aliases = {
            fold(alias)
            for side in sides
            for alias in side.aliases
            if self.ids.get(fold(alias)) == side.id and fold(alias) != fold(side.name)
        }

    def key(self, value: str | None) -> str | None:
        if value is None:
            return None
        folded = fold(value)
        return self.ids.get(folded, folded)

    def shown(self, value: str, *cited: str | None) -> str:
        """A side's display name for a word that names it, else the word as written.
        A word that names a side through an alias shows as the claims wrote it
        ("Southland", not "Health Ministry of Southland": revision 3) when every
        claim behind it (`value`, and `cited`: the words of the other claims it
        stands for; None where a claim gives none) wrote that same word; matching is
        unchanged."""
        words = [value, *(word for word in cited if word is not None)]
        if all(self._as_alias(word) for word in words) and len({fold(w) for w in words}) == 1:
            return value
        return self.display.get(self.key(value) or "", value)

    def _as_alias(self, word: str) -> bool:
        """Whether `word` names a side as one of its aliases, not as its id (`southland`,
        written as the file's stem) or its name."""
        return fold(word) in self.aliases and word.strip() not in self.display
