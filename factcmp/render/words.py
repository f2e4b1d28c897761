"""Words every renderer uses alike: verdicts in the plural, a claim's facets, what a
claim in the history is, how an output was narrowed, and each pair's reasons."""

from __future__ import annotations

from factcmp.compare.wording import listed, lower_first, who_when
from factcmp.facets import WORDS_LAYOUT, in_order
from factcmp.load.when import long_date
from factcmp.model import Claim, Names, Topic
from factcmp.result import Comparison, PairResult, TopicResult, Verdict

# how each facet shows, in order (factcmp.facets.WORDS_LAYOUT)
_WORDS = [facet.words for facet in in_order(WORDS_LAYOUT) if facet.words is not None]

SYMBOL = {
    Verdict.CONTRADICTION: "✗",
    Verdict.DISCREPANCY: "≠",
    Verdict.AGREEMENT: "✓",
    Verdict.UNJUDGED: "?",
    Verdict.ONE_SIDED: "○",
}
PLURAL = {
    Verdict.CONTRADICTION: ("contradiction", "contradictions"),
    Verdict.DISCREPANCY: ("discrepancy", "discrepancies"),
    Verdict.AGREEMENT: ("agreement", "agreements"),
    Verdict.UNJUDGED: ("unjudged", "unjudged"),
    Verdict.ONE_SIDED: ("one-sided", "one-sided"),
}


def facets(claim: Claim) -> list[str]:
    """The typed facets of a claim, in words, for display."""
    return [words for shown in _WORDS if (words := shown(claim)) is not None]


def at_issue(topic: Topic) -> str | None:
    """`whether the Galwan Valley is Chinese territory`: a topic's claim as a question,
    never as a statement, or None when the topic states none."""
    if not topic.claim:
        return None
    return "whether " + lower_first(topic.claim).rstrip(". ")


def gist(claim: Claim, side_name: str, names: Names) -> str:
    """A claim in a few words, with who made it and when: its figure where it gives
    one (`20 for India (Indian Army, 16 Jun 2020)`, `denies 40 for China (...)`),
    else the start of its text."""
    who = who_when(claim, side_name)
    if claim.count is not None:
        shown = ("denies " if claim.denies else "") + claim.count.shown(claim.unit)
        if claim.subject:
            shown += f" for {names.shown(claim.subject)}"
        if claim.undetermined:
            shown = f"leaves {shown} undetermined"
        return f"{shown} ({who})"
    words = " ".join(claim.text.split())
    if len(words) > GIST:
        words = words[: GIST - 1].rsplit(" ", 1)[0] + "…"
    return f"{words.rstrip('.')} ({who})"


GIST = 50  # characters of a claim's text in an overview


def history_label(claim: Claim) -> str:
    """What a claim in a topic's history is: an earlier figure or denial that a later
    count of its side replaced, or a claim its side superseded or retracted."""
    if claim.status != "current":
        return claim.status
    if claim.undetermined:
        return "earlier, left undetermined"
    return "earlier denial" if claim.denies else "earlier figure"


def figure(claim: Claim) -> str:
    """A claim's count as a side's word on it: `105`, `5 kg`, `hundreds (at least
    100)`, `not 40` (a denial of that figure), `leaves 500 undetermined` (revision 3)."""
    assert claim.count is not None
    shown = claim.count.shown(claim.unit)
    if claim.undetermined:
        return f"leaves {shown} undetermined"
    return f"not {shown}" if claim.denies else shown


def cited_reasons(result: TopicResult) -> list[str]:
    """The topic's reasons as people read them: each naming who made the claims behind
    it and when. With one pair of sides, its reasons; with none, the topic's own (a
    one-sided topic). With several pairs, the table and the brief give a line each."""
    if not result.pairs:
        return list(result.reasons)
    return [r.cited for p in result.pairs for r in p.reasons]


def pair_reasons(pair: PairResult) -> str:
    """One pair of sides' reasons, cited, on one line."""
    return "; ".join(r.cited for r in pair.reasons)


def agreeing(pair: PairResult) -> str | None:
    """What a pair of sides agrees on under a stronger verdict, cited, on one line."""
    return "; ".join(r.cited for r in pair.agreeing) or None


def selection_words(comparison: Comparison) -> str | None:
    """How an output was narrowed, in words ("contradictions only: 4 of 10 topics;
    claims said by 31 December 2020"), and the sides it leaves without a claim, or
    None when it was not narrowed."""
    selection, shown = comparison.selection, len(comparison.topics)
    if not selection.narrowed:
        return None
    parts = []
    what = []
    if selection.only is not None:
        what.append(listed([PLURAL[v][1] for v in selection.only]) + " only")
    if selection.topics is not None:
        what.append("topics matching " + ", ".join(selection.topics))
    if what:
        noun = "topic" if selection.all_topics == 1 else "topics"
        parts.append(f"{', '.join(what)}: {shown:,} of {selection.all_topics:,} {noun}")
    if selection.as_of is not None:
        when = f"claims said by {long_date(selection.as_of)}"
        if selection.undated:
            n = selection.undated
            when += f" ({n:,} undated claim{'s' if n != 1 else ''} left out)"
        parts.append(when)
    # from the index: a cached comparison's topics are decoded only when shown
    speaking = {side for entry in comparison.index() for side in entry.speaking}
    silent = [side.name for side in comparison.sides if side.id not in speaking]
    if silent and comparison.topics:
        parts.append(f"nothing from {listed(silent)} in what is shown")
    return "; ".join(parts)


def pair_name(pair: PairResult, names: dict[str, str], joint: str = "–") -> str:
    """`India–China` (or `India and China`): a pair of sides by their names."""
    return f"{names[pair.sides[0]]}{joint}{names[pair.sides[1]]}"
