"""Which links to fetch and which quotes to look for, from loaded sides.

Every distinct `url` and `archived` of the claims' sources is one `Target`,
fetched once however many claims cite it (the `#fragment` is not part of what is
fetched). A link that is not an http(s) address (`file:///etc/passwd`,
`javascript:...`, `example.org/page` without a scheme) is a `BadLink` finding at
its file, line and column, and is never fetched.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import msgspec
import yaml

from factcmp.load.discover import DiscoveryError, SideFile, available_sides, resolve_sides
from factcmp.load.files import read_document
from factcmp.load.yamlsrc import Document, PathItem, mark_position, shown
from factcmp.model import Claim, Side
from factcmp.problems import InputError
from factcmp.sources.result import BadLink, Citation, Field

FIELDS: tuple[Field, ...] = ("url", "archived")


class Target(msgspec.Struct):
    """One URL to fetch, and every claim citing it."""

    url: str
    citations: list[Citation]
    need_body: bool = False  # a claim citing it has a quote: read the page


class QuoteTask(msgspec.Struct, frozen=True):
    """A claim's quote and the pages it should stand on (URLs as `Target.url`)."""

    side: str
    claim: str
    file: str
    line: int
    quote: str
    url: str | None
    archived: str | None
    bad: tuple[Field, ...] = ()  # links of the source that are not web addresses


class Plan(msgspec.Struct):
    files: list[str]
    targets: list[Target]
    quotes: list[QuoteTask]
    bad_links: list[BadLink]


def side_files(names: Sequence[str], claims_dir: Path | None) -> list[SideFile]:
    """The claim files to check: those named, else every side of the claims folder.

    Like `factcmp diff`'s sides, except that one side is enough here."""
    if len(names) > 1:
        return resolve_sides(list(names), claims_dir)
    if not names:
        if claims_dir is None:
            resolve_sides([], None)  # raises the usual "no claims directory" error
            raise DiscoveryError("no claims directory found")
        found = available_sides(claims_dir)
        if not found:
            raise DiscoveryError(f"{claims_dir} holds no claim files")
        return found
    name = names[0]
    if name.endswith((".yaml", ".yml")) or os.sep in name or "/" in name:
        path = Path(name)
        if path.is_file():  # its id as discover makes it, when it can list the folder
            listed = [s for s in available_sides(path.parent) if s.path.name == path.name]
            return [SideFile(listed[0].id if listed else path.stem, path)]
    elif claims_dir is not None:
        for side in available_sides(claims_dir):
            if side.id == name:
                return [side]
    resolve_sides([name], claims_dir)  # raises why `name` names no side
    raise DiscoveryError(f"no side {name!r}")


def fetch_url(url: str) -> str:
    """The URL as fetched: trimmed, without its #fragment (never sent to a server)."""
    return url.strip().split("#", 1)[0]


def link_problem(url: str) -> str | None:
    """Why `url` cannot be fetched as a web address, or None when it can."""
    text = url.strip()
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        return "has spaces or control characters in it: a web address has none (write %20)"
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError as exc:
        return f"is not a valid address ({exc})"
    scheme = parts.scheme.lower()
    if not scheme or (scheme not in ("http", "https") and not parts.netloc and "." in scheme):
        return "has no scheme: write the full address, starting with https://"
    if scheme not in ("http", "https"):
        return f"is not a web address ({scheme}:): only http:// and https:// links are checked"
    if not parts.hostname:
        return "has no host name"
    return None


