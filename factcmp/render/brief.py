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
from factcmp.compare.wording import ends_sentence, fragment, lower_first, sentence
from factcmp.load.provenance import Provenance
from factcmp.load.when import long_date, reported_long, said_long
from factcmp.model import Claim, Names, Side, Source, Speaker
from factcmp.render import markdown as md
from factcmp.render.words import (
    PLURAL,
    SYMBOL,
    agreeing,
    at_issue,
    cited_reasons,
    gist,
    history_label,
    pair_name,
    pair_reasons,
    selection_words,
)
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
# a claim not in force, in words an editor need not look up
HISTORY = {
    "earlier figure": "earlier figure, replaced by a later one; not compared",
    "earlier denial": "earlier denial, replaced by a later figure; not compared",
    "earlier, left undetermined": "earlier claim that left it undetermined, replaced by a "
    "later figure; not compared",
    "superseded": "superseded; not compared",
    "retracted": "retracted; not compared",
}
# what two sides do, by their verdict: "India and China contradict each other: ..."
PAIR_VERB = {
    Verdict.CONTRADICTION: "contradict each other",
    Verdict.DISCREPANCY: "differ, but both can be true",
    Verdict.AGREEMENT: "agree",
    Verdict.UNJUDGED: "cannot be judged against each other",
}
# Speakers named like institutions take "the": "the Ministry of Defence of Armenia said",
# "the Azerbaijani military said"; people do not: "Prime Minister Nikol Pashinyan said".
_INSTITUTION = re.compile(
    r"\b(ministry|government|office|department|presidency|press service|administration|"
    r"forces?|army|navy|military|defence|embassy|parliament|cabinet|secretariat|general staff|"
    r"border service|council|committee|authorities|daily)\b",
    re.I,
)
# A role that is "Title, Institution" ("Spokesperson, Ministry of Foreign Affairs")
# reads "Title of the Institution" after the name.
_INSTITUTION_FIRST = re.compile(
    r"(the )?(ministry|government|office|department|presidency|press service|"
    r"administration|embassy|parliament|cabinet|secretariat|general staff|"
    r"border service|council|committee)\b",
    re.I,
)


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
    hint: str | None = None,
    since: list[str] | None = None,
    figures: list[str] | None = None,
) -> str:
    """The brief. `hint` is a line said after the summary (one-sided topics that may
    be another side's under another key); `since`, markdown lines of what changed
    since a revision, is the first section (factcmp.render.changes). A comparison
    from the cache gives the body written of it before, if any
    (`Comparison.rendered`): the title, the provenance line, what changed since and
    the caveat are written afresh."""
    heading = title if title and title.strip() else _heading(comparison.sides)
    head = [f"# {md.text(heading)}", "", _provenance_line(provenance, date), "", *(since or [])]
    section = figures or []
    body = comparison.rendered(
        ["brief", hint or "", "\n".join(section)], lambda: _body(comparison, hint, section)
    )
    tail = ["---", "", f"*{md.text(caveat)}*", ""] if caveat and caveat.strip() else []
    return "\n".join(["\n".join(head), body, *(["\n".join(tail)] if tail else [])])


def _body(comparison: Comparison, hint: str | None, figures: list[str]) -> str:
    """What the brief says of the comparison: from the summary to the sources."""
    sides = comparison.sides
    names = {side.id: side.name for side in sides}
    refs = _References()
    out: list[str] = []
    narrowed = selection_words(comparison)
    if narrowed:
        out += [f"**Narrowed:** {md.text(sentence(narrowed))}", ""]
    out += [f"**{_summary(comparison)}**", ""]
    if hint:
        out += [f"*{md.text(sentence(hint))}*", ""]
    if comparison.topics:
        out += _overview(comparison)
    for verdict in Verdict:
        topics = [t for t in comparison.topics if t.verdict is verdict]
        if not topics:
            continue
        out += [f"## {HEADINGS[verdict]} ({len(topics)})", ""]
        for topic in topics:
            out += _topic_section(topic, sides, refs, names)
    out += figures  # "How the figures moved" (factcmp.render.figures), before the sources
    if refs.sources:
        out += ["## Sources", ""]
        for number, source in enumerate(refs.sources, 1):
            out.append(f"{number}. {_source_line(source)}")
        out.append("")
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
    """A table an editor reads at a glance: per topic, who says what in a few words,
    and the verdict (with each pair of sides' own when there are several)."""
    sides = comparison.sides
    names = {side.id: side.name for side in sides}
    resolve = Names(sides)  # subjects shown by their sides' names
    header = ["Topic", *(s.name for s in sides), "Verdict"]
    rows = [
        "| " + " | ".join(md.cell(h) for h in header) + " |",
        "|" + "---|" * len(header),
    ]
    for topic in comparison.topics:
        cells = [topic.topic.label]
        for side in sides:
            claims = topic.claims[side.id]
            shown = [gist(c, side.name, resolve) for c in claims[:_GISTS]]
            if len(claims) > _GISTS:
                shown.append(f"and {len(claims) - _GISTS} more")
            cells.append("; ".join(shown) or "—")
        verdict = topic.verdict.value
        if len(topic.pairs) > 1:
            each = [f"{pair_name(p, names)} {SYMBOL[p.verdict]}" for p in topic.pairs]
            verdict += f" ({', '.join(each)})"
        cells.append(verdict)
        rows.append("| " + " | ".join(md.cell(c) for c in cells) + " |")
    return [*rows, ""]


_GISTS = 2  # claims a side shows in an overview cell


