"""Sections of a claim file (and of the shared sources.yaml) that map keys to
entries: each entry validated on its own, names that must not be blank, and a
source entry as the model's `Source`."""

from __future__ import annotations

from typing import Any, TypeVar

from factcmp.load import schema
from factcmp.load.validate import convert
from factcmp.load.yamlsrc import Document, PathItem
from factcmp.model import Source
from factcmp.problems import Problem

T = TypeVar("T")


def mapping_of(
    doc: Document, key: str, raw: Any, kind: type[T], problems: list[Problem]
) -> dict[str, T]:
    """A section that maps keys to entries (`speakers:`, `sources:`, `statements:`),
    each entry validated on its own."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(doc.problem([key], f"`{key}` must be a mapping of keys to entries", "type"))
        return {}
    out: dict[str, T] = {}
    for name, entry in raw.items():
        spec = convert(doc, [key, name], entry, kind, problems)
        if spec is not None:
            out[name] = spec
    return out


def speaker_names(speakers: dict[str, schema.SpeakerSpec]) -> list[tuple[list[PathItem], str]]:
    """Each speaker's name and role, at its path."""
    out: list[tuple[list[PathItem], str]] = [
        (["speakers", k, "name"], s.name) for k, s in speakers.items()
    ]
    out += [(["speakers", k, "role"], s.role) for k, s in speakers.items() if s.role]
    return out


def blank_names(
    doc: Document, names: list[tuple[list[PathItem], str]], problems: list[Problem]
) -> None:
    """A name is what every output shows: it cannot be blank."""
    for path, value in names:
        if not value.strip():
            message = f"`{path[-1]}` is empty: fill it in (it is what readers see)"
            problems.append(doc.problem(path, message, "empty"))


def make_source(key: str, spec: schema.SourceSpec, file: str = "") -> Source:
    return Source(
        key, spec.outlet, spec.title, spec.author, spec.url, spec.published, spec.archived, file
    )