class _Locator:
    """Positions of `url:` and `archived:` in claim files, parsed once per file and
    only when asked (the loaded claims know their own line, not their source's)."""

    def __init__(self) -> None:
        self._docs: dict[str, tuple[Document, dict[int, int]] | None] = {}

    def _doc(self, file: str) -> tuple[Document, dict[int, int]] | None:
        """The file's document and, for each claim's first line, its index."""
        if file not in self._docs:
            try:
                doc = read_document(Path(file))
            except (InputError, yaml.YAMLError, OSError, ValueError):
                self._docs[file] = None  # changed since it was loaded: the claim's line
                return None
            claims = doc.node_at(["claims"])
            nodes = claims.value if isinstance(claims, yaml.SequenceNode) else []
            lines = {node.start_mark.line + 1: index for index, node in enumerate(nodes)}
            self._docs[file] = doc, lines
        return self._docs[file]

    def position(self, claim: Claim, field: Field) -> tuple[int, int]:
        if claim.source is not None and claim.source.file:  # in the shared sources.yaml
            return self._shared(claim.source.file, claim.source.key, field, claim)
        found = self._doc(claim.file)
        if found is None or claim.source is None:
            return claim.line, 1
        doc, lines = found
        path: list[PathItem] = ["sources", claim.source.key, field]
        index = lines.get(claim.line)
        if index is not None:
            inline: list[PathItem] = ["claims", index, "source"]
            is_inline = isinstance(doc.node_at(inline), yaml.MappingNode)
            if doc.key_node_at(inline) is not None and is_inline:
                path = [*inline, field]
        node = doc.node_at(path)
        if doc.key_node_at(path) is None or node is None:
            return claim.line, 1
        return mark_position(node.start_mark)

    def _shared(self, file: str, key: str, field: Field, claim: Claim) -> tuple[int, int]:
        found = self._doc(file)
        path: list[PathItem] = ["sources", key, field]
        node = found[0].node_at(path) if found is not None else None
        if node is None:
            return claim.line, 1
        return mark_position(node.start_mark)


def shared_files(sides: Sequence[Side]) -> list[str]:
    """The shared sources.yaml files the sides' claims cite, once each."""
    found = {c.source.file: None for s in sides for c in s.claims if c.source and c.source.file}
    return list(found)


def collect(sides: Sequence[Side]) -> Plan:
    """The plan of a run: targets in the order first cited, quotes in file order,
    bad links once per source and field (listing every claim citing them)."""
    locator = _Locator()
    targets: dict[str, Target] = {}
    quotes: list[QuoteTask] = []
    bad: dict[tuple[str, str, Field], tuple[Claim, str, str, list[str]]] = {}
    for side in sides:
        for claim in side.claims:
            source = claim.source
            if source is None:
                continue
            links: dict[Field, str | None] = {}
            bad_fields: list[Field] = []
            for field in FIELDS:
                raw = getattr(source, field)
                if raw is None or not raw.strip():
                    links[field] = None
                    continue
                problem = link_problem(raw)
                if problem:
                    where = (source.file or claim.file, source.key, field)
                    bad.setdefault(where, (claim, raw, problem, []))[3].append(claim.id)
                    links[field] = None
                    bad_fields.append(field)
                    continue
                url = fetch_url(raw)
                line, col = locator.position(claim, field)
                citation = Citation(
                    side=side.id,
                    claim=claim.id,
                    file=source.file or claim.file,
                    claim_line=claim.line,
                    line=line,
                    col=col,
                    source=source.key,
                    field=field,
                    outlet=source.outlet,
                    title=source.title,
                    claim_file=claim.file if source.file else "",
                )
                target = targets.setdefault(url, Target(url, []))
                target.citations.append(citation)
                target.need_body = target.need_body or bool(claim.original or claim.quote)
                links[field] = url
            # a translated quote is looked for in its own words, as the page has them
            words = claim.original or claim.quote
            if words and (links["url"] or links["archived"] or bad_fields):
                quotes.append(
                    QuoteTask(
                        side=side.id,
                        claim=claim.id,
                        file=claim.file,
                        line=claim.line,
                        quote=words,
                        url=links["url"],
                        archived=links["archived"],
                        bad=tuple(bad_fields),
                    )
                )
    bad_links = []
    for (file, key, field), (claim, raw, problem, claim_ids) in bad.items():
        line, col = locator.position(claim, field)
        bad_links.append(
            BadLink(
                file=file,
                line=line,
                col=col,
                url=raw,
                field=field,
                source=key,
                claims=tuple(claim_ids),
                message=f"`{field}: {shown(raw)}` {problem}",
            )
        )
    bad_links.sort(key=lambda b: (b.file, b.line, b.col))
    return Plan(
        files=[side.file for side in sides] + shared_files(sides),
        targets=list(targets.values()),
        quotes=quotes,
        bad_links=bad_links,
    )
