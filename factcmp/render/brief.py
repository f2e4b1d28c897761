"""`factcmp brief`: a markdown brief an editor can read, paste and trust.

A second renderer of the same `Comparison` that `diff` shows: it never compares.
Wording is neutral and the same for every side: each claim is attributed the way
a wire story attributes ("X said on 14 September 2022 that ..."), never stated as
fact, and sides always come in the order the user named them. All claim text goes
through `markdown.text()`, so it renders as exactly its visible text.
"""

from __future__ import annotations

import datetime as dt
import re

from factcmp import __version__
from factcmp.model import Claim, Side, Source
from factcmp.provenance import Provenance
from factcmp.render import markdown as md
from factcmp.render.words import PLURAL, facets
from factcmp.result import Comparison, TopicResult, Verdict

DEFAULT_CAVEAT = (
    "These are claims as each side made them, attributed to their speakers and "
    "sources. factcmp compares what the sides say; it does not verify whether "
    "any claim is true."
)
HEADINGS = {
    Verdict.CONTRADICTION: "Contradictions",
    Verdict.DISCREPANCY: "Discrepancies",
    Verdict.AGREEMENT: "Agreements",
    Verdict.UNJUDGED: "Unjudged",
    Verdict.ONE_SIDED: "One-sided claims",
}
WHY = {
    Verdict.CONTRADICTION: "Why a contradiction",
    Verdict.DISCREPANCY: "Why a discrepancy",
    Verdict.AGREEMENT: "Why an agreement",
    Verdict.UNJUDGED: "Why unjudged",
    Verdict.ONE_SIDED: "Why one-sided",
}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
# Speakers named like institutions take "the": "the Ministry of Defence of Armenia said",
# "the Azerbaijani military said"; people do not: "Prime Minister Nikol Pashinyan said".
_INSTITUTION = re.compile(
    r"\b(ministry|government|office|department|presidency|press service|administration|"
    r"forces|army|military|defence|embassy|parliament|cabinet|secretariat|general staff|"
    r"border service|council|committee|authorities)\b",
    re.I,
)


def long_date(date: dt.date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


class _References:
    """Numbers each distinct source once, in order of first citation."""

    def __init__(self) -> None:
        self.numbers: dict[tuple[object, ...], int] = {}
        self.sources: list[Source] = []

    def cite(self, source: Source | None) -> str:
        if source is None:
            return ""
        key = (source.outlet, source.title, source.author, source.url, source.published)
        if key not in self.numbers:
            self.numbers[key] = len(self.sources) + 1
            self.sources.append(source)
        return f" \\[{self.numbers[key]}\\]"


def render_brief(
    comparison: Comparison,
    *,
    date: dt.date,
    title: str | None = None,
    provenance: Provenance | None = None,
    caveat: str | None = DEFAULT_CAVEAT,
) -> str:
    sides = comparison.sides
    refs = _References()
    out: list[str] = []
    heading = (
        title
        if title and title.strip()
        else " vs ".join(s.name for s in sides) + ": what each side claims"
    )
    out += [f"# {md.text(heading)}", "", _provenance_line(provenance, date), ""]
    out += [f"**{_summary(comparison)}**", ""]
    if comparison.topics:
        out += _overview(comparison)
    for verdict in Verdict:
        topics = [t for t in comparison.topics if t.verdict is verdict]
        if not topics:
            continue
        out += [f"## {HEADINGS[verdict]} ({len(topics)})", ""]
        for topic in topics:
            out += _topic_section(topic, sides, refs)
    if refs.sources:
        out += ["## Sources", ""]
        for number, source in enumerate(refs.sources, 1):
            out.append(f"{number}. {_source_line(source)}")
        out.append("")
    if caveat and caveat.strip():
        out += ["---", "", f"*{md.text(caveat)}*", ""]
    return "\n".join(out)


def _summary(comparison: Comparison) -> str:
    parts = [f"{n} {PLURAL[v][n != 1]}" for v, n in comparison.summary().items() if n]
    return " · ".join(parts) if parts else "No claims to compare"


def _provenance_line(provenance: Provenance | None, date: dt.date) -> str:
    parts = []
    if provenance and provenance.files:
        files = ", ".join(md.text(f) for f in provenance.files)
        parts.append(f"Built from {files}")
        if provenance.commit:
            parts.append(f"at commit `{provenance.commit[:12]}`")
            if provenance.dirty:
                parts.append("(with uncommitted changes to these files)")
    else:
        parts.append("Built")
    parts.append(f"on {long_date(date)} by factcmp {__version__}.")
    return "*" + " ".join(parts) + "*"


def _overview(comparison: Comparison) -> list[str]:
    sides = comparison.sides
    header = ["Topic", *(s.name for s in sides), "Verdict"]
    rows = [
        "| " + " | ".join(md.cell(h) for h in header) + " |",
        "|" + "---|" * len(header),
    ]
    for topic in comparison.topics:
        cells = [topic.topic.label]
        for side in sides:
            claims = topic.claims[side.id]
            if not claims:
                cells.append("—")
            else:
                shown = [" · ".join(facets(c)) or _short(c.text) for c in claims]
                cells.append("; ".join(shown))
        cells.append(topic.verdict.value)
        rows.append("| " + " | ".join(md.cell(c) for c in cells) + " |")
    return [*rows, ""]


def _short(text: str, limit: int = 60) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1].rsplit(" ", 1)[0] + "…"


