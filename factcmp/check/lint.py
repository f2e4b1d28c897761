"""Lint rules on one file's raw YAML: what a loader can accept but a newsroom should
not (future dates, unused speakers and statements, non-web links, a quote wrapped in
its own quotation marks, ...). They run even when the loader refused the file, so
that one `factcmp check` reports everything.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, TypeGuard

import msgspec

from factcmp.load.urls import is_web_url
from factcmp.load.when import BadTime, parse_said
from factcmp.load.yamlsrc import Document, PathItem, shown
from factcmp.model import Topic, fold
from factcmp.problems import Problem

if TYPE_CHECKING:
    from factcmp.load.shared import Shared

ERROR, WARNING = "error", "warning"
# for an unused speaker, source or statement: why it is unused, and what to do
_UNUSED = {
    "speaker": ("claim is `by:` it", "attribute a claim to it"),
    "source": ("claim cites it", "cite it with `source:`"),
    "statement": ("claim names it", "name it with `statement:` in the claims it speaks to"),
}


class Used(msgspec.Struct):
    """The speakers, sources and statements a file's claims name."""

    speakers: set[str] = msgspec.field(default_factory=set)
    sources: set[str] = msgspec.field(default_factory=set)
    statements: set[str] = msgspec.field(default_factory=set)


_SPACE = re.compile(r"\s")
_QUOTE_MARKS = "\"'“”‘’«»„‚‹›「」"


def is_date(value: object) -> TypeGuard[dt.date]:
    """A date, not a date and time (the loader reports those; lint compares dates)."""
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _said_date(value: object) -> dt.date | None:
    """The date of a `said` value, given with a time of day or not (a value that is
    no date is the loader's to report)."""
    if is_date(value):
        return value
    try:
        parsed = parse_said(value)
    except BadTime:
        return None
    return parsed[0] if parsed else None


def section(value: dict[str, Any], key: str, kind: type) -> Any:
    """A top-level section if it has the right shape, else an empty one."""
    section = value.get(key)
    return section if isinstance(section, kind) else kind()


def warn(problem: Problem) -> Problem:
    return msgspec.structs.replace(problem, severity=WARNING)