def _topic_section(
    topic: TopicResult, sides: list[Side], refs: _References, names: dict[str, str]
) -> list[str]:
    out = [f"### {md.text(topic.topic.label)}", ""]
    if topic.topic.claim:
        out += [f"*At issue:* {md.text(sentence(at_issue(topic.topic) or ''))}", ""]
    for side in sides:
        for claim in topic.claims[side.id]:
            said = _attributed(claim, side) + refs.cite(claim.source)
            out.append(f"- **{md.text(side.name)}:** {said}")
        for claim in topic.history[side.id]:
            out.append(
                f"- **{md.text(side.name)}** ({HISTORY.get(history_label(claim), '')}): "
                f"{_attributed(claim, side)}{refs.cite(claim.source)}"
            )
    out.append("")
    if len(topic.pairs) > 1:
        out += [f"*{WHY[topic.verdict]}, side by side:*", ""]
        for pair in topic.pairs:
            who = md.text(pair_name(pair, names, " and "))
            line = f"- **{who}** {PAIR_VERB[pair.verdict]}: {md.text(sentence(pair_reasons(pair)))}"
            also = agreeing(pair)
            if also:
                line += f" They agree all the same: {md.text(sentence(also))}"
            out.append(line)
        out.append("")
    else:
        why = sentence("; ".join(cited_reasons(topic)))
        out += [f"*{WHY[topic.verdict]}:* {md.text(why)}", ""]
        also = agreeing(topic.pairs[0]) if topic.pairs else None
        if also:
            out += [f"*Where they agree all the same:* {md.text(sentence(also))}", ""]
    return out


def _heading(sides: list[Side]) -> str:
    """`Northland vs Southland: what each side claims, with 4 observers`: the title
    names the parties and counts the observers (revision 3); with no party, it names
    every side."""
    parties = [side for side in sides if not side.observer] or sides
    heading = " vs ".join(s.name for s in parties) + ": what each side claims"
    observers = len(sides) - len(parties)
    if observers:
        heading += f", with {observers} observer{'s' if observers != 1 else ''}"
    return heading


def _attributed(claim: Claim, side: Side) -> str:
    """'The Ministry of Defence of Armenia said on 14 September 2022 that ...'; the
    bullet it goes in names the side."""
    who = _speaker(claim.speaker) if claim.speaker is not None else side.name
    who = who[:1].upper() + who[1:]
    reported = reported_long(claim)
    if reported:  # revision 3: shown as reported, never as said
        out = md.text(_with_report(f"{who} said that {lower_first(claim.text)}", reported))
    else:
        when = f" {said_long(claim)}" if claim.said else " (date not recorded)"
        out = md.text(sentence(f"{who} said{when} that {lower_first(claim.text)}"))
    if claim.quote and fragment(claim.quote):
        quote = fragment(claim.quote)
        if claim.original and fragment(claim.original):
            from factcmp.load.languages import translated_from

            original = fragment(claim.original)
            out += (
                f" Quoted, {translated_from(claim.lang)}: “{md.text(quote)}” "
                f"(the original: “{md.text(original)}”)."
            )
        else:
            out += f" Quoted: “{md.text(quote)}”" + ("" if ends_sentence(quote) else ".")
    return out


def _with_report(text: str, reported: str) -> str:
    """`X said that 480 were killed, according to a report of 18 October 2023.`; a
    text that ends in a question, an exclamation or a quotation keeps its end, and
    the report's date follows in brackets."""
    text = text.rstrip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    if ends_sentence(text) or text[-1:] in _CLOSING:
        return f"{text} ({reported})."
    return f"{text.rstrip(',;: ')}, {reported}."


_CLOSING = "\"'”’»)]"


def _speaker(speaker: Speaker) -> str:
    """A speaker the way a wire story names one: a short title before the name
    ("Prime Minister Nikol Pashinyan", "Kremlin spokesman Dmitry Peskov"), a longer
    role after it ("Zhao Lijian, Spokesperson of the Ministry of Foreign Affairs,"),
    and "the" before an institution ("the Ministry of Defence of Armenia")."""
    name = " ".join(speaker.name.split()).rstrip(",;:")
    role = " ".join((speaker.role or "").split()).rstrip(",;:")
    if role.endswith(".") and len(role.rsplit(" ", 1)[-1]) > 5:  # not "Gen."
        role = role[:-1]
    if not role:
        if _INSTITUTION.search(name) and not name.lower().startswith("the "):
            return "the " + name
        return name
    words = role.split(" ")
    if "," not in role and len(words) <= 3 and not _JOINERS & {w.lower() for w in words}:
        return f"{role} {name}"
    title, comma, rest = role.partition(", ")
    if comma and "," not in rest and _INSTITUTION_FIRST.match(rest):
        # "Spokesperson, Ministry of Foreign Affairs": the title of the institution
        article = "" if rest.lower().startswith("the ") else "the "
        if title.lower() in _GENERIC_TITLES:  # "spokesperson of the Ministry of ..."
            title = title.lower()
        return f"{name}, {title} of {article}{rest},"
    if comma:
        return f"{name} ({role})"
    return f"{name}, {role},"


# titles written lower-case before "of the Ministry ...", as wire style has them
_GENERIC_TITLES = frozenset(
    """
    spokesperson spokesman spokeswoman minister secretary adviser advisor head chief
    director commander ambassador envoy president chairman chairwoman chair deputy
    member official leader governor counsellor councillor
    """.split()  # noqa: SIM905 (a word list reads better as words)
)
# small words that make a role a phrase to put after the name, not a title before it
_JOINERS = frozenset({"of", "for", "the", "and", "to", "in", "at", "on", "with"})


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