def _topic_section(topic: TopicResult, sides: list[Side], refs: _References) -> list[str]:
    out = [f"### {md.text(topic.topic.label)}", ""]
    if topic.topic.description and topic.topic.description.strip():
        out += [f"*{md.text(topic.topic.description)}*", ""]
    for side in sides:
        for claim in topic.claims[side.id]:
            said = _attributed(claim, side) + refs.cite(claim.source)
            out.append(f"- **{md.text(side.name)}:** {said}")
        for claim in topic.history[side.id]:
            label = "earlier count" if claim.status == "current" else claim.status
            out.append(
                f"- **{md.text(side.name)}** ({label}): "
                f"{_attributed(claim, side)}{refs.cite(claim.source)}"
            )
    out += ["", f"*{WHY[topic.verdict]}:* {md.text('; '.join(topic.reasons))}.", ""]
    return out


def _attributed(claim: Claim, side: Side) -> str:
    """'The Ministry of Defence of Armenia said on 14 September 2022 that ...'; the
    bullet it goes in names the side."""
    if claim.speaker is None:
        who = side.name
    elif claim.speaker.role:
        who = f"{claim.speaker.role} {claim.speaker.name}"  # wire style: "Prime Minister X"
    else:
        who = claim.speaker.name
        if _INSTITUTION.search(who) and not who.lower().startswith("the "):
            who = "the " + who
    who = who[:1].upper() + who[1:]
    when = f" on {long_date(claim.said)}" if claim.said else " (date not recorded)"
    sentence = f"{who} said{when} that {_lower_first(claim.text)}"
    sentence = sentence.rstrip()
    if sentence[-1:] not in ".!?":
        sentence += "."
    out = md.text(sentence)
    if claim.quote:
        out += f" Quoted: “{md.text(claim.quote)}”."
    return out


# Words that open a sentence without being names. Only these are lower-cased after
# "said that": any other capital (Moscow, Turkish, NATO) may be a name, and a name
# wrongly lower-cased is worse in a brief than a common word left capitalised.
_COMMON_STARTS = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "they",
        "their",
        "them",
        "there",
        "he",
        "his",
        "she",
        "her",
        "we",
        "our",
        "you",
        "your",
        "some",
        "any",
        "all",
        "no",
        "none",
        "each",
        "every",
        "both",
        "either",
        "neither",
        "many",
        "most",
        "several",
        "few",
        "more",
        "less",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "dozens",
        "hundreds",
        "thousands",
        "reports",
        "report",
        "troops",
        "soldiers",
        "forces",
        "civilians",
        "military",
        "people",
        "officials",
        "residents",
        "talks",
        "attacks",
        "shelling",
        "fighting",
    ]
)


def _lower_first(text: str) -> str:
    """The claim's text to follow "said that": its first word lower-cased when it is a
    common sentence opener ("The", "Two", "Reports"), else as written."""
    text = " ".join(text.split())
    first = text.split(" ", 1)[0]
    if first.isalpha() and first[1:].islower() and first.casefold() in _COMMON_STARTS:
        return text[0].lower() + text[1:]
    return text


def _source_line(source: Source) -> str:
    parts = []
    if source.outlet:
        parts.append(md.text(source.outlet))
    if source.title:
        parts.append(f"“{md.text(source.title)}”")
    if source.author:
        parts.append(f"by {md.text(source.author)}")
    if source.published:
        parts.append(long_date(source.published))
    line = ", ".join(parts) if parts else md.text(source.key)
    links = []
    if source.url:
        links.append(
            md.link("link", source.url)
            or f"link withheld (not a web address): {md.text(source.url)}"
        )
    if source.archived:
        links.append(
            md.link("archived copy", source.archived)
            or f"archive link withheld (not a web address): {md.text(source.archived)}"
        )
    if links:
        line += ". " + " · ".join(links)
    return line + ("" if line.endswith(".") else ".")
