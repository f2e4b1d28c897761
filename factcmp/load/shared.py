"""The shared sources file, `claims/sources.yaml`: the sources and speakers that any
side's claims may name (an agency report both sides cite, a joint statement, a
mediator), defined once instead of once per side.

    factcmp: 1
    sources:
      ap-0914: {outlet: AP, title: ..., url: https://..., published: 2022-09-14}
    speakers:
      un-sg: {name: António Guterres, role: UN Secretary-General}

A side's file refers to these keys exactly as to its own; a key defined in both is an
error naming both places (factcmp.load.references).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from factcmp.model import Source, Speaker

if TYPE_CHECKING:
    from factcmp.load.yamlsrc import Document


class Shared(msgspec.Struct, frozen=True):
    """What sources.yaml defines, and the line of each key (for messages)."""

    file: str
    speakers: dict[str, Speaker] = {}
    sources: dict[str, Source] = {}
    lines: dict[str, int] = {}  # "speakers\0key" or "sources\0key" -> its line
    digest: str = ""  # of the file's bytes: part of the cache key of every side using it

    def keys(self, section: str) -> dict[str, Speaker] | dict[str, Source]:
        return self.speakers if section == "speakers" else self.sources

    def line(self, section: str, key: str) -> int | None:
        return self.lines.get(f"{section}\0{key}")


def shared_from_document(doc: Document) -> Shared:
    """Validate sources.yaml; raises `InputError` with every problem."""
    from factcmp.load.validate import after_yaml_problems

    return after_yaml_problems(doc, lambda: _shared_from(doc))


def _shared_from(doc: Document) -> Shared:
    from factcmp.load import schema
    from factcmp.load.sections import blank_names, make_source, mapping_of, speaker_names
    from factcmp.load.validate import top_mapping
    from factcmp.problems import InputError, Problem

    problems: list[Problem] = []
    value = top_mapping(doc, schema.SHARED_FILE_KEYS, problems, "shared sources file")
    speakers = mapping_of(doc, "speakers", value.get("speakers"), schema.SpeakerSpec, problems)
    sources = mapping_of(doc, "sources", value.get("sources"), schema.SourceSpec, problems)
    blank_names(doc, speaker_names(speakers), problems)
    if problems:
        raise InputError(problems)
    return Shared(
        doc.file,
        {k: Speaker(k, s.name, s.role, doc.file) for k, s in speakers.items()},
        {k: make_source(k, s, doc.file) for k, s in sources.items()},
        _lines(doc, speakers, sources),
    )


def keys_only(doc: Document) -> Shared:
    """What a sources.yaml with problems still says: the keys it defines (their
    entries bare), so that the claims naming them are not refused as well."""
    value = doc.value if isinstance(doc.value, dict) else {}
    sections = [value.get(key) for key in ("speakers", "sources")]
    speakers, sources = (v if isinstance(v, dict) else {} for v in sections)
    return Shared(
        doc.file,
        {k: Speaker(k, str(k), file=doc.file) for k in speakers},
        {k: Source(k, file=doc.file) for k in sources},
        _lines(doc, speakers, sources),
    )


def _lines(doc: Document, speakers: dict[str, Any], sources: dict[str, Any]) -> dict[str, int]:
    """The line of each key, for messages (`Shared.lines`)."""
    return {
        f"{section}\0{key}": doc.position([section, key], key=True)[0]
        for section, keys in (("speakers", speakers), ("sources", sources))
        for key in keys
    }
