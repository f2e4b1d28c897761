"""The claim file format, version 1, as msgspec types.

These types are the single definition of what a claim file may hold: the loader
validates against them, and `factcmp schema` (later) publishes them as a JSON
Schema. Semantics that a type cannot say (references between keys, one count in
force per topic and subject) live in `factcmp.load.files`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

FORMAT_VERSION = 1

Number = int | float
Role = Literal["party", "observer"]


class _Spec(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Base of every part of a claim file: unknown keys are errors, not ignored."""


class SideSpec(_Spec):
    """The side this file speaks for; its id is the file's stem."""

    name: str
    aliases: list[str] = []
    id: str | None = None  # optional; when given it must be the file's stem
    # revision 3: a side of the dispute, or one who assesses it; roles change no verdict
    role: Role = "party"


class SpeakerSpec(_Spec):
    """Who speaks for the side (claims refer to speakers by key with `by:`)."""

    name: str
    role: str | None = None


class SourceSpec(_Spec):
    """Where claims were reported (claims refer to sources by key with `source:`)."""

    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    url: str | None = None
    published: dt.date | None = None
    archived: str | None = None


class CountSpec(_Spec):
    """A vague figure as an interval: `min`, `max`, and the `best` figure shown; `words`,
    the speaker's own words for it ("hundreds"), shown and never compared."""

    best: Number | None = None
    min: Number | None = None
    max: Number | None = None
    words: str | None = None  # the speaker's own words ("hundreds"): shown, never compared


class PeriodSpec(_Spec, rename={"start": "from", "end": "to"}):
    """The span of time a count covers."""

    start: dt.date | None = None
    end: dt.date | None = None


Stance = Literal["affirms", "denies", "undetermined"]
Status = Literal["current", "superseded", "retracted"]


class StatementSpec(_Spec):
    """One statement several claims come from (a spokesman's briefing that speaks to
    two topics): who made it, where it was reported, when, and its words. A claim
    names it with `statement:` and takes these from it."""

    by: str | None = None
    source: str | SourceSpec | None = None
    said: dt.date | None = None
    quote: str | None = None
    original: str | None = None  # the quote's words in their own language
    lang: str | None = None  # the language of `original` (a BCP 47 tag: ru, zh, hy)


class ClaimSpec(_Spec):
    """One claim: what the side says on a topic, with its typed facets."""

    id: str
    topic: str
    text: str
    statement: str | None = None  # a key under `statements:`: by, source, said from it
    by: str | None = None
    source: str | SourceSpec | None = None
    said: dt.date | None = None
    quote: str | None = None
    original: str | None = None  # the quote's words in their own language
    lang: str | None = None  # the language of `original` (a BCP 47 tag: ru, zh, hy)
    count: Number | CountSpec | None = None
    unit: str | None = None  # what the count counts when not people: kg, metres, rockets
    subject: str | None = None
    actor: str | None = None
    places: list[str] | None = None
    stance: Stance | None = None
    period: PeriodSpec | None = None
    status: Status = "current"


class TopicSpec(_Spec):
    """A topic's label, and the tolerance within which two counts agree."""

    label: str | None = None
    claim: str | None = None  # the proposition a stance affirms, denies or leaves undetermined
    tolerance: str | Number | None = None
    description: str | None = None


# The top-level keys of each file, in the order a file should give them; the loader
# validates each section on its own so that one bad claim does not hide the others.
CLAIM_FILE_KEYS: dict[str, bool] = {
    "factcmp": True,
    "side": True,
    "speakers": False,
    "sources": False,
    "statements": False,
    "claims": False,
}
TOPICS_FILE_KEYS: dict[str, bool] = {"factcmp": True, "topics": True}
SHARED_FILE_KEYS: dict[str, bool] = {"factcmp": True, "speakers": False, "sources": False}


class ClaimFileSpec(_Spec):
    """A claim file: everything one side has claimed (docs/format.md)."""

    factcmp: Literal[1]
    side: SideSpec
    speakers: dict[str, SpeakerSpec] = {}
    sources: dict[str, SourceSpec] = {}
    statements: dict[str, StatementSpec] = {}
    claims: list[ClaimSpec] = []


class SharedFileSpec(_Spec):
    """sources.yaml: the sources and speakers that any side's claims may name
    (an agency report both sides cite, a joint statement) (docs/format.md)."""

    factcmp: Literal[1]
    speakers: dict[str, SpeakerSpec] = {}
    sources: dict[str, SourceSpec] = {}


class TopicsFileSpec(_Spec):
    """topics.yaml: the topics' labels and count tolerances (docs/format.md)."""

    factcmp: Literal[1]
    topics: dict[str, TopicSpec]


JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(kind: type[msgspec.Struct]) -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of a file, made from the same types the
    loader validates with."""
    import msgspec.json

    body = msgspec.json.schema(kind)
    for name in ("ClaimSpec", "StatementSpec"):
        claim = body.get("$defs", {}).get(name)
        if claim is None:
            continue
        # `said` takes a time too (the loader reads it: factcmp.load.when)
        claim["properties"]["said"] = {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": SAID_DATE_TIME},
                {"type": "null"},
            ],
            "default": None,
        }
    return {"$schema": JSON_SCHEMA_DIALECT, **body}


# A date and time in `said:`, as the loader accepts it (factcmp.load.when), in the
# regular-expression dialect of JSON Schema.
SAID_DATE_TIME = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2})?"
    r"\s*([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?$"
)