class FileLint:
    """Rules on one claim file's raw values: they run even when the loader refused
    the file, so that one run reports everything."""

    def __init__(self, today: dt.date, topics: dict[str, Topic] | None, strict: bool) -> None:
        self.today = today
        self.topics = topics
        self.strict = strict

    def run(self, doc: Document, shared: Shared | None = None) -> list[Problem]:
        """The findings of one claim file; `shared` is the shared sources.yaml its
        claims may cite (for the dates of its sources)."""
        self.doc = doc
        self.findings: list[Problem] = []
        self._normalised: dict[str, str] = {}
        self.used = Used()  # what the file's claims and statements name, once run
        value = doc.value
        if not isinstance(value, dict):
            return []
        self._tabs()
        speakers = section(value, "speakers", dict)
        sources = section(value, "sources", dict)
        statements = section(value, "statements", dict)
        claims = section(value, "claims", list)
        published = {k: s.published for k, s in (shared.sources if shared else {}).items()}
        published |= self._sources(["sources"], sources)
        used = self.used
        for key, statement in statements.items():
            if isinstance(statement, dict):
                self._entry(["statements", key], statement, published, used)
        for index, claim in enumerate(claims):
            if not isinstance(claim, dict):
                continue
            at: list[PathItem] = ["claims", index]
            self._entry(at, claim, published, used)
            self._claim(at, claim)
            named = claim.get("statement")
            if isinstance(named, str):
                used.statements.add(named)
                self._statement_quote(at, claim, statements.get(named))
        self.unused(speakers, used.speakers, "speaker")
        self.unused(sources, used.sources, "source")
        self.unused(statements, used.statements, "statement")
        return self.findings

    def shared_file(self, doc: Document) -> list[Problem]:
        """The findings of the shared sources.yaml on its own (what no side uses is
        found across files: see `unused`)."""
        self.doc = doc
        self.findings = []
        if isinstance(doc.value, dict):
            self._tabs()
            self._sources(["sources"], section(doc.value, "sources", dict))
        return self.findings

    def unused(self, declared: dict[str, Any], used: set[str], noun: str) -> None:
        """A declared speaker, source or statement that nothing names."""
        why, fix = _UNUSED[noun]
        for key in declared:
            if key not in used:
                message = f"{noun} `{shown(key)}` is declared but no {why}: remove it, or {fix}"
                self._add([f"{noun}s", key], message, f"unused-{noun}", WARNING, key=True)

    def _sources(self, at: list[PathItem], sources: dict[str, Any]) -> dict[str, dt.date | None]:
        """Lint each source of a `sources:` section; their publication dates."""
        published: dict[str, dt.date | None] = {}
        for key, source in sources.items():
            if isinstance(source, dict):
                self._source([*at, key], source)
                if is_date(source.get("published")):
                    published[key] = source["published"]
        return published

    def _entry(
        self,
        at: list[PathItem],
        entry: dict[str, Any],
        published: dict[str, dt.date | None],
        used: Used,
    ) -> None:
        """What a claim and a statement both may give: `by`, `source`, `said`, a quote."""
        if isinstance(entry.get("by"), str):
            used.speakers.add(entry["by"])
        source = entry.get("source")
        if isinstance(source, str):
            used.sources.add(source)
        elif isinstance(source, dict):
            self._source([*at, "source"], source)
        date = published.get(source) if isinstance(source, str) else None
        if isinstance(source, dict) and is_date(source.get("published")):
            date = source["published"]
        self._said(at, entry, date)
        self._quote_marks(at, entry.get("quote"))

    def _statement_quote(
        self, at: list[PathItem], claim: dict[str, Any], statement: object
    ) -> None:
        """A claim that gives its own quote quotes part of its statement's words."""
        from factcmp.load.quotes import contains_quote, normalise

        mine = claim.get("quote")
        theirs = statement.get("quote") if isinstance(statement, dict) else None
        if not (isinstance(mine, str) and isinstance(theirs, str) and mine.strip()):
            return
        if theirs not in self._normalised:  # once per statement, however many claims
            self._normalised[theirs] = normalise(theirs)
        if not contains_quote(self._normalised[theirs], mine):
            self._add(
                [*at, "quote"],
                f"this quote is not part of statement `{shown(str(claim['statement']))}`'s "
                "quote: a claim that names a statement quotes a part of its words; fix the "
                "quote, or give the statement the words that hold it",
                "statement-quote",
                WARNING,
            )

    def _add(
        self,
        path: list[PathItem],
        message: str,
        rule: str,
        severity: str = ERROR,
        *,
        key: bool = False,
    ) -> None:
        problem = self.doc.problem(path, message, rule, key=key)
        self.findings.append(warn(problem) if severity == WARNING else problem)

    def _tabs(self) -> None:
        # libyaml refuses tabs that indent; a tab inside a value is legal YAML but shows
        # differently in every editor and diff, so it is flagged too
        text = self.doc.text
        if "\t" not in text:
            return
        for number, line in enumerate(text.splitlines(), 1):
            col = line.find("\t")
            if col >= 0:
                self.findings.append(
                    warn(
                        Problem(
                            self.doc.file, number, col + 1, "tab character: use spaces", "yaml-tab"
                        )
                    )
                )

    def _claim(self, at: list[PathItem], claim: dict[str, Any]) -> None:
        topic = claim.get("topic")
        if isinstance(topic, str) and topic.strip():
            self._topic([*at, "topic"], topic)
            self._stance(at, claim, topic)
        claim_id = claim.get("id")
        if isinstance(claim_id, str) and _SPACE.search(claim_id):
            suggestion = re.sub(r"\s+", "-", claim_id.strip())
            self._add(
                [*at, "id"],
                f"claim id `{shown(claim_id)}` has spaces: ids are referred "
                f"to by briefs and CI, so keep them to one word, e.g. `{shown(suggestion)}`",
                "id-format",
            )
        period = claim.get("period")
        if isinstance(period, dict):
            for key in ("from", "to"):
                value = period.get(key)
                if is_date(value) and value > self.today:
                    self._add(
                        [*at, "period", key], f"`{key}: {value}` is in the future", "future-date"
                    )
        places = claim.get("places")
        if isinstance(places, list):
            seen: dict[str, int] = {}
            for index, place in enumerate(places):
                if not isinstance(place, str):
                    continue
                folded = fold(place)
                if folded in seen:
                    self._add(
                        [*at, "places", index],
                        f"place `{shown(place)}` is listed twice "
                        f"(also item {seen[folded] + 1}): remove one",
                        "duplicate-place",
                        WARNING,
                    )
                seen.setdefault(folded, index)

    def _quote_marks(self, at: list[PathItem], quote: object) -> None:
        if isinstance(quote, str) and len(quote.strip()) > 1:
            words = quote.strip()
            if words[0] in _QUOTE_MARKS and words[-1] in _QUOTE_MARKS:
                self._add(
                    [*at, "quote"],
                    "the quote is wrapped in quotation marks, and factcmp "
                    "adds its own: keep only the quoted words",
                    "quote-marks",
                    WARNING,
                )

    def _said(self, at: list[PathItem], entry: dict[str, Any], published: dt.date | None) -> None:
        said = _said_date(entry.get("said"))
        if said is not None:
            if said > self.today:
                self._add(
                    [*at, "said"],
                    f"`said: {said}` is in the future: a claim cannot "
                    "have been made yet; check the date",
                    "future-date",
                )
            elif published is not None and said > published:
                self._add(
                    [*at, "said"],
                    f"`said: {said}` is after its source was published "
                    f"({published}): the source cannot report it; check both dates",
                    "said-after-published",
                )

    def _topic(self, at: list[PathItem], topic: str) -> None:
        if self.topics is not None and topic not in self.topics:
            message = (
                f"topic `{shown(topic)}` is not in topics.yaml: add it there "
                f"(with a label), or fix the spelling{_close(topic, self.topics)}"
            )
            self._add(at, message, "unknown-topic", ERROR if self.strict else WARNING)
        elif self.topics is None and self.strict:
            message = (
                f"topic `{shown(topic)}` is in no topics.yaml: --strict wants every "
                "topic listed in a topics.yaml beside the claim files"
            )
            self._add(at, message, "unknown-topic")

    def _stance(self, at: list[PathItem], claim: dict[str, Any], topic: str) -> None:
        """A claim on a topic that states its claim and gives no `stance` (revision 3):
        it is taken to affirm the proposition, which a curator should say outright."""
        stated = self.topics.get(topic) if self.topics is not None else None
        if stated is None or not (stated.claim and stated.claim.strip()) or "stance" in claim:
            return
        claim_id = claim.get("id")
        which = f"claim `{shown(claim_id)}`" if isinstance(claim_id, str) else "this claim"
        self._add(
            at,
            f"{which} gives no `stance` on topic `{shown(topic)}`, which states a claim, "
            "and is taken to affirm it: say whether it affirms, denies or leaves "
            f"undetermined: {shown(' '.join(stated.claim.split()), 300)}",
            "no-stance",
            WARNING,
        )

    def _source(self, path: list[PathItem], source: dict[str, Any]) -> None:
        for key in ("url", "archived"):
            url = source.get(key)
            if isinstance(url, str) and url.strip() and not is_web_url(url):
                self._add(
                    [*path, key],
                    f"`{key}: {shown(url)}` is not a web address: write "
                    "a full http:// or https:// link",
                    "url",
                )
        published = source.get("published")
        if is_date(published) and published > self.today:
            self._add(
                [*path, "published"], f"`published: {published}` is in the future", "future-date"
            )


def _close(word: str, topics: dict[str, Topic]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(topics), n=1, cutoff=0.75)
    return f" (did you mean `{close[0]}`?)" if close else ""
